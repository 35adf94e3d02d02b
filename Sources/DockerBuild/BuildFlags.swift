// Instruction flag validation: BuildKit's `BFlags` (frontend/dockerfile/instructions/bflag.go)
// and its "did you mean" helper (util/suggest/error.go).

/// The flags an instruction accepts, and the values a flag list gives them.
struct BuildFlags {
    /// BuildKit's flag types.
    enum Kind {
        /// `--link` or `--link=true|false` (case-insensitive).
        case bool
        /// `--from=value`; the `=` is required; may not repeat.
        case string
        /// `--mount=value`; may repeat, every value is kept.
        case strings
    }

    private let definitions: [(name: String, kind: Kind)]
    private var values: [String: [String]] = [:]

    init(_ definitions: [(String, Kind)]) {
        self.definitions = definitions.map { (name: $0.0, kind: $0.1) }
    }

    /// BuildKit's `BFlags.Parse`: every flag must be declared; a lone `--` stops parsing.
    mutating func parse(_ flags: [String]) throws(DockerfileError) {
        for flag in flags {
            if flag == "--" { return }
            guard flag.hasPrefix("--") else {
                throw DockerfileError(message: "arg should start with -- : \(flag)")
            }
            let flagName: String
            let value: String
            let hasValue: Bool
            if let equals = flag.firstIndex(of: "=") {
                flagName = String(flag[..<equals])
                value = String(flag[flag.index(after: equals)...])
                hasValue = true
            } else {
                flagName = flag
                value = ""
                hasValue = false
            }
            let name = String(flagName.dropFirst(2))
            guard let definition = definitions.first(where: { $0.name == name }) else {
                throw DockerfileError(message: suggesting("unknown flag: \(flagName)", for: name,
                                                          among: definitions.map(\.name), caseSensitive: true))
            }
            if values[name] != nil, definition.kind != .strings {
                throw DockerfileError(message: "duplicate flag specified: \(flagName)")
            }
            switch definition.kind {
            case .bool:
                if hasValue, value.isEmpty {
                    throw DockerfileError(message: "missing a value on flag: \(flagName)")
                }
                switch value.goLowercased {
                case "true", "": values[name] = ["true"]
                case "false": values[name] = ["false"]
                default:
                    throw DockerfileError(message: "expecting boolean value for flag \(flagName), not: \(value)")
                }
            case .string, .strings:
                guard hasValue else { throw DockerfileError(message: "missing a value on flag: \(flagName)") }
                values[name, default: []].append(value)
            }
        }
    }

    /// Whether the flag was given.
    func isUsed(_ name: String) -> Bool { values[name] != nil }

    /// A string flag's value, nil when absent or empty (BuildKit treats both as unset).
    func string(_ name: String) -> String? {
        guard let value = values[name]?.last, !value.isEmpty else { return nil }
        return value
    }

    /// A string flag's value, or its default.
    func string(_ name: String, default defaultValue: String) -> String {
        values[name]?.last ?? defaultValue
    }

    /// A bool flag's value (false when absent).
    func bool(_ name: String) -> Bool { values[name]?.last == "true" }

    /// Every value of a repeatable flag, in order.
    func strings(_ name: String) -> [String] { values[name] ?? [] }
}

/// BuildKit's `suggest.WrapError`: appends ` (did you mean X?)` when an option is within edit
/// distance 2 of `value` (the closest, first one winning ties).
func suggesting(_ message: String, for value: String, among options: [String], caseSensitive: Bool) -> String {
    let compared = caseSensitive ? value : value.goLowercased
    var match: String?
    var minimumDistance = 3
    for option in options {
        let candidate = caseSensitive ? option : option.goLowercased
        if compared == candidate { return message }
        let distance = levenshtein(compared, candidate)
        if distance < minimumDistance {
            minimumDistance = distance
            if caseSensitive {
                match = candidate
            } else if value == value.goLowercased {
                match = candidate.goLowercased
            } else if value == value.goUppercased {
                match = candidate.goUppercased
            } else {
                match = candidate
            }
        }
    }
    guard let match else { return message }
    return message + " (did you mean \(match)?)"
}

/// Edit distance over Unicode scalars, unit costs (agext/levenshtein's defaults).
func levenshtein(_ first: String, _ second: String) -> Int {
    let a = first.scalars
    let b = second.scalars
    if a.isEmpty { return b.count }
    if b.isEmpty { return a.count }
    var previous = Array(0...b.count)
    var current = [Int](repeating: 0, count: b.count + 1)
    for i in 1...a.count {
        current[0] = i
        for j in 1...b.count {
            let substitution = previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1)
            current[j] = min(previous[j] + 1, current[j - 1] + 1, substitution)
        }
        swap(&previous, &current)
    }
    return previous[b.count]
}
