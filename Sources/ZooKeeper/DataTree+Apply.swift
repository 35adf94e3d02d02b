/// Applying committed txns (DataTree.processTxn). zookeeper.md §2: every txn consumes its zxid,
/// failed ones included; a multi is one txn; closing a session deletes its ephemerals in that txn.
extension DataTree {
    /// Applies one committed txn at `zxid`, stamping `timeMs` (the leader's time) into ctime/mtime.
    /// Always sets `lastProcessedZxid = zxid`. A failed op or multi changes nothing else and fires
    /// no watch. Events are in delivery order: by op, and within an op the node's own event before
    /// its parent's NodeChildrenChanged, each group sorted by session id. A session gets at most one
    /// event per trigger even if several of its watches match (WatchManager collects a set); since
    /// every op of a multi, and every ephemeral a closeSession deletes, triggers on its own, one txn
    /// can notify a persistent watcher of the same (type, path) more than once, as ZooKeeper does.
    public mutating func apply(_ txn: ZKTxn, zxid: Zxid, timeMs: Int64) -> TxnOutcome {
        lastProcessedZxid = zxid
        var events: [WatchEvent] = []
        switch txn {
        case .createSession(let session, let timeoutMs):
            sessionTimeouts[session] = timeoutMs
            return TxnOutcome(result: .sessionCreated(session: session), events: [])

        case .closeSession(let session):
            let deleted = closeSession(session, zxid: zxid, events: &events)
            return TxnOutcome(result: .sessionClosed(session: session, deletedEphemerals: deleted), events: events)

        case .op(let session, let op):
            var overlay = Overlay()
            switch prepare(op, session: session, overlay: &overlay, track: false) {
            case .failure(let error):
                return TxnOutcome(result: .op(.error(error)), events: [])
            case .success(let resolved):
                let result = execute(resolved, zxid: zxid, timeMs: timeMs, events: &events)
                return TxnOutcome(result: .op(result), events: events)
            }

        case .multi(let session, let ops):
            return applyMulti(ops, session: session, zxid: zxid, timeMs: timeMs)
        }
    }

    /// multi (zookeeper.md §3 "multi"): every op is checked against the tree as the earlier ops
    /// leave it. If op k fails nothing changes and the results are `rolledBack` for ops before k,
    /// op k's error, and RuntimeInconsistency for ops after it (observed
    /// `[RolledBack, BadVersion, RuntimeInconsistency]`; DataTree.processTxn). Otherwise all ops
    /// are applied in order under the one zxid and their watches fire in op order.
    private mutating func applyMulti(_ ops: [ZKOp], session: Int64, zxid: Zxid, timeMs: Int64) -> TxnOutcome {
        var overlay = Overlay()
        var resolved: [ResolvedOp] = []
        resolved.reserveCapacity(ops.count)
        for (index, op) in ops.enumerated() {
            switch prepare(op, session: session, overlay: &overlay, track: true) {
            case .success(let r):
                resolved.append(r)
            case .failure(let error):
                var results = [ZKOpResult](repeating: .rolledBack, count: index)
                results.append(.error(error))
                for _ in (index + 1)..<ops.count {
                    results.append(.error(ZKError(code: .runtimeInconsistency, path: nil)))
                }
                return TxnOutcome(result: .multi(results), events: [])
            }
        }
        var events: [WatchEvent] = []
        let results = resolved.map { execute($0, zxid: zxid, timeMs: timeMs, events: &events) }
        return TxnOutcome(result: .multi(results), events: events)
    }

    /// closeSession / expiry (DataTree.killSession): deletes the session's ephemerals in path
    /// order, each firing like a delete, then forgets the session and removes its watches. The
    /// closing session's own watches still fire for these deletions (the server triggers them
    /// before the connection goes); whoever delivers events decides whether a closed session hears
    /// them. Closing an unknown session deletes nothing.
    private mutating func closeSession(_ session: Int64, zxid: Zxid, events: inout [WatchEvent]) -> [String] {
        let doomed = (ephemeralIndex[session] ?? []).sorted(by: javaPrecedes)
        for path in doomed {
            executeDelete(path: path, parent: ZKPath.parent(of: path), name: ZKPath.name(of: path),
                          zxid: zxid, events: &events)
        }
        ephemeralIndex[session] = nil
        sessionTimeouts[session] = nil
        removeWatches(of: session)
        return doomed
    }

    /// Performs an op that passed `prepare`.
    private mutating func execute(_ op: ResolvedOp, zxid: Zxid, timeMs: Int64,
                                  events: inout [WatchEvent]) -> ZKOpResult {
        switch op {
        case .create(let path, let parent, let name, let data, let owner, let isContainer):
            return executeCreate(path: path, parent: parent, name: name, data: data, owner: owner,
                                 isContainer: isContainer, zxid: zxid, timeMs: timeMs, events: &events)
        case .delete(let path, let parent, let name):
            executeDelete(path: path, parent: parent, name: name, zxid: zxid, events: &events)
            return .deleted
        case .setData(let path, let data):
            return executeSetData(path: path, data: data, zxid: zxid, timeMs: timeMs, events: &events)
        case .check:
            return .checked
        }
    }

    /// DataTree.createNode: the new node gets czxid = mzxid = pzxid = zxid, ctime = mtime = time,
    /// versions 0; the parent's child-creation counter +1 and pzxid = zxid, its mzxid and version
    /// untouched. Fires NodeCreated (data manager of the path) then NodeChildrenChanged (child
    /// manager of the parent).
    private mutating func executeCreate(path: String, parent: String, name: String, data: [UInt8]?,
                                        owner: Int64, isContainer: Bool, zxid: Zxid, timeMs: Int64,
                                        events: inout [WatchEvent]) -> ZKOpResult {
        let node = ZNode(data: data ?? [], czxid: zxid, mzxid: zxid, pzxid: zxid, ctime: timeMs, mtime: timeMs,
                         version: 0, childCreations: 0, aversion: 0, ephemeralOwner: owner,
                         isContainer: isContainer, children: [], nullData: data == nil)
        nodes[path] = node
        Self.linkChild(name, into: &nodes[parent], zxid: zxid)
        if owner != 0 { ephemeralIndex[owner, default: []].insert(path) }
        if isContainer { containerPaths.insert(path) }
        if !watchTables.isEmpty {
            Self.appendEvents(triggerDataWatches(path), type: .nodeCreated, path: path, zxid: zxid, to: &events)
            Self.appendEvents(triggerChildWatches(parent), type: .nodeChildrenChanged, path: parent,
                              zxid: zxid, to: &events)
        }
        return .created(path: path, stat: node.stat)
    }

    /// DataTree.deleteNode: removes the node, parent numChildren −1 and pzxid = zxid (its counter
    /// is untouched, so its visible cversion goes up by one). Fires NodeDeleted to the data and
    /// child watchers of the path (one event per session: the child manager is suppressed for
    /// sessions the data manager already notified), then NodeChildrenChanged to the parent's.
    private mutating func executeDelete(path: String, parent: String, name: String, zxid: Zxid,
                                        events: inout [WatchEvent]) {
        guard let removed = nodes.removeValue(forKey: path) else {
            preconditionFailure("delete of \(path) passed its checks but the node is missing")
        }
        Self.unlinkChild(name, from: &nodes[parent], zxid: zxid)
        if removed.ephemeralOwner != 0 {
            ephemeralIndex[removed.ephemeralOwner]?.remove(path)
            if ephemeralIndex[removed.ephemeralOwner]?.isEmpty == true { ephemeralIndex[removed.ephemeralOwner] = nil }
        }
        if removed.isContainer { containerPaths.remove(path) }
        if !watchTables.isEmpty {
            let deletedWatchers = triggerDataWatches(path).union(triggerChildWatches(path))
            Self.appendEvents(deletedWatchers, type: .nodeDeleted, path: path, zxid: zxid, to: &events)
            Self.appendEvents(triggerChildWatches(parent), type: .nodeChildrenChanged, path: parent,
                              zxid: zxid, to: &events)
        }
    }

    /// DataTree.setData: replaces all bytes, version +1 (even for identical bytes), mzxid = zxid,
    /// mtime = time. Fires NodeDataChanged to the path's data watchers (getData and exists).
    private mutating func executeSetData(path: String, data: [UInt8], zxid: Zxid, timeMs: Int64,
                                         events: inout [WatchEvent]) -> ZKOpResult {
        Self.replaceData(data, in: &nodes[path], zxid: zxid, timeMs: timeMs)
        if !watchTables.isEmpty {
            Self.appendEvents(triggerDataWatches(path), type: .nodeDataChanged, path: path, zxid: zxid, to: &events)
        }
        guard let stat = nodes[path]?.stat else {
            preconditionFailure("setData of \(path) passed its checks but the node is missing")
        }
        return .setData(stat: stat)
    }

    // In-place edits through Dictionary's modify accessor, so the child Set is never copied.

    private static func linkChild(_ name: String, into parent: inout ZNode?, zxid: Zxid) {
        precondition(parent != nil, "create passed its checks but the parent is missing")
        parent?.children.insert(name)
        parent?.childCreations &+= 1
        parent?.pzxid = zxid
    }

    private static func unlinkChild(_ name: String, from parent: inout ZNode?, zxid: Zxid) {
        precondition(parent != nil, "delete passed its checks but the parent is missing")
        parent?.children.remove(name)
        parent?.pzxid = zxid
    }

    private static func replaceData(_ data: [UInt8], in node: inout ZNode?, zxid: Zxid, timeMs: Int64) {
        precondition(node != nil, "setData passed its checks but the node is missing")
        node?.data = data
        node?.nullData = false
        node?.version &+= 1
        node?.mzxid = zxid
        node?.mtime = timeMs
    }
}
