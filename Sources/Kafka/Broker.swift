// A broker of the simulated cluster.

public struct Broker: Codable, Equatable, Sendable {
    /// Broker ids run 1...n, like the docker-compose examples learners copy (KAFKA_BROKER_ID=1...).
    public var id: Int
    public var alive: Bool

    public init(id: Int, alive: Bool) {
        self.id = id
        self.alive = alive
    }
}
