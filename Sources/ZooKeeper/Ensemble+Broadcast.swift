// ZAB broadcast (zookeeper.md §2 "Broadcast"): requests are forwarded to the leader, which
// assigns zxids, proposes, counts ACKs and commits in zxid order; client syncs.

extension Ensemble {
    // MARK: Clients

    /// Submits a write through `sid`. A follower forwards it to the leader as REQUEST; the leader
    /// orders it. Throws `.notServing` when that server is down, frozen or not serving.
    public mutating func submit(_ payload: Payload, via sid: Int, nowMs: Int64) throws -> RequestID {
        try checkSid(sid)
        let i = sid - 1
        guard nodes[i].running, nodes[i].serving else { throw EnsembleError.notServing(sid) }
        advanceClock(to: nowMs)
        requestCounters[i] += 1
        let id = RequestID(sid: sid, counter: requestCounters[i])
        pending[i].append(id)
        if nodes[i].role == .leading {
            send(.request, .request(conn: 0, id: id, payload: payload), from: sid, to: sid)
        } else if let f = nodes[i].follower {
            send(.request, .request(conn: f.conn, id: id, payload: payload), from: sid, to: f.leader)
        }
        purgeHead()
        return id
    }

    /// Client `sync` through `sid`: completes (a `SyncDone` in some step) once `sid` has applied
    /// everything the leader had proposed when the sync reached it. Not a quorum operation.
    public mutating func sync(via sid: Int, nowMs: Int64) throws -> RequestID {
        try checkSid(sid)
        let i = sid - 1
        guard nodes[i].running, nodes[i].serving else { throw EnsembleError.notServing(sid) }
        advanceClock(to: nowMs)
        requestCounters[i] += 1
        let id = RequestID(sid: sid, counter: requestCounters[i])
        if nodes[i].role == .leading {
            send(.sync, .sync(conn: 0, id: id), from: sid, to: sid)
        } else if let f = nodes[i].follower {
            send(.sync, .sync(conn: f.conn, id: id), from: sid, to: f.leader)
        }
        purgeHead()
        return id
    }

    // MARK: Leader

    /// REQUEST: a serving leader assigns the next zxid, logs the txn, sends PROPOSAL to every
    /// forwarding follower and acks it itself.
    mutating func leaderReceivesRequest(at to: Int, from: Int, conn: Int, id: RequestID, payload: Payload) {
        let i = to - 1
        if from != to {
            guard isFromMyFollower(i, from: from, conn: conn, .request) else { return }
        }
        guard nodes[i].role == .leading, nodes[i].serving, let l = nodes[i].leadership else {
            note("s\(to) is not serving: drops REQUEST \(id)")
            return
        }
        let zxid = l.lastProposed.next
        let entry = LogEntry(zxid: zxid, payload: payload, timeMs: clockMs, origin: id)
        nodes[i].leadership?.lastProposed = zxid
        appendLog(i, entry)
        for j in 0..<size {
            if let h = nodes[i].leadership?.handlers[j], h.phase >= .forwarding {
                send(.proposal, .proposal(conn: h.conn, entry: entry), from: to, to: j + 1)
            }
        }
        if scratch.reporting { note("s\(to) proposes \(zxid) for \(id)") }
        tryCommit(i)
    }

    /// Commits proposals in zxid order while the oldest outstanding one has a quorum of ACKs
    /// (the leader's own included): apply, COMMIT to every forwarding follower, answer syncs.
    mutating func tryCommit(_ i: Int) {
        let sid = i + 1
        guard nodes[i].serving, let handlers = nodes[i].leadership?.handlers else { return }
        var committedAny = false
        while nodes[i].appliedIndex < nodes[i].logCount {
            let zxid = loggedZxid(i, at: nodes[i].appliedIndex)
            var acks = 1
            for h in handlers {
                if let h, h.ackedThrough >= zxid { acks += 1 }
            }
            guard acks >= quorumSize else { break }
            let (entry, output) = applyNext(i)
            registerCommit(sid, entry)
            for (j, h) in handlers.enumerated() {
                if let h, h.phase >= .forwarding {
                    send(.commit, .commit(conn: h.conn, zxid: zxid), from: sid, to: j + 1)
                }
            }
            reportApply(sid, entry, output)
            committedAny = true
        }
        if committedAny { answerPendingSyncs(i) }
    }

    /// SYNC reaches the leader (from a follower, or its own client): answered once everything
    /// it proposed before is committed. SYNC back to a follower reaches it after those COMMITs
    /// (FIFO), so the follower has applied them when it reports the sync done.
    mutating func receiveSync(at to: Int, from: Int, conn: Int, id: RequestID) {
        let i = to - 1
        if nodes[i].role == .following {
            guard isFromMyLeader(i, from: from, conn: conn, .sync) else { return }
            scratch.syncsDone.append(SyncDone(sid: to, request: id))
            note("s\(to): sync \(id) done (applied through \(nodes[i].lastProcessedZxid))")
            return
        }
        if from != to {
            guard isFromMyFollower(i, from: from, conn: conn, .sync) else { return }
        }
        guard nodes[i].role == .leading, nodes[i].serving, let l = nodes[i].leadership else {
            note("s\(to) is not serving: drops SYNC \(id)")
            return
        }
        nodes[i].leadership?.pendingSyncs.append(PendingSync(sid: from, conn: conn, id: id, after: l.lastProposed))
        answerPendingSyncs(i)
    }

    mutating func answerPendingSyncs(_ i: Int) {
        let sid = i + 1
        guard let l = nodes[i].leadership, !l.pendingSyncs.isEmpty else { return }
        let committedThrough = nodes[i].appliedIndex < nodes[i].logCount
            ? loggedZxid(i, at: nodes[i].appliedIndex).raw - 1 : Int64.max
        var kept: [PendingSync] = []
        for s in l.pendingSyncs {
            if s.after.raw > committedThrough {
                kept.append(s)
            } else if s.sid == sid {
                scratch.syncsDone.append(SyncDone(sid: sid, request: s.id))
                note("s\(sid): sync \(s.id) done (applied through \(nodes[i].lastProcessedZxid))")
            } else {
                send(.sync, .sync(conn: s.conn, id: s.id), from: sid, to: s.sid)
            }
        }
        nodes[i].leadership?.pendingSyncs = kept
    }

    // MARK: Follower

    /// PROPOSAL: log it and ACK it. A proposal that does not follow the last logged zxid means
    /// the follower missed something: it drops the leader and resyncs (ZooKeeper only warns
    /// "Got zxid … expected …"; over TCP this cannot happen).
    mutating func followerReceivesProposal(at to: Int, from: Int, conn: Int, _ entry: LogEntry<Payload>) {
        let i = to - 1
        guard isFromMyLeader(i, from: from, conn: conn, .proposal),
              let phase = nodes[i].follower?.phase, phase >= .syncReceived else { return }
        let last = nodes[i].lastLoggedZxid
        let expected = entry.zxid.epoch == last.epoch ? last.next : Zxid(epoch: entry.zxid.epoch, counter: 1)
        guard entry.zxid == expected, entry.zxid > last else {
            goLooking(i, "s\(to): PROPOSAL \(entry.zxid) does not follow its last logged zxid \(last); drops leader s\(from) to resync")
            return
        }
        appendLog(i, entry)
        if phase >= .newLeaderAcked {
            send(.ack, .ack(conn: conn, zxid: entry.zxid, kind: .proposal), from: to, to: from)
        }
    }

    /// COMMIT: apply every logged txn up to it, in zxid order. A COMMIT for a txn it never
    /// logged makes the follower drop the leader and resync (ZooKeeper exits with
    /// UNMATCHED_TXN_COMMIT). An earlier COMMIT that was lost is implied (the leader commits in order).
    mutating func followerReceivesCommit(at to: Int, from: Int, conn: Int, zxid: Zxid) {
        let i = to - 1
        guard isFromMyLeader(i, from: from, conn: conn, .commit),
              let phase = nodes[i].follower?.phase, phase >= .syncReceived else { return }
        guard zxid > nodes[i].lastProcessedZxid else { return }
        guard let index = unappliedIndex(i, of: zxid) else {
            goLooking(i, "s\(to): COMMIT \(zxid) for a txn it never logged; drops leader s\(from) to resync")
            return
        }
        while nodes[i].appliedIndex <= index {
            let (entry, output) = applyNext(i)
            checkAppliedAgainstHistory(to, entry)
            reportApply(to, entry, output)
        }
    }

    /// Reports an apply and answers the client waiting on this server, if any.
    mutating func reportApply(_ sid: Int, _ entry: LogEntry<Payload>, _ output: State.Output) {
        if scratch.reporting {
            scratch.applied.append(Applied(sid: sid, zxid: entry.zxid, output: output, origin: entry.origin))
        }
        if let origin = entry.origin, origin.sid == sid { pending[sid - 1].remove(origin) }
        if scratch.reporting { note("s\(sid) applies \(entry.zxid)") }
    }
}
