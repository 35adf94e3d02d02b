// Kafka protocol primitive types, per https://kafka.apache.org/protocol#protocol_types and the
// message JSON schemas (clients/src/main/resources/common/message/*.json) summarised in
// kafka.md §6.1: big-endian fixed ints; classic string = int16 length (-1 null), bytes = int32
// length (-1 null), array = int32 count (-1 null); KIP-482 compact forms = unsigned varint N+1
// (0 null) and tagged-field sections; record-level varints are zigzag (ByteUtils.java).

/// One tagged field of a KIP-482 tagged-field section (unknown tags are kept raw / skipped).
public struct TaggedField: Equatable, Sendable {
    public var tag: UInt32
    public var data: [UInt8]
    public init(tag: UInt32, data: [UInt8]) {
        self.tag = tag
        self.data = data
    }
}

/// Bounds-checked big-endian reader. Never traps: every failure throws `WireError`.
/// Every length or count is checked against `maxLength` and against the bytes actually remaining
/// *before* anything is allocated, so hostile lengths cannot cause large allocations.
public struct WireReader: Sendable {
    public let bytes: [UInt8]
    public private(set) var offset: Int
    /// End index (exclusive) of the readable region.
    public let end: Int
    /// Upper bound for any single string/bytes length or array count.
    public var maxLength: Int

    public static let defaultMaxLength = 100 * 1024 * 1024

    public init(_ bytes: [UInt8], maxLength: Int = WireReader.defaultMaxLength) {
        self.bytes = bytes
        self.offset = 0
        self.end = bytes.count
        self.maxLength = maxLength
    }

    public init(_ bytes: [UInt8], offset: Int, end: Int, maxLength: Int = WireReader.defaultMaxLength) {
        self.bytes = bytes
        let e = min(max(end, 0), bytes.count)
        self.end = e
        self.offset = min(max(offset, 0), e)
        self.maxLength = maxLength
    }

    public var remaining: Int { end - offset }
    public var isAtEnd: Bool { offset >= end }

    /// Throws `.trailingBytes` unless everything was consumed.
    public func expectEnd() throws {
        if offset != end { throw WireError(.trailingBytes(end - offset), at: offset) }
    }

    @inline(__always)
    func need(_ n: Int) throws {
        if n < 0 || n > end - offset { throw WireError(.truncated(needed: n, available: end - offset), at: offset) }
    }

    // MARK: fixed-width

    public mutating func readInt8() throws -> Int8 { Int8(bitPattern: try readUInt8()) }

    public mutating func readUInt8() throws -> UInt8 {
        try need(1)
        let b = bytes[offset]
        offset += 1
        return b
    }

    public mutating func readBool() throws -> Bool { try readUInt8() != 0 }

    public mutating func readInt16() throws -> Int16 { Int16(bitPattern: UInt16(truncatingIfNeeded: try readBE(2))) }
    public mutating func readUInt16() throws -> UInt16 { UInt16(truncatingIfNeeded: try readBE(2)) }
    public mutating func readInt32() throws -> Int32 { Int32(bitPattern: UInt32(truncatingIfNeeded: try readBE(4))) }
    public mutating func readUInt32() throws -> UInt32 { UInt32(truncatingIfNeeded: try readBE(4)) }
    public mutating func readInt64() throws -> Int64 { Int64(bitPattern: try readBE(8)) }

    @inline(__always)
    mutating func readBE(_ n: Int) throws -> UInt64 {
        try need(n)
        var v: UInt64 = 0
        for i in 0..<n { v = (v << 8) | UInt64(bytes[offset + i]) }
        offset += n
        return v
    }

    /// Raw bytes without a length prefix.
    public mutating func readRaw(_ n: Int) throws -> [UInt8] {
        if n < 0 { throw WireError(.negativeLength(n), at: offset) }
        if n > maxLength { throw WireError(.lengthAboveLimit(n, limit: maxLength), at: offset) }
        try need(n)
        let out = Array(bytes[offset..<(offset + n)])
        offset += n
        return out
    }

    public mutating func skip(_ n: Int) throws {
        try need(n)
        offset += n
    }

    // MARK: varints (ByteUtils.readUnsignedVarint / readVarint / readVarlong)

    /// Unsigned varint, at most 5 bytes (Kafka throws "Varint is too long" beyond that).
    public mutating func readUVarint() throws -> UInt32 {
        let start = offset
        var result: UInt32 = 0
        var shift: UInt32 = 0
        while true {
            if offset >= end { throw WireError(.truncated(needed: 1, available: 0), at: offset) }
            let b = bytes[offset]
            offset += 1
            result |= UInt32(b & 0x7F) << shift
            if b & 0x80 == 0 { return result }
            shift += 7
            if shift > 28 { throw WireError(.varintTooLong, at: start) }
        }
    }

    /// Unsigned varlong, at most 10 bytes.
    public mutating func readUVarlong() throws -> UInt64 {
        let start = offset
        var result: UInt64 = 0
        var shift: UInt64 = 0
        while true {
            if offset >= end { throw WireError(.truncated(needed: 1, available: 0), at: offset) }
            let b = bytes[offset]
            offset += 1
            result |= UInt64(b & 0x7F) << shift
            if b & 0x80 == 0 { return result }
            shift += 7
            if shift > 63 { throw WireError(.varintTooLong, at: start) }
        }
    }

    /// Zigzag-encoded signed varint (record fields).
    public mutating func readVarint() throws -> Int32 {
        let u = try readUVarint()
        return Int32(bitPattern: (u >> 1) ^ (0 &- (u & 1)))
    }

    /// Zigzag-encoded signed varlong (record fields).
    public mutating func readVarlong() throws -> Int64 {
        let u = try readUVarlong()
        return Int64(bitPattern: (u >> 1) ^ (0 &- (u & 1)))
    }

    // MARK: length validation

    /// Validates a decoded length `n` (already known non-negative) against limit and remaining bytes.
    @inline(__always)
    func checkLength(_ n: Int, at pos: Int, minElementSize: Int = 1) throws {
        if n > maxLength { throw WireError(.lengthAboveLimit(n, limit: maxLength), at: pos) }
        // Each element/byte occupies at least `minElementSize` bytes: refuse counts the input cannot hold.
        if minElementSize > 0 && n > (end - offset) / minElementSize {
            throw WireError(.truncated(needed: n * minElementSize, available: end - offset), at: pos)
        }
    }

    mutating func utf8(_ n: Int, at pos: Int) throws -> String {
        try need(n)
        let slice = bytes[offset..<(offset + n)]
        guard let s = String(validating: slice, as: UTF8.self) else { throw WireError(.invalidUTF8, at: pos) }
        offset += n
        return s
    }

    // MARK: classic strings / bytes

    public mutating func readNullableString() throws -> String? {
        let pos = offset
        let n = Int(try readInt16())
        if n == -1 { return nil }
        if n < 0 { throw WireError(.negativeLength(n), at: pos) }
        try checkLength(n, at: pos)
        return try utf8(n, at: pos)
    }

    public mutating func readString() throws -> String {
        let pos = offset
        guard let s = try readNullableString() else { throw WireError(.negativeLength(-1), at: pos) }
        return s
    }

    public mutating func readNullableBytes() throws -> [UInt8]? {
        let pos = offset
        let n = Int(try readInt32())
        if n == -1 { return nil }
        if n < 0 { throw WireError(.negativeLength(n), at: pos) }
        try checkLength(n, at: pos)
        return try readRaw(n)
    }

    public mutating func readBytes() throws -> [UInt8] {
        let pos = offset
        guard let b = try readNullableBytes() else { throw WireError(.negativeLength(-1), at: pos) }
        return b
    }

    // MARK: compact strings / bytes (KIP-482)

    /// Returns nil for the null marker (0), else the length N.
    mutating func readCompactLength() throws -> Int? {
        let pos = offset
        let u = try readUVarint()
        if u == 0 { return nil }
        let n = Int(u) - 1
        try checkLength(n, at: pos)
        return n
    }

    public mutating func readCompactNullableString() throws -> String? {
        let pos = offset
        guard let n = try readCompactLength() else { return nil }
        return try utf8(n, at: pos)
    }

    public mutating func readCompactString() throws -> String {
        let pos = offset
        guard let s = try readCompactNullableString() else { throw WireError(.negativeLength(-1), at: pos) }
        return s
    }

    public mutating func readCompactNullableBytes() throws -> [UInt8]? {
        guard let n = try readCompactLength() else { return nil }
        return try readRaw(n)
    }

    public mutating func readCompactBytes() throws -> [UInt8] {
        let pos = offset
        guard let b = try readCompactNullableBytes() else { throw WireError(.negativeLength(-1), at: pos) }
        return b
    }

    // MARK: arrays

    /// int32-count array, -1 = null. `minElementSize` bounds the count by the remaining bytes.
    public mutating func readNullableArray<T>(minElementSize: Int = 1,
                                              _ element: (inout WireReader) throws -> T) throws -> [T]? {
        let pos = offset
        let n = Int(try readInt32())
        if n == -1 { return nil }
        if n < 0 { throw WireError(.negativeLength(n), at: pos) }
        return try readElements(n, at: pos, minElementSize: minElementSize, element)
    }

    public mutating func readArray<T>(minElementSize: Int = 1,
                                      _ element: (inout WireReader) throws -> T) throws -> [T] {
        let pos = offset
        guard let a = try readNullableArray(minElementSize: minElementSize, element) else {
            throw WireError(.negativeLength(-1), at: pos)
        }
        return a
    }

    public mutating func readCompactNullableArray<T>(minElementSize: Int = 1,
                                                     _ element: (inout WireReader) throws -> T) throws -> [T]? {
        let pos = offset
        let u = try readUVarint()
        if u == 0 { return nil }
        return try readElements(Int(u) - 1, at: pos, minElementSize: minElementSize, element)
    }

    public mutating func readCompactArray<T>(minElementSize: Int = 1,
                                             _ element: (inout WireReader) throws -> T) throws -> [T] {
        let pos = offset
        guard let a = try readCompactNullableArray(minElementSize: minElementSize, element) else {
            throw WireError(.negativeLength(-1), at: pos)
        }
        return a
    }

    mutating func readElements<T>(_ n: Int, at pos: Int, minElementSize: Int,
                                  _ element: (inout WireReader) throws -> T) throws -> [T] {
        try checkLength(n, at: pos, minElementSize: max(1, minElementSize))
        var out: [T] = []
        out.reserveCapacity(n)
        for _ in 0..<n { out.append(try element(&self)) }
        return out
    }

    /// int32 array of int32 (e.g. replica lists, partition indexes).
    public mutating func readInt32Array() throws -> [Int32] {
        try readArray(minElementSize: 4) { try $0.readInt32() }
    }

    public mutating func readNullableInt32Array() throws -> [Int32]? {
        try readNullableArray(minElementSize: 4) { try $0.readInt32() }
    }

    // MARK: tagged fields (KIP-482)

    /// Reads a tagged-field section: uvarint count, then (uvarint tag, uvarint size, bytes).
    public mutating func readTaggedFields() throws -> [TaggedField] {
        let pos = offset
        let n = Int(try readUVarint())
        try checkLength(n, at: pos, minElementSize: 2)
        var out: [TaggedField] = []
        for _ in 0..<n {
            let tag = try readUVarint()
            let sizePos = offset
            let size = Int(try readUVarint())
            try checkLength(size, at: sizePos)
            out.append(TaggedField(tag: tag, data: try readRaw(size)))
        }
        return out
    }

    /// Reads and discards a tagged-field section (all tags are unknown to the versions we implement).
    public mutating func skipTaggedFields() throws {
        let pos = offset
        let n = Int(try readUVarint())
        try checkLength(n, at: pos, minElementSize: 2)
        for _ in 0..<n {
            _ = try readUVarint()
            let sizePos = offset
            let size = Int(try readUVarint())
            try checkLength(size, at: sizePos, minElementSize: 1)
            try skip(size)
        }
    }
}
