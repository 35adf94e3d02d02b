/// The leader's session tracker (SessionTrackerImpl / ExpiryQueue, zookeeper.md §2–§3).
extension Service {
    /// The tick a session expires on: ZooKeeper's ExpiryQueue rounds each deadline up to the next
    /// multiple of its interval (tickTime), so a 4000 ms session expires 4–6 s after falling silent.
    func expiryTime(_ deadlineMs: Int64) -> Int64 {
        let tick = config.tickTimeMs
        return (deadlineMs / tick + 1) * tick
    }

    /// Whether the leader hears session `session`: its client is not frozen and is connected to a
    /// serving server (a serving follower forwards its pings to the leader).
    func isHeard(_ session: Int64) -> Bool {
        clients.contains { c in
            c.session == session && c.phase == .connected && !c.frozen && c.server.map(isServing) == true
        }
    }

    /// Starts a timer for each open session the leader stops hearing, stops it when it is heard
    /// again; without a leader no timer runs, and a new leader starts them all afresh.
    mutating func refreshSessionTimers(nowMs: Int64) {
        guard let leader = ensemble.leader, let tree = ensemble.state(of: leader) else {
            silences = []
            timers = []
            timedEpoch = nil
            return
        }
        let epoch = ensemble.servers[leader - 1].currentEpoch
        if timedEpoch != epoch {
            // A new leader touches every session: their timeouts start again now.
            silences = []
            timers = []
            timedEpoch = epoch
        }
        var kept: [Silence] = []
        for record in tree.sessions {
            if closing.contains(record.id) { continue }
            if isHeard(record.id) { continue }
            if let old = silences.first(where: { $0.session == record.id }) {
                kept.append(old)
            } else {
                let silence = Silence(session: record.id, sinceMs: nowMs, expiresAtMs: expiryTime(nowMs + record.timeoutMs))
                kept.append(silence)
                schedule(ExpiryCheck(timeMs: silence.expiresAtMs, sequence: timerSequence, session: record.id))
                timerSequence += 1
            }
        }
        silences = kept
        timers.removeAll { timer in !silences.contains { $0.session == timer.session && $0.expiresAtMs == timer.timeMs } }
    }

    mutating func schedule(_ check: ExpiryCheck) {
        let i = timers.firstIndex { ($0.timeMs, $0.sequence) > (check.timeMs, check.sequence) } ?? timers.count
        timers.insert(check, at: i)
    }

    /// An expiry check fell due: if the session is still silent, the leader proposes closeSession
    /// ("Expiring session 0x…, timeout of 4000ms exceeded").
    mutating func checkExpiry(_ check: ExpiryCheck, nowMs: Int64) -> [String] {
        guard let silence = silences.first(where: { $0.session == check.session && $0.expiresAtMs == check.timeMs }),
              let leader = ensemble.leader,
              let record = ensemble.state(of: leader)?.sessions.first(where: { $0.id == check.session }) else { return [] }
        guard (try? ensemble.submit(.closeSession(session: check.session), via: leader, nowMs: nowMs)) != nil else { return [] }
        closing.append(check.session)
        silences.removeAll { $0.session == silence.session }
        return ["s\(leader): Expiring session \(Self.hex(check.session)), timeout of \(record.timeoutMs)ms exceeded"]
    }
}
