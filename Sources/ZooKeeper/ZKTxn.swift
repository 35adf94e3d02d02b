/// One operation of a write request or of a multi (zookeeper.md §3 "Operations, checks and their order").
public enum ZKOp: Codable, Equatable, Sendable {
    /// `create [-s] [-e] [-c] path data`; for sequential modes `path` is the prefix.
    /// `data` nil is a create without data (zkCli `create /a`): the node's data is null, and
    /// zkCli's `get` prints `null` for it.
    case create(path: String, data: [UInt8]?, mode: CreateMode)
    /// `delete [-v version] path`; version -1 = any version.
    case delete(path: String, version: Int32)
    /// `set [-v version] path data`; version -1 = any version.
    case setData(path: String, data: [UInt8], version: Int32)
    /// Multi only (`Op.check`): fails with NoNode / BadVersion if the node's version does not hold.
    case check(path: String, version: Int32)

    /// The path the client asked for.
    public var path: String {
        switch self {
        case .create(let path, _, _), .delete(let path, _), .setData(let path, _, _), .check(let path, _): path
        }
    }
}

/// The payload the ensemble replicates: one write request, already validated client-side
/// (zookeeper.md §2: every write, session creation and session close is one txn with one zxid).
public enum ZKTxn: Codable, Equatable, Sendable {
    case createSession(session: Int64, timeoutMs: Int64)
    /// A client's close or the leader's expiry: deletes the session's ephemerals in this one txn.
    case closeSession(session: Int64)
    case op(session: Int64, ZKOp)
    /// All-or-nothing transaction: one txn, one zxid for all its ops.
    case multi(session: Int64, [ZKOp])
}

/// The result of one operation.
public enum ZKOpResult: Codable, Equatable, Sendable {
    /// `path` is the real name (with the suffix for sequential nodes); `stat` the new node's Stat.
    case created(path: String, stat: Stat)
    case deleted
    /// The node's Stat after the set.
    case setData(stat: Stat)
    case checked
    /// The op failed. Inside a failed multi: the failing op's own error, and
    /// `RuntimeInconsistency` (no path) for every op after it.
    case error(ZKError)
    /// Inside a failed multi, an op before the failing one: it would have succeeded but was undone.
    /// On the wire this is an ErrorResult with code 0 (DataTree.processTxn marks earlier sub-txns
    /// with Code.OK); kazoo names it `RolledBackError`, printed `RolledBack`.
    case rolledBack

    /// `RolledBack` or the error's short name (`BadVersion`, `RuntimeInconsistency`); nil for successes.
    /// A failed multi prints as e.g. `[RolledBack, BadVersion, RuntimeInconsistency]`.
    public var errorName: String? {
        switch self {
        case .rolledBack: "RolledBack"
        case .error(let e): e.code.shortName
        default: nil
        }
    }
}

/// The result of one txn.
public enum ZKTxnResult: Codable, Equatable, Sendable {
    case sessionCreated(session: Int64)
    /// `deletedEphemerals` is sorted (the order they were deleted in).
    case sessionClosed(session: Int64, deletedEphemerals: [String])
    case op(ZKOpResult)
    case multi([ZKOpResult])
}
