@testable import KafkaWire

/// Hex string (spaces ignored) to bytes; test helper.
func hex(_ s: String) -> [UInt8] {
    let digits = Array(s.unicodeScalars.filter { !$0.properties.isWhitespace })
    var out: [UInt8] = []
    var i = 0
    while i + 1 < digits.count {
        let hi = Int(String(digits[i]), radix: 16) ?? 0
        let lo = Int(String(digits[i + 1]), radix: 16) ?? 0
        out.append(UInt8(hi * 16 + lo))
        i += 2
    }
    return out
}

func toHex(_ b: [UInt8]) -> String {
    b.map { let s = String($0, radix: 16); return s.count == 1 ? "0" + s : s }.joined()
}

/// SplitMix64: seeded, deterministic.
struct SplitMix64: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// Strips the 4-byte size prefix of a frame (asserting it is consistent).
func unframe(_ f: [UInt8]) -> [UInt8] {
    var d = FrameDecoder()
    d.append(f)
    return (try? d.next()).flatMap { $0 } ?? []
}
