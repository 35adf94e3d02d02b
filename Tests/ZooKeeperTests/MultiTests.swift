import Testing
@testable import ZooKeeper

@Suite("multi")
struct MultiTests {
    @Test func failedMultiReportsRolledBackErrorRuntimeInconsistencyAndChangesNothing() {
        // Goal: a multi whose second op fails gives [RolledBack, BadVersion, RuntimeInconsistency], fires
        // nothing, consumes no watch and leaves the tree unchanged except lastProcessedZxid.
        // Source: zookeeper.md §3 "multi" [observed: `[RolledBack, BadVersion, RuntimeInconsistency]`];
        // DataTree.processTxn (earlier sub-txns get Code.OK, later ones RUNTIMEINCONSISTENCY).
        var h = Harness()
        h.create("/a", "0")
        _ = try? h.tree.getData("/a", watcher: 5)
        _ = try? h.tree.getChildren("/", watcher: 5)
        let before = h.tree
        let out = h.apply(.multi(session: 0, [
            .setData(path: "/a", data: b("1"), version: 0),     // would succeed: version becomes 1
            .setData(path: "/a", data: b("2"), version: 0),     // sees version 1 → BadVersion
            .create(path: "/b", data: [], mode: .persistent),
        ]))
        let expected: [ZKOpResult] = [
            .rolledBack,
            .error(ZKError(code: .badVersion, path: "/a")),
            .error(ZKError(code: .runtimeInconsistency, path: nil)),
        ]
        #expect(out.result == .multi(expected))
        #expect(expected.compactMap(\.errorName) == ["RolledBack", "BadVersion", "RuntimeInconsistency"])
        #expect(out.events.isEmpty)
        var unchanged = before
        unchanged.lastProcessedZxid = h.tree.lastProcessedZxid
        #expect(h.tree == unchanged)
        #expect(h.tree.watches(of: 5) == before.watches(of: 5))
        #expect(h.tree.data("/a") == b("0"))
    }

    @Test func successfulMultiAppliesInOrderAgainstTheEvolvingTree() {
        // Goal: ops see the effects of earlier ops in the same multi (create then child, delete then
        // re-create, check after set), all changes stay, and events come in op order.
        // Source: zookeeper.md §3 "multi" (all-or-nothing); PrepRequestProcessor (outstanding changes).
        var h = Harness()
        h.create("/x", "old")                                   // 0x1
        _ = h.tree.exists("/p", watcher: 3)
        _ = try? h.tree.getData("/x", watcher: 4)
        let out = h.apply(.multi(session: 0, [                  // 0x2
            .create(path: "/p", data: [], mode: .persistent),
            .create(path: "/p/c", data: b("c"), mode: .persistent),
            .delete(path: "/x", version: 0),
            .create(path: "/x", data: b("new"), mode: .persistent),
            .setData(path: "/x", data: b("newer"), version: 0),
            .check(path: "/x", version: 1),
        ]))
        guard case .multi(let rs) = out.result else { Issue.record("not a multi"); return }
        #expect(rs.count == 6)
        #expect(rs.map(createdPath) == ["/p", "/p/c", nil, "/x", nil, nil])
        #expect(rs[2] == .deleted && rs[5] == .checked)
        #expect(h.tree.data("/x") == b("newer"))
        #expect(h.tree.stat("/x")?.czxid == Zxid(2) && h.tree.stat("/x")?.version == 1)
        #expect(out.events == [ev(3, .nodeCreated, "/p", 2), ev(4, .nodeDeleted, "/x", 2)])
        #expect(h.tree.checkInvariants().isEmpty)
    }

    @Test func checkOpReportsNoNodeAndBadVersion() {
        // Goal: a check op fails with NoNode for a missing node and BadVersion for another version,
        // making the whole multi fail. Source: zookeeper.md §3 "multi"; PrepRequestProcessor (OpCode.check).
        var h = Harness()
        h.create("/k")
        let missing = h.apply(.multi(session: 0, [.check(path: "/none", version: -1)]))
        #expect(missing.result == .multi([.error(ZKError(code: .noNode, path: "/none"))]))
        let stale = h.apply(.multi(session: 0, [.create(path: "/k2", data: [], mode: .persistent),
                                                .check(path: "/k", version: 4)]))
        #expect(stale.result == .multi([.rolledBack, .error(ZKError(code: .badVersion, path: "/k"))]))
        #expect(h.tree.stat("/k2") == nil)
        let fine = h.apply(.multi(session: 0, [.check(path: "/k", version: 0)]))
        #expect(fine.result == .multi([.checked]))
    }

    @Test func kafkaControllerElectionMulti() {
        // Goal: Kafka's elect() multi (create ephemeral /controller + conditional set of
        // /controller_epoch) succeeds once; a second broker's identical multi fails with NodeExists and
        // leaves the epoch alone. Source: zookeeper.md §4 "Controller election and session expiry".
        var h = Harness()
        h.session(1)
        h.session(2)
        h.create("/controller_epoch", "0")
        let elect = { (s: Int64) -> ZKTxn in
            .multi(session: s, [.create(path: "/controller", data: b("{\"brokerid\":\(s)}"), mode: .ephemeral),
                                .setData(path: "/controller_epoch", data: b("1"), version: 0)])
        }
        guard case .multi(let first) = h.apply(elect(1)).result else { Issue.record("no result"); return }
        #expect(first.allSatisfy { $0.errorName == nil })
        let second = h.apply(elect(2)).result
        #expect(second == .multi([.error(ZKError(code: .nodeExists, path: "/controller")),
                                  .error(ZKError(code: .runtimeInconsistency))]))
        #expect(h.tree.stat("/controller")?.ephemeralOwner == 1)
        #expect(h.tree.data("/controller_epoch") == b("1"))
    }
}
