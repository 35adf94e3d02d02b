/// What clients need of a server's tree beyond single reads: a subtree listing (zkCli `ls -R`,
/// `deleteall`) and setting a moved session's watches again (the client's SetWatches on reconnect).
extension DataTree {
    /// Every path at and below `path`, breadth first with siblings sorted, as ZKUtil.listSubTreeBFS
    /// lists them for zkCli's `ls -R` and `deleteall`. NoNode if `path` is missing.
    public func subtree(_ path: String) throws(ZKError) -> [String] {
        guard contains(path) else { throw ZKError(code: .noNode, path: path) }
        var queue = [path]
        var index = 0
        while index < queue.count {
            let current = queue[index]
            index += 1
            for child in children(of: current) ?? [] { queue.append(ZKPath.join(current, child)) }
        }
        return queue
    }

    /// Sets a watch described by `watches(of:)` again for `watcher` (ClientCnxn re-sends its watches
    /// with SetWatches when it reconnects to another server).
    public mutating func reRegister(_ watch: WatchDescription, watcher: Int64) {
        switch watch.kind {
        case "child":
            if contains(watch.path) { _ = try? getChildren(watch.path, watcher: watcher) }
        case "persistent":
            addWatch(watch.path, mode: .persistent, watcher: watcher)
        case "persistentRecursive":
            addWatch(watch.path, mode: .persistentRecursive, watcher: watcher)
        default:
            _ = exists(watch.path, watcher: watcher)
        }
    }
}
