// Topic-level configs the simulator models, with Kafka's names, defaults and validators
// (apache/kafka LogConfig / TopicConfig; kafka.md §5.1–§5.4).

public struct TopicConfig: Codable, Equatable, Sendable {
    /// One explicitly set config (a topic override, which `kafka-topics --describe` lists).
    public struct Override: Codable, Equatable, Sendable {
        public var name: String
        public var value: String
    }

    public static let cleanupPolicy = "cleanup.policy"
    public static let deleteRetentionMs = "delete.retention.ms"
    public static let maxMessageBytes = "max.message.bytes"
    public static let minInsyncReplicas = "min.insync.replicas"
    public static let retentionBytes = "retention.bytes"
    public static let retentionMs = "retention.ms"
    public static let segmentBytes = "segment.bytes"
    public static let uncleanLeaderElectionEnable = "unclean.leader.election.enable"

    /// The config names this slice understands, alphabetical like `kafka-configs --describe --all`.
    public static let names: [String] = [
        cleanupPolicy, deleteRetentionMs, maxMessageBytes, minInsyncReplicas, retentionBytes, retentionMs, segmentBytes,
        uncleanLeaderElectionEnable,
    ]

    /// Kafka's defaults (broker defaults inherited by topics).
    public static let defaults: [String: String] = [
        cleanupPolicy: "delete",
        deleteRetentionMs: "86400000",  // 1 day: how long compaction keeps tombstones (kafka.md §5.3)
        maxMessageBytes: "1048588",  // 1 MiB + 12 bytes of log overhead
        minInsyncReplicas: "1",
        retentionBytes: "-1",  // no size limit
        retentionMs: "604800000",  // 7 days
        segmentBytes: "1073741824",  // 1 GiB
        uncleanLeaderElectionEnable: "false",  // false since Kafka 0.11
    ]

    /// Smallest segment.bytes accepted. Kafka before 4.0 validates `atLeast(14)` (the v0 record
    /// overhead); 4.0 raised it to 1 MiB. The simulator keeps 14 so learners can watch segments roll.
    public static let minSegmentBytes = 14

    /// Explicit overrides, kept sorted by name so encoding is deterministic.
    public private(set) var overrides: [Override]

    public init() { overrides = [] }

    /// Sets one config by its Kafka name from text (surrounding whitespace is ignored, as Kafka's
    /// ConfigDef parser trims). Throws `invalidConfig` naming the key and the problem.
    public mutating func set(_ name: String, _ value: String) throws {
        let canonical = try TopicConfig.validate(name, value)
        var updated = overrides.filter { $0.name != name }
        updated.append(Override(name: name, value: canonical))
        updated.sort { $0.name < $1.name }
        overrides = updated
    }

    /// Removes an override so the default applies again (kafka-configs --delete-config).
    public mutating func reset(_ name: String) throws {
        guard TopicConfig.defaults[name] != nil else { throw TopicConfig.unknown(name, "") }
        overrides.removeAll { $0.name == name }
    }

    /// The effective value (override or default), or nil for a name this slice does not know.
    public func value(of name: String) -> String? {
        if let override = overrides.first(where: { $0.name == name }) { return override.value }
        return TopicConfig.defaults[name]
    }

    /// Every known config with its effective value; `isDefault` is false for explicit overrides
    /// (even if the override equals the default, as Kafka reports a DYNAMIC_TOPIC_CONFIG source).
    public var entries: [(name: String, value: String, isDefault: Bool)] {
        TopicConfig.names.map { name in
            if let override = overrides.first(where: { $0.name == name }) {
                return (name, override.value, false)
            }
            return (name, TopicConfig.defaults[name] ?? "", true)
        }
    }

    // MARK: Typed views

    public var cleanupPolicies: [String] {
        (value(of: TopicConfig.cleanupPolicy) ?? "delete").split(separator: ",").map(String.init)
    }
    /// cleanup.policy includes `compact` (alone or with `delete`).
    public var isCompacted: Bool { cleanupPolicies.contains("compact") }
    public var maxMessageBytesValue: Int { intValue(TopicConfig.maxMessageBytes, 1_048_588) }
    public var minInsyncReplicasValue: Int { intValue(TopicConfig.minInsyncReplicas, 1) }
    public var segmentBytesValue: Int { intValue(TopicConfig.segmentBytes, 1_073_741_824) }
    public var retentionMsValue: Int64 { Int64(value(of: TopicConfig.retentionMs) ?? "") ?? 604_800_000 }
    public var retentionBytesValue: Int64 { Int64(value(of: TopicConfig.retentionBytes) ?? "") ?? -1 }
    public var uncleanLeaderElectionEnabled: Bool { value(of: TopicConfig.uncleanLeaderElectionEnable) == "true" }

    private func intValue(_ name: String, _ fallback: Int) -> Int {
        Int(value(of: name) ?? "") ?? fallback
    }

    // MARK: Validation (Kafka ConfigDef types and validators)

    private static func unknown(_ name: String, _ value: String) -> KafkaError {
        .invalidConfig(
            name: name, value: value,
            reason: "Unknown topic config name: \(name). Valid names: \(names.joined(separator: ", ")).")
    }

    /// Returns the canonical text of a valid value, or throws `invalidConfig`.
    static func validate(_ name: String, _ raw: String) throws -> String {
        let text = trimmed(raw)
        switch name {
        case cleanupPolicy:
            // LIST type, ValidList.in("compact", "delete"): a comma-separated, non-empty list.
            let items = text.split(separator: ",", omittingEmptySubsequences: false).map { trimmed(String($0)) }
            guard !text.isEmpty else {
                throw KafkaError.invalidConfig(name: name, value: raw, reason: "Empty list is not allowed; use compact, delete or compact,delete")
            }
            for item in items where item != "compact" && item != "delete" {
                throw KafkaError.invalidConfig(name: name, value: raw, reason: "String must be one of: compact, delete")
            }
            return items.joined(separator: ",")
        case deleteRetentionMs:
            // LONG, atLeast(0).
            return try long(name, raw, text, atLeast: 0)
        case retentionMs:
            // LONG, atLeast(-1): -1 means keep forever.
            return try long(name, raw, text, atLeast: -1)
        case retentionBytes:
            // LONG without a validator; -1 (or any negative) disables the size limit.
            return try long(name, raw, text, atLeast: Int64.min)
        case segmentBytes:
            return try int(name, raw, text, atLeast: minSegmentBytes)
        case minInsyncReplicas:
            return try int(name, raw, text, atLeast: 1)
        case maxMessageBytes:
            return try int(name, raw, text, atLeast: 0)
        case uncleanLeaderElectionEnable:
            // BOOLEAN: "true"/"false", case-insensitive.
            switch text.lowercased() {
            case "true": return "true"
            case "false": return "false"
            default:
                throw KafkaError.invalidConfig(name: name, value: raw, reason: "Expected value to be either true or false")
            }
        default:
            throw unknown(name, raw)
        }
    }

    private static func long(_ name: String, _ raw: String, _ text: String, atLeast minimum: Int64) throws -> String {
        guard let number = Int64(text) else {
            throw KafkaError.invalidConfig(name: name, value: raw, reason: "Expected value to be a 64-bit integer (long)")
        }
        guard number >= minimum else {
            throw KafkaError.invalidConfig(name: name, value: raw, reason: "Value must be at least \(minimum)")
        }
        return String(number)
    }

    private static func int(_ name: String, _ raw: String, _ text: String, atLeast minimum: Int) throws -> String {
        guard let number = Int32(text) else {
            throw KafkaError.invalidConfig(name: name, value: raw, reason: "Expected value to be a 32-bit integer")
        }
        guard Int(number) >= minimum else {
            throw KafkaError.invalidConfig(name: name, value: raw, reason: "Value must be at least \(minimum)")
        }
        return String(number)
    }

    private static func trimmed(_ text: String) -> String {
        var scalars = Substring(text)
        while let first = scalars.first, first == " " || first == "\t" || first == "\n" || first == "\r" {
            scalars = scalars.dropFirst()
        }
        while let last = scalars.last, last == " " || last == "\t" || last == "\n" || last == "\r" {
            scalars = scalars.dropLast()
        }
        return String(scalars)
    }
}
