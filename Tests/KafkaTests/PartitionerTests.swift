import Foundation
import SimKit
import Testing
@testable import Kafka

private func bytes(_ text: String) -> [UInt8] { Array(text.utf8) }

/// One producer's view of one topic: the state and random stream a host would keep.
private struct Producer {
    var kind: PartitionerKind
    var state = PartitionerState()
    var rng: SplitMix64
    var partitionCount = 3
    var available = [0, 1, 2]
    var batchSize = 16_384
    var lingerMs: Int64 = 10
    var nowMs: Int64 = 1_000

    init(_ kind: PartitionerKind, seed: UInt64 = 42) {
        self.kind = kind
        rng = SplitMix64(seed: seed)
    }

    mutating func send(key: [UInt8]? = nil, explicit: Int? = nil, bytes: Int = 100) throws -> PartitionChoice {
        try Partitioner.choose(kind: kind, key: key, explicitPartition: explicit, partitionCount: partitionCount,
                               available: available, recordBytes: bytes, batchSize: batchSize,
                               stickyLingerMs: lingerMs, nowMs: nowMs, state: &state, rng: &rng)
    }
}

@Suite("Partitioner rules")
struct PartitionerTests {
    // Goal: keyed records use murmur2 with the documented reason text. Method: key "21" over 3
    // partitions for every Java-compatible kind. Source: kafka.md §1.1 (UtilsTest "21" → -973932308).
    @Test func keyedJavaReason() throws {
        for kind in [PartitionerKind.javaDefault, .javaSticky, .javaLegacy, .librdkafkaMurmur2] {
            var producer = Producer(kind)
            let choice = try producer.send(key: bytes("21"))
            #expect(choice == PartitionChoice(partition: 0, reason: "murmur2(key) = -973932308 → toPositive 1173551340 % 3 = 0"))
            #expect(producer.state == PartitionerState(), "keyed records leave the sticky state alone")
        }
    }

    // Goal: librdkafka's default hashes keys with CRC32 and so disagrees with Java. Method: key6
    // (CRC32 2990076403 % 3 = 1, murmur2 → 0). Source: kafka.md §1.4 (consistent_random); values from Python zlib and §1.3 table.
    @Test func librdkafkaKeyedUsesCRC32() throws {
        var producer = Producer(.librdkafka)
        let choice = try producer.send(key: bytes("key6"))
        #expect(choice == PartitionChoice(partition: 1, reason: "CRC32(key) = 2990076403 % 3 = 1"))
        #expect(Murmur2.partition(key: bytes("key6"), partitionCount: 3) == 0)
        // librdkafka 0048 oracle: expected partition = crc % count.
        producer.partitionCount = 17
        #expect(try producer.send(key: bytes("hejsan")).partition == Int(UInt32(0xd077_037e) % 17))
    }

    // Goal: empty keys follow each client's rule: Java and murmur2_random hash them (0x106e08d9),
    // consistent_random treats them like NULL (sticky random). Method: produce an empty key. Source: kafka.md §1.4 table; librdkafka src/rdkafka_msg.c.
    @Test func emptyKeyRules() throws {
        var java = Producer(.javaDefault)
        #expect(try java.send(key: []).partition == Int(0x106e_08d9 as Int32) % 3)
        var murmurRandom = Producer(.librdkafkaMurmur2)
        #expect(try murmurRandom.send(key: []).partition == Int(0x106e_08d9 as Int32) % 3)
        #expect(murmurRandom.state.stickyPartition == nil)
        var rdkafka = Producer(.librdkafka)
        let choice = try rdkafka.send(key: [])
        #expect(rdkafka.state.stickyPartition == choice.partition)
        #expect(choice.reason.hasPrefix("empty key"))
    }

    // Goal: keyed records hash over ALL partitions even when some have no leader. Method: find
    // keys hashing to partition 2, make only 0 and 1 available, check they still go to 2. Source: kafka.md §1.2 ("Keyed records hash over all partitions").
    @Test func keyedIgnoresAvailability() throws {
        let keys = (0..<50).map { bytes("k\($0)") }.filter { Murmur2.partition(key: $0, partitionCount: 3) == 2 }
        #expect(!keys.isEmpty)
        for kind in [PartitionerKind.javaDefault, .javaSticky, .javaLegacy, .librdkafkaMurmur2] {
            var producer = Producer(kind)
            producer.available = [0, 1]
            for key in keys {
                #expect(try producer.send(key: key).partition == 2)
            }
        }
        var rdkafka = Producer(.librdkafka)
        rdkafka.available = [1]
        let crcKey = (0..<50).map { bytes("c\($0)") }.first { CRC32.checksum($0) % 3 == 0 }
        if let crcKey { #expect(try rdkafka.send(key: crcKey).partition == 0) } else { Issue.record("no key with crc % 3 == 0") }
    }

    // Goal: an explicit partition wins over the key and every rule, and is range-checked. Method:
    // send with explicit 1, then -1 and 3 on a 3-partition topic. Source: kafka.md §1.2 ("Explicit record.partition always wins"); Kafka KafkaProducer.waitOnMetadata message.
    @Test func explicitPartitionWinsAndIsChecked() throws {
        for kind in PartitionerKind.allCases {
            var producer = Producer(kind)
            producer.available = [0]
            #expect(try producer.send(key: bytes("21"), explicit: 1) == PartitionChoice(partition: 1, reason: "explicit partition 1"))
            #expect(throws: PartitionerError.explicitPartitionOutOfRange(partition: 3, count: 3)) { try producer.send(explicit: 3) }
            #expect(throws: PartitionerError.explicitPartitionOutOfRange(partition: -1, count: 3)) { try producer.send(explicit: -1) }
            #expect(producer.state == PartitionerState())
        }
        #expect(PartitionerError.explicitPartitionOutOfRange(partition: 5, count: 3).description
            == "Invalid partition given with record: 5 is not in the range [0...3).")
    }

    // Goal: a topic without partitions is an error, not a crash. Method: partitionCount 0 and -1.
    // Source: own robustness rule.
    @Test func noPartitionsThrows() {
        for kind in PartitionerKind.allCases {
            var producer = Producer(kind)
            producer.partitionCount = 0
            #expect(throws: PartitionerError.noPartitions) { try producer.send() }
            producer.partitionCount = -1
            #expect(throws: PartitionerError.noPartitions) { try producer.send(key: bytes("a")) }
        }
    }

    // Goal: Java ≥3.3 uniform sticky stays on one partition until it has received batch.size bytes,
    // then switches. Method: 1000-byte records with batch.size 16384: the first 17 records (17000
    // bytes ≥ 16384 after the 17th) share a partition, the 18th starts a new choice. Source: kafka.md §1.2 (KIP-794 BuiltInPartitioner).
    @Test func uniformStickySwitchesAfterBatchSize() throws {
        var producer = Producer(.javaDefault)
        let first = try producer.send(bytes: 1_000)
        #expect(first.reason.contains("new sticky partition \(first.partition)"))
        for index in 2...17 {
            let choice = try producer.send(bytes: 1_000)
            #expect(choice.partition == first.partition)
            #expect(choice.reason == "sticky partition \(first.partition) (\(index * 1_000) of 16384 bytes)")
        }
        #expect(producer.state.stickyBytes == 17_000)
        let switched = try producer.send(bytes: 1_000)
        #expect(producer.state.stickyChoices == 2)
        #expect(producer.state.stickyBytes == 1_000)
        #expect(switched.reason.contains("reached 17000 of 16384 bytes"))
        // Over many switches the new choice sometimes repeats the old partition (no "different" rule).
        var repeats = 0
        var previous = switched.partition
        for _ in 0..<60 {
            producer.state.stickyBytes = producer.batchSize
            let next = try producer.send(bytes: 1)
            if next.partition == previous { repeats += 1 }
            previous = next.partition
        }
        #expect(repeats > 0)
    }

    // Goal: Java 2.4–3.2 sticky always moves to a DIFFERENT available partition when it switches.
    // Method: force 200 switches and compare consecutive partitions. Source: kafka.md §1.2 (KIP-480 StickyPartitionCache).
    @Test func kip480StickyPicksDifferentPartition() throws {
        var producer = Producer(.javaSticky)
        var previous = try producer.send(bytes: 16_384).partition
        for _ in 0..<200 {
            let next = try producer.send(bytes: 16_384)
            #expect(next.partition != previous)
            previous = next.partition
        }
        #expect(producer.state.stickyChoices == 201)
        // With a single available partition there is nothing else to switch to.
        producer.available = [2]
        for _ in 0..<5 { #expect(try producer.send(bytes: 16_384).partition == 2) }
    }

    // Goal: keyless sticky choices only land on available partitions and a sticky partition that
    // loses its leader is replaced at once. Method: available [1] after sticking elsewhere. Source: kafka.md §1.2; Partitioner contract.
    @Test func stickyOnlyUsesAvailable() throws {
        for kind in [PartitionerKind.javaDefault, .javaSticky, .librdkafka, .librdkafkaMurmur2] {
            var producer = Producer(kind)
            producer.available = [0, 2]
            for _ in 0..<100 {
                let choice = try producer.send(bytes: 5_000)
                #expect(choice.partition == 0 || choice.partition == 2)
                producer.nowMs += 3
            }
            producer.available = [1]
            let moved = try producer.send(bytes: 10)
            #expect(moved.partition == 1, "\(kind)")
            #expect(moved.reason.contains("has no leader") || moved.reason.contains("sticky partition 1"))
        }
    }

    // Goal: librdkafka keeps its sticky partition for sticky.partitioning.linger.ms of simulated time
    // and re-draws only after more than that has passed. Method: send at +0…+10 ms (same choice), then at +11 ms (new draw). Source: kafka.md §1.4; librdkafka rd_kafka_msg_sticky_partition + rd_interval.
    @Test func librdkafkaStickyLinger() throws {
        for kind in [PartitionerKind.librdkafka, .librdkafkaMurmur2] {
            var producer = Producer(kind)
            let start = producer.nowMs
            let first = try producer.send()
            #expect(producer.state.stickyChosenAtMs == start)
            for offset in 1...10 {
                producer.nowMs = start + Int64(offset)
                let choice = try producer.send(bytes: 100_000) // bytes never matter here
                #expect(choice.partition == first.partition)
                #expect(choice.reason.hasPrefix("null key: sticky partition \(first.partition)"))
            }
            #expect(producer.state.stickyChoices == 1)
            producer.nowMs = start + 11
            let redrawn = try producer.send()
            #expect(producer.state.stickyChoices == 2)
            #expect(producer.state.stickyChosenAtMs == start + 11)
            #expect(redrawn.reason.contains("linger of 10 ms over"))
            // Over many lingers every partition gets used.
            var seen = Set<Int>()
            for step in 1...60 {
                producer.nowMs = start + 11 + Int64(step) * 11
                seen.insert(try producer.send().partition)
            }
            #expect(seen == [0, 1, 2])
        }
    }

    // Goal: sticky.partitioning.linger.ms = 0 turns stickiness off (random per keyless record).
    // Method: 60 sends at the same instant reach every partition and leave no sticky state. Source: kafka.md §1.4 ("0 disables it").
    @Test func librdkafkaLingerZeroIsRandomPerRecord() throws {
        var producer = Producer(.librdkafka)
        producer.lingerMs = 0
        var seen = Set<Int>()
        for _ in 0..<60 { seen.insert(try producer.send().partition) }
        #expect(seen == [0, 1, 2])
        #expect(producer.state.stickyPartition == nil)
    }

    // Goal: RoundRobinPartitioner ignores keys and cycles over available partitions only, counter
    // from 0. Method: available [0, 2] of 3, six sends with keys. Source: kafka.md §1.2 (RoundRobinPartitioner).
    @Test func roundRobinCyclesOverAvailable() throws {
        var producer = Producer(.roundRobin)
        producer.available = [2, 0, 0, 7] // unsorted, duplicated and out-of-range entries are cleaned up
        var partitions: [Int] = []
        for index in 0..<6 { partitions.append(try producer.send(key: bytes("same-key-\(index % 2)")).partition) }
        #expect(partitions == [0, 2, 0, 2, 0, 2])
        #expect(producer.state.counter == 6)
        producer.available = [0, 1, 2]
        let choice = try producer.send(key: bytes("x"))
        #expect(choice == PartitionChoice(partition: 0, reason: "round-robin counter 6 % 3 available = index 0 → partition 0"))
    }

    // Goal: Java ≤2.3 keyless round-robin starts its counter at a random int and then counts up
    // over available partitions, wrapping like a Java int through toPositive. Method: check the
    // sequence is consecutive and that a counter at Int32.max wraps. Source: kafka.md §1.2 (DefaultPartitioner ≤2.3).
    @Test func legacyRoundRobinFromRandomStart() throws {
        var producer = Producer(.javaLegacy)
        _ = try producer.send()
        let start = try #require(producer.state.counter) &- 1
        var sequence: [Int] = []
        for _ in 0..<6 { sequence.append(try producer.send().partition) }
        let expected = (1...6).map { Int(Murmur2.toPositive(start &+ Int32($0))) % 3 }
        #expect(sequence == expected)
        producer.state.counter = Int32.max
        #expect(try producer.send().partition == Int(Int32.max) % 3)
        let wrapped = try producer.send()
        #expect(wrapped.partition == 0)  // toPositive(Int32.min) = 0
        #expect(wrapped.reason.hasPrefix("round-robin counter -2147483648 → toPositive 0 % 3"))
        // No partition available: Java falls back to all partitions.
        producer.available = []
        let fallback = try producer.send()
        #expect(fallback.reason.contains("no partition has a leader"))
    }

    // Goal: the same seed gives the same sequence of choices for every rule. Method: run two
    // producers with seed 7 through a mixed workload and compare, and a third with seed 8 differs. Source: SimKit determinism requirement.
    @Test func sameSeedSameChoices() throws {
        func run(_ kind: PartitionerKind, seed: UInt64) throws -> [PartitionChoice] {
            var producer = Producer(kind, seed: seed)
            producer.partitionCount = 12
            producer.available = Array(0..<12)
            var out: [PartitionChoice] = []
            for index in 0..<300 {
                let key: [UInt8]? = index % 5 == 0 ? bytes("user-\(index)") : nil
                out.append(try producer.send(key: key, bytes: 900 + index % 300))
                producer.nowMs += Int64(index % 4)
            }
            return out
        }
        for kind in PartitionerKind.allCases {
            #expect(try run(kind, seed: 7) == run(kind, seed: 7), "\(kind)")
        }
        for kind in [PartitionerKind.javaDefault, .javaSticky, .javaLegacy, .librdkafka, .librdkafkaMurmur2] {
            #expect(try run(kind, seed: 7).map(\.partition) != run(kind, seed: 8).map(\.partition), "\(kind)")
        }
    }

    // Goal: kinds keep their config names, every kind has a summary, and a used state survives a
    // JSON round trip (the host snapshots it). Method: raw values, then encode/decode a state after sticky sends. Source: the module's API brief.
    @Test func kindsAndState() throws {
        #expect(PartitionerKind.allCases.map(\.rawValue) == ["java", "java-2.4", "java-2.3", "round-robin", "librdkafka", "murmur2_random"])
        #expect(PartitionerKind(rawValue: "murmur2_random") == .librdkafkaMurmur2)
        for kind in PartitionerKind.allCases { #expect(!kind.summary.isEmpty) }
        var producer = Producer(.librdkafka)
        _ = try producer.send()
        _ = try producer.send()
        #expect(producer.state != PartitionerState())
        let data = try JSONEncoder().encode(producer.state)
        #expect(try JSONDecoder().decode(PartitionerState.self, from: data) == producer.state)
        let kinds = try JSONEncoder().encode(PartitionerKind.allCases)
        #expect(try JSONDecoder().decode([PartitionerKind].self, from: kinds) == PartitionerKind.allCases)
    }
}

@Suite("Partitioner edge cases")
struct PartitionerEdgeTests {
    // Goal: a huge partition count with no available partition neither traps nor allocates per
    // partition, and the reason stays short. Method: Int.max partitions, empty `available`, every kind. Source: own robustness rule.
    @Test func hugeCountFallback() throws {
        for kind in PartitionerKind.allCases {
            var state = PartitionerState()
            var rng = SplitMix64(seed: 1)
            let choice = try Partitioner.choose(kind: kind, key: nil, explicitPartition: nil, partitionCount: Int.max, available: [],
                                                recordBytes: Int.max, batchSize: 0, stickyLingerMs: Int64.max, nowMs: Int64.min,
                                                state: &state, rng: &rng)
            #expect(choice.partition >= 0)
            #expect(choice.reason.utf8.count < 400)
            let keyed = try Partitioner.choose(kind: kind, key: Array("k".utf8), explicitPartition: nil, partitionCount: Int.max, available: [-5],
                                               recordBytes: -1, batchSize: -1, stickyLingerMs: -1, nowMs: Int64.max,
                                               state: &state, rng: &rng)
            #expect(keyed.partition >= 0)
        }
    }

    // Goal: the reason texts read as the brief describes for a sticky choice and a shortened long
    // candidate list. Method: 100 available partitions, one keyless record then one more. Source: the module's API brief.
    @Test func reasonTexts() throws {
        var state = PartitionerState()
        var rng = SplitMix64(seed: 3)
        let first = try Partitioner.choose(kind: .javaDefault, key: nil, explicitPartition: nil, partitionCount: 100, available: Array(0..<100),
                                           recordBytes: 600, batchSize: 16_384, stickyLingerMs: 10, nowMs: 0, state: &state, rng: &rng)
        #expect(first.reason == "new sticky partition \(first.partition), random among available [0, 1, 2, …, 99] (600 of 16384 bytes)")
        let second = try Partitioner.choose(kind: .javaDefault, key: nil, explicitPartition: nil, partitionCount: 100, available: Array(0..<100),
                                            recordBytes: 600, batchSize: 16_384, stickyLingerMs: 10, nowMs: 0, state: &state, rng: &rng)
        #expect(second == PartitionChoice(partition: first.partition, reason: "sticky partition \(first.partition) (1200 of 16384 bytes)"))
    }
}
