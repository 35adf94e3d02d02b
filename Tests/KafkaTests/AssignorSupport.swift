import Kafka
import Testing

/// SplitMix64: a tiny seeded generator so property sweeps replay identically on every run.
struct TestRandom {
    private var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
    /// Uniform in 0..<bound (bound > 0).
    mutating func below(_ bound: Int) -> Int { Int(next() % UInt64(bound)) }
    mutating func chance(_ percent: Int) -> Bool { below(100) < percent }
    mutating func shuffled<T>(_ items: [T]) -> [T] {
        var out = items
        guard out.count > 1 else { return out }
        for i in stride(from: out.count - 1, to: 0, by: -1) { out.swapAt(i, below(i + 1)) }
        return out
    }
}

func tp(_ topic: String, _ partition: Int) -> TopicPartition { TopicPartition(topic, partition) }

func member(_ id: String, _ topics: [String], owned: [TopicPartition] = [], generation: Int = -1, instance: String? = nil) -> GroupMember {
    GroupMember(memberID: id, groupInstanceID: instance, topics: topics, ownedPartitions: owned, generation: generation)
}

/// The members of the next rebalance, each reporting what `result` gave it as owned (as the
/// consumer protocol's subscription v1+ does), at `generation`.
func feedBack(_ members: [GroupMember], _ result: Assignment, generation: Int) -> [GroupMember] {
    members.map {
        var m = $0
        m.ownedPartitions = result.partitions[m.memberID] ?? []
        m.generation = generation
        return m
    }
}

/// Kafka's verifyValidityAndBalance, restated: every member present; every partition of a subscribed
/// topic assigned exactly once or withheld (never both); only to members subscribed to its topic; and
/// no member holds a partition that a member with ≥ 2 fewer partitions could take.
func checkValidity(_ a: Assignment, members: [GroupMember], partitionsPerTopic: [String: Int],
                   balanced: Bool, sourceLocation: SourceLocation = #_sourceLocation) {
    #expect(Set(a.partitions.keys) == Set(members.map(\.memberID)), sourceLocation: sourceLocation)
    var expected = Set<TopicPartition>()
    for m in members {
        for t in m.topics { for p in 0..<(partitionsPerTopic[t] ?? 0) { expected.insert(tp(t, p)) } }
    }
    var seen = Set<TopicPartition>()
    var duplicates = 0
    for m in members {
        for x in a.partitions[m.memberID] ?? [] {
            if !seen.insert(x).inserted { duplicates += 1 }
            #expect(m.topics.contains(x.topic), "\(x) given to \(m.memberID), not subscribed", sourceLocation: sourceLocation)
        }
    }
    for x in a.withheld where !seen.insert(x).inserted { duplicates += 1 }
    #expect(duplicates == 0, sourceLocation: sourceLocation)
    #expect(seen == expected, sourceLocation: sourceLocation)
    guard balanced else { return }
    for m1 in members {
        for m2 in members {
            let n1 = a.partitions[m1.memberID]?.count ?? 0, n2 = a.partitions[m2.memberID]?.count ?? 0
            guard n1 > n2 + 1 else { continue }
            let movable = (a.partitions[m1.memberID] ?? []).filter { m2.topics.contains($0.topic) }
            #expect(movable.isEmpty, "\(m1.memberID)(\(n1)) could give \(movable) to \(m2.memberID)(\(n2))", sourceLocation: sourceLocation)
        }
    }
}

func spread(_ a: Assignment) -> Int {
    let counts = a.partitions.values.map(\.count)
    return (counts.max() ?? 0) - (counts.min() ?? 0)
}

