import Testing
@testable import ZooKeeper

@Suite("Containers")
struct ContainerTests {
    @Test func containerBecomesCandidateAfterLastChildGoes() {
        // Goal: a container is listed by emptyContainers() only once it has had a child and has none left;
        // it is not deleted inline, and a later delete txn removes it.
        // Source: zookeeper.md §3 "Tree and node kinds" (CONTAINER); ContainerManager.getCandidates.
        var h = Harness()
        h.create("/lock", mode: .container)
        #expect(h.tree.isContainer("/lock"))
        #expect(h.tree.emptyContainers().isEmpty)                       // never used
        h.create("/lock/a")
        #expect(h.tree.emptyContainers().isEmpty)                       // has a child
        #expect(h.delete("/lock/a") == .deleted)
        #expect(h.tree.emptyContainers() == ["/lock"])
        #expect(h.tree.stat("/lock") != nil)                            // still there until the manager acts
        #expect(h.delete("/lock") == .deleted)
        #expect(h.tree.emptyContainers().isEmpty)
        #expect(h.tree.checkInvariants().isEmpty)
    }

    @Test func containerCanHoldChildrenAndShowsOwnerZero() {
        // Goal: a container accepts children (it is not ephemeral) and shows ephemeralOwner 0.
        // Source: EphemeralType (CONTAINER is not NORMAL, so no NoChildrenForEphemerals); DataNode.copyStat.
        var h = Harness()
        h.create("/c", mode: .container)
        #expect(createdPath(h.create("/c/x")) == "/c/x")
        #expect(h.tree.stat("/c")?.ephemeralOwner == 0)
        #expect(h.tree.stat("/c")?.numChildren == 1)
    }
}
