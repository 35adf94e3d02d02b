// One log segment (kafka.md §5.1): a file named by the offset of its first record.

public struct Segment: Codable, Equatable, Sendable {
    /// Offset of the first record the segment holds (or will hold, when empty).
    public var baseOffset: Int64
    /// Bytes written to the segment: the sum of the batch sizes appended to it.
    public var sizeBytes: Int
    public var records: [StoredRecord]

    public init(baseOffset: Int64, sizeBytes: Int = 0, records: [StoredRecord] = []) {
        self.baseOffset = baseOffset
        self.sizeBytes = sizeBytes
        self.records = records
    }

    /// Kafka names segment files by the base offset zero-padded to 20 digits, e.g.
    /// `00000000000000000000.log` (kafka.md §5.1, LogFileUtils.filenamePrefixFromOffset).
    public var fileName: String {
        Segment.paddedOffset(baseOffset) + ".log"
    }

    /// The 20-digit zero-padded form of an offset (a negative offset keeps its sign in front).
    static func paddedOffset(_ offset: Int64) -> String {
        let digits = String(offset.magnitude)
        let padding = String(repeating: "0", count: max(0, 20 - digits.count))
        return (offset < 0 ? "-" : "") + padding + digits
    }
}
