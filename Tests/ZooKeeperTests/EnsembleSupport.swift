import Testing
@testable import ZooKeeper

/// The test state machine: an append-only list of Ints; applying returns the new count.
struct IntList: ReplicatedState {
    var items: [Int] = []

    mutating func apply(_ payload: Int, zxid: Zxid, timeMs: Int64) -> Int {
        items.append(payload)
        return items.count
    }
}

typealias TestEnsemble = Ensemble<IntList>

func z(_ epoch: Int64, _ counter: Int64) -> Zxid { Zxid(epoch: epoch, counter: counter) }

/// Log entries `counters` of `epoch` whose payload is the counter (so equal zxids carry equal payloads).
func entries(epoch: Int64, _ counters: ClosedRange<Int64>) -> [LogEntry<Int>] {
    counters.map { LogEntry(zxid: z(epoch, $0), payload: Int(epoch * 1000 + $0), timeMs: 0) }
}

/// Drives an ensemble on simulated time, keeping every step and checking the invariants after each.
struct EnsembleHarness {
    var e: TestEnsemble
    var now: Int64 = 0
    var steps: [EnsembleStep<IntList>] = []
    var keepSteps = true
    var checkEachStep = true

    init(size: Int, config: EnsembleConfig = .init(), seed: UInt64 = 1) {
        e = TestEnsemble(size: size, config: config, seed: seed)
    }

    /// Steps every event due up to `limit`, then sets the clock there.
    mutating func run(untilMs limit: Int64) {
        while let t = e.nextEventTimeMs(), t <= limit {
            now = max(now, t)
            guard let s = e.step(nowMs: now) else { continue }
            if keepSteps { steps.append(s) }
            if checkEachStep {
                let problems = e.checkInvariants()
                #expect(problems.isEmpty, "\(problems)")
            }
        }
        now = max(now, limit)
    }

    mutating func run(forMs d: Int64) { run(untilMs: now + d) }

    /// Steps until `done` holds (checked after each step) or `maxMs` of simulated time passed.
    @discardableResult
    mutating func run(atMostMs maxMs: Int64, until done: (TestEnsemble) -> Bool) -> Bool {
        let limit = now + maxMs
        if done(e) { return true }
        while let t = e.nextEventTimeMs(), t <= limit {
            now = max(now, t)
            guard let s = e.step(nowMs: now) else { continue }
            if keepSteps { steps.append(s) }
            if checkEachStep {
                let problems = e.checkInvariants()
                #expect(problems.isEmpty, "\(problems)")
            }
            if done(e) { return true }
        }
        now = max(now, limit)
        return done(e)
    }

    /// Every running server serves, and a leader serves.
    static func settled(_ e: TestEnsemble) -> Bool {
        guard e.leader != nil else { return false }
        return e.servers.allSatisfy { !$0.alive || $0.frozen || $0.serving }
    }

    @discardableResult
    mutating func settle(atMostMs: Int64 = 120_000) -> Bool {
        run(atMostMs: atMostMs, until: EnsembleHarness.settled)
    }

    /// Submits a write and steps until every serving server applied it; returns its zxid.
    @discardableResult
    mutating func write(_ value: Int, via sid: Int, atMostMs: Int64 = 5_000) throws -> Zxid? {
        let id = try e.submit(value, via: sid, nowMs: now)
        var zxid: Zxid?
        let mark = steps.count
        _ = run(atMostMs: atMostMs) { e in
            e.servers.allSatisfy { v in !v.alive || v.frozen || !v.serving || (e.state(of: v.sid)?.items.contains(value) ?? false) }
        }
        for s in steps[mark...] {
            for a in s.applied where a.origin == id { zxid = a.zxid }
        }
        return zxid
    }

    func notes(from mark: Int = 0) -> [String] { steps[mark...].flatMap(\.notes) }

    func roleChanges(from mark: Int = 0) -> [RoleChange] { steps[mark...].flatMap(\.roleChanges) }

    func delivered(from mark: Int = 0) -> [Message<IntList>] {
        steps[mark...].compactMap { s in
            if case let .delivered(m) = s.what { return m }
            return nil
        }
    }

    func view(_ sid: Int) -> ServerView { e.servers[sid - 1] }
}
