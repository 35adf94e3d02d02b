/// Big-endian writer for Kafka primitives (see `WireReader` for the formats).
public struct WireWriter: Sendable {
    public private(set) var bytes: [UInt8]

    public init(capacity: Int = 64) {
        bytes = []
        bytes.reserveCapacity(capacity)
    }

    public var count: Int { bytes.count }

    public mutating func writeInt8(_ v: Int8) { bytes.append(UInt8(bitPattern: v)) }
    public mutating func writeUInt8(_ v: UInt8) { bytes.append(v) }
    public mutating func writeBool(_ v: Bool) { bytes.append(v ? 1 : 0) }
    public mutating func writeInt16(_ v: Int16) { writeBE(UInt64(UInt16(bitPattern: v)), 2) }
    public mutating func writeInt32(_ v: Int32) { writeBE(UInt64(UInt32(bitPattern: v)), 4) }
    public mutating func writeUInt32(_ v: UInt32) { writeBE(UInt64(v), 4) }
    public mutating func writeInt64(_ v: Int64) { writeBE(UInt64(bitPattern: v), 8) }

    @inline(__always)
    mutating func writeBE(_ v: UInt64, _ n: Int) {
        var shift = (n - 1) * 8
        while shift >= 0 {
            bytes.append(UInt8(truncatingIfNeeded: v >> UInt64(shift)))
            shift -= 8
        }
    }

    public mutating func writeRaw<S: Sequence>(_ b: S) where S.Element == UInt8 { bytes.append(contentsOf: b) }

    /// Overwrites 4 bytes at `index` (for length prefixes written after the fact).
    public mutating func patchInt32(at index: Int, _ v: Int32) {
        guard index >= 0, index + 4 <= bytes.count else { return }
        let u = UInt32(bitPattern: v)
        bytes[index] = UInt8(truncatingIfNeeded: u >> 24)
        bytes[index + 1] = UInt8(truncatingIfNeeded: u >> 16)
        bytes[index + 2] = UInt8(truncatingIfNeeded: u >> 8)
        bytes[index + 3] = UInt8(truncatingIfNeeded: u)
    }

    public mutating func patchUInt32(at index: Int, _ v: UInt32) { patchInt32(at: index, Int32(bitPattern: v)) }

    // MARK: varints

    public mutating func writeUVarint(_ v: UInt32) { writeUVarlong(UInt64(v)) }

    public mutating func writeUVarlong(_ v: UInt64) {
        var v = v
        while v >= 0x80 {
            bytes.append(UInt8(truncatingIfNeeded: v) | 0x80)
            v >>= 7
        }
        bytes.append(UInt8(truncatingIfNeeded: v))
    }

    /// Zigzag varint: (n << 1) ^ (n >> 31).
    public mutating func writeVarint(_ v: Int32) {
        writeUVarint(UInt32(bitPattern: (v &<< 1) ^ (v >> 31)))
    }

    /// Zigzag varlong: (n << 1) ^ (n >> 63).
    public mutating func writeVarlong(_ v: Int64) {
        writeUVarlong(UInt64(bitPattern: (v &<< 1) ^ (v >> 63)))
    }

    // MARK: classic

    public mutating func writeNullableString(_ s: String?) {
        guard let s else { writeInt16(-1); return }
        let u = Array(s.utf8)
        writeInt16(Int16(truncatingIfNeeded: u.count))
        bytes.append(contentsOf: u)
    }

    public mutating func writeString(_ s: String) { writeNullableString(s) }

    public mutating func writeNullableBytes(_ b: [UInt8]?) {
        guard let b else { writeInt32(-1); return }
        writeInt32(Int32(truncatingIfNeeded: b.count))
        bytes.append(contentsOf: b)
    }

    public mutating func writeBytes(_ b: [UInt8]) { writeNullableBytes(b) }

    public mutating func writeNullableArray<T>(_ a: [T]?, _ element: (inout WireWriter, T) -> Void) {
        guard let a else { writeInt32(-1); return }
        writeInt32(Int32(truncatingIfNeeded: a.count))
        for e in a { element(&self, e) }
    }

    public mutating func writeArray<T>(_ a: [T], _ element: (inout WireWriter, T) -> Void) {
        writeNullableArray(a, element)
    }

    public mutating func writeInt32Array(_ a: [Int32]) { writeArray(a) { $0.writeInt32($1) } }
    public mutating func writeNullableInt32Array(_ a: [Int32]?) { writeNullableArray(a) { $0.writeInt32($1) } }

    // MARK: compact (KIP-482)

    public mutating func writeCompactNullableString(_ s: String?) {
        guard let s else { writeUVarint(0); return }
        let u = Array(s.utf8)
        writeUVarint(UInt32(truncatingIfNeeded: u.count + 1))
        bytes.append(contentsOf: u)
    }

    public mutating func writeCompactString(_ s: String) { writeCompactNullableString(s) }

    public mutating func writeCompactNullableBytes(_ b: [UInt8]?) {
        guard let b else { writeUVarint(0); return }
        writeUVarint(UInt32(truncatingIfNeeded: b.count + 1))
        bytes.append(contentsOf: b)
    }

    public mutating func writeCompactBytes(_ b: [UInt8]) { writeCompactNullableBytes(b) }

    public mutating func writeCompactNullableArray<T>(_ a: [T]?, _ element: (inout WireWriter, T) -> Void) {
        guard let a else { writeUVarint(0); return }
        writeUVarint(UInt32(truncatingIfNeeded: a.count + 1))
        for e in a { element(&self, e) }
    }

    public mutating func writeCompactArray<T>(_ a: [T], _ element: (inout WireWriter, T) -> Void) {
        writeCompactNullableArray(a, element)
    }

    /// Writes a tagged-field section (empty = the single byte 0x00).
    public mutating func writeTaggedFields(_ fields: [TaggedField] = []) {
        writeUVarint(UInt32(truncatingIfNeeded: fields.count))
        for f in fields {
            writeUVarint(f.tag)
            writeUVarint(UInt32(truncatingIfNeeded: f.data.count))
            bytes.append(contentsOf: f.data)
        }
    }
}
