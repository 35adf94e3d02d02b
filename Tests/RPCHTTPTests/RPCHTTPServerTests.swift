// The server against geth's rpc/http.go rules, over real loopback sockets.

import Foundation
@testable import RPCHTTP
import Testing

@Suite struct RPCHTTPServerTests {
    @Test func echoesJSONWith200AndJSONContentType() throws {
        try withServer { port in
            let client = try RawHTTPClient(port: port)
            let body = #"{"jsonrpc":"2.0","id":1,"method":"eth_blockNumber","params":[]}"#
            let response = try client.post(body)
            #expect(response.status == 200)
            #expect(response.header("content-type") == "application/json")
            #expect(response.header("content-length") == String(body.utf8.count))
            #expect(response.text == body)
            #expect(response.header("connection") == nil)
        }
    }

    @Test(arguments: ["application/json", "application/json-rpc", "application/jsonrequest",
                      "Application/JSON; charset=UTF-8", "application/json;charset=utf-8",
                      "application/json; charset=\"utf-8\"", "application/json;"])
    func acceptsGethContentTypes(contentType: String) throws {
        try withServer { port in
            let client = try RawHTTPClient(port: port)
            let response = try client.post("[1]", contentType: contentType)
            #expect(response.status == 200)
            #expect(response.text == "[1]")
        }
    }

    @Test func nilFromHandlerIs200Empty() throws {
        let calls = CallCounter()
        try withServer(handler: { _ in calls.increment(); return nil }) { port in
            let client = try RawHTTPClient(port: port)
            let response = try client.post(#"{"jsonrpc":"2.0","method":"notify"}"#)
            #expect(response.status == 200)
            #expect(response.body.isEmpty)
            #expect(response.header("content-length") == "0")
            #expect(response.header("content-type") == "application/json")
            // The connection stays usable.
            #expect(try client.post("{}").status == 200)
        }
        #expect(calls.value == 2)
    }

    @Test func emptyPostBodyIs200EmptyWithoutCallingTheCore() throws {
        let calls = CallCounter()
        try withServer(handler: { _ in calls.increment(); return [1] }) { port in
            let response = try RawHTTPClient(port: port).post("")
            #expect(response.status == 200)
            #expect(response.body.isEmpty)
        }
        #expect(calls.value == 0)
    }

    @Test(arguments: [nil, "text/plain", "application/xml", "application/json; charset", "json",
                      "application/json-rpc2", "application/json, text/plain"])
    func otherContentTypeIs415(contentType: String?) throws {
        let calls = CallCounter()
        try withServer(handler: { calls.increment(); return $0 }) { port in
            let client = try RawHTTPClient(port: port)
            let response = try client.post("{}", contentType: contentType)
            #expect(response.status == 415)
            #expect(response.text == "invalid content type, only application/json is supported\n")
            #expect(response.header("content-type") == "text/plain; charset=utf-8")
            #expect(response.header("x-content-type-options") == "nosniff")
            // A small body is discarded and the connection kept, as Go's net/http does.
            #expect(try client.post("{}").status == 200)
        }
        #expect(calls.value == 1)
    }

    @Test func declaredContentLengthOverLimitIs413AndCloses() throws {
        let calls = CallCounter()
        try withServer(maxBodyBytes: 1024, handler: { calls.increment(); return $0 }) { port in
            let client = try RawHTTPClient(port: port)
            // Only the head is sent: the server must answer without waiting for the body.
            try client.send("POST / HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 1025\r\n\r\n{")
            let response = try client.readResponse()
            #expect(response.status == 413)
            #expect(response.text == "content length too large (1025>1024)\n")
            #expect(response.header("connection") == "close")
            #expect(try client.readsEOF())
        }
        #expect(calls.value == 0)
    }

    @Test func bodyAtTheLimitIsAccepted() throws {
        try withServer(maxBodyBytes: 1024) { port in
            let body = String(repeating: "a", count: 1024)
            let response = try RawHTTPClient(port: port).post(body)
            #expect(response.status == 200)
            #expect(response.body.count == 1024)
        }
    }

    @Test func chunkedBodyOverLimitIs413WhileStreaming() throws {
        let calls = CallCounter()
        try withServer(maxBodyBytes: 1024, handler: { calls.increment(); return $0 }) { port in
            let client = try RawHTTPClient(port: port)
            try client.send("POST / HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n")
            let chunk = String(repeating: "b", count: 600)
            try client.send("258\r\n\(chunk)\r\n")
            try client.send("258\r\n\(chunk)\r\n")
            // No terminating chunk: the answer comes as soon as the limit is passed.
            let response = try client.readResponse()
            #expect(response.status == 413)
            #expect(response.text == "content length too large (1200>1024)\n")
            #expect(response.header("connection") == "close")
            #expect(try client.readsEOF())
        }
        #expect(calls.value == 0)
    }

    @Test func chunkedBodyWithinLimitIsServed() throws {
        try withServer(maxBodyBytes: 1024) { port in
            let client = try RawHTTPClient(port: port)
            try client.send("POST / HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n3\r\n[1,\r\n2\r\n2]\r\n0\r\n\r\n")
            let response = try client.readResponse()
            #expect(response.status == 200)
            #expect(response.text == "[1,2]")
        }
    }

    @Test(arguments: ["PUT", "DELETE", "PATCH", "TRACE"])
    func otherMethodsAre405(method: String) throws {
        try withServer { port in
            let client = try RawHTTPClient(port: port)
            try client.send("\(method) / HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 2\r\n\r\n{}")
            let response = try client.readResponse()
            #expect(response.status == 405)
            #expect(response.text == "method not allowed\n")
            #expect(try client.post("{}").status == 200)
        }
    }

    @Test func headIs405WithoutBody() throws {
        try withServer { port in
            let client = try RawHTTPClient(port: port)
            try client.send("HEAD / HTTP/1.1\r\nHost: x\r\n\r\n")
            // The head announces the length of the body a GET would have, but sends none.
            try client.send("POST / HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 2\r\n\r\n{}")
            var raw: [UInt8] = []
            while !(String(decoding: raw, as: UTF8.self).hasSuffix("{}")) {
                let more = try client.readResponseBytes()
                if more.isEmpty { break }
                raw += more
            }
            let text = String(decoding: raw, as: UTF8.self)
            #expect(text.hasPrefix("HTTP/1.1 405 Method Not Allowed\r\n"))
            #expect(!text.contains("method not allowed\n"))
            #expect(text.contains("HTTP/1.1 200 OK\r\n"))
        }
    }

    @Test(arguments: ["GET / HTTP/1.1\r\nHost: x\r\n\r\n",
                      "GET /? HTTP/1.1\r\nHost: x\r\n\r\n",
                      "GET / HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n",
                      "OPTIONS / HTTP/1.1\r\nHost: x\r\n\r\n",
                      "OPTIONS * HTTP/1.1\r\nHost: x\r\nContent-Type: text/plain\r\n\r\n"])
    func healthCheckIs200Empty(request: String) throws {
        let calls = CallCounter()
        try withServer(handler: { calls.increment(); return $0 }) { port in
            let client = try RawHTTPClient(port: port)
            try client.send(request)
            let response = try client.readResponse()
            #expect(response.status == 200)
            #expect(response.body.isEmpty)
            #expect(response.header("content-length") == "0")
            #expect(try client.post("{}").status == 200)  // kept alive
        }
        #expect(calls.value == 1)
    }

    @Test func getWithQueryIsValidatedLikePost() throws {
        try withServer { port in
            let client = try RawHTTPClient(port: port)
            try client.send("GET /?x=1 HTTP/1.1\r\nHost: x\r\n\r\n")
            #expect(try client.readResponse().status == 415)
            // With a JSON body, geth serves a GET like a POST.
            try client.send("GET / HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 3\r\n\r\n[2]")
            let response = try client.readResponse()
            #expect(response.status == 200)
            #expect(response.text == "[2]")
        }
    }

    @Test(arguments: ["\u{1}\u{2}garbage\r\n\r\n", "HELLO WORLD\r\n\r\n", "GET / HTTP/9.9.9\r\n\r\n",
                      "POST / HTTP/1.1\r\nContent-Length: abc\r\n\r\n"])
    func garbageGets400AndTheConnectionCloses(garbage: String) throws {
        try withServer { port in
            let client = try RawHTTPClient(port: port)
            try client.send(garbage)
            let response = try client.readResponse()
            #expect(response.status == 400)
            #expect(try client.readsEOF())
            // The server is unharmed.
            #expect(try RawHTTPClient(port: port).post("{}").status == 200)
        }
    }

    @Test func binaryNoiseClosesTheConnection() throws {
        try withServer { port in
            let client = try RawHTTPClient(port: port)
            var noise = [UInt8](repeating: 0, count: 4096)
            for index in noise.indices { noise[index] = UInt8(truncatingIfNeeded: index &* 2_654_435_761 >> 7) }
            try? client.send(noise)
            // Either a 400 first or straight EOF; in no case a hang or a crash.
            if let response = try? client.readResponse() { #expect(response.status == 400) }
            #expect(try RawHTTPClient(port: port).post("{}").status == 200)
        }
    }

    @Test func clientDisconnectingMidBodyIsHarmless() throws {
        let calls = CallCounter()
        try withServer(handler: { calls.increment(); return $0 }) { port in
            for _ in 0..<20 {
                let client = try RawHTTPClient(port: port)
                try client.send("POST / HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{\"jsonrpc\":")
                client.disconnect()
            }
            let chunked = try RawHTTPClient(port: port)
            try chunked.send("POST / HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n5\r\n{\"a\":")
            chunked.disconnect()
            #expect(try RawHTTPClient(port: port).post("{}").status == 200)
        }
        #expect(calls.value == 1)
    }

    @Test func hundredSequentialKeepAliveRequestsOnOneConnection() throws {
        try withServer { port in
            let client = try RawHTTPClient(port: port)
            for index in 0..<100 {
                let body = #"{"jsonrpc":"2.0","id":\#(index),"method":"m"}"#
                let response = try client.post(body)
                #expect(response.status == 200)
                #expect(response.text == body)
                #expect(response.header("connection") == nil)
            }
        }
    }

    @Test func pipelinedRequestsAreAnsweredInOrder() throws {
        try withServer { port in
            let client = try RawHTTPClient(port: port)
            var burst = ""
            for index in 0..<10 {
                burst += "POST / HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: \(String(index).count)\r\n\r\n\(index)"
            }
            try client.send(burst)
            for index in 0..<10 {
                #expect(try client.readResponse().text == String(index))
            }
        }
    }

    @Test func eightConcurrentClients() throws {
        let calls = CallCounter()
        try withServer(handler: { calls.increment(); return $0 }) { port in
            let failures = CallCounter()
            let group = DispatchGroup()
            for clientIndex in 0..<8 {
                group.enter()
                let thread = Thread {
                    defer { group.leave() }
                    do {
                        let client = try RawHTTPClient(port: port)
                        for index in 0..<50 {
                            let body = "[\(clientIndex),\(index)]"
                            let response = try client.post(body)
                            if response.status != 200 || response.text != body { failures.increment() }
                        }
                    } catch {
                        failures.increment()
                    }
                }
                thread.start()
            }
            #expect(group.wait(timeout: .now() + 30) == .success)
            #expect(failures.value == 0)
        }
        #expect(calls.value == 400)
    }

    @Test func http10ClosesAfterTheResponse() throws {
        try withServer { port in
            let client = try RawHTTPClient(port: port)
            try client.send("POST / HTTP/1.0\r\nContent-Type: application/json\r\nContent-Length: 2\r\n\r\n{}")
            let response = try client.readResponse()
            #expect(response.version == "HTTP/1.0")
            #expect(response.status == 200)
            #expect(response.text == "{}")
            #expect(try client.readsEOF())
        }
    }

    @Test func http10KeepAliveIsHonoured() throws {
        try withServer { port in
            let client = try RawHTTPClient(port: port)
            for _ in 0..<3 {
                try client.send("POST / HTTP/1.0\r\nConnection: keep-alive\r\nContent-Type: application/json\r\nContent-Length: 2\r\n\r\n{}")
                let response = try client.readResponse()
                #expect(response.status == 200)
                #expect(response.header("connection")?.lowercased() == "keep-alive")
            }
        }
    }

    @Test func connectionCloseIsHonoured() throws {
        try withServer { port in
            let client = try RawHTTPClient(port: port)
            let response = try client.post("{}", extraHeaders: "Connection: close\r\n")
            #expect(response.status == 200)
            #expect(response.header("connection") == "close")
            #expect(try client.readsEOF())

            let rejected = try RawHTTPClient(port: port)
            let error = try rejected.post("{}", contentType: nil, extraHeaders: "Connection: close\r\n")
            #expect(error.status == 415)
            #expect(error.header("connection") == "close")
            #expect(try rejected.readsEOF())
        }
    }

    @Test func expectContinueGets100ThenTheAnswer() throws {
        try withServer { port in
            let client = try RawHTTPClient(port: port)
            try client.send("POST / HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 2\r\nExpect: 100-continue\r\n\r\n")
            #expect(try client.readResponse().status == 100)
            try client.send("{}")
            let response = try client.readResponse()
            #expect(response.status == 200)
            #expect(response.text == "{}")
        }
    }

    @Test func stopIsGracefulAndUnblocksWaitUntilClosed() throws {
        let server = RPCHTTPServer(configuration: RPCHTTPConfiguration(port: 0), handler: { $0 })
        let port = try server.start()
        #expect(throws: RPCHTTPServerError.alreadyStarted) { try server.start() }
        let idle = try RawHTTPClient(port: port)
        #expect(try idle.post("{}").status == 200)
        let waited = DispatchSemaphore(value: 0)
        let waiter = Thread {
            try? server.waitUntilClosed()
            waited.signal()
        }
        waiter.start()
        #expect(waited.wait(timeout: .now() + 0.2) == .timedOut)
        try server.stop()
        #expect(waited.wait(timeout: .now() + 5) == .success)
        #expect(try idle.readsEOF())  // the idle keep-alive connection was closed
        #expect(throws: (any Error).self) { try RawHTTPClient(port: port) }
        try server.stop()  // idempotent
    }

    @Test func defaultConfigurationMatchesGeth() {
        let configuration = RPCHTTPConfiguration()
        #expect(configuration.host == "127.0.0.1")
        #expect(configuration.port == 8545)
        #expect(configuration.maxBodyBytes == 5 * 1024 * 1024)
    }

    @Test func defaultLimitIsFiveMebibytes() throws {
        let server = RPCHTTPServer(configuration: RPCHTTPConfiguration(port: 0), handler: { $0 })
        let port = try server.start()
        defer { try? server.stop() }
        let client = try RawHTTPClient(port: port)
        try client.send("POST / HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 5242881\r\n\r\n")
        let response = try client.readResponse()
        #expect(response.status == 413)
        #expect(response.text == "content length too large (5242881>5242880)\n")
    }

    @Test(arguments: [
        ("application/json", "application/json"), ("APPLICATION/Json ; charset=utf-8", "application/json"),
        ("application/json; a=b; c=\"d;e\"", "application/json"), ("application/json;", "application/json"),
        ("application/json; charset", nil), ("application/json; =x", nil), ("application", nil),
        ("application/json/x", nil), ("", nil), ("application/json; a=\"unterminated", nil),
    ] as [(String, String?)])
    func mediaTypeParsing(header: String, expected: String?) {
        #expect(RPCHTTPRules.mediaType(header) == expected)
    }
}

extension RawHTTPClient {
    /// Whatever bytes arrive next (empty at EOF).
    func readResponseBytes() throws -> [UInt8] {
        var chunk = [UInt8](repeating: 0, count: 65536)
        let n = chunk.withUnsafeMutableBytes { recv(self.descriptor, $0.baseAddress, $0.count, 0) }
        return n > 0 ? Array(chunk[0..<n]) : []
    }
}
