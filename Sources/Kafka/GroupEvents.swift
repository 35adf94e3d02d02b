// The messages and timers of the classic group protocol as the simulation queues them
// (kafka.md §3.2). Every queued event has a delivery time and a sequence number; `step` applies
// them in (time, sequence) order. A network hop takes `GroupWorld.hopMs` (1 ms).

/// One committed offset as the coordinator stores it (kafka.md §3.3: the next offset to read).
struct CommittedOffset: Codable, Equatable, Sendable {
    var topicPartition: TopicPartition
    var offset: Int64
    var leaderEpoch: Int
    var commitMs: Int64
    /// OffsetCommit's metadata string (nil = none; Kafka stores and returns it as ""). Optional so
    /// states saved before it existed still decode.
    var metadata: String? = nil
}

/// What a member tells the coordinator in JoinGroup (protocol metadata = subscription).
struct JoinRequest: Codable, Equatable, Sendable {
    var consumer: String
    var group: String
    var memberID: String
    var instanceID: String?
    var clientID: String
    /// Protocol (assignor) names in the member's order of preference. The coordinator treats them as
    /// opaque strings, as Kafka's does (ClassicGroup keeps `JoinGroupRequestProtocol` name + bytes);
    /// simulated consumers send `AssignorKind.rawValue`s.
    var protocols: [String]
    var topics: [String]
    /// Subscription v1+ ownedPartitions (cooperative members report what they still own).
    var owned: [TopicPartition]
    /// The member's previous assignment (what an eager StickyAssignor carries in its user data).
    var previous: [TopicPartition]
    var ownedGeneration: Int
    var cooperative: Bool
    var sessionTimeoutMs: Int64
    var rebalanceTimeoutMs: Int64
    /// External (wire) members: JoinGroup's protocol_type (nil = "consumer").
    var protocolType: String? = nil
    /// External (wire) members: each protocol's original metadata bytes, parallel to `protocols`
    /// (nil for simulated consumers, whose subscription is encoded on demand).
    var metadata: [[UInt8]]? = nil
}

/// A member's subscription as the leader receives it in its JoinGroup response.
struct JoinMemberInfo: Codable, Equatable, Sendable {
    var memberID: String
    var instanceID: String?
    var topics: [String]
    var owned: [TopicPartition]
    var previous: [TopicPartition]
    var ownedGeneration: Int
    var cooperative: Bool
    /// The member's metadata bytes for the chosen protocol (what a real leader decodes).
    var metadata: [UInt8]? = nil
}

struct JoinResponse: Codable, Equatable, Sendable {
    var consumer: String
    var error: GroupError?
    var memberID: String
    var generation: Int
    var protocolName: String?
    var leader: String
    /// Only the leader gets the members' subscriptions.
    var members: [JoinMemberInfo]
    /// A static member rejoined a stable group: it must not compute a new assignment (KIP-345).
    var skipAssignment: Bool
}

struct MemberAssignment: Codable, Equatable, Sendable {
    var memberID: String
    var partitions: [TopicPartition]
    /// The assignment bytes an external leader sent for this member (kept exactly; nil from simulated leaders).
    var bytes: [UInt8]? = nil
}

struct SyncRequest: Codable, Equatable, Sendable {
    var consumer: String
    var group: String
    var memberID: String
    var instanceID: String?
    var generation: Int
    /// The leader's computed assignment; nil for followers.
    var assignments: [MemberAssignment]?
    var withheld: [TopicPartition]
}

struct SyncResponse: Codable, Equatable, Sendable {
    var consumer: String
    var error: GroupError?
    var memberID: String
    var generation: Int
    var assignment: [TopicPartition]
    /// The member's assignment bytes (exactly as its leader sent them, or encoded from `assignment`).
    var assignmentBytes: [UInt8]? = nil
}

struct MemberRequest: Codable, Equatable, Sendable {
    var consumer: String
    var group: String
    var memberID: String
    var instanceID: String?
    var generation: Int
}

struct MemberResponse: Codable, Equatable, Sendable {
    var consumer: String
    var memberID: String
    var generation: Int
    var error: GroupError?
}

struct CommitRequest: Codable, Equatable, Sendable {
    var consumer: String
    var group: String
    var memberID: String
    var instanceID: String?
    var generation: Int
    var offsets: [CommittedOffset]
    var automatic: Bool
}

struct CommitResponse: Codable, Equatable, Sendable {
    var consumer: String
    var error: GroupError?
    var offsets: [CommittedOffset]
    /// Per-partition error codes (external commits; nil = every partition has `error`).
    var partitionErrors: [PartitionErrorCode]? = nil
}

/// One partition's protocol error code in an OffsetCommit response (0 = NONE).
struct PartitionErrorCode: Codable, Equatable, Sendable {
    var topicPartition: TopicPartition
    var code: Int16
}

struct FetchOffsetsRequest: Codable, Equatable, Sendable {
    var consumer: String
    var group: String
    var generation: Int
    var partitions: [TopicPartition]
    /// OffsetFetch with a null topic list (every committed offset of the group).
    var allPartitions: Bool? = nil
}

struct FetchedOffset: Codable, Equatable, Sendable {
    var topicPartition: TopicPartition
    /// -1 when the group never committed this partition (kafka.md §3.3).
    var offset: Int64
    var leaderEpoch: Int
    var metadata: String? = nil
}

struct FetchOffsetsResponse: Codable, Equatable, Sendable {
    var consumer: String
    var generation: Int
    var offsets: [FetchedOffset]
    /// Top-level error (external fetches only; e.g. COORDINATOR_NOT_AVAILABLE).
    var error: GroupError? = nil
}

enum GroupPayload: Codable, Equatable, Sendable {
    case findCoordinator(consumer: String, group: String)
    case findCoordinatorResponse(consumer: String, group: String, coordinator: Int?, partition: Int)
    case joinGroup(JoinRequest)
    case joinGroupResponse(JoinResponse)
    case syncGroup(SyncRequest)
    case syncGroupResponse(SyncResponse)
    case heartbeat(MemberRequest)
    case heartbeatResponse(MemberResponse)
    case leaveGroup(MemberRequest)
    case leaveGroupResponse(MemberResponse)
    case offsetCommit(CommitRequest)
    case offsetCommitResponse(CommitResponse)
    case offsetFetch(FetchOffsetsRequest)
    case offsetFetchResponse(FetchOffsetsResponse)
    /// group.initial.rebalance.delay.ms elapsed for a group that started from Empty.
    case initialDelayEnd(group: String)
    /// The rebalance timeout (max of members' max.poll.interval.ms) elapsed in PreparingRebalance.
    case rebalanceTimeout(group: String)
    /// No heartbeat from a member (or a pending member id) for session.timeout.ms.
    case sessionExpiry(group: String, memberID: String)
    /// The consumer did not call poll() for max.poll.interval.ms (checked by its heartbeat thread).
    case maxPollExceeded(consumer: String)

    var kind: String {
        switch self {
        case .findCoordinator: return "FindCoordinator"
        case .findCoordinatorResponse: return "FindCoordinatorResponse"
        case .joinGroup: return "JoinGroup"
        case .joinGroupResponse: return "JoinGroupResponse"
        case .syncGroup: return "SyncGroup"
        case .syncGroupResponse: return "SyncGroupResponse"
        case .heartbeat: return "Heartbeat"
        case .heartbeatResponse: return "HeartbeatResponse"
        case .leaveGroup: return "LeaveGroup"
        case .leaveGroupResponse: return "LeaveGroupResponse"
        case .offsetCommit: return "OffsetCommit"
        case .offsetCommitResponse: return "OffsetCommitResponse"
        case .offsetFetch: return "OffsetFetch"
        case .offsetFetchResponse: return "OffsetFetchResponse"
        case .initialDelayEnd: return "InitialRebalanceDelayEnd"
        case .rebalanceTimeout: return "RebalanceTimeout"
        case .sessionExpiry: return "SessionTimeout"
        case .maxPollExceeded: return "MaxPollIntervalExceeded"
        }
    }

    /// The consumer an event belongs to (requests it sent, responses it receives, its timers).
    var consumer: String? {
        switch self {
        case let .findCoordinator(consumer, _), let .findCoordinatorResponse(consumer, _, _, _): return consumer
        case let .joinGroup(r): return r.consumer
        case let .joinGroupResponse(r): return r.consumer
        case let .syncGroup(r): return r.consumer
        case let .syncGroupResponse(r): return r.consumer
        case let .heartbeat(r), let .leaveGroup(r): return r.consumer
        case let .heartbeatResponse(r), let .leaveGroupResponse(r): return r.consumer
        case let .offsetCommit(r): return r.consumer
        case let .offsetCommitResponse(r): return r.consumer
        case let .offsetFetch(r): return r.consumer
        case let .offsetFetchResponse(r): return r.consumer
        case let .maxPollExceeded(consumer): return consumer
        case .initialDelayEnd, .rebalanceTimeout, .sessionExpiry: return nil
        }
    }

    /// Readable fields for the timeline.
    var detail: String {
        func list(_ tps: [TopicPartition]) -> String { "[" + tps.map(\.description).joined(separator: ", ") + "]" }
        func err(_ e: GroupError?) -> String { e.map { "error=\($0.name)(\($0.code))" } ?? "error=NONE(0)" }
        func quoted(_ s: String) -> String { "\"\(s)\"" }
        switch self {
        case let .findCoordinator(_, group):
            return "key=\(group) keyType=GROUP"
        case let .findCoordinatorResponse(_, group, coordinator, partition):
            if let coordinator {
                return "error=NONE(0) group=\(group) coordinator=broker-\(coordinator) (\(GroupWorld.offsetsTopicName) partition \(partition))"
            }
            return "error=COORDINATOR_NOT_AVAILABLE(15) group=\(group) (\(GroupWorld.offsetsTopicName) partition \(partition) has no leader)"
        case let .joinGroup(r):
            let instance = r.instanceID.map { " groupInstanceId=\($0)" } ?? ""
            return "group=\(r.group) memberId=\(quoted(r.memberID))\(instance) protocolType=\(r.protocolType ?? "consumer") protocols=[\(r.protocols.joined(separator: ", "))] topics=\(r.topics) ownedPartitions=\(list(r.owned)) sessionTimeoutMs=\(r.sessionTimeoutMs) rebalanceTimeoutMs=\(r.rebalanceTimeoutMs)"
        case let .joinGroupResponse(r):
            var text = "\(err(r.error)) memberId=\(quoted(r.memberID))"
            if r.error == nil {
                text += " generation=\(r.generation) protocol=\(r.protocolName ?? "") leader=\(r.leader)"
                if r.memberID == r.leader && !r.skipAssignment {
                    text += " members=[" + r.members.map { "\($0.memberID) topics=\($0.topics) owned=\(list($0.owned))" }.joined(separator: "; ") + "]"
                } else {
                    text += " members=[]"
                }
                if r.skipAssignment { text += " skipAssignment=true" }
            }
            return text
        case let .syncGroup(r):
            var text = "group=\(r.group) memberId=\(r.memberID) generation=\(r.generation)"
            if let assignments = r.assignments {
                text += " assignments=[" + assignments.map { "\($0.memberID): \(list($0.partitions))" }.joined(separator: "; ") + "]"
                if !r.withheld.isEmpty { text += " withheld=\(list(r.withheld))" }
            } else {
                text += " assignments=[]"
            }
            return text
        case let .syncGroupResponse(r):
            return "\(err(r.error)) memberId=\(r.memberID) generation=\(r.generation) assignment=\(list(r.assignment))"
        case let .heartbeat(r), let .leaveGroup(r):
            let instance = r.instanceID.map { " groupInstanceId=\($0)" } ?? ""
            return "group=\(r.group) memberId=\(r.memberID)\(instance) generation=\(r.generation)"
        case let .heartbeatResponse(r), let .leaveGroupResponse(r):
            return "\(err(r.error)) memberId=\(r.memberID)"
        case let .offsetCommit(r):
            let offsets = r.offsets.map { "\($0.topicPartition)=\($0.offset)" }.joined(separator: ", ")
            return "group=\(r.group) memberId=\(quoted(r.memberID)) generation=\(r.generation) offsets=[\(offsets)]\(r.automatic ? " (auto-commit)" : "")"
        case let .offsetCommitResponse(r):
            var text = "\(err(r.error)) offsets=[\(r.offsets.map { "\($0.topicPartition)=\($0.offset)" }.joined(separator: ", "))]"
            let groupCode = r.error?.code ?? 0
            let odd = (r.partitionErrors ?? []).filter { $0.code != groupCode }
            if !odd.isEmpty { text += " partitionErrors=[" + odd.map { "\($0.topicPartition)=\($0.code)" }.joined(separator: ", ") + "]" }
            return text
        case let .offsetFetch(r):
            return "group=\(r.group) partitions=\(r.allPartitions == true ? "all" : list(r.partitions))"
        case let .offsetFetchResponse(r):
            return "\(err(r.error)) offsets=[\(r.offsets.map { "\($0.topicPartition)=\($0.offset)" }.joined(separator: ", "))]"
        case let .initialDelayEnd(group):
            return "group=\(group) group.initial.rebalance.delay.ms elapsed"
        case let .rebalanceTimeout(group):
            return "group=\(group) rebalance timeout elapsed; members that did not rejoin are removed"
        case let .sessionExpiry(group, memberID):
            return "group=\(group) memberId=\(memberID) sent no heartbeat within session.timeout.ms"
        case let .maxPollExceeded(consumer):
            return "\(consumer) did not call poll() within max.poll.interval.ms"
        }
    }
}

struct GroupEvent: Codable, Equatable, Sendable {
    var atMs: Int64
    var sequence: Int
    var from: String
    var to: String
    var payload: GroupPayload
}
