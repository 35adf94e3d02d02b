import Testing
@testable import JSONRPC

/// Parses test JSON; a failure is a test bug.
func json(_ text: String) -> JSONValue {
    do { return try JSONCodec.parse(text) } catch {
        Issue.record("bad test JSON: \(error)")
        return .null
    }
}

/// Structural form for comparison: object members sorted by key (member order is free) and, when
/// `dropMessages`, error messages removed (ours are geth's texts, the spec's differ).
func normalized(_ v: JSONValue, dropMessages: Bool) -> JSONValue {
    switch v {
    case .array(let items): return .array(items.map { normalized($0, dropMessages: dropMessages) })
    case .object(let members):
        var out = members.map { (key: $0.key, value: normalized($0.value, dropMessages: dropMessages)) }
        if dropMessages, v["code"] != nil, v["message"] != nil { out.removeAll { $0.key == "message" } }
        return .object(out.sorted { $0.key < $1.key })
    default: return v
    }
}

/// Structural equality of two JSON values (member order and whitespace free).
func sameJSON(_ a: JSONValue, _ b: JSONValue, dropMessages: Bool = false) -> Bool {
    normalized(a, dropMessages: dropMessages) == normalized(b, dropMessages: dropMessages)
}

/// An integer argument for the spec's test methods.
let intArg = RPCArgument<Int> { v throws(RPCArgumentError) in
    guard case .number(let s) = v, let n = Int(s) else { throw RPCArgumentError(cannotUnmarshal: "value", into: "int") }
    return n
}

/// The spec's example methods (§3.2).
func specServer() -> RPCServer<Void> {
    var server = RPCServer<Void>()
    server.register("subtract", names: ["minuend", "subtrahend"]) { p throws(RPCError) in
        .int(try p.required(0, intArg) - p.required(1, intArg))
    }
    server.register("sum") { p throws(RPCError) in
        var total = 0
        for k in 0..<p.count { total += try p.required(k, intArg) }
        return .int(total)
    }
    server.register("update") { _ in .null }
    server.register("notify_hello") { _ in .null }
    server.register("notify_sum") { _ in .null }
    server.register("get_data", maxArguments: 0) { _ in .array([.string("hello"), .int(5)]) }
    return server
}

/// Sends `body` to `server`; the reply parsed, or nil when none was sent.
func exchange(_ server: RPCServer<Void>, _ body: String) -> JSONValue? {
    guard let reply = server.handle(Array(body.utf8)) else { return nil }
    do { return try JSONCodec.parse(reply) } catch {
        Issue.record("reply is not JSON: \(String(decoding: reply, as: UTF8.self))")
        return nil
    }
}
