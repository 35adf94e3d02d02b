import Kafka
import Testing

@Suite struct RangeAssignorTests {
    @Test func oneTopicThreePartitionsTwoConsumers() {
        // Goal: the first member gets the extra partition; method: one topic, 3 partitions, 2 members
        // (reference §4.2, q = 1, r = 1; per topic the same split Kafka RangeAssignorTest.testTwoConsumersTwoTopicsSixPartitions expects).
        let a = Assignor.assign(.range, members: [member("consumer1", ["t"]), member("consumer2", ["t"])],
                                partitionsPerTopic: ["t": 3])
        #expect(a.partitions["consumer1"] == [tp("t", 0), tp("t", 1)])
        #expect(a.partitions["consumer2"] == [tp("t", 2)])
        #expect(a.withheld.isEmpty)
    }

    @Test func twoTopicsRangeSkew() {
        // Goal: extras accumulate on the first member across topics; method: two 3-partition topics,
        // two members (Kafka RangeAssignorTest.testTwoConsumersTwoTopicsSixPartitions).
        let ms = [member("consumer1", ["t1", "t2"]), member("consumer2", ["t1", "t2"])]
        let a = Assignor.assign(.range, members: ms, partitionsPerTopic: ["t1": 3, "t2": 3])
        #expect(a.partitions["consumer1"] == [tp("t1", 0), tp("t1", 1), tp("t2", 0), tp("t2", 1)])
        #expect(a.partitions["consumer2"] == [tp("t1", 2), tp("t2", 2)])
    }

    @Test func membersNotSubscribedGetNothing() {
        // Goal: a topic is split only among its subscribers and idle members still appear; method:
        // Kafka RangeAssignorTest.testMultipleConsumersMixedTopics plus an extra member with no known topic.
        let ms = [member("consumer1", ["topic1"]), member("consumer2", ["topic1", "topic2"]),
                  member("consumer3", ["topic1"]), member("consumer4", ["missing"])]
        let a = Assignor.assign(.range, members: ms, partitionsPerTopic: ["topic1": 3, "topic2": 2])
        #expect(a.partitions["consumer1"] == [tp("topic1", 0)])
        #expect(a.partitions["consumer2"] == [tp("topic1", 1), tp("topic2", 0), tp("topic2", 1)])
        #expect(a.partitions["consumer3"] == [tp("topic1", 2)])
        #expect(a.partitions["consumer4"] == [])
    }

    @Test func staticMembersOrderFirst() {
        // Goal: static members sort first by instance id, whatever their member ids; method: Kafka
        // RangeAssignorTest.testOneStaticConsumerAndOneDynamicConsumerTwoTopicsSixPartitions and
        // testTwoStaticConsumersTwoTopicsSixPartitions (member ids chosen to disagree with instance ids).
        let mixed = [member("consumer-a", ["t1", "t2"]), member("consumer-b", ["t1", "t2"], instance: "instance1")]
        let a = Assignor.assign(.range, members: mixed, partitionsPerTopic: ["t1": 3, "t2": 3])
        #expect(a.partitions["consumer-b"] == [tp("t1", 0), tp("t1", 1), tp("t2", 0), tp("t2", 1)])
        #expect(a.partitions["consumer-a"] == [tp("t1", 2), tp("t2", 2)])

        let statics = [member("consumer-a", ["t1", "t2"], instance: "instance2"),
                       member("consumer-b", ["t1", "t2"], instance: "instance1")]
        let b = Assignor.assign(.range, members: statics, partitionsPerTopic: ["t1": 3, "t2": 3])
        #expect(b.partitions["consumer-b"] == [tp("t1", 0), tp("t1", 1), tp("t2", 0), tp("t2", 1)])
        #expect(Assignor.sortedMembers(mixed + [member("consumer-0", [])]).map(\.memberID)
                == ["consumer-b", "consumer-0", "consumer-a"])
    }

    @Test func consumer10SortsBeforeConsumer2() {
        // Goal: member ids compare like Java String.compareTo (UTF-16), not numerically; method:
        // reference §4.1 example with 3 partitions over `consumer-2` and `consumer-10`.
        let ms = [member("consumer-2", ["t"]), member("consumer-10", ["t"])]
        #expect(Assignor.sortedMembers(ms).map(\.memberID) == ["consumer-10", "consumer-2"])
        let a = Assignor.assign(.range, members: ms, partitionsPerTopic: ["t": 3])
        #expect(a.partitions["consumer-10"] == [tp("t", 0), tp("t", 1)])
        #expect(a.partitions["consumer-2"] == [tp("t", 2)])
        // UTF-16 order, not Swift's: U+FF5E (one UTF-16 unit) sorts after U+1F600 (a surrogate pair, 0xD83D…).
        #expect(Assignor.javaStringPrecedes("a\u{1F600}", "a\u{FF5E}"))
    }
}

@Suite struct RoundRobinAssignorTests {
    @Test func twoConsumersTwoTopicsSixPartitions() {
        // Goal: partitions of all topics alternate over the sorted members; method: Kafka
        // RoundRobinAssignorTest.testTwoDynamicConsumersTwoTopicsSixPartitions.
        let ms = [member("consumer2", ["topic1", "topic2"]), member("consumer1", ["topic1", "topic2"])]
        let a = Assignor.assign(.roundrobin, members: ms, partitionsPerTopic: ["topic1": 3, "topic2": 3])
        #expect(a.partitions["consumer1"] == [tp("topic1", 0), tp("topic1", 2), tp("topic2", 1)])
        #expect(a.partitions["consumer2"] == [tp("topic1", 1), tp("topic2", 0), tp("topic2", 2)])
    }

    @Test func consumersWithDifferentSubscriptions() {
        // Goal: the circular iterator skips members not subscribed to a partition's topic; method:
        // Kafka RoundRobinAssignorTest.testMultipleConsumersMixedTopics.
        let ms = [member("consumer1", ["topic1"]), member("consumer2", ["topic1", "topic2"]), member("consumer3", ["topic1"])]
        let a = Assignor.assign(.roundrobin, members: ms, partitionsPerTopic: ["topic1": 3, "topic2": 2])
        #expect(a.partitions["consumer1"] == [tp("topic1", 0)])
        #expect(a.partitions["consumer2"] == [tp("topic1", 1), tp("topic2", 0), tp("topic2", 1)])
        #expect(a.partitions["consumer3"] == [tp("topic1", 2)])
    }

    @Test func staticMembersPersistent() {
        // Goal: static members keep their partitions when a dynamic member is replaced; method: Kafka
        // RoundRobinAssignorTest.testStaticMemberAssignmentPersistent (consumer4 replaced by consumer5).
        let statics = (1...3).map { member("consumer\($0)", ["topic1", "topic2"], instance: "instance\($0)") }
        let ppt = ["topic1": 3, "topic2": 3]
        for dynamic in ["consumer4", "consumer5"] {
            let a = Assignor.assign(.roundrobin, members: statics + [member(dynamic, ["topic1", "topic2"])], partitionsPerTopic: ppt)
            #expect(a.partitions["consumer1"] == [tp("topic1", 0), tp("topic2", 1)])
            #expect(a.partitions["consumer2"] == [tp("topic1", 1), tp("topic2", 2)])
            #expect(a.partitions["consumer3"] == [tp("topic1", 2)])
            #expect(a.partitions[dynamic] == [tp("topic2", 0)])
        }
    }

    @Test func onlySubscribedTopicsAndIdleMembers() {
        // Goal: topics nobody subscribes to are not assigned and members without partitions appear;
        // method: Kafka RoundRobinAssignorTest.testOnlyAssignsPartitionsFromSubscribedTopics and testTwoConsumersOneTopicOnePartition.
        let a = Assignor.assign(.roundrobin, members: [member("consumer", ["topic"])], partitionsPerTopic: ["topic": 3, "other": 3])
        #expect(a.partitions["consumer"] == [tp("topic", 0), tp("topic", 1), tp("topic", 2)])
        let b = Assignor.assign(.roundrobin, members: [member("consumer1", ["topic"]), member("consumer2", ["topic"])],
                                partitionsPerTopic: ["topic": 1])
        #expect(b.partitions["consumer1"] == [tp("topic", 0)])
        #expect(b.partitions["consumer2"] == [])
    }
}
