// Public value types of the consumer-group slice: group states, timeline messages, poll results,
// views for the Workbench (kafka.md §3.2–§3.5).

/// Classic group states (kafka.md §3.2; ClassicGroupState).
public enum GroupState: String, Codable, Sendable {
    case empty = "Empty"
    case preparingRebalance = "PreparingRebalance"
    case completingRebalance = "CompletingRebalance"
    case stable = "Stable"
    case dead = "Dead"
}

/// One protocol message delivered (or a timer firing / a client-side event) for the timeline view.
public struct GroupMessage: Codable, Equatable, Sendable {
    public var sequence: Int
    public var atMs: Int64
    public var from: String
    public var to: String
    public var kind: String
    public var detail: String

    public init(sequence: Int, atMs: Int64, from: String, to: String, kind: String, detail: String) {
        self.sequence = sequence
        self.atMs = atMs
        self.from = from
        self.to = to
        self.kind = kind
        self.detail = detail
    }
}

/// One record handed to the application by poll().
public struct ConsumerRecord: Codable, Equatable, Sendable {
    public var topic: String
    public var partition: Int
    public var offset: Int64
    public var key: [UInt8]?
    public var value: [UInt8]?
    public var timestampMs: Int64
    public var leaderEpoch: Int

    public init(topic: String, partition: Int, offset: Int64, key: [UInt8]?, value: [UInt8]?, timestampMs: Int64, leaderEpoch: Int) {
        self.topic = topic
        self.partition = partition
        self.offset = offset
        self.key = key
        self.value = value
        self.timestampMs = timestampMs
        self.leaderEpoch = leaderEpoch
    }

    public var topicPartition: TopicPartition { TopicPartition(topic, partition) }
}

/// What one poll() returned.
public struct PollResult: Codable, Equatable, Sendable {
    /// Records in the order handed out: partitions visited round-robin, each partition's records in offset order.
    public var records: [ConsumerRecord]
    /// The consumer's assignment after this poll.
    public var assignment: [TopicPartition]

    public init(records: [ConsumerRecord], assignment: [TopicPartition]) {
        self.records = records
        self.assignment = assignment
    }
}

/// The consumer's life cycle as the Workbench shows it.
public enum ConsumerStatus: String, Codable, Sendable {
    /// Created; poll() not called yet.
    case unjoined
    /// First join in progress (FindCoordinator / JoinGroup / SyncGroup).
    case joining
    /// Member of a stable generation.
    case stable
    /// A rebalance is in progress for this member (rejoin pending or in flight).
    case rebalancing
    /// Left the group after max.poll.interval.ms without poll(); the next poll() rejoins.
    case left
    /// Died silently (no commit, no LeaveGroup).
    case crashed
    /// close() was called.
    case closed
}

/// A consumer's position on one partition (the next offset poll() will return).
public struct PartitionPosition: Codable, Equatable, Sendable {
    public var topicPartition: TopicPartition
    public var offset: Int64
    /// Leader epoch of the last record returned from this partition (-1 when none yet).
    public var leaderEpoch: Int

    public init(topicPartition: TopicPartition, offset: Int64, leaderEpoch: Int) {
        self.topicPartition = topicPartition
        self.offset = offset
        self.leaderEpoch = leaderEpoch
    }
}

/// A read-only view of one consumer.
public struct ConsumerView: Codable, Equatable, Sendable {
    public var name: String
    public var config: ConsumerConfig
    public var topics: [String]
    public var status: ConsumerStatus
    /// Member id ("" before the coordinator gave one, or after a reset).
    public var memberID: String
    /// Generation of the last completed join (-1 = none).
    public var generation: Int
    /// True when this member uses the cooperative rebalance protocol.
    public var cooperative: Bool
    public var assignment: [TopicPartition]
    /// Sorted by partition.
    public var positions: [PartitionPosition]
    public var lastPollMs: Int64?
    /// Broker id of the group coordinator once found.
    public var coordinator: Int?
    /// The error the next poll() will throw (fatal client errors), if any.
    public var pendingError: GroupError?
}

/// One member row of `kafka-consumer-groups --describe --members`.
public struct MemberDescription: Codable, Equatable, Sendable {
    public var memberID: String
    public var groupInstanceID: String?
    public var clientID: String
    public var assignment: [TopicPartition]
}

/// One partition row of `kafka-consumer-groups --describe` (kafka.md §3.5).
public struct PartitionOffsetRow: Codable, Equatable, Sendable {
    public var topic: String
    public var partition: Int
    /// Committed offset (CURRENT-OFFSET), nil = "-".
    public var currentOffset: Int64?
    /// High watermark (LOG-END-OFFSET is really ListOffsets(latest) = HW), nil when the partition is unknown.
    public var logEndOffset: Int64?
    /// HW − committed, nil when either is unknown.
    public var lag: Int64?
    /// Member id owning the partition in the current assignment, nil = "-".
    public var consumerID: String?
    public var clientID: String?
}

/// `kafka-consumer-groups --describe` of one group.
public struct GroupDescription: Codable, Equatable, Sendable {
    public var groupID: String
    public var state: GroupState
    public var generation: Int
    /// Always "consumer" for these groups.
    public var protocolType: String
    /// The chosen assignor name ("" while none).
    public var protocolName: String
    public var leader: String?
    /// Broker id of the coordinator.
    public var coordinator: Int?
    /// The `__consumer_offsets` partition holding this group.
    public var offsetsPartition: Int
    public var members: [MemberDescription]
    /// Sorted by (topic, partition).
    public var partitions: [PartitionOffsetRow]

    /// The table as kafka-consumer-groups prints it (HOST is not modelled and shown as "/127.0.0.1").
    public var text: String {
        var lines = ["GROUP\tTOPIC\tPARTITION\tCURRENT-OFFSET\tLOG-END-OFFSET\tLAG\tCONSUMER-ID\tHOST\tCLIENT-ID"]
        for row in partitions {
            let current = row.currentOffset.map(String.init) ?? "-"
            let end = row.logEndOffset.map(String.init) ?? "-"
            let lag = row.lag.map(String.init) ?? "-"
            let host = row.consumerID == nil ? "-" : "/127.0.0.1"
            lines.append("\(groupID)\t\(row.topic)\t\(row.partition)\t\(current)\t\(end)\t\(lag)\t\(row.consumerID ?? "-")\t\(host)\t\(row.clientID ?? "-")")
        }
        return lines.joined(separator: "\n")
    }
}
