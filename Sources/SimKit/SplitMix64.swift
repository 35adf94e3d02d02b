/// A seeded pseudo-random generator owned by the project, so that a seed gives the same
/// numbers on every Swift version and platform (the standard library's `random(in:using:)`
/// mapping is not promised to stay stable).
///
/// Algorithm: SplitMix64 (Steele, Lea, Flood, "Fast splittable pseudorandom number
/// generators", OOPSLA 2014), with the constants of the public-domain reference `splitmix64.c`
/// by Sebastiano Vigna.
public struct SplitMix64: RandomNumberGenerator, Codable, Equatable, Sendable {
    public private(set) var state: UInt64

    public init(seed: UInt64) { state = seed }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// An independent stream for one subsystem, derived from this generator's seed and a stable
    /// label (FNV-1a of the label's UTF-8 bytes), so adding a subsystem never shifts another's numbers.
    public func fork(_ label: String) -> SplitMix64 {
        var hash: UInt64 = 0xCBF2_9CE4_8422_2325
        for byte in label.utf8 {
            hash ^= UInt64(byte)
            hash &*= 0x0000_0100_0000_01B3
        }
        var mixer = SplitMix64(seed: state ^ hash)
        return SplitMix64(seed: mixer.next())
    }

    /// A uniform integer in `0..<bound` by rejection sampling (no modulo bias); our own mapping.
    public mutating func next(below bound: UInt64) -> UInt64 {
        precondition(bound > 0, "bound must be positive")
        let limit = UInt64.max - UInt64.max % bound
        while true {
            let value = next()
            if value < limit { return value % bound }
        }
    }

    /// A uniform integer in a closed range.
    public mutating func next(in range: ClosedRange<Int64>) -> Int64 {
        let width = UInt64(bitPattern: range.upperBound &- range.lowerBound)
        if width == UInt64.max { return Int64(bitPattern: next()) }
        return range.lowerBound &+ Int64(bitPattern: next(below: width + 1))
    }
}
