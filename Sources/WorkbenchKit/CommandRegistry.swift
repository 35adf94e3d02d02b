/// All command declarations of a session, and everything derived from them: resolving words to
/// a command, binding typed arguments, usage errors with "did you mean", help and completion.
public struct CommandRegistry {
    public private(set) var commands: [CommandSpec] = []
    /// Help groups in the order they were registered: (title, command names).
    public private(set) var groups: [(title: String, names: [String])] = []
    /// Topic namespaces (`chain`): the words `use` accepts.
    public private(set) var namespaces: [String] = []

    public init() {}

    /// Adds a group of commands; `namespace` marks the group as a topic's.
    public mutating func register(_ group: String, _ specs: [CommandSpec], namespace: String? = nil) {
        for command in specs {
            precondition(!commands.contains { $0.path == command.path }, "command \(command.name) declared twice")
            commands.append(command)
        }
        groups.append((group, specs.map(\.name)))
        if let namespace { namespaces.append(namespace) }
    }

    /// Finds the command whose path (or alias) is the longest prefix of `words`, trying the
    /// current namespace first (`use chain` lets `mine` mean `chain mine`).
    public func resolve(_ words: [String], namespace: String?) -> (spec: CommandSpec, consumed: Int)? {
        if let namespace, let found = longestMatch([namespace] + words) {
            return (found.spec, found.consumed - 1)
        }
        return longestMatch(words)
    }

    private func longestMatch(_ words: [String]) -> (spec: CommandSpec, consumed: Int)? {
        var best: (spec: CommandSpec, consumed: Int)?
        for spec in commands {
            for path in [spec.path] + spec.aliases where path.count <= words.count && Array(words.prefix(path.count)) == path {
                if path.count > (best?.consumed ?? 0) { best = (spec, path.count) }
            }
        }
        return best
    }

    /// Parses a line of words into an invocation, or explains in one line what is wrong.
    public func parse(_ tokens: [Token], line: String, namespace: String?) throws(WorkbenchError) -> Invocation {
        let words = tokens.map(\.text)
        guard let (spec, consumed) = resolve(words, namespace: namespace) else {
            throw .unknownCommand(words.prefix(2).joined(separator: " "), suggestions: suggestions(for: words, namespace: namespace))
        }
        return try bind(spec, Array(tokens.dropFirst(consumed)), line: line)
    }

    /// Binds the words after the command name to its parameters and flags.
    public func bind(_ spec: CommandSpec, _ tokens: [Token], line: String) throws(WorkbenchError) -> Invocation {
        var values: [String: ArgumentValue] = [:]
        var switches: Set<String> = []
        var positionals: [String] = []
        var i = 0
        func usage(_ problem: String) -> WorkbenchError { .usage(command: spec.name, problem: problem, usage: spec.usage) }

        while i < tokens.count {
            let token = tokens[i]
            let word = token.text
            // `--name` flags, and the single-dash flags a command declares itself (zkCli's `-s`, `-v 3`).
            let isShort = word.count == 2 && word.hasPrefix("-") && spec.flags.contains { $0.name == word }
            if !token.quoted, !spec.readsOwnWords, isShort || (word.hasPrefix("--") && word.count > 2) {
                var name = word
                var inline: String?
                if let eq = word.firstIndex(of: "=") {
                    name = String(word[..<eq])
                    inline = String(word[word.index(after: eq)...])
                }
                guard let flag = spec.flags.first(where: { $0.name == name }) else {
                    let close = Suggest.closest(to: name, in: spec.flags.map(\.name))
                    throw usage("unknown flag \(name)" + (close.isEmpty ? "" : "; did you mean \(close.joined(separator: " or "))?"))
                }
                if let kind = flag.kind {
                    let raw: String
                    if let inline { raw = inline } else {
                        guard i + 1 < tokens.count else { throw usage("\(name) needs a value (\(kind.placeholder))") }
                        i += 1
                        raw = tokens[i].text
                    }
                    values[String(name.drop { $0 == "-" })] = try convert(raw, kind, label: name, usage: usage)
                } else {
                    guard inline == nil else { throw usage("\(name) takes no value") }
                    switches.insert(name)
                }
            } else {
                positionals.append(word)
            }
            i += 1
        }

        var index = 0
        for parameter in spec.parameters {
            if parameter.isVariadic {
                if index < positionals.count {
                    values[parameter.name] = .text(positionals[index...].joined(separator: " "))
                    index = positionals.count
                } else if !parameter.isOptional {
                    throw usage("missing \(parameter.name.uppercased())")
                }
                continue
            }
            guard index < positionals.count else {
                if parameter.isOptional { continue }
                throw usage("missing \(parameter.name.uppercased())")
            }
            values[parameter.name] = try convert(positionals[index], parameter.kind, label: parameter.name.uppercased(), usage: usage)
            index += 1
        }
        if index < positionals.count {
            throw usage("unexpected word `\(positionals[index])`")
        }
        return Invocation(spec: spec, values: values, switches: switches, line: line, tokens: tokens)
    }

    private func convert(_ raw: String, _ kind: ArgumentKind, label: String, usage: (String) -> WorkbenchError) throws(WorkbenchError) -> ArgumentValue {
        switch kind {
        case .text, .file:
            return .text(raw)
        case let .integer(range):
            guard let n = Int64(raw) else { throw usage("\(label) must be a whole number, got `\(raw)`") }
            guard range.contains(n) else {
                throw usage("\(label) must be between \(range.lowerBound) and \(range.upperBound), got \(n)")
            }
            return .integer(n)
        case let .choice(options):
            guard options.contains(raw) else {
                let close = Suggest.closest(to: raw, in: options)
                throw usage("\(label) must be one of \(options.joined(separator: ", ")), got `\(raw)`"
                    + (close.isEmpty ? "" : "; did you mean \(close[0])?"))
            }
            return .text(raw)
        case .duration:
            guard let ms = Duration.parseMs(raw) else {
                throw usage("\(label) must be a duration like 500ms, 10s, 2m, 1h or 7d, got `\(raw)`")
            }
            return .durationMs(ms)
        }
    }

    /// Close command names for a mistyped line ("did you mean").
    public func suggestions(for words: [String], namespace: String?) -> [String] {
        guard let first = words.first else { return [] }
        var candidates: [String] = []
        for spec in commands {
            for path in [spec.path] + spec.aliases {
                candidates.append(path.prefix(min(path.count, max(1, words.count))).joined(separator: " "))
                if let namespace, path.first == namespace, path.count > 1 {
                    candidates.append(path.dropFirst().prefix(max(1, words.count)).joined(separator: " "))
                }
            }
        }
        var unique: [String] = []
        for c in candidates where !unique.contains(c) { unique.append(c) }
        let typed = words.prefix(2).joined(separator: " ")
        let close = Suggest.closest(to: typed, in: unique)
        if !close.isEmpty { return close }
        return Suggest.closest(to: first, in: unique.filter { !$0.contains(" ") })
    }
}

/// Parsing of simulated durations.
public enum Duration {
    /// `500ms`, `10s`, `2m`, `1h`, `7d`, or a bare number of milliseconds; nil when malformed or huge.
    public static func parseMs(_ raw: String) -> Int64? {
        let units: [(String, Int64)] = [("ms", 1), ("s", 1000), ("m", 60_000), ("h", 3_600_000), ("d", 86_400_000)]
        for (suffix, factor) in units where raw.hasSuffix(suffix) {
            guard let n = Int64(raw.dropLast(suffix.count)), n >= 0 else { return nil }
            let (product, overflow) = n.multipliedReportingOverflow(by: factor)
            return overflow ? nil : product
        }
        guard let n = Int64(raw), n >= 0 else { return nil }
        return n
    }

    /// Formats milliseconds for people: `1.5s`, `2m 3s`, `250ms`.
    public static func format(ms: Int64) -> String {
        if ms < 1000 { return "\(ms)ms" }
        if ms < 60_000 { return ms % 1000 == 0 ? "\(ms / 1000)s" : "\(Double(ms) / 1000)s" }
        if ms >= 86_400_000, ms % 3_600_000 == 0 {
            let days = ms / 86_400_000, hours = (ms % 86_400_000) / 3_600_000
            return hours == 0 ? "\(days)d" : "\(days)d \(hours)h"
        }
        let minutes = ms / 60_000, seconds = (ms % 60_000) / 1000
        return seconds == 0 ? "\(minutes)m" : "\(minutes)m \(seconds)s"
    }
}

/// "Did you mean": edit distance (Levenshtein) with a threshold that grows with word length.
public enum Suggest {
    public static func closest(to word: String, in candidates: [String]) -> [String] {
        let limit = max(1, min(3, word.count / 3))
        let scored = candidates.map { ($0, distance(word, $0)) }.filter { $0.1 <= limit && $0.0 != word }
        guard let best = scored.map(\.1).min() else {
            return candidates.filter { $0.hasPrefix(word) && !word.isEmpty && $0 != word }.sorted().prefix(3).map { $0 }
        }
        return scored.filter { $0.1 == best }.map(\.0).sorted().prefix(3).map { $0 }
    }

    /// Optimal string alignment distance: Levenshtein plus adjacent transpositions, so
    /// `hlep` is one edit from `help`.
    public static func distance(_ a: String, _ b: String) -> Int {
        let a = Array(a), b = Array(b)
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var d = Array(repeating: Array(repeating: 0, count: b.count + 1), count: a.count + 1)
        for i in 0...a.count { d[i][0] = i }
        for j in 0...b.count { d[0][j] = j }
        for i in 1...a.count {
            for j in 1...b.count {
                let cost = a[i - 1] == b[j - 1] ? 0 : 1
                d[i][j] = min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost)
                if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] {
                    d[i][j] = min(d[i][j], d[i - 2][j - 2] + 1)
                }
            }
        }
        return d[a.count][b.count]
    }
}
