import SimKit

// A ZooKeeper 3.8 ensemble on simulated time: Fast Leader Election (zookeeper.md §1) and ZAB
// discovery, synchronisation and broadcast (§2) over a simulated network. A pure value: no I/O,
// no wall clock, no global randomness (one SplitMix64 seeded by `init`, used only for message
// loss). Callers pass the simulated time; `step` applies exactly one due event.
//
// Model summary (details in the Ensemble+*.swift files):
// - Network: directed links with a latency, a `blocked` flag and FIFO delivery. A blocked link
//   holds its messages (a TCP stream stalls) and delivers them, in order, when healed; drop rules
//   and the loss probability drop messages silently. Messages to a dead server are discarded; a
//   frozen server's messages and timers wait until it is thawed. Self-messages take no hop.
// - Heartbeats are implicit: two servers "hear each other" while both run and both links between
//   them are open. A fault that silences a leader/follower pair schedules a liveness check
//   syncLimit×tickTime later, so a quiet ensemble has an empty event queue. Closed connections
//   are events too: a killed process resets its connections (peers notice after one hop), a
//   server that leaves FOLLOWING/LEADING closes them.
// - ZAB packets carry the id of the leader–follower connection; packets of a closed connection
//   are ignored (an old epoch's leader, a follower that reconnected).
// - Leaving FOLLOWING/LEADING reloads the database from disk (snapshot + every logged txn),
//   like a restart, so a LOOKING server's state and vote reflect its whole log.

/// A simulated ZooKeeper ensemble of `size` voting servers replicating `State`, stepped one event
/// at a time on simulated time.
public struct Ensemble<State: ReplicatedState>: Codable, Equatable, Sendable {
    public typealias Payload = State.Payload

    /// How many history records are kept.
    public static var historyCapacity: Int { 5_000 }
    /// At most this many invariant violations are remembered.
    static var violationCapacity: Int { 100 }

    public var config: EnsembleConfig
    /// Number of voting servers (sids 1…size).
    public internal(set) var size: Int
    /// Strict majority of `size`; dead servers still count in `size`.
    public var quorumSize: Int { size / 2 + 1 }
    /// Messages matching any rule are dropped silently (never self-messages).
    public var dropRules: [DropRule] = []
    /// Probability that a message between two servers is lost (0…1).
    public internal(set) var lossProbability: Double = 0

    var nodes: [Server]
    /// Per server (index sid − 1): the transaction log after the snapshot, the snapshot, the
    /// applied state and the in-memory committed-log window.
    var logs: [[LogEntry<Payload>]]
    var snapshots: [Snapshot<State>]
    var states: [State]
    var windows: [CommittedWindow<Payload>]
    /// Per directed link (from−1)·size + (to−1).
    var latency: [Int64]
    var blocked: [Bool]
    var lastDeliverMs: [Int64]
    /// Per unordered pair (a < b), indexed like the link a→b: when the pair stopped hearing each
    /// other (nil while they hear each other), and the last silence that ended.
    var silenceSince: [Int64?]
    var lastSilence: [SilenceSpan?]
    var rng: SplitMix64
    var queue = EventHeap()
    /// Messages not delivered yet, by slot (the heap orders their headers); freed slots are reused.
    var messageSlots: [Message<State>?] = []
    var freeMessageSlots: [Int] = []
    /// Events for frozen servers, waiting for a thaw.
    var parked: [QueuedEvent] = []
    /// Messages on blocked links, waiting for a heal.
    var held: [QueuedEvent] = []
    /// Time of the last event or command.
    var clockMs: Int64 = 0
    var nextMessageID = 1
    /// Shared counter for timer tokens, leadership ids and connection ids.
    var nextToken: UInt64 = 1
    var records: [MessageRecord] = []
    /// Every leader that started serving, in order.
    public internal(set) var electedLeaders: [EpochLeader] = []
    /// Txns committed by serving leaders, in zxid order (for invariant checks).
    var committedHistory: [CommittedTxn<Payload>] = []
    var violations: [String] = []
    var requestCounters: [Int]
    var pending: [PendingRequests]
    /// What the current step did; empty between steps.
    var scratch = StepScratch<State>()

    enum CodingKeys: String, CodingKey {
        case config, size, dropRules, lossProbability, nodes, logs, snapshots, states, windows, latency, blocked,
             lastDeliverMs, silenceSince, lastSilence, rng, queue, messageSlots, freeMessageSlots, parked, held, clockMs, nextMessageID, nextToken, records, electedLeaders, committedHistory,
             violations, requestCounters, pending
    }

    /// An ensemble of `size` servers (clamped to 1…9), all stopped with empty data dirs; `start`
    /// boots them. `seed` seeds the generator behind message loss.
    public init(size: Int, config: EnsembleConfig = .init(), seed: UInt64) {
        let n = Swift.min(Swift.max(size, 1), 9)
        self.size = n
        self.config = config
        nodes = (1...n).map { Server(sid: $0) }
        logs = Array(repeating: [], count: n)
        snapshots = Array(repeating: Snapshot(), count: n)
        states = Array(repeating: State(), count: n)
        windows = Array(repeating: CommittedWindow(), count: n)
        latency = Array(repeating: config.defaultLatencyMs, count: n * n)
        blocked = Array(repeating: false, count: n * n)
        lastDeliverMs = Array(repeating: 0, count: n * n)
        silenceSince = Array(repeating: nil, count: n * n)
        lastSilence = Array(repeating: nil, count: n * n)
        rng = SplitMix64(seed: seed)
        requestCounters = Array(repeating: 0, count: n)
        pending = Array(repeating: PendingRequests(), count: n)
    }

    /// Test support: replaces a stopped server's data dir (log, snapshot, epochs).
    mutating func setDurableState(of sid: Int, log: [LogEntry<Payload>], snapshot: Snapshot<State> = .init(),
                                  currentEpoch: Int64, acceptedEpoch: Int64) throws {
        try checkSid(sid)
        guard !nodes[sid - 1].alive else { throw EnsembleError.serverRunning(sid) }
        replaceDisk(sid - 1, snapshot: snapshot, log: log)
        nodes[sid - 1].currentEpoch = currentEpoch
        nodes[sid - 1].acceptedEpoch = acceptedEpoch
    }

    // MARK: Running

    /// Boots every stopped server at once: each loads its data dir and starts LOOKING (round 1
    /// for a fresh process).
    public mutating func start(nowMs: Int64) {
        advanceClock(to: nowMs)
        for i in nodes.indices where !nodes[i].alive { boot(i) }
        scratch = StepScratch()
        refreshHearing()
        purgeHead()
    }

    /// When the next event is due (nil when nothing is pending).
    public func nextEventTimeMs() -> Int64? {
        queue.first.map { Swift.max($0.timeMs, clockMs) }
    }

    /// The time of the last event or command.
    public var timeMs: Int64 { clockMs }

    /// Applies exactly one event due at or before `nowMs` (earliest first, then in scheduling
    /// order) and reports it; nil when nothing is due.
    public mutating func step(nowMs: Int64) -> EnsembleStep<State>? {
        guard let what = advance(nowMs: nowMs, reporting: true) else { return nil }
        let report = EnsembleStep(timeMs: clockMs, what: what, notes: scratch.notes, applied: scratch.applied,
                                  syncsDone: scratch.syncsDone, roleChanges: scratch.roleChanges)
        scratch = StepScratch()
        return report
    }

    /// Runs one due event. Without `reporting`, notes and applies are not collected (the caller
    /// will not see them), which keeps `runUntilQuiet` cheap.
    mutating func advance(nowMs: Int64, reporting: Bool) -> StepKind<State>? {
        purgeHead()
        guard let head = queue.first, head.timeMs <= nowMs, let item = queue.pop() else { return nil }
        clockMs = Swift.max(clockMs, item.timeMs)
        scratch = StepScratch(reporting: reporting)
        let what: StepKind<State>
        switch item.event {
        case let .message(slot, _, _):
            guard let message = takeMessage(slot) else { return nil }
            what = deliver(message)
        case let .timer(timer):
            fire(timer)
            what = .timer(sid: timer.sid, timer.kind)
        case let .socketClosed(from, to, conn, reset):
            socketClosed(at: to, from: from, conn: conn, reset: reset)
            what = .timer(sid: to, .connectionClosed(peer: from))
        }
        purgeHead()
        return what
    }

    /// Steps every event, moving `nowMs` forward to each one, until nothing is pending or
    /// `maxEvents` events ran (an election that cannot finish never goes quiet). Returns how many ran.
    @discardableResult
    public mutating func runUntilQuiet(nowMs: inout Int64, maxEvents: Int) -> Int {
        var count = 0
        while count < maxEvents, let next = nextEventTimeMs() {
            nowMs = Swift.max(nowMs, next)
            if advance(nowMs: nowMs, reporting: false) != nil { count += 1 }
        }
        scratch = StepScratch()
        return count
    }

    // MARK: Views

    /// One row per server, in sid order.
    public var servers: [ServerView] { nodes.indices.map(view) }

    /// The applied state of a running server (nil if it is down or unknown).
    public func state(of sid: Int) -> State? {
        guard sid >= 1, sid <= size, nodes[sid - 1].alive else { return nil }
        return states[sid - 1]
    }

    /// The serving leader, if any (the one of the highest epoch if an old one has not noticed yet).
    public var leader: Int? {
        var best: (sid: Int, epoch: Int64)?
        for node in nodes where node.running && node.role == .leading && node.serving {
            if best == nil || node.currentEpoch > (best?.epoch ?? 0) { best = (node.sid, node.currentEpoch) }
        }
        return best?.sid
    }

    /// Messages not delivered yet, in delivery order (including those waiting on a blocked link
    /// or for a frozen server).
    public var inFlight: [Message<State>] {
        var items: [QueuedEvent] = []
        for item in queue.items + held + parked {
            if case .message = item.event { items.append(item) }
        }
        items.sort { $0.precedes($1) }
        return items.compactMap { item in
            if case let .message(slot, _, _) = item.event { return messageSlots[slot] }
            return nil
        }
    }

    /// The last `historyCapacity` delivered/dropped messages and decisions, oldest first.
    public var history: [MessageRecord] { Array(records.suffix(Self.historyCapacity)) }

    /// Client requests submitted to `sid` and not applied there yet, oldest first.
    public func requestsPending(at sid: Int) -> [RequestID] {
        guard sid >= 1, sid <= size else { return [] }
        return pending[sid - 1].list
    }

    /// Abandons the pending client requests of `sid` (its clients saw ConnectionLoss). A request
    /// already forwarded may still commit; it is then applied without a waiting client.
    public mutating func dropClientRequests(at sid: Int) {
        guard sid >= 1, sid <= size else { return }
        pending[sid - 1].removeAll()
    }

    func view(_ i: Int) -> ServerView {
        let node = nodes[i]
        var held: [HeldVote] = []
        if node.alive && node.role == .looking {
            for (j, vote) in node.election.recvset.enumerated() {
                if let vote { held.append(HeldVote(sid: j + 1, vote: vote)) }
            }
        }
        var leaderSid: Int?
        if node.alive {
            switch node.role {
            case .leading: leaderSid = node.sid
            case .following: leaderSid = node.follower?.leader
            case .looking: leaderSid = nil
            }
        }
        return ServerView(sid: node.sid, alive: node.alive, frozen: node.frozen, role: node.role,
                          serving: node.alive && node.serving, round: node.election.logicalClock,
                          proposal: node.role == .looking ? node.election.proposal : node.currentVote,
                          votesHeld: held, leader: leaderSid, acceptedEpoch: node.acceptedEpoch,
                          currentEpoch: node.currentEpoch, lastLoggedZxid: node.lastLoggedZxid,
                          lastProcessedZxid: node.lastProcessedZxid, committedLogWindow: windows[i].range,
                          snapshotZxid: node.snapshotZxid, logCount: node.logCount)
    }

    // MARK: Helpers

    func checkSid(_ sid: Int) throws {
        guard sid >= 1, sid <= size else { throw EnsembleError.unknownServer(sid) }
    }

    mutating func advanceClock(to nowMs: Int64) {
        if nowMs > clockMs { clockMs = nowMs }
    }

    mutating func newToken() -> UInt64 {
        let token = nextToken
        nextToken += 1
        return token
    }

    /// A why-line for the current step (hot paths check `scratch.reporting` before building one).
    mutating func note(_ text: String) {
        if scratch.reporting { scratch.notes.append(text) }
    }

    mutating func record(_ event: MessageRecord.Event) {
        records.append(MessageRecord(timeMs: clockMs, event: event))
        if records.count >= 2 * Self.historyCapacity { records.removeFirst(records.count - Self.historyCapacity) }
    }

    /// A decision: a note for the step and a history record.
    mutating func decision(_ sid: Int, _ text: String) {
        note(text)
        record(.decision(sid: sid, text: text))
    }

    mutating func violation(_ text: String) {
        if violations.count < Self.violationCapacity { violations.append(text) }
    }

    mutating func setRole(_ i: Int, _ role: Role) {
        let from = nodes[i].role
        guard from != role else { return }
        nodes[i].role = role
        scratch.roleChanges.append(RoleChange(sid: i + 1, from: from, to: role, epoch: nodes[i].currentEpoch))
    }

    /// A process starts: it loads its data dir and looks for a leader.
    mutating func boot(_ i: Int) {
        nodes[i].alive = true
        nodes[i].frozen = false
        forgetMemory(i)
        let replayed = reloadDatabase(i)
        decision(i + 1, "s\(i + 1) starts: snapshot \(nodes[i].snapshotZxid) + \(replayed) logged txns → lastProcessedZxid \(nodes[i].lastProcessedZxid)")
        lookForLeader(i)
    }
}

/// A pair's silence that ended.
struct SilenceSpan: Codable, Equatable, Sendable {
    var start: Int64
    var end: Int64
}

/// A txn a serving leader committed.
struct CommittedTxn<Payload: Codable & Equatable & Sendable>: Codable, Equatable, Sendable {
    var zxid: Zxid
    var payload: Payload
}

/// One server as the workbench shows it.
public struct ServerView: Codable, Equatable, Sendable {
    public var sid: Int
    public var alive: Bool
    public var frozen: Bool
    /// LOOKING for a server that is down.
    public var role: Role
    /// Serving client requests (a leader after its NEWLEADER quorum, a follower after UPTODATE).
    public var serving: Bool
    /// logicalclock.
    public var round: Int64
    /// While LOOKING, the current proposal; otherwise the vote it decided on.
    public var proposal: Vote
    /// recvset while LOOKING, by sid.
    public var votesHeld: [HeldVote]
    /// The leader it follows, itself when leading, nil when LOOKING or down.
    public var leader: Int?
    public var acceptedEpoch: Int64
    public var currentEpoch: Int64
    public var lastLoggedZxid: Zxid
    public var lastProcessedZxid: Zxid
    /// [minCommittedLog, maxCommittedLog] of the in-memory committed log, nil when empty.
    public var committedLogWindow: ZxidRange?
    public var snapshotZxid: Zxid
    /// Txns in the log after the snapshot.
    public var logCount: Int
}
