// The simulated network: sending, FIFO links, held/parked events, drops, and who hears whom.

extension Ensemble {
    @inline(__always) func link(_ from: Int, _ to: Int) -> Int { (from - 1) * size + (to - 1) }
    @inline(__always) func pair(_ a: Int, _ b: Int) -> Int { a < b ? link(a, b) : link(b, a) }

    /// When a message sent now from `from` to `to` arrives: after the link's latency, and never
    /// before an earlier message on the same link (FIFO). Self-messages take no hop.
    mutating func deliveryTime(from: Int, to: Int) -> Int64 {
        guard from != to else { return clockMs }
        let l = link(from, to)
        let time = Swift.max(clockMs + latency[l], lastDeliverMs[l])
        lastDeliverMs[l] = time
        return time
    }

    mutating func send(_ type: MessageType, _ body: MessageBody<State>, from: Int, to: Int) {
        let time = deliveryTime(from: from, to: to)
        let message = Message(id: nextMessageID, from: from, to: to, sentMs: clockMs, deliverMs: time, type: type, body: body)
        nextMessageID += 1
        let slot: Int
        if let free = freeMessageSlots.popLast() {
            slot = free
            messageSlots[slot] = message
        } else {
            slot = messageSlots.count
            messageSlots.append(message)
        }
        queue.schedule(time, .message(slot: slot, from: from, to: to))
    }

    /// Moves a message out of its slot and frees the slot.
    mutating func takeMessage(_ slot: Int) -> Message<State>? {
        var message: Message<State>?
        swap(&message, &messageSlots[slot])
        freeMessageSlots.append(slot)
        return message
    }

    /// Discards queued events (a killed server's), freeing their message slots.
    mutating func discard(_ items: [QueuedEvent]) {
        for item in items {
            if case let .message(slot, _, _) = item.event { _ = takeMessage(slot) }
        }
    }

    /// The TCP connection `conn` closes (FIN, or RST when `reset`): `to` notices after the link's latency.
    mutating func sendSocketClosed(from: Int, to: Int, conn: Int, reset: Bool = false) {
        let time = deliveryTime(from: from, to: to)
        queue.schedule(time, .socketClosed(from: from, to: to, conn: conn, reset: reset))
    }

    mutating func arm(_ sid: Int, _ kind: TimerKind, at time: Int64, token: UInt64, ref: Int64 = 0) {
        queue.schedule(time, .timer(TimerEvent(sid: sid, kind: kind, token: token, ref: ref)))
    }

    /// Makes the head of the queue an event that will really run when due: stale timers and
    /// closes of connections that no longer exist are discarded; events for frozen servers are
    /// parked until the thaw; messages on blocked links are held until the heal. Called after
    /// every mutation, so `nextEventTimeMs` is exact.
    mutating func purgeHead() {
        while let head = queue.first {
            switch head.event {
            case let .timer(timer):
                if isStale(timer) {
                    _ = queue.pop()
                    continue
                }
                if nodes[timer.sid - 1].frozen {
                    if let item = queue.pop() { parked.append(item) }
                    continue
                }
                return
            case let .message(_, from, to):
                guard nodes[to - 1].alive else { return }   // delivered as a visible drop
                if nodes[to - 1].frozen {
                    if let item = queue.pop() { parked.append(item) }
                    continue
                }
                if from != to, blocked[link(from, to)] {
                    if let item = queue.pop() { held.append(item) }
                    continue
                }
                return
            case let .socketClosed(from, to, conn, _):
                if !closeIsLive(at: to, from: from, conn: conn) {
                    _ = queue.pop()
                    continue
                }
                if nodes[to - 1].frozen {
                    if let item = queue.pop() { parked.append(item) }
                    continue
                }
                if blocked[link(from, to)] {
                    if let item = queue.pop() { held.append(item) }
                    continue
                }
                return
            }
        }
    }

    /// A timer is stale once its server died, re-armed or cancelled it, or the relationship it
    /// watches ended; a stale timer never becomes live again.
    func isStale(_ t: TimerEvent) -> Bool {
        let i = t.sid - 1
        guard nodes[i].alive else { return true }
        switch t.kind {
        case .notificationTimeout: return t.token != nodes[i].notTimeoutToken
        case .finalizeWait: return t.token != nodes[i].finalizeToken
        case .initLimit: return t.token != nodes[i].phaseToken
        case .connectRetry: return t.token != nodes[i].retryToken
        case .quorumCheck: return nodes[i].leadership?.id != t.token
        case let .livenessCheck(peer):
            let leads = nodes[i].leadership?.id == t.token
            let follows = nodes[i].follower.map { UInt64($0.conn) == t.token && $0.leader == peer } ?? false
            guard leads || follows else { return true }
            return !silenceLasted(t.sid, peer, start: t.ref)
        case .connectionClosed: return true
        }
    }

    /// Whether the silence of the pair that began at `start` is still going on, or lasted at
    /// least syncLimit×tickTime.
    func silenceLasted(_ a: Int, _ b: Int, start: Int64) -> Bool {
        let p = pair(a, b)
        if silenceSince[p] == start { return true }
        if let span = lastSilence[p], span.start == start { return span.end - span.start >= config.syncLimitMs }
        return false
    }

    /// A close matters only while the receiving side still holds that connection.
    func closeIsLive(at to: Int, from: Int, conn: Int) -> Bool {
        let i = to - 1
        guard nodes[i].alive else { return false }
        if let f = nodes[i].follower, f.conn == conn, f.leader == from { return true }
        if let h = nodes[i].leadership?.handlers[from - 1], h.conn == conn { return true }
        return false
    }

    /// Delivers a message, or drops it: receiver down, a drop rule, or loss.
    mutating func deliver(_ m: Message<State>) -> StepKind<State> {
        if !nodes[m.to - 1].alive {
            let reason = "s\(m.to) is down"
            record(.dropped(m.digest, reason: reason))
            if case let .followerInfo(conn, _, _) = m.body {
                connectionRefused(follower: m.from, conn: conn, by: m.to)
            }
            return .dropped(m, reason: reason)
        }
        if m.from != m.to {
            if let k = dropRules.firstIndex(where: { $0.matches(type: m.type, from: m.from, to: m.to) }) {
                let reason = "drop rule #\(k + 1) (\(dropRules[k]))"
                record(.dropped(m.digest, reason: reason))
                return .dropped(m, reason: reason)
            }
            if lossProbability > 0 {
                // 53 random bits → a uniform double in [0, 1); our own mapping.
                let draw = Double(rng.next(below: 1 << 53)) / Double(UInt64(1) << 53)
                if draw < lossProbability {
                    let reason = "lost (loss probability \(lossProbability))"
                    record(.dropped(m.digest, reason: reason))
                    return .dropped(m, reason: reason)
                }
            }
        }
        record(.delivered(m.digest))
        handle(m)
        return .delivered(m)
    }

    mutating func handle(_ m: Message<State>) {
        let to = m.to, from = m.from
        switch m.body {
        case let .notification(vote):
            receiveNotification(at: to, from: from, vote)
        case let .followerInfo(conn, acceptedEpoch, lastLoggedZxid):
            leaderReceivesFollowerInfo(at: to, from: from, conn: conn, acceptedEpoch: acceptedEpoch, lastLoggedZxid: lastLoggedZxid)
        case let .leaderInfo(conn, newEpoch):
            followerReceivesLeaderInfo(at: to, from: from, conn: conn, newEpoch: newEpoch)
        case let .ackEpoch(conn, currentEpoch, lastLoggedZxid):
            leaderReceivesAckEpoch(at: to, from: from, conn: conn, currentEpoch: currentEpoch, lastLoggedZxid: lastLoggedZxid)
        case let .syncPacket(packet):
            followerReceivesSync(at: to, from: from, packet)
        case let .newLeader(conn, zxid):
            followerReceivesNewLeader(at: to, from: from, conn: conn, zxid: zxid)
        case let .ack(conn, zxid, kind):
            leaderReceivesAck(at: to, from: from, conn: conn, zxid: zxid, kind: kind)
        case let .upToDate(conn):
            followerReceivesUpToDate(at: to, from: from, conn: conn)
        case let .request(conn, id, payload):
            leaderReceivesRequest(at: to, from: from, conn: conn, id: id, payload: payload)
        case let .proposal(conn, entry):
            followerReceivesProposal(at: to, from: from, conn: conn, entry)
        case let .commit(conn, zxid):
            followerReceivesCommit(at: to, from: from, conn: conn, zxid: zxid)
        case let .sync(conn, id):
            receiveSync(at: to, from: from, conn: conn, id: id)
        }
    }

    /// Whether a ZAB packet from `from` belongs to this follower's current leader connection;
    /// notes why not otherwise (an old epoch's leader, or someone it does not follow).
    mutating func isFromMyLeader(_ i: Int, from: Int, conn: Int, _ type: MessageType) -> Bool {
        if let f = nodes[i].follower, f.leader == from, f.conn == conn { return true }
        note("s\(i + 1) ignores \(type.rawValue) from s\(from): not its current leader connection")
        return false
    }

    /// Whether a packet from a follower belongs to the leader's current connection with it.
    mutating func isFromMyFollower(_ i: Int, from: Int, conn: Int, _ type: MessageType) -> Bool {
        if nodes[i].role == .leading, let h = nodes[i].leadership?.handlers[from - 1], h.conn == conn { return true }
        note("s\(i + 1) ignores \(type.rawValue) from s\(from): no such follower connection")
        return false
    }

    // MARK: Hearing each other

    /// Both running and both links between them open (heartbeats would get through).
    func hears(_ a: Int, _ b: Int) -> Bool {
        nodes[a - 1].running && nodes[b - 1].running && !blocked[link(a, b)] && !blocked[link(b, a)]
    }

    /// After a fault command: start or end each pair's silence; a leader/follower pair that
    /// stops hearing each other gets liveness checks syncLimit×tickTime later.
    mutating func refreshHearing() {
        guard size > 1 else { return }
        for a in 1..<size {
            for b in (a + 1)...size {
                let p = pair(a, b)
                if hears(a, b) {
                    if let start = silenceSince[p] {
                        lastSilence[p] = SilenceSpan(start: start, end: clockMs)
                        silenceSince[p] = nil
                    }
                } else if silenceSince[p] == nil {
                    silenceSince[p] = clockMs
                    scheduleLivenessChecks(a, b)
                    scheduleLivenessChecks(b, a)
                }
            }
        }
    }

    /// `x`'s side of the liveness check of the pair (x, y), if x leads or follows y.
    mutating func scheduleLivenessChecks(_ x: Int, _ y: Int) {
        let i = x - 1
        guard nodes[i].alive else { return }
        let at = clockMs + config.syncLimitMs
        if let f = nodes[i].follower, f.leader == y {
            arm(x, .livenessCheck(peer: y), at: at, token: UInt64(f.conn), ref: clockMs)
        }
        if let l = nodes[i].leadership, l.handlers[y - 1] != nil {
            arm(x, .livenessCheck(peer: y), at: at, token: l.id, ref: clockMs)
        }
    }
}
