import Testing
@testable import ZooKeeper

@Suite("Watches")
struct WatchTests {
    @Test func getDataWatchFiresOnceForTwoSets() throws {
        // Goal: a getData watch is one-shot: two sets after one getData give exactly one NodeDataChanged.
        // Source: zookeeper.md §3 "Watches [observed]" ("Two sets after one getData → exactly one NodeDataChanged").
        var h = Harness()
        h.create("/w")                                   // 1
        _ = try h.tree.getData("/w", watcher: 10)
        #expect(h.tree.watches(of: 10) == [WatchDescription(path: "/w", kind: "data")])
        let first = h.apply(.op(session: 0, .setData(path: "/w", data: b("a"), version: -1)))   // 2
        let second = h.apply(.op(session: 0, .setData(path: "/w", data: b("b"), version: -1)))  // 3
        #expect(first.events == [ev(10, .nodeDataChanged, "/w", 2)])
        #expect(second.events.isEmpty)
        #expect(h.tree.watches(of: 10).isEmpty)
    }

    @Test func existsWatchOnExistingNodeIsADataWatch() {
        // Goal: exists on an existing node leaves a data watch that fires NodeDataChanged on set.
        // Source: zookeeper.md §3 "Watches" ("setData X → NodeDataChanged to data watchers (getData and exists)").
        var h = Harness()
        h.create("/w")
        _ = h.tree.exists("/w", watcher: 11)
        #expect(h.apply(.op(session: 0, .setData(path: "/w", data: [], version: -1))).events
                == [ev(11, .nodeDataChanged, "/w", 2)])
    }

    @Test func existsWatchOnMissingNodeWaitsForCreate() {
        // Goal: exists on a missing node returns nil and leaves an `exist` watch that fires NodeCreated;
        // the parent's child watchers get NodeChildrenChanged after it.
        // Source: zookeeper.md §3 "Operations" (exists on a missing node) and "Watches" (create X).
        var h = Harness()
        h.create("/p")                                                       // 1
        #expect(h.tree.exists("/p/n", watcher: 12) == nil)
        _ = try? h.tree.getChildren("/p", watcher: 13)
        #expect(h.tree.watches(of: 12) == [WatchDescription(path: "/p/n", kind: "exist")])
        let out = h.apply(.op(session: 0, .create(path: "/p/n", data: [], mode: .persistent)))  // 2
        #expect(out.events == [ev(12, .nodeCreated, "/p/n", 2), ev(13, .nodeChildrenChanged, "/p", 2)])
    }

    @Test func childCreationDoesNotFireParentDataWatch() throws {
        // Goal: creating a child fires the parent's child watch but not its data watch; a setData fires
        // nothing for child watchers of that node.
        // Source: zookeeper.md §3 "Watches" ("creating a child does not fire a data watch on the parent";
        // "child watchers of X get nothing" on setData).
        var h = Harness()
        h.create("/p")
        _ = try h.tree.getData("/p", watcher: 20)
        _ = try h.tree.getChildren("/p", watcher: 21)
        let create = h.apply(.op(session: 0, .create(path: "/p/c", data: [], mode: .persistent)))
        #expect(create.events == [ev(21, .nodeChildrenChanged, "/p", 2)])
        _ = try h.tree.getChildren("/p", watcher: 21)
        let set = h.apply(.op(session: 0, .setData(path: "/p", data: b("x"), version: -1)))
        #expect(set.events == [ev(20, .nodeDataChanged, "/p", 3)])
        #expect(h.tree.watches(of: 21) == [WatchDescription(path: "/p", kind: "child")])
    }

    @Test func deleteFiresNodeDeletedToDataAndChildWatchersThenParent() throws {
        // Goal: delete X sends NodeDeleted to data and child watchers of X (one event for a session holding
        // both), then NodeChildrenChanged to the parent's child watchers; watchers sorted by session id.
        // Source: zookeeper.md §3 "Watches" (delete X); DataTree.deleteNode (child trigger suppressed for
        // sessions the data trigger notified).
        var h = Harness()
        h.create("/p")
        h.create("/p/x")
        _ = try h.tree.getData("/p/x", watcher: 33)
        _ = try h.tree.getChildren("/p/x", watcher: 33)
        _ = try h.tree.getChildren("/p/x", watcher: 31)
        _ = h.tree.exists("/p/x", watcher: 32)
        _ = try h.tree.getChildren("/p", watcher: 30)
        let out = h.apply(.op(session: 0, .delete(path: "/p/x", version: -1)))   // 3
        #expect(out.events == [ev(31, .nodeDeleted, "/p/x", 3), ev(32, .nodeDeleted, "/p/x", 3),
                               ev(33, .nodeDeleted, "/p/x", 3), ev(30, .nodeChildrenChanged, "/p", 3)])
        for s: Int64 in 30...33 { #expect(h.tree.watches(of: s).isEmpty) }
    }

    @Test func failedWriteFiresNothingAndKeepsTheWatch() throws {
        // Goal: a BadVersion set fires nothing and leaves the watch armed for the next successful set.
        // Source: zookeeper.md §3 "Watches" ("a failed write (e.g. BadVersion) fires nothing").
        var h = Harness()
        h.create("/w")
        _ = try h.tree.getData("/w", watcher: 40)
        #expect(h.apply(.op(session: 0, .setData(path: "/w", data: [], version: 9))).events.isEmpty)
        #expect(h.apply(.op(session: 0, .setData(path: "/w", data: [], version: 0))).events == [ev(40, .nodeDataChanged, "/w", 3)])
    }

    @Test func sameWatchSetTwiceGivesOneEvent() throws {
        // Goal: a session that sets the same data watch twice (getData and exists) gets one event.
        // Source: WatchManager (a watch table holds each watcher once per path).
        var h = Harness()
        h.create("/w")
        _ = try h.tree.getData("/w", watcher: 50)
        _ = try h.tree.getData("/w", watcher: 50)
        _ = h.tree.exists("/w", watcher: 50)
        #expect(h.apply(.op(session: 0, .delete(path: "/w", version: -1))).events == [ev(50, .nodeDeleted, "/w", 2)])
    }

    @Test func readsOfMissingNodesLeaveNoWatch() {
        // Goal: getData/getChildren on a missing node throw NoNode and leave no watch.
        // Source: zookeeper.md §3 "Operations" (getData/getChildren on a missing node → NoNode); DataTree.getData.
        var tree = DataTree()
        #expect(throws: ZKError(code: .noNode, path: "/m")) { try tree.getData("/m", watcher: 1) }
        #expect(throws: ZKError(code: .noNode, path: "/m")) { try tree.getChildren("/m", watcher: 1) }
        #expect(tree.watches(of: 1).isEmpty)
    }

    @Test func persistentWatchFiresForNodeAndChildListAndStays() {
        // Goal: PERSISTENT on /p fires NodeCreated/NodeDataChanged/NodeDeleted for /p and
        // NodeChildrenChanged for its children, every time (two sets → two events), never for a child's data.
        // Source: zookeeper.md §3 "Persistent watches (3.6+, addWatch)".
        var h = Harness()
        h.tree.addWatch("/p", mode: .persistent, watcher: 60)
        #expect(h.apply(.op(session: 0, .create(path: "/p", data: [], mode: .persistent))).events == [ev(60, .nodeCreated, "/p", 1)])
        #expect(h.apply(.op(session: 0, .setData(path: "/p", data: b("1"), version: -1))).events == [ev(60, .nodeDataChanged, "/p", 2)])
        #expect(h.apply(.op(session: 0, .setData(path: "/p", data: b("2"), version: -1))).events == [ev(60, .nodeDataChanged, "/p", 3)])
        #expect(h.apply(.op(session: 0, .create(path: "/p/c", data: [], mode: .persistent))).events == [ev(60, .nodeChildrenChanged, "/p", 4)])
        #expect(h.apply(.op(session: 0, .setData(path: "/p/c", data: b("x"), version: -1))).events.isEmpty)
        #expect(h.apply(.op(session: 0, .delete(path: "/p/c", version: -1))).events == [ev(60, .nodeChildrenChanged, "/p", 6)])
        #expect(h.apply(.op(session: 0, .delete(path: "/p", version: -1))).events == [ev(60, .nodeDeleted, "/p", 7)])
        #expect(h.tree.watches(of: 60) == [WatchDescription(path: "/p", kind: "persistent")])
    }

    @Test func recursiveWatchFiresForDescendantsButNeverChildrenChanged() {
        // Goal: PERSISTENT_RECURSIVE on /p fires NodeCreated/NodeDataChanged/NodeDeleted for /p and every
        // descendant, never NodeChildrenChanged, and nothing for the sibling /pq.
        // Source: zookeeper.md §3 "Persistent watches"; DataTree.addWatch (recursive only in dataWatches).
        var g = Harness()
        g.tree.addWatch("/p", mode: .persistentRecursive, watcher: 70)
        var events: [WatchEvent] = []
        for txn: ZKOp in [.create(path: "/p", data: [], mode: .persistent),
                          .create(path: "/p/c", data: [], mode: .persistent),
                          .create(path: "/p/c/d", data: [], mode: .persistent),
                          .create(path: "/pq", data: [], mode: .persistent),
                          .setData(path: "/p/c/d", data: b("x"), version: -1),
                          .setData(path: "/pq", data: b("x"), version: -1),
                          .delete(path: "/p/c/d", version: -1)] {
            events += g.apply(.op(session: 0, txn)).events
        }
        #expect(events == [ev(70, .nodeCreated, "/p", 1), ev(70, .nodeCreated, "/p/c", 2),
                           ev(70, .nodeCreated, "/p/c/d", 3), ev(70, .nodeDataChanged, "/p/c/d", 5),
                           ev(70, .nodeDeleted, "/p/c/d", 7)])
        #expect(g.tree.watches(of: 70) == [WatchDescription(path: "/p", kind: "persistentRecursive")])
    }

    @Test func oneEventPerSessionWhenOneShotAndPersistentOverlap() throws {
        // Goal: a session with a one-shot data watch and a persistent watch on the same node gets one
        // NodeDataChanged; the one-shot is consumed, the persistent stays.
        // Source: WatchManager.triggerWatch (watchers collected in a set per trigger; STANDARD mode removed).
        var h = Harness()
        h.create("/n")
        _ = try h.tree.getData("/n", watcher: 80)
        h.tree.addWatch("/n", mode: .persistent, watcher: 80)
        h.tree.addWatch("/", mode: .persistentRecursive, watcher: 80)
        #expect(h.apply(.op(session: 0, .setData(path: "/n", data: [], version: -1))).events == [ev(80, .nodeDataChanged, "/n", 2)])
        #expect(h.tree.watches(of: 80) == [WatchDescription(path: "/", kind: "persistentRecursive"),
                                           WatchDescription(path: "/n", kind: "persistent")])
    }

    @Test func eventsAreSortedBySessionAndCarryTheTxnZxid() throws {
        // Goal: watchers of one trigger are listed by session id and every event carries the zxid of the
        // txn that fired it. Source: documented ordering choice of DataTree.apply (the server's is a HashSet's);
        // zookeeper.md §3 "Watches" ("events arrive in zxid order").
        var tree = DataTree()
        _ = tree.apply(.op(session: 0, .create(path: "/o", data: [], mode: .persistent)), zxid: Zxid(epoch: 2, counter: 1), timeMs: 0)
        for s: Int64 in [9, 3, 7] { _ = try tree.getData("/o", watcher: s) }
        let out = tree.apply(.op(session: 0, .setData(path: "/o", data: [], version: -1)), zxid: Zxid(epoch: 2, counter: 2), timeMs: 0)
        #expect(out.events.map(\.watcher) == [3, 7, 9])
        #expect(out.events.allSatisfy { $0.zxid == Zxid(epoch: 2, counter: 2) })
    }

    @Test func watchListingAndRemoval() throws {
        // Goal: watches(of:) lists every kind sorted by path then kind, and removeWatches(of:) clears one
        // session without touching another's. Source: WatchManager.removeWatcher (connection close).
        var h = Harness()
        h.create("/a")
        _ = try h.tree.getData("/a", watcher: 1)
        _ = try h.tree.getChildren("/a", watcher: 1)
        _ = h.tree.exists("/b", watcher: 1)
        h.tree.addWatch("/c", mode: .persistent, watcher: 1)
        h.tree.addWatch("/a", mode: .persistentRecursive, watcher: 1)
        _ = try h.tree.getData("/a", watcher: 2)
        #expect(h.tree.watches(of: 1) == [
            WatchDescription(path: "/a", kind: "child"), WatchDescription(path: "/a", kind: "data"),
            WatchDescription(path: "/a", kind: "persistentRecursive"), WatchDescription(path: "/b", kind: "exist"),
            WatchDescription(path: "/c", kind: "persistent"),
        ])
        #expect(h.tree.watchers == [1, 2])
        h.tree.removeWatches(of: 1)
        #expect(h.tree.watches(of: 1).isEmpty)
        #expect(h.tree.watches(of: 2) == [WatchDescription(path: "/a", kind: "data")])
        #expect(h.tree.checkInvariants().isEmpty)
    }

    @Test func dedupIsPerTriggerSoAMultiCanNotifyTwice() throws {
        // Goal: dedup happens per trigger (per op), as in WatchManager: a multi that sets /p twice gives a
        // persistent watcher two NodeDataChanged and a one-shot watcher one (consumed by the first).
        // Source: DataTree.processTxn (each sub-txn of a multi triggers its own watches); WatchManager.triggerWatch.
        var h = Harness()
        h.create("/p")
        h.tree.addWatch("/p", mode: .persistent, watcher: 90)
        _ = try h.tree.getData("/p", watcher: 91)
        let out = h.apply(.multi(session: 0, [.setData(path: "/p", data: b("1"), version: -1),
                                              .setData(path: "/p", data: b("2"), version: -1)]))
        #expect(out.events == [ev(90, .nodeDataChanged, "/p", 2), ev(91, .nodeDataChanged, "/p", 2),
                               ev(90, .nodeDataChanged, "/p", 2)])
    }
}
