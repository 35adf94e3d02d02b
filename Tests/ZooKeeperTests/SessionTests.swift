import Testing
@testable import ZooKeeper

@Suite("Sessions")
struct SessionTests {
    @Test func closeSessionDeletesEphemeralsInOneTxnAndFires() throws {
        // Goal: closing a session deletes all its ephemerals under the one closeSession zxid, reports
        // them sorted, fires NodeDeleted/NodeChildrenChanged to other sessions, forgets the session and
        // its watches. Source: zookeeper.md §2 ("Deleting a session's ephemerals happens inside its
        // closeSession/expiry txn") and §3 "Watches" (session close/expiry fires the same events).
        var h = Harness()
        h.session(0x10)                                            // 1
        h.session(0x20)                                            // 2
        h.create("/brokers")                                       // 3
        h.create("/brokers/2", mode: .ephemeral, session: 0x10)    // 4
        h.create("/brokers/1", mode: .ephemeral, session: 0x10)    // 5
        h.create("/controller", mode: .ephemeral, session: 0x10)   // 6
        h.create("/brokers/3", mode: .ephemeral, session: 0x20)    // 7
        #expect(h.tree.sessions == [SessionRecord(id: 0x10, timeoutMs: 30_000), SessionRecord(id: 0x20, timeoutMs: 30_000)])
        #expect(h.tree.ephemerals(of: 0x10) == ["/brokers/1", "/brokers/2", "/controller"])
        _ = h.tree.exists("/controller", watcher: 0x20)
        _ = try h.tree.getChildren("/brokers", watcher: 0x20)
        _ = try h.tree.getData("/brokers/3", watcher: 0x10)
        let out = h.apply(.closeSession(session: 0x10))            // 8
        #expect(out.result == .sessionClosed(session: 0x10, deletedEphemerals: ["/brokers/1", "/brokers/2", "/controller"]))
        #expect(out.events == [ev(0x20, .nodeChildrenChanged, "/brokers", 8), ev(0x20, .nodeDeleted, "/controller", 8)])
        #expect(h.tree.paths().filter { $0.hasPrefix("/brokers") || $0 == "/controller" } == ["/brokers", "/brokers/3"])
        #expect(h.tree.stat("/brokers")?.pzxid == Zxid(8))
        #expect(h.tree.sessions == [SessionRecord(id: 0x20, timeoutMs: 30_000)])
        #expect(h.tree.ephemerals(of: 0x10).isEmpty)
        #expect(h.tree.watches(of: 0x10).isEmpty)
        #expect(h.tree.checkInvariants().isEmpty)
    }

    @Test func closingUnknownSessionIsHarmless() {
        // Goal: closing a session the tree never saw deletes nothing and only advances the zxid.
        // Source: DataTree.killSession (no ephemerals recorded → nothing to delete).
        var h = Harness()
        h.create("/a")
        let before = h.tree
        let out = h.apply(.closeSession(session: 77))
        #expect(out.result == .sessionClosed(session: 77, deletedEphemerals: []))
        #expect(out.events.isEmpty)
        var expected = before
        expected.lastProcessedZxid = Zxid(2)
        #expect(h.tree == expected)
    }

    @Test func createSessionRegistersTimeoutAndReregistrationUpdatesIt() {
        // Goal: createSession records the session with its timeout; the list is sorted by id.
        // Source: zookeeper.md §3 "Sessions" (creation and close are txns).
        var h = Harness()
        h.session(5, timeoutMs: 4_000)
        h.session(2, timeoutMs: 40_000)
        h.session(5, timeoutMs: 6_000)
        #expect(h.tree.sessions == [SessionRecord(id: 2, timeoutMs: 40_000), SessionRecord(id: 5, timeoutMs: 6_000)])
    }

    @Test func closingSessionOwnWatchesFireThenGo() {
        // Goal: a closing session's own watch on its ephemeral still fires in the close txn (the server
        // triggers before dropping the connection) and is then removed.
        // Source: FinalRequestProcessor (processTxn before the connection is closed); documented choice.
        var h = Harness()
        h.session(1)
        h.create("/me", mode: .ephemeral, session: 1)
        _ = h.tree.exists("/me", watcher: 1)
        let out = h.apply(.closeSession(session: 1))
        #expect(out.events == [ev(1, .nodeDeleted, "/me", 3)])
        #expect(h.tree.watches(of: 1).isEmpty)
    }
}
