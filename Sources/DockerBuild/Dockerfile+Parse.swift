// The line loop: BuildKit's `parser.Parse` (frontend/dockerfile/parser/parser.go) and its
// directive parser (directives.go), described in docker-ecs.md §1.1–§1.4.

extension Dockerfile {
    /// Parses Dockerfile text the way BuildKit's `parser.Parse` does.
    ///
    /// This is the parser layer only: an unknown keyword still parses (`(foo "")` in the dump)
    /// and flags are not checked. BuildKit checks those in its instruction layer; here that is
    /// `Dockerfile.commands()` / `Instruction.command()` (Instruction+Typed.swift).
    ///
    /// - Throws: `DockerfileError` with BuildKit's wording: `file with no instructions`,
    ///   `unterminated heredoc`, `ENV must have two arguments`, `only one escape parser
    ///   directive can be used`, `dockerfile line greater than max allowed size of 65535`, ...
    public static func parse(_ text: String) throws(DockerfileError) -> Dockerfile {
        var reader = LineReader(text)
        var directives = DirectiveParser()
        var instructions: [Instruction] = []
        var warnings: [String] = []
        var comments: [String] = []
        var currentLine = 0

        while var raw = reader.next() {
            if currentLine == 0, raw.first == "\u{FEFF}" {
                // First line: strip the byte-order mark.
                raw.removeFirst()
            }
            if raw.trimmingNewline.isComment {
                // BuildKit drops the first character (the `#` when the comment is not indented)
                // and trims; an empty comment (`#`) resets the collected comments.
                let comment = String(scalars: Array(raw.dropFirst()).goTrimmingSpace)
                if comment.isEmpty { comments = [] } else { comments.append(comment) }
            }
            let processed = try processLine(raw, stripLeadingWhitespace: true,
                                            directives: &directives, line: currentLine + 1)
            if processed.isDirective, !comments.isEmpty {
                // A directive is not a comment of the next instruction.
                comments.removeLast()
            }
            currentLine += 1

            let startLine = currentLine
            var (line, isEndOfLine) = trimContinuation(processed.text, escape: directives.escape)
            if isEndOfLine, line.isEmpty { continue }

            // Continuation lines: comments are dropped, empty lines are dropped with a warning,
            // the next line's leading whitespace is kept.
            var hasEmptyContinuationLine = false
            while !isEndOfLine, let next = reader.next() {
                let continued = try processLine(next, stripLeadingWhitespace: false,
                                                directives: &directives, line: currentLine + 1)
                currentLine += 1
                if next.trimmingNewline.isComment { continue }
                if continued.text.goTrimmingLeadingSpace.isEmpty {
                    hasEmptyContinuationLine = true
                    continue
                }
                let part: Scalars
                (part, isEndOfLine) = trimContinuation(continued.text, escape: directives.escape)
                line += part
            }
            if hasEmptyContinuationLine {
                warnings.append("[WARNING]: Empty continuation line found in: " + String(scalars: line))
            }

            var instruction: Instruction
            do {
                instruction = try LineParser(escape: directives.escape).instruction(from: line, comments: comments)
            } catch {
                throw error.located(at: startLine)
            }

            if instruction.canContainHeredoc, line.containsDoubleLess {
                let heredocs: [Heredoc]
                do {
                    heredocs = try Heredoc.heredocs(in: line)
                } catch {
                    throw error.located(at: startLine)
                }
                for var heredoc in heredocs {
                    // The body runs up to a line equal to the name (after leading tabs, for
                    // `<<-`); it is stored as read, line endings included.
                    var terminated = false
                    var content = Scalars()
                    let terminator = heredoc.name.scalars
                    while let bodyLine = reader.next() {
                        currentLine += 1
                        var candidate = bodyLine.trimmingNewline
                        if heredoc.chomp { candidate = candidate.trimmingLeadingTabs }
                        if candidate == terminator {
                            terminated = true
                            break
                        }
                        content += bodyLine
                    }
                    guard terminated else {
                        throw DockerfileError(line: startLine, message: "unterminated heredoc")
                    }
                    heredoc.content = String(scalars: content)
                    instruction.heredocs.append(heredoc)
                }
            }

            instruction.startLine = startLine
            instruction.endLine = currentLine
            if var trigger = instruction.onbuild {
                // BuildKit leaves a trigger's lines at zero; the enclosing lines are more useful.
                trigger.startLine = startLine
                trigger.endLine = currentLine
                instruction.onbuild = trigger
            }
            instructions.append(instruction)
            comments = []
        }

        if !warnings.isEmpty {
            warnings.append("[WARNING]: Empty continuation lines will become errors in a future release.")
        }
        if instructions.isEmpty {
            throw DockerfileError(line: currentLine > 0 ? currentLine : nil, message: "file with no instructions")
        }
        if reader.lineTooLong {
            throw DockerfileError(line: currentLine + 1,
                                  message: "dockerfile line greater than max allowed size of \(LineReader.maxLineBytes)")
        }
        return Dockerfile(
            directives: directives.found,
            escape: Character(directives.escape),
            instructions: instructions,
            warnings: warnings
        )
    }

    /// BuildKit's `processLine`: drop the line ending, optionally the leading whitespace, look
    /// for a directive, and blank the line out if it is a comment.
    private static func processLine(
        _ raw: Scalars, stripLeadingWhitespace: Bool, directives: inout DirectiveParser, line: Int
    ) throws(DockerfileError) -> (text: Scalars, isDirective: Bool) {
        var token = raw.trimmingNewline
        if stripLeadingWhitespace { token = token.goTrimmingLeadingSpace }
        let isDirective: Bool
        do {
            isDirective = try directives.parse(token, line: line)
        } catch {
            throw error.located(at: line)
        }
        return (token.isComment ? [] : token, isDirective)
    }

    /// BuildKit's line-continuation regex `([^E])E[ \t]*$|^E[ \t]*$` (E = escape): a line ending
    /// in the escape character, optionally followed by blanks, continues, unless that escape
    /// character is itself escaped. The escape character and the blanks are removed.
    static func trimContinuation(_ line: Scalars, escape: Unicode.Scalar) -> (Scalars, isEndOfLine: Bool) {
        var end = line.count
        while end > 0, line[end - 1] == " " || line[end - 1] == "\t" { end -= 1 }
        guard end > 0, line[end - 1] == escape else { return (line, true) }
        let escapeIndex = end - 1
        if escapeIndex == 0 { return ([], false) }
        guard line[escapeIndex - 1] != escape else { return (line, true) }
        return (Array(line[..<escapeIndex]), false)
    }
}

extension Instruction {
    /// BuildKit's `canContainHeredoc`: RUN, COPY and ADD in shell form, also as an ONBUILD
    /// trigger.
    var canContainHeredoc: Bool {
        if keyword == "onbuild", let trigger = onbuild { return trigger.canContainHeredoc }
        return ["add", "copy", "run"].contains(keyword) && !isJSON
    }
}

extension Array where Element == Unicode.Scalar {
    /// BuildKit's `isComment`: the first non-whitespace character is `#`.
    var isComment: Bool { goTrimmingLeadingSpace.first == "#" }

    /// Whether the text contains `<<` (BuildKit only looks for heredocs on such lines).
    var containsDoubleLess: Bool {
        guard count >= 2 else { return false }
        for index in 1..<count where self[index] == "<" && self[index - 1] == "<" { return true }
        return false
    }
}

/// Splits text into lines the way BuildKit's scanner does: each line keeps its `\n`, and a line
/// longer than 65535 bytes stops the scan (bufio.Scanner's `ErrTooLong`).
struct LineReader {
    /// `bufio.MaxScanTokenSize - 1`.
    static let maxLineBytes = 65_535

    private let scalars: Scalars
    private var position = 0
    /// Set once a line was too long; no more lines are returned after it.
    private(set) var lineTooLong = false

    init(_ text: String) { scalars = text.scalars }

    mutating func next() -> Scalars? {
        guard !lineTooLong, position < scalars.count else { return nil }
        let end = scalars[position...].firstIndex(of: "\n").map { $0 + 1 } ?? scalars.count
        let line = Array(scalars[position..<end])
        guard line.trimmingNewlineOnce.utf8Count <= Self.maxLineBytes else {
            lineTooLong = true
            return nil
        }
        position = end
        return line
    }
}

extension Array where Element == Unicode.Scalar {
    /// The line without its final `\n` (not the `\r`: the scanner counts it as content).
    fileprivate var trimmingNewlineOnce: Scalars { last == "\n" ? Array(dropLast()) : self }
}

/// BuildKit's `DirectiveParser`: `# key=value` lines at the very top of the file. Scanning stops
/// at the first line that is not a known directive (an instruction, a blank line, any other
/// comment); a repeated key is an error.
struct DirectiveParser {
    /// The directives BuildKit master knows.
    static let validNames: Set<String> = ["syntax", "escape", "check"]

    private(set) var found: [Directive] = []
    private(set) var escape: Unicode.Scalar = "\\"
    private var done = false

    /// Reads one (already left-trimmed) line; true when it was a directive.
    mutating func parse(_ line: Scalars, line number: Int) throws(DockerfileError) -> Bool {
        guard !done else { return false }
        guard line.first == "#", let (key, value) = Self.match(Array(line.dropFirst()).goTrimmingLeadingSpace),
              Self.validNames.contains(key.goLowercased) else {
            done = true
            return false
        }
        let name = key.goLowercased
        if found.contains(where: { $0.name == name }) {
            throw DockerfileError(message: "only one \(name) parser directive can be used")
        }
        found.append(Directive(name: name, value: value, line: number))
        if name == "escape" {
            guard value == "`" || value == "\\" else {
                throw DockerfileError(message: "invalid escape token '\(value)' does not match ` or \\")
            }
            escape = value == "`" ? "`" : "\\"
        }
        return true
    }

    /// The regex `^([a-zA-Z][a-zA-Z0-9]*)\s*=\s*(.+?)\s*$` (RE2 `\s` is `[\t\n\f\r ]`).
    static func match(_ text: Scalars) -> (String, String)? {
        func isASCIILetter(_ s: Unicode.Scalar) -> Bool { ("a"..."z").contains(s) || ("A"..."Z").contains(s) }
        guard let first = text.first, isASCIILetter(first) else { return nil }
        var index = 1
        while index < text.count, isASCIILetter(text[index]) || ("0"..."9").contains(text[index]) { index += 1 }
        let key = String(scalars: text[..<index])
        while index < text.count, text[index].isRE2Space { index += 1 }
        guard index < text.count, text[index] == "=" else { return nil }
        let rest = Array(text[(index + 1)...])
        guard !rest.isEmpty, !rest.contains("\n") else { return nil }
        guard let start = rest.firstIndex(where: { !$0.isRE2Space }) else {
            // All blanks: the lazy group still needs one character, the last blank.
            return (key, String(scalars: [rest[rest.count - 1]]))
        }
        let end = rest.lastIndex(where: { !$0.isRE2Space }) ?? start
        return (key, String(scalars: rest[start...end]))
    }
}
