// The consumer client's side (Java classic KafkaConsumer + ConsumerCoordinator, kafka.md §3.2–§3.4),
// restated:
//
// - poll() is the application's call. The first poll sends FindCoordinator. A rejoin that a
//   heartbeat response asked for (REBALANCE_IN_PROGRESS) starts only in the next poll(): first the
//   synchronous auto-commit (when enable.auto.commit), then — eager protocol — every partition is
//   revoked, then JoinGroup. Cooperative members keep their partitions and keep consuming.
// - Responses are handled as they arrive (Java's network thread): MEMBER_ID_REQUIRED → rejoin with
//   the given id; the leader runs the assignor on the JoinGroup response and sends every member's
//   assignment in its SyncGroup; followers send an empty SyncGroup; on the SyncGroup response the
//   member takes its assignment (cooperative: partitions no longer assigned are revoked and a
//   follow-up rebalance is requested) and asks OffsetFetch for partitions without a position.
// - Heartbeats run from joining-complete on, every heartbeat.interval.ms, even when the
//   application stops polling. If poll() is not called for max.poll.interval.ms the heartbeat
//   thread leaves the group (dynamic members send LeaveGroup; static members just go quiet).
// - Auto-commit happens inside poll() when auto.commit.interval.ms has elapsed (asynchronously),
//   committing the positions reached by the previous polls; and synchronously before a rejoin and
//   in close().
// - Metadata (kafka.md §3.2 "Rebalance triggers"; Java ConsumerCoordinator.rejoinNeededOrPending):
//   poll() refreshes the cluster metadata once metadata.max.age.ms has passed since the last
//   refresh (sending JoinGroup also refreshes). The leader keeps the partition counts of the
//   group's subscribed topics it assigned with; when a refresh shows different counts it rejoins
//   in that same poll, which rebalances the group. Followers never compare.

extension GroupWorld {
    // MARK: Application calls

    /// Creates a consumer subscribed to `topics` and returns its name (its client.id). It is not in
    /// the group until it polls. Throws INVALID_CONFIG for a bad configuration or a client.id already
    /// used by another consumer of this world, INVALID_TOPIC_EXCEPTION for a bad topic name.
    public mutating func createConsumer(config: ConsumerConfig, topics: [String], nowMs: Int64) throws -> String {
        var config = config
        try config.validate()
        guard !topics.isEmpty else { throw GroupError.invalidTopic("") }
        for topic in topics where TopicName.problem(topic) != nil { throw GroupError.invalidTopic(topic) }
        var subscription: [String] = []
        for topic in topics.sorted() where subscription.last != topic { subscription.append(topic) }
        if config.clientID.isEmpty {
            var sequence = clientIDSequence
            var candidate: String
            repeat {
                sequence += 1
                candidate = "consumer-\(config.groupID)-\(sequence)"
            } while consumerIndex(candidate) != nil
            clientIDSequence = sequence
            config.clientID = candidate
        } else if consumerIndex(config.clientID) != nil {
            throw GroupError.invalidConfig(name: ConsumerConfig.clientIDKey, value: config.clientID,
                                           reason: "A consumer with this client.id already exists in this workbench")
        }
        consumers.append(ConsumerRuntime(name: config.clientID, config: config, topics: subscription,
                                         nextAutoCommitMs: nowMs + config.autoCommitIntervalMs))
        return config.clientID
    }

    /// The application's poll(). See the file comment; returns up to max.poll.records records below
    /// the high watermark, visiting the assigned partitions round-robin (the starting partition
    /// rotates by one each poll) and advancing positions. On a throw nothing changes.
    public mutating func poll(_ consumer: String, cluster: Cluster, nowMs: Int64) throws -> PollResult {
        var copy = self
        let result = try copy.pollInPlace(consumer, cluster: cluster, nowMs: nowMs)
        self = copy
        return result
    }

    /// commitSync() of the current positions (committed = next offset to read). The round trip to
    /// the coordinator is applied at once (both messages appear in the timeline at `nowMs`).
    /// Errors: a consumer in the middle of a join → REBALANCE_IN_PROGRESS; a consumer that is not in
    /// the group (left, reset, never joined) → UNKNOWN_MEMBER_ID (Java: CommitFailedException);
    /// otherwise the coordinator's verdict (UNKNOWN_MEMBER_ID, ILLEGAL_GENERATION,
    /// REBALANCE_IN_PROGRESS, FENCED_INSTANCE_ID). On a throw nothing changes.
    public mutating func commit(_ consumer: String, nowMs: Int64) throws -> [TopicPartition: Int64] {
        guard let ci = consumerIndex(consumer) else { throw GroupError.unknownConsumer(consumer) }
        let c = consumers[ci]
        if c.isDead { throw GroupError.consumerClosed(consumer) }
        if c.pendingError == .fencedInstanceID { throw GroupError.fencedInstanceID }
        switch c.phase {
        case .stable: break
        case .awaitingJoin, .awaitingSync: throw GroupError.rebalanceInProgress
        case .findingCoordinator where c.everJoined: throw GroupError.rebalanceInProgress
        default: throw GroupError.unknownMemberID
        }
        var result: [TopicPartition: Int64] = [:]
        for p in c.positions { result[p.topicPartition] = p.offset }
        if c.positions.isEmpty { return result }
        var copy = self
        if let error = copy.commitSyncNow(ci, automatic: false, at: nowMs) { throw error }
        self = copy
        return result
    }

    /// close(): commitSync when auto-commit is on (a failure is only logged, as in Java), then
    /// LeaveGroup for a dynamic member (static members just stop; the coordinator notices after
    /// session.timeout.ms). Closing twice is a no-op; closing a crashed consumer throws.
    public mutating func close(_ consumer: String, nowMs: Int64) throws {
        guard let ci = consumerIndex(consumer) else { throw GroupError.unknownConsumer(consumer) }
        if consumers[ci].phase == .closed { return }
        if consumers[ci].phase == .crashed { throw GroupError.consumerClosed(consumer) }
        let c = consumers[ci]
        if c.config.enableAutoCommit && c.phase == .stable && !c.positions.isEmpty {
            _ = commitSyncNow(ci, automatic: true, at: nowMs)
        }
        if c.config.groupInstanceID == nil && !c.memberID.isEmpty && [.awaitingJoin, .awaitingSync, .stable].contains(c.phase) {
            schedule(.leaveGroup(MemberRequest(consumer: c.name, group: c.config.groupID, memberID: c.memberID,
                                               instanceID: nil, generation: c.generation)),
                     at: nowMs + Self.hopMs, from: c.name, to: Self.brokerLabel(c.coordinator))
        }
        dropPartitions(ci, kind: "PartitionsRevoked", reason: "close()", at: nowMs)
        cancelConsumerTimers(consumer)
        consumers[ci].phase = .closed
        consumers[ci].rejoinNeeded = false
        note(at: nowMs, from: consumer, to: consumer, kind: "Close",
             detail: c.config.groupInstanceID == nil ? "consumer closed" : "static member closed without LeaveGroup")
    }

    /// The process dies: no commit, no LeaveGroup, no more heartbeats. Requests already on the wire
    /// still arrive; responses to it are dropped.
    public mutating func crash(_ consumer: String, nowMs: Int64) throws {
        guard let ci = consumerIndex(consumer) else { throw GroupError.unknownConsumer(consumer) }
        if consumers[ci].isDead { throw GroupError.consumerClosed(consumer) }
        cancelConsumerTimers(consumer)
        consumers[ci].phase = .crashed
        consumers[ci].assignment = []
        consumers[ci].positions = []
        consumers[ci].rejoinNeeded = false
        note(at: nowMs, from: consumer, to: consumer, kind: "Crash", detail: "process died: no commit, no LeaveGroup, no heartbeats")
    }

    // MARK: poll internals

    mutating func pollInPlace(_ name: String, cluster: Cluster, nowMs: Int64) throws -> PollResult {
        guard let ci = consumerIndex(name) else { throw GroupError.unknownConsumer(name) }
        if consumers[ci].isDead { throw GroupError.consumerClosed(name) }
        if let error = consumers[ci].pendingError { throw error }
        let config = consumers[ci].config
        consumers[ci].lastPollMs = nowMs
        cancel { payload in
            if case let .maxPollExceeded(c) = payload { return c == name }
            return false
        }
        schedule(.maxPollExceeded(consumer: name), at: nowMs + config.maxPollIntervalMs, from: name, to: name)

        // Auto-commit inside poll, asynchronous, of the positions the previous polls reached.
        if config.enableAutoCommit && nowMs >= consumers[ci].nextAutoCommitMs && consumers[ci].phase == .stable
            && !consumers[ci].positions.isEmpty {
            let c = consumers[ci]
            let request = CommitRequest(consumer: name, group: config.groupID, memberID: c.memberID, instanceID: config.groupInstanceID,
                                        generation: c.generation, offsets: committedEntries(c), automatic: true)
            note(at: nowMs, from: name, to: name, kind: "AutoCommit",
                 detail: "auto.commit.interval.ms elapsed: committing the positions of the previous poll")
            schedule(.offsetCommit(request), at: nowMs + Self.hopMs, from: name, to: Self.brokerLabel(c.coordinator))
            consumers[ci].nextAutoCommitMs = nowMs + config.autoCommitIntervalMs
        }

        refreshMetadataIfStale(ci, cluster: cluster, at: nowMs)

        switch consumers[ci].phase {
        case .unjoined:
            consumers[ci].phase = .findingCoordinator
            schedule(.findCoordinator(consumer: name, group: config.groupID), at: nowMs + Self.hopMs, from: name,
                     to: cluster.aliveBrokerIDs.first.map { "broker-\($0)" } ?? "bootstrap")
            return PollResult(records: [], assignment: [])
        case .left, .idle:
            sendJoin(ci, at: nowMs)
        case .stable where consumers[ci].rejoinNeeded:
            if config.enableAutoCommit && !consumers[ci].positions.isEmpty {
                _ = commitSyncNow(ci, automatic: true, at: nowMs)
            }
            if !config.usesCooperativeProtocol {
                dropPartitions(ci, kind: "PartitionsRevoked", reason: "eager protocol: revoke everything before rejoining", at: nowMs)
            }
            sendJoin(ci, at: nowMs)
        default:
            break
        }
        return try fetch(ci, cluster: cluster)
    }

    /// The partition counts of `topics` in the current metadata, sorted by topic (0 = topic unknown).
    static func partitionCounts(_ topics: [String], cluster: Cluster) -> [TopicPartitionCount] {
        var counts: [TopicPartitionCount] = []
        for topic in topics.sorted() where counts.last?.topic != topic {
            counts.append(TopicPartitionCount(topic: topic, partitions: (try? cluster.topic(topic))?.partitions.count ?? 0))
        }
        return counts
    }

    /// metadata.max.age.ms: refresh the metadata when it is that old; a stable leader whose snapshot
    /// no longer matches marks itself for rejoin (the rejoin then starts in this same poll).
    mutating func refreshMetadataIfStale(_ ci: Int, cluster: Cluster, at t: Int64) {
        let c = consumers[ci]
        if let last = c.lastMetadataRefreshMs, t - last < c.config.metadataMaxAgeMs { return }
        consumers[ci].lastMetadataRefreshMs = t
        guard c.phase == .stable, !c.rejoinNeeded, let snapshot = c.metadataSnapshot else { return }
        let current = Self.partitionCounts(snapshot.map(\.topic), cluster: cluster)
        guard current != snapshot else { return }
        let changes = zip(snapshot, current).filter { $0.0 != $0.1 }.map { old, new -> String in
            if old.partitions == 0 { return "\(new.topic) now exists with \(new.partitions) partitions" }
            if new.partitions == 0 { return "\(new.topic) no longer exists (had \(old.partitions) partitions)" }
            return "\(new.topic) has \(new.partitions) partitions (was \(old.partitions))"
        }
        consumers[ci].rejoinNeeded = true
        note(at: t, from: c.name, to: c.name, kind: "MetadataChange", detail: changes.joined(separator: "; ") + " — leader rejoins")
    }

    mutating func fetch(_ ci: Int, cluster: Cluster) throws -> PollResult {
        let c = consumers[ci]
        let fetchable = c.assignment.filter { c.position($0) != nil }
        guard !fetchable.isEmpty else { return PollResult(records: [], assignment: c.assignment) }
        var records: [ConsumerRecord] = []
        var remaining = c.config.maxPollRecords
        let start = c.fetchCursor % fetchable.count
        for k in 0..<fetchable.count where remaining > 0 {
            let tp = fetchable[(start + k) % fetchable.count]
            guard let position = consumers[ci].position(tp) else { continue }
            do {
                let got = try cluster.fetch(topic: tp.topic, partition: tp.partition, offset: position.offset, maxRecords: remaining)
                for stored in got {
                    records.append(ConsumerRecord(topic: tp.topic, partition: tp.partition, offset: stored.offset,
                                                  key: stored.record.key, value: stored.record.value,
                                                  timestampMs: stored.record.timestampMs, leaderEpoch: stored.leaderEpoch))
                }
                if let last = got.last {
                    consumers[ci].setPosition(tp, offset: last.offset + 1, leaderEpoch: last.leaderEpoch)
                }
                remaining -= got.count
            } catch KafkaError.offsetOutOfRange {
                // kafka.md §3.3: an out-of-range position is reset by auto.offset.reset.
                guard let reset = Self.resetOffset(tp, policy: c.config.autoOffsetReset, cluster: cluster) else {
                    throw GroupError.noOffsetForPartition(tp)
                }
                consumers[ci].setPosition(tp, offset: reset, leaderEpoch: -1)
            } catch {
                continue  // offline or unknown partition: nothing from it this time
            }
        }
        consumers[ci].fetchCursor += 1
        return PollResult(records: records, assignment: consumers[ci].assignment)
    }

    /// earliest = log start offset, latest = high watermark, none = nil.
    static func resetOffset(_ tp: TopicPartition, policy: String, cluster: Cluster) -> Int64? {
        guard policy != "none", let topic = try? cluster.topic(tp.topic), tp.partition >= 0,
              tp.partition < topic.partitions.count else { return nil }
        let state = topic.partitions[tp.partition]
        return policy == "earliest" ? state.logStartOffset : state.highWatermark
    }

    func committedEntries(_ c: ConsumerRuntime) -> [CommittedOffset] {
        c.positions.map { CommittedOffset(topicPartition: $0.topicPartition, offset: $0.offset, leaderEpoch: $0.leaderEpoch, commitMs: 0) }
    }

    /// A synchronous OffsetCommit: applied at the coordinator at once; both messages are recorded.
    mutating func commitSyncNow(_ ci: Int, automatic: Bool, at t: Int64) -> GroupError? {
        let c = consumers[ci]
        let request = CommitRequest(consumer: c.name, group: c.config.groupID, memberID: c.memberID, instanceID: c.config.groupInstanceID,
                                    generation: c.generation, offsets: committedEntries(c), automatic: automatic)
        let broker = Self.brokerLabel(c.coordinator)
        note(at: t, from: c.name, to: broker, kind: "OffsetCommit", detail: GroupPayload.offsetCommit(request).detail + " (synchronous)")
        let error = coordinatorCommit(request, at: t)
        let response = CommitResponse(consumer: c.name, error: error, offsets: request.offsets)
        note(at: t, from: broker, to: c.name, kind: "OffsetCommitResponse", detail: GroupPayload.offsetCommitResponse(response).detail)
        return error
    }

    // MARK: Client helpers

    mutating func sendJoin(_ ci: Int, at t: Int64) {
        let c = consumers[ci]
        let cooperative = c.config.usesCooperativeProtocol
        consumers[ci].phase = .awaitingJoin
        consumers[ci].rejoinNeeded = false
        consumers[ci].lastMetadataRefreshMs = t
        cancelHeartbeats(c.name)
        let request = JoinRequest(consumer: c.name, group: c.config.groupID, memberID: c.memberID, instanceID: c.config.groupInstanceID,
                                  clientID: c.config.clientID, protocols: c.config.assignors.map(\.rawValue), topics: c.topics,
                                  owned: cooperative ? c.assignment : [], previous: c.previousAssignment,
                                  ownedGeneration: c.generation, cooperative: cooperative,
                                  sessionTimeoutMs: c.config.sessionTimeoutMs, rebalanceTimeoutMs: c.config.maxPollIntervalMs)
        schedule(.joinGroup(request), at: t + Self.hopMs, from: c.name, to: Self.brokerLabel(c.coordinator))
    }

    mutating func cancelHeartbeats(_ name: String) {
        cancel { payload in
            if case let .heartbeat(r) = payload { return r.consumer == name }
            return false
        }
    }

    mutating func cancelConsumerTimers(_ name: String) {
        cancelHeartbeats(name)
        cancel { payload in
            if case let .maxPollExceeded(c) = payload { return c == name }
            return false
        }
    }

    /// Schedules the next Heartbeat unless one is already queued (one heartbeat chain per consumer).
    mutating func scheduleHeartbeat(_ ci: Int, at t: Int64, restart: Bool) {
        let c = consumers[ci]
        if restart { cancelHeartbeats(c.name) }
        let queued = queue.contains { event in
            if case let .heartbeat(r) = event.payload { return r.consumer == c.name }
            return false
        }
        if queued { return }
        schedule(.heartbeat(MemberRequest(consumer: c.name, group: c.config.groupID, memberID: c.memberID,
                                          instanceID: c.config.groupInstanceID, generation: c.generation)),
                 at: t + c.config.heartbeatIntervalMs, from: c.name, to: Self.brokerLabel(c.coordinator))
    }

    /// Gives up every partition (revoked or lost) and its position.
    mutating func dropPartitions(_ ci: Int, kind: String, reason: String, at t: Int64) {
        let c = consumers[ci]
        if !c.assignment.isEmpty {
            note(at: t, from: c.name, to: c.name, kind: kind,
                 detail: "[\(c.assignment.map(\.description).joined(separator: ", "))] (\(reason))")
            consumers[ci].previousAssignment = c.assignment
        }
        consumers[ci].assignment = []
        consumers[ci].positions = []
    }

    mutating func failFatally(_ ci: Int, _ error: GroupError, at t: Int64) -> String {
        consumers[ci].pendingError = error
        dropPartitions(ci, kind: "PartitionsLost", reason: error.name, at: t)
        consumers[ci].phase = .idle
        consumers[ci].rejoinNeeded = false
        cancelHeartbeats(consumers[ci].name)
        return "fatal: the next poll() throws \(error.javaException) (\(error.name))"
    }

    // MARK: Responses and timers at the consumer

    func liveConsumer(_ name: String) -> Int? {
        guard let ci = consumerIndex(name), !consumers[ci].isDead else { return nil }
        return ci
    }

    mutating func consumerFoundCoordinator(_ name: String, coordinator: Int?, at t: Int64) -> String {
        guard let ci = liveConsumer(name), consumers[ci].phase == .findingCoordinator else { return "ignored" }
        guard let coordinator else {
            schedule(.findCoordinator(consumer: name, group: consumers[ci].config.groupID), at: t + Self.retryBackoffMs,
                     from: name, to: "bootstrap")
            return "retrying after retry.backoff.ms"
        }
        consumers[ci].coordinator = coordinator
        sendJoin(ci, at: t)
        return "sending JoinGroup"
    }

    mutating func consumerJoinResponse(_ r: JoinResponse, cluster: Cluster, at t: Int64) -> String {
        guard let ci = liveConsumer(r.consumer), consumers[ci].phase == .awaitingJoin else { return "ignored (stale)" }
        if let error = r.error {
            switch error {
            case .memberIDRequired:
                consumers[ci].memberID = r.memberID
                sendJoin(ci, at: t)
                return "rejoining with member id \(r.memberID)"
            case .unknownMemberID:
                consumers[ci].memberID = ""
                consumers[ci].generation = -1
                sendJoin(ci, at: t)
                return "member id reset; rejoining"
            case .illegalGeneration, .rebalanceInProgress:
                sendJoin(ci, at: t)
                return "rejoining"
            default:
                return failFatally(ci, error, at: t)
            }
        }
        consumers[ci].memberID = r.memberID
        consumers[ci].generation = r.generation
        consumers[ci].protocolName = r.protocolName.flatMap(AssignorKind.init(rawValue:))
        consumers[ci].phase = .awaitingSync
        consumers[ci].everJoined = true
        scheduleHeartbeat(ci, at: t, restart: true)
        let c = consumers[ci]
        var assignments: [MemberAssignment]?
        var withheld: [TopicPartition] = []
        var outcome = "follower: sending an empty SyncGroup"
        // Java keeps the assignment snapshot only while leader (KIP-814: also a static leader that skips assignment).
        consumers[ci].metadataSnapshot = nil
        if r.leader == r.memberID {
            let groupTopics = r.skipAssignment ? c.topics : r.members.flatMap(\.topics)
            consumers[ci].metadataSnapshot = Self.partitionCounts(groupTopics, cluster: cluster)
        }
        if r.leader == r.memberID && !r.skipAssignment {
            let kind = r.protocolName.flatMap(AssignorKind.init(rawValue:)) ?? .range
            let members = r.members.map { m in
                GroupMember(memberID: m.memberID, groupInstanceID: m.instanceID, topics: m.topics,
                            ownedPartitions: m.cooperative ? m.owned : (kind == .sticky ? m.previous : []),
                            generation: m.ownedGeneration)
            }
            var partitionsPerTopic: [String: Int] = [:]
            for m in r.members {
                for topic in m.topics {
                    if let found = try? cluster.topic(topic) { partitionsPerTopic[topic] = found.partitions.count }
                }
            }
            let assignment = Assignor.assign(kind, members: members, partitionsPerTopic: partitionsPerTopic)
            assignments = r.members.map { MemberAssignment(memberID: $0.memberID, partitions: (assignment.partitions[$0.memberID] ?? []).sorted()) }
            withheld = assignment.withheld.sorted()
            outcome = "leader: ran the \(kind.rawValue) assignor, sending every member's assignment"
        } else if r.skipAssignment {
            outcome = "static rejoin: sending an empty SyncGroup to get the cached assignment"
        }
        schedule(.syncGroup(SyncRequest(consumer: c.name, group: c.config.groupID, memberID: c.memberID, instanceID: c.config.groupInstanceID,
                                        generation: c.generation, assignments: assignments, withheld: withheld)),
                 at: t + Self.hopMs, from: c.name, to: Self.brokerLabel(c.coordinator))
        return outcome
    }

    mutating func consumerSyncResponse(_ r: SyncResponse, at t: Int64) -> String {
        guard let ci = liveConsumer(r.consumer), consumers[ci].phase == .awaitingSync,
              consumers[ci].generation == r.generation, consumers[ci].memberID == r.memberID else { return "ignored (stale)" }
        if let error = r.error {
            switch error {
            case .rebalanceInProgress:
                sendJoin(ci, at: t)
                return "rejoining"
            case .unknownMemberID, .illegalGeneration:
                if error == .unknownMemberID { consumers[ci].memberID = "" }
                consumers[ci].generation = -1
                dropPartitions(ci, kind: "PartitionsLost", reason: error.name, at: t)
                sendJoin(ci, at: t)
                return "rejoining"
            default:
                return failFatally(ci, error, at: t)
            }
        }
        let c = consumers[ci]
        let new = r.assignment.sorted()
        var outcome = "assigned [\(new.map(\.description).joined(separator: ", "))]"
        if c.config.usesCooperativeProtocol {
            let revoked = c.assignment.filter { !new.contains($0) }
            if !revoked.isEmpty {
                note(at: t, from: c.name, to: c.name, kind: "PartitionsRevoked",
                     detail: "[\(revoked.map(\.description).joined(separator: ", "))] (cooperative: only the partitions that move)")
                consumers[ci].rejoinNeeded = true
                outcome += "; revoked [\(revoked.map(\.description).joined(separator: ", "))], a follow-up rebalance is needed"
            }
        }
        consumers[ci].positions = c.positions.filter { new.contains($0.topicPartition) }
        consumers[ci].assignment = new
        consumers[ci].previousAssignment = new
        consumers[ci].phase = .stable
        let added = new.filter { !c.assignment.contains($0) }
        if !added.isEmpty {
            note(at: t, from: c.name, to: c.name, kind: "PartitionsAssigned", detail: "[\(added.map(\.description).joined(separator: ", "))]")
        }
        let missing = new.filter { consumers[ci].position($0) == nil }
        if !missing.isEmpty {
            schedule(.offsetFetch(FetchOffsetsRequest(consumer: c.name, group: c.config.groupID, generation: c.generation, partitions: missing)),
                     at: t + Self.hopMs, from: c.name, to: Self.brokerLabel(c.coordinator))
        }
        return outcome
    }

    mutating func consumerHeartbeatResponse(_ r: MemberResponse, at t: Int64) -> String {
        guard let ci = liveConsumer(r.consumer) else { return "ignored" }
        let stale = r.memberID != consumers[ci].memberID || r.generation != consumers[ci].generation
        var outcome = ""
        if let error = r.error {
            if stale {
                outcome = "stale response ignored"
            } else {
                switch error {
                case .rebalanceInProgress:
                    if consumers[ci].phase == .stable && !consumers[ci].rejoinNeeded {
                        consumers[ci].rejoinNeeded = true
                        outcome = "rejoin needed: the next poll() rejoins"
                    }
                case .illegalGeneration, .unknownMemberID:
                    if error == .unknownMemberID { consumers[ci].memberID = "" }
                    consumers[ci].generation = -1
                    dropPartitions(ci, kind: "PartitionsLost", reason: error.name, at: t)
                    consumers[ci].phase = .idle
                    consumers[ci].rejoinNeeded = true
                    outcome = "partitions lost; the next poll() rejoins"
                default:
                    outcome = failFatally(ci, error, at: t)
                }
            }
        }
        if consumers[ci].phase == .awaitingSync || consumers[ci].phase == .stable {
            scheduleHeartbeat(ci, at: t, restart: false)
        }
        return outcome
    }

    mutating func consumerOffsetFetchResponse(_ r: FetchOffsetsResponse, cluster: Cluster, at t: Int64) -> String {
        guard let ci = liveConsumer(r.consumer), consumers[ci].phase == .stable || consumers[ci].phase == .awaitingSync,
              consumers[ci].generation == r.generation else { return "ignored (stale)" }
        var parts: [String] = []
        for fetched in r.offsets {
            let tp = fetched.topicPartition
            guard consumers[ci].assignment.contains(tp), consumers[ci].position(tp) == nil else { continue }
            if fetched.offset >= 0 {
                consumers[ci].setPosition(tp, offset: fetched.offset, leaderEpoch: fetched.leaderEpoch)
                parts.append("\(tp)=\(fetched.offset) (committed)")
                continue
            }
            let policy = consumers[ci].config.autoOffsetReset
            if let reset = Self.resetOffset(tp, policy: policy, cluster: cluster) {
                consumers[ci].setPosition(tp, offset: reset, leaderEpoch: -1)
                parts.append("\(tp)=\(reset) (auto.offset.reset=\(policy))")
            } else if policy == "none" {
                if consumers[ci].pendingError == nil { consumers[ci].pendingError = .noOffsetForPartition(tp) }
                parts.append("\(tp): no committed offset and auto.offset.reset=none")
            } else {
                parts.append("\(tp): partition unknown")
            }
        }
        return parts.isEmpty ? "" : "positions " + parts.joined(separator: ", ")
    }

    mutating func consumerMaxPollExceeded(_ name: String, at t: Int64) -> String {
        guard let ci = liveConsumer(name) else { return "ignored" }
        let c = consumers[ci]
        guard c.phase == .awaitingSync || c.phase == .stable else { return "not in a group: nothing to do" }
        var outcome: String
        if c.config.groupInstanceID == nil {
            schedule(.leaveGroup(MemberRequest(consumer: name, group: c.config.groupID, memberID: c.memberID, instanceID: nil,
                                               generation: c.generation)),
                     at: t + Self.hopMs, from: name, to: Self.brokerLabel(c.coordinator))
            outcome = "the member leaves the group (LeaveGroup sent)"
        } else {
            outcome = "static member stops heartbeating; the coordinator notices after session.timeout.ms"
        }
        dropPartitions(ci, kind: "PartitionsRevoked", reason: "max.poll.interval.ms exceeded", at: t)
        cancelHeartbeats(name)
        consumers[ci].memberID = ""
        consumers[ci].generation = -1
        consumers[ci].phase = .left
        consumers[ci].rejoinNeeded = false
        outcome += "; the next poll() rejoins"
        return outcome
    }
}
