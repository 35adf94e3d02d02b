// Errors of the consumer-group slice, named and numbered like Kafka's protocol errors where one
// exists (kafka.md §3.7; apache/kafka Errors.java). Client-side conditions that have no protocol
// code (a closed consumer, NoOffsetForPartitionException, …) use code -1.

public enum GroupError: Error, Equatable, Codable, Sendable {
    /// 25 UNKNOWN_MEMBER_ID: the coordinator does not know this member (it was removed, or it left).
    /// A Java client surfaces it from a commit as CommitFailedException.
    case unknownMemberID
    /// 22 ILLEGAL_GENERATION: the request carries an old generation.
    case illegalGeneration
    /// 27 REBALANCE_IN_PROGRESS.
    case rebalanceInProgress
    /// 79 MEMBER_ID_REQUIRED (KIP-394): a dynamic member joined with an empty id; it must rejoin with the id given.
    case memberIDRequired
    /// 26 INVALID_SESSION_TIMEOUT: outside the broker's [group.min.session.timeout.ms, group.max.session.timeout.ms].
    case invalidSessionTimeout
    /// 82 FENCED_INSTANCE_ID: another process now holds this group.instance.id.
    case fencedInstanceID
    /// 23 INCONSISTENT_GROUP_PROTOCOL: the member shares no assignor with the group.
    case inconsistentGroupProtocol
    /// 15 COORDINATOR_NOT_AVAILABLE: no live broker can act as coordinator.
    case coordinatorNotAvailable
    /// 69 GROUP_ID_NOT_FOUND (describe of a group that does not exist).
    case groupIDNotFound(String)
    /// 68 NON_EMPTY_GROUP: a group with members cannot be deleted (kafka-consumer-groups --delete).
    case nonEmptyGroup(String)
    /// 40 INVALID_CONFIG, naming the Kafka config key.
    case invalidConfig(name: String, value: String, reason: String)
    /// 17 INVALID_TOPIC_EXCEPTION: an illegal topic name in a subscription.
    case invalidTopic(String)
    /// No consumer of that name exists in the workbench.
    case unknownConsumer(String)
    /// The consumer was closed or has crashed (Java: IllegalStateException "This consumer has already been closed.").
    case consumerClosed(String)
    /// auto.offset.reset=none and no committed offset (Java NoOffsetForPartitionException).
    case noOffsetForPartition(TopicPartition)

    /// Kafka's name for the error (the `Errors` constant), or the client-side condition's name.
    public var name: String {
        switch self {
        case .unknownMemberID: return "UNKNOWN_MEMBER_ID"
        case .nonEmptyGroup: return "NON_EMPTY_GROUP"
        case .illegalGeneration: return "ILLEGAL_GENERATION"
        case .rebalanceInProgress: return "REBALANCE_IN_PROGRESS"
        case .memberIDRequired: return "MEMBER_ID_REQUIRED"
        case .invalidSessionTimeout: return "INVALID_SESSION_TIMEOUT"
        case .fencedInstanceID: return "FENCED_INSTANCE_ID"
        case .inconsistentGroupProtocol: return "INCONSISTENT_GROUP_PROTOCOL"
        case .coordinatorNotAvailable: return "COORDINATOR_NOT_AVAILABLE"
        case .groupIDNotFound: return "GROUP_ID_NOT_FOUND"
        case .invalidConfig: return "INVALID_CONFIG"
        case .invalidTopic: return "INVALID_TOPIC_EXCEPTION"
        case .unknownConsumer: return "UNKNOWN_CONSUMER"
        case .consumerClosed: return "CONSUMER_CLOSED"
        case .noOffsetForPartition: return "NO_OFFSET_FOR_PARTITION"
        }
    }

    /// The protocol error code, or -1 for client-side conditions.
    public var code: Int16 {
        switch self {
        case .coordinatorNotAvailable: return 15
        case .nonEmptyGroup: return 68
        case .invalidTopic: return 17
        case .illegalGeneration: return 22
        case .inconsistentGroupProtocol: return 23
        case .unknownMemberID: return 25
        case .invalidSessionTimeout: return 26
        case .rebalanceInProgress: return 27
        case .invalidConfig: return 40
        case .groupIDNotFound: return 69
        case .memberIDRequired: return 79
        case .fencedInstanceID: return 82
        case .unknownConsumer, .consumerClosed, .noOffsetForPartition: return -1
        }
    }

    /// The exception a Java application would see.
    public var javaException: String {
        switch self {
        case .unknownMemberID, .illegalGeneration: return "CommitFailedException"
        case .nonEmptyGroup: return "GroupNotEmptyException"
        case .rebalanceInProgress: return "RebalanceInProgressException"
        case .memberIDRequired: return "MemberIdRequiredException"
        case .invalidSessionTimeout: return "InvalidSessionTimeoutException"
        case .fencedInstanceID: return "FencedInstanceIdException"
        case .inconsistentGroupProtocol: return "InconsistentGroupProtocolException"
        case .coordinatorNotAvailable: return "CoordinatorNotAvailableException"
        case .groupIDNotFound: return "GroupIdNotFoundException"
        case .invalidConfig: return "ConfigException"
        case .invalidTopic: return "InvalidTopicException"
        case .unknownConsumer, .consumerClosed: return "IllegalStateException"
        case .noOffsetForPartition: return "NoOffsetForPartitionException"
        }
    }

    /// A human-readable message in the spirit of Kafka's exception text.
    public var message: String {
        switch self {
        case .unknownMemberID:
            return "The coordinator is not aware of this member."
        case let .nonEmptyGroup(group):
            return "The group '\(group)' is not empty: stop or close its consumers first."
        case .illegalGeneration:
            return "Specified group generation id is not valid."
        case .rebalanceInProgress:
            return "The group is rebalancing, so a rejoin is needed."
        case .memberIDRequired:
            return "The group member needs to have a valid member id before actually entering a consumer group."
        case .invalidSessionTimeout:
            return "The session timeout is not within the range allowed by the broker (as configured by group.min.session.timeout.ms and group.max.session.timeout.ms)."
        case .fencedInstanceID:
            return "The broker rejected this static consumer since another consumer with the same group.instance.id has registered with a different member.id."
        case .inconsistentGroupProtocol:
            return "The group member's supported protocols are incompatible with those of existing members."
        case .coordinatorNotAvailable:
            return "The coordinator is not available."
        case let .groupIDNotFound(group):
            return "Consumer group '\(group)' does not exist."
        case let .invalidConfig(name, value, reason):
            return "Invalid value \(value) for configuration \(name): \(reason)"
        case let .invalidTopic(topic):
            return TopicName.problem(topic) ?? "Invalid topic \(topic)."
        case let .unknownConsumer(name):
            return "No consumer named '\(name)'."
        case let .consumerClosed(name):
            return "This consumer has already been closed (\(name))."
        case let .noOffsetForPartition(tp):
            return "Undefined offset with no reset policy for partitions: [\(tp)]"
        }
    }
}
