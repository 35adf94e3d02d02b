// The "consumer" embedded protocol: the bytes a Kafka consumer puts inside JoinGroup (protocol
// metadata = Subscription) and SyncGroup (Assignment) (kafka.md §6.3; apache/kafka
// clients/src/main/resources/common/message/ConsumerProtocolSubscription.json and
// ConsumerProtocolAssignment.json; Java ConsumerProtocol). The broker treats them as opaque; the
// workbench decodes them only to display members, and encodes them for simulated members whose
// group has an external (wire) leader or follower.
//
// Layout (big-endian, classic non-flexible encoding; string = int16 length + UTF-8, -1 = null;
// bytes = int32 length, -1 = null; [] = int32 count):
//   Subscription v0–v3: version int16, topics []string, user_data bytes?,
//                       v1+ owned_partitions []{topic string, partitions []int32},
//                       v2+ generation_id int32 (default -1), v3+ rack_id string?
//   Assignment v0–v3:   version int16, assigned_partitions []{topic string, partitions []int32}, user_data bytes?
// Like Java's ConsumerProtocol, versions above the newest known are read as the newest known, and
// trailing bytes are ignored (forward compatibility); a negative version or a truncated buffer
// does not decode (nil).

/// A consumer's subscription (JoinGroup protocol metadata).
public struct ConsumerProtocolSubscription: Codable, Equatable, Sendable {
    public var version: Int16
    public var topics: [String]
    public var userData: [UInt8]?
    /// v1+ (KIP-429): partitions the member still owns.
    public var ownedPartitions: [TopicPartition]
    /// v2+ (KIP-792): the generation of the owned partitions, -1 when unknown.
    public var generation: Int32
    /// v3+ (KIP-881): the member's rack.
    public var rackID: String?

    public init(version: Int16 = 1, topics: [String], userData: [UInt8]? = nil, ownedPartitions: [TopicPartition] = [],
                generation: Int32 = -1, rackID: String? = nil) {
        self.version = version
        self.topics = topics
        self.userData = userData
        self.ownedPartitions = ownedPartitions
        self.generation = generation
        self.rackID = rackID
    }

    /// The wire bytes; fields newer than `version` are left out.
    public func encoded() -> [UInt8] {
        var w = ProtocolWriter()
        w.int16(version)
        w.int32(Int32(clamping: topics.count))
        for topic in topics { w.string(topic) }
        w.bytes(userData)
        if version >= 1 { w.topicPartitions(ownedPartitions) }
        if version >= 2 { w.int32(generation) }
        if version >= 3 { w.string(rackID) }
        return w.buffer
    }

    /// Decodes Subscription bytes; nil when they are not a valid consumer Subscription.
    public static func decode(_ bytes: [UInt8]) -> ConsumerProtocolSubscription? {
        var r = ProtocolReader(bytes)
        guard let version = r.int16(), version >= 0, let count = r.int32(), count >= 0 else { return nil }
        var topics: [String] = []
        for _ in 0..<count {
            guard let topic = r.string(), let name = topic else { return nil }
            topics.append(name)
        }
        guard let userData = r.bytes() else { return nil }
        var result = ConsumerProtocolSubscription(version: version, topics: topics, userData: userData)
        if version >= 1 {
            guard let owned = r.topicPartitions() else { return nil }
            result.ownedPartitions = owned
        }
        if version >= 2 {
            guard let generation = r.int32() else { return nil }
            result.generation = generation
        }
        if version >= 3 {
            guard let rack = r.string() else { return nil }
            result.rackID = rack
        }
        return result
    }
}

/// A member's assignment (SyncGroup assignment bytes).
public struct ConsumerProtocolAssignment: Codable, Equatable, Sendable {
    public var version: Int16
    public var partitions: [TopicPartition]
    public var userData: [UInt8]?

    public init(version: Int16 = 0, partitions: [TopicPartition], userData: [UInt8]? = nil) {
        self.version = version
        self.partitions = partitions
        self.userData = userData
    }

    public func encoded() -> [UInt8] {
        var w = ProtocolWriter()
        w.int16(version)
        w.topicPartitions(partitions)
        w.bytes(userData)
        return w.buffer
    }

    /// Decodes Assignment bytes; nil when they are not a valid consumer Assignment. Empty bytes (what
    /// a member gets when its leader sent nothing for it) are not an Assignment either.
    public static func decode(_ bytes: [UInt8]) -> ConsumerProtocolAssignment? {
        var r = ProtocolReader(bytes)
        guard let version = r.int16(), version >= 0, let partitions = r.topicPartitions() else { return nil }
        // user_data is optional in practice: some clients end the buffer after the partitions.
        let userData = r.atEnd ? nil : (r.bytes() ?? nil)
        return ConsumerProtocolAssignment(version: version, partitions: partitions, userData: userData)
    }
}

/// Big-endian writer of the classic (non-flexible) primitives.
struct ProtocolWriter {
    var buffer: [UInt8] = []

    mutating func int16(_ v: Int16) {
        let u = UInt16(bitPattern: v)
        buffer.append(UInt8(u >> 8))
        buffer.append(UInt8(u & 0xFF))
    }

    mutating func int32(_ v: Int32) {
        let u = UInt32(bitPattern: v)
        for shift in stride(from: 24, through: 0, by: -8) { buffer.append(UInt8((u >> UInt32(shift)) & 0xFF)) }
    }

    mutating func string(_ s: String?) {
        guard let s else { int16(-1); return }
        let utf8 = Array(s.utf8.prefix(Int(Int16.max)))
        int16(Int16(utf8.count))
        buffer += utf8
    }

    mutating func bytes(_ b: [UInt8]?) {
        guard let b else { int32(-1); return }
        int32(Int32(clamping: b.count))
        buffer += b
    }

    /// []{topic, []int32}, one entry per topic in order of first appearance of the sorted partitions.
    mutating func topicPartitions(_ tps: [TopicPartition]) {
        var grouped: [(String, [Int])] = []
        for tp in tps.sorted() {
            if let last = grouped.indices.last, grouped[last].0 == tp.topic {
                grouped[last].1.append(tp.partition)
            } else {
                grouped.append((tp.topic, [tp.partition]))
            }
        }
        int32(Int32(clamping: grouped.count))
        for (topic, partitions) in grouped {
            string(topic)
            int32(Int32(clamping: partitions.count))
            for p in partitions { int32(Int32(clamping: p)) }
        }
    }
}

/// Big-endian reader; every read returns nil past the end (never traps).
struct ProtocolReader {
    let data: [UInt8]
    var offset = 0

    init(_ data: [UInt8]) { self.data = data }

    var atEnd: Bool { offset >= data.count }

    mutating func take(_ n: Int) -> ArraySlice<UInt8>? {
        guard n >= 0, n <= data.count - offset else { return nil }
        defer { offset += n }
        return data[offset..<(offset + n)]
    }

    mutating func int16() -> Int16? {
        guard let s = take(2) else { return nil }
        return Int16(bitPattern: s.reduce(UInt16(0)) { $0 << 8 | UInt16($1) })
    }

    mutating func int32() -> Int32? {
        guard let s = take(4) else { return nil }
        return Int32(bitPattern: s.reduce(UInt32(0)) { $0 << 8 | UInt32($1) })
    }

    /// .some(nil) for a null string, nil when the buffer is too short.
    mutating func string() -> String?? {
        guard let length = int16() else { return nil }
        if length < 0 { return .some(nil) }
        guard let s = take(Int(length)) else { return nil }
        // Invalid UTF-8 is repaired (U+FFFD), as Java's decoder does, rather than rejected.
        return .some(String(decoding: s, as: UTF8.self))
    }

    /// .some(nil) for null bytes, nil when the buffer is too short.
    mutating func bytes() -> [UInt8]?? {
        guard let length = int32() else { return nil }
        if length < 0 { return .some(nil) }
        guard let s = take(Int(length)) else { return nil }
        return .some(Array(s))
    }

    mutating func topicPartitions() -> [TopicPartition]? {
        guard let count = int32(), count >= 0 else { return nil }
        var result: [TopicPartition] = []
        for _ in 0..<count {
            guard let topic = string(), let name = topic, let n = int32(), n >= 0 else { return nil }
            for _ in 0..<n {
                guard let p = int32() else { return nil }
                result.append(TopicPartition(name, Int(p)))
            }
        }
        return result
    }
}
