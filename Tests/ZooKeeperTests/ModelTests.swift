import Foundation
import Testing
@testable import ZooKeeper

/// The value type itself: codability, typed errors, network rules, views.
struct ModelTests {
    // Goal: an ensemble in the middle of an election round-trips through JSON unchanged and both
    // copies then step identically (STYLE.md §2: state is a Codable, Equatable value).
    @Test func codableRoundTripMidElection() throws {
        var h = EnsembleHarness(size: 5, seed: 7)
        try h.e.setLoss(0.1)
        h.e.start(nowMs: 0)
        h.run(untilMs: 150)
        #expect(h.e.servers.contains { $0.role == .looking })
        #expect(!h.e.inFlight.isEmpty || h.e.nextEventTimeMs() != nil)
        let data = try JSONEncoder().encode(h.e)
        var copy = try JSONDecoder().decode(TestEnsemble.self, from: data)
        #expect(copy == h.e)
        var now = h.now
        for _ in 0..<400 {
            guard let t = h.e.nextEventTimeMs() else { break }
            now = max(now, t)
            let a = h.e.step(nowMs: now)
            let b = copy.step(nowMs: now)
            #expect(a == b)
        }
        #expect(copy == h.e)
        #expect(copy.leader == 5)
    }

    // Goal: bad input throws a typed EnsembleError and leaves the value unchanged (STYLE.md §2, §4).
    @Test func badInputThrowsAndChangesNothing() throws {
        var h = EnsembleHarness(size: 3)
        h.e.start(nowMs: 0)
        _ = h.settle()
        let before = h.e
        #expect(throws: EnsembleError.unknownServer(4)) { try h.e.kill(4, nowMs: h.now) }
        #expect(throws: EnsembleError.unknownServer(0)) { try h.e.freeze(0, nowMs: h.now) }
        #expect(throws: EnsembleError.serverRunning(1)) { try h.e.restart(1, nowMs: h.now) }
        #expect(throws: EnsembleError.serverNotFrozen(1)) { try h.e.thaw(1, nowMs: h.now) }
        #expect(throws: EnsembleError.unknownServer(7)) { try h.e.partition([1], [7], oneWay: false, nowMs: h.now) }
        #expect(throws: EnsembleError.invalidLatency(-1)) { try h.e.setLatency(from: 1, to: 2, ms: -1) }
        #expect(throws: EnsembleError.unknownServer(9)) { try h.e.setLatency(from: 9, to: 2, ms: 1) }
        #expect(throws: EnsembleError.invalidLossProbability(1.5)) { try h.e.setLoss(1.5) }
        #expect(throws: EnsembleError.self) { try h.e.setLoss(.nan) }
        #expect(throws: EnsembleError.unknownServer(5)) { _ = try h.e.submit(1, via: 5, nowMs: h.now) }
        #expect(throws: EnsembleError.unknownServer(5)) { _ = try h.e.sync(via: 5, nowMs: h.now) }
        #expect(h.e == before)
        try h.e.kill(1, nowMs: h.now)
        let dead = h.e
        #expect(throws: EnsembleError.serverDown(1)) { try h.e.kill(1, nowMs: h.now) }
        #expect(throws: EnsembleError.serverDown(1)) { try h.e.freeze(1, nowMs: h.now) }
        #expect(throws: EnsembleError.notServing(1)) { _ = try h.e.submit(1, via: 1, nowMs: h.now) }
        #expect(h.e == dead)
        #expect(h.e.state(of: 1) == nil && h.e.state(of: 99) == nil)
        #expect(h.e.requestsPending(at: 99) == [])
    }

    // Goal: the network rules of the model — FIFO per link even when latency drops, self-messages
    // take no hop and ignore drop rules and loss, messages to a dead server are discarded, and the
    // history stays bounded.
    @Test func networkRules() throws {
        var e = TestEnsemble(size: 3, seed: 3)
        try e.setLatency(from: 1, to: 2, ms: 50)
        e.addDropRule(DropRule(type: .notification))
        try e.setLoss(1)
        e.start(nowMs: 0)
        try e.setLatency(from: 1, to: 2, ms: 1)
        var now: Int64 = 0
        var deliveredSelf = 0, dropped = 0
        for _ in 0..<60 {
            guard let t = e.nextEventTimeMs() else { break }
            now = t
            guard let s = e.step(nowMs: now) else { continue }
            switch s.what {
            case let .delivered(m): if m.from == m.to { deliveredSelf += 1 }
            case let .dropped(m, reason):
                dropped += 1
                #expect(m.from != m.to && reason.hasPrefix("drop rule #1 (drop NOTIFICATION *→*)"))
            case .timer: break
            }
        }
        #expect(deliveredSelf >= 3 && dropped >= 6)
        #expect(e.leader == nil)
        // FIFO: a message sent later on a faster link is not delivered before an earlier one.
        var f = TestEnsemble(size: 2, seed: 1)
        try f.setLatency(from: 1, to: 2, ms: 100)
        f.start(nowMs: 0)
        try f.setLatency(from: 1, to: 2, ms: 1)
        try f.kill(2, nowMs: 10)
        try f.restart(2, nowMs: 10)
        let toTwo = f.inFlight.filter { $0.from == 1 && $0.to == 2 }
        #expect(toTwo.map(\.deliverMs) == toTwo.map(\.deliverMs).sorted())
        var g = TestEnsemble(size: 3, seed: 1)
        g.start(nowMs: 0)
        try g.kill(2, nowMs: 0)
        var drops: [String] = []
        while let t = g.nextEventTimeMs(), t < 100 {
            if let s = g.step(nowMs: t), case let .dropped(_, reason) = s.what { drops.append(reason) }
        }
        #expect(drops.contains("s2 is down"))
        // History is bounded.
        var big = TestEnsemble(size: 1, seed: 1)
        big.start(nowMs: 0)
        var t: Int64 = 0
        big.runUntilQuiet(nowMs: &t, maxEvents: 100)
        for v in 0..<6_000 { _ = try big.submit(v, via: 1, nowMs: t) }
        big.runUntilQuiet(nowMs: &t, maxEvents: 100_000)
        #expect(big.history.count == TestEnsemble.historyCapacity)
        #expect(big.state(of: 1)?.items.count == 6_000)
        #expect(big.nextEventTimeMs() == nil)                     // quiet: no heartbeats
    }

    // Goal: a single server is its own quorum (zookeeper.md §1), and the views report the
    // election and ZAB state the workbench shows (votes held, epochs, window, snapshot).
    @Test func singleServerAndViews() throws {
        var h = EnsembleHarness(size: 1)
        h.e.start(nowMs: 0)
        let settled = h.settle()
        #expect(settled && h.e.leader == 1)
        for v in 1...3 { try h.write(v, via: 1) }
        let v = h.view(1)
        #expect(v.role == .leading && v.serving && v.currentEpoch == 1 && v.acceptedEpoch == 1)
        #expect(v.lastLoggedZxid == z(1, 3) && v.lastProcessedZxid == z(1, 3))
        #expect(v.committedLogWindow == ZxidRange(min: z(1, 1), max: z(1, 3)))
        #expect(v.snapshotZxid == .zero && v.logCount == 3)
        var l = EnsembleHarness(size: 3)
        l.e.start(nowMs: 0)
        l.run(untilMs: 3)
        let looking = l.view(1)
        #expect(looking.role == .looking && looking.leader == nil)
        #expect(looking.votesHeld.map(\.sid) == looking.votesHeld.map(\.sid).sorted())
        #expect(looking.votesHeld.contains { $0.sid == 3 && $0.vote.leader == 3 })
    }
}
