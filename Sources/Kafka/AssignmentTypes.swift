// Shared types of the Kafka module's consumer-group slice. Owned by the integrator: do not change
// names or meanings; you may add members in your OWN files via extensions.

/// A topic partition, ordered by (topic, partition) like Kafka's TopicPartition comparators.
public struct TopicPartition: Codable, Hashable, Comparable, Sendable, CustomStringConvertible {
    public var topic: String
    public var partition: Int
    public init(_ topic: String, _ partition: Int) { self.topic = topic; self.partition = partition }
    public static func < (a: TopicPartition, b: TopicPartition) -> Bool { (a.topic, a.partition) < (b.topic, b.partition) }
    public var description: String { "\(topic)-\(partition)" }
}

/// What the group leader's assignor sees of one member (its subscription, classic protocol).
public struct GroupMember: Codable, Equatable, Sendable {
    public var memberID: String
    public var groupInstanceID: String?
    /// Subscribed topics.
    public var topics: [String]
    /// Partitions the member owned before this rebalance (subscription v1+ `ownedPartitions`).
    public var ownedPartitions: [TopicPartition]
    /// The generation those owned partitions come from (-1 when unknown).
    public var generation: Int
    public init(memberID: String, groupInstanceID: String? = nil, topics: [String], ownedPartitions: [TopicPartition] = [], generation: Int = -1) {
        self.memberID = memberID
        self.groupInstanceID = groupInstanceID
        self.topics = topics
        self.ownedPartitions = ownedPartitions
        self.generation = generation
    }
}

/// The client-side partition assignors of the classic protocol, by their `partition.assignment.strategy` names.
public enum AssignorKind: String, CaseIterable, Codable, Sendable {
    case range, roundrobin, sticky
    case cooperativeSticky = "cooperative-sticky"

    /// KIP-429: eager revokes everything before rejoining; cooperative keeps owned partitions.
    public var isCooperative: Bool { self == .cooperativeSticky }
}

/// An assignor's result: each member's partitions (sorted), and for the cooperative protocol the
/// partitions withheld this round because they are moving between members (assigned next round).
public struct Assignment: Equatable, Sendable {
    public var partitions: [String: [TopicPartition]]
    public var withheld: [TopicPartition]
    public init(partitions: [String: [TopicPartition]], withheld: [TopicPartition] = []) {
        self.partitions = partitions
        self.withheld = withheld
    }
}
