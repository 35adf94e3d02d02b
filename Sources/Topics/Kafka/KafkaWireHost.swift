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
    let lock = NSLock()
    var broker: WireBroker

    public init(session: Session, advertisedHost: String, ports: [Int: Int], autoCreateTopics: Bool, defaultPartitions: Int) {
        self.session = session
        let brokers = session.topic(KafkaState.self).cluster.brokers.count
        broker = WireBroker(config: WireBrokerConfig(advertisedHost: advertisedHost, ports: ports, autoCreateTopics: autoCreateTopics,
                                                     defaultPartitions: defaultPartitions, defaultReplicationFactor: min(3, brokers)))
    }

    /// The broker ids of the session's cluster.
    public static func brokerIDs(of session: Session) -> [Int] {
        session.topic(KafkaState.self).cluster.brokers.map(\.id)
    }

    /// One request frame (without its size) received by broker `brokerID`.
    public func received(_ frame: [UInt8], ticket: WireTicket, brokerID: Int, nowMs: Int64) -> WireOutcome {
        lock.lock()
        defer { lock.unlock() }
        var outcome = WireOutcome.close
        try? session.updateTopic(KafkaState.self) { state in
            outcome = broker.handle(frame: frame, ticket: ticket, broker: brokerID, nowMs: nowMs, cluster: &state.cluster)
        }
        return outcome
    }

    /// Requests that were waiting and can be answered now.
    public func tick(nowMs: Int64) -> [(WireTicket, [UInt8])] {
        lock.lock()
        defer { lock.unlock() }
        return broker.tick(nowMs: nowMs, cluster: session.topic(KafkaState.self).cluster)
    }

    public var nextDeadlineMs: Int64? {
        lock.lock()
        defer { lock.unlock() }
        return broker.nextDeadlineMs
    }

    public func connectionClosed(_ connection: Int) {
        lock.lock()
        defer { lock.unlock() }
        broker.connectionClosed(connection)
    }

    /// The protocol trace so far (the last entries), one line each.
    public func traceLines(last: Int) -> [String] {
        lock.lock()
        defer { lock.unlock() }
        return broker.trace.suffix(last).map { e in
            "conn \(e.connection & 0xffff_ffff) → broker \(e.broker)  \(e.clientID)  \(e.api) v\(e.version)  \(e.summary)"
        }
    }

    /// Runs a REPL line on the served session, between requests.
    public func execute(_ line: String) -> LineResult {
        lock.lock()
        defer { lock.unlock() }
        return session.execute(line)
    }
}
