// Small value types shared by the election and ZAB code: roles, votes, log entries, request ids,
// configuration and the typed errors of the ensemble's commands.

/// The peer states of QuorumPeer.ServerState that a voting member can be in (OBSERVING is not
/// modelled: every server votes). Raw values are the names ZooKeeper logs.
public enum Role: String, Codable, Sendable, CaseIterable {
    case looking = "LOOKING"
    case following = "FOLLOWING"
    case leading = "LEADING"
}

/// A vote as FastLeaderElection's `Vote` class holds it: the proposed leader, its last logged zxid,
/// the election round (`electionEpoch` / `logicalclock`) the vote was cast in, the proposed
/// leader's ZAB epoch (`peerEpoch`), and the state of the server that sent it (zookeeper.md §1).
public struct Vote: Codable, Equatable, Sendable, CustomStringConvertible {
    public var leader: Int
    public var zxid: Zxid
    public var round: Int64
    public var peerEpoch: Int64
    public var state: Role

    public init(leader: Int, zxid: Zxid, round: Int64, peerEpoch: Int64, state: Role = .looking) {
        self.leader = leader
        self.zxid = zxid
        self.round = round
        self.peerEpoch = peerEpoch
        self.state = state
    }

    /// FastLeaderElection.totalOrderPredicate(new: self, current: other): a higher peerEpoch wins,
    /// then a higher zxid, then a higher sid (zookeeper.md §1 "Total order").
    public func beats(_ other: Vote) -> Bool {
        if peerEpoch != other.peerEpoch { return peerEpoch > other.peerEpoch }
        if zxid != other.zxid { return zxid > other.zxid }
        return leader > other.leader
    }

    /// Why `self` beats `other` in the total order, for the "why" notes.
    func winReason(over other: Vote) -> String {
        if peerEpoch != other.peerEpoch { return "higher peerEpoch" }
        if zxid != other.zxid { return "higher zxid" }
        return "higher sid"
    }

    /// `Vote.equals` of ZooKeeper 3.8: when either vote is LOOKING, leader, zxid, round and
    /// peerEpoch must all agree; votes of servers out of the election (FOLLOWING/LEADING) agree
    /// when they name the same leader and peerEpoch.
    func agrees(with other: Vote) -> Bool {
        if state == .looking || other.state == .looking {
            return leader == other.leader && zxid == other.zxid && round == other.round && peerEpoch == other.peerEpoch
        }
        return leader == other.leader && peerEpoch == other.peerEpoch
    }

    /// `(leader 3, zxid 0x0, peerEpoch 0)`: the part of a vote the total order looks at.
    public var description: String { "(leader \(leader), zxid \(zxid), peerEpoch \(peerEpoch))" }
}

/// One entry of a server's record of received votes (recvset), for views.
public struct HeldVote: Codable, Equatable, Sendable {
    public var sid: Int
    public var vote: Vote
}

/// Identifies a client request: the server the client submitted it to and that server's counter.
public struct RequestID: Codable, Hashable, Sendable, CustomStringConvertible {
    public var sid: Int
    public var counter: Int

    public init(sid: Int, counter: Int) {
        self.sid = sid
        self.counter = counter
    }

    /// `s2#5`.
    public var description: String { "s\(sid)#\(counter)" }
}

/// One accepted proposal in a server's transaction log. `timeMs` is the leader's simulated time
/// when it proposed the txn (ZooKeeper stamps txns at the leader); `origin` is the client request
/// it came from (ZooKeeper's TxnHeader carries the client's session and cxid the same way).
public struct LogEntry<Payload: Codable & Equatable & Sendable>: Codable, Equatable, Sendable {
    public var zxid: Zxid
    public var payload: Payload
    public var timeMs: Int64
    public var origin: RequestID?

    public init(zxid: Zxid, payload: Payload, timeMs: Int64, origin: RequestID? = nil) {
        self.zxid = zxid
        self.payload = payload
        self.timeMs = timeMs
        self.origin = origin
    }
}

/// A snapshot: the state after applying every txn up to and including `zxid` (FileSnap names
/// the file `snapshot.<zxid>` the same way).
public struct Snapshot<State: ReplicatedState>: Codable, Equatable, Sendable {
    public var zxid: Zxid
    public var state: State

    public init(zxid: Zxid = .zero, state: State = State()) {
        self.zxid = zxid
        self.state = state
    }
}

/// An inclusive zxid range, e.g. a committed-log window `[minCommittedLog, maxCommittedLog]`.
public struct ZxidRange: Codable, Equatable, Sendable, CustomStringConvertible {
    public var min: Zxid
    public var max: Zxid

    public var description: String { "[\(min), \(max)]" }
}

/// A leader that started serving epoch `epoch` (it had a quorum of NEWLEADER acks).
public struct EpochLeader: Codable, Equatable, Sendable {
    public var epoch: Int64
    public var sid: Int
    public var timeMs: Int64
}

/// Ensemble settings (zoo.cfg names where they exist).
public struct EnsembleConfig: Codable, Equatable, Sendable {
    /// zoo.cfg `tickTime`.
    public var tickTimeMs: Int64
    /// zoo.cfg `initLimit` (ticks to connect and sync with a leader).
    public var initLimit: Int64
    /// zoo.cfg `syncLimit` (ticks a follower may be out of touch with its leader).
    public var syncLimit: Int64
    /// FastLeaderElection.finalizeWait.
    public var finalizeWaitMs: Int64
    /// FastLeaderElection.maxNotificationInterval.
    public var maxNotificationIntervalMs: Int64
    /// Latency of every link unless set with `setLatency`.
    public var defaultLatencyMs: Int64
    /// ZKDatabase.commitLogCount: the in-memory committed-log window used for DIFF syncs.
    public var commitLogCount: Int
    /// Learner `leaderConnectDelayDuringRetryMs`: pause between connection attempts to a leader.
    public var leaderConnectRetryMs: Int64
    /// Learner.connectToLeader gives up after this many refused attempts.
    public var leaderConnectTries: Int

    public init(tickTimeMs: Int64 = 2000, initLimit: Int64 = 10, syncLimit: Int64 = 5, finalizeWaitMs: Int64 = 200,
                maxNotificationIntervalMs: Int64 = 60_000, defaultLatencyMs: Int64 = 1, commitLogCount: Int = 500,
                leaderConnectRetryMs: Int64 = 100, leaderConnectTries: Int = 5) {
        self.tickTimeMs = tickTimeMs
        self.initLimit = initLimit
        self.syncLimit = syncLimit
        self.finalizeWaitMs = finalizeWaitMs
        self.maxNotificationIntervalMs = maxNotificationIntervalMs
        self.defaultLatencyMs = defaultLatencyMs
        self.commitLogCount = commitLogCount
        self.leaderConnectRetryMs = leaderConnectRetryMs
        self.leaderConnectTries = leaderConnectTries
    }

    /// initLimit × tickTime: how long discovery and synchronisation may take.
    public var initLimitMs: Int64 { initLimit * tickTimeMs }
    /// syncLimit × tickTime: how long a leader and a follower may go without hearing each other.
    public var syncLimitMs: Int64 { syncLimit * tickTimeMs }
}

/// Silently drops every message that matches: nil fields match anything.
public struct DropRule: Codable, Equatable, Sendable, CustomStringConvertible {
    public var type: MessageType?
    public var from: Int?
    public var to: Int?

    public init(type: MessageType? = nil, from: Int? = nil, to: Int? = nil) {
        self.type = type
        self.from = from
        self.to = to
    }

    func matches(type t: MessageType, from f: Int, to d: Int) -> Bool {
        (type == nil || type == t) && (from == nil || from == f) && (to == nil || to == d)
    }

    /// `drop ACK s1→*`.
    public var description: String {
        "drop \(type?.rawValue ?? "*") \(from.map { "s\($0)" } ?? "*")→\(to.map { "s\($0)" } ?? "*")"
    }
}

/// Why a command was refused; the ensemble is left unchanged.
public enum EnsembleError: Error, Equatable, Sendable, CustomStringConvertible {
    /// No server has this sid (sids are 1…size).
    case unknownServer(Int)
    /// The server is not running (kill it first / restart it).
    case serverDown(Int)
    /// `restart` of a server that is running.
    case serverRunning(Int)
    /// `freeze` of a server that is already frozen.
    case serverFrozen(Int)
    /// `thaw` of a server that is not frozen.
    case serverNotFrozen(Int)
    /// The server is down, frozen, or not serving client requests (LOOKING or still syncing);
    /// ZooKeeper answers "This ZooKeeper instance is not currently serving requests".
    case notServing(Int)
    /// Latencies are ≥ 0 ms.
    case invalidLatency(Int64)
    /// Loss probabilities are in 0…1.
    case invalidLossProbability(Double)

    public var description: String {
        switch self {
        case let .unknownServer(sid): return "unknown server s\(sid)"
        case let .serverDown(sid): return "s\(sid) is down"
        case let .serverRunning(sid): return "s\(sid) is already running"
        case let .serverFrozen(sid): return "s\(sid) is already frozen"
        case let .serverNotFrozen(sid): return "s\(sid) is not frozen"
        case let .notServing(sid): return "s\(sid): This ZooKeeper instance is not currently serving requests"
        case let .invalidLatency(ms): return "latency \(ms) ms is negative"
        case let .invalidLossProbability(p): return "loss probability \(p) is not in 0…1"
        }
    }
}

/// A set of sids (1…31) as a bit mask: deterministic iteration in sid order, no hashing.
struct SidSet: Codable, Equatable, Sendable {
    var bits: UInt32 = 0

    init() {}
    init(_ sid: Int) { insert(sid) }

    mutating func insert(_ sid: Int) { bits |= 1 << UInt32(sid) }
    mutating func remove(_ sid: Int) { bits &= ~(1 << UInt32(sid)) }
    func contains(_ sid: Int) -> Bool { bits & (1 << UInt32(sid)) != 0 }
    var count: Int { bits.nonzeroBitCount }
    var sids: [Int] { (1..<32).filter { contains($0) } }
    /// ZooKeeper's ack-set rendering, e.g. `1,3`.
    var listed: String { sids.map(String.init).joined(separator: ",") }
}
