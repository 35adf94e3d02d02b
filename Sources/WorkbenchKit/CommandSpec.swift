/// The type of a command's argument or option value. Parsing, the usage line, the error for a
/// bad word and completion all come from it.
public enum ArgumentKind: Sendable {
    case text
    case integer(ClosedRange<Int64>)
    case choice([String])
    /// A simulated duration such as `500ms`, `10s`, `2m`, `1h`, `7d` (a bare number is milliseconds).
    case duration
    /// A path to a file on the learner's machine.
    case file

    var placeholder: String {
        switch self {
        case .text: "TEXT"
        case .integer: "N"
        case let .choice(options): options.joined(separator: "|")
        case .duration: "DURATION"
        case .file: "FILE"
        }
    }
}

/// Live names for completion, read from the session at the moment Tab is pressed
/// (block numbers, lesson ids, topic names).
public typealias LiveNames = @Sendable (Session) -> [String]

/// A positional argument.
public struct Parameter: Sendable {
    public var name: String
    public var kind: ArgumentKind
    public var help: String
    public var isOptional: Bool
    /// Takes every remaining word (joined by spaces), for free text such as a file list.
    public var isVariadic: Bool
    public var completions: LiveNames?

    public static func required(_ name: String, _ kind: ArgumentKind, _ help: String, completions: LiveNames? = nil) -> Parameter {
        Parameter(name: name, kind: kind, help: help, isOptional: false, isVariadic: false, completions: completions)
    }

    public static func optional(_ name: String, _ kind: ArgumentKind, _ help: String, completions: LiveNames? = nil) -> Parameter {
        Parameter(name: name, kind: kind, help: help, isOptional: true, isVariadic: false, completions: completions)
    }

    public static func rest(_ name: String, _ help: String, optional: Bool = false) -> Parameter {
        Parameter(name: name, kind: .text, help: help, isOptional: optional, isVariadic: true, completions: nil)
    }
}

/// A `--name` flag: a switch when `kind` is nil, otherwise an option that takes one value.
public struct CommandFlag: Sendable {
    public var name: String
    public var kind: ArgumentKind?
    public var help: String
    public var completions: LiveNames?

    public static func toggle(_ name: String, _ help: String) -> CommandFlag {
        CommandFlag(name: name, kind: nil, help: help, completions: nil)
    }

    public static func option(_ name: String, _ kind: ArgumentKind, _ help: String, completions: LiveNames? = nil) -> CommandFlag {
        CommandFlag(name: name, kind: kind, help: help, completions: completions)
    }
}

/// What a command may do to the session; decides snapshots and where `expect` may run it.
public enum CommandEffect: Sendable {
    /// Only reads state: safe inside `expect` and `run until`.
    case readOnly
    /// Changes simulated state: a snapshot is taken first, so `undo` can revert it.
    case mutating
    /// Works on the session itself (undo, load, lesson navigation); manages its own history.
    case session
}

/// One command, declared once. Parsing, `help`, usage lines, "did you mean", completion and
/// `--json` all derive from this value; there is no second list anywhere.
public struct CommandSpec: Sendable {
    public var path: [String]
    public var aliases: [[String]]
    public var abstract: String
    public var discussion: String
    public var parameters: [Parameter]
    public var flags: [CommandFlag]
    public var effect: CommandEffect
    public var examples: [String]
    /// The command reads its own words (`expect`, `run until`): flags of the command it
    /// queries pass through untouched.
    public var readsOwnWords: Bool
    /// Whether a successful run is written to the session's command log (what `save --script`
    /// replays): every command that changes state, plus the session commands that matter to a replay.
    public var logged: Bool
    /// Whether `expect` and `run until` may query it. Read-only commands may; a command that
    /// changes state may too when the change is incidental (a JSON-RPC call), since a query runs
    /// on the state and puts it back afterwards.
    public var expectable: Bool
    public var run: @Sendable (Invocation, Session) throws -> Output

    public init(
        _ path: [String], aliases: [[String]] = [], abstract: String, discussion: String = "",
        parameters: [Parameter] = [], flags: [CommandFlag] = [], effect: CommandEffect, expectable: Bool? = nil, examples: [String] = [],
        readsOwnWords: Bool = false, logged: Bool? = nil,
        run: @escaping @Sendable (Invocation, Session) throws -> Output
    ) {
        self.readsOwnWords = readsOwnWords
        self.expectable = expectable ?? (effect == .readOnly)
        self.logged = logged ?? (effect == .mutating)
        self.path = path
        self.aliases = aliases
        self.abstract = abstract
        self.discussion = discussion
        self.parameters = parameters
        // Every command prints a value, so every command accepts --json.
        self.flags = flags + [.toggle("--json", "Print the result as JSON.")]
        self.effect = effect
        self.examples = examples
        self.run = run
    }

    public var name: String { path.joined(separator: " ") }

    /// The usage line, e.g. `chain mine --data TEXT [--step] [--json]`.
    public var usage: String {
        var parts = [name]
        for p in parameters {
            let word = p.isVariadic ? "\(p.name.uppercased())..." : p.name.uppercased()
            parts.append(p.isOptional ? "[\(word)]" : word)
        }
        for f in flags {
            parts.append(f.kind.map { "[\(f.name) \($0.placeholder)]" } ?? "[\(f.name)]")
        }
        return parts.joined(separator: " ")
    }
}

/// A typed argument value after parsing.
public enum ArgumentValue: Equatable, Sendable {
    case text(String)
    case integer(Int64)
    case durationMs(Int64)
}

/// A parsed command line: the declaration it matched and its typed values.
public struct Invocation {
    public var spec: CommandSpec
    public var values: [String: ArgumentValue]
    public var switches: Set<String>
    /// The line as the learner typed it (for history and transcripts).
    public var line: String
    /// The words after the command's name, with their quoting (for `expect`, which reads its own).
    public var tokens: [Token] = []

    public func text(_ name: String) -> String? {
        switch values[name] {
        case let .text(s): s
        case let .integer(i): String(i)
        case let .durationMs(ms): String(ms)
        case nil: nil
        }
    }

    public func integer(_ name: String) -> Int64? {
        if case let .integer(i) = values[name] { return i }
        return nil
    }

    public func int(_ name: String) -> Int? { integer(name).map { Int($0) } }

    public func durationMs(_ name: String) -> Int64? {
        if case let .durationMs(ms) = values[name] { return ms }
        return nil
    }

    public func has(_ flag: String) -> Bool { switches.contains(flag) }
    public var json: Bool { has("--json") }
}

/// What a command returns: one value, and optionally a terminal view derived from it.
public struct Output {
    public var value: Value
    public var view: ((Style) -> String)?

    public init(_ value: Value, view: ((Style) -> String)? = nil) {
        self.value = value
        self.view = view
    }

    public static func text(_ message: String, value: Value? = nil) -> Output {
        Output(value ?? .string(message)) { _ in message }
    }

    /// The text a learner sees: the view, or the value itself when there is none.
    public func render(style: Style, json: Bool) -> String {
        if json { return value.prettyJSON }
        if let view { return view(style) }
        if case let .string(s) = value { return s }
        return value.prettyJSON
    }
}
