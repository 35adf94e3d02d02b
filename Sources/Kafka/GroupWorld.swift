// The consumer-group world: every consumer, every group coordinator, committed offsets, messages in
// flight and timers (kafka.md §3). Pure value type; no clocks, no randomness — callers pass the
// simulated time, and every id comes from a counter.
//
// Model summary (details in GroupCoordinator.swift and ConsumerClient.swift):
// - Requests and responses are queued events; each network hop takes `hopMs` = 1 ms. `step` applies
//   exactly one due event (in time, then sequence order) and reports it.
// - poll(), commit(), close() and crash() are the application's calls. poll() is non-blocking: the
//   first call only sends FindCoordinator; the join then proceeds through `step`.
// - Member ids are deterministic: "<client.id>-<n>" for dynamic members and
//   "<group.instance.id>-<n>" for static ones (Kafka appends a UUID instead), n being one
//   workbench-wide counter starting at 1.
// - Default client ids are "consumer-<group.id>-<n>" with a workbench-wide counter starting at 1.

/// The coordinator's record of one group member.
struct CoordinatorMember: Codable, Equatable, Sendable {
    var memberID: String
    var instanceID: String?
    var clientID: String
    /// The consumer (by name) currently behind this member id; responses go there.
    var consumer: String
    /// Protocol names, opaque to the coordinator (see JoinRequest.protocols).
    var protocols: [String]
    var topics: [String]
    var owned: [TopicPartition]
    var previous: [TopicPartition]
    var ownedGeneration: Int
    var cooperative: Bool
    var sessionTimeoutMs: Int64
    var rebalanceTimeoutMs: Int64
    var assignment: [TopicPartition]
    /// Its JoinGroup is parked until the join phase completes.
    var awaitingJoin: Bool
    /// Its SyncGroup is parked until the leader's SyncGroup arrives.
    var awaitingSync: Bool
    /// External (wire) members: JoinGroup protocol_type (nil = "consumer").
    var protocolType: String? = nil
    /// External (wire) members: the original metadata bytes of each protocol, parallel to `protocols`.
    var metadata: [[UInt8]]? = nil
    /// The assignment bytes this member receives in SyncGroup (exactly what the leader sent).
    var assignmentBytes: [UInt8]? = nil
}

/// A member id handed out with MEMBER_ID_REQUIRED that has not rejoined yet (KIP-394).
struct PendingMember: Codable, Equatable, Sendable {
    var memberID: String
    var consumer: String
}

/// One group as its coordinator holds it.
struct CoordinatorGroup: Codable, Equatable, Sendable {
    var groupID: String
    var state: GroupState
    var generation: Int
    /// The chosen protocol's name (opaque to the coordinator; an AssignorKind raw value for simulated consumers).
    var protocolName: String?
    var leader: String?
    /// In join order (the first is the leader candidate).
    var members: [CoordinatorMember]
    var pending: [PendingMember]
    var coordinator: Int?
    var offsetsPartition: Int
    /// Latest end of the initial rebalance delay (the rebalance timeout bounds the extensions).
    var initialDelayDeadlineMs: Int64?
    /// Sorted by topic partition.
    var offsets: [CommittedOffset]

    func memberIndex(_ id: String) -> Int? { members.firstIndex { $0.memberID == id } }
}

/// The consumer client's internal state.
enum ConsumerPhase: String, Codable, Sendable {
    case unjoined, findingCoordinator, awaitingJoin, awaitingSync, stable
    /// Out of the group after an error; the next poll() rejoins.
    case idle
    case left, crashed, closed
}

/// One entry of the leader's metadata snapshot: a subscribed topic and its partition count
/// (0 = the topic did not exist in the metadata).
struct TopicPartitionCount: Codable, Equatable, Sendable {
    var topic: String
    var partitions: Int
}

struct ConsumerRuntime: Codable, Equatable, Sendable {
    var name: String
    var config: ConsumerConfig
    var topics: [String]
    var phase: ConsumerPhase = .unjoined
    var memberID = ""
    var generation = -1
    var everJoined = false
    /// Java's "rejoin needed" flag: the next poll() starts a rejoin.
    var rejoinNeeded = false
    var protocolName: AssignorKind?
    var assignment: [TopicPartition] = []
    var previousAssignment: [TopicPartition] = []
    /// Sorted by topic partition; only assigned partitions.
    var positions: [PartitionPosition] = []
    var coordinator: Int?
    var lastPollMs: Int64?
    var nextAutoCommitMs: Int64
    var fetchCursor = 0
    var pendingError: GroupError?
    /// When poll() last refreshed the cluster metadata (a join also refreshes); nil = never.
    var lastMetadataRefreshMs: Int64?
    /// Java ConsumerCoordinator's assignmentSnapshot: the partition counts of the group's subscribed
    /// topics (sorted by topic) that this consumer assigned with as leader; nil when not the leader.
    /// Optional, so states saved before these fields existed still decode.
    var metadataSnapshot: [TopicPartitionCount]?

    var isDead: Bool { phase == .crashed || phase == .closed }

    func position(_ tp: TopicPartition) -> PartitionPosition? { positions.first { $0.topicPartition == tp } }

    mutating func setPosition(_ tp: TopicPartition, offset: Int64, leaderEpoch: Int) {
        let entry = PartitionPosition(topicPartition: tp, offset: offset, leaderEpoch: leaderEpoch)
        if let i = positions.firstIndex(where: { $0.topicPartition == tp }) {
            positions[i] = entry
        } else {
            positions.append(entry)
            positions.sort { $0.topicPartition < $1.topicPartition }
        }
    }

    var status: ConsumerStatus {
        switch phase {
        case .unjoined: return .unjoined
        case .findingCoordinator: return everJoined ? .rebalancing : .joining
        case .awaitingJoin, .awaitingSync: return everJoined ? .rebalancing : .joining
        case .stable: return rejoinNeeded ? .rebalancing : .stable
        case .idle: return .rebalancing
        case .left: return .left
        case .crashed: return .crashed
        case .closed: return .closed
        }
    }
}

public struct GroupWorld: Codable, Equatable, Sendable {
    /// Network latency of one hop (deterministic).
    public static let hopMs: Int64 = 1
    /// Broker `group.initial.rebalance.delay.ms`.
    public static let initialRebalanceDelayMs: Int64 = 3_000
    /// Broker `group.min.session.timeout.ms` / `group.max.session.timeout.ms`.
    public static let minSessionTimeoutMs: Int64 = 6_000
    public static let maxSessionTimeoutMs: Int64 = 1_800_000
    /// Client `retry.backoff.ms` (used when no coordinator is available).
    public static let retryBackoffMs: Int64 = 100
    /// How many delivered messages the timeline keeps.
    public static let timelineCapacity = 500
    /// How many `__consumer_offsets` records are kept.
    public static let offsetsRecordCapacity = 2_000

    var consumers: [ConsumerRuntime] = []
    /// Sorted by group id.
    var groups: [CoordinatorGroup] = []
    /// Sorted by (atMs, sequence).
    var queue: [GroupEvent] = []
    var nextSequence = 1
    var clientIDSequence = 0
    var memberIDSequence = 0
    var timelineEntries: [GroupMessage] = []
    var offsetsLog: [OffsetsTopicRecord] = []
    /// External (wire) clients that submitted requests, in first-seen order (GroupWorld+External.swift).
    /// Optional so states saved before they existed still decode.
    var externalClients: [String]? = nil
    /// External clients whose connection closed: replies still addressed to them are discarded.
    var closedExternalClients: [String]? = nil
    /// Replies delivered to external clients and not yet taken, in delivery order.
    var externalOutbox: [ExternalReply]? = nil
    /// While an external request is applied: the coordinator broker resolved from the cluster
    /// (used as a new group's coordinator, as FindCoordinator does for simulated consumers).
    var externalCoordinatorHint: Int? = nil

    public init() {}

    // MARK: Public read API

    /// Delivered messages, timer firings and client-side events, oldest first (last 500).
    public var timeline: [GroupMessage] { timelineEntries }

    /// Records written to `__consumer_offsets`, newest last (last 2000).
    public var offsetsTopicRecords: [OffsetsTopicRecord] { offsetsLog }

    /// Known groups, sorted.
    public var groupIDs: [String] { groups.map(\.groupID) }

    /// Consumers in creation order.
    public var consumerNames: [String] { consumers.map(\.name) }

    /// When the next queued message or timer is due.
    public func nextEventTimeMs() -> Int64? { queue.first?.atMs }

    /// Number of queued messages and timers.
    public var pendingEventCount: Int { queue.count }

    public func consumer(_ name: String) throws -> ConsumerView {
        guard let c = consumers.first(where: { $0.name == name }) else { throw GroupError.unknownConsumer(name) }
        return ConsumerView(name: c.name, config: c.config, topics: c.topics, status: c.status, memberID: c.memberID,
                            generation: c.generation, cooperative: c.config.usesCooperativeProtocol,
                            assignment: c.assignment, positions: c.positions, lastPollMs: c.lastPollMs,
                            coordinator: c.coordinator, pendingError: c.pendingError)
    }

    /// Like `kafka-consumer-groups --describe`: state, generation, protocol, leader, members and one
    /// row per partition that is committed or assigned. LOG-END-OFFSET is the high watermark and
    /// LAG = HW − committed offset (kafka.md §3.5).
    public func describe(_ groupID: String, cluster: Cluster) throws -> GroupDescription {
        guard let group = groups.first(where: { $0.groupID == groupID }) else { throw GroupError.groupIDNotFound(groupID) }
        var owners: [(TopicPartition, CoordinatorMember)] = []
        for member in group.members {
            for tp in member.assignment { owners.append((tp, member)) }
        }
        var partitions = group.offsets.map(\.topicPartition)
        for (tp, _) in owners where !partitions.contains(tp) { partitions.append(tp) }
        partitions.sort()
        let rows = partitions.map { tp -> PartitionOffsetRow in
            let committed = group.offsets.first { $0.topicPartition == tp }?.offset
            var hw: Int64?
            if let topic = try? cluster.topic(tp.topic), tp.partition >= 0, tp.partition < topic.partitions.count {
                hw = topic.partitions[tp.partition].highWatermark
            }
            var lag: Int64?
            if let committed, let hw { lag = hw - committed }
            let owner = owners.first { $0.0 == tp }?.1
            return PartitionOffsetRow(topic: tp.topic, partition: tp.partition, currentOffset: committed, logEndOffset: hw,
                                      lag: lag, consumerID: owner?.memberID, clientID: owner?.clientID)
        }
        let members = group.members.map {
            MemberDescription(memberID: $0.memberID, groupInstanceID: $0.instanceID, clientID: $0.clientID, assignment: $0.assignment)
        }
        return GroupDescription(groupID: group.groupID, state: group.state, generation: group.generation,
                                protocolType: group.members.first?.protocolType ?? "consumer",
                                protocolName: group.protocolName ?? "", leader: group.leader, coordinator: group.coordinator,
                                offsetsPartition: group.offsetsPartition, members: members, partitions: rows)
    }

    // MARK: Stepping

    /// Applies exactly one queued message delivery or timer due at or before `nowMs` (earliest
    /// time first, then lowest sequence) and reports it; nil when nothing is due. The report's
    /// detail ends with what the receiver did ("— …").
    public mutating func step(cluster: Cluster, nowMs: Int64) -> GroupMessage? {
        guard let event = queue.first, event.atMs <= nowMs else { return nil }
        queue.removeFirst()
        var message = GroupMessage(sequence: event.sequence, atMs: event.atMs, from: event.from, to: event.to,
                                   kind: event.payload.kind, detail: event.payload.detail)
        timelineEntries.append(message)
        trimTimeline()
        let outcome = apply(event, cluster: cluster)
        if !outcome.isEmpty {
            message.detail += " — " + outcome
            // Notes recorded while applying may have trimmed the timeline: find the entry again.
            if let index = timelineEntries.lastIndex(where: { $0.sequence == event.sequence }) {
                timelineEntries[index] = message
            }
        }
        return message
    }

    /// Steps every event due at or before `untilMs`; returns what was delivered.
    @discardableResult
    public mutating func run(cluster: Cluster, untilMs: Int64) -> [GroupMessage] {
        var delivered: [GroupMessage] = []
        while let message = step(cluster: cluster, nowMs: untilMs) { delivered.append(message) }
        return delivered
    }

    mutating func apply(_ event: GroupEvent, cluster: Cluster) -> String {
        // Requests from and replies to external (wire) clients (GroupWorld+External.swift).
        if let outcome = applyExternal(event, cluster: cluster) { return outcome }
        let t = event.atMs
        switch event.payload {
        case let .findCoordinator(consumer, group):
            return coordinatorFind(consumer: consumer, group: group, cluster: cluster, at: t)
        case let .joinGroup(request):
            return coordinatorJoin(request, at: t)
        case let .syncGroup(request):
            return coordinatorSync(request, at: t)
        case let .heartbeat(request):
            return coordinatorHeartbeat(request, at: t)
        case let .leaveGroup(request):
            return coordinatorLeave(request, at: t)
        case let .offsetCommit(request):
            let error = coordinatorCommit(request, at: t)
            reply(.offsetCommitResponse(CommitResponse(consumer: request.consumer, error: error, offsets: request.offsets)),
                  group: request.group, consumer: request.consumer, at: t)
            return error.map { "rejected: \($0.name)" } ?? "committed"
        case let .offsetFetch(request):
            return coordinatorOffsetFetch(request, at: t)
        case let .initialDelayEnd(group):
            return coordinatorInitialDelayEnd(group, at: t)
        case let .rebalanceTimeout(group):
            return coordinatorRebalanceTimeout(group, at: t)
        case let .sessionExpiry(group, memberID):
            return coordinatorSessionExpiry(group, memberID: memberID, at: t)
        case let .findCoordinatorResponse(consumer, _, coordinator, _):
            return consumerFoundCoordinator(consumer, coordinator: coordinator, at: t)
        case let .joinGroupResponse(response):
            return consumerJoinResponse(response, cluster: cluster, at: t)
        case let .syncGroupResponse(response):
            return consumerSyncResponse(response, at: t)
        case let .heartbeatResponse(response):
            return consumerHeartbeatResponse(response, at: t)
        case .leaveGroupResponse:
            return ""
        case let .offsetCommitResponse(response):
            return response.error == nil ? "" : "commit failed (logged by the client)"
        case let .offsetFetchResponse(response):
            return consumerOffsetFetchResponse(response, cluster: cluster, at: t)
        case let .maxPollExceeded(consumer):
            return consumerMaxPollExceeded(consumer, at: t)
        }
    }

    // MARK: Queue helpers

    mutating func schedule(_ payload: GroupPayload, at: Int64, from: String, to: String) {
        let event = GroupEvent(atMs: at, sequence: nextSequence, from: from, to: to, payload: payload)
        nextSequence += 1
        // Insert after every event due at or before `at` (its sequence is the largest so far).
        var low = 0
        var high = queue.count
        while low < high {
            let mid = (low + high) / 2
            if queue[mid].atMs <= at { low = mid + 1 } else { high = mid }
        }
        queue.insert(event, at: low)
    }

    mutating func cancel(where predicate: (GroupPayload) -> Bool) {
        queue.removeAll { predicate($0.payload) }
    }

    /// A client-side or local event recorded straight into the timeline (not a queued message).
    mutating func note(at: Int64, from: String, to: String, kind: String, detail: String) {
        timelineEntries.append(GroupMessage(sequence: nextSequence, atMs: at, from: from, to: to, kind: kind, detail: detail))
        nextSequence += 1
        trimTimeline()
    }

    mutating func trimTimeline() {
        if timelineEntries.count > Self.timelineCapacity {
            timelineEntries.removeFirst(timelineEntries.count - Self.timelineCapacity)
        }
    }

    mutating func appendOffsetsRecord(_ record: OffsetsTopicRecord) {
        offsetsLog.append(record)
        if offsetsLog.count > Self.offsetsRecordCapacity {
            offsetsLog.removeFirst(offsetsLog.count - Self.offsetsRecordCapacity)
        }
    }

    func groupIndex(_ id: String) -> Int? { groups.firstIndex { $0.groupID == id } }

    func consumerIndex(_ name: String) -> Int? { consumers.firstIndex { $0.name == name } }

    static func brokerLabel(_ id: Int?) -> String { id.map { "broker-\($0)" } ?? "coordinator" }

    func coordinatorLabel(group: String) -> String {
        Self.brokerLabel(groupIndex(group).flatMap { groups[$0].coordinator })
    }
}
