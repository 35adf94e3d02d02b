// Readers for BuildKit's shell test tables (testdata/shell, copied from moby/buildkit
// frontend/dockerfile/shell at commit 73ed6825c4b7569379ef89df0aedcdbe64473d31). They split the files
// exactly as lex_test.go does, so that no row is added, dropped or re-trimmed along the way.

import DockerBuild
import Foundation
import Testing

enum ShellLexTables {
    /// The folder holding the copied tables, found next to this source file.
    static let folder = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent()
        .appendingPathComponent("testdata/shell")

    /// The env lex_test.go's TestShellParser4EnvVars passes for every envVarTest row.
    static let envVarTestEnv: [(String, String)] = [
        ("PWD", "/home"), ("SHELL", "bash"), ("KOREAN", "한국어"), ("NULL", ""),
    ]

    /// A file's lines as Go's bufio.Scanner yields them: split on "\n", a trailing "\r" dropped,
    /// and no empty last line after a final newline. Splitting works on scalars, because Swift
    /// treats "\r\n" as one Character.
    static func lines(of name: String) -> [String] {
        guard let text = try? String(contentsOf: folder.appendingPathComponent(name), encoding: .utf8) else {
            return []
        }
        var lines: [String] = []
        var current = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            if scalar == "\n" {
                if current.last == "\r" { current.removeLast() }
                lines.append(String(current))
                current = String.UnicodeScalarView()
            } else {
                current.append(scalar)
            }
        }
        if !current.isEmpty { lines.append(String(current)) }
        return lines
    }

    /// Go's `strings.TrimSpace`: drops Unicode white space at both ends.
    static func trimSpace(_ text: String) -> String {
        var scalars = Substring(text).unicodeScalars
        while let first = scalars.first, first.properties.isWhitespace { scalars.removeFirst() }
        while let last = scalars.last, last.properties.isWhitespace { scalars.removeLast() }
        return String(scalars)
    }

    /// Go's `strings.TrimLeft(s, " ")`: drops leading spaces only.
    static func trimLeadingSpaces(_ text: String) -> String {
        String(text.unicodeScalars.drop(while: { $0 == " " }))
    }

    /// Go's `strings.Split(s, sep)` for a one-scalar separator: keeps empty fields.
    static func split(_ text: String, on separator: Unicode.Scalar) -> [String] {
        var fields: [String] = []
        var current = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            if scalar == separator {
                fields.append(String(current))
                current = String.UnicodeScalarView()
            } else {
                current.append(scalar)
            }
        }
        fields.append(String(current))
        return fields
    }

    /// lex.go's `BuildEnvs` for one `k=v` string: split at the first `=`; no `=` means value "".
    static func envEntry(_ text: String) -> (String, String) {
        let scalars = Array(text.unicodeScalars)
        guard let equals = scalars.firstIndex(of: "=") else { return (text, "") }
        return (
            String(String.UnicodeScalarView(scalars[..<equals])),
            String(String.UnicodeScalarView(scalars[(equals + 1)...]))
        )
    }
}

/// One envVarTest row: `PLATFORM|input|expected`.
struct ShellLexEnvVarRow: Sendable, CustomTestStringConvertible {
    /// `A` (all), `U` (Unix) or `W` (Windows).
    let platform: String
    let source: String
    /// The expected expansion, or nil where the table says `error`.
    let expected: String?
    /// The 1-based line number in envVarTest.
    let line: Int

    var testDescription: String { "line \(line) \(platform)|\(source)" }

    /// Whether lex_test.go runs this row on Linux (A and U rows) or on Windows (A and W rows).
    func runs(onWindows windows: Bool) -> Bool {
        platform == "A" || platform == (windows ? "W" : "U")
    }

    /// All rows, parsed like TestShellParser4EnvVars: lines starting with `#` are comments, blank
    /// lines are skipped, and each field is trimmed. A malformed line becomes a row with platform
    /// "?" so that a test fails on it instead of dropping it.
    static let all: [ShellLexEnvVarRow] = {
        var rows: [ShellLexEnvVarRow] = []
        for (offset, raw) in ShellLexTables.lines(of: "envVarTest").enumerated() {
            if raw.hasPrefix("#") { continue }
            let line = ShellLexTables.trimSpace(raw)
            if line.isEmpty { continue }
            let fields = ShellLexTables.split(line, on: "|")
            guard fields.count == 3 else {
                rows.append(ShellLexEnvVarRow(platform: "?", source: line, expected: nil, line: offset + 1))
                continue
            }
            let expected = ShellLexTables.trimSpace(fields[2])
            rows.append(ShellLexEnvVarRow(
                platform: ShellLexTables.trimSpace(fields[0]),
                source: ShellLexTables.trimSpace(fields[1]),
                expected: expected == "error" ? nil : expected,
                line: offset + 1))
        }
        return rows
    }()

    static let linux = all.filter { $0.runs(onWindows: false) }
    static let windows = all.filter { $0.runs(onWindows: true) }

    /// Runs the row as lex_test.go does (escape `\` on both platforms; only the name comparison
    /// differs) and returns nil when it passes, or a description of the failure.
    func failure(windows: Bool) -> String? {
        let lexer = ShellLex()
        do throws(ShellLexError) {
            let word = try lexer.processWord(source, env: ShellLexTables.envVarTestEnv, windows: windows)
            guard let expected else { return "expected an error, got \(String(reflecting: word.result))" }
            return word.result == expected ? nil : "expected \(String(reflecting: expected)), got \(String(reflecting: word.result))"
        } catch {
            guard expected == nil else { return "expected \(String(reflecting: expected)), got error \(error.message)" }
            // lex.go wraps every error as `failed to process %q: …`.
            let prefix = "failed to process \(shellLexGoQuoted(source)): "
            return error.message.unicodeScalars.starts(with: prefix.unicodeScalars) ? nil : "error without the lex.go prefix: \(error.message)"
        }
    }
}

/// One wordsTest row: `input | w1,w2`, with the env that the `ENV` lines above it set up.
struct ShellLexWordsRow: Sendable, CustomTestStringConvertible {
    let source: String
    /// The expected words; `["error"]` where processing must fail.
    let expected: [String]
    let env: [(String, String)]
    let line: Int

    var testDescription: String { "line \(line) \(source)" }

    /// All rows, parsed like TestShellParser4Words: `#` lines are comments, an `ENV k=v` line adds
    /// `k=v` (leading spaces trimmed, trailing spaces kept) to the env of the rows after it, the
    /// input is trimmed, and the expected side loses its leading spaces and splits on `,`.
    static let all: [ShellLexWordsRow] = {
        var rows: [ShellLexWordsRow] = []
        var env: [(String, String)] = []
        for (offset, line) in ShellLexTables.lines(of: "wordsTest").enumerated() {
            if line.hasPrefix("#") { continue }
            if line.hasPrefix("ENV ") {
                let entry = ShellLexTables.trimLeadingSpaces(String(line.unicodeScalars.dropFirst(3)))
                env.append(ShellLexTables.envEntry(entry))
                continue
            }
            let fields = ShellLexTables.split(line, on: "|")
            // A malformed line (lex_test.go calls t.Fatalf) becomes a row that cannot pass.
            let expected = fields.count == 2
                ? ShellLexTables.split(ShellLexTables.trimLeadingSpaces(fields[1]), on: ",")
                : ["<malformed line>"]
            rows.append(ShellLexWordsRow(
                source: ShellLexTables.trimSpace(fields[0]), expected: expected, env: env, line: offset + 1))
        }
        return rows
    }()

    /// Runs the row as lex_test.go's normal mode does; an error counts as the single word "error".
    func failure() -> String? {
        let words: [String]
        do {
            words = try ShellLex().processWords(source, env: env)
        } catch {
            words = ["error"]
        }
        return words == expected ? nil : "expected \(expected), got \(words)"
    }
}

/// Go's `%q` for the ASCII-and-Hangul inputs of these tables (the library's full version is internal).
func shellLexGoQuoted(_ text: String) -> String {
    var output = "\""
    for scalar in text.unicodeScalars {
        switch scalar {
        case "\"": output += "\\\""
        case "\\": output += "\\\\"
        case "\t": output += "\\t"
        case "\n": output += "\\n"
        default: output.unicodeScalars.append(scalar)
        }
    }
    return output + "\""
}
