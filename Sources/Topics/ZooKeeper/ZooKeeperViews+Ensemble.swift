import WorkbenchKit
import ZooKeeper

/// Views of the servers, their votes and their messages.
extension ZooKeeperViews {
    // MARK: Steps

    static func describe(_ step: ServiceStep) -> [String] {
        var lines: [String] = []
        if let e = step.ensemble {
            switch e.what {
            case let .delivered(m): lines.append(m.summary)
            case let .dropped(m, reason): lines.append("✗ \(m.summary) dropped (\(reason))")
            case let .timer(sid, kind): lines.append("s\(sid): timer \(timerName(kind))")
            }
            lines += e.notes.map { "  " + $0 }
        }
        lines += step.notes.map { "  " + $0 }
        for d in step.delivered { lines.append("  [\(d.client)] " + ZkCliFormat.event(d.event)) }
        for r in step.replies { lines.append("  [\(r.client)] reply: " + replyText(r)) }
        return lines.isEmpty ? ["zk: nothing happened"] : lines
    }

    static func timerName(_ kind: TimerKind) -> String {
        switch kind {
        case .notificationTimeout: "notification timeout (resend vote)"
        case .finalizeWait: "finalize wait over"
        case .initLimit: "initLimit reached"
        case .connectRetry: "retry connecting to the leader"
        case let .livenessCheck(peer): "liveness check of s\(peer) (syncLimit × tickTime)"
        case .quorumCheck: "quorum check"
        case let .connectionClosed(peer): "connection to s\(peer) closed"
        }
    }

    static func replyText(_ r: Reply) -> String {
        switch r.outcome {
        case let .txn(result, zxid):
            if let f = failure(result) { return "\(f.code.shortName) (zxid \(zxid))" }
            switch result {
            case let .sessionCreated(s): return "session \(hex(s)) created (zxid \(zxid))"
            case let .sessionClosed(s, _): return "session \(hex(s)) closed (zxid \(zxid))"
            case let .op(.created(path, _)): return "Created \(path) (zxid \(zxid))"
            case .op: return "OK (zxid \(zxid))"
            case let .multi(rs): return multiSummary(rs).replacingOccurrences(of: "\n", with: ", ") + " (zxid \(zxid))"
            }
        case .synced: return "Sync is OK"
        case .connectionLoss: return "ConnectionLoss"
        case .sessionExpired: return "SessionExpired"
        }
    }

    static func stepValue(_ step: ServiceStep) -> Value {
        var pairs: [(String, Value)] = [("timeMs", .int(step.timeMs))]
        if let e = step.ensemble {
            switch e.what {
            case let .delivered(m): pairs.append(("delivered", messageValue(m)))
            case let .dropped(m, reason): pairs.append(("dropped", messageValue(m))); pairs.append(("reason", .string(reason)))
            case let .timer(sid, kind): pairs.append(("timer", .object([("server", Value(sid)), ("kind", .string(timerName(kind)))])))
            }
            pairs.append(("notes", .array((e.notes + step.notes).map(Value.string))))
            pairs.append(("roleChanges", .array(e.roleChanges.map { .object([("server", Value($0.sid)), ("from", .string($0.from.rawValue)), ("to", .string($0.to.rawValue)), ("epoch", .int($0.epoch))]) })))
            pairs.append(("applied", .array(e.applied.map { .object([("server", Value($0.sid)), ("zxid", .string($0.zxid.description))]) })))
        } else {
            pairs.append(("notes", .array(step.notes.map(Value.string))))
        }
        pairs.append(("events", .array(step.delivered.map { .object([("client", .string($0.client)), ("type", .string($0.event.type.rawValue)), ("path", .string($0.event.path))]) })))
        return .object(pairs)
    }

    static func messageValue(_ m: Message<DataTree>) -> Value { digestValue(m.digest) }

    static func digestValue(_ d: MessageDigest) -> Value {
        var pairs: [(String, Value)] = [("type", .string(d.type.rawValue)), ("from", Value(d.from)), ("to", Value(d.to)),
                                        ("sentMs", .int(d.sentMs)), ("deliverMs", .int(d.deliverMs))]
        if let v = d.vote { pairs.append(("vote", voteValue(v))) }
        if let z = d.zxid { pairs.append(("zxid", .string(z.description))) }
        if let e = d.epoch { pairs.append(("epoch", .int(e))) }
        pairs.append(("summary", .string(d.summary)))
        return .object(pairs)
    }

    static func recordValue(_ r: MessageRecord) -> Value {
        switch r.event {
        case let .delivered(d): return .object([("timeMs", .int(r.timeMs)), ("delivered", digestValue(d))])
        case let .dropped(d, reason): return .object([("timeMs", .int(r.timeMs)), ("dropped", digestValue(d)), ("reason", .string(reason))])
        case let .decision(sid, text): return .object([("timeMs", .int(r.timeMs)), ("server", Value(sid)), ("decision", .string(text))])
        }
    }

    static func voteValue(_ v: Vote) -> Value {
        .object([("leader", Value(v.leader)), ("zxid", .string(v.zxid.description)), ("round", .int(v.round)),
                 ("peerEpoch", .int(v.peerEpoch)), ("state", .string(v.state.rawValue))])
    }

    // MARK: Status

    static func leaderLine(_ service: Service) -> String {
        let e = service.ensemble
        guard let leader = e.leader else {
            let up = e.servers.filter { $0.alive && !$0.frozen }.count
            return "no leader: \(up) of \(e.size) servers run, a quorum needs \(e.quorumSize)"
        }
        let epoch = e.servers[leader - 1].currentEpoch
        return "s\(leader) leads epoch \(epoch) (zxids 0x\(String(epoch, radix: 16))xxxxxxxx); quorum \(e.quorumSize) of \(e.size)"
    }

    static func roleText(_ s: ServerView) -> String {
        if !s.alive { return "down" }
        if s.frozen { return "frozen" }
        return s.role.rawValue
    }

    static func statusValue(_ service: Service) -> Value {
        let e = service.ensemble
        return .object([
            ("leader", e.leader.map(Value.init) ?? .null),
            ("epoch", e.leader.map { .int(e.servers[$0 - 1].currentEpoch) } ?? .null),
            ("size", Value(e.size)), ("quorum", Value(e.quorumSize)),
            ("servers", .array(e.servers.map(serverSummary))),
        ])
    }

    static func serverSummary(_ s: ServerView) -> Value {
        .object([("sid", Value(s.sid)), ("state", .string(roleText(s))), ("serving", .bool(s.serving && s.alive && !s.frozen)),
                 ("round", .int(s.round)), ("acceptedEpoch", .int(s.acceptedEpoch)), ("currentEpoch", .int(s.currentEpoch)),
                 ("lastLoggedZxid", .string(s.lastLoggedZxid.description)), ("lastProcessedZxid", .string(s.lastProcessedZxid.description)),
                 ("vote", voteValue(s.proposal)), ("leader", s.leader.map(Value.init) ?? .null),
                 ("votesHeld", .array(s.votesHeld.map { .object([("from", Value($0.sid)), ("vote", voteValue($0.vote))]) }))])
    }

    static func drawStatus(_ service: Service, style: Style) -> String {
        let rows = service.ensemble.servers.map { s -> [String] in
            var state = roleText(s)
            switch state {
            case "LEADING": state = style.green(state)
            case "FOLLOWING": state = style.cyan(state)
            case "LOOKING": state = style.yellow(state)
            default: state = style.red(state)
            }
            let held = s.votesHeld.isEmpty ? "-" : s.votesHeld.map { "s\($0.sid)→\($0.vote.leader)" }.joined(separator: " ")
            let serving = s.alive && !s.frozen && s.serving ? "yes" : "no"
            return ["s\(s.sid)", state, serving, "0x\(String(s.round, radix: 16))", "\(s.currentEpoch)", s.lastLoggedZxid.description,
                    s.lastProcessedZxid.description, s.alive ? s.proposal.description : "-", held]
        }
        return Table(headers: ["server", "state", "serving", "round", "epoch", "last logged", "last processed", "vote", "votes held"], rows: rows).render(style: style)
    }

    static func serverValue(_ service: Service, _ sid: Int) -> Value {
        let s = service.ensemble.servers[sid - 1]
        guard case var .object(pairs) = serverSummary(s) else { return .null }
        pairs.append(("snapshotZxid", .string(s.snapshotZxid.description)))
        pairs.append(("logEntries", Value(s.logCount)))
        pairs.append(("committedLog", s.committedLogWindow.map { .object([("min", .string($0.min.description)), ("max", .string($0.max.description))]) } ?? .null))
        pairs.append(("pendingRequests", .array(service.ensemble.requestsPending(at: sid).map { .string($0.description) })))
        pairs.append(("clients", .array(service.clients.filter { $0.server == sid }.map { .string($0.name) })))
        return .object(pairs)
    }

    static func drawServer(_ service: Service, _ sid: Int, style: Style) -> String {
        let s = service.ensemble.servers[sid - 1]
        var lines = ["s\(sid): \(roleText(s))" + (s.leader.map { " (leader s\($0))" } ?? ""),
                     "  round (logicalclock)   0x\(String(s.round, radix: 16))",
                     "  acceptedEpoch          \(s.acceptedEpoch)",
                     "  currentEpoch           \(s.currentEpoch)",
                     "  vote                   \(s.alive ? s.proposal.description : "-")",
                     "  last logged zxid       \(s.lastLoggedZxid)",
                     "  last processed zxid    \(s.lastProcessedZxid)",
                     "  snapshot at            \(s.snapshotZxid)  (+ \(s.logCount) logged txns after it)",
                     "  committed log          " + (s.committedLogWindow?.description ?? "empty (a follower older than this is sent a SNAP)")]
        if !s.votesHeld.isEmpty {
            lines.append("  votes held             " + s.votesHeld.map { "s\($0.sid): \($0.vote)" }.joined(separator: "; "))
        }
        let clients = service.clients.filter { $0.server == sid }.map(\.name)
        lines.append("  clients                " + (clients.isEmpty ? "-" : clients.joined(separator: ", ")))
        return lines.joined(separator: "\n")
    }

    // MARK: Quorum arithmetic

    static func quorumValue(current: Int?) -> Value {
        .object([("current", current.map(Value.init) ?? .null),
                 ("sizes", .array((1...7).map { n in .object([("servers", Value(n)), ("quorum", Value(n / 2 + 1)), ("tolerates", Value((n - 1) / 2))]) }))])
    }

    static func drawQuorum(current: Int?, style: Style) -> String {
        let rows = (1...7).map { n -> [String] in
            let mark = n == current ? style.bold("← this ensemble") : (n % 2 == 0 ? style.dim("no better than \(n - 1)") : "")
            return ["\(n)", "\(n / 2 + 1)", "\((n - 1) / 2)", mark]
        }
        return "A write (and an election) needs a quorum: a strict majority of all servers, dead ones included.\n"
            + Table(headers: ["servers", "quorum", "may fail", ""], rows: rows).render(style: style)
    }

    // MARK: Timeline

    /// One row per record; columns are servers. `●──▶` from sender to receiver, `✗` a drop, `◆` a decision.
    static func drawTimeline(_ records: [MessageRecord], size: Int, style: Style) -> String {
        guard !records.isEmpty else { return "no messages yet" }
        let width = 6
        let start = records.first?.timeMs ?? 0
        var lines: [String] = []
        var header = Style.pad("ms", to: 9)
        for sid in 1...size { header += Style.pad("s\(sid)", to: width) }
        lines.append(style.bold(header))
        for r in records {
            var cells = Array(repeating: Array(String(repeating: " ", count: width)), count: size)
            for sid in 1...size { cells[sid - 1][0] = "│" }
            var label = r.summary
            switch r.event {
            case let .delivered(d), let .dropped(d, _):
                let dropped: Bool
                if case .dropped = r.event { dropped = true } else { dropped = false }
                let a = d.from - 1, b = d.to - 1
                guard a >= 0, a < size, b >= 0, b < size else { continue }
                if a == b {
                    cells[a][0] = "↺"
                } else {
                    let lo = min(a, b), hi = max(a, b)
                    for col in lo...hi {
                        for i in 0..<width where (col > lo || i > 0) && (col < hi || i == 0) { cells[col][i] = "─" }
                    }
                    cells[a][0] = "●"
                    cells[b][0] = dropped ? "✗" : (b > a ? "▶" : "◀")
                }
                label = d.summary.replacingOccurrences(of: " s\(d.from)→s\(d.to)", with: "") + (dropped ? " (dropped)" : "")
            case let .decision(sid, _):
                if sid >= 1, sid <= size { cells[sid - 1][0] = "◆" }
            }
            let row = cells.map { String($0) }.joined()
            lines.append(Style.pad("+\(r.timeMs - start)", to: 9) + row + " " + label)
        }
        return lines.joined(separator: "\n")
    }

}
