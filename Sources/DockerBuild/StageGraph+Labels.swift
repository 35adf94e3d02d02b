// BuildKit's progress-label text (convert.go `prefixCommand`, `uppercaseCmd`, `processCmdEnv`,
// `summarizeHeredoc`), described in docker-ecs.md §2 "BuildKit progress labels".

enum ProgressLabel {
    /// `[<stage> <i>/<n>] ` with `i` right-aligned to the width of `n` (`prefixCommand`), plus
    /// `ONBUILD ` for a trigger. With no counted step (`n == 0`) there is no prefix at all.
    static func prefix(stageName: String, index: Int, total: Int, onbuild: Bool) -> String {
        guard total > 0 else { return "" }
        var out = "["
        if !stageName.isEmpty { out += stageName + " " }
        let digits = String(index)
        let width = String(total).count
        out += String(repeating: " ", count: max(0, width - digits.count)) + digits + "/\(total)] "
        if onbuild { out += "ONBUILD " }
        return out
    }

    /// `uppercaseCmd`: the text up to the first space is upper-cased (`run` -> `RUN`).
    static func uppercaseCommand(_ text: String) -> String {
        guard let space = text.firstIndex(of: " ") else { return text.goUppercased }
        return String(text[..<space]).goUppercased + String(text[space...])
    }

    /// `summarizeHeredoc`: the first non-blank line of the body, with `...` when more follow.
    static func heredocSummary(_ body: String) -> String {
        let trimmed = body.goTrimmingSpace.replacingEvery("\r\n", with: "\n")
        let lines = trimmed.split(separator: "\n", omittingEmptySubsequences: false)
        var summary = lines.first.map(String.init) ?? ""
        if lines.count > 1 { summary += "..." }
        return summary
    }

    /// COPY, ADD and WORKDIR labels: the whole instruction text run through the default lexer
    /// (quotes removed, unset variables empty); on a lexer error the text is kept (`processCmdEnv`).
    static func expandPlain(_ text: String, env: [(String, String)], lex: ShellLex) -> String {
        (try? lex.processWord(text, env: env).result) ?? text
    }

    /// RUN labels: the lexer with `RawQuotes` and `SkipUnsetEnv` on (`dispatchRun`): quotes stay,
    /// an unset `$NAME`/`${NAME}` stays as written, escapes outside quotes are still removed.
    ///
    /// The module's `ShellLex` has no raw modes, so the scan is done here. A `${NAME<op>...}`
    /// whose NAME is set is evaluated by `ShellLex` (same modifier rules); when NAME is unset the
    /// whole reference is kept as written (BuildKit would expand variables inside its word).
    /// On a lexer error the text is kept, as `processCmdEnv` does.
    static func expandRaw(_ text: String, env: [(String, String)], lex: ShellLex) -> String {
        var scanner = RawLabelScanner(source: text.scalars, escape: lex.escapeToken, env: env, lex: lex)
        return (try? scanner.run()) ?? text
    }
}

/// A failed raw scan; `expandRaw` falls back to the original text.
private struct RawScanError: Error {}

private struct RawLabelScanner {
    let source: Scalars
    let escape: Unicode.Scalar
    let env: [(String, String)]
    let lex: ShellLex
    var position = 0

    init(source: Scalars, escape: Unicode.Scalar, env: [(String, String)], lex: ShellLex) {
        self.source = source
        self.escape = escape
        self.env = env
        self.lex = lex
    }

    func lookUp(_ name: String) -> String? {
        env.last(where: { $0.0 == name })?.1
    }

    mutating func run() throws(RawScanError) -> String {
        var out = String.UnicodeScalarView()
        while position < source.count {
            let ch = source[position]
            switch ch {
            case "$":
                out.append(contentsOf: try dollar().unicodeScalars)
            case "'":
                // Raw single quotes: kept, with everything up to the closing quote literal.
                out.append(ch)
                position += 1
                while true {
                    guard position < source.count else { throw RawScanError() }
                    let next = source[position]
                    position += 1
                    out.append(next)
                    if next == "'" { break }
                }
            case "\"":
                out.append(ch)
                position += 1
                while true {
                    guard position < source.count else { throw RawScanError() }
                    var next = source[position]
                    if next == "\"" {
                        out.append(next)
                        position += 1
                        break
                    }
                    if next == "$" {
                        out.append(contentsOf: try dollar().unicodeScalars)
                        continue
                    }
                    position += 1
                    if next == escape {
                        guard position < source.count else { continue }
                        let following = source[position]
                        if following == "\"" || following == "$" || following == escape {
                            next = following
                            position += 1
                        }
                    }
                    out.append(next)
                }
            default:
                position += 1
                if ch == escape {
                    guard position < source.count else { break }
                    out.append(source[position])
                    position += 1
                } else {
                    out.append(ch)
                }
            }
        }
        return String(out)
    }

    /// At a `$`: the value, or the reference as written when the name is unset.
    mutating func dollar() throws(RawScanError) -> String {
        let start = position
        position += 1
        guard position < source.count, source[position] == "{" else {
            let name = readName()
            if name.isEmpty { return "$" }
            return lookUp(name) ?? "$" + name
        }
        position += 1
        guard position < source.count else { throw RawScanError() }
        if source[position] == "{" || source[position] == "}" || source[position] == ":" {
            throw RawScanError()
        }
        let name = readName()
        guard position < source.count else { throw RawScanError() }
        if source[position] == "}" {
            position += 1
            return lookUp(name) ?? "${\(name)}"
        }
        position += 1  // the operator
        try skip(until: "}")
        let fragment = String(scalars: source[start..<position])
        guard lookUp(name) != nil else { return fragment }
        do {
            return try lex.processWord(fragment, env: env).result
        } catch {
            throw RawScanError()
        }
    }

    /// lex.go `processName`: digits, one special parameter, or letters, digits and `_`.
    mutating func readName() -> String {
        var name = String.UnicodeScalarView()
        guard position < source.count else { return "" }
        let first = source[position]
        if ShellLex.GoText.isDigit(first) {
            while position < source.count, ShellLex.GoText.isDigit(source[position]) {
                name.append(source[position])
                position += 1
            }
            return String(name)
        }
        if "@*#?-$!0".unicodeScalars.contains(first) {
            position += 1
            return String(first)
        }
        while position < source.count {
            let ch = source[position]
            guard ShellLex.GoText.isLetter(ch) || ShellLex.GoText.isDigit(ch) || ch == "_" else { break }
            name.append(ch)
            position += 1
        }
        return String(name)
    }

    /// Moves past the `stop` that ends a modifier's word, stepping over quotes, escapes and
    /// nested `${...}`.
    mutating func skip(until stop: Unicode.Scalar) throws(RawScanError) {
        while position < source.count {
            let ch = source[position]
            position += 1
            if ch == stop { return }
            switch ch {
            case escape:
                position += 1
            case "'":
                while position < source.count, source[position] != "'" { position += 1 }
                guard position < source.count else { throw RawScanError() }
                position += 1
            case "\"":
                while position < source.count, source[position] != "\"" {
                    if source[position] == escape { position += 1 }
                    position += 1
                }
                guard position < source.count else { throw RawScanError() }
                position += 1
            case "$":
                if position < source.count, source[position] == "{" {
                    position += 1
                    try skip(until: "}")
                }
            default:
                break
            }
        }
        throw RawScanError()
    }
}
