import Testing
import Kafka
import SimKit

@Suite struct OffsetsTopicTests {
    // Goal: the coordinator partition matches kafka.md §3.8's oracle table (Java String.hashCode over
    // UTF-16 + Utils.abs, MIN_VALUE → 0); method: check every row's hash and partition of 50 (and "foo" of 10).
    @Test func offsetsPartitionTable() {
        let rows: [(String, Int32, Int)] = [
            ("foo", 101574, 24), ("test", 3556498, 48), ("my-group", -1906497762, 12), ("my_group", -475040212, 12),
            ("test-group", 627841412, 12), ("group1", -1237460590, 40), ("mygroup", 1516409939, 39),
            ("consumer-group", -1738392088, 38), ("python-group", -1021303218, 18), ("order-service", 562889526, 26),
            ("payment-group", 331292664, 14), ("console-consumer-12345", 158455506, 6),
            ("polygenelubricants", Int32.min, 0),
        ]
        for (group, hash, partition) in rows {
            #expect(GroupWorld.javaHashCode(group) == hash, "\(group)")
            #expect(GroupWorld.offsetsPartition(groupID: group) == partition, "\(group)")
        }
        #expect(GroupWorld.offsetsPartition(groupID: "foo", partitions: 10) == 4)
    }
}

@Suite struct JoinTests {
    // Goal: a new group's first join follows kafka.md §3.2 step by step (FindCoordinator, JoinGroup,
    // MEMBER_ID_REQUIRED per KIP-394, rejoin, 3 s initial delay, JoinGroup responses, SyncGroup);
    // method: three consumers poll once at t=0, then step message by message and inspect the timeline.
    @Test func threeConsumersJoinNewGroup() throws {
        var h = try Harness(topics: [("orders", 3)])
        let names = try (0..<3).map { _ in try h.add(config("g"), topics: ["orders"], poll: false) }
        #expect(names == ["consumer-g-1", "consumer-g-2", "consumer-g-3"])
        for name in names { _ = try h.world.poll(name, cluster: h.cluster, nowMs: 0) }
        #expect(try h.view(names[0]).status == .joining)
        h.stepAll(until: 3_100)
        #expect(h.violations.isEmpty)
        let first = h.delivered.filter { $0.from == names[0] || $0.to == names[0] }.map(\.kind)
        #expect(Array(first.prefix(9)) == ["FindCoordinator", "FindCoordinatorResponse", "JoinGroup", "JoinGroupResponse",
                                          "JoinGroup", "JoinGroupResponse", "SyncGroup", "SyncGroupResponse", "OffsetFetch"])
        let joinResponses = h.delivered.filter { $0.kind == "JoinGroupResponse" }
        #expect(joinResponses.prefix(3).allSatisfy { $0.detail.contains("MEMBER_ID_REQUIRED(79)") })
        let firstRealJoin = h.delivered.first { $0.kind == "JoinGroup" && !$0.detail.contains("memberId=\"\"") }
        let delayEnd = h.delivered.first { $0.kind == "InitialRebalanceDelayEnd" }
        let firstSuccess = joinResponses.first { $0.detail.contains("error=NONE") }
        #expect(firstRealJoin != nil && delayEnd != nil && firstSuccess != nil)
        if let join = firstRealJoin, let end = delayEnd, let success = firstSuccess {
            #expect(end.atMs == join.atMs + 3_000)
            #expect(success.atMs > end.atMs)
        }
        // The coordinator is the broker for __consumer_offsets partition abs(hash("g")) % 50.
        let coordinatorLine = h.delivered.first { $0.kind == "FindCoordinatorResponse" }
        #expect(coordinatorLine?.detail.contains("partition \(GroupWorld.offsetsPartition(groupID: "g"))") == true)
        let d = try h.world.describe("g", cluster: h.cluster)
        #expect(d.state == .stable && d.generation == 1 && d.protocolName == "range")
        #expect(d.leader == d.members.first?.memberID)
        #expect(d.members.map(\.memberID) == ["consumer-g-1-1", "consumer-g-2-2", "consumer-g-3-3"])
        for name in names {
            let v = try h.view(name)
            #expect(v.status == .stable && v.generation == 1 && v.assignment.count == 1)
        }
        #expect(Set(d.members.flatMap(\.assignment)).count == 3)
        #expect(h.world.offsetsTopicRecords.last?.kind == "GroupMetadata")
        #expect(h.world.offsetsTopicRecords.last?.partition == GroupWorld.offsetsPartition(groupID: "g"))
    }

    // Goal: partitions are the unit of parallelism — a 4th consumer on a 3-partition topic triggers a
    // rebalance and then idles (kafka.md §7 question 1); method: stabilise 3, add a 4th, keep all polling.
    @Test func fourthConsumerIdles() throws {
        var h = try Harness(topics: [("orders", 3)])
        for _ in 0..<3 { _ = try h.add(config("g"), topics: ["orders"]) }
        try h.advance(to: 4_000)
        #expect(try h.world.describe("g", cluster: h.cluster).generation == 1)
        let fourth = try h.add(config("g"), topics: ["orders"])
        try h.advance(to: 12_000)
        let d = try h.world.describe("g", cluster: h.cluster)
        #expect(d.state == .stable && d.generation == 2 && d.members.count == 4)
        let counts = try h.world.consumerNames.map { try h.view($0).assignment.count }.sorted()
        #expect(counts == [0, 1, 1, 1])
        #expect(try h.view(fourth).status == .stable)
        #expect(h.delivered.contains { $0.kind == "HeartbeatResponse" && $0.detail.contains("REBALANCE_IN_PROGRESS(27)") })
        #expect(h.violations.isEmpty)
    }
}

@Suite struct DeliverySemanticsTests {
    // Goal: process-then-commit gives at-least-once — records polled but not committed before a crash
    // are read again by the next owner after session.timeout.ms (kafka.md §3.4); method: two manual-commit
    // consumers, commit a first batch, poll a second, crash one, watch its partition move.
    @Test func crashBeforeCommitDuplicates() throws {
        var h = try Harness(topics: [("orders", 2)])
        let a = try h.add(config("g") { $0.enableAutoCommit = false; $0.autoOffsetReset = "earliest" }, topics: ["orders"])
        let b = try h.add(config("g") { $0.enableAutoCommit = false; $0.autoOffsetReset = "earliest" }, topics: ["orders"])
        try h.advance(to: 4_000)
        let aPartition = try #require(try h.view(a).assignment.first)
        try h.produce("orders", partition: 0, count: 5)
        try h.produce("orders", partition: 1, count: 5)
        try h.advance(to: 4_200)
        _ = try h.world.commit(a, nowMs: h.now)
        _ = try h.world.commit(b, nowMs: h.now)
        try h.produce("orders", partition: 0, count: 5)
        try h.produce("orders", partition: 1, count: 5)
        try h.advance(to: 4_400)
        #expect(h.received[a, default: []].map(\.offset) == Array(0..<10))  // processed 0...9
        try h.world.crash(a, nowMs: h.now)
        h.polling.removeAll { $0 == a }
        try h.advance(to: 4_400 + 41_000)
        #expect(try h.view(b).assignment.count == 1)  // not yet: the last heartbeat was < 3 s before the crash
        try h.advance(to: 4_400 + 52_000)
        #expect(h.delivered.contains { $0.kind == "SessionTimeout" })
        #expect(try h.view(b).assignment.contains(aPartition))
        let reread = h.received[b, default: []].filter { $0.topicPartition == aPartition }.map(\.offset)
        #expect(reread == Array(5..<10))  // duplicates: A processed them, B processes them again
        #expect(h.violations.isEmpty)
    }

    // Goal: commit-then-process gives at-most-once — a crash after the commit loses the batch (kafka.md
    // §3.4); method: poll, commitSync at once, crash before "processing", check the next owner skips it.
    @Test func commitBeforeProcessingLoses() throws {
        var h = try Harness(topics: [("orders", 2)])
        let a = try h.add(config("g") { $0.enableAutoCommit = false; $0.autoOffsetReset = "earliest" }, topics: ["orders"], poll: false)
        let b = try h.add(config("g") { $0.enableAutoCommit = false; $0.autoOffsetReset = "earliest" }, topics: ["orders"])
        _ = try h.world.poll(a, cluster: h.cluster, nowMs: 0)
        try h.advance(to: 4_000)
        let aPartition = try #require(try h.view(a).assignment.first)
        try h.produce(aPartition.topic, partition: aPartition.partition, count: 5)
        let batch = try h.world.poll(a, cluster: h.cluster, nowMs: h.now).records
        #expect(batch.map(\.offset) == Array(0..<5))
        let committed = try h.world.commit(a, nowMs: h.now)
        #expect(committed[aPartition] == 5)
        try h.world.crash(a, nowMs: h.now)  // dies before processing the batch
        try h.advance(to: 60_000)
        try h.produce(aPartition.topic, partition: aPartition.partition, count: 2)
        try h.advance(to: 60_500)
        let seen = h.received[b, default: []].filter { $0.topicPartition == aPartition }.map(\.offset)
        #expect(seen == [5, 6])  // offsets 0...4 were never processed by anyone: lost
        #expect(h.violations.isEmpty)
    }

    // Goal: auto.offset.reset applies only without a committed offset: latest = HW, earliest = log
    // start, none = NoOffsetForPartitionException (kafka.md §3.3); method: three new groups on a topic
    // with 5 old records.
    @Test func autoOffsetReset() throws {
        var h = try Harness(topics: [("t", 1)])
        try h.produce("t", partition: 0, count: 5)
        let latest = try h.add(config("latest-group"), topics: ["t"])
        let earliest = try h.add(config("earliest-group") { try $0.set("auto.offset.reset", "EARLIEST") }, topics: ["t"])
        let none = try h.add(config("none-group") { try $0.set("auto.offset.reset", "none") }, topics: ["t"], poll: false)
        _ = try h.world.poll(none, cluster: h.cluster, nowMs: 0)
        try h.advance(to: 4_000)
        #expect(h.received[latest, default: []].isEmpty)
        try h.produce("t", partition: 0, count: 2)
        try h.advance(to: 4_200)
        #expect(h.received[latest, default: []].map(\.offset) == [5, 6])
        #expect(h.received[earliest, default: []].map(\.offset) == Array(0..<7))
        let before = h.world
        let error = groupError { _ = try h.world.poll(none, cluster: h.cluster, nowMs: h.now) }
        #expect(error == .noOffsetForPartition(TopicPartition("t", 0)))
        #expect(error?.javaException == "NoOffsetForPartitionException")
        #expect(h.world == before)  // a throwing call changes nothing
    }
}

@Suite struct LivenessTests {
    // Goal: a consumer that stops calling poll() keeps heartbeating but leaves after max.poll.interval.ms,
    // triggering a rebalance, and its late commit fails (kafka.md §3.2 step 5); method: stop polling one of
    // two consumers and advance past 300 s.
    @Test func slowProcessingLeavesGroup() throws {
        var h = try Harness(topics: [("orders", 2)])
        let slow = try h.add(config("g") { $0.enableAutoCommit = false }, topics: ["orders"])
        let fast = try h.add(config("g"), topics: ["orders"])
        try h.advance(to: 4_000)
        let lastPoll = try #require(try h.view(slow).lastPollMs)
        h.polling.removeAll { $0 == slow }
        try h.advance(to: lastPoll + 299_000, pollEveryMs: 1_000)
        #expect(try h.view(slow).status == .stable)  // heartbeats kept the session alive
        #expect(!h.delivered.contains { $0.kind == "SessionTimeout" })
        try h.advance(to: lastPoll + 310_000, pollEveryMs: 1_000)
        let fired = h.delivered.first { $0.kind == "MaxPollIntervalExceeded" }
        #expect(fired?.atMs == lastPoll + 300_000)
        #expect(h.delivered.contains { $0.kind == "LeaveGroup" && $0.from == slow })
        #expect(try h.view(slow).status == .left)
        #expect(try h.view(fast).assignment.count == 2)
        let d = try h.world.describe("g", cluster: h.cluster)
        #expect(d.generation == 2 && d.members.count == 1)
        let error = groupError { _ = try h.world.commit(slow, nowMs: h.now) }
        #expect(error == .unknownMemberID && error?.code == 25 && error?.javaException == "CommitFailedException")
        #expect(h.violations.isEmpty)
    }

    // Goal: static membership (KIP-345, kafka.md §3.2): a restarted member with the same
    // group.instance.id gets its old assignment back without a rebalance, and a departed static member
    // is noticed only after session.timeout.ms; method: crash + recreate within 10 s, then close the other.
    @Test func staticMemberRestart() throws {
        var h = try Harness(topics: [("orders", 4)])
        let a = try h.add(config("g") { try $0.set("group.instance.id", "node-a") }, topics: ["orders"])
        let b = try h.add(config("g") { try $0.set("group.instance.id", "node-b") }, topics: ["orders"])
        try h.advance(to: 4_000)
        let before = try h.world.describe("g", cluster: h.cluster)
        #expect(before.generation == 1 && before.members.count == 2)
        let oldAssignment = try h.view(a).assignment
        #expect(oldAssignment.count == 2)
        try h.world.crash(a, nowMs: h.now)
        h.polling.removeAll { $0 == a }
        try h.advance(to: 14_000)
        let a2 = try h.add(config("g") { try $0.set("group.instance.id", "node-a") }, topics: ["orders"])
        try h.advance(to: 20_000)
        let after = try h.world.describe("g", cluster: h.cluster)
        #expect(after.state == .stable && after.generation == 1)
        #expect(try h.view(a2).assignment == oldAssignment)
        #expect(try h.view(b).generation == 1)
        #expect(!h.delivered.contains { $0.kind == "JoinGroupResponse" && $0.detail.contains("MEMBER_ID_REQUIRED") })
        #expect(after.members.first { $0.groupInstanceID == "node-a" }?.memberID.hasPrefix("node-a-") == true)
        // A static member that closes sends no LeaveGroup: the group only notices after the session timeout.
        try h.world.close(b, nowMs: h.now)
        h.polling.removeAll { $0 == b }
        try h.advance(to: 20_000 + 44_000)
        #expect(try h.world.describe("g", cluster: h.cluster).generation == 1)
        try h.advance(to: 20_000 + 50_000)
        let last = try h.world.describe("g", cluster: h.cluster)
        #expect(last.generation == 2 && last.members.count == 1)
        #expect(try h.view(a2).assignment.count == 4)
        #expect(!h.delivered.contains { $0.kind == "LeaveGroup" })
        #expect(h.violations.isEmpty)
    }

    // Goal: with cooperative-sticky (KIP-429, kafka.md §3.2 "Eager vs cooperative") adding a member never
    // revokes everything: owners keep their partitions, only the moving one is revoked and reassigned in a
    // follow-up rebalance; method: sample every consumer's assignment after every step while a 3rd joins.
    @Test func cooperativeStickyKeepsPartitions() throws {
        var h = try Harness(topics: [("orders", 3)])
        let cooperative = config("g") { $0.assignors = [.cooperativeSticky] }
        let a = try h.add(cooperative, topics: ["orders"])
        let b = try h.add(cooperative, topics: ["orders"])
        try h.advance(to: 4_000)
        let ownedA = try h.view(a).assignment
        let ownedB = try h.view(b).assignment
        #expect(ownedA.count + ownedB.count == 3)
        #expect(try h.view(a).cooperative)
        let c = try h.add(cooperative, topics: ["orders"])
        var minA = ownedA.count
        var minB = ownedB.count
        var t = h.now
        while t < 20_000 {
            t += 50
            try h.advance(to: t, pollEveryMs: 50)
            let va = try h.view(a).assignment, vb = try h.view(b).assignment
            minA = min(minA, va.count)
            minB = min(minB, vb.count)
            #expect(va.allSatisfy(ownedA.contains) && vb.allSatisfy(ownedB.contains))  // nothing new, nothing swapped
        }
        #expect(minA >= 1 && minB >= 1)  // never stop-the-world
        let final = try [a, b, c].map { try h.view($0).assignment }
        #expect(final.allSatisfy { $0.count == 1 })
        #expect(Set(final.flatMap { $0 }).count == 3)
        let revoked = h.world.timeline.filter { $0.kind == "PartitionsRevoked" }
        #expect(revoked.count == 1)
        let d = try h.world.describe("g", cluster: h.cluster)
        #expect(d.protocolName == "cooperative-sticky" && d.generation == 3)  // the revoking round + the follow-up
        #expect(h.violations.isEmpty)
    }
}

@Suite struct OffsetsTests {
    // Goal: describe reports LAG = HW − committed per partition and "-" for never-committed ones
    // (kafka.md §3.5); method: two polls of max.poll.records=3, commitSync, then produce more.
    @Test func lagPerPartition() throws {
        var h = try Harness(topics: [("orders", 3)])
        try h.produce("orders", partition: 0, count: 10)
        try h.produce("orders", partition: 1, count: 4)
        let c = try h.add(config("g") {
            $0.enableAutoCommit = false
            $0.maxPollRecords = 3
            $0.autoOffsetReset = "earliest"
        }, topics: ["orders"], poll: false)
        _ = try h.world.poll(c, cluster: h.cluster, nowMs: 0)
        try h.advance(to: 4_000)
        #expect(try h.world.poll(c, cluster: h.cluster, nowMs: h.now).records.map(\.topicPartition) == Array(repeating: TopicPartition("orders", 0), count: 3))
        #expect(try h.world.poll(c, cluster: h.cluster, nowMs: h.now).records.map(\.offset) == [0, 1, 2])  // partition 1
        let uncommitted = try h.world.describe("g", cluster: h.cluster)
        #expect(uncommitted.partitions.allSatisfy { $0.currentOffset == nil && $0.lag == nil && $0.consumerID != nil })
        _ = try h.world.commit(c, nowMs: h.now)  // commits every position, also partition 2 at 0
        try h.produce("orders", partition: 1, count: 6)
        let d = try h.world.describe("g", cluster: h.cluster)
        let rows = d.partitions.map { ($0.partition, $0.currentOffset, $0.logEndOffset, $0.lag) }
        #expect(rows.count == 3)
        #expect(rows[0] == (0, 3, 10, 7))
        #expect(rows[1] == (1, 3, 10, 7))
        #expect(rows[2] == (2, 0, 0, 0))
        #expect(d.text.hasPrefix("GROUP\tTOPIC\tPARTITION\tCURRENT-OFFSET\tLOG-END-OFFSET\tLAG\tCONSUMER-ID\tHOST\tCLIENT-ID"))
        let commits = h.world.offsetsTopicRecords.filter { $0.kind == "OffsetCommit" }
        #expect(commits.count == 3)
        #expect(commits.first?.key == "OffsetCommitKey(version=1, group=g, topic=orders, partition=0)")
        #expect(commits.first?.value?.hasPrefix("OffsetCommitValue(version=3, offset=3,") == true)
    }

    // Goal: auto-commit runs inside poll() and commits the positions of the previous poll (kafka.md §3.4);
    // method: poll records, wait 5 s, poll again and check the committed offset covers only the earlier batch.
    @Test func autoCommitInsidePoll() throws {
        var h = try Harness(topics: [("t", 1)])
        let c = try h.add(config("g") { $0.autoOffsetReset = "earliest" }, topics: ["t"], poll: false)
        _ = try h.world.poll(c, cluster: h.cluster, nowMs: 0)
        try h.advance(to: 4_000)
        try h.produce("t", partition: 0, count: 3)
        #expect(try h.world.poll(c, cluster: h.cluster, nowMs: 4_000).records.count == 3)
        try h.produce("t", partition: 0, count: 2)
        try h.advance(to: 5_500)
        #expect(try h.world.describe("g", cluster: h.cluster).partitions.first?.currentOffset == nil)
        #expect(try h.world.poll(c, cluster: h.cluster, nowMs: 5_500).records.count == 2)  // auto-commit of offset 3 sent first
        try h.advance(to: 5_600)
        #expect(try h.world.describe("g", cluster: h.cluster).partitions.first?.currentOffset == 3)
        #expect(h.world.timeline.contains { $0.kind == "AutoCommit" })
    }
}

@Suite struct ConfigTests {
    // Goal: consumer configs use Kafka's names, defaults and validation (kafka.md §3.1); method: defaults,
    // set() of each kind, invalid values naming the key, and INVALID_SESSION_TIMEOUT from the coordinator.
    @Test func configNamesDefaultsAndErrors() throws {
        var c = ConsumerConfig(groupID: "g")
        #expect(c.sessionTimeoutMs == 45_000 && c.heartbeatIntervalMs == 3_000 && c.maxPollIntervalMs == 300_000)
        #expect(c.maxPollRecords == 500 && c.autoOffsetReset == "latest" && c.enableAutoCommit && c.autoCommitIntervalMs == 5_000)
        #expect(c.assignors == [.range, .cooperativeSticky] && !c.usesCooperativeProtocol)
        #expect(ConsumerConfig.names == ConsumerConfig.names.sorted())
        try c.set("partition.assignment.strategy", "org.apache.kafka.clients.consumer.CooperativeStickyAssignor")
        #expect(c.usesCooperativeProtocol)
        try c.set("enable.auto.commit", "FALSE")
        #expect(!c.enableAutoCommit)
        let before = c
        #expect(groupError { try c.set("auto.offset.reset", "smallest") } == .invalidConfig(name: "auto.offset.reset", value: "smallest", reason: "String must be one of (case insensitive): EARLIEST, LATEST, NONE"))
        if case let .invalidConfig(name, _, _)? = groupError({ try c.set("max.poll.records", "0") }) { #expect(name == "max.poll.records") } else { Issue.record("expected INVALID_CONFIG") }
        #expect(c == before)
        var world = GroupWorld()
        let heartbeatTooSlow = groupError { _ = try world.createConsumer(config: config("g") { $0.heartbeatIntervalMs = 50_000 }, topics: ["t"], nowMs: 0) }
        #expect(heartbeatTooSlow?.code == 40)
        #expect(world == GroupWorld())
        var h = try Harness(topics: [("t", 1)])
        let short = try h.add(config("g") { $0.sessionTimeoutMs = 5_000; $0.heartbeatIntervalMs = 1_000 }, topics: ["t"], poll: false)
        _ = try h.world.poll(short, cluster: h.cluster, nowMs: 0)
        h.stepAll(until: 100)
        #expect(groupError { _ = try h.world.poll(short, cluster: h.cluster, nowMs: 100) } == .invalidSessionTimeout)
    }
}

@Suite struct DeterminismTests {
    static func scripted() throws -> Harness {
        var h = try Harness(topics: [("orders", 3), ("payments", 2)])
        let a = try h.add(config("g") { $0.autoOffsetReset = "earliest" }, topics: ["orders", "payments"])
        _ = try h.add(config("g"), topics: ["orders"])
        try h.produce("orders", partition: 0, count: 7)
        try h.produce("payments", partition: 1, count: 3)
        try h.advance(to: 5_000)
        let c = try h.add(config("g") { $0.assignors = [.roundrobin, .range] }, topics: ["orders", "payments"])
        try h.advance(to: 15_000)
        _ = try h.world.commit(c, nowMs: h.now)
        try h.world.crash(a, nowMs: h.now)
        h.polling.removeAll { $0 == a }
        try h.advance(to: 70_000, pollEveryMs: 250)
        try h.world.close(c, nowMs: h.now)
        h.polling.removeAll { $0 == c }
        try h.advance(to: 80_000, pollEveryMs: 250)
        return h
    }

    // Goal: the simulation is a pure function of its inputs (no clocks, randomness or hash order);
    // method: run the same script twice and compare the worlds and timelines, invariants after every step.
    @Test func sameScriptSameWorld() throws {
        let first = try Self.scripted()
        let second = try Self.scripted()
        #expect(first.world == second.world)
        #expect(first.world.timeline == second.world.timeline)
        #expect(first.delivered == second.delivered)
        #expect(first.violations.isEmpty)
        #expect(try first.world.describe("g", cluster: first.cluster).state == .stable)
    }

    // Goal: invariants hold after every single step under arbitrary interleavings of joins, polls,
    // commits, crashes, closes and production; method: seeded pseudo-random scripts (SplitMix64).
    @Test(arguments: [1, 2, 3, 4, 5, 6] as [UInt64]) func randomSweep(seed: UInt64) throws {
        var rng = SplitMix64(seed: seed)
        var h = try Harness(topics: [("orders", 4), ("audit", 1)])
        let groups = ["g1", "g2"]
        for _ in 0..<60 {
            switch rng.below(8) {
            case 0, 1:
                let group = groups[rng.below(2)]
                let cfg = try config(group) {
                    $0.assignors = [[.range], [.cooperativeSticky], [.range, .cooperativeSticky], [.roundrobin]][rng.below(4)]
                    $0.autoOffsetReset = ["earliest", "latest"][rng.below(2)]
                    if rng.below(4) == 0 { try $0.set("group.instance.id", "static-\(rng.below(3))") }
                    $0.enableAutoCommit = rng.below(2) == 0
                }
                let topics = [["orders"], ["orders", "audit"]][rng.below(2)]
                _ = try h.add(cfg, topics: topics)
            case 2:
                try h.produce(["orders", "audit"][rng.below(2)], partition: 0, count: 1 + rng.below(5))
            case 3:
                if let name = h.polling.randomElement(using: &rng) { _ = try? h.world.commit(name, nowMs: h.now) }
            case 4:
                if rng.below(3) == 0, let name = h.polling.randomElement(using: &rng) {
                    if rng.below(2) == 0 { try h.world.crash(name, nowMs: h.now) } else { try h.world.close(name, nowMs: h.now) }
                    h.polling.removeAll { $0 == name }
                }
            default:
                break
            }
            do {
                try h.advance(to: h.now + Int64(200 + rng.below(20_000)), pollEveryMs: 200)
            } catch let error as GroupError {
                // A fatal client error (a fenced static member, or INCONSISTENT_GROUP_PROTOCOL when range-only and
                // cooperative-only consumers meet): the app stops polling that consumer.
                #expect([GroupError.fencedInstanceID, .invalidSessionTimeout, .inconsistentGroupProtocol].contains(error))
                h.polling = h.polling.filter { (try? h.world.consumer($0).pendingError) == nil }
            }
        }
        #expect(h.violations.isEmpty, "\(h.violations.prefix(3))")
        #expect(h.world.checkInvariants().isEmpty)
        let generations = h.world.groupIDs.compactMap { try? h.world.describe($0, cluster: h.cluster).generation }
        #expect(h.delivered.count > 500 && generations.reduce(0, +) > 4)  // the sweep really rebalances
    }
}


extension Array {
    func randomElement(using rng: inout SplitMix64) -> Element? { isEmpty ? nil : self[rng.below(count)] }
}
