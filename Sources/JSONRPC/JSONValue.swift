/// A JSON value that keeps what JSON-RPC needs to echo exactly: object member order and the
/// literal text of numbers (an id sent as `1` comes back as `1`, `1.5` as `1.5`, `"1"` as `"1"`).
public enum JSONValue: Equatable, Sendable {
    case null
    case bool(Bool)
    /// The number's literal JSON text, e.g. "1", "-19", "1.5e3" (already validated as JSON grammar).
    case number(String)
    case string(String)
    case array([JSONValue])
    /// Members in the order they appeared (duplicate keys: the last one wins on lookup).
    case object([(key: String, value: JSONValue)])

    public static func == (lhs: JSONValue, rhs: JSONValue) -> Bool {
        switch (lhs, rhs) {
        case (.null, .null): return true
        case let (.bool(a), .bool(b)): return a == b
        case let (.number(a), .number(b)): return a == b
        case let (.string(a), .string(b)): return a == b
        case let (.array(a), .array(b)): return a == b
        case let (.object(a), .object(b)):
            return a.count == b.count && zip(a, b).allSatisfy { $0.key == $1.key && $0.value == $1.value }
        default: return false
        }
    }

    /// An integer number value.
    public static func int<I: BinaryInteger>(_ value: I) -> JSONValue { .number(String(value)) }

    /// Member lookup on an object (last duplicate wins); nil for other kinds or a missing key.
    public subscript(key: String) -> JSONValue? {
        guard case let .object(members) = self else { return nil }
        return members.last(where: { $0.key == key })?.value
    }
}
