// Group coordination APIs (classic protocol). Layouts from apache/kafka message JSON schemas
// (FindCoordinator v2, JoinGroup v5, SyncGroup v3, Heartbeat v3, LeaveGroup v1) per kafka.md §6.3.

// MARK: - FindCoordinator (10) v2

public struct FindCoordinatorRequest: KafkaMessage {
    public static let apiKey = ApiKey.findCoordinator
    public var key: String
    /// 0 group, 1 transaction.
    public var keyType: Int8
    public init(key: String, keyType: Int8 = 0) { self.key = key; self.keyType = keyType }
    public init(from r: inout WireReader, version: Int16) throws {
        key = try r.readString()
        keyType = try r.readInt8()
    }
    public func encode(to w: inout WireWriter, version: Int16) { w.writeString(key); w.writeInt8(keyType) }
}

public struct FindCoordinatorResponse: KafkaMessage {
    public static let apiKey = ApiKey.findCoordinator
    public var throttleTimeMs: Int32
    public var errorCode: Int16
    public var errorMessage: String?
    public var nodeId: Int32
    public var host: String
    public var port: Int32
    public init(throttleTimeMs: Int32 = 0, errorCode: Int16 = 0, errorMessage: String? = nil, nodeId: Int32, host: String, port: Int32) {
        self.throttleTimeMs = throttleTimeMs; self.errorCode = errorCode; self.errorMessage = errorMessage
        self.nodeId = nodeId; self.host = host; self.port = port
    }
    public init(from r: inout WireReader, version: Int16) throws {
        throttleTimeMs = try r.readInt32(); errorCode = try r.readInt16(); errorMessage = try r.readNullableString()
        nodeId = try r.readInt32(); host = try r.readString(); port = try r.readInt32()
    }
    public func encode(to w: inout WireWriter, version: Int16) {
        w.writeInt32(throttleTimeMs); w.writeInt16(errorCode); w.writeNullableString(errorMessage)
        w.writeInt32(nodeId); w.writeString(host); w.writeInt32(port)
    }
}

// MARK: - JoinGroup (11) v5

public struct JoinGroupRequest: KafkaMessage {
    public static let apiKey = ApiKey.joinGroup
    public struct GroupProtocol: Equatable, Sendable {
        public var name: String
        /// Consumer protocol Subscription bytes (opaque here).
        public var metadata: [UInt8]
        public init(name: String, metadata: [UInt8]) { self.name = name; self.metadata = metadata }
    }
    public var groupId: String
    public var sessionTimeoutMs: Int32
    public var rebalanceTimeoutMs: Int32
    public var memberId: String
    public var groupInstanceId: String?
    public var protocolType: String
    public var protocols: [GroupProtocol]
    public init(groupId: String, sessionTimeoutMs: Int32, rebalanceTimeoutMs: Int32, memberId: String,
                groupInstanceId: String? = nil, protocolType: String = "consumer", protocols: [GroupProtocol]) {
        self.groupId = groupId; self.sessionTimeoutMs = sessionTimeoutMs; self.rebalanceTimeoutMs = rebalanceTimeoutMs
        self.memberId = memberId; self.groupInstanceId = groupInstanceId; self.protocolType = protocolType
        self.protocols = protocols
    }
    public init(from r: inout WireReader, version: Int16) throws {
        groupId = try r.readString(); sessionTimeoutMs = try r.readInt32(); rebalanceTimeoutMs = try r.readInt32()
        memberId = try r.readString(); groupInstanceId = try r.readNullableString(); protocolType = try r.readString()
        protocols = try r.readArray(minElementSize: 6) { r in GroupProtocol(name: try r.readString(), metadata: try r.readBytes()) }
    }
    public func encode(to w: inout WireWriter, version: Int16) {
        w.writeString(groupId); w.writeInt32(sessionTimeoutMs); w.writeInt32(rebalanceTimeoutMs)
        w.writeString(memberId); w.writeNullableString(groupInstanceId); w.writeString(protocolType)
        w.writeArray(protocols) { w, p in w.writeString(p.name); w.writeBytes(p.metadata) }
    }
}

public struct JoinGroupResponse: KafkaMessage {
    public static let apiKey = ApiKey.joinGroup
    public struct Member: Equatable, Sendable {
        public var memberId: String
        public var groupInstanceId: String?
        public var metadata: [UInt8]
        public init(memberId: String, groupInstanceId: String? = nil, metadata: [UInt8]) {
            self.memberId = memberId; self.groupInstanceId = groupInstanceId; self.metadata = metadata
        }
    }
    public var throttleTimeMs: Int32
    public var errorCode: Int16
    public var generationId: Int32
    public var protocolName: String
    public var leader: String
    public var memberId: String
    /// Non-empty only for the leader.
    public var members: [Member]
    public init(throttleTimeMs: Int32 = 0, errorCode: Int16 = 0, generationId: Int32, protocolName: String,
                leader: String, memberId: String, members: [Member]) {
        self.throttleTimeMs = throttleTimeMs; self.errorCode = errorCode; self.generationId = generationId
        self.protocolName = protocolName; self.leader = leader; self.memberId = memberId; self.members = members
    }
    public init(from r: inout WireReader, version: Int16) throws {
        throttleTimeMs = try r.readInt32(); errorCode = try r.readInt16(); generationId = try r.readInt32()
        protocolName = try r.readString(); leader = try r.readString(); memberId = try r.readString()
        members = try r.readArray(minElementSize: 8) { r in
            Member(memberId: try r.readString(), groupInstanceId: try r.readNullableString(), metadata: try r.readBytes())
        }
    }
    public func encode(to w: inout WireWriter, version: Int16) {
        w.writeInt32(throttleTimeMs); w.writeInt16(errorCode); w.writeInt32(generationId)
        w.writeString(protocolName); w.writeString(leader); w.writeString(memberId)
        w.writeArray(members) { w, m in w.writeString(m.memberId); w.writeNullableString(m.groupInstanceId); w.writeBytes(m.metadata) }
    }
}

// MARK: - SyncGroup (14) v3

public struct SyncGroupRequest: KafkaMessage {
    public static let apiKey = ApiKey.syncGroup
    public struct Assignment: Equatable, Sendable {
        public var memberId: String
        /// Consumer protocol Assignment bytes (opaque here).
        public var assignment: [UInt8]
        public init(memberId: String, assignment: [UInt8]) { self.memberId = memberId; self.assignment = assignment }
    }
    public var groupId: String
    public var generationId: Int32
    public var memberId: String
    public var groupInstanceId: String?
    public var assignments: [Assignment]
    public init(groupId: String, generationId: Int32, memberId: String, groupInstanceId: String? = nil, assignments: [Assignment]) {
        self.groupId = groupId; self.generationId = generationId; self.memberId = memberId
        self.groupInstanceId = groupInstanceId; self.assignments = assignments
    }
    public init(from r: inout WireReader, version: Int16) throws {
        groupId = try r.readString(); generationId = try r.readInt32(); memberId = try r.readString()
        groupInstanceId = try r.readNullableString()
        assignments = try r.readArray(minElementSize: 6) { r in Assignment(memberId: try r.readString(), assignment: try r.readBytes()) }
    }
    public func encode(to w: inout WireWriter, version: Int16) {
        w.writeString(groupId); w.writeInt32(generationId); w.writeString(memberId); w.writeNullableString(groupInstanceId)
        w.writeArray(assignments) { w, a in w.writeString(a.memberId); w.writeBytes(a.assignment) }
    }
}

public struct SyncGroupResponse: KafkaMessage {
    public static let apiKey = ApiKey.syncGroup
    public var throttleTimeMs: Int32
    public var errorCode: Int16
    public var assignment: [UInt8]
    public init(throttleTimeMs: Int32 = 0, errorCode: Int16 = 0, assignment: [UInt8]) {
        self.throttleTimeMs = throttleTimeMs; self.errorCode = errorCode; self.assignment = assignment
    }
    public init(from r: inout WireReader, version: Int16) throws {
        throttleTimeMs = try r.readInt32(); errorCode = try r.readInt16(); assignment = try r.readBytes()
    }
    public func encode(to w: inout WireWriter, version: Int16) {
        w.writeInt32(throttleTimeMs); w.writeInt16(errorCode); w.writeBytes(assignment)
    }
}

// MARK: - Heartbeat (12) v3

public struct HeartbeatRequest: KafkaMessage {
    public static let apiKey = ApiKey.heartbeat
    public var groupId: String
    public var generationId: Int32
    public var memberId: String
    public var groupInstanceId: String?
    public init(groupId: String, generationId: Int32, memberId: String, groupInstanceId: String? = nil) {
        self.groupId = groupId; self.generationId = generationId; self.memberId = memberId; self.groupInstanceId = groupInstanceId
    }
    public init(from r: inout WireReader, version: Int16) throws {
        groupId = try r.readString(); generationId = try r.readInt32(); memberId = try r.readString()
        groupInstanceId = try r.readNullableString()
    }
    public func encode(to w: inout WireWriter, version: Int16) {
        w.writeString(groupId); w.writeInt32(generationId); w.writeString(memberId); w.writeNullableString(groupInstanceId)
    }
}

/// Body shared by Heartbeat v3 and LeaveGroup v1 responses: throttle_time_ms, error_code.
public struct HeartbeatResponse: KafkaMessage {
    public static let apiKey = ApiKey.heartbeat
    public var throttleTimeMs: Int32
    public var errorCode: Int16
    public init(throttleTimeMs: Int32 = 0, errorCode: Int16 = 0) { self.throttleTimeMs = throttleTimeMs; self.errorCode = errorCode }
    public init(from r: inout WireReader, version: Int16) throws { throttleTimeMs = try r.readInt32(); errorCode = try r.readInt16() }
    public func encode(to w: inout WireWriter, version: Int16) { w.writeInt32(throttleTimeMs); w.writeInt16(errorCode) }
}

// MARK: - LeaveGroup (13) v1

public struct LeaveGroupRequest: KafkaMessage {
    public static let apiKey = ApiKey.leaveGroup
    public var groupId: String
    public var memberId: String
    public init(groupId: String, memberId: String) { self.groupId = groupId; self.memberId = memberId }
    public init(from r: inout WireReader, version: Int16) throws { groupId = try r.readString(); memberId = try r.readString() }
    public func encode(to w: inout WireWriter, version: Int16) { w.writeString(groupId); w.writeString(memberId) }
}

public struct LeaveGroupResponse: KafkaMessage {
    public static let apiKey = ApiKey.leaveGroup
    public var throttleTimeMs: Int32
    public var errorCode: Int16
    public init(throttleTimeMs: Int32 = 0, errorCode: Int16 = 0) { self.throttleTimeMs = throttleTimeMs; self.errorCode = errorCode }
    public init(from r: inout WireReader, version: Int16) throws { throttleTimeMs = try r.readInt32(); errorCode = try r.readInt16() }
    public func encode(to w: inout WireWriter, version: Int16) { w.writeInt32(throttleTimeMs); w.writeInt16(errorCode) }
}

// MARK: - OffsetCommit (8) v7 — OffsetCommitRequest.json / OffsetCommitResponse.json

public struct OffsetCommitRequest: KafkaMessage {
    public static let apiKey = ApiKey.offsetCommit
    public struct Partition: Equatable, Sendable {
        public var partitionIndex: Int32
        public var committedOffset: Int64
        public var committedLeaderEpoch: Int32
        public var committedMetadata: String?
        public init(partitionIndex: Int32, committedOffset: Int64, committedLeaderEpoch: Int32 = -1, committedMetadata: String? = nil) {
            self.partitionIndex = partitionIndex; self.committedOffset = committedOffset
            self.committedLeaderEpoch = committedLeaderEpoch; self.committedMetadata = committedMetadata
        }
    }
    public struct Topic: Equatable, Sendable {
        public var name: String
        public var partitions: [Partition]
        public init(name: String, partitions: [Partition]) { self.name = name; self.partitions = partitions }
    }
    public var groupId: String
    public var generationId: Int32
    public var memberId: String
    public var groupInstanceId: String?
    public var topics: [Topic]
    public init(groupId: String, generationId: Int32, memberId: String, groupInstanceId: String? = nil, topics: [Topic]) {
        self.groupId = groupId; self.generationId = generationId; self.memberId = memberId
        self.groupInstanceId = groupInstanceId; self.topics = topics
    }
    public init(from r: inout WireReader, version: Int16) throws {
        groupId = try r.readString(); generationId = try r.readInt32(); memberId = try r.readString()
        groupInstanceId = try r.readNullableString()
        topics = try r.readArray(minElementSize: 6) { r in
            Topic(name: try r.readString(), partitions: try r.readArray(minElementSize: 18) { r in
                Partition(partitionIndex: try r.readInt32(), committedOffset: try r.readInt64(),
                          committedLeaderEpoch: try r.readInt32(), committedMetadata: try r.readNullableString())
            })
        }
    }
    public func encode(to w: inout WireWriter, version: Int16) {
        w.writeString(groupId); w.writeInt32(generationId); w.writeString(memberId); w.writeNullableString(groupInstanceId)
        w.writeArray(topics) { w, t in
            w.writeString(t.name)
            w.writeArray(t.partitions) { w, p in
                w.writeInt32(p.partitionIndex); w.writeInt64(p.committedOffset); w.writeInt32(p.committedLeaderEpoch)
                w.writeNullableString(p.committedMetadata)
            }
        }
    }
}

public struct OffsetCommitResponse: KafkaMessage {
    public static let apiKey = ApiKey.offsetCommit
    public struct Partition: Equatable, Sendable {
        public var partitionIndex: Int32
        public var errorCode: Int16
        public init(partitionIndex: Int32, errorCode: Int16 = 0) { self.partitionIndex = partitionIndex; self.errorCode = errorCode }
    }
    public struct Topic: Equatable, Sendable {
        public var name: String
        public var partitions: [Partition]
        public init(name: String, partitions: [Partition]) { self.name = name; self.partitions = partitions }
    }
    public var throttleTimeMs: Int32
    public var topics: [Topic]
    public init(throttleTimeMs: Int32 = 0, topics: [Topic]) { self.throttleTimeMs = throttleTimeMs; self.topics = topics }
    public init(from r: inout WireReader, version: Int16) throws {
        throttleTimeMs = try r.readInt32()
        topics = try r.readArray(minElementSize: 6) { r in
            Topic(name: try r.readString(), partitions: try r.readArray(minElementSize: 6) { r in
                Partition(partitionIndex: try r.readInt32(), errorCode: try r.readInt16())
            })
        }
    }
    public func encode(to w: inout WireWriter, version: Int16) {
        w.writeInt32(throttleTimeMs)
        w.writeArray(topics) { w, t in
            w.writeString(t.name)
            w.writeArray(t.partitions) { w, p in w.writeInt32(p.partitionIndex); w.writeInt16(p.errorCode) }
        }
    }
}

// MARK: - OffsetFetch (9) v5 — OffsetFetchRequest.json / OffsetFetchResponse.json

public struct OffsetFetchRequest: KafkaMessage {
    public static let apiKey = ApiKey.offsetFetch
    public struct Topic: Equatable, Sendable {
        public var name: String
        public var partitionIndexes: [Int32]
        public init(name: String, partitionIndexes: [Int32]) { self.name = name; self.partitionIndexes = partitionIndexes }
    }
    public var groupId: String
    /// nil = all committed offsets of the group.
    public var topics: [Topic]?
    public init(groupId: String, topics: [Topic]?) { self.groupId = groupId; self.topics = topics }
    public init(from r: inout WireReader, version: Int16) throws {
        groupId = try r.readString()
        topics = try r.readNullableArray(minElementSize: 6) { r in
            Topic(name: try r.readString(), partitionIndexes: try r.readInt32Array())
        }
    }
    public func encode(to w: inout WireWriter, version: Int16) {
        w.writeString(groupId)
        w.writeNullableArray(topics) { w, t in w.writeString(t.name); w.writeInt32Array(t.partitionIndexes) }
    }
}

public struct OffsetFetchResponse: KafkaMessage {
    public static let apiKey = ApiKey.offsetFetch
    public struct Partition: Equatable, Sendable {
        public var partitionIndex: Int32
        /// -1 = no committed offset.
        public var committedOffset: Int64
        public var committedLeaderEpoch: Int32
        public var metadata: String?
        public var errorCode: Int16
        public init(partitionIndex: Int32, committedOffset: Int64, committedLeaderEpoch: Int32 = -1,
                    metadata: String? = "", errorCode: Int16 = 0) {
            self.partitionIndex = partitionIndex; self.committedOffset = committedOffset
            self.committedLeaderEpoch = committedLeaderEpoch; self.metadata = metadata; self.errorCode = errorCode
        }
    }
    public struct Topic: Equatable, Sendable {
        public var name: String
        public var partitions: [Partition]
        public init(name: String, partitions: [Partition]) { self.name = name; self.partitions = partitions }
    }
    public var throttleTimeMs: Int32
    public var topics: [Topic]
    public var errorCode: Int16
    public init(throttleTimeMs: Int32 = 0, topics: [Topic], errorCode: Int16 = 0) {
        self.throttleTimeMs = throttleTimeMs; self.topics = topics; self.errorCode = errorCode
    }
    public init(from r: inout WireReader, version: Int16) throws {
        throttleTimeMs = try r.readInt32()
        topics = try r.readArray(minElementSize: 6) { r in
            Topic(name: try r.readString(), partitions: try r.readArray(minElementSize: 20) { r in
                Partition(partitionIndex: try r.readInt32(), committedOffset: try r.readInt64(),
                          committedLeaderEpoch: try r.readInt32(), metadata: try r.readNullableString(),
                          errorCode: try r.readInt16())
            })
        }
        errorCode = try r.readInt16()
    }
    public func encode(to w: inout WireWriter, version: Int16) {
        w.writeInt32(throttleTimeMs)
        w.writeArray(topics) { w, t in
            w.writeString(t.name)
            w.writeArray(t.partitions) { w, p in
                w.writeInt32(p.partitionIndex); w.writeInt64(p.committedOffset); w.writeInt32(p.committedLeaderEpoch)
                w.writeNullableString(p.metadata); w.writeInt16(p.errorCode)
            }
        }
        w.writeInt16(errorCode)
    }
}

// MARK: - InitProducerId (22) v1 — InitProducerIdRequest.json / InitProducerIdResponse.json

public struct InitProducerIdRequest: KafkaMessage {
    public static let apiKey = ApiKey.initProducerId
    public var transactionalId: String?
    public var transactionTimeoutMs: Int32
    public init(transactionalId: String? = nil, transactionTimeoutMs: Int32) {
        self.transactionalId = transactionalId; self.transactionTimeoutMs = transactionTimeoutMs
    }
    public init(from r: inout WireReader, version: Int16) throws {
        transactionalId = try r.readNullableString(); transactionTimeoutMs = try r.readInt32()
    }
    public func encode(to w: inout WireWriter, version: Int16) {
        w.writeNullableString(transactionalId); w.writeInt32(transactionTimeoutMs)
    }
}

public struct InitProducerIdResponse: KafkaMessage {
    public static let apiKey = ApiKey.initProducerId
    public var throttleTimeMs: Int32
    public var errorCode: Int16
    public var producerId: Int64
    public var producerEpoch: Int16
    public init(throttleTimeMs: Int32 = 0, errorCode: Int16 = 0, producerId: Int64, producerEpoch: Int16) {
        self.throttleTimeMs = throttleTimeMs; self.errorCode = errorCode; self.producerId = producerId; self.producerEpoch = producerEpoch
    }
    public init(from r: inout WireReader, version: Int16) throws {
        throttleTimeMs = try r.readInt32(); errorCode = try r.readInt16()
        producerId = try r.readInt64(); producerEpoch = try r.readInt16()
    }
    public func encode(to w: inout WireWriter, version: Int16) {
        w.writeInt32(throttleTimeMs); w.writeInt16(errorCode); w.writeInt64(producerId); w.writeInt16(producerEpoch)
    }
}
