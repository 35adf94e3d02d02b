import Testing
@testable import ZooKeeper

@Suite("zxid consumption")
struct ZxidTests {
    @Test func failedCreateConsumesAZxid() {
        // Goal: reproduce the observed §2 sequence with explicit zxids: session 0x1, /app created at
        // 0x2, a failing create at 0x3, and the next create gets czxid 0x4.
        // Source: zookeeper.md §2 "Every write request consumes a zxid, even a failed one [observed]".
        var tree = DataTree()
        _ = tree.apply(.createSession(session: 0x1000_0aba_59c0_002, timeoutMs: 30_000), zxid: Zxid(0x1), timeMs: 100)
        let s: Int64 = 0x1000_0aba_59c0_002
        let app = tree.apply(.op(session: s, .create(path: "/app", data: [], mode: .persistent)), zxid: Zxid(0x2), timeMs: 200)
        guard case .op(.created(_, let appStat)) = app.result else { Issue.record("create /app failed"); return }
        #expect(appStat.czxid == Zxid(0x2))
        let failed = tree.apply(.op(session: s, .create(path: "/app", data: [], mode: .persistent)), zxid: Zxid(0x3), timeMs: 300)
        #expect(failed.result == .op(.error(ZKError(code: .nodeExists, path: "/app"))))
        #expect(tree.lastProcessedZxid == Zxid(0x3))
        let next = tree.apply(.op(session: s, .create(path: "/app/x", data: [], mode: .persistent)), zxid: Zxid(0x4), timeMs: 400)
        guard case .op(.created(_, let xStat)) = next.result else { Issue.record("create /app/x failed"); return }
        #expect(xStat.czxid == Zxid(0x4))
        #expect(xStat.czxid.description == "0x4")
        #expect(tree.lastProcessedZxid == Zxid(0x4))
    }

    @Test func everyKindOfFailedTxnAdvancesLastProcessedZxid() {
        // Goal: BadVersion, NoNode, a failed multi and closing an unknown session each advance
        // lastProcessedZxid, while reads do not, by checking it after each.
        // Source: zookeeper.md §2 ("a set that fails with BadVersion etc. becomes an error txn"; "Reads never consume zxids").
        var h = Harness()
        h.create("/a")                                                     // 0x1
        #expect(errorCode(h.set("/a", "x", version: 7)) == .badVersion)    // 0x2
        #expect(h.tree.lastProcessedZxid == Zxid(2))
        #expect(errorCode(h.delete("/nope")) == .noNode)                   // 0x3
        #expect(h.tree.lastProcessedZxid == Zxid(3))
        h.apply(.multi(session: 0, [.check(path: "/a", version: 5)]))      // 0x4
        #expect(h.tree.lastProcessedZxid == Zxid(4))
        h.apply(.closeSession(session: 42))                                // 0x5
        #expect(h.tree.lastProcessedZxid == Zxid(5))
        _ = try? h.tree.getData("/a", watcher: 1)
        _ = h.tree.exists("/b", watcher: 1)
        _ = try? h.tree.getChildren("/", watcher: 1)
        #expect(h.tree.lastProcessedZxid == Zxid(5))
    }

    @Test func multiIsOneTxnWithOneZxid() throws {
        // Goal: all ops of a multi share its one zxid, by creating two nodes in one multi at 0x100000007.
        // Source: zookeeper.md §2 ("A multi (transaction) is one txn: all its ops share one zxid").
        var tree = DataTree()
        let zxid = Zxid(epoch: 1, counter: 7)
        _ = tree.apply(.multi(session: 0, [.create(path: "/m", data: [], mode: .persistent),
                                           .create(path: "/m/c", data: [], mode: .persistent)]),
                       zxid: zxid, timeMs: 5)
        #expect(tree.stat("/m")?.czxid == zxid)
        #expect(tree.stat("/m/c")?.czxid == zxid)
        #expect(tree.stat("/m")?.pzxid == zxid)
        #expect(tree.lastProcessedZxid.description == "0x100000007")
    }
}
