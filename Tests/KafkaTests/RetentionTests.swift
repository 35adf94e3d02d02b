import Testing
@testable import Kafka
import SimKit

private let day: Int64 = 86_400_000
private let hour: Int64 = 3_600_000

/// One keyed record (nil value = tombstone) produced alone, so its batch is 61 + `size` bytes.
private func produce(_ cluster: inout Cluster, _ key: String?, _ value: String?, at timestampMs: Int64,
                     size: Int = 39, acks: Acks = .all, topic: String = "t") throws {
    let record = Record(key: key.map { Array($0.utf8) }, value: value.map { Array($0.utf8) }, timestampMs: timestampMs)
    try cluster.append(topic: topic, partition: 0, records: [record], recordSizes: [size], acks: acks)
}

private func leaderLog(_ cluster: Cluster, _ topic: String = "t") throws -> PartitionLog {
    try #require(try cluster.topic(topic).partitions[0].leaderLog)
}

private func offsets(_ log: PartitionLog) -> [Int64] {
    log.segments.flatMap { $0.records.map(\.offset) }
}

/// key → latest value among `records`, a tombstone meaning "absent".
private func latestView(_ records: [StoredRecord]) -> [[UInt8]: [UInt8]] {
    var view: [[UInt8]: [UInt8]] = [:]
    for stored in records {
        guard let key = stored.record.key else { continue }
        view[key] = stored.record.value
    }
    return view
}

@Suite struct RetentionTests {
    // Goal: retention.ms deletes closed segments whose newest record is older than the limit and moves the
    // log start offset, fetches below it fail (kafka.md §5.2, §3.6); method: segment.bytes=200 with
    // 100-byte batches (2 records per segment), records at day 0, 1 and 8, clean at day 8 + 1 h.
    @Test func timeRetentionDeletesOldClosedSegments() throws {
        var cluster = try threeBrokerTopic { try $0.set("segment.bytes", "200") }
        for (i, ts) in [0, 0, day, day, 8 * day, 8 * day].enumerated() {
            try produce(&cluster, "k\(i)", "v\(i)", at: ts)
        }
        #expect(try leaderLog(cluster).segments.map(\.baseOffset) == [0, 2, 4])
        let reports = cluster.cleanLogs(nowMs: 8 * day + hour)
        #expect(reports.count == 1)
        let report = try #require(reports.first)
        #expect(report.topic == "t" && report.partition == 0)
        #expect(report.deletedSegments == ["00000000000000000000.log", "00000000000000000002.log"])
        #expect(report.removedRecords == 0 && report.newLogStartOffset == 4)
        #expect(report.reason.hasPrefix("retention.ms: segment 00000000000000000000.log's newest record is 8 days old"))
        let state = try cluster.topic("t").partitions[0]
        #expect(state.logStartOffset == 4 && state.highWatermark == 6 && state.logEndOffset == 6)
        #expect(state.logs.values.allSatisfy { $0 == state.leaderLog })
        #expect(kafkaError { _ = try cluster.fetch(topic: "t", partition: 0, offset: 3, maxRecords: 10) }?.code == 1)
        #expect(try cluster.fetch(topic: "t", partition: 0, offset: 4, maxRecords: 10).map(\.offset) == [4, 5])
        // Offsets are never reused; a second pass at the same time changes nothing.
        try produce(&cluster, "k6", "v6", at: 8 * day + hour)
        #expect(try leaderLog(cluster).logEndOffset == 7)
        #expect(cluster.cleanLogs(nowMs: 8 * day + hour).isEmpty)
        #expect(cluster.checkInvariants().isEmpty)
        // retention.ms = -1 keeps everything forever.
        try cluster.alterConfig("t", key: "retention.ms", value: "-1")
        #expect(cluster.cleanLogs(nowMs: 1_000 * day).isEmpty)
    }

    // Goal: the age must strictly exceed retention.ms (kafka.md §5.2: now − largest timestamp > retention.ms);
    // method: retention.ms=1000, a closed segment whose newest record is exactly 1000 ms old, then 1001.
    @Test func timeRetentionBoundary() throws {
        var cluster = try threeBrokerTopic {
            try $0.set("segment.bytes", "200")
            try $0.set("retention.ms", "1000")
        }
        for ts: Int64 in [0, 500, 5_000] { try produce(&cluster, "k", "v", at: ts) }
        #expect(cluster.cleanLogs(nowMs: 1_500).isEmpty)
        let reports = cluster.cleanLogs(nowMs: 1_501)
        #expect(reports.map(\.deletedSegments) == [["00000000000000000000.log"]])
        #expect(try leaderLog(cluster).logStartOffset == 2)
    }

    // Goal: nothing at or above the high watermark is deleted, on every running replica alike, and a stopped
    // broker's log is left alone (kafka.md §5.2 "only segments entirely below the HW"); method:
    // min.insync.replicas=3, stop broker 3 so the HW sticks at 2 while acks=1 appends go on, clean far in
    // the future, then restart broker 3.
    @Test func nothingAtOrAboveTheHighWatermarkIsDeleted() throws {
        var cluster = try threeBrokerTopic {
            try $0.set("segment.bytes", "200")
            try $0.set("min.insync.replicas", "3")
        }
        try produce(&cluster, "a", "1", at: 0)
        try produce(&cluster, "b", "1", at: 0)
        try cluster.stopBroker(3)
        for i in 0..<4 { try produce(&cluster, "c\(i)", "1", at: 0, acks: .leader) }
        var state = try cluster.topic("t").partitions[0]
        #expect(state.highWatermark == 2 && state.logEndOffset == 6)
        let stoppedLog = try #require(state.logs[3])
        let reports = cluster.cleanLogs(nowMs: 100 * day)
        #expect(reports.map(\.deletedSegments) == [["00000000000000000000.log"]])
        state = try cluster.topic("t").partitions[0]
        let log = try #require(state.leaderLog)
        #expect(log.logStartOffset == 2 && log.segments.map(\.baseOffset) == [2, 4])
        #expect(offsets(log) == [2, 3, 4, 5])
        #expect(state.logs[2] == log)
        #expect(state.logs[3] == stoppedLog)
        #expect(state.highWatermark >= state.logStartOffset)
        #expect(cluster.checkInvariants().isEmpty)
        // Broker 3 returns with the leader's log; once the HW reaches the LEO everything may go.
        try cluster.startBroker(3)
        #expect(try cluster.topic("t").partitions[0].highWatermark == 6)
        #expect(cluster.cleanLogs(nowMs: 100 * day).first?.newLogStartOffset == 6)
        #expect(cluster.checkInvariants().isEmpty)
    }

    // Goal: retention.bytes deletes the oldest segments while the excess over the limit still covers the whole
    // segment, so the log never drops below the limit (kafka.md §5.2); method: seven 100-byte batches in
    // 200-byte segments (700 bytes), limit 250 → two segments go; a limit equal to the size deletes nothing.
    @Test func sizeRetention() throws {
        var cluster = try threeBrokerTopic { try $0.set("segment.bytes", "200") }
        for i in 0..<7 { try produce(&cluster, "k\(i)", "v", at: 10 * day) }
        #expect(try leaderLog(cluster).sizeBytes == 700)
        try cluster.alterConfig("t", key: "retention.bytes", value: "700")
        #expect(cluster.cleanLogs(nowMs: 10 * day).isEmpty)
        try cluster.alterConfig("t", key: "retention.bytes", value: "250")
        let reports = cluster.cleanLogs(nowMs: 10 * day)
        #expect(reports.count == 1)
        #expect(reports.first?.deletedSegments == ["00000000000000000000.log", "00000000000000000002.log"])
        #expect(reports.first?.reason.hasPrefix("retention.bytes: the log held 700 bytes, 450 over the 250-byte limit") == true)
        let log = try leaderLog(cluster)
        #expect(log.sizeBytes == 300 && log.logStartOffset == 4 && offsets(log) == [4, 5, 6])
        #expect(cluster.checkInvariants().isEmpty)
        // A delete-policy is needed: the same limit on a compact-only topic deletes no segments.
        var compacted = try threeBrokerTopic {
            try $0.set("segment.bytes", "200")
            try $0.set("cleanup.policy", "compact")
            try $0.set("retention.bytes", "0")
        }
        for i in 0..<3 { try produce(&compacted, "k\(i)", "v", at: 0) }
        #expect(compacted.cleanLogs(nowMs: 100 * day).isEmpty)
    }

    // Goal: when every segment, the active one included, may go, Kafka first rolls a new empty active
    // segment at the LEO, so the log start becomes the LEO and offsets continue (kafka.md §5.2); method:
    // three expired records in two segments, clean, then fetch and produce.
    @Test func activeSegmentRollsWhenEverythingExpires() throws {
        var cluster = try threeBrokerTopic { try $0.set("segment.bytes", "200") }
        for i in 0..<3 { try produce(&cluster, "k\(i)", "v", at: 0) }
        let reports = cluster.cleanLogs(nowMs: 8 * day)
        #expect(reports.first?.deletedSegments == ["00000000000000000000.log", "00000000000000000002.log"])
        #expect(reports.first?.newLogStartOffset == 3)
        var log = try leaderLog(cluster)
        #expect(log.segments == [Segment(baseOffset: 3)])
        #expect(log.logStartOffset == 3 && log.logEndOffset == 3)
        #expect(try cluster.fetch(topic: "t", partition: 0, offset: 3, maxRecords: 5).isEmpty)
        #expect(kafkaError { _ = try cluster.fetch(topic: "t", partition: 0, offset: 0, maxRecords: 5) }
                == .offsetOutOfRange(offset: 0, logStart: 3, highWatermark: 3))
        #expect(cluster.checkInvariants().isEmpty)
        // The empty active segment is never deleted; new records continue at offset 3.
        #expect(cluster.cleanLogs(nowMs: 80 * day).isEmpty)
        try produce(&cluster, "k3", "v", at: 80 * day)
        log = try leaderLog(cluster)
        #expect(log.segments.map(\.fileName) == ["00000000000000000003.log"] && offsets(log) == [3])
        #expect(cluster.checkInvariants().isEmpty)
    }

    // Goal: compaction keeps the latest record of each key in the closed segments, preserves offsets (gaps
    // appear) and never touches the active segment (kafka.md §5.3); method: keys a b a c b a | a with
    // cleanup.policy=compact, segment.bytes=200; the last "a" sits in the active segment.
    @Test func compactionKeepsLatestPerKey() throws {
        var cluster = try threeBrokerTopic {
            try $0.set("segment.bytes", "200")
            try $0.set("cleanup.policy", "compact")
        }
        for (i, key) in ["a", "b", "a", "c", "b", "a", "a"].enumerated() {
            try produce(&cluster, key, "\(key)\(i)", at: Int64(i))
        }
        let before = try leaderLog(cluster)
        #expect(before.segments.map(\.baseOffset) == [0, 2, 4, 6])
        let reports = cluster.cleanLogs(nowMs: 10)
        #expect(reports.count == 1)
        let report = try #require(reports.first)
        #expect(report.removedRecords == 3 && report.deletedSegments.isEmpty && report.newLogStartOffset == 0)
        #expect(report.reason.hasPrefix("compaction: kept the latest record of each key"))
        let log = try leaderLog(cluster)
        // 0 (a), 1 (b), 2 (a) were superseded; 5 (a) stays because only the active segment supersedes it.
        #expect(offsets(log) == [3, 4, 5, 6])
        #expect(log.segments.map(\.baseOffset) == [2, 4, 6])
        #expect(log.segments.last == before.segments.last)
        #expect(log.segments[0].sizeBytes < 200 && log.segments[0].sizeBytes > 0)
        #expect(log.logStartOffset == 0 && log.logEndOffset == 7)
        let fetched = try cluster.fetch(topic: "t", partition: 0, offset: 1, maxRecords: 10)
        #expect(fetched.map(\.offset) == [3, 4, 5, 6])
        #expect(fetched.map { String(decoding: $0.record.value ?? [], as: UTF8.self) } == ["c3", "b4", "a5", "a6"])
        #expect(try cluster.topic("t").partitions[0].logs.values.allSatisfy { $0 == log })
        #expect(cluster.checkInvariants().isEmpty)
        // Nothing left to remove: a second pass changes nothing.
        #expect(cluster.cleanLogs(nowMs: 10).isEmpty)
        #expect(try leaderLog(cluster) == log)
    }

    // Goal: compaction only cleans below the high watermark (kafka.md §5.3, §3.5); method: min.insync.replicas=3
    // and a stopped broker keep the HW at 2 while more "a" records arrive with acks=1.
    @Test func compactionStopsAtTheHighWatermark() throws {
        var cluster = try threeBrokerTopic {
            try $0.set("segment.bytes", "200")
            try $0.set("cleanup.policy", "compact")
            try $0.set("min.insync.replicas", "3")
        }
        try produce(&cluster, "a", "0", at: 0)
        try produce(&cluster, "a", "1", at: 0)
        try cluster.stopBroker(3)
        for i in 2..<5 { try produce(&cluster, "a", "\(i)", at: 0, acks: .leader) }
        #expect(try cluster.topic("t").partitions[0].highWatermark == 2)
        let reports = cluster.cleanLogs(nowMs: 0)
        #expect(reports.map(\.removedRecords) == [1])
        #expect(offsets(try leaderLog(cluster)) == [1, 2, 3, 4])
        #expect(cluster.checkInvariants().isEmpty)
    }

    // Goal: a tombstone removes the earlier values of its key at once and is itself kept until it is older
    // than delete.retention.ms, then removed (kafka.md §5.3, Kafka docs "delete.retention.ms"); method:
    // a=1, a=null, b=1 | x | c, clean at exactly delete.retention.ms after the tombstone, then 1 ms later.
    @Test func tombstonesExpireAfterDeleteRetention() throws {
        var cluster = try threeBrokerTopic {
            try $0.set("segment.bytes", "200")
            try $0.set("cleanup.policy", "compact")
        }
        try produce(&cluster, "a", "1", at: 0)
        try produce(&cluster, "a", nil, at: 1_000)
        try produce(&cluster, "b", "1", at: 1_000)
        try produce(&cluster, "x", "1", at: 1_000)
        try produce(&cluster, "c", "1", at: 1_000)
        #expect(try cluster.topic("t").config.deleteRetentionMsValue == 86_400_000)
        var reports = cluster.cleanLogs(nowMs: 1_000 + day)
        #expect(reports.map(\.removedRecords) == [1])
        var log = try leaderLog(cluster)
        #expect(offsets(log) == [1, 2, 3, 4])
        let tombstone = try #require(log.segments.first?.records.first)
        #expect(tombstone.offset == 1 && tombstone.record.value == nil)
        reports = cluster.cleanLogs(nowMs: 1_001 + day)
        #expect(reports.map(\.removedRecords) == [1])
        #expect(reports.first?.reason.contains("1 tombstone older than delete.retention.ms 86400000") == true)
        log = try leaderLog(cluster)
        #expect(offsets(log) == [2, 3, 4])
        #expect(log.segments.map(\.baseOffset) == [2, 4])
        #expect(cluster.checkInvariants().isEmpty)
        // delete.retention.ms=0 drops a tombstone on the first pass that sees it after its own timestamp.
        try produce(&cluster, "b", nil, at: 2_000)
        try produce(&cluster, "z", "1", at: 2_000)
        try cluster.alterConfig("t", key: "delete.retention.ms", value: "0")
        reports = cluster.cleanLogs(nowMs: 2_001)
        #expect(reports.map(\.removedRecords) == [2])  // b=1 (older value) and the b tombstone itself
        log = try leaderLog(cluster)
        #expect(offsets(log) == [3, 4, 6])
        #expect(latestView(log.segments.flatMap(\.records)).keys.sorted { $0.lexicographicallyPrecedes($1) }
                == [Array("c".utf8), Array("x".utf8), Array("z".utf8)])
        #expect(cluster.checkInvariants().isEmpty)
    }

    // Goal: with cleanup.policy=compact,delete both rules apply: retention deletes expired segments and
    // compaction cleans the rest (kafka.md §5.3 "compact,delete"); method: old records in the first
    // segment, duplicate keys in the next ones.
    @Test func compactAndDelete() throws {
        var cluster = try threeBrokerTopic {
            try $0.set("segment.bytes", "200")
            try $0.set("cleanup.policy", "compact,delete")
        }
        #expect(try cluster.topic("t").config.cleanupPolicies == ["compact", "delete"])
        try produce(&cluster, "a", "0", at: 0)
        try produce(&cluster, "b", "1", at: 0)
        for (i, key) in ["a", "a", "b", "c"].enumerated() { try produce(&cluster, key, "\(i + 2)", at: 8 * day) }
        let reports = cluster.cleanLogs(nowMs: 8 * day)
        #expect(reports.count == 2)
        #expect(reports.first?.deletedSegments == ["00000000000000000000.log"])
        #expect(reports.last?.removedRecords == 1)
        let log = try leaderLog(cluster)
        #expect(log.logStartOffset == 2 && offsets(log) == [3, 4, 5])
        #expect(cluster.checkInvariants().isEmpty)
    }

    // Goal: records without a key are rejected with INVALID_RECORD (87) on compacted topics, whichever way
    // compact is spelled, and accepted on delete-only topics (kafka.md §5.3); method: produce a keyless record.
    @Test func keylessRecordsRejectedOnCompactedTopics() throws {
        for policy in ["compact", "compact,delete", "delete, compact"] {
            var cluster = try threeBrokerTopic { try $0.set("cleanup.policy", policy) }
            let before = cluster
            let error = kafkaError { try produce(&cluster, nil, "v", at: 0) }
            #expect(error?.code == 87 && error?.name == "INVALID_RECORD")
            #expect(cluster == before)
        }
        var plain = try threeBrokerTopic()
        try produce(&plain, nil, "v", at: 0)
        #expect(try leaderLog(plain).logEndOffset == 1)
    }

    // Goal: delete.retention.ms is a topic config with Kafka's default (1 day) and validator (long ≥ 0), and
    // cleanup.policy accepts "compact,delete" (Kafka docs, topic configs); method: set, read back, reject.
    @Test func configs() throws {
        var config = TopicConfig()
        #expect(TopicConfig.names.contains("delete.retention.ms") && TopicConfig.names == TopicConfig.names.sorted())
        #expect(config.value(of: "delete.retention.ms") == "86400000" && config.deleteRetentionMsValue == 86_400_000)
        try config.set("delete.retention.ms", " 0 ")
        #expect(config.deleteRetentionMsValue == 0)
        #expect(kafkaError { try config.set("delete.retention.ms", "-1") }?.name == "INVALID_CONFIG")
        #expect(kafkaError { try config.set("delete.retention.ms", "soon") }?.name == "INVALID_CONFIG")
        try config.set("cleanup.policy", "delete, compact")
        #expect(config.value(of: "cleanup.policy") == "delete,compact")
        #expect(config.isCompacted && config.deletesOldSegments)
        try config.set("cleanup.policy", "compact")
        #expect(!config.deletesOldSegments)
        try config.reset("delete.retention.ms")
        #expect(config.deleteRetentionMsValue == 86_400_000)
    }

    // Goal: checkInvariants accepts compaction's gaps in closed segments but still flags logs no cleanup can
    // produce — a log start above the first segment, a record outside its segment, a gap in the active
    // segment, offsets out of order (kafka.md §5.1–§5.3); method: break a compacted log by hand on every replica.
    @Test func invariantsCoverCompactionGaps() throws {
        var cluster = try threeBrokerTopic {
            try $0.set("segment.bytes", "200")
            try $0.set("cleanup.policy", "compact")
        }
        for key in ["a", "a", "b", "b", "c"] { try produce(&cluster, key, "v", at: 0) }
        _ = cluster.cleanLogs(nowMs: 0)
        let good = try leaderLog(cluster)
        #expect(offsets(good) == [1, 3, 4] && cluster.checkInvariants().isEmpty)
        func broken(_ edit: (inout PartitionLog) -> Void) -> [String] {
            var copy = cluster
            var log = good
            edit(&log)
            for broker in copy.topics[0].partitions[0].replicas { copy.topics[0].partitions[0].logs[broker] = log }
            return copy.checkInvariants()
        }
        #expect(!broken { $0.logStartOffset = 1 }.isEmpty)  // above the first segment's base 0
        #expect(!broken { $0.segments[0].records[0].offset = 2 }.isEmpty)  // inside segment 2's range
        #expect(!broken { $0.segments[1].records[0].offset = 0 }.isEmpty)  // before the previous record
        #expect(!broken { $0.segments[2].records.append(StoredRecord(offset: 6, record: Record(key: [1], value: nil, timestampMs: 0), leaderEpoch: 0)); $0.logEndOffset = 7 }.isEmpty)  // gap in the active segment
        #expect(!broken { $0.logEndOffset = 6 }.isEmpty)  // LEO beyond the active segment's last record
        #expect(!broken { $0.segments.insert(Segment(baseOffset: 0), at: 0); $0.segments[1].baseOffset = 1 }.isEmpty)  // empty closed segment
    }

    // Goal: cleaning keeps every model invariant (log start ≤ offsets ≤ LEO, non-overlapping segments, HW ≤ LEO,
    // gaps only from compaction), never changes HW/LEO or records at/above the HW, never moves the log start
    // back, and compaction never changes the latest committed value of any key (kafka.md §5.2, §5.3); method:
    // seeded SplitMix64 sequences of produce / clean / stop / start / config changes, checkInvariants() after each.
    @Test(arguments: Array(UInt64(1)...UInt64(10)))
    func seededSweep(seed: UInt64) throws {
        var rng = SplitMix64(seed: seed)
        var cluster = Cluster(brokerCount: 3)
        let policies = ["delete", "compact", "compact,delete"]
        for (i, policy) in policies.enumerated() {
            var config = TopicConfig()
            try config.set("cleanup.policy", policy)
            try config.set("segment.bytes", ["100", "200", "300"][rng.below(3)])
            try config.set("retention.ms", ["1000", "5000", "-1"][rng.below(3)])
            try config.set("retention.bytes", ["-1", "300", "600"][rng.below(3)])
            try config.set("delete.retention.ms", ["0", "2000"][rng.below(2)])
            try config.set("min.insync.replicas", String(1 + rng.below(2)))
            if rng.below(3) == 0 { try config.set("unclean.leader.election.enable", "true") }
            try cluster.createTopic("t\(i)", partitions: 1 + rng.below(2), replicationFactor: 1 + rng.below(3),
                                    config: config, startIndex: rng.below(3))
        }
        let keys = ["a", "b", "c", "d", "e", "f"]
        var now: Int64 = 0
        var deletedSegments = 0
        var removedRecords: Int64 = 0
        for step in 0..<400 {
            now += Int64(rng.below(300))
            let t = rng.below(policies.count)
            let topicName = "t\(t)"
            do {
                switch rng.below(12) {
                case 0...4:
                    let count = 1 + rng.below(3)
                    let records = (0..<count).map { _ in
                        Record(key: Array(keys[rng.below(keys.count)].utf8),
                               value: rng.below(6) == 0 ? nil : Array("v\(step)".utf8),
                               timestampMs: now - Int64(rng.below(1_500)))
                    }
                    let partitions = try cluster.topic(topicName).partitions.count
                    try cluster.append(topic: topicName, partition: rng.below(partitions), records: records,
                                       recordSizes: records.map { _ in rng.below(40) }, acks: Acks.allCases[rng.below(3)])
                case 5, 6, 7:
                    let before = cluster
                    let reports = cluster.cleanLogs(nowMs: now)
                    for report in reports {
                        deletedSegments += report.deletedSegments.count
                        removedRecords += report.removedRecords
                        #expect(report.deletedSegments.allSatisfy { $0.count == 24 && $0.hasSuffix(".log") })
                        let state = try cluster.topic(report.topic).partitions[report.partition]
                        #expect(report.newLogStartOffset <= state.highWatermark)
                    }
                    try checkCleaning(before: before, after: cluster, seed: seed, step: step)
                case 8:
                    try cluster.stopBroker(1 + rng.below(3))
                case 9, 10:
                    try cluster.startBroker(1 + rng.below(3))
                default:
                    let key = ["retention.ms", "retention.bytes", "delete.retention.ms", "segment.bytes"][rng.below(4)]
                    let value = ["0", "300", "1000", "-1"][rng.below(4)]
                    try cluster.alterConfig(topicName, key: key, value: value)
                }
            } catch is KafkaError {
                // NOT_ENOUGH_REPLICAS, LEADER_NOT_AVAILABLE, INVALID_CONFIG: expected in a random sweep.
            }
            let problems = cluster.checkInvariants()
            #expect(problems.isEmpty, "seed \(seed) step \(step): \(problems)")
            if !problems.isEmpty { return }
        }
        #expect(deletedSegments > 0, "seed \(seed): retention never fired")
        #expect(removedRecords > 0, "seed \(seed): compaction never fired")
    }

    /// Properties one cleanLogs call must keep, per partition.
    private func checkCleaning(before: Cluster, after: Cluster, seed: UInt64, step: Int) throws {
        for (old, new) in zip(before.topics, after.topics) {
            for (p, q) in zip(old.partitions, new.partitions) {
                let label = "seed \(seed) step \(step) \(old.name)-\(p.index)"
                #expect(p.highWatermark == q.highWatermark && p.leader == q.leader && p.isr == q.isr, "\(label)")
                for (broker, was) in p.logs {
                    let now = try #require(q.logs[broker])
                    #expect(now.logEndOffset == was.logEndOffset, "\(label)")
                    #expect(now.logStartOffset >= was.logStartOffset, "\(label)")
                    let oldRecords = was.segments.flatMap(\.records)
                    let newRecords = now.segments.flatMap(\.records)
                    // Cleaning only removes records, and never one at or above the HW.
                    let kept = Set(newRecords.map(\.offset))
                    #expect(newRecords.allSatisfy { oldRecords.contains($0) }, "\(label)")
                    #expect(oldRecords.allSatisfy { $0.offset < p.highWatermark || kept.contains($0.offset) }, "\(label)")
                }
                // Compaction alone never changes what a consumer reading from the start would end up with.
                if old.config.isCompacted && !old.config.deletesOldSegments, let leader = p.leader,
                   let was = p.logs[leader], let now = q.logs[leader] {
                    let committed = { (log: PartitionLog) in log.segments.flatMap(\.records).filter { $0.offset < p.highWatermark } }
                    #expect(latestView(committed(was)) == latestView(committed(now)), "\(label)")
                }
                if let leader = q.leader, let log = q.logs[leader], log.logStartOffset > 0 {
                    let error = kafkaError { _ = try after.fetch(topic: new.name, partition: q.index,
                                                                 offset: log.logStartOffset - 1, maxRecords: 1) }
                    #expect(error?.code == 1, "\(label)")
                }
            }
        }
    }
}
