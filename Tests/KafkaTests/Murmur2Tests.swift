import Testing
@testable import Kafka

private func bytes(_ text: String) -> [UInt8] { Array(text.utf8) }

@Suite("Murmur2 (Kafka Utils.murmur2)")
struct Murmur2Tests {
    // Goal: the hash equals Kafka's own test vectors. Method: hash each string and compare the
    // signed result. Source: apache/kafka clients/src/test/java/org/apache/kafka/common/utils/UtilsTest.java testMurmur2 (kafka.md §1.1).
    @Test func kafkaUtilsTestVectors() {
        let cases: [(String, Int32)] = [
            ("21", -973_932_308),
            ("foobar", -790_332_482),
            ("a-little-bit-long-string", -985_981_536),
            ("a-little-bit-longer-string", -1_486_304_829),
            ("lkjh234lh9fiuh90y23oiuhsafujhadof229phr9h19h89h8", -58_897_971),
            ("abc", 479_470_107),
        ]
        for (input, expected) in cases {
            #expect(Murmur2.hash(bytes(input)) == expected, "murmur2(\(input))")
        }
    }

    // Goal: the hash equals librdkafka's rd_murmur2 unit-test vectors, covering every tail length
    // and unaligned starts. Method: compare the unsigned bit pattern. Source: confluentinc/librdkafka src/rdmurmur2.c unittest_murmur2 (kafka.md §1.1).
    @Test func librdkafkaUnittestVectors() {
        let unaligned = "PreAmbleWillBeRemoved,ThePrePartThatIs"
        let cases: [(String, UInt32)] = [
            ("kafka", 0xd067_cf64),
            ("giberish123456789", 0x8f55_2b0c),
            ("1234", 0x9fc9_7b14),
            ("234", 0xe7c0_09ca),
            ("34", 0x8739_30da),
            ("4", 0x5a4b_5ca1),
            (unaligned, 0x7842_4f1c),
            (String(unaligned.dropFirst(1)), 0x4a62_b377),
            (String(unaligned.dropFirst(2)), 0xe0e4_e09e),
            (String(unaligned.dropFirst(3)), 0x62b8_b43f),
            ("", 0x106e_08d9),
        ]
        for (input, expected) in cases {
            #expect(Murmur2.hashBits(bytes(input)) == expected, "murmur2(\(input))")
            #expect(Murmur2.hash(bytes(input)) == Int32(bitPattern: expected))
        }
        #expect(Murmur2.hash([]) == 275_646_681)
    }

    // Goal: partition numbers for 1000 partitions equal what Java's partitioner produced. Method:
    // Murmur2.partition over each key. Source: dpkp/kafka-python test/producer/test_partitioner.py (kafka.md §1.1).
    @Test func kafkaPythonThousandPartitionOracles() {
        let cases: [([UInt8], Int)] = [
            ([], 681),
            (bytes("a"), 524),
            (bytes("ab"), 434),
            (bytes("abc"), 107),
            (bytes("123456789"), 566),
            ([0x00, 0x20], 742),
        ]
        for (key, expected) in cases {
            #expect(Murmur2.partition(key: key, partitionCount: 1000) == expected, "\(key)")
        }
    }

    // Goal: toPositive masks the sign bit rather than taking abs. Method: check Int32.min, -1 and
    // the "21" hash. Source: Kafka Utils.toPositive (kafka.md §1.1).
    @Test func toPositiveMasksSignBit() {
        #expect(Murmur2.toPositive(Int32.min) == 0)
        #expect(Murmur2.toPositive(-1) == Int32.max)
        #expect(Murmur2.toPositive(-973_932_308) == 1_173_551_340)
        #expect(Murmur2.toPositive(5) == 5)
        #expect(Murmur2.partition(key: bytes("21"), partitionCount: 3) == 0)
    }

    // Goal: librdkafka's masked murmur2 values from its partitioner test match. Method: hash & 0x7fffffff.
    // Source: confluentinc/librdkafka tests/0048-partitioner.c (kafka.md §1.4).
    @Test func librdkafkaPartitionerTestMurmur2() {
        let cases: [(String, UInt32)] = [
            ("23456", 0x058d_780f),
            ("this is another string with more length to it perhaps", 0x4f77_03da),
            ("hejsan", 0x5ec1_9395),
        ]
        for (input, expected) in cases {
            #expect(UInt32(Murmur2.toPositive(Murmur2.hash(bytes(input)))) == expected, "\(input)")
        }
    }

    // Goal: going from 3 to 4 partitions keeps only about a quarter of keys in place (a key stays
    // only when hash mod 12 ∈ {0,1,2}). Method: count over keys "key0"…"key9999". Source: kafka.md §1.3 (derived: 2497/10000).
    @Test func threeToFourPartitionsKeepsAboutAQuarter() {
        var stayed = 0
        for index in 0..<10_000 {
            let key = bytes("key\(index)")
            if Murmur2.partition(key: key, partitionCount: 3) == Murmur2.partition(key: key, partitionCount: 4) {
                stayed += 1
            }
        }
        #expect(stayed >= 2_300 && stayed <= 2_700, "stayed \(stayed) of 10000")
    }

    // Goal: the key0..key9 moves quoted in the reference hold: 8 of 10 move, key0 1→2, key1 2→0.
    // Method: compare partitions for 3 and 4 partitions. Source: kafka.md §1.3; values recomputed
    // with a Python transcription of the §1.1 description.
    @Test func keyZeroToNineMoves() {
        let expected: [(from: Int, to: Int)] = [(1, 2), (2, 0), (2, 3), (1, 1), (0, 1), (1, 3), (0, 0), (0, 3), (1, 3), (2, 3)]
        var moved = 0
        for index in 0..<10 {
            let key = bytes("key\(index)")
            let from = Murmur2.partition(key: key, partitionCount: 3)
            let to = Murmur2.partition(key: key, partitionCount: 4)
            #expect(from == expected[index].from && to == expected[index].to, "key\(index): \(from)→\(to)")
            if from != to { moved += 1 }
        }
        #expect(moved == 8)
    }

    // Goal: a zero or negative partition count never traps. Method: call with 0 and -3. Source: own robustness rule (no crash reachable by input).
    @Test func nonPositiveCountDoesNotTrap() {
        #expect(Murmur2.partition(key: bytes("x"), partitionCount: 0) == 0)
        #expect(Murmur2.partition(key: bytes("x"), partitionCount: -3) == 0)
    }
}
