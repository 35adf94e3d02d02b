// Errors the simulated cluster reports, named and numbered like Kafka's protocol error codes
// (kafka.md §3.7; apache/kafka clients/.../common/protocol/Errors.java).

public enum KafkaError: Error, Equatable, Sendable {
    /// 3 UNKNOWN_TOPIC_OR_PARTITION. `partition == nil` means the topic itself is unknown.
    case unknownTopicOrPartition(topic: String, partition: Int?)
    /// 36 TOPIC_ALREADY_EXISTS.
    case topicAlreadyExists(String)
    /// 17 INVALID_TOPIC_EXCEPTION. The payload is the rejected topic name; `message` explains why.
    case invalidTopic(String)
    /// 37 INVALID_PARTITIONS: a partition count below 1 or above `Cluster.maxPartitions`.
    case invalidPartitions(Int)
    /// 38 INVALID_REPLICATION_FACTOR.
    case invalidReplicationFactor(requested: Int, brokers: Int)
    /// 40 INVALID_CONFIG, naming Kafka's config key.
    case invalidConfig(name: String, value: String, reason: String)
    /// 19 NOT_ENOUGH_REPLICAS (acks=all while the ISR is smaller than min.insync.replicas).
    case notEnoughReplicas(isr: Int, required: Int)
    /// 5 LEADER_NOT_AVAILABLE (the partition is offline).
    case leaderNotAvailable(topic: String, partition: Int)
    /// 87 INVALID_RECORD (e.g. a keyless record on a compacted topic).
    case invalidRecord(String)
    /// 10 MESSAGE_TOO_LARGE (the record batch exceeds max.message.bytes).
    case recordTooLarge(bytes: Int, max: Int)
    /// 8 BROKER_NOT_AVAILABLE (no broker with that id).
    case brokerNotAvailable(Int)
    /// 1 OFFSET_OUT_OF_RANGE.
    case offsetOutOfRange(offset: Int64, logStart: Int64, highWatermark: Int64)
    /// 37 INVALID_PARTITIONS from CreatePartitions: the count can only grow.
    case partitionCountCannotDecrease(current: Int, requested: Int)

    /// Kafka's name for the error (the `Errors` enum constant).
    public var name: String {
        switch self {
        case .unknownTopicOrPartition: return "UNKNOWN_TOPIC_OR_PARTITION"
        case .topicAlreadyExists: return "TOPIC_ALREADY_EXISTS"
        // Kafka's constant really carries the "_EXCEPTION" suffix (Errors.INVALID_TOPIC_EXCEPTION).
        case .invalidTopic: return "INVALID_TOPIC_EXCEPTION"
        case .invalidPartitions, .partitionCountCannotDecrease: return "INVALID_PARTITIONS"
        case .invalidReplicationFactor: return "INVALID_REPLICATION_FACTOR"
        case .invalidConfig: return "INVALID_CONFIG"
        case .notEnoughReplicas: return "NOT_ENOUGH_REPLICAS"
        case .leaderNotAvailable: return "LEADER_NOT_AVAILABLE"
        case .invalidRecord: return "INVALID_RECORD"
        case .recordTooLarge: return "MESSAGE_TOO_LARGE"
        case .brokerNotAvailable: return "BROKER_NOT_AVAILABLE"
        case .offsetOutOfRange: return "OFFSET_OUT_OF_RANGE"
        }
    }

    /// The protocol error code.
    public var code: Int16 {
        switch self {
        case .offsetOutOfRange: return 1
        case .unknownTopicOrPartition: return 3
        case .leaderNotAvailable: return 5
        case .brokerNotAvailable: return 8
        case .recordTooLarge: return 10
        case .invalidTopic: return 17
        case .notEnoughReplicas: return 19
        case .topicAlreadyExists: return 36
        case .invalidPartitions, .partitionCountCannotDecrease: return 37
        case .invalidReplicationFactor: return 38
        case .invalidConfig: return 40
        case .invalidRecord: return 87
        }
    }

    /// A human-readable message in the spirit of the broker's exception text.
    public var message: String {
        switch self {
        case let .unknownTopicOrPartition(topic, partition):
            if let partition {
                return "This server does not host this topic-partition: \(topic)-\(partition)."
            }
            return "Topic '\(topic)' does not exist."
        case let .topicAlreadyExists(topic):
            return "Topic '\(topic)' already exists."
        case let .invalidTopic(topic):
            return TopicName.problem(topic) ?? "Topic '\(topic)' collides with an existing topic ('.' and '_' collide in metric names)."
        case let .invalidPartitions(count):
            if count < 1 { return "Number of partitions must be larger than 0." }
            return "Number of partitions \(count) exceeds the simulator's limit of \(Cluster.maxPartitions)."
        case let .invalidReplicationFactor(requested, brokers):
            if requested < 1 { return "Replication factor must be larger than 0." }
            return "Replication factor: \(requested) larger than available brokers: \(brokers)."
        case let .invalidConfig(name, value, reason):
            return "Invalid value \(value) for configuration \(name): \(reason)"
        case let .notEnoughReplicas(isr, required):
            return "The size of the current ISR (\(isr)) is insufficient to satisfy the min.isr requirement of \(required)."
        case let .leaderNotAvailable(topic, partition):
            return "There is no leader for this topic-partition (\(topic)-\(partition)) as we are in the middle of a leadership election or the partition is offline."
        case let .invalidRecord(reason):
            return reason
        case let .recordTooLarge(bytes, max):
            return "The record batch size of \(bytes) bytes exceeds the maximum configured value of \(max) (max.message.bytes)."
        case let .brokerNotAvailable(id):
            return "Broker \(id) is not available."
        case let .offsetOutOfRange(offset, logStart, highWatermark):
            return "Fetch offset \(offset) is out of range for this partition (log start offset \(logStart), high watermark \(highWatermark))."
        case let .partitionCountCannotDecrease(current, requested):
            if current == requested { return "Topic already has \(current) partitions." }
            return "Topic currently has \(current) partitions, which is higher than the requested \(requested)."
        }
    }
}
