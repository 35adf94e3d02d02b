import SimKit

// Producer-side partition choice: which partition a record goes to when the application does not
// name one. The rules differ by client and by client version (kafka.md §1.2 and §1.4), and that
// difference is one of the things the Workbench teaches, so each rule is kept separately.

/// Which client rule chooses a record's partition.
public enum PartitionerKind: String, CaseIterable, Codable, Sendable {
    /// Java client ≥ 3.3 built-in partitioner (KIP-794, `partitioner.class` unset).
    /// Keyed: murmur2. Keyless: "uniform sticky" — stay on one partition until it has received
    /// batch.size bytes, then pick a new one at random among available partitions (may be the same
    /// one again). Adaptive weighting by queue length (`partitioner.adaptive.partitioning.enable`,
    /// on by default in Java) is NOT simulated: every available partition is equally likely.
    case javaDefault = "java"
    /// Java client 2.4–3.2 DefaultPartitioner (KIP-480 sticky).
    /// Keyed: murmur2. Keyless: sticky; Java switches when a new batch is created for the sticky
    /// partition — here when it has received batch.size bytes since the switch. The new choice is
    /// random among available partitions and differs from the old one when more than one is
    /// available.
    case javaSticky = "java-2.4"
    /// Java client ≤ 2.3 DefaultPartitioner. Keyed: murmur2. Keyless: round-robin over available
    /// partitions with a per-topic counter that starts at a random int.
    case javaLegacy = "java-2.3"
    /// Java RoundRobinPartitioner (2.4+). Ignores keys; per-topic counter from 0 over available
    /// partitions.
    case roundRobin = "round-robin"
    /// librdkafka (confluent-kafka Python, C, Go, .NET) default `consistent_random`.
    /// Keyed: CRC32(key) % partition count. NULL or EMPTY key: a random available partition, kept
    /// for `sticky.partitioning.linger.ms` (default 10 ms of simulated time).
    case librdkafka = "librdkafka"
    /// librdkafka `murmur2_random`: Java-compatible murmur2 for keys (an empty key is hashed);
    /// NULL key: random available partition, sticky for `sticky.partitioning.linger.ms`.
    case librdkafkaMurmur2 = "murmur2_random"

    /// One-line explanation for learners.
    public var summary: String {
        switch self {
        case .javaDefault:
            return "Java ≥3.3: key → murmur2(key) % partitions; no key → stick to one random partition until batch.size bytes, then pick again"
        case .javaSticky:
            return "Java 2.4–3.2: key → murmur2(key) % partitions; no key → sticky partition, a different random one each time a batch fills"
        case .javaLegacy:
            return "Java ≤2.3: key → murmur2(key) % partitions; no key → round-robin over partitions with a leader"
        case .roundRobin:
            return "RoundRobinPartitioner: ignores keys; each record goes to the next partition with a leader, in turn"
        case .librdkafka:
            return "librdkafka/confluent-kafka default (consistent_random): key → CRC32(key) % partitions; null or empty key → random partition, sticky for linger"
        case .librdkafkaMurmur2:
            return "librdkafka murmur2_random: key → murmur2 like Java (empty key hashed too); null key → random partition, sticky for linger"
        }
    }

    /// True when a key is hashed by murmur2 the Java way (keys then land where Java puts them).
    public var isJavaCompatibleForKeys: Bool {
        switch self {
        case .javaDefault, .javaSticky, .javaLegacy, .librdkafkaMurmur2: return true
        case .roundRobin, .librdkafka: return false
        }
    }
}

/// Per-(producer, topic) memory a partitioner keeps between records (counters, the sticky partition,
/// bytes sent to it, when it was chosen). Codable + Equatable so the host can snapshot and save it.
/// Keep one value per producer and topic, and start a fresh one if the producer's kind changes.
public struct PartitionerState: Codable, Equatable, Sendable {
    /// Round-robin counter, a Java `int` that wraps (nil until the first round-robin record).
    public var counter: Int32?
    /// The partition keyless records currently stick to (nil until the first one).
    public var stickyPartition: Int?
    /// Bytes of keyless records sent to `stickyPartition` since it was chosen.
    public var stickyBytes: Int
    /// Simulated time `stickyPartition` was chosen (librdkafka's linger is measured from it).
    public var stickyChosenAtMs: Int64?
    /// How many times a sticky partition has been chosen so far (first choice included).
    public var stickyChoices: Int

    public init() {
        counter = nil
        stickyPartition = nil
        stickyBytes = 0
        stickyChosenAtMs = nil
        stickyChoices = 0
    }
}

public struct PartitionChoice: Equatable, Sendable {
    public var partition: Int
    /// Why: "explicit partition", "murmur2(key) = -973932308 → toPositive 1173551340 % 3 = 0", "CRC32(key) = … % 3 = …", "sticky partition 2 (1200 of 16384 bytes)", "round-robin counter 7 % 3", …
    public var reason: String

    public init(partition: Int, reason: String) {
        self.partition = partition
        self.reason = reason
    }
}

public enum PartitionerError: Error, Equatable, Sendable, CustomStringConvertible {
    case explicitPartitionOutOfRange(partition: Int, count: Int)   // Kafka: "Invalid partition given with record: %d is not in the range [0...%d]."
    case noPartitions

    /// The message the Java producer gives. A negative partition is refused by the ProducerRecord
    /// constructor; one at or beyond the count by KafkaProducer once metadata is known (which
    /// prints the half-open range `[0...count)`).
    public var description: String {
        switch self {
        case let .explicitPartitionOutOfRange(partition, count):
            if partition < 0 {
                return "Invalid partition: \(partition). Partition number should always be non-negative or null."
            }
            return "Invalid partition given with record: \(partition) is not in the range [0...\(count))."
        case .noPartitions:
            return "The topic has no partitions to choose from."
        }
    }
}

public enum Partitioner {
    /// Chooses the partition for one record. `key == nil` means a NULL key. `available` = partitions that currently have a leader (keyless records only go there; keyed records hash over ALL partitions).
    /// `recordBytes` = this record's size in its batch (RecordSize), used by the sticky rules; `batchSize` = batch.size (default 16384); `nowMs` = simulated time for librdkafka's sticky linger; `rng` = the session's seeded stream for random picks (never the global RNG).
    ///
    /// If no partition is available, keyless records fall back to all partitions, as the Java
    /// partitioners do when `availablePartitionsForTopic` is empty.
    public static func choose(kind: PartitionerKind, key: [UInt8]?, explicitPartition: Int?, partitionCount: Int, available: [Int],
                              recordBytes: Int, batchSize: Int, stickyLingerMs: Int64, nowMs: Int64,
                              state: inout PartitionerState, rng: inout SplitMix64) throws -> PartitionChoice {
        guard partitionCount > 0 else { throw PartitionerError.noPartitions }

        // Every client: a partition named on the record wins over any partitioner, but must exist.
        if let explicit = explicitPartition {
            guard explicit >= 0, explicit < partitionCount else {
                throw PartitionerError.explicitPartitionOutOfRange(partition: explicit, count: partitionCount)
            }
            return PartitionChoice(partition: explicit, reason: "explicit partition \(explicit)")
        }

        let pool = Pool(partitionCount: partitionCount, available: available)
        let bytes = max(0, recordBytes)

        switch kind {
        case .javaDefault:
            if let key { return murmur2Choice(key: key, partitionCount: partitionCount) }
            return batchSticky(differentFromOld: false, pool: pool, recordBytes: bytes, batchSize: batchSize,
                               nowMs: nowMs, state: &state, rng: &rng)
        case .javaSticky:
            if let key { return murmur2Choice(key: key, partitionCount: partitionCount) }
            return batchSticky(differentFromOld: true, pool: pool, recordBytes: bytes, batchSize: batchSize,
                               nowMs: nowMs, state: &state, rng: &rng)
        case .javaLegacy:
            if let key { return murmur2Choice(key: key, partitionCount: partitionCount) }
            // Java ≤ 2.3 seeds the per-topic counter with a random int the first time it is used.
            let start = state.counter ?? Int32(truncatingIfNeeded: rng.next())
            return roundRobinChoice(start: start, pool: pool, state: &state)
        case .roundRobin:
            // RoundRobinPartitioner never looks at the key; its per-topic counter starts at 0.
            return roundRobinChoice(start: state.counter ?? 0, pool: pool, state: &state)
        case .librdkafka:
            // consistent_random: only a non-empty key is hashed (rd_kafka_msg_partitioner_consistent_random
            // sends keylen 0 to the random partitioner, and the sticky path catches NULL and empty keys).
            if let key, !key.isEmpty {
                let crc = CRC32.checksum(key)
                let partition = Int(crc) % partitionCount
                return PartitionChoice(partition: partition,
                                       reason: "CRC32(key) = \(crc) % \(partitionCount) = \(partition)")
            }
            return lingerSticky(emptyKey: key != nil, pool: pool, recordBytes: bytes, lingerMs: stickyLingerMs,
                                nowMs: nowMs, state: &state, rng: &rng)
        case .librdkafkaMurmur2:
            // murmur2_random: any non-NULL key is hashed, the empty one included (0x106e08d9).
            if let key { return murmur2Choice(key: key, partitionCount: partitionCount) }
            return lingerSticky(emptyKey: false, pool: pool, recordBytes: bytes, lingerMs: stickyLingerMs,
                                nowMs: nowMs, state: &state, rng: &rng)
        }
    }

    // MARK: - Rules

    /// Java's keyed rule (BuiltInPartitioner.partitionForKey; librdkafka's murmur2 partitioners):
    /// toPositive(murmur2(key)) % count, over ALL partitions whether or not they have a leader, so
    /// a key always maps to the same partition while the count stays the same.
    static func murmur2Choice(key: [UInt8], partitionCount: Int) -> PartitionChoice {
        let hash = Murmur2.hash(key)
        let positive = Murmur2.toPositive(hash)
        let partition = Int(positive) % partitionCount
        return PartitionChoice(partition: partition,
                               reason: "murmur2(key) = \(hash) → toPositive \(positive) % \(partitionCount) = \(partition)")
    }

    /// Java's counter rule (≤ 2.3 DefaultPartitioner for keyless records; RoundRobinPartitioner for
    /// all): take the counter, advance it (a Java int, so it wraps), and use
    /// toPositive(counter) % (number of available partitions) as an index into the available list.
    /// The KAFKA-9965 double call on a new batch (which makes RoundRobinPartitioner skip) is not
    /// simulated: the counter advances once per record.
    static func roundRobinChoice(start: Int32, pool: Pool, state: inout PartitionerState) -> PartitionChoice {
        let value = start
        state.counter = value &+ 1
        let index = Int(Murmur2.toPositive(value)) % pool.count
        let partition = pool[index]
        let counterText = value < 0 ? "\(value) → toPositive \(Murmur2.toPositive(value))" : "\(value)"
        return PartitionChoice(partition: partition,
                               reason: "round-robin counter \(counterText) % \(pool.count) \(pool.noun) = index \(index) → partition \(partition)\(pool.fallbackNote)")
    }

    /// The two Java sticky rules for keyless records.
    ///
    /// Java ≥ 3.3 (BuiltInPartitioner, uniform sticky): the sticky partition keeps receiving
    /// records; after each append the bytes produced to it are added up, and once they reach
    /// batch.size the next record picks a new partition uniformly among available ones (it may
    /// pick the same one). Java defers that switch while the partition's last batch still has
    /// room and forces it at 2 × batch.size; with one batch per batch.size bytes the two agree,
    /// so the simpler "≥ batch.size" test is used. Adaptive weighting is off.
    ///
    /// Java 2.4–3.2 (StickyPartitionCache, KIP-480): the same stickiness, but the switch happens
    /// when a new batch is started for the sticky partition, and the new partition is drawn again
    /// until it differs from the old one when more than one partition is available. Here the
    /// "batch.size bytes received" rule approximates it; the workbench's producer, which has the
    /// accumulator, applies the exact rule (onNewBatch) on top.
    ///
    /// A sticky partition that has lost its leader is also replaced at once, so keyless records go
    /// to available partitions only. batch.size below 1 counts as 1 (the Java producer clamps it),
    /// which makes every record switch.
    static func batchSticky(differentFromOld: Bool, pool: Pool, recordBytes: Int, batchSize: Int, nowMs: Int64,
                            state: inout PartitionerState, rng: inout SplitMix64) -> PartitionChoice {
        let limit = max(1, batchSize)
        var note = ""
        let current = state.stickyPartition.flatMap { pool.contains($0) ? $0 : nil }
        if let current, state.stickyBytes < limit {
            state.stickyBytes = addClamped(state.stickyBytes, recordBytes)
            return PartitionChoice(partition: current,
                                   reason: "sticky partition \(current) (\(state.stickyBytes) of \(limit) bytes)")
        }
        let old = state.stickyPartition
        var partition = pool.random(&rng)
        if differentFromOld, let old, pool.count > 1 {
            while partition == old {
                partition = pool.random(&rng)
            }
        }
        if let old {
            if current == nil {
                note = "partition \(old) has no leader; "
            } else {
                note = differentFromOld
                    ? "partition \(old) filled a batch (\(state.stickyBytes) of \(limit) bytes); "
                    : "partition \(old) reached \(state.stickyBytes) of \(limit) bytes; "
            }
        }
        state.stickyPartition = partition
        state.stickyBytes = recordBytes
        state.stickyChosenAtMs = nowMs
        state.stickyChoices += 1
        var rule = "random among \(pool.noun) \(pool.listText)"
        if differentFromOld, let old, pool.count > 1 { rule += " other than \(old)" }
        return PartitionChoice(partition: partition,
                               reason: "\(note)new sticky partition \(partition), \(rule)\(pool.fallbackNote) (\(recordBytes) of \(limit) bytes)")
    }

    /// librdkafka's sticky rule for keyless records (rd_kafka_msg_sticky_partition): the topic keeps
    /// one randomly chosen partition and re-draws it once more than `sticky.partitioning.linger.ms`
    /// has passed since it was drawn (librdkafka's interval timer fires only when the elapsed time
    /// exceeds the interval), or at once if that partition is no longer available. The new draw may
    /// repeat the old partition. A linger of 0 (or less) turns stickiness off: every keyless record
    /// gets its own random partition.
    ///
    /// Difference from librdkafka, on purpose: its random partitioner draws from ALL partitions and
    /// re-draws once if the first draw is unavailable (so it can still hit a leaderless one); here
    /// the draw is uniform among available partitions, matching the simulator's contract.
    static func lingerSticky(emptyKey: Bool, pool: Pool, recordBytes: Int, lingerMs: Int64, nowMs: Int64,
                             state: inout PartitionerState, rng: inout SplitMix64) -> PartitionChoice {
        let keyText = emptyKey ? "empty key" : "null key"
        guard lingerMs > 0 else {
            let partition = pool.random(&rng)
            return PartitionChoice(partition: partition,
                                   reason: "\(keyText): random among \(pool.noun) \(pool.listText)\(pool.fallbackNote) (sticky.partitioning.linger.ms = \(lingerMs), no stickiness)")
        }
        let current = state.stickyPartition.flatMap { pool.contains($0) ? $0 : nil }
        if let current, let chosenAt = state.stickyChosenAtMs, !elapsed(from: chosenAt, to: nowMs, exceeds: lingerMs) {
            state.stickyBytes = addClamped(state.stickyBytes, recordBytes)
            return PartitionChoice(partition: current,
                                   reason: "\(keyText): sticky partition \(current) (chosen at \(chosenAt) ms, \(nowMs &- chosenAt) of \(lingerMs) ms linger)")
        }
        var note = ""
        if let old = state.stickyPartition {
            if current == nil {
                note = "partition \(old) has no leader; "
            } else if let chosenAt = state.stickyChosenAtMs {
                note = "linger of \(lingerMs) ms over (partition \(old) chosen at \(chosenAt) ms); "
            }
        }
        let partition = pool.random(&rng)
        state.stickyPartition = partition
        state.stickyBytes = recordBytes
        state.stickyChosenAtMs = nowMs
        state.stickyChoices += 1
        return PartitionChoice(partition: partition,
                               reason: "\(keyText): \(note)new sticky partition \(partition), random among \(pool.noun) \(pool.listText)\(pool.fallbackNote), kept for \(lingerMs) ms")
    }

    // MARK: - Helpers

    /// The partitions a keyless record may go to: the valid, distinct available ones in ascending
    /// order, or every partition when none is available (kept as a range, never materialised, so
    /// a huge partition count costs nothing).
    struct Pool {
        private let listed: [Int]
        let count: Int
        let isFallback: Bool

        init(partitionCount: Int, available: [Int]) {
            var valid = available.filter { $0 >= 0 && $0 < partitionCount }
            valid.sort()
            var unique: [Int] = []
            unique.reserveCapacity(valid.count)
            for partition in valid where unique.last != partition { unique.append(partition) }
            if unique.isEmpty {
                listed = []
                count = partitionCount
                isFallback = true
            } else {
                listed = unique
                count = unique.count
                isFallback = false
            }
        }

        /// The candidate at `index` (0..<count).
        subscript(index: Int) -> Int { isFallback ? index : listed[index] }

        func contains(_ partition: Int) -> Bool {
            isFallback ? (partition >= 0 && partition < count) : listed.contains(partition)
        }

        /// A uniformly random candidate from the session's stream.
        func random(_ rng: inout SplitMix64) -> Int {
            self[Int(rng.next(below: UInt64(max(1, count))))]
        }

        var noun: String { isFallback ? "all" : "available" }
        var fallbackNote: String { isFallback ? " (no partition has a leader, so all are candidates)" : "" }

        /// The candidates for a reason text, shortened when long: "[0, 2, 5]" or "[0, 1, 2, …, 99]".
        var listText: String {
            let shown = count <= 8 ? Array(0..<count) : [0, 1, 2, count - 1]
            let parts = shown.map { String(self[$0]) }
            if count <= 8 { return "[" + parts.joined(separator: ", ") + "]" }
            return "[" + parts.dropLast().joined(separator: ", ") + ", …, " + parts[parts.count - 1] + "]"
        }
    }

    static func addClamped(_ a: Int, _ b: Int) -> Int {
        let (sum, overflow) = a.addingReportingOverflow(b)
        return overflow ? Int.max : sum
    }

    /// True when more than `limit` ms lie between `start` and `now` (time running backwards never
    /// counts as elapsed).
    static func elapsed(from start: Int64, to now: Int64, exceeds limit: Int64) -> Bool {
        let (delta, overflow) = now.subtractingReportingOverflow(start)
        if overflow { return now > start }
        return delta > limit
    }
}
