// Per-instruction argument rules: BuildKit's split_command.go and line_parsers.go, described
// in docker-ecs.md §1.5.

/// What a line parser makes of the text after the keyword and flags.
struct ParsedArguments {
    var arguments: [String] = []
    var isJSON = false
    var onbuild: Instruction?
}

/// The argument rule an instruction uses (BuildKit's `dispatch` table).
enum ArgumentRule {
    /// RUN CMD ENTRYPOINT SHELL: a JSON array of strings, or else the whole text as one string.
    case maybeJSON
    /// ADD COPY VOLUME: a JSON array of strings, or else the text split on blanks.
    case maybeJSONToList
    /// FROM EXPOSE: the text split on `[\t\v\f\r ]+`.
    case whitespaceDelimited
    /// MAINTAINER STOPSIGNAL USER WORKDIR: the whole text as one string.
    case string
    /// ENV LABEL: `k=v` words, or the legacy `k v` form.
    case nameValue(keyword: String)
    /// ARG: quote-aware words kept raw.
    case nameOrNameValue
    /// HEALTHCHECK: the first word, then maybe-JSON.
    case healthcheck
    /// ONBUILD: the rest is an instruction of its own.
    case subcommand
    /// Unknown keywords: kept, with one empty argument (`(foo "")`).
    case ignore

    /// The rule for a lower-cased keyword.
    init(keyword: String) {
        switch keyword {
        case "add", "copy", "volume": self = .maybeJSONToList
        case "arg": self = .nameOrNameValue
        case "cmd", "entrypoint", "run", "shell": self = .maybeJSON
        case "env": self = .nameValue(keyword: "ENV")
        case "label": self = .nameValue(keyword: "LABEL")
        case "expose", "from": self = .whitespaceDelimited
        case "healthcheck": self = .healthcheck
        case "maintainer", "stopsignal", "user", "workdir": self = .string
        case "onbuild": self = .subcommand
        default: self = .ignore
        }
    }
}

/// The parser's line-level state that argument rules need: the escape token.
struct LineParser {
    var escape: Unicode.Scalar

    /// BuildKit's `newNodeFromLine`: split the keyword, pull the flags, apply the keyword's rule.
    func instruction(from line: Scalars, comments: [String]) throws(DockerfileError) -> Instruction {
        let (command, flags, rest) = Self.splitCommand(line)
        let keyword = command.goLowercased
        let parsed = try arguments(rest, rule: ArgumentRule(keyword: keyword))
        return Instruction(
            keyword: keyword,
            original: String(scalars: line),
            flags: flags,
            arguments: parsed.arguments,
            isJSON: parsed.isJSON,
            comments: comments,
            onbuild: parsed.onbuild
        )
    }

    /// Applies an argument rule to the text after the keyword and flags.
    func arguments(_ rest: Scalars, rule: ArgumentRule) throws(DockerfileError) -> ParsedArguments {
        switch rule {
        case .maybeJSON:
            return try Self.parseMaybeJSON(rest)
        case .maybeJSONToList:
            switch ExecFormJSON.parse(rest) {
            case .strings(let values): return ParsedArguments(arguments: values, isJSON: true)
            case .notStrings: throw ExecFormJSON.notStringArrayError
            case .notJSON: return ParsedArguments(arguments: Self.whitespaceDelimited(rest))
            }
        case .whitespaceDelimited:
            return ParsedArguments(arguments: Self.whitespaceDelimited(rest))
        case .string:
            return ParsedArguments(arguments: rest.isEmpty ? [] : [String(scalars: rest)])
        case .nameValue(let keyword):
            return ParsedArguments(arguments: try nameValue(rest, keyword: keyword))
        case .nameOrNameValue:
            return ParsedArguments(arguments: words(rest).map { String(scalars: $0) })
        case .healthcheck:
            return try healthcheck(rest)
        case .subcommand:
            // `ONBUILD RUN foo` gives `(onbuild (run "foo"))`; the trigger has no comments.
            guard !rest.isEmpty else { return ParsedArguments() }
            return ParsedArguments(onbuild: try instruction(from: rest, comments: []))
        case .ignore:
            return ParsedArguments(arguments: [""])
        }
    }

    // MARK: split_command.go

    /// BuildKit's `splitCommand`: the keyword is everything up to the first run of
    /// `[\t\v\f\r ]` in the trimmed line; flags are then pulled off the front of the rest.
    static func splitCommand(_ line: Scalars) -> (command: String, flags: [String], rest: Scalars) {
        let parts = line.goTrimmingSpace.splitOnTokenBlanks(limit: 2)
        let command = String(scalars: parts[0])
        guard parts.count == 2 else { return (command, [], []) }
        let (rest, flags) = extractBuilderFlags(parts[1])
        return (command, flags, rest.goTrimmingSpace)
    }

    /// BuildKit's `extractBuilderFlags`: consecutive words starting with `--` are flags. Quotes
    /// inside a flag are removed and `\` escapes the next character (always `\`, whatever the
    /// escape directive says). A lone `--` ends the flags and is dropped.
    static func extractBuilderFlags(_ line: Scalars) -> (rest: Scalars, flags: [String]) {
        enum Phase { case spaces, word, quote }
        var flags: [String] = []
        var phase = Phase.spaces
        var word = Scalars()
        var quote: Unicode.Scalar = "\0"
        var blankOK = false
        var position = 0
        while position <= line.count {
            let atEnd = position == line.count
            let character: Unicode.Scalar = atEnd ? "\0" : line[position]
            if phase == .spaces {
                if atEnd { break }
                if character.isGoSpace { position += 1; continue }
                // Only keep going if the next word starts with `--`.
                if character != "-" || position + 1 == line.count || line[position + 1] != "-" {
                    return (Array(line[position...]), flags)
                }
                phase = .word
            }
            if atEnd {
                if word != ["-", "-"], blankOK || !word.isEmpty { flags.append(String(scalars: word)) }
                break
            }
            if phase == .word {
                if character.isGoSpace {
                    phase = .spaces
                    if word == ["-", "-"] { return (Array(line[position...]), flags) }
                    if blankOK || !word.isEmpty { flags.append(String(scalars: word)) }
                    word = []
                    blankOK = false
                    position += 1
                    continue
                }
                if character == "'" || character == "\"" {
                    quote = character
                    blankOK = true
                    phase = .quote
                    position += 1
                    continue
                }
                var literal = character
                if character == "\\" {
                    if position + 1 == line.count { position += 1; continue }
                    position += 1
                    literal = line[position]
                }
                word.append(literal)
                position += 1
                continue
            }
            // Inside quotes.
            if character == quote {
                phase = .word
                position += 1
                continue
            }
            var literal = character
            if character == "\\" {
                if position + 1 == line.count { phase = .word; position += 1; continue }
                position += 1
                literal = line[position]
            }
            word.append(literal)
            position += 1
        }
        return ([], flags)
    }

    // MARK: line_parsers.go

    /// BuildKit's `parseStringsWhitespaceDelimited`: split on `[\t\v\f\r ]+`. Quotes are not
    /// interpreted.
    static func whitespaceDelimited(_ rest: Scalars) -> [String] {
        guard !rest.isEmpty else { return [] }
        return rest.splitOnTokenBlanks().map { String(scalars: $0) }
    }

    /// BuildKit's `parseMaybeJSON`: a JSON array of strings is the exec form; anything that is
    /// not valid JSON silently becomes one shell-form string; a JSON array holding a non-string
    /// is an error.
    static func parseMaybeJSON(_ rest: Scalars) throws(DockerfileError) -> ParsedArguments {
        guard !rest.isEmpty else { return ParsedArguments() }
        switch ExecFormJSON.parse(rest) {
        case .strings(let values): return ParsedArguments(arguments: values, isJSON: true)
        case .notStrings: throw ExecFormJSON.notStringArrayError
        case .notJSON: return ParsedArguments(arguments: [String(scalars: rest)])
        }
    }

    /// BuildKit's `parseHealthConfig`: the first word is the type (`CMD`, `NONE`, anything),
    /// the rest is maybe-JSON.
    func healthcheck(_ rest: Scalars) throws(DockerfileError) -> ParsedArguments {
        let separator = rest.firstIndex(where: \.isGoSpace) ?? rest.count
        guard separator > 0 else { return ParsedArguments() }
        let next = rest[separator...].firstIndex(where: { !$0.isGoSpace }) ?? rest.count
        var parsed = try Self.parseMaybeJSON(Array(rest[next...]))
        parsed.arguments.insert(String(scalars: rest[..<separator]), at: 0)
        return parsed
    }

    /// BuildKit's `parseNameVal` for ENV and LABEL. If the first word has no `=`, the legacy
    /// form `KEY name value...` gives one pair (name, "value...") with separator `""`;
    /// otherwise every word must be `name=value` and gives (name, value, "=").
    func nameValue(_ rest: Scalars, keyword: String) throws(DockerfileError) -> [String] {
        let words = words(rest)
        guard let first = words.first else { return [] }
        if !first.contains("=") {
            let parts = rest.splitOnTokenBlanks(limit: 2)
            guard parts.count == 2 else {
                throw DockerfileError(message: "\(keyword) must have two arguments")
            }
            return [String(scalars: parts[0]), String(scalars: parts[1]), ""]
        }
        var values: [String] = []
        for word in words {
            guard let equals = word.firstIndex(of: "=") else {
                throw DockerfileError(message:
                    "Syntax error - can't find = in \(String(scalars: word).goQuoted). Must be of the form: name=value")
            }
            values += [String(scalars: word[..<equals]), String(scalars: word[(equals + 1)...]), "="]
        }
        return values
    }

    /// BuildKit's `parseWords`: split on whitespace outside quotes. Quotes and escape characters
    /// are kept in the words (they are processed later, by variable substitution). Inside
    /// single quotes the escape character escapes nothing.
    func words(_ rest: Scalars) -> [Scalars] {
        enum Phase { case spaces, word, quote }
        var words: [Scalars] = []
        var phase = Phase.spaces
        var quote: Unicode.Scalar = "\0"
        var blankOK = false
        var word = Scalars()
        var position = 0
        while position <= rest.count {
            let atEnd = position == rest.count
            let character: Unicode.Scalar = atEnd ? "\0" : rest[position]
            if phase == .spaces {
                if atEnd { break }
                if character.isGoSpace { position += 1; continue }
                phase = .word
            }
            if atEnd {
                if blankOK || !word.isEmpty { words.append(word) }
                break
            }
            if phase == .word {
                if character.isGoSpace {
                    phase = .spaces
                    if blankOK || !word.isEmpty { words.append(word) }
                    word = []
                    blankOK = false
                    position += 1
                    continue
                }
                if character == "'" || character == "\"" {
                    quote = character
                    blankOK = true
                    phase = .quote
                }
                var literal = character
                if character == escape {
                    if position + 1 == rest.count { position += 1; continue }
                    // An unquoted escape keeps itself and the next character, even a quote.
                    word.append(character)
                    position += 1
                    literal = rest[position]
                }
                word.append(literal)
                position += 1
                continue
            }
            // Inside quotes: the escape token is special except in single quotes.
            if character == quote { phase = .word }
            var literal = character
            if character == escape, quote != "'" {
                if position + 1 == rest.count { phase = .word; position += 1; continue }
                word.append(character)
                position += 1
                literal = rest[position]
            }
            word.append(literal)
            position += 1
        }
        return words
    }
}
