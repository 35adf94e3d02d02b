import Foundation
import SimKit

/// Everything a simulation's future depends on. A value: snapshots for `undo` and `rewind`
/// are copies, and `save` writes exactly this.
public struct SessionState: Sendable {
    public var seed: UInt64
    public var clock: SimClock
    public var random: SplitMix64
    public var queue: EventQueue
    public var topics: TopicStates
    /// Events applied so far in this session.
    public var stepCount: Int

    public init(seed: UInt64) {
        self.seed = seed
        clock = SimClock()
        random = SplitMix64(seed: seed)
        queue = EventQueue()
        topics = TopicStates()
        stepCount = 0
    }

    /// A stream of random numbers for one subsystem, stable for the session's seed.
    public func randomStream(_ label: String) -> SplitMix64 { random.fork(label) }
}

extension SessionState: Codable {
    enum CodingKeys: String, CodingKey { case seed, clockMs, random, queue, topics, stepCount }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(seed, forKey: .seed)
        try c.encode(clock.nowMs, forKey: .clockMs)
        try c.encode(random, forKey: .random)
        try c.encode(queue, forKey: .queue)
        try c.encode(stepCount, forKey: .stepCount)
        var t = c.nestedContainer(keyedBy: DynamicKey.self, forKey: .topics)
        try topics.encode(into: &t)
    }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        seed = try c.decode(UInt64.self, forKey: .seed)
        clock = SimClock(startMs: try c.decode(Int64.self, forKey: .clockMs))
        random = try c.decode(SplitMix64.self, forKey: .random)
        queue = try c.decode(EventQueue.self, forKey: .queue)
        stepCount = try c.decode(Int.self, forKey: .stepCount)
        let types = decoder.userInfo[.topicTypes] as? [String: any TopicState.Type] ?? [:]
        topics = try TopicStates.decode(from: c.nestedContainer(keyedBy: DynamicKey.self, forKey: .topics), types: types)
    }

    /// Canonical JSON of the state: equal states give equal bytes (used by tests and `save`).
    public func canonicalJSON() -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        guard let data = try? encoder.encode(self) else { return "" }
        return String(decoding: data, as: UTF8.self)
    }
}
