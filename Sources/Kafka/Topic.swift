// A topic: its partitions and its config, plus Kafka's topic-name rules.

public struct Topic: Codable, Equatable, Sendable {
    public var name: String
    public var partitions: [PartitionState]
    public var config: TopicConfig

    public init(name: String, partitions: [PartitionState], config: TopicConfig) {
        self.name = name
        self.partitions = partitions
        self.config = config
    }

    /// Replicas per partition, as kafka-topics reports it (the first partition's replica count).
    public var replicationFactor: Int { partitions.first?.replicas.count ?? 0 }
}

/// Kafka's topic-name rules (apache/kafka clients/.../common/internals/Topic.java `validate`,
/// restated): 1 to 249 characters from [a-zA-Z0-9._-], and not "." or "..". Names that differ only
/// by '.' versus '_' collide because metric names replace '.' with '_'.
public enum TopicName {
    public static let maxLength = 249

    /// Why `name` is illegal, or nil when it is legal.
    public static func problem(_ name: String) -> String? {
        if name.isEmpty { return "Topic name is illegal, it can't be empty" }
        if name == "." || name == ".." { return "Topic name cannot be \".\" or \"..\"" }
        let count = name.unicodeScalars.count
        if count > maxLength {
            return "Topic name is illegal, it can't be longer than \(maxLength) characters, topic name: \(name)"
        }
        for scalar in name.unicodeScalars where !isLegal(scalar) {
            return "Topic name \"\(name)\" is illegal, it contains a character other than ASCII alphanumerics, '.', '_' and '-'"
        }
        return nil
    }

    static func isLegal(_ s: Unicode.Scalar) -> Bool {
        switch s.value {
        case 0x61...0x7A, 0x41...0x5A, 0x30...0x39: return true  // a-z A-Z 0-9
        case 0x2E, 0x5F, 0x2D: return true  // . _ -
        default: return false
        }
    }

    /// The form used to detect collisions: '.' replaced by '_'.
    static func collisionKey(_ name: String) -> String {
        String(name.unicodeScalars.map { $0 == "." ? "_" : Character($0) })
    }
}
