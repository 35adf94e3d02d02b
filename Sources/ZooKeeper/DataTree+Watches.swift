/// The watches registered on one server, modelled on ZooKeeper 3.6+'s two WatchManagers
/// (`dataWatches`, `childWatches`) in DataTree (zookeeper.md §3 "Watches"):
/// * `data`: one-shot watches left by getData and exists (exists may leave it on a missing path;
///   it then waits for NodeCreated). They live in the data WatchManager.
/// * `child`: one-shot watches left by getChildren (child WatchManager).
/// * `persistent`: addWatch PERSISTENT, registered in both managers, never removed by firing.
/// * `recursive`: addWatch PERSISTENT_RECURSIVE, registered in the data manager only, so it never
///   sees NodeChildrenChanged; it matches the path and every descendant.
/// Every set is keyed by session id; empty sets are removed so equal watch states look equal.
struct WatchTables: Equatable, Sendable {
    var data: [String: Set<Int64>] = [:]
    var child: [String: Set<Int64>] = [:]
    var persistent: [String: Set<Int64>] = [:]
    var recursive: [String: Set<Int64>] = [:]

    var isEmpty: Bool { data.isEmpty && child.isEmpty && persistent.isEmpty && recursive.isEmpty }
}

extension DataTree {
    /// Registers a persistent watch (`addWatch [-m mode] path`, ZooKeeper 3.6+). The path need not
    /// exist. Persistent watches survive firing and are only removed with the session's watches.
    public mutating func addWatch(_ path: String, mode: AddWatchMode, watcher: Int64) {
        switch mode {
        case .persistent: watchTables.persistent[path, default: []].insert(watcher)
        case .persistentRecursive: watchTables.recursive[path, default: []].insert(watcher)
        }
    }

    /// Removes every watch `watcher` holds on this server, as the server does when the session's
    /// connection closes, the session is closed or expires, or the client moves to another server.
    public mutating func removeWatches(of watcher: Int64) {
        Self.remove(watcher, from: &watchTables.data)
        Self.remove(watcher, from: &watchTables.child)
        Self.remove(watcher, from: &watchTables.persistent)
        Self.remove(watcher, from: &watchTables.recursive)
    }

    /// The watches `watcher` holds here, sorted by path then kind. A one-shot data watch shows as
    /// `exist` while its node is missing (it was left by exists and waits for NodeCreated) and as
    /// `data` otherwise; the server keeps both in one table.
    public func watches(of watcher: Int64) -> [WatchDescription] {
        var out: [WatchDescription] = []
        for (path, set) in watchTables.data where set.contains(watcher) {
            out.append(WatchDescription(path: path, kind: nodes[path] == nil ? "exist" : "data"))
        }
        for (path, set) in watchTables.child where set.contains(watcher) {
            out.append(WatchDescription(path: path, kind: "child"))
        }
        for (path, set) in watchTables.persistent where set.contains(watcher) {
            out.append(WatchDescription(path: path, kind: "persistent"))
        }
        for (path, set) in watchTables.recursive where set.contains(watcher) {
            out.append(WatchDescription(path: path, kind: "persistentRecursive"))
        }
        return out.sorted { a, b in a.path == b.path ? a.kind < b.kind : javaPrecedes(a.path, b.path) }
    }

    /// Sessions holding at least one watch on this server, sorted.
    public var watchers: [Int64] {
        var all = Set<Int64>()
        for table in [watchTables.data, watchTables.child, watchTables.persistent, watchTables.recursive] {
            for set in table.values { all.formUnion(set) }
        }
        return all.sorted()
    }

    // MARK: Registration by reads

    mutating func addDataWatch(_ path: String, watcher: Int64) {
        watchTables.data[path, default: []].insert(watcher)
    }

    mutating func addChildWatch(_ path: String, watcher: Int64) {
        watchTables.child[path, default: []].insert(watcher)
    }

    // MARK: Triggering (WatchManager.triggerWatch)

    /// Fires the data manager for `path`: one-shot data watches on the path (consumed), persistent
    /// watches on the path, and recursive watches on the path or any ancestor. Returns the set of
    /// sessions to notify — one notification per session however many of its watches matched.
    mutating func triggerDataWatches(_ path: String) -> Set<Int64> {
        var fired = watchTables.data.removeValue(forKey: path) ?? []
        if let set = watchTables.persistent[path] { fired.formUnion(set) }
        if !watchTables.recursive.isEmpty {
            var p = path
            while true {
                if let set = watchTables.recursive[p] { fired.formUnion(set) }
                if p == "/" { break }
                p = ZKPath.parent(of: p)
            }
        }
        return fired
    }

    /// Fires the child manager for `path`: one-shot child watches (consumed) and persistent
    /// (non-recursive) watches on exactly that path.
    mutating func triggerChildWatches(_ path: String) -> Set<Int64> {
        var fired = watchTables.child.removeValue(forKey: path) ?? []
        if let set = watchTables.persistent[path] { fired.formUnion(set) }
        return fired
    }

    /// Appends one event per session, sorted by session id (the real server's order is a HashSet's).
    static func appendEvents(_ watchers: Set<Int64>, type: WatchEventType, path: String, zxid: Zxid,
                             to events: inout [WatchEvent]) {
        if watchers.isEmpty { return }
        for w in watchers.sorted() {
            events.append(WatchEvent(watcher: w, type: type, path: path, zxid: zxid))
        }
    }

    private static func remove(_ watcher: Int64, from table: inout [String: Set<Int64>]) {
        let matching = table.compactMap { $0.value.contains(watcher) ? $0.key : nil }
        for key in matching {
            table[key]?.remove(watcher)
            if table[key]?.isEmpty == true { table[key] = nil }
        }
    }
}
