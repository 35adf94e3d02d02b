// Public request and reply types for EXTERNAL group members: real Kafka clients (confluent-kafka /
// librdkafka, kafka-python) whose wire requests a serving adapter hands to GroupWorld.submit, and
// whose replies it takes back with GroupWorld.takeExternalReplies (GroupWorld+External.swift).
// The types mirror the wire requests of kafka.md §6.3 (JoinGroup v5, SyncGroup v3, Heartbeat v3,
// LeaveGroup v1, OffsetCommit v7, OffsetFetch v5); protocol metadata and assignment bytes are
// kept exactly as the client sent them. Errors are Kafka protocol error CODES (0 = NONE).

/// Kafka protocol error codes used in external replies (apache/kafka Errors.java; kafka.md §3.7).
public enum GroupErrorCodes {
    public static let none: Int16 = 0
    public static let offsetOutOfRange: Int16 = 1
    public static let unknownTopicOrPartition: Int16 = 3
    public static let offsetMetadataTooLarge: Int16 = 12
    public static let coordinatorNotAvailable: Int16 = 15
    public static let notCoordinator: Int16 = 16
    public static let illegalGeneration: Int16 = 22
    public static let inconsistentGroupProtocol: Int16 = 23
    public static let unknownMemberID: Int16 = 25
    public static let invalidSessionTimeout: Int16 = 26
    public static let rebalanceInProgress: Int16 = 27
    public static let memberIDRequired: Int16 = 79
    public static let fencedInstanceID: Int16 = 82

    /// The code of a coordinator verdict (nil = NONE). Client-side conditions (code -1) never reach
    /// an external reply; should one, it is reported as COORDINATOR_NOT_AVAILABLE, a retriable error.
    public static func code(_ error: GroupError?) -> Int16 {
        guard let error else { return none }
        return error.code >= 0 ? error.code : coordinatorNotAvailable
    }
}

/// One entry of JoinGroup's protocols: an assignor name and the member's metadata for it (for
/// protocol type "consumer": ConsumerProtocol Subscription bytes).
public struct ExternalProtocol: Codable, Equatable, Sendable {
    public var name: String
    public var metadata: [UInt8]
    public init(name: String, metadata: [UInt8]) {
        self.name = name
        self.metadata = metadata
    }
}

/// JoinGroup v5.
public struct ExternalJoin: Codable, Equatable, Sendable {
    /// The external consumer (connection) name replies are addressed to, e.g. "wire-7".
    public var client: String
    public var group: String
    /// "" for a new member.
    public var memberID: String
    /// group.instance.id (KIP-345 static membership), nil for dynamic members.
    public var instanceID: String?
    public var clientID: String
    public var protocolType: String
    public var protocols: [ExternalProtocol]
    public var sessionTimeoutMs: Int64
    public var rebalanceTimeoutMs: Int64

    public init(client: String, group: String, memberID: String = "", instanceID: String? = nil, clientID: String,
                protocolType: String = "consumer", protocols: [ExternalProtocol], sessionTimeoutMs: Int64, rebalanceTimeoutMs: Int64) {
        self.client = client
        self.group = group
        self.memberID = memberID
        self.instanceID = instanceID
        self.clientID = clientID
        self.protocolType = protocolType
        self.protocols = protocols
        self.sessionTimeoutMs = sessionTimeoutMs
        self.rebalanceTimeoutMs = rebalanceTimeoutMs
    }
}

/// One entry of the leader's SyncGroup assignments.
public struct ExternalMemberAssignment: Codable, Equatable, Sendable {
    public var memberID: String
    public var assignment: [UInt8]
    public init(memberID: String, assignment: [UInt8]) {
        self.memberID = memberID
        self.assignment = assignment
    }
}

/// SyncGroup v3. Followers send an empty (or nil) assignment list.
public struct ExternalSync: Codable, Equatable, Sendable {
    public var client: String
    public var group: String
    public var generation: Int
    public var memberID: String
    public var instanceID: String?
    public var assignments: [ExternalMemberAssignment]?

    public init(client: String, group: String, generation: Int, memberID: String, instanceID: String? = nil,
                assignments: [ExternalMemberAssignment]?) {
        self.client = client
        self.group = group
        self.generation = generation
        self.memberID = memberID
        self.instanceID = instanceID
        self.assignments = assignments
    }
}

/// Heartbeat v3.
public struct ExternalHeartbeat: Codable, Equatable, Sendable {
    public var client: String
    public var group: String
    public var generation: Int
    public var memberID: String
    public var instanceID: String?

    public init(client: String, group: String, generation: Int, memberID: String, instanceID: String? = nil) {
        self.client = client
        self.group = group
        self.generation = generation
        self.memberID = memberID
        self.instanceID = instanceID
    }
}

/// LeaveGroup v1 (one member; `instanceID` is for v3+ batch leaves of static members).
public struct ExternalLeave: Codable, Equatable, Sendable {
    public var client: String
    public var group: String
    public var memberID: String
    public var instanceID: String?

    public init(client: String, group: String, memberID: String, instanceID: String? = nil) {
        self.client = client
        self.group = group
        self.memberID = memberID
        self.instanceID = instanceID
    }
}

/// One partition of OffsetCommit v7.
public struct ExternalCommitOffset: Codable, Equatable, Sendable {
    public var topic: String
    public var partition: Int
    /// The next offset to read (kafka.md §3.3).
    public var offset: Int64
    /// committed_leader_epoch (-1 = unknown).
    public var leaderEpoch: Int
    public var metadata: String?

    public init(topic: String, partition: Int, offset: Int64, leaderEpoch: Int = -1, metadata: String? = nil) {
        self.topic = topic
        self.partition = partition
        self.offset = offset
        self.leaderEpoch = leaderEpoch
        self.metadata = metadata
    }
}

/// OffsetCommit v7. generation -1 with memberID "" is a simple consumer's (or admin's) commit,
/// accepted only while the group is Empty.
public struct ExternalCommit: Codable, Equatable, Sendable {
    public var client: String
    public var group: String
    public var generation: Int
    public var memberID: String
    public var instanceID: String?
    public var offsets: [ExternalCommitOffset]

    public init(client: String, group: String, generation: Int = -1, memberID: String = "", instanceID: String? = nil,
                offsets: [ExternalCommitOffset]) {
        self.client = client
        self.group = group
        self.generation = generation
        self.memberID = memberID
        self.instanceID = instanceID
        self.offsets = offsets
    }
}

/// OffsetFetch v5; `partitions == nil` asks for every committed offset of the group.
public struct ExternalOffsetFetch: Codable, Equatable, Sendable {
    public var client: String
    public var group: String
    public var partitions: [TopicPartition]?

    public init(client: String, group: String, partitions: [TopicPartition]?) {
        self.client = client
        self.group = group
        self.partitions = partitions
    }
}

/// A group request from an external client.
public enum ExternalRequest: Codable, Equatable, Sendable {
    case join(ExternalJoin)
    case sync(ExternalSync)
    case heartbeat(ExternalHeartbeat)
    case leave(ExternalLeave)
    case commit(ExternalCommit)
    case offsetFetch(ExternalOffsetFetch)

    public var client: String {
        switch self {
        case let .join(r): return r.client
        case let .sync(r): return r.client
        case let .heartbeat(r): return r.client
        case let .leave(r): return r.client
        case let .commit(r): return r.client
        case let .offsetFetch(r): return r.client
        }
    }

    public var group: String {
        switch self {
        case let .join(r): return r.group
        case let .sync(r): return r.group
        case let .heartbeat(r): return r.group
        case let .leave(r): return r.group
        case let .commit(r): return r.group
        case let .offsetFetch(r): return r.group
        }
    }
}

/// One member of the leader's JoinGroup response: its ORIGINAL metadata bytes for the chosen protocol.
public struct ExternalJoinMember: Codable, Equatable, Sendable {
    public var memberID: String
    public var instanceID: String?
    public var metadata: [UInt8]
    public init(memberID: String, instanceID: String?, metadata: [UInt8]) {
        self.memberID = memberID
        self.instanceID = instanceID
        self.metadata = metadata
    }
}

/// JoinGroup v5 response.
public struct ExternalJoinResult: Codable, Equatable, Sendable {
    public var errorCode: Int16
    /// -1 on error.
    public var generation: Int
    /// "" on error.
    public var protocolName: String
    public var leader: String
    /// The member's id; with MEMBER_ID_REQUIRED (79) the id to rejoin with (KIP-394).
    public var memberID: String
    /// Every member (leader only); followers get [].
    public var members: [ExternalJoinMember]
}

/// One partition of an OffsetCommit response.
public struct ExternalCommitResult: Codable, Equatable, Sendable {
    public var topic: String
    public var partition: Int
    public var errorCode: Int16
}

/// One partition of an OffsetFetch response (offset -1, epoch -1, metadata "" when never committed).
public struct ExternalFetchedOffset: Codable, Equatable, Sendable {
    public var topic: String
    public var partition: Int
    public var offset: Int64
    public var leaderEpoch: Int
    public var metadata: String?
    public var errorCode: Int16
}

public enum ExternalReplyKind: Codable, Equatable, Sendable {
    case join(ExternalJoinResult)
    /// SyncGroup v3: error code and the member's assignment bytes, exactly as its leader sent them
    /// (empty on error or when the leader sent none for it).
    case sync(errorCode: Int16, assignment: [UInt8])
    case heartbeat(errorCode: Int16)
    case leave(errorCode: Int16)
    /// Per-partition error codes, in request order.
    case commit([ExternalCommitResult])
    /// Per-partition results and the top-level error code.
    case offsetFetch([ExternalFetchedOffset], errorCode: Int16)
}

/// A coordinator reply delivered to an external client.
public struct ExternalReply: Codable, Equatable, Sendable {
    public var client: String
    /// Simulated time of delivery.
    public var atMs: Int64
    public var kind: ExternalReplyKind
}
