import Kafka
import KafkaWire

// Consumer groups over the wire: FindCoordinator answers the broker Kafka's rule picks
// (abs(groupId.hashCode) % 50 → that __consumer_offsets partition's leader); JoinGroup, SyncGroup,
// Heartbeat, LeaveGroup, OffsetCommit and OffsetFetch go to the simulator's own GroupWorld as an
// external member (one per connection), so `kafka group describe` shows the real client, its
// generation, assignment and lag. Their replies come back when the world delivers them (a
// JoinGroup waits for the rebalance, as on a real broker) and are written in request order by the
// transport.

extension WireBroker {
    struct PendingGroupRequest: Sendable {
        var ticket: WireTicket
        var header: RequestHeader
        var client: String
        var kind: String
        var broker: Int
    }

    /// The external client name of a connection.
    static func client(_ ticket: WireTicket) -> String { "wire-\(ticket.connection)" }

    mutating func findCoordinator(_ r: FindCoordinatorRequest, cluster: Cluster) -> FindCoordinatorResponse {
        guard r.keyType == 0 else {
            return FindCoordinatorResponse(errorCode: KafkaErrorCode.coordinatorNotAvailable.rawValue,
                                           errorMessage: "transaction coordinators are not served", nodeId: -1, host: "", port: -1)
        }
        guard let id = GroupWorld.coordinatorBroker(groupID: r.key, cluster: cluster).broker, let port = config.ports[id] else {
            return FindCoordinatorResponse(errorCode: KafkaErrorCode.coordinatorNotAvailable.rawValue,
                                           errorMessage: "no live broker can coordinate \(r.key)", nodeId: -1, host: "", port: -1)
        }
        return FindCoordinatorResponse(nodeId: Int32(id), host: config.advertisedHost, port: Int32(port))
    }

    /// Submits a group request to the world; its reply comes from `tick`. A broker that is not the
    /// group's coordinator answers NOT_COORDINATOR at once (the client looks it up again).
    mutating func groupRequest(_ request: KafkaRequest, header: RequestHeader, ticket: WireTicket, broker: Int, nowMs: Int64,
                               cluster: Cluster, groups: inout GroupWorld) -> WireOutcome {
        let client = Self.client(ticket)
        let clientID = header.clientId ?? ""
        let external: ExternalRequest
        let kind: String
        let group: String
        switch request {
        case let .joinGroup(r):
            group = r.groupId; kind = "join"
            external = .join(ExternalJoin(client: client, group: r.groupId, memberID: r.memberId, instanceID: r.groupInstanceId,
                                          clientID: clientID, protocolType: r.protocolType,
                                          protocols: r.protocols.map { ExternalProtocol(name: $0.name, metadata: $0.metadata) },
                                          sessionTimeoutMs: Int64(r.sessionTimeoutMs), rebalanceTimeoutMs: Int64(r.rebalanceTimeoutMs)))
        case let .syncGroup(r):
            group = r.groupId; kind = "sync"
            external = .sync(ExternalSync(client: client, group: r.groupId, generation: Int(r.generationId), memberID: r.memberId,
                                          instanceID: r.groupInstanceId,
                                          assignments: r.assignments.isEmpty ? nil : r.assignments.map { ExternalMemberAssignment(memberID: $0.memberId, assignment: $0.assignment) }))
        case let .heartbeat(r):
            group = r.groupId; kind = "heartbeat"
            external = .heartbeat(ExternalHeartbeat(client: client, group: r.groupId, generation: Int(r.generationId), memberID: r.memberId,
                                                    instanceID: r.groupInstanceId))
        case let .leaveGroup(r):
            group = r.groupId; kind = "leave"
            external = .leave(ExternalLeave(client: client, group: r.groupId, memberID: r.memberId))
        case let .offsetCommit(r):
            group = r.groupId; kind = "commit"
            external = .commit(ExternalCommit(client: client, group: r.groupId, generation: Int(r.generationId), memberID: r.memberId,
                                              instanceID: r.groupInstanceId,
                                              offsets: r.topics.flatMap { t in t.partitions.map {
                                                  ExternalCommitOffset(topic: t.name, partition: Int($0.partitionIndex), offset: $0.committedOffset,
                                                                       leaderEpoch: Int($0.committedLeaderEpoch), metadata: $0.committedMetadata)
                                              } }))
        case let .offsetFetch(r):
            group = r.groupId; kind = "offsetFetch"
            external = .offsetFetch(ExternalOffsetFetch(client: client, group: r.groupId,
                                                        partitions: r.topics.map { ts in ts.flatMap { t in t.partitionIndexes.map { TopicPartition(t.name, Int($0)) } } }))
        default:
            return .close
        }
        if GroupWorld.coordinatorBroker(groupID: group, cluster: cluster).broker != broker {
            note(nowMs, ticket, broker, clientID, kind, header.apiVersion, "group \(group): NOT_COORDINATOR")
            return respond(Self.failure(request, code: KafkaErrorCode.notCoordinator.rawValue), header)
        }
        groups.submit(external, nowMs: nowMs)
        pendingGroup.append(PendingGroupRequest(ticket: ticket, header: header, client: client, kind: kind, broker: broker))
        return .later
    }

    /// The world's replies to external clients, matched to their oldest waiting request of the same
    /// kind (each request gets exactly one reply; same-kind requests are answered in order).
    mutating func deliverGroupReplies(nowMs: Int64, groups: inout GroupWorld) -> [(WireTicket, [UInt8])] {
        var done: [(WireTicket, [UInt8])] = []
        for reply in groups.takeExternalReplies() {
            let kind: String
            switch reply.kind {
            case .join: kind = "join"
            case .sync: kind = "sync"
            case .heartbeat: kind = "heartbeat"
            case .leave: kind = "leave"
            case .commit: kind = "commit"
            case .offsetFetch: kind = "offsetFetch"
            }
            guard let index = pendingGroup.firstIndex(where: { $0.client == reply.client && $0.kind == kind }) else { continue }
            let pending = pendingGroup.remove(at: index)
            let (response, summary) = Self.response(reply.kind)
            note(nowMs, pending.ticket, pending.broker, pending.header.clientId ?? "", Self.apiName(kind), pending.header.apiVersion, summary)
            done.append((pending.ticket, Self.unsized(response.encodeFrame(correlationId: pending.header.correlationId,
                                                                           apiVersion: pending.header.apiVersion))))
        }
        return done
    }

    static func apiName(_ kind: String) -> String {
        switch kind {
        case "join": "JoinGroup"
        case "sync": "SyncGroup"
        case "heartbeat": "Heartbeat"
        case "leave": "LeaveGroup"
        case "commit": "OffsetCommit"
        default: "OffsetFetch"
        }
    }

    static func codeName(_ code: Int16) -> String { KafkaErrorCode(rawValue: code)?.name ?? "error \(code)" }

    static func response(_ kind: ExternalReplyKind) -> (KafkaResponse, String) {
        switch kind {
        case let .join(j):
            let members = j.members.map { JoinGroupResponse.Member(memberId: $0.memberID, groupInstanceId: $0.instanceID, metadata: $0.metadata) }
            let summary = j.errorCode == 0
                ? "generation \(j.generation), protocol \(j.protocolName), member \(j.memberID)" + (j.leader == j.memberID ? " (leader of \(members.count))" : "")
                : codeName(j.errorCode) + (j.memberID.isEmpty ? "" : " (member id \(j.memberID))")
            return (.joinGroup(JoinGroupResponse(errorCode: j.errorCode, generationId: Int32(j.generation), protocolName: j.protocolName,
                                                 leader: j.leader, memberId: j.memberID, members: members)), summary)
        case let .sync(code, assignment):
            let decoded = ConsumerProtocolAssignment.decode(assignment)
            let parts = decoded.map { $0.partitions.map { "\($0.topic)-\($0.partition)" }.joined(separator: ",") } ?? "?"
            return (.syncGroup(SyncGroupResponse(errorCode: code, assignment: assignment)), code == 0 ? "assigned [\(parts)]" : codeName(code))
        case let .heartbeat(code):
            return (.heartbeat(HeartbeatResponse(errorCode: code)), code == 0 ? "ok" : codeName(code))
        case let .leave(code):
            return (.leaveGroup(LeaveGroupResponse(errorCode: code)), code == 0 ? "left" : codeName(code))
        case let .commit(results):
            var topics: [OffsetCommitResponse.Topic] = []
            for r in results {
                if let i = topics.firstIndex(where: { $0.name == r.topic }) {
                    topics[i].partitions.append(.init(partitionIndex: Int32(r.partition), errorCode: r.errorCode))
                } else {
                    topics.append(.init(name: r.topic, partitions: [.init(partitionIndex: Int32(r.partition), errorCode: r.errorCode)]))
                }
            }
            let failed = results.filter { $0.errorCode != 0 }.count
            return (.offsetCommit(OffsetCommitResponse(topics: topics)), "\(results.count) offset(s)" + (failed > 0 ? ", \(failed) refused" : " committed"))
        case let .offsetFetch(offsets, code):
            var topics: [OffsetFetchResponse.Topic] = []
            for o in offsets {
                let p = OffsetFetchResponse.Partition(partitionIndex: Int32(o.partition), committedOffset: o.offset,
                                                      committedLeaderEpoch: Int32(o.leaderEpoch), metadata: o.metadata ?? "", errorCode: o.errorCode)
                if let i = topics.firstIndex(where: { $0.name == o.topic }) { topics[i].partitions.append(p) } else { topics.append(.init(name: o.topic, partitions: [p])) }
            }
            let text = offsets.map { "\($0.topic)-\($0.partition)=\($0.offset)" }.joined(separator: ", ")
            return (.offsetFetch(OffsetFetchResponse(topics: topics, errorCode: code)), code == 0 ? "committed: \(text)" : codeName(code))
        }
    }

    /// An immediate error answer to a group request (NOT_COORDINATOR).
    static func failure(_ request: KafkaRequest, code: Int16) -> KafkaResponse {
        switch request {
        case .joinGroup: return .joinGroup(JoinGroupResponse(errorCode: code, generationId: -1, protocolName: "", leader: "", memberId: "", members: []))
        case .syncGroup: return .syncGroup(SyncGroupResponse(errorCode: code, assignment: []))
        case .heartbeat: return .heartbeat(HeartbeatResponse(errorCode: code))
        case .leaveGroup: return .leaveGroup(LeaveGroupResponse(errorCode: code))
        case let .offsetCommit(r):
            return .offsetCommit(OffsetCommitResponse(topics: r.topics.map { t in
                .init(name: t.name, partitions: t.partitions.map { .init(partitionIndex: $0.partitionIndex, errorCode: code) })
            }))
        default: return .offsetFetch(OffsetFetchResponse(topics: [], errorCode: code))
        }
    }
}
