import WorkbenchKit
import ZooKeeper

/// The ensemble as an operator and a teacher see it: servers, votes, messages, faults.
enum ZooKeeperEnsembleCommands {
    static var all: [CommandSpec] {
        [ensembleNew, status, server, quorum, tree, node, messages, timeline, invariants,
         kill, restart, freeze, thaw, partition, heal, drop, dropClear, latency, loss, clientFreeze, clientThaw]
    }

    static let serverIDs: LiveNames = { session in
        (1...(session.topic(ZooKeeperState.self).service?.ensemble.size ?? 3)).map(String.init)
    }
    static let sidParameter = Parameter.required("server", .integer(1...9), "Server id (sid), from 1.", completions: serverIDs)

    static let ensembleNew = CommandSpec(
        ["zk", "ensemble", "new"], abstract: "Start a fresh ensemble of N servers (default 3); all begin LOOKING.",
        discussion: "Every server starts with an empty data directory and votes for itself (round 1). Without --step the election runs to the end (about 0.2 s: the finalize wait); with --step nothing has happened yet, so `step` shows each notification. Even sizes are allowed: 4 servers need 3 for a quorum, so they tolerate one failure, like 3.",
        flags: [.option("--servers", .integer(1...9), "How many servers (1-9)."), .toggle("--step", "Leave the election for `step`.")],
        effect: .mutating, examples: ["zk ensemble new", "zk ensemble new --servers 5 --step"]
    ) { inv, session in
        let n = inv.int("servers") ?? 3
        try ZooKeeperTopic.newEnsemble(session, servers: n, settle: !inv.has("--step"))
        let service = try ZooKeeperTopic.service(session)
        let text = inv.has("--step")
            ? "\(n) servers started, all LOOKING with a vote for themselves; `step` delivers the first notification"
            : ZooKeeperViews.leaderLine(service)
        return Output(ZooKeeperViews.statusValue(service)) { style in text + "\n" + ZooKeeperViews.drawStatus(service, style: style) }
    }

    static let status = CommandSpec(
        ["zk", "status"], abstract: "Every server: role, epochs, last zxid, its vote and the votes it holds.",
        discussion: "round is FastLeaderElection's logicalclock (counts elections on that server); epoch is the ZAB epoch (the high 32 bits of the zxids its leader issues). Votes are (leader, zxid, peerEpoch) and order by peerEpoch, then zxid, then sid.",
        effect: .readOnly, examples: ["zk status", "expect zk status .leader == 3"]
    ) { _, session in
        guard let service = session.topic(ZooKeeperState.self).service else { return noEnsemble() }
        return Output(ZooKeeperViews.statusValue(service)) { style in ZooKeeperViews.leaderLine(service) + "\n" + ZooKeeperViews.drawStatus(service, style: style) }
    }

    static let server = CommandSpec(
        ["zk", "server"], abstract: "One server in detail: its log, snapshot, committed-log window and the votes it holds.",
        parameters: [sidParameter], effect: .readOnly, examples: ["zk server 1"]
    ) { inv, session in
        guard let service = session.topic(ZooKeeperState.self).service else { return noEnsemble() }
        let sid = inv.int("server") ?? 1
        guard sid <= service.ensemble.size else { throw unknownServer(sid, service, inv) }
        return Output(ZooKeeperViews.serverValue(service, sid)) { style in ZooKeeperViews.drawServer(service, sid, style: style) }
    }

    static let quorum = CommandSpec(
        ["zk", "quorum"], abstract: "Quorum arithmetic: how many servers a write needs and how many may fail, for this ensemble and for 1-7.",
        effect: .readOnly, examples: ["zk quorum"]
    ) { _, session in
        let n = session.topic(ZooKeeperState.self).service?.ensemble.size
        return Output(ZooKeeperViews.quorumValue(current: n)) { style in ZooKeeperViews.drawQuorum(current: n, style: style) }
    }

    static let tree = CommandSpec(
        ["zk", "tree"], abstract: "The znode tree as a tree, from one server's copy (default: the leader's).",
        discussion: "Each node shows its data and marks: (e) ephemeral with its owner, the dataVersion v and the cZxid. Compare `--server 1` with `--server 3` to see a follower's stale copy.",
        parameters: [.optional("path", .text, "Subtree root (default /).", completions: ZooKeeperCommands.paths)],
        flags: [.option("--server", .integer(1...9), "Whose copy.", completions: serverIDs)],
        effect: .readOnly, examples: ["zk tree", "zk tree /brokers", "zk tree --server 1"]
    ) { inv, session in
        guard let service = session.topic(ZooKeeperState.self).service else { return noEnsemble() }
        let (sid, tree) = try copy(service, inv)
        let root = inv.text("path") ?? "/"
        guard tree.stat(root) != nil else { throw WorkbenchError.failed(what: "zk tree", why: "Node does not exist: \(root)", fix: "`zk tree` shows everything") }
        return Output(ZooKeeperViews.treeValue(tree, root: root)) { style in
            "s\(sid)'s copy (last zxid \(tree.lastProcessedZxid))\n" + ZooKeeperViews.drawTree(tree, root: root, style: style)
        }
    }

    static let node = CommandSpec(
        ["zk", "node"], abstract: "One znode as a server holds it: data, Stat and children (read-only; no client, no watch).",
        discussion: "For checks: `expect zk node /app .stat.dataVersion == 2`. Missing nodes give `exists: false`.",
        parameters: [.required("path", .text, "Path.", completions: ZooKeeperCommands.paths)],
        flags: [.option("--server", .integer(1...9), "Whose copy (default: the leader's).", completions: serverIDs)],
        effect: .readOnly, examples: ["zk node /app", "zk node /app --server 1", "expect zk node /app .stat.dataVersion == 2"]
    ) { inv, session in
        guard let service = session.topic(ZooKeeperState.self).service else { return noEnsemble() }
        let (sid, tree) = try copy(service, inv)
        let path = inv.text("path") ?? "/"
        let value = ZooKeeperViews.nodeValue(tree, path: path, server: sid)
        return Output(value) { style in ZooKeeperViews.drawNode(tree, path: path, server: sid, style: style) }
    }

    static let messages = CommandSpec(
        ["zk", "messages"], abstract: "Messages in flight between servers, in delivery order.",
        effect: .readOnly, examples: ["zk messages", "expect zk messages | length == 0"]
    ) { _, session in
        guard let service = session.topic(ZooKeeperState.self).service else { return noEnsemble() }
        let inFlight = service.ensemble.inFlight
        return Output(.array(inFlight.map(ZooKeeperViews.messageValue))) { style in
            inFlight.isEmpty ? "no messages in flight" : Table(headers: ["due", "message"], rows: inFlight.map { m in
                [UTCDate.string(ms: m.deliverMs), m.summary]
            }).render(style: style)
        }
    }

    static let timeline = CommandSpec(
        ["zk", "timeline"], abstract: "A message sequence diagram of the last messages: one column per server.",
        discussion: "Time runs down; an arrow goes from sender to receiver, labelled with the message; ✗ marks a dropped one. Filter with --type (e.g. NOTIFICATION, PROPOSAL).",
        flags: [.option("--last", .integer(1...5000), "How many messages (default 30)."),
                .option("--type", .text, "Only this message type.")],
        effect: .readOnly, examples: ["zk timeline", "zk timeline --last 60 --type NOTIFICATION"]
    ) { inv, session in
        guard let service = session.topic(ZooKeeperState.self).service else { return noEnsemble() }
        var records = service.ensemble.history
        if let type = inv.text("type")?.uppercased() {
            guard MessageType(rawValue: type) != nil else {
                throw WorkbenchError.usage(command: inv.spec.name, problem: "no message type `\(type)`; types: " + MessageType.allCases.map(\.rawValue).joined(separator: ", "), usage: inv.spec.usage)
            }
            records = records.filter { r in
                switch r.event {
                case let .delivered(d), let .dropped(d, _): d.type.rawValue == type
                case .decision: false
                }
            }
        }
        let shown = Array(records.suffix(inv.int("last") ?? 30))
        return Output(.array(shown.map(ZooKeeperViews.recordValue))) { style in ZooKeeperViews.drawTimeline(shown, size: service.ensemble.size, style: style) }
    }

    static let invariants = CommandSpec(
        ["zk", "invariants"], abstract: "Check the rules ZAB and the data tree promise: one leader per epoch, agreeing histories, committed writes kept, a consistent tree on every server.",
        effect: .readOnly, examples: ["zk invariants", "expect zk invariants | length == 0"]
    ) { _, session in
        guard let service = session.topic(ZooKeeperState.self).service else { return noEnsemble() }
        var problems = service.ensemble.checkInvariants()
        for sid in 1...service.ensemble.size {
            problems += (service.ensemble.state(of: sid)?.checkInvariants() ?? []).map { "s\(sid): \($0)" }
        }
        return Output(.array(problems.map(Value.string))) { style in
            problems.isEmpty ? style.green("✓") + " every invariant holds: at most one leader per epoch (\(service.ensemble.electedLeaders.count) elected so far), servers agree on every zxid they both applied, committed writes survive, each tree is consistent"
                : problems.map { style.red("✗ ") + $0 }.joined(separator: "\n")
        }
    }

    // MARK: Faults

    static let kill = CommandSpec(
        ["zk", "kill"], abstract: "Kill a server (kill -9): it stops at once; its log and snapshot survive on disk.",
        parameters: [sidParameter], effect: .mutating, examples: ["zk kill 3"]
    ) { inv, session in
        let sid = inv.int("server") ?? 1
        try ZooKeeperTopic.update(session, inv.line) { s, now throws(ServiceError) in try s.kill(sid, nowMs: now) }
        return .text("s\(sid) killed; " + ZooKeeperViews.leaderLine(try ZooKeeperTopic.service(session)), value: .int(Int64(sid)))
    }

    static let restart = CommandSpec(
        ["zk", "restart"], abstract: "Start a killed server again: it reloads its snapshot and log, and looks for a leader.",
        parameters: [sidParameter], effect: .mutating, examples: ["zk restart 3"]
    ) { inv, session in
        let sid = inv.int("server") ?? 1
        try ZooKeeperTopic.update(session, inv.line) { s, now throws(ServiceError) in try s.restart(sid, nowMs: now) }
        return .text("s\(sid) restarted (LOOKING, round 1); `step` or `clock advance 1s` to see it find the leader", value: .int(Int64(sid)))
    }

    static let freeze = CommandSpec(
        ["zk", "freeze"], abstract: "Freeze a server (a long GC pause): it processes nothing until thawed, and nobody is told.",
        parameters: [sidParameter], effect: .mutating, examples: ["zk freeze 3"]
    ) { inv, session in
        let sid = inv.int("server") ?? 1
        try ZooKeeperTopic.update(session, inv.line) { s, now throws(ServiceError) in try s.freeze(sid, nowMs: now) }
        let limit = try ZooKeeperTopic.service(session).config
        return .text("s\(sid) frozen; its peers notice after syncLimit × tickTime = \(limit.syncLimit * limit.tickTimeMs / 1000) s of silence", value: .int(Int64(sid)))
    }

    static let thaw = CommandSpec(
        ["zk", "thaw"], abstract: "End a server's pause: it handles what queued up meanwhile.",
        parameters: [sidParameter], effect: .mutating, examples: ["zk thaw 3"]
    ) { inv, session in
        let sid = inv.int("server") ?? 1
        try ZooKeeperTopic.update(session, inv.line) { s, now throws(ServiceError) in try s.thaw(sid, nowMs: now) }
        return .text("s\(sid) thawed", value: .int(Int64(sid)))
    }

    static let partition = CommandSpec(
        ["zk", "partition"], abstract: "Cut the network between two groups of servers (both ways, or --one-way from the first to the second).",
        parameters: [.required("side-a", .text, "Servers, comma-separated, e.g. 1,2."), .required("side-b", .text, "Servers, e.g. 3.")],
        flags: [.toggle("--one-way", "Only messages from the first group to the second are lost.")],
        effect: .mutating, examples: ["zk partition 1,2 3", "zk partition 3 1,2 --one-way"]
    ) { inv, session in
        let a = try sids(inv.text("side-a") ?? "", inv), b = try sids(inv.text("side-b") ?? "", inv)
        try ZooKeeperTopic.update(session, inv.line) { s, now throws(ServiceError) in try s.partition(a, b, oneWay: inv.has("--one-way"), nowMs: now) }
        let arrow = inv.has("--one-way") ? "→" : "↮"
        return .text("partitioned {\(a.map(String.init).joined(separator: ","))} \(arrow) {\(b.map(String.init).joined(separator: ","))}", value: .object([("a", .array(a.map(Value.init))), ("b", .array(b.map(Value.init)))]))
    }

    static let heal = CommandSpec(
        ["zk", "heal"], abstract: "Repair every cut link.", effect: .mutating, examples: ["zk heal"]
    ) { inv, session in
        try ZooKeeperTopic.update(session, inv.line) { s, now throws(ServiceError) in s.heal(nowMs: now) }
        return .text("network healed")
    }

    static let drop = CommandSpec(
        ["zk", "drop"], abstract: "Drop every message of a type (optionally only from/to one server) until `zk drop clear`.",
        parameters: [.required("type", .choice(MessageType.allCases.map(\.rawValue)), "Message type.")],
        flags: [.option("--from", .integer(1...9), "Only from this server."), .option("--to", .integer(1...9), "Only to this server.")],
        effect: .mutating, examples: ["zk drop ACK --from 2", "zk drop NOTIFICATION --to 1"]
    ) { inv, session in
        let type = MessageType(rawValue: inv.text("type") ?? "")
        let rule = DropRule(type: type, from: inv.int("from"), to: inv.int("to"))
        try ZooKeeperTopic.update(session, inv.line) { s, _ throws(ServiceError) in _ = s.addDropRule(rule) }
        return .text("dropping \(rule)")
    }

    static let dropClear = CommandSpec(
        ["zk", "drop", "clear"], abstract: "Stop dropping messages.", effect: .mutating, examples: ["zk drop clear"]
    ) { inv, session in
        try ZooKeeperTopic.update(session, inv.line) { s, _ throws(ServiceError) in s.removeDropRules() }
        return .text("no messages are dropped")
    }

    static let latency = CommandSpec(
        ["zk", "latency"], abstract: "Set the one-way delay of the link from one server to another.",
        parameters: [.required("from", .integer(1...9), "Sender."), .required("to", .integer(1...9), "Receiver."), .required("delay", .duration, "e.g. 500ms.")],
        flags: [.toggle("--both", "Set the reverse link too.")],
        effect: .mutating, examples: ["zk latency 3 1 500ms --both"]
    ) { inv, session in
        let a = inv.int("from") ?? 1, b = inv.int("to") ?? 1, ms = inv.durationMs("delay") ?? 1
        try ZooKeeperTopic.update(session, inv.line) { s, _ throws(ServiceError) in
            try s.setLatency(from: a, to: b, ms: ms)
            if inv.has("--both") { try s.setLatency(from: b, to: a, ms: ms) }
        }
        return .text("s\(a) → s\(b)\(inv.has("--both") ? " and back" : ""): \(ms) ms")
    }

    static let loss = CommandSpec(
        ["zk", "loss"], abstract: "Lose this percentage of messages at random (seeded).",
        parameters: [.required("percent", .integer(0...100), "0-100.")],
        effect: .mutating, examples: ["zk loss 20", "zk loss 0"]
    ) { inv, session in
        let p = inv.int("percent") ?? 0
        try ZooKeeperTopic.update(session, inv.line) { s, _ throws(ServiceError) in try s.setLoss(Double(p) / 100) }
        return .text("\(p)% of messages are lost")
    }

    static let clientFreeze = CommandSpec(
        ["zk", "client", "freeze"], abstract: "Pause a client (a GC pause): no heartbeats, so its session expires after its timeout.",
        parameters: [.required("name", .text, "Client.", completions: ZooKeeperCommands.clientNames)],
        effect: .mutating, examples: ["zk client freeze alice"]
    ) { inv, session in
        let name = inv.text("name") ?? ""
        try ZooKeeperTopic.update(session, inv.line) { s, now throws(ServiceError) in try s.freezeClient(name, nowMs: now) }
        let timeout = try ZooKeeperTopic.service(session).client(name).timeoutMs
        return .text("\(name) frozen; the leader expires its session \(timeout / 1000)-\(timeout / 1000 + 2) s from now unless it is thawed")
    }

    static let clientThaw = CommandSpec(
        ["zk", "client", "thaw"], abstract: "End a client's pause: it reconnects, or learns its session expired.",
        parameters: [.required("name", .text, "Client.", completions: ZooKeeperCommands.clientNames)],
        effect: .mutating, examples: ["zk client thaw alice"]
    ) { inv, session in
        let name = inv.text("name") ?? ""
        try ZooKeeperTopic.update(session, inv.line) { s, now throws(ServiceError) in try s.thawClient(name, nowMs: now) }
        let client = try ZooKeeperTopic.service(session).client(name)
        return .text("\(name) thawed: " + ZooKeeperViews.clientLine(client), value: ZooKeeperViews.clientValue(client))
    }

    // MARK: Helpers

    static func noEnsemble() -> Output {
        .text("no ensemble yet: `zk ensemble new` starts one (3 servers); a zkCli command such as `zk ls /` starts it for you", value: .null)
    }

    static func unknownServer(_ sid: Int, _ service: Service, _ inv: Invocation) -> WorkbenchError {
        .failed(what: inv.spec.name, why: "there is no server s\(sid) (the ensemble has s1-s\(service.ensemble.size))", fix: "`zk status` lists them")
    }

    /// The server whose copy a view shows: --server, else the leader, else the first live server.
    static func copy(_ service: Service, _ inv: Invocation) throws -> (Int, DataTree) {
        if let sid = inv.int("server") {
            guard sid <= service.ensemble.size else { throw unknownServer(sid, service, inv) }
            guard let tree = service.ensemble.state(of: sid) else {
                throw WorkbenchError.failed(what: inv.spec.name, why: "s\(sid) is down", fix: "`zk restart \(sid)`, or look at another server")
            }
            return (sid, tree)
        }
        for sid in [service.ensemble.leader].compactMap({ $0 }) + Array(1...service.ensemble.size) {
            if let tree = service.ensemble.state(of: sid) { return (sid, tree) }
        }
        throw WorkbenchError.failed(what: inv.spec.name, why: "every server is down", fix: "`zk restart 1`")
    }

    static func sids(_ text: String, _ inv: Invocation) throws -> [Int] {
        let parts = text.split(separator: ",").map { Int($0.trimmingCharacters(in: .whitespaces).drop { $0 == "s" }) }
        guard !parts.isEmpty, parts.allSatisfy({ $0 != nil }) else {
            throw WorkbenchError.usage(command: inv.spec.name, problem: "`\(text)` is not a list of server ids like 1,2", usage: inv.spec.usage)
        }
        return parts.compactMap { $0 }
    }
}
