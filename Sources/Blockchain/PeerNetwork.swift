import SimKit

// Jeiwan's "Building Blockchain in Go" part 7 (Network), as a pure simulation on simulated time,
// without the tutorial's central-node hack.
//
// Model summary (what follows part 7 and where it deliberately differs; details on each method):
// - Nodes are named by their NODE_ID port (3000, 3001, …) and a letter (A, B, …). Each starts from
//   the same genesis block (the tutorial copies blockchain_genesis.db to every node) and holds its
//   own validating `Ledger`.
// - Topology: a FULL MESH. Every node's `knownNodes` lists every other node from the start (part 7
//   hard-codes `knownNodes = ["localhost:3000"]` and routes everything through that central node).
//   A node that joins later (`addNode`) knows everyone and is learnt by each peer when its
//   `version` arrives (part 7's rule: an unknown sender is appended to knownNodes).
// - Messages are part 7's: version, getblocks, inv, getdata, block, tx, with its payload fields.
//   Each is delivered after the link's latency (default 50 ms) in (time, sequence) order; the
//   tutorial opens one TCP connection per message.
// - Received blocks are VALIDATED (`Ledger.accept`; part 7 has a "TODO: verify" and adds them
//   blindly). Invalid blocks are logged with their fault and never relayed; orphans make the node
//   send `getblocks` to the peer that sent them; accepted blocks that extend the best chain or
//   reorganize it are announced with `inv` to the other peers (part 7 has no relay of received
//   blocks: only its miner announces, to everyone it knows).
// - Partitions drop messages between groups at delivery time (logged as dropped; the sender is not
//   told — part 7's sender would get "is not available" and forget the node). Healing makes the
//   separated pairs exchange `version` again, which syncs them; forks resolve by most work.
// - Everything is a value: `Codable`, `Equatable`, no I/O, no wall clock. The seed only drives the
//   optional latency jitter. Same calls ⇒ same state and log.

/// Settings of a `PeerNetwork`.
public struct PeerNetworkConfig: Codable, Equatable, Sendable {
    /// Default one-way latency of every link.
    public var latencyMs: Int64
    /// Up to this many extra milliseconds per message, drawn from the seeded generator (0 = none).
    /// With jitter two messages on one link may overtake each other, as part 7's one-connection-per-
    /// message transport allows.
    public var jitterMs: Int64
    /// How long an automatic miner waits after its mempool reaches the threshold before it mines.
    public var minerDelayMs: Int64
    /// Mempool size at which an automatic miner mines. Default 1 (the fix of commit e210c43);
    /// the tutorial's blog code waits for ≥ 2 transactions (`len(mempool) >= 2`).
    public var minerThreshold: Int
    /// Proof-of-work attempts allowed per mined block.
    public var maxAttempts: Int64
    /// The log keeps at most this many entries; older ones are dropped (counted in `trimmedLogEntries`).
    public var logCapacity: Int

    public init(latencyMs: Int64 = 50, jitterMs: Int64 = 0, minerDelayMs: Int64 = 1_000, minerThreshold: Int = 1,
                maxAttempts: Int64 = 50_000_000, logCapacity: Int = 10_000) {
        self.latencyMs = max(0, latencyMs)
        self.jitterMs = max(0, jitterMs)
        self.minerDelayMs = max(0, minerDelayMs)
        self.minerThreshold = max(1, minerThreshold)
        self.maxAttempts = max(1, maxAttempts)
        self.logCapacity = max(1, logCapacity)
    }
}

/// A block a node has heard of (by `inv`) and not received yet, and the peer it will ask.
public struct BlockInTransit: Codable, Equatable, Sendable {
    public var hash: [UInt8]
    public var peer: Int
    public init(hash: [UInt8], peer: Int) {
        self.hash = hash
        self.peer = peer
    }
}

/// One simulated node (Jeiwan `startnode` with NODE_ID = `id`).
public struct PeerNode: Codable, Equatable, Sendable {
    /// The NODE_ID port: 3000, 3001, …
    public let id: Int
    /// "A", "B", … (then "N26", "N27", …).
    public let name: String
    public internal(set) var ledger: Ledger
    /// Jeiwan `knownNodes`: the ids of the peers this node sends to, in the order it learnt them.
    public internal(set) var knownNodes: [Int]
    /// Jeiwan `blocksInTransit`: announced blocks not requested yet, in request order. Unlike part
    /// 7 each remembers which peer announced it (so the request goes to a peer that has it).
    public internal(set) var blocksInTransit: [BlockInTransit]
    /// The block requested with `getdata` and not received yet (part 7 keeps no such record).
    public internal(set) var awaitingBlock: BlockInTransit?
    /// Jeiwan `startnode -miner ADDRESS`: the public-key hash coinbases pay to; nil = not a miner.
    public internal(set) var minerPublicKeyHash: [UInt8]?
    /// Whether this miner mines by itself when its mempool reaches the threshold (part 7's miner).
    public internal(set) var autoMine: Bool
    /// When the automatic miner's timer fires, if armed.
    public internal(set) var miningDueMs: Int64?
    /// False while `disconnect`ed: every message to or from it is dropped.
    public internal(set) var connected: Bool
    /// Blocks this node offers without having accepted them (`announceBlock`, a dishonest miner).
    public internal(set) var offeredBlocks: [LedgerBlock]

    public var address: String { PeerNetwork.address(of: id) }
    /// Announced blocks still to arrive: the awaited one plus those in transit.
    public var inTransitCount: Int { blocksInTransit.count + (awaitingBlock == nil ? 0 : 1) }
}

/// What the REPL shows per node.
public struct PeerNodeSummary: Codable, Equatable, Sendable {
    public var id: Int
    public var name: String
    public var address: String
    public var height: Int
    public var tipHash: [UInt8]
    public var totalWork: Double
    public var mempoolSize: Int
    /// Addresses of the known peers, e.g. "localhost:3001".
    public var peers: [String]
    public var inTransit: Int
    public var isMiner: Bool
    public var autoMine: Bool
    public var connected: Bool
    /// The node's partition group (index into the groups given to `partition`), nil when healed.
    public var group: Int?
}

/// One node's best chain, genesis first, for drawing forks.
public struct NodeChain: Codable, Equatable, Sendable {
    public var id: Int
    public var name: String
    public var hashes: [[UInt8]]
}

/// Why a network call was refused; the network is unchanged after each.
public enum PeerNetworkError: Error, Equatable, Sendable, CustomStringConvertible {
    case unknownNode(Int)
    case notAMiner(Int)
    case ledger(LedgerError)
    case invalidPartition(String)
    case noNodes

    public var description: String {
        switch self {
        case let .unknownNode(id): "no node \(id) in the network"
        case let .notAMiner(id): "node \(id) has no miner address (set one with setMiner)"
        case let .ledger(error): error.description
        case let .invalidPartition(reason): "invalid partition: \(reason)"
        case .noNodes: "a network needs at least one node"
        }
    }
}

/// A peer-to-peer network of part-7 nodes, stepped one event at a time (see the file comment).
public struct PeerNetwork: Codable, Equatable, Sendable {
    /// Jeiwan `nodeVersion`.
    public static let nodeVersion = 1
    /// The first NODE_ID (the tutorial's central node 3000).
    public static let firstNodeID = 3000

    public var config: PeerNetworkConfig
    public let genesis: LedgerBlock
    /// Target bits of every node's ledger (blocks mined in the network).
    public let targetBits: Int
    public internal(set) var nodes: [PeerNode]
    /// Simulated time of the last event or command. Never goes backwards: a command given an
    /// earlier `nowMs` runs at this time instead.
    public internal(set) var nowMs: Int64
    /// The message log, oldest first, at most `config.logCapacity` entries (callers may also
    /// `clearLog()`); `trimmedLogEntries` counts the ones dropped from the front.
    public internal(set) var log: [NetLogEntry] = []
    public internal(set) var trimmedLogEntries = 0
    /// Partition group per node index; nil when not partitioned.
    public internal(set) var groups: [Int]?
    /// Per-link latency overrides, [from index][to index]; nil entries use `config.latencyMs`.
    var latency: [[Int64?]]
    var rng: SplitMix64
    var events: [NetEvent] = []
    var nextSequence: UInt64 = 0

    /// `nodes` nodes (clamped to 1…64) with ids 3000, 3001, …, every one with a ledger holding only
    /// `genesis`, all knowing all (a full mesh), none a miner. The clock starts at the genesis
    /// block's timestamp. `seed` seeds the latency jitter.
    public init(nodes count: Int, genesis: LedgerBlock, targetBits: Int, seed: UInt64,
                config: PeerNetworkConfig = PeerNetworkConfig()) throws(PeerNetworkError) {
        let n = min(max(count, 1), 64)
        var ledger = Ledger(targetBits: targetBits)
        do { _ = try ledger.accept(genesis) } catch { throw .ledger(error) }
        self.config = config
        self.genesis = genesis
        self.targetBits = ledger.targetBits
        let ids = (0..<n).map { PeerNetwork.firstNodeID + $0 }
        nodes = ids.map { id in
            PeerNode(id: id, name: PeerNetwork.name(ofIndex: id - PeerNetwork.firstNodeID), ledger: ledger,
                     knownNodes: ids.filter { $0 != id }, blocksInTransit: [], awaitingBlock: nil,
                     minerPublicKeyHash: nil, autoMine: false, miningDueMs: nil, connected: true, offeredBlocks: [])
        }
        let (start, overflow) = genesis.timestamp.multipliedReportingOverflow(by: 1000)
        nowMs = overflow ? 0 : max(0, start)
        latency = Array(repeating: Array(repeating: nil, count: n), count: n)
        rng = SplitMix64(seed: seed)
    }

    // MARK: names

    public static func address(of id: Int) -> String { "localhost:\(id)" }

    static func name(ofIndex i: Int) -> String {
        guard i >= 0, i < 26, let scalar = Unicode.Scalar(UInt32(65 + i)) else { return "N\(i)" }
        return String(Character(scalar))
    }

    /// The first 6 hex digits and an ellipsis, as the log writes hashes and ids.
    public static func short(_ hash: [UInt8]) -> String { String(ProofOfWork.hex(hash).prefix(6)) + "…" }

    // MARK: reading

    public var ids: [Int] { nodes.map(\.id) }

    public func node(_ id: Int) -> PeerNode? { index(of: id).map { nodes[$0] } }

    /// The node with that letter name ("A", "B", …).
    public func node(named name: String) -> PeerNode? { nodes.first { $0.name == name } }

    func index(of id: Int) -> Int? {
        let i = id - PeerNetwork.firstNodeID
        return nodes.indices.contains(i) ? i : nil
    }

    func checked(_ id: Int) throws(PeerNetworkError) -> Int {
        guard let i = index(of: id) else { throw .unknownNode(id) }
        return i
    }

    public var summaries: [PeerNodeSummary] {
        nodes.enumerated().map { i, node in
            PeerNodeSummary(id: node.id, name: node.name, address: node.address, height: node.ledger.height,
                            tipHash: node.ledger.tip?.hash ?? [], totalWork: node.ledger.totalWork,
                            mempoolSize: node.ledger.mempool.count, peers: node.knownNodes.map(PeerNetwork.address(of:)),
                            inTransit: node.inTransitCount, isMiner: node.minerPublicKeyHash != nil,
                            autoMine: node.autoMine, connected: node.connected, group: groups?[i])
        }
    }

    /// True when every node's best chain ends in the same block.
    public var tipsAgree: Bool {
        guard let first = nodes.first?.ledger.bestChain.last else { return false }
        return nodes.allSatisfy { $0.ledger.bestChain.last == first }
    }

    /// Every node's best chain, genesis first (draw a fork by comparing them).
    public var chains: [NodeChain] { nodes.map { NodeChain(id: $0.id, name: $0.name, hashes: $0.ledger.bestChain) } }

    /// The height of the last block every node's best chain shares (0 = only the genesis).
    public var commonHeight: Int {
        let all = nodes.map(\.ledger.bestChain)
        guard let shortest = all.map(\.count).min(), let first = all.first else { return -1 }
        var h = 0
        while h < shortest, all.allSatisfy({ $0[h] == first[h] }) { h += 1 }
        return h - 1
    }

    /// Pending events in the order they will run.
    public var pendingEvents: [NetEvent] { events.sorted { $0.precedes($1) } }

    /// When the next event is due, nil when nothing is pending (the network is quiet).
    public func nextEventTimeMs() -> Int64? { events.min { $0.precedes($1) }?.timeMs }

    // MARK: log

    /// Empties the log (e.g. after the REPL has shown it).
    public mutating func clearLog() {
        trimmedLogEntries += log.count
        log = []
    }

    mutating func record(_ entry: NetLogEntry) { log.append(entry) }

    mutating func note(_ node: Int?, _ type: String, _ summary: String, faultKind: String? = nil) {
        record(NetLogEntry(timeMs: nowMs, sentMs: nowMs, from: node, to: node, type: type, kind: .local,
                           summary: summary, faultKind: faultKind))
    }

    mutating func trimLog() {
        let excess = log.count - max(1, config.logCapacity)
        if excess > 0 {
            log.removeFirst(excess)
            trimmedLogEntries += excess
        }
    }

    /// The entries added since the log had `count` entries (before trimming), then trims.
    mutating func finish(since count: Int) -> [NetLogEntry] {
        let added = count <= log.count ? Array(log[count...]) : []
        trimLog()
        return added
    }

    /// `time + delay`, saturating at `Int64.max` (a clock run to the end of time does not trap).
    static func later(_ time: Int64, by delay: Int64) -> Int64 {
        let (sum, overflow) = time.addingReportingOverflow(delay)
        return overflow ? .max : sum
    }

    mutating func advance(to time: Int64) {
        if time > nowMs { nowMs = time }
    }

    /// The `BlockFault.kind` naming of a transaction fault ("double-spend", "signature", …).
    static func kind(of fault: TxFault) -> String { BlockFault.transaction(index: 0, txid: [], fault).kind }
}
