import SimKit
@testable import ZooKeeper

/// Bytes of a UTF-8 string.
func b(_ s: String) -> [UInt8] { Array(s.utf8) }

/// A tree plus the zxid the next txn gets, so tests read like a zkCli session.
struct Harness {
    var tree = DataTree()
    var nextZxid: Int64 = 1
    var timeMs: Int64 = 1_000

    /// Applies `txn` at the next zxid (and a clock 10 ms later than the previous txn).
    @discardableResult
    mutating func apply(_ txn: ZKTxn) -> DataTree.TxnOutcome {
        defer { nextZxid += 1; timeMs += 10 }
        return tree.apply(txn, zxid: Zxid(nextZxid), timeMs: timeMs)
    }

    @discardableResult
    mutating func create(_ path: String, _ data: String = "", mode: CreateMode = .persistent,
                         session: Int64 = 0) -> ZKOpResult {
        opResult(apply(.op(session: session, .create(path: path, data: b(data), mode: mode))))
    }

    @discardableResult
    mutating func set(_ path: String, _ data: String, version: Int32 = -1, session: Int64 = 0) -> ZKOpResult {
        opResult(apply(.op(session: session, .setData(path: path, data: b(data), version: version))))
    }

    @discardableResult
    mutating func delete(_ path: String, version: Int32 = -1, session: Int64 = 0) -> ZKOpResult {
        opResult(apply(.op(session: session, .delete(path: path, version: version))))
    }

    mutating func session(_ id: Int64, timeoutMs: Int64 = 30_000) {
        apply(.createSession(session: id, timeoutMs: timeoutMs))
    }

    private func opResult(_ outcome: DataTree.TxnOutcome) -> ZKOpResult {
        if case .op(let r) = outcome.result { return r }
        return .error(ZKError(code: .systemError, path: "not an op result"))
    }
}

/// The real name a create returned, or nil.
func createdPath(_ r: ZKOpResult) -> String? {
    if case .created(let path, _) = r { return path }
    return nil
}

/// The error code of a result, or nil.
func errorCode(_ r: ZKOpResult) -> ZKErrorCode? {
    if case .error(let e) = r { return e.code }
    return nil
}

/// Shorthand for expected events.
func ev(_ watcher: Int64, _ type: WatchEventType, _ path: String, _ zxid: Int64) -> WatchEvent {
    WatchEvent(watcher: watcher, type: type, path: path, zxid: Zxid(zxid))
}

/// The tree sweep's random choices: SimKit's SplitMix64 (one seeded generator for the project)
/// with small helpers for picking.
typealias TreeRandom = SplitMix64

extension SplitMix64 {
    mutating func below(_ n: Int) -> Int { Int(next(below: UInt64(n))) }
    mutating func pick<T>(_ items: [T]) -> T { items[below(items.count)] }
}
