/// Every error a learner can cause. Each renders as one line in the form
/// `error: <what failed> — <why> (<how to fix>)`; `usage` adds the command's usage line.
public enum WorkbenchError: Error, Equatable, Sendable {
    case unterminatedQuote(quote: Character, column: Int)
    case danglingEscape(column: Int)
    case unknownCommand(String, suggestions: [String])
    /// The words do not fit the command's declaration (arity, type, unknown flag).
    case usage(command: String, problem: String, usage: String)
    /// A command ran and its rule refused: names the rule, and how to fix.
    case failed(what: String, why: String, fix: String?)
    /// An `expect` did not hold.
    case expectation(statement: String, found: String)
    /// A file could not be read, written or understood.
    case file(path: String, problem: String)
    /// A sourced scenario stopped: what it printed so far, then the failing line.
    case script(transcript: String, failure: String)

    public var message: String {
        switch self {
        case let .unterminatedQuote(quote, column):
            return "error: cannot parse line — unterminated \(quote) quote starting at column \(column) (close the quote, or escape it with \\)"
        case let .danglingEscape(column):
            return "error: cannot parse line — backslash at column \(column) escapes nothing (remove it, or write \\\\ for a backslash)"
        case let .unknownCommand(word, suggestions):
            let hint = suggestions.isEmpty ? "type `help` for the list of commands"
                : "did you mean " + suggestions.map { "`\($0)`" }.joined(separator: " or ") + "?"
            return "error: unknown command `\(word)` (\(hint))"
        case let .usage(command, problem, usage):
            return "error: \(command) — \(problem) (usage: \(usage))"
        case let .failed(what, why, fix):
            return "error: \(what) — \(why)" + (fix.map { " (\($0))" } ?? "")
        case let .expectation(statement, found):
            return "expected \(statement), found \(found)"
        case let .file(path, problem):
            return "error: \(path) — \(problem)"
        case let .script(transcript, failure):
            return transcript.isEmpty ? failure : transcript + "\n" + failure
        }
    }
}
