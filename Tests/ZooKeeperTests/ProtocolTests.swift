import Testing
@testable import ZooKeeper

/// Corner cases of discovery, synchronisation and broadcast (zookeeper.md §2; Learner.java,
/// LearnerHandler.java, Follower.java).
struct ProtocolTests {
    // Goal: a follower whose TRUNC would cross an epoch boundary is sent a SNAP instead
    // (LearnerHandler.queueCommittedProposals: "Cannot send TRUNC to peer … from different epoch").
    @Test func divergentTailAcrossEpochsGetsSnap() throws {
        var h = EnsembleHarness(size: 3)
        let history = entries(epoch: 1, 1...3) + entries(epoch: 2, 1...2)
        try h.e.setDurableState(of: 1, log: history, currentEpoch: 2, acceptedEpoch: 2)
        try h.e.setDurableState(of: 2, log: history, currentEpoch: 2, acceptedEpoch: 2)
        try h.e.setDurableState(of: 3, log: entries(epoch: 1, 1...4), currentEpoch: 1, acceptedEpoch: 1)
        h.e.start(nowMs: 0)
        let settled = h.settle()
        #expect(settled && h.e.leader == 2)
        let syncs = h.delivered().filter { [.diff, .trunc, .snap].contains($0.type) }
        #expect(syncs.map { "\($0.type.rawValue)→s\($0.to)" }.sorted() == ["DIFF→s1", "SNAP→s3"])
        #expect(h.notes().contains { $0.hasPrefix("s2 → s3 sync: SNAP (peerLastZxid 0x100000004 diverges and a TRUNC cannot cross an epoch)") })
        #expect(h.e.state(of: 3) == h.e.state(of: 2))
        #expect(h.view(3).lastLoggedZxid == z(2, 2))
    }

    // Goal: a follower that missed a PROPOSAL drops its leader and resyncs — on a COMMIT for a txn it
    // never logged (ZooKeeper exits: UNMATCHED_TXN_COMMIT) and on a PROPOSAL that does not follow its
    // last logged zxid (Follower.processPacket warns "Got zxid … expected …"); it comes back by DIFF.
    @Test func missedProposalForcesResync() throws {
        var h = EnsembleHarness(size: 3)
        h.e.start(nowMs: 0)
        var settled = h.settle()
        #expect(settled && h.e.leader == 3)
        h.e.addDropRule(DropRule(type: .proposal, to: 1))
        let mark = h.steps.count
        try h.write(1, via: 2, atMostMs: 50)
        #expect(h.notes(from: mark).contains("s1: COMMIT 0x100000001 for a txn it never logged; drops leader s3 to resync"))
        settled = h.settle()
        #expect(settled && h.e.state(of: 1)?.items == [1])
        // Its log was empty (peerLastZxid 0x0 < minCommittedLog 0x100000001): SNAP.
        #expect(h.delivered(from: mark).filter { $0.to == 1 && [.diff, .trunc, .snap].contains($0.type) }.map(\.type) == [.snap])

        h.e.removeDropRules()
        h.e.addDropRule(DropRule(type: .proposal, to: 1))
        h.e.addDropRule(DropRule(type: .commit, to: 1))
        try h.write(2, via: 2, atMostMs: 50)
        h.e.removeDropRules()
        let gap = h.steps.count
        try h.write(3, via: 2, atMostMs: 50)
        #expect(h.notes(from: gap).contains("s1: PROPOSAL 0x100000003 does not follow its last logged zxid 0x100000001; drops leader s3 to resync"))
        settled = h.settle()
        #expect(settled && h.e.state(of: 1)?.items == [1, 2, 3])
        #expect(h.delivered(from: gap).filter { $0.to == 1 && [.diff, .trunc, .snap].contains($0.type) }.map(\.type) == [.diff])
    }

    // Goal: connecting to a leader that is gone is refused and retried every
    // leaderConnectDelayDuringRetryMs (100 ms), 5 tries in all, then the follower goes LOOKING
    // (Learner.connectToLeader); the survivors elect a new leader.
    @Test func refusedConnectionRetriesThenLooks() throws {
        var h = EnsembleHarness(size: 3)
        h.e.start(nowMs: 0)
        h.run(atMostMs: 1_000) { e in e.servers.allSatisfy { $0.role != .looking } }
        #expect(h.view(3).role == .leading && h.view(1).role == .following)
        // Kill the leader before the followers' FOLLOWERINFO reaches it.
        try h.e.kill(3, nowMs: h.now)
        let mark = h.steps.count
        let settled = h.settle()
        #expect(settled && h.e.leader == 2)
        let notes = h.notes(from: mark)
        #expect(notes.contains("s1's connection to s3 is refused (try 1 of 5); retries in 100 ms"))
        #expect(notes.contains("s1's connection to s3 is refused (try 5 of 5); retries in 100 ms"))
        #expect(notes.contains("s1: connectToLeader s3 failed 5 times; goes LOOKING"))
        let gaveUp = h.steps[mark...].first { $0.notes.contains("s1: connectToLeader s3 failed 5 times; goes LOOKING") }
        #expect((gaveUp?.timeMs ?? 0) >= 500)
    }

    // Goal: a one-way partition (leader → follower blocked) silences the pair: after
    // syncLimit×tickTime the follower goes LOOKING and cannot rejoin (the leader's answers are held)
    // while the leader keeps its quorum with the other follower; after the heal it follows again.
    @Test func oneWayPartition() throws {
        var h = EnsembleHarness(size: 3)
        h.e.start(nowMs: 0)
        var settled = h.settle()
        #expect(settled && h.e.leader == 3)
        try h.e.partition([3], [1], oneWay: true, nowMs: h.now)
        h.run(forMs: 30_000)
        #expect(h.view(1).role == .looking)
        #expect(h.e.leader == 3 && h.view(2).serving)
        try h.write(9, via: 2)
        h.e.heal(nowMs: h.now)
        settled = h.settle()
        #expect(settled && h.view(1).leader == 3 && h.e.state(of: 1)?.items == [9])
    }

    // Goal: a leader whose followers close their connections (they left: FIN) checks its quorum
    // at its next half-tick check (Leader.lead checks every tickTime/2), not syncLimit×tickTime
    // later. Until then its LEADING answers (same peerEpoch, higher sid) keep breaking the
    // followers' finalize wait, so afterwards all three elect s3 again, for epoch 2.
    @Test func leaderNoticesDepartedFollowersAtHalfTick() throws {
        var h = EnsembleHarness(size: 3)
        h.e.start(nowMs: 0)
        var settled = h.settle()
        #expect(settled && h.e.leader == 3)
        let start = h.now
        h.e.goLooking(0, "test: s1 leaves")
        h.e.goLooking(1, "test: s2 leaves")
        h.run(forMs: 1_500)
        let stepDown = h.steps.first { $0.roleChanges.contains { $0.sid == 3 && $0.from == .leading } }
        #expect(stepDown?.timeMs == start + 1 + 1_000)
        #expect(stepDown?.notes.contains("s3: Not sufficient followers synced, only synced with sids: [ 3 ]") == true)
        settled = h.settle()
        #expect(settled && h.e.leader == 3 && h.view(3).currentEpoch == 2)
        #expect(h.e.electedLeaders.map(\.epoch) == [1, 2])
    }
}
