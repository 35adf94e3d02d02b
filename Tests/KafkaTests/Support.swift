import Kafka

import SimKit

extension SplitMix64 {
    /// An integer in 0..<bound (bound > 0) from SimKit's seeded generator, for the sweeps.
    mutating func below(_ bound: Int) -> Int { Int(next(below: UInt64(bound))) }
}

/// `count` keyed records "k<i>" → "v<i>".
func makeRecords(_ count: Int, from start: Int = 0, keyed: Bool = true) -> [Record] {
    (start..<(start + count)).map { i in
        Record(key: keyed ? Array("k\(i)".utf8) : nil, value: Array("v\(i)".utf8), timestampMs: Int64(i))
    }
}

/// The error thrown by `body`, or nil.
func kafkaError(_ body: () throws -> Void) -> KafkaError? {
    do { try body() } catch let error as KafkaError { return error } catch { return nil }
    return nil
}

/// A 3-broker cluster with topic `t` (1 partition, RF 3, placement start 0 → replicas [1,2,3]).
func threeBrokerTopic(_ configure: (inout TopicConfig) throws -> Void = { _ in }) throws -> Cluster {
    var cluster = Cluster(brokerCount: 3)
    var config = TopicConfig()
    try configure(&config)
    try cluster.createTopic("t", partitions: 1, replicationFactor: 3, config: config, startIndex: 0)
    return cluster
}
