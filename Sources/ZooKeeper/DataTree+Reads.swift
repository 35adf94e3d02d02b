/// Reads (zookeeper.md §3 "Operations": exists on a missing node returns null and may leave a
/// watch; getData/getChildren on a missing node → NoNode). Reads never consume zxids; the
/// `mutating` ones only because a `watcher` leaves a one-shot watch on this server.
extension DataTree {
    /// `get [-w] path` (DataTree.getData): the node's bytes and Stat. With `watcher`, leaves a
    /// one-shot data watch (NodeDataChanged / NodeDeleted). A missing node throws NoNode and
    /// leaves no watch.
    public mutating func getData(_ path: String, watcher: Int64? = nil) throws(ZKError) -> (data: [UInt8], stat: Stat) {
        guard let node = nodes[path] else { throw ZKError(code: .noNode, path: path) }
        if let watcher { addDataWatch(path, watcher: watcher) }
        return (node.data, node.stat)
    }

    /// `stat [-w] path` (DataTree.statNode): the Stat, or nil for a missing node. With `watcher`,
    /// leaves a one-shot data watch either way; on a missing node it waits for NodeCreated.
    public mutating func exists(_ path: String, watcher: Int64? = nil) -> Stat? {
        if let watcher { addDataWatch(path, watcher: watcher) }
        return nodes[path]?.stat
    }

    /// `ls [-w] path` (DataTree.getChildren): child names sorted as zkCli prints them (the server's
    /// order is unspecified) and the Stat. With `watcher`, leaves a one-shot child watch
    /// (NodeChildrenChanged / NodeDeleted). A missing node throws NoNode and leaves no watch.
    public mutating func getChildren(_ path: String, watcher: Int64? = nil) throws(ZKError) -> (children: [String], stat: Stat) {
        guard let node = nodes[path] else { throw ZKError(code: .noNode, path: path) }
        if let watcher { addChildWatch(path, watcher: watcher) }
        return (node.children.sorted(by: javaPrecedes), node.stat)
    }

    /// The Stat of a node, without leaving a watch.
    public func stat(_ path: String) -> Stat? { nodes[path]?.stat }

    /// The data of a node, without leaving a watch.
    public func data(_ path: String) -> [UInt8]? { nodes[path]?.data }

    /// Sorted child names of a node, without leaving a watch; nil for a missing node.
    public func children(of path: String) -> [String]? { nodes[path]?.children.sorted(by: javaPrecedes) }

    /// Whether the node's data is null (created without data and never set): zkCli prints `null`.
    public func hasNullData(_ path: String) -> Bool { nodes[path]?.nullData ?? false }

    /// Whether a node exists, without leaving a watch.
    public func contains(_ path: String) -> Bool { nodes[path] != nil }

    /// Whether the node was created with `create -c` (its Stat cannot tell: ephemeralOwner shows 0).
    public func isContainer(_ path: String) -> Bool { nodes[path]?.isContainer ?? false }

    /// The number of znodes, the four pre-installed ones included.
    public var nodeCount: Int { nodes.count }

    /// Every path, sorted (Java string order), for tree views and diffs.
    public func paths() -> [String] { nodes.keys.sorted(by: javaPrecedes) }

    /// Open sessions known to the tree (registered by createSession, not yet closed), sorted by id.
    public var sessions: [SessionRecord] {
        sessionTimeouts.map { SessionRecord(id: $0.key, timeoutMs: $0.value) }.sorted { $0.id < $1.id }
    }

    /// The ephemeral nodes a session owns, sorted.
    public func ephemerals(of session: Int64) -> [String] {
        (ephemeralIndex[session] ?? []).sorted(by: javaPrecedes)
    }

    /// Containers the container manager would delete now (ContainerManager.getCandidates): no
    /// children and a child-creation counter above 0 (they once had a child). The real server runs
    /// this every `znode.container.checkIntervalMs` (60 s) and deletes each candidate with a
    /// separate txn; the ensemble layer does the same with `.delete(path:version: -1)` txns.
    /// Never-used empty containers are not listed (the real server only removes those after the
    /// optional `znode.container.maxNeverUsedIntervalMs`, off by default). Sorted.
    public func emptyContainers() -> [String] {
        containerPaths.filter { path in
            guard let node = nodes[path] else { return false }
            return node.children.isEmpty && node.childCreations > 0
        }.sorted(by: javaPrecedes)
    }
}
