// Deleting a consumer group (kafka-consumer-groups --delete; the DeleteGroups API): only an Empty
// group may go. Its committed offsets and its metadata get tombstones in __consumer_offsets, and
// the group becomes Dead (ClassicGroupState: Empty → Dead when the group is removed).

extension GroupWorld {
    /// Deletes an Empty group; returns the partitions whose committed offsets were removed.
    /// GROUP_ID_NOT_FOUND for an unknown group, NON_EMPTY_GROUP while it has members.
    @discardableResult
    public mutating func deleteGroup(_ groupID: String, nowMs: Int64) throws -> [TopicPartition] {
        guard let index = groups.firstIndex(where: { $0.groupID == groupID }), groups[index].state != .dead else {
            throw GroupError.groupIDNotFound(groupID)
        }
        guard groups[index].state == .empty, groups[index].members.isEmpty, groups[index].pending.isEmpty else {
            throw GroupError.nonEmptyGroup(groupID)
        }
        let group = groups[index]
        for entry in group.offsets {
            appendOffsetsRecord(OffsetsTopicRecord(
                partition: group.offsetsPartition, kind: "OffsetCommit",
                key: "OffsetCommitKey(version=1, group=\(groupID), topic=\(entry.topicPartition.topic), partition=\(entry.topicPartition.partition))",
                value: nil, atMs: nowMs))
        }
        appendOffsetsRecord(OffsetsTopicRecord(partition: group.offsetsPartition, kind: "GroupMetadata",
                                               key: "GroupMetadataKey(version=2, group=\(groupID))", value: nil, atMs: nowMs))
        groups[index].offsets = []
        groups[index].state = .dead
        groups[index].leader = nil
        groups[index].protocolName = nil
        return group.offsets.map(\.topicPartition)
    }
}
