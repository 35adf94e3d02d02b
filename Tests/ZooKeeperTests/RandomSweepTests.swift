import Testing
@testable import ZooKeeper

@Suite("Seeded random sweep")
struct RandomSweepTests {
    static let paths = ["/a", "/a/b", "/a/b/c", "/a/c", "/b", "/b/x", "/b/x/y", "/c", "/zookeeper", "/zookeeper/quota/q"]
    static let sessions: [Int64] = [0, 1, 2, 3]

    /// A random op; deletes and sets sometimes target an existing node so sequential children do not pile up.
    static func randomOp(_ rng: inout TreeRandom, existing: [String]) -> ZKOp {
        let path = rng.below(2) == 0 ? rng.pick(existing) : rng.pick(paths)
        let version = rng.pick([-1, -1, 0, 1, 2] as [Int32])
        switch rng.below(10) {
        case 0...2:
            let prefix = rng.below(4) == 0 ? path + "/" : path
            return .create(path: prefix, data: Array(repeating: UInt8(rng.below(256)), count: rng.below(4)),
                           mode: rng.below(3) == 0 ? rng.pick(CreateMode.allCases) : rng.pick([.persistent, .ephemeral, .container]))
        case 3...5: return .delete(path: path, version: version)
        case 6...8: return .setData(path: path, data: [UInt8(rng.below(256))], version: version)
        default: return .check(path: path, version: version)
        }
    }

    static func randomTxn(_ rng: inout TreeRandom, existing: [String]) -> ZKTxn {
        let session = rng.pick(sessions)
        switch rng.below(20) {
        case 0: return .createSession(session: session, timeoutMs: Int64(4_000 + rng.below(3) * 1_000))
        case 1: return .closeSession(session: session)
        case 2...4: return .multi(session: session, (0..<(1 + rng.below(4))).map { _ in randomOp(&rng, existing: existing) })
        default: return .op(session: session, randomOp(&rng, existing: existing))
        }
    }

    @Test(arguments: [0x5EED_0001, 0xC0FFEE, 42] as [UInt64])
    func invariantsHoldAndReplayIsDeterministic(seed: UInt64) throws {
        // Goal: 5,000 random txns (and random watch-setting reads) over a small path space keep
        // checkInvariants() empty after every step, failed txns change nothing but the zxid, and replaying
        // the same txns on a fresh tree gives an equal tree. A failure names the seed.
        // Source: STYLE.md §2 ("checkInvariants() after every step in tests") and §5 (seed sweeps);
        // zookeeper.md §2 (deterministic apply in zxid order), §3 "multi" (all-or-nothing).
        var rng = TreeRandom(seed: seed)
        var tree = DataTree()
        var txns: [ZKTxn] = []
        var results: [ZKTxnResult] = []
        var succeeded = 0, failedCount = 0, multisApplied = 0, eventCount = 0, ephemeralsReaped = 0
        for step in 1...5_000 {
            if rng.below(4) == 0 {           // reads and watches: never change replicated state
                let w = rng.pick(Self.sessions)
                let p = rng.pick(Self.paths)
                switch rng.below(4) {
                case 0: _ = try? tree.getData(p, watcher: w)
                case 1: _ = tree.exists(p, watcher: w)
                case 2: _ = try? tree.getChildren(p, watcher: w)
                default: tree.addWatch(p, mode: rng.pick(AddWatchMode.allCases), watcher: w)
                }
            }
            let txn = Self.randomTxn(&rng, existing: tree.paths())
            txns.append(txn)
            let before = tree
            let out = tree.apply(txn, zxid: Zxid(epoch: 1, counter: Int64(step)), timeMs: Int64(step) * 7)
            results.append(out.result)
            let problems = tree.checkInvariants()
            if !problems.isEmpty {
                Issue.record("seed \(seed) step \(step) \(txn): \(problems)")
                return
            }
            var failed = false
            switch out.result {
            case .op(.error): failed = true
            case .multi(let rs): failed = rs.contains { if case .error = $0 { true } else { false } }
            default: break
            }
            eventCount += out.events.count
            if case .sessionClosed(_, let gone) = out.result { ephemeralsReaped += gone.count }
            if case .multi(let rs) = out.result, !failed, !rs.isEmpty { multisApplied += 1 }
            if failed { failedCount += 1 } else { succeeded += 1 }
            if failed {
                var expected = before
                expected.lastProcessedZxid = tree.lastProcessedZxid
                if tree != expected || !out.events.isEmpty || tree.watchTables != before.watchTables {
                    Issue.record("seed \(seed) step \(step) \(txn): a failed txn changed the tree, fired or consumed watches")
                    return
                }
            }
            if !out.events.allSatisfy({ $0.zxid == tree.lastProcessedZxid }) {
                Issue.record("seed \(seed) step \(step): an event carries another zxid")
            }
        }
        var replay = DataTree()
        var replayResults: [ZKTxnResult] = []
        for (i, txn) in txns.enumerated() {
            replayResults.append(replay.apply(txn, zxid: Zxid(epoch: 1, counter: Int64(i + 1)), timeMs: Int64(i + 1) * 7).result)
        }
        #expect(replay == tree, "seed \(seed): replay diverged")
        #expect(replayResults == results, "seed \(seed): replay gave other results")
        #expect(replay.paths() == tree.paths())
        // The sweep must actually exercise the rules, not just fail everything.
        #expect(succeeded > 1_000 && failedCount > 1_000 && multisApplied > 30 && eventCount > 200 && ephemeralsReaped > 10,
                "seed \(seed): ok \(succeeded) failed \(failedCount) multis \(multisApplied) events \(eventCount) reaped \(ephemeralsReaped)")
        #expect(tree.nodeCount > 4, "seed \(seed): the sweep never created anything")
        #expect(tree.nodeCount < 100, "seed \(seed): the tree grew without bound (\(tree.nodeCount) nodes)")
    }
}
