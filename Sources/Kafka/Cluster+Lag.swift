// Lagging followers: paused replica fetchers, ISR shrink and catch-up (kafka.md §2.4, §5.4).
//
// Kafka's followers fetch from their leaders on replica fetcher threads. When a broker's fetchers
// stall (a GC pause, a slow disk, a network problem) the broker stays up — it still leads what it
// leads and is still listed in its ISRs — but its follower replicas stop copying. Then:
// - the leader keeps appending; the paused follower's LEO falls behind and, because HW = smallest
//   ISR LEO, the HW stops advancing: acks=all requests wait, acks=1 is acknowledged at once;
// - Partition.maybeShrinkIsr drops a follower that has not been caught up to the leader's LEO for
//   replica.lag.time.max.ms (Replica.isCaughtUp: LEO == leader LEO, or
//   now - lastCaughtUpTimeMs <= replica.lag.time.max.ms); the HW then advances (KAFKA-15583 permitting);
// - until it is dropped, the lagging follower is a clean election candidate: if the leader dies it
//   may be elected with a shorter log, and records acknowledged with acks=1 are lost (the old leader
//   truncates its tail when it returns).
// Kafka runs the shrink check every replica.lag.time.max.ms / 2; here the host calls `shrinkIsr` at
// the exact time `nextIsrShrinkMs()` reports.

extension Cluster {
    /// Ids of the brokers whose replica fetchers are paused, ascending.
    public var pausedBrokers: [Int] {
        brokers.filter { $0.alive && $0.isFetchingPaused }.map(\.id).sorted()
    }

    /// The broker stays up (it still leads what it leads, and stays a member of its ISRs for now) but
    /// its replica fetchers stop: its follower replicas stop copying new records (a GC pause, a slow
    /// disk, a network problem). Each of its replicas' lastCaughtUpTimeMs becomes `nowMs`: the last
    /// fetch before the pause had the leader's LEO (a fetching follower is always caught up here).
    ///
    /// Unknown or stopped id → BROKER_NOT_AVAILABLE (nothing changes). Pausing a paused broker
    /// changes nothing (its replicas keep their original lastCaughtUpTimeMs).
    public mutating func pauseFetching(broker id: Int, nowMs: Int64) throws {
        guard let b = brokers.firstIndex(where: { $0.id == id }), brokers[b].alive else {
            throw KafkaError.brokerNotAvailable(id)
        }
        guard !brokers[b].isFetchingPaused else { return }
        brokers[b].fetchPausedAtMs = nowMs
        for t in topics.indices {
            for p in topics[t].partitions.indices where topics[t].partitions[p].replicas.contains(id) {
                topics[t].partitions[p].lastCaughtUpTimeMs[id] = nowMs
            }
        }
    }

    /// Its fetchers run again: each of its follower replicas catches up with its leader at once
    /// (truncating a divergent tail first, as a fetcher does after a leader change — KIP-101) and, if
    /// it had been dropped, rejoins the ISR (Partition.maybeExpandIsr: its LEO reached the HW); the HW
    /// advances. Returns the partitions whose ISR or HW changed. Its replicas' lastCaughtUpTimeMs
    /// entries go: from `nowMs` on they are caught up at every instant, like any fetching follower.
    ///
    /// Unknown or stopped id → BROKER_NOT_AVAILABLE (nothing changes). Resuming a broker that is not
    /// paused changes nothing and returns [].
    @discardableResult
    public mutating func resumeFetching(broker id: Int, nowMs: Int64) throws -> [IsrChange] {
        guard let b = brokers.firstIndex(where: { $0.id == id }), brokers[b].alive else {
            throw KafkaError.brokerNotAvailable(id)
        }
        guard brokers[b].isFetchingPaused else { return [] }
        brokers[b].fetchPausedAtMs = nil
        var changes: [IsrChange] = []
        for t in topics.indices {
            let minISR = topics[t].config.minInsyncReplicasValue
            for p in topics[t].partitions.indices where topics[t].partitions[p].replicas.contains(id) {
                topics[t].partitions[p].lastCaughtUpTimeMs[id] = nil
                let before = topics[t].partitions[p]
                guard let leader = before.leader, leader != id, let leaderLog = before.leaderLog else { continue }
                topics[t].partitions[p].logs[id] = leaderLog
                let added = before.isr.contains(id) ? [] : [id]
                topics[t].partitions[p].isr = before.inAssignmentOrder(before.isr + added)
                topics[t].partitions[p].updateHighWatermark(minInsyncReplicas: minISR)
                let after = topics[t].partitions[p]
                if !added.isEmpty || after.highWatermark != before.highWatermark {
                    changes.append(IsrChange(topic: topics[t].name, partition: p, removed: [], added: added,
                                             highWatermark: after.highWatermark))
                }
            }
        }
        return changes
    }

    /// Kafka's ISR shrink (Partition.maybeShrinkIsr / getOutOfSyncReplicas): an ISR follower that is
    /// behind the leader's LEO and has not been caught up for more than replica.lag.time.max.ms
    /// (now - lastCaughtUpTimeMs > replicaLagTimeMaxMs) leaves the ISR. The leader never leaves, so
    /// the ISR never becomes empty. The HW then advances to the new smallest ISR LEO — unless the ISR
    /// is now below min.insync.replicas (KAFKA-15583). Returns one change per partition that shrank.
    @discardableResult
    public mutating func shrinkIsr(nowMs: Int64) -> [IsrChange] {
        var changes: [IsrChange] = []
        for t in topics.indices {
            let minISR = topics[t].config.minInsyncReplicasValue
            for p in topics[t].partitions.indices {
                let removed = outOfSyncReplicas(topics[t].partitions[p]).filter { $0.deadline <= nowMs }.map(\.broker)
                guard !removed.isEmpty else { continue }
                topics[t].partitions[p].isr.removeAll { removed.contains($0) }
                topics[t].partitions[p].updateHighWatermark(minInsyncReplicas: minISR)
                changes.append(IsrChange(topic: topics[t].name, partition: p, removed: removed, added: [],
                                         highWatermark: topics[t].partitions[p].highWatermark))
            }
        }
        return changes
    }

    /// The earliest simulated time at which `shrinkIsr` would remove someone, if nothing else happens
    /// first (nil if never) — the host schedules an event then. It may lie in the past (a follower
    /// paused long ago and left behind by a new append is out of sync at once).
    public func nextIsrShrinkMs() -> Int64? {
        var earliest: Int64?
        for topic in topics {
            for state in topic.partitions {
                for candidate in outOfSyncReplicas(state) {
                    earliest = min(earliest ?? candidate.deadline, candidate.deadline)
                }
            }
        }
        return earliest
    }

    // MARK: Helpers

    /// The ISR followers that are behind the leader's LEO (only paused ones can be), each with the
    /// first time at which Replica.isCaughtUp turns false:
    /// lastCaughtUpTimeMs + replica.lag.time.max.ms + 1 (saturating).
    func outOfSyncReplicas(_ state: PartitionState) -> [(broker: Int, deadline: Int64)] {
        guard let leader = state.leader, let leaderLog = state.leaderLog else { return [] }
        var result: [(broker: Int, deadline: Int64)] = []
        for follower in state.isr where follower != leader {
            guard let log = state.logs[follower], log.logEndOffset != leaderLog.logEndOffset,
                  let caughtUp = state.lastCaughtUpTimeMs[follower] else { continue }
            let (sum, overflow) = caughtUp.addingReportingOverflow(replicaLagTimeMaxMs)
            let deadline = overflow || sum == Int64.max ? Int64.max : sum + 1
            result.append((follower, deadline))
        }
        return result
    }

    /// A fresh partition (every replica in sync, empty logs); replicas on paused brokers get their
    /// broker's pause time as lastCaughtUpTimeMs. (Simplification: Kafka's leader would start their
    /// clock at the partition's creation; creating a topic takes no clock here.)
    func newPartition(index: Int, replicas: [Int]) -> PartitionState {
        var state = PartitionState(newIndex: index, replicas: replicas)
        for broker in brokers where broker.alive && replicas.contains(broker.id) {
            if let pausedAt = broker.fetchPausedAtMs { state.lastCaughtUpTimeMs[broker.id] = pausedAt }
        }
        return state
    }
}
