import Testing
@testable import Kafka

@Suite struct ValidationTests {
    // Goal: topic-name rules of Kafka's Topic.validate (kafka.md §3.7 code 17) and the '.'/'_' collision;
    // method: try illegal names and check the error name/code and that the cluster is unchanged.
    @Test func topicNames() throws {
        var cluster = Cluster(brokerCount: 3)
        try cluster.createTopic("a.b", partitions: 1, replicationFactor: 1, config: TopicConfig(), startIndex: 0)
        let before = cluster
        for bad in ["", ".", "..", "has space", "ümlaut", String(repeating: "x", count: 250), "a_b"] {
            let error = kafkaError { try cluster.createTopic(bad, partitions: 1, replicationFactor: 1, config: TopicConfig(), startIndex: 0) }
            #expect(error == .invalidTopic(bad))
            #expect(error?.name == "INVALID_TOPIC_EXCEPTION" && error?.code == 17)
            #expect(cluster == before)
        }
        #expect(KafkaError.invalidTopic("a_b").message.contains("collides"))
        #expect(KafkaError.invalidTopic("").message.contains("empty"))
        #expect(kafkaError { try cluster.createTopic("a.b", partitions: 1, replicationFactor: 1, config: TopicConfig(), startIndex: 0) }
                == .topicAlreadyExists("a.b"))
        #expect(KafkaError.topicAlreadyExists("a.b").code == 36)
        #expect(cluster == before)
        try cluster.createTopic(String(repeating: "x", count: 249), partitions: 1, replicationFactor: 1, config: TopicConfig(), startIndex: 0)
        try cluster.createTopic("A-z_0.9", partitions: 1, replicationFactor: 1, config: TopicConfig(), startIndex: 0)
        #expect(cluster.topics.map(\.name) == cluster.topics.map(\.name).sorted())
        #expect(cluster.checkInvariants().isEmpty)
    }

    // Goal: partition and replication-factor validation with Kafka's names and messages (kafka.md §3.7,
    // §5.4 "Replication factor: R larger than available brokers: B."); method: bad counts, unchanged cluster.
    @Test func partitionsAndReplicationFactor() throws {
        var cluster = Cluster(brokerCount: 3)
        let before = cluster
        for bad in [0, -1, 100_001] {
            let error = kafkaError { try cluster.createTopic("t", partitions: bad, replicationFactor: 1, config: TopicConfig(), startIndex: 0) }
            #expect(error == .invalidPartitions(bad) && error?.name == "INVALID_PARTITIONS" && error?.code == 37)
        }
        let rf = kafkaError { try cluster.createTopic("t", partitions: 1, replicationFactor: 4, config: TopicConfig(), startIndex: 0) }
        #expect(rf == .invalidReplicationFactor(requested: 4, brokers: 3))
        #expect(rf?.message == "Replication factor: 4 larger than available brokers: 3.")
        #expect(rf?.name == "INVALID_REPLICATION_FACTOR" && rf?.code == 38)
        #expect(kafkaError { try cluster.createTopic("t", partitions: 1, replicationFactor: 0, config: TopicConfig(), startIndex: 0) }?.code == 38)
        #expect(cluster == before)
        // Only live brokers count (ZK-era topic creation uses the registered brokers).
        try cluster.stopBroker(3)
        let stopped = cluster
        #expect(kafkaError { try cluster.createTopic("t", partitions: 1, replicationFactor: 3, config: TopicConfig(), startIndex: 0) }
                == .invalidReplicationFactor(requested: 3, brokers: 2))
        #expect(cluster == stopped)
        #expect(Cluster(brokerCount: 0).brokers.isEmpty)
        #expect(Cluster(brokerCount: -5).brokers.isEmpty)
        #expect(Cluster().brokers.map(\.id) == [1, 2, 3])
    }

    // Goal: CreatePartitions only grows, DeleteTopics/alter need an existing topic (kafka.md §3.7); method:
    // each error's name, Kafka's message, and == before.
    @Test func addDeleteAlterErrors() throws {
        var cluster = Cluster(brokerCount: 3)
        try cluster.createTopic("t", partitions: 3, replicationFactor: 3, config: TopicConfig(), startIndex: 0)
        let before = cluster
        let shrink = kafkaError { try cluster.addPartitions("t", total: 2, startIndex: 0) }
        #expect(shrink == .partitionCountCannotDecrease(current: 3, requested: 2))
        #expect(shrink?.message == "Topic currently has 3 partitions, which is higher than the requested 2.")
        #expect(shrink?.name == "INVALID_PARTITIONS" && shrink?.code == 37)
        #expect(kafkaError { try cluster.addPartitions("t", total: 3, startIndex: 0) }?.message == "Topic already has 3 partitions.")
        #expect(kafkaError { try cluster.addPartitions("t", total: 100_001, startIndex: 0) } == .invalidPartitions(100_001))
        #expect(kafkaError { try cluster.addPartitions("x", total: 4, startIndex: 0) } == .unknownTopicOrPartition(topic: "x", partition: nil))
        try cluster.stopBroker(1)
        let stopped = cluster
        #expect(kafkaError { try cluster.addPartitions("t", total: 4, startIndex: 0) } == .invalidReplicationFactor(requested: 3, brokers: 2))
        #expect(cluster == stopped)
        try cluster.startBroker(1)
        #expect(kafkaError { try cluster.deleteTopic("x") }?.code == 3)
        #expect(kafkaError { try cluster.alterConfig("x", key: "retention.ms", value: "1") }?.code == 3)
        #expect(kafkaError { try cluster.alterConfig("t", key: "segment.bytes", value: "13") }
                == .invalidConfig(name: "segment.bytes", value: "13", reason: "Value must be at least 14"))
        #expect(kafkaError { _ = try cluster.fetch(topic: "x", partition: 0, offset: 0, maxRecords: 1) }?.code == 3)
        #expect(cluster.brokers == before.brokers)
        try cluster.deleteTopic("t")
        #expect(cluster.topics.isEmpty)
        #expect(kafkaError { _ = try cluster.topic("t") } == .unknownTopicOrPartition(topic: "t", partition: nil))
    }

    // Goal: topic configs use Kafka's names, defaults and validators (LogConfig; kafka.md §5.1-§5.4); method:
    // defaults, accepted values, rejected values with INVALID_CONFIG naming the key, unchanged on failure.
    @Test func topicConfigValidation() throws {
        var config = TopicConfig()
        #expect(config.value(of: "cleanup.policy") == "delete")
        #expect(config.value(of: "retention.ms") == "604800000")
        #expect(config.value(of: "retention.bytes") == "-1")
        #expect(config.value(of: "segment.bytes") == "1073741824")
        #expect(config.value(of: "min.insync.replicas") == "1")
        #expect(config.value(of: "unclean.leader.election.enable") == "false")
        #expect(config.value(of: "max.message.bytes") == "1048588")
        #expect(config.value(of: "nope") == nil)
        #expect(config.entries.allSatisfy(\.isDefault) && config.entries.map(\.name) == TopicConfig.names)
        let pristine = config
        let cases: [(String, String)] = [
            ("segment.bytes", "13"), ("segment.bytes", "abc"), ("segment.bytes", "2147483648"),
            ("min.insync.replicas", "0"), ("unclean.leader.election.enable", "yes"), ("cleanup.policy", "forever"),
            ("cleanup.policy", ""), ("retention.ms", "-2"), ("max.message.bytes", "-1"), ("retention.bytes", "1.5"),
        ]
        for (name, value) in cases {
            let error = kafkaError { try config.set(name, value) }
            guard case let .invalidConfig(errorName, errorValue, _)? = error else {
                Issue.record("\(name)=\(value) was accepted")
                continue
            }
            #expect(errorName == name && errorValue == value && error?.code == 40 && error?.name == "INVALID_CONFIG")
            #expect(config == pristine)
        }
        let unknown = kafkaError { try config.set("retention.hours", "1") }
        guard case let .invalidConfig(_, _, reason)? = unknown else { Issue.record("unknown name accepted"); return }
        #expect(reason.contains("retention.ms") && reason.contains("cleanup.policy"))
        try config.set("cleanup.policy", "compact, delete")
        try config.set("unclean.leader.election.enable", "TRUE")
        try config.set("segment.bytes", " 14 ")
        try config.set("retention.ms", "-1")
        #expect(config.value(of: "cleanup.policy") == "compact,delete" && config.isCompacted)
        #expect(config.uncleanLeaderElectionEnabled && config.segmentBytesValue == 14)
        #expect(config.entries.filter { !$0.isDefault }.map(\.name)
                == ["cleanup.policy", "retention.ms", "segment.bytes", "unclean.leader.election.enable"])
        try config.reset("segment.bytes")
        #expect(config.value(of: "segment.bytes") == "1073741824")
    }

    // Goal: error names and protocol codes match Kafka's Errors table (kafka.md §3.7); method: table check.
    @Test func errorCodes() {
        let table: [(KafkaError, String, Int16)] = [
            (.offsetOutOfRange(offset: 0, logStart: 0, highWatermark: 0), "OFFSET_OUT_OF_RANGE", 1),
            (.unknownTopicOrPartition(topic: "t", partition: 0), "UNKNOWN_TOPIC_OR_PARTITION", 3),
            (.leaderNotAvailable(topic: "t", partition: 0), "LEADER_NOT_AVAILABLE", 5),
            (.brokerNotAvailable(1), "BROKER_NOT_AVAILABLE", 8),
            (.recordTooLarge(bytes: 2, max: 1), "MESSAGE_TOO_LARGE", 10),
            (.invalidTopic("x y"), "INVALID_TOPIC_EXCEPTION", 17),
            (.notEnoughReplicas(isr: 1, required: 2), "NOT_ENOUGH_REPLICAS", 19),
            (.topicAlreadyExists("t"), "TOPIC_ALREADY_EXISTS", 36),
            (.invalidPartitions(0), "INVALID_PARTITIONS", 37),
            (.partitionCountCannotDecrease(current: 2, requested: 1), "INVALID_PARTITIONS", 37),
            (.invalidReplicationFactor(requested: 4, brokers: 3), "INVALID_REPLICATION_FACTOR", 38),
            (.invalidConfig(name: "a", value: "b", reason: "c"), "INVALID_CONFIG", 40),
            (.invalidRecord("r"), "INVALID_RECORD", 87),
        ]
        for (error, name, code) in table {
            #expect(error.name == name && error.code == code)
            #expect(!error.message.isEmpty)
        }
    }
}
