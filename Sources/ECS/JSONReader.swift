/// A parsed JSON value. Objects keep key order.
public indirect enum JSONNode: Equatable, Sendable {
    case object([(String, JSONNode)])
    case array([JSONNode])
    case string(String)
    /// The number's source text.
    case number(String)
    case bool(Bool)
    case null

    public static func == (a: JSONNode, b: JSONNode) -> Bool {
        switch (a, b) {
        case (.object(let x), .object(let y)):
            return x.count == y.count && zip(x, y).allSatisfy { $0.0 == $1.0 && $0.1 == $1.1 }
        case (.array(let x), .array(let y)): return x == y
        case (.string(let x), .string(let y)): return x == y
        case (.number(let x), .number(let y)): return x == y
        case (.bool(let x), .bool(let y)): return x == y
        case (.null, .null): return true
        default: return false
        }
    }

    /// The value of the first `key` in an object.
    public subscript(key: String) -> JSONNode? {
        if case .object(let pairs) = self { return pairs.first { $0.0 == key }?.1 }
        return nil
    }
}

/// A strict RFC 8259 reader, enough for `taskdef.json` and `imageDetail.json`.
public enum JSONReader {
    /// Parses `text`; the error string names the byte offset.
    public static func parse(_ text: String) -> Result<JSONNode, JSONReadError> {
        var p = Parser(bytes: Array(text.utf8))
        do throws(JSONReadError) {
            p.skipSpace()
            let v = try p.value(depth: 0)
            p.skipSpace()
            if p.i != p.bytes.count { throw p.error("unexpected trailing characters") }
            return .success(v)
        } catch {
            return .failure(error)
        }
    }

    struct Parser {
        let bytes: [UInt8]
        var i = 0

        func error(_ why: String) -> JSONReadError { JSONReadError(offset: i, reason: why) }

        mutating func skipSpace() {
            while i < bytes.count, [0x20, 0x09, 0x0A, 0x0D].contains(bytes[i]) { i += 1 }
        }

        mutating func value(depth: Int) throws(JSONReadError) -> JSONNode {
            guard depth < 64 else { throw error("nesting too deep") }
            guard i < bytes.count else { throw error("unexpected end of input") }
            switch bytes[i] {
            case UInt8(ascii: "{"):
                i += 1
                var pairs: [(String, JSONNode)] = []
                skipSpace()
                if i < bytes.count, bytes[i] == UInt8(ascii: "}") { i += 1; return .object(pairs) }
                while true {
                    skipSpace()
                    guard i < bytes.count, bytes[i] == UInt8(ascii: "\"") else { throw error("expected a string key") }
                    let key = try string()
                    skipSpace()
                    guard i < bytes.count, bytes[i] == UInt8(ascii: ":") else { throw error("expected ':'") }
                    i += 1
                    skipSpace()
                    pairs.append((key, try value(depth: depth + 1)))
                    skipSpace()
                    guard i < bytes.count else { throw error("unterminated object") }
                    if bytes[i] == UInt8(ascii: ",") { i += 1; continue }
                    if bytes[i] == UInt8(ascii: "}") { i += 1; return .object(pairs) }
                    throw error("expected ',' or '}'")
                }
            case UInt8(ascii: "["):
                i += 1
                var items: [JSONNode] = []
                skipSpace()
                if i < bytes.count, bytes[i] == UInt8(ascii: "]") { i += 1; return .array(items) }
                while true {
                    skipSpace()
                    items.append(try value(depth: depth + 1))
                    skipSpace()
                    guard i < bytes.count else { throw error("unterminated array") }
                    if bytes[i] == UInt8(ascii: ",") { i += 1; continue }
                    if bytes[i] == UInt8(ascii: "]") { i += 1; return .array(items) }
                    throw error("expected ',' or ']'")
                }
            case UInt8(ascii: "\""):
                return .string(try string())
            case UInt8(ascii: "t"): try literal("true"); return .bool(true)
            case UInt8(ascii: "f"): try literal("false"); return .bool(false)
            case UInt8(ascii: "n"): try literal("null"); return .null
            default:
                return .number(try number())
            }
        }

        mutating func literal(_ word: String) throws(JSONReadError) {
            let w = Array(word.utf8)
            guard i + w.count <= bytes.count, Array(bytes[i..<i + w.count]) == w else { throw error("invalid literal") }
            i += w.count
        }

        mutating func number() throws(JSONReadError) -> String {
            let start = i
            if i < bytes.count, bytes[i] == UInt8(ascii: "-") { i += 1 }
            func digits(_ p: inout Parser) -> Int {
                let s = p.i
                while p.i < p.bytes.count, (0x30...0x39).contains(p.bytes[p.i]) { p.i += 1 }
                return p.i - s
            }
            let intStart = i
            let n = digits(&self)
            guard n > 0 else { throw error("invalid value") }
            if n > 1, bytes[intStart] == UInt8(ascii: "0") { throw error("leading zero in number") }
            if i < bytes.count, bytes[i] == UInt8(ascii: ".") {
                i += 1
                guard digits(&self) > 0 else { throw error("digit expected after '.'") }
            }
            if i < bytes.count, bytes[i] == UInt8(ascii: "e") || bytes[i] == UInt8(ascii: "E") {
                i += 1
                if i < bytes.count, bytes[i] == UInt8(ascii: "+") || bytes[i] == UInt8(ascii: "-") { i += 1 }
                guard digits(&self) > 0 else { throw error("digit expected in exponent") }
            }
            return String(decoding: bytes[start..<i], as: UTF8.self)
        }

        mutating func hex4() throws(JSONReadError) -> UInt32 {
            guard i + 4 <= bytes.count else { throw error("short \\u escape") }
            var v: UInt32 = 0
            for _ in 0..<4 {
                let c = bytes[i]
                let d: UInt32
                switch c {
                case 0x30...0x39: d = UInt32(c - 0x30)
                case 0x41...0x46: d = UInt32(c - 0x41 + 10)
                case 0x61...0x66: d = UInt32(c - 0x61 + 10)
                default: throw error("bad hex digit in \\u escape")
                }
                v = v * 16 + d
                i += 1
            }
            return v
        }

        mutating func string() throws(JSONReadError) -> String {
            i += 1  // opening quote
            var out: [UInt8] = []
            while true {
                guard i < bytes.count else { throw error("unterminated string") }
                let c = bytes[i]
                i += 1
                if c == UInt8(ascii: "\"") { break }
                if c < 0x20 { throw error("control character in string") }
                if c != UInt8(ascii: "\\") { out.append(c); continue }
                guard i < bytes.count else { throw error("unterminated escape") }
                let e = bytes[i]
                i += 1
                switch e {
                case UInt8(ascii: "\""): out.append(0x22)
                case UInt8(ascii: "\\"): out.append(0x5C)
                case UInt8(ascii: "/"): out.append(0x2F)
                case UInt8(ascii: "b"): out.append(0x08)
                case UInt8(ascii: "f"): out.append(0x0C)
                case UInt8(ascii: "n"): out.append(0x0A)
                case UInt8(ascii: "r"): out.append(0x0D)
                case UInt8(ascii: "t"): out.append(0x09)
                case UInt8(ascii: "u"):
                    var scalar = try hex4()
                    if (0xD800...0xDBFF).contains(scalar) {
                        guard i + 1 < bytes.count, bytes[i] == UInt8(ascii: "\\"), bytes[i + 1] == UInt8(ascii: "u") else {
                            throw error("unpaired surrogate")
                        }
                        i += 2
                        let low = try hex4()
                        guard (0xDC00...0xDFFF).contains(low) else { throw error("unpaired surrogate") }
                        scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                    }
                    guard let u = Unicode.Scalar(scalar) else { throw error("invalid \\u escape") }
                    out.append(contentsOf: Array(String(Character(u)).utf8))
                default:
                    throw error("invalid escape")
                }
            }
            return String(decoding: out, as: UTF8.self)
        }
    }
}

/// A JSON syntax error at a byte offset.
public struct JSONReadError: Error, Equatable, Sendable {
    public var offset: Int
    public var reason: String
    public var description: String { "invalid JSON at byte \(offset): \(reason)" }
}

/// Reading `taskdef.json` (a RegisterTaskDefinition input) into a `TaskDefinitionInput`.
extension TaskDefinitionInput {
    /// Reads `family` and `containerDefinitions[].{name, image, portMappings[0].containerPort}`;
    /// other register-task-definition fields are accepted and ignored.
    public static func parse(json text: String) throws(ECSError) -> TaskDefinitionInput {
        let root: JSONNode
        switch JSONReader.parse(text) {
        case .success(let v): root = v
        case .failure(let e): throw .malformedTaskDefinition(e.description)
        }
        guard case .object = root else { throw .malformedTaskDefinition("the top level must be an object") }
        guard case .string(let family)? = root["family"] else {
            throw .malformedTaskDefinition("\"family\" (a string) is required")
        }
        guard case .array(let defs)? = root["containerDefinitions"], !defs.isEmpty else {
            throw .malformedTaskDefinition("\"containerDefinitions\" (a non-empty array) is required")
        }
        var containers: [ContainerDefinition] = []
        for (n, def) in defs.enumerated() {
            guard case .string(let name)? = def["name"] else {
                throw .malformedTaskDefinition("containerDefinitions[\(n)].name (a string) is required")
            }
            guard case .string(let image)? = def["image"] else {
                throw .malformedTaskDefinition("containerDefinitions[\(n)].image (a string) is required")
            }
            var port: Int?
            if let mappings = def["portMappings"] {
                guard case .array(let list) = mappings else {
                    throw .malformedTaskDefinition("containerDefinitions[\(n)].portMappings must be an array")
                }
                if let first = list.first {
                    guard case .number(let raw)? = first["containerPort"], let p = Int(raw) else {
                        throw .malformedTaskDefinition("containerDefinitions[\(n)].portMappings[0].containerPort must be an integer")
                    }
                    port = p
                }
            }
            containers.append(ContainerDefinition(name: name, image: image, port: port))
        }
        return TaskDefinitionInput(family: family, containers: containers)
    }
}

/// Escapes `s` for use inside a JSON string literal.
func jsonEscaped(_ s: String) -> String {
    var out = ""
    for u in s.unicodeScalars {
        switch u {
        case "\"": out += "\\\""
        case "\\": out += "\\\\"
        case "\n": out += "\\n"
        case "\r": out += "\\r"
        case "\t": out += "\\t"
        default:
            if u.value < 0x20 {
                let hex = String(u.value, radix: 16)
                out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            } else {
                out.unicodeScalars.append(u)
            }
        }
    }
    return out
}
