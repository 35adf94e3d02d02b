// RangeAssignor (reference §4.2): every topic on its own. The members subscribed to a topic, in
// MemberInfo order (§4.1), split its partitions 0..P−1 into consecutive ranges: with C members,
// q = P / C and r = P % C, the first r members take q + 1 partitions and the others q. Because topics
// do not interact, the first members collect every topic's extra partition ("range skew").
// (The rack-aware variant of Kafka ≥ 3.5 needs rack information that this model does not carry.)

extension Assignor {
    static func range(members: [GroupMember], partitionsPerTopic: [String: Int]) -> Assignment {
        var result = emptyResult(members)
        let ordered = sortedMembers(members)
        let subscriptions = ordered.map { Set($0.topics) }

        // Topics subscribed by somebody and known to the metadata, in Java order (the order only
        // affects how each member's list is built; lists are sorted at the end anyway).
        let table = TopicTable(topics: ordered.lazy.flatMap(\.topics), partitionsPerTopic: partitionsPerTopic)
        for (t, topic) in table.names.enumerated() {
            let consumers = ordered.indices.filter { subscriptions[$0].contains(topic) }
            guard !consumers.isEmpty else { continue }
            let partitions = table.counts[t]
            let quota = partitions / consumers.count
            let extra = partitions % consumers.count
            var next = 0
            for (rank, ci) in consumers.enumerated() {
                let length = quota + (rank < extra ? 1 : 0)
                guard length > 0 else { continue }
                let memberID = ordered[ci].memberID
                for p in next..<(next + length) {
                    result[memberID, default: []].append(TopicPartition(topic, p))
                }
                next += length
            }
        }
        for key in Array(result.keys) { result[key]?.sort() }
        return Assignment(partitions: result)
    }
}
