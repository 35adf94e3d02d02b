// The evaluator's digests and cache keys: FNV-1a 64 over length-prefixed fields, shown as hex.
// BuildKit uses SHA-256 of the LLB definition; any deterministic hash teaches the same rule
// (a key changes exactly when one of its inputs changes), and this one needs no dependency.

enum BuildHash {
    /// FNV-1a 64 of `fields`, each prefixed with its byte count so `("ab","c")` and `("a","bc")` differ.
    static func hex(_ fields: [String]) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        func mix(_ byte: UInt8) {
            hash ^= UInt64(byte)
            hash = hash &* 0x0000_0100_0000_01b3
        }
        for field in fields {
            for byte in String(field.utf8.count).utf8 { mix(byte) }
            mix(0x3a)
            for byte in field.utf8 { mix(byte) }
        }
        let digits = String(hash, radix: 16)
        return String(repeating: "0", count: 16 - digits.count) + digits
    }

    static func hex(_ fields: String...) -> String { hex(fields) }
}
