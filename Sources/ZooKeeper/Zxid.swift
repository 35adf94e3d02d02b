/// A ZooKeeper transaction id: the ZAB epoch in the high 32 bits, a counter in the low 32
/// (ZooKeeper's ZxidUtils.makeZxid; zookeeper.md §2). A new leader of epoch e starts at (e, 0)
/// and its first proposal is (e, 1).
public struct Zxid: Codable, Hashable, Comparable, Sendable, CustomStringConvertible {
    public var raw: Int64

    public init(_ raw: Int64) { self.raw = raw }
    public init(epoch: Int64, counter: Int64) { raw = (epoch << 32) | (counter & 0xFFFF_FFFF) }

    public static let zero = Zxid(0)

    public var epoch: Int64 { raw >> 32 }
    public var counter: Int64 { raw & 0xFFFF_FFFF }
    /// The next zxid of the same epoch.
    public var next: Zxid { Zxid(epoch: epoch, counter: counter + 1) }

    /// As zkCli and the server logs print it: `0x` and lowercase hex without padding (`0x100000003`).
    public var description: String { "0x" + String(UInt64(bitPattern: raw), radix: 16) }

    public static func < (a: Zxid, b: Zxid) -> Bool { a.raw < b.raw }
}
