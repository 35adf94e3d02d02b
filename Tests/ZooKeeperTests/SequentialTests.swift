import Testing
@testable import ZooKeeper

@Suite("Sequential suffix")
struct SequentialTests {
    @Test func suffixIsTheCreationCounterNotTheVisibleCversion() {
        // Goal: replay the reference example — 3 sequential creates (0,1,2) → cversion 3; create `fixed`
        // → 4; next sequential gets 4 → 5; delete `fixed` → 6 but the next sequential gets 5.
        // Source: zookeeper.md §3 "Sequential suffix — exact rule [observed + source]".
        var h = Harness()
        h.create("/app")
        for n in 0..<3 {
            #expect(createdPath(h.create("/app/job-", mode: .persistentSequential)) == "/app/job-000000000\(n)")
        }
        #expect(h.tree.stat("/app")?.cversion == 3)
        h.create("/app/fixed")
        #expect(h.tree.stat("/app")?.cversion == 4)
        #expect(createdPath(h.create("/app/job-", mode: .persistentSequential)) == "/app/job-0000000004")
        #expect(h.tree.stat("/app")?.cversion == 5)
        #expect(h.delete("/app/fixed") == .deleted)
        #expect(h.tree.stat("/app")?.cversion == 6)
        #expect(createdPath(h.create("/app/job-", mode: .ephemeralSequential, session: 0)) == nil) // fails (session 0 not open): no number used
        #expect(createdPath(h.create("/app/job-", mode: .persistentSequential)) == "/app/job-0000000005")
        // …and the empty prefix then gives the reference's `/app/0000000006`.
        #expect(createdPath(h.create("/app/", mode: .persistentSequential)) == "/app/0000000006")
    }

    @Test func emptyPrefixIsValidOnlyForSequential() {
        // Goal: `create -s /app/` is valid (validation appends "1") while `/app/` is not a plain path.
        // Source: zookeeper.md §3 ("An empty prefix works"); PathUtils.validatePath(path, isSequential).
        #expect(ZKPath.isValid("/app/", sequential: true))
        #expect(!ZKPath.isValid("/app/"))
        var h = Harness()
        #expect(createdPath(h.create("/", mode: .persistentSequential)) == "/0000000000")
        #expect(errorCode(h.create("/app/")) == .noNode)          // parent /app checked first
        h.create("/app")
        #expect(errorCode(h.create("/app/")) == .badArguments)    // then the final path is validated
    }

    @Test func counterWrapsLikeAJavaInt() {
        // Goal: after 2147483647 the counter wraps to -2147483648, formatted like Java's %010d, by
        // presetting the parent's internal counter (test hook) and creating three sequential children.
        // Source: zookeeper.md §3 ("The counter is a signed 32-bit int"); ZooKeeper programmer's guide
        // "Sequence Nodes" (overflow gives "<path>-2147483648").
        var h = Harness()
        h.create("/w")
        h.tree.nodes["/w"]?.childCreations = Int32.max
        #expect(createdPath(h.create("/w/n-", mode: .persistentSequential)) == "/w/n-2147483647")
        #expect(createdPath(h.create("/w/n-", mode: .persistentSequential)) == "/w/n--2147483648")
        #expect(createdPath(h.create("/w/n-", mode: .persistentSequential)) == "/w/n--2147483647")
        #expect(h.tree.stat("/w")?.numChildren == 3)
        #expect(h.tree.checkInvariants().isEmpty)
        #expect(DataTree.sequenceSuffix(-5) == "-000000005")
        #expect(DataTree.sequenceSuffix(42) == "0000000042")
    }

    @Test func sequentialNamesInOneMultiAreConsecutive() {
        // Goal: two sequential creates in one multi see the counter the first one advanced, by
        // checking both names. Source: PrepRequestProcessor (multi ops are checked against
        // outstanding change records); zookeeper.md §3 "multi".
        var h = Harness()
        h.create("/q")
        let out = h.apply(.multi(session: 0, [
            .create(path: "/q/item-", data: [], mode: .persistentSequential),
            .create(path: "/q/item-", data: [], mode: .persistentSequential),
        ]))
        guard case .multi(let rs) = out.result else { Issue.record("not a multi result"); return }
        #expect(rs.map(createdPath) == ["/q/item-0000000000", "/q/item-0000000001"])
    }
}
