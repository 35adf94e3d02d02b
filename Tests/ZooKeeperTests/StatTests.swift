import Testing
@testable import ZooKeeper

@Suite("Stat changes")
struct StatTests {
    @Test func createSetsNodeStatAndTouchesOnlyParentChildFields() throws {
        // Goal: a create gives czxid = mzxid = pzxid = zxid, ctime = mtime = time, versions 0, and
        // changes the parent's pzxid/cversion/numChildren but not its mzxid, mtime or version.
        // Source: zookeeper.md §3 "Stat" ("A child create/delete changes the parent's pzxid and cversion but not its mzxid or version").
        var tree = DataTree()
        _ = tree.apply(.op(session: 0, .create(path: "/p", data: b("hello"), mode: .persistent)), zxid: Zxid(5), timeMs: 1_000)
        let parentBefore = try #require(tree.stat("/p"))
        let out = tree.apply(.op(session: 0, .create(path: "/p/c", data: b("hi"), mode: .persistent)), zxid: Zxid(9), timeMs: 2_000)
        let expected = Stat(czxid: Zxid(9), mzxid: Zxid(9), pzxid: Zxid(9), ctime: 2_000, mtime: 2_000, version: 0,
                            cversion: 0, aversion: 0, ephemeralOwner: 0, dataLength: 2, numChildren: 0)
        #expect(out.result == .op(.created(path: "/p/c", stat: expected)))
        #expect(tree.stat("/p/c") == expected)
        let parent = try #require(tree.stat("/p"))
        var parentExpected = parentBefore
        parentExpected.pzxid = Zxid(9)
        parentExpected.cversion = 1
        parentExpected.numChildren = 1
        #expect(parent == parentExpected)
        #expect(parent.mzxid == Zxid(5) && parent.version == 0 && parent.mtime == 1_000 && parent.dataLength == 5)
    }

    @Test func setDataBumpsVersionEvenForIdenticalBytes() throws {
        // Goal: setData increments version even when the bytes are the same and updates mzxid, mtime
        // and dataLength, leaving czxid/ctime/pzxid, by setting the same value twice.
        // Source: zookeeper.md §3 "Stat" (version: "setting identical bytes still +1") and "setData".
        var tree = DataTree()
        _ = tree.apply(.op(session: 0, .create(path: "/s", data: b("v"), mode: .persistent)), zxid: Zxid(1), timeMs: 10)
        let r1 = tree.apply(.op(session: 0, .setData(path: "/s", data: b("v"), version: 0)), zxid: Zxid(2), timeMs: 20)
        let r2 = tree.apply(.op(session: 0, .setData(path: "/s", data: b("vv"), version: -1)), zxid: Zxid(3), timeMs: 30)
        let stat = try #require(tree.stat("/s"))
        #expect(r2.result == .op(.setData(stat: stat)))
        #expect(stat.version == 2 && stat.mzxid == Zxid(3) && stat.mtime == 30 && stat.dataLength == 2)
        #expect(stat.czxid == Zxid(1) && stat.ctime == 10 && stat.pzxid == Zxid(1))
        guard case .op(.setData(let s1)) = r1.result else { Issue.record("set failed"); return }
        #expect(s1.version == 1 && s1.mzxid == Zxid(2))
        #expect(tree.data("/s") == b("vv"))
    }

    @Test func deleteUpdatesParentPzxidAndVisibleCversion() throws {
        // Goal: a delete decrements the parent's numChildren, sets its pzxid, raises its visible cversion
        // by one and leaves its mzxid/version, by deleting one of two children.
        // Source: zookeeper.md §3 "Sequential suffix" (visible cversion = creations + deletions) and "Stat".
        var h = Harness()
        h.create("/p")          // 1
        h.create("/p/a")        // 2
        h.create("/p/b")        // 3
        let before = try #require(h.tree.stat("/p"))
        #expect(before.cversion == 2 && before.numChildren == 2)
        #expect(h.delete("/p/a") == .deleted)   // 4
        let after = try #require(h.tree.stat("/p"))
        #expect(after.numChildren == 1 && after.cversion == 3 && after.pzxid == Zxid(4))
        #expect(after.mzxid == before.mzxid && after.version == before.version && after.mtime == before.mtime)
        #expect(h.tree.stat("/p/a") == nil)
    }

    @Test func ephemeralOwnerIsTheSessionOnlyForEphemerals() {
        // Goal: ephemeralOwner is the creating session for EPHEMERAL(_SEQUENTIAL) and 0 for persistent and
        // container nodes, by creating one of each from session 0x10000aba59c0002.
        // Source: zookeeper.md §3 "Stat" (ephemeralOwner "session id or 0"); DataNode.getClientEphemeralOwner.
        var h = Harness()
        let s: Int64 = 0x1000_0aba_59c0_002
        h.session(s)
        h.create("/e", mode: .ephemeral, session: s)
        h.create("/es-", mode: .ephemeralSequential, session: s)
        h.create("/p", session: s)
        h.create("/c", mode: .container, session: s)
        #expect(h.tree.stat("/e")?.ephemeralOwner == s)
        #expect(h.tree.stat("/es-0000000001")?.ephemeralOwner == s)
        #expect(h.tree.stat("/p")?.ephemeralOwner == 0)
        #expect(h.tree.stat("/c")?.ephemeralOwner == 0)
        #expect(h.tree.ephemerals(of: s) == ["/e", "/es-0000000001"])
    }
}
