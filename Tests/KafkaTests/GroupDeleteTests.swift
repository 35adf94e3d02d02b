import Testing
@testable import Kafka

/// Deleting a group (DeleteGroups API, kafka-consumer-groups --delete): only an Empty group may go;
/// its offsets and metadata get tombstones and the group is Dead (kafka.md §3.2 states, §3.8 tombstones).
struct GroupDeleteTests {
    // Goal: a group with a member is refused with NON_EMPTY_GROUP and nothing changes; once its
    // consumer has closed and the group is Empty, deletion tombstones every committed offset.
    @Test func deleteOnlyEmptyGroups() throws {
        var cluster = Cluster(brokerCount: 3)
        _ = try cluster.createTopic("orders", partitions: 2, replicationFactor: 1, config: TopicConfig(), startIndex: 0)
        _ = try cluster.append(topic: "orders", partition: 0, records: [Record(key: nil, value: [1], headers: [], timestampMs: 0)], recordSizes: [10], acks: .all)
        var world = GroupWorld()
        var config = ConsumerConfig(groupID: "g", clientID: "c1")
        try config.set("auto.offset.reset", "earliest")
        _ = try world.createConsumer(config: config, topics: ["orders"], nowMs: 0)
        var now: Int64 = 0
        for _ in 0..<6 {
            _ = try world.poll("c1", cluster: cluster, nowMs: now)
            now += 1_000
            _ = world.run(cluster: cluster, untilMs: now)
        }
        _ = try world.commit("c1", nowMs: now)
        let before = world
        #expect(throws: GroupError.nonEmptyGroup("g")) { try world.deleteGroup("g", nowMs: now) }
        #expect(world == before)
        try world.close("c1", nowMs: now)
        _ = world.run(cluster: cluster, untilMs: now + 10)
        #expect(try world.describe("g", cluster: cluster).state == .empty)
        let removed = try world.deleteGroup("g", nowMs: now + 10)
        #expect(!removed.isEmpty)
        #expect(try world.describe("g", cluster: cluster).state == .dead)
        let tombstones = world.offsetsTopicRecords.filter { $0.value == nil }
        #expect(tombstones.count == removed.count + 1)
        #expect(throws: GroupError.groupIDNotFound("g")) { try world.deleteGroup("g", nowMs: now + 20) }
        #expect(throws: GroupError.groupIDNotFound("nope")) { try world.deleteGroup("nope", nowMs: now + 20) }
        #expect(world.checkInvariants().isEmpty)
    }
}
