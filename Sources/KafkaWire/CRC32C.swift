/// CRC-32C (Castagnoli), reflected polynomial 0x82F63B78, init/xorout 0xFFFFFFFF — the checksum
/// of record batch v2 (Kafka's Crc32C.java; kafka.md §6.4). Table-driven, slicing-by-8.
/// Vectors: crc32c("123456789") = 0xE3069283, crc32c("a") = 0xC1D04330, crc32c("") = 0.
public enum CRC32C {
    static let tables: [[UInt32]] = {
        var t = [[UInt32]](repeating: [UInt32](repeating: 0, count: 256), count: 8)
        for i in 0..<256 {
            var c = UInt32(i)
            for _ in 0..<8 { c = (c & 1) != 0 ? (c >> 1) ^ 0x82F6_3B78 : c >> 1 }
            t[0][i] = c
        }
        for i in 0..<256 {
            for k in 1..<8 {
                let prev = t[k - 1][i]
                t[k][i] = (prev >> 8) ^ t[0][Int(prev & 0xFF)]
            }
        }
        return t
    }()

    /// Checksum of `bytes[range]` (range clamped to the array).
    public static func checksum(_ bytes: [UInt8], from start: Int = 0, to endIndex: Int? = nil) -> UInt32 {
        let end = min(endIndex ?? bytes.count, bytes.count)
        var i = max(0, start)
        var crc: UInt32 = 0xFFFF_FFFF
        let t = tables
        let t0 = t[0], t1 = t[1], t2 = t[2], t3 = t[3], t4 = t[4], t5 = t[5], t6 = t[6], t7 = t[7]
        while i + 8 <= end {
            let lo = crc ^ (UInt32(bytes[i]) | UInt32(bytes[i + 1]) << 8 | UInt32(bytes[i + 2]) << 16 | UInt32(bytes[i + 3]) << 24)
            crc = t7[Int(lo & 0xFF)] ^ t6[Int((lo >> 8) & 0xFF)] ^ t5[Int((lo >> 16) & 0xFF)] ^ t4[Int(lo >> 24)]
                ^ t3[Int(bytes[i + 4])] ^ t2[Int(bytes[i + 5])] ^ t1[Int(bytes[i + 6])] ^ t0[Int(bytes[i + 7])]
            i += 8
        }
        while i < end {
            crc = (crc >> 8) ^ t0[Int((crc ^ UInt32(bytes[i])) & 0xFF)]
            i += 1
        }
        return crc ^ 0xFFFF_FFFF
    }

    public static func checksum(_ s: String) -> UInt32 { checksum(Array(s.utf8)) }
}
