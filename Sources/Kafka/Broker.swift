// A broker of the simulated cluster.

public struct Broker: Codable, Equatable, Sendable {
    /// Broker ids run 1...n, like the docker-compose examples learners copy (KAFKA_BROKER_ID=1...).
    public var id: Int
    public var alive: Bool
    /// When the broker's replica fetcher threads were paused (`Cluster.pauseFetching`), or nil while
    /// they run. A paused broker is up — it still leads what it leads — but its follower replicas copy
    /// nothing (kafka.md §5.4). Optional, so the synthesized decoder reads older saved states
    /// (without the key) as "fetching".
    public var fetchPausedAtMs: Int64?

    public init(id: Int, alive: Bool, fetchPausedAtMs: Int64? = nil) {
        self.id = id
        self.alive = alive
        self.fetchPausedAtMs = fetchPausedAtMs
    }

    /// Whether the broker's replica fetchers are paused.
    public var isFetchingPaused: Bool { fetchPausedAtMs != nil }
}
