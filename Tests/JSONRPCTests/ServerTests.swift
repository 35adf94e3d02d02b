import Testing
@testable import JSONRPC

@Suite struct ServerTests {
    let server = specServer()

    @Test(arguments: [#"1"#, #"0"#, #"-7"#, #"1.5"#, #"-0"#, #"1e3"#, #"2.50E-3"#,
                      #"123456789012345678901234567890"#, #""1""#, #""""#, #""abc\u00e9\n""#, #"null"#])
    func idsAreEchoedExactly(_ id: String) {
        let body = #"{"jsonrpc":"2.0","method":"get_data","id":"# + id + "}"
        let reply = server.handle(Array(body.utf8)).map { String(decoding: $0, as: UTF8.self) }
        let expectedID = JSONCodec.string(json(id))
        #expect(reply == #"{"jsonrpc":"2.0","id":"# + expectedID + #","result":["hello",5]}"#)
    }

    @Test func idTextIsKeptLiterally() {
        let reply = server.handle(Array(#"{"jsonrpc":"2.0","method":"get_data","id":1.50}"#.utf8))
        #expect(reply.map { String(decoding: $0, as: UTF8.self) } == #"{"jsonrpc":"2.0","id":1.50,"result":["hello",5]}"#)
    }

    @Test(arguments: [
        #"{"jsonrpc":"2.0","method":"get_data","id":{}}"#,
        #"{"jsonrpc":"2.0","method":"get_data","id":[1]}"#,
        #"{"jsonrpc":"2.0","method":"get_data","id":true}"#,
        #"{"jsonrpc":"1.0","method":"get_data","id":1}"#,
        #"{"jsonrpc":2.0,"method":"get_data","id":1}"#,
        #"{"method":"get_data","id":1}"#,
        #"{"jsonrpc":"2.0","id":1}"#,
        #"{"jsonrpc":"2.0","method":"sum","params":"bar","id":1}"#,
        #"{"jsonrpc":"2.0","method":"sum","params":7,"id":1}"#,
        #"{"jsonrpc":"2.0","method":"sum","params":null,"id":1}"#,
        #"{"jsonrpc":"2.0","method":"sum","params":[1]}  "# + "\n" + "1",
        #""just a string""#,
        #"42"#,
    ])
    func invalidRequests(_ body: String) {
        let reply = exchange(server, body)
        let code = reply?["error"]?["code"]
        #expect(code == .int(-32600) || code == .int(-32700), "\(body)")
        #expect(reply?["id"] == .null)
        #expect(reply?["result"] == nil)
    }

    @Test func notificationsGetNoReplyEvenOnError() {
        #expect(exchange(server, #"{"jsonrpc":"2.0","method":"nope"}"#) == nil)
        #expect(exchange(server, #"{"jsonrpc":"2.0","method":"subtract","params":["x"]}"#) == nil)
        #expect(exchange(server, #"{"jsonrpc":"2.0","method":"subtract","params":[1,2,3]}"#) == nil)
        #expect(exchange(server, #"[{"jsonrpc":"2.0","method":"nope"},{"jsonrpc":"2.0","method":"update"}]"#) == nil)
    }

    @Test func batchRepliesKeepRequestOrder() {
        let body = "[" + (0..<50).map { #"{"jsonrpc":"2.0","method":"sum","params":[\#($0)],"id":\#($0)}"# }.joined(separator: ",") + "]"
        guard case .array(let replies)? = exchange(server, body) else { Issue.record("no batch reply"); return }
        #expect(replies.map { $0["id"] } == (0..<50).map { .int($0) })
        #expect(replies.map { $0["result"] } == (0..<50).map { .int($0) })
    }

    @Test func batchTooLarge() {
        var small = server
        small.batchLimit = 2
        let reply = exchange(small, #"[{"jsonrpc":"2.0","method":"update"},{"jsonrpc":"2.0","method":"sum","id":"a"},{"jsonrpc":"2.0","method":"sum","id":"b"}]"#)
        #expect(reply == json(#"[{"jsonrpc":"2.0","id":"a","error":{"code":-32600,"message":"batch too large"}}]"#))
        #expect(exchange(small, #"[{"jsonrpc":"2.0","method":"sum","id":1},{"jsonrpc":"2.0","method":"sum","id":2}]"#)?["error"] == nil)
        #expect(server.batchLimit == 1000)
    }

    @Test func argumentCountErrors() {
        #expect(exchange(server, #"{"jsonrpc":"2.0","method":"subtract","params":[1,2,3],"id":1}"#)?["error"]
                == json(#"{"code":-32602,"message":"too many arguments, want at most 2"}"#))
        #expect(exchange(server, #"{"jsonrpc":"2.0","method":"subtract","params":[1],"id":1}"#)?["error"]
                == json(#"{"code":-32602,"message":"missing value for required argument 1"}"#))
        #expect(exchange(server, #"{"jsonrpc":"2.0","method":"subtract","params":[null,1],"id":1}"#)?["error"]
                == json(#"{"code":-32602,"message":"missing value for required argument 0"}"#))
        #expect(exchange(server, #"{"jsonrpc":"2.0","method":"subtract","params":{"minuend":1},"id":1}"#)?["error"]
                == json(#"{"code":-32602,"message":"missing value for required argument 1"}"#))
        #expect(exchange(server, #"{"jsonrpc":"2.0","method":"subtract","params":{"minuend":1,"x":2},"id":1}"#)?["error"]?["code"] == .int(-32602))
        #expect(exchange(server, #"{"jsonrpc":"2.0","method":"sum","params":{"a":1},"id":1}"#)?["error"]
                == json(#"{"code":-32602,"message":"non-array args"}"#))
        #expect(exchange(server, #"{"jsonrpc":"2.0","method":"get_data","params":[1],"id":1}"#)?["error"]
                == json(#"{"code":-32602,"message":"too many arguments, want at most 0"}"#))
        #expect(exchange(server, #"{"jsonrpc":"2.0","method":"subtract","params":["x",1],"id":1}"#)?["error"]
                == json(#"{"code":-32602,"message":"invalid argument 0: json: cannot unmarshal value into Go value of type int"}"#))
    }

    @Test func methodErrorsWithDataAndContext() {
        var s = RPCServer<[String]>()
        s.register("log", maxArguments: 1) { (log: inout [String], p: RPCParams) throws(RPCError) -> JSONValue in
            let line = try p.required(0, .string)
            if line == "boom" { throw .server("execution reverted", code: 3, data: .string("0x08c379a0")) }
            if line == "crash" { throw .internalError() }
            log.append(line)
            return .int(log.count)
        }
        var log: [String] = []
        #expect(s.handle(Array(#"{"jsonrpc":"2.0","method":"log","params":["a"],"id":1}"#.utf8), context: &log)
                .map { String(decoding: $0, as: UTF8.self) } == #"{"jsonrpc":"2.0","id":1,"result":1}"#)
        _ = s.handle(Array(#"{"jsonrpc":"2.0","method":"log","params":["b"]}"#.utf8), context: &log)
        #expect(log == ["a", "b"])
        let boom = s.handle(Array(#"{"jsonrpc":"2.0","method":"log","params":["boom"],"id":2}"#.utf8), context: &log)
        #expect(boom.map { String(decoding: $0, as: UTF8.self) }
                == #"{"jsonrpc":"2.0","id":2,"error":{"code":3,"message":"execution reverted","data":"0x08c379a0"}}"#)
        #expect(s.call("log", [.string("crash")], context: &log) == .failure(RPCError(code: -32603, message: "method handler crashed")))
        #expect(s.call("log", [.string("c")], context: &log) == .success(.int(3)))
        #expect(s.call("nope", [], context: &log) == .failure(.methodNotFound("nope")))
    }

    @Test func deepNestingIsAnErrorNotACrash() {
        let deep = String(repeating: "[", count: 10_000) + String(repeating: "]", count: 10_000)
        #expect(exchange(server, deep) == json(#"{"jsonrpc":"2.0","id":null,"error":{"code":-32700,"message":"parse error"}}"#))
        let deepObject = String(repeating: #"{"a":"#, count: 10_000) + "1" + String(repeating: "}", count: 10_000)
        #expect(exchange(server, deepObject)?["error"]?["code"] == .int(-32700))
        let deepParams = #"{"jsonrpc":"2.0","method":"sum","params":"# + String(repeating: "[", count: 10_000)
        #expect(exchange(server, deepParams)?["error"]?["code"] == .int(-32700))
    }

    @Test func oneMegabyteBody() {
        let blob = String(repeating: "ab\\u00e9\\n", count: 131_072)  // 1 MiB of JSON string text
        let body = #"{"jsonrpc":"2.0","method":"echo","params":[""# + blob + #"",[1,2,3]],"id":7}"#
        #expect(body.utf8.count > 1_000_000)
        var s = RPCServer<Void>()
        s.register("echo") { p throws(RPCError) in try p.required(0, .any) }
        let clock = ContinuousClock()
        let start = clock.now
        let reply = exchange(s, body)
        #expect(clock.now - start < .seconds(10))
        guard case .string(let echoed)? = reply?["result"] else { Issue.record("no result"); return }
        #expect(echoed.unicodeScalars.count == 131_072 * 4)
        #expect(echoed.hasPrefix("abé\nabé\n"))
    }
}
