// External (wire) members in the simulated groups: real clients on TCP connections, each named by
// its connection (e.g. "wire-7"), take part in the same groups through the same coordinator code
// as simulated consumers (GroupCoordinator.swift), so describe, the timeline, committed offsets and
// `__consumer_offsets` show them exactly alike.
//
// - submit(_:nowMs:) queues the request to the coordinator one hop later (`hopMs`), like a
//   simulated consumer's request; `step`/`run` apply it with the coordinator code. Replies
//   addressed to an external client are queued like any reply and, when `step` DELIVERS them, are
//   handed out through takeExternalReplies() (in delivery order) instead of feeding a
//   ConsumerRuntime.
// - The broker treats protocol metadata and assignments as opaque (kafka.md §3.2 step 4): the
//   leader's JoinGroup response carries every member's ORIGINAL metadata bytes for the chosen
//   protocol, and each member's SyncGroup response carries EXACTLY the bytes its leader sent. For
//   protocol type "consumer" the bytes are also decoded (ConsumerProtocol.swift) to fill topics,
//   owned partitions and assignments for display and for simulated leaders/followers.
// - Protocol names are opaque strings: "range", "roundrobin", "sticky", "cooperative-sticky" are
//   what simulated consumers understand; any other name works among external members only.
//   Selection is the coordinator's (ClassicGroup.selectProtocol: candidates supported by all
//   members, each member votes for its first candidate).
// - Session timeouts apply as to simulated members: heartbeats keep a member alive; a closed
//   connection (dropExternalClient) simply stops heartbeating, and its pending replies are dropped.
// - Coordinator availability: a request for a group for which no broker can be coordinator (the
//   `__consumer_offsets` partition has no leader / no live broker) is answered
//   COORDINATOR_NOT_AVAILABLE (15), as Kafka answers when the coordinator is not active.

extension GroupWorld {
    /// Broker `offset.metadata.max.bytes`: longer OffsetCommit metadata gets OFFSET_METADATA_TOO_LARGE (12).
    public static let offsetMetadataMaxBytes = 4096

    // MARK: Public API

    /// Queues an external client's request to the group coordinator, arriving `hopMs` later.
    /// A client that was dropped is registered again (a new connection reusing the name).
    public mutating func submit(_ request: ExternalRequest, nowMs: Int64) {
        let client = request.client
        registerExternalClient(client)
        let payload: GroupPayload
        switch request {
        case let .join(j):
            payload = .joinGroup(Self.joinRequest(j))
        case let .sync(s):
            let assignments = s.assignments.map { list in
                list.map { a in
                    MemberAssignment(memberID: a.memberID,
                                     partitions: (ConsumerProtocolAssignment.decode(a.assignment)?.partitions ?? []).sorted(),
                                     bytes: a.assignment)
                }
            }
            payload = .syncGroup(SyncRequest(consumer: client, group: s.group, memberID: s.memberID, instanceID: s.instanceID,
                                             generation: s.generation, assignments: assignments, withheld: []))
        case let .heartbeat(h):
            payload = .heartbeat(MemberRequest(consumer: client, group: h.group, memberID: h.memberID, instanceID: h.instanceID,
                                               generation: h.generation))
        case let .leave(l):
            payload = .leaveGroup(MemberRequest(consumer: client, group: l.group, memberID: l.memberID, instanceID: l.instanceID,
                                                generation: -1))
        case let .commit(c):
            let offsets = c.offsets.map {
                CommittedOffset(topicPartition: TopicPartition($0.topic, $0.partition), offset: $0.offset,
                                leaderEpoch: $0.leaderEpoch, commitMs: 0, metadata: $0.metadata)
            }
            payload = .offsetCommit(CommitRequest(consumer: client, group: c.group, memberID: c.memberID, instanceID: c.instanceID,
                                                  generation: c.generation, offsets: offsets, automatic: false))
        case let .offsetFetch(f):
            payload = .offsetFetch(FetchOffsetsRequest(consumer: client, group: f.group, generation: -1, partitions: f.partitions ?? [],
                                                       allPartitions: f.partitions == nil ? true : nil))
        }
        schedule(payload, at: nowMs + Self.hopMs, from: client, to: coordinatorLabel(group: request.group))
    }

    /// Every reply delivered to an external client since the last call, in delivery order.
    public mutating func takeExternalReplies() -> [ExternalReply] {
        let replies = externalOutbox ?? []
        externalOutbox = nil
        return replies
    }

    /// The client's connection closed: replies still queued for it, or delivered and not yet taken,
    /// are discarded, and so are later ones. Its member (if any) is not removed: it just stops
    /// heartbeating, so the coordinator removes it after session.timeout.ms (or on a LeaveGroup that
    /// was already on the wire). Unknown clients are ignored.
    public mutating func dropExternalClient(_ client: String, nowMs: Int64) {
        guard isExternalClient(client), !(closedExternalClients ?? []).contains(client) else { return }
        closedExternalClients = (closedExternalClients ?? []) + [client]
        cancel { Self.replyTarget($0) == client }
        externalOutbox = externalOutbox.flatMap { outbox in
            let kept = outbox.filter { $0.client != client }
            return kept.isEmpty ? nil : kept
        }
        note(at: nowMs, from: client, to: client, kind: "ConnectionClosed",
             detail: "connection closed: pending replies discarded; its member stops heartbeating (removed after session.timeout.ms)")
    }

    /// External clients seen so far (including closed ones), in first-seen order.
    public var externalClientNames: [String] { externalClients ?? [] }

    // MARK: Registry

    func isExternalClient(_ name: String) -> Bool { externalClients?.contains(name) ?? false }

    mutating func registerExternalClient(_ client: String) {
        if !isExternalClient(client) { externalClients = (externalClients ?? []) + [client] }
        if let closed = closedExternalClients, closed.contains(client) {
            let remaining = closed.filter { $0 != client }
            closedExternalClients = remaining.isEmpty ? nil : remaining
        }
    }

    // MARK: Request conversion

    /// JoinGroup v5 → the coordinator's JoinRequest. For protocol type "consumer" the first protocol
    /// whose metadata decodes supplies topics, owned partitions and their generation (Java and
    /// librdkafka send the same subscription under every assignor; only user data differs).
    static func joinRequest(_ j: ExternalJoin) -> JoinRequest {
        let subscription = j.protocolType == "consumer"
            ? j.protocols.lazy.compactMap { ConsumerProtocolSubscription.decode($0.metadata) }.first
            : nil
        var topics: [String] = []
        for topic in (subscription?.topics ?? []).sorted() where topics.last != topic { topics.append(topic) }
        var owned: [TopicPartition] = []
        for tp in (subscription?.ownedPartitions ?? []).sorted() where owned.last != tp { owned.append(tp) }
        let names = j.protocols.map(\.name)
        // librdkafka forbids mixing eager and cooperative assignors; Java picks the highest protocol
        // supported by all its assignors (kafka.md §3.2): cooperative only when every one is.
        let cooperative = !names.isEmpty && names.allSatisfy { AssignorKind(rawValue: $0)?.isCooperative == true }
        return JoinRequest(consumer: j.client, group: j.group, memberID: j.memberID, instanceID: j.instanceID, clientID: j.clientID,
                           protocols: names, topics: topics, owned: owned, previous: owned,
                           ownedGeneration: Int(subscription?.generation ?? -1), cooperative: cooperative,
                           sessionTimeoutMs: j.sessionTimeoutMs,
                           // rebalance_timeout_ms is an int32 on the wire; clamp so timer arithmetic cannot overflow.
                           rebalanceTimeoutMs: min(max(j.rebalanceTimeoutMs, 0), Int64(Int32.max)),
                           protocolType: j.protocolType, metadata: j.protocols.map(\.metadata))
    }

    /// ConsumerProtocol Assignment bytes of a simulated leader's assignment (version 0, no user data).
    static func encodeAssignment(_ partitions: [TopicPartition]) -> [UInt8] {
        ConsumerProtocolAssignment(version: 0, partitions: partitions).encoded()
    }

    // MARK: Applying events

    /// The client a reply payload is addressed to (nil for requests and timers).
    static func replyTarget(_ payload: GroupPayload) -> String? {
        switch payload {
        case let .joinGroupResponse(r): return r.consumer
        case let .syncGroupResponse(r): return r.consumer
        case let .heartbeatResponse(r), let .leaveGroupResponse(r): return r.consumer
        case let .offsetCommitResponse(r): return r.consumer
        case let .offsetFetchResponse(r): return r.consumer
        case let .findCoordinatorResponse(consumer, _, _, _): return consumer
        default: return nil
        }
    }

    /// Handles an event that involves an external client; nil when it does not (the simulated path runs).
    mutating func applyExternal(_ event: GroupEvent, cluster: Cluster) -> String? {
        guard let clients = externalClients, !clients.isEmpty else { return nil }
        if let target = Self.replyTarget(event.payload), clients.contains(target) {
            return deliverExternal(event.payload, to: target, at: event.atMs)
        }
        guard let client = event.payload.consumer, clients.contains(client) else { return nil }
        let t = event.atMs
        let group: String
        switch event.payload {
        case let .joinGroup(r): group = r.group
        case let .syncGroup(r): group = r.group
        case let .heartbeat(r), let .leaveGroup(r): group = r.group
        case let .offsetCommit(r): group = r.group
        case let .offsetFetch(r): group = r.group
        default: return nil
        }
        guard let broker = Self.coordinatorBroker(groupID: group, cluster: cluster).broker else {
            replyCoordinatorNotAvailable(event.payload, client: client, group: group, at: t)
            return "no coordinator available: COORDINATOR_NOT_AVAILABLE"
        }
        if let gi = groupIndex(group), groups[gi].coordinator == nil { groups[gi].coordinator = broker }
        externalCoordinatorHint = broker
        defer { externalCoordinatorHint = nil }
        switch event.payload {
        case let .joinGroup(r): return coordinatorJoin(r, at: t)
        case let .syncGroup(r): return coordinatorSync(r, at: t)
        case let .heartbeat(r): return coordinatorHeartbeat(r, at: t)
        case let .leaveGroup(r): return coordinatorLeave(r, at: t)
        case let .offsetCommit(r): return externalCommit(r, cluster: cluster, at: t)
        case let .offsetFetch(r): return coordinatorOffsetFetch(r, at: t)
        default: return nil
        }
    }

    mutating func replyCoordinatorNotAvailable(_ payload: GroupPayload, client: String, group: String, at t: Int64) {
        let error = GroupError.coordinatorNotAvailable
        switch payload {
        case let .joinGroup(r):
            _ = joinError(r, error, memberID: r.memberID, at: t)
        case let .syncGroup(r):
            reply(.syncGroupResponse(SyncResponse(consumer: client, error: error, memberID: r.memberID, generation: r.generation,
                                                  assignment: [])), group: group, consumer: client, at: t)
        case let .heartbeat(r):
            reply(.heartbeatResponse(MemberResponse(consumer: client, memberID: r.memberID, generation: r.generation, error: error)),
                  group: group, consumer: client, at: t)
        case let .leaveGroup(r):
            reply(.leaveGroupResponse(MemberResponse(consumer: client, memberID: r.memberID, generation: r.generation, error: error)),
                  group: group, consumer: client, at: t)
        case let .offsetCommit(r):
            reply(.offsetCommitResponse(CommitResponse(consumer: client, error: error, offsets: r.offsets)), group: group, consumer: client, at: t)
        case let .offsetFetch(r):
            reply(.offsetFetchResponse(FetchOffsetsResponse(consumer: client, generation: r.generation, offsets: [], error: error)),
                  group: group, consumer: client, at: t)
        default:
            break
        }
    }

    /// OffsetCommit from an external client. As in Kafka, the broker first answers
    /// UNKNOWN_TOPIC_OR_PARTITION (3) for partitions not in its metadata (KafkaApis
    /// handleOffsetCommitRequest), then the coordinator validates the group once for the rest
    /// (ClassicGroup.validateOffsetCommit; its error applies to every such partition), then each
    /// partition: metadata longer than offset.metadata.max.bytes → OFFSET_METADATA_TOO_LARGE (12).
    /// A negative offset is answered OFFSET_OUT_OF_RANGE (1) and not stored — a workbench rule
    /// (Kafka stores it) that keeps committed offsets and lag meaningful.
    /// A simple consumer's commit (generation < 0, member id "") creates the group if needed,
    /// Empty, as Kafka's getOrMaybeCreateClassicGroup(groupId, createIfNotExists: generation < 0) does.
    mutating func externalCommit(_ r: CommitRequest, cluster: Cluster, at t: Int64) -> String {
        var codes: [Int16?] = Array(repeating: nil, count: r.offsets.count)
        var known: [Int] = []
        for (i, entry) in r.offsets.enumerated() {
            let tp = entry.topicPartition
            if let topic = try? cluster.topic(tp.topic), tp.partition >= 0, tp.partition < topic.partitions.count {
                known.append(i)
            } else {
                codes[i] = GroupErrorCodes.unknownTopicOrPartition
            }
        }
        var error: GroupError?
        var accepted: [CommittedOffset] = []
        if !known.isEmpty {
            if r.generation < 0 && r.memberID.isEmpty && groupIndex(r.group) == nil { _ = ensureGroup(r.group) }
            var storable: [Int] = []
            for i in known {
                let entry = r.offsets[i]
                if (entry.metadata?.utf16.count ?? 0) > Self.offsetMetadataMaxBytes {
                    codes[i] = GroupErrorCodes.offsetMetadataTooLarge
                } else if entry.offset < 0 {
                    codes[i] = GroupErrorCodes.offsetOutOfRange
                } else {
                    storable.append(i)
                }
            }
            var request = r
            request.offsets = storable.map { r.offsets[$0] }
            error = coordinatorCommit(request, at: t)
            if let error {
                for i in known { codes[i] = GroupErrorCodes.code(error) }
            } else {
                accepted = request.offsets
            }
        }
        let partitionErrors = r.offsets.indices.map {
            PartitionErrorCode(topicPartition: r.offsets[$0].topicPartition, code: codes[$0] ?? GroupErrorCodes.none)
        }
        reply(.offsetCommitResponse(CommitResponse(consumer: r.consumer, error: error, offsets: accepted, partitionErrors: partitionErrors)),
              group: r.group, consumer: r.consumer, at: t)
        if let error { return "rejected: \(error.name)" }
        let refused = partitionErrors.filter { $0.code != GroupErrorCodes.none }
        if refused.isEmpty { return "committed" }
        return "committed \(accepted.count) of \(r.offsets.count); refused " +
            refused.map { "\($0.topicPartition) (error \($0.code))" }.joined(separator: ", ")
    }

    /// A reply reaches an external client: it goes to the outbox (or is discarded after the
    /// connection closed).
    mutating func deliverExternal(_ payload: GroupPayload, to client: String, at t: Int64) -> String {
        if (closedExternalClients ?? []).contains(client) { return "discarded: \(client)'s connection is closed" }
        let kind: ExternalReplyKind
        switch payload {
        case let .joinGroupResponse(r):
            let ok = r.error == nil
            kind = .join(ExternalJoinResult(
                errorCode: GroupErrorCodes.code(r.error), generation: ok ? r.generation : -1,
                protocolName: ok ? (r.protocolName ?? "") : "", leader: ok ? r.leader : "", memberID: r.memberID,
                members: ok ? r.members.map {
                    ExternalJoinMember(memberID: $0.memberID, instanceID: $0.instanceID,
                                       metadata: $0.metadata ?? ConsumerProtocolSubscription(topics: $0.topics, ownedPartitions: $0.owned).encoded())
                } : []))
        case let .syncGroupResponse(r):
            let bytes = r.error == nil ? (r.assignmentBytes ?? Self.encodeAssignment(r.assignment)) : []
            kind = .sync(errorCode: GroupErrorCodes.code(r.error), assignment: bytes)
        case let .heartbeatResponse(r):
            kind = .heartbeat(errorCode: GroupErrorCodes.code(r.error))
        case let .leaveGroupResponse(r):
            kind = .leave(errorCode: GroupErrorCodes.code(r.error))
        case let .offsetCommitResponse(r):
            let results = r.partitionErrors ?? r.offsets.map { PartitionErrorCode(topicPartition: $0.topicPartition, code: GroupErrorCodes.code(r.error)) }
            kind = .commit(results.map { ExternalCommitResult(topic: $0.topicPartition.topic, partition: $0.topicPartition.partition, errorCode: $0.code) })
        case let .offsetFetchResponse(r):
            kind = .offsetFetch(r.offsets.map {
                ExternalFetchedOffset(topic: $0.topicPartition.topic, partition: $0.topicPartition.partition, offset: $0.offset,
                                      leaderEpoch: $0.leaderEpoch, metadata: $0.metadata ?? "", errorCode: GroupErrorCodes.none)
            }, errorCode: GroupErrorCodes.code(r.error))
        default:
            return "ignored"
        }
        externalOutbox = (externalOutbox ?? []) + [ExternalReply(client: client, atMs: t, kind: kind)]
        return "handed to external client \(client)"
    }

    // MARK: Parked requests of removed external members

    /// Kafka completes the parked JoinGroup/SyncGroup of a member it removes or fences, so the client
    /// is never left waiting (GroupMetadataManager.removeMemberAndUpdateClassicGroup: UNKNOWN_MEMBER_ID
    /// for a pending join; ClassicGroup.replaceStaticMember: FENCED_INSTANCE_ID, KIP-345). Done for
    /// external members, whose adapter must answer every request on a connection in order
    /// (kafka.md §6.1); simulated consumers never wait on these.
    mutating func answerParkedRequests(of member: CoordinatorMember, group: String, generation: Int, error: GroupError, at t: Int64) {
        guard isExternalClient(member.consumer) else { return }
        if member.awaitingJoin {
            reply(.joinGroupResponse(JoinResponse(consumer: member.consumer, error: error, memberID: member.memberID, generation: -1,
                                                  protocolName: nil, leader: "", members: [], skipAssignment: false)),
                  group: group, consumer: member.consumer, at: t)
        }
        if member.awaitingSync {
            reply(.syncGroupResponse(SyncResponse(consumer: member.consumer, error: error, memberID: member.memberID,
                                                  generation: generation, assignment: [])),
                  group: group, consumer: member.consumer, at: t)
        }
    }

    // MARK: Invariants

    func externalInvariantProblems() -> [String] {
        var problems: [String] = []
        let clients = externalClients ?? []
        if Set(clients).count != clients.count { problems.append("duplicate external client names") }
        for closed in closedExternalClients ?? [] where !clients.contains(closed) {
            problems.append("closed external client \(closed) was never registered")
        }
        for reply in externalOutbox ?? [] {
            if !clients.contains(reply.client) { problems.append("reply for unknown external client \(reply.client)") }
            if (closedExternalClients ?? []).contains(reply.client) { problems.append("reply kept for closed client \(reply.client)") }
        }
        if let outbox = externalOutbox, outbox.isEmpty { problems.append("empty outbox not normalised to nil") }
        for i in (externalOutbox ?? []).indices.dropFirst() where (externalOutbox ?? [])[i - 1].atMs > (externalOutbox ?? [])[i].atMs {
            problems.append("external replies out of delivery order")
        }
        if externalCoordinatorHint != nil { problems.append("coordinator hint left set outside apply") }
        for g in groups {
            for m in g.members {
                if let metadata = m.metadata, metadata.count != m.protocols.count {
                    problems.append("\(g.groupID): \(m.memberID) has \(metadata.count) metadata entries for \(m.protocols.count) protocols")
                }
            }
            if let name = g.protocolName, !g.members.isEmpty, g.state != .preparingRebalance,
               !g.members.allSatisfy({ $0.protocols.contains(name) }) {
                problems.append("\(g.groupID): protocol \(name) not supported by every member")
            }
        }
        return problems
    }
}

extension CoordinatorMember {
    /// The member's metadata bytes for `protocol`: an external member's original bytes, or a
    /// simulated member's subscription encoded as ConsumerProtocol Subscription v1.
    func protocolMetadata(for protocolName: String?) -> [UInt8] {
        if let metadata, let name = protocolName, let i = protocols.firstIndex(of: name), i < metadata.count {
            return metadata[i]
        }
        return ConsumerProtocolSubscription(version: 1, topics: topics, ownedPartitions: owned).encoded()
    }
}
