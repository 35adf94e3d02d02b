import WorkbenchKit
import ZooKeeper

/// zkCli's commands with zkCli's syntax and output (ZooKeeper 3.8, zookeeper.md §3), spoken by
/// the current client. Writes go through the ensemble (PROPOSAL → ACK → COMMIT) and the command
/// waits for the answer in simulated time, as zkCli blocks; `--no-wait` sends and returns so
/// `step` can follow the request. Reads are answered by the client's own server, stale or not.
///
/// A server's refusal (NodeExists, BadVersion, …) is printed the way zkCli prints it and is not an
/// error of the workbench: the failed request still consumed a zxid, so the state did change.
enum ZooKeeperCommands {
    static var all: [CommandSpec] {
        [create, get, set, stat, ls, delete, deleteall, addWatch, sync, multi, connect, close, sessions, events, last]
    }

    static let asFlag = CommandFlag.option("--as", .text, "The client to speak for (default: the current one).", completions: clientNames)
    static let noWait = CommandFlag.toggle("--no-wait", "Send the request and return; `step` shows it travel.")

    static let clientNames: LiveNames = { session in
        session.topic(ZooKeeperState.self).service?.clients.map(\.name) ?? []
    }

    static let paths: LiveNames = { session in
        guard let service = session.topic(ZooKeeperState.self).service,
              let leader = service.ensemble.leader ?? service.ensemble.servers.first(where: \.alive)?.sid,
              let tree = service.ensemble.state(of: leader) else { return ["/"] }
        return tree.paths()
    }

    // MARK: Writes

    static let create = CommandSpec(
        ["zk", "create"], abstract: "Create a znode: create [-s] [-e] [-c] path [data].",
        discussion: "-s appends the parent's 10-digit sequence number, -e ties the node to the session (it vanishes with it), -c makes a container. Prints `Created <actual path>`.",
        parameters: [.required("path", .text, "Absolute path, e.g. /app.", completions: paths), .optional("data", .text, "The node's data.")],
        flags: [.toggle("-s", "Sequential: append %010d of the parent's child-creation counter."),
                .toggle("-e", "Ephemeral: owned by the session."), .toggle("-c", "Container: removed once its last child goes."),
                asFlag, noWait],
        effect: .mutating, examples: ["zk create /app", "zk create /app/config v1", "zk create -e -s /election/n_ me"]
    ) { inv, session in
        let path = inv.text("path") ?? ""
        let sequential = inv.has("-s")
        try validate(path, sequential: sequential, inv)
        let mode: CreateMode = inv.has("-c") ? .container
            : inv.has("-e") ? (sequential ? .ephemeralSequential : .ephemeral)
            : (sequential ? .persistentSequential : .persistent)
        // No DATA argument: null data, as zkCli sends (its `get` then prints "null").
        let data = try inv.text("data").map { try bytes($0, inv) }
        return try write(session, inv, .op(session: 0, .create(path: path, data: data, mode: mode)), path: path) { result in
            guard case let .op(.created(actual, _)) = result else { return nil }
            return "Created \(actual)"
        }
    }

    static let set = CommandSpec(
        ["zk", "set"], abstract: "Replace a znode's data: set [-s] [-v version] path data.",
        discussion: "With -v the write only applies if the node's dataVersion is that number (BadVersion otherwise); -s prints the new Stat.",
        parameters: [.required("path", .text, "Path.", completions: paths), .required("data", .text, "New data.")],
        flags: [.toggle("-s", "Print the Stat after the change."), .option("-v", .integer(-1...Int64(Int32.max)), "Expected dataVersion."), asFlag, noWait],
        effect: .mutating, examples: ["zk set /app v2", "zk set -v 1 /app v3"]
    ) { inv, session in
        let path = inv.text("path") ?? ""
        try validate(path, sequential: false, inv)
        let data = try bytes(inv.text("data"), inv)
        return try write(session, inv, .op(session: 0, .setData(path: path, data: data, version: Int32(inv.integer("v") ?? -1))), path: path) { result in
            guard case let .op(.setData(stat)) = result else { return nil }
            return inv.has("-s") ? ZkCliFormat.stat(stat).joined(separator: "\n") : ""
        }
    }

    static let delete = CommandSpec(
        ["zk", "delete"], abstract: "Delete a znode without children: delete [-v version] path.",
        discussion: "The version is checked before the children: a wrong -v on a node with children gives BadVersion, a right one NotEmpty.",
        parameters: [.required("path", .text, "Path.", completions: paths)],
        flags: [.option("-v", .integer(-1...Int64(Int32.max)), "Expected dataVersion."), asFlag, noWait],
        effect: .mutating, examples: ["zk delete /app/config", "zk delete -v 2 /app"]
    ) { inv, session in
        let path = inv.text("path") ?? ""
        try validate(path, sequential: false, inv)
        return try write(session, inv, .op(session: 0, .delete(path: path, version: Int32(inv.integer("v") ?? -1))), path: path) { _ in "" }
    }

    static let deleteall = CommandSpec(
        ["zk", "deleteall"], abstract: "Delete a znode and everything under it: deleteall path.",
        discussion: "Like zkCli (ZKUtil.deleteRecursive): the client lists the subtree on its server and deletes it leaves first in multi batches of up to 1000 deletes, so it costs a zxid per batch.",
        parameters: [.required("path", .text, "Path.", completions: paths)],
        flags: [asFlag],
        effect: .mutating, examples: ["zk deleteall /app"]
    ) { inv, session in
        let path = inv.text("path") ?? ""
        try validate(path, sequential: false, inv)
        let client = try currentClient(session, inv)
        let subtree = try ZooKeeperTopic.update(session, inv.line) { service, _ throws(ServiceError) in
            try service.read(client: client) { tree, _ throws(ZKError) in try tree.subtree(path) }
        }
        var lines: [String] = []
        var start = subtree.count
        while start > 0 {
            let batch = subtree[max(0, start - 1000)..<start].reversed().map { ZKOp.delete(path: $0, version: -1) }
            start = max(0, start - 1000)
            let text = try write(session, inv, .multi(session: 0, batch), path: path, record: false) { result in
                guard case let .multi(results) = result else { return nil }
                return results.contains { if case .error = $0 { true } else { false } } ? ZooKeeperViews.multiSummary(results) : ""
            }
            if case let .string(s) = text.value, !s.isEmpty { lines.append(s) }
        }
        return .text(lines.joined(separator: "\n"))
    }

    static let multi = CommandSpec(
        ["zk", "multi"], abstract: "Apply several operations as one transaction, all or nothing (ZooKeeper's multi).",
        discussion: "Each operation is one quoted argument: `create [-e] [-s] path [data]`, `set [-v version] path data`, `delete [-v version] path`, `check -v version path`. The multi is one txn with one zxid. When an op fails nothing changes and zkCli-style results are printed, e.g. [RolledBack, BadVersion, RuntimeInconsistency].",
        parameters: [.rest("ops", "Quoted operations.")],
        flags: [asFlag, noWait],
        effect: .mutating, examples: ["zk multi \"create /lock\" \"set -v 0 /config v2\"", "zk multi \"check -v 3 /config\" \"delete /old\""]
    ) { inv, session in
        // The operations are the positional words: skip the command's own flags (and --as's value).
        var words: [String] = []
        var i = 0
        while i < inv.tokens.count {
            let token = inv.tokens[i]
            if !token.quoted, let flag = inv.spec.flags.first(where: { $0.name == token.text }) {
                i += flag.kind == nil ? 1 : 2
                continue
            }
            words.append(token.text)
            i += 1
        }
        let ops = try words.map { try parseOp($0, inv) }
        guard !ops.isEmpty else { throw WorkbenchError.usage(command: inv.spec.name, problem: "no operations", usage: inv.spec.usage) }
        return try write(session, inv, .multi(session: 0, ops), path: "/") { result in
            guard case let .multi(results) = result else { return nil }
            return ZooKeeperViews.multiSummary(results)
        }
    }

    // MARK: Reads

    static let get = CommandSpec(
        ["zk", "get"], abstract: "Print a znode's data: get [-s] [-w] path.",
        discussion: "-s adds the Stat; -w leaves a one-shot data watch (NodeDataChanged or NodeDeleted fires it once). Answered by the client's own server.",
        parameters: [.required("path", .text, "Path.", completions: paths)],
        flags: [.toggle("-s", "Print the Stat too."), .toggle("-w", "Leave a data watch."), asFlag],
        effect: .mutating, examples: ["zk get /app", "zk get -s -w /app"]
    ) { inv, session in
        let path = inv.text("path") ?? ""
        try validate(path, sequential: false, inv)
        return try read(session, inv, path: path) { (tree: inout DataTree, sid: Int64) throws(ZKError) -> Output in
            let (data, stat) = try tree.getData(path, watcher: inv.has("-w") ? sid : nil)
            let text = tree.hasNullData(path) ? "null" : ZooKeeperViews.dataText(data)
            let lines = [text] + (inv.has("-s") ? ZkCliFormat.stat(stat) : [])
            let dataValue: Value = tree.hasNullData(path) ? .null : .string(text)
            return Output(.object([("path", .string(path)), ("data", dataValue), ("stat", ZooKeeperViews.statValue(stat))])) { _ in
                lines.joined(separator: "\n")
            }
        }
    }

    static let stat = CommandSpec(
        ["zk", "stat"], abstract: "Print a znode's Stat: stat [-w] path.",
        discussion: "The Stat's fields in zkCli's order: cZxid, ctime, mZxid, mtime, pZxid, cversion, dataVersion, aclVersion, ephemeralOwner, dataLength, numChildren. -w leaves an exists watch (it also fires NodeCreated for a missing node).",
        parameters: [.required("path", .text, "Path.", completions: paths)],
        flags: [.toggle("-w", "Leave a watch (exists)."), asFlag],
        effect: .mutating, examples: ["zk stat /app", "zk stat -w /app"]
    ) { inv, session in
        let path = inv.text("path") ?? ""
        try validate(path, sequential: false, inv)
        return try read(session, inv, path: path) { (tree: inout DataTree, sid: Int64) throws(ZKError) -> Output in
            guard let stat = tree.exists(path, watcher: inv.has("-w") ? sid : nil) else {
                // exists() on a missing node is not an error on the server, and with -w it leaves a
                // watch for the node's creation; zkCli still prints "Node does not exist".
                if inv.has("-w") {
                    return Output(.object([("path", .string(path)), ("exists", false)])) { _ in "Node does not exist: \(path)" }
                }
                throw ZKError(code: .noNode, path: path)
            }
            return Output(ZooKeeperViews.statValue(stat)) { _ in ZkCliFormat.stat(stat).joined(separator: "\n") }
        }
    }

    static let ls = CommandSpec(
        ["zk", "ls"], abstract: "List a znode's children: ls [-s] [-w] [-R] path.",
        discussion: "zkCli sorts the names. -s adds the Stat, -w leaves a child watch (NodeChildrenChanged), -R lists the whole subtree, one path per line.",
        parameters: [.required("path", .text, "Path.", completions: paths)],
        flags: [.toggle("-s", "Print the Stat too."), .toggle("-w", "Leave a child watch."), .toggle("-R", "Recursive."), asFlag],
        effect: .mutating, examples: ["zk ls /", "zk ls -R /brokers", "zk ls -w /election"]
    ) { inv, session in
        let path = inv.text("path") ?? ""
        try validate(path, sequential: false, inv)
        return try read(session, inv, path: path) { (tree: inout DataTree, sid: Int64) throws(ZKError) -> Output in
            if inv.has("-R") {
                let all = try tree.subtree(path)
                return Output(.array(all.map(Value.string))) { _ in all.joined(separator: "\n") }
            }
            let (children, stat) = try tree.getChildren(path, watcher: inv.has("-w") ? sid : nil)
            let lines = [ZkCliFormat.children(children)] + (inv.has("-s") ? ZkCliFormat.stat(stat) : [])
            return Output(.object([("path", .string(path)), ("children", .array(children.map(Value.string))), ("stat", ZooKeeperViews.statValue(stat))])) { _ in
                lines.joined(separator: "\n")
            }
        }
    }

    static let addWatch = CommandSpec(
        ["zk", "addWatch"], aliases: [["zk", "addwatch"]], abstract: "Leave a persistent watch: addWatch [-m mode] path.",
        discussion: "PERSISTENT fires for the node (created, changed, deleted) and its children list; PERSISTENT_RECURSIVE (zkCli's default) for the node and every descendant, never NodeChildrenChanged. Neither is removed by firing.",
        parameters: [.required("path", .text, "Path.", completions: paths)],
        flags: [.option("-m", .choice(AddWatchMode.allCases.map(\.rawValue)), "PERSISTENT or PERSISTENT_RECURSIVE (default)."), asFlag],
        effect: .mutating, examples: ["zk addWatch /app", "zk addWatch -m PERSISTENT /brokers/ids"]
    ) { inv, session in
        let path = inv.text("path") ?? ""
        try validate(path, sequential: false, inv)
        let mode = AddWatchMode(rawValue: inv.text("m") ?? "") ?? .persistentRecursive
        return try read(session, inv, path: path) { (tree: inout DataTree, sid: Int64) throws(ZKError) -> Output in
            tree.addWatch(path, mode: mode, watcher: sid)
            return .text("", value: .object([("path", .string(path)), ("mode", .string(mode.rawValue))]))
        }
    }

    static let sync = CommandSpec(
        ["zk", "sync"], abstract: "Make the client's server catch up with the leader: sync path.",
        discussion: "Reads are answered by the server the client is connected to, so a lagging follower returns stale data; sync makes that server apply everything the leader had committed first. (It is not a quorum operation, so even sync + read is not strictly linearizable.)",
        parameters: [.required("path", .text, "Path.", completions: paths)],
        flags: [asFlag, noWait], effect: .mutating, examples: ["zk sync /app"]
    ) { inv, session in
        let path = inv.text("path") ?? ""
        try validate(path, sequential: false, inv)
        let client = try currentClient(session, inv)
        let id = try ZooKeeperTopic.update(session, inv.line) { service, now throws(ServiceError) in try service.sync(path, client: client, nowMs: now) }
        if inv.has("--no-wait") { return .text("sync sent by \(client); `step` to follow it", value: .string("sent")) }
        let before = receivedCount(session, client)
        let reply = try ZooKeeperTopic.awaitReply(session, id, client: client)
        let text = reply.outcome == .synced ? "Sync is OK" : ZooKeeperViews.outcomeText(reply.outcome, path: path)
        return .text(([text] + watchLines(session, client, since: before)).joined(separator: "\n"), value: .string(text))
    }

    // MARK: Sessions

    static let connect = CommandSpec(
        ["zk", "connect"], abstract: "Open a session as a named client and make it current.",
        discussion: "Several clients can hold sessions side by side (e.g. two processes racing for a lock). The server is picked like a client's connect string would, or given with --server; the timeout is negotiated into [2, 20] × tickTime (4 s … 40 s). Naming an existing client just makes it current.",
        parameters: [.optional("name", .text, "Client name (default zkcli).", completions: clientNames)],
        flags: [.option("--server", .integer(1...9), "Server to connect to."), .option("--timeout", .duration, "Session timeout (default 30s, zkCli's)."), noWait],
        effect: .mutating, examples: ["zk connect alice", "zk connect bob --server 2 --timeout 6s"]
    ) { inv, session in
        let name = inv.text("name") ?? ZooKeeperTopic.defaultClient
        let service = try ZooKeeperTopic.service(session)
        if let existing = service.clients.first(where: { $0.name == name }), existing.phase != .closed, existing.phase != .expired {
            try session.updateTopic(ZooKeeperState.self) { $0.current = name }
            return .text("\(name) is now the current client (\(ZooKeeperViews.clientLine(existing)))", value: ZooKeeperViews.clientValue(existing))
        }
        let id = try ZooKeeperTopic.update(session, inv.line) { s, now throws(ServiceError) in
            try s.connect(name, server: inv.int("server"), timeoutMs: inv.durationMs("timeout") ?? 30_000, nowMs: now)
        }
        try session.updateTopic(ZooKeeperState.self) { $0.current = name }
        if inv.has("--no-wait") { return .text("\(name): createSession sent; `step` to follow it", value: .string(name)) }
        let reply = try ZooKeeperTopic.awaitReply(session, id, client: name)
        let client = try ZooKeeperTopic.service(session).client(name)
        guard case .txn = reply.outcome else { return .text("\(name): " + ZooKeeperViews.outcomeText(reply.outcome, path: "/")) }
        return Output(ZooKeeperViews.clientValue(client)) { _ in "\(name) connected: " + ZooKeeperViews.clientLine(client) }
    }

    static let close = CommandSpec(
        ["zk", "close"], abstract: "Close a client's session (a closeSession txn): its ephemerals are deleted.",
        parameters: [.optional("name", .text, "Client (default: the current one).", completions: clientNames)],
        effect: .mutating, examples: ["zk close", "zk close alice"]
    ) { inv, session in
        let state = session.topic(ZooKeeperState.self)
        guard let name = inv.text("name") ?? state.current else {
            throw WorkbenchError.failed(what: "zk close", why: "no client is connected", fix: "`zk sessions` lists them")
        }
        let id = try ZooKeeperTopic.update(session, inv.line) { s, now throws(ServiceError) in try s.close(name, nowMs: now) }
        let before = receivedCount(session, name)
        var deleted: [String] = []
        if let id {
            let reply = try ZooKeeperTopic.awaitReply(session, id, client: name)
            if case let .txn(.sessionClosed(_, gone), zxid) = reply.outcome {
                deleted = gone
                try ZooKeeperTopic.settle(session, zxid: zxid)
            }
        }
        if state.current == name { try session.updateTopic(ZooKeeperState.self) { $0.current = nil } }
        let text = "\(name): session closed" + (deleted.isEmpty ? "" : "; its ephemerals are gone: " + deleted.joined(separator: " "))
        return .text(([text] + watchLines(session, name, since: before)).joined(separator: "\n"), value: .object([("client", .string(name)), ("deletedEphemerals", .array(deleted.map(Value.string)))]))
    }

    static let sessions = CommandSpec(
        ["zk", "sessions"], abstract: "Every client: its session, server, timeout, state, ephemerals and watches.",
        effect: .readOnly, examples: ["zk sessions", "zk sessions --json"]
    ) { _, session in
        let service = try peek(session)
        let current = session.topic(ZooKeeperState.self).current
        let now = session.state.clock.nowMs
        return Output(ZooKeeperViews.sessionsValue(service)) { style in ZooKeeperViews.drawSessions(service, current: current, nowMs: now, style: style) }
    }

    static let events = CommandSpec(
        ["zk", "events"], abstract: "The watch events a client has received, oldest first.",
        parameters: [.optional("name", .text, "Client (default: the current one).", completions: clientNames)],
        effect: .readOnly, examples: ["zk events", "zk events alice", "expect zk events | length == 1"]
    ) { inv, session in
        let service = try peek(session)
        guard let name = inv.text("name") ?? session.topic(ZooKeeperState.self).current else {
            throw WorkbenchError.failed(what: "zk events", why: "no client is connected", fix: "`zk connect NAME`")
        }
        let client = try ZooKeeperErrors.map("zk events") { () throws(ServiceError) in try service.client(name) }
        let value = Value.array(client.events.map(ZooKeeperViews.eventValue))
        return Output(value) { _ in
            client.events.isEmpty ? "\(name) has received no watch events" : client.events.map { ZkCliFormat.event($0.event) }.joined(separator: "\n")
        }
    }

    static let last = CommandSpec(
        ["zk", "last"], abstract: "The last zkCli write's outcome (for `expect`): path, zxid, error.",
        effect: .readOnly, examples: ["zk last", "expect zk last .error == \"NodeExists\""]
    ) { _, session in
        let value = session.topic(ZooKeeperState.self).lastOutcome ?? .null
        return Output(value)
    }

    // MARK: Helpers

    static func peek(_ session: Session) throws -> Service {
        guard let service = session.topic(ZooKeeperState.self).service else {
            throw WorkbenchError.failed(what: "zk", why: "no ensemble is running yet", fix: "any zk command starts one, e.g. `zk status`")
        }
        return service
    }

    static func validate(_ path: String, sequential: Bool, _ inv: Invocation) throws {
        do { try ZKPath.validate(path, sequential: sequential) } catch {
            throw WorkbenchError.failed(what: inv.spec.name, why: error.message, fix: "paths are absolute, like /app/config")
        }
    }

    static func bytes(_ text: String?, _ inv: Invocation) throws -> [UInt8] {
        let data = Array((text ?? "").utf8)
        guard data.count <= DataTree.maxDataBytes else {
            throw WorkbenchError.failed(what: inv.spec.name, why: "the data is \(data.count) bytes; a znode holds at most \(DataTree.maxDataBytes) (jute.maxbuffer)",
                                        fix: "keep znodes small: they hold coordination data, not files")
        }
        return data
    }

    /// The client a command speaks for: --as, else the current one; the first command connects
    /// the default client `zkcli` to s1 (zkCli's `-server` is the first of the connect string).
    static func currentClient(_ session: Session, _ inv: Invocation) throws -> String {
        try ZooKeeperTopic.ensureService(session)
        let state = session.topic(ZooKeeperState.self)
        if let name = inv.text("as") { return name }
        if let current = state.current { return current }
        let service = try ZooKeeperTopic.service(session)
        if let existing = service.clients.first(where: { $0.name == ZooKeeperTopic.defaultClient }),
           existing.phase != .closed, existing.phase != .expired {
            // The current client was closed: zkCli's own client speaks again.
            try session.updateTopic(ZooKeeperState.self) { $0.current = ZooKeeperTopic.defaultClient }
            return ZooKeeperTopic.defaultClient
        }
        // zkCli's -server is the first of the connect string: s1. Just after an election s1 may
        // still be syncing with the leader; give it a moment (a real client would retry).
        if service.ensemble.servers.first?.alive == true, !service.isServing(1) {
            try ZooKeeperTopic.runUntil(session, limitMs: 1_000) { $0.service?.isServing(1) ?? true }
        }
        let server = (1...service.ensemble.size).first(where: try ZooKeeperTopic.service(session).isServing)
        let id = try ZooKeeperTopic.update(session, inv.spec.name) { s, now throws(ServiceError) in
            try s.connect(ZooKeeperTopic.defaultClient, server: server, timeoutMs: 30_000, nowMs: now)
        }
        try session.updateTopic(ZooKeeperState.self) { $0.current = ZooKeeperTopic.defaultClient }
        _ = try ZooKeeperTopic.awaitReply(session, id, client: ZooKeeperTopic.defaultClient)
        return ZooKeeperTopic.defaultClient
    }

    static func receivedCount(_ session: Session, _ client: String) -> [String: Int] {
        Dictionary(uniqueKeysWithValues: (session.topic(ZooKeeperState.self).service?.clients ?? []).map { ($0.name, $0.events.count) })
    }

    /// zkCli prints a watch event as it arrives: `WATCHER::` and the event. Events other clients
    /// received meanwhile are shown with their name.
    static func watchLines(_ session: Session, _ current: String, since before: [String: Int]) -> [String] {
        var lines: [String] = []
        for c in session.topic(ZooKeeperState.self).service?.clients ?? [] {
            let start = min(before[c.name] ?? 0, c.events.count)
            for e in c.events[start...] {
                lines.append(c.name == current ? "\nWATCHER::\n\n" + ZkCliFormat.event(e.event) : "[\(c.name)] " + ZkCliFormat.event(e.event))
            }
        }
        return lines
    }

    static func write(_ session: Session, _ inv: Invocation, _ txn: ZKTxn, path: String, record: Bool = true,
                      render: @escaping (ZKTxnResult) -> String?) throws -> Output {
        let client = try currentClient(session, inv)
        let id = try ZooKeeperTopic.update(session, inv.line) { s, now throws(ServiceError) in
            let c = try s.client(client)
            let bound: ZKTxn
            switch txn {
            case let .op(_, op): bound = .op(session: c.session ?? 0, op)
            case let .multi(_, ops): bound = .multi(session: c.session ?? 0, ops)
            default: bound = txn
            }
            return try s.submit(bound, client: client, nowMs: now)
        }
        if inv.has("--no-wait") {
            return .text("request sent by \(client); `step` to follow it (PROPOSAL, ACK, COMMIT)", value: .string("sent"))
        }
        let before = receivedCount(session, client)
        let reply = try ZooKeeperTopic.awaitReply(session, id, client: client)
        var value: Value
        var text: String
        switch reply.outcome {
        case let .txn(result, zxid):
            let failure = ZooKeeperViews.failure(result)
            if case .multi = result { text = render(result) ?? "" } else { text = failure.map(\.cliMessage) ?? render(result) ?? "" }
            try ZooKeeperTopic.settle(session, zxid: zxid)
            value = .object([("command", .string(inv.line)), ("zxid", .string(zxid.description)),
                             ("error", failure.map { .string($0.code.shortName) } ?? .null), ("result", ZooKeeperViews.resultValue(result))])
        case let outcome:
            text = ZooKeeperViews.outcomeText(outcome, path: path)
            value = .object([("command", .string(inv.line)), ("zxid", .null),
                             ("error", .string(outcome == .connectionLoss ? "ConnectionLoss" : "SessionExpired")), ("result", .null)])
        }
        if record { try session.updateTopic(ZooKeeperState.self) { $0.lastOutcome = value } }
        let lines = [text].filter { !$0.isEmpty } + watchLines(session, client, since: before)
        let shown = lines.joined(separator: "\n")
        return Output(record ? value : .string(text)) { _ in shown }
    }

    static func read(_ session: Session, _ inv: Invocation, path: String,
                     _ body: @escaping (inout DataTree, Int64) throws(ZKError) -> Output) throws -> Output {
        let client = try currentClient(session, inv)
        // A read the server refuses (NoNode) is an error in zkCli's words; nothing changed.
        return try ZooKeeperTopic.update(session, inv.line) { s, _ throws(ServiceError) in
            try s.read(client: client) { tree, sid throws(ZKError) in try body(&tree, sid) }
        }
    }

    /// One operation of `zk multi`, in zkCli's own syntax.
    static func parseOp(_ text: String, _ inv: Invocation) throws -> ZKOp {
        let words = text.split(separator: " ", omittingEmptySubsequences: true).map(String.init)
        func bad(_ why: String) -> WorkbenchError {
            .usage(command: inv.spec.name, problem: "`\(text)`: \(why)", usage: "zk multi \"create [-e] [-s] path [data]\" \"set [-v N] path data\" \"delete [-v N] path\" \"check -v N path\"")
        }
        guard let verb = words.first else { throw bad("empty operation") }
        var flags: Set<String> = []
        var version: Int32 = -1
        var rest: [String] = []
        var i = 1
        while i < words.count {
            let w = words[i]
            if w == "-v" {
                guard i + 1 < words.count, let v = Int32(words[i + 1]) else { throw bad("-v needs a version number") }
                version = v; i += 2; continue
            }
            if ["-e", "-s", "-c"].contains(w) { flags.insert(w); i += 1; continue }
            rest.append(w); i += 1
        }
        guard let path = rest.first else { throw bad("needs a path") }
        do { try ZKPath.validate(path, sequential: flags.contains("-s")) } catch { throw bad(error.message) }
        let data = Array(rest.dropFirst().joined(separator: " ").utf8)
        switch verb {
        case "create":
            let s = flags.contains("-s"), e = flags.contains("-e")
            return .create(path: path, data: rest.count > 1 ? data : nil, mode: e ? (s ? .ephemeralSequential : .ephemeral) : (s ? .persistentSequential : .persistent))
        case "set", "setData":
            guard rest.count >= 2 else { throw bad("set needs a path and data") }
            return .setData(path: path, data: data, version: version)
        case "delete": return .delete(path: path, version: version)
        case "check":
            guard version >= 0 else { throw bad("check needs -v VERSION") }
            return .check(path: path, version: version)
        default: throw bad("unknown operation `\(verb)` (create, set, delete, check)")
        }
    }
}
