// Client-side partition assignors of Kafka's classic group protocol, run as the group leader would.
//
// Algorithms are restated from Apache Kafka's clients (RangeAssignor, RoundRobinAssignor,
// AbstractStickyAssignor, CooperativeStickyAssignor) and /work/shared/reference/kafka.md §4.
// Everything is deterministic: no result depends on Dictionary/Set iteration order. Where Kafka's
// own result depends on Java HashMap iteration order, we substitute an explicit sorted order and
// say so at that spot.

public enum Assignor {
    /// Runs one assignor as the group leader would. `partitionsPerTopic`: partition count of every subscribed topic
    /// (topics missing here are ignored). Every member appears in the result (possibly with no partitions).
    /// Deterministic: never depends on Dictionary/Set iteration order (Swift randomizes it per process) — sort.
    public static func assign(_ kind: AssignorKind, members: [GroupMember], partitionsPerTopic: [String: Int]) -> Assignment {
        let unique = uniqueMembers(members)
        switch kind {
        case .range:
            return range(members: unique, partitionsPerTopic: partitionsPerTopic)
        case .roundrobin:
            return roundRobin(members: unique, partitionsPerTopic: partitionsPerTopic)
        case .sticky:
            return sticky(members: unique, partitionsPerTopic: partitionsPerTopic, cooperative: false)
        case .cooperativeSticky:
            return sticky(members: unique, partitionsPerTopic: partitionsPerTopic, cooperative: true)
        }
    }

    /// Member order of AbstractPartitionAssignor.MemberInfo: static members (groupInstanceID) first by instance id, then by member id (String UTF-16 order like Java compareTo).
    public static func sortedMembers(_ members: [GroupMember]) -> [GroupMember] {
        members.sorted(by: memberInfoPrecedes)
    }

    /// Java `String.compareTo` order: lexicographic over UTF-16 code units (so `consumer-10` < `consumer-2`).
    /// Unlike Swift's `<` on String, this never applies Unicode canonical equivalence.
    public static func javaStringPrecedes(_ a: String, _ b: String) -> Bool {
        a.utf16.lexicographicallyPrecedes(b.utf16)
    }

    // MARK: - Shared helpers

    /// MemberInfo.compareTo: both static → by instance id; a static member before a dynamic one;
    /// both dynamic → by member id. Equal instance ids (invalid input) fall back to member id.
    static func memberInfoPrecedes(_ a: GroupMember, _ b: GroupMember) -> Bool {
        switch (a.groupInstanceID, b.groupInstanceID) {
        case let (x?, y?):
            if x.utf16.elementsEqual(y.utf16) { return javaStringPrecedes(a.memberID, b.memberID) }
            return javaStringPrecedes(x, y)
        case (.some, nil):
            return true
        case (nil, .some):
            return false
        case (nil, nil):
            return javaStringPrecedes(a.memberID, b.memberID)
        }
    }

    /// The group coordinator never hands the leader two members with one id; if a caller does, the
    /// first occurrence wins so the result dictionary stays well defined.
    static func uniqueMembers(_ members: [GroupMember]) -> [GroupMember] {
        var seen = Set<String>()
        var out: [GroupMember] = []
        out.reserveCapacity(members.count)
        for m in members where seen.insert(m.memberID).inserted {
            out.append(m)
        }
        return out
    }

    /// An empty partition list for every member.
    static func emptyResult(_ members: [GroupMember]) -> [String: [TopicPartition]] {
        var result: [String: [TopicPartition]] = [:]
        result.reserveCapacity(members.count)
        for m in members { result[m.memberID] = [] }
        return result
    }
}

/// The topics an assignor works on, in Java `compareTo` order, with every partition numbered densely:
/// partition `p` of topic index `t` has id `offsets[t] + p`, so id order is (topic, partition) order.
struct TopicTable {
    let names: [String]
    let counts: [Int]
    let offsets: [Int]
    let total: Int
    let indexByName: [String: Int]
    /// Rank of each topic under Swift's `<` on String (the order `TopicPartition.<` uses), for output sorting.
    let swiftRank: [Int]

    /// `topics`: candidate names (duplicates allowed); only those present in `partitionsPerTopic` are kept.
    /// Negative counts are treated as zero.
    init(topics: some Sequence<String>, partitionsPerTopic: [String: Int]) {
        var unique = Set<String>()
        for t in topics where partitionsPerTopic[t] != nil { unique.insert(t) }
        let sorted = unique.sorted(by: Assignor.javaStringPrecedes)
        var counts: [Int] = []
        var offsets: [Int] = []
        var index: [String: Int] = [:]
        counts.reserveCapacity(sorted.count)
        offsets.reserveCapacity(sorted.count)
        index.reserveCapacity(sorted.count)
        var running = 0
        for (i, name) in sorted.enumerated() {
            let n = max(0, partitionsPerTopic[name] ?? 0)
            counts.append(n)
            offsets.append(running)
            index[name] = i
            running += n
        }
        let bySwift = sorted.indices.sorted { sorted[$0] < sorted[$1] }
        var rank = [Int](repeating: 0, count: sorted.count)
        for (r, i) in bySwift.enumerated() { rank[i] = r }
        self.names = sorted
        self.counts = counts
        self.offsets = offsets
        self.total = running
        self.indexByName = index
        self.swiftRank = rank
    }

    /// The dense id of a partition, or nil when its topic is unknown or the number is out of range.
    func id(of tp: TopicPartition) -> Int? {
        guard let t = indexByName[tp.topic], tp.partition >= 0, tp.partition < counts[t] else { return nil }
        return offsets[t] + tp.partition
    }

    /// Topic index of every id (length `total`).
    func topicOfID() -> [Int32] {
        var out = [Int32](repeating: 0, count: total)
        for t in names.indices {
            let start = offsets[t]
            for id in start..<(start + counts[t]) { out[id] = Int32(t) }
        }
        return out
    }

    /// Converts per-consumer id lists into `TopicPartition` lists sorted by `TopicPartition.<`.
    func partitionLists(_ lists: [[Int]], topicOf: [Int32]) -> [[TopicPartition]] {
        let maxCount = (counts.max() ?? 0) + 1
        var byRank = [Int](repeating: 0, count: names.count)
        for (t, r) in swiftRank.enumerated() { byRank[r] = t }
        return lists.map { ids in
            var keys: [Int] = []
            keys.reserveCapacity(ids.count)
            for id in ids {
                let t = Int(topicOf[id])
                keys.append(swiftRank[t] * maxCount + (id - offsets[t]))
            }
            keys.sort()
            return keys.map { key in
                let t = byRank[key / maxCount]
                return TopicPartition(names[t], key % maxCount)
            }
        }
    }
}
