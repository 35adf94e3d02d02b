import Testing
@testable import ZooKeeper

/// The worked examples E1–E7 of zookeeper.md §1, observed on a real ZooKeeper 3.8.0.
struct ElectionExampleTests {
    // Goal: E1 (zookeeper.md §1, observed) — a fresh 3-server ensemble started at once converges
    // on s3 by the sid tie-break; s3 leads epoch 1 (0x100000000), the first write is 0x100000001,
    // and the election takes at least the 200 ms finalize wait.
    @Test func e1FreshEnsemble() throws {
        var h = EnsembleHarness(size: 3)
        h.e.start(nowMs: 0)
        let settled = h.settle()
        #expect(settled)
        #expect(h.e.leader == 3)
        let decided = h.steps.first { $0.roleChanges.contains { $0.sid == 3 && $0.to == .leading } }
        #expect((decided?.timeMs ?? 0) >= 200)
        #expect(h.view(1).role == .following && h.view(2).role == .following && h.view(3).role == .leading)
        #expect(h.e.servers.allSatisfy { $0.round == 1 && $0.currentEpoch == 1 && $0.acceptedEpoch == 1 })
        #expect(h.view(3).lastProcessedZxid == Zxid(0x1_0000_0000))
        #expect(h.e.electedLeaders == [EpochLeader(epoch: 1, sid: 3, timeMs: h.e.electedLeaders.first?.timeMs ?? 0)])
        let zxid = try h.write(7, via: 1)
        #expect(zxid == Zxid(0x1_0000_0001))
        #expect(h.e.state(of: 1)?.items == [7] && h.e.state(of: 2)?.items == [7] && h.e.state(of: 3)?.items == [7])
        // Each server first voted for itself in round 0x1, then for s3.
        #expect(h.notes().contains("s1 adopts (leader 3, zxid 0x0, peerEpoch 0) over (leader 1, zxid 0x0, peerEpoch 0): higher sid")
                || h.notes().contains("s1 adopts (leader 3, zxid 0x0, peerEpoch 0) over (leader 2, zxid 0x0, peerEpoch 0): higher sid"))
    }
}

extension ElectionExampleTests {
    // Goal: E2 (zookeeper.md §1, derived) — with equal peerEpoch the most up-to-date server wins
    // although another has a higher sid: s2 (0x100000007) over s3 (0x100000006); it leads epoch 2,
    // whose first txn is 0x200000001, and syncs s1 and s3 by DIFF.
    @Test func e2MostUpToDateWins() throws {
        var h = EnsembleHarness(size: 3)
        try h.e.setDurableState(of: 1, log: entries(epoch: 1, 1...5), currentEpoch: 1, acceptedEpoch: 1)
        try h.e.setDurableState(of: 2, log: entries(epoch: 1, 1...7), currentEpoch: 1, acceptedEpoch: 1)
        try h.e.setDurableState(of: 3, log: entries(epoch: 1, 1...6), currentEpoch: 1, acceptedEpoch: 1)
        h.e.start(nowMs: 0)
        let settled = h.settle()
        #expect(settled)
        #expect(h.e.leader == 2)
        #expect(h.e.electedLeaders.map(\.epoch) == [2])
        let syncs = h.delivered().filter { [.diff, .trunc, .snap].contains($0.type) }
        #expect(syncs.map(\.type) == [.diff, .diff])
        #expect(h.notes().contains { $0.hasPrefix("s2 → s1 sync: DIFF (peerLastZxid 0x100000005 in [0x100000001, 0x100000007])") })
        #expect(h.e.servers.allSatisfy { $0.lastProcessedZxid == z(1, 7) || $0.lastProcessedZxid == z(2, 0) })
        let zxid = try h.write(99, via: 3)
        #expect(zxid == Zxid(0x2_0000_0001))
        #expect(h.e.state(of: 1) == h.e.state(of: 3))
        #expect(h.e.state(of: 1)?.items.count == 8)
    }

    // Goal: E3 (zookeeper.md §1, derived) — epoch before zxid: s1 (peerEpoch 2, 0x100000009) beats
    // s3 (peerEpoch 1, 0x10000000a); s3's extra txn was never committed and is truncated (TRUNC).
    @Test func e3EpochBeforeZxid() throws {
        var h = EnsembleHarness(size: 3)
        try h.e.setDurableState(of: 1, log: entries(epoch: 1, 1...9), currentEpoch: 2, acceptedEpoch: 2)
        try h.e.setDurableState(of: 2, log: entries(epoch: 1, 1...8), currentEpoch: 1, acceptedEpoch: 1)
        try h.e.setDurableState(of: 3, log: entries(epoch: 1, 1...10), currentEpoch: 1, acceptedEpoch: 1)
        h.e.start(nowMs: 0)
        let settled = h.settle()
        #expect(settled)
        #expect(h.e.leader == 1)
        #expect(h.e.electedLeaders.map(\.epoch) == [3])
        let toS3 = h.delivered().filter { $0.to == 3 && [.diff, .trunc, .snap].contains($0.type) }
        #expect(toS3.map(\.type) == [.trunc])
        #expect(toS3.first?.summary == "TRUNC s1→s3 zxid 0x100000009 (0 committed, 0 proposed)")
        #expect(h.notes().contains("s3: Truncating log to 0x100000009"))
        #expect(h.view(3).lastLoggedZxid == z(1, 9))
        #expect(h.e.state(of: 3)?.items == h.e.state(of: 1)?.items)
        #expect(h.e.state(of: 3)?.items.count == 9)
    }

    /// The observed run of zookeeper.md §1 replayed up to (not including) example `stage`:
    /// E1 and seven writes; E4 kill s3 and re-elect; E5 kill s2 and wait; E6 restart s2, then s3.
    static func observedRun(before stage: Int) throws -> EnsembleHarness {
        var h = EnsembleHarness(size: 3)
        h.e.start(nowMs: 0)
        h.settle()
        for v in 1...7 { try h.write(v, via: (v % 3) + 1) }
        guard stage > 4 else { return h }
        try h.e.kill(3, nowMs: h.now)
        h.settle()
        guard stage > 5 else { return h }
        try h.e.kill(2, nowMs: h.now)
        h.run(forMs: 300_000)
        guard stage > 6 else { return h }
        try h.e.restart(2, nowMs: h.now)
        h.settle()
        try h.e.restart(3, nowMs: h.now)
        h.settle()
        return h
    }

    // Goal: E4 (zookeeper.md §1, observed) — after E1 and seven writes, SIGKILL the leader s3:
    // s1 and s2 both vote (peerEpoch 1, zxid 0x100000007), s2 wins by sid in round 2 and leads
    // epoch 2 (0x200000000); the followers see the TCP reset at once, so it settles in well under 1 s.
    @Test func e4LeaderCrash() throws {
        var h = try Self.observedRun(before: 4)
        #expect(h.e.leader == 3 && h.e.servers.allSatisfy { $0.lastProcessedZxid == z(1, 7) })
        try h.e.kill(3, nowMs: h.now)
        let killedAt = h.now
        let mark = h.steps.count
        let settled = h.settle()
        #expect(settled && h.e.leader == 2)
        #expect(h.view(1).round == 2 && h.view(2).round == 2)
        #expect(h.view(2).currentEpoch == 2 && h.view(2).lastProcessedZxid == Zxid(0x2_0000_0000))
        #expect(h.now - killedAt < 1_000)                       // observed 0.42–0.64 s
        #expect(h.notes(from: mark).contains("s1 adopts (leader 2, zxid 0x100000007, peerEpoch 1) over (leader 1, zxid 0x100000007, peerEpoch 1): higher sid"))
        #expect(h.notes(from: mark).contains { $0.hasPrefix("s1 decides FOLLOWING s2") })
        #expect(h.e.electedLeaders.map(\.epoch) == [1, 2])
    }

    // Goal: E5 (zookeeper.md §1, observed) — then SIGKILL s2: the lone s1 stays LOOKING forever
    // (no quorum of 3) and refuses writes ("not currently serving requests").
    @Test func e5NoQuorum() throws {
        var h = try Self.observedRun(before: 5)
        try h.e.kill(2, nowMs: h.now)
        h.run(forMs: 600_000)
        #expect(h.view(1).role == .looking && h.e.leader == nil)
        #expect(h.view(1).round == 3)
        #expect(throws: EnsembleError.notServing(1)) { _ = try h.e.submit(1, via: 1, nowMs: h.now) }
        #expect(throws: EnsembleError.notServing(1)) { _ = try h.e.sync(via: 1, nowMs: h.now) }
        // It keeps resending its vote, at most every maxNotificationInterval.
        #expect(h.notes().contains("s1 heard nothing for 60000 ms: resends its vote, next timeout 60000 ms"))
    }

    // Goal: E6 (zookeeper.md §1, observed) — restarting s2 restores the quorum and s2 leads epoch 3
    // (sid tie-break, round 3); then the stale old leader s3 (0x100000007, round 1) gets
    // FOLLOWING/LEADING answers of round 0x3 and follows s2 without anyone else changing role,
    // synced by SNAP because its zxid is older than the leader's (empty) committed log. The answers
    // carry peerEpoch 3: serving members update their vote's epoch (QuorumPeer.updateElectionVote).
    @Test func e6LateJoiner() throws {
        var h = try Self.observedRun(before: 6)
        try h.e.restart(2, nowMs: h.now)
        var settled = h.settle()
        #expect(settled && h.e.leader == 2)
        #expect(h.view(2).currentEpoch == 3 && h.view(1).round == 3 && h.view(2).round == 3)
        try h.e.restart(3, nowMs: h.now)
        let mark = h.steps.count
        settled = h.settle()
        #expect(settled && h.e.leader == 2 && h.view(3).role == .following)
        #expect(h.roleChanges(from: mark).allSatisfy { $0.sid == 3 })
        #expect(h.view(3).round == 3)
        #expect(h.delivered(from: mark).contains { $0.summary == "NOTIFICATION s2→s3 (LEADING, leader 2, zxid 0x100000007, round 0x3, peerEpoch 0x3)" })
        let syncs = h.delivered(from: mark).filter { $0.to == 3 && [.diff, .trunc, .snap].contains($0.type) }
        #expect(syncs.map(\.type) == [.snap])
        #expect(h.notes(from: mark).contains { $0.hasPrefix("s3 decides FOLLOWING s2: a quorum {1,2} out of the election follows leader 2") })
        #expect(h.e.state(of: 3) == h.e.state(of: 2))
    }

    // Goal: E7 (zookeeper.md §1, observed) — two writes with s3, stop s3, three more on s1+s2, stop
    // all, start only s1 and s3: s1 leads (higher zxid 0x300000005 beats higher sid), epoch 4, and
    // s3 (0x300000002, inside s1's committed log) is synced by DIFF.
    @Test func e7HigherZxidBeatsHigherSid() throws {
        var h = try Self.observedRun(before: 7)
        #expect(h.e.leader == 2 && h.view(3).serving)
        try h.write(100, via: 3)
        try h.write(101, via: 1)
        #expect(h.view(3).lastLoggedZxid == z(3, 2))
        try h.e.kill(3, nowMs: h.now)
        h.run(forMs: 100)
        for v in 102...104 { try h.write(v, via: 1) }
        #expect(h.view(1).lastProcessedZxid == z(3, 5))
        try h.e.kill(1, nowMs: h.now)
        try h.e.kill(2, nowMs: h.now)
        try h.e.restart(1, nowMs: h.now + 1_000)
        try h.e.restart(3, nowMs: h.now + 1_000)
        let mark = h.steps.count
        let settled = h.settle()
        #expect(settled && h.e.leader == 1)
        #expect(h.view(1).currentEpoch == 4)
        #expect(h.notes(from: mark).contains("s3 adopts (leader 1, zxid 0x300000005, peerEpoch 3) over (leader 3, zxid 0x300000002, peerEpoch 3): higher zxid"))
        let syncs = h.delivered(from: mark).filter { $0.to == 3 && [.diff, .trunc, .snap].contains($0.type) }
        #expect(syncs.map(\.type) == [.diff])
        #expect(h.notes(from: mark).contains { $0.hasPrefix("s1 → s3 sync: DIFF (peerLastZxid 0x300000002 in [") })
        #expect(h.e.state(of: 3)?.items == h.e.state(of: 1)?.items)
        #expect(h.e.state(of: 3)?.items == Array(1...7) + [100, 101, 102, 103, 104])
    }
}
