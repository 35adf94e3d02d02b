// One server's state: the durable part that survives kill/restart (log, snapshot, epochs —
// ZooKeeper's data dir with its txn logs, snapshots, `currentEpoch` and `acceptedEpoch` files)
// and the volatile part (role, election bookkeeping, applied state, leader/follower sessions).

/// The in-memory committed-log window (ZKDatabase.committedLog): the last `commitLogCount`
/// committed proposals, kept in a ring so appending is O(1) and reading is index arithmetic.
struct CommittedWindow<Payload: Codable & Equatable & Sendable>: Codable, Equatable, Sendable {
    private(set) var ring: [LogEntry<Payload>] = []
    /// Index of the oldest entry in `ring`.
    private(set) var head = 0

    var count: Int { ring.count }
    var isEmpty: Bool { ring.isEmpty }

    /// The i-th oldest entry.
    subscript(i: Int) -> LogEntry<Payload> { ring[(head + i) % ring.count] }

    var range: ZxidRange? {
        guard !ring.isEmpty else { return nil }
        return ZxidRange(min: self[0].zxid, max: self[ring.count - 1].zxid)
    }

    mutating func removeAll() {
        ring.removeAll()
        head = 0
    }

    mutating func append(_ entry: LogEntry<Payload>, capacity: Int) {
        guard capacity > 0 else { removeAll(); return }
        if ring.count == capacity {
            ring[head] = entry
            head = (head + 1) % capacity
            return
        }
        if head != 0 || ring.count > capacity {
            // The capacity changed since the ring filled up: lay it out oldest-first again.
            let ordered = (0..<ring.count).map { self[$0] }
            ring = Array(ordered.suffix(capacity - 1))
            head = 0
        }
        ring.append(entry)
    }

    /// Binary search for `zxid`; the index (oldest = 0) of the first entry with zxid ≥ `zxid`.
    func lowerBound(_ zxid: Zxid) -> Int {
        var low = 0, high = ring.count
        while low < high {
            let mid = (low + high) / 2
            if self[mid].zxid < zxid { low = mid + 1 } else { high = mid }
        }
        return low
    }
}

/// FLE bookkeeping of one lookForLeader run.
struct ElectionState: Codable, Equatable, Sendable {
    /// `logicalclock`: the round.
    var logicalClock: Int64 = 0
    /// My current proposal (round = logicalClock, state LOOKING).
    var proposal = Vote(leader: 0, zxid: .zero, round: 0, peerEpoch: 0)
    /// The vote I started this election with (getInitId, getInitLastLoggedZxid, getPeerEpoch).
    var initVote = Vote(leader: 0, zxid: .zero, round: 0, peerEpoch: 0)
    /// recvset, indexed by sid − 1.
    var recvset: [Vote?] = []
    /// outofelection, indexed by sid − 1.
    var outOfElection: [Vote?] = []
    /// notTimeout: starts at finalizeWait, doubles up to maxNotificationInterval.
    var notTimeoutMs: Int64 = 0
    /// In the finalize wait (a quorum agrees on my proposal; waiting for a better notification).
    var finalizing = false
    var finalizeStartMs: Int64 = 0
}

/// Where a follower is in its handshake with the leader (Learner.registerWithLeader,
/// Learner.syncWithLeader, Follower.followLeader).
enum FollowerPhase: Int, Codable, Comparable, Sendable {
    /// FOLLOWERINFO sent, waiting for LEADERINFO.
    case connecting
    /// ACKEPOCH sent, waiting for DIFF/TRUNC/SNAP.
    case epochAcked
    /// Sync packet applied, waiting for NEWLEADER.
    case syncReceived
    /// NEWLEADER acked, waiting for UPTODATE.
    case newLeaderAcked
    /// Serving clients, following the broadcast.
    case broadcast

    static func < (a: FollowerPhase, b: FollowerPhase) -> Bool { a.rawValue < b.rawValue }
}

struct FollowerState: Codable, Equatable, Sendable {
    var leader: Int
    var conn: Int
    var phase: FollowerPhase = .connecting
    /// Connection attempts so far (Learner.connectToLeader tries 5 times).
    var tries = 1
    /// The leader synced it by DIFF: Learner.syncWithLeader then takes no snapshot at NEWLEADER
    /// (snapshotNeeded = false), so its log keeps the txns since its last snapshot.
    var diffSynced = false
}

/// Where a leader is in establishing its epoch (Leader.lead).
enum LeaderPhase: String, Codable, Sendable {
    /// getEpochToPropose: waiting for a quorum of FOLLOWERINFO.
    case discovery
    /// waitForEpochAck: waiting for a quorum of ACKEPOCH.
    case awaitingEpochAcks
    /// waitForNewLeaderAck: waiting for a quorum of NEWLEADER acks.
    case awaitingNewLeaderAcks
    /// Serving: broadcasting proposals.
    case serving
}

/// The leader's view of one follower connection (LearnerHandler).
enum HandlerPhase: Int, Codable, Comparable, Sendable {
    case connected
    case leaderInfoSent
    case epochAcked
    /// Sync packet and NEWLEADER sent; in forwardingFollowers (gets PROPOSAL/COMMIT).
    case forwarding
    /// NEWLEADER acked: counts as synced.
    case synced

    static func < (a: HandlerPhase, b: HandlerPhase) -> Bool { a.rawValue < b.rawValue }
}

struct LearnerHandler: Codable, Equatable, Sendable {
    var conn: Int
    var phase: HandlerPhase
    var acceptedEpoch: Int64
    var peerLastZxid: Zxid
    /// Highest proposal zxid this follower acked on this connection (acks are cumulative).
    var ackedThrough: Zxid = .zero
}

/// A client sync waiting for the proposals before it to commit.
struct PendingSync: Codable, Equatable, Sendable {
    var sid: Int
    var conn: Int
    var id: RequestID
    var after: Zxid
}

struct LeaderState: Codable, Equatable, Sendable {
    /// Identifies this leadership (timers of an earlier one are stale).
    var id: UInt64
    var phase: LeaderPhase = .discovery
    var newEpoch: Int64 = -1
    var connecting = SidSet()
    var maxAcceptedEpoch: Int64
    var electing = SidSet()
    var newLeaderAcks = SidSet()
    /// Indexed by sid − 1.
    var handlers: [LearnerHandler?]
    /// Leader.lastProposed.
    var lastProposed: Zxid = .zero
    var pendingSyncs: [PendingSync] = []
    /// leaderStateSummary: (currentEpoch, lastProcessedZxid) when leading started.
    var summaryEpoch: Int64
    var summaryZxid: Zxid
    var startedMs: Int64
}

/// Client requests submitted to one server and not applied there yet, oldest first.
struct PendingRequests: Codable, Equatable, Sendable {
    private(set) var ids: [RequestID] = []
    private(set) var head = 0

    var list: [RequestID] { Array(ids[head...]) }

    mutating func append(_ id: RequestID) { ids.append(id) }

    mutating func removeAll() {
        ids.removeAll()
        head = 0
    }

    mutating func remove(_ id: RequestID) {
        if head < ids.count, ids[head] == id {
            head += 1
            if head == ids.count {
                removeAll()
            } else if head > 1024, head * 2 > ids.count {
                ids.removeFirst(head)
                head = 0
            }
        } else if let i = ids[head...].firstIndex(of: id) {
            ids.remove(at: i)
        }
    }
}

/// One server's scalar and bookkeeping state. Not generic, so the hot paths that read it compile
/// to concrete code even where the ensemble is used unspecialised; the log, snapshot, applied
/// state and committed-log window live in the ensemble's per-server generic arrays.
struct Server: Codable, Equatable, Sendable {
    let sid: Int
    var alive = false
    var frozen = false

    // MARK: Durable (survives kill/restart)

    /// The last epoch whose NEWLEADER this server acked (or that it led).
    var currentEpoch: Int64 = 0
    /// The last epoch proposed to it in LEADERINFO (or that it proposed as leader).
    var acceptedEpoch: Int64 = 0
    var snapshotZxid: Zxid = .zero
    /// Cached from the log: the zxid of its last entry, else the snapshot's
    /// (QuorumPeer.getLastLoggedZxid after a load).
    var lastLoggedZxid: Zxid = .zero
    /// Cached: number of log entries after the snapshot.
    var logCount = 0

    // MARK: Volatile

    var role: Role = .looking
    var serving = false
    var lastProcessedZxid: Zxid = .zero
    /// The applied state is the snapshot plus log[..<appliedIndex].
    var appliedIndex = 0
    var election = ElectionState()
    /// The vote this server decided on (QuorumPeer.getCurrentVote), sent to LOOKING peers.
    var currentVote = Vote(leader: 0, zxid: .zero, round: 0, peerEpoch: 0)
    var follower: FollowerState?
    var leadership: LeaderState?
    var notTimeoutToken: UInt64 = 0
    var finalizeToken: UInt64 = 0
    var phaseToken: UInt64 = 0
    var retryToken: UInt64 = 0

    init(sid: Int) { self.sid = sid }

    var running: Bool { alive && !frozen }

    /// Forgets everything volatile (the process died).
    mutating func resetVolatile() {
        role = .looking
        serving = false
        lastProcessedZxid = .zero
        appliedIndex = 0
        election = ElectionState()
        currentVote = Vote(leader: 0, zxid: .zero, round: 0, peerEpoch: 0)
        follower = nil
        leadership = nil
        notTimeoutToken = 0
        finalizeToken = 0
        phaseToken = 0
        retryToken = 0
    }
}
