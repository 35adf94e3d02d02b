// A tiny blocking HTTP/1.x client over a raw loopback socket, so the tests see exactly the
// bytes the server writes (status line, headers, Connection handling, EOF).

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import RPCHTTP
import Foundation
import Testing

#if canImport(Glibc)
private func systemSend(_ fd: Int32, _ pointer: UnsafeRawPointer?, _ count: Int) -> Int {
    Glibc.send(fd, pointer, count, Int32(MSG_NOSIGNAL))
}
#else
private func systemSend(_ fd: Int32, _ pointer: UnsafeRawPointer?, _ count: Int) -> Int {
    Darwin.send(fd, pointer, count, 0)
}
#endif

struct RawHTTPError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

struct RawHTTPResponse {
    var version: String
    var status: Int
    /// Header names lowercased, in order.
    var headers: [(name: String, value: String)]
    var body: [UInt8]

    func header(_ name: String) -> String? {
        headers.first(where: { $0.name == name.lowercased() })?.value
    }
    var text: String { String(decoding: body, as: UTF8.self) }
}

final class RawHTTPClient {
    private var fd: Int32
    private var buffer: [UInt8] = []

    init(port: Int, timeoutSeconds: Int = 5) throws {
        #if canImport(Glibc)
        fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        #else
        fd = socket(AF_INET, SOCK_STREAM, 0)
        #endif
        guard fd >= 0 else { throw RawHTTPError("socket failed") }
        var timeout = timeval(tv_sec: timeoutSeconds, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var one: Int32 = 1
        setsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let result = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard result == 0 else {
            close(fd)
            throw RawHTTPError("connect failed: errno \(errno)")
        }
    }

    deinit { if fd >= 0 { close(fd) } }

    var descriptor: Int32 { fd }

    func send(_ text: String) throws { try send(Array(text.utf8)) }

    func send(_ bytes: [UInt8]) throws {
        var offset = 0
        while offset < bytes.count {
            let n = bytes[offset...].withUnsafeBytes { raw in
                systemSend(fd, raw.baseAddress, raw.count)
            }
            guard n > 0 else { throw RawHTTPError("send failed: errno \(errno)") }
            offset += n
        }
    }

    /// Closes the socket at once (an abrupt disconnect).
    func disconnect() {
        if fd >= 0 { close(fd) }
        fd = -1
    }

    /// Reads more bytes; false on EOF or reset.
    private func fill() throws -> Bool {
        var chunk = [UInt8](repeating: 0, count: 65536)
        let n = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
        if n > 0 {
            buffer.append(contentsOf: chunk[0..<n])
            return true
        }
        if n == 0 || errno == ECONNRESET { return false }
        throw RawHTTPError("recv failed: errno \(errno)")
    }

    /// True when the server has closed the connection (EOF or reset) with no further bytes.
    func readsEOF() throws -> Bool {
        if !buffer.isEmpty { return false }
        return try !fill()
    }

    /// Reads one response (Content-Length framed, which is all this server sends).
    func readResponse() throws -> RawHTTPResponse {
        let separator: [UInt8] = [13, 10, 13, 10]
        var headerEnd: Int?
        while headerEnd == nil {
            if buffer.count >= 4 {
                for index in 0...(buffer.count - 4) where Array(buffer[index..<(index + 4)]) == separator {
                    headerEnd = index
                    break
                }
            }
            if headerEnd == nil, try !fill() { throw RawHTTPError("EOF before response head") }
        }
        let end = headerEnd ?? 0
        let headText = String(decoding: buffer[0..<end], as: UTF8.self)
        buffer.removeFirst(end + 4)
        var lines = headText.split(separator: "\r\n", omittingEmptySubsequences: false).map(String.init)
        let statusLine = lines.removeFirst().split(separator: " ", maxSplits: 2).map(String.init)
        guard statusLine.count >= 2, let status = Int(statusLine[1]) else {
            throw RawHTTPError("bad status line \(statusLine)")
        }
        var headers: [(name: String, value: String)] = []
        for line in lines {
            guard let colon = line.firstIndex(of: ":") else { continue }
            let name = line[..<colon].lowercased()
            let value = line[line.index(after: colon)...].drop(while: { $0 == " " })
            headers.append((name, String(value)))
        }
        var response = RawHTTPResponse(version: statusLine[0], status: status, headers: headers, body: [])
        if status == 100 { return response }
        let length = response.header("content-length").flatMap { Int($0) } ?? 0
        while buffer.count < length {
            if try !fill() { throw RawHTTPError("EOF in response body") }
        }
        response.body = Array(buffer[0..<length])
        buffer.removeFirst(length)
        return response
    }

    /// Sends one POST and reads its response.
    func post(_ body: String, contentType: String? = "application/json", extraHeaders: String = "") throws -> RawHTTPResponse {
        var request = "POST / HTTP/1.1\r\nHost: localhost\r\nContent-Length: \(body.utf8.count)\r\n"
        if let contentType { request += "Content-Type: \(contentType)\r\n" }
        request += extraHeaders + "\r\n" + body
        try send(request)
        return try readResponse()
    }
}

/// Counts handler calls across event-loop threads.
final class CallCounter: @unchecked Sendable {
    private let lock = NSLock()
    private var count = 0
    func increment() { lock.withLock { count += 1 } }
    var value: Int { lock.withLock { count } }
}

/// Starts a server on a free loopback port, runs `body`, stops the server.
func withServer(maxBodyBytes: Int = 1024 * 1024,
                handler: @escaping @Sendable ([UInt8]) -> [UInt8]? = { $0 },
                _ body: (Int) throws -> Void) throws {
    let server = RPCHTTPServer(configuration: RPCHTTPConfiguration(host: "127.0.0.1", port: 0, maxBodyBytes: maxBodyBytes),
                               handler: handler)
    let port = try server.start()
    defer { try? server.stop() }
    try body(port)
}
