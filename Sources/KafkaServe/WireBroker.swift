import Kafka
import KafkaWire

/// A request's place in its connection's queue (the transport writes responses in this order).
public struct WireTicket: Hashable, Comparable, Sendable {
    public var connection: Int
    public var sequence: UInt64
    public init(connection: Int, sequence: UInt64) {
        self.connection = connection
        self.sequence = sequence
    }
    public static func < (a: WireTicket, b: WireTicket) -> Bool {
        (a.connection, a.sequence) < (b.connection, b.sequence)
    }
}

/// What to do with one request frame.
public enum WireOutcome: Equatable, Sendable {
    /// The response frame (size prefix not included).
    case respond([UInt8])
    /// No response is due (Produce with acks=0); the slot is released.
    case noResponse
    /// Answered later by `tick` (a Fetch waiting for data up to max_wait_ms, a group request).
    case later
    /// Close the connection (a frame that cannot be decoded: Kafka closes it too).
    case close
}

/// One line of the protocol trace the REPL shows: who asked what, and what the broker answered.
public struct WireTraceEntry: Equatable, Sendable {
    public var timeMs: Int64
    public var connection: Int
    public var broker: Int
    public var clientID: String
    public var api: String
    public var version: Int16
    public var summary: String
}

/// Settings of the served cluster (a default broker's, unless asked otherwise).
public struct WireBrokerConfig: Equatable, Sendable {
    /// The host clients are told to connect to, and each broker's port (broker id → port).
    public var advertisedHost: String
    public var ports: [Int: Int]
    /// `auto.create.topics.enable` (default true) with `num.partitions` (default 1).
    public var autoCreateTopics: Bool
    public var defaultPartitions: Int
    /// `default.replication.factor`, capped at the broker count.
    public var defaultReplicationFactor: Int
    public var clusterID: String
    /// Entries the trace keeps.
    public var traceCapacity: Int

    public init(advertisedHost: String = "127.0.0.1", ports: [Int: Int], autoCreateTopics: Bool = true,
                defaultPartitions: Int = 1, defaultReplicationFactor: Int = 1, clusterID: String = "workbench-cluster",
                traceCapacity: Int = 1_000) {
        self.advertisedHost = advertisedHost
        self.ports = ports
        self.autoCreateTopics = autoCreateTopics
        self.defaultPartitions = defaultPartitions
        self.defaultReplicationFactor = defaultReplicationFactor
        self.clusterID = clusterID
        self.traceCapacity = traceCapacity
    }
}

/// The Kafka broker side of the wire protocol over the simulator's own `Cluster`: the topics,
/// partitions and logs that real clients use are the ones the REPL shows.
///
/// Pure: time comes in as `nowMs`; the transport calls `handle` for each frame and `tick` to finish
/// requests that wait (a Fetch is held up to its max_wait_ms while no data is there, as brokers do,
/// or librdkafka spins).
public struct WireBroker: Sendable {
    public var config: WireBrokerConfig
    public private(set) var trace: [WireTraceEntry] = []
    /// Entries ever written to the trace (the trace itself keeps the last `traceCapacity`).
    public private(set) var traceTotal = 0
    var parkedFetches: [ParkedFetch] = []
    var pendingGroup: [PendingGroupRequest] = []
    var nextProducerID: Int64 = 1000

    struct ParkedFetch: Sendable {
        var ticket: WireTicket
        var header: RequestHeader
        var request: FetchRequest
        var broker: Int
        var deadlineMs: Int64
    }

    public init(config: WireBrokerConfig) {
        self.config = config
    }

    /// Handles one request frame received by broker `broker`.
    public mutating func handle(frame: [UInt8], ticket: WireTicket, broker: Int, nowMs: Int64,
                                cluster: inout Cluster, groups: inout GroupWorld) -> WireOutcome {
        let decoded: KafkaRequest.Decoded
        do { decoded = try KafkaRequest.decode(frame: frame) } catch {
            note(nowMs, ticket, broker, "?", "?", -1, "undecodable frame: \(error); connection closed")
            return .close
        }
        let header = decoded.header
        let client = header.clientId ?? ""
        guard case let .request(_, request) = decoded else {
            // KIP-511: an ApiVersions version we do not know is answered in the v0 layout with
            // UNSUPPORTED_VERSION and our ranges; any other unsupported (key, version) closes the
            // connection, as a Kafka broker does.
            if header.apiKey == ApiKey.apiVersions.rawValue {
                note(nowMs, ticket, broker, client, "ApiVersions", header.apiVersion, "unsupported version: UNSUPPORTED_VERSION with our ranges (KIP-511)")
                return .respond(Self.unsized(ApiVersionsResponse.unsupportedVersionFrame(correlationId: header.correlationId)))
            }
            note(nowMs, ticket, broker, client, "api \(header.apiKey)", header.apiVersion, "unsupported (key, version): connection closed")
            return .close
        }
        switch request {
        case let .apiVersions(r):
            note(nowMs, ticket, broker, client, "ApiVersions", header.apiVersion,
                 "client " + [r.clientSoftwareName ?? "?", r.clientSoftwareVersion].compactMap { $0 }.joined(separator: " "))
            return respond(.apiVersions(ApiVersionsResponse(apiKeys: Self.advertised)), header)
        case let .metadata(r):
            let response = metadata(r, cluster: &cluster)
            note(nowMs, ticket, broker, client, "Metadata", header.apiVersion,
                 (r.topics.map { "topics \($0.joined(separator: ","))" } ?? "all topics") + " → \(response.topics.count) topic(s)")
            return respond(.metadata(response), header)
        case let .produce(r):
            let (response, summary) = produce(r, broker: broker, nowMs: nowMs, cluster: &cluster)
            note(nowMs, ticket, broker, client, "Produce", header.apiVersion, summary)
            return r.expectsResponse ? respond(.produce(response), header) : .noResponse
        case let .fetch(r):
            let (response, bytes) = fetch(r, broker: broker, cluster: cluster)
            if bytes == 0, r.maxWaitMs > 0, response.errorCode == 0, !hasPartitionErrors(response) {
                parkedFetches.append(ParkedFetch(ticket: ticket, header: header, request: r, broker: broker,
                                                 deadlineMs: nowMs + Int64(r.maxWaitMs)))
                return .later
            }
            note(nowMs, ticket, broker, client, "Fetch", header.apiVersion, fetchSummary(response, bytes: bytes))
            return respond(.fetch(response), header)
        case let .listOffsets(r):
            let response = listOffsets(r, broker: broker, cluster: cluster)
            note(nowMs, ticket, broker, client, "ListOffsets", header.apiVersion,
                 response.topics.flatMap { t in t.partitions.map { "\(t.name)-\($0.partitionIndex) → \($0.offset)" } }.joined(separator: ", "))
            return respond(.listOffsets(response), header)
        case .initProducerId:
            let id = nextProducerID
            nextProducerID += 1
            note(nowMs, ticket, broker, client, "InitProducerId", header.apiVersion, "producer id \(id), epoch 0 (idempotent producer)")
            return respond(.initProducerId(InitProducerIdResponse(errorCode: 0, producerId: id, producerEpoch: 0)), header)
        case let .findCoordinator(r):
            let response = findCoordinator(r, cluster: cluster)
            note(nowMs, ticket, broker, client, "FindCoordinator", header.apiVersion,
                 "group \(r.key) → " + (response.errorCode == 0 ? "broker \(response.nodeId)" : Self.codeName(response.errorCode)))
            return respond(.findCoordinator(response), header)
        case .joinGroup, .syncGroup, .heartbeat, .leaveGroup, .offsetCommit, .offsetFetch:
            return groupRequest(request, header: header, ticket: ticket, broker: broker, nowMs: nowMs, cluster: cluster, groups: &groups)
        }
    }

    /// Runs the group world up to `nowMs` and answers what can be answered: group replies it
    /// delivered, and parked Fetch requests whose data arrived or whose wait is over.
    public mutating func tick(nowMs: Int64, cluster: Cluster, groups: inout GroupWorld) -> [(WireTicket, [UInt8])] {
        groups.run(cluster: cluster, untilMs: nowMs)
        var done = deliverGroupReplies(nowMs: nowMs, groups: &groups)
        var waiting: [ParkedFetch] = []
        for parked in parkedFetches {
            let (response, bytes) = fetch(parked.request, broker: parked.broker, cluster: cluster)
            if bytes > 0 || nowMs >= parked.deadlineMs || hasPartitionErrors(response) {
                note(nowMs, parked.ticket, parked.broker, parked.header.clientId ?? "", "Fetch", parked.header.apiVersion,
                     fetchSummary(response, bytes: bytes) + (bytes == 0 ? " after waiting \(parked.request.maxWaitMs) ms" : ""))
                done.append((parked.ticket, Self.unsized(KafkaResponse.fetch(response).encodeFrame(correlationId: parked.header.correlationId,
                                                                                                   apiVersion: parked.header.apiVersion))))
            } else {
                waiting.append(parked)
            }
        }
        parkedFetches = waiting
        return done
    }

    /// The earliest time something waiting must be looked at again: a parked Fetch's deadline, or
    /// the group world's next message or timer while group requests wait.
    public func nextDeadlineMs(groups: GroupWorld) -> Int64? {
        let fetch = parkedFetches.map(\.deadlineMs).min()
        let group = groups.nextEventTimeMs()
        return [fetch, group].compactMap { $0 }.min()
    }

    /// Forgets everything a closed connection was waiting for; its group member stays until its
    /// session times out, as on a real broker.
    public mutating func connectionClosed(_ connection: Int, nowMs: Int64, groups: inout GroupWorld) {
        parkedFetches.removeAll { $0.ticket.connection == connection }
        pendingGroup.removeAll { $0.ticket.connection == connection }
        groups.dropExternalClient(Self.client(WireTicket(connection: connection, sequence: 0)), nowMs: nowMs)
    }

    /// The APIs this broker answers, one version each (clients pick min(their max, ours)).
    public static let advertised: [ApiVersionRange] = ApiVersionsResponse.advertised

    // MARK: - Helpers

    func respond(_ response: KafkaResponse, _ header: RequestHeader) -> WireOutcome {
        .respond(Self.unsized(response.encodeFrame(correlationId: header.correlationId, apiVersion: header.apiVersion)))
    }

    /// A frame without its 4-byte size: the transport writes the size (frames in and out are unsized).
    static func unsized(_ frame: [UInt8]) -> [UInt8] { Array(frame.dropFirst(4)) }

    mutating func note(_ nowMs: Int64, _ ticket: WireTicket, _ broker: Int, _ client: String, _ api: String, _ version: Int16, _ summary: String) {
        trace.append(WireTraceEntry(timeMs: nowMs, connection: ticket.connection, broker: broker, clientID: client,
                                    api: api, version: version, summary: summary))
        traceTotal += 1
        if trace.count > config.traceCapacity { trace.removeFirst(trace.count - config.traceCapacity) }
    }

    func hasPartitionErrors(_ r: FetchResponse) -> Bool {
        r.responses.contains { $0.partitions.contains { $0.errorCode != 0 } }
    }
}
