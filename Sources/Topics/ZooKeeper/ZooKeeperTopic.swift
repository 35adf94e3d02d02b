import SimKit
import WorkbenchKit
import ZooKeeper

/// The ZooKeeper topic's state inside a session: the service (ensemble + clients), the client the
/// zkCli commands speak for, and Kafka's brokers when Kafka runs on this ensemble.
struct ZooKeeperState: TopicState, Equatable {
    static let namespace = "zk"
    static func initial() -> ZooKeeperState { ZooKeeperState() }

    /// Made on first use: a 3-server ensemble that elects its leader before the first command runs.
    var service: Service?
    /// The client zkCli commands use (`zk connect NAME` switches).
    var current: String?
    /// Kafka's controller and brokers as ZooKeeper clients (`kafka zookeeper start`).
    var kafka: KafkaOnZooKeeper?
    /// The last zkCli write's outcome, for `zk last` (and so for `expect`).
    var lastOutcome: Value?
}

/// The `zk` topic: a ZooKeeper 3.8 ensemble with zkCli's commands, its elections and ZAB, stepped
/// message by message.
public enum ZooKeeperTopic {
    public static var module: TopicModule {
        TopicModule(namespace: "zk", lessonTopic: "zookeeper", title: "ZooKeeper", stateType: ZooKeeperState.self,
                    commands: ZooKeeperCommands.all + ZooKeeperEnsembleCommands.all + KafkaOnZooKeeperCommands.all,
                    handle: handle)
    }

    static let defaultClient = "zkcli"

    /// One ZooKeeper event at its simulated time: a message delivered (or dropped), a server's
    /// timer, or the leader's session-expiry check; then Kafka's brokers react to what they saw.
    static func handle(_ event: ScheduledEvent, _ session: Session) throws -> StepReport {
        guard event.kind == "ensemble" else {
            throw WorkbenchError.failed(what: "step", why: "zk has no event called `\(event.kind)`", fix: nil)
        }
        let step = try session.updateTopic(ZooKeeperState.self) { state -> ServiceStep? in
            let step = state.service?.step(nowMs: event.timeMs)
            // A learner's reply arriving here (a `--no-wait` write) becomes `zk last`; a command
            // that waits for its own reply records it again with its command line.
            let brokers = Set(state.kafka?.brokers.map(\.client) ?? [])
            for reply in step?.replies ?? [] where !brokers.contains(reply.client) {
                guard case let .txn(result, zxid) = reply.outcome else { continue }
                switch result { case .op, .multi: break; default: continue }
                state.lastOutcome = .object([("command", .string("request \(reply.request) of \(reply.client)")), ("zxid", .string(zxid.description)),
                                             ("error", ZooKeeperViews.failure(result).map { .string($0.code.shortName) } ?? .null),
                                             ("result", ZooKeeperViews.resultValue(result))])
            }
            return step
        }
        var lines = step.map(ZooKeeperViews.describe) ?? ["zk: nothing was due"]
        if let step { lines += try KafkaOnZooKeeper.react(to: step, session) }
        reschedule(session)
        return StepReport(lines.joined(separator: "\n"), value: step.map(ZooKeeperViews.stepValue) ?? .null)
    }

    /// Keeps exactly one session event for ZooKeeper, at the service's next due event.
    static func reschedule(_ session: Session) {
        session.state.queue.removeAll(topic: "zk")
        if let next = session.topic(ZooKeeperState.self).service?.nextEventTimeMs() {
            session.state.queue.schedule(atMs: max(next, session.state.clock.nowMs), topic: "zk", kind: "ensemble")
        }
    }

    /// Changes the service (making the default ensemble first if there is none) and reschedules.
    static func update<R>(_ session: Session, _ what: String, _ body: (inout Service, Int64) throws(ServiceError) -> R) throws -> R {
        try ensureService(session)
        let now = session.state.clock.nowMs
        let result = try session.updateTopic(ZooKeeperState.self) { state -> R in
            guard var service = state.service else { throw WorkbenchError.failed(what: what, why: "there is no ensemble", fix: "`zk ensemble new`") }
            state.service = nil
            defer { state.service = service }
            do throws(ServiceError) { return try body(&service, now) } catch { throw ZooKeeperErrors.describe(error, what: what) }
        }
        reschedule(session)
        return result
    }

    static func service(_ session: Session) throws -> Service {
        try ensureService(session)
        guard let service = session.topic(ZooKeeperState.self).service else {
            throw WorkbenchError.failed(what: "zk", why: "there is no ensemble", fix: "`zk ensemble new`")
        }
        return service
    }

    /// The first ZooKeeper command of a session starts a 3-server ensemble and lets it elect its
    /// leader (about 0.2 s of simulated time: the finalize wait), as `zkServer.sh start` on three
    /// hosts would, so zkCli commands work at once.
    static func ensureService(_ session: Session) throws {
        guard session.topic(ZooKeeperState.self).service == nil else { return }
        try newEnsemble(session, servers: 3, settle: true)
    }

    static func newEnsemble(_ session: Session, servers: Int, settle: Bool) throws {
        let seed = session.state.randomStream("zk").state
        let now = session.state.clock.nowMs
        try session.updateTopic(ZooKeeperState.self) { state in
            var service = Service(servers: servers, seed: seed)
            service.start(nowMs: now)
            state = ZooKeeperState(service: service, current: nil, kafka: nil, lastOutcome: nil)
        }
        reschedule(session)
        if settle { try runUntil(session, limitMs: 120_000) { $0.service?.ensemble.leader != nil && ($0.service.map { s in (1...s.ensemble.size).allSatisfy { !s.ensemble.servers[$0 - 1].alive || s.isServing($0) } } ?? false) } }
    }

    /// Runs the session's events until `done` holds for the ZooKeeper state or `limitMs` of
    /// simulated time has passed; returns whether it held.
    @discardableResult
    static func runUntil(_ session: Session, limitMs: Int64, _ done: (ZooKeeperState) -> Bool) throws -> Bool {
        let deadline = session.state.clock.nowMs + limitMs
        var ran = 0
        while !done(session.topic(ZooKeeperState.self)) {
            guard let next = session.state.queue.next, next.timeMs <= deadline, ran < 2_000_000 else { return false }
            _ = try session.step(recording: false)
            ran += 1
        }
        return true
    }

    /// Lets a committed write reach every serving server (a few milliseconds), so what a command
    /// prints includes the watch events it caused everywhere, as a learner watching real clients
    /// would see them arrive. Bounded at 20 ms: a lagging (`zk latency`) or cut-off server is not
    /// waited for, so its stale copy stays visible.
    static func settle(_ session: Session, zxid: Zxid) throws {
        try runUntil(session, limitMs: 20) { state in
            guard let service = state.service else { return true }
            return (1...service.ensemble.size).allSatisfy { sid in
                !service.isServing(sid) || (service.ensemble.state(of: sid)?.lastProcessedZxid ?? zxid) >= zxid
            }
        }
    }

    /// Waits (in simulated time) for the answer to a request, as zkCli blocks on a synchronous call.
    /// No answer within the client's session timeout is a ConnectionLoss.
    static func awaitReply(_ session: Session, _ request: RequestID, client: String) throws -> Reply {
        let timeout = (try? session.topic(ZooKeeperState.self).service?.client(client).timeoutMs) ?? 30_000
        try runUntil(session, limitMs: max(timeout, 30_000)) { $0.service?.hasReply(request) ?? true }
        let reply = try session.updateTopic(ZooKeeperState.self) { state -> Reply? in state.service?.takeReply(request) }
        reschedule(session)
        return reply ?? Reply(client: client, request: request, outcome: .connectionLoss)
    }
}
