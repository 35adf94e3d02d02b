/// CRC-32 as zlib, IEEE 802.3 and Python's `zlib.crc32` compute it; librdkafka's default
/// `consistent_random` partitioner hashes keys with it (`rd_crc32`, src/rdcrc32.h).
///
/// Rule followed: the reflected (LSB-first) form of polynomial 0x04C11DB7, i.e. 0xEDB88320, with
/// the register preset to all ones and the result inverted. Each byte is xored into the low byte
/// of the register and then eight shift-right steps are applied, xoring in the polynomial whenever
/// a one bit falls off; a 256-entry table precomputes those eight steps per byte value.
/// (This is NOT the CRC-32C of record batches, which uses the Castagnoli polynomial.)
public enum CRC32 {
    static let polynomial: UInt32 = 0xEDB8_8320

    /// The eight shift steps for every possible low byte, built once.
    static let table: [UInt32] = (0..<256).map { (value: Int) -> UInt32 in
        var crc = UInt32(value)
        for _ in 0..<8 {
            crc = (crc & 1) != 0 ? (crc >> 1) ^ polynomial : crc >> 1
        }
        return crc
    }

    /// zlib/IEEE CRC-32 (reflected 0xEDB88320, init and xorout 0xFFFFFFFF).
    public static func checksum(_ bytes: [UInt8]) -> UInt32 {
        var crc: UInt32 = 0xFFFF_FFFF
        for byte in bytes {
            crc = (crc >> 8) ^ table[Int((crc ^ UInt32(byte)) & 0xFF)]
        }
        return crc ^ 0xFFFF_FFFF
    }
}

/// librdkafka's FNV-1a (`rd_fnv1a`, src/rdfnv1a.c), used by its `fnv1a` and `fnv1a_random`
/// partitioners.
///
/// Rule followed: 32-bit FNV-1a (offset basis 0x811C9DC5; per byte: xor the byte in, then multiply
/// by the prime 0x01000193, modulo 2^32), after which librdkafka reads the result as a signed
/// 32-bit integer and takes its absolute value, to match Sarama's default hash partitioner.
/// So the empty key hashes to 0x7EE3623B (= -0x811C9DC5), not to the bare offset basis.
public enum FNV1a {
    static let offsetBasis: UInt32 = 0x811C_9DC5
    static let prime: UInt32 = 0x0100_0193

    public static func hash(_ bytes: [UInt8]) -> UInt32 {
        var h = offsetBasis
        for byte in bytes {
            h ^= UInt32(byte)
            h = h &* prime
        }
        let signed = Int32(bitPattern: h)
        // Negation wraps for Int32.min, as the two's-complement C code does in practice.
        return UInt32(bitPattern: signed < 0 ? 0 &- signed : signed)
    }
}
