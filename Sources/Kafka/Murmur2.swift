/// Kafka's 32-bit MurmurHash2, the hash the Java producer uses to map a keyed record to a partition.
///
/// Rule followed: Apache Kafka `Utils.murmur2` (clients/.../common/utils/Utils.java), restated:
/// start from `seed XOR length` with seed 0x9747b28c; mix each whole 4-byte block read
/// little-endian (multiply by m = 0x5bd1e995, xor with itself shifted right 24, multiply by m
/// again, then fold into the running hash with multiply-by-m and xor); fold the 1–3 trailing bytes
/// in from the highest to the lowest (byte 2 shifted 16, byte 1 shifted 8, byte 0) and multiply by
/// m once; finish with xor-shift 13, multiply by m, xor-shift 15. All arithmetic is modulo 2^32 and
/// bytes are unsigned. librdkafka's `rd_murmur2` is the same function (its `murmur2` partitioners
/// are "Java compatible").
public enum Murmur2 {
    public static let seed: UInt32 = 0x9747_b28c
    static let multiplier: UInt32 = 0x5bd1_e995

    /// Kafka's Utils.murmur2 (seed 0x9747b28c) over the key bytes, as a signed Int32.
    public static func hash(_ bytes: [UInt8]) -> Int32 {
        Int32(bitPattern: hashBits(bytes))
    }

    /// The same hash as an unsigned 32-bit pattern (librdkafka prints it this way).
    public static func hashBits(_ bytes: [UInt8]) -> UInt32 {
        let m = multiplier
        let count = bytes.count
        // Kafka stores the length in a Java int; truncating keeps the pattern for absurd sizes.
        var h = seed ^ UInt32(truncatingIfNeeded: count)
        let blockEnd = count - count % 4
        var index = 0
        while index < blockEnd {
            var k = UInt32(bytes[index])
                | UInt32(bytes[index + 1]) << 8
                | UInt32(bytes[index + 2]) << 16
                | UInt32(bytes[index + 3]) << 24
            k = k &* m
            k ^= k >> 24
            k = k &* m
            h = h &* m
            h ^= k
            index += 4
        }
        let tail = count - blockEnd
        if tail >= 3 { h ^= UInt32(bytes[blockEnd + 2]) << 16 }
        if tail >= 2 { h ^= UInt32(bytes[blockEnd + 1]) << 8 }
        if tail >= 1 {
            h ^= UInt32(bytes[blockEnd])
            h = h &* m
        }
        h ^= h >> 13
        h = h &* m
        h ^= h >> 15
        return h
    }

    /// Utils.toPositive: x & 0x7fffffff (not abs).
    ///
    /// Clearing the sign bit maps every int to 0...Int32.max, including Int32.min (→ 0), which
    /// `abs` could not do; a negative hash therefore does NOT land where `abs(hash) % n` would.
    public static func toPositive(_ x: Int32) -> Int32 {
        x & 0x7fff_ffff
    }

    /// BuiltInPartitioner.partitionForKey: toPositive(murmur2(key)) % partitionCount.
    /// A partition count below 1 has no partitions to choose from; 0 is returned (callers reject
    /// such topics first — `Partitioner.choose` throws `.noPartitions`).
    public static func partition(key: [UInt8], partitionCount: Int) -> Int {
        guard partitionCount > 0 else { return 0 }
        return Int(toPositive(hash(key))) % partitionCount
    }
}
