import CEditLine
import Synchronization
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// Process-wide state that libedit's C callbacks need. libedit's readline API keeps ONE
/// editor, ONE history list and ONE completion callback per process, so only one
/// `EditLineReader` is meaningfully active at a time (the most recently created one).
/// The callbacks run synchronously on the thread that is inside `readline()`.
private enum EditLineGlobals {
    /// Written by `EditLineReader.init`, read inside the completion callback (same thread).
    nonisolated(unsafe) static var completer: Completer?
    /// Set by the SIGINT handler (async-signal-safe: a lock-free atomic store).
    static let interrupted = Atomic<Bool>(false)
    /// Stable C strings handed to libedit (must outlive every `readline()` call).
    nonisolated(unsafe) static let wordBreakCharacters: UnsafeMutablePointer<CChar> = strdup(" \t\n")!
    nonisolated(unsafe) static var readlineName: UnsafeMutablePointer<CChar>?
    /// Lines longer than this are completed from libedit's word only (see `lineBeforeCursor`).
    static let maxLineBufferBytes = 900
}

/// `rl_completion_func_t`: returns a malloc'ed, NULL-terminated array that libedit frees:
/// [0] = the substitution (longest common prefix or the single match), [1...] = candidates.
private func editLineComplete(_ text: UnsafePointer<CChar>?, _ start: Int32, _ end: Int32)
    -> UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?
{
    rlw_set_completion_over(1)                       // never fall back to filename completion
    guard let completer = EditLineGlobals.completer else { return nil }
    let segment = text.map { decodeCString($0) } ?? ""
    let before = lineBeforeCursor(segment: segment) ?? segment
    let word = Completion.currentWord(in: before)
    let matches = Completion.adapt(completer(before), word: word, segment: segment)
    guard !matches.isEmpty else { return nil }

    var substitution = Completion.longestCommonPrefix(matches)
    if !substitution.hasPrefix(segment) { substitution = segment }   // never delete typed text
    if matches.count == 1 { substitution = matches[0] }
    // Always [substitution, candidate1, ..., NULL], even for ONE candidate: libedit
    // 20221030 decides "single match" with `matches[2] == NULL && strcmp(matches[0],
    // matches[1]) == 0`, so the GNU-style [match, NULL] makes it read past the array
    // (and then usually not append the trailing space).
    let count = matches.count + 1
    guard let raw = malloc((count + 1) * MemoryLayout<UnsafeMutablePointer<CChar>?>.stride) else { return nil }
    let array = raw.bindMemory(to: UnsafeMutablePointer<CChar>?.self, capacity: count + 1)
    array[0] = strdup(substitution)
    for (i, m) in matches.enumerated() { array[i + 1] = strdup(m) }
    array[count] = nil
    return array
}

/// The whole edit line up to the cursor, from `rl_line_buffer` / `rl_point` (libedit
/// refreshes both just before calling the completion function). Returns nil when the
/// buffer looks inconsistent; the caller then falls back to libedit's current word.
private func lineBeforeCursor(segment: String) -> String? {
    guard let buffer = rlw_line_buffer() else { return nil }
    let point = Int(rlw_point()), end = Int(rlw_end())
    // libedit's legacy (narrow) line buffer can move for very long lines without
    // rl_line_buffer being refreshed; stay within the first, never-reallocated block.
    guard point >= 0, point <= end, end <= EditLineGlobals.maxLineBufferBytes,
          strnlen(buffer, end + 1) == end else { return nil }
    let bytes = UnsafeRawBufferPointer(start: buffer, count: point)
    let before = String(decoding: bytes, as: UTF8.self)
    return before.hasSuffix(segment) ? before : nil
}

private func decodeCString(_ p: UnsafePointer<CChar>) -> String {
    String(decoding: UnsafeRawBufferPointer(start: p, count: strlen(p)), as: UTF8.self)
}

/// A line reader for an interactive terminal, built on libedit's readline-compatible API:
/// emacs-style editing, Up/Down history, Ctrl-R search, Tab completion, `~/.editrc`.
///
/// - Ctrl-C cancels the current line and returns `.interrupted` (a SIGINT handler is
///   installed by `init` and the previous one restored by `deinit`). Ctrl-C while NOT
///   inside `readLine` does not stop the process either; it is simply ignored.
/// - Ctrl-D on an empty line returns `.endOfInput`. In both cases the reader moves the
///   cursor to a new line.
/// - History is loaded from `historyPath` and re-written after every `addHistory` call
///   (so a crash loses nothing). Its parent directory is created if missing; write
///   failures are ignored. Empty lines and repeats of the previous entry are not recorded.
///   The file is libedit's format (`_HiStOrY_V2_` + vis(3)-encoded lines).
/// - Coloured prompts: wrap every non-printing sequence (ANSI escapes) in `\u{1}…\u{2}`,
///   e.g. `EditLineReader.invisible("\u{1B}[32m") + "demo" + EditLineReader.invisible("\u{1B}[0m") + "> "`,
///   or the cursor drifts because libedit counts the escape bytes as visible columns.
/// - Only one completer is active per process (libedit keeps it in a C global): the
///   most recently created reader's. Use one `EditLineReader` per process, on one thread.
public final class EditLineReader: LineReader {
    private let historyPath: String?
    private var lastAdded: String?
    private var previousSigint = sigaction()

    public init(appName: String, historyPath: String?, historyLimit: Int = 1000,
                completer: @escaping Completer) {
        self.historyPath = historyPath
        setlocale(LC_CTYPE, "")                       // without it non-ASCII input is dropped

        // rl_readline_name must be set before libedit initialises (it selects ~/.editrc sections).
        free(EditLineGlobals.readlineName)
        EditLineGlobals.readlineName = strdup(appName)
        rlw_set_name(EditLineGlobals.readlineName)
        EditLineGlobals.completer = completer
        rlw_set_completer(editLineComplete)
        rlw_set_word_break_characters(EditLineGlobals.wordBreakCharacters)
        rlw_set_completion_append_character(Int32(UInt8(ascii: " ")))

        using_history()                               // initialises libedit
        clear_history()
        stifle_history(Int32(clamping: max(historyLimit, 1)))
        if let historyPath { _ = read_history(historyPath) }   // missing file: error ignored

        var action = sigaction()
        action.__sigaction_handler.sa_handler = { _ in
            EditLineGlobals.interrupted.store(true, ordering: .relaxed)
        }
        sigemptyset(&action.sa_mask)
        action.sa_flags = 0                           // no SA_RESTART: read(2) must return EINTR
        _ = sigaction(SIGINT, &action, &previousSigint)
    }

    deinit {
        _ = sigaction(SIGINT, &previousSigint, nil)
    }

    /// Wraps a non-printing sequence (e.g. an ANSI colour escape) so libedit does not count
    /// it towards the prompt's width: `"\u{1}" + s + "\u{2}"`.
    public static func invisible(_ s: String) -> String { "\u{1}" + s + "\u{2}" }

    /// True once per Ctrl-C pressed while a command runs (outside `readLine`), so long work
    /// can stop between slices; reading it clears it.
    public static func consumeInterrupt() -> Bool {
        EditLineGlobals.interrupted.exchange(false, ordering: .relaxed)
    }

    public func readLine(prompt: String) -> LineReadResult {
        EditLineGlobals.interrupted.store(false, ordering: .relaxed)
        guard let cLine = readline(prompt) else {
            let wasInterrupted = EditLineGlobals.interrupted.exchange(false, ordering: .relaxed)
            writeOut(wasInterrupted ? "^C\n" : "\n")
            return wasInterrupted ? .interrupted : .endOfInput
        }
        defer { free(cLine) }
        return .line(decodeCString(cLine))
    }

    public func addHistory(_ line: String) {
        guard !line.allSatisfy(\.isWhitespace), line != lastAdded else { return }
        lastAdded = line
        _ = add_history(line)
        guard let historyPath else { return }
        Self.prepareHistoryFile(historyPath)
        _ = write_history(historyPath)                // failures ignored on purpose
    }

    /// `mkdir -p` of the parent folder, and create the file with mode 0600 if missing.
    private static func prepareHistoryFile(_ path: String) {
        var components = path.split(separator: "/", omittingEmptySubsequences: false)
        components.removeLast()
        var current = path.hasPrefix("/") ? "" : "."
        for component in components where !component.isEmpty {
            current += "/" + component
            _ = mkdir(current, 0o755)                 // EEXIST and other errors ignored
        }
        let fd = open(path, O_WRONLY | O_CREAT, 0o600)
        if fd >= 0 { close(fd) }
    }

    private func writeOut(_ s: String) {
        fflush(nil)                                   // libedit and print() share stdout's FILE*
        var bytes = Array(s.utf8)
        _ = bytes.withUnsafeMutableBytes { write(STDOUT_FILENO, $0.baseAddress, $0.count) }
    }
}
