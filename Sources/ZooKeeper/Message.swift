// Messages between servers: FLE notifications (FastLeaderElection.ToSend) and the quorum packets
// of ZAB (Leader.java's packet types). ZAB packets carry the id of the leader–follower
// connection they travel on, so that packets of a closed connection (an old epoch's leader, a
// follower that reconnected) are recognised and ignored, as a closed TCP socket would discard them.

/// Message types; raw values are ZooKeeper's names (Leader.java packet types, plus FLE's
/// notifications).
public enum MessageType: String, Codable, Sendable, CaseIterable {
    case notification = "NOTIFICATION"
    case followerInfo = "FOLLOWERINFO"
    case leaderInfo = "LEADERINFO"
    case ackEpoch = "ACKEPOCH"
    case diff = "DIFF"
    case trunc = "TRUNC"
    case snap = "SNAP"
    case newLeader = "NEWLEADER"
    case ack = "ACK"
    case upToDate = "UPTODATE"
    case request = "REQUEST"
    case proposal = "PROPOSAL"
    case commit = "COMMIT"
    case sync = "SYNC"
}

/// What an ACK acknowledges: ZooKeeper uses the ACK packet both for NEWLEADER and for proposals.
public enum AckKind: String, Codable, Sendable {
    case newLeader
    case proposal
}

/// How a leader brings a follower up to date (LearnerHandler.syncFollower).
public struct SyncPacket<State: ReplicatedState>: Codable, Equatable, Sendable {
    public var conn: Int
    /// `.diff`, `.trunc` or `.snap`.
    public var mode: MessageType
    /// The follower's last logged zxid the leader compared.
    public var peerLastZxid: Zxid
    /// TRUNC: truncate the log to this zxid (drop everything after it).
    public var truncZxid: Zxid?
    /// SNAP: the leader's whole state.
    public var snapshot: Snapshot<State>?
    /// Committed proposals the follower lacks (each a PROPOSAL followed by its COMMIT in
    /// ZooKeeper); the follower applies them at once.
    public var committed: [LogEntry<State.Payload>]
    /// Proposals the leader has not committed yet (Leader.startForwarding); logged, applied on COMMIT.
    public var proposals: [LogEntry<State.Payload>]
    /// The zxid the packet names: DIFF → the leader's last committed zxid, TRUNC → the truncation
    /// point, SNAP → the snapshot's zxid.
    public var zxid: Zxid
}

/// The typed content of a message.
public enum MessageBody<State: ReplicatedState>: Codable, Equatable, Sendable {
    /// FLE notification: the sender's vote, round and state.
    case notification(Vote)
    /// Follower → leader: its accepted epoch and last logged zxid (CEPOCH in the ZAB paper).
    case followerInfo(conn: Int, acceptedEpoch: Int64, lastLoggedZxid: Zxid)
    /// Leader → follower: the proposed new epoch (NEWEPOCH).
    case leaderInfo(conn: Int, newEpoch: Int64)
    /// Follower → leader: its current epoch (-1 when it had already accepted this epoch) and last
    /// logged zxid (ACK-E).
    case ackEpoch(conn: Int, currentEpoch: Int64, lastLoggedZxid: Zxid)
    /// Leader → follower: DIFF, TRUNC or SNAP with what follows it.
    case syncPacket(SyncPacket<State>)
    /// Leader → follower: the new epoch is established once a quorum acks this.
    case newLeader(conn: Int, zxid: Zxid)
    /// Follower → leader: NEWLEADER ack, or (cumulative) proposal ack.
    case ack(conn: Int, zxid: Zxid, kind: AckKind)
    /// Leader → follower: start serving (COMMIT-LD).
    case upToDate(conn: Int)
    /// Follower → leader: a client write to order (conn 0 when the leader got it itself).
    case request(conn: Int, id: RequestID, payload: State.Payload)
    /// Leader → follower: log this txn and ACK it.
    case proposal(conn: Int, entry: LogEntry<State.Payload>)
    /// Leader → follower: apply everything up to this zxid.
    case commit(conn: Int, zxid: Zxid)
    /// Client `sync`: follower → leader, and back once everything proposed before is committed.
    case sync(conn: Int, id: RequestID)
}

/// One message on the simulated network.
public struct Message<State: ReplicatedState>: Codable, Equatable, Sendable {
    public var id: Int
    public var from: Int
    public var to: Int
    public var sentMs: Int64
    public var deliverMs: Int64
    public var type: MessageType
    public var body: MessageBody<State>

    /// The connection a ZAB packet travels on (nil for notifications).
    var conn: Int? {
        switch body {
        case .notification: return nil
        case let .followerInfo(conn, _, _), let .leaderInfo(conn, _), let .ackEpoch(conn, _, _),
             let .newLeader(conn, _), let .ack(conn, _, _), let .upToDate(conn), let .request(conn, _, _),
             let .proposal(conn, _), let .commit(conn, _), let .sync(conn, _):
            return conn
        case let .syncPacket(packet): return packet.conn
        }
    }

    /// A payload-free record of this message (what the history keeps).
    public var digest: MessageDigest {
        var d = MessageDigest(id: id, from: from, to: to, sentMs: sentMs, deliverMs: deliverMs, type: type)
        switch body {
        case let .notification(vote): d.vote = vote
        case let .followerInfo(_, epoch, zxid):
            d.epoch = epoch
            d.zxid = zxid
        case let .leaderInfo(_, epoch): d.epoch = epoch
        case let .ackEpoch(_, epoch, zxid):
            d.epoch = epoch
            d.zxid = zxid
        case let .syncPacket(p):
            d.zxid = p.zxid
            d.committedCount = p.committed.count
            d.proposalCount = p.proposals.count
        case let .newLeader(_, zxid): d.zxid = zxid
        case let .ack(_, zxid, kind):
            d.zxid = zxid
            d.ackKind = kind
        case .upToDate: break
        case let .request(_, id, _): d.request = id
        case let .proposal(_, entry): d.zxid = entry.zxid
        case let .commit(_, zxid): d.zxid = zxid
        case let .sync(_, id): d.request = id
        }
        return d
    }

    /// One line, e.g. `NOTIFICATION s1→s3 (LOOKING, leader 3, zxid 0x0, round 0x1, peerEpoch 0x0)`
    /// or `PROPOSAL s3→s1 zxid 0x100000002`.
    public var summary: String { digest.summary }
}

/// The header and small fields of a message, without payloads or snapshots.
public struct MessageDigest: Codable, Equatable, Sendable {
    public var id: Int
    public var from: Int
    public var to: Int
    public var sentMs: Int64
    public var deliverMs: Int64
    public var type: MessageType
    public var vote: Vote?
    public var zxid: Zxid?
    public var epoch: Int64?
    public var request: RequestID?
    public var ackKind: AckKind?
    public var committedCount: Int?
    public var proposalCount: Int?

    init(id: Int, from: Int, to: Int, sentMs: Int64, deliverMs: Int64, type: MessageType) {
        self.id = id
        self.from = from
        self.to = to
        self.sentMs = sentMs
        self.deliverMs = deliverMs
        self.type = type
    }

    private static func hex(_ value: Int64) -> String { "0x" + String(UInt64(bitPattern: value), radix: 16) }

    /// One line as described on `Message.summary`.
    public var summary: String {
        let head = "\(type.rawValue) s\(from)→s\(to)"
        switch type {
        case .notification:
            guard let v = vote else { return head }
            return "\(head) (\(v.state.rawValue), leader \(v.leader), zxid \(v.zxid), round \(Self.hex(v.round)), peerEpoch \(Self.hex(v.peerEpoch)))"
        case .followerInfo:
            return "\(head) (acceptedEpoch \(epoch ?? 0), lastLoggedZxid \(zxid ?? .zero))"
        case .leaderInfo:
            let e = epoch ?? 0
            return "\(head) (newEpoch \(e), zxid \(Zxid(epoch: e, counter: 0)))"
        case .ackEpoch:
            return "\(head) (currentEpoch \(epoch ?? 0), lastLoggedZxid \(zxid ?? .zero))"
        case .diff, .trunc, .snap:
            return "\(head) zxid \(zxid ?? .zero) (\(committedCount ?? 0) committed, \(proposalCount ?? 0) proposed)"
        case .newLeader, .proposal, .commit:
            return "\(head) zxid \(zxid ?? .zero)"
        case .ack:
            return ackKind == .newLeader ? "\(head) NEWLEADER zxid \(zxid ?? .zero)" : "\(head) zxid \(zxid ?? .zero)"
        case .upToDate:
            return head
        case .request, .sync:
            return "\(head) \(request.map { $0.description } ?? "")"
        }
    }
}
