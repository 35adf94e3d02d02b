// Timers and socket events: FLE poll timeouts, initLimit deadlines, connection retries, and the
// implicit-heartbeat failure detection (liveness checks syncLimit×tickTime after a pair stopped
// hearing each other; a leader's quorum check after it lost a follower).

extension Ensemble {
    mutating func fire(_ t: TimerEvent) {
        let i = t.sid - 1
        switch t.kind {
        case .notificationTimeout:
            notificationTimedOut(i)
        case .finalizeWait:
            finalizeWaitEnded(i)
        case .initLimit:
            initLimitExpired(i)
        case .connectRetry:
            connectRetryFired(i)
        case let .livenessCheck(peer):
            livenessCheck(i, peer: peer, token: t.token)
        case .quorumCheck:
            quorumCheck(i)
        case .connectionClosed:
            break
        }
    }

    /// initLimit×tickTime passed before discovery/sync finished.
    mutating func initLimitExpired(_ i: Int) {
        let sid = i + 1
        if let l = nodes[i].leadership {
            switch l.phase {
            case .discovery:
                goLooking(i, "s\(sid): Timeout while waiting for epoch from quorum (FOLLOWERINFO from {\(l.connecting.listed)})")
            case .awaitingEpochAcks:
                goLooking(i, "s\(sid): Timeout while waiting for epoch to be acked by quorum (acked by {\(l.electing.listed)})")
            case .awaitingNewLeaderAcks:
                goLooking(i, "s\(sid): Waiting for a quorum of followers, only synced with sids: [ \(l.newLeaderAcks.listed) ]")
            case .serving:
                break
            }
        } else if let f = nodes[i].follower, f.phase != .broadcast {
            goLooking(i, "s\(sid): not synced with leader s\(f.leader) within initLimit×tickTime (\(config.initLimitMs) ms); goes LOOKING")
        }
    }

    /// The pair stopped hearing each other syncLimit×tickTime ago (and the silence lasted that
    /// long): a follower gives up on its leader; a leader drops the follower and checks its quorum.
    mutating func livenessCheck(_ i: Int, peer: Int, token: UInt64) {
        let sid = i + 1
        if let l = nodes[i].leadership, l.id == token {
            if let h = l.handlers[peer - 1] {
                nodes[i].leadership?.handlers[peer - 1] = nil
                sendSocketClosed(from: sid, to: peer, conn: h.conn)
                note("s\(sid) drops follower s\(peer): nothing heard for syncLimit×tickTime (\(config.syncLimitMs) ms)")
            }
            quorumCheck(i)
        } else if let f = nodes[i].follower, UInt64(f.conn) == token {
            goLooking(i, "s\(sid): nothing heard from leader s\(f.leader) for syncLimit×tickTime (\(config.syncLimitMs) ms); goes LOOKING")
        }
    }

    /// Leader.lead's check: a serving leader needs a quorum of synced servers (itself included).
    mutating func quorumCheck(_ i: Int) {
        guard let l = nodes[i].leadership, l.phase == .serving else { return }
        let sid = i + 1
        var synced = SidSet(sid)
        for (j, h) in l.handlers.enumerated() where h?.phase == .synced { synced.insert(j + 1) }
        if synced.count < quorumSize {
            goLooking(i, "s\(sid): Not sufficient followers synced, only synced with sids: [ \(synced.listed) ]")
        } else {
            note("s\(sid) still has a quorum synced: [ \(synced.listed) ]")
        }
    }

    /// The other side closed (or reset) the connection. A follower goes LOOKING at once. A
    /// serving leader drops the follower and checks its quorum at its next half-tick check
    /// (Leader.lead checks every tickTime/2, and a LearnerHandler whose socket died no longer
    /// counts as synced), whether the follower left or was killed.
    mutating func socketClosed(at to: Int, from: Int, conn: Int, reset: Bool) {
        let i = to - 1
        if let f = nodes[i].follower, f.conn == conn, f.leader == from {
            goLooking(i, "s\(to): connection to leader s\(from) \(reset ? "reset" : "closed"); goes LOOKING")
        } else if let l = nodes[i].leadership, let h = l.handlers[from - 1], h.conn == conn {
            nodes[i].leadership?.handlers[from - 1] = nil
            note("s\(to) lost its connection to follower s\(from)")
            // Checked even for a handler that was not synced: it may have replaced a synced one.
            if l.phase == .serving {
                let delay = Swift.max(config.tickTimeMs / 2, 1)
                arm(to, .quorumCheck, at: clockMs + delay, token: l.id)
            }
        }
    }
}
