/// The state machine every server of an ensemble keeps a copy of. The ensemble orders payloads
/// (ZAB broadcast) and applies each committed payload on every server in zxid order; applying is
/// deterministic, so servers that applied the same prefix hold equal states.
public protocol ReplicatedState: Codable, Equatable, Sendable {
    associatedtype Payload: Codable, Equatable, Sendable
    /// What applying one payload produced (a result to hand back to the client that asked).
    associatedtype Output: Equatable, Sendable

    /// The state of a server that has applied nothing (a fresh data directory).
    init()

    /// Applies one committed transaction. `zxid` is its transaction id and `timeMs` the leader's
    /// simulated time when it was proposed (ZooKeeper stamps ctime/mtime at the leader).
    mutating func apply(_ payload: Payload, zxid: Zxid, timeMs: Int64) -> Output
}
