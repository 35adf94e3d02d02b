import Foundation
import Testing
@testable import ChainStore

struct TestFailure: Error {}

@Suite struct BucketStoreBasics {
    @Test func createReopenContinuesWhereItStopped() throws {
        let dir = TempDir()
        let path = dir.file()
        let store = try BucketStore.open(path: path, create: true)
        try store.update { w in
            try w.put("blocks", bytes("h1"), bytes("genesis"))
            try w.put("blocks", [0x6C], bytes("h1"))
        }
        store.close()

        let again = try BucketStore.open(path: path, create: false)
        #expect(try again.get("blocks", [0x6C]) == bytes("h1"))
        #expect(try again.get("blocks", bytes("h1")) == bytes("genesis"))
        try again.update { w in
            try w.put("blocks", bytes("h2"), bytes("second"))
            try w.put("blocks", bytes("l"), bytes("h2"))
        }
        again.close()

        let third = try BucketStore.open(path: path, create: true)   // create on an existing chain just opens it
        #expect(try third.count("blocks") == 3)
        #expect(try third.get("blocks", bytes("l")) == bytes("h2"))
        #expect(try third.keys("blocks") == [bytes("h1"), bytes("h2"), bytes("l")])
        third.close()
    }

    @Test func tipIsTheByteL() throws {
        let dir = TempDir()
        let store = try BucketStore.open(path: dir.file(), create: true)
        let hash = (0..<32).map { UInt8($0) }
        try store.update { w in try w.put("blocks", [0x6C], hash) }
        #expect(try store.get("blocks", bytes("l")) == hash)
        #expect(try store.get("blocks", bytes("L")) == nil)
        #expect(try store.get("blocks", [0x6C, 0x00]) == nil)
    }

    @Test func updateIsAllOrNothingWhenBodyThrows() throws {
        let dir = TempDir()
        let store = try BucketStore.open(path: dir.file(), create: true)
        try store.update { w in try w.put("blocks", bytes("a"), bytes("1")) }
        #expect(throws: TestFailure.self) {
            try store.update { w in
                try w.put("blocks", bytes("a"), bytes("changed"))
                try w.put("blocks", bytes("b"), bytes("2"))
                try w.put("chainstate", bytes("tx"), bytes("outs"))   // creates a table, rolled back too
                try w.delete("blocks", bytes("a"))
                throw TestFailure()
            }
        }
        #expect(try store.get("blocks", bytes("a")) == bytes("1"))
        #expect(try store.get("blocks", bytes("b")) == nil)
        #expect(try store.count("blocks") == 1)
        #expect(try store.count("chainstate") == 0)
        #expect(try store.all("chainstate").isEmpty)
        // The store is usable after the rollback, including the bucket whose table was dropped.
        try store.update { w in try w.put("chainstate", bytes("tx"), bytes("outs")) }
        #expect(try store.get("chainstate", bytes("tx")) == bytes("outs"))
    }

    @Test func swallowedWriteErrorStillRollsBack() throws {
        let dir = TempDir()
        let store = try BucketStore.open(path: dir.file(), create: true)
        let error = #expect(throws: StoreError.self) {
            try store.update { w in
                try w.put("blocks", bytes("a"), bytes("1"))
                _ = try? w.put("blocks", [], bytes("empty key"))   // fails; body ignores it
            }
        }
        #expect(error?.kind == .misuse)
        #expect(error?.message.contains("empty key") == true)
        #expect(try store.get("blocks", bytes("a")) == nil)
    }

    @Test func readsInsideUpdateSeeOwnWrites() throws {
        let dir = TempDir()
        let store = try BucketStore.open(path: dir.file(), create: true)
        try store.update { w in
            try w.put("chainstate", bytes("t1"), bytes("o1"))
            #expect(try store.get("chainstate", bytes("t1")) == bytes("o1"))
            try w.clear("chainstate")
            #expect(try store.count("chainstate") == 0)
            try w.put("chainstate", bytes("t2"), bytes("o2"))
        }
        #expect(try store.keys("chainstate") == [bytes("t2")])
    }

    @Test func keysAreSortedByBytes() throws {
        let dir = TempDir()
        let store = try BucketStore.open(path: dir.file(), create: true)
        let input: [[UInt8]] = [[0xFF], [0x00], [0x00, 0x00], [0x6C], [0x01, 0xFF], [0x01], [0x80, 0x00], [0x7F]]
        try store.update { w in
            for (i, k) in input.enumerated() { try w.put("blocks", k, [UInt8(i)]) }
        }
        let expected = input.sorted { $0.lexicographicallyPrecedes($1) }
        #expect(try store.keys("blocks") == expected)
        #expect(try store.all("blocks").map(\.key) == expected)
        #expect(expected.first == [0x00] && expected.last == [0xFF])
    }

    @Test func binaryKeysAndValuesWithZeroBytes() throws {
        let dir = TempDir()
        let path = dir.file()
        let store = try BucketStore.open(path: path, create: true)
        let key: [UInt8] = [0x00, 0x00, 0x01, 0x00]
        let value: [UInt8] = [0x00, 0xFF, 0x00, 0x00, 0x0A, 0x0D, 0x00]
        try store.update { w in
            try w.put("blocks", key, value)
            try w.put("blocks", [0x00], [])            // empty value is allowed, and is not NULL
            try w.put("blocks", [0x00, 0x00], [0x00])
        }
        store.close()
        let again = try BucketStore.open(path: path, create: false)
        #expect(try again.get("blocks", key) == value)
        #expect(try again.get("blocks", [0x00]) == [])
        #expect(try again.get("blocks", [0x00, 0x00]) == [0x00])
        #expect(try again.get("blocks", [0x00, 0x00, 0x01]) == nil)
        #expect(try again.count("blocks") == 3)
    }

    @Test func putOverwritesAndDeleteRemoves() throws {
        let dir = TempDir()
        let store = try BucketStore.open(path: dir.file(), create: true)
        try store.update { w in
            try w.put("blocks", bytes("k"), bytes("v1"))
            try w.put("blocks", bytes("k"), bytes("v2"))
            try w.delete("blocks", bytes("absent"))
            try w.delete("nosuchbucket", bytes("k"))
            try w.clear("nosuchbucket")
        }
        #expect(try store.get("blocks", bytes("k")) == bytes("v2"))
        try store.update { w in try w.delete("blocks", bytes("k")) }
        #expect(try store.get("blocks", bytes("k")) == nil)
        #expect(try store.count("blocks") == 0)
    }

    @Test func unwrittenBucketReadsEmpty() throws {
        let dir = TempDir()
        let store = try BucketStore.open(path: dir.file(), create: true)
        #expect(try store.get("chainstate", bytes("x")) == nil)
        #expect(try store.keys("chainstate").isEmpty)
        #expect(try store.all("chainstate").isEmpty)
        #expect(try store.count("chainstate") == 0)
        #expect(try store.integrityCheck().isEmpty)
    }

    @Test(arguments: ["", "Blocks", "a-b", "blocks; DROP TABLE meta", "1abc", "_x", "meta", "sqlite_master", "bl\"ocks", "é", String(repeating: "a", count: 65)])
    func invalidBucketNamesAreRejected(name: String) throws {
        let dir = TempDir()
        let store = try BucketStore.open(path: dir.file(), create: true)
        let read = #expect(throws: StoreError.self) { _ = try store.get(name, bytes("k")) }
        #expect(read?.kind == .misuse)
        let write = #expect(throws: StoreError.self) {
            try store.update { w in try w.put(name, bytes("k"), bytes("v")) }
        }
        #expect(write?.kind == .misuse)
        #expect(write?.message.contains("\n") == false)
        // meta is intact and still validated on reopen.
        store.close()
        _ = try BucketStore.open(path: dir.file(), create: false)
    }

    @Test func writerIsOnlyValidInsideItsUpdate() throws {
        let dir = TempDir()
        let store = try BucketStore.open(path: dir.file(), create: true)
        var kept: BucketWriter?
        try store.update { w in kept = w }
        guard var escaped = kept else { throw TestFailure() }
        let error = #expect(throws: StoreError.self) { try escaped.put("blocks", bytes("k"), bytes("v")) }
        #expect(error?.kind == .misuse)
        // Still invalid while a later update runs.
        let later = #expect(throws: StoreError.self) {
            try store.update { _ in try escaped.put("blocks", bytes("k"), bytes("v")) }
        }
        #expect(later?.kind == .misuse)
        #expect(try store.count("blocks") == 0)
    }

    @Test func nestedUpdateIsRejected() throws {
        let dir = TempDir()
        let store = try BucketStore.open(path: dir.file(), create: true)
        let error = #expect(throws: StoreError.self) {
            try store.update { w in
                try w.put("blocks", bytes("a"), bytes("1"))
                try store.update { inner in try inner.put("blocks", bytes("b"), bytes("2")) }
            }
        }
        #expect(error?.kind == .misuse)
        #expect(try store.count("blocks") == 0)
    }

    @Test func closedStoreThrows() throws {
        let dir = TempDir()
        let store = try BucketStore.open(path: dir.file(), create: true)
        store.close()
        store.close()
        let error = #expect(throws: StoreError.self) { _ = try store.count("blocks") }
        #expect(error?.kind == .misuse)
        #expect(error?.message.contains("closed") == true)
        #expect(throws: StoreError.self) { try store.update { _ in } }
    }

    @Test func integrityCheckOfHealthyMultiPageFile() throws {
        let dir = TempDir()
        let data = try makeMultiPageDatabase(at: dir.file())
        let store = try BucketStore.open(path: dir.file(), create: false)
        #expect(try store.integrityCheck() == [])
        #expect(try store.all("blocks").map(\.key) == data["blocks"]?.map(\.key))
        #expect(try store.all("chainstate").map(\.value) == data["chainstate"]?.map(\.value))
    }
}
