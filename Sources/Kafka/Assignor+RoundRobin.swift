// RoundRobinAssignor (reference §4.3): all subscribed topics sorted by name (Java order), their
// partitions in order, laid out as one list. A circular iterator walks the members in MemberInfo
// order (§4.1); for each partition it skips members not subscribed to that partition's topic, gives
// the partition to the member it stops at, and then steps one further.

extension Assignor {
    static func roundRobin(members: [GroupMember], partitionsPerTopic: [String: Int]) -> Assignment {
        var result = emptyResult(members)
        let ordered = sortedMembers(members)
        guard !ordered.isEmpty else { return Assignment(partitions: result) }
        let subscriptions = ordered.map { Set($0.topics) }
        let table = TopicTable(topics: ordered.lazy.flatMap(\.topics), partitionsPerTopic: partitionsPerTopic)

        var cursor = 0
        for (t, topic) in table.names.enumerated() {
            for p in 0..<table.counts[t] {
                // Some member subscribes to `topic` (the table only holds subscribed topics), so this
                // loop ends within one lap; the bound keeps that true even for inconsistent input.
                var steps = 0
                while !subscriptions[cursor].contains(topic) && steps < ordered.count {
                    cursor = (cursor + 1) % ordered.count
                    steps += 1
                }
                result[ordered[cursor].memberID, default: []].append(TopicPartition(topic, p))
                cursor = (cursor + 1) % ordered.count
            }
        }
        for key in Array(result.keys) { result[key]?.sort() }
        return Assignment(partitions: result)
    }
}
