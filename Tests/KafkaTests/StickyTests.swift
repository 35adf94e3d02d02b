import Kafka
import Testing

@Suite struct StickyAssignorTests {
    @Test func initialAssignmentBalanced() {
        // Goal: with nothing owned the constrained path round-robins sorted partitions over sorted ids;
        // method: Kafka AbstractStickyAssignorTest.testTwoConsumersTwoTopicsSixPartitions (exact lists).
        let ms = [member("consumer2", ["topic1", "topic2"]), member("consumer1", ["topic1", "topic2"])]
        let ppt = ["topic1": 3, "topic2": 3]
        for kind in [AssignorKind.sticky, .cooperativeSticky] {
            let a = Assignor.assign(kind, members: ms, partitionsPerTopic: ppt)
            #expect(a.partitions["consumer1"] == [tp("topic1", 0), tp("topic1", 2), tp("topic2", 1)])
            #expect(a.partitions["consumer2"] == [tp("topic1", 1), tp("topic2", 0), tp("topic2", 2)])
            #expect(a.withheld.isEmpty)
        }
    }

    @Test func ownersKeepUpToQuota() {
        // Goal: owned partitions are kept up to the quota and the rest fills the emptiest member; method:
        // Kafka AbstractStickyAssignorTest.testAllConsumersReachExpectedQuotaAndAreConsideredFilled and
        // testConsumerOwningMinQuotaExpectedMaxQuota (exact lists).
        let a = Assignor.assign(.sticky, members: [
            member("consumer1", ["topic"], owned: [tp("topic", 0), tp("topic", 1)], generation: 1),
            member("consumer2", ["topic"], owned: [tp("topic", 2)], generation: 1),
            member("consumer3", ["topic"], generation: 1),
        ], partitionsPerTopic: ["topic": 4])
        #expect(a.partitions["consumer1"] == [tp("topic", 0), tp("topic", 1)])
        #expect(a.partitions["consumer2"] == [tp("topic", 2)])
        #expect(a.partitions["consumer3"] == [tp("topic", 3)])

        let b = Assignor.assign(.sticky, members: [
            member("consumer1", ["topic1", "topic2"], owned: [tp("topic1", 0), tp("topic2", 1)], generation: 1),
            member("consumer2", ["topic1", "topic2"], owned: [tp("topic1", 1), tp("topic2", 2)], generation: 1),
        ], partitionsPerTopic: ["topic1": 2, "topic2": 3])
        #expect(b.partitions["consumer1"] == [tp("topic1", 0), tp("topic2", 0), tp("topic2", 1)])
        #expect(b.partitions["consumer2"] == [tp("topic1", 1), tp("topic2", 2)])
    }

    @Test func addingConsumerMovesMinimum() {
        // Goal: a joining member takes only what balance requires; method: Kafka
        // AbstractStickyAssignorTest.testAddRemoveConsumerOneTopic (exact), then 3→4 members over 12
        // partitions where exactly 3 partitions (one per old member) may move.
        let ppt = ["topic": 3]
        let one = Assignor.assign(.sticky, members: [member("consumer1", ["topic"])], partitionsPerTopic: ppt)
        #expect(one.partitions["consumer1"] == [tp("topic", 0), tp("topic", 1), tp("topic", 2)])
        let two = Assignor.assign(.sticky, members: feedBack([member("consumer1", ["topic"])], one, generation: 1)
                                  + [member("consumer2", ["topic"])], partitionsPerTopic: ppt)
        #expect(two.partitions["consumer1"] == [tp("topic", 0), tp("topic", 1)])
        #expect(two.partitions["consumer2"] == [tp("topic", 2)])

        let topics = ["a", "b"], ppt2 = ["a": 5, "b": 7]
        let three = (1...3).map { member("c\($0)", topics) }
        let r1 = Assignor.assign(.sticky, members: three, partitionsPerTopic: ppt2)
        let joined = feedBack(three, r1, generation: 1) + [member("c4", topics)]
        let r2 = Assignor.assign(.sticky, members: joined, partitionsPerTopic: ppt2)
        checkValidity(r2, members: joined, partitionsPerTopic: ppt2, balanced: true)
        #expect(spread(r2) == 0)
        for m in three {
            let before = Set(r1.partitions[m.memberID] ?? []), after = Set(r2.partitions[m.memberID] ?? [])
            #expect(after.isSubset(of: before))
            #expect(before.count - after.count == 1)
        }
    }

    @Test func removingConsumerReassignsOnlyItsPartitions() {
        // Goal: when a member leaves, survivors keep everything and only its partitions move; method:
        // Kafka AbstractStickyAssignorTest.testAddRemoveConsumerOneTopic (removal half) at 4→3 members, 12 partitions.
        let topics = ["a", "b"], ppt = ["a": 6, "b": 6]
        let four = (1...4).map { member("c\($0)", topics) }
        let r1 = Assignor.assign(.sticky, members: four, partitionsPerTopic: ppt)
        let survivors = feedBack(Array(four.dropLast()), r1, generation: 1)
        for kind in [AssignorKind.sticky, .cooperativeSticky] {
            let r2 = Assignor.assign(kind, members: survivors, partitionsPerTopic: ppt)
            checkValidity(r2, members: survivors, partitionsPerTopic: ppt, balanced: true)
            #expect(r2.withheld.isEmpty)  // the departed member's partitions have no owner to revoke them
            for m in survivors {
                let before = Set(r1.partitions[m.memberID] ?? []), after = Set(r2.partitions[m.memberID] ?? [])
                #expect(before.isSubset(of: after))
                #expect(after.count == 4)
            }
        }
    }

    @Test func olderGenerationClaimsIgnored() {
        // Goal: a claim from an older generation loses to the current generation's claim; method: Kafka
        // AbstractStickyAssignorTest.testOwnedPartitionsAreInvalidatedForConsumerWithStaleGeneration and
        // …WithNoGeneration (exact sets, nothing transferring).
        let ppt = ["topic": 3, "topic2": 3]
        let claimed = [tp("topic", 0), tp("topic", 2), tp("topic2", 1)]
        for staleGeneration in [9, -1] {
            for kind in [AssignorKind.sticky, .cooperativeSticky] {
                let a = Assignor.assign(kind, members: [
                    member("consumer1", ["topic", "topic2"], owned: claimed, generation: 10),
                    member("consumer2", ["topic", "topic2"], owned: claimed, generation: staleGeneration),
                ], partitionsPerTopic: ppt)
                #expect(a.partitions["consumer1"] == claimed)
                #expect(a.partitions["consumer2"] == [tp("topic", 1), tp("topic2", 0), tp("topic2", 2)])
                #expect(a.withheld.isEmpty)
            }
        }
    }

    @Test func uncontestedOlderGenerationClaimsKept() {
        // Goal: pin Kafka ≥ 3.1's per-partition rule — an old-generation claim nobody newer contests is
        // kept; method: Kafka AbstractStickyAssignorTest.testNoReassignmentOnCurrentMembers (exact set for
        // consumer1, nothing transferring) and testEnsurePartitionsAssignedToHighestGeneration.
        let all = ["topic", "topic2", "topic3", "topic1"]
        let ppt = ["topic": 3, "topic1": 3, "topic2": 3, "topic3": 3]
        let ms = [
            member("consumer1", all, generation: -1),
            member("consumer2", all, owned: [tp("topic", 0), tp("topic2", 0), tp("topic1", 0)], generation: 9),
            member("consumer3", all, owned: [tp("topic3", 2), tp("topic2", 2), tp("topic1", 1)], generation: 8),
            member("consumer4", all, owned: [tp("topic3", 1), tp("topic", 1), tp("topic", 2)], generation: 7),
        ]
        let a = Assignor.assign(.cooperativeSticky, members: ms, partitionsPerTopic: ppt)
        #expect(Set(a.partitions["consumer1"] ?? []) == [tp("topic1", 2), tp("topic2", 1), tp("topic3", 0)])
        #expect(a.withheld.isEmpty)
        checkValidity(a, members: ms, partitionsPerTopic: ppt, balanced: true)

        let three = ["topic", "topic2", "topic3"], ppt3 = ["topic": 3, "topic2": 3, "topic3": 3]
        let b = Assignor.assign(.sticky, members: [
            member("consumer1", three, owned: [tp("topic", 0), tp("topic2", 0), tp("topic3", 0)], generation: 10),
            member("consumer2", three, owned: [tp("topic", 1), tp("topic2", 1), tp("topic3", 1)], generation: 9),
            member("consumer3", three, owned: [tp("topic2", 1), tp("topic3", 0), tp("topic3", 2)], generation: 8),
        ], partitionsPerTopic: ppt3)
        #expect(b.partitions["consumer1"] == [tp("topic", 0), tp("topic2", 0), tp("topic3", 0)])
        #expect(b.partitions["consumer2"] == [tp("topic", 1), tp("topic2", 1), tp("topic3", 1)])
        #expect(b.partitions["consumer3"] == [tp("topic", 2), tp("topic2", 2), tp("topic3", 2)])
    }

    @Test func duplicateClaimsInOneGenerationDropped() {
        // Goal: a partition claimed by two members of the same generation is taken from both and counts
        // as transferring; method: Kafka AbstractStickyAssignorTest.
        // testPartitionsTransferringOwnershipIncludeThePartitionClaimedByMultipleConsumersInSameGeneration.
        let ms = [
            member("consumer1", ["topic"], owned: [tp("topic", 0), tp("topic", 1)], generation: 1),
            member("consumer2", ["topic"], owned: [tp("topic", 0), tp("topic", 2)], generation: 1),
            member("consumer3", ["topic"], generation: 1),
        ]
        let ppt = ["topic": 3]
        let eager = Assignor.assign(.sticky, members: ms, partitionsPerTopic: ppt)
        #expect(eager.partitions["consumer1"] == [tp("topic", 1)])
        #expect(eager.partitions["consumer2"] == [tp("topic", 2)])
        #expect(eager.partitions["consumer3"] == [tp("topic", 0)])
        #expect(eager.withheld.isEmpty)
        // Cooperative: topic-0 is in partitionsTransferringOwnership, so it is withheld this round.
        let coop = Assignor.assign(.cooperativeSticky, members: ms, partitionsPerTopic: ppt)
        #expect(coop.partitions["consumer3"] == [])
        #expect(coop.withheld == [tp("topic", 0)])
    }

    @Test func generalPathDifferentSubscriptions() {
        // Goal: the general path gives topics with fewer candidates first and stays valid/balanced; method:
        // Kafka AbstractStickyAssignorTest.testMultipleConsumersMixedTopicSubscriptions (exact), then a
        // second round where one member widens its subscription (validity, balance, stickiness).
        let ppt = ["topic1": 3, "topic2": 2]
        let ms = [member("consumer1", ["topic1"]), member("consumer2", ["topic1", "topic2"]), member("consumer3", ["topic1"])]
        let a = Assignor.assign(.sticky, members: ms, partitionsPerTopic: ppt)
        #expect(a.partitions["consumer1"] == [tp("topic1", 0), tp("topic1", 2)])
        #expect(a.partitions["consumer2"] == [tp("topic2", 0), tp("topic2", 1)])
        #expect(a.partitions["consumer3"] == [tp("topic1", 1)])
        checkValidity(a, members: ms, partitionsPerTopic: ppt, balanced: true)

        var next = feedBack(ms, a, generation: 1)
        next[2].topics = ["topic1", "topic2"]
        next.append(member("consumer4", ["topic2"]))
        let b = Assignor.assign(.sticky, members: next, partitionsPerTopic: ppt)
        checkValidity(b, members: next, partitionsPerTopic: ppt, balanced: true)
        #expect(spread(b) <= 1)
    }
}

@Suite struct CooperativeStickyTests {
    @Test func movingPartitionWithheldThenAssigned() {
        // Goal: KIP-429's two-step handover; method: Kafka CooperativeStickyAssignorTest's
        // testAddRemoveConsumerOneTopic pattern — round 1 withholds topic-2 (moving consumer1 → consumer2),
        // round 2 (round 1 fed back as owned, next generation) assigns it.
        let ppt = ["topic": 3]
        let owned = [member("consumer1", ["topic"], owned: [tp("topic", 0), tp("topic", 1), tp("topic", 2)], generation: 1),
                     member("consumer2", ["topic"], generation: -1)]
        let round1 = Assignor.assign(.cooperativeSticky, members: owned, partitionsPerTopic: ppt)
        #expect(round1.partitions["consumer1"] == [tp("topic", 0), tp("topic", 1)])
        #expect(round1.partitions["consumer2"] == [])
        #expect(round1.withheld == [tp("topic", 2)])
        checkValidity(round1, members: owned, partitionsPerTopic: ppt, balanced: false)

        let round2 = Assignor.assign(.cooperativeSticky, members: feedBack(owned, round1, generation: 2), partitionsPerTopic: ppt)
        #expect(round2.partitions["consumer1"] == [tp("topic", 0), tp("topic", 1)])
        #expect(round2.partitions["consumer2"] == [tp("topic", 2)])
        #expect(round2.withheld.isEmpty)
    }

    @Test func generalPathWithheldThenAssigned() {
        // Goal: on the general path transfers are computed from owned vs assigned and also withheld;
        // method: two rounds with different subscriptions, round 2 must equal the eager sticky result.
        let ppt = ["a": 4, "b": 2]
        let first = [member("m1", ["a", "b"], owned: [tp("a", 0), tp("a", 1), tp("a", 2), tp("a", 3), tp("b", 0), tp("b", 1)], generation: 3),
                     member("m2", ["a"], generation: -1)]
        let eager = Assignor.assign(.sticky, members: first, partitionsPerTopic: ppt)
        let round1 = Assignor.assign(.cooperativeSticky, members: first, partitionsPerTopic: ppt)
        #expect(!round1.withheld.isEmpty)
        #expect(round1.partitions["m2"] == [])
        #expect(round1.partitions["m1"] == eager.partitions["m1"])
        checkValidity(round1, members: first, partitionsPerTopic: ppt, balanced: false)
        let round2 = Assignor.assign(.cooperativeSticky, members: feedBack(first, round1, generation: 4), partitionsPerTopic: ppt)
        #expect(round2.withheld.isEmpty)
        #expect(round2.partitions == eager.partitions)
    }

    @Test func generalPathKafkaOracleTwoRounds() {
        // Goal: exact general-path oracle incl. the cooperative intermediate round; method: Kafka
        // AbstractStickyAssignorTest.testRackAwareAssignmentWithNonEqualSubscription, non-rack-aware lists
        // (no owned → nonRackAwareAssignment; cooperative from `owned` → `intermediate` → `assignment`).
        let ppt = ["t1": 6, "t2": 7, "t3": 2]
        let subs = [["t1", "t2", "t3"], ["t1", "t2", "t3"], ["t1", "t3"]]
        func parse(_ s: String) -> [TopicPartition] {
            s.split(separator: ",").map { item in
                let parts = item.split(separator: "-")
                return tp(String(parts[0].drop { $0 == " " }), Int(parts[1]) ?? -1)
            }
        }
        let fresh = (0..<3).map { member("consumer\($0)", subs[$0]) }
        let a = Assignor.assign(.sticky, members: fresh, partitionsPerTopic: ppt)
        #expect(a.partitions["consumer0"] == parse("t1-5, t2-0, t2-2, t2-4, t2-6"))
        #expect(a.partitions["consumer1"] == parse("t1-3, t2-1, t2-3, t2-5, t3-0"))
        #expect(a.partitions["consumer2"] == parse("t1-0, t1-1, t1-2, t1-4, t3-1"))

        let owned = ["t1-0, t1-1, t1-2, t1-3, t1-4", "t1-5, t2-0, t2-1, t2-2, t2-3", "t2-4, t2-5, t2-6, t3-0, t3-1"]
        let ms = (0..<3).map { member("consumer\($0)", subs[$0], owned: parse(owned[$0])) }
        let round1 = Assignor.assign(.cooperativeSticky, members: ms, partitionsPerTopic: ppt)
        #expect(round1.partitions["consumer0"] == parse("t1-2, t1-3, t1-4"))
        #expect(round1.partitions["consumer1"] == parse("t2-0, t2-1, t2-2, t2-3"))
        #expect(round1.partitions["consumer2"] == parse("t3-0, t3-1"))
        let next = ms.map { m -> GroupMember in
            var m = m
            m.ownedPartitions = round1.partitions[m.memberID] ?? []
            return m
        }
        let round2 = Assignor.assign(.cooperativeSticky, members: next, partitionsPerTopic: ppt)
        #expect(round2.partitions["consumer0"] == parse("t1-2, t1-3, t1-4, t2-4, t2-5"))
        #expect(round2.partitions["consumer1"] == parse("t2-0, t2-1, t2-2, t2-3, t2-6"))
        #expect(round2.partitions["consumer2"] == parse("t1-0, t1-1, t1-5, t3-0, t3-1"))
        #expect(round2.withheld.isEmpty)
    }
}
