// Framing (kafka.md §6.1): int32 size (excluding itself) + header + body.
// Request header v1: api_key int16, api_version int16, correlation_id int32, client_id nullable
// int16-length string. v2 (flexible API versions) = v1 + tagged fields; client_id stays classic.
// Response header v0: correlation_id; v1 (flexible) adds tagged fields; ApiVersions always v0.

public struct RequestHeader: Equatable, Sendable {
    public var apiKey: Int16
    public var apiVersion: Int16
    public var correlationId: Int32
    public var clientId: String?
    /// 1 or 2 (2 iff the (key, version) is flexible per Kafka's schemas).
    public var headerVersion: Int16
    public var taggedFields: [TaggedField]

    public init(apiKey: Int16, apiVersion: Int16, correlationId: Int32, clientId: String?,
                headerVersion: Int16? = nil, taggedFields: [TaggedField] = []) {
        self.apiKey = apiKey
        self.apiVersion = apiVersion
        self.correlationId = correlationId
        self.clientId = clientId
        self.headerVersion = headerVersion ?? KafkaAPI.requestHeaderVersion(apiKey: apiKey, apiVersion: apiVersion)
        self.taggedFields = taggedFields
    }

    public var key: ApiKey? { ApiKey(rawValue: apiKey) }
    public var isSupported: Bool { KafkaAPI.isSupported(apiKey: apiKey, apiVersion: apiVersion) }

    public func encode(to w: inout WireWriter) {
        w.writeInt16(apiKey)
        w.writeInt16(apiVersion)
        w.writeInt32(correlationId)
        w.writeNullableString(clientId)
        if headerVersion >= 2 { w.writeTaggedFields(taggedFields) }
    }
}

/// One request frame (the bytes after the 4-byte size): parsed header plus a body reader
/// positioned at the first body byte.
public struct RequestFrame: Sendable {
    public var header: RequestHeader
    public var body: WireReader

    /// Parses the header. Works for unsupported (key, version) too (so the server can answer
    /// UNSUPPORTED_VERSION with the right correlation id); the body is not touched.
    public init(_ frame: [UInt8], maxLength: Int = WireReader.defaultMaxLength) throws {
        var r = WireReader(frame, maxLength: maxLength)
        let key = try r.readInt16()
        let version = try r.readInt16()
        let corr = try r.readInt32()
        let client = try r.readNullableString()
        let hv = KafkaAPI.requestHeaderVersion(apiKey: key, apiVersion: version)
        let tags: [TaggedField]
        if hv < 2 {
            tags = []
        } else if KafkaAPI.isSupported(apiKey: key, apiVersion: version) {
            tags = try r.readTaggedFields()
        } else {
            // Unsupported pair: keep the header usable for an UNSUPPORTED_VERSION answer even if
            // the (future) header's tags are not what we expect. The body is never decoded.
            tags = (try? r.readTaggedFields()) ?? []
        }
        header = RequestHeader(apiKey: key, apiVersion: version, correlationId: corr, clientId: client,
                               headerVersion: hv, taggedFields: tags)
        body = r
    }

    /// Encodes a full request frame including the 4-byte size prefix (client side / tests).
    public static func encode(header: RequestHeader, body: [UInt8]) -> [UInt8] {
        var w = WireWriter(capacity: body.count + 32)
        w.writeInt32(0)
        header.encode(to: &w)
        w.writeRaw(body)
        w.patchInt32(at: 0, Int32(truncatingIfNeeded: w.count - 4))
        return w.bytes
    }
}

public struct ResponseHeader: Equatable, Sendable {
    public var correlationId: Int32
    /// 0 or 1.
    public var headerVersion: Int16
    public var taggedFields: [TaggedField]

    public init(correlationId: Int32, headerVersion: Int16, taggedFields: [TaggedField] = []) {
        self.correlationId = correlationId
        self.headerVersion = headerVersion
        self.taggedFields = taggedFields
    }
}

public enum ResponseFrame {
    /// size + correlation id (+ empty tags for header v1) + body.
    public static func encode(correlationId: Int32, headerVersion: Int16, body: [UInt8]) -> [UInt8] {
        var w = WireWriter(capacity: body.count + 16)
        w.writeInt32(0)
        w.writeInt32(correlationId)
        if headerVersion >= 1 { w.writeTaggedFields() }
        w.writeRaw(body)
        w.patchInt32(at: 0, Int32(truncatingIfNeeded: w.count - 4))
        return w.bytes
    }

    /// Parses a response frame (after the size prefix) given the request it answers (client side).
    public static func parseHeader(_ frame: [UInt8], apiKey: Int16, apiVersion: Int16,
                                   maxLength: Int = WireReader.defaultMaxLength) throws -> (ResponseHeader, WireReader) {
        var r = WireReader(frame, maxLength: maxLength)
        let corr = try r.readInt32()
        let hv = KafkaAPI.responseHeaderVersion(apiKey: apiKey, apiVersion: apiVersion)
        let tags = hv >= 1 ? try r.readTaggedFields() : []
        return (ResponseHeader(correlationId: corr, headerVersion: hv, taggedFields: tags), r)
    }
}

/// Splits a TCP byte stream into frames. Sizes < 0 or > `maxFrameSize` are errors after which
/// the decoder stays failed (the server should close the connection).
public struct FrameDecoder: Sendable {
    public static let defaultMaxFrameSize = 100 * 1024 * 1024

    public let maxFrameSize: Int
    private var buffer: [UInt8] = []
    private var readIndex = 0
    private var failure: WireError?
    /// Total stream bytes consumed by yielded frames (for error offsets).
    private var consumed = 0

    public init(maxFrameSize: Int = FrameDecoder.defaultMaxFrameSize) {
        self.maxFrameSize = max(0, maxFrameSize)
    }

    public var bufferedByteCount: Int { buffer.count - readIndex }

    public mutating func append<S: Sequence>(_ bytes: S) where S.Element == UInt8 {
        if readIndex > 0 && readIndex >= buffer.count / 2 {
            buffer.removeFirst(readIndex)
            readIndex = 0
        }
        buffer.append(contentsOf: bytes)
    }

    /// Next complete frame (without its size prefix), nil if more bytes are needed.
    public mutating func next() throws -> [UInt8]? {
        if let failure { throw failure }
        let available = buffer.count - readIndex
        guard available >= 4 else { return nil }
        let b0 = UInt32(buffer[readIndex]), b1 = UInt32(buffer[readIndex + 1])
        let b2 = UInt32(buffer[readIndex + 2]), b3 = UInt32(buffer[readIndex + 3])
        let size = Int(Int32(bitPattern: b0 << 24 | b1 << 16 | b2 << 8 | b3))
        if size < 0 {
            let e = WireError(.negativeLength(size), at: consumed)
            failure = e
            throw e
        }
        if size > maxFrameSize {
            let e = WireError(.lengthAboveLimit(size, limit: maxFrameSize), at: consumed)
            failure = e
            throw e
        }
        guard available - 4 >= size else { return nil }
        let start = readIndex + 4
        let frame = Array(buffer[start..<(start + size)])
        readIndex = start + size
        consumed += 4 + size
        if readIndex == buffer.count {
            buffer.removeAll(keepingCapacity: true)
            readIndex = 0
        }
        return frame
    }

    /// All complete frames currently buffered.
    public mutating func drain() throws -> [[UInt8]] {
        var out: [[UInt8]] = []
        while let f = try next() { out.append(f) }
        return out
    }
}
