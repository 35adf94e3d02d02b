// ZAB discovery and synchronisation (zookeeper.md §2): Leader.lead, getEpochToPropose,
// waitForEpochAck, waitForNewLeaderAck, LearnerHandler.syncFollower on the leader side;
// Learner.registerWithLeader and Learner.syncWithLeader on the follower side.

extension Ensemble {
    mutating func armPhaseTimer(_ i: Int, afterMs delay: Int64) {
        let token = newToken()
        nodes[i].phaseToken = token
        arm(i + 1, .initLimit, at: clockMs + delay, token: token)
    }

    // MARK: Leader side

    /// Leader.lead starts: zk.loadData has applied the whole log (it counts as committed) and
    /// takes a snapshot; then the leader waits for FOLLOWERINFO from a quorum (itself included)
    /// within initLimit×tickTime.
    mutating func becomeLeader(_ i: Int) {
        let sid = i + 1
        takeSnapshot(i)
        var leadership = LeaderState(id: newToken(), maxAcceptedEpoch: nodes[i].acceptedEpoch,
                                     handlers: Array(repeating: nil, count: size), summaryEpoch: nodes[i].currentEpoch,
                                     summaryZxid: nodes[i].lastProcessedZxid, startedMs: clockMs)
        leadership.connecting.insert(sid)
        nodes[i].leadership = leadership
        note("s\(sid) snapshots at \(nodes[i].snapshotZxid) and waits for FOLLOWERINFO from a quorum (\(quorumSize)) within initLimit×tickTime = \(config.initLimitMs) ms")
        armPhaseTimer(i, afterMs: config.initLimitMs)
        checkEpochQuorum(i)
    }

    /// getEpochToPropose: once a quorum connected, newEpoch = max(acceptedEpochs) + 1.
    mutating func checkEpochQuorum(_ i: Int) {
        guard let l = nodes[i].leadership, l.phase == .discovery, l.connecting.count >= quorumSize else { return }
        let sid = i + 1
        let newEpoch = l.maxAcceptedEpoch + 1
        nodes[i].acceptedEpoch = newEpoch
        nodes[i].leadership?.newEpoch = newEpoch
        nodes[i].leadership?.phase = .awaitingEpochAcks
        nodes[i].leadership?.electing = SidSet(sid)
        note("s\(sid): FOLLOWERINFO from quorum {\(l.connecting.listed)}; proposes epoch \(newEpoch) = max acceptedEpoch \(l.maxAcceptedEpoch) + 1")
        for j in 0..<size {
            if let h = nodes[i].leadership?.handlers[j], h.phase == .connected {
                send(.leaderInfo, .leaderInfo(conn: h.conn, newEpoch: newEpoch), from: sid, to: j + 1)
                nodes[i].leadership?.handlers[j]?.phase = .leaderInfoSent
            }
        }
        armPhaseTimer(i, afterMs: config.initLimitMs)
        checkEpochAckQuorum(i)
    }

    /// waitForEpochAck: once a quorum acked the epoch, it becomes currentEpoch and every
    /// follower that acked is synchronised.
    mutating func checkEpochAckQuorum(_ i: Int) {
        guard let l = nodes[i].leadership, l.phase == .awaitingEpochAcks, l.electing.count >= quorumSize else { return }
        let sid = i + 1
        nodes[i].currentEpoch = l.newEpoch
        nodes[i].leadership?.phase = .awaitingNewLeaderAcks
        nodes[i].leadership?.newLeaderAcks = SidSet(sid)
        note("s\(sid): epoch \(l.newEpoch) acked by quorum {\(l.electing.listed)}; currentEpoch \(l.newEpoch); synchronising followers")
        armPhaseTimer(i, afterMs: config.initLimitMs)
        for j in 0..<size {
            if let h = nodes[i].leadership?.handlers[j], h.phase == .epochAcked { syncFollower(i, j + 1) }
        }
        checkNewLeaderQuorum(i)
    }

    /// waitForNewLeaderAck: a quorum acked NEWLEADER → start serving.
    mutating func checkNewLeaderQuorum(_ i: Int) {
        guard let l = nodes[i].leadership, l.phase == .awaitingNewLeaderAcks, l.newLeaderAcks.count >= quorumSize else { return }
        startServing(i)
    }

    /// "Have quorum of supporters … starting up and setting last processed zxid: (e, 0)"; the
    /// followers that acked NEWLEADER get UPTODATE.
    mutating func startServing(_ i: Int) {
        guard let l = nodes[i].leadership else { return }
        let sid = i + 1
        checkLeaderHistory(i, epoch: l.newEpoch)
        let start = Zxid(epoch: l.newEpoch, counter: 0)
        nodes[i].lastProcessedZxid = start
        nodes[i].leadership?.lastProposed = start
        nodes[i].leadership?.phase = .serving
        nodes[i].serving = true
        nodes[i].phaseToken = 0
        // QuorumPeer.updateElectionVote (ZOOKEEPER-1732): report the new epoch to servers that join
        // later, so every member's vote agrees on (leader, peerEpoch).
        nodes[i].currentVote.peerEpoch = l.newEpoch
        electedLeaders.append(EpochLeader(epoch: l.newEpoch, sid: sid, timeMs: clockMs))
        decision(sid, "s\(sid): Have quorum of supporters, sids: [ \(l.newLeaderAcks.listed) ]; starting up and setting last processed zxid: \(start)")
        var synced = 1
        for j in 0..<size {
            if let h = nodes[i].leadership?.handlers[j], h.phase == .synced {
                send(.upToDate, .upToDate(conn: h.conn), from: sid, to: j + 1)
                synced += 1
            }
        }
        // A NEWLEADER ack counts even if that follower's connection closed since; the first
        // half-tick check of Leader.lead then finds too few synced followers.
        if synced < quorumSize {
            arm(sid, .quorumCheck, at: clockMs + Swift.max(config.tickTimeMs / 2, 1), token: l.id)
        }
    }

    /// A follower connects. Only a LEADING server accepts learner connections; otherwise the
    /// connection is refused and the follower retries.
    mutating func leaderReceivesFollowerInfo(at to: Int, from: Int, conn: Int, acceptedEpoch: Int64, lastLoggedZxid: Zxid) {
        let i = to - 1
        guard nodes[i].role == .leading, let l = nodes[i].leadership else {
            note("s\(to) refuses s\(from)'s connection: it is not LEADING")
            connectionRefused(follower: from, conn: conn, by: to)
            return
        }
        if let old = l.handlers[from - 1], old.conn != conn {
            note("s\(to) replaces its old connection with s\(from)")
        }
        nodes[i].leadership?.handlers[from - 1] = LearnerHandler(conn: conn, phase: .connected, acceptedEpoch: acceptedEpoch,
                                                                 peerLastZxid: lastLoggedZxid)
        if l.phase == .discovery {
            nodes[i].leadership?.connecting.insert(from)
            nodes[i].leadership?.maxAcceptedEpoch = Swift.max(l.maxAcceptedEpoch, acceptedEpoch)
            note("s\(to) registers follower s\(from) (acceptedEpoch \(acceptedEpoch), lastLoggedZxid \(lastLoggedZxid))")
            checkEpochQuorum(i)
        } else {
            send(.leaderInfo, .leaderInfo(conn: conn, newEpoch: l.newEpoch), from: to, to: from)
            nodes[i].leadership?.handlers[from - 1]?.phase = .leaderInfoSent
        }
    }

    /// ACKEPOCH: during waitForEpochAck a follower more recent than the leader is rejected
    /// ("Follower is ahead of the leader"); otherwise it counts toward the epoch quorum (unless it
    /// had already accepted this epoch, -1). After the quorum, each ACKEPOCH leads to a sync.
    mutating func leaderReceivesAckEpoch(at to: Int, from: Int, conn: Int, currentEpoch: Int64, lastLoggedZxid: Zxid) {
        let i = to - 1
        guard isFromMyFollower(i, from: from, conn: conn, .ackEpoch), let l = nodes[i].leadership,
              let h = l.handlers[from - 1], h.phase == .leaderInfoSent else { return }
        nodes[i].leadership?.handlers[from - 1]?.peerLastZxid = lastLoggedZxid
        nodes[i].leadership?.handlers[from - 1]?.phase = .epochAcked
        switch l.phase {
        case .discovery:
            return
        case .awaitingEpochAcks:
            if currentEpoch != -1 {
                if currentEpoch > l.summaryEpoch || (currentEpoch == l.summaryEpoch && lastLoggedZxid > l.summaryZxid) {
                    note("s\(to): Follower is ahead of the leader, leader summary: \(l.summaryEpoch) (current epoch), \(l.summaryZxid) (last zxid); closes s\(from)'s connection")
                    nodes[i].leadership?.handlers[from - 1] = nil
                    sendSocketClosed(from: to, to: from, conn: conn)
                    return
                }
                nodes[i].leadership?.electing.insert(from)
            }
            checkEpochAckQuorum(i)
        case .awaitingNewLeaderAcks, .serving:
            syncFollower(i, from)
        }
    }

    /// LearnerHandler.syncFollower: compare the follower's peerLastZxid with the committed-log
    /// window [minCommittedLog, maxCommittedLog] (both = lastProcessedZxid when the window is
    /// empty): equal to lastProcessedZxid → empty DIFF; newer than maxCommittedLog (and not a bare
    /// new-epoch zxid) → TRUNC to maxCommittedLog; inside the window → DIFF, or TRUNC+DIFF when
    /// the follower's tail diverges (SNAP if that would cross an epoch); otherwise SNAP. Then
    /// startForwarding queues the outstanding proposals, and NEWLEADER follows.
    mutating func syncFollower(_ i: Int, _ f: Int) {
        guard let l = nodes[i].leadership, let h = l.handlers[f - 1] else { return }
        let sid = i + 1
        let peer = h.peerLastZxid
        let lastProcessed = nodes[i].lastProcessedZxid
        let range = windows[i].range ?? ZxidRange(min: lastProcessed, max: lastProcessed)
        let peerIsNewEpochZxid = peer.counter == 0
        var mode = MessageType.snap
        var truncZxid: Zxid?
        var committed: [LogEntry<Payload>] = []
        var currentZxid = peer
        var why: String
        if peer == lastProcessed {
            mode = .diff
            why = "peerLastZxid \(peer) equals lastProcessedZxid"
        } else if peer > range.max && !peerIsNewEpochZxid {
            mode = .trunc
            truncZxid = range.max
            currentZxid = range.max
            why = "peerLastZxid \(peer) > maxCommittedLog \(range.max)"
        } else if range.min <= peer && peer <= range.max {
            let window = windows[i]
            var needOp = true
            var prev: Zxid?
            var crossesEpoch = false
            var k = 0
            while k < window.count {
                let entry = window[k]
                k += 1
                if entry.zxid < peer {
                    prev = entry.zxid
                    continue
                }
                if needOp {
                    if entry.zxid == peer {
                        mode = .diff
                        needOp = false
                        continue
                    }
                    if peerIsNewEpochZxid {
                        mode = .diff
                        needOp = false
                    } else if entry.zxid > peer {
                        if entry.zxid.epoch != peer.epoch {
                            crossesEpoch = true
                            break
                        }
                        mode = .trunc
                        truncZxid = prev
                        needOp = false
                    }
                }
                committed.append(entry)
            }
            if needOp && peerIsNewEpochZxid && !crossesEpoch {
                mode = .diff
                needOp = false
            }
            if crossesEpoch || needOp || (mode == .trunc && truncZxid == nil) {
                mode = .snap
                committed = []
                why = crossesEpoch ? "peerLastZxid \(peer) diverges and a TRUNC cannot cross an epoch" : "no usable committed log for peerLastZxid \(peer)"
            } else if mode == .trunc {
                why = "peerLastZxid \(peer) in \(range) but not in the leader's history: TRUNC to \(truncZxid ?? .zero) + DIFF"
            } else {
                why = "peerLastZxid \(peer) in \(range)"
            }
            if mode != .snap { currentZxid = committed.last?.zxid ?? (truncZxid ?? peer) }
        } else if windows[i].isEmpty {
            why = "committed log empty (lastProcessedZxid \(lastProcessed))"
        } else {
            why = "peerLastZxid \(peer) older than minCommittedLog \(range.min)"
        }
        var snapshot: Snapshot<State>?
        var packetZxid = range.max
        switch mode {
        case .snap:
            snapshot = Snapshot(zxid: lastProcessed, state: states[i])
            currentZxid = lastProcessed
            packetZxid = lastProcessed
        case .trunc:
            packetZxid = truncZxid ?? range.max
        default:
            packetZxid = peer == lastProcessed ? peer : range.max
        }
        // Leader.startForwarding: outstanding proposals after what the packet covers.
        var proposals: [LogEntry<Payload>] = []
        var k = nodes[i].appliedIndex
        while k < nodes[i].logCount {
            let entry = logs[i][k]
            if entry.zxid > currentZxid { proposals.append(entry) }
            k += 1
        }
        let packet = SyncPacket(conn: h.conn, mode: mode, peerLastZxid: peer, truncZxid: truncZxid, snapshot: snapshot,
                                committed: committed, proposals: proposals, zxid: packetZxid)
        note("s\(sid) → s\(f) sync: \(mode.rawValue) (\(why)); \(committed.count) committed + \(proposals.count) outstanding proposals")
        send(mode, .syncPacket(packet), from: sid, to: f)
        send(.newLeader, .newLeader(conn: h.conn, zxid: Zxid(epoch: l.newEpoch, counter: 0)), from: sid, to: f)
        nodes[i].leadership?.handlers[f - 1]?.phase = .forwarding
        nodes[i].leadership?.handlers[f - 1]?.ackedThrough = .zero
    }

    /// A follower's NEWLEADER ack (waitForNewLeaderAck), or a proposal ack.
    mutating func leaderReceivesAck(at to: Int, from: Int, conn: Int, zxid: Zxid, kind: AckKind) {
        let i = to - 1
        guard isFromMyFollower(i, from: from, conn: conn, .ack), let l = nodes[i].leadership,
              let h = l.handlers[from - 1] else { return }
        switch kind {
        case .newLeader:
            guard h.phase == .forwarding, zxid == Zxid(epoch: l.newEpoch, counter: 0) else { return }
            nodes[i].leadership?.handlers[from - 1]?.phase = .synced
            if l.phase == .awaitingNewLeaderAcks {
                nodes[i].leadership?.newLeaderAcks.insert(from)
                checkNewLeaderQuorum(i)
            } else if l.phase == .serving {
                send(.upToDate, .upToDate(conn: conn), from: to, to: from)
            }
        case .proposal:
            if zxid > h.ackedThrough { nodes[i].leadership?.handlers[from - 1]?.ackedThrough = zxid }
            tryCommit(i)
        }
    }

    // MARK: Follower side

    /// After deciding FOLLOWING: connect to the leader and send FOLLOWERINFO(acceptedEpoch,
    /// lastLoggedZxid); the whole handshake must finish within initLimit×tickTime.
    mutating func becomeFollower(_ i: Int, leader: Int) {
        let conn = Int(newToken())
        nodes[i].follower = FollowerState(leader: leader, conn: conn)
        sendFollowerInfo(i)
        armPhaseTimer(i, afterMs: config.initLimitMs)
    }

    mutating func sendFollowerInfo(_ i: Int) {
        guard let f = nodes[i].follower else { return }
        send(.followerInfo, .followerInfo(conn: f.conn, acceptedEpoch: nodes[i].acceptedEpoch, lastLoggedZxid: nodes[i].lastLoggedZxid),
             from: i + 1, to: f.leader)
    }

    /// The connection attempt was refused (leader down or not LEADING): retry after
    /// leaderConnectRetryMs, up to leaderConnectTries attempts (Learner.connectToLeader).
    mutating func connectionRefused(follower: Int, conn: Int, by leader: Int) {
        let i = follower - 1
        guard nodes[i].alive, let f = nodes[i].follower, f.conn == conn, f.phase == .connecting else { return }
        let token = newToken()
        nodes[i].retryToken = token
        arm(follower, .connectRetry, at: clockMs + config.leaderConnectRetryMs, token: token)
        note("s\(follower)'s connection to s\(leader) is refused (try \(f.tries) of \(config.leaderConnectTries)); retries in \(config.leaderConnectRetryMs) ms")
    }

    mutating func connectRetryFired(_ i: Int) {
        guard let f = nodes[i].follower, f.phase == .connecting else { return }
        if f.tries >= config.leaderConnectTries {
            goLooking(i, "s\(i + 1): connectToLeader s\(f.leader) failed \(f.tries) times; goes LOOKING")
            return
        }
        nodes[i].follower?.tries += 1
        sendFollowerInfo(i)
    }

    /// LEADERINFO: a newer epoch is accepted (ACKEPOCH with my currentEpoch); the same epoch gets
    /// ACKEPOCH with -1; an older one is an error ("Leaders epoch, e is less than accepted epoch").
    mutating func followerReceivesLeaderInfo(at to: Int, from: Int, conn: Int, newEpoch: Int64) {
        let i = to - 1
        guard isFromMyLeader(i, from: from, conn: conn, .leaderInfo), nodes[i].follower?.phase == .connecting else { return }
        let accepted = nodes[i].acceptedEpoch
        var reported = nodes[i].currentEpoch
        if newEpoch > accepted {
            nodes[i].acceptedEpoch = newEpoch
        } else if newEpoch == accepted {
            reported = -1
        } else {
            goLooking(i, "s\(to): Leaders epoch, \(newEpoch) is less than accepted epoch, \(accepted); goes LOOKING")
            return
        }
        nodes[i].retryToken = 0
        send(.ackEpoch, .ackEpoch(conn: conn, currentEpoch: reported, lastLoggedZxid: nodes[i].lastLoggedZxid), from: to, to: from)
        nodes[i].follower?.phase = .epochAcked
    }

    /// DIFF/TRUNC/SNAP (Learner.syncWithLeader): apply the packet, then log the outstanding
    /// proposals (applied when their COMMIT arrives). The synced history is written to disk at
    /// once; the snapshot is taken at NEWLEADER.
    mutating func followerReceivesSync(at to: Int, from: Int, _ packet: SyncPacket<State>) {
        let i = to - 1
        guard isFromMyLeader(i, from: from, conn: packet.conn, packet.mode), nodes[i].follower?.phase == .epochAcked else { return }
        switch packet.mode {
        case .snap:
            let snapshot = packet.snapshot ?? Snapshot()
            replaceDisk(i, snapshot: snapshot, log: [])
            states[i] = snapshot.state
            nodes[i].lastProcessedZxid = snapshot.zxid
            nodes[i].appliedIndex = 0
            windows[i].removeAll()
            note("s\(to): Getting a snapshot from leader \(snapshot.zxid)")
        case .trunc:
            let point = packet.truncZxid ?? packet.zxid
            guard point >= nodes[i].snapshotZxid else {
                // ZooKeeper exits here ("Not able to truncate the log"); the model discards the
                // data dir instead, so the next sync is a SNAP.
                replaceDisk(i, snapshot: Snapshot(), log: [])
                goLooking(i, "s\(to): Not able to truncate the log to \(point) (its snapshot is newer); discards its data dir and resyncs")
                return
            }
            truncateLog(i, after: point)
            reloadDatabase(i)
            note("s\(to): Truncating log to \(point)")
        default:
            nodes[i].follower?.diffSynced = true
            note("s\(to): Getting a diff from the leader \(packet.zxid)")
        }
        for entry in packet.committed where entry.zxid > nodes[i].lastLoggedZxid {
            appendLog(i, entry)
            let (applied, output) = applyNext(i)
            checkAppliedAgainstHistory(to, applied)
            reportApply(to, applied, output)
        }
        for entry in packet.proposals where entry.zxid > nodes[i].lastLoggedZxid {
            appendLog(i, entry)
        }
        nodes[i].follower?.phase = .syncReceived
    }

    /// NEWLEADER: accept the epoch as current, snapshot the synced state (after a SNAP or TRUNC;
    /// not after a DIFF, as in ZooKeeper 3.8's Learner.syncWithLeader), ack NEWLEADER, then ack
    /// the outstanding proposals logged during the sync.
    mutating func followerReceivesNewLeader(at to: Int, from: Int, conn: Int, zxid: Zxid) {
        let i = to - 1
        guard isFromMyLeader(i, from: from, conn: conn, .newLeader), nodes[i].follower?.phase == .syncReceived else { return }
        nodes[i].currentEpoch = zxid.epoch
        if nodes[i].follower?.diffSynced != true { takeSnapshot(i) }
        send(.ack, .ack(conn: conn, zxid: zxid, kind: .newLeader), from: to, to: from)
        if nodes[i].logCount > 0 {
            send(.ack, .ack(conn: conn, zxid: nodes[i].lastLoggedZxid, kind: .proposal), from: to, to: from)
        }
        nodes[i].follower?.phase = .newLeaderAcked
        note("s\(to) acks NEWLEADER \(zxid): currentEpoch \(zxid.epoch), snapshot at \(nodes[i].snapshotZxid)")
    }

    /// UPTODATE: the follower starts serving clients.
    mutating func followerReceivesUpToDate(at to: Int, from: Int, conn: Int) {
        let i = to - 1
        guard isFromMyLeader(i, from: from, conn: conn, .upToDate), nodes[i].follower?.phase == .newLeaderAcked else { return }
        nodes[i].follower?.phase = .broadcast
        nodes[i].serving = true
        nodes[i].phaseToken = 0
        // QuorumPeer.updateElectionVote (ZOOKEEPER-1732), as on the leader.
        nodes[i].currentVote.peerEpoch = nodes[i].currentEpoch
        decision(to, "s\(to) is serving: following s\(from) in epoch \(nodes[i].currentEpoch), lastProcessedZxid \(nodes[i].lastProcessedZxid)")
    }
}
