import JSONRPC
// Runtime values of the console's JavaScript subset and geth's pretty printer.

/// A JavaScript value as far as the console subset needs one.
indirect enum Value {
    case undefined
    case null
    case bool(Bool)
    case number(Double)            // a JavaScript Number (IEEE double, printed like JS)
    case string(String)
    case big(BigDecimal)           // a bignumber.js BigNumber (web3.js's QUANTITY results)
    case array([Value])
    case object([(key: String, value: Value)])   // insertion order (JSON params keep it)
    case namespace(String)         // "eth", "web3.version", …
    case function(String)          // a bound binding, "eth.getBalance"

    /// JavaScript truthiness (used where web3.js writes `x || default`).
    var truthy: Bool {
        switch self {
        case .undefined, .null: return false
        case let .bool(b): return b
        case let .number(d): return !(d == 0 || d.isNaN)
        case let .string(s): return !s.isEmpty
        default: return true
        }
    }

    subscript(key: String) -> Value? {
        guard case let .object(members) = self else { return nil }
        return members.last(where: { $0.key == key })?.value
    }

    /// Sets (or appends) a member of an object value; no-op for other kinds.
    mutating func set(_ key: String, _ value: Value) {
        guard case var .object(members) = self else { return }
        if let i = members.lastIndex(where: { $0.key == key }) { members[i].value = value } else { members.append((key, value)) }
        self = .object(members)
    }

    /// JSON.parse of an RPC result.
    init(json: JSONValue) {
        switch json {
        case .null: self = .null
        case let .bool(b): self = .bool(b)
        case let .number(text): self = .number(Double(text) ?? .nan)
        case let .string(s): self = .string(s)
        case let .array(items): self = .array(items.map(Value.init(json:)))
        case let .object(members): self = .object(members.map { ($0.key, Value(json: $0.value)) })
        }
    }

    /// JSON.stringify of a parameter (undefined/functions: null in arrays, dropped from objects;
    /// a BigNumber stringifies through its toJSON, i.e. as a string).
    var json: JSONValue? {
        switch self {
        case .undefined, .function: return nil
        case .null: return .null
        case let .bool(b): return .bool(b)
        case let .number(d): return d.isFinite ? .number(jsNumberString(d)) : .null
        case let .string(s): return .string(s)
        case let .big(b): return .string(b.jsString)
        case let .array(items): return .array(items.map { $0.json ?? .null })
        case let .object(members): return .object(members.compactMap { m in m.value.json.map { (m.key, $0) } })
        case .namespace: return .object([])
        }
    }
}

/// Go's `%q` quoting, which geth's pretty printer applies to strings.
func goQuote(_ s: String) -> String {
    var out = "\""
    for scalar in s.unicodeScalars {
        switch scalar {
        case "\"": out += "\\\""
        case "\\": out += "\\\\"
        case "\n": out += "\\n"
        case "\t": out += "\\t"
        case "\r": out += "\\r"
        case "\u{7}": out += "\\a"
        case "\u{8}": out += "\\b"
        case "\u{c}": out += "\\f"
        case "\u{b}": out += "\\v"
        default:
            if scalar.value < 0x20 || scalar.value == 0x7f {
                let h = String(scalar.value, radix: 16)
                out += "\\x" + (h.count < 2 ? "0" + h : h)
            } else if (0x80..<0xa0).contains(scalar.value) || scalar.value == 0xfeff {
                let h = String(scalar.value, radix: 16)
                out += "\\u" + String(repeating: "0", count: max(0, 4 - h.count)) + h
            } else {
                out.unicodeScalars.append(scalar)
            }
        }
    }
    return out + "\""
}

/// geth's console pretty printer (`internal/jsre/pretty.go`, formerly `console/prettyprint.go`):
/// - null/undefined/true/false as words; strings with Go `%q`; numbers as JavaScript prints them;
///   BigNumbers through bignumber.js `toString()` (so ≥ 1e21 prints as `1.2e+21`).
/// - Arrays inline: `[a, b]` (empty `[]`); objects multi-line with two-space indentation and
///   **keys sorted** (`sort.Strings`: byte order, so upper case before lower case), plain values
///   first, then functions, each printed as `function()`; empty `{}`.
/// - An object inside an array opens on the same line and closes one level out: `[{\n    a: 1\n}]`.
/// - Deeper than `maxPrettyPrintLevel` (3): `{...}` / `[...]`.
struct PrettyPrinter {
    static let maxLevel = 3
    func indent(_ level: Int) -> String { String(repeating: "  ", count: max(0, level)) }

    func print(_ v: Value) -> String {
        var out = ""
        printValue(v, level: 0, inArray: false, into: &out)
        return out
    }

    func printValue(_ v: Value, level: Int, inArray: Bool, into out: inout String) {
        switch v {
        case .undefined: out += "undefined"
        case .null: out += "null"
        case let .bool(b): out += b ? "true" : "false"
        case let .number(d): out += jsNumberString(d)
        case let .string(s): out += goQuote(s)
        case let .big(b): out += b.jsString
        case .function: out += "function()"
        case let .array(items):
            if items.isEmpty { out += "[]"; return }
            if level > Self.maxLevel { out += "[...]"; return }
            out += "["
            for (i, item) in items.enumerated() {
                printValue(item, level: level + 1, inArray: true, into: &out)
                if i < items.count - 1 { out += ", " }
            }
            out += "]"
        case let .object(members):
            printObject(members, level: level, inArray: inArray, into: &out)
        case .namespace:
            out += "{...}"   // nested namespaces are not expanded (see GethConsole); top level is resolved first
        }
    }

    func printObject(_ members: [(key: String, value: Value)], level: Int, inArray: Bool, into out: inout String) {
        // Last duplicate wins, like a JS object; keys hidden by geth: "_…" and boring Object keys.
        var byKey: [String: Value] = [:]
        for m in members { byKey[m.key] = m.value }
        let boring: Set<String> = ["valueOf", "toString", "toLocaleString", "hasOwnProperty", "isPrototypeOf",
                                   "propertyIsEnumerable", "constructor"]
        var vals: [String] = []
        var methods: [String] = []
        for (k, v) in byKey where !k.hasPrefix("_") && !boring.contains(k) {
            if case .function = v { methods.append(k) } else { vals.append(k) }
        }
        let keys = vals.sorted { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) }
            + methods.sorted { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) }
        if keys.isEmpty { out += "{}"; return }
        if level > Self.maxLevel { out += "{...}"; return }
        out += "{\n"
        for (i, k) in keys.enumerated() {
            out += indent(level + 1) + k + ": "
            printValue(byKey[k] ?? .undefined, level: level + 1, inArray: false, into: &out)
            if i < keys.count - 1 { out += "," }
            out += "\n"
        }
        out += indent(inArray ? level - 1 : level) + "}"
    }
}
