import Foundation
import Testing
@testable import Kafka
import SimKit

/// Helpers for the metadata-triggered rebalance (kafka.md §3.2 "Rebalance triggers").
extension Harness {
    /// The consumer name behind the group's leader member id.
    func leaderName(_ group: String) throws -> String {
        let leader = try #require(try world.describe(group, cluster: cluster).leader)
        return try #require(try world.consumerNames.first { try view($0).memberID == leader })
    }

    /// Partitions assigned in the group's current generation, sorted.
    func assigned(_ group: String) throws -> [TopicPartition] {
        try world.describe(group, cluster: cluster).members.flatMap(\.assignment).sorted()
    }

    var metadataChanges: [GroupMessage] { world.timeline.filter { $0.kind == "MetadataChange" } }
}

@Suite struct MetadataRebalanceTests {
    static func orders(_ n: Int) -> [TopicPartition] { (0..<n).map { TopicPartition("orders", $0) } }

    // Goal: a partition added to a subscribed topic is picked up only when the leader's metadata gets
    // metadata.max.age.ms old, and then the leader rejoins (kafka.md §3.2 "Rebalance triggers"; Java
    // ConsumerCoordinator.rejoinNeededOrPending); method: 3 consumers on 3 partitions with the default
    // 300000 ms, add a 4th partition at 10 s, keep polling, inspect just before and after the leader's
    // last refresh + 300000 ms.
    @Test func addedPartitionAssignedAfterMetadataMaxAge() throws {
        var h = try Harness(topics: [("orders", 3)])
        for _ in 0..<3 { _ = try h.add(config("g"), topics: ["orders"]) }
        try h.advance(to: 10_000)
        #expect(try h.world.describe("g", cluster: h.cluster).generation == 1)
        let leader = try h.leaderName("g")
        _ = try h.cluster.addPartitions("orders", total: 4, startIndex: 0)

        try h.advance(to: 290_000)  // the leader last refreshed when it joined (a few ms in): not stale yet
        var d = try h.world.describe("g", cluster: h.cluster)
        #expect(d.state == .stable && d.generation == 1)
        #expect(try h.assigned("g") == Self.orders(3))
        #expect(h.metadataChanges.isEmpty)

        try h.advance(to: 310_000)
        let change = try #require(h.metadataChanges.first)
        #expect(h.metadataChanges.count == 1)
        #expect(change.from == leader && change.atMs >= 300_000 && change.atMs <= 300_200)
        #expect(change.detail == "orders has 4 partitions (was 3) — leader rejoins")
        let rejoin = h.delivered.first { $0.kind == "JoinGroup" && $0.from == leader && $0.atMs > 10_000 }
        #expect(rejoin?.atMs == change.atMs + GroupWorld.hopMs)
        d = try h.world.describe("g", cluster: h.cluster)
        #expect(d.state == .stable && d.generation == 2)
        #expect(try h.assigned("g") == Self.orders(4))
        for name in h.world.consumerNames {
            let v = try h.view(name)
            #expect(v.status == .stable && v.generation == 2 && !v.assignment.isEmpty)
        }
        #expect(try h.leaderName("g") == leader)
        #expect(h.violations.isEmpty)
    }

    // Goal: the consumer that idled because partitions < consumers gets work once the added partition is
    // noticed (kafka.md §3.2 "Rebalance triggers", §7 question 1); method: 4 consumers on 3 partitions,
    // add a 4th partition, poll past metadata.max.age.ms (default), count partitions per consumer.
    @Test func idleConsumerGetsTheNewPartition() throws {
        var h = try Harness(topics: [("orders", 3)])
        for _ in 0..<4 { _ = try h.add(config("g"), topics: ["orders"]) }
        try h.advance(to: 10_000)
        let before = try h.world.consumerNames.map { try h.view($0).assignment.count }.sorted()
        #expect(before == [0, 1, 1, 1])
        _ = try h.cluster.addPartitions("orders", total: 4, startIndex: 0)
        try h.advance(to: 310_000)
        let after = try h.world.consumerNames.map { try h.view($0).assignment.count }
        #expect(after == [1, 1, 1, 1])
        #expect(try h.world.describe("g", cluster: h.cluster).generation == 2)
        #expect(try h.assigned("g") == Self.orders(4))
        #expect(h.violations.isEmpty)
    }

    // Goal: only the leader compares partition counts — followers refreshing their metadata never
    // trigger a rebalance (Java ConsumerCoordinator keeps assignmentSnapshot only on the leader, kafka.md
    // §3.2); method: metadata.max.age.ms=1000 for all, the leader stops polling (its heartbeat thread
    // keeps it in the group), add a partition, followers poll for 60 s; then the leader polls again.
    @Test func followersNeverTrigger() throws {
        var h = try Harness(topics: [("orders", 3)])
        for _ in 0..<3 {
            _ = try h.add(config("g") { $0.metadataMaxAgeMs = 1_000; $0.maxPollIntervalMs = 120_000 }, topics: ["orders"])
        }
        try h.advance(to: 5_000)
        let leader = try h.leaderName("g")
        h.polling.removeAll { $0 == leader }
        _ = try h.cluster.addPartitions("orders", total: 4, startIndex: 0)
        try h.advance(to: 65_000)
        var d = try h.world.describe("g", cluster: h.cluster)
        #expect(d.state == .stable && d.generation == 1 && d.members.count == 3)
        #expect(try h.assigned("g") == Self.orders(3))
        #expect(h.metadataChanges.isEmpty)
        #expect(!h.delivered.contains { $0.kind == "JoinGroup" && $0.atMs > 5_000 })

        h.polling.append(leader)
        try h.advance(to: 72_000)
        let change = try #require(h.metadataChanges.first)
        #expect(change.from == leader && change.atMs == 65_000)  // its first poll: metadata is 60 s old
        d = try h.world.describe("g", cluster: h.cluster)
        #expect(d.state == .stable && d.generation == 2)
        #expect(try h.assigned("g") == Self.orders(4))
        #expect(h.violations.isEmpty)
    }

    static func fastScenario() throws -> Harness {
        var h = try Harness(topics: [("orders", 3)])
        for _ in 0..<3 { _ = try h.add(config("g") { $0.metadataMaxAgeMs = 1_000 }, topics: ["orders"]) }
        try h.advance(to: 10_000)
        _ = try h.cluster.addPartitions("orders", total: 4, startIndex: 0)
        try h.advance(to: 20_000)
        return h
    }

    // Goal: with metadata.max.age.ms=1000 the leader notices an added partition within about a second
    // of simulated time, and unchanged metadata never causes a rebalance (kafka.md §3.2; Java
    // ConsumerConfig metadata.max.age.ms); method: add a partition at 10 s with polling every 100 ms,
    // check when MetadataChange appears, the final generation, and that a rerun is identical.
    @Test func shortMetadataMaxAgeReactsWithinASecond() throws {
        let h = try Self.fastScenario()
        #expect(!h.delivered.contains { $0.kind == "JoinGroup" && $0.atMs > 4_000 && $0.atMs <= 10_000 })  // refreshes alone change nothing
        let change = try #require(h.metadataChanges.first)
        #expect(h.metadataChanges.count == 1)
        #expect(change.atMs > 10_000 && change.atMs <= 11_100)
        #expect(change.from == (try h.leaderName("g")))
        let d = try h.world.describe("g", cluster: h.cluster)
        #expect(d.state == .stable && d.generation == 2)
        #expect(try h.assigned("g") == Self.orders(4))
        #expect(h.violations.isEmpty)
        let again = try Self.fastScenario()
        #expect(again.world == h.world && again.delivered == h.delivered)
    }

    // Goal: metadata.max.age.ms is a Java LONG config with Range.atLeast(0) and default 300000 (Kafka
    // ConsumerConfig docs); method: names/value/set, invalid values name the key and change nothing.
    @Test func metadataMaxAgeConfig() throws {
        var c = ConsumerConfig(groupID: "g")
        #expect(c.metadataMaxAgeMs == 300_000)
        #expect(ConsumerConfig.names.contains("metadata.max.age.ms"))
        #expect(ConsumerConfig.names == ConsumerConfig.names.sorted())
        #expect(c.value("metadata.max.age.ms") == "300000")
        try c.set("metadata.max.age.ms", " 5000000000 ")  // a LONG: beyond 32 bits is fine
        #expect(c.metadataMaxAgeMs == 5_000_000_000)
        try c.set("metadata.max.age.ms", "0")
        #expect(c.value("metadata.max.age.ms") == "0")
        let before = c
        #expect(groupError { try c.set("metadata.max.age.ms", "-1") }
                == .invalidConfig(name: "metadata.max.age.ms", value: "-1", reason: "Value must be at least 0"))
        #expect(groupError { try c.set("metadata.max.age.ms", "soon") }
                == .invalidConfig(name: "metadata.max.age.ms", value: "soon", reason: "Not a number of type LONG"))
        #expect(c == before)
        var world = GroupWorld()
        let negative = groupError { _ = try world.createConsumer(config: config("g") { $0.metadataMaxAgeMs = -5 }, topics: ["t"], nowMs: 0) }
        #expect(negative == .invalidConfig(name: "metadata.max.age.ms", value: "-5", reason: "Value must be at least 0"))
        #expect(world == GroupWorld())
    }

    // Goal: states saved before metadata.max.age.ms, lastMetadataRefreshMs and the leader's snapshot
    // existed still decode, with the defaults; method: encode a running world, strip those keys from the
    // JSON, decode, and compare with the world minus the new fields.
    @Test func olderSavedStatesDecode() throws {
        var h = try Harness(topics: [("orders", 3)])
        for _ in 0..<2 { _ = try h.add(config("g") { $0.metadataMaxAgeMs = 1_000 }, topics: ["orders"]) }
        try h.advance(to: 5_000)
        #expect(h.world.consumers.contains { $0.metadataSnapshot != nil })
        let data = try JSONEncoder().encode(h.world)
        func strip(_ value: Any) -> Any {
            if let object = value as? [String: Any] {
                var out: [String: Any] = [:]
                for (key, inner) in object where !["metadataMaxAgeMs", "lastMetadataRefreshMs", "metadataSnapshot"].contains(key) {
                    out[key] = strip(inner)
                }
                return out
            }
            if let array = value as? [Any] { return array.map(strip) }
            return value
        }
        let old = try JSONSerialization.data(withJSONObject: strip(try JSONSerialization.jsonObject(with: data)))
        let decoded = try JSONDecoder().decode(GroupWorld.self, from: old)
        var expected = h.world
        for i in expected.consumers.indices {
            expected.consumers[i].config.metadataMaxAgeMs = 300_000
            expected.consumers[i].lastMetadataRefreshMs = nil
            expected.consumers[i].metadataSnapshot = nil
        }
        #expect(decoded == expected)
        #expect(try JSONDecoder().decode(GroupWorld.self, from: data) == h.world)
    }
}
