#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Reads lines from a file descriptor (a pipe or a file) with `read(2)` into its own
/// buffer. Never prints a prompt. Handles `\n` and `\r\n` line ends, a last line without
/// a newline, and invalid UTF-8 (decoded with U+FFFD replacement characters).
/// Do not read the same descriptor with `Swift.readLine()` or libedit as well.
public final class PlainLineReader: LineReader {
    private let fd: Int32
    private var buffer: [UInt8] = []
    private var start = 0          // first unconsumed byte in `buffer`
    private var atEOF = false

    public init(fileDescriptor: Int32 = 0) { self.fd = fileDescriptor }

    public func readLine(prompt: String) -> LineReadResult {
        while true {
            if let nl = buffer[start...].firstIndex(of: UInt8(ascii: "\n")) {
                let line = Self.decode(buffer[start..<nl])
                start = nl + 1
                compactIfNeeded()
                return .line(line)
            }
            if atEOF {
                guard start < buffer.count else { return .endOfInput }
                let line = Self.decode(buffer[start...])   // last line without a newline
                buffer.removeAll(keepingCapacity: false)
                start = 0
                return .line(line)
            }
            fill()
        }
    }

    /// No history for non-interactive input.
    public func addHistory(_ line: String) {}

    private func fill() {
        var chunk = [UInt8](repeating: 0, count: 64 * 1024)
        while true {
            let n = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if n > 0 { buffer.append(contentsOf: chunk[0..<n]); return }
            if n == 0 { atEOF = true; return }
            if errno == EINTR { continue }
            atEOF = true                       // EBADF, EIO, ...: treat as end of input
            return
        }
    }

    private func compactIfNeeded() {
        if start == buffer.count { buffer.removeAll(keepingCapacity: true); start = 0 }
        else if start > 64 * 1024 { buffer.removeFirst(start); start = 0 }
    }

    private static func decode(_ bytes: ArraySlice<UInt8>) -> String {
        var slice = bytes
        if slice.last == UInt8(ascii: "\r") { slice = slice.dropLast() }
        return String(decoding: slice, as: UTF8.self)
    }
}
