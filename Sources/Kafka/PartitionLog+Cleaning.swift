// Cleanup of one replica's log: retention deletes whole old segments (kafka.md §5.2) and compaction
// rewrites closed segments keeping the latest record of each key (kafka.md §5.3).
// `Cluster.cleanLogs(nowMs:)` (Cluster+Retention.swift) decides which logs to clean and reports.

extension Segment {
    /// The newest record timestamp in the segment (Kafka tracks it as the segment's max timestamp and
    /// time retention measures a segment's age from it); nil for an empty segment.
    public var largestTimestampMs: Int64? {
        records.lazy.map(\.record.timestampMs).max()
    }
}

extension PartitionLog {
    /// Bytes on disk over all segments (what retention.bytes is compared with).
    public var sizeBytes: Int {
        segments.reduce(0) { $0 + $1.sizeBytes }
    }

    // MARK: Retention (kafka.md §5.2)

    /// How many of the oldest segments a retention rule may delete.
    ///
    /// The walk goes oldest first and ends at the first segment that may not go. A segment may go
    /// when (1) all of it lies below `highWatermark` — its upper bound (the next segment's base
    /// offset, or the LEO for the last segment) is at most the HW, (2) it is not an empty active
    /// segment, and (3) `rule` accepts it. `rule` is only asked about segments that passed (1)–(2),
    /// in order, so a rule may keep a running total.
    func deletablePrefixCount(highWatermark: Int64, rule: (Segment) -> Bool) -> Int {
        var count = 0
        for (i, segment) in segments.enumerated() {
            let isLast = i == segments.count - 1
            if isLast && segment.records.isEmpty { break }
            let upperBound = isLast ? logEndOffset : segments[i + 1].baseOffset
            guard upperBound <= highWatermark, rule(segment) else { break }
            count += 1
        }
        return count
    }

    /// Deletes the `count` oldest segments and returns them. When that is every segment, an empty
    /// active segment is rolled at the LEO first, so the log always keeps one segment and new
    /// records keep their offsets. The log start offset moves up to the first remaining segment's
    /// base offset (Kafka's rule; it never moves down, and offsets are never reused).
    mutating func deleteOldestSegments(_ count: Int) -> [Segment] {
        guard count > 0 else { return [] }
        if count >= segments.count {
            segments.append(Segment(baseOffset: logEndOffset))
        }
        let removed = Array(segments.prefix(count))
        segments.removeFirst(count)
        if let first = segments.first { logStartOffset = max(logStartOffset, first.baseOffset) }
        return removed
    }

    /// retention.ms: deletes the oldest segments whose newest record is more than `retentionMs`
    /// older than `nowMs` (a negative retention.ms keeps everything). Returns each deleted segment
    /// with its age.
    mutating func applyRetentionMs(nowMs: Int64, retentionMs: Int64, highWatermark: Int64)
        -> [(segment: Segment, ageMs: Int64)]
    {
        guard retentionMs >= 0 else { return [] }
        let count = deletablePrefixCount(highWatermark: highWatermark) { segment in
            guard let newest = segment.largestTimestampMs else { return false }
            return PartitionLog.age(nowMs: nowMs, timestampMs: newest) > retentionMs
        }
        return deleteOldestSegments(count).map { segment in
            (segment, PartitionLog.age(nowMs: nowMs, timestampMs: segment.largestTimestampMs ?? nowMs))
        }
    }

    /// retention.bytes: when the log's total size is at least `retentionBytes` (a negative value
    /// disables the rule), deletes oldest segments while the remaining excess still covers the whole
    /// next segment — so the log never drops below the limit because of this rule.
    mutating func applyRetentionBytes(retentionBytes: Int64, highWatermark: Int64) -> [Segment] {
        let total = Int64(sizeBytes)
        guard retentionBytes >= 0, total >= retentionBytes else { return [] }
        var excess = total - retentionBytes
        let count = deletablePrefixCount(highWatermark: highWatermark) { segment in
            let size = Int64(segment.sizeBytes)
            guard excess - size >= 0 else { return false }
            excess -= size
            return true
        }
        return deleteOldestSegments(count)
    }

    /// now − timestamp without overflow (clamped to the Int64 range).
    static func age(nowMs: Int64, timestampMs: Int64) -> Int64 {
        let (difference, overflow) = nowMs.subtractingReportingOverflow(timestampMs)
        if overflow { return nowMs >= timestampMs ? Int64.max : Int64.min }
        return difference
    }

    // MARK: Compaction (kafka.md §5.3)

    /// What one compaction pass removed.
    struct CompactionOutcome: Equatable {
        /// Records superseded by a later record with the same key (including older tombstones).
        var olderValues: Int64 = 0
        /// Tombstones that were the latest for their key but older than delete.retention.ms.
        var expiredTombstones: Int64 = 0
        /// Records without a key (possible only if the topic was switched to compact after they
        /// were written); Kafka's cleaner drops them too.
        var keyless: Int64 = 0
        /// Records at offsets below this bound were cleanable: min(active segment base, HW).
        var cleanableBound: Int64 = 0
        /// Segments before and after the rewrite of the cleaned range.
        var segmentsBefore = 0
        var segmentsAfter = 0

        var removed: Int64 { olderValues + expiredTombstones + keyless }
    }

    /// One compaction pass, as Kafka's log cleaner does it, restated:
    ///
    /// - Only records below min(active segment's base offset, `highWatermark`) are cleanable; the
    ///   active segment is never touched, and neither is anything a consumer cannot read yet.
    /// - A key → latest-offset map is built over the cleanable records. A cleanable record stays
    ///   only if it is the latest for its key; a tombstone (key with a null value) that is the
    ///   latest stays until it is more than `deleteRetentionMs` older than `nowMs`, then goes too.
    ///   Records without a key are dropped. Kept records keep their offsets, so gaps appear.
    ///   Non-cleanable records in a closed segment that straddles the HW are kept as they are.
    /// - The closed segments holding cleanable records are rewritten in groups: consecutive segments
    ///   are merged while their combined current size stays within `segmentBytes` (the first always
    ///   joins), and each group becomes one segment carrying the base offset of its first member.
    ///   A group left without records disappears (the model keeps no empty closed segments).
    /// - The rewritten size of a segment that lost records is estimated as its kept records each
    ///   written as its own batch (61-byte header plus the record's v2 size, RecordSize), capped at
    ///   its old size; segments that lost nothing keep their exact size. (The model does not
    ///   remember batch boundaries; for one-record batches the estimate is exact.)
    ///
    /// Simplifications: min.cleanable.dirty.ratio, min/max.compaction.lag.ms and the cleaner's
    /// scheduling are not modelled — a pass runs whenever asked. Kafka (KIP-534) stamps a
    /// tombstone's delete horizon when a pass first sees it; this model measures the tombstone's
    /// age from its own timestamp instead. A pass that would remove nothing leaves the log as it is.
    ///
    /// Returns nil when nothing was removed.
    mutating func compact(nowMs: Int64, deleteRetentionMs: Int64, highWatermark: Int64, segmentBytes: Int)
        -> CompactionOutcome?
    {
        guard segments.count > 1 else { return nil }
        let bound = min(segments[segments.count - 1].baseOffset, highWatermark)
        // Closed segments that start below the bound (bases increase, so they form a prefix).
        let cleanable = segments[..<(segments.count - 1)].prefix { $0.baseOffset < bound }.count
        guard cleanable > 0 else { return nil }

        var latest: [[UInt8]: Int64] = [:]
        for segment in segments[..<cleanable] {
            for stored in segment.records where stored.offset < bound {
                if let key = stored.record.key { latest[key] = stored.offset }
            }
        }

        var outcome = CompactionOutcome(cleanableBound: bound, segmentsBefore: segments.count)
        var kept: [[StoredRecord]] = []
        kept.reserveCapacity(cleanable)
        for segment in segments[..<cleanable] {
            var survivors: [StoredRecord] = []
            survivors.reserveCapacity(segment.records.count)
            for stored in segment.records {
                guard stored.offset < bound else { survivors.append(stored); continue }
                guard let key = stored.record.key else { outcome.keyless += 1; continue }
                guard latest[key] == stored.offset else { outcome.olderValues += 1; continue }
                if stored.record.value == nil,
                   PartitionLog.age(nowMs: nowMs, timestampMs: stored.record.timestampMs) > deleteRetentionMs {
                    outcome.expiredTombstones += 1
                    continue
                }
                survivors.append(stored)
            }
            kept.append(survivors)
        }
        guard outcome.removed > 0 else { return nil }

        var rewritten: [Segment] = []
        var start = 0
        while start < cleanable {
            var end = start + 1
            var groupSize = segments[start].sizeBytes
            while end < cleanable, groupSize + segments[end].sizeBytes <= segmentBytes {
                groupSize += segments[end].sizeBytes
                end += 1
            }
            var merged = Segment(baseOffset: segments[start].baseOffset)
            for member in start..<end {
                merged.records += kept[member]
                merged.sizeBytes += PartitionLog.cleanedSize(of: segments[member], keeping: kept[member])
            }
            if !merged.records.isEmpty { rewritten.append(merged) }
            start = end
        }
        segments.replaceSubrange(0..<cleanable, with: rewritten)
        outcome.segmentsAfter = segments.count
        return outcome
    }

    /// The size of `segment` after it keeps only `survivors` (see `compact`).
    static func cleanedSize(of segment: Segment, keeping survivors: [StoredRecord]) -> Int {
        if survivors.count == segment.records.count { return segment.sizeBytes }
        var estimate = 0
        for stored in survivors {
            let record = stored.record
            estimate += RecordSize.batchHeaderBytes + RecordSize.recordBytes(
                key: record.key, value: record.value, headers: record.headers.map { ($0.key, $0.value) },
                timestampDelta: 0, offsetDelta: 0)
            if estimate >= segment.sizeBytes { return segment.sizeBytes }
        }
        return min(estimate, segment.sizeBytes)
    }
}
