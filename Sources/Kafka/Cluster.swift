// The simulated Kafka cluster: brokers, topics and their partitions' replicated logs.
//
// Model notes (what this slice simulates and what it simplifies):
// - Replication is synchronous: on every append the followers that are alive and in the ISR copy
//   the batch at once, and a restarted broker catches up immediately. Real followers fetch
//   asynchronously and leave the ISR after replica.lag.time.max.ms (30 s); those timings are not
//   modelled, so while a partition has a leader every alive replica is in the ISR.
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
