import Kafka
import SimKit

/// A scripted real client (what librdkafka / kafka-python do in the classic protocol, kafka.md
/// §3.2): JoinGroup with "" → MEMBER_ID_REQUIRED → rejoin with the id; the leader decodes the
/// members' Subscription bytes and runs the assignor itself, then SyncGroup; heartbeats every
/// `heartbeatIntervalMs` while in a generation; rejoins on REBALANCE_IN_PROGRESS.
struct WireClient {
    var name: String
    var group: String
    var topics: [String]
    /// (protocol name, metadata bytes); nil metadata = this client's Subscription v1 bytes.
    var protocols: [(String, [UInt8]?)] = [("range", nil)]
    var clientID = "rdkafka"
    var instanceID: String?
    var sessionTimeoutMs: Int64 = 10_000
    var heartbeatIntervalMs: Int64 = 3_000
    /// Cleared to simulate a client whose heartbeat thread stopped.
    var heartbeating = true
    /// The leader's assignment bytes per member for protocols the test defines (overrides the assignor).
    var customAssignment: (([ExternalJoinMember]) -> [ExternalMemberAssignment])?

    var memberID = ""
    var generation = -1
    var inGeneration = false
    var assignmentBytes: [UInt8] = []
    var lastJoin: ExternalJoinResult?
    var nextHeartbeatMs: Int64 = .max
    var replies: [ExternalReply] = []

    init(name: String, group: String, topics: [String]) {
        self.name = name
        self.group = group
        self.topics = topics
    }

    var assignment: [TopicPartition] { (ConsumerProtocolAssignment.decode(assignmentBytes)?.partitions ?? []).sorted() }

    func subscriptionBytes() -> [UInt8] { ConsumerProtocolSubscription(version: 1, topics: topics).encoded() }

    func join() -> ExternalRequest {
        .join(ExternalJoin(client: name, group: group, memberID: memberID, instanceID: instanceID, clientID: clientID,
                           protocols: protocols.map { ExternalProtocol(name: $0.0, metadata: $0.1 ?? subscriptionBytes()) },
                           sessionTimeoutMs: sessionTimeoutMs, rebalanceTimeoutMs: 30_000))
    }

    func heartbeat() -> ExternalRequest {
        .heartbeat(ExternalHeartbeat(client: name, group: group, generation: generation, memberID: memberID, instanceID: instanceID))
    }

    /// Handles one reply; returns the requests the client sends next.
    mutating func handle(_ reply: ExternalReply, partitionsPerTopic: [String: Int], now: Int64) -> [ExternalRequest] {
        replies.append(reply)
        switch reply.kind {
        case let .join(r):
            lastJoin = r
            if r.errorCode == GroupErrorCodes.memberIDRequired { memberID = r.memberID; return [join()] }
            if r.errorCode == GroupErrorCodes.unknownMemberID { memberID = ""; return [join()] }
            guard r.errorCode == GroupErrorCodes.none else { return [] }
            memberID = r.memberID
            generation = r.generation
            inGeneration = true
            nextHeartbeatMs = now + heartbeatIntervalMs
            var assignments: [ExternalMemberAssignment] = []
            if r.leader == r.memberID {
                if let custom = customAssignment {
                    assignments = custom(r.members)
                } else {
                    let kind = AssignorKind(rawValue: r.protocolName) ?? .range
                    let members = r.members.map { m in
                        GroupMember(memberID: m.memberID, groupInstanceID: m.instanceID,
                                    topics: ConsumerProtocolSubscription.decode(m.metadata)?.topics ?? [])
                    }
                    let result = Assignor.assign(kind, members: members, partitionsPerTopic: partitionsPerTopic)
                    assignments = r.members.map {
                        ExternalMemberAssignment(memberID: $0.memberID,
                                                 assignment: ConsumerProtocolAssignment(partitions: result.partitions[$0.memberID] ?? []).encoded())
                    }
                }
            }
            return [.sync(ExternalSync(client: name, group: group, generation: generation, memberID: memberID, instanceID: instanceID,
                                       assignments: assignments))]
        case let .sync(code, bytes):
            if code == GroupErrorCodes.none { assignmentBytes = bytes; return [] }
            if code == GroupErrorCodes.rebalanceInProgress { return [join()] }
            return []
        case let .heartbeat(code):
            if code == GroupErrorCodes.rebalanceInProgress { inGeneration = false; return [join()] }
            if code == GroupErrorCodes.unknownMemberID || code == GroupErrorCodes.illegalGeneration {
                inGeneration = false
                memberID = code == GroupErrorCodes.unknownMemberID ? "" : memberID
                return [join()]
            }
            return []
        default:
            return []
        }
    }
}

extension Harness {
    var partitionsPerTopic: [String: Int] {
        var result: [String: Int] = [:]
        for topic in cluster.topics { result[topic.name] = topic.partitions.count }
        return result
    }

    /// Runs the world (and the simulated consumers' poll loop) to `t` in `tickMs` ticks; after each
    /// tick the wire clients handle their replies (follow-ups are submitted at once) and heartbeat.
    mutating func pump(_ clients: inout [WireClient], to t: Int64, tickMs: Int64 = 10) throws {
        while now < t {
            try advance(to: min(now + tickMs, t), pollEveryMs: tickMs)
            for reply in world.takeExternalReplies() {
                guard let i = clients.firstIndex(where: { $0.name == reply.client }) else {
                    violations.append("reply for an unknown client \(reply.client)")
                    continue
                }
                for request in clients[i].handle(reply, partitionsPerTopic: partitionsPerTopic, now: now) {
                    world.submit(request, nowMs: now)
                }
            }
            for i in clients.indices where clients[i].heartbeating && clients[i].inGeneration && now >= clients[i].nextHeartbeatMs {
                world.submit(clients[i].heartbeat(), nowMs: now)
                clients[i].nextHeartbeatMs = now + clients[i].heartbeatIntervalMs
            }
        }
    }

    /// Steps to `t` without any client reacting; returns the external replies delivered.
    mutating func deliver(until t: Int64) -> [ExternalReply] {
        stepAll(until: t)
        now = max(now, t)
        return world.takeExternalReplies()
    }
}
