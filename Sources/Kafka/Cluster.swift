// The simulated Kafka cluster: brokers, topics and their partitions' replicated logs.
//
// Model notes (what this slice simulates and what it simplifies):
// - Replication is synchronous unless a broker's fetchers are paused: on every append the followers
//   that are alive, in the ISR and fetching copy the batch at once, and a restarted or resumed broker
//   catches up immediately. A paused follower (`pauseFetching`, Cluster+Lag.swift) copies nothing and
//   falls behind; it stays in the ISR, holding the HW back, until `shrinkIsr(nowMs:)` finds it has not
//   been caught up for replica.lag.time.max.ms (kafka.md §5.4, Partition.maybeShrinkIsr). So while a
//   partition has a leader every alive replica that is fetching is in the ISR with the leader's log;
//   only paused replicas may lag or be out of the ISR.
// - The controller (ZooKeeper or KRaft) is implicit: leader elections happen inside stopBroker,
//   startBroker, electPreferredLeaders and when unclean.leader.election.enable is switched on.
// - Retention (kafka.md §5.2) and compaction (§5.3) run only when `cleanLogs(nowMs:)` is called
//   (Cluster+Retention.swift, PartitionLog+Cleaning.swift); they move `logStartOffset` and leave
//   offset gaps.
// - No clocks or randomness: callers pass `startIndex` for replica placement.

public struct Cluster: Codable, Equatable, Sendable {
    /// Broker ids are 1...n, like the docker-compose examples (KAFKA_BROKER_ID / KAFKA_NODE_ID = 1, 2, 3).
    public internal(set) var brokers: [Broker]
    /// Sorted by name.
    public internal(set) var topics: [Topic]
    /// replica.lag.time.max.ms (kafka.md §5.4; 30000 since Kafka 2.5): how long an ISR follower may go
    /// without being caught up to the leader's LEO before `shrinkIsr` drops it. A broker config in
    /// Kafka, so one value for every topic here. Negative values are stored as 0.
    public var replicaLagTimeMaxMs: Int64 = Cluster.defaultReplicaLagTimeMaxMs {
        didSet { if replicaLagTimeMaxMs < 0 { replicaLagTimeMaxMs = 0 } }
    }

    /// Kafka's default replica.lag.time.max.ms (KIP-537, Kafka 2.5).
    public static let defaultReplicaLagTimeMaxMs: Int64 = 30_000

    /// Upper bounds that keep the simulator's memory use sane.
    public static let maxBrokers = 1_000
    public static let maxPartitions = 100_000

    /// A cluster of `brokerCount` live brokers (clamped to 0...maxBrokers).
    public init(brokerCount: Int = 3) {
        let count = min(max(brokerCount, 0), Cluster.maxBrokers)
        brokers = count == 0 ? [] : (1...count).map { Broker(id: $0, alive: true) }
        topics = []
    }

    /// The topic named `name`, or UNKNOWN_TOPIC_OR_PARTITION.
    public func topic(_ name: String) throws -> Topic {
        guard let index = topicIndex(name) else {
            throw KafkaError.unknownTopicOrPartition(topic: name, partition: nil)
        }
        return topics[index]
    }

    /// Ids of the brokers currently running, ascending.
    public var aliveBrokerIDs: [Int] {
        brokers.filter(\.alive).map(\.id).sorted()
    }

    /// Whether broker `id` exists and is running.
    public func isAlive(_ id: Int) -> Bool {
        brokers.contains { $0.id == id && $0.alive }
    }

    /// Whether broker `id` exists, runs and has its replica fetchers paused.
    public func isFetchingPaused(_ id: Int) -> Bool {
        brokers.contains { $0.id == id && $0.alive && $0.isFetchingPaused }
    }

    // MARK: Codable (older saved states have no replicaLagTimeMaxMs: decode the default)

    private enum CodingKeys: String, CodingKey {
        case brokers, topics, replicaLagTimeMaxMs
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        brokers = try c.decode([Broker].self, forKey: .brokers)
        topics = try c.decode([Topic].self, forKey: .topics)
        replicaLagTimeMaxMs = max(0, try c.decodeIfPresent(Int64.self, forKey: .replicaLagTimeMaxMs)
                                       ?? Cluster.defaultReplicaLagTimeMaxMs)
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(brokers, forKey: .brokers)
        try c.encode(topics, forKey: .topics)
        try c.encode(replicaLagTimeMaxMs, forKey: .replicaLagTimeMaxMs)
    }

    // MARK: Internal lookup helpers

    func topicIndex(_ name: String) -> Int? {
        // Topics are sorted by name: binary search.
        var low = 0
        var high = topics.count
        while low < high {
            let mid = (low + high) / 2
            if topics[mid].name < name { low = mid + 1 } else { high = mid }
        }
        return low < topics.count && topics[low].name == name ? low : nil
    }

    /// Where a topic named `name` would be inserted to keep `topics` sorted.
    func insertionIndex(_ name: String) -> Int {
        var low = 0
        var high = topics.count
        while low < high {
            let mid = (low + high) / 2
            if topics[mid].name < name { low = mid + 1 } else { high = mid }
        }
        return low
    }

    /// Topic and partition indices, or UNKNOWN_TOPIC_OR_PARTITION.
    func locate(_ topic: String, _ partition: Int) throws -> (topic: Int, partition: Int) {
        guard let t = topicIndex(topic) else {
            throw KafkaError.unknownTopicOrPartition(topic: topic, partition: nil)
        }
        guard partition >= 0, partition < topics[t].partitions.count else {
            throw KafkaError.unknownTopicOrPartition(topic: topic, partition: partition)
        }
        return (t, partition)
    }
}
