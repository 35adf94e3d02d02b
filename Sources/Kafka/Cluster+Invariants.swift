// Self-checks of the model's invariants; an empty result means the state is consistent.

extension Cluster {
    /// Every broken invariant, described in one line each. The rules:
    /// - broker ids unique; topics unique, legal names, sorted by name; partition indices 0..<count;
    /// - replicas: non-empty, distinct, known brokers, the same count across a topic;
    /// - leader (if any) is a replica, alive, in the ISR; ISR ⊆ replicas, distinct, assignment order;
    /// - online partition: ISR ⊆ alive brokers, and (synchronous replication) every alive replica
    ///   whose fetchers run is in the ISR holding exactly the leader's log; only replicas on paused
    ///   brokers (Cluster+Lag.swift) may lag or be outside the ISR; a paused ISR member's log is no
    ///   longer than the leader's and its uncommitted records [HW, its LEO) are the leader's;
    ///   offline partition: ISR has at most one member (Kafka keeps the last one) and none of its
    ///   members is alive;
    /// - paused brokers are alive; lastCaughtUpTimeMs has entries exactly for replicas on paused brokers;
    /// - HW >= log start, HW <= LEO of every ISR member and of the leader; when online and
    ///   ISR >= min.insync.replicas, HW equals the smallest ISR LEO;
    /// - every replica has a log: at least one segment, base offsets strictly increasing, only the
    ///   active (last) segment may be empty, log start <= first segment's base and <= LEO, record
    ///   offsets strictly increasing within [log start, LEO) and each inside its segment's range
    ///   [base, next base) — compaction (kafka.md §5.3) may leave gaps, so a closed segment's first
    ///   record may lie above its base — while the active segment, which is never compacted, starts
    ///   at its base, is contiguous and ends at LEO - 1; sizes >= 0; record epochs non-decreasing
    ///   and never above the partition's leader epoch.
    public func checkInvariants() -> [String] {
        var problems: [String] = []
        let ids = brokers.map(\.id)
        if Set(ids).count != ids.count { problems.append("broker ids are not unique: \(ids)") }
        let alive = Set(aliveBrokerIDs)
        let known = Set(ids)
        for broker in brokers where broker.isFetchingPaused && !broker.alive {
            problems.append("broker \(broker.id) is stopped but marked as paused")
        }
        let paused = Set(pausedBrokers)

        for (i, topic) in topics.enumerated() {
            if i > 0 && !(topics[i - 1].name < topic.name) {
                problems.append("topics not sorted/unique at \(topics[i - 1].name), \(topic.name)")
            }
            if let why = TopicName.problem(topic.name) { problems.append("topic \(topic.name): \(why)") }
            if topic.partitions.isEmpty { problems.append("topic \(topic.name) has no partitions") }
            let rf = topic.replicationFactor
            let minISR = topic.config.minInsyncReplicasValue
            for (p, state) in topic.partitions.enumerated() {
                let where_ = "\(topic.name)-\(p)"
                if state.index != p { problems.append("\(where_): index is \(state.index)") }
                if state.replicas.isEmpty { problems.append("\(where_): no replicas") }
                if state.replicas.count != rf { problems.append("\(where_): \(state.replicas.count) replicas, topic RF \(rf)") }
                if Set(state.replicas).count != state.replicas.count { problems.append("\(where_): duplicate replicas") }
                for r in state.replicas where !known.contains(r) { problems.append("\(where_): unknown broker \(r)") }
                if Set(state.isr).count != state.isr.count { problems.append("\(where_): duplicate ISR members") }
                if state.isr != state.inAssignmentOrder(state.isr) {
                    problems.append("\(where_): ISR \(state.isr) not a subset of replicas in assignment order")
                }
                if Set(state.logs.keys) != Set(state.replicas) {
                    problems.append("\(where_): logs for \(state.logs.keys.sorted()) but replicas \(state.replicas)")
                }
                for (broker, log) in state.logs.sorted(by: { $0.key < $1.key }) {
                    problems += logProblems(log, label: "\(where_) replica \(broker)", maxEpoch: state.leaderEpoch)
                }
                if let leader = state.leader {
                    if !state.replicas.contains(leader) { problems.append("\(where_): leader \(leader) not a replica") }
                    if !alive.contains(leader) { problems.append("\(where_): leader \(leader) is not alive") }
                    if !state.isr.contains(leader) { problems.append("\(where_): leader \(leader) not in ISR") }
                    for r in state.isr where !alive.contains(r) { problems.append("\(where_): ISR member \(r) is not alive") }
                    let leaderLog = state.logs[leader]
                    for r in state.replicas where alive.contains(r) && !paused.contains(r) {
                        if !state.isr.contains(r) { problems.append("\(where_): alive replica \(r) outside the ISR") }
                        if r != leader && state.logs[r] != leaderLog {
                            problems.append("\(where_): fetching replica \(r) log differs from the leader's")
                        }
                    }
                    for r in state.isr where r != leader && paused.contains(r) {
                        guard let log = state.logs[r], let leaderLog else { continue }
                        if log.logEndOffset > leaderLog.logEndOffset {
                            problems.append("\(where_): paused ISR member \(r) LEO \(log.logEndOffset) above leader LEO \(leaderLog.logEndOffset)")
                        } else {
                            let mine = log.records(from: state.highWatermark, upTo: log.logEndOffset, limit: Int.max)
                            let theirs = leaderLog.records(from: state.highWatermark, upTo: log.logEndOffset, limit: Int.max)
                            if mine != theirs {
                                problems.append("\(where_): paused ISR member \(r) holds uncommitted records the leader does not")
                            }
                        }
                    }
                    if let leaderLog, state.highWatermark > leaderLog.logEndOffset {
                        problems.append("\(where_): HW \(state.highWatermark) above leader LEO \(leaderLog.logEndOffset)")
                    }
                    if state.isr.count >= minISR {
                        let smallest = state.isr.compactMap { state.logs[$0]?.logEndOffset }.min()
                        if let smallest, smallest != state.highWatermark {
                            problems.append("\(where_): HW \(state.highWatermark) but smallest ISR LEO \(smallest) with ISR >= min.insync.replicas")
                        }
                    }
                } else {
                    if state.isr.count > 1 { problems.append("\(where_): offline with ISR \(state.isr)") }
                    for r in state.isr where alive.contains(r) {
                        problems.append("\(where_): offline although in-sync replica \(r) is alive")
                    }
                }
                for r in state.isr {
                    if let log = state.logs[r], state.highWatermark > log.logEndOffset {
                        problems.append("\(where_): HW \(state.highWatermark) above ISR member \(r)'s LEO \(log.logEndOffset)")
                    }
                }
                let pausedReplicas = Set(state.replicas.filter { paused.contains($0) })
                if Set(state.lastCaughtUpTimeMs.keys) != pausedReplicas {
                    problems.append("\(where_): lastCaughtUpTimeMs for \(state.lastCaughtUpTimeMs.keys.sorted()) but paused replicas \(pausedReplicas.sorted())")
                }
                if state.highWatermark < state.logStartOffset {
                    problems.append("\(where_): HW \(state.highWatermark) below log start \(state.logStartOffset)")
                }
            }
        }
        return problems
    }

    private func logProblems(_ log: PartitionLog, label: String, maxEpoch: Int) -> [String] {
        var problems: [String] = []
        guard !log.segments.isEmpty else { return ["\(label): no segments"] }
        if log.logStartOffset > log.segments[0].baseOffset {
            problems.append("\(label): log start \(log.logStartOffset) above first segment \(log.segments[0].fileName)")
        }
        if log.logStartOffset > log.logEndOffset {
            problems.append("\(label): log start \(log.logStartOffset) above LEO \(log.logEndOffset)")
        }
        var previous = log.logStartOffset - 1  // last offset seen; the next must be greater
        var lastEpoch = Int.min
        let activeIndex = log.segments.count - 1
        for (i, segment) in log.segments.enumerated() {
            let upperBound = i < activeIndex ? log.segments[i + 1].baseOffset : log.logEndOffset
            if i > 0 && !(log.segments[i - 1].baseOffset < segment.baseOffset) {
                problems.append("\(label): segment base offsets not increasing at \(segment.fileName)")
            }
            if segment.sizeBytes < 0 { problems.append("\(label): negative size in \(segment.fileName)") }
            if segment.records.isEmpty && i != activeIndex {
                problems.append("\(label): empty non-active segment \(segment.fileName)")
            }
            if i == activeIndex, let first = segment.records.first, first.offset != segment.baseOffset {
                problems.append("\(label): active segment \(segment.fileName) starts at offset \(first.offset)")
            }
            for stored in segment.records {
                if stored.offset <= previous {
                    problems.append("\(label): offset \(stored.offset) after \(previous) (offsets must increase from log start \(log.logStartOffset))")
                    return problems
                }
                if stored.offset < segment.baseOffset || stored.offset >= upperBound {
                    problems.append("\(label): offset \(stored.offset) outside \(segment.fileName)'s range [\(segment.baseOffset), \(upperBound))")
                    return problems
                }
                if i == activeIndex && stored.offset != previous + 1 && stored.offset != segment.baseOffset {
                    problems.append("\(label): gap before offset \(stored.offset) in the active segment")
                }
                if stored.leaderEpoch < lastEpoch || stored.leaderEpoch > maxEpoch {
                    problems.append("\(label): record \(stored.offset) has leader epoch \(stored.leaderEpoch)")
                }
                lastEpoch = stored.leaderEpoch
                previous = stored.offset
            }
        }
        if let last = log.segments.last {
            if last.records.isEmpty, last.baseOffset != log.logEndOffset {
                problems.append("\(label): empty active segment base \(last.baseOffset) is not the LEO \(log.logEndOffset)")
            }
            if let newest = last.records.last, newest.offset != log.logEndOffset - 1 {
                problems.append("\(label): LEO \(log.logEndOffset) but the active segment ends at \(newest.offset)")
            }
        }
        return problems
    }
}
