// Fault commands: kill, restart, freeze, thaw, partitions, latency, loss and drop rules. Each
// validates first and throws without changing anything.

extension Ensemble {
    /// SIGKILL: the process dies; its durable state stays. Peers connected to it see a TCP reset
    /// at once (a leader drops the follower's connection, a follower drops its leader); the
    /// leader's quorum check still happens syncLimit×tickTime later.
    public mutating func kill(_ sid: Int, nowMs: Int64) throws {
        try checkSid(sid)
        let i = sid - 1
        guard nodes[i].alive else { throw EnsembleError.serverDown(sid) }
        advanceClock(to: nowMs)
        if let l = nodes[i].leadership {
            for (j, h) in l.handlers.enumerated() {
                if let h { sendSocketClosed(from: sid, to: j + 1, conn: h.conn, reset: true) }
            }
        }
        if let f = nodes[i].follower { sendSocketClosed(from: sid, to: f.leader, conn: f.conn, reset: true) }
        record(.decision(sid: sid, text: "s\(sid) killed (was \(nodes[i].role.rawValue))"))
        nodes[i].alive = false
        nodes[i].frozen = false
        forgetMemory(i)
        discard(parked.filter { $0.event.target == sid })
        discard(held.filter { $0.event.target == sid })
        parked = parked.filter { $0.event.target != sid }
        held = held.filter { $0.event.target != sid }
        refreshHearing()
        purgeHead()
    }

    /// Starts a stopped server: it loads its snapshot and replays its whole log, then looks for
    /// a leader in round 1.
    public mutating func restart(_ sid: Int, nowMs: Int64) throws {
        try checkSid(sid)
        let i = sid - 1
        guard !nodes[i].alive else { throw EnsembleError.serverRunning(sid) }
        advanceClock(to: nowMs)
        scratch = StepScratch()
        boot(i)
        scratch = StepScratch()
        refreshHearing()
        purgeHead()
    }

    /// SIGSTOP (a long GC pause): the server does nothing; messages to it and its timers wait.
    public mutating func freeze(_ sid: Int, nowMs: Int64) throws {
        try checkSid(sid)
        let i = sid - 1
        guard nodes[i].alive else { throw EnsembleError.serverDown(sid) }
        guard !nodes[i].frozen else { throw EnsembleError.serverFrozen(sid) }
        advanceClock(to: nowMs)
        nodes[i].frozen = true
        record(.decision(sid: sid, text: "s\(sid) frozen"))
        refreshHearing()
        purgeHead()
    }

    /// SIGCONT: what waited for the server (messages, its own expired timers) runs now, in order.
    public mutating func thaw(_ sid: Int, nowMs: Int64) throws {
        try checkSid(sid)
        let i = sid - 1
        guard nodes[i].alive else { throw EnsembleError.serverDown(sid) }
        guard nodes[i].frozen else { throw EnsembleError.serverNotFrozen(sid) }
        advanceClock(to: nowMs)
        nodes[i].frozen = false
        record(.decision(sid: sid, text: "s\(sid) thawed"))
        var kept: [QueuedEvent] = []
        for item in parked {
            if item.event.target == sid { queue.push(item) } else { kept.append(item) }
        }
        parked = kept
        refreshHearing()
        purgeHead()
    }

    /// Blocks every link from a server in `a` to a server in `b`, and back unless `oneWay`.
    public mutating func partition(_ a: [Int], _ b: [Int], oneWay: Bool, nowMs: Int64) throws {
        for sid in a + b { try checkSid(sid) }
        advanceClock(to: nowMs)
        for x in a {
            for y in b where x != y {
                blocked[link(x, y)] = true
                if !oneWay { blocked[link(y, x)] = true }
            }
        }
        let arrow = oneWay ? "→" : "↔"
        record(.decision(sid: 0, text: "partition \(a.map { "s\($0)" }.joined(separator: ",")) \(arrow) \(b.map { "s\($0)" }.joined(separator: ","))"))
        refreshHearing()
        purgeHead()
    }

    /// Unblocks every link; messages held on blocked links are delivered, in order.
    public mutating func heal(nowMs: Int64) {
        advanceClock(to: nowMs)
        for k in blocked.indices { blocked[k] = false }
        for item in held { queue.push(item) }
        held.removeAll()
        record(.decision(sid: 0, text: "heal"))
        refreshHearing()
        purgeHead()
    }

    /// Latency of the link from → to (messages already sent keep theirs; FIFO is kept).
    public mutating func setLatency(from: Int, to: Int, ms: Int64) throws {
        try checkSid(from)
        try checkSid(to)
        guard ms >= 0 else { throw EnsembleError.invalidLatency(ms) }
        latency[link(from, to)] = ms
    }

    /// Probability that a message between two servers is lost.
    public mutating func setLoss(_ p: Double) throws {
        guard p >= 0, p <= 1 else { throw EnsembleError.invalidLossProbability(p) }
        lossProbability = p
    }

    /// Adds a drop rule; returns its number (1-based position in `dropRules`).
    @discardableResult
    public mutating func addDropRule(_ r: DropRule) -> Int {
        dropRules.append(r)
        return dropRules.count
    }

    public mutating func removeDropRules() {
        dropRules.removeAll()
    }
}
