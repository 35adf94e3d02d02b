// The internal `__consumer_offsets` topic as the group coordinator uses it (kafka.md §3.8).

extension GroupWorld {
    /// Kafka's default `offsets.topic.num.partitions`.
    public static let offsetsTopicPartitions = 50
    /// The internal topic's name.
    public static let offsetsTopicName = "__consumer_offsets"

    /// The `__consumer_offsets` partition that owns a group: the group id's Java `String.hashCode`
    /// (computed over UTF-16 code units with 32-bit wrap-around: h = 31·h + unit), made non-negative
    /// the way Kafka's `Utils.abs` does it (Int32.min maps to 0, everything else to its absolute
    /// value), then taken modulo the partition count. `partitions` below 1 is treated as 1.
    public static func offsetsPartition(groupID: String, partitions: Int = 50) -> Int {
        let count = max(partitions, 1)
        return Int(kafkaAbs(javaHashCode(groupID))) % count
    }

    /// Java's `String.hashCode` (UTF-16 code units, Int32 overflow).
    public static func javaHashCode(_ string: String) -> Int32 {
        var hash: Int32 = 0
        for unit in string.utf16 {
            hash = hash &* 31 &+ Int32(unit)
        }
        return hash
    }

    /// Kafka's `Utils.abs`: like Math.abs, except that Int32.min (whose absolute value does not fit)
    /// becomes 0 instead of staying negative.
    public static func kafkaAbs(_ value: Int32) -> Int32 {
        value == Int32.min ? 0 : abs(value)
    }
}

/// One record the coordinator appended to `__consumer_offsets`, rendered as readable text
/// (kafka.md §3.8). `value == nil` is a tombstone.
public struct OffsetsTopicRecord: Codable, Equatable, Sendable {
    /// The `__consumer_offsets` partition (the group's coordinator partition).
    public var partition: Int
    /// "OffsetCommit" or "GroupMetadata".
    public var kind: String
    /// Key fields, e.g. `OffsetCommitKey(version=1, group=g, topic=t, partition=0)`.
    public var key: String
    /// Value fields, or nil for a tombstone.
    public var value: String?
    /// Simulated time of the write.
    public var atMs: Int64

    public init(partition: Int, kind: String, key: String, value: String?, atMs: Int64) {
        self.partition = partition
        self.kind = kind
        self.key = key
        self.value = value
        self.atMs = atMs
    }
}
