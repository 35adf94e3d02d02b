/// A path into a value, like jq's: `.blocks[2].problems`, `.blocks[-1].hash`, `.blocks[].valid`
/// (`[]` maps over an array), `.configs[min.insync.replicas]` (a key with dots), `.` for the whole value; then optional pipes `| length`, `| keys`,
/// `| first`, `| last`, `| type`.
public struct ValuePath: Equatable, Sendable {
    public enum Step: Equatable, Sendable {
        case key(String)
        case index(Int)
        case each
    }

    public var steps: [Step]
    public var text: String

    public static func parse(_ text: String) throws(WorkbenchError) -> ValuePath {
        func bad(_ why: String) -> WorkbenchError {
            .failed(what: "path `\(text)`", why: why, fix: "write paths like .blocks[2].hash or .blocks[].valid")
        }
        guard text.hasPrefix(".") else { throw bad("a path starts with `.`") }
        var steps: [Step] = []
        let chars = Array(text)
        var i = 0
        while i < chars.count {
            switch chars[i] {
            case ".":
                i += 1
                var name = ""
                while i < chars.count, chars[i] != ".", chars[i] != "[" {
                    name.append(chars[i])
                    i += 1
                }
                if !name.isEmpty { steps.append(.key(name)) }
                else if i < chars.count, chars[i] == "." { throw bad("empty field name") }
            case "[":
                guard let close = chars[i...].firstIndex(of: "]") else { throw bad("missing `]`") }
                let inside = String(chars[(i + 1)..<close])
                if inside.isEmpty { steps.append(.each) }
                else if let n = Int(inside) { steps.append(.index(n)) }
                else if inside.hasPrefix("\""), inside.hasSuffix("\""), inside.count >= 2 {
                    steps.append(.key(String(inside.dropFirst().dropLast())))
                } else {
                    // A field whose name has dots, like a Kafka config: `.configs[min.insync.replicas]`.
                    steps.append(.key(inside))
                }
                i = close + 1
            default:
                throw bad("unexpected `\(chars[i])`")
            }
        }
        return ValuePath(steps: steps, text: text)
    }

    /// Follows the path; a missing field or index explains what is there instead.
    public func evaluate(_ value: Value) throws(WorkbenchError) -> Value {
        try ValuePath.follow(steps[...], value, at: ".")
    }

    private static func follow(_ steps: ArraySlice<Step>, _ value: Value, at location: String) throws(WorkbenchError) -> Value {
        guard let step = steps.first else { return value }
        let rest = steps.dropFirst()
        switch step {
        case let .key(name):
            guard case let .object(pairs) = value else {
                throw .expectation(statement: "an object at \(location) with field `\(name)`", found: "\(value.typeName) \(value.compactJSON.prefix(60))")
            }
            guard let next = pairs.first(where: { $0.0 == name })?.1 else {
                throw .expectation(statement: "a field `\(name)` at \(location)",
                                   found: "fields " + pairs.map(\.0).joined(separator: ", "))
            }
            return try follow(rest, next, at: location == "." ? ".\(name)" : "\(location).\(name)")
        case let .index(n):
            guard case let .array(items) = value else {
                throw .expectation(statement: "an array at \(location)", found: value.typeName)
            }
            let position = n < 0 ? items.count + n : n
            guard items.indices.contains(position) else {
                throw .expectation(statement: "an element [\(n)] at \(location)", found: "an array of \(items.count)")
            }
            return try follow(rest, items[position], at: "\(location)[\(n)]")
        case .each:
            guard case let .array(items) = value else {
                throw .expectation(statement: "an array at \(location)", found: value.typeName)
            }
            var mapped: [Value] = []
            for (i, item) in items.enumerated() { mapped.append(try follow(rest, item, at: "\(location)[\(i)]")) }
            return .array(mapped)
        }
    }
}

/// Functions after `|` in a query.
public enum PipeFunction: String, CaseIterable, Sendable {
    case length, keys, first, last, type

    func apply(_ value: Value) throws(WorkbenchError) -> Value {
        switch (self, value) {
        case let (.length, .array(a)): return .int(Int64(a.count))
        case let (.length, .object(o)): return .int(Int64(o.count))
        case let (.length, .string(s)): return .int(Int64(s.count))
        case (.length, .null): return .int(0)
        case let (.keys, .object(o)): return .array(o.map { .string($0.0) })
        case let (.first, .array(a)): return a.first ?? .null
        case let (.last, .array(a)): return a.last ?? .null
        case (.type, _): return .string(value.typeName)
        default:
            throw .expectation(statement: "a value that `| \(rawValue)` applies to", found: value.typeName)
        }
    }
}

/// A comparison: `==`, `!=`, `<`, `<=`, `>`, `>=`, `contains`, `!contains`, `matches` (prefix `*`).
public enum Comparison: String, CaseIterable, Sendable {
    case equal = "==", notEqual = "!=", less = "<", lessOrEqual = "<=", greater = ">", greaterOrEqual = ">="
    case contains, notContains = "!contains", startsWith = "starts-with"

    func holds(_ found: Value, _ expected: Value) -> Bool {
        switch self {
        case .equal: return found == expected
        case .notEqual: return found != expected
        case .less, .lessOrEqual, .greater, .greaterOrEqual:
            guard let order = Comparison.order(found, expected) else { return false }
            switch self {
            case .less: return order < 0
            case .lessOrEqual: return order <= 0
            case .greater: return order > 0
            default: return order >= 0
            }
        case .contains: return Comparison.contains(found, expected)
        case .notContains: return !Comparison.contains(found, expected)
        case .startsWith:
            if case let .string(s) = found, case let .string(p) = expected { return s.hasPrefix(p) }
            if case let .array(a) = found, case let .array(p) = expected { return a.starts(with: p) }
            return false
        }
    }

    static func order(_ a: Value, _ b: Value) -> Int? {
        switch (a, b) {
        case let (.int(x), .int(y)): return x < y ? -1 : (x == y ? 0 : 1)
        case (.int, .double), (.double, .int), (.double, .double):
            guard let x = a.number, let y = b.number else { return nil }
            return x < y ? -1 : (x == y ? 0 : 1)
        case let (.string(x), .string(y)): return x < y ? -1 : (x == y ? 0 : 1)
        default: return nil
        }
    }

    static func contains(_ haystack: Value, _ needle: Value) -> Bool {
        switch (haystack, needle) {
        case let (.string(s), .string(n)): return s.contains(n)
        case let (.array(a), _): return a.contains(needle)
        case let (.object(o), .string(key)): return o.contains { $0.0 == key }
        default: return false
        }
    }
}

extension Value {
    var number: Double? {
        switch self {
        case let .int(i): Double(i)
        case let .double(d): d
        default: nil
        }
    }

    /// A literal as written in an `expect` line: unquoted `true`, `false`, `null` and numbers
    /// are typed; anything quoted, or any other word, is a string. `[]` and `{}` are empty.
    public static func literal(_ token: Token) -> Value {
        if token.quoted { return .string(token.text) }
        switch token.text {
        case "true": return .bool(true)
        case "false": return .bool(false)
        case "null": return .null
        case "[]": return .array([])
        case "{}": return .object([])
        default:
            if let i = Int64(token.text) { return .int(i) }
            if let d = Double(token.text), d.isFinite { return .double(d) }
            return .string(token.text)
        }
    }
}

/// A parsed predicate: `<command words> [.path] [| fn]... <op> <literal>`, as used by `expect`
/// and `run until`.
public struct Predicate {
    public var command: [Token]
    public var path: ValuePath
    public var pipes: [PipeFunction]
    public var comparison: Comparison
    public var expected: Value
    /// The statement as it reads, for messages.
    public var statement: String

    public static let usage = "expect COMMAND [.path] [| length|keys|first|last|type] OP VALUE  (OP: == != < <= > >= contains !contains starts-with)"

    public static func parse(_ tokens: [Token]) throws(WorkbenchError) -> Predicate {
        func usage(_ problem: String) -> WorkbenchError { .usage(command: "expect", problem: problem, usage: Predicate.usage) }
        guard tokens.count >= 3 else { throw usage("needs a command, an operator and a value") }
        let opToken = tokens[tokens.count - 2]
        guard !opToken.quoted, let comparison = Comparison(rawValue: opToken.text) else {
            throw usage("`\(opToken.text)` is not an operator")
        }
        let expected = Value.literal(tokens[tokens.count - 1])
        var left = Array(tokens.dropLast(2))
        var pipes: [PipeFunction] = []
        while left.count >= 2, !left[left.count - 2].quoted, left[left.count - 2].text == "|" {
            let name = left[left.count - 1].text
            guard let function = PipeFunction(rawValue: name) else {
                throw usage("unknown function `| \(name)` (functions: \(PipeFunction.allCases.map(\.rawValue).joined(separator: ", ")))")
            }
            pipes.insert(function, at: 0)
            left.removeLast(2)
        }
        var path = try ValuePath.parse(".")
        if let last = left.last, last.text.hasPrefix(".") {
            path = try ValuePath.parse(last.text)
            left.removeLast()
        }
        guard !left.isEmpty else { throw usage("needs a command to query before the path") }
        var statement = left.map { Tokenizer.quote($0.text) }.joined(separator: " ")
        if path.text != "." || left.isEmpty { statement += " " + path.text }
        for pipe in pipes { statement += " | " + pipe.rawValue }
        statement += " \(comparison.rawValue) \(expected.compactJSON)"
        return Predicate(command: left, path: path, pipes: pipes, comparison: comparison, expected: expected, statement: statement)
    }

    /// Runs the query against the session and compares; throws `.expectation` when it does not hold.
    public func check(in session: Session) throws {
        let found = try evaluate(in: session)
        guard comparison.holds(found, expected) else {
            throw WorkbenchError.expectation(statement: statement, found: found.compactJSON)
        }
    }

    public func evaluate(in session: Session) throws -> Value {
        var value = try path.evaluate(try session.query(command))
        for pipe in pipes { value = try pipe.apply(value) }
        return value
    }

    public func holds(in session: Session) throws -> Bool {
        comparison.holds(try evaluate(in: session), expected)
    }
}
