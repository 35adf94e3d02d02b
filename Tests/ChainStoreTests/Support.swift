import CSQLite
import Foundation
@testable import ChainStore

/// A fresh temporary directory per test, removed when the value is deinitialised.
final class TempDir {
    let path: String

    init() {
        let base = FileManager.default.temporaryDirectory.path
        path = base + "/chainstore-" + UUID().uuidString
        try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    func file(_ name: String = "blockchain.db") -> String { path + "/" + name }

    deinit { try? FileManager.default.removeItem(atPath: path) }
}

func bytes(_ s: String) -> [UInt8] { Array(s.utf8) }

/// SplitMix64: the project's seeded stream (same constants as SimKit).
struct SplitMix64 {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
    mutating func bytes(_ n: Int) -> [UInt8] { (0..<n).map { _ in UInt8(truncatingIfNeeded: next()) } }
}

/// Runs SQL on a file with the raw SQLite API (to build foreign or tampered files).
func rawSQL(_ path: String, _ sql: String) -> Bool {
    var db: OpaquePointer?
    guard sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nil) == SQLITE_OK else {
        sqlite3_close_v2(db)
        return false
    }
    defer { sqlite3_close_v2(db) }
    return sqlite3_exec(db, sql, nil, nil, nil) == SQLITE_OK
}

/// The sqlite3 command-line shell, if installed.
let sqlite3CLI: String? = {
    let dirs = (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":")
    for dir in dirs {
        let candidate = String(dir) + "/sqlite3"
        if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
    }
    return nil
}()

func runCLI(_ tool: String, _ arguments: [String]) throws -> (status: Int32, output: String) {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: tool)
    process.arguments = arguments
    let pipe = Pipe()
    process.standardOutput = pipe
    process.standardError = pipe
    try process.run()
    let data = pipe.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return (process.terminationStatus, String(decoding: data, as: UTF8.self))
}

/// A multi-page chain-like database: 40 "blocks" (32-byte keys, values of 300–1200 bytes, two of
/// 9000 bytes on overflow pages), the tip under "l", and 60 chainstate entries.
func makeMultiPageDatabase(at path: String, seed: UInt64 = 7) throws -> [String: [(key: [UInt8], value: [UInt8])]] {
    var rng = SplitMix64(state: seed)
    var blocks: [(key: [UInt8], value: [UInt8])] = []
    for i in 0..<40 {
        let size = i == 5 || i == 30 ? 9000 : 300 + Int(rng.next() % 900)
        blocks.append((rng.bytes(32), rng.bytes(size)))
    }
    var chainstate: [(key: [UInt8], value: [UInt8])] = []
    for _ in 0..<60 { chainstate.append((rng.bytes(32), rng.bytes(40 + Int(rng.next() % 200)))) }
    let tip = blocks[39].key
    let store = try BucketStore.open(path: path, create: true)
    try store.update { w in
        for (k, v) in blocks { try w.put("blocks", k, v) }
        try w.put("blocks", [0x6C], tip)
        for (k, v) in chainstate { try w.put("chainstate", k, v) }
    }
    store.close()
    blocks.append((key: [0x6C], value: tip))
    return [
        "blocks": blocks.sorted { $0.key.lexicographicallyPrecedes($1.key) },
        "chainstate": chainstate.sorted { $0.key.lexicographicallyPrecedes($1.key) },
    ]
}
