// Broker failures and restarts, and the leader elections they trigger (kafka.md §5.4).

extension Cluster {
    /// Stops broker `id` (a crash or shutdown; ZooKeeper session expiry / missed KRaft heartbeats).
    ///
    /// - The broker leaves every ISR at once, except that Kafka never shrinks an ISR to empty: if it
    ///   was the last in-sync replica it stays listed (ZK ReplicaStateMachine / KRaft behave alike),
    ///   which is what lets it lead again cleanly when it returns.
    /// - Partitions it led elect a new leader (offline partition election): the first replica in
    ///   assignment order that is alive and in the ISR; failing that, when
    ///   unclean.leader.election.enable=true, the first alive replica (data loss); otherwise the
    ///   partition goes offline (leader nil). The leader epoch grows by one on every change.
    ///
    /// Unknown id → BROKER_NOT_AVAILABLE. Stopping a stopped broker changes nothing and returns [].
    @discardableResult
    public mutating func stopBroker(_ id: Int) throws -> [ElectionChange] {
        try stopBrokers([id])
    }

    /// Stops several brokers at once, as a controller handles every broker that vanished in one
    /// /brokers/ids change: all are marked dead before any partition elects, so no partition
    /// moves to a broker that is dying too (one leader-epoch bump, not two).
    @discardableResult
    public mutating func stopBrokers(_ ids: [Int]) throws -> [ElectionChange] {
        for id in ids where !brokers.contains(where: { $0.id == id }) { throw KafkaError.brokerNotAvailable(id) }
        var stopping: [Int] = []
        for id in ids {
            guard let b = brokers.firstIndex(where: { $0.id == id }), brokers[b].alive, !stopping.contains(id) else { continue }
            brokers[b].alive = false
            // A stopped broker's fetchers are gone with it; when it restarts it fetches normally.
            brokers[b].fetchPausedAtMs = nil
            stopping.append(id)
        }
        return stopping.flatMap { leaveReplicas(of: $0) }
    }

    /// A dead broker leaves the ISRs, and the partitions it led elect new leaders.
    private mutating func leaveReplicas(of id: Int) -> [ElectionChange] {
        var changes: [ElectionChange] = []
        for t in topics.indices {
            for p in topics[t].partitions.indices where topics[t].partitions[p].replicas.contains(id) {
                topics[t].partitions[p].lastCaughtUpTimeMs[id] = nil
                let wasLeader = topics[t].partitions[p].leader == id
                if topics[t].partitions[p].isr.count > 1 {
                    topics[t].partitions[p].isr.removeAll { $0 == id }
                }
                if wasLeader {
                    if let change = electOfflineLeader(topic: t, partition: p) {
                        changes.append(change)
                    } else {
                        topics[t].partitions[p].leader = nil
                        topics[t].partitions[p].leaderEpoch += 1
                        changes.append(ElectionChange(topic: topics[t].name, partition: p, oldLeader: id,
                                                      newLeader: nil, unclean: false, truncatedRecords: 0))
                    }
                }
                topics[t].partitions[p].updateHighWatermark(minInsyncReplicas: topics[t].config.minInsyncReplicasValue)
            }
        }
        return changes
    }

    /// Starts broker `id` again (with its fetchers running: stopping a broker un-paused it).
    ///
    /// - Where the partition has a leader, the returning replica truncates its log to where it
    ///   diverges from the leader's (at most the HW it last knew; after an unclean election, possibly
    ///   less), copies the rest from the leader and rejoins the ISR. Kafka does this by fetching;
    ///   in this synchronous model it is immediate, so the replica ends with the leader's log.
    /// - Offline partitions elect a leader: the first alive in-sync replica in assignment order,
    ///   or, with unclean.leader.election.enable=true, the first alive replica.
    ///
    /// Unknown id → BROKER_NOT_AVAILABLE. Starting a running broker changes nothing and returns [].
    @discardableResult
    public mutating func startBroker(_ id: Int) throws -> [ElectionChange] {
        guard let b = brokers.firstIndex(where: { $0.id == id }) else { throw KafkaError.brokerNotAvailable(id) }
        guard !brokers[b].alive else { return [] }
        brokers[b].alive = true
        var changes: [ElectionChange] = []
        for t in topics.indices {
            for p in topics[t].partitions.indices where topics[t].partitions[p].replicas.contains(id) {
                if let leaderLog = topics[t].partitions[p].leaderLog {
                    topics[t].partitions[p].logs[id] = leaderLog
                    let members = topics[t].partitions[p].isr + [id]
                    topics[t].partitions[p].isr = topics[t].partitions[p].inAssignmentOrder(members)
                } else if let change = electOfflineLeader(topic: t, partition: p) {
                    changes.append(change)
                }
                topics[t].partitions[p].updateHighWatermark(minInsyncReplicas: topics[t].config.minInsyncReplicasValue)
            }
        }
        return changes
    }

    /// Preferred-leader election (kafka-leader-election --election-type PREFERRED): where
    /// replicas[0] is alive, in the ISR and not already leading, it becomes the leader.
    @discardableResult
    public mutating func electPreferredLeaders() -> [ElectionChange] {
        var changes: [ElectionChange] = []
        for t in topics.indices {
            for p in topics[t].partitions.indices {
                let state = topics[t].partitions[p]
                guard let preferred = state.replicas.first, state.leader != preferred,
                      isAlive(preferred), state.isr.contains(preferred) else { continue }
                changes.append(makeLeader(preferred, topic: t, partition: p, unclean: false))
            }
        }
        return changes
    }

    // MARK: Election machinery

    /// Offline-partition election for a partition whose leader is gone (or about to be replaced):
    /// first replica in assignment order that is alive and in the ISR; else, if the topic allows
    /// unclean election, the first alive replica. Returns nil (and changes nothing) if nobody qualifies.
    mutating func electOfflineLeader(topic t: Int, partition p: Int) -> ElectionChange? {
        let state = topics[t].partitions[p]
        let alive = Set(aliveBrokerIDs)
        if let clean = state.replicas.first(where: { alive.contains($0) && state.isr.contains($0) }) {
            return makeLeader(clean, topic: t, partition: p, unclean: false)
        }
        if topics[t].config.uncleanLeaderElectionEnabled,
           let any = state.replicas.first(where: { alive.contains($0) }) {
            return makeLeader(any, topic: t, partition: p, unclean: true)
        }
        return nil
    }

    /// Installs `newLeader` (which may be a paused follower with a shorter log: the election rule looks
    /// at ISR membership, not at log length — kafka.md §5.4), bumps the leader epoch, brings the
    /// replicas in line with the new leader's log and rebuilds the ISR:
    /// - every alive fetching replica truncates what diverges, copies the rest and is in the ISR;
    /// - a paused replica that was in the ISR stays in it (the controller keeps the ISR on an
    ///   election); if its log runs past the new leader's LEO it is truncated to it — below that point
    ///   it already holds the leader's records. (Simplification: Kafka's fetcher truncates it when it
    ///   next runs, via OffsetsForLeaderEpoch, KIP-101/KIP-279, and until then the new leader treats its
    ///   LEO as unknown; truncating at the election gives the same log without that interim state.)
    ///   Its lastCaughtUpTimeMs is kept (Kafka's new leader resets it to the election time; elections
    ///   here take no clock);
    /// - a paused replica outside the ISR keeps its log untouched and stays out; it truncates and
    ///   catches up when its fetchers resume.
    /// The high watermark never exceeds the new leader's LEO, so it is at most min(old HW, its LEO),
    /// then advances by the usual rule (smallest ISR LEO, KAFKA-15583).
    /// The reported `truncatedRecords` is the most records any other replica loses by following the
    /// new leader (now or when it next fetches).
    mutating func makeLeader(_ newLeader: Int, topic t: Int, partition p: Int, unclean: Bool) -> ElectionChange {
        var state = topics[t].partitions[p]
        let oldLeader = state.leader
        let oldISR = state.isr
        let leaderLog = state.logs[newLeader] ?? PartitionLog()
        var truncated: Int64 = 0
        for (broker, log) in state.logs where broker != newLeader {
            let lost = log.logEndOffset - PartitionLog.divergenceOffset(log, leaderLog)
            truncated = max(truncated, lost)
        }
        state.logs[newLeader] = leaderLog
        state.leader = newLeader
        state.leaderEpoch += 1
        let alive = Set(aliveBrokerIDs)
        var members = [newLeader]
        for broker in state.replicas where broker != newLeader && alive.contains(broker) {
            if isFetchingPaused(broker) {
                guard oldISR.contains(broker) else { continue }
                if (state.logs[broker]?.logEndOffset ?? 0) > leaderLog.logEndOffset {
                    state.logs[broker] = leaderLog
                }
            } else {
                state.logs[broker] = leaderLog
            }
            members.append(broker)
        }
        state.isr = state.inAssignmentOrder(members)
        state.updateHighWatermark(minInsyncReplicas: topics[t].config.minInsyncReplicasValue)
        topics[t].partitions[p] = state
        return ElectionChange(topic: topics[t].name, partition: p, oldLeader: oldLeader, newLeader: newLeader,
                              unclean: unclean, truncatedRecords: truncated)
    }
}
