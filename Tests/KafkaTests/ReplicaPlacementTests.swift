import Testing
@testable import Kafka

@Suite struct ReplicaPlacementTests {
    // Goal: reproduce Kafka's rack-unaware placement oracle exactly; method: compare with the table in
    // kafka.md §5.4 (apache/kafka AdminRackAwareTest.testReplicaAssignment, brokers 0-4, start 0).
    @Test func adminRackAwareTestOracle() {
        let got = Cluster.assignReplicas(brokerIDs: [0, 1, 2, 3, 4], partitions: 10, replicationFactor: 3, startIndex: 0)
        let expected = [[0, 1, 2], [1, 2, 3], [2, 3, 4], [3, 4, 0], [4, 0, 1],
                        [0, 2, 3], [1, 3, 4], [2, 4, 0], [3, 0, 1], [4, 1, 2]]
        #expect(got == expected)
    }

    // Goal: the derived [1,2,3] example of kafka.md §5.4; method: call the placement function and
    // also create a topic on a 3-broker cluster (ids 1...3) with startIndex 0.
    @Test func derivedThreeBrokerExample() throws {
        let expected = [[1, 2], [2, 3], [3, 1], [1, 3], [2, 1], [3, 2]]
        #expect(Cluster.assignReplicas(brokerIDs: [1, 2, 3], partitions: 6, replicationFactor: 2, startIndex: 0) == expected)
        var cluster = Cluster(brokerCount: 3)
        let topic = try cluster.createTopic("orders", partitions: 6, replicationFactor: 2, config: TopicConfig(), startIndex: 0)
        #expect(topic.partitions.map(\.replicas) == expected)
        #expect(topic.partitions.map(\.leader) == expected.map(\.first))
        #expect(topic.partitions.allSatisfy { $0.isr == $0.replicas && $0.leaderEpoch == 0 })
    }

    // Goal: CreatePartitions continues numbering from the existing count; method: 3 then 6 partitions
    // on brokers [1,2,3] gives the same layout as the derived 6-partition example (kafka.md §5.4).
    @Test func addPartitionsContinuesPlacement() throws {
        var cluster = Cluster(brokerCount: 3)
        try cluster.createTopic("orders", partitions: 3, replicationFactor: 2, config: TopicConfig(), startIndex: 0)
        let topic = try cluster.addPartitions("orders", total: 6, startIndex: 0)
        #expect(topic.partitions.map(\.replicas) == [[1, 2], [2, 3], [3, 1], [1, 3], [2, 1], [3, 2]])
        #expect(topic.partitions.map(\.index) == Array(0..<6))
        #expect(cluster.checkInvariants().isEmpty)
    }

    // Goal: the start index rotates the first replica and the follower shift (AdminUtils rule in
    // kafka.md §5.4); method: startIndex 1 on [1,2,3] computed by hand from the rule.
    @Test func startIndexRotates() {
        // p0: first idx 1 → 2, shift 1 → idx 0 → 1; p1: first idx 2 → 3, shift 1 → idx 1 → 2;
        // p2: first idx 0 → 1, shift 1 → idx 2 → 3.
        #expect(Cluster.assignReplicas(brokerIDs: [1, 2, 3], partitions: 3, replicationFactor: 2, startIndex: 1)
                == [[2, 1], [3, 2], [1, 3]])
        // Impossible requests give no assignment instead of crashing.
        #expect(Cluster.assignReplicas(brokerIDs: [], partitions: 3, replicationFactor: 1, startIndex: 0) == [])
        #expect(Cluster.assignReplicas(brokerIDs: [1], partitions: 3, replicationFactor: 2, startIndex: 0) == [])
        #expect(Cluster.assignReplicas(brokerIDs: [1, 2], partitions: 2, replicationFactor: 2, startIndex: -7).count == 2)
        #expect(Cluster.assignReplicas(brokerIDs: [1, 2, 3], partitions: 1, replicationFactor: 3, startIndex: Int.max).count == 1)
    }
}
