import SimKit

/// A ZooKeeper service as its clients meet it: an ensemble of servers replicating a `DataTree`,
/// and the clients connected to them with their sessions, requests and watch events.
///
/// Pure value; time is an input. The ensemble's messages and the leader's session-expiry checks are
/// events: `nextEventTimeMs()` says when the next is due and `step(nowMs:)` applies one.
///
/// Sessions follow ZooKeeper 3.8 (zookeeper.md §2, §3 "Sessions"):
/// - createSession and closeSession are transactions; the session id is made by the server the
///   client connects to: its sid in the top byte, then a per-server counter that starts from the
///   server's start time (SessionTrackerImpl.initializeNextSessionId).
/// - Heartbeats are implicit: a session is "heard" while its client is not frozen and is connected
///   to a serving server. The leader expires a session that has not been heard for its timeout,
///   rounded up to the next tick (ExpiryQueue.roundToNextInterval), by proposing closeSession.
/// - Without a leader nothing expires; a new leader restarts every session's timer.
/// - A client whose server stops serving reconnects at once to a serving server that has seen at
///   least the zxids the client has seen (a server further behind refuses it), keeping its session
///   and its watches; if its session is gone there, it is told the session expired.
public struct Service: Codable, Equatable, Sendable {
    public internal(set) var ensemble: Ensemble<DataTree>
    public internal(set) var clients: [Client] = []
    /// Answers not yet collected by whoever asked.
    public internal(set) var replies: [Reply] = []
    /// Sessions the leader has not heard from, and since when (sorted by session).
    public internal(set) var silences: [Silence] = []
    /// Sessions whose closeSession is on its way through the ensemble.
    public internal(set) var closing: [Int64] = []
    var timers: [ExpiryCheck] = []
    var timerSequence: UInt64 = 0
    var random: SplitMix64
    /// Per server (index sid-1): the next session id it hands out, nil until it needs one.
    var nextSessionIDs: [Int64?]
    /// The epoch of the leader whose session timers are running.
    var timedEpoch: Int64?
    /// When the leader's ContainerManager next looks for empty containers (scheduled only while
    /// one exists, so a quiet ensemble stays quiet).
    public internal(set) var containerCheckAtMs: Int64?

    /// znode.container.checkIntervalMs, ZooKeeper's default 60 s.
    public static let containerCheckIntervalMs: Int64 = 60_000

    public struct Silence: Codable, Equatable, Sendable {
        public var session: Int64
        public var sinceMs: Int64
        public var expiresAtMs: Int64
    }

    struct ExpiryCheck: Codable, Equatable, Sendable {
        var timeMs: Int64
        var sequence: UInt64
        var session: Int64
    }

    public init(servers: Int, config: EnsembleConfig = .init(), seed: UInt64) {
        var random = SplitMix64(seed: seed)
        ensemble = Ensemble<DataTree>(size: servers, config: config, seed: random.next())
        self.random = random
        nextSessionIDs = Array(repeating: nil, count: servers)
    }

    public var config: EnsembleConfig { ensemble.config }

    // MARK: Time

    public func nextEventTimeMs() -> Int64? {
        [ensemble.nextEventTimeMs(), timers.first?.timeMs, containerCheckAtMs].compactMap { $0 }.min()
    }

    /// Starts every server at once; they elect a leader as the events play out.
    public mutating func start(nowMs: Int64) {
        ensemble.start(nowMs: nowMs)
    }

    /// Applies one due event: a message, a server timer, or a session-expiry check.
    public mutating func step(nowMs: Int64) -> ServiceStep? {
        let ensembleNext = ensemble.nextEventTimeMs()
        if let check = containerCheckAtMs, check <= nowMs, ensembleNext.map({ check < $0 }) ?? true,
           timers.first.map({ check <= $0.timeMs }) ?? true {
            containerCheckAtMs = nil
            let notes = removeEmptyContainers(nowMs: check)
            settle(nowMs: check)
            return ServiceStep(timeMs: check, ensemble: nil, notes: notes, delivered: [], replies: [])
        }
        if let timer = timers.first, timer.timeMs <= nowMs, ensembleNext.map({ timer.timeMs < $0 }) ?? true {
            timers.removeFirst()
            let notes = checkExpiry(timer, nowMs: timer.timeMs)
            settle(nowMs: timer.timeMs)
            return ServiceStep(timeMs: timer.timeMs, ensemble: nil, notes: notes, delivered: [], replies: [])
        }
        guard let step = ensemble.step(nowMs: nowMs) else { return nil }
        var report = ServiceStep(timeMs: step.timeMs, ensemble: step, notes: [], delivered: [], replies: [])
        absorb(step, into: &report)
        settle(nowMs: step.timeMs, report: &report)
        return report
    }

    // MARK: Replies

    /// Removes and returns the answer to `request`, if it has come.
    public mutating func takeReply(_ request: RequestID) -> Reply? {
        guard let i = replies.firstIndex(where: { $0.request == request }) else { return nil }
        return replies.remove(at: i)
    }

    public func hasReply(_ request: RequestID) -> Bool { replies.contains { $0.request == request } }

    // MARK: Internals shared by the extensions

    func clientIndex(_ name: String) -> Int? { clients.firstIndex { $0.name == name } }

    /// Whether `sid` answers clients now.
    public func isServing(_ sid: Int) -> Bool {
        guard sid >= 1, sid <= ensemble.servers.count else { return false }
        let s = ensemble.servers[sid - 1]
        return s.alive && !s.frozen && s.serving
    }

    /// Takes in what one ensemble step did: applied transactions (replies and watch events for the
    /// clients of that server), finished syncs, and servers that stopped serving.
    mutating func absorb(_ step: EnsembleStep<DataTree>, into report: inout ServiceStep) {
        for applied in step.applied {
            for event in applied.output.events {
                for c in clients.indices where clients[c].server == applied.sid && clients[c].session == event.watcher
                    && clients[c].phase == .connected {
                    clients[c].events.append(ReceivedEvent(event: event, server: applied.sid, timeMs: step.timeMs))
                    if clients[c].events.count > Client.eventLimit { clients[c].events.removeFirst() }
                    report.delivered.append(DeliveredEvent(client: clients[c].name, event: event))
                }
            }
            if case let .sessionClosed(session, _) = applied.output.result, applied.sid == ensemble.leader {
                closing.removeAll { $0 == session }
                silences.removeAll { $0.session == session }
                for c in clients.indices where clients[c].session == session && clients[c].phase != .closed {
                    let asked = clients[c].pending.contains { if case .txn(.closeSession) = $0.kind { true } else { false } }
                    if !asked {
                        clients[c].phase = .expired
                        for p in clients[c].pending { replies.append(Reply(client: clients[c].name, request: p.id, outcome: .sessionExpired)) }
                        clients[c].pending = []
                        report.notes.append("client \(clients[c].name): session \(Self.hex(session)) expired; its ephemerals are gone")
                    }
                }
            }
            guard let origin = applied.origin,
                  let c = clients.firstIndex(where: { $0.pending.contains { $0.id == origin } }),
                  clients[c].server == applied.sid else { continue }
            clients[c].lastZxidSeen = max(clients[c].lastZxidSeen, applied.zxid)
            clients[c].pending.removeAll { $0.id == origin }
            let reply = Reply(client: clients[c].name, request: origin, outcome: .txn(applied.output.result, zxid: applied.zxid))
            replies.append(reply)
            report.replies.append(reply)
            switch applied.output.result {
            case let .sessionCreated(session) where clients[c].phase == .connecting:
                clients[c].session = session
                clients[c].phase = .connected
            case .sessionClosed:
                clients[c].phase = .closed
                clients[c].server = nil
            default: break
            }
        }
        if containerCheckAtMs == nil, let leader = ensemble.leader, step.applied.contains(where: { $0.sid == leader }),
           !(ensemble.state(of: leader)?.emptyContainers().isEmpty ?? true) {
            let interval = Self.containerCheckIntervalMs
            containerCheckAtMs = (step.timeMs / interval + 1) * interval
        }
        for done in step.syncsDone {
            guard let c = clients.firstIndex(where: { $0.pending.contains { $0.id == done.request } }) else { continue }
            clients[c].pending.removeAll { $0.id == done.request }
            if let tree = ensemble.state(of: done.sid) { clients[c].lastZxidSeen = max(clients[c].lastZxidSeen, tree.lastProcessedZxid) }
            let reply = Reply(client: clients[c].name, request: done.request, outcome: .synced)
            replies.append(reply)
            report.replies.append(reply)
        }
    }

    /// After anything changed: clients of servers that stopped serving lose their requests and
    /// reconnect elsewhere; the leader's view of which sessions it hears is brought up to date.
    mutating func settle(nowMs: Int64) {
        var report = ServiceStep(timeMs: nowMs, ensemble: nil, notes: [], delivered: [], replies: [])
        settle(nowMs: nowMs, report: &report)
    }

    mutating func settle(nowMs: Int64, report: inout ServiceStep) {
        for c in clients.indices {
            guard let sid = clients[c].server, clients[c].phase != .closed, clients[c].phase != .expired, !isServing(sid) else { continue }
            for p in clients[c].pending {
                let reply = Reply(client: clients[c].name, request: p.id, outcome: .connectionLoss)
                replies.append(reply)
                report.replies.append(reply)
            }
            clients[c].pending = []
            clients[c].server = nil
            if clients[c].phase == .connected { clients[c].phase = .disconnected }
            report.notes.append("client \(clients[c].name): lost its connection to s\(sid) (ConnectionLoss)")
        }
        for sid in 1...ensemble.size where !isServing(sid) { ensemble.dropClientRequests(at: sid) }
        for c in clients.indices where clients[c].server == nil && !clients[c].frozen
            && (clients[c].phase == .disconnected || clients[c].phase == .connecting) {
            if let note = reconnect(c, nowMs: nowMs) { report.notes.append(note) }
        }
        refreshSessionTimers(nowMs: nowMs)
    }

    /// The leader's ContainerManager deletes each empty container (one that once had children)
    /// with an ordinary delete txn, as ZooKeeper 3.5.3+ does every checkIntervalMs.
    mutating func removeEmptyContainers(nowMs: Int64) -> [String] {
        guard let leader = ensemble.leader, let tree = ensemble.state(of: leader) else { return [] }
        var notes: [String] = []
        for path in tree.emptyContainers() {
            if (try? ensemble.submit(.op(session: 0, .delete(path: path, version: -1)), via: leader, nowMs: nowMs)) != nil {
                notes.append("s\(leader) ContainerManager: deleting empty container \(path)")
            }
        }
        return notes
    }

    static func hex(_ session: Int64) -> String { "0x" + String(UInt64(bitPattern: session), radix: 16) }
}

/// What one step of the service did.
public struct ServiceStep: Equatable, Sendable {
    public var timeMs: Int64
    /// The ensemble's step (a message or a server timer); nil for a session-expiry check.
    public var ensemble: EnsembleStep<DataTree>?
    public var notes: [String]
    public var delivered: [DeliveredEvent]
    public var replies: [Reply]
}

public struct DeliveredEvent: Equatable, Sendable {
    public var client: String
    public var event: WatchEvent
}
