import Foundation
import SimKit

/// The state of one simulated system inside a session: a value, so snapshots are copies.
public protocol TopicState: Codable, Sendable {
    /// The command namespace this state belongs to (e.g. "chain").
    static var namespace: String { get }
    /// The state a new session starts with.
    static func initial() -> Self
}

/// What one step of simulated work did, in the past tense.
public struct StepReport {
    public var description: String
    public var value: Value

    public init(_ description: String, value: Value = .null) {
        self.description = description
        self.value = value
    }
}

/// A topic adapter: its command declarations, its state type and how it applies its events.
public struct TopicModule {
    /// Command namespace, e.g. "chain".
    public var namespace: String
    /// Lesson topic folder, e.g. "blockchain".
    public var lessonTopic: String
    /// Further lesson folders taught with this module's commands (the chain's "geth").
    public var otherLessonTopics: [String] = []
    /// Every lesson topic this module serves.
    public var lessonTopics: [String] { [lessonTopic] + otherLessonTopics }
    public var title: String
    public var stateType: any TopicState.Type
    public var commands: [CommandSpec]
    /// Applies one scheduled event of this topic to the session's state.
    public var handle: (ScheduledEvent, Session) throws -> StepReport

    public init(
        namespace: String, lessonTopic: String, title: String, stateType: any TopicState.Type,
        commands: [CommandSpec], handle: @escaping (ScheduledEvent, Session) throws -> StepReport
    ) {
        self.namespace = namespace
        self.lessonTopic = lessonTopic
        self.title = title
        self.stateType = stateType
        self.commands = commands
        self.handle = handle
    }
}

/// The per-topic states of a session, keyed by namespace. A topic not yet touched has its
/// initial state; encoding writes only touched topics, sorted, so save files are stable.
public struct TopicStates: Sendable {
    private var storage: [String: any TopicState] = [:]

    public init() {}

    public subscript<T: TopicState>(_ type: T.Type) -> T {
        get { (storage[T.namespace] as? T) ?? T.initial() }
        set { storage[T.namespace] = newValue }
    }

    public var namespaces: [String] { storage.keys.sorted() }

    /// Mutates a topic's state in place: the value is taken out of the storage first, so it is
    /// uniquely referenced and its arrays are not copied on write (a copy per call made producing
    /// N records O(N²)). If `body` throws, the partly changed value is stored back; the command or
    /// step around it restores the whole session state.
    public mutating func modify<T: TopicState, R>(_ type: T.Type, _ body: (inout T) throws -> R) rethrows -> R {
        var value = (storage.removeValue(forKey: T.namespace) as? T) ?? T.initial()
        defer { storage[T.namespace] = value }
        return try body(&value)
    }

    func encode(into container: inout KeyedEncodingContainer<DynamicKey>) throws {
        for name in namespaces {
            guard let state = storage[name] else { continue }
            try container.encode(AnyTopicState(state), forKey: DynamicKey(name))
        }
    }

    static func decode(from container: KeyedDecodingContainer<DynamicKey>, types: [String: any TopicState.Type]) throws -> TopicStates {
        var states = TopicStates()
        for key in container.allKeys {
            guard let type = types[key.stringValue] else {
                throw DecodingError.dataCorruptedError(forKey: key, in: container,
                    debugDescription: "unknown topic `\(key.stringValue)`")
            }
            states.storage[key.stringValue] = try type.decodeState(from: container, key: key)
        }
        return states
    }
}

extension TopicState {
    static func decodeState(from container: KeyedDecodingContainer<DynamicKey>, key: DynamicKey) throws -> any TopicState {
        try container.decode(Self.self, forKey: key)
    }
}

private struct AnyTopicState: Encodable {
    let state: any TopicState
    init(_ state: any TopicState) { self.state = state }
    func encode(to encoder: Encoder) throws { try state.encode(to: encoder) }
}

struct DynamicKey: CodingKey {
    var stringValue: String
    var intValue: Int? { nil }
    init(_ string: String) { stringValue = string }
    init?(stringValue: String) { self.stringValue = stringValue }
    init?(intValue: Int) { nil }
}

extension CodingUserInfoKey {
    /// The topic types a decoder may meet, by namespace; set by `Session.load`.
    static let topicTypes = CodingUserInfoKey(rawValue: "workbench.topicTypes")!
}
