/// Keccak-256 as Ethereum uses it: the original Keccak submission's padding (0x01 ... 0x80),
/// not FIPS-202 SHA3-256 (0x06). keccak256("") = c5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470.
public enum Keccak256 {
    /// The 32-byte digest of `bytes`.
    public static func hash(_ bytes: [UInt8]) -> [UInt8] {
        var state = [UInt64](repeating: 0, count: 25)
        let rate = 136  // bytes: 1600 - 2 * 256 bits
        var offset = 0
        while bytes.count - offset >= rate {
            absorb(bytes, from: offset, into: &state)
            permute(&state)
            offset += rate
        }
        var last = [UInt8](repeating: 0, count: rate)
        let tail = bytes.count - offset
        for k in 0..<tail { last[k] = bytes[offset + k] }
        last[tail] ^= 0x01
        last[rate - 1] ^= 0x80
        absorb(last, from: 0, into: &state)
        permute(&state)
        var out: [UInt8] = []
        out.reserveCapacity(32)
        for lane in 0..<4 {
            let w = state[lane]
            for k in 0..<8 { out.append(UInt8(truncatingIfNeeded: w >> (8 * UInt64(k)))) }
        }
        return out
    }

    /// The digest of a string's UTF-8 bytes.
    public static func hash(_ text: String) -> [UInt8] { hash(Array(text.utf8)) }

    private static func absorb(_ bytes: [UInt8], from offset: Int, into state: inout [UInt64]) {
        for lane in 0..<17 {
            var w: UInt64 = 0
            let base = offset + lane * 8
            for k in 0..<8 { w |= UInt64(bytes[base + k]) << (8 * UInt64(k)) }
            state[lane] ^= w
        }
    }

    private static let roundConstants: [UInt64] = [
        0x0000000000000001, 0x0000000000008082, 0x800000000000808A, 0x8000000080008000,
        0x000000000000808B, 0x0000000080000001, 0x8000000080008081, 0x8000000000008009,
        0x000000000000008A, 0x0000000000000088, 0x0000000080008009, 0x000000008000000A,
        0x000000008000808B, 0x800000000000008B, 0x8000000000008089, 0x8000000000008003,
        0x8000000000008002, 0x8000000000000080, 0x000000000000800A, 0x800000008000000A,
        0x8000000080008081, 0x8000000000008080, 0x0000000080000001, 0x8000000080008008,
    ]

    /// Rotation offsets r[x + 5y].
    private static let rotations: [UInt64] = [
        0, 1, 62, 28, 27,
        36, 44, 6, 55, 20,
        3, 10, 43, 25, 39,
        41, 45, 15, 21, 8,
        18, 2, 61, 56, 14,
    ]

    @inline(__always) private static func rotl(_ x: UInt64, _ n: UInt64) -> UInt64 {
        n == 0 ? x : (x << n) | (x >> (64 - n))
    }

    /// Keccak-f[1600], 24 rounds.
    private static func permute(_ a: inout [UInt64]) {
        var c = [UInt64](repeating: 0, count: 5)
        var b = [UInt64](repeating: 0, count: 25)
        for round in 0..<24 {
            // θ
            for x in 0..<5 { c[x] = a[x] ^ a[x + 5] ^ a[x + 10] ^ a[x + 15] ^ a[x + 20] }
            for x in 0..<5 {
                let d = c[(x + 4) % 5] ^ rotl(c[(x + 1) % 5], 1)
                for y in stride(from: 0, to: 25, by: 5) { a[y + x] ^= d }
            }
            // ρ and π: B[y, 2x + 3y] = rot(A[x, y], r[x, y])
            for x in 0..<5 {
                for y in 0..<5 {
                    b[y + 5 * ((2 * x + 3 * y) % 5)] = rotl(a[x + 5 * y], rotations[x + 5 * y])
                }
            }
            // χ
            for y in stride(from: 0, to: 25, by: 5) {
                for x in 0..<5 { a[y + x] = b[y + x] ^ (~b[y + (x + 1) % 5] & b[y + (x + 2) % 5]) }
            }
            // ι
            a[0] ^= roundConstants[round]
        }
    }
}
