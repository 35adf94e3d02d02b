import Testing
@testable import ZooKeeper

@Suite("Fresh tree")
struct FreshTreeTests {
    @Test func freshServerHasZookeeperConfigAndQuota() throws {
        // Goal: a fresh tree is `/` → zookeeper → {config, quota} with zero zxids and times, by reading every node.
        // Source: zookeeper.md §3 "Tree and node kinds" [observed: `ls /` → `[zookeeper]`].
        var tree = DataTree()
        #expect(tree.paths() == ["/", "/zookeeper", "/zookeeper/config", "/zookeeper/quota"])
        #expect(tree.nodeCount == 4)
        #expect(try tree.getChildren("/").children == ["zookeeper"])
        #expect(try tree.getChildren("/zookeeper").children == ["config", "quota"])
        for path in tree.paths() {
            let stat = try #require(tree.stat(path))
            #expect(stat.czxid == .zero && stat.mzxid == .zero && stat.pzxid == .zero)
            #expect(stat.ctime == 0 && stat.mtime == 0)
            #expect(stat.version == 0 && stat.aversion == 0 && stat.ephemeralOwner == 0 && stat.dataLength == 0)
        }
        #expect(tree.lastProcessedZxid == .zero)
        #expect(tree.sessions.isEmpty)
        #expect(tree.checkInvariants().isEmpty)
    }

    @Test func freshCversionQuirk() {
        // Goal: the visible cversion of `/` is −1 and of `/zookeeper` −2 on a fresh server, because
        // pre-installed children were never "created" (cversion = 2 × creations − numChildren).
        // Source: zookeeper.md §3 "Sequential suffix" (quirk of the fresh tree); DataNode.copyStat.
        let tree = DataTree()
        #expect(tree.stat("/")?.cversion == -1)
        #expect(tree.stat("/")?.numChildren == 1)
        #expect(tree.stat("/zookeeper")?.cversion == -2)
        #expect(tree.stat("/zookeeper")?.numChildren == 2)
        #expect(tree.stat("/zookeeper/config")?.cversion == 0)
        #expect(tree.stat("/zookeeper/quota")?.cversion == 0)
    }

    @Test func firstCreateUnderRootShowsZeroAndSequentialCountsCreations() {
        // Goal: after the first create under `/` its cversion shows 0, and the first sequential node
        // under `/` after two creates is numbered 2, by creating /a, /b, then /seq- sequentially.
        // Source: zookeeper.md §3 "Sequential suffix" ("Under root too: /seq-0000000002").
        var h = Harness()
        h.create("/a")
        #expect(h.tree.stat("/")?.cversion == 0)
        h.create("/b")
        #expect(createdPath(h.create("/seq-", mode: .persistentSequential)) == "/seq-0000000002")
    }

    @Test func reservedNodesCannotBeDeleted() {
        // Goal: deleting `/`, `/zookeeper`, `/zookeeper/config` or `/zookeeper/quota` is refused with
        // BadArguments and changes nothing but the zxid, by trying each.
        // Source: PrepRequestProcessor.getParentPathAndValidate + DataTree.isSpecialPath.
        var h = Harness()
        let before = h.tree
        for path in ["/", "/zookeeper", "/zookeeper/config", "/zookeeper/quota"] {
            let r = h.delete(path)
            #expect(r == .error(ZKError(code: .badArguments, path: path)))
        }
        var expected = before
        expected.lastProcessedZxid = Zxid(4)
        #expect(h.tree == expected)
        #expect(ZKError(code: .badArguments, path: "/zookeeper").cliMessage == "Arguments are not valid : /zookeeper")
    }

    @Test func childrenOfZookeeperQuotaCanBeCreatedAndDeleted() {
        // Goal: only the four special paths are protected: a node created under /zookeeper/quota can be
        // deleted again, by creating and deleting /zookeeper/quota/q.
        // Source: DataTree.isSpecialPath (exact-match list).
        var h = Harness()
        #expect(createdPath(h.create("/zookeeper/quota/q")) == "/zookeeper/quota/q")
        #expect(h.delete("/zookeeper/quota/q") == .deleted)
        #expect(h.tree.checkInvariants().isEmpty)
    }
}
