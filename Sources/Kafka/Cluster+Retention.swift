// Log cleanup across the cluster: the broker's periodic retention check (kafka.md §5.2) and the
// log cleaner's compaction (kafka.md §5.3). The per-log rules live in PartitionLog+Cleaning.swift.

/// What one cleanup rule did to one partition (reported from the leader's log, or, for an offline
/// partition, from the first running replica's).
public struct CleaningReport: Equatable, Sendable {
    public var topic: String
    public var partition: Int
    /// File names (20-digit base offset + ".log") of the segments retention deleted, oldest first.
    public var deletedSegments: [String]
    /// Records compaction removed (older values of a key, expired tombstones, keyless records).
    public var removedRecords: Int64
    /// The log start offset after this rule ran.
    public var newLogStartOffset: Int64
    /// Which rule fired and why, starting with the config name ("retention.ms: …",
    /// "retention.bytes: …") or "compaction: kept the latest record of each key …".
    public var reason: String

    public init(topic: String, partition: Int, deletedSegments: [String], removedRecords: Int64,
                newLogStartOffset: Int64, reason: String) {
        self.topic = topic
        self.partition = partition
        self.deletedSegments = deletedSegments
        self.removedRecords = removedRecords
        self.newLogStartOffset = newLogStartOffset
        self.reason = reason
    }
}

extension TopicConfig {
    /// cleanup.policy includes `delete` (alone or with `compact`): retention.ms/retention.bytes apply.
    public var deletesOldSegments: Bool { cleanupPolicies.contains("delete") }
    /// delete.retention.ms: how long compaction keeps a tombstone (default 1 day).
    public var deleteRetentionMsValue: Int64 {
        Int64(value(of: TopicConfig.deleteRetentionMs) ?? "") ?? 86_400_000
    }
}

extension Cluster {
    /// Kafka's log cleanup at `nowMs` for every partition: what the broker's retention check
    /// (every log.retention.check.interval.ms, 5 min) and the log cleaner threads would do.
    ///
    /// For each partition, every replica on a running broker cleans its own log with the same
    /// rules; a stopped broker runs no log manager, so its log is left alone until it restarts
    /// (and then copies the leader's log anyway). A replica treats min(partition HW, its own LEO)
    /// as its high watermark, like a follower that never knows more than it holds.
    ///
    /// Rules, in this order (see PartitionLog+Cleaning.swift for the details):
    /// 1. cleanup.policy contains `delete`:
    ///    - retention.ms (≥ 0): delete the oldest segments whose newest record is more than
    ///      retention.ms older than `nowMs`;
    ///    - retention.bytes (≥ 0): while the log's size exceeds the limit by at least the oldest
    ///      segment's size, delete that segment;
    ///    both only touch segments lying entirely below the HW, go oldest first and stop at the
    ///    first segment that must stay; an empty active segment is never deleted, and when every
    ///    segment goes a new empty active segment is rolled at the LEO first. The log start offset
    ///    moves to the first remaining segment's base offset (offsets are never reused).
    /// 2. cleanup.policy contains `compact`: in the closed segments and below the HW, keep only the
    ///    latest record of each key (offsets preserved, gaps appear); tombstones remove earlier
    ///    values and are themselves removed once more than delete.retention.ms older than `nowMs`.
    ///    min.cleanable.dirty.ratio (0.5), min/max.compaction.lag.ms and the cleaner's backoff are
    ///    ignored: a pass runs whenever this is called.
    ///
    /// Reports come per partition and rule, only for rules that changed something; the high
    /// watermark and the LEO never change here.
    public mutating func cleanLogs(nowMs: Int64) -> [CleaningReport] {
        var reports: [CleaningReport] = []
        for t in topics.indices {
            let config = topics[t].config
            let name = topics[t].name
            for p in topics[t].partitions.indices {
                let state = topics[t].partitions[p]
                let running = state.replicas.filter { state.logs[$0] != nil && isAlive($0) }
                let reporter = state.leader.flatMap { running.contains($0) ? $0 : nil } ?? running.first
                // Replicas with identical logs end identical: clean each distinct log once.
                var done: [(before: PartitionLog, after: PartitionLog)] = []
                for broker in running {
                    guard let before = state.logs[broker] else { continue }
                    var after: PartitionLog
                    var logReports: [CleaningReport] = []
                    if let known = done.first(where: { $0.before == before }) {
                        after = known.after
                    } else {
                        after = before
                        logReports = Cluster.clean(&after, config: config, nowMs: nowMs,
                                                   highWatermark: min(state.highWatermark, before.logEndOffset),
                                                   topic: name, partition: p)
                        done.append((before, after))
                    }
                    if broker == reporter { reports += logReports }
                    if after != before { topics[t].partitions[p].logs[broker] = after }
                }
            }
        }
        return reports
    }

    /// Runs the topic's cleanup rules on one log and describes what each rule did.
    static func clean(_ log: inout PartitionLog, config: TopicConfig, nowMs: Int64, highWatermark: Int64,
                      topic: String, partition: Int) -> [CleaningReport] {
        var reports: [CleaningReport] = []
        if config.deletesOldSegments {
            let retentionMs = config.retentionMsValue
            let expired = log.applyRetentionMs(nowMs: nowMs, retentionMs: retentionMs, highWatermark: highWatermark)
            if !expired.isEmpty {
                let details = expired.map { "segment \($0.segment.fileName)'s newest record is \(describeDuration($0.ageMs)) old" }
                let reason = "retention.ms: " + details.joined(separator: "; ")
                    + " (limit \(retentionMs) ms = \(describeDuration(retentionMs)))"
                reports.append(CleaningReport(topic: topic, partition: partition,
                                              deletedSegments: expired.map(\.segment.fileName), removedRecords: 0,
                                              newLogStartOffset: log.logStartOffset, reason: reason))
            }
            let retentionBytes = config.retentionBytesValue
            let sizeBefore = log.sizeBytes
            let trimmed = log.applyRetentionBytes(retentionBytes: retentionBytes, highWatermark: highWatermark)
            if !trimmed.isEmpty {
                let freed = trimmed.reduce(0) { $0 + $1.sizeBytes }
                let reason = "retention.bytes: the log held \(sizeBefore) bytes, \(Int64(sizeBefore) - retentionBytes) over the "
                    + "\(retentionBytes)-byte limit; deleted the oldest \(trimmed.count == 1 ? "segment" : "\(trimmed.count) segments") "
                    + "(\(freed) bytes), leaving \(log.sizeBytes) bytes"
                reports.append(CleaningReport(topic: topic, partition: partition,
                                              deletedSegments: trimmed.map(\.fileName), removedRecords: 0,
                                              newLogStartOffset: log.logStartOffset, reason: reason))
            }
        }
        if config.isCompacted,
           let outcome = log.compact(nowMs: nowMs, deleteRetentionMs: config.deleteRetentionMsValue,
                                     highWatermark: highWatermark, segmentBytes: config.segmentBytesValue) {
            var parts = ["\(outcome.olderValues) older value\(outcome.olderValues == 1 ? "" : "s")"]
            if outcome.expiredTombstones > 0 {
                parts.append("\(outcome.expiredTombstones) tombstone\(outcome.expiredTombstones == 1 ? "" : "s") "
                             + "older than delete.retention.ms \(config.deleteRetentionMsValue)")
            }
            if outcome.keyless > 0 {
                parts.append("\(outcome.keyless) record\(outcome.keyless == 1 ? "" : "s") without a key")
            }
            let reason = "compaction: kept the latest record of each key below offset \(outcome.cleanableBound)"
                + " (removed " + parts.joined(separator: ", ")
                + "; \(outcome.segmentsBefore) segments became \(outcome.segmentsAfter))"
            reports.append(CleaningReport(topic: topic, partition: partition, deletedSegments: [],
                                          removedRecords: outcome.removed, newLogStartOffset: log.logStartOffset,
                                          reason: reason))
        }
        return reports
    }

    /// A duration in its largest whole unit: "8 days", "1 hour", "90 ms".
    static func describeDuration(_ ms: Int64) -> String {
        let units: [(size: Int64, name: String)] = [(86_400_000, "day"), (3_600_000, "hour"), (60_000, "minute"), (1_000, "second")]
        for unit in units where ms >= unit.size {
            let count = ms / unit.size
            return "\(count) \(unit.name)\(count == 1 ? "" : "s")"
        }
        return "\(ms) ms"
    }
}
