import Testing
@testable import Kafka

@Suite struct DescribeTests {
    // Goal: kafka-topics --describe text matches Kafka's layout without TopicId (kafka.md §5.4); method:
    // a 3-partition RF 2 topic with one override, then after broker 2 stops.
    @Test func describeFormat() throws {
        var cluster = Cluster(brokerCount: 3)
        var config = TopicConfig()
        try config.set("min.insync.replicas", "2")
        try cluster.createTopic("orders", partitions: 3, replicationFactor: 2, config: config, startIndex: 0)
        #expect(try cluster.describe("orders") == """
            Topic: orders\tPartitionCount: 3\tReplicationFactor: 2\tConfigs: min.insync.replicas=2
            \tTopic: orders\tPartition: 0\tLeader: 1\tReplicas: 1,2\tIsr: 1,2
            \tTopic: orders\tPartition: 1\tLeader: 2\tReplicas: 2,3\tIsr: 2,3
            \tTopic: orders\tPartition: 2\tLeader: 3\tReplicas: 3,1\tIsr: 3,1
            """)
        try cluster.stopBroker(2)
        let lines = try cluster.describe("orders").split(separator: "\n").map(String.init)
        #expect(lines[2] == "\tTopic: orders\tPartition: 1\tLeader: 3\tReplicas: 2,3\tIsr: 3")
        try cluster.createTopic("plain", partitions: 1, replicationFactor: 1, config: TopicConfig(), startIndex: 0)
        #expect(try cluster.describe("plain").hasPrefix("Topic: plain\tPartitionCount: 1\tReplicationFactor: 1\tConfigs: \n"))
        #expect(kafkaError { _ = try cluster.describe("nope") }?.name == "UNKNOWN_TOPIC_OR_PARTITION")
    }
}
