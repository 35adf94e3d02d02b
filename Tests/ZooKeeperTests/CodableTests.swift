import Foundation
import Testing
@testable import ZooKeeper

@Suite("Codable")
struct CodableTests {
    private func sampleTree() throws -> DataTree {
        var h = Harness()
        h.session(0x100)
        h.create("/app", "cfg")
        h.create("/app/job-", mode: .persistentSequential)
        h.create("/app/e", "x", mode: .ephemeral, session: 0x100)
        h.create("/lock", mode: .container)
        h.create("/lock/a")
        h.delete("/lock/a")
        h.set("/app", "cfg2")
        _ = try h.tree.getData("/app", watcher: 0x100)
        _ = h.tree.exists("/missing", watcher: 0x200)
        _ = try h.tree.getChildren("/app", watcher: 0x200)
        h.tree.addWatch("/app", mode: .persistentRecursive, watcher: 0x300)
        h.tree.addWatch("/lock", mode: .persistent, watcher: 0x300)
        return h.tree
    }

    @Test func treeRoundTripsAndEncodesDeterministically() throws {
        // Goal: encoding then decoding a tree gives an equal tree with the same watches, indexes and
        // Stats, and encoding twice gives identical bytes (no hash order leaks).
        // Source: STYLE.md §2 ("State value (Equatable, Codable)"; no Dictionary/Set order in output).
        let tree = try sampleTree()
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]   // Foundation's own key order is not stable
        let data = try encoder.encode(tree)
        let back = try JSONDecoder().decode(DataTree.self, from: data)
        #expect(back == tree)
        #expect(back.paths() == tree.paths())
        for p in tree.paths() { #expect(back.stat(p) == tree.stat(p)) }
        for s: Int64 in [0x100, 0x200, 0x300] { #expect(back.watches(of: s) == tree.watches(of: s)) }
        #expect(back.watchTables == tree.watchTables)
        #expect(back.ephemerals(of: 0x100) == ["/app/e"])
        #expect(back.emptyContainers() == ["/lock"])
        #expect(back.checkInvariants().isEmpty)
        #expect(try encoder.encode(back) == data)
    }

    @Test func corruptSnapshotIsRejected() throws {
        // Goal: a snapshot whose node has no parent fails to decode instead of producing a broken tree.
        // Source: STYLE.md §4 (input never reaches a crash); DataTree invariants.
        let json = #"{"lastProcessedZxid":0,"sessions":[],"watches":[],"nodes":[{"path":"/","data":[],"czxid":0,"mzxid":0,"pzxid":0,"ctime":0,"mtime":0,"version":0,"childCreations":0,"aversion":0,"ephemeralOwner":0,"isContainer":false},{"path":"/a/b","data":[],"czxid":0,"mzxid":0,"pzxid":0,"ctime":0,"mtime":0,"version":0,"childCreations":0,"aversion":0,"ephemeralOwner":0,"isContainer":false}]}"#
        #expect(throws: DecodingError.self) { try JSONDecoder().decode(DataTree.self, from: Data(json.utf8)) }
    }

    @Test func txnsAndResultsRoundTrip() throws {
        // Goal: every payload and result enum survives JSON encoding (the ensemble replicates them).
        // Source: ReplicatedState (Payload: Codable).
        let txns: [ZKTxn] = [
            .createSession(session: 1, timeoutMs: 4_000), .closeSession(session: 1),
            .op(session: 1, .create(path: "/a", data: [1, 2], mode: .ephemeralSequential)),
            .multi(session: 2, [.delete(path: "/a", version: -1), .setData(path: "/b", data: [], version: 3),
                                .check(path: "/c", version: 0)]),
        ]
        #expect(try JSONDecoder().decode([ZKTxn].self, from: JSONEncoder().encode(txns)) == txns)
        let stat = Stat(czxid: Zxid(1), mzxid: Zxid(2), pzxid: Zxid(3), ctime: 4, mtime: 5, version: 6, cversion: -1,
                        aversion: 0, ephemeralOwner: 7, dataLength: 8, numChildren: 9)
        let results: [ZKTxnResult] = [
            .sessionCreated(session: 1), .sessionClosed(session: 1, deletedEphemerals: ["/e"]),
            .op(.created(path: "/a0000000000", stat: stat)),
            .multi([.rolledBack, .error(ZKError(code: .badVersion, path: "/b")), .error(ZKError(code: .runtimeInconsistency)),
                    .deleted, .setData(stat: stat), .checked]),
        ]
        #expect(try JSONDecoder().decode([ZKTxnResult].self, from: JSONEncoder().encode(results)) == results)
        let event = ev(1, .nodeChildrenChanged, "/x", 9)
        #expect(try JSONDecoder().decode(WatchEvent.self, from: JSONEncoder().encode(event)) == event)
    }
}

