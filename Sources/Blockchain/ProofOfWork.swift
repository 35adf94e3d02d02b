import Crypto

/// Hashcash proof-of-work exactly as in Jeiwan's "Building Blockchain in Go" part 2 (`proofofwork.go`).
public enum ProofOfWork {
    /// Jeiwan part 2: `const targetBits = 24` (part 6 lowers it to 16).
    public static let defaultTargetBits = 24
    /// 0 would need a 257-bit target (`1 << 256`); 256 leaves only the all-zero hash. Both are excluded.
    public static let validTargetBits: ClosedRange<Int> = 1...255

    /// Length of one `IntToHex` field: Jeiwan's helper writes an int64 big-endian with `binary.Write`.
    public static let intFieldLength = 8

    /// Jeiwan part 2 `prepareData(nonce)`:
    /// `bytes.Join([PrevBlockHash, Data, IntToHex(Timestamp), IntToHex(targetBits), IntToHex(nonce)], [])`,
    /// i.e. plain concatenation, no separators; each int is 8 bytes big-endian (two's complement).
    public static func prepareData(prevBlockHash: [UInt8], data: [UInt8], timestamp: Int64, targetBits: Int, nonce: Int64) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(prevBlockHash.count + data.count + 3 * intFieldLength)
        out.append(contentsOf: prevBlockHash)
        out.append(contentsOf: data)
        appendBE64(timestamp, to: &out)
        appendBE64(Int64(truncatingIfNeeded: targetBits), to: &out)
        appendBE64(nonce, to: &out)
        return out
    }

    /// The same bytes as `prepareData`, split into the five named fields (in Jeiwan's join order).
    public static func fields(prevBlockHash: [UInt8], data: [UInt8], timestamp: Int64, targetBits: Int, nonce: Int64) -> [ByteField] {
        var result: [ByteField] = []
        var offset = 0
        func add(_ name: String, _ bytes: [UInt8]) {
            result.append(ByteField(name: name, offset: offset, bytes: bytes))
            offset += bytes.count
        }
        add("PrevBlockHash", prevBlockHash)
        add("Data", data)
        add("Timestamp", be64(timestamp))
        add("TargetBits", be64(Int64(truncatingIfNeeded: targetBits)))
        add("Nonce", be64(nonce))
        return result
    }

    /// Jeiwan: `sha256.Sum256(data)` (single SHA-256, 32 bytes).
    public static func sha256(_ bytes: [UInt8]) -> [UInt8] {
        var hasher = SHA256()
        bytes.withUnsafeBytes { hasher.update(bufferPointer: $0) }
        return hasher.finalize().withUnsafeBytes { Array($0) }
    }

    /// Jeiwan part 2 `NewProofOfWork`: `target.Lsh(target, uint(256-targetBits))` with target = 1,
    /// returned as 32 big-endian bytes. Outside 0...256 (never produced by this module) the value is
    /// saturated rather than trapping: bits <= 0 gives all 0xff (2^256 does not fit), bits > 256 gives 0.
    public static func target(bits: Int) -> [UInt8] {
        var out = [UInt8](repeating: 0, count: 32)
        if bits <= 0 { return [UInt8](repeating: 0xff, count: 32) }
        if bits > 256 { return out }
        let shift = 256 - bits                  // bit position of the single 1, counted from the least significant bit
        let byteFromEnd = shift / 8
        out[31 - byteFromEnd] = UInt8(1) << UInt8(shift % 8)
        return out
    }

    /// Jeiwan part 2 `Run()` / `Validate()`: `hashInt.Cmp(pow.target) == -1`, i.e. the hash read as a
    /// big-endian unsigned integer is strictly below `1 << (256 - targetBits)`.
    /// That holds exactly when the integer needs at most `256 - targetBits` bits, which is how it is
    /// computed here (works for any hash length and any `targetBits` without building a 257-bit number).
    public static func meets(hash: [UInt8], targetBits: Int) -> Bool {
        let significantBits = hash.count * 8 - leadingZeroBits(hash)
        return significantBits <= allowedSignificantBits(targetBits: targetBits)
    }

    /// `256 - targetBits` (the bit length of `target - 1`), computed without overflow for any Int:
    /// the clamp only matters for absurd decoded values and keeps the comparison exact for any real hash.
    static func allowedSignificantBits(targetBits: Int) -> Int {
        256 - min(max(targetBits, -(1 << 40)), 1 << 40)
    }

    /// Number of leading zero bits of `hash` read big-endian (all bits when every byte is zero).
    public static func leadingZeroBits(_ hash: [UInt8]) -> Int {
        hash.withUnsafeBytes { leadingZeroBits(raw: $0) }
    }

    static func leadingZeroBits(raw: UnsafeRawBufferPointer) -> Int {
        var count = 0
        for byte in raw {
            if byte == 0 {
                count += 8
            } else {
                return count + byte.leadingZeroBitCount
            }
        }
        return count
    }

    /// Lowercase hex without separators, as Go's `fmt.Printf("%x", hash)`.
    public static func hex(_ bytes: [UInt8]) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var ascii: [UInt8] = []
        ascii.reserveCapacity(bytes.count * 2)
        for b in bytes {
            ascii.append(digits[Int(b >> 4)])
            ascii.append(digits[Int(b & 0x0f)])
        }
        return String(decoding: ascii, as: UTF8.self)
    }

    /// Jeiwan `IntToHex(num int64)`: `binary.Write(buff, binary.BigEndian, num)`.
    static func be64(_ value: Int64) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(intFieldLength)
        appendBE64(value, to: &out)
        return out
    }

    static func appendBE64(_ value: Int64, to out: inout [UInt8]) {
        let u = UInt64(bitPattern: value)
        for shift in stride(from: 56, through: 0, by: -8) {
            out.append(UInt8(truncatingIfNeeded: u >> UInt64(shift)))
        }
    }
}
