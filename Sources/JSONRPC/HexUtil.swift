/// A hex decoding failure with go-ethereum's `common/hexutil` text (its `description`).
public enum HexError: Error, Equatable, Sendable, CustomStringConvertible {
    case emptyString, syntax, missingPrefix, oddLength, emptyNumber, leadingZero, uint64Range, big256Range

    public var description: String {
        switch self {
        case .emptyString: return "empty hex string"
        case .syntax: return "invalid hex string"
        case .missingPrefix: return "hex string without 0x prefix"
        case .oddLength: return "hex string of odd length"
        case .emptyNumber: return "hex string \"0x\""
        case .leadingZero: return "hex number with leading zero digits"
        case .uint64Range: return "hex number > 64 bits"
        case .big256Range: return "hex number > 256 bits"
        }
    }
}

/// Ethereum's hex encodings (QUANTITY and DATA), named after go-ethereum's `common/hexutil`.
///
/// The `decode*` functions are hexutil's string decoders (`Decode`, `DecodeUint64`, `DecodeBig`):
/// they reject the empty string. The JSON decoders in `RPCArgument` follow hexutil's
/// `UnmarshalJSON`, which differs in the details geth has (see there).
public enum HexUtil {
    static let digits: [UInt8] = Array("0123456789abcdef".utf8)

    /// QUANTITY: minimal lowercase hex with 0x, zero is "0x0" (hexutil.EncodeUint64).
    public static func encodeUint64(_ value: UInt64) -> String {
        "0x" + String(value, radix: 16)
    }

    /// QUANTITY of a big-endian unsigned integer of any size (hexutil.EncodeBig):
    /// leading zero bytes and digits are dropped, zero (or no bytes) is "0x0".
    public static func encodeBig(bigEndian bytes: [UInt8]) -> String {
        var out: [UInt8] = [0x30, 0x78]
        out.reserveCapacity(2 + bytes.count * 2)
        var started = false
        for b in bytes {
            let hi = b >> 4, lo = b & 0xF
            if started || hi != 0 { out.append(digits[Int(hi)]); started = true }
            if started || lo != 0 { out.append(digits[Int(lo)]); started = true }
        }
        if !started { out.append(0x30) }
        return String(decoding: out, as: UTF8.self)
    }

    /// DATA: "0x" and two lowercase hex digits per byte; no bytes is "0x" (hexutil.Encode).
    public static func encode(_ bytes: [UInt8]) -> String {
        var out: [UInt8] = [0x30, 0x78]
        out.reserveCapacity(2 + bytes.count * 2)
        for b in bytes {
            out.append(digits[Int(b >> 4)])
            out.append(digits[Int(b & 0xF)])
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// DATA decoding (hexutil.Decode): "0x" prefix (either case of x), even length, any case digits.
    public static func decode(_ s: String) throws(HexError) -> [UInt8] {
        let u = Array(s.utf8)
        if u.isEmpty { throw .emptyString }
        guard has0xPrefix(u) else { throw .missingPrefix }
        return try decodeDigits(u[2...])
    }

    /// QUANTITY decoding into a UInt64 (hexutil.DecodeUint64).
    public static func decodeUint64(_ s: String) throws(HexError) -> UInt64 {
        let raw = try checkNumber(Array(s.utf8), allowEmpty: false)
        // strconv.ParseUint reads left to right: the first bad digit or overflowing digit decides.
        var v: UInt64 = 0
        for (k, b) in raw.enumerated() {
            guard let n = nibble(b) else { throw .syntax }
            if k >= 16 { throw .uint64Range }
            v = v << 4 | UInt64(n)
        }
        return v
    }

    /// QUANTITY decoding into minimal big-endian bytes (hexutil.DecodeBig, at most 256 bits).
    /// Zero decodes to no bytes.
    public static func decodeBig(_ s: String) throws(HexError) -> [UInt8] {
        let raw = try checkNumber(Array(s.utf8), allowEmpty: false)
        return try big(raw)
    }

    // MARK: - Shared pieces (also used by the JSON argument decoders)

    static func has0xPrefix(_ u: [UInt8]) -> Bool {
        u.count >= 2 && u[0] == 0x30 && (u[1] == 0x78 || u[1] == 0x58)
    }

    static func nibble(_ b: UInt8) -> UInt8? {
        switch b {
        case 0x30...0x39: return b - 0x30
        case 0x61...0x66: return b - 0x61 + 10
        case 0x41...0x46: return b - 0x41 + 10
        default: return nil
        }
    }

    /// Checks a QUANTITY's prefix and leading zeros; returns its digits.
    /// `allowEmpty` is hexutil's `checkNumberText` (JSON), which lets "" through as zero.
    static func checkNumber(_ u: [UInt8], allowEmpty: Bool) throws(HexError) -> ArraySlice<UInt8> {
        if u.isEmpty {
            if allowEmpty { return [] }
            throw .emptyString
        }
        guard has0xPrefix(u) else { throw .missingPrefix }
        let raw = u[2...]
        if raw.isEmpty { throw .emptyNumber }
        if raw.count > 1, raw.first == 0x30 { throw .leadingZero }
        return raw
    }

    static func uint64(_ raw: ArraySlice<UInt8>) throws(HexError) -> UInt64 {
        var v: UInt64 = 0
        for b in raw {
            guard let n = nibble(b) else { throw .syntax }
            v = v << 4 | UInt64(n)
        }
        return v
    }

    static func big(_ raw: ArraySlice<UInt8>) throws(HexError) -> [UInt8] {
        if raw.count > 64 { throw .big256Range }
        var nibbles: [UInt8] = []
        nibbles.reserveCapacity(raw.count + 1)
        for b in raw {
            guard let n = nibble(b) else { throw .syntax }
            nibbles.append(n)
        }
        if nibbles.count % 2 == 1 { nibbles.insert(0, at: 0) }
        var out: [UInt8] = []
        out.reserveCapacity(nibbles.count / 2)
        var k = 0
        while k < nibbles.count {
            out.append(nibbles[k] << 4 | nibbles[k + 1])
            k += 2
        }
        if let first = out.firstIndex(where: { $0 != 0 }) { return Array(out[first...]) }
        return []
    }

    static func decodeDigits(_ raw: ArraySlice<UInt8>) throws(HexError) -> [UInt8] {
        if raw.count % 2 != 0 { throw .oddLength }
        var out: [UInt8] = []
        out.reserveCapacity(raw.count / 2)
        var k = raw.startIndex
        while k < raw.endIndex {
            guard let hi = nibble(raw[k]), let lo = nibble(raw[k + 1]) else { throw .syntax }
            out.append(hi << 4 | lo)
            k += 2
        }
        return out
    }
}

extension JSONValue {
    /// A QUANTITY string value ("0x0", "0x41").
    public static func quantity(_ value: UInt64) -> JSONValue { .string(HexUtil.encodeUint64(value)) }

    /// A QUANTITY string value of a big-endian unsigned integer of any size.
    public static func quantity(bigEndian bytes: [UInt8]) -> JSONValue { .string(HexUtil.encodeBig(bigEndian: bytes)) }

    /// A DATA string value ("0x", "0x004200").
    public static func data(_ bytes: [UInt8]) -> JSONValue { .string(HexUtil.encode(bytes)) }
}
