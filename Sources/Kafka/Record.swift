// The records a producer sends and the records a partition log stores.

/// A record header (Kafka record format v2: string key, nullable byte value).
public struct Header: Codable, Equatable, Sendable {
    public var key: String
    public var value: [UInt8]?

    public init(key: String, value: [UInt8]?) {
        self.key = key
        self.value = value
    }
}

/// One producer record. A nil key means "no key"; a nil value with a key is a tombstone
/// (meaningful once compaction arrives, kafka.md §5.3).
public struct Record: Codable, Equatable, Sendable {
    public var key: [UInt8]?
    public var value: [UInt8]?
    public var headers: [Header]
    public var timestampMs: Int64

    public init(key: [UInt8]?, value: [UInt8]?, headers: [Header] = [], timestampMs: Int64) {
        self.key = key
        self.value = value
        self.headers = headers
        self.timestampMs = timestampMs
    }
}

/// A record as a replica stores it: its offset and the leader epoch of the leader that appended it
/// (Kafka writes the partition leader epoch into every record batch header).
public struct StoredRecord: Codable, Equatable, Sendable {
    public var offset: Int64
    public var record: Record
    public var leaderEpoch: Int

    public init(offset: Int64, record: Record, leaderEpoch: Int) {
        self.offset = offset
        self.record = record
        self.leaderEpoch = leaderEpoch
    }
}
