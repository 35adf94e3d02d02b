// The group coordinator's side of the classic protocol (kafka.md §3.2), restated:
//
// - JoinGroup: a dynamic member with an empty id gets MEMBER_ID_REQUIRED plus a fresh id and must
//   rejoin with it (KIP-394); a static member (group.instance.id) is admitted at once, and if its
//   instance id is already known it simply replaces the old member id — in a Stable group with
//   unchanged subscription that happens without a rebalance (KIP-345).
// - A join into an Empty group starts PreparingRebalance with group.initial.rebalance.delay.ms
//   (3 s), restarted by each further new member but never beyond the rebalance timeout. Otherwise
//   the join phase ends when every member has rejoined, or when the rebalance timeout (largest
//   max.poll.interval.ms) expires, which removes the members that did not rejoin.
// - Completing the join: generation + 1; protocol = the assignor all members support that most
//   members list first (ties: the earlier one in the first member's list); leader = previous
//   leader if still present, else the first member to have joined; only the leader's response
//   carries the subscriptions. State CompletingRebalance until the leader's SyncGroup arrives;
//   followers' SyncGroups are parked until then. Then Stable.
// - Heartbeat: REBALANCE_IN_PROGRESS in both rebalance states; no heartbeat for session.timeout.ms
//   removes the member (members whose JoinGroup is parked are exempt). Any removal or LeaveGroup
//   triggers a rebalance.
// - OffsetCommit: unknown member → UNKNOWN_MEMBER_ID, other generation → ILLEGAL_GENERATION,
//   CompletingRebalance → REBALANCE_IN_PROGRESS; accepted in Stable and, from the previous
//   generation, in PreparingRebalance. Each accepted offset is appended to __consumer_offsets.

extension GroupWorld {
    // MARK: Replies and timers

    mutating func reply(_ payload: GroupPayload, group: String, consumer: String, at t: Int64) {
        var from = coordinatorLabel(group: group)
        if groupIndex(group) == nil, let ci = consumerIndex(consumer) {
            from = Self.brokerLabel(consumers[ci].coordinator)
        }
        schedule(payload, at: t + Self.hopMs, from: from, to: consumer)
    }

    mutating func scheduleSessionExpiry(_ gi: Int, memberID: String, timeoutMs: Int64, at t: Int64) {
        let group = groups[gi].groupID
        cancelSessionExpiry(group, memberID: memberID)
        let label = Self.brokerLabel(groups[gi].coordinator)
        schedule(.sessionExpiry(group: group, memberID: memberID), at: t + timeoutMs, from: label, to: label)
    }

    mutating func cancelSessionExpiry(_ group: String, memberID: String) {
        cancel { payload in
            if case let .sessionExpiry(g, m) = payload { return g == group && m == memberID }
            return false
        }
    }

    func initialDelayPending(_ group: String) -> Bool {
        queue.contains { event in
            if case let .initialDelayEnd(g) = event.payload { return g == group }
            return false
        }
    }

    mutating func cancelGroupTimers(_ group: String, initialDelay: Bool, rebalance: Bool) {
        cancel { payload in
            switch payload {
            case let .initialDelayEnd(g): return initialDelay && g == group
            case let .rebalanceTimeout(g): return rebalance && g == group
            default: return false
            }
        }
    }

    // MARK: FindCoordinator

    /// The coordinator is the leader of the group's `__consumer_offsets` partition when that topic
    /// exists in the cluster; otherwise (the cluster slice does not create it) the live broker at
    /// position partition % count among the live brokers.
    public static func coordinatorBroker(groupID: String, cluster: Cluster) -> (broker: Int?, partition: Int) {
        if let topic = try? cluster.topic(offsetsTopicName), !topic.partitions.isEmpty {
            let p = offsetsPartition(groupID: groupID, partitions: topic.partitions.count)
            return (topic.partitions[p].leader, p)
        }
        let p = offsetsPartition(groupID: groupID)
        let alive = cluster.aliveBrokerIDs
        return (alive.isEmpty ? nil : alive[p % alive.count], p)
    }

    mutating func coordinatorFind(consumer: String, group: String, cluster: Cluster, at t: Int64) -> String {
        let (broker, partition) = Self.coordinatorBroker(groupID: group, cluster: cluster)
        if let broker, let gi = groupIndex(group) { groups[gi].coordinator = broker }
        schedule(.findCoordinatorResponse(consumer: consumer, group: group, coordinator: broker, partition: partition),
                 at: t + Self.hopMs, from: Self.brokerLabel(broker), to: consumer)
        return broker.map { "coordinator is broker-\($0)" } ?? "no coordinator available"
    }

    // MARK: JoinGroup

    static func makeMember(_ r: JoinRequest, id: String) -> CoordinatorMember {
        CoordinatorMember(memberID: id, instanceID: r.instanceID, clientID: r.clientID, consumer: r.consumer,
                          protocols: r.protocols, topics: r.topics, owned: r.owned, previous: r.previous,
                          ownedGeneration: r.ownedGeneration, cooperative: r.cooperative,
                          sessionTimeoutMs: r.sessionTimeoutMs, rebalanceTimeoutMs: r.rebalanceTimeoutMs,
                          assignment: [], awaitingJoin: true, awaitingSync: false,
                          protocolType: r.protocolType, metadata: r.metadata)
    }

    mutating func joinError(_ r: JoinRequest, _ error: GroupError, memberID: String, at t: Int64) -> String {
        reply(.joinGroupResponse(JoinResponse(consumer: r.consumer, error: error, memberID: memberID, generation: -1,
                                              protocolName: nil, leader: "", members: [], skipAssignment: false)),
              group: r.group, consumer: r.consumer, at: t)
        return error.name
    }

    mutating func ensureGroup(_ id: String) -> Int {
        if let gi = groupIndex(id) { return gi }
        let coordinator = consumers.first { $0.config.groupID == id && $0.coordinator != nil }?.coordinator ?? externalCoordinatorHint
        let group = CoordinatorGroup(groupID: id, state: .empty, generation: 0, protocolName: nil, leader: nil, members: [],
                                     pending: [], coordinator: coordinator, offsetsPartition: Self.offsetsPartition(groupID: id),
                                     initialDelayDeadlineMs: nil, offsets: [])
        let index = groups.firstIndex { $0.groupID > id } ?? groups.count
        groups.insert(group, at: index)
        return index
    }

    mutating func coordinatorJoin(_ r: JoinRequest, at t: Int64) -> String {
        if r.sessionTimeoutMs < Self.minSessionTimeoutMs || r.sessionTimeoutMs > Self.maxSessionTimeoutMs {
            return joinError(r, .invalidSessionTimeout, memberID: r.memberID, at: t)
        }
        let gi = ensureGroup(r.group)
        let others = groups[gi].members.filter { m in
            m.memberID != r.memberID && (r.instanceID == nil || m.instanceID != r.instanceID)
        }
        if !others.isEmpty && !r.protocols.contains(where: { p in others.allSatisfy { $0.protocols.contains(p) } }) {
            return joinError(r, .inconsistentGroupProtocol, memberID: r.memberID, at: t)
        }
        // ClassicGroup.supportsProtocols: an empty protocol type or protocol list is never accepted, and
        // members of one group share one protocol type ("consumer" for simulated consumers).
        let protocolType = r.protocolType ?? "consumer"
        if protocolType.isEmpty || r.protocols.isEmpty || others.contains(where: { ($0.protocolType ?? "consumer") != protocolType }) {
            return joinError(r, .inconsistentGroupProtocol, memberID: r.memberID, at: t)
        }
        if r.memberID.isEmpty {
            if let instance = r.instanceID { return staticJoin(gi, r, instance: instance, at: t) }
            memberIDSequence += 1
            let id = "\(r.clientID)-\(memberIDSequence)"
            groups[gi].pending.append(PendingMember(memberID: id, consumer: r.consumer))
            scheduleSessionExpiry(gi, memberID: id, timeoutMs: r.sessionTimeoutMs, at: t)
            _ = joinError(r, .memberIDRequired, memberID: id, at: t)
            return "MEMBER_ID_REQUIRED: the member must rejoin with member id \(id)"
        }
        if let pi = groups[gi].pending.firstIndex(where: { $0.memberID == r.memberID }) {
            groups[gi].pending.remove(at: pi)
            cancelSessionExpiry(r.group, memberID: r.memberID)
            return addNewMember(gi, Self.makeMember(r, id: r.memberID), at: t)
        }
        guard let mi = groups[gi].memberIndex(r.memberID) else {
            if let instance = r.instanceID, groups[gi].members.contains(where: { $0.instanceID == instance }) {
                return joinError(r, .fencedInstanceID, memberID: r.memberID, at: t)
            }
            return joinError(r, .unknownMemberID, memberID: r.memberID, at: t)
        }
        if groups[gi].members[mi].instanceID != r.instanceID {
            return joinError(r, .fencedInstanceID, memberID: r.memberID, at: t)
        }
        return existingMemberJoin(gi, mi, r, at: t)
    }

    mutating func addNewMember(_ gi: Int, _ member: CoordinatorMember, at t: Int64) -> String {
        let state = groups[gi].state
        groups[gi].members.append(member)
        let joined = "\(member.memberID) joined"
        switch state {
        case .empty, .dead, .completingRebalance, .stable:
            return joined + "; " + prepareRebalance(gi, at: t)
        case .preparingRebalance:
            let group = groups[gi].groupID
            if initialDelayPending(group) {
                let deadline = groups[gi].initialDelayDeadlineMs ?? t
                let end = min(t + Self.initialRebalanceDelayMs, max(deadline, t))
                cancelGroupTimers(group, initialDelay: true, rebalance: false)
                let label = Self.brokerLabel(groups[gi].coordinator)
                schedule(.initialDelayEnd(group: group), at: end, from: label, to: label)
                return joined + "; initial rebalance delay now ends at \(end) ms"
            }
            let completed = tryCompleteJoin(gi, at: t)
            return completed.isEmpty ? joined + "; waiting for the other members to rejoin" : joined + "; " + completed
        }
    }

    mutating func existingMemberJoin(_ gi: Int, _ mi: Int, _ r: JoinRequest, at t: Int64) -> String {
        let old = groups[gi].members[mi]
        // ClassicGroupMember.matches: same protocols with the same metadata bytes (external members).
        let changed = old.protocols != r.protocols || old.topics != r.topics || old.owned != r.owned || old.metadata != r.metadata
        var updated = Self.makeMember(r, id: old.memberID)
        updated.assignment = old.assignment
        updated.assignmentBytes = old.assignmentBytes
        updated.awaitingJoin = false
        groups[gi].members[mi] = updated
        let group = groups[gi].groupID
        switch groups[gi].state {
        case .completingRebalance where !changed:
            sendJoinSuccess(gi, memberID: r.memberID, skipAssignment: false, at: t)
            return "metadata unchanged: current generation returned"
        case .stable where !changed && groups[gi].leader != r.memberID:
            sendJoinSuccess(gi, memberID: r.memberID, skipAssignment: false, at: t)
            return "metadata unchanged: current generation returned"
        case .preparingRebalance:
            groups[gi].members[mi].awaitingJoin = true
            cancelSessionExpiry(group, memberID: r.memberID)
            let completed = tryCompleteJoin(gi, at: t)
            return completed.isEmpty ? "\(r.memberID) rejoined; waiting for the others" : "\(r.memberID) rejoined; " + completed
        default:
            groups[gi].members[mi].awaitingJoin = true
            cancelSessionExpiry(group, memberID: r.memberID)
            return "\(r.memberID) rejoined with new metadata; " + prepareRebalance(gi, at: t)
        }
    }

    /// KIP-345: a static member (re)joining with an empty member id.
    mutating func staticJoin(_ gi: Int, _ r: JoinRequest, instance: String, at t: Int64) -> String {
        memberIDSequence += 1
        let id = "\(instance)-\(memberIDSequence)"
        guard let mi = groups[gi].members.firstIndex(where: { $0.instanceID == instance }) else {
            return addNewMember(gi, Self.makeMember(r, id: id), at: t)
        }
        let old = groups[gi].members[mi]
        let group = groups[gi].groupID
        cancelSessionExpiry(group, memberID: old.memberID)
        answerParkedRequests(of: old, group: group, generation: groups[gi].generation, error: .fencedInstanceID, at: t)
        // Kafka (static rejoin of a Stable group) compares the protocol choice and subscribed topics,
        // not the metadata bytes: a restarted member no longer reports owned partitions.
        let changed = old.protocols != r.protocols || old.topics != r.topics
        var member = Self.makeMember(r, id: id)
        member.assignment = old.assignment
        member.assignmentBytes = old.assignmentBytes
        member.awaitingJoin = false
        groups[gi].members[mi] = member
        if groups[gi].leader == old.memberID { groups[gi].leader = id }
        let replaced = "static member \(instance): \(old.memberID) replaced by \(id) (the old id is now fenced)"
        switch groups[gi].state {
        case .stable where !changed:
            scheduleSessionExpiry(gi, memberID: id, timeoutMs: member.sessionTimeoutMs, at: t)
            sendJoinSuccess(gi, memberID: id, skipAssignment: true, at: t)
            writeGroupMetadata(gi, at: t)
            return replaced + "; cached assignment kept, no rebalance"
        case .preparingRebalance:
            groups[gi].members[mi].awaitingJoin = true
            let completed = tryCompleteJoin(gi, at: t)
            return completed.isEmpty ? replaced : replaced + "; " + completed
        default:
            groups[gi].members[mi].awaitingJoin = true
            return replaced + "; " + prepareRebalance(gi, at: t)
        }
    }

    mutating func sendJoinSuccess(_ gi: Int, memberID: String, skipAssignment: Bool, at t: Int64) {
        let g = groups[gi]
        guard let mi = g.memberIndex(memberID) else { return }
        let isLeader = g.leader == memberID && !skipAssignment
        // An external leader decodes the members' metadata bytes for the chosen protocol itself.
        let externalLeader = isExternalClient(g.members[mi].consumer)
        let infos = isLeader ? g.members.map {
            JoinMemberInfo(memberID: $0.memberID, instanceID: $0.instanceID, topics: $0.topics, owned: $0.owned,
                           previous: $0.previous, ownedGeneration: $0.ownedGeneration, cooperative: $0.cooperative,
                           metadata: externalLeader ? $0.protocolMetadata(for: g.protocolName) : nil)
        } : []
        reply(.joinGroupResponse(JoinResponse(consumer: g.members[mi].consumer, error: nil, memberID: memberID,
                                              generation: g.generation, protocolName: g.protocolName, leader: g.leader ?? "",
                                              members: infos, skipAssignment: skipAssignment)),
              group: g.groupID, consumer: g.members[mi].consumer, at: t)
    }

    /// Moves the group to PreparingRebalance (answering parked SyncGroups with REBALANCE_IN_PROGRESS)
    /// and arms the initial delay (from Empty) or the rebalance timeout.
    mutating func prepareRebalance(_ gi: Int, at t: Int64) -> String {
        let group = groups[gi].groupID
        if groups[gi].state == .completingRebalance {
            for i in groups[gi].members.indices where groups[gi].members[i].awaitingSync {
                groups[gi].members[i].awaitingSync = false
                let m = groups[gi].members[i]
                reply(.syncGroupResponse(SyncResponse(consumer: m.consumer, error: .rebalanceInProgress, memberID: m.memberID,
                                                      generation: groups[gi].generation, assignment: [])),
                      group: group, consumer: m.consumer, at: t)
            }
        }
        let wasEmpty = groups[gi].state == .empty || groups[gi].state == .dead
        groups[gi].state = .preparingRebalance
        let timeout = groups[gi].members.map(\.rebalanceTimeoutMs).max() ?? 0
        let label = Self.brokerLabel(groups[gi].coordinator)
        var text = "group \(group) → PreparingRebalance"
        if wasEmpty {
            groups[gi].initialDelayDeadlineMs = t + timeout
            cancelGroupTimers(group, initialDelay: true, rebalance: false)
            let end = min(t + Self.initialRebalanceDelayMs, t + timeout)
            schedule(.initialDelayEnd(group: group), at: end, from: label, to: label)
            text += " (new group: waiting group.initial.rebalance.delay.ms until \(end) ms)"
        } else {
            cancelGroupTimers(group, initialDelay: false, rebalance: true)
            schedule(.rebalanceTimeout(group: group), at: t + timeout, from: label, to: label)
        }
        let completed = tryCompleteJoin(gi, at: t)
        return completed.isEmpty ? text : text + "; " + completed
    }

    mutating func tryCompleteJoin(_ gi: Int, at t: Int64) -> String {
        let g = groups[gi]
        guard g.state == .preparingRebalance, !initialDelayPending(g.groupID), g.pending.isEmpty,
              g.members.allSatisfy(\.awaitingJoin) else { return "" }
        return completeJoin(gi, at: t)
    }

    /// Protocol vote (kafka.md §3.2 step 3).
    static func selectProtocol(_ members: [CoordinatorMember]) -> String? {
        guard let first = members.first else { return nil }
        let candidates = first.protocols.filter { p in members.allSatisfy { $0.protocols.contains(p) } }
        guard !candidates.isEmpty else { return first.protocols.first }
        var best = candidates[0]
        var bestVotes = -1
        for candidate in candidates {
            let votes = members.filter { m in m.protocols.first(where: { candidates.contains($0) }) == candidate }.count
            if votes > bestVotes { best = candidate; bestVotes = votes }
        }
        return best
    }

    mutating func completeJoin(_ gi: Int, at t: Int64) -> String {
        let group = groups[gi].groupID
        cancelGroupTimers(group, initialDelay: true, rebalance: true)
        groups[gi].initialDelayDeadlineMs = nil
        let removed = groups[gi].members.filter { !$0.awaitingJoin }.map(\.memberID)
        for id in removed { cancelSessionExpiry(group, memberID: id) }
        groups[gi].members.removeAll { !$0.awaitingJoin }
        groups[gi].generation += 1
        let generation = groups[gi].generation
        let removedText = removed.isEmpty ? "" : "; removed (did not rejoin in time): \(removed.joined(separator: ", "))"
        if groups[gi].members.isEmpty {
            groups[gi].state = .empty
            groups[gi].protocolName = nil
            groups[gi].leader = nil
            writeGroupMetadata(gi, at: t)
            return "generation \(generation) has no members: group Empty\(removedText)"
        }
        groups[gi].protocolName = Self.selectProtocol(groups[gi].members)
        if let leader = groups[gi].leader, groups[gi].memberIndex(leader) != nil {
            // The previous leader stays leader.
        } else {
            groups[gi].leader = groups[gi].members[0].memberID
        }
        groups[gi].state = .completingRebalance
        for i in groups[gi].members.indices {
            groups[gi].members[i].awaitingJoin = false
            groups[gi].members[i].awaitingSync = false
        }
        for member in groups[gi].members {
            sendJoinSuccess(gi, memberID: member.memberID, skipAssignment: false, at: t)
            scheduleSessionExpiry(gi, memberID: member.memberID, timeoutMs: member.sessionTimeoutMs, at: t)
        }
        let ids = groups[gi].members.map(\.memberID).joined(separator: ", ")
        return "generation \(generation): protocol \(groups[gi].protocolName ?? "-"), leader \(groups[gi].leader ?? "-"), members [\(ids)]; group → CompletingRebalance\(removedText)"
    }

    // MARK: SyncGroup, Heartbeat, LeaveGroup

    func validateMember(_ gi: Int, memberID: String, instanceID: String?) -> GroupError? {
        if let instanceID, let other = groups[gi].members.first(where: { $0.instanceID == instanceID }), other.memberID != memberID {
            return .fencedInstanceID
        }
        return groups[gi].memberIndex(memberID) == nil ? .unknownMemberID : nil
    }

    mutating func coordinatorSync(_ r: SyncRequest, at t: Int64) -> String {
        func answer(_ error: GroupError?, _ assignment: [TopicPartition], _ bytes: [UInt8]? = nil) {
            reply(.syncGroupResponse(SyncResponse(consumer: r.consumer, error: error, memberID: r.memberID,
                                                  generation: r.generation, assignment: assignment, assignmentBytes: bytes)),
                  group: r.group, consumer: r.consumer, at: t)
        }
        guard let gi = groupIndex(r.group) else { answer(.unknownMemberID, []); return GroupError.unknownMemberID.name }
        if let error = validateMember(gi, memberID: r.memberID, instanceID: r.instanceID) { answer(error, []); return error.name }
        guard let mi = groups[gi].memberIndex(r.memberID) else { answer(.unknownMemberID, []); return GroupError.unknownMemberID.name }
        let state = groups[gi].state
        if state == .empty || state == .dead { answer(.unknownMemberID, []); return GroupError.unknownMemberID.name }
        if r.generation != groups[gi].generation { answer(.illegalGeneration, []); return GroupError.illegalGeneration.name }
        if state == .preparingRebalance { answer(.rebalanceInProgress, []); return GroupError.rebalanceInProgress.name }
        scheduleSessionExpiry(gi, memberID: r.memberID, timeoutMs: groups[gi].members[mi].sessionTimeoutMs, at: t)
        if state == .stable {
            let m = groups[gi].members[mi]
            answer(nil, m.assignment, m.assignmentBytes)
            return "group Stable: assignment returned"
        }
        groups[gi].members[mi].awaitingSync = true
        guard r.memberID == groups[gi].leader, let assignments = r.assignments else {
            return "parked until the leader's SyncGroup arrives"
        }
        let externalLeader = isExternalClient(r.consumer)
        for i in groups[gi].members.indices {
            let id = groups[gi].members[i].memberID
            let entry = assignments.first { $0.memberID == id }
            groups[gi].members[i].assignment = (entry?.partitions ?? []).sorted()
            // Kafka hands each member exactly the bytes its leader sent (empty when the leader sent none).
            // A simulated leader's assignment is encoded only when delivered to an external member.
            groups[gi].members[i].assignmentBytes = externalLeader ? (entry?.bytes ?? []) : nil
        }
        groups[gi].state = .stable
        for i in groups[gi].members.indices where groups[gi].members[i].awaitingSync {
            groups[gi].members[i].awaitingSync = false
            let m = groups[gi].members[i]
            reply(.syncGroupResponse(SyncResponse(consumer: m.consumer, error: nil, memberID: m.memberID,
                                                  generation: groups[gi].generation, assignment: m.assignment,
                                                  assignmentBytes: m.assignmentBytes)),
                  group: r.group, consumer: m.consumer, at: t)
        }
        writeGroupMetadata(gi, at: t)
        return "leader's assignment stored; group → Stable (generation \(groups[gi].generation))"
    }

    mutating func coordinatorHeartbeat(_ r: MemberRequest, at t: Int64) -> String {
        var error: GroupError?
        if let gi = groupIndex(r.group) {
            let state = groups[gi].state
            error = validateMember(gi, memberID: r.memberID, instanceID: r.instanceID)
            if error == nil && (state == .empty || state == .dead) { error = .unknownMemberID }
            if error == nil && r.generation != groups[gi].generation { error = .illegalGeneration }
            if error == nil && (state == .preparingRebalance || state == .completingRebalance) { error = .rebalanceInProgress }
            if error == nil || error == .rebalanceInProgress, let mi = groups[gi].memberIndex(r.memberID) {
                scheduleSessionExpiry(gi, memberID: r.memberID, timeoutMs: groups[gi].members[mi].sessionTimeoutMs, at: t)
            }
        } else {
            error = .unknownMemberID
        }
        reply(.heartbeatResponse(MemberResponse(consumer: r.consumer, memberID: r.memberID, generation: r.generation, error: error)),
              group: r.group, consumer: r.consumer, at: t)
        return error.map(\.name) ?? "session extended"
    }

    mutating func coordinatorLeave(_ r: MemberRequest, at t: Int64) -> String {
        func answer(_ error: GroupError?) {
            reply(.leaveGroupResponse(MemberResponse(consumer: r.consumer, memberID: r.memberID, generation: r.generation, error: error)),
                  group: r.group, consumer: r.consumer, at: t)
        }
        guard let gi = groupIndex(r.group) else { answer(.unknownMemberID); return GroupError.unknownMemberID.name }
        if let pi = groups[gi].pending.firstIndex(where: { $0.memberID == r.memberID }) {
            groups[gi].pending.remove(at: pi)
            cancelSessionExpiry(r.group, memberID: r.memberID)
            answer(nil)
            let completed = tryCompleteJoin(gi, at: t)
            return "pending member id \(r.memberID) dropped" + (completed.isEmpty ? "" : "; " + completed)
        }
        if let error = validateMember(gi, memberID: r.memberID, instanceID: r.instanceID) { answer(error); return error.name }
        answer(nil)
        return "\(r.memberID) left; " + removeMember(gi, r.memberID, at: t)
    }

    mutating func removeMember(_ gi: Int, _ memberID: String, at t: Int64) -> String {
        cancelSessionExpiry(groups[gi].groupID, memberID: memberID)
        if let member = groups[gi].members.first(where: { $0.memberID == memberID }) {
            answerParkedRequests(of: member, group: groups[gi].groupID, generation: groups[gi].generation, error: .unknownMemberID, at: t)
        }
        groups[gi].members.removeAll { $0.memberID == memberID }
        switch groups[gi].state {
        case .stable, .completingRebalance:
            return prepareRebalance(gi, at: t)
        case .preparingRebalance:
            let completed = tryCompleteJoin(gi, at: t)
            return completed.isEmpty ? "still waiting for the other members to rejoin" : completed
        case .empty, .dead:
            return ""
        }
    }

    // MARK: Timers

    mutating func coordinatorInitialDelayEnd(_ group: String, at t: Int64) -> String {
        guard let gi = groupIndex(group), groups[gi].state == .preparingRebalance else { return "nothing to do" }
        return completeJoin(gi, at: t)
    }

    mutating func coordinatorRebalanceTimeout(_ group: String, at t: Int64) -> String {
        guard let gi = groupIndex(group), groups[gi].state == .preparingRebalance else { return "nothing to do" }
        return completeJoin(gi, at: t)
    }

    mutating func coordinatorSessionExpiry(_ group: String, memberID: String, at t: Int64) -> String {
        guard let gi = groupIndex(group) else { return "nothing to do" }
        if let pi = groups[gi].pending.firstIndex(where: { $0.memberID == memberID }) {
            groups[gi].pending.remove(at: pi)
            let completed = tryCompleteJoin(gi, at: t)
            return "pending member id \(memberID) expired" + (completed.isEmpty ? "" : "; " + completed)
        }
        guard groups[gi].memberIndex(memberID) != nil else { return "nothing to do" }
        return "\(memberID) removed; " + removeMember(gi, memberID, at: t)
    }

    // MARK: Offsets

    /// Validates and applies an OffsetCommit; nil = accepted.
    mutating func coordinatorCommit(_ r: CommitRequest, at t: Int64) -> GroupError? {
        guard let gi = groupIndex(r.group) else { return .unknownMemberID }
        let g = groups[gi]
        let adminCommit = r.generation < 0 && r.memberID.isEmpty && g.state == .empty
        if !adminCommit {
            if let error = validateMember(gi, memberID: r.memberID, instanceID: r.instanceID) { return error }
            if r.generation != g.generation { return .illegalGeneration }
            if g.state == .completingRebalance { return .rebalanceInProgress }
        }
        for entry in r.offsets {
            var stored = entry
            stored.commitMs = t
            if let i = groups[gi].offsets.firstIndex(where: { $0.topicPartition == entry.topicPartition }) {
                groups[gi].offsets[i] = stored
            } else {
                groups[gi].offsets.append(stored)
                groups[gi].offsets.sort { $0.topicPartition < $1.topicPartition }
            }
            appendOffsetsRecord(OffsetsTopicRecord(
                partition: g.offsetsPartition, kind: "OffsetCommit",
                key: "OffsetCommitKey(version=1, group=\(g.groupID), topic=\(entry.topicPartition.topic), partition=\(entry.topicPartition.partition))",
                value: "OffsetCommitValue(version=3, offset=\(entry.offset), leaderEpoch=\(entry.leaderEpoch), metadata=\(entry.metadata ?? ""), commitTimestamp=\(t))",
                atMs: t))
        }
        return nil
    }

    mutating func coordinatorOffsetFetch(_ r: FetchOffsetsRequest, at t: Int64) -> String {
        let stored = groupIndex(r.group).map { groups[$0].offsets } ?? []
        // OffsetFetch with a null topic list returns every committed offset of the group.
        let partitions = r.allPartitions == true ? stored.map(\.topicPartition) : r.partitions
        let offsets = partitions.map { tp -> FetchedOffset in
            if let c = stored.first(where: { $0.topicPartition == tp }) {
                return FetchedOffset(topicPartition: tp, offset: c.offset, leaderEpoch: c.leaderEpoch, metadata: c.metadata ?? "")
            }
            return FetchedOffset(topicPartition: tp, offset: -1, leaderEpoch: -1, metadata: "")
        }
        reply(.offsetFetchResponse(FetchOffsetsResponse(consumer: r.consumer, generation: r.generation, offsets: offsets)),
              group: r.group, consumer: r.consumer, at: t)
        return ""
    }

    /// The GroupMetadata record the coordinator persists when a generation becomes Stable or the group Empty.
    mutating func writeGroupMetadata(_ gi: Int, at t: Int64) {
        let g = groups[gi]
        let members = g.members.map { m in
            "{memberId=\(m.memberID), groupInstanceId=\(m.instanceID ?? "null"), clientId=\(m.clientID), clientHost=/127.0.0.1, rebalanceTimeout=\(m.rebalanceTimeoutMs), sessionTimeout=\(m.sessionTimeoutMs), subscription=\(m.topics), assignment=[\(m.assignment.map(\.description).joined(separator: ", "))]}"
        }
        let value = "GroupMetadataValue(version=3, protocolType=\(g.members.first?.protocolType ?? "consumer"), generation=\(g.generation), protocol=\(g.protocolName ?? "null"), leader=\(g.leader ?? "null"), currentStateTimestamp=\(t), members=[\(members.joined(separator: ", "))])"
        appendOffsetsRecord(OffsetsTopicRecord(partition: g.offsetsPartition, kind: "GroupMetadata",
                                               key: "GroupMetadataKey(version=2, group=\(g.groupID))", value: value, atMs: t))
    }
}
