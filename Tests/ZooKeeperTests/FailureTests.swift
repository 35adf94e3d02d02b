import Testing
@testable import ZooKeeper

/// Quorums, partitions, crashes and pauses (zookeeper.md §1 "Quorum", §2 "Losing quorum").
struct FailureTests {
    // Goal: a 5-server ensemble tolerates 2 failures but not 3 (zookeeper.md §1: quorum = strict
    // majority, dead servers still count in N) — after killing the leader and one more, s3 leads
    // and writes commit; after a third kill nobody leads and writes are refused.
    @Test func fiveServersTolerateTwoKills() throws {
        var h = EnsembleHarness(size: 5)
        h.e.start(nowMs: 0)
        var settled = h.settle()
        #expect(settled && h.e.leader == 5 && h.e.quorumSize == 3)
        try h.e.kill(5, nowMs: h.now)
        try h.e.kill(4, nowMs: h.now)
        settled = h.settle()
        #expect(settled && h.e.leader == 3)
        let zxid = try h.write(1, via: 1)
        #expect(zxid == Zxid(0x2_0000_0001))
        try h.e.kill(3, nowMs: h.now)
        h.run(forMs: 600_000)
        #expect(h.e.leader == nil)
        #expect(h.e.servers.filter(\.alive).allSatisfy { $0.role == .looking })
        #expect(throws: EnsembleError.notServing(1)) { _ = try h.e.submit(2, via: 1, nowMs: h.now) }
    }

    // Goal: a 4-server ensemble split 2/2 elects nobody (zookeeper.md §1: "4 tolerate only 1 (a
    // 2/2 split makes no progress)"); after the heal it elects s4.
    @Test func fourServersSplitTwoTwo() throws {
        var h = EnsembleHarness(size: 4)
        try h.e.partition([1, 2], [3, 4], oneWay: false, nowMs: 0)
        h.e.start(nowMs: 0)
        h.run(forMs: 600_000)
        #expect(h.e.leader == nil)
        #expect(h.roleChanges().isEmpty)
        h.e.heal(nowMs: h.now)
        let settled = h.settle()
        #expect(settled && h.e.leader == 4)
    }

    // Goal: writes commit with one follower cut off (a quorum acks them, zookeeper.md §2); the cut-off
    // follower keeps serving its stale state (it has not noticed within syncLimit×tickTime) and
    // catches up once healed, when the stalled TCP stream delivers the proposals and commits.
    @Test func partitionedFollowerServesStaleThenCatchesUp() throws {
        var h = EnsembleHarness(size: 3)
        h.e.start(nowMs: 0)
        var settled = h.settle()
        #expect(settled && h.e.leader == 3)
        try h.e.partition([1], [2, 3], oneWay: false, nowMs: h.now)
        let mark = h.steps.count
        let zxid = try h.write(5, via: 2, atMostMs: 100)
        #expect(zxid == z(1, 1))
        #expect(h.e.state(of: 2)?.items == [5] && h.e.state(of: 3)?.items == [5])
        h.run(forMs: 5_000)
        #expect(h.view(1).serving && h.view(1).role == .following)
        #expect(h.e.state(of: 1)?.items == [])                       // stale read
        #expect(h.e.inFlight.contains { $0.type == .proposal && $0.to == 1 })
        h.e.heal(nowMs: h.now)
        h.run(forMs: 100)
        #expect(h.e.state(of: 1)?.items == [5])
        #expect(h.roleChanges(from: mark).isEmpty)

        // A longer partition: the follower gives up after syncLimit×tickTime, and resyncs by DIFF.
        try h.e.partition([1], [2, 3], oneWay: false, nowMs: h.now)
        let cut = h.now
        try h.write(6, via: 3, atMostMs: 100)
        h.run(forMs: 11_000)
        let gaveUp = h.steps.first { $0.roleChanges.contains { $0.sid == 1 && $0.to == .looking } }
        #expect(gaveUp?.timeMs == cut + 10_000)
        #expect(h.e.leader == 3)
        h.e.heal(nowMs: h.now)
        let resync = h.steps.count
        settled = h.settle()
        #expect(settled && h.e.state(of: 1)?.items == [5, 6])
        #expect(h.delivered(from: resync).contains { $0.type == .diff && $0.to == 1 })
    }

    // Goal: a leader cut off on the minority side steps down after syncLimit×tickTime ("Not
    // sufficient followers synced", zookeeper.md §2), the majority elects a new leader, and the
    // old leader's uncommitted proposal is truncated (TRUNC) when it rejoins (zookeeper.md §2 sync rules).
    @Test func minorityLeaderStepsDownAndIsTruncated() throws {
        var h = EnsembleHarness(size: 3)
        h.e.start(nowMs: 0)
        var settled = h.settle()
        #expect(settled && h.e.leader == 3)
        for v in 1...3 { try h.write(v, via: 3) }
        try h.e.partition([3], [1, 2], oneWay: false, nowMs: h.now)
        let cut = h.now
        let mark = h.steps.count
        _ = try h.e.submit(4, via: 3, nowMs: h.now)          // logged by s3 only: never committed
        h.run(forMs: 12_000)
        let stepDown = h.steps[mark...].first { $0.roleChanges.contains { $0.sid == 3 && $0.from == .leading } }
        #expect(stepDown?.timeMs == cut + 10_000)
        #expect(stepDown?.notes.contains("s3: Not sufficient followers synced, only synced with sids: [ 3 ]") == true)
        #expect(h.e.leader == 2)
        #expect(h.view(3).lastLoggedZxid == z(1, 4))
        #expect(h.e.state(of: 3)?.items == [1, 2, 3, 4])     // reloaded from its log, uncommitted txn included
        h.e.heal(nowMs: h.now)
        let rejoin = h.steps.count
        settled = h.settle()
        #expect(settled && h.e.leader == 2 && h.view(3).role == .following)
        #expect(h.delivered(from: rejoin).filter { $0.to == 3 && [.diff, .trunc, .snap].contains($0.type) }.map(\.type) == [.trunc])
        #expect(h.view(3).lastLoggedZxid == z(1, 3))
        #expect(h.e.state(of: 3)?.items == [1, 2, 3])
        // The held PROPOSAL of the old epoch reached s1 after the heal and was ignored.
        #expect(h.notes(from: rejoin).contains("s1 ignores PROPOSAL from s3: not its current leader connection"))
        #expect(h.e.requestsPending(at: 3).count == 1)
        h.e.dropClientRequests(at: 3)
        #expect(h.e.requestsPending(at: 3).isEmpty)
    }

    // Goal: freezing the leader (a GC pause, zookeeper.md §2 "Losing quorum") makes its followers
    // elect a new leader after syncLimit×tickTime; thawed, the old leader's expired checks fire, it
    // finds it lost its followers, goes LOOKING and follows the new leader (outOfElection, §1 step 6).
    @Test func frozenLeaderIsReplacedAndFollowsWhenThawed() throws {
        var h = EnsembleHarness(size: 3)
        h.e.start(nowMs: 0)
        var settled = h.settle()
        #expect(settled && h.e.leader == 3)
        try h.write(1, via: 1)
        try h.e.freeze(3, nowMs: h.now)
        let frozenAt = h.now
        #expect(throws: EnsembleError.notServing(3)) { _ = try h.e.submit(2, via: 3, nowMs: h.now) }
        h.run(forMs: 30_000)
        let gaveUp = h.steps.first { $0.roleChanges.contains { $0.sid == 1 && $0.to == .looking } }
        #expect(gaveUp?.timeMs == frozenAt + 10_000)
        #expect(h.e.leader == 2)
        #expect(h.view(3).role == .leading)                      // frozen: has not noticed
        try h.e.thaw(3, nowMs: h.now)
        let thawedAt = h.now
        let thaw = h.steps.count
        h.run(forMs: 1_000)
        settled = h.settle()
        #expect(settled && h.e.leader == 2 && h.view(3).role == .following)
        #expect(h.roleChanges(from: thaw).map { "\($0.sid):\($0.from.rawValue)→\($0.to.rawValue)" } == ["3:LEADING→LOOKING", "3:LOOKING→FOLLOWING"])
        #expect(h.steps[thaw...].first { !$0.roleChanges.isEmpty }?.timeMs == thawedAt)
        #expect(h.e.electedLeaders.map(\.sid) == [3, 2])
        try h.write(2, via: 3)
        #expect(h.e.state(of: 3)?.items == [1, 2])
    }

    // Goal: dropping every ACK from one follower of three still commits (the leader and the other
    // follower are a quorum, zookeeper.md §2 Broadcast); dropping both followers' ACKs stalls
    // commits; once ACKs flow again, the next ACK (cumulative in this model) commits both.
    @Test func droppedAcks() throws {
        var h = EnsembleHarness(size: 3)
        h.e.start(nowMs: 0)
        let settled = h.settle()
        #expect(settled && h.e.leader == 3)
        #expect(h.e.addDropRule(DropRule(type: .ack, from: 1)) == 1)
        let first = try h.write(1, via: 1)
        #expect(first == z(1, 1))
        #expect(h.e.state(of: 1)?.items == [1])
        #expect(h.steps.contains { if case let .dropped(m, r) = $0.what { return m.type == .ack && r.hasPrefix("drop rule #1") } else { return false } })
        h.e.addDropRule(DropRule(type: .ack, from: 2))
        _ = try h.e.submit(2, via: 2, nowMs: h.now)
        h.run(forMs: 5_000)
        #expect(h.e.servers.allSatisfy { $0.lastProcessedZxid == z(1, 1) })
        #expect(h.view(3).lastLoggedZxid == z(1, 2) && h.view(1).lastLoggedZxid == z(1, 2))
        #expect(h.e.leader == 3)
        h.e.removeDropRules()
        #expect(h.e.dropRules.isEmpty)
        try h.write(3, via: 1)
        #expect(h.e.state(of: 1)?.items == [1, 2, 3] && h.e.state(of: 3)?.items == [1, 2, 3])
    }

    // Goal: `sync` makes a lagging follower current before a read (zookeeper.md §2 "Reads and
    // staleness"): with 500 ms leader→s1 latency, s1 is stale right after a write commits; its
    // sync completes only once it has applied the write.
    @Test func syncMakesLaggingFollowerCurrent() throws {
        var h = EnsembleHarness(size: 3)
        h.e.start(nowMs: 0)
        let settled = h.settle()
        #expect(settled && h.e.leader == 3)
        try h.e.setLatency(from: 3, to: 1, ms: 500)
        _ = try h.e.submit(42, via: 2, nowMs: h.now)
        h.run(forMs: 20)
        #expect(h.e.state(of: 2)?.items == [42] && h.e.state(of: 1)?.items == [])
        let id = try h.e.sync(via: 1, nowMs: h.now)
        var doneAt: Int64?
        while doneAt == nil, let t = h.e.nextEventTimeMs() {
            h.now = t
            if let s = h.e.step(nowMs: t), s.syncsDone.contains(SyncDone(sid: 1, request: id)) {
                doneAt = s.timeMs
                #expect(h.e.state(of: 1)?.items == [42])
            }
        }
        #expect(doneAt != nil && (doneAt ?? 0) >= 500)
        // On the leader itself a sync completes once its pending proposals commit.
        let own = try h.e.sync(via: 3, nowMs: h.now)
        let s = h.e.step(nowMs: h.now)
        #expect(s?.syncsDone == [SyncDone(sid: 3, request: own)])
    }
}
