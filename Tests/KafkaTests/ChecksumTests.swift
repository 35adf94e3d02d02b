import Testing
@testable import Kafka

private func bytes(_ text: String) -> [UInt8] { Array(text.utf8) }

@Suite("CRC32 and FNV-1a (librdkafka hashes)")
struct ChecksumTests {
    // Goal: CRC32 equals librdkafka's consistent-partitioner oracle. Method: checksum the test's
    // keys. Source: confluentinc/librdkafka tests/0048-partitioner.c (kafka.md §1.4).
    @Test func librdkafkaCRC32Vectors() {
        #expect(CRC32.checksum(bytes("23456")) == 0xb1b4_51d7)
        #expect(CRC32.checksum(bytes("this is another string with more length to it perhaps")) == 0xb015_0df7)
        #expect(CRC32.checksum(bytes("hejsan")) == 0xd077_037e)
    }

    // Goal: CRC32 equals Python's zlib.crc32 on spot checks, including the standard check value
    // and all byte values. Method: compare with values computed here by `python3 -c 'import zlib; …'`.
    // Source: Python zlib.crc32 (zlib's IEEE CRC-32), run by the author of this test.
    @Test func pythonZlibSpotChecks() {
        #expect(CRC32.checksum([]) == 0)
        #expect(CRC32.checksum(bytes("a")) == 0xe8b7_be43)
        #expect(CRC32.checksum(bytes("abc")) == 0x3524_41c2)
        #expect(CRC32.checksum(bytes("message digest")) == 0x2015_9d7f)
        #expect(CRC32.checksum(bytes("123456789")) == 0xcbf4_3926)
        #expect(CRC32.checksum(bytes("The quick brown fox jumps over the lazy dog")) == 0x414f_a339)
        #expect(CRC32.checksum(bytes("orders-42")) == 0x1596_f130)
        #expect(CRC32.checksum((0...255).map { UInt8($0) }) == 0x2905_8c73)
        #expect(CRC32.checksum(bytes("key6")) == 2_990_076_403)
    }

    // Goal: FNV-1a equals librdkafka's (Sarama-compatible, absolute value) hash. Method: hash the
    // test's keys, the empty key included. Source: confluentinc/librdkafka tests/0048-partitioner.c (kafka.md §1.4) and src/rdfnv1a.c.
    @Test func librdkafkaFNV1aVectors() {
        #expect(FNV1a.hash(bytes("23456")) == 0x27e6_f469)
        #expect(FNV1a.hash(bytes("this is another string with more length to it perhaps")) == 0x155e_3e5f)
        #expect(FNV1a.hash(bytes("hejsan")) == 0x17b1_e27a)
        #expect(FNV1a.hash([]) == 0x7ee3_623b)
    }
}
