// The scanner behind ShellLex: a one-pass reader over the word's Unicode scalars, following
// lex.go's `shellWord` (processStopOn, processSingleQuote, processDoubleQuote, processDollar,
// processName, getEnv). Its rules are restated in the comments below.

extension ShellLex {
    /// The variables in scope, with BuildKit's name comparison.
    struct Environment: Sendable {
        let entries: [(String, String)]
        let windows: Bool

        /// Looks `name` up; nil means unset (lex.go `getEnv`).
        ///
        /// lex.go puts the list into a map (a later entry replaces an earlier one with the same key)
        /// and on Windows walks that map comparing keys with `EqualFold`, so which of `PWD` and `pwd`
        /// wins there depends on Go's random map order. Searching from the end instead gives the same
        /// answer whenever only one spelling is present, and otherwise lets the latest entry win.
        func value(of name: String) -> String? {
            for (key, value) in entries.reversed() {
                let same = windows ? GoText.equalFold(key, name) : GoText.sameScalars(key, name)
                if same { return value }
            }
            return nil
        }
    }

    /// One run of the scanner over one source string. Single use: build, call `processAll()`.
    struct Processor {
        /// What a successful run produces.
        struct Outcome {
            var result: String
            var words: [String]
            var matched: [String]
            var unmatched: [String]
        }

        private let source: [Unicode.Scalar]
        private var position = 0
        private let escapeToken: Unicode.Scalar
        private let environment: Environment
        /// Whether the escape character is copied into the output as well (lex.go `rawEscapes`).
        /// It is on while reading a `#`/`%` pattern and both parts of a `/` substitution, so that the
        /// pattern converter still sees `\*` and `\?`.
        private var rawEscapes = false
        private var matched: [String] = []
        private var unmatched: [String] = []

        init(source: String, escapeToken: Unicode.Scalar, environment: Environment) {
            var scalars = Array(source.unicodeScalars)
            // Go's text/scanner discards a byte order mark at the very start of its input.
            if scalars.first == GoText.byteOrderMark { scalars.removeFirst() }
            self.source = scalars
            self.escapeToken = escapeToken
            self.environment = environment
        }

        /// Processes the whole source (lex.go `process`, without the error wrapping).
        mutating func processAll() throws(ShellLexError) -> Outcome {
            let (result, words) = try processStop(on: nil, rawEscapes: false)
            return Outcome(result: result, words: words, matched: matched, unmatched: unmatched)
        }

        // MARK: Reading

        private func peek() -> Unicode.Scalar? {
            position < source.count ? source[position] : nil
        }

        /// Consumes one scalar; nil at the end of the source (text/scanner's `EOF`).
        private mutating func next() -> Unicode.Scalar? {
            guard position < source.count else { return nil }
            defer { position += 1 }
            return source[position]
        }

        // MARK: Words and quotes

        /// Reads up to `stop` (consumed) or to the end of the source when `stop` is nil
        /// (lex.go `processStopOn`).
        ///
        /// Returns the processed text and the same text split into words. An expansion's value
        /// splits on white space, a quoted part or an escaped character never does, and a literal
        /// white-space character ends the current word.
        private mutating func processStop(
            on stop: Unicode.Scalar?, rawEscapes: Bool
        ) throws(ShellLexError) -> (String, [String]) {
            var result = String.UnicodeScalarView()
            var words = WordSplitter()
            let savedRawEscapes = self.rawEscapes
            self.rawEscapes = rawEscapes
            defer { self.rawEscapes = savedRawEscapes }

            scanning: while let ch = peek() {
                if let stop, ch == stop {
                    position += 1
                    return (String(result), words.finish())
                }
                switch ch {
                case "$":
                    let value = try processDollar()
                    result.append(contentsOf: value.unicodeScalars)
                    words.addExpansion(value)
                case "'":
                    let quoted = try processSingleQuote()
                    result.append(contentsOf: quoted.unicodeScalars)
                    words.addLiteral(quoted)
                case "\"":
                    let quoted = try processDoubleQuote()
                    result.append(contentsOf: quoted.unicodeScalars)
                    words.addLiteral(quoted)
                default:
                    position += 1
                    if ch == escapeToken {
                        if self.rawEscapes {
                            words.addLiteral(ch)
                            result.append(ch)
                        }
                        // The escape makes the next character literal; at the end it is dropped.
                        guard let escaped = next() else { break scanning }
                        words.addLiteral(escaped)
                        result.append(escaped)
                    } else {
                        words.addPlain(ch)
                        result.append(ch)
                    }
                }
            }
            if let stop {
                throw ShellLexError(
                    message: "unexpected end of statement while looking for matching \(Character(stop))")
            }
            return (String(result), words.finish())
        }

        /// Everything up to the next `'` is literal; the quotes are dropped (lex.go `processSingleQuote`).
        private mutating func processSingleQuote() throws(ShellLexError) -> String {
            position += 1
            var result = String.UnicodeScalarView()
            while true {
                guard let ch = next() else {
                    throw ShellLexError(
                        message: "unexpected end of statement while looking for matching single-quote")
                }
                if ch == "'" { return String(result) }
                result.append(ch)
            }
        }

        /// Everything up to the next unescaped `"` is literal except `$` expansions; the escape
        /// character escapes only `"`, `$` and itself (lex.go `processDoubleQuote`).
        private mutating func processDoubleQuote() throws(ShellLexError) -> String {
            position += 1
            var result = String.UnicodeScalarView()
            while true {
                guard let ch = peek() else {
                    throw ShellLexError(
                        message: "unexpected end of statement while looking for matching double-quote")
                }
                if ch == "\"" {
                    position += 1
                    return String(result)
                }
                if ch == "$" {
                    result.append(contentsOf: try processDollar().unicodeScalars)
                    continue
                }
                position += 1
                var literal = ch
                if ch == escapeToken {
                    if rawEscapes { result.append(ch) }
                    guard let following = peek() else {
                        // lex.go drops an escape at the end; the missing quote fails on the next turn.
                        continue
                    }
                    if following == "\"" || following == "$" || following == escapeToken {
                        literal = following
                        position += 1
                    }
                    // Before any other character the escape stays. In raw mode that writes it
                    // twice, exactly as lex.go does.
                }
                result.append(literal)
            }
        }

        // MARK: Expansion

        /// Expands the `$…` at the current position (lex.go `processDollar`).
        private mutating func processDollar() throws(ShellLexError) -> String {
            position += 1  // the `$`

            // `$NAME`: no braces, no modifiers. A `$` before no name stays literal.
            guard peek() == "{" else {
                let name = processName()
                if name.isEmpty { return "$" }
                return lookUp(name) ?? ""
            }

            position += 1  // the `{`
            switch peek() {
            case nil:
                throw ShellLexError(message: "syntax error: missing '}'")
            case "{", "}", ":":
                // `${{x}`, `${}`, `${:}`, `${:-x}`: no name.
                throw ShellLexError(message: "syntax error: bad substitution")
            default:
                break
            }
            let name = processName()
            // The character after the name picks the operation. lex.go reads it even at the end of the
            // source, where Go renders the missing rune as U+FFFD: `${abc` reports
            // `unsupported modifier (\u{FFFD}) in substitution`, not a missing brace.
            var modifier = next()
            var modifierText = GoText.runeString(modifier)

            switch modifier {
            case "}":
                return lookUp(name) ?? ""

            case ":", "+", "-", "?", "#", "%":
                // A `:` makes an empty value count as unset and always reads one more character,
                // whatever it is (lex.go's `fallthrough`), so `${a:=b}` fails on modifier `:=`.
                var nullIsUnset = false
                if modifier == ":" {
                    nullIsUnset = true
                    modifier = next()
                    modifierText += GoText.runeString(modifier)
                }
                let isPattern = modifier == "#" || modifier == "%"
                let word: String
                do throws(ShellLexError) {
                    word = try processStop(on: "}", rawEscapes: isPattern).0
                } catch {
                    if peek() == nil { throw ShellLexError(message: "syntax error: missing '}'") }
                    throw error
                }

                let value = lookUp(name)
                let unsetOrNull = value == nil || (nullIsUnset && value == "")
                switch modifier {
                case "-":
                    return unsetOrNull ? word : (value ?? "")
                case "+":
                    return unsetOrNull ? "" : word
                case "?":
                    guard let value else {
                        throw ShellLexError(message: "\(name): \(word.isEmpty ? "is not allowed to be unset" : word)")
                    }
                    if nullIsUnset && value.isEmpty {
                        throw ShellLexError(message: "\(name): \(word.isEmpty ? "is not allowed to be empty" : word)")
                    }
                    return value
                case "#", "%":
                    // `#`/`%` remove the shortest match, `##`/`%%` the longest. An unset name counts as "".
                    var pattern = Array(word.unicodeScalars)
                    var greedy = false
                    if let first = pattern.first, first == modifier {
                        greedy = true
                        pattern.removeFirst()
                    }
                    let subject = Array((value ?? "").unicodeScalars)
                    let trimmed = modifier == "%"
                        ? try Pattern.trimSuffix(pattern, from: subject, greedy: greedy)
                        : try Pattern.trimPrefix(pattern, from: subject, greedy: greedy)
                    return String(String.UnicodeScalarView(trimmed))
                default:
                    throw ShellLexError(message: "unsupported modifier (\(modifierText)) in substitution")
                }

            case "/":
                // `${a/p/r}` replaces the first match of p, `${a//p/r}` every match. Both the pattern
                // and the replacement keep their escape characters.
                let replaceAll = peek() == "/"
                if replaceAll { position += 1 }
                let pattern: String
                do throws(ShellLexError) {
                    pattern = try processStop(on: "/", rawEscapes: true).0
                } catch {
                    if peek() == nil { throw ShellLexError(message: "syntax error: missing '/' in ${}") }
                    throw error
                }
                let replacement: String
                do throws(ShellLexError) {
                    replacement = try processStop(on: "}", rawEscapes: true).0
                } catch {
                    if peek() == nil { throw ShellLexError(message: "syntax error: missing '}'") }
                    throw error
                }
                let subject = Array((lookUp(name) ?? "").unicodeScalars)
                let replaced = try Pattern.replace(
                    Array(pattern.unicodeScalars), in: subject,
                    with: Array(replacement.unicodeScalars), all: replaceAll)
                return String(String.UnicodeScalarView(replaced))

            default:
                throw ShellLexError(message: "unsupported modifier (\(modifierText)) in substitution")
            }
        }

        /// Reads a name after `$` or `${` (lex.go `processName`): a run of digits (a positional
        /// parameter such as `1` or `001`), one special-parameter character, or letters, digits
        /// and `_`. Letters and digits are Unicode ones, as in Go's `unicode.IsLetter`/`IsDigit`.
        private mutating func processName() -> String {
            var name = String.UnicodeScalarView()
            while let ch = peek() {
                if name.isEmpty && GoText.isDigit(ch) {
                    while let digit = peek(), GoText.isDigit(digit) {
                        name.append(digit)
                        position += 1
                    }
                    return String(name)
                }
                if name.isEmpty && Self.isSpecialParameter(ch) {
                    position += 1
                    return String(Character(ch))
                }
                guard GoText.isLetter(ch) || GoText.isDigit(ch) || ch == "_" else { break }
                name.append(ch)
                position += 1
            }
            return String(name)
        }

        /// The POSIX special parameters lex.go recognises (`isSpecialParam`).
        private static func isSpecialParameter(_ ch: Unicode.Scalar) -> Bool {
            switch ch {
            case "@", "*", "#", "?", "-", "$", "!", "0": true
            default: false
            }
        }

        /// Looks `name` up and records it as matched or unmatched (lex.go `getEnv`).
        /// Names are kept as written in the word, once each, in order of first lookup.
        private mutating func lookUp(_ name: String) -> String? {
            let value = environment.value(of: name)
            if value != nil {
                if !matched.contains(where: { GoText.sameScalars($0, name) }) { matched.append(name) }
            } else {
                if !unmatched.contains(where: { GoText.sameScalars($0, name) }) { unmatched.append(name) }
            }
            return value
        }
    }

    /// Collects words while a text is processed (lex.go `wordsStruct`).
    struct WordSplitter {
        private var word = String.UnicodeScalarView()
        private var words: [String] = []
        private var inWord = false

        /// An unquoted, unescaped character: white space ends the current word, and is dropped.
        mutating func addPlain(_ ch: Unicode.Scalar) {
            if GoText.isSpace(ch) {
                if inWord && !word.isEmpty {
                    words.append(String(word))
                    word = String.UnicodeScalarView()
                    inWord = false
                }
            } else {
                addLiteral(ch)
            }
        }

        /// An expansion's value splits like unquoted text.
        mutating func addExpansion(_ text: String) {
            for ch in text.unicodeScalars { addPlain(ch) }
        }

        /// An escaped character always joins the current word.
        mutating func addLiteral(_ ch: Unicode.Scalar) {
            word.append(ch)
            inWord = true
        }

        /// A quoted part joins the current word as it is, even when it is empty.
        mutating func addLiteral(_ text: String) {
            word.append(contentsOf: text.unicodeScalars)
            inWord = true
        }

        /// The words, with a final non-empty word added.
        mutating func finish() -> [String] {
            if !word.isEmpty {
                words.append(String(word))
                word = String.UnicodeScalarView()
                inWord = false
            }
            return words
        }
    }
}
