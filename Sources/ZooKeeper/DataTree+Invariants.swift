/// Structural invariants of the tree (STYLE.md §2: `checkInvariants()` after every step in tests).
extension DataTree {
    /// Every broken invariant as a sentence; empty when the tree is sound. Checks: the root exists;
    /// every node but the root is listed by its existing parent and every listed child exists (so
    /// numChildren matches the children and no node is orphaned); ephemerals have no children and
    /// belong to an open session; the ephemeral and container indexes match the nodes; pzxid and
    /// mzxid are ≥ czxid; no zxid is beyond lastProcessedZxid; data is within `maxDataBytes`;
    /// watch tables hold no empty sets. O(nodes), no sorting unless something is wrong.
    public func checkInvariants() -> [String] {
        var problems: [String] = []
        if nodes["/"] == nil { problems.append("root / is missing") }
        var listedChildren = 0
        var ephemerals: [Int64: Set<String>] = [:]
        var containers = Set<String>()
        for (path, node) in nodes {
            if path != "/" {
                let parent = ZKPath.parent(of: path)
                if let p = nodes[parent] {
                    if !p.children.contains(ZKPath.name(of: path)) {
                        problems.append("\(path) is not listed among the children of \(parent)")
                    }
                } else {
                    problems.append("\(path) has no parent \(parent)")
                }
            }
            for child in node.children where nodes[ZKPath.join(path, child)] == nil {
                problems.append("\(path) lists child \(child) that does not exist")
            }
            listedChildren += node.children.count
            if node.ephemeralOwner != 0 {
                ephemerals[node.ephemeralOwner, default: []].insert(path)
                if !node.children.isEmpty { problems.append("ephemeral \(path) has children") }
                if sessionTimeouts[node.ephemeralOwner] == nil {
                    problems.append("ephemeral \(path) belongs to session \(ZkCliFormat.hex(node.ephemeralOwner)) that is not open")
                }
                if node.isContainer { problems.append("\(path) is both ephemeral and a container") }
            }
            if node.isContainer { containers.insert(path) }
            if node.pzxid < node.czxid { problems.append("\(path) has pzxid \(node.pzxid) < czxid \(node.czxid)") }
            if node.mzxid < node.czxid { problems.append("\(path) has mzxid \(node.mzxid) < czxid \(node.czxid)") }
            if max(node.czxid, node.mzxid, node.pzxid) > lastProcessedZxid {
                problems.append("\(path) carries a zxid beyond lastProcessedZxid \(lastProcessedZxid)")
            }
            if node.data.count > Self.maxDataBytes { problems.append("\(path) holds more than \(Self.maxDataBytes) bytes") }
        }
        if listedChildren != nodes.count - 1 {
            problems.append("\(nodes.count) nodes but \(listedChildren) child links (expected one per non-root node)")
        }
        if ephemerals != ephemeralIndex { problems.append("ephemeral index does not match the nodes") }
        if containers != containerPaths { problems.append("container index does not match the nodes") }
        for (name, table) in [("data", watchTables.data), ("child", watchTables.child),
                              ("persistent", watchTables.persistent), ("persistentRecursive", watchTables.recursive)]
        where table.values.contains(where: { $0.isEmpty }) {
            problems.append("\(name) watch table holds an empty set")
        }
        return problems.sorted()   // nodes were visited in hash order
    }
}
