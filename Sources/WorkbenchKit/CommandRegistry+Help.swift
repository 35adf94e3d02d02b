/// `help` and completion, derived from the declarations.
extension CommandRegistry {
    /// The list of commands, grouped: the workbench's own first, then each topic's.
    /// With `prefix` (`chain`, `lesson`, `chain show`), only the commands under it.
    public func overview(prefix: String? = nil) -> Output {
        let chosen: [(String, [CommandSpec])] = groups.compactMap { group in
            let specs = group.names.compactMap { name in commands.first { $0.name == name } }
                .filter { spec in prefix.map { spec.name == $0 || spec.name.hasPrefix($0 + " ") } ?? true }
            return specs.isEmpty ? nil : (group.title, specs)
        }
        let value = Value.array(chosen.flatMap { $0.1 }.map { .object([("command", .string($0.name)), ("abstract", .string($0.abstract))]) })
        return Output(value) { style in
            var lines: [String] = []
            for (title, specs) in chosen {
                lines.append(style.bold(title))
                let width = specs.map { $0.name.count }.max() ?? 0
                for spec in specs { lines.append("  " + Style.pad(spec.name, to: width) + "  " + style.dim(spec.abstract)) }
                lines.append("")
            }
            lines.append("`help COMMAND` explains one command; Tab completes; every command takes --json.")
            return lines.joined(separator: "\n")
        }
    }

    /// One command explained: usage, abstract, discussion, arguments, flags, examples.
    public func detail(_ spec: CommandSpec) -> Output {
        let value = Value.object([
            ("command", .string(spec.name)),
            ("usage", .string(spec.usage)),
            ("abstract", .string(spec.abstract)),
            ("aliases", .array(spec.aliases.map { .string($0.joined(separator: " ")) })),
            ("arguments", .array(spec.parameters.map { .object([("name", .string($0.name)), ("help", .string($0.help)), ("optional", .bool($0.isOptional))]) })),
            ("flags", .array(spec.flags.map { .object([("name", .string($0.name)), ("help", .string($0.help))]) })),
            ("examples", .array(spec.examples.map { .string($0) })),
        ])
        return Output(value) { style in
            var lines = [style.bold("usage: ") + spec.usage, "", spec.abstract]
            if !spec.discussion.isEmpty { lines += ["", spec.discussion] }
            if !spec.aliases.isEmpty { lines += ["", "also: " + spec.aliases.map { $0.joined(separator: " ") }.joined(separator: ", ")] }
            let arguments = spec.parameters.map { ($0.name.uppercased(), $0.help) }
            let flags = spec.flags.map { f in (f.name + (f.kind.map { " \($0.placeholder)" } ?? ""), f.help) }
            let width = (arguments + flags).map { Style.width($0.0) }.max() ?? 0
            if !arguments.isEmpty {
                lines += ["", style.bold("arguments")]
                for (name, help) in arguments { lines.append("  " + Style.pad(name, to: width) + "  " + help) }
            }
            lines += ["", style.bold("flags")]
            for (name, help) in flags { lines.append("  " + Style.pad(name, to: width) + "  " + help) }
            if !spec.examples.isEmpty {
                lines += ["", style.bold("examples")]
                for e in spec.examples { lines.append("  \(e)") }
            }
            return lines.joined(separator: "\n")
        }
    }

    /// Candidates for the word being typed at the end of `lineBeforeCursor`: command words,
    /// sub-commands, flags, choices and live names from the session.
    public func completions(for lineBeforeCursor: String, session: Session) -> [String] {
        guard let tokens = try? Tokenizer.split(lineBeforeCursor) else { return [] }
        let endsWithSpace = lineBeforeCursor.last.map { $0 == " " || $0 == "\t" } ?? true
        let partial = endsWithSpace ? "" : (tokens.last?.text ?? "")
        let done = (endsWithSpace ? tokens : Array(tokens.dropLast())).map(\.text)
        var found: [String] = []

        // Command words.
        var paths: [[String]] = []
        for spec in commands {
            for path in [spec.path] + spec.aliases {
                paths.append(path)
                if let ns = session.namespace, path.first == ns, path.count > 1 { paths.append(Array(path.dropFirst())) }
            }
        }
        for path in paths where done.count < path.count && Array(path.prefix(done.count)) == done {
            let word = path[done.count]
            if word.hasPrefix(partial) { found.append(word) }
        }

        // Arguments of a resolved command.
        if let (spec, consumed) = resolve(done, namespace: session.namespace) {
            let args = Array(done.dropFirst(consumed))
            if spec.path == ["help"] || spec.path == ["expect"] || (spec.path == ["run"] && args.first == "until") {
                // These take a command: complete it as if typed at the start of the line.
                let inner = spec.path == ["run"] ? Array(args.dropFirst()) : args
                let rest = inner.map(Tokenizer.quote).joined(separator: " ")
                return completions(for: (rest.isEmpty ? "" : rest + " ") + partial, session: session)
            }
            if partial.hasPrefix("-") {
                found += spec.flags.map(\.name).filter { $0.hasPrefix(partial) }
            } else if let last = args.last, let flag = spec.flags.first(where: { $0.name == last }), let kind = flag.kind {
                return Self.values(kind, flag.completions, session).filter { $0.hasPrefix(partial) }
            } else {
                var index = 0
                var i = 0
                while i < args.count {
                    if let flag = spec.flags.first(where: { $0.name == args[i] }) { i += flag.kind == nil ? 1 : 2; continue }
                    index += 1
                    i += 1
                }
                if index < spec.parameters.count {
                    let p = spec.parameters[index]
                    found += Self.values(p.kind, p.completions, session).filter { $0.hasPrefix(partial) }
                }
            }
        }
        var unique: [String] = []
        for word in found where !unique.contains(word) { unique.append(word) }
        return unique.sorted()
    }

    private static func values(_ kind: ArgumentKind, _ live: LiveNames?, _ session: Session) -> [String] {
        if let live { return live(session) }
        if case let .choice(options) = kind { return options }
        return []
    }
}
