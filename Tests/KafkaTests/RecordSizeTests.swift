import Testing
@testable import Kafka

private func bytes(_ text: String) -> [UInt8] { Array(text.utf8) }

@Suite("Record batch v2 sizes")
struct RecordSizeTests {
    // Goal: zigzag varint lengths follow the 7-bits-per-byte rule. Method: boundary values.
    // Source: Kafka ByteUtils.sizeOfVarint/sizeOfVarlong semantics (kafka.md §2.5).
    @Test func varintLengths() {
        #expect(RecordSize.varintLength(0) == 1)
        #expect(RecordSize.varintLength(-1) == 1)
        #expect(RecordSize.varintLength(63) == 1)
        #expect(RecordSize.varintLength(-64) == 1)
        #expect(RecordSize.varintLength(64) == 2)
        #expect(RecordSize.varintLength(168) == 2)
        #expect(RecordSize.varintLength(8191) == 2)
        #expect(RecordSize.varintLength(8192) == 3)
        #expect(RecordSize.varintLength(Int64.max) == 10)
        #expect(RecordSize.varintLength(Int64.min) == 10)
    }

    // Goal: a null-key record with value "123" makes a 71-byte batch (body 9, record 10). Method:
    // compute sizes. Source: kafka.md §2.5/§6.5 (dpkp/kafka-python test/record/test_records.py real broker bytes).
    @Test func valueOneTwoThreeBatchIs71() {
        let body = RecordSize.recordBodyBytes(key: nil, value: bytes("123"), headers: [], timestampDelta: 0, offsetDelta: 0)
        let record = RecordSize.recordBytes(key: nil, value: bytes("123"), headers: [], timestampDelta: 0, offsetDelta: 0)
        #expect(body == 9)
        #expect(record == 10)
        #expect(RecordSize.batchBytes(recordSizes: [record]) == 71)
    }

    // Goal: value "hdr" with header hkey=hval makes an 81-byte batch (body 19). Method: compute
    // sizes. Source: kafka.md §2.5/§6.5 (dpkp/kafka-python test/record/test_records.py).
    @Test func headerRecordBatchIs81() {
        let headers: [(key: String, value: [UInt8]?)] = [(key: "hkey", value: bytes("hval"))]
        let body = RecordSize.recordBodyBytes(key: nil, value: bytes("hdr"), headers: headers, timestampDelta: 0, offsetDelta: 0)
        let record = RecordSize.recordBytes(key: nil, value: bytes("hdr"), headers: headers, timestampDelta: 0, offsetDelta: 0)
        #expect(body == 19)
        #expect(RecordSize.batchBytes(recordSizes: [record]) == 81)
    }

    // Goal: two null-key, empty-value records (the second 168 ms later, offsetDelta 1) make the
    // 76-byte batch of the second oracle. Method: compute sizes. Source: kafka.md §6.5 second batch (Length 0x40 = 64 = 76 − 12).
    @Test func twoEmptyRecordsBatchIs76() {
        let first = RecordSize.recordBytes(key: nil, value: [], headers: [], timestampDelta: 0, offsetDelta: 0)
        let second = RecordSize.recordBytes(key: nil, value: [], headers: [], timestampDelta: 168, offsetDelta: 1)
        #expect(first == 7)
        #expect(second == 8)
        #expect(RecordSize.batchBytes(recordSizes: [first, second]) == 76)
    }

    // Goal: an empty header list, a null header value and a key all count as the format says.
    // Method: hand-count one record. Source: kafka.md §2.5 layout.
    @Test func keyAndNullHeaderValue() {
        // body: attributes 1 + ts 1 + off 1 + key (1 + 2) + value (1 + 5) + count 1 + header (1 + 1 + 1) = 16;
        // record: 1-byte length prefix + 16 = 17
        let headers: [(key: String, value: [UInt8]?)] = [(key: "h", value: nil)]
        let body = RecordSize.recordBodyBytes(key: bytes("k1"), value: bytes("hello"), headers: headers, timestampDelta: 0, offsetDelta: 0)
        let record = RecordSize.recordBytes(key: bytes("k1"), value: bytes("hello"), headers: headers, timestampDelta: 0, offsetDelta: 0)
        #expect(body == 16)
        #expect(record == 17)
        // A 64-byte body needs a 2-byte length prefix (zigzag 128).
        let big = RecordSize.recordBytes(key: nil, value: Array(repeating: 0, count: 58), headers: [], timestampDelta: 0, offsetDelta: 0)
        #expect(big == 2 + 64)
        #expect(RecordSize.batchBytes(recordSizes: []) == 61)
    }
}
