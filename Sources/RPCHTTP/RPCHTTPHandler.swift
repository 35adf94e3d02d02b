// One connection's request handling. The rules follow go-ethereum's rpc/http.go and the
// parts of Go's net/http that geth relies on; each rule names its source as [geth ...] or
// [net/http ...]. Where this server deliberately differs, the comment says "differs".

import NIOCore
import NIOHTTP1

/// The answers of rpc/http.go, as `http.Error` and `ServeHTTP` produce them.
enum RPCHTTPRules {
    /// [geth acceptedContentTypes] the media types a JSON-RPC POST may carry.
    static let acceptedContentTypes: Set<String> = ["application/json", "application/json-rpc", "application/jsonrequest"]
    /// [geth contentType] the type of every JSON-RPC response.
    static let responseContentType = "application/json"
    /// [net/http maxPostHandlerReadBytes] how much unread body Go discards after an early
    /// answer to keep the connection; past it, the connection is closed instead.
    static let discardBudget = 256 * 1024
    /// [net/http rstAvoidanceDelay] after a rejected oversized body, Go shuts its write side and
    /// waits this long before closing, so the client reads the answer instead of a reset.
    static let closeDelay = TimeAmount.milliseconds(500)

    static let methodNotAllowed = "method not allowed"
    static let invalidContentType = "invalid content type, only application/json is supported"
    static func tooLarge(_ length: String, _ limit: Int) -> String {
        "content length too large (\(length)>\(limit))"
    }

    /// [geth validateRequest] `mime.ParseMediaType(Content-Type)`: the lowercased media type,
    /// or nil when the header is absent or malformed (which geth answers with 415).
    /// Accepts `type/subtype` followed by `; name=value` parameters (token or quoted string),
    /// tolerating a trailing `;`, as Go's parser does.
    static func mediaType(_ header: String?) -> String? {
        guard let header else { return nil }
        var rest = Substring(header)
        let typeEnd = rest.firstIndex(of: ";") ?? rest.endIndex
        let type = rest[..<typeEnd].trimmingSpaces().lowercased()
        let parts = type.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, parts.allSatisfy({ !$0.isEmpty && $0.allSatisfy(isTokenChar) }) else { return nil }
        rest = rest[typeEnd...]
        while !rest.isEmpty {
            // rest starts with ";"
            rest = rest.dropFirst().trimmingLeadingSpaces()
            if rest.isEmpty { break }  // trailing ";" is ignored
            guard let eq = rest.firstIndex(of: "=") else { return nil }
            let name = rest[..<eq].trimmingSpaces()
            guard !name.isEmpty, name.allSatisfy(isTokenChar) else { return nil }
            rest = rest[rest.index(after: eq)...].trimmingLeadingSpaces()
            if rest.first == "\"" {
                var index = rest.index(after: rest.startIndex)
                var closed = false
                while index < rest.endIndex {
                    let char = rest[index]
                    if char == "\\" {
                        index = rest.index(after: index)
                        if index == rest.endIndex { break }
                    } else if char == "\"" {
                        closed = true
                        break
                    }
                    index = rest.index(after: index)
                }
                guard closed else { return nil }
                rest = rest[rest.index(after: index)...]
            } else {
                let valueEnd = rest.firstIndex(where: { !isTokenChar($0) }) ?? rest.endIndex
                guard valueEnd != rest.startIndex else { return nil }
                rest = rest[valueEnd...]
            }
            rest = rest.trimmingLeadingSpaces()
            guard rest.isEmpty || rest.first == ";" else { return nil }
        }
        return type
    }

    /// RFC 7230 token characters (what Go's `isTokenChar` accepts).
    static func isTokenChar(_ char: Character) -> Bool {
        guard let ascii = char.asciiValue, ascii > 0x20, ascii < 0x7f else { return false }
        return !"()<>@,;:\\\"/[]?={}".contains(char)
    }
}

extension Substring {
    fileprivate func trimmingLeadingSpaces() -> Substring {
        self.drop(while: { $0 == " " || $0 == "\t" })
    }
    fileprivate func trimmingSpaces() -> Substring {
        var result = self.trimmingLeadingSpaces()
        while let last = result.last, last == " " || last == "\t" { result = result.dropLast() }
        return result
    }
}

/// Serves the requests of one connection, one at a time (NIO's HTTPServerPipelineHandler
/// holds back pipelined requests until the previous response has ended).
final class RPCHTTPHandler: ChannelInboundHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    private enum State {
        /// Between requests.
        case idle
        /// Collecting an accepted request's body, at most `maxBodyBytes` of it.
        case collecting(head: HTTPRequestHead, body: ByteBuffer)
        /// Answered early (405/415/health check); dropping the rest of the body, up to the
        /// discard budget, to keep the connection alive.
        case discarding(dropped: Int)
        /// Answered with `Connection: close`; dropping everything until the connection closes.
        case closing
    }

    private let maxBodyBytes: Int
    private let handler: @Sendable ([UInt8]) -> [UInt8]?
    private var state: State = .idle

    init(maxBodyBytes: Int, handler: @escaping @Sendable ([UInt8]) -> [UInt8]?) {
        self.maxBodyBytes = maxBodyBytes
        self.handler = handler
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch self.unwrapInboundIn(data) {
        case .head(let head):
            self.receivedHead(head, context: context)
        case .body(var part):
            self.receivedBody(&part, context: context)
        case .end:
            self.receivedEnd(context: context)
        }
    }

    private func receivedHead(_ head: HTTPRequestHead, context: ChannelHandlerContext) {
        let chunked = head.headers.contains(name: "transfer-encoding")
        let lengthHeader = head.headers.first(name: "content-length")?.trimmingCharacters(in: " \t")
        // [net/http Request.ContentLength] -1 when unknown (chunked), else the declared length
        // (0 when absent). An unparsable value that NIO's parser let through can only be huge.
        let declared: Int? = chunked ? nil : (lengthHeader.map { Int($0) ?? Int.max } ?? 0)
        let rawQuery = head.uri.firstIndex(of: "?").map { head.uri[head.uri.index(after: $0)...] } ?? ""

        // [geth ServeHTTP] "Permit dumb empty requests for remote health-checks (AWS)":
        // GET with no body and no query gets a bare 200.
        if head.method == .GET, declared == 0, rawQuery.isEmpty {
            self.respondEarly(head: head, status: .ok, body: nil, declared: 0, context: context)
            return
        }
        // [geth validateRequest] PUT and DELETE get 405. Differs: geth lets every other method
        // through to the content-type check; here only POST, GET and OPTIONS are served and
        // everything else (PATCH, HEAD, ...) gets 405 as well.
        guard head.method == .POST || head.method == .GET || head.method == .OPTIONS else {
            self.respondEarly(head: head, status: .methodNotAllowed, body: RPCHTTPRules.methodNotAllowed,
                              declared: declared, context: context)
            return
        }
        // [geth validateRequest] a declared Content-Length above the limit gets 413 before any
        // of the body is read.
        if let declared, declared > self.maxBodyBytes {
            self.respondEarly(head: head, status: .payloadTooLarge,
                              body: RPCHTTPRules.tooLarge(lengthHeader ?? String(declared), self.maxBodyBytes),
                              declared: declared, context: context)
            return
        }
        // [geth validateRequest] OPTIONS is allowed regardless of content type; everything else
        // must carry one of the accepted JSON media types, or gets 415.
        if head.method != .OPTIONS {
            let mediaType = RPCHTTPRules.mediaType(head.headers.first(name: "content-type"))
            guard let mediaType, RPCHTTPRules.acceptedContentTypes.contains(mediaType) else {
                self.respondEarly(head: head, status: .unsupportedMediaType, body: RPCHTTPRules.invalidContentType,
                                  declared: declared, context: context)
                return
            }
        }
        // [net/http expectContinueReader] the client is told to send its body only once the
        // request has passed validation.
        if head.version.major == 1, head.version.minor >= 1,
           head.headers[canonicalForm: "expect"].contains(where: { $0.lowercased() == "100-continue" }) {
            let interim = HTTPResponseHead(version: head.version, status: .continue)
            context.writeAndFlush(self.wrapOutboundOut(.head(interim)), promise: nil)
        }
        // Reserve for the declared length, but not more than 64 KiB up front: a client that
        // declares a large body and sends nothing must not pin memory.
        let capacity = min(declared ?? 0, self.maxBodyBytes, 64 * 1024)
        self.state = .collecting(head: head, body: context.channel.allocator.buffer(capacity: capacity))
    }

    private func receivedBody(_ part: inout ByteBuffer, context: ChannelHandlerContext) {
        switch self.state {
        case .collecting(let head, var body):
            let received = body.readableBytes + part.readableBytes
            // Differs: geth wraps the body in io.LimitReader and so silently truncates a body
            // that outgrows the limit while streaming (chunked); here it gets the same 413 as a
            // declared Content-Length (N = bytes received so far), and nothing past the limit is
            // buffered.
            if received > self.maxBodyBytes {
                self.state = .idle
                self.respondEarly(head: head, status: .payloadTooLarge,
                                  body: RPCHTTPRules.tooLarge(String(received), self.maxBodyBytes),
                                  declared: nil, forceClose: true, context: context)
                return
            }
            // Avoid a copy-on-write of the buffer while it sits in `state`.
            self.state = .idle
            body.writeBuffer(&part)
            self.state = .collecting(head: head, body: body)
        case .discarding(let dropped):
            let total = dropped + part.readableBytes
            if total > RPCHTTPRules.discardBudget {
                // [net/http] too much unread body after an early answer: hang up.
                self.state = .closing
                context.close(promise: nil)
            } else {
                self.state = .discarding(dropped: total)
            }
        case .idle, .closing:
            break
        }
    }

    private func receivedEnd(context: ChannelHandlerContext) {
        switch self.state {
        case .collecting(let head, let body):
            self.state = .idle
            var payload: [UInt8]? = nil
            // [geth serveSingleRequest] an empty body is EOF to the codec: nothing is written,
            // so the client sees 200 with no body; the core is not consulted.
            if body.readableBytes > 0 {
                payload = self.handler(Array(body.readableBytesView))
            }
            // [geth ServeHTTP] content-type application/json is set before the codec runs, so
            // even an empty answer (notification) carries it.
            var headers = HTTPHeaders()
            headers.add(name: "content-type", value: RPCHTTPRules.responseContentType)
            let keepAlive = head.isKeepAlive
            self.writeResponse(version: head.version, status: .ok, headers: headers, body: payload ?? [],
                               omitBody: false, keepAlive: keepAlive, context: context)
        case .discarding:
            self.state = .idle
        case .idle, .closing:
            break
        }
    }

    /// Answers before (all of) the body has been read: [geth] `http.Error(w, err.Error(), code)`
    /// or the health check's bare `WriteHeader(200)`.
    private func respondEarly(head: HTTPRequestHead, status: HTTPResponseStatus, body text: String?,
                              plainText: String? = nil, declared: Int?, forceClose: Bool = false,
                              context: ChannelHandlerContext) {
        var headers = HTTPHeaders()
        var bytes: [UInt8] = []
        if let plainText {
            // [net/http conn.serve] the protocol-error answer: plain text, no trailing newline.
            headers.add(name: "content-type", value: "text/plain; charset=utf-8")
            bytes = Array(plainText.utf8)
        } else if let text {
            // [net/http Error] plain text, no sniffing, the message plus a newline.
            headers.add(name: "content-type", value: "text/plain; charset=utf-8")
            headers.add(name: "x-content-type-options", value: "nosniff")
            bytes = Array((text + "\n").utf8)
        }
        // [net/http] a body too big to discard cheaply (or a rejected oversized one) ends the
        // connection; a small or absent one is dropped and the connection kept, unless the
        // client asked to close (HTTP/1.0 or `Connection: close`).
        let unread = declared ?? -1
        let mustClose = forceClose || status == .payloadTooLarge || unread > RPCHTTPRules.discardBudget
            || !head.isKeepAlive
        let keepAlive = !mustClose
        self.state = mustClose ? .closing : .discarding(dropped: 0)
        let written = self.writeResponse(version: head.version, status: status, headers: headers, body: bytes,
                                         omitBody: head.method == .HEAD, keepAlive: keepAlive,
                                         closeAfter: false, context: context)
        if mustClose {
            // [net/http closeWriteAndWait] shut the write side so the client sees the answer and
            // EOF, keep reading (and dropping) for a moment, then close.
            let channel = context.channel
            written.whenComplete { _ in
                channel.close(mode: .output, promise: nil)
                channel.eventLoop.scheduleTask(in: RPCHTTPRules.closeDelay) {
                    channel.close(promise: nil)
                }
            }
        }
    }

    @discardableResult
    private func writeResponse(version: HTTPVersion, status: HTTPResponseStatus, headers: HTTPHeaders,
                               body: [UInt8], omitBody: Bool, keepAlive: Bool, closeAfter: Bool = true,
                               context: ChannelHandlerContext) -> EventLoopFuture<Void> {
        var headers = headers
        headers.add(name: "content-length", value: String(body.count))
        // [net/http] HTTP/1.0 keep-alive must be confirmed; HTTP/1.1 closing must be announced.
        if keepAlive, version.major == 1, version.minor == 0 {
            headers.add(name: "connection", value: "keep-alive")
        } else if !keepAlive, version.major == 1, version.minor >= 1 {
            headers.add(name: "connection", value: "close")
        }
        let responseVersion = version.major == 1 && version.minor == 0 ? HTTPVersion.http1_0 : HTTPVersion.http1_1
        let head = HTTPResponseHead(version: responseVersion, status: status, headers: headers)
        context.write(self.wrapOutboundOut(.head(head)), promise: nil)
        if !body.isEmpty, !omitBody {
            var buffer = context.channel.allocator.buffer(capacity: body.count)
            buffer.writeBytes(body)
            context.write(self.wrapOutboundOut(.body(.byteBuffer(buffer))), promise: nil)
        }
        let written = context.writeAndFlush(self.wrapOutboundOut(.end(nil)))
        if !keepAlive, closeAfter {
            let channel = context.channel
            self.state = .closing
            written.whenComplete { _ in channel.close(promise: nil) }
        }
        return written
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        if error is HTTPParserError, !self.isClosing {
            // [net/http conn.serve] bytes that are not HTTP get "400 Bad Request" with
            // `Connection: close`, and the connection ends (write side first, as above).
            let head = HTTPRequestHead(version: .http1_1, method: .GET, uri: "/", headers: ["connection": "close"])
            self.respondEarly(head: head, status: .badRequest, body: nil, plainText: "400 Bad Request",
                              declared: nil, forceClose: true, context: context)
            return
        }
        // Anything else (a reset, a broken pipe, more garbage after the 400) only means the peer
        // is gone or hopeless: close quietly. Nothing is logged and nothing crashes.
        self.state = .closing
        context.close(promise: nil)
    }

    private var isClosing: Bool {
        if case .closing = self.state { return true }
        return false
    }

    func channelInactive(context: ChannelHandlerContext) {
        // A client that vanished mid-body: drop what was collected.
        self.state = .closing
        context.fireChannelInactive()
    }
}

extension String {
    fileprivate func trimmingCharacters(in set: String) -> String {
        let trimmed = Substring(self).drop(while: { set.contains($0) })
        var end = trimmed.endIndex
        while end > trimmed.startIndex, set.contains(trimmed[trimmed.index(before: end)]) {
            end = trimmed.index(before: end)
        }
        return String(trimmed[..<end])
    }
}
