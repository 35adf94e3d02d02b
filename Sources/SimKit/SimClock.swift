/// Simulated time in milliseconds since the Unix epoch. Nothing in a simulation reads the wall
/// clock: time moves only when a command or an event moves it.
public struct SimClock: Codable, Equatable, Sendable {
    /// The documented start of every session: 2009-01-03 18:15:05 UTC, the timestamp of
    /// Bitcoin's genesis block (1231006505 s), so block timestamps look familiar and are stable.
    public static let defaultStartMs: Int64 = 1_231_006_505_000

    public private(set) var nowMs: Int64

    public init(startMs: Int64 = SimClock.defaultStartMs) { nowMs = startMs }

    /// Whole seconds, as Unix timestamps are usually kept.
    public var nowSeconds: Int64 { nowMs / 1000 }

    /// Moves time forward; time never goes backwards.
    public mutating func advance(byMs delta: Int64) {
        precondition(delta >= 0, "time never goes backwards")
        nowMs += delta
    }

    public mutating func advance(toMs time: Int64) {
        if time > nowMs { nowMs = time }
    }
}
