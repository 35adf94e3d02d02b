// Record batch v2 (magic 2), kafka.md §6.4 and Kafka's DefaultRecordBatch.java / DefaultRecord.java:
// BaseOffset int64 | Length int32 (= total - 12) | PartitionLeaderEpoch int32 | Magic int8 = 2 |
// CRC uint32 | Attributes int16 | LastOffsetDelta int32 | BaseTimestamp int64 | MaxTimestamp int64 |
// ProducerId int64 | ProducerEpoch int16 | BaseSequence int32 | RecordsCount int32 | Records.
// The CRC-32C covers Attributes..end (not BaseOffset, Length, PartitionLeaderEpoch, Magic, CRC).
// Record (`BatchRecord`): length varint | attributes int8 | timestampDelta varlong | offsetDelta varint |
// keyLength varint (-1 null) | key | valueLength varint (-1 null) | value | headerCount varint |
// headers [keyLen varint, key, valueLen varint (-1 null), value]. All varints zigzag.

public enum CompressionCodec: Int, Sendable, CaseIterable {
    case none = 0, gzip = 1, snappy = 2, lz4 = 3, zstd = 4
}

public enum TimestampType: Int, Sendable {
    case createTime = 0, logAppendTime = 1
}

public struct RecordBatchHeader: Equatable, Sendable {
    /// Bytes from BaseOffset through RecordsCount.
    public static let size = 61
    /// Offset of the Attributes field = start of the CRC-covered region.
    public static let crcCoverageStart = 21
    /// Smallest legal Length field (header after the Length field, zero records).
    public static let minimumLength: Int32 = 49

    public var baseOffset: Int64
    public var batchLength: Int32
    public var partitionLeaderEpoch: Int32
    public var magic: Int8
    public var crc: UInt32
    public var attributes: Int16
    public var lastOffsetDelta: Int32
    public var baseTimestamp: Int64
    public var maxTimestamp: Int64
    public var producerId: Int64
    public var producerEpoch: Int16
    public var baseSequence: Int32
    public var recordCount: Int32

    /// Attributes bits 0–2 (0 none, 1 gzip, 2 snappy, 3 lz4, 4 zstd; 5–7 invalid).
    public var compressionCodecId: Int { Int(attributes & 0x7) }
    public var compression: CompressionCodec? { CompressionCodec(rawValue: compressionCodecId) }
    /// Attributes bit 3.
    public var timestampType: TimestampType { attributes & 0x8 != 0 ? .logAppendTime : .createTime }
    /// Attributes bit 4.
    public var isTransactional: Bool { attributes & 0x10 != 0 }
    /// Attributes bit 5.
    public var isControlBatch: Bool { attributes & 0x20 != 0 }
    /// Attributes bit 6.
    public var hasDeleteHorizon: Bool { attributes & 0x40 != 0 }
    /// Total bytes of the batch (Length + 12).
    public var totalSize: Int { Int(batchLength) + 12 }
    public var lastOffset: Int64 { baseOffset &+ Int64(lastOffsetDelta) }
    /// Offset right after this batch (the log end offset after appending it).
    public var nextOffset: Int64 { lastOffset &+ 1 }

    /// Reads the 61-byte header (no validation beyond bounds).
    public init(from r: inout WireReader) throws {
        baseOffset = try r.readInt64()
        batchLength = try r.readInt32()
        partitionLeaderEpoch = try r.readInt32()
        magic = try r.readInt8()
        crc = try r.readUInt32()
        attributes = try r.readInt16()
        lastOffsetDelta = try r.readInt32()
        baseTimestamp = try r.readInt64()
        maxTimestamp = try r.readInt64()
        producerId = try r.readInt64()
        producerEpoch = try r.readInt16()
        baseSequence = try r.readInt32()
        recordCount = try r.readInt32()
    }
}

public struct RecordHeader: Equatable, Sendable {
    public var key: String
    public var value: [UInt8]?
    public init(key: String, value: [UInt8]?) { self.key = key; self.value = value }
}

public struct BatchRecord: Equatable, Sendable {
    /// Unused by Kafka (always 0).
    public var attributes: Int8
    public var timestampDelta: Int64
    public var offsetDelta: Int32
    public var key: [UInt8]?
    public var value: [UInt8]?
    public var headers: [RecordHeader]

    public init(attributes: Int8 = 0, timestampDelta: Int64 = 0, offsetDelta: Int32, key: [UInt8]? = nil,
                value: [UInt8]?, headers: [RecordHeader] = []) {
        self.attributes = attributes; self.timestampDelta = timestampDelta; self.offsetDelta = offsetDelta
        self.key = key; self.value = value; self.headers = headers
    }

    /// Bytes after the length varint.
    func encodeBody(to w: inout WireWriter) {
        w.writeInt8(attributes)
        w.writeVarlong(timestampDelta)
        w.writeVarint(offsetDelta)
        BatchRecord.writeVarBytes(key, to: &w)
        BatchRecord.writeVarBytes(value, to: &w)
        w.writeVarint(Int32(truncatingIfNeeded: headers.count))
        for h in headers {
            BatchRecord.writeVarBytes(Array(h.key.utf8), to: &w)
            BatchRecord.writeVarBytes(h.value, to: &w)
        }
    }

    static func writeVarBytes(_ b: [UInt8]?, to w: inout WireWriter) {
        guard let b else { w.writeVarint(-1); return }
        w.writeVarint(Int32(truncatingIfNeeded: b.count))
        w.writeRaw(b)
    }

    /// The record's Length field (size of everything after it).
    public var encodedLength: Int {
        var w = WireWriter()
        encodeBody(to: &w)
        return w.count
    }

    /// length varint + body.
    public func encode(to w: inout WireWriter) {
        var body = WireWriter()
        encodeBody(to: &body)
        w.writeVarint(Int32(truncatingIfNeeded: body.count))
        w.writeRaw(body.bytes)
    }

    /// Reads one record (DefaultRecord.readFrom); its Length must match exactly.
    public init(from r: inout WireReader) throws {
        let pos = r.offset
        let length = Int(try r.readVarint())
        if length < 0 { throw WireError(.negativeLength(length), at: pos) }
        if length > r.remaining { throw WireError(.truncated(needed: length, available: r.remaining), at: pos) }
        var s = WireReader(r.bytes, offset: r.offset, end: r.offset + length, maxLength: r.maxLength)
        attributes = try s.readInt8()
        timestampDelta = try s.readVarlong()
        offsetDelta = try s.readVarint()
        key = try BatchRecord.readVarBytes(&s)
        value = try BatchRecord.readVarBytes(&s)
        let hpos = s.offset
        let headerCount = Int(try s.readVarint())
        if headerCount < 0 { throw WireError(.negativeLength(headerCount), at: hpos) }
        // Each header takes at least 2 bytes (two varints).
        try s.checkLength(headerCount, at: hpos, minElementSize: 2)
        var hs: [RecordHeader] = []
        hs.reserveCapacity(headerCount)
        for _ in 0..<headerCount {
            let kpos = s.offset
            let klen = Int(try s.readVarint())
            if klen < 0 { throw WireError(.negativeLength(klen), at: kpos) }
            try s.checkLength(klen, at: kpos)
            let k = try s.utf8(klen, at: kpos)
            hs.append(RecordHeader(key: k, value: try BatchRecord.readVarBytes(&s)))
        }
        headers = hs
        if !s.isAtEnd {
            throw WireError(.invalidRecord("record length \(length) leaves \(s.remaining) bytes unread"), at: s.offset)
        }
        try r.skip(length)
    }

    static func readVarBytes(_ r: inout WireReader) throws -> [UInt8]? {
        let pos = r.offset
        let n = Int(try r.readVarint())
        if n == -1 { return nil }
        if n < 0 { throw WireError(.negativeLength(n), at: pos) }
        try r.checkLength(n, at: pos)
        return try r.readRaw(n)
    }
}

/// One complete v2 batch: its parsed header and its exact bytes.
public struct RecordBatch: Equatable, Sendable {
    public let header: RecordBatchHeader
    public let bytes: [UInt8]

    /// CRC-32C over Attributes..end, as stored batches must carry.
    public var computedCRC: UInt32 { CRC32C.checksum(bytes, from: RecordBatchHeader.crcCoverageStart) }
    public var isCRCValid: Bool { computedCRC == header.crc }

    /// Parses exactly one batch from `bytes` (which must be the whole batch).
    public init(bytes: [UInt8], verifyCRC: Bool = true) throws {
        var r = WireReader(bytes)
        let h = try RecordBatch.readValidatedHeader(&r, blobOffset: 0, verifyCRC: verifyCRC, bytes: bytes, start: 0)
        guard h.totalSize == bytes.count else {
            if h.totalSize > bytes.count { throw WireError(.partialBatch(available: bytes.count, needed: h.totalSize), at: 0) }
            throw WireError(.trailingBytes(bytes.count - h.totalSize), at: h.totalSize)
        }
        header = h
        self.bytes = bytes
    }

    init(header: RecordBatchHeader, bytes: [UInt8]) {
        self.header = header
        self.bytes = bytes
    }

    static func readValidatedHeader(_ r: inout WireReader, blobOffset: Int, verifyCRC: Bool,
                                    bytes: [UInt8], start: Int) throws -> RecordBatchHeader {
        let h = try RecordBatchHeader(from: &r)
        if h.magic != 2 { throw WireError(.invalidMagic(h.magic), at: start + 16) }
        if h.batchLength < RecordBatchHeader.minimumLength {
            throw WireError(.invalidRecord("batch length \(h.batchLength) below minimum \(RecordBatchHeader.minimumLength)"), at: start + 8)
        }
        if h.recordCount < 0 { throw WireError(.negativeLength(Int(h.recordCount)), at: start + 57) }
        let end = start + h.totalSize
        if end > bytes.count { throw WireError(.partialBatch(available: bytes.count - start, needed: h.totalSize), at: start) }
        if verifyCRC {
            let c = CRC32C.checksum(bytes, from: start + RecordBatchHeader.crcCoverageStart, to: end)
            if c != h.crc { throw WireError(.crcMismatch(stored: h.crc, computed: c), at: start + 17) }
        }
        return h
    }

    /// Decodes the records of an uncompressed batch (compressed → `.unsupportedCompression`).
    /// Checks the record count, the per-record lengths and that the records fill the batch exactly.
    public func records(maxLength: Int = WireReader.defaultMaxLength) throws -> [BatchRecord] {
        let codec = header.compressionCodecId
        if codec != 0 { throw WireError(.unsupportedCompression(codec), at: 21) }
        var r = WireReader(bytes, offset: RecordBatchHeader.size, end: bytes.count, maxLength: maxLength)
        let n = Int(header.recordCount)
        // A record is at least 7 bytes (length, attributes, 3 varints, 2 null/empty lengths... ).
        try r.checkLength(n, at: 57, minElementSize: 7)
        var out: [BatchRecord] = []
        out.reserveCapacity(n)
        for _ in 0..<n { out.append(try BatchRecord(from: &r)) }
        if !r.isAtEnd { throw WireError(.invalidRecord("\(r.remaining) bytes after \(n) records"), at: r.offset) }
        return out
    }

    /// The bytes after the 61-byte header: the records, compressed as the attributes say.
    public var payload: [UInt8] { Array(bytes[min(RecordBatchHeader.size, bytes.count)...]) }

    /// Decodes the batch's records from its payload once decompressed by the caller (a compressed
    /// batch's header is not compressed: the record count still comes from it, kafka.md §6.3).
    public func records(decompressedPayload: [UInt8], maxLength: Int = WireReader.defaultMaxLength) throws -> [BatchRecord] {
        var r = WireReader(decompressedPayload, offset: 0, end: decompressedPayload.count, maxLength: maxLength)
        let n = Int(header.recordCount)
        try r.checkLength(n, at: 57, minElementSize: 7)
        var out: [BatchRecord] = []
        out.reserveCapacity(n)
        for _ in 0..<n { out.append(try BatchRecord(from: &r)) }
        if !r.isAtEnd { throw WireError(.invalidRecord("\(r.remaining) bytes after \(n) records"), at: r.offset) }
        return out
    }

    /// A copy with BaseOffset (and optionally PartitionLeaderEpoch) replaced; CRC unchanged (not covered).
    public func withBaseOffset(_ baseOffset: Int64, partitionLeaderEpoch: Int32? = nil) -> RecordBatch {
        var b = bytes
        RecordBatch.patch(&b, at: 0, baseOffset: baseOffset, partitionLeaderEpoch: partitionLeaderEpoch)
        var h = header
        h.baseOffset = baseOffset
        if let partitionLeaderEpoch { h.partitionLeaderEpoch = partitionLeaderEpoch }
        return RecordBatch(header: h, bytes: b)
    }

    /// Rewrites BaseOffset (and optionally PartitionLeaderEpoch) of the batch starting at `batchStart`
    /// in place. The CRC does not cover these fields, so it stays valid.
    public static func rewriteBaseOffset(in blob: inout [UInt8], batchStart: Int = 0, baseOffset: Int64,
                                         partitionLeaderEpoch: Int32? = nil) throws {
        guard batchStart >= 0, batchStart <= blob.count, blob.count - batchStart >= 16 else {
            throw WireError(.truncated(needed: 16, available: max(0, blob.count - max(0, batchStart))), at: batchStart)
        }
        patch(&blob, at: batchStart, baseOffset: baseOffset, partitionLeaderEpoch: partitionLeaderEpoch)
    }

    /// Server helper: validates a produce blob (no partial batch) and assigns consecutive offsets to
    /// its batches starting at `firstOffset`. Returns the parsed batches (with the new offsets) and the next offset.
    public static func assignOffsets(in blob: inout [UInt8], firstOffset: Int64, partitionLeaderEpoch: Int32? = nil,
                                     verifyCRC: Bool = true) throws -> (batches: [RecordBatch], nextOffset: Int64) {
        let parsed = try RecordBatch.parse(blob, allowPartialTrailing: false, verifyCRC: verifyCRC)
        var next = firstOffset
        var start = 0
        var out: [RecordBatch] = []
        for b in parsed.batches {
            patch(&blob, at: start, baseOffset: next, partitionLeaderEpoch: partitionLeaderEpoch)
            let nb = b.withBaseOffset(next, partitionLeaderEpoch: partitionLeaderEpoch)
            out.append(nb)
            next = nb.header.nextOffset
            start += b.bytes.count
        }
        return (out, next)
    }

    static func patch(_ b: inout [UInt8], at s: Int, baseOffset: Int64, partitionLeaderEpoch: Int32?) {
        let u = UInt64(bitPattern: baseOffset)
        for i in 0..<8 { b[s + i] = UInt8(truncatingIfNeeded: u >> UInt64(56 - 8 * i)) }
        if let e = partitionLeaderEpoch, b.count - s >= 16 {
            let v = UInt32(bitPattern: e)
            for i in 0..<4 { b[s + 12 + i] = UInt8(truncatingIfNeeded: v >> UInt32(24 - 8 * i)) }
        }
    }

    public struct ParseResult: Equatable, Sendable {
        public var batches: [RecordBatch]
        /// Bytes of an incomplete trailing batch (only non-zero when allowed).
        public var partialTrailingBytes: Int
    }

    /// Splits a records blob into batches. `allowPartialTrailing`: true for FETCH responses (brokers
    /// may cut the last batch at max bytes), false for PRODUCE requests (→ `.partialBatch`).
    /// Validates magic 2, minimum length and (optionally) the CRC of every complete batch.
    public static func parse(_ blob: [UInt8], allowPartialTrailing: Bool, verifyCRC: Bool = true) throws -> ParseResult {
        var batches: [RecordBatch] = []
        var pos = 0
        while pos < blob.count {
            let avail = blob.count - pos
            // Need BaseOffset + Length + PartitionLeaderEpoch + Magic to judge the batch.
            if avail < 17 {
                if allowPartialTrailing { return ParseResult(batches: batches, partialTrailingBytes: avail) }
                throw WireError(.partialBatch(available: avail, needed: RecordBatchHeader.size), at: pos)
            }
            var lr = WireReader(blob, offset: pos + 8, end: pos + 17)
            let length = try lr.readInt32()
            _ = try lr.readInt32()
            let magic = try lr.readInt8()
            if magic != 2 { throw WireError(.invalidMagic(magic), at: pos + 16) }
            if length < RecordBatchHeader.minimumLength {
                throw WireError(.invalidRecord("batch length \(length) below minimum \(RecordBatchHeader.minimumLength)"), at: pos + 8)
            }
            let total = Int(length) + 12
            if total > avail {
                if allowPartialTrailing { return ParseResult(batches: batches, partialTrailingBytes: avail) }
                throw WireError(.partialBatch(available: avail, needed: total), at: pos)
            }
            var r = WireReader(blob, offset: pos, end: pos + total)
            let h = try readValidatedHeader(&r, blobOffset: pos, verifyCRC: verifyCRC, bytes: blob, start: pos)
            batches.append(RecordBatch(header: h, bytes: Array(blob[pos..<(pos + total)])))
            pos += total
        }
        return ParseResult(batches: batches, partialTrailingBytes: 0)
    }
}

/// Encodes records into one uncompressed v2 batch with its CRC-32C (DefaultRecordBatch.writeHeader).
public struct RecordBatchBuilder: Equatable, Sendable {
    public var baseOffset: Int64
    public var partitionLeaderEpoch: Int32
    /// Compression bits must be 0 (records are written uncompressed); other bits are kept.
    public var attributes: Int16
    public var baseTimestamp: Int64
    /// nil = baseTimestamp + max(timestampDelta).
    public var maxTimestamp: Int64?
    /// nil = last record's offsetDelta (0 if empty).
    public var lastOffsetDelta: Int32?
    public var producerId: Int64
    public var producerEpoch: Int16
    public var baseSequence: Int32
    public var records: [BatchRecord]

    public init(baseOffset: Int64 = 0, partitionLeaderEpoch: Int32 = 0, attributes: Int16 = 0, baseTimestamp: Int64,
                maxTimestamp: Int64? = nil, lastOffsetDelta: Int32? = nil, producerId: Int64 = -1,
                producerEpoch: Int16 = -1, baseSequence: Int32 = -1, records: [BatchRecord]) {
        self.baseOffset = baseOffset; self.partitionLeaderEpoch = partitionLeaderEpoch; self.attributes = attributes
        self.baseTimestamp = baseTimestamp; self.maxTimestamp = maxTimestamp; self.lastOffsetDelta = lastOffsetDelta
        self.producerId = producerId; self.producerEpoch = producerEpoch; self.baseSequence = baseSequence
        self.records = records
    }

    /// Convenience: values (and optional keys) at consecutive offsets, all with the same timestamp.
    public init(baseOffset: Int64, timestamp: Int64, keyValues: [(key: [UInt8]?, value: [UInt8]?)]) {
        self.init(baseOffset: baseOffset, baseTimestamp: timestamp,
                  records: keyValues.enumerated().map { i, kv in
                      BatchRecord(offsetDelta: Int32(truncatingIfNeeded: i), key: kv.key, value: kv.value)
                  })
    }

    public func build() -> [UInt8] {
        var w = WireWriter(capacity: 61 + records.count * 16)
        w.writeInt64(baseOffset)
        w.writeInt32(0) // Length, patched
        w.writeInt32(partitionLeaderEpoch)
        w.writeInt8(2)
        w.writeUInt32(0) // CRC, patched
        w.writeInt16(attributes & ~0x7)
        w.writeInt32(lastOffsetDelta ?? records.last?.offsetDelta ?? 0)
        w.writeInt64(baseTimestamp)
        w.writeInt64(maxTimestamp ?? (baseTimestamp &+ (records.map(\.timestampDelta).max() ?? 0)))
        w.writeInt64(producerId)
        w.writeInt16(producerEpoch)
        w.writeInt32(baseSequence)
        w.writeInt32(Int32(truncatingIfNeeded: records.count))
        for r in records { r.encode(to: &w) }
        w.patchInt32(at: 8, Int32(truncatingIfNeeded: w.count - 12))
        w.patchUInt32(at: 17, CRC32C.checksum(w.bytes, from: RecordBatchHeader.crcCoverageStart))
        return w.bytes
    }

    public func buildBatch() -> RecordBatch {
        let b = build()
        var r = WireReader(b)
        // The header was just written by us; fall back to a parsed copy without trapping.
        let h = (try? RecordBatchHeader(from: &r))
        return RecordBatch(header: h ?? RecordBatchHeader.zero, bytes: b)
    }
}

extension RecordBatchHeader {
    static var zero: RecordBatchHeader {
        RecordBatchHeader(baseOffset: 0, batchLength: 0, partitionLeaderEpoch: 0, magic: 0, crc: 0, attributes: 0,
                          lastOffsetDelta: 0, baseTimestamp: 0, maxTimestamp: 0, producerId: 0, producerEpoch: 0,
                          baseSequence: 0, recordCount: 0)
    }

    public init(baseOffset: Int64, batchLength: Int32, partitionLeaderEpoch: Int32, magic: Int8, crc: UInt32,
                attributes: Int16, lastOffsetDelta: Int32, baseTimestamp: Int64, maxTimestamp: Int64, producerId: Int64,
                producerEpoch: Int16, baseSequence: Int32, recordCount: Int32) {
        self.baseOffset = baseOffset; self.batchLength = batchLength; self.partitionLeaderEpoch = partitionLeaderEpoch
        self.magic = magic; self.crc = crc; self.attributes = attributes; self.lastOffsetDelta = lastOffsetDelta
        self.baseTimestamp = baseTimestamp; self.maxTimestamp = maxTimestamp; self.producerId = producerId
        self.producerEpoch = producerEpoch; self.baseSequence = baseSequence; self.recordCount = recordCount
    }
}
