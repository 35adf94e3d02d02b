// MARK: - Fetch (1) v11 — FetchRequest.json / FetchResponse.json

public struct FetchRequest: KafkaMessage {
    public static let apiKey = ApiKey.fetch

    public struct Partition: Equatable, Sendable {
        public var partition: Int32
        public var currentLeaderEpoch: Int32
        public var fetchOffset: Int64
        public var logStartOffset: Int64
        public var partitionMaxBytes: Int32
        public init(partition: Int32, currentLeaderEpoch: Int32 = -1, fetchOffset: Int64, logStartOffset: Int64 = -1,
                    partitionMaxBytes: Int32) {
            self.partition = partition; self.currentLeaderEpoch = currentLeaderEpoch; self.fetchOffset = fetchOffset
            self.logStartOffset = logStartOffset; self.partitionMaxBytes = partitionMaxBytes
        }
    }

    public struct Topic: Equatable, Sendable {
        public var topic: String
        public var partitions: [Partition]
        public init(topic: String, partitions: [Partition]) { self.topic = topic; self.partitions = partitions }
    }

    public struct ForgottenTopic: Equatable, Sendable {
        public var topic: String
        public var partitions: [Int32]
        public init(topic: String, partitions: [Int32]) { self.topic = topic; self.partitions = partitions }
    }

    public var replicaId: Int32
    public var maxWaitMs: Int32
    public var minBytes: Int32
    public var maxBytes: Int32
    /// 0 read_uncommitted, 1 read_committed (librdkafka default).
    public var isolationLevel: Int8
    public var sessionId: Int32
    public var sessionEpoch: Int32
    public var topics: [Topic]
    public var forgottenTopicsData: [ForgottenTopic]
    public var rackId: String

    public init(replicaId: Int32 = -1, maxWaitMs: Int32, minBytes: Int32, maxBytes: Int32, isolationLevel: Int8 = 0,
                sessionId: Int32 = 0, sessionEpoch: Int32 = -1, topics: [Topic], forgottenTopicsData: [ForgottenTopic] = [],
                rackId: String = "") {
        self.replicaId = replicaId; self.maxWaitMs = maxWaitMs; self.minBytes = minBytes; self.maxBytes = maxBytes
        self.isolationLevel = isolationLevel; self.sessionId = sessionId; self.sessionEpoch = sessionEpoch
        self.topics = topics; self.forgottenTopicsData = forgottenTopicsData; self.rackId = rackId
    }

    public init(from r: inout WireReader, version: Int16) throws {
        replicaId = try r.readInt32()
        maxWaitMs = try r.readInt32()
        minBytes = try r.readInt32()
        maxBytes = try r.readInt32()
        isolationLevel = try r.readInt8()
        sessionId = try r.readInt32()
        sessionEpoch = try r.readInt32()
        topics = try r.readArray(minElementSize: 6) { r in
            Topic(topic: try r.readString(), partitions: try r.readArray(minElementSize: 28) { r in
                Partition(partition: try r.readInt32(), currentLeaderEpoch: try r.readInt32(), fetchOffset: try r.readInt64(),
                          logStartOffset: try r.readInt64(), partitionMaxBytes: try r.readInt32())
            })
        }
        forgottenTopicsData = try r.readArray(minElementSize: 6) { r in
            ForgottenTopic(topic: try r.readString(), partitions: try r.readInt32Array())
        }
        rackId = try r.readString()
    }

    public func encode(to w: inout WireWriter, version: Int16) {
        w.writeInt32(replicaId); w.writeInt32(maxWaitMs); w.writeInt32(minBytes); w.writeInt32(maxBytes)
        w.writeInt8(isolationLevel); w.writeInt32(sessionId); w.writeInt32(sessionEpoch)
        w.writeArray(topics) { w, t in
            w.writeString(t.topic)
            w.writeArray(t.partitions) { w, p in
                w.writeInt32(p.partition); w.writeInt32(p.currentLeaderEpoch); w.writeInt64(p.fetchOffset)
                w.writeInt64(p.logStartOffset); w.writeInt32(p.partitionMaxBytes)
            }
        }
        w.writeArray(forgottenTopicsData) { w, f in w.writeString(f.topic); w.writeInt32Array(f.partitions) }
        w.writeString(rackId)
    }
}

public struct FetchResponse: KafkaMessage {
    public static let apiKey = ApiKey.fetch

    public struct AbortedTransaction: Equatable, Sendable {
        public var producerId: Int64
        public var firstOffset: Int64
        public init(producerId: Int64, firstOffset: Int64) { self.producerId = producerId; self.firstOffset = firstOffset }
    }

    public struct Partition: Equatable, Sendable {
        public var partitionIndex: Int32
        public var errorCode: Int16
        public var highWatermark: Int64
        /// Fill with HW when there are no transactions (librdkafka reads committed, kafka.md §6.3).
        public var lastStableOffset: Int64
        public var logStartOffset: Int64
        public var abortedTransactions: [AbortedTransaction]?
        public var preferredReadReplica: Int32
        /// Raw record batches; a partial trailing batch is allowed here.
        public var records: [UInt8]?
        public init(partitionIndex: Int32, errorCode: Int16 = 0, highWatermark: Int64, lastStableOffset: Int64,
                    logStartOffset: Int64, abortedTransactions: [AbortedTransaction]? = nil,
                    preferredReadReplica: Int32 = -1, records: [UInt8]?) {
            self.partitionIndex = partitionIndex; self.errorCode = errorCode; self.highWatermark = highWatermark
            self.lastStableOffset = lastStableOffset; self.logStartOffset = logStartOffset
            self.abortedTransactions = abortedTransactions; self.preferredReadReplica = preferredReadReplica
            self.records = records
        }
    }

    public struct Topic: Equatable, Sendable {
        public var topic: String
        public var partitions: [Partition]
        public init(topic: String, partitions: [Partition]) { self.topic = topic; self.partitions = partitions }
    }

    public var throttleTimeMs: Int32
    public var errorCode: Int16
    /// 0 = no fetch session (clients then keep sending full fetches).
    public var sessionId: Int32
    public var responses: [Topic]

    public init(throttleTimeMs: Int32 = 0, errorCode: Int16 = 0, sessionId: Int32 = 0, responses: [Topic]) {
        self.throttleTimeMs = throttleTimeMs; self.errorCode = errorCode; self.sessionId = sessionId
        self.responses = responses
    }

    public init(from r: inout WireReader, version: Int16) throws {
        throttleTimeMs = try r.readInt32()
        errorCode = try r.readInt16()
        sessionId = try r.readInt32()
        responses = try r.readArray(minElementSize: 6) { r in
            Topic(topic: try r.readString(), partitions: try r.readArray(minElementSize: 46) { r in
                Partition(partitionIndex: try r.readInt32(), errorCode: try r.readInt16(), highWatermark: try r.readInt64(),
                          lastStableOffset: try r.readInt64(), logStartOffset: try r.readInt64(),
                          abortedTransactions: try r.readNullableArray(minElementSize: 16) { r in
                              AbortedTransaction(producerId: try r.readInt64(), firstOffset: try r.readInt64())
                          },
                          preferredReadReplica: try r.readInt32(), records: try r.readNullableBytes())
            })
        }
    }

    public func encode(to w: inout WireWriter, version: Int16) {
        w.writeInt32(throttleTimeMs); w.writeInt16(errorCode); w.writeInt32(sessionId)
        w.writeArray(responses) { w, t in
            w.writeString(t.topic)
            w.writeArray(t.partitions) { w, p in
                w.writeInt32(p.partitionIndex); w.writeInt16(p.errorCode); w.writeInt64(p.highWatermark)
                w.writeInt64(p.lastStableOffset); w.writeInt64(p.logStartOffset)
                w.writeNullableArray(p.abortedTransactions) { w, a in w.writeInt64(a.producerId); w.writeInt64(a.firstOffset) }
                w.writeInt32(p.preferredReadReplica)
                w.writeNullableBytes(p.records)
            }
        }
    }
}

// MARK: - ListOffsets (2) v5 — ListOffsetsRequest.json / ListOffsetsResponse.json

public struct ListOffsetsRequest: KafkaMessage {
    public static let apiKey = ApiKey.listOffsets
    /// Special timestamps: -1 latest, -2 earliest.
    public static let latestTimestamp: Int64 = -1
    public static let earliestTimestamp: Int64 = -2

    public struct Partition: Equatable, Sendable {
        public var partitionIndex: Int32
        public var currentLeaderEpoch: Int32
        public var timestamp: Int64
        public init(partitionIndex: Int32, currentLeaderEpoch: Int32 = -1, timestamp: Int64) {
            self.partitionIndex = partitionIndex; self.currentLeaderEpoch = currentLeaderEpoch; self.timestamp = timestamp
        }
    }

    public struct Topic: Equatable, Sendable {
        public var name: String
        public var partitions: [Partition]
        public init(name: String, partitions: [Partition]) { self.name = name; self.partitions = partitions }
    }

    public var replicaId: Int32
    public var isolationLevel: Int8
    public var topics: [Topic]

    public init(replicaId: Int32 = -1, isolationLevel: Int8 = 0, topics: [Topic]) {
        self.replicaId = replicaId; self.isolationLevel = isolationLevel; self.topics = topics
    }

    public init(from r: inout WireReader, version: Int16) throws {
        replicaId = try r.readInt32()
        isolationLevel = try r.readInt8()
        topics = try r.readArray(minElementSize: 6) { r in
            Topic(name: try r.readString(), partitions: try r.readArray(minElementSize: 16) { r in
                Partition(partitionIndex: try r.readInt32(), currentLeaderEpoch: try r.readInt32(), timestamp: try r.readInt64())
            })
        }
    }

    public func encode(to w: inout WireWriter, version: Int16) {
        w.writeInt32(replicaId); w.writeInt8(isolationLevel)
        w.writeArray(topics) { w, t in
            w.writeString(t.name)
            w.writeArray(t.partitions) { w, p in
                w.writeInt32(p.partitionIndex); w.writeInt32(p.currentLeaderEpoch); w.writeInt64(p.timestamp)
            }
        }
    }
}

public struct ListOffsetsResponse: KafkaMessage {
    public static let apiKey = ApiKey.listOffsets

    public struct Partition: Equatable, Sendable {
        public var partitionIndex: Int32
        public var errorCode: Int16
        public var timestamp: Int64
        public var offset: Int64
        public var leaderEpoch: Int32
        public init(partitionIndex: Int32, errorCode: Int16 = 0, timestamp: Int64 = -1, offset: Int64, leaderEpoch: Int32 = -1) {
            self.partitionIndex = partitionIndex; self.errorCode = errorCode; self.timestamp = timestamp
            self.offset = offset; self.leaderEpoch = leaderEpoch
        }
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
            Topic(name: try r.readString(), partitions: try r.readArray(minElementSize: 26) { r in
                Partition(partitionIndex: try r.readInt32(), errorCode: try r.readInt16(), timestamp: try r.readInt64(),
                          offset: try r.readInt64(), leaderEpoch: try r.readInt32())
            })
        }
    }

    public func encode(to w: inout WireWriter, version: Int16) {
        w.writeInt32(throttleTimeMs)
        w.writeArray(topics) { w, t in
            w.writeString(t.name)
            w.writeArray(t.partitions) { w, p in
                w.writeInt32(p.partitionIndex); w.writeInt16(p.errorCode); w.writeInt64(p.timestamp)
                w.writeInt64(p.offset); w.writeInt32(p.leaderEpoch)
            }
        }
    }
}
