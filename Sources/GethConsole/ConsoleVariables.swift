import JSONRPC

/// The console's variables (`var a = eth.accounts[0]`) as a value a host can keep in its saved,
/// rewindable state: the console itself holds a backend closure and is rebuilt per line.
public struct ConsoleVariables: Codable, Equatable, Sendable {
    fileprivate var stored: [String: StoredValue] = [:]
    public init() {}
    public var names: [String] { stored.keys.sorted() }
}

/// A Codable mirror of the runtime `Value`.
fileprivate indirect enum StoredValue: Codable, Equatable, Sendable {
    case undefined, null
    case bool(Bool)
    case number(Double)
    case string(String)
    case big(negative: Bool, digits: [UInt8], exponent: Int)
    case array([StoredValue])
    case object(keys: [String], values: [StoredValue])
    case namespace(String)
    case function(String)

    init(_ v: Value) {
        switch v {
        case .undefined: self = .undefined
        case .null: self = .null
        case let .bool(b): self = .bool(b)
        case let .number(d): self = .number(d)
        case let .string(s): self = .string(s)
        case let .big(d): self = .big(negative: d.negative, digits: d.digits, exponent: d.exponent)
        case let .array(a): self = .array(a.map(StoredValue.init))
        case let .object(m): self = .object(keys: m.map(\.key), values: m.map { StoredValue($0.value) })
        case let .namespace(n): self = .namespace(n)
        case let .function(f): self = .function(f)
        }
    }

    var value: Value {
        switch self {
        case .undefined: return .undefined
        case .null: return .null
        case let .bool(b): return .bool(b)
        case let .number(d): return .number(d)
        case let .string(s): return .string(s)
        case let .big(n, d, e): return .big(BigDecimal(negative: n, digits: d, exponent: e))
        case let .array(a): return .array(a.map(\.value))
        case let .object(keys, values): return .object(zip(keys, values).map { (key: $0, value: $1.value) })
        case let .namespace(n): return .namespace(n)
        case let .function(f): return .function(f)
        }
    }
}

extension GethConsole {
    /// The variables defined so far; assign to restore them into a new console.
    public var variableState: ConsoleVariables {
        get {
            var state = ConsoleVariables()
            for (name, value) in variables { state.stored[name] = StoredValue(value) }
            return state
        }
        set { variables = newValue.stored.mapValues(\.value) }
    }
}
