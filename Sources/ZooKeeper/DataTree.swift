/// The znode tree one ZooKeeper server keeps in memory (ZooKeeper's `DataTree` plus the checks the
/// leader's `PrepRequestProcessor` makes before a write becomes a txn), as a pure value.
///
/// * Writes arrive as committed txns through `apply(_:zxid:timeMs:)` and are deterministic: servers
///   that applied the same txns hold equal trees (`==`).
/// * Reads (`getData`, `exists`, `getChildren`) never consume zxids; with a `watcher` they leave a
///   one-shot watch on this server, and `addWatch` leaves a persistent one.
/// * Watches are per-server connection state, not replicated state: they are encoded by `Codable`
///   but **ignored by `==`**, so two servers with the same data compare equal whatever their
///   clients watch.
/// * No I/O, no clock: `timeMs` is the leader's simulated time stamped into ctime/mtime.
///
/// Znode names are Swift `String`s, so two names that differ only in Unicode normalisation are the
/// same node here (Java compares UTF-16 code units); every sorted output uses Java's order.
public struct DataTree: ReplicatedState {
    public typealias Payload = ZKTxn
    public typealias Output = TxnOutcome

    /// What applying one txn produced: the result for the client that sent it and the watch
    /// notifications it fired on this server, in delivery order.
    public struct TxnOutcome: Equatable, Sendable {
        public var result: ZKTxnResult
        public var events: [WatchEvent]

        public init(result: ZKTxnResult, events: [WatchEvent]) {
            self.result = result
            self.events = events
        }
    }

    /// Largest data a create/setData may carry. The real limit is `jute.maxbuffer` (1 MiB) on the
    /// whole request packet, enforced by the server's connection layer; this tree treats data above
    /// 1,048,575 bytes as a bad request (BadArguments) so the rule stays visible and deterministic.
    public static let maxDataBytes = 1_048_575

    /// Paths the server refuses to delete (DataTree.isSpecialPath, checked by
    /// PrepRequestProcessor's getParentPathAndValidate): delete answers BadArguments.
    public static let specialPaths: Set<String> = ["/", "/zookeeper", "/zookeeper/config", "/zookeeper/quota"]

    /// The zxid of the last applied txn; every txn advances it, failed ones included (zookeeper.md §2).
    public var lastProcessedZxid: Zxid

    /// All znodes by absolute path.
    var nodes: [String: ZNode]
    /// Open sessions: id → negotiated timeout.
    var sessionTimeouts: [Int64: Int64]
    /// Index of ephemeral paths by owner (DataTree.ephemerals); derived from `nodes`.
    var ephemeralIndex: [Int64: Set<String>]
    /// Index of container paths (DataTree.containers); derived from `nodes`.
    var containerPaths: Set<String>
    /// One-shot and persistent watches registered on this server.
    var watchTables: WatchTables

    /// A fresh server: `/` with child `zookeeper`, which has `config` and `quota` (zookeeper.md §3
    /// "Tree and node kinds"). All four have zxids 0, times 0, empty data, and were installed
    /// without being "created", so their child-creation counters are 0: `/` shows cversion −1 and
    /// `/zookeeper` −2 (zookeeper.md §3 "Sequential suffix", quirk of the fresh tree).
    public init() {
        lastProcessedZxid = .zero
        nodes = [:]
        sessionTimeouts = [:]
        ephemeralIndex = [:]
        containerPaths = []
        watchTables = WatchTables()
        var root = ZNode.preinstalled()
        root.children = ["zookeeper"]
        var proc = ZNode.preinstalled()
        proc.children = ["config", "quota"]
        nodes["/"] = root
        nodes["/zookeeper"] = proc
        nodes["/zookeeper/config"] = .preinstalled()
        nodes["/zookeeper/quota"] = .preinstalled()
    }

    /// Replicated state only: nodes, open sessions and lastProcessedZxid. Watches are left out
    /// (see the type's documentation); the indexes are derived from the nodes.
    public static func == (a: DataTree, b: DataTree) -> Bool {
        a.lastProcessedZxid == b.lastProcessedZxid && a.sessionTimeouts == b.sessionTimeouts && a.nodes == b.nodes
    }
}

/// One znode as the server stores it (DataNode + StatPersisted). Unlike the client-visible `Stat`
/// it keeps the internal child-creation counter; ephemeral ownership is 0 for containers (the
/// real server stores Long.MIN_VALUE there and hides it from clients, `isContainer` says the same).
struct ZNode: Equatable, Sendable {
    var data: [UInt8]
    var czxid: Zxid
    var mzxid: Zxid
    var pzxid: Zxid
    var ctime: Int64
    var mtime: Int64
    var version: Int32
    /// The parent's internal cversion: counts child creations only, wraps like a Java int, and
    /// is the sequential suffix of the next sequential child (zookeeper.md §3 "Sequential suffix").
    var childCreations: Int32
    var aversion: Int32
    /// Owning session of an ephemeral node, 0 for persistent and container nodes.
    var ephemeralOwner: Int64
    var isContainer: Bool
    /// Child names (not paths). A Set so that create/delete cost O(1); sorted on read.
    var children: Set<String>
    /// Created without data (null bytes, not empty ones) and not set since.
    var nullData = false

    static func preinstalled() -> ZNode {
        ZNode(data: [], czxid: .zero, mzxid: .zero, pzxid: .zero, ctime: 0, mtime: 0, version: 0,
              childCreations: 0, aversion: 0, ephemeralOwner: 0, isContainer: false, children: [])
    }

    /// The visible Stat (DataNode.copyStat): cversion = 2 × childCreations − numChildren with Java
    /// int wrap-around; ephemeralOwner 0 unless a normal ephemeral.
    var stat: Stat {
        let numChildren = Int32(truncatingIfNeeded: children.count)
        return Stat(czxid: czxid, mzxid: mzxid, pzxid: pzxid, ctime: ctime, mtime: mtime,
                    version: version, cversion: childCreations &* 2 &- numChildren, aversion: aversion,
                    ephemeralOwner: ephemeralOwner, dataLength: Int32(truncatingIfNeeded: data.count),
                    numChildren: numChildren)
    }
}
