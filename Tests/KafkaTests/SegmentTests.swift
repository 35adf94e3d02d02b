import Testing
@testable import Kafka

@Suite struct SegmentTests {
    // Goal: a segment rolls before a batch that would push it past segment.bytes, the new segment's base
    // is the LEO and files are named by the 20-digit base offset (kafka.md §5.1); method: segment.bytes=200,
    // batches of 61 + 50 = 111 bytes.
    @Test func rollsAtSmallSegmentBytes() throws {
        var cluster = try threeBrokerTopic { try $0.set("segment.bytes", "200") }
        for i in 0..<3 {
            try cluster.append(topic: "t", partition: 0, records: makeRecords(1, from: i), recordSizes: [50], acks: .all)
        }
        let log = try #require(try cluster.topic("t").partitions[0].leaderLog)
        #expect(log.segments.map(\.baseOffset) == [0, 1, 2])
        #expect(log.segments.map(\.sizeBytes) == [111, 111, 111])
        #expect(log.segments.map(\.fileName) == ["00000000000000000000.log", "00000000000000000001.log", "00000000000000000002.log"])
        #expect(try cluster.topic("t").partitions[0].logs.values.allSatisfy { $0 == log })
        #expect(cluster.checkInvariants().isEmpty)
    }

    // Goal: the roll condition is "size + batch > segment.bytes" on a non-empty segment (LogSegment.shouldRoll,
    // kafka.md §5.1); method: fill exactly to the limit (no roll), then one byte over; an oversized batch
    // into an empty segment does not roll.
    @Test func rollBoundary() throws {
        var cluster = try threeBrokerTopic { try $0.set("segment.bytes", "200") }
        try cluster.append(topic: "t", partition: 0, records: makeRecords(1), recordSizes: [39], acks: .all)  // 100
        try cluster.append(topic: "t", partition: 0, records: makeRecords(1, from: 1), recordSizes: [39], acks: .all)  // 200: fits
        var log = try #require(try cluster.topic("t").partitions[0].leaderLog)
        #expect(log.segments.count == 1 && log.segments[0].sizeBytes == 200)
        try cluster.append(topic: "t", partition: 0, records: makeRecords(2, from: 2), recordSizes: [200, 200], acks: .all)  // 461
        log = try #require(try cluster.topic("t").partitions[0].leaderLog)
        #expect(log.segments.map(\.baseOffset) == [0, 2])
        try cluster.append(topic: "t", partition: 0, records: makeRecords(1, from: 4), recordSizes: [0], acks: .all)
        log = try #require(try cluster.topic("t").partitions[0].leaderLog)
        #expect(log.segments.map(\.fileName).last == "00000000000000000004.log")
        #expect(Segment(baseOffset: 12_345_678_901).fileName == "00000000012345678901.log")
        #expect(cluster.checkInvariants().isEmpty)
    }
}
