/// Snapshot encoding (the role of ZooKeeper's snapshot file). Everything is written as arrays in
/// sorted order, so encoding the same tree twice gives the same bytes whatever Swift's per-process
/// hash seed is. Child lists and the ephemeral/container indexes are not stored: decoding rebuilds
/// them from the paths and rejects a snapshot whose nodes do not form a tree.
extension DataTree {
    private enum CodingKeys: String, CodingKey {
        case lastProcessedZxid, nodes, sessions, watches
    }

    private struct NodeRecord: Codable {
        var path: String
        var data: [UInt8]
        var czxid: Zxid
        var mzxid: Zxid
        var pzxid: Zxid
        var ctime: Int64
        var mtime: Int64
        var version: Int32
        var childCreations: Int32
        var aversion: Int32
        var ephemeralOwner: Int64
        var isContainer: Bool
        /// Present (true) only for a node created without data.
        var nullData: Bool?
    }

    private struct WatchRecord: Codable {
        /// `data`, `child`, `persistent` or `persistentRecursive` (the table, not the displayed kind).
        var table: String
        var path: String
        var watcher: Int64
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(lastProcessedZxid, forKey: .lastProcessedZxid)
        let records = paths().compactMap { path -> NodeRecord? in
            guard let n = nodes[path] else { return nil }
            return NodeRecord(path: path, data: n.data, czxid: n.czxid, mzxid: n.mzxid, pzxid: n.pzxid,
                              ctime: n.ctime, mtime: n.mtime, version: n.version,
                              childCreations: n.childCreations, aversion: n.aversion,
                              ephemeralOwner: n.ephemeralOwner, isContainer: n.isContainer,
                              nullData: n.nullData ? true : nil)
        }
        try c.encode(records, forKey: .nodes)
        try c.encode(sessions, forKey: .sessions)
        var watches: [WatchRecord] = []
        for (name, table) in [("data", watchTables.data), ("child", watchTables.child),
                              ("persistent", watchTables.persistent), ("persistentRecursive", watchTables.recursive)] {
            for (path, set) in table {
                for w in set { watches.append(WatchRecord(table: name, path: path, watcher: w)) }
            }
        }
        watches.sort { a, b in
            if a.table != b.table { return a.table < b.table }
            if a.path != b.path { return javaPrecedes(a.path, b.path) }
            return a.watcher < b.watcher
        }
        try c.encode(watches, forKey: .watches)
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init()
        nodes = [:]
        lastProcessedZxid = try c.decode(Zxid.self, forKey: .lastProcessedZxid)
        let records = try c.decode([NodeRecord].self, forKey: .nodes)
        func corrupt(_ why: String) -> DecodingError {
            DecodingError.dataCorruptedError(forKey: .nodes, in: c, debugDescription: why)
        }
        for r in records {
            if r.path != "/" && !ZKPath.isValid(r.path) { throw corrupt("invalid path \(r.path)") }
            if nodes[r.path] != nil { throw corrupt("duplicate path \(r.path)") }
            nodes[r.path] = ZNode(data: r.data, czxid: r.czxid, mzxid: r.mzxid, pzxid: r.pzxid, ctime: r.ctime,
                                  mtime: r.mtime, version: r.version, childCreations: r.childCreations,
                                  aversion: r.aversion, ephemeralOwner: r.ephemeralOwner,
                                  isContainer: r.isContainer, children: [], nullData: r.nullData ?? false)
            if r.ephemeralOwner != 0 { ephemeralIndex[r.ephemeralOwner, default: []].insert(r.path) }
            if r.isContainer { containerPaths.insert(r.path) }
        }
        if nodes["/"] == nil { throw corrupt("no root node") }
        for r in records where r.path != "/" {
            let parent = ZKPath.parent(of: r.path)
            if nodes[parent] == nil { throw corrupt("\(r.path) has no parent") }
            nodes[parent]?.children.insert(ZKPath.name(of: r.path))
        }
        for s in try c.decode([SessionRecord].self, forKey: .sessions) {
            sessionTimeouts[s.id] = s.timeoutMs
        }
        for w in try c.decode([WatchRecord].self, forKey: .watches) {
            switch w.table {
            case "data": watchTables.data[w.path, default: []].insert(w.watcher)
            case "child": watchTables.child[w.path, default: []].insert(w.watcher)
            case "persistent": watchTables.persistent[w.path, default: []].insert(w.watcher)
            case "persistentRecursive": watchTables.recursive[w.path, default: []].insert(w.watcher)
            default:
                throw DecodingError.dataCorruptedError(forKey: .watches, in: c,
                                                       debugDescription: "unknown watch table \(w.table)")
            }
        }
    }
}
