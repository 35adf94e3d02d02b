// Values the cluster returns from produce and leadership changes.

/// The outcome of one append (ProduceResponse partition data).
public struct AppendResult: Equatable, Sendable {
    public var topic: String
    public var partition: Int
    public var baseOffset: Int64
    public var lastOffset: Int64
    /// The partition's high watermark after the append.
    public var highWatermark: Int64
    /// The acks the producer asked for; with `.none` a real producer never sees these offsets.
    public var acks: Acks

    /// Whether the batch is committed — the high watermark has passed its last offset, so every ISR
    /// member has it. An acks=all request is answered only then; while a lagging ISR follower holds
    /// the HW back it is still waiting (kafka.md §2.4, §5.4). acks=1 is answered at once either way.
    public var committed: Bool { highWatermark > lastOffset }

    public init(topic: String, partition: Int, baseOffset: Int64, lastOffset: Int64, highWatermark: Int64, acks: Acks) {
        self.topic = topic
        self.partition = partition
        self.baseOffset = baseOffset
        self.lastOffset = lastOffset
        self.highWatermark = highWatermark
        self.acks = acks
    }
}

/// One leader change (to a broker, or to nil = offline).
public struct ElectionChange: Equatable, Sendable {
    public var topic: String
    public var partition: Int
    public var oldLeader: Int?
    public var newLeader: Int?
    /// The new leader was not in the ISR (unclean.leader.election.enable=true).
    public var unclean: Bool
    /// Records other replicas hold beyond the point where they diverge from the new leader's log;
    /// they are truncated away when those replicas follow the new leader (data loss).
    public var truncatedRecords: Int64

    public init(topic: String, partition: Int, oldLeader: Int?, newLeader: Int?, unclean: Bool, truncatedRecords: Int64) {
        self.topic = topic
        self.partition = partition
        self.oldLeader = oldLeader
        self.newLeader = newLeader
        self.unclean = unclean
        self.truncatedRecords = truncatedRecords
    }
}

/// One ISR change made by `Cluster.shrinkIsr` or `Cluster.resumeFetching` (Kafka's AlterPartition).
public struct IsrChange: Equatable, Sendable {
    public var topic: String
    public var partition: Int
    /// Followers that left the ISR (not caught up for replica.lag.time.max.ms), in assignment order.
    public var removed: [Int]
    /// Followers that caught up and rejoined the ISR, in assignment order.
    public var added: [Int]
    /// The partition's high watermark after the change.
    public var highWatermark: Int64

    public init(topic: String, partition: Int, removed: [Int], added: [Int], highWatermark: Int64) {
        self.topic = topic
        self.partition = partition
        self.removed = removed
        self.added = added
        self.highWatermark = highWatermark
    }
}
