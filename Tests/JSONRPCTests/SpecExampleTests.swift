import Testing
@testable import JSONRPC

/// The JSON-RPC 2.0 specification's example exchanges (reference §3.2), compared structurally;
/// error messages are geth's, so only codes, ids and shapes are compared.
@Suite struct SpecExampleTests {
    let server = specServer()

    static let exchanges: [(name: String, request: String, reply: String?)] = [
        ("1 positional", #"{"jsonrpc": "2.0", "method": "subtract", "params": [42, 23], "id": 1}"#,
         #"{"jsonrpc": "2.0", "result": 19, "id": 1}"#),
        ("2 positional", #"{"jsonrpc": "2.0", "method": "subtract", "params": [23, 42], "id": 2}"#,
         #"{"jsonrpc": "2.0", "result": -19, "id": 2}"#),
        ("3 named", #"{"jsonrpc": "2.0", "method": "subtract", "params": {"subtrahend": 23, "minuend": 42}, "id": 3}"#,
         #"{"jsonrpc": "2.0", "result": 19, "id": 3}"#),
        ("4 named", #"{"jsonrpc": "2.0", "method": "subtract", "params": {"minuend": 42, "subtrahend": 23}, "id": 4}"#,
         #"{"jsonrpc": "2.0", "result": 19, "id": 4}"#),
        ("5a notification", #"{"jsonrpc": "2.0", "method": "update", "params": [1,2,3,4,5]}"#, nil),
        ("5b notification of unknown method", #"{"jsonrpc": "2.0", "method": "foobar"}"#, nil),
        ("6 method not found", #"{"jsonrpc": "2.0", "method": "foobar", "id": "1"}"#,
         #"{"jsonrpc": "2.0", "error": {"code": -32601, "message": "Method not found"}, "id": "1"}"#),
        ("7 invalid JSON", #"{"jsonrpc": "2.0", "method": "foobar, "params": "bar", "baz]"#,
         #"{"jsonrpc": "2.0", "error": {"code": -32700, "message": "Parse error"}, "id": null}"#),
        ("8 invalid request", #"{"jsonrpc": "2.0", "method": 1, "params": "bar"}"#,
         #"{"jsonrpc": "2.0", "error": {"code": -32600, "message": "Invalid Request"}, "id": null}"#),
        ("9 batch, invalid JSON", #"[ {"jsonrpc": "2.0", "method": "sum", "params": [1,2,4], "id": "1"}, {"jsonrpc": "2.0", "method" ]"#,
         #"{"jsonrpc": "2.0", "error": {"code": -32700, "message": "Parse error"}, "id": null}"#),
        ("10 empty array", "[]",
         #"{"jsonrpc": "2.0", "error": {"code": -32600, "message": "Invalid Request"}, "id": null}"#),
        ("11 invalid batch, not empty", "[1]",
         #"[{"jsonrpc": "2.0", "error": {"code": -32600, "message": "Invalid Request"}, "id": null}]"#),
        ("12 invalid batch", "[1,2,3]",
         #"[{"jsonrpc": "2.0", "error": {"code": -32600, "message": "Invalid Request"}, "id": null}, {"jsonrpc": "2.0", "error": {"code": -32600, "message": "Invalid Request"}, "id": null}, {"jsonrpc": "2.0", "error": {"code": -32600, "message": "Invalid Request"}, "id": null}]"#),
        ("13 mixed batch",
         #"[ {"jsonrpc": "2.0", "method": "sum", "params": [1,2,4], "id": "1"}, {"jsonrpc": "2.0", "method": "notify_hello", "params": [7]}, {"jsonrpc": "2.0", "method": "subtract", "params": [42,23], "id": "2"}, {"foo": "boo"}, {"jsonrpc": "2.0", "method": "foo.get", "params": {"name": "myself"}, "id": "5"}, {"jsonrpc": "2.0", "method": "get_data", "id": "9"} ]"#,
         #"[ {"jsonrpc": "2.0", "result": 7, "id": "1"}, {"jsonrpc": "2.0", "result": 19, "id": "2"}, {"jsonrpc": "2.0", "error": {"code": -32600, "message": "Invalid Request"}, "id": null}, {"jsonrpc": "2.0", "error": {"code": -32601, "message": "Method not found"}, "id": "5"}, {"jsonrpc": "2.0", "result": ["hello", 5], "id": "9"} ]"#),
        ("14 all notifications",
         #"[ {"jsonrpc": "2.0", "method": "notify_sum", "params": [1,2,4]}, {"jsonrpc": "2.0", "method": "notify_hello", "params": [7]} ]"#,
         nil),
    ]

    @Test(arguments: 0..<14)
    func specExchange(_ n: Int) {
        let (name, request, expected) = Self.exchanges[n]
        let reply = exchange(server, request)
        guard let expected else {
            #expect(reply == nil, "\(name): expected no reply")
            return
        }
        guard let reply else {
            Issue.record("\(name): no reply")
            return
        }
        #expect(sameJSON(reply, json(expected), dropMessages: true), "\(name): \(JSONCodec.string(reply))")
    }

    @Test func gethMessages() {
        #expect(exchange(server, #"{"jsonrpc":"2.0","method":"foobar","id":"1"}"#)
                == json(#"{"jsonrpc":"2.0","id":"1","error":{"code":-32601,"message":"the method foobar does not exist/is not available"}}"#))
        #expect(exchange(server, "{") == json(#"{"jsonrpc":"2.0","id":null,"error":{"code":-32700,"message":"parse error"}}"#))
        #expect(exchange(server, "[]") == json(#"{"jsonrpc":"2.0","id":null,"error":{"code":-32600,"message":"empty batch"}}"#))
        #expect(exchange(server, "[1]") == json(#"[{"jsonrpc":"2.0","id":null,"error":{"code":-32600,"message":"invalid request"}}]"#))
    }

    @Test func exactBytesOfAReply() {
        let reply = server.handle(Array(#"{"jsonrpc":"2.0","method":"subtract","params":[42,23],"id":1}"#.utf8))
        #expect(reply.map { String(decoding: $0, as: UTF8.self) } == #"{"jsonrpc":"2.0","id":1,"result":19}"#)
    }
}
