/// Why one argument could not be decoded: the text geth puts after "invalid argument N: ".
public struct RPCArgumentError: Error, Equatable, Sendable {
    public var reason: String
    /// For Go's `json: cannot unmarshal <value> into Go value of type <goType>`: its two parts,
    /// so `RPCArgument.member` can name a struct field instead.
    var unmarshal: (value: String, goType: String)? {
        guard let unmarshalValue, let unmarshalType else { return nil }
        return (unmarshalValue, unmarshalType)
    }
    private var unmarshalValue: String?
    private var unmarshalType: String?

    public init(_ reason: String) { self.reason = reason }

    /// Go's `json: cannot unmarshal <value> into Go value of type <goType>`.
    public init(cannotUnmarshal value: String, into goType: String) {
        reason = "json: cannot unmarshal \(value) into Go value of type \(goType)"
        unmarshalValue = value
        unmarshalType = goType
    }
}

/// A method's parameters, by position. By-name params (for methods that declare names) are
/// already placed at their declared positions. A JSON `null` counts as absent, as in geth.
public struct RPCParams: Sendable {
    /// One entry per position: the value, `.null`, or nil (a declared name that was not given).
    public let values: [JSONValue?]

    public init(_ values: [JSONValue?]) { self.values = values }

    /// The number of positions given.
    public var count: Int { values.count }

    /// The value at `index`; nil when absent or `null`.
    public subscript(index: Int) -> JSONValue? {
        guard index >= 0, index < values.count, let v = values[index], v != .null else { return nil }
        return v
    }

    /// Decodes a required argument. Absent or null: "missing value for required argument N";
    /// undecodable: "invalid argument N: <reason>" (both -32602).
    public func required<T>(_ index: Int, _ argument: RPCArgument<T>) throws(RPCError) -> T {
        guard let value = self[index] else { throw .invalidParams("missing value for required argument \(index)") }
        return try decode(index, value, argument)
    }

    /// Decodes an optional argument: nil when absent or null (use `?? default`).
    public func optional<T>(_ index: Int, _ argument: RPCArgument<T>) throws(RPCError) -> T? {
        guard let value = self[index] else { return nil }
        return try decode(index, value, argument)
    }

    private func decode<T>(_ index: Int, _ value: JSONValue, _ argument: RPCArgument<T>) throws(RPCError) -> T {
        do {
            return try argument.decode(value)
        } catch {
            throw .invalidParams("invalid argument \(index): \(error.reason)")
        }
    }
}

/// How to decode one argument value, with geth's error texts. Combine the predefined decoders
/// (`.uint64`, `.big`, `.bytes`, `.hash`, `.address`, `.blockNumber`, `.blockNumberOrHash`,
/// `.bool`, `.string`, `.object`, `.any`) or write your own with `init(decode:)`.
public struct RPCArgument<Value>: Sendable {
    public let decode: @Sendable (JSONValue) throws(RPCArgumentError) -> Value

    public init(decode: @escaping @Sendable (JSONValue) throws(RPCArgumentError) -> Value) {
        self.decode = decode
    }

    /// Decodes member `key` of a struct-like object argument: nil when absent or null. Errors name
    /// the field as Go does: "json: cannot unmarshal … into Go struct field TransactionArgs.value of type *hexutil.Big".
    public func member(_ key: String, of object: JSONValue, goStruct: String) throws(RPCArgumentError) -> Value? {
        guard let v = object[key], v != .null else { return nil }
        do {
            return try decode(v)
        } catch {
            guard let (value, goType) = error.unmarshal else { throw error }
            throw RPCArgumentError("json: cannot unmarshal \(value) into Go struct field \(goStruct).\(key) of type \(goType)")
        }
    }
}

/// A block chosen by number or tag (geth's `rpc.BlockNumber`).
public enum BlockTag: Equatable, Hashable, Sendable {
    case earliest, latest, pending, finalized, safe
    case number(UInt64)
}

/// A block chosen by number/tag or by hash (geth's `rpc.BlockNumberOrHash`).
public enum BlockSelector: Equatable, Hashable, Sendable {
    case tag(BlockTag)
    case hash([UInt8], requireCanonical: Bool)
}

/// Go's name for a JSON value's kind in `json: cannot unmarshal <kind> into …`.
func goKind(_ v: JSONValue) -> String {
    switch v {
    case .null: return "null"
    case .bool: return "bool"
    case .number: return "number"
    case .string: return "string"
    case .array: return "array"
    case .object: return "object"
    }
}

func nonString(_ goType: String) -> RPCArgumentError {
    RPCArgumentError(cannotUnmarshal: "non-string", into: goType)
}

func typeError(_ error: HexError, _ goType: String) -> RPCArgumentError {
    RPCArgumentError(cannotUnmarshal: error.description, into: goType)
}

func kindError(_ v: JSONValue, _ goType: String) -> RPCArgumentError {
    RPCArgumentError(cannotUnmarshal: goKind(v), into: goType)
}

/// hexutil.UnmarshalFixedJSON: exactly `size` bytes.
func fixedBytes(_ v: JSONValue, size: Int, goType: String) throws(RPCArgumentError) -> [UInt8] {
    guard case .string(let s) = v else { throw nonString(goType) }
    let u = Array(s.utf8)
    var raw: ArraySlice<UInt8> = []
    if !u.isEmpty {
        guard HexUtil.has0xPrefix(u) else { throw typeError(.missingPrefix, goType) }
        raw = u[2...]
        if raw.count % 2 != 0 { throw typeError(.oddLength, goType) }
    }
    if raw.count / 2 != size {
        throw RPCArgumentError("hex string has length \(raw.count), want \(size * 2) for \(goType)")
    }
    do throws(HexError) { return try HexUtil.decodeDigits(raw) } catch { throw typeError(error, goType) }
}

/// hexutil.DecodeUint64 for block numbers: bare hexutil texts.
func blockNumberText(_ s: String, tooHigh: String) throws(RPCArgumentError) -> BlockTag {
    switch s {
    case "earliest": return .earliest
    case "latest": return .latest
    case "pending": return .pending
    case "finalized": return .finalized
    case "safe": return .safe
    default:
        let n: UInt64
        do throws(HexError) { n = try HexUtil.decodeUint64(s) } catch { throw RPCArgumentError(error.description) }
        if n > UInt64(Int64.max) { throw RPCArgumentError(tooHigh) }
        return .number(n)
    }
}

extension RPCArgument where Value == JSONValue {
    /// Any JSON value, as is.
    public static var any: RPCArgument<JSONValue> { RPCArgument { v in v } }

    /// Any JSON object (`goType` names the Go struct for the error text, e.g. "ethapi.TransactionArgs").
    public static func object(_ goType: String = "map[string]interface {}") -> RPCArgument<JSONValue> {
        RPCArgument { v throws(RPCArgumentError) in
            guard case .object = v else { throw kindError(v, goType) }
            return v
        }
    }
}

extension RPCArgument where Value == UInt64 {
    /// QUANTITY as `hexutil.Uint64`: "0x0", "0x1f"; at most 16 digits; "" reads as 0 (as in geth).
    public static var uint64: RPCArgument<UInt64> {
        RPCArgument { v throws(RPCArgumentError) in
            guard case .string(let s) = v else { throw nonString("hexutil.Uint64") }
            do throws(HexError) {
                let raw = try HexUtil.checkNumber(Array(s.utf8), allowEmpty: true)
                if raw.count > 16 { throw HexError.uint64Range }
                return try HexUtil.uint64(raw)
            } catch {
                throw typeError(error, "hexutil.Uint64")
            }
        }
    }
}

extension RPCArgument where Value == [UInt8] {
    /// QUANTITY as `*hexutil.Big` (≤ 256 bits): minimal big-endian bytes, zero is []; "" reads as 0.
    public static var big: RPCArgument<[UInt8]> {
        RPCArgument { v throws(RPCArgumentError) in
            guard case .string(let s) = v else { throw nonString("*hexutil.Big") }
            do throws(HexError) {
                return try HexUtil.big(try HexUtil.checkNumber(Array(s.utf8), allowEmpty: true))
            } catch {
                throw typeError(error, "*hexutil.Big")
            }
        }
    }

    /// DATA as `hexutil.Bytes`: "0x" + even number of hex digits (either case); "" reads as no bytes.
    public static var bytes: RPCArgument<[UInt8]> {
        RPCArgument { v throws(RPCArgumentError) in
            guard case .string(let s) = v else { throw nonString("hexutil.Bytes") }
            let u = Array(s.utf8)
            if u.isEmpty { return [] }
            guard HexUtil.has0xPrefix(u) else { throw typeError(.missingPrefix, "hexutil.Bytes") }
            do throws(HexError) { return try HexUtil.decodeDigits(u[2...]) } catch { throw typeError(error, "hexutil.Bytes") }
        }
    }

    /// DATA of exactly 32 bytes (`common.Hash`).
    public static var hash: RPCArgument<[UInt8]> {
        RPCArgument { v throws(RPCArgumentError) in try fixedBytes(v, size: 32, goType: "common.Hash") }
    }

    /// DATA of exactly 20 bytes (`common.Address`); any letter case, the checksum is not checked (as in geth).
    public static var address: RPCArgument<[UInt8]> {
        RPCArgument { v throws(RPCArgumentError) in try fixedBytes(v, size: 20, goType: "common.Address") }
    }
}

extension RPCArgument where Value == BlockTag {
    /// A block number or tag (`rpc.BlockNumber`): "earliest" | "latest" | "pending" | "finalized" |
    /// "safe" | QUANTITY ≤ int64. Errors are bare hexutil texts ("hex string without 0x prefix").
    public static var blockNumber: RPCArgument<BlockTag> {
        RPCArgument { v throws(RPCArgumentError) in
            let text: String
            if case .string(let s) = v { text = s } else { text = JSONCodec.string(v) }
            return try blockNumberText(text, tooHigh: "block number larger than int64")
        }
    }
}

extension RPCArgument where Value == BlockSelector {
    /// A block number, tag or hash (`rpc.BlockNumberOrHash`): a tag, a QUANTITY, a 32-byte hash
    /// string (66 characters), or `{"blockNumber": …}` / `{"blockHash": …, "requireCanonical": bool}`.
    public static var blockNumberOrHash: RPCArgument<BlockSelector> {
        RPCArgument { v throws(RPCArgumentError) in
            switch v {
            case .object:
                let goStruct = "erased"
                let number = try RPCArgument<BlockTag>.blockNumber.member("blockNumber", of: v, goStruct: goStruct)
                let hash = try RPCArgument<[UInt8]>.hash.member("blockHash", of: v, goStruct: goStruct)
                let canonical = try RPCArgument<Bool>.bool.member("requireCanonical", of: v, goStruct: goStruct) ?? false
                switch (number, hash) {
                case (.some, .some):
                    throw RPCArgumentError("cannot specify both BlockHash and BlockNumber, choose one or the other")
                case (.some(let n), nil): return .tag(n)
                case (nil, .some(let h)): return .hash(h, requireCanonical: canonical)
                case (nil, nil): throw RPCArgumentError("invalid arguments; neither block nor hash specified")
                }
            case .string(let s):
                if s.utf8.count == 66 {
                    let u = Array(s.utf8)
                    guard HexUtil.has0xPrefix(u) else { throw RPCArgumentError(HexError.missingPrefix.description) }
                    do throws(HexError) { return .hash(try HexUtil.decodeDigits(u[2...]), requireCanonical: false) } catch {
                        throw RPCArgumentError(error.description)
                    }
                }
                return .tag(try blockNumberText(s, tooHigh: "blocknumber too high"))
            default:
                throw kindError(v, "string")
            }
        }
    }
}

extension RPCArgument where Value == Bool {
    /// A JSON boolean.
    public static var bool: RPCArgument<Bool> {
        RPCArgument { v throws(RPCArgumentError) in
            guard case .bool(let b) = v else { throw kindError(v, "bool") }
            return b
        }
    }
}

extension RPCArgument where Value == String {
    /// A JSON string.
    public static var string: RPCArgument<String> {
        RPCArgument { v throws(RPCArgumentError) in
            guard case .string(let s) = v else { throw kindError(v, "string") }
            return s
        }
    }
}
