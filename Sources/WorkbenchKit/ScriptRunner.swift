import Foundation

/// Runs a scenario: lines of the command language, one command a line, `#` comments and blank
/// lines allowed. The transcript echoes each command after the prompt, then its output; a
/// failure is reported as `FILE:LINE: message`.
public struct ScriptFailure: Equatable, Sendable {
    public var file: String
    public var line: Int
    public var message: String

    public var text: String { "\(file):\(line): \(message)" }
}

public struct ScriptResult {
    public var transcript: String
    public var failures: [ScriptFailure]
    public var commandsRun: Int
    public var succeeded: Bool { failures.isEmpty }
}

public enum ScriptRunner {
    /// Runs `text` in `session`. Stops at the first failure unless `keepGoing`.
    /// With `echo` false only failures are written (`--quiet`).
    public static func run(_ text: String, file: String, in session: Session, keepGoing: Bool = false, echo: Bool = true,
                           emit: ((_ chunk: String, _ isFailure: Bool) -> Void)? = nil) -> ScriptResult {
        var lines: [String] = []
        var failures: [ScriptFailure] = []
        var count = 0
        for (index, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = raw.hasSuffix("\r") ? String(raw.dropLast()) : String(raw)
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if trimmed.isEmpty || trimmed.hasPrefix("#") { continue }
            let prompt = session.prompt
            let result = session.execute(trimmed)
            count += 1
            if echo {
                lines.append(prompt + trimmed)
                emit?(prompt + trimmed, false)
            }
            if let error = result.error {
                let failure = ScriptFailure(file: file, line: index + 1, message: error.message)
                failures.append(failure)
                lines.append(failure.text)
                emit?(failure.text, true)
                if !keepGoing { break }
            } else if echo, !result.text.isEmpty {
                lines.append(result.text)
                emit?(result.text, false)
            }
            if session.quitRequested { break }
        }
        return ScriptResult(transcript: lines.joined(separator: "\n"), failures: failures, commandsRun: count)
    }
}
