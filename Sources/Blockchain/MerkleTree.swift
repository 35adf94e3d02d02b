import Crypto

/// An error from building a Merkle tree or asking it for a proof.
public struct MerkleError: Error, Equatable, Sendable {
    public var message: String
    public init(_ message: String) { self.message = message }
}

/// A binary Merkle tree over raw data items, after Jeiwan's "Building Blockchain in Go", part 6
/// (`merkle_tree.go`), but correct for any number of items.
///
/// Rules:
/// - leaf = `SHA256(item)` (single SHA-256, as Jeiwan; Bitcoin uses double SHA-256 over txids);
/// - inner node = `SHA256(left ‖ right)`;
/// - on **every** level with an odd number of nodes, the last node is paired with itself (Bitcoin's
///   rule);
/// - one item: the root is that item's leaf hash (no extra hashing);
/// - zero items: `init` throws `MerkleError("no items: a Merkle tree needs at least one item")`.
///   There is deliberately no "empty root" (Jeiwan's code panics with an index out of range here).
///
/// How the original breaks (not reproduced here; see the reference §1.6 and §1.9 #2, PRs #24/#25):
/// Jeiwan duplicates the last *data item* once, only when the item count is odd, and then on each
/// level runs `len(data)/2` iterations pairing `nodes[j]`, `nodes[j+1]`:
/// ```go
/// if len(data)%2 != 0 { data = append(data, data[len(data)-1]) }
/// ...
/// for i := 0; i < len(data)/2; i++ {
///     var newLevel []MerkleNode
///     for j := 0; j < len(nodes); j += 2 {
///         node := NewMerkleNode(&nodes[j], &nodes[j+1], nil)
///         newLevel = append(newLevel, *node)
///     }
///     nodes = newLevel
/// }
/// ```
/// - 1–4 items (2 or 4 after padding): every level is even; correct. For 3 items, duplicating the
///   last item equals duplicating the last leaf, so this type gives the same root (test vector
///   `4e3e44e5…227e`).
/// - 5 or 6 items (6 leaves): level 1 has 3 nodes, so `nodes[j+1]` is out of range → panic.
/// - 7 items (8 leaves): levels 4 → 2 → 1 are fine, but the loop runs `8/2 = 4` times, and the
///   4th pass reads `nodes[1]` of a one-node level → panic (PR #24 adds a `break`).
/// - 8+ items: same extra-iteration panic, or an odd middle level (e.g. 10 → 5 → panic).
/// - 0 items: `nodes[0]` of an empty slice → panic.
///
/// Caveats shared with Bitcoin (not fixed, by design of the rules above):
/// - Duplicating the last node makes `[a, b, c]` and `[a, b, c, c]` have the same root
///   (CVE-2012-2459-style malleability): a root does not by itself pin the item count.
/// - Leaves and inner nodes are hashed without a domain prefix, so a 64-byte item equal to
///   `left ‖ right` of an inner node hashes like that node. ``MerkleProof/verify(item:root:leafCount:)``
///   closes this when the verifier knows the item count (it checks the proof's length).
public struct MerkleTree: Equatable, Sendable {
    /// All levels, leaves first, root last. Levels hold only real nodes: the duplicate that pads an
    /// odd level is implied, not stored.
    public private(set) var levels: [[[UInt8]]]

    /// The 32-byte root hash.
    public var root: [UInt8] { levels[levels.count - 1][0] }

    /// The number of items (leaves).
    public var count: Int { levels[0].count }

    public init(_ items: [[UInt8]]) throws(MerkleError) {
        guard !items.isEmpty else {
            throw MerkleError("no items: a Merkle tree needs at least one item")
        }
        var level = items.map(MerkleTree.leafHash)
        var levels = [level]
        while level.count > 1 {
            var next: [[UInt8]] = []
            next.reserveCapacity((level.count + 1) / 2)
            var i = 0
            while i < level.count {
                let left = level[i]
                let right = i + 1 < level.count ? level[i + 1] : left // odd level: pair last with itself
                next.append(MerkleTree.nodeHash(left, right))
                i += 2
            }
            levels.append(next)
            level = next
        }
        self.levels = levels
    }

    /// The inclusion proof for item `index`: the sibling hash at each level, leaf to root.
    public func proof(forItem index: Int) throws(MerkleError) -> MerkleProof {
        guard index >= 0, index < count else {
            throw MerkleError("item index \(index) out of range 0..<\(count)")
        }
        var steps: [MerkleProof.Step] = []
        var i = index
        for level in levels.dropLast() {
            if i % 2 == 0 {
                // Right sibling; the last node of an odd level is its own sibling.
                let sibling = i + 1 < level.count ? level[i + 1] : level[i]
                steps.append(MerkleProof.Step(sibling: sibling, siblingOnLeft: false))
            } else {
                steps.append(MerkleProof.Step(sibling: level[i - 1], siblingOnLeft: true))
            }
            i /= 2
        }
        return MerkleProof(index: index, steps: steps)
    }

    /// `SHA256(item)`.
    public static func leafHash(_ item: [UInt8]) -> [UInt8] {
        Array(SHA256.hash(data: item))
    }

    /// `SHA256(left ‖ right)`.
    public static func nodeHash(_ left: [UInt8], _ right: [UInt8]) -> [UInt8] {
        var hasher = SHA256()
        hasher.update(data: left)
        hasher.update(data: right)
        return Array(hasher.finalize())
    }

    /// The number of proof steps (tree height) for `count` items: 0 for 1 item, ⌈log2 count⌉ otherwise.
    public static func depth(forCount count: Int) -> Int {
        var depth = 0
        var n = count
        while n > 1 {
            n = (n + 1) / 2
            depth += 1
        }
        return depth
    }
}

/// An inclusion proof: the sibling hashes from leaf to root, each with its side.
public struct MerkleProof: Equatable, Sendable, Codable {
    public struct Step: Equatable, Sendable, Codable {
        public var sibling: [UInt8]
        /// `true`: parent = SHA256(sibling ‖ current); `false`: parent = SHA256(current ‖ sibling).
        public var siblingOnLeft: Bool
        public init(sibling: [UInt8], siblingOnLeft: Bool) {
            self.sibling = sibling
            self.siblingOnLeft = siblingOnLeft
        }
    }

    /// The item's position among the leaves.
    public var index: Int
    public var steps: [Step]

    public init(index: Int, steps: [Step]) {
        self.index = index
        self.steps = steps
    }

    /// Whether `item` (raw data; hashed to its leaf here) is included under `root`.
    public func verify(item: [UInt8], root: [UInt8]) -> Bool {
        verify(leafHash: MerkleTree.leafHash(item), root: root)
    }

    /// Whether `item` is included under `root` in a tree of exactly `leafCount` items: also checks
    /// `index < leafCount` and that the proof has that tree's height (which rules out passing an
    /// inner node's `left ‖ right` off as an item).
    public func verify(item: [UInt8], root: [UInt8], leafCount: Int) -> Bool {
        guard leafCount > 0, index < leafCount,
              steps.count == MerkleTree.depth(forCount: leafCount) else { return false }
        return verify(item: item, root: root)
    }

    /// Whether the leaf hash `leafHash` is included under `root`.
    ///
    /// Besides recomputing the root, checks that every hash is 32 bytes and that each step's side
    /// agrees with the bits of `index` (bit k set ⇔ sibling on the left at level k), so a proof
    /// cannot be replayed for another position.
    public func verify(leafHash: [UInt8], root: [UInt8]) -> Bool {
        guard leafHash.count == 32, root.count == 32, index >= 0 else { return false }
        guard index >> steps.count == 0 else { return false } // smart shift: never traps
        var current = leafHash
        var i = index
        for step in steps {
            guard step.sibling.count == 32, step.siblingOnLeft == (i & 1 == 1) else { return false }
            current = step.siblingOnLeft
                ? MerkleTree.nodeHash(step.sibling, current)
                : MerkleTree.nodeHash(current, step.sibling)
            i >>= 1
        }
        return current == root
    }
}
