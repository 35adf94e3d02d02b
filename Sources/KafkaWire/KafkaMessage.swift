/// A request or response body of one API. Field layouts follow apache/kafka's message JSON
/// schemas (clients/src/main/resources/common/message/<Name>{Request,Response}.json) at the
/// versions in `KafkaAPI.supported`, as summarised in kafka.md §6.3.
/// `init(from:version:)` expects a version from `KafkaAPI.supported` (callers dispatch through
/// `KafkaRequest.decode`, which reports unsupported versions instead of decoding them).
public protocol KafkaMessage: Equatable, Sendable {
    static var apiKey: ApiKey { get }
    init(from r: inout WireReader, version: Int16) throws
    func encode(to w: inout WireWriter, version: Int16)
}

extension KafkaMessage {
    /// Decodes a whole body; trailing bytes are an error.
    public init(body: [UInt8], version: Int16, maxLength: Int = WireReader.defaultMaxLength) throws {
        var r = WireReader(body, maxLength: maxLength)
        try self.init(from: &r, version: version)
        try r.expectEnd()
    }

    public func encoded(version: Int16) -> [UInt8] {
        var w = WireWriter()
        encode(to: &w, version: version)
        return w.bytes
    }
}

// MARK: - ApiVersions (18) v0–v3 — ApiVersionsRequest.json / ApiVersionsResponse.json, KIP-511

public struct ApiVersionsRequest: KafkaMessage {
    public static let apiKey = ApiKey.apiVersions
    /// v3+: e.g. "librdkafka", "kafka-python".
    public var clientSoftwareName: String?
    public var clientSoftwareVersion: String?

    public init(clientSoftwareName: String? = nil, clientSoftwareVersion: String? = nil) {
        self.clientSoftwareName = clientSoftwareName
        self.clientSoftwareVersion = clientSoftwareVersion
    }

    public init(from r: inout WireReader, version: Int16) throws {
        if version >= 3 {
            clientSoftwareName = try r.readCompactString()
            clientSoftwareVersion = try r.readCompactString()
            try r.skipTaggedFields()
        }
    }

    public func encode(to w: inout WireWriter, version: Int16) {
        if version >= 3 {
            w.writeCompactString(clientSoftwareName ?? "")
            w.writeCompactString(clientSoftwareVersion ?? "")
            w.writeTaggedFields()
        }
    }
}

public struct ApiVersionRange: Equatable, Sendable {
    public var apiKey: Int16
    public var minVersion: Int16
    public var maxVersion: Int16
    public init(apiKey: Int16, minVersion: Int16, maxVersion: Int16) {
        self.apiKey = apiKey
        self.minVersion = minVersion
        self.maxVersion = maxVersion
    }
}

public struct ApiVersionsResponse: KafkaMessage {
    public static let apiKey = ApiKey.apiVersions
    public var errorCode: Int16
    public var apiKeys: [ApiVersionRange]
    /// v1+.
    public var throttleTimeMs: Int32

    public init(errorCode: Int16 = 0, apiKeys: [ApiVersionRange] = ApiVersionsResponse.advertised, throttleTimeMs: Int32 = 0) {
        self.errorCode = errorCode
        self.apiKeys = apiKeys
        self.throttleTimeMs = throttleTimeMs
    }

    /// Exactly the implemented ranges (`KafkaAPI.supported`), sorted by key.
    public static let advertised: [ApiVersionRange] = KafkaAPI.supported
        .map { ApiVersionRange(apiKey: $0.key.rawValue, minVersion: $0.versions.lowerBound, maxVersion: $0.versions.upperBound) }
        .sorted { $0.apiKey < $1.apiKey }

    /// KIP-511 answer to an ApiVersions request of an unsupported version: UNSUPPORTED_VERSION (35)
    /// with the supported ranges; encode it with `encoded(version: 0)` under response header v0
    /// (the Java broker treats unsupported ApiVersions as v0 — kafka.md §6.2).
    public static let unsupportedVersionFallback = ApiVersionsResponse(errorCode: KafkaErrorCode.unsupportedVersion.rawValue)

    /// Full frame (size + header v0 + v0 body) for the KIP-511 fallback.
    public static func unsupportedVersionFrame(correlationId: Int32) -> [UInt8] {
        ResponseFrame.encode(correlationId: correlationId, headerVersion: 0,
                             body: unsupportedVersionFallback.encoded(version: 0))
    }

    public init(from r: inout WireReader, version: Int16) throws {
        errorCode = try r.readInt16()
        if version >= 3 {
            apiKeys = try r.readCompactArray(minElementSize: 7) { r in
                let k = ApiVersionRange(apiKey: try r.readInt16(), minVersion: try r.readInt16(), maxVersion: try r.readInt16())
                try r.skipTaggedFields()
                return k
            }
        } else {
            apiKeys = try r.readArray(minElementSize: 6) { r in
                ApiVersionRange(apiKey: try r.readInt16(), minVersion: try r.readInt16(), maxVersion: try r.readInt16())
            }
        }
        throttleTimeMs = version >= 1 ? try r.readInt32() : 0
        if version >= 3 { try r.skipTaggedFields() }
    }

    public func encode(to w: inout WireWriter, version: Int16) {
        w.writeInt16(errorCode)
        if version >= 3 {
            w.writeCompactArray(apiKeys) { w, k in
                w.writeInt16(k.apiKey); w.writeInt16(k.minVersion); w.writeInt16(k.maxVersion); w.writeTaggedFields()
            }
        } else {
            w.writeArray(apiKeys) { w, k in w.writeInt16(k.apiKey); w.writeInt16(k.minVersion); w.writeInt16(k.maxVersion) }
        }
        if version >= 1 { w.writeInt32(throttleTimeMs) }
        if version >= 3 { w.writeTaggedFields() }
    }
}

// MARK: - Metadata (3) v8 — MetadataRequest.json / MetadataResponse.json

public struct MetadataRequest: KafkaMessage {
    public static let apiKey = ApiKey.metadata
    /// nil = all topics.
    public var topics: [String]?
    public var allowAutoTopicCreation: Bool
    public var includeClusterAuthorizedOperations: Bool
    public var includeTopicAuthorizedOperations: Bool

    public init(topics: [String]?, allowAutoTopicCreation: Bool = true,
                includeClusterAuthorizedOperations: Bool = false, includeTopicAuthorizedOperations: Bool = false) {
        self.topics = topics
        self.allowAutoTopicCreation = allowAutoTopicCreation
        self.includeClusterAuthorizedOperations = includeClusterAuthorizedOperations
        self.includeTopicAuthorizedOperations = includeTopicAuthorizedOperations
    }

    public init(from r: inout WireReader, version: Int16) throws {
        topics = try r.readNullableArray(minElementSize: 2) { try $0.readString() }
        allowAutoTopicCreation = try r.readBool()
        includeClusterAuthorizedOperations = try r.readBool()
        includeTopicAuthorizedOperations = try r.readBool()
    }

    public func encode(to w: inout WireWriter, version: Int16) {
        w.writeNullableArray(topics) { $0.writeString($1) }
        w.writeBool(allowAutoTopicCreation)
        w.writeBool(includeClusterAuthorizedOperations)
        w.writeBool(includeTopicAuthorizedOperations)
    }
}

public struct MetadataResponse: KafkaMessage {
    public static let apiKey = ApiKey.metadata

    public struct Broker: Equatable, Sendable {
        public var nodeId: Int32
        public var host: String
        public var port: Int32
        public var rack: String?
        public init(nodeId: Int32, host: String, port: Int32, rack: String? = nil) {
            self.nodeId = nodeId; self.host = host; self.port = port; self.rack = rack
        }
    }

    public struct Partition: Equatable, Sendable {
        public var errorCode: Int16
        public var partitionIndex: Int32
        public var leaderId: Int32
        /// -1 makes clients skip OffsetForLeaderEpoch validation (kafka.md §6.3).
        public var leaderEpoch: Int32
        public var replicaNodes: [Int32]
        public var isrNodes: [Int32]
        public var offlineReplicas: [Int32]
        public init(errorCode: Int16 = 0, partitionIndex: Int32, leaderId: Int32, leaderEpoch: Int32 = -1,
                    replicaNodes: [Int32], isrNodes: [Int32], offlineReplicas: [Int32] = []) {
            self.errorCode = errorCode; self.partitionIndex = partitionIndex; self.leaderId = leaderId
            self.leaderEpoch = leaderEpoch; self.replicaNodes = replicaNodes; self.isrNodes = isrNodes
            self.offlineReplicas = offlineReplicas
        }
    }

    public struct Topic: Equatable, Sendable {
        public var errorCode: Int16
        public var name: String
        public var isInternal: Bool
        public var partitions: [Partition]
        public var topicAuthorizedOperations: Int32
        public init(errorCode: Int16 = 0, name: String, isInternal: Bool = false, partitions: [Partition],
                    topicAuthorizedOperations: Int32 = Int32.min) {
            self.errorCode = errorCode; self.name = name; self.isInternal = isInternal
            self.partitions = partitions; self.topicAuthorizedOperations = topicAuthorizedOperations
        }
    }

    public var throttleTimeMs: Int32
    public var brokers: [Broker]
    public var clusterId: String?
    public var controllerId: Int32
    public var topics: [Topic]
    public var clusterAuthorizedOperations: Int32

    public init(throttleTimeMs: Int32 = 0, brokers: [Broker], clusterId: String?, controllerId: Int32,
                topics: [Topic], clusterAuthorizedOperations: Int32 = Int32.min) {
        self.throttleTimeMs = throttleTimeMs; self.brokers = brokers; self.clusterId = clusterId
        self.controllerId = controllerId; self.topics = topics
        self.clusterAuthorizedOperations = clusterAuthorizedOperations
    }

    public init(from r: inout WireReader, version: Int16) throws {
        throttleTimeMs = try r.readInt32()
        brokers = try r.readArray(minElementSize: 12) { r in
            Broker(nodeId: try r.readInt32(), host: try r.readString(), port: try r.readInt32(), rack: try r.readNullableString())
        }
        clusterId = try r.readNullableString()
        controllerId = try r.readInt32()
        topics = try r.readArray(minElementSize: 13) { r in
            let err = try r.readInt16()
            let name = try r.readString()
            let isInternal = try r.readBool()
            let parts = try r.readArray(minElementSize: 26) { r in
                Partition(errorCode: try r.readInt16(), partitionIndex: try r.readInt32(), leaderId: try r.readInt32(),
                          leaderEpoch: try r.readInt32(), replicaNodes: try r.readInt32Array(),
                          isrNodes: try r.readInt32Array(), offlineReplicas: try r.readInt32Array())
            }
            return Topic(errorCode: err, name: name, isInternal: isInternal, partitions: parts,
                         topicAuthorizedOperations: try r.readInt32())
        }
        clusterAuthorizedOperations = try r.readInt32()
    }

    public func encode(to w: inout WireWriter, version: Int16) {
        w.writeInt32(throttleTimeMs)
        w.writeArray(brokers) { w, b in
            w.writeInt32(b.nodeId); w.writeString(b.host); w.writeInt32(b.port); w.writeNullableString(b.rack)
        }
        w.writeNullableString(clusterId)
        w.writeInt32(controllerId)
        w.writeArray(topics) { w, t in
            w.writeInt16(t.errorCode); w.writeString(t.name); w.writeBool(t.isInternal)
            w.writeArray(t.partitions) { w, p in
                w.writeInt16(p.errorCode); w.writeInt32(p.partitionIndex); w.writeInt32(p.leaderId)
                w.writeInt32(p.leaderEpoch); w.writeInt32Array(p.replicaNodes); w.writeInt32Array(p.isrNodes)
                w.writeInt32Array(p.offlineReplicas)
            }
            w.writeInt32(t.topicAuthorizedOperations)
        }
        w.writeInt32(clusterAuthorizedOperations)
    }
}

// MARK: - Produce (0) v7 — ProduceRequest.json / ProduceResponse.json

public struct ProduceRequest: KafkaMessage {
    public static let apiKey = ApiKey.produce

    public struct PartitionData: Equatable, Sendable {
        public var index: Int32
        /// Raw record batches (parse with `RecordBatch.parse(_:allowPartialTrailing: false)`).
        public var records: [UInt8]?
        public init(index: Int32, records: [UInt8]?) { self.index = index; self.records = records }
    }

    public struct TopicData: Equatable, Sendable {
        public var name: String
        public var partitions: [PartitionData]
        public init(name: String, partitions: [PartitionData]) { self.name = name; self.partitions = partitions }
    }

    public var transactionalId: String?
    /// 0 = no response must be sent (kafka.md §6.1), 1 = leader, -1 = all.
    public var acks: Int16
    public var timeoutMs: Int32
    public var topics: [TopicData]

    /// acks=0 requests get no response at all (kafka.md §6.1).
    public var expectsResponse: Bool { acks != 0 }

    public init(transactionalId: String? = nil, acks: Int16, timeoutMs: Int32, topics: [TopicData]) {
        self.transactionalId = transactionalId; self.acks = acks; self.timeoutMs = timeoutMs; self.topics = topics
    }

    public init(from r: inout WireReader, version: Int16) throws {
        transactionalId = try r.readNullableString()
        acks = try r.readInt16()
        timeoutMs = try r.readInt32()
        topics = try r.readArray(minElementSize: 6) { r in
            TopicData(name: try r.readString(), partitions: try r.readArray(minElementSize: 8) { r in
                PartitionData(index: try r.readInt32(), records: try r.readNullableBytes())
            })
        }
    }

    public func encode(to w: inout WireWriter, version: Int16) {
        w.writeNullableString(transactionalId)
        w.writeInt16(acks)
        w.writeInt32(timeoutMs)
        w.writeArray(topics) { w, t in
            w.writeString(t.name)
            w.writeArray(t.partitions) { w, p in w.writeInt32(p.index); w.writeNullableBytes(p.records) }
        }
    }
}

public struct ProduceResponse: KafkaMessage {
    public static let apiKey = ApiKey.produce

    public struct PartitionResponse: Equatable, Sendable {
        public var index: Int32
        public var errorCode: Int16
        public var baseOffset: Int64
        /// -1 for CreateTime topics.
        public var logAppendTimeMs: Int64
        public var logStartOffset: Int64
        public init(index: Int32, errorCode: Int16 = 0, baseOffset: Int64, logAppendTimeMs: Int64 = -1, logStartOffset: Int64) {
            self.index = index; self.errorCode = errorCode; self.baseOffset = baseOffset
            self.logAppendTimeMs = logAppendTimeMs; self.logStartOffset = logStartOffset
        }
    }

    public struct TopicResponse: Equatable, Sendable {
        public var name: String
        public var partitions: [PartitionResponse]
        public init(name: String, partitions: [PartitionResponse]) { self.name = name; self.partitions = partitions }
    }

    public var responses: [TopicResponse]
    public var throttleTimeMs: Int32

    public init(responses: [TopicResponse], throttleTimeMs: Int32 = 0) {
        self.responses = responses; self.throttleTimeMs = throttleTimeMs
    }

    public init(from r: inout WireReader, version: Int16) throws {
        responses = try r.readArray(minElementSize: 6) { r in
            TopicResponse(name: try r.readString(), partitions: try r.readArray(minElementSize: 30) { r in
                PartitionResponse(index: try r.readInt32(), errorCode: try r.readInt16(), baseOffset: try r.readInt64(),
                                  logAppendTimeMs: try r.readInt64(), logStartOffset: try r.readInt64())
            })
        }
        throttleTimeMs = try r.readInt32()
    }

    public func encode(to w: inout WireWriter, version: Int16) {
        w.writeArray(responses) { w, t in
            w.writeString(t.name)
            w.writeArray(t.partitions) { w, p in
                w.writeInt32(p.index); w.writeInt16(p.errorCode); w.writeInt64(p.baseOffset)
                w.writeInt64(p.logAppendTimeMs); w.writeInt64(p.logStartOffset)
            }
        }
        w.writeInt32(throttleTimeMs)
    }
}
