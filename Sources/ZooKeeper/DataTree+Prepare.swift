/// The checks a write goes through before it changes anything, in PrepRequestProcessor's order
/// (zookeeper.md §3 "Operations, checks and their order"). A multi is checked op by op against
/// the tree *as the earlier ops would leave it* (the leader's outstanding ChangeRecords), kept in
/// a small overlay so nothing is copied and nothing changes unless every op passes.
extension DataTree {
    /// What validation needs to know of a node (a ChangeRecord).
    struct PendingNode {
        var version: Int32
        var childCreations: Int32
        var childCount: Int
        var ephemeralOwner: Int64
    }

    /// Nodes changed by the earlier ops of a multi that is being checked.
    struct Overlay {
        enum Entry {
            case present(PendingNode)
            case deleted
        }
        var entries: [String: Entry] = [:]
    }

    /// An op that passed every check, with everything execution needs resolved (the real name of
    /// a sequential node, the parent and the owner).
    enum ResolvedOp {
        case create(path: String, parent: String, name: String, data: [UInt8]?, ephemeralOwner: Int64, isContainer: Bool)
        case delete(path: String, parent: String, name: String)
        case setData(path: String, data: [UInt8])
        case check
    }

    func lookup(_ path: String, in overlay: Overlay) -> PendingNode? {
        if !overlay.entries.isEmpty, let entry = overlay.entries[path] {
            switch entry {
            case .present(let pending): return pending
            case .deleted: return nil
            }
        }
        guard let node = nodes[path] else { return nil }
        return PendingNode(version: node.version, childCreations: node.childCreations,
                           childCount: node.children.count, ephemeralOwner: node.ephemeralOwner)
    }

    /// Checks one op. With `track`, records its effect in `overlay` for the ops after it.
    func prepare(_ op: ZKOp, session: Int64, overlay: inout Overlay, track: Bool) -> Result<ResolvedOp, ZKError> {
        switch op {
        case .create(let path, let data, let mode):
            return prepareCreate(path: path, data: data, mode: mode, session: session, overlay: &overlay, track: track)
        case .delete(let path, let version):
            return prepareDelete(path: path, version: version, overlay: &overlay, track: track)
        case .setData(let path, let data, let version):
            // Request size (jute.maxbuffer), validatePath, node, version: PrepRequestProcessor setData.
            if data.count > Self.maxDataBytes { return .failure(ZKError(code: .badArguments, path: path)) }
            if !ZKPath.isValid(path) { return .failure(ZKError(code: .badArguments, path: path)) }
            guard var node = lookup(path, in: overlay) else { return .failure(ZKError(code: .noNode, path: path)) }
            if version != -1 && version != node.version { return .failure(ZKError(code: .badVersion, path: path)) }
            if track {
                node.version &+= 1
                overlay.entries[path] = .present(node)
            }
            return .success(.setData(path: path, data: data))
        case .check(let path, let version):
            // validatePath, node, version: PrepRequestProcessor check.
            if !ZKPath.isValid(path) { return .failure(ZKError(code: .badArguments, path: path)) }
            guard let node = lookup(path, in: overlay) else { return .failure(ZKError(code: .noNode, path: path)) }
            if version != -1 && version != node.version { return .failure(ZKError(code: .badVersion, path: path)) }
            return .success(.check)
        }
    }

    /// create, in PrepRequestProcessor's order:
    /// 1. data over `maxDataBytes` → BadArguments (stands in for the jute.maxbuffer limit);
    /// 2. ephemeral by a session this tree does not know, or by session 0 (0 means "no owner" in
    ///    Stat.ephemeralOwner; real session ids are never 0) → SessionExpired (the leader's
    ///    checkGlobalSession; keeps "every ephemeral's owner is an open session" true);
    /// 3. no `/` or a NUL in the path → BadArguments (validatePathForCreate);
    /// 4. parent missing → NoNode;
    /// 5. sequential: append the parent's child-creation counter as Java's `%010d`;
    /// 6. the final path fails PathUtils.validatePath → BadArguments;
    /// 7. name exists → NodeExists;
    /// 8. parent is ephemeral → NoChildrenForEphemerals (so NodeExists wins over it).
    /// Every error carries the path the client asked for, as the Java client reports it.
    private func prepareCreate(path: String, data: [UInt8]?, mode: CreateMode, session: Int64,
                               overlay: inout Overlay, track: Bool) -> Result<ResolvedOp, ZKError> {
        let fail = { (code: ZKErrorCode) in Result<ResolvedOp, ZKError>.failure(ZKError(code: code, path: path)) }
        if (data?.count ?? 0) > Self.maxDataBytes { return fail(.badArguments) }
        if mode.isEphemeral && (session == 0 || sessionTimeouts[session] == nil) { return fail(.sessionExpired) }
        guard path.utf8.contains(UInt8(ascii: "/")), !path.utf8.contains(0) else { return fail(.badArguments) }
        let parentPath = ZKPath.parent(of: path)
        guard var parent = lookup(parentPath, in: overlay) else { return fail(.noNode) }
        let finalPath = mode.isSequential ? path + Self.sequenceSuffix(parent.childCreations) : path
        if !ZKPath.isValid(finalPath) { return fail(.badArguments) }
        if lookup(finalPath, in: overlay) != nil { return fail(.nodeExists) }
        if parent.ephemeralOwner != 0 { return fail(.noChildrenForEphemerals) }
        let owner = mode.isEphemeral ? session : 0
        if track {
            parent.childCreations &+= 1
            parent.childCount += 1
            overlay.entries[parentPath] = .present(parent)
            overlay.entries[finalPath] = .present(
                PendingNode(version: 0, childCreations: 0, childCount: 0, ephemeralOwner: owner))
        }
        return .success(.create(path: finalPath, parent: parentPath, name: ZKPath.name(of: finalPath),
                                data: data, ephemeralOwner: owner, isContainer: mode.isContainer))
    }

    /// delete, in PrepRequestProcessor's order: no `/`, a NUL, or a special path (`/`,
    /// `/zookeeper`, `/zookeeper/config`, `/zookeeper/quota`) → BadArguments; parent missing →
    /// NoNode; node missing → NoNode; version != -1 and != current → BadVersion; children → NotEmpty.
    /// The version check comes before the children check (zookeeper.md §3).
    private func prepareDelete(path: String, version: Int32, overlay: inout Overlay,
                               track: Bool) -> Result<ResolvedOp, ZKError> {
        let fail = { (code: ZKErrorCode) in Result<ResolvedOp, ZKError>.failure(ZKError(code: code, path: path)) }
        guard path.utf8.contains(UInt8(ascii: "/")), !path.utf8.contains(0),
              !Self.specialPaths.contains(path) else { return fail(.badArguments) }
        let parentPath = ZKPath.parent(of: path)
        guard var parent = lookup(parentPath, in: overlay) else { return fail(.noNode) }
        guard let node = lookup(path, in: overlay) else { return fail(.noNode) }
        if version != -1 && version != node.version { return fail(.badVersion) }
        if node.childCount > 0 { return fail(.notEmpty) }
        if track {
            parent.childCount -= 1
            overlay.entries[parentPath] = .present(parent)
            overlay.entries[path] = .deleted
        }
        return .success(.delete(path: path, parent: parentPath, name: ZKPath.name(of: path)))
    }

    /// Java's `String.format("%010d", n)` for an int: zero-padded to 10 characters including the
    /// sign, so 4 → `0000000004`, -5 → `-000000005`, Int32.min → `-2147483648`.
    static func sequenceSuffix(_ n: Int32) -> String {
        let magnitude = String(Int64(n).magnitude)
        let sign = n < 0 ? "-" : ""
        let width = 10 - sign.count
        let pad = magnitude.count < width ? String(repeating: "0", count: width - magnitude.count) : ""
        return sign + pad + magnitude
    }
}
