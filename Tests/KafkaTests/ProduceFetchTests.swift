import Testing
@testable import Kafka

@Suite struct ProduceFetchTests {
    // Goal: offsets are contiguous from 0 and fetch returns exactly the records below the HW;
    // method: append three batches with acks=1 and read them back (kafka.md §3.5, §3.6).
    @Test func offsetsContiguousAndFetchBelowHW() throws {
        var cluster = try threeBrokerTopic()
        var next: Int64 = 0
        for size in [1, 3, 2] {
            let result = try cluster.append(topic: "t", partition: 0, records: makeRecords(size, from: Int(next)),
                                            recordSizes: Array(repeating: 10, count: size), acks: .leader)
            #expect(result.baseOffset == next)
            #expect(result.lastOffset == next + Int64(size) - 1)
            next += Int64(size)
            #expect(result.highWatermark == next)
        }
        let all = try cluster.fetch(topic: "t", partition: 0, offset: 0, maxRecords: 100)
        #expect(all.map(\.offset) == Array(0..<6))
        #expect(all.map(\.record.value) == makeRecords(6).map(\.value))
        #expect(try cluster.fetch(topic: "t", partition: 0, offset: 2, maxRecords: 2).map(\.offset) == [2, 3])
        #expect(try cluster.fetch(topic: "t", partition: 0, offset: 6, maxRecords: 10).isEmpty)  // offset == HW
        #expect(kafkaError { _ = try cluster.fetch(topic: "t", partition: 0, offset: 7, maxRecords: 10) }
                == .offsetOutOfRange(offset: 7, logStart: 0, highWatermark: 6))
        #expect(kafkaError { _ = try cluster.fetch(topic: "t", partition: 0, offset: -1, maxRecords: 10) }?.code == 1)
        #expect(cluster.checkInvariants().isEmpty)
    }

    // Goal: HW = min ISR LEO and it does not advance while ISR < min.insync.replicas (KAFKA-15583,
    // kafka.md §5.4); method: shrink the ISR to 1 with min.insync.replicas=2, append with acks=1,
    // check fetch sees nothing at or above the HW, then restart a follower and watch the HW catch up.
    @Test func highWatermarkWaitsForMinISR() throws {
        var cluster = try threeBrokerTopic { try $0.set("min.insync.replicas", "2") }
        try cluster.append(topic: "t", partition: 0, records: makeRecords(2), recordSizes: [10, 10], acks: .all)
        try cluster.stopBroker(2)
        try cluster.stopBroker(3)
        let result = try cluster.append(topic: "t", partition: 0, records: makeRecords(3, from: 2),
                                        recordSizes: [10, 10, 10], acks: .leader)
        #expect(result.baseOffset == 2 && result.lastOffset == 4)
        #expect(result.highWatermark == 2)
        let state = try cluster.topic("t").partitions[0]
        #expect(state.logEndOffset == 5)
        #expect(state.isr == [1])
        #expect(try cluster.fetch(topic: "t", partition: 0, offset: 0, maxRecords: 10).map(\.offset) == [0, 1])
        // Between HW and LEO: no records, no error (kafka.md §3.6).
        #expect(try cluster.fetch(topic: "t", partition: 0, offset: 3, maxRecords: 10).isEmpty)
        try cluster.startBroker(3)
        let after = try cluster.topic("t").partitions[0]
        #expect(after.isr == [1, 3])
        #expect(after.highWatermark == 5)
        #expect(after.highWatermark == after.isr.compactMap { after.logs[$0]?.logEndOffset }.min())
        #expect(after.logs[3] == after.logs[1])
        #expect(try cluster.fetch(topic: "t", partition: 0, offset: 0, maxRecords: 10).map(\.offset) == [0, 1, 2, 3, 4])
        #expect(cluster.checkInvariants().isEmpty)
    }

    // Goal: acks=all refuses to append when ISR < min.insync.replicas and leaves the cluster unchanged,
    // while acks=1 and acks=0 still append (kafka.md §2.4); method: compare the cluster with == before/after.
    @Test func acksAllNeedsMinISR() throws {
        var cluster = try threeBrokerTopic { try $0.set("min.insync.replicas", "2") }
        try cluster.stopBroker(3)
        try cluster.append(topic: "t", partition: 0, records: makeRecords(1), recordSizes: [10], acks: .all)  // ISR 2 ok
        try cluster.stopBroker(2)
        let before = cluster
        #expect(kafkaError {
            try cluster.append(topic: "t", partition: 0, records: makeRecords(1, from: 1), recordSizes: [10], acks: .all)
        } == .notEnoughReplicas(isr: 1, required: 2))
        #expect(cluster == before)
        #expect(KafkaError.notEnoughReplicas(isr: 1, required: 2).name == "NOT_ENOUGH_REPLICAS")
        #expect(KafkaError.notEnoughReplicas(isr: 1, required: 2).code == 19)
        let one = try cluster.append(topic: "t", partition: 0, records: makeRecords(1, from: 1), recordSizes: [10], acks: .leader)
        #expect(one.baseOffset == 1 && one.acks == .leader)
        let zero = try cluster.append(topic: "t", partition: 0, records: makeRecords(1, from: 2), recordSizes: [10], acks: .none)
        #expect(zero.baseOffset == 2 && zero.highWatermark == 1)
        #expect(cluster.checkInvariants().isEmpty)
    }

    // Goal: produce-side validation uses Kafka's error names and never changes state; method: oversize
    // batch (61-byte header + sizes > max.message.bytes, kafka.md §2.5/§5.1), keyless record on a compacted
    // topic (§5.3), unknown topic/partition, malformed batches.
    @Test func produceValidation() throws {
        var cluster = try threeBrokerTopic { try $0.set("max.message.bytes", "100") }
        try cluster.createTopic("c", partitions: 1, replicationFactor: 1,
                                config: { var c = TopicConfig(); try? c.set("cleanup.policy", "compact"); return c }(),
                                startIndex: 0)
        let before = cluster
        let tooBig = kafkaError { try cluster.append(topic: "t", partition: 0, records: makeRecords(1), recordSizes: [40], acks: .leader) }
        #expect(tooBig == .recordTooLarge(bytes: 101, max: 100))
        #expect(tooBig?.name == "MESSAGE_TOO_LARGE" && tooBig?.code == 10)
        var copy = cluster
        #expect(kafkaError { try copy.append(topic: "t", partition: 0, records: makeRecords(1), recordSizes: [39], acks: .leader) } == nil)
        #expect(copy.checkInvariants().isEmpty)
        let keyless = kafkaError { try cluster.append(topic: "c", partition: 0, records: makeRecords(1, keyed: false), recordSizes: [10], acks: .leader) }
        #expect(keyless?.name == "INVALID_RECORD" && keyless?.code == 87)
        #expect(kafkaError { try cluster.append(topic: "nope", partition: 0, records: makeRecords(1), recordSizes: [1], acks: .leader) }
                == .unknownTopicOrPartition(topic: "nope", partition: nil))
        #expect(kafkaError { try cluster.append(topic: "t", partition: 1, records: makeRecords(1), recordSizes: [1], acks: .leader) }
                == .unknownTopicOrPartition(topic: "t", partition: 1))
        #expect(kafkaError { try cluster.append(topic: "t", partition: 0, records: [], recordSizes: [], acks: .leader) }?.code == 87)
        #expect(kafkaError { try cluster.append(topic: "t", partition: 0, records: makeRecords(2), recordSizes: [1], acks: .leader) }?.code == 87)
        #expect(kafkaError { try cluster.append(topic: "t", partition: 0, records: makeRecords(1), recordSizes: [-5], acks: .leader) }?.code == 87)
        #expect(kafkaError { try cluster.append(topic: "t", partition: 0, records: makeRecords(2), recordSizes: [Int.max, Int.max], acks: .leader) }?.code == 10)
        #expect(cluster == before)
    }
}
