// Java classic consumer configuration, the part the group simulation uses (kafka.md §3.1).

public struct ConsumerConfig: Codable, Equatable, Sendable {
    /// `group.id`.
    public var groupID: String
    /// `client.id`. Empty means "not set": `createConsumer` then uses Java's default
    /// `consumer-<group.id>-<n>` with a workbench-wide counter n = 1, 2, … (like the JVM-wide one).
    public var clientID: String
    /// `group.instance.id` (static membership, KIP-345); nil = dynamic member.
    public var groupInstanceID: String?
    public var sessionTimeoutMs: Int64 = 45_000
    public var heartbeatIntervalMs: Int64 = 3_000
    public var maxPollIntervalMs: Int64 = 300_000
    public var maxPollRecords: Int = 500
    /// earliest | latest | none
    public var autoOffsetReset: String = "latest"
    public var enableAutoCommit = true
    public var autoCommitIntervalMs: Int64 = 5_000
    /// `partition.assignment.strategy`, in preference order. Java's default is
    /// [RangeAssignor, CooperativeStickyAssignor], which runs the EAGER protocol (range is eager-only).
    public var assignors: [AssignorKind] = [.range, .cooperativeSticky]
    /// `metadata.max.age.ms` (Java LONG, at least 0): how old the client's cluster metadata may get
    /// before poll() refreshes it; the group leader then compares partition counts (kafka.md §3.2).
    public var metadataMaxAgeMs: Int64 = 300_000

    public init(groupID: String, clientID: String = "", groupInstanceID: String? = nil) {
        self.groupID = groupID
        self.clientID = clientID
        self.groupInstanceID = groupInstanceID
    }

    public static let groupIDKey = "group.id"
    public static let clientIDKey = "client.id"
    public static let groupInstanceIDKey = "group.instance.id"
    public static let sessionTimeoutKey = "session.timeout.ms"
    public static let heartbeatIntervalKey = "heartbeat.interval.ms"
    public static let maxPollIntervalKey = "max.poll.interval.ms"
    public static let maxPollRecordsKey = "max.poll.records"
    public static let autoOffsetResetKey = "auto.offset.reset"
    public static let enableAutoCommitKey = "enable.auto.commit"
    public static let autoCommitIntervalKey = "auto.commit.interval.ms"
    public static let assignmentStrategyKey = "partition.assignment.strategy"
    public static let metadataMaxAgeKey = "metadata.max.age.ms"

    /// The Kafka config names this struct understands, alphabetical.
    public static let names: [String] = [
        autoCommitIntervalKey, autoOffsetResetKey, clientIDKey, enableAutoCommitKey, groupIDKey,
        groupInstanceIDKey, heartbeatIntervalKey, maxPollIntervalKey, maxPollRecordsKey,
        metadataMaxAgeKey, assignmentStrategyKey, sessionTimeoutKey,
    ]

    /// The consumer uses the cooperative rebalance protocol only when every configured assignor
    /// supports it (Java ConsumerCoordinator picks the highest protocol common to all assignors).
    public var usesCooperativeProtocol: Bool {
        !assignors.isEmpty && assignors.allSatisfy(\.isCooperative)
    }

    /// The current value of a config, as Kafka would print it (nil for an unknown name).
    public func value(_ name: String) -> String? {
        switch name {
        case Self.groupIDKey: return groupID
        case Self.clientIDKey: return clientID
        case Self.groupInstanceIDKey: return groupInstanceID ?? "null"
        case Self.sessionTimeoutKey: return String(sessionTimeoutMs)
        case Self.heartbeatIntervalKey: return String(heartbeatIntervalMs)
        case Self.maxPollIntervalKey: return String(maxPollIntervalMs)
        case Self.maxPollRecordsKey: return String(maxPollRecords)
        case Self.autoOffsetResetKey: return autoOffsetReset
        case Self.enableAutoCommitKey: return String(enableAutoCommit)
        case Self.autoCommitIntervalKey: return String(autoCommitIntervalMs)
        case Self.assignmentStrategyKey: return assignors.map(\.rawValue).joined(separator: ",")
        case Self.metadataMaxAgeKey: return String(metadataMaxAgeMs)
        default: return nil
        }
    }

    /// Sets one config by its Kafka name, validating like the Java client's ConfigDef does.
    /// Throws `GroupError.invalidConfig` naming the key; on a throw nothing changes.
    public mutating func set(_ name: String, _ value: String) throws {
        func bad(_ reason: String) -> GroupError { .invalidConfig(name: name, value: value, reason: reason) }
        func integer(atLeast minimum: Int64) throws -> Int64 {
            guard let parsed = Int64(value.groupConfigTrimmed), parsed >= Int64(Int32.min), parsed <= Int64(Int32.max) else {
                throw bad("Expected value to be a 32-bit integer, but it was a java.lang.String")
            }
            guard parsed >= minimum else { throw bad("Value must be at least \(minimum)") }
            return parsed
        }
        func long(atLeast minimum: Int64) throws -> Int64 {
            // Java ConfigDef: Long.parseLong on the trimmed string, then Range.atLeast.
            guard let parsed = Int64(value.groupConfigTrimmed) else { throw bad("Not a number of type LONG") }
            guard parsed >= minimum else { throw bad("Value must be at least \(minimum)") }
            return parsed
        }
        switch name {
        case Self.groupIDKey:
            guard !value.isEmpty else { throw bad("A consumer group needs a non-empty group.id") }
            groupID = value
        case Self.clientIDKey:
            clientID = value
        case Self.groupInstanceIDKey:
            if value.isEmpty || value == "null" { groupInstanceID = nil; return }
            if let problem = Self.instanceIDProblem(value) { throw bad(problem) }
            groupInstanceID = value
        case Self.sessionTimeoutKey:
            sessionTimeoutMs = try integer(atLeast: Int64(Int32.min))
        case Self.heartbeatIntervalKey:
            heartbeatIntervalMs = try integer(atLeast: Int64(Int32.min))
        case Self.maxPollIntervalKey:
            maxPollIntervalMs = try integer(atLeast: 1)
        case Self.maxPollRecordsKey:
            maxPollRecords = Int(try integer(atLeast: 1))
        case Self.autoCommitIntervalKey:
            autoCommitIntervalMs = try integer(atLeast: 0)
        case Self.metadataMaxAgeKey:
            metadataMaxAgeMs = try long(atLeast: 0)
        case Self.autoOffsetResetKey:
            let lowered = value.groupConfigTrimmed.groupConfigLowercased
            guard ["earliest", "latest", "none"].contains(lowered) else {
                throw bad("String must be one of (case insensitive): EARLIEST, LATEST, NONE")
            }
            autoOffsetReset = lowered
        case Self.enableAutoCommitKey:
            switch value.groupConfigTrimmed.groupConfigLowercased {
            case "true": enableAutoCommit = true
            case "false": enableAutoCommit = false
            default: throw bad("Expected value to be either true or false")
            }
        case Self.assignmentStrategyKey:
            var kinds: [AssignorKind] = []
            for part in value.split(separator: ",") {
                let token = String(part).groupConfigTrimmed
                guard !token.isEmpty else { continue }
                guard let kind = Self.assignorKind(token) else {
                    throw bad("Class \(token) cannot be found")
                }
                if !kinds.contains(kind) { kinds.append(kind) }
            }
            guard !kinds.isEmpty else { throw bad("An empty list of partition assignors is not allowed") }
            assignors = kinds
        default:
            throw GroupError.invalidConfig(name: name, value: value, reason: "Unknown consumer configuration")
        }
    }

    /// Accepts the short names (range, roundrobin, sticky, cooperative-sticky) and the Java class names.
    static func assignorKind(_ token: String) -> AssignorKind? {
        if let kind = AssignorKind(rawValue: token.groupConfigLowercased) { return kind }
        switch token {
        case "org.apache.kafka.clients.consumer.RangeAssignor": return .range
        case "org.apache.kafka.clients.consumer.RoundRobinAssignor": return .roundrobin
        case "org.apache.kafka.clients.consumer.StickyAssignor": return .sticky
        case "org.apache.kafka.clients.consumer.CooperativeStickyAssignor": return .cooperativeSticky
        default: return nil
        }
    }

    /// Kafka validates group.instance.id like a topic name (JoinGroupRequest.validateGroupInstanceId).
    static func instanceIDProblem(_ id: String) -> String? {
        if id.isEmpty { return "Group instance id must be non-empty string" }
        if id == "." || id == ".." { return "Group instance id cannot be \".\" or \"..\"" }
        if id.unicodeScalars.count > 249 { return "Group instance id can't be longer than 249 characters" }
        for scalar in id.unicodeScalars where !TopicName.isLegal(scalar) {
            return "Group instance id \"\(id)\" is illegal, it contains a character other than ASCII alphanumerics, '.', '_' and '-'"
        }
        return nil
    }

    /// Cross-field checks the Java client makes when a consumer is constructed.
    func validate() throws {
        if groupID.isEmpty {
            throw GroupError.invalidConfig(name: Self.groupIDKey, value: groupID, reason: "A consumer group needs a non-empty group.id")
        }
        if let instance = groupInstanceID, let problem = Self.instanceIDProblem(instance) {
            throw GroupError.invalidConfig(name: Self.groupInstanceIDKey, value: instance, reason: problem)
        }
        if heartbeatIntervalMs >= sessionTimeoutMs {
            throw GroupError.invalidConfig(name: Self.heartbeatIntervalKey, value: String(heartbeatIntervalMs),
                                           reason: "Heartbeat must be set lower than the session timeout")
        }
        if heartbeatIntervalMs < 1 {
            throw GroupError.invalidConfig(name: Self.heartbeatIntervalKey, value: String(heartbeatIntervalMs), reason: "Value must be at least 1")
        }
        if maxPollIntervalMs < 1 {
            throw GroupError.invalidConfig(name: Self.maxPollIntervalKey, value: String(maxPollIntervalMs), reason: "Value must be at least 1")
        }
        if maxPollRecords < 1 {
            throw GroupError.invalidConfig(name: Self.maxPollRecordsKey, value: String(maxPollRecords), reason: "Value must be at least 1")
        }
        if autoCommitIntervalMs < 0 {
            throw GroupError.invalidConfig(name: Self.autoCommitIntervalKey, value: String(autoCommitIntervalMs), reason: "Value must be at least 0")
        }
        if metadataMaxAgeMs < 0 {
            throw GroupError.invalidConfig(name: Self.metadataMaxAgeKey, value: String(metadataMaxAgeMs), reason: "Value must be at least 0")
        }
        if !["earliest", "latest", "none"].contains(autoOffsetReset) {
            throw GroupError.invalidConfig(name: Self.autoOffsetResetKey, value: autoOffsetReset,
                                           reason: "String must be one of (case insensitive): EARLIEST, LATEST, NONE")
        }
        if assignors.isEmpty {
            throw GroupError.invalidConfig(name: Self.assignmentStrategyKey, value: "", reason: "An empty list of partition assignors is not allowed")
        }
    }
}

extension ConsumerConfig {
    /// Decodes every field as synthesized Codable would, except that `metadataMaxAgeMs` may be
    /// absent (states saved before it existed) and then takes its default.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        groupID = try c.decode(String.self, forKey: .groupID)
        clientID = try c.decode(String.self, forKey: .clientID)
        groupInstanceID = try c.decodeIfPresent(String.self, forKey: .groupInstanceID)
        sessionTimeoutMs = try c.decode(Int64.self, forKey: .sessionTimeoutMs)
        heartbeatIntervalMs = try c.decode(Int64.self, forKey: .heartbeatIntervalMs)
        maxPollIntervalMs = try c.decode(Int64.self, forKey: .maxPollIntervalMs)
        maxPollRecords = try c.decode(Int.self, forKey: .maxPollRecords)
        autoOffsetReset = try c.decode(String.self, forKey: .autoOffsetReset)
        enableAutoCommit = try c.decode(Bool.self, forKey: .enableAutoCommit)
        autoCommitIntervalMs = try c.decode(Int64.self, forKey: .autoCommitIntervalMs)
        assignors = try c.decode([AssignorKind].self, forKey: .assignors)
        metadataMaxAgeMs = try c.decodeIfPresent(Int64.self, forKey: .metadataMaxAgeMs) ?? 300_000
    }
}

extension String {
    var groupConfigTrimmed: String {
        var scalars = Substring(self)
        while let first = scalars.first, first == " " || first == "\t" { scalars = scalars.dropFirst() }
        while let last = scalars.last, last == " " || last == "\t" { scalars = scalars.dropLast() }
        return String(scalars)
    }

    var groupConfigLowercased: String {
        String(String.UnicodeScalarView(unicodeScalars.map { s in
            (0x41...0x5A).contains(s.value) ? Unicode.Scalar(s.value + 32) ?? s : s
        }))
    }
}
