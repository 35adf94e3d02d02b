/// A ZooKeeper client (one zkCli, or one Kafka broker's ZooKeeper client): the server it is
/// connected to, its session, and the watch events it has received.
public struct Client: Codable, Equatable, Sendable {
    public enum Phase: String, Codable, Sendable {
        /// createSession is on its way through the ensemble.
        case connecting = "CONNECTING"
        case connected = "CONNECTED"
        /// Its server stopped serving; it will reconnect to another with the same session.
        case disconnected = "DISCONNECTED"
        /// The ensemble expired its session; ephemerals are gone and the client must start anew.
        case expired = "EXPIRED"
        case closed = "CLOSED"
    }

    public var name: String
    public var phase: Phase
    /// The server it talks to (nil while it has none).
    public var server: Int?
    /// The session id, known once createSession has been applied on its server.
    public var session: Int64?
    /// The negotiated session timeout (clamped to [2, 20] × tickTime).
    public var timeoutMs: Int64
    /// A long GC pause: the client sends nothing (no heartbeats) and handles nothing.
    public var frozen: Bool
    /// The highest zxid this client has seen (a server further behind refuses its reconnect).
    public var lastZxidSeen: Zxid
    /// Requests in flight through the ensemble, oldest first.
    public var pending: [PendingRequest]
    /// Watch events received, oldest first (the last `eventLimit`).
    public var events: [ReceivedEvent]

    static let eventLimit = 500

    public var isUsable: Bool { phase == .connected && !frozen }
}

/// What a client asked for and is waiting on.
public struct PendingRequest: Codable, Equatable, Sendable {
    public var id: RequestID
    public var kind: Kind
    public enum Kind: Codable, Equatable, Sendable {
        case txn(ZKTxn)
        case sync(path: String)
    }
}

/// One watch notification as a client received it.
public struct ReceivedEvent: Codable, Equatable, Sendable {
    public var event: WatchEvent
    /// Server that delivered it and when.
    public var server: Int
    public var timeMs: Int64
}

/// The answer to a client request, kept until the caller collects it.
public struct Reply: Codable, Equatable, Sendable {
    public var client: String
    public var request: RequestID
    public var outcome: Outcome

    public init(client: String, request: RequestID, outcome: Outcome) {
        self.client = client
        self.request = request
        self.outcome = outcome
    }

    public enum Outcome: Codable, Equatable, Sendable {
        case txn(ZKTxnResult, zxid: Zxid)
        case synced
        /// The connection went away before an answer came (ZooKeeper's ConnectionLoss, -4).
        case connectionLoss
        /// The session expired before an answer came.
        case sessionExpired
    }
}
