// A tiny blocking client over a raw loopback socket, so the tests control exactly which bytes
// reach the server and when (split frames, bad sizes, abrupt disconnects), and see exactly
// what it writes back (size prefixes, order, EOF).

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation
import KafkaTCP
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

struct RawKafkaError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

/// `payload` with Kafka's int32 big-endian size in front.
func framed(_ payload: [UInt8]) -> [UInt8] {
    sizePrefix(Int32(payload.count)) + payload
}

/// An int32 big-endian size field, possibly a lying one.
func sizePrefix(_ size: Int32) -> [UInt8] {
    withUnsafeBytes(of: size.bigEndian) { Array($0) }
}

/// A payload carrying `index` as a big-endian UInt32, then `filler` bytes.
func indexed(_ index: Int, filler: Int = 0) -> [UInt8] {
    withUnsafeBytes(of: UInt32(truncatingIfNeeded: index).bigEndian) { Array($0) } + [UInt8](repeating: 0x61, count: filler)
}

/// The index `indexed` put at the front of a payload.
func index(of payload: [UInt8]) -> Int? {
    guard payload.count >= 4 else { return nil }
    return Int(payload[0]) << 24 | Int(payload[1]) << 16 | Int(payload[2]) << 8 | Int(payload[3])
}

final class RawKafkaClient {
    private var fd: Int32
    private var buffer: [UInt8] = []
    private var start = 0

    init(port: Int, timeoutSeconds: Int = 10) throws {
        #if canImport(Glibc)
        fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        #else
        fd = socket(AF_INET, SOCK_STREAM, 0)
        #endif
        guard fd >= 0 else { throw RawKafkaError("socket failed") }
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
            throw RawKafkaError("connect failed: errno \(errno)")
        }
    }

    deinit { if fd >= 0 { close(fd) } }

    func send(_ bytes: [UInt8]) throws {
        var offset = 0
        while offset < bytes.count {
            let n = bytes[offset...].withUnsafeBytes { raw in
                systemSend(fd, raw.baseAddress, raw.count)
            }
            guard n > 0 else { throw RawKafkaError("send failed: errno \(errno)") }
            offset += n
        }
    }

    /// Sends one request frame (size prefix added).
    func sendFrame(_ payload: [UInt8]) throws { try send(framed(payload)) }

    /// Closes the socket at once (an abrupt disconnect).
    func disconnect() {
        if fd >= 0 { close(fd) }
        fd = -1
    }

    /// Reads more bytes; false on EOF or reset.
    private func fill() throws -> Bool {
        if start > 0 && start == buffer.count {
            buffer.removeAll(keepingCapacity: true)
            start = 0
        }
        var chunk = [UInt8](repeating: 0, count: 65536)
        let n = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
        if n > 0 {
            buffer.append(contentsOf: chunk[0..<n])
            return true
        }
        if n == 0 || errno == ECONNRESET { return false }
        throw RawKafkaError("recv failed: errno \(errno)")
    }

    /// Reads one response frame (without its size); nil on EOF at a frame boundary.
    func readFrame() throws -> [UInt8]? {
        while buffer.count - start < 4 {
            if try !fill() {
                if buffer.count == start { return nil }
                throw RawKafkaError("EOF inside a size prefix")
            }
        }
        let size = Int(Int32(bitPattern: UInt32(buffer[start]) << 24 | UInt32(buffer[start + 1]) << 16
                              | UInt32(buffer[start + 2]) << 8 | UInt32(buffer[start + 3])))
        guard size >= 0 else { throw RawKafkaError("negative response size \(size)") }
        while buffer.count - start < 4 + size {
            if try !fill() { throw RawKafkaError("EOF inside a response of \(size) bytes") }
        }
        let frame = Array(buffer[(start + 4)..<(start + 4 + size)])
        start += 4 + size
        if start > 1 << 20 {
            buffer.removeFirst(start)
            start = 0
        }
        return frame
    }

    /// Reads one response frame, failing on EOF.
    func expectFrame() throws -> [UInt8] {
        guard let frame = try readFrame() else { throw RawKafkaError("EOF, expected a response") }
        return frame
    }

    /// True when the server has closed the connection (EOF or reset) with no further bytes.
    func readsEOF() throws -> Bool {
        if buffer.count > start { return false }
        return try !fill()
    }
}

/// A value shared between the tests' threads and the server's event loops.
final class Locked<Value>: @unchecked Sendable {
    private let lock = NSLock()
    private var value: Value
    init(_ value: Value) { self.value = value }
    func withLock<Result>(_ body: (inout Value) -> Result) -> Result {
        lock.withLock { body(&value) }
    }
    var current: Value { withLock { $0 } }
}

/// A handler whose answer is a closure, and which records what it saw.
final class TestHandler: KafkaFrameHandler {
    struct Log {
        var received: [(frame: [UInt8], ticket: RequestTicket)] = []
        var opened: [(ConnectionID, String)] = []
        var closed: [ConnectionID] = []
    }

    let log = Locked(Log())
    private let answer: @Sendable ([UInt8], RequestTicket) -> FrameDisposition

    init(_ answer: @escaping @Sendable ([UInt8], RequestTicket) -> FrameDisposition = { frame, _ in .respond(frame) }) {
        self.answer = answer
    }

    func received(_ frame: [UInt8], ticket: RequestTicket) -> FrameDisposition {
        log.withLock { $0.received.append((frame, ticket)) }
        return answer(frame, ticket)
    }

    func connectionOpened(_ id: ConnectionID, remote: String) {
        log.withLock { $0.opened.append((id, remote)) }
    }

    func connectionClosed(_ id: ConnectionID) {
        log.withLock { $0.closed.append(id) }
    }

    var receivedCount: Int { log.withLock { $0.received.count } }
    var closedCount: Int { log.withLock { $0.closed.count } }
}

/// Polls `condition` until it holds or `seconds` pass.
func eventually(seconds: Double = 10, _ condition: () -> Bool) -> Bool {
    let deadline = Date().addingTimeInterval(seconds)
    while Date() < deadline {
        if condition() { return true }
        usleep(1000)
    }
    return condition()
}

/// Starts a server on a free loopback port, runs `body`, stops the server.
func withServer(maxFrameBytes: Int = 1024 * 1024,
                handler: TestHandler = TestHandler(),
                _ body: (KafkaTCPServer, Int) throws -> Void) throws {
    let server = KafkaTCPServer(configuration: KafkaTCPConfiguration(host: "127.0.0.1", port: 0, maxFrameBytes: maxFrameBytes),
                                handler: handler)
    let port = try server.start()
    defer { try? server.stop() }
    try body(server, port)
}
