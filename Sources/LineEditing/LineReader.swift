#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// The outcome of one `LineReader.readLine(prompt:)` call.
public enum LineReadResult: Equatable, Sendable {
    /// A complete line, without its terminating newline (and without a trailing `\r`).
    case line(String)
    /// The user pressed Ctrl-C: the partial line was discarded. Keep reading.
    case interrupted
    /// End of input (Ctrl-D on an empty line, end of file, closed pipe). Stop reading.
    case endOfInput
}

/// One source of input lines for the REPL. Use `EditLineReader` for a terminal,
/// `PlainLineReader` for pipes/files, and `ArrayLineReader` in tests.
/// Never mix two readers (or `Swift.readLine()`) on the same file descriptor:
/// each keeps its own read-ahead buffer.
public protocol LineReader: AnyObject {
    /// Reads one line. `prompt` is ignored by non-interactive readers.
    func readLine(prompt: String) -> LineReadResult
    /// Records a line in history (no-op for non-interactive readers).
    func addHistory(_ line: String)
}

/// Completion: given the full line text BEFORE the cursor, return candidate replacements
/// for the last word (the word being completed: the text after the last unquoted space;
/// see `Completion.currentWord(in:)`). The reader inserts the longest common prefix,
/// a trailing space when there is exactly one candidate, and lists candidates on a
/// second Tab.
public typealias Completer = (_ lineBeforeCursor: String) -> [String]

/// Whether the standard streams are attached to a terminal.
public enum Terminal {
    public static var stdinIsTerminal: Bool { isatty(STDIN_FILENO) == 1 }
    public static var stdoutIsTerminal: Bool { isatty(STDOUT_FILENO) == 1 }
}
