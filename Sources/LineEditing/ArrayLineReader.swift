/// A reader over a fixed list of lines, for tests. Returns `.endOfInput` when exhausted.
public final class ArrayLineReader: LineReader {
    private let lines: [String]
    private var index = 0
    /// Lines passed to `addHistory(_:)`, in order (so tests can assert on them).
    public private(set) var recordedHistory: [String] = []

    public init(_ lines: [String]) { self.lines = lines }

    public func readLine(prompt: String) -> LineReadResult {
        guard index < lines.count else { return .endOfInput }
        defer { index += 1 }
        return .line(lines[index])
    }

    public func addHistory(_ line: String) { recordedHistory.append(line) }
}
