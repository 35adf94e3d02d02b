import Foundation
import SimKit
import ZooKeeper

/// ZooKeeper figures: ZAB broadcast throughput of a 5-server ensemble, and repeated elections
/// under random partitions, each run checked against the ensemble's invariants (at most one
/// leader per epoch, applied prefixes agree, committed writes survive every later leader).
extension Bench {
    func zookeeper(writes: Int, elections: Int) {
        broadcast(writes: writes)
        partitionedElections(elections)
    }

    /// Settles a fresh ensemble, then submits writes through the leader in windows of 1,000
    /// outstanding requests (clients pipeline), stepping until every server has applied them.
    func broadcast(writes: Int) {
        var ensemble = Ensemble<DataTree>(size: 5, seed: 7)
        var now: Int64 = 0
        ensemble.start(nowMs: now)
        _ = ensemble.runUntilQuiet(nowMs: &now, maxEvents: 100_000)
        let session: Int64 = 0x100_0000_0000_0000
        guard let leader = ensemble.leader,
              (try? ensemble.submit(.createSession(session: session, timeoutMs: 30_000), via: leader, nowMs: now)) != nil else {
            print("zookeeper bench: no leader"); return
        }
        _ = ensemble.runUntilQuiet(nowMs: &now, maxEvents: 100_000)
        _ = try? ensemble.submit(.op(session: session, .create(path: "/bench", data: [], mode: .persistent)), via: leader, nowMs: now)
        let start = DispatchTime.now().uptimeNanoseconds
        var events = 0, sent = 0
        while sent < writes {
            let window = min(1_000, writes - sent)
            for i in 0..<window {
                let op = ZKOp.setData(path: "/bench", data: Array("value \(sent + i)".utf8), version: -1)
                guard (try? ensemble.submit(.op(session: session, op), via: leader, nowMs: now)) != nil else { print("zookeeper bench: submit refused"); return }
            }
            sent += window
            events += ensemble.runUntilQuiet(nowMs: &now, maxEvents: 10_000_000)
        }
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        // Baseline: the same writes applied straight to five trees, with no messages at all.
        var trees = Array(repeating: DataTree(), count: 5)
        let baseStart = DispatchTime.now().uptimeNanoseconds
        for t in trees.indices {
            _ = trees[t].apply(.createSession(session: session, timeoutMs: 30_000), zxid: Zxid(epoch: 1, counter: 1), timeMs: 0)
            _ = trees[t].apply(.op(session: session, .create(path: "/bench", data: [], mode: .persistent)), zxid: Zxid(epoch: 1, counter: 2), timeMs: 0)
            for i in 0..<writes {
                let op = ZKOp.setData(path: "/bench", data: Array("value \(i)".utf8), version: -1)
                _ = trees[t].apply(.op(session: session, op), zxid: Zxid(epoch: 1, counter: Int64(i + 3)), timeMs: 0)
            }
        }
        let baseline = Double(DispatchTime.now().uptimeNanoseconds - baseStart) / 1e9
        let problems = ensemble.checkInvariants()
        let versions = (1...5).compactMap { ensemble.state(of: $0)?.stat("/bench")?.version }
        let agree = versions.count == 5 && Set(versions).count == 1 && versions[0] == Int32(writes)
        print(String(format: "zookeeper: 5-server ensemble committed %d writes through ZAB broadcast (%d message/timer events) in %.2f s (%.0f writes/s); applying them straight to 5 trees: %.2f s (broadcast costs %.1fx); all 5 trees at dataVersion %d: %@; invariants: %@",
                     writes, events, seconds, Double(writes) / seconds, baseline, seconds / baseline, versions.first ?? -1, agree ? "yes" : "NO",
                     problems.isEmpty ? "kept" : "BROKEN: " + problems.prefix(3).joined(separator: "; ")))
    }

    /// Each round cuts the leader off with a random companion (or alone), lets time run until the
    /// majority side serves a new leader (or 60 s pass), writes once through it, heals and lets the
    /// ensemble settle; invariants are checked after every round.
    func partitionedElections(_ rounds: Int) {
        var ensemble = Ensemble<DataTree>(size: 5, seed: 11)
        var rng = SplitMix64(seed: 99)
        var now: Int64 = 0
        ensemble.start(nowMs: now)
        _ = ensemble.runUntilQuiet(nowMs: &now, maxEvents: 100_000)
        let start = DispatchTime.now().uptimeNanoseconds
        var elected = 0, broken = 0, writes = 0
        var failover: [Int64] = []
        var firstProblem: String?
        for round in 0..<rounds {
            // Cut the leader off with a random companion (or none): the other side has a majority
            // and must elect a new leader.
            var a: [Int] = [ensemble.leader ?? 1]
            if rng.next(below: 2) == 0 {
                let others = (1...5).filter { !a.contains($0) }
                a.append(others[Int(rng.next(below: UInt64(others.count)))])
            }
            let b = (1...5).filter { !a.contains($0) }
            try? ensemble.partition(a, b, oneWay: false, nowMs: now)
            let cutAt = now
            let majority = b
            let deadline = now + 60_000
            let before = ensemble.electedLeaders.count
            advance(&ensemble, &now, to: deadline) { e in
                e.leader.map(majority.contains) == true && e.electedLeaders.count > before
            }
            if let leader = ensemble.leader, majority.contains(leader) {
                elected += 1
                failover.append(now - cutAt)
                if (try? ensemble.submit(.op(session: 0, .create(path: "/r\(round)", data: [], mode: .persistent)), via: leader, nowMs: now)) != nil { writes += 1 }
            }
            // Let the write commit (the minority side keeps re-sending votes meanwhile, so step by
            // time, not until quiet), then heal and let everyone rejoin.
            advance(&ensemble, &now, to: now + 100)
            ensemble.heal(nowMs: now)
            advance(&ensemble, &now, to: now + 30_000)
            let problems = ensemble.checkInvariants()
            if !problems.isEmpty { broken += 1; if firstProblem == nil { firstProblem = problems[0] } }
        }
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        // Committed writes never lost: every acknowledged /rN is on every server at the end.
        let kept = (1...5).map { sid in (0..<rounds).filter { ensemble.state(of: sid)?.contains("/r\($0)") ?? false }.count }
        let median = failover.sorted().dropFirst(failover.count / 2).first ?? 0
        print(String(format: "zookeeper: %d rounds of cutting the leader off from the majority (5 servers) in %.2f s (%.1f ms each); a new majority-side leader in %d rounds (median %lld simulated ms after the cut: syncLimit × tickTime + election), %d writes committed, found on each server: %@; invariants broken in %d rounds%@",
                     rounds, seconds, seconds * 1000 / Double(rounds), elected, median, writes, kept.map(String.init).joined(separator: "/"), broken,
                     firstProblem.map { " (first: \($0))" } ?? ""))
    }

    /// Steps the ensemble's events up to `target` (or until `stop` holds), moving `now` along; `now`
    /// ends at `target` unless `stop` ended it early.
    func advance(_ ensemble: inout Ensemble<DataTree>, _ now: inout Int64, to target: Int64,
                 stop: (Ensemble<DataTree>) -> Bool = { _ in false }) {
        while let next = ensemble.nextEventTimeMs(), next <= target {
            now = max(now, next)
            _ = ensemble.step(nowMs: now)
            if stop(ensemble) { return }
        }
        now = target
    }
}
