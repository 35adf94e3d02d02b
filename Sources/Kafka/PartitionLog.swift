// One replica's log of a partition: an ordered list of segments (kafka.md §5.1).

public struct PartitionLog: Codable, Equatable, Sendable {
    /// Oldest first; the last one is the active segment that receives appends.
    public var segments: [Segment]
    /// First offset still in the log. Retention (kafka.md §5.2, Cluster+Retention.swift) advances it
    /// when whole segments below the high watermark are deleted; it never moves back.
    public var logStartOffset: Int64
    /// Offset the next appended record will get (LEO, kafka.md §3.5).
    public var logEndOffset: Int64

    /// An empty log with one empty active segment at offset 0, as a new partition directory has.
    public init() {
        self.segments = [Segment(baseOffset: 0)]
        self.logStartOffset = 0
        self.logEndOffset = 0
    }

    public init(segments: [Segment], logStartOffset: Int64, logEndOffset: Int64) {
        self.segments = segments
        self.logStartOffset = logStartOffset
        self.logEndOffset = logEndOffset
    }

    /// Number of records held (compaction, kafka.md §5.3, leaves gaps between offsets).
    public var recordCount: Int {
        segments.reduce(0) { $0 + $1.records.count }
    }

    /// The records at offsets in `from ..< upTo`, oldest first, at most `limit` of them.
    public func records(from: Int64, upTo: Int64, limit: Int) -> [StoredRecord] {
        var out: [StoredRecord] = []
        guard limit > 0, from < upTo else { return out }
        for segment in segments {
            // Skip whole segments that end before `from` (the next segment's base bounds this one).
            if let last = segment.records.last, last.offset < from { continue }
            for stored in segment.records where stored.offset >= from {
                if stored.offset >= upTo || out.count >= limit { return out }
                out.append(stored)
            }
        }
        return out
    }

    /// Appends one record batch as the leader does.
    ///
    /// Segment roll rule (kafka.md §5.1, UnifiedLog.maybeRoll / LogSegment.shouldRoll, size part only):
    /// before appending, if the active segment already holds data and its size plus the incoming batch
    /// would exceed `segment.bytes`, a new segment starts whose base offset is the current LEO.
    /// (Kafka's time-based `segment.ms` roll and index-full rolls are not modelled here.)
    mutating func appendBatch(_ records: [Record], batchBytes: Int, leaderEpoch: Int, segmentBytes: Int)
        -> (base: Int64, last: Int64)
    {
        let base = logEndOffset
        let activeIsEmpty = segments.last?.records.isEmpty ?? true
        let activeSize = segments.last?.sizeBytes ?? 0
        if segments.isEmpty || (!activeIsEmpty && activeSize > segmentBytes - batchBytes) {
            segments.append(Segment(baseOffset: base))
        }
        let index = segments.count - 1
        var offset = base
        for record in records {
            segments[index].records.append(StoredRecord(offset: offset, record: record, leaderEpoch: leaderEpoch))
            offset += 1
        }
        segments[index].sizeBytes += batchBytes
        logEndOffset = offset
        return (base, offset - 1)
    }

    /// The first offset at which two replicas' logs disagree (a different record, or a record one of
    /// them lacks). Kafka finds this point with leader epochs (KIP-101, OffsetsForLeaderEpoch); in
    /// this model comparing the stored records (which carry their epoch) gives the same answer.
    static func divergenceOffset(_ a: PartitionLog, _ b: PartitionLog) -> Int64 {
        var ai = a.makeRecordIterator()
        var bi = b.makeRecordIterator()
        var expected = max(a.logStartOffset, b.logStartOffset)
        while true {
            guard let x = ai.next(skippingBelow: expected), let y = bi.next(skippingBelow: expected) else {
                return expected
            }
            if x != y { return min(x.offset, y.offset) }
            expected = x.offset + 1
        }
    }

    func makeRecordIterator() -> RecordIterator { RecordIterator(log: self) }

    /// Walks the records of all segments in offset order.
    struct RecordIterator {
        let log: PartitionLog
        var segment = 0
        var position = 0

        init(log: PartitionLog) { self.log = log }

        mutating func next(skippingBelow floor: Int64) -> StoredRecord? {
            while segment < log.segments.count {
                let records = log.segments[segment].records
                while position < records.count {
                    let candidate = records[position]
                    position += 1
                    if candidate.offset >= floor { return candidate }
                }
                segment += 1
                position = 0
            }
            return nil
        }
    }
}
