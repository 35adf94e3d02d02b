// The parsed Dockerfile: BuildKit's parser output (frontend/dockerfile/parser) as value types.

/// A parsed Dockerfile, as BuildKit's Dockerfile frontend parser (`parser.Parse`) produces it.
///
/// Parsing is line-based and happens before any variable expansion: directives are read from
/// the top, comments and line continuations are stripped, heredoc bodies are attached to their
/// instruction, flags are split off the front, and each instruction's arguments follow its own
/// rule (docker-ecs.md §1). `$VAR` substitution is not done here.
public struct Dockerfile: Codable, Equatable, Sendable {
    /// Parser directives found at the top of the file (`# syntax=`, `# escape=`, `# check=`).
    public var directives: [Directive]
    /// The escape character: `\` by default, or `` ` `` after `# escape=``.
    public var escape: Character
    /// The instructions in file order (BuildKit's `Node.Children`).
    public var instructions: [Instruction]
    /// Warnings exactly as BuildKit's `Result.PrintWarnings` prints them, one line each.
    public var warnings: [String]

    public init(
        directives: [Directive] = [],
        escape: Character = "\\",
        instructions: [Instruction] = [],
        warnings: [String] = []
    ) {
        self.directives = directives
        self.escape = escape
        self.instructions = instructions
        self.warnings = warnings
    }

    private enum CodingKeys: String, CodingKey {
        case directives, escape, instructions, warnings
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        directives = try container.decode([Directive].self, forKey: .directives)
        let escapeText = try container.decode(String.self, forKey: .escape)
        guard escapeText.count == 1, let first = escapeText.first else {
            throw DecodingError.dataCorruptedError(
                forKey: .escape, in: container, debugDescription: "escape must be one character")
        }
        escape = first
        instructions = try container.decode([Instruction].self, forKey: .instructions)
        warnings = try container.decode([String].self, forKey: .warnings)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(directives, forKey: .directives)
        try container.encode(String(escape), forKey: .escape)
        try container.encode(instructions, forKey: .instructions)
        try container.encode(warnings, forKey: .warnings)
    }
}

/// A parser directive (`# key=value` at the very top of the file), BuildKit's `parser.Directive`.
public struct Directive: Codable, Equatable, Sendable {
    /// The key, lower-cased (`syntax`, `escape` or `check`).
    public var name: String
    /// The value, with surrounding blanks removed.
    public var value: String
    /// The 1-based line the directive is on.
    public var line: Int

    public init(name: String, value: String, line: Int) {
        self.name = name
        self.value = value
        self.line = line
    }
}

/// A heredoc attached to a `RUN`, `COPY` or `ADD` (BuildKit's `parser.Heredoc`).
///
/// The body is stored as read, *unchomped*: BuildKit strips the leading tabs of a `<<-` body
/// later, in the instruction layer (`ChompHeredocContent`). See `chompedContent`.
public struct Heredoc: Codable, Equatable, Sendable {
    /// The terminator word with its quotes removed (`EOF` for `<<'EOF'`).
    public var name: String
    /// The body lines, each with its line ending, up to (not including) the terminator.
    public var content: String
    /// False when any part of the name was quoted: the body is then not variable-expanded.
    public var expand: Bool
    /// True for `<<-`: leading tabs are stripped from the body and the terminator line.
    public var chomp: Bool
    /// The file descriptor digits before `<<` (`3<<EOF`), 0 when absent.
    public var fileDescriptor: Int

    public init(name: String, content: String = "", expand: Bool = true, chomp: Bool = false,
                fileDescriptor: Int = 0) {
        self.name = name
        self.content = content
        self.expand = expand
        self.chomp = chomp
        self.fileDescriptor = fileDescriptor
    }

    /// The body as the instruction layer uses it: for `<<-`, leading tabs are removed from
    /// every line (BuildKit's `ChompHeredocContent`, regex `(?m)^\t+`).
    public var chompedContent: String {
        guard chomp else { return content }
        var out = Scalars()
        var atLineStart = true
        for scalar in content.unicodeScalars {
            if atLineStart, scalar == "\t" { continue }
            atLineStart = scalar == "\n"
            out.append(scalar)
        }
        return String(scalars: out)
    }
}

/// One instruction of the Dockerfile (a child of BuildKit's root `parser.Node`).
public struct Instruction: Codable, Equatable, Sendable {
    /// The keyword, lower-cased (`from`, `run`, `copy`, or an unknown word as written, lower-cased).
    public var keyword: String
    /// The instruction as BuildKit's `Node.Original` holds it: continuation lines joined with
    /// the escape character and trailing blanks removed, comment lines dropped, no heredoc body.
    public var original: String
    /// The `--flags` split off the front of the arguments, with quotes removed (`--from=builder`).
    public var flags: [String]
    /// The parsed arguments (the values of BuildKit's `Node.Next` chain). Empty for `ONBUILD`,
    /// whose sub-instruction is in `onbuild`.
    public var arguments: [String]
    /// True when the arguments came from a JSON array (exec form; BuildKit's `json` attribute).
    public var isJSON: Bool
    /// Heredocs whose bodies follow this instruction, in order.
    public var heredocs: [Heredoc]
    /// The 1-based line the instruction starts on.
    public var startLine: Int
    /// The 1-based line the instruction ends on (its last continuation or heredoc line).
    public var endLine: Int
    /// The comment lines directly above the instruction (BuildKit's `Node.PrevComment`).
    public var comments: [String]
    /// Storage for `onbuild`; an array gives the recursive value the indirection it needs.
    private var nested: [Instruction]

    /// For `ONBUILD`: the trigger instruction, parsed as an instruction of its own.
    public var onbuild: Instruction? {
        get { nested.first }
        set { nested = newValue.map { [$0] } ?? [] }
    }

    public init(
        keyword: String,
        original: String,
        flags: [String] = [],
        arguments: [String] = [],
        isJSON: Bool = false,
        heredocs: [Heredoc] = [],
        startLine: Int = 0,
        endLine: Int = 0,
        comments: [String] = [],
        onbuild: Instruction? = nil
    ) {
        self.keyword = keyword
        self.original = original
        self.flags = flags
        self.arguments = arguments
        self.isJSON = isJSON
        self.heredocs = heredocs
        self.startLine = startLine
        self.endLine = endLine
        self.comments = comments
        self.nested = onbuild.map { [$0] } ?? []
    }

    private enum CodingKeys: String, CodingKey {
        case keyword, original, flags, arguments, isJSON, heredocs, startLine, endLine, comments
        case onbuild
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        keyword = try container.decode(String.self, forKey: .keyword)
        original = try container.decode(String.self, forKey: .original)
        flags = try container.decode([String].self, forKey: .flags)
        arguments = try container.decode([String].self, forKey: .arguments)
        isJSON = try container.decode(Bool.self, forKey: .isJSON)
        heredocs = try container.decode([Heredoc].self, forKey: .heredocs)
        startLine = try container.decode(Int.self, forKey: .startLine)
        endLine = try container.decode(Int.self, forKey: .endLine)
        comments = try container.decodeIfPresent([String].self, forKey: .comments) ?? []
        nested = try container.decodeIfPresent(Instruction.self, forKey: .onbuild).map { [$0] } ?? []
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(keyword, forKey: .keyword)
        try container.encode(original, forKey: .original)
        try container.encode(flags, forKey: .flags)
        try container.encode(arguments, forKey: .arguments)
        try container.encode(isJSON, forKey: .isJSON)
        try container.encode(heredocs, forKey: .heredocs)
        try container.encode(startLine, forKey: .startLine)
        try container.encode(endLine, forKey: .endLine)
        try container.encode(comments, forKey: .comments)
        try container.encodeIfPresent(onbuild, forKey: .onbuild)
    }

    /// The keyword with the casing it was written in (BuildKit keeps it in `Node.Value` and uses
    /// it in `unknown instruction: FROMX`).
    public var writtenKeyword: String {
        let trimmed = original.scalars.goTrimmingSpace
        let end = trimmed.firstIndex(where: \.isTokenBlank) ?? trimmed.endIndex
        return String(scalars: trimmed[..<end])
    }
}

/// A Dockerfile error: BuildKit's message and, when known, the 1-based line it points at.
public struct DockerfileError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The 1-based line of the instruction (or directive) at fault, when there is one.
    public var line: Int?
    /// BuildKit's wording, e.g. `unterminated heredoc` or `unknown instruction: FROMX`.
    public var message: String

    public init(line: Int? = nil, message: String) {
        self.line = line
        self.message = message
    }

    /// How `docker build` reports it: `dockerfile parse error on line N: <message>`.
    public var description: String {
        guard let line else { return message }
        return "dockerfile parse error on line \(line): \(message)"
    }

    /// The error with `line` filled in, unless it already points somewhere (BuildKit's
    /// `WithLocation` keeps the innermost location).
    func located(at line: Int) -> DockerfileError {
        var copy = self
        if copy.line == nil { copy.line = line }
        return copy
    }
}
