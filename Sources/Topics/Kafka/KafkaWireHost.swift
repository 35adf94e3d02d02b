import Foundation
import Kafka
import KafkaServe
import KafkaWire
import WorkbenchKit

/// The session's Kafka cluster behind the wire protocol (`workbench serve kafka`): every frame is
/// handled on the topic state the REPL shows, one at a time under a lock, so `kafka log`, `kafka
/// cluster` and `kafka topic describe` see what real clients produced.
public final class KafkaWireHost: @unchecked Sendable {
    let session: Session
    /// The session's own lock: requests and REPL commands take turns.
    var lock: NSRecursiveLock { session.executionLock }
    var broker: WireBroker
    /// Serve mode runs on the wall clock: simulated time = the session's time when serving began +
    /// the wall time since, so session timeouts and max_wait_ms mean real milliseconds.
    let startSimMs: Int64
    let startWallMs: Int64

    public init(session: Session, advertisedHost: String, ports: [Int: Int], autoCreateTopics: Bool, defaultPartitions: Int, wallMs: Int64) {
        self.session = session
        startSimMs = session.state.clock.nowMs
        startWallMs = wallMs
        let brokers = session.topic(KafkaState.self).cluster.brokers.count
        broker = WireBroker(config: WireBrokerConfig(advertisedHost: advertisedHost, ports: ports, autoCreateTopics: autoCreateTopics,
                                                     defaultPartitions: defaultPartitions, defaultReplicationFactor: min(3, brokers)))
    }

    /// Replaces the session's (still empty) cluster with one of `count` brokers, for
    /// `workbench serve kafka --brokers N`.
    public static func setBrokerCount(_ count: Int, session: Session) throws {
        try session.updateTopic(KafkaState.self) { state in
            guard state.cluster.topics.isEmpty else {
                throw WorkbenchError.failed(what: "serve kafka --brokers", why: "the cluster already has topics", fix: "give --brokers before creating topics")
            }
            state.cluster = Cluster(brokerCount: count)
        }
    }

    /// The broker ids of the session's cluster.
    public static func brokerIDs(of session: Session) -> [Int] {
        session.topic(KafkaState.self).cluster.brokers.map(\.id)
    }

    /// The simulated time that corresponds to `wallMs`.
    func simulatedTime(_ wallMs: Int64) -> Int64 { startSimMs + max(0, wallMs - startWallMs) }

    /// Moves the session's clock to the simulated time of `wallMs` (never backwards).
    func simulatedNow(_ wallMs: Int64) -> Int64 {
        let now = max(session.state.clock.nowMs, simulatedTime(wallMs))
        session.state.clock.advance(toMs: now)
        return now
    }

    /// One request frame (without its size) received by broker `brokerID`.
    public func received(_ frame: [UInt8], ticket: WireTicket, brokerID: Int, wallMs: Int64) -> WireOutcome {
        lock.lock()
        defer { lock.unlock() }
        let now = simulatedNow(wallMs)
        var outcome = WireOutcome.close
        try? session.updateTopic(KafkaState.self) { state in
            outcome = broker.handle(frame: frame, ticket: ticket, broker: brokerID, nowMs: now, cluster: &state.cluster, groups: &state.groups)
        }
        KafkaTopic.reschedule(session)
        return outcome
    }

    /// Requests that were waiting and can be answered now.
    public func tick(wallMs: Int64) -> [(WireTicket, [UInt8])] {
        lock.lock()
        defer { lock.unlock() }
        let now = simulatedNow(wallMs)
        var done: [(WireTicket, [UInt8])] = []
        try? session.updateTopic(KafkaState.self) { state in
            done = broker.tick(nowMs: now, cluster: state.cluster, groups: &state.groups)
        }
        KafkaTopic.reschedule(session)
        return done
    }

    /// Wall milliseconds until something waiting must be looked at again.
    public func nextDelayMs(wallMs: Int64) -> Int64? {
        lock.lock()
        defer { lock.unlock() }
        guard let deadline = broker.nextDeadlineMs(groups: session.topic(KafkaState.self).groups) else { return nil }
        return max(0, deadline - simulatedTime(wallMs))
    }

    public func connectionClosed(_ connection: Int, wallMs: Int64) {
        lock.lock()
        defer { lock.unlock() }
        let now = simulatedNow(wallMs)
        try? session.updateTopic(KafkaState.self) { state in
            broker.connectionClosed(connection, nowMs: now, groups: &state.groups)
        }
    }

    var printedTrace = 0

    /// Protocol trace lines not handed out before (for `serve kafka --verbose`).
    public func newTraceLines() -> [String] {
        lock.lock()
        defer { lock.unlock() }
        let total = broker.traceTotal
        let fresh = min(total - printedTrace, broker.trace.count)
        printedTrace = total
        return broker.trace.suffix(fresh).map(Self.line)
    }

    public static func line(_ e: WireTraceEntry) -> String {
        "conn \(e.connection & 0xffff_ffff) → broker \(e.broker)  \(e.clientID)  \(e.api) v\(e.version)  \(e.summary)"
    }

    /// The protocol trace so far (the last entries), one line each.
    public func traceLines(last: Int) -> [String] {
        lock.lock()
        defer { lock.unlock() }
        return broker.trace.suffix(last).map { e in
            "conn \(e.connection & 0xffff_ffff) → broker \(e.broker)  \(e.clientID)  \(e.api) v\(e.version)  \(e.summary)"
        }
    }

    /// The trace as values (for `kafka serve trace --json`).
    public func traceEntries(last: Int) -> [WireTraceEntry] {
        lock.lock()
        defer { lock.unlock() }
        return Array(broker.trace.suffix(last))
    }
}
