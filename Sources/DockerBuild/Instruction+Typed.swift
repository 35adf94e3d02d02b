// Typed instructions: BuildKit's instruction layer (frontend/dockerfile/instructions/parse.go,
// bflag.go, commands_runmount.go, commands_runnetwork.go, commands_runsecurity.go), described in
// docker-ecs.md §1.5 and §1.8.
//
// The parser accepts any keyword and any `--flag`; this layer rejects unknown instructions,
// unknown or malformed flags and wrong argument counts, with BuildKit's messages. Values are
// raw: quotes, escapes and `$VAR` references are left for the variable-substitution lexer.

/// An instruction checked and typed as BuildKit's `instructions.ParseInstruction` does.
public enum Command: Codable, Equatable, Sendable {
    case from(FromCommand)
    case run(RunCommand)
    case cmd(CmdCommand)
    case entrypoint(EntrypointCommand)
    case shell(ShellCommand)
    case copy(CopyCommand)
    case add(AddCommand)
    case arg(ArgCommand)
    case env(EnvCommand)
    case label(LabelCommand)
    case workdir(WorkdirCommand)
    case user(UserCommand)
    case expose(ExposeCommand)
    case volume(VolumeCommand)
    case stopSignal(StopSignalCommand)
    case healthcheck(HealthcheckCommand)
    case onbuild(OnbuildCommand)
    case maintainer(MaintainerCommand)
}

/// A command line in shell form (run through the shell) or exec form (a JSON array).
public enum CommandForm: Codable, Equatable, Sendable {
    /// Shell form: the text as written (an instruction with no arguments gives `""`).
    case shell(String)
    /// Exec form: the JSON array's strings.
    case exec([String])
}

/// `FROM [--platform=p] image [AS name]` (BuildKit's `Stage` header).
public struct FromCommand: Codable, Equatable, Sendable {
    /// The base: an image reference or an earlier stage's name, unexpanded.
    public var image: String
    /// The stage name after `AS`, lower-cased; nil for an unnamed stage.
    public var stageName: String?
    /// `--platform`, unexpanded.
    public var platform: String?
}

/// A heredoc used as a COPY/ADD source (BuildKit's `SourceContent`).
public struct SourceContent: Codable, Equatable, Sendable {
    /// The heredoc name, used as the file name.
    public var path: String
    /// The body, chomped for `<<-`.
    public var data: String
    /// Whether variables in the body are expanded (the name was not quoted).
    public var expand: Bool
}

/// `COPY [flags] src... dest`.
public struct CopyCommand: Codable, Equatable, Sendable {
    /// Source paths, in order (heredoc sources are in `contents`).
    public var sources: [String]
    /// Heredoc sources, in order.
    public var contents: [SourceContent]
    public var destination: String
    /// `--from`: a stage name, a stage index, an image or a named context.
    public var from: String?
    public var chown: String?
    public var chmod: String?
    public var link: Bool
    public var parents: Bool
    /// `--exclude`, repeatable.
    public var excludes: [String]
}

/// `ADD [flags] src... dest`.
public struct AddCommand: Codable, Equatable, Sendable {
    public var sources: [String]
    public var contents: [SourceContent]
    public var destination: String
    public var chown: String?
    public var chmod: String?
    public var link: Bool
    public var keepGitDir: Bool
    public var checksum: String?
    public var excludes: [String]
    /// `--unpack`, nil when not given.
    public var unpack: Bool?
}

/// One `--mount` value split into its CSV fields, in order.
public struct RunMount: Codable, Equatable, Sendable {
    /// One `key=value` field (`value` nil for a bare key such as `ro`); keys are lower-cased.
    public struct Option: Codable, Equatable, Sendable {
        public var key: String
        public var value: String?
    }

    /// The fields as written, in order.
    public var options: [Option]

    /// The last value given for `key` (or any of its aliases, e.g. `target`/`dst`/`destination`).
    public subscript(key: String) -> String? {
        let aliases: [String: [String]] = [
            "target": ["target", "dst", "destination"], "source": ["source", "src"],
            "readonly": ["readonly", "ro"], "readwrite": ["readwrite", "rw"],
        ]
        let names = aliases[key] ?? [key]
        return options.last(where: { names.contains($0.key) }).flatMap(\.value)
    }

    /// The mount type; `bind` when not given.
    public var type: String { self["type"]?.goLowercased ?? "bind" }
    /// The stage or image a bind/cache mount reads from: a graph edge.
    public var from: String? { self["from"] }
    public var target: String? { self["target"] }
}

/// `RUN [flags] command`.
public struct RunCommand: Codable, Equatable, Sendable {
    public var command: CommandForm
    /// Heredoc files (bodies unchomped, with their `chomp` flag), BuildKit's `ShellInlineFile`s.
    public var heredocs: [Heredoc]
    public var mounts: [RunMount]
    /// `--network`: `default`, `none` or `host`.
    public var network: String
    /// `--security`: `sandbox` or `insecure`.
    public var security: String
}

public struct CmdCommand: Codable, Equatable, Sendable {
    public var command: CommandForm
}

public struct EntrypointCommand: Codable, Equatable, Sendable {
    public var command: CommandForm
}

/// `SHELL ["executable", "parameters"]` (JSON form only).
public struct ShellCommand: Codable, Equatable, Sendable {
    public var shell: [String]
}

/// One name of an `ARG`, with its default value if it has one.
public struct ArgDeclaration: Codable, Equatable, Sendable {
    public var name: String
    /// The raw default (quotes and `$` references unprocessed); nil for `ARG NAME`.
    public var defaultValue: String?
}

/// `ARG name[=default] ...` (several per line).
public struct ArgCommand: Codable, Equatable, Sendable {
    public var args: [ArgDeclaration]
}

/// A key and its raw value from ENV or LABEL (BuildKit's `KeyValuePair`).
public struct KeyValuePair: Codable, Equatable, Sendable {
    public var key: String
    /// The raw value: quotes and escapes are processed later by variable substitution.
    public var value: String
    /// True for the legacy `ENV key value` form (no `=`).
    public var noDelimiter: Bool
}

public struct EnvCommand: Codable, Equatable, Sendable {
    public var pairs: [KeyValuePair]
}

public struct LabelCommand: Codable, Equatable, Sendable {
    public var labels: [KeyValuePair]
}

public struct WorkdirCommand: Codable, Equatable, Sendable {
    public var path: String
}

public struct UserCommand: Codable, Equatable, Sendable {
    public var user: String
}

public struct ExposeCommand: Codable, Equatable, Sendable {
    /// The ports as written, sorted as BuildKit sorts them (byte order).
    public var ports: [String]
}

public struct VolumeCommand: Codable, Equatable, Sendable {
    public var volumes: [String]
}

public struct StopSignalCommand: Codable, Equatable, Sendable {
    public var signal: String
}

public struct MaintainerCommand: Codable, Equatable, Sendable {
    public var maintainer: String
}

/// `HEALTHCHECK NONE` or `HEALTHCHECK [options] CMD command` (Docker's `HealthConfig`).
public struct HealthcheckCommand: Codable, Equatable, Sendable {
    /// `["NONE"]`, `["CMD", args...]` (exec form) or `["CMD-SHELL", command]`.
    public var test: [String]
    public var intervalNs: Int64
    public var timeoutNs: Int64
    public var startPeriodNs: Int64
    public var startIntervalNs: Int64
    public var retries: Int
}

/// `ONBUILD instruction`: a trigger stored in the image and run by a later `FROM` of it.
public struct OnbuildCommand: Codable, Equatable, Sendable {
    /// BuildKit's `Expression`: the text after `ONBUILD`, heredoc bodies appended.
    public var expression: String
    /// The trigger, already parsed; `try trigger.command()` types it.
    public var trigger: Instruction
}

extension Command {
    public var from: FromCommand? { if case .from(let value) = self { value } else { nil } }
    public var run: RunCommand? { if case .run(let value) = self { value } else { nil } }
    public var copy: CopyCommand? { if case .copy(let value) = self { value } else { nil } }
    public var add: AddCommand? { if case .add(let value) = self { value } else { nil } }
    public var arg: ArgCommand? { if case .arg(let value) = self { value } else { nil } }
    public var env: EnvCommand? { if case .env(let value) = self { value } else { nil } }
    public var onbuild: OnbuildCommand? { if case .onbuild(let value) = self { value } else { nil } }
}

extension Dockerfile {
    /// Every instruction typed in order, as BuildKit's `instructions.Parse` does; the first
    /// failing instruction's error is thrown (its `description` reads
    /// `dockerfile parse error on line N: ...`).
    public func commands() throws(DockerfileError) -> [Command] {
        var commands: [Command] = []
        for instruction in instructions { commands.append(try instruction.command()) }
        return commands
    }
}

/// The 18 instruction keywords (BuildKit's command.Commands), for "did you mean".
private let instructionNames = [
    "ADD", "ARG", "CMD", "COPY", "ENTRYPOINT", "ENV", "EXPOSE", "FROM", "HEALTHCHECK", "LABEL",
    "MAINTAINER", "ONBUILD", "RUN", "SHELL", "STOPSIGNAL", "USER", "VOLUME", "WORKDIR",
]

extension Instruction {
    /// Types this instruction, checking it as BuildKit's `ParseInstruction` does.
    ///
    /// - Throws: `DockerfileError` at `startLine`, e.g. `unknown instruction: FROMX (did you
    ///   mean FROM?)`, `unknown flag: --fro (did you mean from?)`, `ENV names can not be blank`,
    ///   `FROM requires either one or three arguments`.
    public func command() throws(DockerfileError) -> Command {
        do {
            return try typed()
        } catch {
            throw error.located(at: startLine)
        }
    }

    /// BuildKit's `nodeArgs`: ONBUILD's trigger keyword and arguments are flattened in.
    private var nodeArguments: [String] {
        guard let trigger = onbuild else { return arguments }
        return [trigger.writtenKeyword] + trigger.nodeArguments
    }

    private func typed() throws(DockerfileError) -> Command {
        let args = nodeArguments
        switch keyword {
        case "env":
            var flags = BuildFlags([])
            try flags.parse(self.flags)
            return .env(EnvCommand(pairs: try keyValuePairs(args, command: "ENV")))
        case "maintainer":
            guard args.count == 1 else { throw exactlyOneArgument("MAINTAINER") }
            var flags = BuildFlags([])
            try flags.parse(self.flags)
            return .maintainer(MaintainerCommand(maintainer: args[0]))
        case "label":
            var flags = BuildFlags([])
            try flags.parse(self.flags)
            return .label(LabelCommand(labels: try keyValuePairs(args, command: "LABEL")))
        case "add":
            return .add(try addCommand(args))
        case "copy":
            return .copy(try copyCommand(args))
        case "from":
            return .from(try fromCommand(args))
        case "onbuild":
            return .onbuild(try onbuildCommand(args))
        case "workdir":
            guard args.count == 1 else { throw exactlyOneArgument("WORKDIR") }
            var flags = BuildFlags([])
            try flags.parse(self.flags)
            return .workdir(WorkdirCommand(path: args[0]))
        case "run":
            return .run(try runCommand(args))
        case "cmd":
            var flags = BuildFlags([])
            try flags.parse(self.flags)
            return .cmd(CmdCommand(command: commandForm(args)))
        case "healthcheck":
            return .healthcheck(try healthcheckCommand(args))
        case "entrypoint":
            var flags = BuildFlags([])
            try flags.parse(self.flags)
            return .entrypoint(EntrypointCommand(command: commandForm(args)))
        case "expose":
            guard !args.isEmpty else { throw atLeastOneArgument("EXPOSE") }
            var flags = BuildFlags([])
            try flags.parse(self.flags)
            return .expose(ExposeCommand(ports: args.sorted { $0.goLess($1) }))
        case "user":
            guard args.count == 1 else { throw exactlyOneArgument("USER") }
            var flags = BuildFlags([])
            try flags.parse(self.flags)
            return .user(UserCommand(user: args[0]))
        case "volume":
            guard !args.isEmpty else { throw atLeastOneArgument("VOLUME") }
            var flags = BuildFlags([])
            try flags.parse(self.flags)
            var volumes: [String] = []
            for volume in args {
                let trimmed = volume.goTrimmingSpace
                guard !trimmed.isEmpty else {
                    throw DockerfileError(message: "VOLUME specified can not be an empty string")
                }
                volumes.append(trimmed)
            }
            return .volume(VolumeCommand(volumes: volumes))
        case "stopsignal":
            // BuildKit does not parse STOPSIGNAL's flags.
            guard args.count == 1 else { throw exactlyOneArgument("STOPSIGNAL") }
            return .stopSignal(StopSignalCommand(signal: args[0]))
        case "arg":
            return .arg(try argCommand(args))
        case "shell":
            var flags = BuildFlags([])
            try flags.parse(self.flags)
            guard !args.isEmpty else { throw atLeastOneArgument("SHELL") }
            guard isJSON else { throw notJSON("SHELL") }
            return .shell(ShellCommand(shell: args))
        default:
            throw DockerfileError(message: suggesting("unknown instruction: \(writtenKeyword)",
                                                      for: writtenKeyword, among: instructionNames,
                                                      caseSensitive: false))
        }
    }

    // MARK: per instruction

    /// `FROM`: one word, or three with `AS` (any case) in the middle.
    private func fromCommand(_ args: [String]) throws(DockerfileError) -> FromCommand {
        var stageName: String?
        if args.count == 3, args[1].goLowercased == "as" {
            let name = args[2].goLowercased
            guard isValidStageName(name) else {
                throw DockerfileError(message:
                    "invalid name for build stage: \(args[2].goQuoted), name can't start with a number or contain symbols")
            }
            stageName = name
        } else if args.count != 1 {
            throw DockerfileError(message: "FROM requires either one or three arguments")
        }
        var flags = BuildFlags([("platform", .string)])
        try flags.parse(self.flags)
        return FromCommand(image: args[0], stageName: stageName, platform: flags.string("platform"))
    }

    /// `^[a-z][a-z0-9-_.]*$`.
    private func isValidStageName(_ name: String) -> Bool {
        let scalars = name.scalars
        guard let first = scalars.first, ("a"..."z").contains(first) else { return false }
        return scalars.dropFirst().allSatisfy {
            ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "-" || $0 == "_" || $0 == "."
        }
    }

    private func copyCommand(_ args: [String]) throws(DockerfileError) -> CopyCommand {
        guard args.count >= 2 else { throw noDestination("COPY") }
        var flags = BuildFlags([
            ("chown", .string), ("from", .string), ("chmod", .string), ("link", .bool),
            ("exclude", .strings), ("parents", .bool),
        ])
        try flags.parse(self.flags)
        let (sources, contents, destination) = try sourcesAndDestination(args, command: "COPY")
        return CopyCommand(
            sources: sources, contents: contents, destination: destination,
            from: flags.string("from"), chown: flags.string("chown"), chmod: flags.string("chmod"),
            link: flags.bool("link"), parents: flags.bool("parents"), excludes: flags.strings("exclude"))
    }

    private func addCommand(_ args: [String]) throws(DockerfileError) -> AddCommand {
        guard args.count >= 2 else { throw noDestination("ADD") }
        var flags = BuildFlags([
            ("exclude", .strings), ("chown", .string), ("chmod", .string), ("link", .bool),
            ("keep-git-dir", .bool), ("checksum", .string), ("unpack", .bool),
        ])
        try flags.parse(self.flags)
        let (sources, contents, destination) = try sourcesAndDestination(args, command: "ADD")
        return AddCommand(
            sources: sources, contents: contents, destination: destination,
            chown: flags.string("chown"), chmod: flags.string("chmod"), link: flags.bool("link"),
            keepGitDir: flags.bool("keep-git-dir"), checksum: flags.string("checksum"),
            excludes: flags.strings("exclude"), unpack: flags.isUsed("unpack") ? flags.bool("unpack") : nil)
    }

    /// BuildKit's `parseSourcesAndDest`: the last argument is the destination (it may not be a
    /// heredoc); `<<NAME` sources take their body from this instruction's heredocs.
    private func sourcesAndDestination(_ args: [String], command: String) throws(DockerfileError)
        -> ([String], [SourceContent], String) {
        let destination = args[args.count - 1]
        if (try? Heredoc.parse(word: destination.scalars)) != nil {
            throw DockerfileError(message: "\(command) cannot accept a heredoc as a destination")
        }
        var bodies: [String: String] = [:]
        for heredoc in heredocs { bodies[heredoc.name] = heredoc.content }
        var sources: [String] = []
        var contents: [SourceContent] = []
        for source in args.dropLast() {
            if let parsed = (try? Heredoc.parse(word: source.scalars)) ?? nil {
                var body = Heredoc(name: parsed.name, content: bodies[parsed.name] ?? "", chomp: parsed.chomp)
                body.content = body.chompedContent
                contents.append(SourceContent(path: parsed.name, data: body.content, expand: parsed.expand))
            } else {
                sources.append(source)
            }
        }
        return (sources, contents, destination)
    }

    private func runCommand(_ args: [String]) throws(DockerfileError) -> RunCommand {
        var flags = BuildFlags([("mount", .strings), ("network", .string), ("security", .string)])
        try flags.parse(self.flags)
        var mounts: [RunMount] = []
        for value in flags.strings("mount") {
            let fields: [String]
            switch GoCSV.record(value) {
            case .success(let record): fields = record
            case .failure(let failure):
                throw DockerfileError(message: "failed to parse csv mounts: \(failure.message)")
            }
            var options: [RunMount.Option] = []
            for field in fields {
                if let equals = field.firstIndex(of: "=") {
                    let key = String(field[..<equals]).goLowercased
                    let optionValue = String(field[field.index(after: equals)...])
                    // `from` names a stage or image: it must be resolvable before expansion.
                    if key == "from", optionValue.scalars.dropLast().contains("$") {
                        throw DockerfileError(message:
                            "'from' doesn't support variable expansion, define alias stage instead")
                    }
                    options.append(RunMount.Option(key: key, value: optionValue))
                } else {
                    options.append(RunMount.Option(key: field.goLowercased, value: nil))
                }
            }
            mounts.append(RunMount(options: options))
        }
        let network = flags.string("network", default: "default")
        guard ["default", "none", "host"].contains(network) else {
            throw DockerfileError(message: "invalid network mode \(network.goQuoted)")
        }
        let security = flags.string("security", default: "sandbox")
        guard ["sandbox", "insecure"].contains(security) else {
            throw DockerfileError(message: "security \(security.goQuoted) is not valid")
        }
        return RunCommand(command: commandForm(args), heredocs: heredocs, mounts: mounts,
                          network: network, security: security)
    }

    private func healthcheckCommand(_ args: [String]) throws(DockerfileError) -> HealthcheckCommand {
        guard let first = args.first else { throw atLeastOneArgument("HEALTHCHECK") }
        let type = first.goUppercased
        let rest = Array(args.dropFirst())
        if type == "NONE" {
            guard rest.isEmpty else { throw DockerfileError(message: "HEALTHCHECK NONE takes no arguments") }
            return HealthcheckCommand(test: ["NONE"], intervalNs: 0, timeoutNs: 0, startPeriodNs: 0,
                                      startIntervalNs: 0, retries: 0)
        }
        var flags = BuildFlags([
            ("interval", .string), ("timeout", .string), ("start-period", .string),
            ("start-interval", .string), ("retries", .string),
        ])
        try flags.parse(self.flags)
        guard type == "CMD" else {
            throw DockerfileError(message: "Unknown type \(type.goQuoted) in HEALTHCHECK (try CMD)")
        }
        guard !rest.isEmpty else { throw DockerfileError(message: "Missing command after HEALTHCHECK CMD") }
        let test = isJSON ? ["CMD"] + rest : ["CMD-SHELL", rest.joined(separator: " ")]
        func interval(_ name: String) throws(DockerfileError) -> Int64 {
            guard let text = flags.string(name) else { return 0 }
            let value: Int64
            switch GoDuration.nanoseconds(text) {
            case .success(let parsed): value = parsed
            case .failure(let failure): throw failure
            }
            if value == 0 { return 0 }
            guard value >= 1_000_000 else {
                throw DockerfileError(message: "Interval \(name.goQuoted) cannot be less than 1ms")
            }
            return value
        }
        var retries = 0
        if let text = flags.string("retries") {
            switch GoInteger.int32(text) {
            case .success(let parsed): retries = parsed
            case .failure(let failure): throw failure
            }
            guard retries >= 0 else {
                throw DockerfileError(message: "--retries cannot be negative (\(retries))")
            }
        }
        return HealthcheckCommand(
            test: test, intervalNs: try interval("interval"), timeoutNs: try interval("timeout"),
            startPeriodNs: try interval("start-period"), startIntervalNs: try interval("start-interval"),
            retries: retries)
    }

    private func onbuildCommand(_ args: [String]) throws(DockerfileError) -> OnbuildCommand {
        guard let first = args.first, let trigger = onbuild else { throw atLeastOneArgument("ONBUILD") }
        var flags = BuildFlags([])
        try flags.parse(self.flags)
        let triggerKeyword = first.goTrimmingSpace.goUppercased
        switch triggerKeyword {
        case "ONBUILD":
            throw DockerfileError(message: "Chaining ONBUILD via `ONBUILD ONBUILD` isn't allowed")
        case "MAINTAINER", "FROM":
            throw DockerfileError(message: "\(triggerKeyword) isn't allowed as an ONBUILD trigger")
        default:
            break
        }
        // `(?i)^\s*ONBUILD\s*` removed from the original text, then heredoc bodies appended.
        var expression = original.scalars
        let start = expression.firstIndex(where: { !$0.isRE2Space }) ?? expression.count
        if start + 7 <= expression.count,
           String(scalars: expression[start..<(start + 7)]).goLowercased == "onbuild" {
            let end = expression[(start + 7)...].firstIndex(where: { !$0.isRE2Space }) ?? expression.count
            expression.removeSubrange(0..<end)
        }
        var text = String(scalars: expression)
        for heredoc in heredocs { text += "\n" + heredoc.content + heredoc.name }
        var nested = trigger
        nested.heredocs = heredocs
        return OnbuildCommand(expression: text, trigger: nested)
    }

    /// `ARG name[=value] ...`; every word is one declaration.
    private func argCommand(_ args: [String]) throws(DockerfileError) -> ArgCommand {
        guard !args.isEmpty else { throw atLeastOneArgument("ARG") }
        var declarations: [ArgDeclaration] = []
        for arg in args {
            if let equals = arg.firstIndex(of: "=") {
                let name = String(arg[..<equals])
                guard !name.isEmpty else { throw DockerfileError(message: "ARG names can not be blank") }
                declarations.append(ArgDeclaration(name: name, defaultValue: String(arg[arg.index(after: equals)...])))
            } else {
                declarations.append(ArgDeclaration(name: arg, defaultValue: nil))
            }
        }
        return ArgCommand(args: declarations)
    }

    /// BuildKit's `parseKvps`: the parser's (key, value, separator) triples.
    private func keyValuePairs(_ args: [String], command: String) throws(DockerfileError) -> [KeyValuePair] {
        guard !args.isEmpty else { throw atLeastOneArgument(command) }
        guard args.count % 3 == 0 else { throw DockerfileError(message: "Bad input to \(command), too many arguments") }
        var pairs: [KeyValuePair] = []
        for start in stride(from: 0, to: args.count, by: 3) {
            guard !args[start].isEmpty else { throw DockerfileError(message: "\(command) names can not be blank") }
            pairs.append(KeyValuePair(key: args[start], value: args[start + 1], noDelimiter: args[start + 2].isEmpty))
        }
        return pairs
    }

    // MARK: helpers

    /// BuildKit's `handleJSONArgs`: exec form keeps the array; shell form is one string.
    private func commandForm(_ args: [String]) -> CommandForm {
        isJSON ? .exec(args) : .shell(args.joined(separator: " "))
    }

    private func atLeastOneArgument(_ command: String) -> DockerfileError {
        DockerfileError(message: "\(command) requires at least one argument")
    }

    private func exactlyOneArgument(_ command: String) -> DockerfileError {
        DockerfileError(message: "\(command) requires exactly one argument")
    }

    private func noDestination(_ command: String) -> DockerfileError {
        DockerfileError(message:
            "\(command) requires at least two arguments, but only one was provided. Destination could not be determined")
    }

    /// BuildKit's `errNotJSON`, with its hint for unescaped Windows paths.
    private func notJSON(_ command: String) -> DockerfileError {
        let lowered = original.goLowercased.replacingEvery(command.goLowercased + " ", with: "")
        var extra = ""
        let scalars = lowered.scalars
        let looksLikeDrivePath = scalars.indices.contains { index in
            index + 3 < scalars.count && scalars[index] == "\"" && ("a"..."z").contains(scalars[index + 1])
                && scalars[index + 2] == ":" && scalars[index + 3] == "\\"
        }
        if looksLikeDrivePath, !lowered.contains("\\\\"), lowered.contains("["), lowered.contains("]") {
            extra = ". It looks like '\(lowered)' includes a file path without an escaped back-slash. JSON requires back-slashes to be escaped such as [\"c:\\\\path\\\\to\\\\file.exe\", \"/parameter\"]"
        }
        return DockerfileError(message: "\(command) requires the arguments to be in JSON form\(extra)")
    }
}

extension String {
    /// Replaces every occurrence of `target` (Go's `strings.ReplaceAll`), without Foundation.
    func replacingEvery(_ target: String, with replacement: String) -> String {
        let source = scalars
        let pattern = target.scalars
        guard !pattern.isEmpty else { return self }
        var out = Scalars()
        var index = 0
        while index < source.count {
            if index + pattern.count <= source.count, Array(source[index..<(index + pattern.count)]) == pattern {
                out += replacement.scalars
                index += pattern.count
            } else {
                out.append(source[index])
                index += 1
            }
        }
        return String(scalars: out)
    }
}
