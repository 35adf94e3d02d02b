// Finding heredocs in an instruction line: BuildKit's `heredocsFromLine`, `ParseHeredoc` and
// `heredocFromMatch` (parser.go), which split the line with the shell lexer (shell/lex.go).
//
// This file holds only the narrow slice of the shell lexer the parser itself uses: word
// splitting with an *empty* environment where unset variables are kept as written
// (`SkipUnsetEnv`). It never substitutes a variable; build-time `$VAR` expansion belongs to the
// separate substitution lexer.

/// BuildKit's shell lexer in the configuration the parser uses to find heredoc words.
struct HeredocWordLexer {
    /// A lexing failure; BuildKit's wording.
    struct Failure: Error { var message: String }

    private var input: Scalars
    private var position = 0
    /// Keep quote characters in the result (`RawQuotes`).
    private let rawQuotes: Bool
    /// Keep escape characters in the result (`RawEscapes`); toggled inside `${...}` words.
    private var rawEscapes: Bool
    /// The parser always lexes heredoc words with `\`, whatever the escape directive says.
    private let escape: Unicode.Scalar = "\\"

    init(_ input: Scalars, rawQuotes: Bool, rawEscapes: Bool) {
        self.input = input
        self.rawQuotes = rawQuotes
        self.rawEscapes = rawEscapes
    }

    /// The words of `input` (BuildKit's `ProcessWords` with an empty environment and
    /// `SkipUnsetEnv`), or a failure such as an unterminated quote.
    static func words(_ input: Scalars, rawQuotes: Bool, rawEscapes: Bool) -> Result<[String], Failure> {
        var lexer = HeredocWordLexer(input, rawQuotes: rawQuotes, rawEscapes: rawEscapes)
        do {
            let (_, words) = try lexer.process(stopAt: nil, rawEscapes: rawEscapes)
            return .success(words)
        } catch {
            return .failure(Failure(message: "failed to process \(String(scalars: input).goQuoted): \(error.message)"))
        }
    }

    // MARK: words

    /// The word accumulator (`wordsStruct`): unquoted whitespace ends a word, text from quotes
    /// and escapes is added raw.
    private struct Words {
        var word = Scalars()
        var words: [String] = []
        var inWord = false

        mutating func add(_ scalar: Unicode.Scalar) {
            if scalar.isGoSpace, inWord {
                if !word.isEmpty {
                    words.append(String(scalars: word))
                    word = []
                    inWord = false
                }
            } else if !scalar.isGoSpace {
                addRaw(scalar)
            }
        }

        mutating func addRaw(_ scalar: Unicode.Scalar) {
            word.append(scalar)
            inWord = true
        }

        mutating func add(_ text: Scalars) { for scalar in text { add(scalar) } }

        mutating func addRaw(_ text: Scalars) {
            word += text
            inWord = true
        }

        mutating func finish() -> [String] {
            if !word.isEmpty {
                words.append(String(scalars: word))
                word = []
                inWord = false
            }
            return words
        }
    }

    private var peek: Unicode.Scalar? { position < input.count ? input[position] : nil }

    private mutating func next() -> Unicode.Scalar? {
        guard position < input.count else { return nil }
        defer { position += 1 }
        return input[position]
    }

    // MARK: processStopOn

    /// Reads up to `stop` (or the end), returning the processed text and its words.
    private mutating func process(stopAt stop: Unicode.Scalar?, rawEscapes: Bool) throws(Failure) -> (Scalars, [String]) {
        let savedRawEscapes = self.rawEscapes
        self.rawEscapes = rawEscapes
        defer { self.rawEscapes = savedRawEscapes }

        var result = Scalars()
        var words = Words()
        while let character = peek {
            if let stop, character == stop {
                position += 1
                return (result, words.finish())
            }
            switch character {
            case "$":
                let text = try processDollar()
                result += text
                words.add(text)
                continue
            case "<":
                let text = processPossibleHeredoc()
                result += text
                words.addRaw(text)
                continue
            case "'":
                let text = try processSingleQuote()
                result += text
                words.addRaw(text)
                continue
            case "\"":
                let text = try processDoubleQuote()
                result += text
                words.addRaw(text)
                continue
            default:
                break
            }
            position += 1
            var literal = character
            if character == escape {
                if self.rawEscapes {
                    words.addRaw(character)
                    result.append(character)
                }
                // The escape escapes the next character, except at the end.
                guard let escaped = next() else { break }
                literal = escaped
                words.addRaw(literal)
            } else {
                words.add(literal)
            }
            result.append(literal)
        }
        if let stop {
            throw Failure(message: "unexpected end of statement while looking for matching \(String(stop))")
        }
        return (result, words.finish())
    }

    /// Everything between single quotes is literal; a single quote cannot be escaped.
    private mutating func processSingleQuote() throws(Failure) -> Scalars {
        var result = Scalars()
        let open = next() ?? "'"
        if rawQuotes { result.append(open) }
        while true {
            guard let character = next() else {
                throw Failure(message: "unexpected end of statement while looking for matching single-quote")
            }
            if character == "'" {
                if rawQuotes { result.append(character) }
                return result
            }
            result.append(character)
        }
    }

    /// Inside double quotes `$` is special and the escape character escapes only `"`, `$` and
    /// itself.
    private mutating func processDoubleQuote() throws(Failure) -> Scalars {
        var result = Scalars()
        let open = next() ?? "\""
        if rawQuotes { result.append(open) }
        while true {
            guard let character = peek else {
                throw Failure(message: "unexpected end of statement while looking for matching double-quote")
            }
            if character == "\"" {
                position += 1
                if rawQuotes { result.append(character) }
                return result
            }
            if character == "$" {
                result += try processDollar()
                continue
            }
            position += 1
            var literal = character
            if character == escape {
                if rawEscapes { result.append(character) }
                guard let following = peek else { continue }  // a trailing escape is dropped
                if following == "\"" || following == "$" || following == escape {
                    position += 1
                    literal = following
                }
            }
            result.append(literal)
        }
    }

    /// `<<` and any blanks right after it stay in one word, so `<<  EOF` is one word (master's
    /// `processPossibleHeredoc`).
    private mutating func processPossibleHeredoc() -> Scalars {
        position += 1
        guard peek == "<" else { return ["<"] }
        position += 1
        var result: Scalars = ["<", "<"]
        while let character = peek, character == " " || character == "\t" || character == "\r" || character == "\n" {
            result.append(character)
            position += 1
        }
        return result
    }

    /// With no environment and `SkipUnsetEnv`, every variable reference is kept as written
    /// (the `${name/pattern/replacement}` form normalises `//` to `/`, as BuildKit does).
    private mutating func processDollar() throws(Failure) -> Scalars {
        position += 1
        if peek != "{" {
            let name = processName()
            return ["$"] + name
        }
        position += 1
        switch peek {
        case nil:
            throw Failure(message: "syntax error: missing '}'")
        case "{", "}", ":":
            throw Failure(message: "syntax error: bad substitution")
        default:
            break
        }
        let name = processName()
        var modifier = next()
        var modifierText: Scalars = [modifier ?? "\u{FFFD}"]
        switch modifier {
        case "}":
            return ["$", "{"] + name + ["}"]
        case ":", "+", "-", "?", "#", "%":
            if modifier == ":" {
                // BuildKit falls through to the modifier branch whatever follows the colon.
                modifier = next()
                modifierText.append(modifier ?? "\u{FFFD}")
            }
            let keepEscapes = modifier == "#" || modifier == "%"
            let word: Scalars
            do {
                (word, _) = try process(stopAt: "}", rawEscapes: keepEscapes)
            } catch {
                if peek == nil { throw Failure(message: "syntax error: missing '}'") }
                throw error
            }
            return ["$", "{"] + name + modifierText + word + ["}"]
        case "/":
            if peek == "/" { position += 1 }
            let pattern: Scalars
            do {
                (pattern, _) = try process(stopAt: "/", rawEscapes: true)
            } catch {
                if peek == nil { throw Failure(message: "syntax error: missing '/' in ${}") }
                throw error
            }
            let replacement: Scalars
            do {
                (replacement, _) = try process(stopAt: "}", rawEscapes: true)
            } catch {
                if peek == nil { throw Failure(message: "syntax error: missing '}'") }
                throw error
            }
            return ["$", "{"] + name + ["/"] + pattern + ["/"] + replacement + ["}"]
        default:
            throw Failure(message: "unsupported modifier (\(String(scalars: modifierText))) in substitution")
        }
    }

    /// A variable name: a run of digits, one special parameter, or letters, digits and `_`.
    private mutating func processName() -> Scalars {
        var name = Scalars()
        while let character = peek {
            if name.isEmpty, character.isGoDigit {
                while let digit = peek, digit.isGoDigit {
                    name.append(digit)
                    position += 1
                }
                return name
            }
            if name.isEmpty, "@*#?-$!0".unicodeScalars.contains(character) {
                position += 1
                return [character]
            }
            guard character.isGoLetter || character.isGoDigit || character == "_" else { break }
            name.append(character)
            position += 1
        }
        return name
    }
}

extension Heredoc {
    /// BuildKit's `heredocsFromLine`: lex the line keeping quotes, escapes and unset variables,
    /// and keep every word that is a heredoc. A line the lexer rejects (an unterminated quote)
    /// has no heredocs.
    static func heredocs(in line: Scalars) throws(DockerfileError) -> [Heredoc] {
        guard case .success(let words) = HeredocWordLexer.words(line, rawQuotes: true, rawEscapes: true) else {
            return []
        }
        var heredocs: [Heredoc] = []
        for word in words {
            if let heredoc = try parse(word: word.scalars) { heredocs.append(heredoc) }
        }
        return heredocs
    }

    /// BuildKit's `ParseHeredoc`: a word matching `^(\d*)<<(-?)\s*([^<]*)$` names a heredoc.
    /// The name is the rest lexed without quotes; it must be one word. If lexing with and
    /// without quotes gives a different number of quote characters, part of the name was
    /// quoted and the body is not expanded.
    static func parse(word: Scalars) throws(DockerfileError) -> Heredoc? {
        var index = 0
        while index < word.count, ("0"..."9").contains(word[index]) { index += 1 }
        let digits = String(scalars: word[..<index])
        guard word[index...].starts(with: ["<", "<"] as Scalars) else { return nil }
        index += 2
        var chomp = false
        if index < word.count, word[index] == "-" {
            chomp = true
            index += 1
        }
        while index < word.count, word[index].isRE2Space { index += 1 }
        let rest = Array(word[index...])
        guard !rest.contains("<") else { return nil }
        guard !rest.isEmpty else { return nil }

        let plain: [String]
        switch HeredocWordLexer.words(rest, rawQuotes: false, rawEscapes: false) {
        case .success(let words): plain = words
        case .failure(let failure): throw DockerfileError(message: failure.message)
        }
        guard plain.count == 1 else { return nil }
        let raw: [String]
        switch HeredocWordLexer.words(rest, rawQuotes: true, rawEscapes: false) {
        case .success(let words): raw = words
        case .failure(let failure): throw DockerfileError(message: failure.message)
        }
        guard raw.count == plain.count else {
            throw DockerfileError(message:
                "internal lexing of heredoc produced inconsistent results: \(String(scalars: rest))")
        }
        func quoteCount(_ text: String) -> Int { text.unicodeScalars.filter { $0 == "'" || $0 == "\"" }.count }
        return Heredoc(
            name: plain[0],
            expand: quoteCount(plain[0]) == quoteCount(raw[0]),
            chomp: chomp,
            fileDescriptor: Int(digits) ?? 0
        )
    }
}
