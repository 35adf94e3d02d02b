/// Kafka API keys implemented here (apache/kafka clients/src/main/resources/common/message/*.json).
public enum ApiKey: Int16, Sendable, CaseIterable, CustomStringConvertible {
    case produce = 0
    case fetch = 1
    case listOffsets = 2
    case metadata = 3
    case offsetCommit = 8
    case offsetFetch = 9
    case findCoordinator = 10
    case joinGroup = 11
    case heartbeat = 12
    case leaveGroup = 13
    case syncGroup = 14
    case apiVersions = 18
    case initProducerId = 22

    public var description: String { api.name }

    public var api: KafkaAPI {
        // Every case is listed in `KafkaAPI.supported`; fall back defensively without trapping.
        KafkaAPI.supported.first { $0.key == self } ?? KafkaAPI(self, "Unknown", 0...0, flexibleFrom: Int16.max)
    }

    /// First flexible (KIP-482) version per Kafka's JSON schemas ("flexibleVersions"), kafka.md §6.3.
    /// Used for *any* version (even unsupported) to pick request header v1 or v2.
    public var flexibleFrom: Int16 { api.flexibleFrom }
}

/// One advertised API: key, Kafka's name, the exact version range implemented here.
public struct KafkaAPI: Equatable, Sendable {
    public let key: ApiKey
    public let name: String
    public let versions: ClosedRange<Int16>
    /// First flexible version in Kafka's schema (informational for header selection).
    public let flexibleFrom: Int16

    public init(_ key: ApiKey, _ name: String, _ versions: ClosedRange<Int16>, flexibleFrom: Int16) {
        self.key = key
        self.name = name
        self.versions = versions
        self.flexibleFrom = flexibleFrom
    }

    /// Exactly what this module decodes/encodes (kafka.md §6.3 "recommend" column). The broker's
    /// ApiVersions response must advertise exactly these ranges.
    public static let supported: [KafkaAPI] = [
        KafkaAPI(.produce, "Produce", 7...7, flexibleFrom: 9),
        KafkaAPI(.fetch, "Fetch", 11...11, flexibleFrom: 12),
        KafkaAPI(.listOffsets, "ListOffsets", 5...5, flexibleFrom: 6),
        KafkaAPI(.metadata, "Metadata", 8...8, flexibleFrom: 9),
        KafkaAPI(.offsetCommit, "OffsetCommit", 7...7, flexibleFrom: 8),
        KafkaAPI(.offsetFetch, "OffsetFetch", 5...5, flexibleFrom: 6),
        KafkaAPI(.findCoordinator, "FindCoordinator", 2...2, flexibleFrom: 3),
        KafkaAPI(.joinGroup, "JoinGroup", 5...5, flexibleFrom: 6),
        KafkaAPI(.heartbeat, "Heartbeat", 3...3, flexibleFrom: 4),
        KafkaAPI(.leaveGroup, "LeaveGroup", 1...1, flexibleFrom: 4),
        KafkaAPI(.syncGroup, "SyncGroup", 3...3, flexibleFrom: 4),
        KafkaAPI(.apiVersions, "ApiVersions", 0...3, flexibleFrom: 3),
        KafkaAPI(.initProducerId, "InitProducerId", 1...1, flexibleFrom: 2),
    ]

    public static func isSupported(apiKey: Int16, apiVersion: Int16) -> Bool {
        guard let k = ApiKey(rawValue: apiKey) else { return false }
        return k.api.versions.contains(apiVersion)
    }

    /// Whether (key, version) uses flexible encodings (request header v2 / response header v1).
    /// Unknown keys are treated as non-flexible.
    public static func isFlexible(apiKey: Int16, apiVersion: Int16) -> Bool {
        guard let k = ApiKey(rawValue: apiKey) else { return false }
        return apiVersion >= k.flexibleFrom
    }

    /// Request header version: 2 for flexible versions, else 1 (ControlledShutdown v0's header v0 is irrelevant here).
    public static func requestHeaderVersion(apiKey: Int16, apiVersion: Int16) -> Int16 {
        isFlexible(apiKey: apiKey, apiVersion: apiVersion) ? 2 : 1
    }

    /// Response header version: 1 for flexible versions, else 0 — except ApiVersions, always 0 (KIP-511).
    public static func responseHeaderVersion(apiKey: Int16, apiVersion: Int16) -> Int16 {
        if apiKey == ApiKey.apiVersions.rawValue { return 0 }
        return isFlexible(apiKey: apiKey, apiVersion: apiVersion) ? 1 : 0
    }
}

/// Kafka error codes (org.apache.kafka.common.protocol.Errors), Kafka's names and numbers.
public enum KafkaErrorCode: Int16, Sendable, CaseIterable, CustomStringConvertible {
    case unknownServerError = -1
    case none = 0
    case offsetOutOfRange = 1
    case corruptMessage = 2
    case unknownTopicOrPartition = 3
    case invalidFetchSize = 4
    case leaderNotAvailable = 5
    case notLeaderOrFollower = 6
    case requestTimedOut = 7
    case brokerNotAvailable = 8
    case replicaNotAvailable = 9
    case messageTooLarge = 10
    case staleControllerEpoch = 11
    case offsetMetadataTooLarge = 12
    case networkException = 13
    case coordinatorLoadInProgress = 14
    case coordinatorNotAvailable = 15
    case notCoordinator = 16
    case invalidTopicException = 17
    case recordListTooLarge = 18
    case notEnoughReplicas = 19
    case notEnoughReplicasAfterAppend = 20
    case invalidRequiredAcks = 21
    case illegalGeneration = 22
    case inconsistentGroupProtocol = 23
    case invalidGroupId = 24
    case unknownMemberId = 25
    case invalidSessionTimeout = 26
    case rebalanceInProgress = 27
    case invalidCommitOffsetSize = 28
    case topicAuthorizationFailed = 29
    case groupAuthorizationFailed = 30
    case clusterAuthorizationFailed = 31
    case invalidTimestamp = 32
    case unsupportedVersion = 35
    case topicAlreadyExists = 36
    case invalidPartitions = 37
    case invalidReplicationFactor = 38
    case invalidConfig = 40
    case notController = 41
    case invalidRequest = 42
    case unsupportedForMessageFormat = 43
    case outOfOrderSequenceNumber = 45
    case duplicateSequenceNumber = 46
    case invalidProducerEpoch = 47
    case invalidTxnState = 48
    case invalidProducerIdMapping = 49
    case invalidTransactionTimeout = 50
    case concurrentTransactions = 51
    case transactionalIdAuthorizationFailed = 53
    case kafkaStorageError = 56
    case unknownProducerId = 59
    case nonEmptyGroup = 68
    case groupIdNotFound = 69
    case fetchSessionIdNotFound = 70
    case invalidFetchSessionEpoch = 71
    case fencedLeaderEpoch = 74
    case unknownLeaderEpoch = 75
    case unsupportedCompressionType = 76
    case offsetNotAvailable = 78
    case memberIdRequired = 79
    case groupMaxSizeReached = 81
    case fencedInstanceId = 82
    case invalidRecord = 87
    case unstableOffsetCommit = 88

    /// Kafka's constant name (Errors.java), e.g. "UNKNOWN_TOPIC_OR_PARTITION".
    public var name: String {
        switch self {
        case .unknownServerError: return "UNKNOWN_SERVER_ERROR"
        case .none: return "NONE"
        case .offsetOutOfRange: return "OFFSET_OUT_OF_RANGE"
        case .corruptMessage: return "CORRUPT_MESSAGE"
        case .unknownTopicOrPartition: return "UNKNOWN_TOPIC_OR_PARTITION"
        case .invalidFetchSize: return "INVALID_FETCH_SIZE"
        case .leaderNotAvailable: return "LEADER_NOT_AVAILABLE"
        case .notLeaderOrFollower: return "NOT_LEADER_OR_FOLLOWER"
        case .requestTimedOut: return "REQUEST_TIMED_OUT"
        case .brokerNotAvailable: return "BROKER_NOT_AVAILABLE"
        case .replicaNotAvailable: return "REPLICA_NOT_AVAILABLE"
        case .messageTooLarge: return "MESSAGE_TOO_LARGE"
        case .staleControllerEpoch: return "STALE_CONTROLLER_EPOCH"
        case .offsetMetadataTooLarge: return "OFFSET_METADATA_TOO_LARGE"
        case .networkException: return "NETWORK_EXCEPTION"
        case .coordinatorLoadInProgress: return "COORDINATOR_LOAD_IN_PROGRESS"
        case .coordinatorNotAvailable: return "COORDINATOR_NOT_AVAILABLE"
        case .notCoordinator: return "NOT_COORDINATOR"
        case .invalidTopicException: return "INVALID_TOPIC_EXCEPTION"
        case .recordListTooLarge: return "RECORD_LIST_TOO_LARGE"
        case .notEnoughReplicas: return "NOT_ENOUGH_REPLICAS"
        case .notEnoughReplicasAfterAppend: return "NOT_ENOUGH_REPLICAS_AFTER_APPEND"
        case .invalidRequiredAcks: return "INVALID_REQUIRED_ACKS"
        case .illegalGeneration: return "ILLEGAL_GENERATION"
        case .inconsistentGroupProtocol: return "INCONSISTENT_GROUP_PROTOCOL"
        case .invalidGroupId: return "INVALID_GROUP_ID"
        case .unknownMemberId: return "UNKNOWN_MEMBER_ID"
        case .invalidSessionTimeout: return "INVALID_SESSION_TIMEOUT"
        case .rebalanceInProgress: return "REBALANCE_IN_PROGRESS"
        case .invalidCommitOffsetSize: return "INVALID_COMMIT_OFFSET_SIZE"
        case .topicAuthorizationFailed: return "TOPIC_AUTHORIZATION_FAILED"
        case .groupAuthorizationFailed: return "GROUP_AUTHORIZATION_FAILED"
        case .clusterAuthorizationFailed: return "CLUSTER_AUTHORIZATION_FAILED"
        case .invalidTimestamp: return "INVALID_TIMESTAMP"
        case .unsupportedVersion: return "UNSUPPORTED_VERSION"
        case .topicAlreadyExists: return "TOPIC_ALREADY_EXISTS"
        case .invalidPartitions: return "INVALID_PARTITIONS"
        case .invalidReplicationFactor: return "INVALID_REPLICATION_FACTOR"
        case .invalidConfig: return "INVALID_CONFIG"
        case .notController: return "NOT_CONTROLLER"
        case .invalidRequest: return "INVALID_REQUEST"
        case .unsupportedForMessageFormat: return "UNSUPPORTED_FOR_MESSAGE_FORMAT"
        case .outOfOrderSequenceNumber: return "OUT_OF_ORDER_SEQUENCE_NUMBER"
        case .duplicateSequenceNumber: return "DUPLICATE_SEQUENCE_NUMBER"
        case .invalidProducerEpoch: return "INVALID_PRODUCER_EPOCH"
        case .invalidTxnState: return "INVALID_TXN_STATE"
        case .invalidProducerIdMapping: return "INVALID_PRODUCER_ID_MAPPING"
        case .invalidTransactionTimeout: return "INVALID_TRANSACTION_TIMEOUT"
        case .concurrentTransactions: return "CONCURRENT_TRANSACTIONS"
        case .transactionalIdAuthorizationFailed: return "TRANSACTIONAL_ID_AUTHORIZATION_FAILED"
        case .kafkaStorageError: return "KAFKA_STORAGE_ERROR"
        case .unknownProducerId: return "UNKNOWN_PRODUCER_ID"
        case .nonEmptyGroup: return "NON_EMPTY_GROUP"
        case .groupIdNotFound: return "GROUP_ID_NOT_FOUND"
        case .fetchSessionIdNotFound: return "FETCH_SESSION_ID_NOT_FOUND"
        case .invalidFetchSessionEpoch: return "INVALID_FETCH_SESSION_EPOCH"
        case .fencedLeaderEpoch: return "FENCED_LEADER_EPOCH"
        case .unknownLeaderEpoch: return "UNKNOWN_LEADER_EPOCH"
        case .unsupportedCompressionType: return "UNSUPPORTED_COMPRESSION_TYPE"
        case .offsetNotAvailable: return "OFFSET_NOT_AVAILABLE"
        case .memberIdRequired: return "MEMBER_ID_REQUIRED"
        case .groupMaxSizeReached: return "GROUP_MAX_SIZE_REACHED"
        case .fencedInstanceId: return "FENCED_INSTANCE_ID"
        case .invalidRecord: return "INVALID_RECORD"
        case .unstableOffsetCommit: return "UNSTABLE_OFFSET_COMMIT"
        }
    }

    public var description: String { "\(name)(\(rawValue))" }
}
