import Foundation
import Testing
@testable import Blockchain

// Helpers are private and merkle-prefixed so this file can be merged next to other test files.
private func merkleHex(_ bytes: [UInt8]) -> String {
    bytes.map { String(format: "%02x", $0) }.joined()
}

private func merkleItems(_ n: Int) -> [[UInt8]] {
    (0..<n).map { Array("node\($0 + 1)".utf8) }
}

private func merkleFlip(_ bytes: [UInt8], at i: Int = 0) -> [UInt8] {
    var out = bytes
    out[i] ^= 0x01
    return out
}

@Suite("MerkleTree")
struct MerkleTreeTests {
    // MARK: Vectors

    /// Jeiwan's `merkle_tree_test.go` (`TestNewMerkleNode`/`TestNewMerkleTree`): data "node1",
    /// "node2", "node3"; level 1 = H(H1‖H2), H(H3‖H3); root = H(level1[0]‖level1[1]).
    /// Hex copied from /work/shared/reference/blockchain.md §1.6 and recomputed with
    /// `python3 -c` (hashlib.sha256, same rule) → identical. For 3 items, duplicating the last item
    /// (Jeiwan) equals duplicating the last leaf (this type), so the root must match.
    @Test func jeiwanThreeItemVector() throws {
        let tree = try MerkleTree(merkleItems(3))
        #expect(tree.levels.map(\.count) == [3, 2, 1])
        #expect(merkleHex(tree.levels[1][0]) == "64b04b718d8b7c5b6fd17f7ec221945c034cfce3be4118da33244966150c4bd4")
        #expect(merkleHex(tree.levels[1][1]) == "08bd0d1426f87a78bfc2f0b13eccdf6f5b58dac6b37a7b9441c1a2fab415d76c")
        #expect(merkleHex(tree.root) == "4e3e44e55926330ab6c31892f980f8bfd1a6e910ff1ebc3f778211377f35227e")
        #expect(tree.levels[0][0] == MerkleTree.leafHash(Array("node1".utf8)))
    }

    /// Items "node1"..."nodeN". Expected roots produced by:
    /// ```
    /// python3 -c 'import hashlib
    /// h=lambda b: hashlib.sha256(b).digest()
    /// def root(items):
    ///     l=[h(x) for x in items]
    ///     while len(l)>1:
    ///         if len(l)%2: l.append(l[-1])
    ///         l=[h(l[i]+l[i+1]) for i in range(0,len(l),2)]
    ///     return l[0].hex()
    /// for n in [1,2,4,5,6,7,8,9,16,17]: print(n, root([b"node%d"%i for i in range(1,n+1)]))'
    /// ```
    @Test(arguments: [
        (1, "ca12f31b8cbf5f29e268ea64c20a37f3d50b539d891db0c3ebc7c0f66b1fb98a"),
        (2, "64b04b718d8b7c5b6fd17f7ec221945c034cfce3be4118da33244966150c4bd4"),
        (4, "b698d822f9dbf3099c0aa30ba8120f48f3c92753be4eedb3f8cc99eb934cc3fb"),
        (5, "0ccea9694561f79e2edff0e1a0d22065344b7eb2cbee9eb8a8c715e67107dbd0"),
        (6, "34ef02c1bec20b25bd9247939ce829fab062c550232058d5287c78de66719393"),
        (7, "f28ae166b5ed0081d5a26469ff596a36f2a7be9aa0333dcc74154fa260134c32"),
        (8, "38c456cfef483f85c116a37a6c6f73791a91a53e2445533311ad5c54b1054226"),
        (9, "8c7c61e76d621b37cf47da3169988e8ab5cf5e5bad01657d69a429f7108c3d6e"),
        (16, "555fed2ff58ea2588be9fbf008fcf0dd269e1045a9314c3402b96af5a2054724"),
        (17, "799c2f26f419112853c7bf738901948f45f051b244d271a1adf1c4e1c60052d0"),
    ])
    func pythonCrossCheckedRoots(count: Int, expected: String) throws {
        let tree = try MerkleTree(merkleItems(count))
        #expect(merkleHex(tree.root) == expected)
        #expect(tree.root.count == 32)
        #expect(tree.count == count)
        #expect(tree.levels.count == MerkleTree.depth(forCount: count) + 1)
    }

    @Test func oneItemRootIsItsLeafHash() throws {
        let tree = try MerkleTree([Array("node1".utf8)])
        // python3 -c 'import hashlib;print(hashlib.sha256(b"node1").hexdigest())'
        #expect(merkleHex(tree.root) == "ca12f31b8cbf5f29e268ea64c20a37f3d50b539d891db0c3ebc7c0f66b1fb98a")
        #expect(tree.levels == [[tree.root]])
        let proof = try tree.proof(forItem: 0)
        #expect(proof.steps.isEmpty)
        #expect(proof.verify(item: Array("node1".utf8), root: tree.root))
        #expect(!proof.verify(item: Array("node2".utf8), root: tree.root))
    }

    @Test func zeroItemsThrows() {
        #expect(throws: MerkleError("no items: a Merkle tree needs at least one item")) {
            try MerkleTree([])
        }
    }

    @Test func levelShapesPadOnEveryOddLevel() throws {
        // 5 → 3 → 2 → 1 and 10 → 5 → 3 → 2 → 1: the odd middle levels that panic in Jeiwan's code.
        #expect(try MerkleTree(merkleItems(5)).levels.map(\.count) == [5, 3, 2, 1])
        #expect(try MerkleTree(merkleItems(10)).levels.map(\.count) == [10, 5, 3, 2, 1])
        let five = try MerkleTree(merkleItems(5))
        let l = five.levels
        #expect(l[1][2] == MerkleTree.nodeHash(l[0][4], l[0][4]))
        #expect(l[2][1] == MerkleTree.nodeHash(l[1][2], l[1][2]))
        #expect(l[3][0] == MerkleTree.nodeHash(l[2][0], l[2][1]))
    }

    /// An independent recursive definition (pad the list to an even length at each level by
    /// duplicating the last hash) agrees with the tree for 1…40 items.
    @Test func matchesIndependentDefinitionUpTo40() throws {
        func reference(_ hashes: [[UInt8]]) -> [UInt8] {
            if hashes.count == 1 { return hashes[0] }
            let padded = hashes.count % 2 == 0 ? hashes : hashes + [hashes.last!]
            return reference(stride(from: 0, to: padded.count, by: 2).map {
                MerkleTree.nodeHash(padded[$0], padded[$0 + 1])
            })
        }
        for n in 1...40 {
            let items = merkleItems(n)
            #expect(try MerkleTree(items).root == reference(items.map(MerkleTree.leafHash)), "n=\(n)")
        }
    }

    // MARK: Proofs

    @Test func everyProofVerifiesForCounts1Through40() throws {
        for n in 1...40 {
            let items = merkleItems(n)
            let tree = try MerkleTree(items)
            for i in 0..<n {
                let proof = try tree.proof(forItem: i)
                #expect(proof.index == i)
                #expect(proof.steps.count == MerkleTree.depth(forCount: n))
                #expect(proof.verify(item: items[i], root: tree.root), "n=\(n) i=\(i)")
                #expect(proof.verify(leafHash: MerkleTree.leafHash(items[i]), root: tree.root))
                #expect(proof.verify(item: items[i], root: tree.root, leafCount: n))
            }
        }
    }

    @Test func proofIndexOutOfRangeThrows() throws {
        let tree = try MerkleTree(merkleItems(5))
        #expect(throws: MerkleError("item index 5 out of range 0..<5")) { try tree.proof(forItem: 5) }
        #expect(throws: MerkleError("item index -1 out of range 0..<5")) { try tree.proof(forItem: -1) }
    }

    @Test func tamperedItemFails() throws {
        for n in 1...17 {
            let items = merkleItems(n)
            let tree = try MerkleTree(items)
            for i in 0..<n {
                let proof = try tree.proof(forItem: i)
                #expect(!proof.verify(item: items[i] + [0], root: tree.root))
                #expect(!proof.verify(item: merkleFlip(items[i]), root: tree.root))
                // Another item of the same tree fails under this proof, except an identical one.
                let other = items[(i + 1) % n]
                if other != items[i] { #expect(!proof.verify(item: other, root: tree.root)) }
            }
        }
    }

    @Test func tamperedSiblingFails() throws {
        for n in 2...17 {
            let items = merkleItems(n)
            let tree = try MerkleTree(items)
            for i in 0..<n {
                let proof = try tree.proof(forItem: i)
                for k in proof.steps.indices {
                    for byte in [0, 31] {
                        var bad = proof
                        bad.steps[k].sibling = merkleFlip(bad.steps[k].sibling, at: byte)
                        #expect(!bad.verify(item: items[i], root: tree.root), "n=\(n) i=\(i) k=\(k)")
                    }
                    var short = proof
                    short.steps[k].sibling.removeLast()
                    #expect(!short.verify(item: items[i], root: tree.root))
                }
            }
        }
    }

    /// Includes the self-paired last node of an odd level, where H(x‖x) is the same on either
    /// side: the side-vs-index check must still reject it.
    @Test func wrongSideFails() throws {
        for n in 2...17 {
            let items = merkleItems(n)
            let tree = try MerkleTree(items)
            for i in 0..<n {
                let proof = try tree.proof(forItem: i)
                for k in proof.steps.indices {
                    var bad = proof
                    bad.steps[k].siblingOnLeft.toggle()
                    #expect(!bad.verify(item: items[i], root: tree.root), "n=\(n) i=\(i) k=\(k)")
                }
            }
        }
    }

    @Test func wrongRootFails() throws {
        for n in 1...17 {
            let items = merkleItems(n)
            let tree = try MerkleTree(items)
            let otherRoot = try MerkleTree(merkleItems(n + 1)).root
            for i in 0..<n {
                let proof = try tree.proof(forItem: i)
                #expect(!proof.verify(item: items[i], root: merkleFlip(tree.root, at: 31)))
                #expect(!proof.verify(item: items[i], root: otherRoot))
                #expect(!proof.verify(item: items[i], root: Array(tree.root.dropLast())))
                #expect(!proof.verify(item: items[i], root: []))
            }
        }
    }

    @Test func wrongIndexOrTruncatedProofFails() throws {
        let items = merkleItems(9)
        let tree = try MerkleTree(items)
        for i in 0..<9 {
            let proof = try tree.proof(forItem: i)
            var moved = proof
            moved.index = i ^ 1
            #expect(!moved.verify(item: items[i], root: tree.root))
            var huge = proof
            huge.index = i + (1 << proof.steps.count)
            #expect(!huge.verify(item: items[i], root: tree.root))
            var negative = proof
            negative.index = -1
            #expect(!negative.verify(item: items[i], root: tree.root))
            var truncated = proof
            truncated.steps.removeLast()
            #expect(!truncated.verify(item: items[i], root: tree.root))
            #expect(!proof.verify(item: items[i], root: tree.root, leafCount: i))
            #expect(!proof.verify(item: items[i], root: tree.root, leafCount: 17))
        }
    }

    @Test func proofCodableRoundTrip() throws {
        let tree = try MerkleTree(merkleItems(5))
        let proof = try tree.proof(forItem: 4)
        let decoded = try JSONDecoder().decode(MerkleProof.self, from: JSONEncoder().encode(proof))
        #expect(decoded == proof)
        #expect(decoded.verify(item: Array("node5".utf8), root: tree.root))
        // Levels 5 → 3 → 2 → 1: item 4 ends odd levels 0 and 1, so it is paired with itself twice.
        #expect(proof.steps.map(\.siblingOnLeft) == [false, false, true])
        #expect(proof.steps.map(\.sibling) == [tree.levels[0][4], tree.levels[1][2], tree.levels[2][0]])
    }

    @Test func equatableAndOrderSensitive() throws {
        #expect(try MerkleTree(merkleItems(5)) == MerkleTree(merkleItems(5)))
        let swapped = [Array("node2".utf8), Array("node1".utf8)]
        #expect(try MerkleTree(swapped).root != MerkleTree(merkleItems(2)).root)
    }

    // MARK: Documented caveats (Bitcoin's rule, kept on purpose)

    /// Duplicating the last node means [n1,n2,n3] and [n1,n2,n3,n3] share a root — which is also
    /// why Jeiwan's 3-item vector (item duplicated) equals ours (leaf duplicated).
    @Test func duplicationMalleabilityIsDocumentedBehaviour() throws {
        let three = try MerkleTree(merkleItems(3))
        let four = try MerkleTree(merkleItems(3) + [Array("node3".utf8)])
        #expect(three.root == four.root)
        #expect(three.levels != four.levels)
    }

    /// Without leaf/node domain separation, an inner node's `left ‖ right` passes as a 64-byte
    /// "item" with a shorter proof; `verify(item:root:leafCount:)` rejects it by proof length.
    @Test func innerNodeAsItemRejectedWhenLeafCountKnown() throws {
        let tree = try MerkleTree(merkleItems(4))
        let fake = tree.levels[0][0] + tree.levels[0][1]
        let forged = MerkleProof(index: 0, steps: [.init(sibling: tree.levels[1][1], siblingOnLeft: false)])
        #expect(forged.verify(item: fake, root: tree.root))
        #expect(!forged.verify(item: fake, root: tree.root, leafCount: 4))
    }
}
