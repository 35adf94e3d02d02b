/// A decoded request body of one of the implemented (key, version) pairs.
public enum KafkaRequest: Equatable, Sendable {
    case apiVersions(ApiVersionsRequest)
    case metadata(MetadataRequest)
    case produce(ProduceRequest)
    case fetch(FetchRequest)
    case listOffsets(ListOffsetsRequest)
    case findCoordinator(FindCoordinatorRequest)
    case joinGroup(JoinGroupRequest)
    case syncGroup(SyncGroupRequest)
    case heartbeat(HeartbeatRequest)
    case leaveGroup(LeaveGroupRequest)
    case offsetCommit(OffsetCommitRequest)
    case offsetFetch(OffsetFetchRequest)
    case initProducerId(InitProducerIdRequest)

    public var apiKey: ApiKey {
        switch self {
        case .apiVersions: return .apiVersions
        case .metadata: return .metadata
        case .produce: return .produce
        case .fetch: return .fetch
        case .listOffsets: return .listOffsets
        case .findCoordinator: return .findCoordinator
        case .joinGroup: return .joinGroup
        case .syncGroup: return .syncGroup
        case .heartbeat: return .heartbeat
        case .leaveGroup: return .leaveGroup
        case .offsetCommit: return .offsetCommit
        case .offsetFetch: return .offsetFetch
        case .initProducerId: return .initProducerId
        }
    }

    var message: any KafkaMessage {
        switch self {
        case let .apiVersions(m): return m
        case let .metadata(m): return m
        case let .produce(m): return m
        case let .fetch(m): return m
        case let .listOffsets(m): return m
        case let .findCoordinator(m): return m
        case let .joinGroup(m): return m
        case let .syncGroup(m): return m
        case let .heartbeat(m): return m
        case let .leaveGroup(m): return m
        case let .offsetCommit(m): return m
        case let .offsetFetch(m): return m
        case let .initProducerId(m): return m
        }
    }

    /// Outcome of decoding one request frame.
    public enum Decoded: Equatable, Sendable {
        case request(RequestHeader, KafkaRequest)
        /// (key, version) not implemented: answer UNSUPPORTED_VERSION (for ApiVersions use
        /// `ApiVersionsResponse.unsupportedVersionFrame`) or close the connection. Body untouched.
        case unsupported(RequestHeader)

        public var header: RequestHeader {
            switch self {
            case let .request(h, _): return h
            case let .unsupported(h): return h
            }
        }
    }

    /// Decodes one frame (bytes after the 4-byte size). Throws `WireError` on malformed input,
    /// including trailing bytes after the body.
    public static func decode(frame: [UInt8], maxLength: Int = WireReader.defaultMaxLength) throws -> Decoded {
        var f = try RequestFrame(frame, maxLength: maxLength)
        let h = f.header
        guard h.isSupported, let key = h.key else { return .unsupported(h) }
        let v = h.apiVersion
        let req: KafkaRequest
        switch key {
        case .apiVersions: req = .apiVersions(try ApiVersionsRequest(from: &f.body, version: v))
        case .metadata: req = .metadata(try MetadataRequest(from: &f.body, version: v))
        case .produce: req = .produce(try ProduceRequest(from: &f.body, version: v))
        case .fetch: req = .fetch(try FetchRequest(from: &f.body, version: v))
        case .listOffsets: req = .listOffsets(try ListOffsetsRequest(from: &f.body, version: v))
        case .findCoordinator: req = .findCoordinator(try FindCoordinatorRequest(from: &f.body, version: v))
        case .joinGroup: req = .joinGroup(try JoinGroupRequest(from: &f.body, version: v))
        case .syncGroup: req = .syncGroup(try SyncGroupRequest(from: &f.body, version: v))
        case .heartbeat: req = .heartbeat(try HeartbeatRequest(from: &f.body, version: v))
        case .leaveGroup: req = .leaveGroup(try LeaveGroupRequest(from: &f.body, version: v))
        case .offsetCommit: req = .offsetCommit(try OffsetCommitRequest(from: &f.body, version: v))
        case .offsetFetch: req = .offsetFetch(try OffsetFetchRequest(from: &f.body, version: v))
        case .initProducerId: req = .initProducerId(try InitProducerIdRequest(from: &f.body, version: v))
        }
        try f.body.expectEnd()
        return .request(h, req)
    }

    /// Client side / tests: a full frame (size prefix included) for this request.
    public func encodeFrame(apiVersion: Int16, correlationId: Int32, clientId: String?) -> [UInt8] {
        let header = RequestHeader(apiKey: apiKey.rawValue, apiVersion: apiVersion, correlationId: correlationId, clientId: clientId)
        return RequestFrame.encode(header: header, body: message.encoded(version: apiVersion))
    }
}

/// A response body of one of the implemented APIs.
public enum KafkaResponse: Equatable, Sendable {
    case apiVersions(ApiVersionsResponse)
    case metadata(MetadataResponse)
    case produce(ProduceResponse)
    case fetch(FetchResponse)
    case listOffsets(ListOffsetsResponse)
    case findCoordinator(FindCoordinatorResponse)
    case joinGroup(JoinGroupResponse)
    case syncGroup(SyncGroupResponse)
    case heartbeat(HeartbeatResponse)
    case leaveGroup(LeaveGroupResponse)
    case offsetCommit(OffsetCommitResponse)
    case offsetFetch(OffsetFetchResponse)
    case initProducerId(InitProducerIdResponse)

    public var apiKey: ApiKey {
        switch self {
        case .apiVersions: return .apiVersions
        case .metadata: return .metadata
        case .produce: return .produce
        case .fetch: return .fetch
        case .listOffsets: return .listOffsets
        case .findCoordinator: return .findCoordinator
        case .joinGroup: return .joinGroup
        case .syncGroup: return .syncGroup
        case .heartbeat: return .heartbeat
        case .leaveGroup: return .leaveGroup
        case .offsetCommit: return .offsetCommit
        case .offsetFetch: return .offsetFetch
        case .initProducerId: return .initProducerId
        }
    }

    var message: any KafkaMessage {
        switch self {
        case let .apiVersions(m): return m
        case let .metadata(m): return m
        case let .produce(m): return m
        case let .fetch(m): return m
        case let .listOffsets(m): return m
        case let .findCoordinator(m): return m
        case let .joinGroup(m): return m
        case let .syncGroup(m): return m
        case let .heartbeat(m): return m
        case let .leaveGroup(m): return m
        case let .offsetCommit(m): return m
        case let .offsetFetch(m): return m
        case let .initProducerId(m): return m
        }
    }

    /// Body bytes at `apiVersion`.
    public func encodeBody(apiVersion: Int16) -> [UInt8] { message.encoded(version: apiVersion) }

    /// Full response frame: size + header (v0, or v1 for flexible versions; ApiVersions always v0) + body.
    public func encodeFrame(correlationId: Int32, apiVersion: Int16) -> [UInt8] {
        let hv = KafkaAPI.responseHeaderVersion(apiKey: apiKey.rawValue, apiVersion: apiVersion)
        return ResponseFrame.encode(correlationId: correlationId, headerVersion: hv, body: encodeBody(apiVersion: apiVersion))
    }

    /// Client side / tests: decodes a response frame (after the size) to the request (key, version).
    public static func decode(frame: [UInt8], apiKey: Int16, apiVersion: Int16,
                              maxLength: Int = WireReader.defaultMaxLength) throws -> (ResponseHeader, KafkaResponse) {
        guard KafkaAPI.isSupported(apiKey: apiKey, apiVersion: apiVersion), let key = ApiKey(rawValue: apiKey) else {
            throw WireError(.unsupportedVersion(apiKey: apiKey, apiVersion: apiVersion), at: 0)
        }
        var (h, r) = try ResponseFrame.parseHeader(frame, apiKey: apiKey, apiVersion: apiVersion, maxLength: maxLength)
        let v = apiVersion
        let resp: KafkaResponse
        switch key {
        case .apiVersions: resp = .apiVersions(try ApiVersionsResponse(from: &r, version: v))
        case .metadata: resp = .metadata(try MetadataResponse(from: &r, version: v))
        case .produce: resp = .produce(try ProduceResponse(from: &r, version: v))
        case .fetch: resp = .fetch(try FetchResponse(from: &r, version: v))
        case .listOffsets: resp = .listOffsets(try ListOffsetsResponse(from: &r, version: v))
        case .findCoordinator: resp = .findCoordinator(try FindCoordinatorResponse(from: &r, version: v))
        case .joinGroup: resp = .joinGroup(try JoinGroupResponse(from: &r, version: v))
        case .syncGroup: resp = .syncGroup(try SyncGroupResponse(from: &r, version: v))
        case .heartbeat: resp = .heartbeat(try HeartbeatResponse(from: &r, version: v))
        case .leaveGroup: resp = .leaveGroup(try LeaveGroupResponse(from: &r, version: v))
        case .offsetCommit: resp = .offsetCommit(try OffsetCommitResponse(from: &r, version: v))
        case .offsetFetch: resp = .offsetFetch(try OffsetFetchResponse(from: &r, version: v))
        case .initProducerId: resp = .initProducerId(try InitProducerIdResponse(from: &r, version: v))
        }
        try r.expectEnd()
        h.headerVersion = KafkaAPI.responseHeaderVersion(apiKey: apiKey, apiVersion: apiVersion)
        return (h, resp)
    }
}
