// Fast Leader Election (FastLeaderElection.java; zookeeper.md §1). The receive queue of
// lookForLeader is the event queue; the poll timeouts are timers.

extension Ensemble {
    static func hex(_ value: Int64) -> String { "0x" + String(UInt64(bitPattern: value), radix: 16) }

    /// lookForLeader: `logicalclock++`, propose myself (my sid, last logged zxid, currentEpoch),
    /// notify every voter (myself included), and poll with notTimeout = finalizeWait.
    mutating func lookForLeader(_ i: Int) {
        let sid = i + 1
        nodes[i].election.logicalClock += 1
        let round = nodes[i].election.logicalClock
        let initVote = Vote(leader: sid, zxid: nodes[i].lastLoggedZxid, round: round, peerEpoch: nodes[i].currentEpoch)
        nodes[i].election.initVote = initVote
        nodes[i].election.proposal = initVote
        nodes[i].election.recvset = Array(repeating: nil, count: size)
        nodes[i].election.outOfElection = Array(repeating: nil, count: size)
        nodes[i].election.notTimeoutMs = config.finalizeWaitMs
        nodes[i].election.finalizing = false
        nodes[i].finalizeToken = 0
        note("s\(sid) is LOOKING in round \(Self.hex(round)) and votes for itself \(initVote)")
        sendNotifications(i)
        armNotTimeout(i)
    }

    /// sendNotifications: my proposal, my round, LOOKING, to every voter (myself too).
    mutating func sendNotifications(_ i: Int) {
        var vote = nodes[i].election.proposal
        vote.round = nodes[i].election.logicalClock
        vote.state = .looking
        for to in 1...size { send(.notification, .notification(vote), from: i + 1, to: to) }
    }

    mutating func armNotTimeout(_ i: Int) {
        let token = newToken()
        nodes[i].notTimeoutToken = token
        arm(i + 1, .notificationTimeout, at: clockMs + nodes[i].election.notTimeoutMs, token: token)
    }

    mutating func armFinalize(_ i: Int) {
        let token = newToken()
        nodes[i].finalizeToken = token
        arm(i + 1, .finalizeWait, at: clockMs + config.finalizeWaitMs, token: token)
    }

    /// One notification reaches server `r` (WorkerReceiver, then the lookForLeader loop).
    mutating func receiveNotification(at r: Int, from s: Int, _ n: Vote) {
        let i = r - 1
        // WorkerReceiver, not LOOKING: answer a LOOKING sender with the vote I decided on.
        guard nodes[i].role == .looking else {
            if n.state == .looking {
                var answer = nodes[i].currentVote
                answer.state = nodes[i].role
                send(.notification, .notification(answer), from: r, to: s)
                note("s\(r) (\(nodes[i].role.rawValue)) answers LOOKING s\(s) with its vote: leader \(answer.leader), round \(Self.hex(answer.round))")
            }
            return
        }
        let round = nodes[i].election.logicalClock
        // WorkerReceiver, LOOKING: a LOOKING peer in an older round gets my vote so it catches up.
        if n.state == .looking, n.round < round, s != r {
            var answer = nodes[i].election.proposal
            answer.round = round
            answer.state = .looking
            send(.notification, .notification(answer), from: r, to: s)
        }
        // Finalize wait: a notification that beats my proposal is put back and the loop goes on;
        // any other is consumed and the wait starts over (recvqueue.poll(finalizeWait)).
        if nodes[i].election.finalizing {
            if n.beats(nodes[i].election.proposal) {
                nodes[i].election.finalizing = false
                nodes[i].finalizeToken = 0
                note("s\(r) ends its finalize wait: s\(s)'s \(n) beats its proposal (\(n.winReason(over: nodes[i].election.proposal)))")
            } else {
                armFinalize(i)
                return
            }
        }
        switch n.state {
        case .looking:
            receiveLookingVote(i, from: s, n)
        case .following, .leading:
            receiveOutOfElectionVote(i, from: s, n)
        }
    }

    /// lookForLeader, notification from a LOOKING peer.
    mutating func receiveLookingVote(_ i: Int, from s: Int, _ n: Vote) {
        let r = i + 1
        let round = nodes[i].election.logicalClock
        if n.round > round {
            nodes[i].election.logicalClock = n.round
            nodes[i].election.recvset = Array(repeating: nil, count: size)
            let initVote = nodes[i].election.initVote
            var chosen = n.beats(initVote) ? n : initVote
            chosen.round = n.round
            chosen.state = .looking
            nodes[i].election.proposal = chosen
            let why = n.beats(initVote)
                ? "s\(s)'s vote beats its initial vote \(initVote): \(n.winReason(over: initVote))"
                : "its initial vote is at least as good as s\(s)'s \(n)"
            note("s\(r) moves to round \(Self.hex(n.round)) (s\(s) is ahead), clears its votes and proposes \(chosen): \(why)")
            sendNotifications(i)
        } else if n.round < round {
            note("s\(r) ignores s\(s)'s notification of round \(Self.hex(n.round)) (it is in round \(Self.hex(round))) and answers with its vote")
            armNotTimeout(i)
            return
        } else if n.beats(nodes[i].election.proposal) {
            let old = nodes[i].election.proposal
            var adopted = n
            adopted.state = .looking
            nodes[i].election.proposal = adopted
            note("s\(r) adopts \(n) over \(old): \(n.winReason(over: old))")
            sendNotifications(i)
        }
        nodes[i].election.recvset[s - 1] = Vote(leader: n.leader, zxid: n.zxid, round: n.round, peerEpoch: n.peerEpoch)
        let proposal = nodes[i].election.proposal
        let agreeing = agreeingSids(nodes[i].election.recvset, with: proposal)
        if agreeing.count >= quorumSize {
            nodes[i].election.finalizing = true
            nodes[i].election.finalizeStartMs = clockMs
            nodes[i].notTimeoutToken = 0
            armFinalize(i)
            note("s\(r): quorum {\(agreeing.listed)} agrees on \(proposal); finalize wait \(config.finalizeWaitMs) ms")
        } else {
            armNotTimeout(i)
        }
    }

    /// lookForLeader, notification from a FOLLOWING/LEADING peer (joining an established
    /// ensemble): same-round votes go to recvset; every one goes to outofelection.
    mutating func receiveOutOfElectionVote(_ i: Int, from s: Int, _ n: Vote) {
        if n.round == nodes[i].election.logicalClock {
            nodes[i].election.recvset[s - 1] = n
            let agreeing = agreeingSids(nodes[i].election.recvset, with: n)
            if agreeing.count >= quorumSize, checkLeader(i, nodes[i].election.recvset, leader: n.leader, round: n.round) {
                decide(i, leader: n.leader, vote: n,
                       why: "quorum {\(agreeing.listed)} of round \(Self.hex(n.round)) agrees on leader \(n.leader), which says it is LEADING")
                return
            }
        }
        nodes[i].election.outOfElection[s - 1] = n
        let agreeing = agreeingSids(nodes[i].election.outOfElection, with: n)
        if agreeing.count >= quorumSize, checkLeader(i, nodes[i].election.outOfElection, leader: n.leader, round: n.round) {
            nodes[i].election.logicalClock = n.round
            decide(i, leader: n.leader, vote: n,
                   why: "a quorum {\(agreeing.listed)} out of the election follows leader \(n.leader) (round \(Self.hex(n.round))); joins without a new election")
            return
        }
        armNotTimeout(i)
    }

    /// Sids whose recorded vote equals `vote` (Vote.equals).
    func agreeingSids(_ votes: [Vote?], with vote: Vote) -> SidSet {
        var set = SidSet()
        for (j, v) in votes.enumerated() {
            if let v, v.agrees(with: vote) { set.insert(j + 1) }
        }
        return set
    }

    /// checkLeader: a leader other than me must itself have told me it is LEADING; if I am the
    /// proposed leader, the round must be mine.
    func checkLeader(_ i: Int, _ votes: [Vote?], leader: Int, round: Int64) -> Bool {
        if leader != i + 1 {
            guard leader >= 1, leader <= size, let v = votes[leader - 1] else { return false }
            return v.state == .leading
        }
        return nodes[i].election.logicalClock == round
    }

    /// The finalize wait ended with no better notification: decide on my proposal.
    mutating func finalizeWaitEnded(_ i: Int) {
        guard nodes[i].role == .looking, nodes[i].election.finalizing else { return }
        let proposal = nodes[i].election.proposal
        let agreeing = agreeingSids(nodes[i].election.recvset, with: proposal)
        let waited = clockMs - nodes[i].election.finalizeStartMs
        decide(i, leader: proposal.leader, vote: proposal, why: "quorum {\(agreeing.listed)} after \(waited) ms finalize wait")
    }

    /// notTimeout expired: resend my vote to everyone and double the timeout (up to
    /// maxNotificationInterval).
    mutating func notificationTimedOut(_ i: Int) {
        guard nodes[i].role == .looking else { return }
        let waited = nodes[i].election.notTimeoutMs
        sendNotifications(i)
        nodes[i].election.notTimeoutMs = Swift.min(waited * 2, config.maxNotificationIntervalMs)
        note("s\(i + 1) heard nothing for \(waited) ms: resends its vote, next timeout \(nodes[i].election.notTimeoutMs) ms")
        armNotTimeout(i)
    }

    /// setPeerState + leaveInstance: LEADING if the vote names me, else FOLLOWING.
    mutating func decide(_ i: Int, leader: Int, vote: Vote, why: String) {
        let sid = i + 1
        nodes[i].election.finalizing = false
        nodes[i].notTimeoutToken = 0
        nodes[i].finalizeToken = 0
        // endVote: (leader, zxid, logicalclock, peerEpoch); on the out-of-election path the
        // round was just set to the leader's.
        let role: Role = leader == sid ? .leading : .following
        var end = vote
        end.round = nodes[i].election.logicalClock
        end.state = role
        nodes[i].currentVote = end
        setRole(i, role)
        decision(sid, "s\(sid) decides \(role.rawValue)\(role == .following ? " s\(leader)" : ""): \(why)")
        if role == .leading {
            becomeLeader(i)
        } else {
            becomeFollower(i, leader: leader)
        }
    }

    /// Leaves FOLLOWING/LEADING: closes its connections, reloads its database from disk and
    /// looks for a leader again (QuorumPeer.run after Follower/Leader shutdown).
    mutating func goLooking(_ i: Int, _ why: String) {
        let sid = i + 1
        guard nodes[i].alive, nodes[i].role != .looking else { return }
        decision(sid, why)
        if let l = nodes[i].leadership {
            for (j, h) in l.handlers.enumerated() {
                if let h { sendSocketClosed(from: sid, to: j + 1, conn: h.conn) }
            }
        }
        if let f = nodes[i].follower { sendSocketClosed(from: sid, to: f.leader, conn: f.conn) }
        nodes[i].leadership = nil
        nodes[i].follower = nil
        nodes[i].serving = false
        nodes[i].phaseToken = 0
        nodes[i].retryToken = 0
        let replayed = reloadDatabase(i)
        note("s\(sid) reloads its database: snapshot \(nodes[i].snapshotZxid) + \(replayed) logged txns → lastProcessedZxid \(nodes[i].lastProcessedZxid)")
        setRole(i, .looking)
        lookForLeader(i)
    }
}
