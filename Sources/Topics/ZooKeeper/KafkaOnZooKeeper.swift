import Kafka
import SimKit
import WorkbenchKit
import ZooKeeper

/// Kafka in ZooKeeper mode (before KRaft), played by the brokers' ZooKeeper clients: each broker
/// holds a session and its ephemeral `/brokers/ids/<id>`; the controller is whoever creates the
/// ephemeral `/controller` in a multi with `/controller_epoch` + 1; it watches `/brokers/ids` and,
/// when a broker's znode goes, moves that broker's partition leadership and writes each
/// partition's new state to `/brokers/topics/<t>/partitions/<p>/state` (zookeeper.md §4, from
/// Kafka's KafkaZkClient, ZkData and KafkaController).
///
/// Simplifications (documented in the README): the top-level paths and a topic's znodes are each
/// written as one multi (Kafka issues one request per znode); partition states are written with
/// the zkVersion the controller last saw, but ISR changes made by leaders (AlterIsr) are written by
/// the controller too; brokers keep no controller-epoch fencing of their own.
struct KafkaOnZooKeeper: Codable, Equatable, Sendable {
    struct Broker: Codable, Equatable, Sendable {
        var id: Int
        var client: String { "broker-\(id)" }
        /// Stopped with `kafka broker stop` (a controlled shutdown): no session wanted.
        var stopped = false
        /// `kafka broker freeze`: a long GC pause; the broker does nothing at all.
        var frozen = false
        /// Its /brokers/ids/<id> exists for its current session.
        var registered = false
        /// The czxid of its registration: Kafka's broker epoch.
        var brokerEpoch: Zxid?
        /// The controller this broker believes in (activeControllerId), nil if none.
        var knownController: Int?
        /// Its registration met a node left by its previous session; it waits for that to go.
        var waitingForOldRegistration = false
    }

    struct Pending: Codable, Equatable, Sendable {
        var request: RequestID
        var broker: Int
        var kind: Kind
        enum Kind: Codable, Equatable, Sendable {
            case connect, register, topLevel, createEpoch, elect(epoch: Int), topic(String), state(topic: String, partition: Int)
        }
    }

    /// What the controller last wrote to a partition's state znode, and that znode's dataVersion.
    struct WrittenState: Codable, Equatable, Sendable {
        var topic: String
        var partition: Int
        var leader: Int
        var leaderEpoch: Int
        var isr: [Int]
        var version: Int32
    }

    var brokers: [Broker]
    /// The broker acting as controller (nil while none is), and the epoch it won.
    var controller: Int?
    var controllerEpoch = 0
    /// The controller's view of /brokers/ids.
    var liveBrokers: [Int] = []
    /// Brokers the controller declared dead (their znode vanished), which it stopped in Kafka.
    var declaredDead: [Int] = []
    var topLevelCreated = false
    var writtenTopics: [String] = []
    var written: [WrittenState] = []
    var pending: [Pending] = []
    /// What the brokers and the controller did, newest last (the last 300 lines).
    var log: [String] = []

    init(brokerIDs: [Int]) { brokers = brokerIDs.map { Broker(id: $0) } }

    var settled: Bool {
        pending.isEmpty && controller != nil && brokers.allSatisfy { $0.stopped || $0.frozen || $0.registered }
    }

    mutating func note(_ line: String, _ lines: inout [String]) {
        lines.append(line)
        log.append(line)
        if log.count > 300 { log.removeFirst(log.count - 300) }
    }

    func index(_ id: Int) -> Int? { brokers.firstIndex { $0.id == id } }

    // MARK: JSON written to znodes (Kafka's formats, zookeeper.md §4)

    static func brokerJSON(_ id: Int, timestampMs: Int64) -> String {
        let host = "broker-\(id)"
        return #"{"version":5,"host":"\#(host)","port":9092,"jmx_port":-1,"timestamp":"\#(timestampMs)","endpoints":["PLAINTEXT://\#(host):9092"],"listener_security_protocol_map":{"PLAINTEXT":"PLAINTEXT"},"features":{}}"#
    }

    static func controllerJSON(_ id: Int, timestampMs: Int64) -> String {
        #"{"version":1,"brokerid":\#(id),"timestamp":"\#(timestampMs)"}"#
    }

    static func topicJSON(_ topic: Topic) -> String {
        let parts = topic.partitions.map { "\"\($0.index)\":[" + $0.replicas.map(String.init).joined(separator: ",") + "]" }
        return #"{"version":2,"partitions":{"# + parts.joined(separator: ",") + #"},"adding_replicas":{},"removing_replicas":{}}"#
    }

    static func stateJSON(leader: Int, leaderEpoch: Int, isr: [Int], controllerEpoch: Int) -> String {
        #"{"version":1,"leader":\#(leader),"leader_epoch":\#(leaderEpoch),"isr":["# + isr.map(String.init).joined(separator: ",") + #"],"controller_epoch":\#(controllerEpoch)}"#
    }

    static func brokerID(fromController data: [UInt8]) -> Int? {
        let text = String(decoding: data, as: UTF8.self)
        guard let range = text.range(of: "\"brokerid\":") else { return nil }
        return Int(text[range.upperBound...].prefix { $0.isNumber || $0 == "-" })
    }

    /// Kafka's persistent top-level paths (ZkData.PersistentZkPaths), parents first.
    static let topLevelPaths = ["/consumers", "/brokers", "/brokers/ids", "/brokers/topics", "/brokers/seqid", "/config", "/config/changes",
                                "/config/topics", "/config/clients", "/config/users", "/config/brokers", "/config/ips", "/admin", "/admin/delete_topics",
                                "/isr_change_notification", "/latest_producer_id_block", "/log_dir_event_notification"]
}
