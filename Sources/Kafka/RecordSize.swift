/// Byte arithmetic of Kafka's record batch format v2 (magic 2, KIP-98), uncompressed.
///
/// Rule followed (kafka.md §2.5 and §6.4; Kafka `DefaultRecord.sizeInBytes` and
/// `DefaultRecordBatch.RECORD_BATCH_OVERHEAD`): a batch is a fixed 61-byte header followed by its
/// records. Each record is its body length as a zigzag varint, then the body: attributes (1 byte),
/// timestampDelta (zigzag varlong), offsetDelta (zigzag varint), key length (zigzag varint, -1 for
/// a null key) and the key, value length (-1 for null) and the value, the header count, and per
/// header its key length + key (header keys are never null) and value length (-1 for null) + value.
public enum RecordSize {
    public static let batchHeaderBytes = 61

    /// Zigzag varint length: zigzag maps 0,-1,1,-2,… to 0,1,2,3,… and the result takes one byte per
    /// started group of 7 bits (so 1...10 bytes for an Int64).
    public static func varintLength(_ value: Int64) -> Int {
        var zigzag = UInt64(bitPattern: (value << 1) ^ (value >> 63))
        var length = 1
        while zigzag >= 0x80 {
            zigzag >>= 7
            length += 1
        }
        return length
    }

    /// The body of one record (everything after its own length prefix).
    public static func recordBodyBytes(key: [UInt8]?, value: [UInt8]?, headers: [(key: String, value: [UInt8]?)],
                                       timestampDelta: Int64, offsetDelta: Int) -> Int {
        var size = 1 // attributes, always 0 in v2
        size += varintLength(timestampDelta)
        size += varintLength(Int64(offsetDelta))
        size += nullableBytes(key)
        size += nullableBytes(value)
        size += varintLength(Int64(headers.count))
        for header in headers {
            let keyCount = header.key.utf8.count
            size += varintLength(Int64(keyCount)) + keyCount
            size += nullableBytes(header.value)
        }
        return size
    }

    /// Size of one record inside a batch (key/value nil = null, -1 length).
    public static func recordBytes(key: [UInt8]?, value: [UInt8]?, headers: [(key: String, value: [UInt8]?)],
                                   timestampDelta: Int64, offsetDelta: Int) -> Int {
        let body = recordBodyBytes(key: key, value: value, headers: headers,
                                   timestampDelta: timestampDelta, offsetDelta: offsetDelta)
        return varintLength(Int64(body)) + body
    }

    /// A whole batch holding these records (header + records).
    public static func batchBytes(recordSizes: [Int]) -> Int {
        // Saturating sum, so nonsense sizes cannot trap.
        recordSizes.reduce(batchHeaderBytes) { total, size in
            let (sum, overflow) = total.addingReportingOverflow(size)
            return overflow ? (size > 0 ? Int.max : Int.min) : sum
        }
    }

    /// Length prefix plus bytes of a nullable byte string (null is the single varint -1).
    static func nullableBytes(_ bytes: [UInt8]?) -> Int {
        guard let bytes else { return varintLength(-1) }
        return varintLength(Int64(bytes.count)) + bytes.count
    }
}
