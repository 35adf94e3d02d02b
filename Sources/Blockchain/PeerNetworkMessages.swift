// The part-7 wire messages (Jeiwan `server.go`), as plain values. The tutorial frames each one as a
// 12-byte command name followed by gob(payload) on a fresh TCP connection; the simulation keeps the
// payload structs and the command names and delivers them as events (no bytes, no sockets).

/// What an `inv` or `getdata` is about: Jeiwan's `Type` field, "block" or "tx".
public enum InvKind: String, Codable, Equatable, Sendable {
    case block
    case tx
}

/// Jeiwan `version{Version, BestHeight, AddrFrom}`: sent on (re)connection.
public struct VersionMessage: Codable, Equatable, Sendable {
    /// Jeiwan `nodeVersion = 1`.
    public var version: Int
    public var bestHeight: Int
    public var addrFrom: String
    public init(version: Int = PeerNetwork.nodeVersion, bestHeight: Int, addrFrom: String) {
        self.version = version
        self.bestHeight = bestHeight
        self.addrFrom = addrFrom
    }
}

/// Jeiwan `getblocks{AddrFrom}`: "tell me every block hash you have".
public struct GetBlocksMessage: Codable, Equatable, Sendable {
    public var addrFrom: String
    public init(addrFrom: String) { self.addrFrom = addrFrom }
}

/// Jeiwan `inv{AddrFrom, Type, Items}`: hashes of blocks or ids of transactions the sender has.
public struct InvMessage: Codable, Equatable, Sendable {
    public var addrFrom: String
    public var type: InvKind
    public var items: [[UInt8]]
    public init(addrFrom: String, type: InvKind, items: [[UInt8]]) {
        self.addrFrom = addrFrom
        self.type = type
        self.items = items
    }
}

/// Jeiwan `getdata{AddrFrom, Type, ID}`: asks for one block or one transaction.
public struct GetDataMessage: Codable, Equatable, Sendable {
    public var addrFrom: String
    public var type: InvKind
    public var id: [UInt8]
    public init(addrFrom: String, type: InvKind, id: [UInt8]) {
        self.addrFrom = addrFrom
        self.type = type
        self.id = id
    }
}

/// Jeiwan `block{AddrFrom, Block}`.
public struct BlockMessage: Codable, Equatable, Sendable {
    public var addrFrom: String
    public var block: LedgerBlock
    public init(addrFrom: String, block: LedgerBlock) {
        self.addrFrom = addrFrom
        self.block = block
    }
}

/// Jeiwan `tx{AddFrom, Transaction}` (the tutorial's field really is spelled `AddFrom`).
public struct TxMessage: Codable, Equatable, Sendable {
    public var addrFrom: String
    public var transaction: Transaction
    public init(addrFrom: String, transaction: Transaction) {
        self.addrFrom = addrFrom
        self.transaction = transaction
    }
}

/// One part-7 message. Jeiwan's unfinished `addr` is not modelled (the mesh is configured instead).
public enum NetMessage: Codable, Equatable, Sendable {
    case version(VersionMessage)
    case getblocks(GetBlocksMessage)
    case inv(InvMessage)
    case getdata(GetDataMessage)
    case block(BlockMessage)
    case tx(TxMessage)

    /// The command name as part 7 writes it into the 12-byte header.
    public var command: String {
        switch self {
        case .version: "version"
        case .getblocks: "getblocks"
        case .inv: "inv"
        case .getdata: "getdata"
        case .block: "block"
        case .tx: "tx"
        }
    }

    /// One line describing the message itself (without what the receiver did with it).
    public var summary: String {
        switch self {
        case let .version(m): "version height \(m.bestHeight)"
        case .getblocks: "getblocks"
        case let .inv(m): "inv \(m.type.rawValue) ×\(m.items.count)"
        case let .getdata(m): "getdata \(m.type.rawValue) \(PeerNetwork.short(m.id))"
        case let .block(m): "block #\(m.block.height) \(PeerNetwork.short(m.block.hash))"
        case let .tx(m): "tx \(PeerNetwork.short(m.transaction.id))"
        }
    }
}

/// One scheduled thing: a message delivery, or a miner node's mining timer.
public enum NetAction: Codable, Equatable, Sendable {
    /// `from` is nil for a message from outside the network (a block injected by `submitBlock`).
    case deliver(from: Int?, to: Int, message: NetMessage)
    /// The automatic miner of node `node` wakes up (see `PeerNetworkConfig.minerDelayMs`).
    case mine(node: Int)
}

/// A pending event, run in (time, sequence) order.
public struct NetEvent: Codable, Equatable, Sendable {
    public var timeMs: Int64
    public var sequence: UInt64
    /// When it was scheduled (a message's send time).
    public var sentMs: Int64
    public var action: NetAction

    func precedes(_ other: NetEvent) -> Bool { (timeMs, sequence) < (other.timeMs, other.sequence) }
}

/// One line of the network's log: a delivered (or dropped) message with what the receiver did, or a
/// local action (mining, a wallet's send, a partition, a heal, a reorganization).
public struct NetLogEntry: Codable, Equatable, Sendable {
    public enum Kind: String, Codable, Equatable, Sendable {
        /// A message arrived and was handled (`type` is its command).
        case delivered
        /// A message was lost to a partition or a disconnected node (`type` is its command).
        case dropped
        /// Something a node did by itself or a caller did (`type`: mine, send, submit, announce,
        /// reorg, partition, heal, connect, disconnect, join).
        case local
    }

    public var timeMs: Int64
    /// When a message was sent (equal to `timeMs` for local entries).
    public var sentMs: Int64
    /// Sender node id; nil for a message from outside the network or a network-wide action.
    public var from: Int?
    /// Receiver node id (the acting node for local entries); nil for network-wide actions.
    public var to: Int?
    /// The message command ("version", "getblocks", "inv", "getdata", "block", "tx") or the action.
    public var type: String
    public var kind: Kind
    /// One line: the message and what happened, e.g. `block #4 00ab12… accepted (extended)`.
    public var summary: String
    /// `BlockFault.kind` of a rejected block or transaction ("double-spend", "pow", …), else nil.
    public var faultKind: String?

    public init(timeMs: Int64, sentMs: Int64, from: Int?, to: Int?, type: String, kind: Kind,
                summary: String, faultKind: String? = nil) {
        self.timeMs = timeMs
        self.sentMs = sentMs
        self.from = from
        self.to = to
        self.type = type
        self.kind = kind
        self.summary = summary
        self.faultKind = faultKind
    }
}
