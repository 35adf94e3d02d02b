import Testing
@testable import ZooKeeper

@Suite("Error precedence and texts")
struct ErrorPrecedenceTests {
    @Test func createChecksParentThenNameThenEphemeralParent() {
        // Goal: create reports NoNode for a missing parent (with the requested path), NodeExists for a
        // taken name, NoChildrenForEphemerals under an ephemeral, in that order.
        // Source: zookeeper.md §3 "Operations, checks and their order" (create); PrepRequestProcessor.
        var h = Harness()
        h.session(7)
        #expect(h.create("/a/b") == .error(ZKError(code: .noNode, path: "/a/b")))
        h.create("/a")
        #expect(h.create("/a") == .error(ZKError(code: .nodeExists, path: "/a")))
        h.create("/e", mode: .ephemeral, session: 7)
        #expect(h.create("/e/x") == .error(ZKError(code: .noChildrenForEphemerals, path: "/e/x")))
        #expect(h.create("/e/x", mode: .persistentSequential) == .error(ZKError(code: .noChildrenForEphemerals, path: "/e/x")))
        #expect(h.create("/e") == .error(ZKError(code: .nodeExists, path: "/e")))
        #expect(h.create("/e/x/y") == .error(ZKError(code: .noNode, path: "/e/x/y")))
        #expect(h.tree.checkInvariants().isEmpty)
    }

    @Test func deleteChecksVersionBeforeChildren() {
        // Goal: deleting a non-empty node with a wrong version gives BadVersion, with the right or -1
        // version NotEmpty; a missing node NoNode.
        // Source: zookeeper.md §3 "delete(path, version)" ("version check before the children check").
        var h = Harness()
        h.create("/d")
        h.create("/d/c")
        #expect(errorCode(h.delete("/d", version: 3)) == .badVersion)
        #expect(errorCode(h.delete("/d", version: 0)) == .notEmpty)
        #expect(errorCode(h.delete("/d", version: -1)) == .notEmpty)
        #expect(errorCode(h.delete("/nope")) == .noNode)
        #expect(errorCode(h.delete("/nope/deeper")) == .noNode)
        #expect(h.delete("/d/c", version: 0) == .deleted)
        #expect(h.delete("/d", version: 0) == .deleted)
    }

    @Test func setDataChecksNodeThenVersion() {
        // Goal: setData answers NoNode for a missing node and BadVersion for a stale version; -1 always matches.
        // Source: zookeeper.md §3 "setData(path, data, version)".
        var h = Harness()
        #expect(h.set("/x", "1") == .error(ZKError(code: .noNode, path: "/x")))
        h.create("/x")
        #expect(h.set("/x", "1", version: 1) == .error(ZKError(code: .badVersion, path: "/x")))
        if case .setData(let s) = h.set("/x", "1", version: 0) { #expect(s.version == 1) } else { Issue.record("set v0 failed") }
        if case .setData(let s) = h.set("/x", "2", version: -1) { #expect(s.version == 2) } else { Issue.record("set -1 failed") }
    }

    @Test func ephemeralCreateByUnknownSessionIsSessionExpired() {
        // Goal: an ephemeral create by a session the tree does not know fails with SessionExpired and
        // leaves nothing, so every ephemeral always has an open owner.
        // Source: PrepRequestProcessor.validateCreateRequest (checkGlobalSession for ephemerals).
        var h = Harness()
        #expect(h.create("/e", mode: .ephemeral, session: 99) == .error(ZKError(code: .sessionExpired, path: "/e")))
        #expect(h.tree.stat("/e") == nil)
        #expect(h.create("/p", session: 99) != .error(ZKError(code: .sessionExpired, path: "/p")))
        h.session(0)                                         // 0 can never own an ephemeral (0 = no owner)
        #expect(h.create("/e0", mode: .ephemeral, session: 0) == .error(ZKError(code: .sessionExpired, path: "/e0")))
    }

    @Test func dataLimitIsEnforced() {
        // Goal: data of maxDataBytes is accepted and one byte more is BadArguments, for create and setData.
        // Source: zookeeper.md §3 "Tree and node kinds" ("Data ≤ ~1 MB"); jute.maxbuffer default 1 MiB.
        var h = Harness()
        let ok = [UInt8](repeating: 7, count: DataTree.maxDataBytes)
        let tooBig = [UInt8](repeating: 7, count: DataTree.maxDataBytes + 1)
        #expect(DataTree.maxDataBytes == 1_048_575)
        let created = h.apply(.op(session: 0, .create(path: "/big", data: ok, mode: .persistent)))
        #expect(created.result != .op(.error(ZKError(code: .badArguments, path: "/big"))))
        #expect(h.tree.stat("/big")?.dataLength == 1_048_575)
        let c2 = h.apply(.op(session: 0, .create(path: "/big2", data: tooBig, mode: .persistent)))
        #expect(c2.result == .op(.error(ZKError(code: .badArguments, path: "/big2"))))
        let s2 = h.apply(.op(session: 0, .setData(path: "/big", data: tooBig, version: -1)))
        #expect(s2.result == .op(.error(ZKError(code: .badArguments, path: "/big"))))
        #expect(h.tree.stat("/big")?.version == 0)
    }

    @Test func serverRevalidatesPaths() {
        // Goal: the server refuses malformed paths with BadArguments (create: no slash or an invalid final
        // name; setData/check: any invalid path), by sending paths the client would have rejected.
        // Source: PrepRequestProcessor.validatePathForCreate / validatePath.
        var h = Harness()
        h.create("/a")
        #expect(errorCode(h.create("a")) == .badArguments)
        #expect(errorCode(h.create("/a/.")) == .badArguments)
        #expect(errorCode(h.set("/a/", "x")) == .badArguments)
        #expect(errorCode(h.delete("a")) == .badArguments)
        #expect(h.tree.paths() == ["/", "/a", "/zookeeper", "/zookeeper/config", "/zookeeper/quota"])
    }

    @Test func keeperAndCliMessages() {
        // Goal: error texts match the Java client (`KeeperErrorCode = NoNode for /x`) and zkCli's
        // CliWrapperException, including the phrases some codes print.
        // Source: zookeeper.md §3 "Error codes" and zkCli messages; KeeperException.getCodeMessage; CliWrapperException.java.
        #expect(ZKError(code: .noNode, path: "/x").keeperMessage == "KeeperErrorCode = NoNode for /x")
        #expect(ZKError(code: .connectionLoss).keeperMessage == "KeeperErrorCode = ConnectionLoss")
        #expect(ZKError(code: .notEmpty, path: "/x").keeperMessage == "KeeperErrorCode = Directory not empty for /x")
        #expect(ZKError(code: .noNode, path: "/x").cliMessage == "Node does not exist: /x")
        #expect(ZKError(code: .nodeExists, path: "/x").cliMessage == "Node already exists: /x")
        #expect(ZKError(code: .notEmpty, path: "/x").cliMessage == "Node not empty: /x")
        #expect(ZKError(code: .badVersion, path: "/x").cliMessage == "version No is not valid : /x")
        #expect(ZKError(code: .noChildrenForEphemerals, path: "/x").cliMessage == "Ephemerals cannot have children: /x")
        #expect(ZKError(code: .noAuth, path: "/x").cliMessage == "Insufficient permission : /x")
        #expect(ZKError(code: .badArguments, path: "/x").cliMessage == "Arguments are not valid : /x")
        #expect(ZKError(code: .sessionExpired, path: "/x").cliMessage == "KeeperErrorCode = Session expired for /x")
        #expect(ZKErrorCode.ok.name == "ok" && ZKErrorCode.ok.shortName == "OK")
        #expect(ZKErrorCode.runtimeInconsistency.name == "RuntimeInconsistency")
        #expect(ZKErrorCode.noNode.rawValue == -101 && ZKErrorCode.notEmpty.rawValue == -111)
        #expect(ZKErrorCode.badArguments.rawValue == -8 && ZKErrorCode.sessionExpired.rawValue == -112)
    }
}
