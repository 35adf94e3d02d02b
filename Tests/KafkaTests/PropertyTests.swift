import Kafka
import Testing

@Suite struct PropertySweepTests {
    /// Random group: 1–9 members, 1–5 topics of 0–12 partitions, equal or random subscriptions,
    /// optional previous ownership (a prior assignment perturbed with stale and duplicate claims).
    struct Scenario {
        var members: [GroupMember]
        var partitionsPerTopic: [String: Int]
        var equalSubscriptions: Bool
    }

    static func scenario(_ rng: inout TestRandom) -> Scenario {
        let topicCount = 1 + rng.below(5)
        let topics = (0..<topicCount).map { "t\($0)" }
        var ppt: [String: Int] = [:]
        for t in topics { ppt[t] = rng.below(13) }
        let equal = rng.chance(50)
        let memberCount = 1 + rng.below(9)
        var members: [GroupMember] = []
        for i in 0..<memberCount {
            var subs = topics.filter { _ in rng.chance(60) }
            if equal || subs.isEmpty { subs = topics }
            if rng.chance(10) { subs.append("ghost") }  // subscribed but missing from metadata
            if equal { subs = topics }
            members.append(member("member-\(rng.below(20))-\(i)", rng.shuffled(subs), instance: rng.chance(20) ? "inst-\(i)" : nil))
        }
        // Previous ownership: random claims (including claims on topics no longer subscribed or existing).
        for i in members.indices where rng.chance(70) {
            var owned: [TopicPartition] = []
            for t in topics + ["gone"] where rng.chance(50) {
                for p in 0..<(ppt[t] ?? 3) where rng.chance(35) { owned.append(TopicPartition(t, p)) }
            }
            members[i].ownedPartitions = rng.shuffled(owned)
            members[i].generation = rng.chance(15) ? -1 : 5 + rng.below(3)
        }
        return Scenario(members: members, partitionsPerTopic: ppt, equalSubscriptions: equal)
    }

    @Test func randomGroupsAreValidAndBalanced() {
        // Goal: every subscribed partition assigned exactly once (or withheld for cooperative) and
        // |max−min| ≤ 1 for equal subscriptions; method: 400 seeded random groups (TestRandom/SplitMix64)
        // through all four assignors (Kafka AbstractStickyAssignorTest.testReassignmentWithRandomSubscriptionsAndChanges idea).
        var rng = TestRandom(seed: 0x5EED_2024)
        for _ in 0..<1_000 {
            let s = Self.scenario(&rng)
            for kind in AssignorKind.allCases {
                let a = Assignor.assign(kind, members: s.members, partitionsPerTopic: s.partitionsPerTopic)
                checkValidity(a, members: s.members, partitionsPerTopic: s.partitionsPerTopic, balanced: kind == .sticky)
                if !kind.isCooperative { #expect(a.withheld.isEmpty) }
                if s.equalSubscriptions && kind != .range && kind != .cooperativeSticky {
                    #expect(spread(a) <= 1, "\(kind) spread \(spread(a))")
                }
                if kind == .sticky {
                    // Stability: feeding the result back as owned (next generation) changes nothing.
                    let next = feedBack(s.members, a, generation: 9)
                    let b = Assignor.assign(kind, members: next, partitionsPerTopic: s.partitionsPerTopic)
                    #expect(b == a, "sticky not stable for \(s.members) \(s.partitionsPerTopic)")
                }
                if kind == .cooperativeSticky {
                    // Follow-up rebalances (result fed back as owned) until nothing is withheld: one for
                    // equal subscriptions, at most four otherwise (Kafka CooperativeStickyAssignorTest
                    // verifyValidityAndBalance allows the same); then valid and balanced.
                    var current = a, members = s.members, rounds = 0
                    while !current.withheld.isEmpty && rounds < 5 {
                        rounds += 1
                        members = feedBack(members, current, generation: 9 + rounds)
                        current = Assignor.assign(kind, members: members, partitionsPerTopic: s.partitionsPerTopic)
                        checkValidity(current, members: members, partitionsPerTopic: s.partitionsPerTopic, balanced: false)
                    }
                    #expect(current.withheld.isEmpty)
                    #expect(rounds <= (s.equalSubscriptions ? 1 : 4), "\(rounds) follow-ups")
                    checkValidity(current, members: members, partitionsPerTopic: s.partitionsPerTopic, balanced: true)
                    if s.equalSubscriptions { #expect(spread(current) <= 1) }
                }
            }
        }
    }

    @Test func resultIndependentOfInputOrder() {
        // Goal: determinism — the result never depends on member or topic order in the input; method:
        // 150 seeded random groups assigned twice with members and subscription lists shuffled.
        var rng = TestRandom(seed: 42)
        for _ in 0..<150 {
            let s = Self.scenario(&rng)
            let shuffled = rng.shuffled(s.members).map { m -> GroupMember in
                var m = m
                m.topics = rng.shuffled(m.topics)
                m.ownedPartitions = rng.shuffled(m.ownedPartitions)
                return m
            }
            for kind in AssignorKind.allCases {
                let a = Assignor.assign(kind, members: s.members, partitionsPerTopic: s.partitionsPerTopic)
                let b = Assignor.assign(kind, members: shuffled, partitionsPerTopic: s.partitionsPerTopic)
                #expect(a == b, "\(kind)")
            }
        }
    }

    @Test func stickyConstrainedTieCasesValidAndSticky() {
        // Goal: cases whose exact Kafka answer depends on Java HashMap order are only checked for validity,
        // balance and stickiness; method: Kafka AbstractStickyAssignorTest.
        // testMaxQuotaConsumerMoreThanNumExpectedMaxCapacityMembers (4 owners, 2 maxQuota slots).
        let ms = [
            member("consumer1", ["topic1", "topic2"], owned: [tp("topic1", 0), tp("topic2", 0)], generation: 1),
            member("consumer2", ["topic1", "topic2"], owned: [tp("topic1", 1), tp("topic2", 1)], generation: 1),
            member("consumer3", ["topic1", "topic2"], owned: [tp("topic2", 2)], generation: 1),
            member("consumer4", ["topic1", "topic2"], owned: [tp("topic1", 2)], generation: 1),
        ]
        let ppt = ["topic1": 3, "topic2": 3]
        let a = Assignor.assign(.sticky, members: ms, partitionsPerTopic: ppt)
        checkValidity(a, members: ms, partitionsPerTopic: ppt, balanced: true)
        #expect(spread(a) <= 1)
        for m in ms {
            let kept = Set(a.partitions[m.memberID] ?? []).intersection(m.ownedPartitions)
            #expect(kept.count >= 1)  // everyone keeps at least minQuota of what it owned
        }
        #expect(a.partitions.values.map(\.count).sorted() == [1, 1, 2, 2])
    }
}

@Suite struct LargerRandomTests {
    @Test func reassignmentWithRandomSubscriptionsAndChanges() {
        // Goal: the general path stays valid and balanced at Kafka's own random-test size and after every
        // member changes its subscription; method: Kafka AbstractStickyAssignorTest.
        // testReassignmentWithRandomSubscriptionsAndChanges (20–40 members, 10–20 topics of i+1 partitions), 15 seeded rounds.
        var rng = TestRandom(seed: 7)
        for _ in 0..<15 {
            let topicCount = 10 + rng.below(10)
            let topics = (0..<topicCount).map { "t" + ($0 < 10 ? "0" : "") + "\($0)" }
            var ppt: [String: Int] = [:]
            for (i, t) in topics.enumerated() { ppt[t] = i + 1 }
            let memberCount = 20 + rng.below(20)
            func randomSubscription() -> [String] {
                let picked = topics.filter { _ in rng.chance(50) }
                return picked.isEmpty ? [topics[rng.below(topics.count)]] : picked
            }
            let ms = (0..<memberCount).map { member("c" + ($0 < 10 ? "0" : "") + "\($0)", randomSubscription()) }
            let a = Assignor.assign(.sticky, members: ms, partitionsPerTopic: ppt)
            checkValidity(a, members: ms, partitionsPerTopic: ppt, balanced: true)
            let changed = feedBack(ms, a, generation: 1).map { m -> GroupMember in
                var m = m
                m.topics = randomSubscription()
                return m
            }
            let b = Assignor.assign(.sticky, members: changed, partitionsPerTopic: ppt)
            checkValidity(b, members: changed, partitionsPerTopic: ppt, balanced: true)
            // Stickiness: a partition whose owner is still subscribed moves only when balance needs it,
            // so at least the partitions of members that kept ≤ their new fair share stay put.
            var kept = 0
            for m in changed {
                kept += Set(b.partitions[m.memberID] ?? []).intersection(m.ownedPartitions).count
            }
            #expect(kept > 0)
        }
    }
}
