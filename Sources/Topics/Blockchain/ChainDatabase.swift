import Blockchain
import ChainStore
import Foundation
import WorkbenchKit

/// The chain in a SQLite file laid out like Jeiwan's BoltDB buckets (part 3 and 6):
/// `blocks`: block hash → serialized block, and key `l` → the tip's hash;
/// `chainstate`: txid → that transaction's unspent outputs (index, value, public-key hash), each
/// field 8 bytes big-endian or length-prefixed, after an 8-byte count.
enum ChainDatabase {
    static let tipKey: [UInt8] = Array("l".utf8)

    /// The store's one-line message, naming the file as the learner named it.
    static func storeFailure(_ what: String, _ error: StoreError, path: String, name: String) -> WorkbenchError {
        .failed(what: what, why: error.message.replacingOccurrences(of: path, with: name), fix: nil)
    }

    /// Creates the file (it must not exist) and writes the ledger.
    static func create(_ ledger: Ledger, at name: String, host: SessionHost, what: String) throws {
        let path = host.databasePath(name)
        if FileManager.default.fileExists(atPath: path) {
            throw WorkbenchError.failed(what: what, why: "\(name) already exists", fix: "`chain open \(name)` continues the chain in it, or choose another --db path")
        }
        let store: BucketStore
        do throws(StoreError) { store = try BucketStore.open(path: path, create: true) } catch { throw storeFailure(what, error, path: path, name: name) }
        defer { store.close() }
        try write(ledger, into: store, path: path, name: name, what: what)
    }

    /// Writes the ledger to the file at `path` (nil: nothing to do), all or nothing.
    static func write(_ ledger: Ledger, to name: String?, host: SessionHost, what: String) throws {
        guard let name else { return }
        let path = host.databasePath(name)
        let store: BucketStore
        do throws(StoreError) { store = try BucketStore.open(path: path, create: false) } catch { throw storeFailure(what, error, path: path, name: name) }
        defer { store.close() }
        try write(ledger, into: store, path: path, name: name, what: what)
    }

    static func write(_ ledger: Ledger, into store: BucketStore, path: String, name: String, what: String) throws {
        do {
            try store.update { writer in
                for key in ledger.blocks.keys.sorted() {
                    guard let block = ledger.blocks[key] else { continue }
                    try writer.put("blocks", block.hash, block.serialized)
                }
                if let tip = ledger.tip { try writer.put("blocks", tipKey, tip.hash) }
                try writer.clear("chainstate")
                for row in ledger.utxo.byTransaction {
                    try writer.put("chainstate", row.txid, UTXOSet.chainstateValue(row.outputs))
                }
            }
        } catch let error as StoreError {
            throw storeFailure(what, error, path: path, name: name)
        }
    }


    /// Reads and re-validates the chain in a file; returns it and a note when `chainstate` had to be rebuilt.
    static func load(_ name: String, host: SessionHost, what: String) throws -> (Ledger, String?) {
        let path = host.databasePath(name)
        let store: BucketStore
        do throws(StoreError) { store = try BucketStore.open(path: path, create: false) } catch { throw storeFailure(what, error, path: path, name: name) }
        defer { store.close() }
        let stored: (tip: [UInt8]?, rows: [(key: [UInt8], value: [UInt8])], chainstate: [(key: [UInt8], value: [UInt8])])
        do throws(StoreError) {
            stored = (try store.get("blocks", tipKey), try store.all("blocks"), try store.all("chainstate"))
        } catch {
            throw storeFailure(what, error, path: path, name: name)
        }
        guard let tip = stored.tip else {
            throw WorkbenchError.failed(what: what, why: "\(name) has no tip (key `l` in bucket `blocks`)", fix: "create a chain with `chain createblockchain --db FILE`")
        }
        let chainstate = stored.chainstate
        var blocks: [LedgerBlock] = []
        for (key, value) in stored.rows where key != tipKey {
            guard let block = LedgerBlock(serialized: value) else {
                throw WorkbenchError.failed(what: what, why: "\(name): the block stored under \(ProofOfWork.hex(key).prefix(16))… cannot be read (damaged bytes)",
                                            fix: "restore the file from a copy; `sqlite3 \(name) 'PRAGMA integrity_check'` checks the file itself")
            }
            guard block.hash == key else {
                throw WorkbenchError.failed(what: what, why: "\(name): the block stored under \(ProofOfWork.hex(key).prefix(16))… says its hash is \(ProofOfWork.hex(block.hash).prefix(16))…",
                                            fix: "the file was edited; restore it from a copy")
            }
            blocks.append(block)
        }
        let ledger: Ledger
        do throws(LedgerError) {
            ledger = try Ledger.restore(blocks: blocks, tip: tip, targetBits: blocks.first(where: { $0.hash == tip })?.targetBits ?? 16)
        } catch {
            throw WorkbenchError.failed(what: what, why: "\(name) holds an invalid chain: \(error.description)", fix: "restore the file from a copy")
        }
        let expected = ledger.utxo.byTransaction.map { ($0.txid, UTXOSet.chainstateValue($0.outputs)) }
        let same = expected.count == chainstate.count && zip(expected, chainstate).allSatisfy { $0.0 == $1.key && $0.1 == $1.value }
        return (ledger, same ? nil : "the file's chainstate bucket did not match its blocks; rebuilt from the blocks (as `chain reindexutxo` does)")
    }

    /// The buckets as a learner would see them with sqlite3.
    static func describe(_ name: String, host: SessionHost, what: String) throws -> (value: Value, text: String) {
        let path = host.databasePath(name)
        do throws(StoreError) {
            let store = try BucketStore.open(path: path, create: false)
            defer { store.close() }
            var lines = ["\(name) (SQLite; open it with `sqlite3 \(name)`)"]
            var buckets: [(String, Value)] = []
            for bucket in ["blocks", "chainstate"] {
                let rows = try store.all(bucket)
                lines.append("bucket \(bucket): \(rows.count) keys")
                for (key, value) in rows {
                    let name = key == tipKey ? "l" : ProofOfWork.hex(key)
                    let shown = key == tipKey ? "→ \(ProofOfWork.hex(value))" : "\(value.count) bytes"
                    lines.append("  \(name.count > 16 ? String(name.prefix(16)) + "…" : name)  \(shown)")
                }
                buckets.append((bucket, .array(rows.map { .object([("key", .string(ProofOfWork.hex($0.key))), ("bytes", Value($0.value.count))]) })))
            }
            return (.object([("path", .string(path))] + buckets), lines.joined(separator: "\n"))
        } catch {
            throw storeFailure(what, error, path: path, name: name)
        }
    }
}
