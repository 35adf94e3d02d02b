import Testing
@testable import KafkaWire

// Real Kafka 0.11 broker batches from dpkp/kafka-python test/record/test_records.py, via kafka.md §6.5.
let oracleBatch1 = hex("00000000000000000000003b00000001020318a2700000000000000000015dff7b063c0000015dff7b063cffffffffffffffffffffffffffff0000000112000000010631323300")
let oracleBatch2 = hex("0000000000000001000000400000000202c85cbd230000000000010000015dff7cdd6c0000015dff7cde14ffffffffffffffffffffffffffff000000020c0000000100000e00d00202010000")
let oracleBatch3 = hex("00000000000000000000004500000000025cd8ef520000000000000000016585b6f3c10000016585b6f3c1ffffffffffffffffffffffffffff000000012600000001066864720208686b6579086876616c")

// librdkafka's CRC-32C test text, as used by kafka-python test/record/test_util.py::test_crc32c.
let zlibLicenseText = """
  This software is provided 'as-is', without any express or implied
  warranty.  In no event will the author be held liable for any damages
  arising from the use of this software.

  Permission is granted to anyone to use this software for any purpose,
  including commercial applications, and to alter it and redistribute it
  freely, subject to the following restrictions:

  1. The origin of this software must not be misrepresented; you must not
     claim that you wrote the original software. If you use this software
     in a product, an acknowledgment in the product documentation would be
     appreciated but is not required.
  2. Altered source versions must be plainly marked as such, and must not be
     misrepresented as being the original software.
  3. This notice may not be removed or altered from any source distribution.
"""

/// Rebuilds a batch from its decoded header and records with the builder.
func rebuild(_ b: RecordBatch) throws -> [UInt8] {
    let h = b.header
    return RecordBatchBuilder(baseOffset: h.baseOffset, partitionLeaderEpoch: h.partitionLeaderEpoch, attributes: h.attributes,
                              baseTimestamp: h.baseTimestamp, maxTimestamp: h.maxTimestamp, lastOffsetDelta: h.lastOffsetDelta,
                              producerId: h.producerId, producerEpoch: h.producerEpoch, baseSequence: h.baseSequence,
                              records: try b.records()).build()
}

@Suite struct CRC32CTests {
    @Test func vectors() {
        #expect(CRC32C.checksum("123456789") == 0xE306_9283)
        #expect(CRC32C.checksum("a") == 0xC1D0_4330)
        #expect(CRC32C.checksum("") == 0)
        #expect(CRC32C.checksum(zlibLicenseText) == 0x7DCD_E113)
    }

    @Test func slicingMatchesBytewise() {
        var rng = SplitMix64(seed: 7)
        for len in 0..<40 {
            let data = (0..<len).map { _ in UInt8.random(in: 0...255, using: &rng) }
            // Bytewise reference (no table).
            var c: UInt32 = 0xFFFF_FFFF
            for b in data {
                c ^= UInt32(b)
                for _ in 0..<8 { c = c & 1 != 0 ? (c >> 1) ^ 0x82F6_3B78 : c >> 1 }
            }
            #expect(CRC32C.checksum(data) == c ^ 0xFFFF_FFFF)
        }
    }
}

@Suite struct RecordBatchTests {
    @Test func oracleBatch1Fields() throws {
        let b = try RecordBatch(bytes: oracleBatch1)
        let h = b.header
        #expect(oracleBatch1.count == 71)
        #expect(h.baseOffset == 0 && h.batchLength == 59 && h.partitionLeaderEpoch == 1 && h.magic == 2)
        #expect(h.crc == 0x0318_A270 && b.isCRCValid)
        #expect(h.attributes == 0 && h.compression == CompressionCodec.none && h.timestampType == .createTime)
        #expect(!h.isTransactional && !h.isControlBatch)
        #expect(h.lastOffsetDelta == 0 && h.baseTimestamp == 0x15dff7b063c && h.maxTimestamp == 0x15dff7b063c)
        #expect(h.producerId == -1 && h.producerEpoch == -1 && h.baseSequence == -1 && h.recordCount == 1)
        let rs = try b.records()
        #expect(rs == [BatchRecord(offsetDelta: 0, key: nil, value: Array("123".utf8))])
        #expect(rs[0].encodedLength == 9)
        #expect(try rebuild(b) == oracleBatch1)
    }

    @Test func oracleBatch2TwoRecords() throws {
        let b = try RecordBatch(bytes: oracleBatch2)
        #expect(oracleBatch2.count == 76 && b.header.crc == 0xC85C_BD23 && b.header.baseOffset == 1 && b.header.partitionLeaderEpoch == 2)
        #expect(b.header.lastOffsetDelta == 1 && b.header.recordCount == 2)
        #expect(try b.records() == [BatchRecord(offsetDelta: 0, key: nil, value: []),
                                    BatchRecord(timestampDelta: 168, offsetDelta: 1, key: nil, value: [])])
        #expect(try rebuild(b) == oracleBatch2)
        // maxTimestamp is derived from the deltas when not given.
        let h = b.header
        let derived = RecordBatchBuilder(baseOffset: 1, partitionLeaderEpoch: 2, baseTimestamp: h.baseTimestamp,
                                         records: try b.records()).build()
        #expect(derived == oracleBatch2)
    }

    @Test func oracleBatch3Header() throws {
        let b = try RecordBatch(bytes: oracleBatch3)
        #expect(oracleBatch3.count == 81 && b.header.crc == 0x5CD8_EF52)
        #expect(try b.records() == [BatchRecord(offsetDelta: 0, key: nil, value: Array("hdr".utf8),
                                           headers: [RecordHeader(key: "hkey", value: Array("hval".utf8))])])
        #expect(try rebuild(b) == oracleBatch3)
    }

    @Test func blobWithSeveralBatchesAndPartialTrailing() throws {
        let blob = oracleBatch1 + oracleBatch2 + oracleBatch3
        let all = try RecordBatch.parse(blob, allowPartialTrailing: false)
        #expect(all.batches.map(\.bytes) == [oracleBatch1, oracleBatch2, oracleBatch3])
        #expect(all.partialTrailingBytes == 0)
        for cut in [1, 10, 16, 17, 40, 80] {
            let truncated = Array(blob.dropLast(cut))
            let fetch = try RecordBatch.parse(truncated, allowPartialTrailing: true)
            #expect(fetch.batches.count == 2)
            #expect(fetch.partialTrailingBytes == oracleBatch3.count - cut)
            #expect(throws: WireError.self) { try RecordBatch.parse(truncated, allowPartialTrailing: false) }
        }
        #expect(throws: WireError(.partialBatch(available: 70, needed: 71), at: 0)) {
            try RecordBatch.parse(Array(oracleBatch1.dropLast()), allowPartialTrailing: false)
        }
        #expect(try RecordBatch.parse([], allowPartialTrailing: false).batches.isEmpty)
    }

    @Test func crcAndMagicValidation() throws {
        var corrupt = oracleBatch1
        corrupt[68] ^= 0x01 // inside the value "123"
        #expect(throws: WireError(.crcMismatch(stored: 0x0318_A270, computed: CRC32C.checksum(corrupt, from: 21)), at: 17)) {
            try RecordBatch.parse(corrupt, allowPartialTrailing: false)
        }
        #expect(try RecordBatch.parse(corrupt, allowPartialTrailing: false, verifyCRC: false).batches.count == 1)
        var magic1 = oracleBatch1
        magic1[16] = 1
        #expect(throws: WireError(.invalidMagic(1), at: 16)) { try RecordBatch.parse(magic1, allowPartialTrailing: true) }
        var short = oracleBatch1
        short[11] = 10 // Length 10 < 49
        #expect(throws: WireError.self) { try RecordBatch.parse(short, allowPartialTrailing: true) }
    }

    @Test func rewriteBaseOffsetKeepsCRC() throws {
        var bytes = oracleBatch2
        try RecordBatch.rewriteBaseOffset(in: &bytes, baseOffset: 1_000_000, partitionLeaderEpoch: 7)
        let b = try RecordBatch(bytes: bytes)
        #expect(b.header.baseOffset == 1_000_000 && b.header.partitionLeaderEpoch == 7 && b.isCRCValid)
        #expect(b.header.lastOffset == 1_000_001 && b.header.nextOffset == 1_000_002)
        #expect(Array(bytes[16...]) == Array(oracleBatch2[16...]))
        let copy = try RecordBatch(bytes: oracleBatch1).withBaseOffset(42)
        #expect(copy.header.baseOffset == 42 && copy.header.partitionLeaderEpoch == 1 && copy.isCRCValid)
        #expect(try RecordBatch(bytes: copy.bytes) == copy)
        var tiny: [UInt8] = [0, 1, 2]
        #expect(throws: WireError.self) { try RecordBatch.rewriteBaseOffset(in: &tiny, baseOffset: 1) }
    }

    @Test func assignOffsetsOverBlob() throws {
        var blob = oracleBatch1 + oracleBatch2 + oracleBatch3
        let (batches, next) = try RecordBatch.assignOffsets(in: &blob, firstOffset: 100, partitionLeaderEpoch: 0)
        #expect(batches.map(\.header.baseOffset) == [100, 101, 103])
        #expect(next == 104)
        let reparsed = try RecordBatch.parse(blob, allowPartialTrailing: false)
        #expect(reparsed.batches == batches)
    }

    @Test func builderRoundTripAndCompressedBatches() throws {
        let recs = [BatchRecord(timestampDelta: 5, offsetDelta: 0, key: Array("k".utf8), value: Array("v".utf8),
                           headers: [RecordHeader(key: "h", value: nil)]),
                    BatchRecord(offsetDelta: 1, key: nil, value: nil)]
        let b = RecordBatchBuilder(baseOffset: 9, baseTimestamp: 1_700_000_000_000, producerId: 5, producerEpoch: 0,
                                   baseSequence: 0, records: recs).buildBatch()
        #expect(b.isCRCValid && b.header.recordCount == 2 && b.header.lastOffsetDelta == 1)
        #expect(b.header.maxTimestamp == 1_700_000_000_005)
        #expect(try b.records() == recs)
        #expect(try RecordBatch(bytes: b.bytes) == b)
        let kv = RecordBatchBuilder(baseOffset: 0, timestamp: 1, keyValues: [(nil, [1]), (key: [2], value: nil)]).buildBatch()
        #expect(try kv.records().map(\.offsetDelta) == [0, 1])
        // A gzip-flagged batch: header readable, records refused.
        var gz = b.bytes
        gz[22] |= 1
        let crc = CRC32C.checksum(gz, from: 21)
        gz[17] = UInt8(crc >> 24); gz[18] = UInt8((crc >> 16) & 0xFF); gz[19] = UInt8((crc >> 8) & 0xFF); gz[20] = UInt8(crc & 0xFF)
        let g = try RecordBatch(bytes: gz)
        #expect(g.header.compression == .gzip)
        #expect(throws: WireError(.unsupportedCompression(1), at: 21)) { try g.records() }
    }

    @Test func recordCountMismatchIsReported() throws {
        let b = RecordBatchBuilder(baseTimestamp: 0, records: [BatchRecord(offsetDelta: 0, value: [1])]).build()
        var more = b
        more[60] = 2 // claims 2 records
        #expect(throws: WireError.self) { try RecordBatch(bytes: more, verifyCRC: false).records() }
        var fewer = b
        fewer[60] = 0
        #expect(throws: WireError.self) { try RecordBatch(bytes: fewer, verifyCRC: false).records() }
        var huge = b
        huge[57] = 0x7F
        #expect(throws: WireError.self) { try RecordBatch(bytes: huge, verifyCRC: false).records() }
    }
}
