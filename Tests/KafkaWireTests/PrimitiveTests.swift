import Testing
@testable import KafkaWire

// Zigzag varint vectors: dpkp/kafka-python test/record/test_util.py (`varint_data`, 40 cases),
// the first nine also listed in kafka.md §6.1.
let zigzagVectors: [(String, Int64)] = [
    ("00", 0), ("01", -1), ("02", 1), ("7E", 63), ("7F", -64), ("8001", 64), ("8101", -65),
    ("FE7F", 8191), ("FF7F", -8192), ("808001", 8192), ("818001", -8193), ("FEFF7F", 1048575),
    ("FFFF7F", -1048576), ("80808001", 1048576), ("81808001", -1048577), ("FEFFFF7F", 134217727),
    ("FFFFFF7F", -134217728), ("8080808001", 134217728), ("8180808001", -134217729),
    ("FEFFFFFF7F", 17179869183), ("FFFFFFFF7F", -17179869184), ("808080808001", 17179869184),
    ("818080808001", -17179869185), ("FEFFFFFFFF7F", 2199023255551), ("FFFFFFFFFF7F", -2199023255552),
    ("80808080808001", 2199023255552), ("81808080808001", -2199023255553),
    ("FEFFFFFFFFFF7F", 281474976710655), ("FFFFFFFFFFFF7F", -281474976710656),
    ("8080808080808001", 281474976710656), ("8180808080808001", -281474976710657),
    ("FEFFFFFFFFFFFF7F", 36028797018963967), ("FFFFFFFFFFFFFF7F", -36028797018963968),
    ("808080808080808001", 36028797018963968), ("818080808080808001", -36028797018963969),
    ("FEFFFFFFFFFFFFFF7F", 4611686018427387903), ("FFFFFFFFFFFFFFFF7F", -4611686018427387904),
    ("80808080808080808001", 4611686018427387904), ("81808080808080808001", -4611686018427387905),
]

@Suite struct PrimitiveTests {
    @Test func zigzagVarlongVectors() throws {
        #expect(zigzagVectors.count == 39)
        for (h, v) in zigzagVectors {
            var w = WireWriter()
            w.writeVarlong(v)
            #expect(toHex(w.bytes) == h.lowercased(), "encode \(v)")
            // Surrounding bytes check the position bookkeeping, as kafka-python's test does.
            var r = WireReader(hex("01f0") + hex(h) + hex("ff01"))
            try r.skip(2)
            #expect(try r.readVarlong() == v)
            #expect(r.offset == 2 + hex(h).count)
        }
    }

    @Test func zigzagVarintVectorsWithin32Bits() throws {
        for (h, v) in zigzagVectors where v >= Int64(Int32.min) && v <= Int64(Int32.max) {
            var w = WireWriter()
            w.writeVarint(Int32(v))
            #expect(toHex(w.bytes) == h.lowercased())
            var r = WireReader(hex(h))
            #expect(try r.readVarint() == Int32(v))
            try r.expectEnd()
        }
        var w = WireWriter()
        w.writeVarint(Int32.min); w.writeVarint(Int32.max)
        var r = WireReader(w.bytes)
        #expect(try r.readVarint() == Int32.min)
        #expect(try r.readVarint() == Int32.max)
    }

    @Test func briefZigzagVectors() {
        let expected: [(Int32, String)] = [(0, "00"), (-1, "01"), (1, "02"), (63, "7e"), (-64, "7f"), (64, "8001"),
                                           (-65, "8101"), (8191, "fe7f"), (8192, "808001")]
        for (v, h) in expected {
            var w = WireWriter()
            w.writeVarint(v)
            #expect(toHex(w.bytes) == h)
        }
    }

    @Test func unsignedVarint() throws {
        for v: UInt32 in [0, 1, 127, 128, 300, 16383, 16384, UInt32.max] {
            var w = WireWriter()
            w.writeUVarint(v)
            var r = WireReader(w.bytes)
            #expect(try r.readUVarint() == v)
            try r.expectEnd()
        }
        var w = WireWriter(); w.writeUVarint(300)
        #expect(w.bytes == [0xAC, 0x02])
        // Six continuation bytes: too long for a 32-bit varint.
        var r = WireReader([0x80, 0x80, 0x80, 0x80, 0x80, 0x01])
        #expect(throws: WireError(.varintTooLong, at: 0)) { try r.readUVarint() }
        var r2 = WireReader([0x80, 0x80])
        #expect(throws: WireError.self) { try r2.readUVarint() }
        var r3 = WireReader([UInt8](repeating: 0xFF, count: 11))
        #expect(throws: WireError(.varintTooLong, at: 0)) { try r3.readUVarlong() }
    }

    @Test func fixedWidthBigEndian() throws {
        var w = WireWriter()
        w.writeInt8(-2); w.writeInt16(0x0102); w.writeInt32(-2); w.writeInt64(0x0102_0304_0506_0708); w.writeBool(true)
        #expect(toHex(w.bytes) == "fe0102fffffffe010203040506070801")
        var r = WireReader(w.bytes)
        #expect(try r.readInt8() == -2)
        #expect(try r.readInt16() == 0x0102)
        #expect(try r.readInt32() == -2)
        #expect(try r.readInt64() == 0x0102_0304_0506_0708)
        #expect(try r.readBool())
        #expect(throws: WireError(.truncated(needed: 1, available: 0), at: 16)) { try r.readInt8() }
    }

    @Test func classicStringsAndBytes() throws {
        var w = WireWriter()
        w.writeString("héllo"); w.writeNullableString(nil); w.writeBytes([1, 2]); w.writeNullableBytes(nil); w.writeString("")
        #expect(toHex(w.bytes) == "000668c3a96c6c6fffff0000000201 02ffffffff0000".replacingSpaces())
        var r = WireReader(w.bytes)
        #expect(try r.readString() == "héllo")
        #expect(try r.readNullableString() == nil)
        #expect(try r.readBytes() == [1, 2])
        #expect(try r.readNullableBytes() == nil)
        #expect(try r.readString() == "")
        try r.expectEnd()
    }

    @Test func stringErrors() {
        var r1 = WireReader(hex("ffff"))
        #expect(throws: WireError(.negativeLength(-1), at: 0)) { try r1.readString() }
        var r2 = WireReader(hex("fffe"))
        #expect(throws: WireError(.negativeLength(-2), at: 0)) { try r2.readNullableString() }
        var r3 = WireReader(hex("0005 6162"))
        #expect(throws: WireError(.truncated(needed: 5, available: 2), at: 0)) { try r3.readString() }
        var r4 = WireReader(hex("0002 c328"))
        #expect(throws: WireError(.invalidUTF8, at: 0)) { try r4.readString() }
        var r5 = WireReader(hex("0004 61626364"), maxLength: 3)
        #expect(throws: WireError(.lengthAboveLimit(4, limit: 3), at: 0)) { try r5.readString() }
        var r6 = WireReader(hex("7fffffff 00"))
        #expect(throws: WireError.self) { try r6.readBytes() }
        let r7 = WireReader(hex("00"))
        #expect(throws: WireError(.trailingBytes(1), at: 0)) { try r7.expectEnd() }
    }

    @Test func compactForms() throws {
        var w = WireWriter()
        w.writeCompactString("ab"); w.writeCompactNullableString(nil); w.writeCompactBytes([9])
        w.writeCompactNullableBytes(nil); w.writeCompactArray([Int16(1), 2]) { $0.writeInt16($1) }
        w.writeCompactNullableArray(nil as [Int16]?) { $0.writeInt16($1) }
        #expect(toHex(w.bytes) == "036162" + "00" + "0209" + "00" + "0300010002" + "00")
        var r = WireReader(w.bytes)
        #expect(try r.readCompactString() == "ab")
        #expect(try r.readCompactNullableString() == nil)
        #expect(try r.readCompactBytes() == [9])
        #expect(try r.readCompactNullableBytes() == nil)
        #expect(try r.readCompactArray { try $0.readInt16() } == [1, 2])
        #expect(try r.readCompactNullableArray { try $0.readInt16() } == nil)
        try r.expectEnd()
        // Compact array claiming 2^32-2 elements with 1 byte left: refused before allocating.
        var h = WireReader(hex("ffffffff0f 00"))
        #expect(throws: WireError.self) { try h.readCompactArray { try $0.readInt8() } }
    }

    @Test func arraysAreCappedBeforeAllocating() {
        var r = WireReader(hex("7fffffff 0000"))
        #expect(throws: WireError(.lengthAboveLimit(Int(Int32.max), limit: 104_857_600), at: 0)) {
            try r.readArray { try $0.readInt8() }
        }
        var r1 = WireReader(hex("00001000 0000"))
        #expect(throws: WireError(.truncated(needed: 4096, available: 2), at: 0)) {
            try r1.readArray { try $0.readInt8() }
        }
        var r2 = WireReader(hex("00000010") + [UInt8](repeating: 0, count: 64), maxLength: 8)
        #expect(throws: WireError(.lengthAboveLimit(16, limit: 8), at: 0)) { try r2.readInt32Array() }
        var r3 = WireReader(hex("fffffffe"))
        #expect(throws: WireError(.negativeLength(-2), at: 0)) { try r3.readNullableArray { try $0.readInt8() } }
        var r4 = WireReader(hex("00000003 00000001 00000002"))
        #expect(throws: WireError.self) { try r4.readInt32Array() } // 3 elements need 12 bytes
    }

    @Test func taggedFields() throws {
        var w = WireWriter()
        w.writeTaggedFields()
        #expect(w.bytes == [0])
        w.writeTaggedFields([TaggedField(tag: 0, data: [1, 2]), TaggedField(tag: 300, data: [])])
        var r = WireReader(w.bytes)
        #expect(try r.readTaggedFields() == [])
        let saved = r
        #expect(try r.readTaggedFields() == [TaggedField(tag: 0, data: [1, 2]), TaggedField(tag: 300, data: [])])
        try r.expectEnd()
        var s = saved
        try s.skipTaggedFields()
        try s.expectEnd()
        var bad = WireReader(hex("01 00 05 01"))
        #expect(throws: WireError.self) { try bad.skipTaggedFields() }
    }
}

extension String {
    func replacingSpaces() -> String { String(self.filter { $0 != " " }) }
}
