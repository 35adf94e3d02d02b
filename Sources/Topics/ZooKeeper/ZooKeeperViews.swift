import WorkbenchKit
import ZooKeeper

/// Values (for --json and expect) and drawings of the ZooKeeper state, made from the same facts.
enum ZooKeeperViews {
    static func hex(_ id: Int64) -> String { "0x" + String(UInt64(bitPattern: id), radix: 16) }

    /// zkCli prints data as UTF-8 text.
    static func dataText(_ data: [UInt8]) -> String { String(decoding: data, as: UTF8.self) }

    static func statValue(_ s: Stat) -> Value {
        .object([("cZxid", .string(s.czxid.description)), ("ctime", .int(s.ctime)), ("mZxid", .string(s.mzxid.description)),
                 ("mtime", .int(s.mtime)), ("pZxid", .string(s.pzxid.description)), ("cversion", .int(Int64(s.cversion))),
                 ("dataVersion", .int(Int64(s.version))), ("aclVersion", .int(Int64(s.aversion))),
                 ("ephemeralOwner", .string(hex(s.ephemeralOwner))), ("dataLength", .int(Int64(s.dataLength))),
                 ("numChildren", .int(Int64(s.numChildren)))])
    }

    // MARK: Results

    static func failure(_ result: ZKTxnResult) -> ZKError? {
        switch result {
        case let .op(.error(e)): return e
        case let .multi(results):
            for r in results { if case let .error(e) = r, e.code != .runtimeInconsistency { return e } }
            return nil
        default: return nil
        }
    }

    static func opValue(_ r: ZKOpResult) -> Value {
        switch r {
        case let .created(path, stat): return .object([("created", .string(path)), ("stat", statValue(stat))])
        case .deleted: return .object([("deleted", true)])
        case let .setData(stat): return .object([("stat", statValue(stat))])
        case .checked: return .object([("checked", true)])
        case let .error(e): return .object([("error", .string(e.code.shortName)), ("code", .int(Int64(e.code.rawValue))), ("path", Value(e.path))])
        case .rolledBack: return .object([("error", "RolledBack")])
        }
    }

    static func resultValue(_ r: ZKTxnResult) -> Value {
        switch r {
        case let .sessionCreated(s): return .object([("sessionCreated", .string(hex(s)))])
        case let .sessionClosed(s, deleted): return .object([("sessionClosed", .string(hex(s))), ("deletedEphemerals", .array(deleted.map(Value.string)))])
        case let .op(op): return opValue(op)
        case let .multi(ops): return .array(ops.map(opValue))
        }
    }

    /// A multi's results as zkCli-style names: `[RolledBack, BadVersion, RuntimeInconsistency]`
    /// on failure; on success what each op did.
    static func multiSummary(_ results: [ZKOpResult]) -> String {
        if results.contains(where: { $0.errorName != nil }) {
            return "[" + results.map { $0.errorName ?? "OK" }.joined(separator: ", ") + "]"
        }
        return results.map { r -> String in
            switch r {
            case let .created(path, _): "Created \(path)"
            case .deleted: "deleted"
            case let .setData(stat): "set (dataVersion \(stat.version))"
            case .checked: "checked"
            default: ""
            }
        }.joined(separator: "\n")
    }

    static func outcomeText(_ outcome: Reply.Outcome, path: String) -> String {
        switch outcome {
        case .txn, .synced: return ""
        case .connectionLoss: return "KeeperErrorCode = ConnectionLoss for \(path)"
        case .sessionExpired: return "KeeperErrorCode = Session expired for \(path)"
        }
    }

    // MARK: Clients

    static func clientLine(_ c: Client) -> String {
        let server = c.server.map { "s\($0)" } ?? "no server"
        let session = c.session.map(hex) ?? "no session yet"
        return "session \(session) on \(server), timeout \(c.timeoutMs) ms, \(c.phase.rawValue)" + (c.frozen ? " (frozen)" : "")
    }

    static func clientValue(_ c: Client) -> Value {
        .object([("name", .string(c.name)), ("session", c.session.map { .string(hex($0)) } ?? .null),
                 ("server", c.server.map(Value.init) ?? .null), ("timeoutMs", .int(c.timeoutMs)),
                 ("state", .string(c.phase.rawValue)), ("frozen", .bool(c.frozen)), ("lastZxidSeen", .string(c.lastZxidSeen.description)),
                 ("pending", Value(c.pending.count)), ("events", Value(c.events.count))])
    }

    static func sessionsValue(_ service: Service) -> Value {
        .array(service.clients.map { c in
            var value = clientValue(c)
            if case var .object(pairs) = value {
                let tree = service.ensemble.leader.flatMap { service.ensemble.state(of: $0) }
                let ephemerals = c.session.map { s in tree?.ephemerals(of: s) ?? [] } ?? []
                let watches = c.session.flatMap { s in c.server.flatMap { service.ensemble.state(of: $0)?.watches(of: s) } } ?? []
                pairs.append(("ephemerals", .array(ephemerals.map(Value.string))))
                pairs.append(("watches", .array(watches.map { .string("\($0.kind) \($0.path)") })))
                if let silence = service.silences.first(where: { $0.session == c.session }) {
                    pairs.append(("expiresAtMs", .int(silence.expiresAtMs)))
                }
                value = .object(pairs)
            }
            return value
        })
    }

    static func drawSessions(_ service: Service, current: String?, nowMs: Int64, style: Style) -> String {
        guard !service.clients.isEmpty else { return "no clients yet: `zk connect NAME`, or any zkCli command connects `zkcli`" }
        let tree = service.ensemble.leader.flatMap { service.ensemble.state(of: $0) }
        let rows = service.clients.map { c -> [String] in
            let ephemerals = c.session.map { s in tree?.ephemerals(of: s) ?? [] } ?? []
            let watches = c.session.flatMap { s in c.server.flatMap { service.ensemble.state(of: $0)?.watches(of: s) } } ?? []
            var state = c.phase.rawValue + (c.frozen ? " frozen" : "")
            if let silence = service.silences.first(where: { $0.session == c.session }) {
                let left = Double(max(0, silence.expiresAtMs - nowMs)) / 1000
                state += ", silent for \(Double(nowMs - silence.sinceMs) / 1000) s, expires in \(left) s"
            }
            return [(c.name == current ? "* " : "  ") + c.name, c.session.map(hex) ?? "-", c.server.map { "s\($0)" } ?? "-",
                    "\(c.timeoutMs)", state, ephemerals.isEmpty ? "-" : ephemerals.joined(separator: " "),
                    watches.isEmpty ? "-" : watches.map { "\($0.kind) \($0.path)" }.joined(separator: ", ")]
        }
        return Table(headers: ["client", "session", "server", "timeout ms", "state", "ephemerals", "watches"], rows: rows).render(style: style)
    }

    static func eventValue(_ e: ReceivedEvent) -> Value {
        .object([("type", .string(e.event.type.rawValue)), ("path", .string(e.event.path)), ("zxid", .string(e.event.zxid.description)),
                 ("server", Value(e.server)), ("timeMs", .int(e.timeMs))])
    }

    // MARK: The tree

    static func treeValue(_ tree: DataTree, root: String) -> Value {
        func node(_ path: String) -> Value {
            let stat = tree.stat(path)
            let children = tree.children(of: path) ?? []
            return .object([("path", .string(path)), ("data", .string(dataText(tree.data(path) ?? []))),
                            ("stat", stat.map(statValue) ?? .null),
                            ("children", .array(children.map { node(ZKPath.join(path, $0)) }))])
        }
        return node(root)
    }

    static func drawTree(_ tree: DataTree, root: String, style: Style) -> String {
        var lines: [String] = []
        func label(_ path: String, name: String) -> String {
            var text = name
            if let data = tree.data(path), !data.isEmpty {
                var shown = dataText(data)
                if shown.count > 48 { shown = String(shown.prefix(45)) + "…" }
                text += " = " + style.cyan("\"\(shown)\"")
            }
            if let stat = tree.stat(path) {
                var marks = ["v\(stat.version)", "czxid \(stat.czxid)"]
                if stat.ephemeralOwner != 0 { marks.insert(style.yellow("ephemeral of \(hex(stat.ephemeralOwner))"), at: 0) }
                text += " " + style.dim("(" + marks.joined(separator: ", ") + ")")
            }
            return text
        }
        func walk(_ path: String, prefix: String) {
            let children = tree.children(of: path) ?? []
            for (i, child) in children.enumerated() {
                let last = i == children.count - 1
                let childPath = ZKPath.join(path, child)
                lines.append(prefix + (last ? "└── " : "├── ") + label(childPath, name: child))
                walk(childPath, prefix: prefix + (last ? "    " : "│   "))
            }
        }
        lines.append(label(root, name: root))
        walk(root, prefix: "")
        return lines.joined(separator: "\n")
    }

    static func nodeValue(_ tree: DataTree, path: String, server: Int) -> Value {
        guard let stat = tree.stat(path) else {
            return .object([("path", .string(path)), ("server", Value(server)), ("exists", false)])
        }
        return .object([("path", .string(path)), ("server", Value(server)), ("exists", true),
                        ("data", tree.hasNullData(path) ? .null : .string(dataText(tree.data(path) ?? []))), ("stat", statValue(stat)),
                        ("children", .array((tree.children(of: path) ?? []).map(Value.string)))])
    }

    static func drawNode(_ tree: DataTree, path: String, server: Int, style: Style) -> String {
        guard let stat = tree.stat(path) else { return "s\(server): Node does not exist: \(path)" }
        let data = tree.hasNullData(path) ? "null" : dataText(tree.data(path) ?? [])
        return (["s\(server): \(path)", data] + ZkCliFormat.stat(stat)).joined(separator: "\n")
    }

}
