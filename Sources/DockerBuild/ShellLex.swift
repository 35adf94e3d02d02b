// Variable substitution and word splitting for Dockerfile instruction arguments.
//
// This file holds the public surface. It follows BuildKit's `frontend/dockerfile/shell/lex.go`
// (moby/buildkit), with `RawQuotes`, `RawEscapes`, `SkipProcessQuotes` and `SkipUnsetEnv` all
// left at their defaults (off). Those are the settings the Dockerfile builder uses to expand
// ADD, COPY, ENV, EXPOSE, FROM, LABEL, STOPSIGNAL, USER, VOLUME and WORKDIR arguments.
// The scanner lives in ShellLex+Processor.swift, the `#`/`%`/`/` pattern matcher in
// ShellLex+Pattern.swift, and the Go-compatible character classes in ShellLex+GoText.swift.

/// BuildKit's shell lexer: expands `$VAR` references and removes quotes and escapes from one
/// Dockerfile word, or splits a text into words.
///
/// Like lex.go, it works on Unicode scalars (Go runes), not on grapheme clusters. So a combining
/// mark after a quote or a `$NAME` is handled as a separate character.
public struct ShellLex: Sendable {
    /// The escape character: `\` by default, or `` ` `` after a `# escape=`` ` `` directive.
    public let escape: Character

    /// The escape character as the single scalar the scanner compares against.
    let escapeToken: Unicode.Scalar

    /// Creates a lexer that uses `escape` as its escape character (lex.go `NewLex(escapeToken)`).
    ///
    /// - Precondition: `escape` is a single Unicode scalar (the parser only allows `\` and `` ` ``).
    public init(escape: Character = "\\") {
        let scalars = escape.unicodeScalars
        precondition(scalars.count == 1, "the escape character must be a single Unicode scalar")
        self.escape = escape
        // The precondition guarantees a first scalar; the fallback only keeps this free of `!`.
        self.escapeToken = scalars.first ?? "\\"
    }

    /// Expands one word as BuildKit does for a Dockerfile instruction argument
    /// (lex.go `ProcessWordWithMatches`).
    ///
    /// The rules, all from lex.go:
    /// - Single quotes keep everything literally up to the next `'`. An escape cannot end them.
    /// - Double quotes keep everything literally except `$` expansions. The escape character
    ///   escapes only `"`, `$` and itself there; before any other character it stays as text.
    /// - Outside quotes the escape character makes the next character literal. A trailing
    ///   escape at the end of the word is dropped.
    /// - `$NAME`, `${NAME}`, `${NAME:-word}`, `${NAME-word}`, `${NAME:+word}`, `${NAME+word}`,
    ///   `${NAME:?message}`, `${NAME?message}`, `${NAME#pattern}`, `${NAME##pattern}`,
    ///   `${NAME%pattern}`, `${NAME%%pattern}`, `${NAME/pattern/replacement}` and
    ///   `${NAME//pattern/replacement}`. A pattern may use `?` and `*`, and `\*`, `\?`, `\\` escape them.
    /// - Positional parameters (`$1`, `${001}`) and special parameters (`$@ $* $# $? $- $$ $! $0`)
    ///   are looked up like any other name, so they are normally unset and expand to "".
    /// - A `$` that no name follows (`$.`, a final `$`) stays literal.
    ///
    /// Env lookup: on Linux names must match exactly, scalar by scalar (equal_env_unix.go). With
    /// `windows: true` they match case-insensitively (equal_env_windows.go, `strings.EqualFold`).
    /// When several entries match, the last one wins.
    ///
    /// - Parameters:
    ///   - word: the argument text after the Dockerfile parser has removed line continuations.
    ///   - env: the variables in scope, in declaration order.
    ///   - windows: compare names as a Windows builder does.
    /// - Returns: the expanded text and the names the word referenced, split into set and unset.
    /// - Throws: `ShellLexError` with BuildKit's message, wrapped as `failed to process "<word>": …`.
    public func processWord(
        _ word: String, env: [(String, String)], windows: Bool = false
    ) throws(ShellLexError) -> ProcessedWord {
        let outcome = try run(word, env: env, windows: windows)
        return ProcessedWord(result: outcome.result, matched: outcome.matched, unmatched: outcome.unmatched)
    }

    /// Splits `text` into words and expands each one (lex.go `ProcessWords`).
    ///
    /// The text is split on white space after expansion, so an unquoted `$VAR` whose value holds
    /// spaces gives several words. Quoted text and escaped characters never split. Empty words
    /// are dropped, so `""` alone gives no word at all.
    ///
    /// - Throws: the same errors as `processWord(_:env:windows:)`.
    public func processWords(
        _ text: String, env: [(String, String)], windows: Bool = false
    ) throws(ShellLexError) -> [String] {
        try run(text, env: env, windows: windows).words
    }

    /// Runs the scanner over `source`. Every error is wrapped as lex.go's `process` does:
    /// `failed to process %q: <cause>`.
    private func run(
        _ source: String, env: [(String, String)], windows: Bool
    ) throws(ShellLexError) -> Processor.Outcome {
        var processor = Processor(
            source: source, escapeToken: escapeToken,
            environment: Environment(entries: env, windows: windows)
        )
        do throws(ShellLexError) {
            return try processor.processAll()
        } catch {
            throw ShellLexError(message: "failed to process \(GoText.quote(source)): \(error.message)")
        }
    }
}

/// The outcome of expanding one word (lex.go `ProcessWordResult`, without its word list).
public struct ProcessedWord: Equatable, Sendable {
    /// The expanded word, with quotes and escapes removed.
    public var result: String
    /// Names that were referenced and found in the env, as written in the word, once each, in order
    /// of first lookup. lex.go expands a modifier's word before it looks up the name that owns it,
    /// so `${A:-$B}` looks up `B` first. BuildKit keeps these to know which build args a step used.
    public var matched: [String]
    /// Names that were referenced but are unset, in the same order as `matched`. Positional and
    /// special parameters (`1`, `@`) appear here too. BuildKit's "undefined variable" lint reads these.
    public var unmatched: [String]

    /// Creates a result; the lexer builds these, and tests build expected ones.
    public init(result: String, matched: [String] = [], unmatched: [String] = []) {
        self.result = result
        self.matched = matched
        self.unmatched = unmatched
    }
}

/// A failed expansion, with BuildKit's message, for example
/// `failed to process "${": syntax error: missing '}'`.
public struct ShellLexError: Error, Equatable, Sendable {
    /// The full message, as BuildKit would print it.
    public var message: String

    /// Creates an error carrying `message`.
    public init(message: String) {
        self.message = message
    }
}
