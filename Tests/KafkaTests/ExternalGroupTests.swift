import Foundation
import Testing
@testable import Kafka
import SimKit

@Suite struct ConsumerProtocolTests {
    // Goal: the consumer protocol bytes match the Apache schemas (kafka.md §6.3); method: a hand-built
    // oracle for Subscription v0, round trips of v0–v3 and Assignment, and malformed input → nil.
    @Test func subscriptionAndAssignmentBytes() {
        // version 0, topics ["t"], user_data null.
        let v0 = ConsumerProtocolSubscription(version: 0, topics: ["t"]).encoded()
        #expect(v0 == [0, 0, 0, 0, 0, 1, 0, 1, 0x74, 0xFF, 0xFF, 0xFF, 0xFF])
        for version: Int16 in 0...3 {
            var s = ConsumerProtocolSubscription(version: version, topics: ["a", "b"], userData: [1, 2])
            if version >= 1 { s.ownedPartitions = [TopicPartition("a", 0), TopicPartition("a", 2), TopicPartition("b", 1)] }
            if version >= 2 { s.generation = 7 }
            if version >= 3 { s.rackID = "rack-1" }
            #expect(ConsumerProtocolSubscription.decode(s.encoded()) == s, "v\(version)")
        }
        // A newer version is read as far as known; trailing bytes are ignored (forward compatible).
        var v4 = ConsumerProtocolSubscription(version: 3, topics: ["x"], generation: 2, rackID: nil).encoded()
        v4[1] = 4
        #expect(ConsumerProtocolSubscription.decode(v4 + [9, 9])?.topics == ["x"])
        let assignment = ConsumerProtocolAssignment(partitions: [TopicPartition("b", 0), TopicPartition("a", 1)], userData: [5])
        #expect(assignment.encoded() == [0, 0, 0, 0, 0, 2, 0, 1, 0x61, 0, 0, 0, 1, 0, 0, 0, 1, 0, 1, 0x62, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 1, 5])
        #expect(ConsumerProtocolAssignment.decode(assignment.encoded())?.partitions == [TopicPartition("a", 1), TopicPartition("b", 0)])
        // Malformed: empty, truncated, negative version, absurd counts.
        #expect(ConsumerProtocolSubscription.decode([]) == nil)
        #expect(ConsumerProtocolSubscription.decode(Array(v0.dropLast())) == nil)
        #expect(ConsumerProtocolSubscription.decode([0xFF, 0xFF, 0, 0, 0, 0, 0xFF, 0xFF, 0xFF, 0xFF]) == nil)
        #expect(ConsumerProtocolSubscription.decode([0, 0, 0x7F, 0xFF, 0xFF, 0xFF]) == nil)
        #expect(ConsumerProtocolAssignment.decode([]) == nil)
        #expect(ConsumerProtocolAssignment.decode([0, 0, 0, 0, 0, 1, 0, 5, 0x61]) == nil)
    }
}

/// Two wire clients joined to "g" on topic "orders" (4 partitions), following the real sequence by
/// hand; returns the harness, the leader and follower member ids and the bytes involved.
private struct TwoMembers {
    var h: Harness
    var leader: String
    var follower: String
    var metaA: [UInt8]
    var metaB: [UInt8]
    var assignA: [UInt8]
    var assignB: [UInt8]
}

private func joinTwoByHand(sessionTimeoutMs: Int64 = 10_000) throws -> TwoMembers {
    var h = try Harness(topics: [("orders", 4)])
    let metaA = ConsumerProtocolSubscription(version: 1, topics: ["orders"], userData: [1, 2, 3]).encoded()
    let metaB = ConsumerProtocolSubscription(version: 3, topics: ["orders"], generation: -1, rackID: "r1").encoded()
    func join(_ client: String, _ member: String, _ meta: [UInt8]) -> ExternalRequest {
        .join(ExternalJoin(client: client, group: "g", memberID: member, clientID: client == "wire-1" ? "rdkafka" : "kafka-python-2.0.2",
                           protocols: [ExternalProtocol(name: "range", metadata: meta), ExternalProtocol(name: "roundrobin", metadata: meta)],
                           sessionTimeoutMs: sessionTimeoutMs, rebalanceTimeoutMs: 30_000))
    }
    // 1. JoinGroup with an empty member id → MEMBER_ID_REQUIRED (79) + a fresh id (KIP-394).
    h.world.submit(join("wire-1", "", metaA), nowMs: 0)
    h.world.submit(join("wire-2", "", metaB), nowMs: 0)
    let first = h.deliver(until: 2)
    #expect(first.map(\.client) == ["wire-1", "wire-2"])
    var ids: [String] = []
    for reply in first {
        guard case let .join(r) = reply.kind else { Issue.record("expected a join reply"); continue }
        #expect(r.errorCode == 79 && r.generation == -1 && r.members.isEmpty && !r.memberID.isEmpty)
        ids.append(r.memberID)
    }
    #expect(ids == ["rdkafka-1", "kafka-python-2.0.2-2"])
    // 2. Rejoin with the ids: parked through group.initial.rebalance.delay.ms (3 s).
    h.world.submit(join("wire-1", ids[0], metaA), nowMs: 2)
    h.world.submit(join("wire-2", ids[1], metaB), nowMs: 2)
    #expect(h.deliver(until: 3_000).isEmpty)
    let second = h.deliver(until: 3_010)
    #expect(second.count == 2)
    var results: [String: ExternalJoinResult] = [:]
    for reply in second { if case let .join(r) = reply.kind { results[reply.client] = r } }
    let a = results["wire-1"], b = results["wire-2"]
    #expect(a?.errorCode == 0 && a?.generation == 1 && a?.protocolName == "range" && a?.leader == ids[0])
    // The leader gets every member's ORIGINAL metadata bytes; the follower gets none.
    #expect(a?.members == [ExternalJoinMember(memberID: ids[0], instanceID: nil, metadata: metaA),
                           ExternalJoinMember(memberID: ids[1], instanceID: nil, metadata: metaB)])
    #expect(b?.errorCode == 0 && b?.leader == ids[0] && b?.memberID == ids[1] && b?.members == [])
    // 3. The follower's SyncGroup is parked until the leader's arrives.
    let assignA = ConsumerProtocolAssignment(partitions: [TopicPartition("orders", 0), TopicPartition("orders", 1)]).encoded()
    let assignB = ConsumerProtocolAssignment(version: 1, partitions: [TopicPartition("orders", 2), TopicPartition("orders", 3)],
                                             userData: [0xCA, 0xFE]).encoded()
    h.world.submit(.sync(ExternalSync(client: "wire-2", group: "g", generation: 1, memberID: ids[1], assignments: [])), nowMs: h.now)
    #expect(h.deliver(until: h.now + 5).isEmpty)
    h.world.submit(.sync(ExternalSync(client: "wire-1", group: "g", generation: 1, memberID: ids[0],
                                      assignments: [ExternalMemberAssignment(memberID: ids[0], assignment: assignA),
                                                    ExternalMemberAssignment(memberID: ids[1], assignment: assignB)])), nowMs: h.now)
    let third = h.deliver(until: h.now + 5)
    var syncs: [String: (Int16, [UInt8])] = [:]
    for reply in third { if case let .sync(code, bytes) = reply.kind { syncs[reply.client] = (code, bytes) } }
    #expect(syncs["wire-1"]?.0 == 0 && syncs["wire-1"]?.1 == assignA)
    #expect(syncs["wire-2"]?.0 == 0 && syncs["wire-2"]?.1 == assignB)  // exactly the leader's bytes
    return TwoMembers(h: h, leader: ids[0], follower: ids[1], metaA: metaA, metaB: metaB, assignA: assignA, assignB: assignB)
}

@Suite struct ExternalGroupTests {
    // Goal: two external members join through submit/run/takeExternalReplies following the real
    // sequence (kafka.md §3.2), and describe/timeline/__consumer_offsets show them like simulated
    // members; method: drive both by hand and inspect every reply and view.
    @Test func twoExternalMembersJoin() throws {
        let m = try joinTwoByHand()
        let h = m.h
        let d = try h.world.describe("g", cluster: h.cluster)
        #expect(d.state == .stable && d.generation == 1 && d.protocolName == "range" && d.protocolType == "consumer")
        #expect(d.leader == m.leader && d.coordinator != nil)
        #expect(d.members.map(\.memberID) == [m.leader, m.follower])
        #expect(d.members.map(\.clientID) == ["rdkafka", "kafka-python-2.0.2"])
        #expect(d.members[0].assignment == [TopicPartition("orders", 0), TopicPartition("orders", 1)])
        #expect(d.members[1].assignment == [TopicPartition("orders", 2), TopicPartition("orders", 3)])
        #expect(d.partitions.map(\.consumerID) == [m.leader, m.leader, m.follower, m.follower])
        // Timeline: the same entries as for simulated consumers, from the client to the coordinator.
        let broker = "broker-\(d.coordinator ?? -1)"
        let fromWire1 = h.world.timeline.filter { $0.from == "wire-1" }
        #expect(fromWire1.map(\.kind) == ["JoinGroup", "JoinGroup", "SyncGroup"])
        #expect(fromWire1.dropFirst().allSatisfy { $0.to == broker })
        #expect(h.world.timeline.contains { $0.kind == "JoinGroupResponse" && $0.to == "wire-1" && $0.detail.contains("MEMBER_ID_REQUIRED(79)") })
        #expect(h.world.timeline.contains { $0.kind == "SyncGroupResponse" && $0.to == "wire-2" && $0.detail.contains("handed to external client wire-2") })
        let metadata = h.world.offsetsTopicRecords.last { $0.kind == "GroupMetadata" }
        #expect(metadata?.value?.contains("memberId=\(m.follower)") == true)
        #expect(metadata?.value?.contains("protocol=range") == true)
        #expect(metadata?.partition == GroupWorld.offsetsPartition(groupID: "g"))
        #expect(h.violations.isEmpty, "\(h.violations)")
        #expect(h.world.checkInvariants().isEmpty)
    }

    // Goal: session timeouts apply to external members (kafka.md §3.2 step 5); method: both heartbeat
    // for 30 s, then one stops; after session.timeout.ms it is removed and the other's next heartbeat
    // gets REBALANCE_IN_PROGRESS (27); it rejoins alone as generation 2.
    @Test func heartbeatsKeepMembersAndSilenceExpiresThem() throws {
        var m = try joinTwoByHand(sessionTimeoutMs: 10_000)
        var t = m.h.now
        var codes: [Int16] = []
        var rounds = 0
        while t < 30_000 {
            t += 3_000
            rounds += 1
            for (client, member) in [("wire-1", m.leader), ("wire-2", m.follower)] {
                m.h.world.submit(.heartbeat(ExternalHeartbeat(client: client, group: "g", generation: 1, memberID: member)), nowMs: t)
            }
            for reply in m.h.deliver(until: t + 5) { if case let .heartbeat(code) = reply.kind { codes.append(code) } }
        }
        #expect(rounds >= 9 && codes.count == 2 * rounds && codes.allSatisfy { $0 == 0 })
        #expect(try m.h.world.describe("g", cluster: m.h.cluster).members.count == 2)
        // wire-2 goes silent; wire-1 keeps heartbeating.
        let lastFollowerHeartbeat = t + 1
        var leaderCode: Int16?
        while leaderCode != 27 && t < 60_000 {
            t += 3_000
            m.h.world.submit(.heartbeat(ExternalHeartbeat(client: "wire-1", group: "g", generation: 1, memberID: m.leader)), nowMs: t)
            for reply in m.h.deliver(until: t + 5) { if case let .heartbeat(code) = reply.kind { leaderCode = code } }
        }
        #expect(leaderCode == 27)
        let expiry = m.h.world.timeline.first { $0.kind == "SessionTimeout" }
        #expect(expiry?.atMs == lastFollowerHeartbeat + 10_000)
        #expect(expiry?.detail.contains("\(m.follower) removed") == true)
        // The survivor rejoins with its member id and is alone in generation 2.
        m.h.world.submit(.join(ExternalJoin(client: "wire-1", group: "g", memberID: m.leader, clientID: "rdkafka",
                                            protocols: [ExternalProtocol(name: "range", metadata: m.metaA)],
                                            sessionTimeoutMs: 10_000, rebalanceTimeoutMs: 30_000)), nowMs: t + 5)
        let replies = m.h.deliver(until: t + 10)
        guard case let .join(r)? = replies.first?.kind else { Issue.record("no join reply"); return }
        #expect(r.errorCode == 0 && r.generation == 2 && r.leader == m.leader && r.members.map(\.memberID) == [m.leader])
        #expect(r.members.first?.metadata == m.metaA)
        #expect(m.h.violations.isEmpty, "\(m.h.violations)")
    }

    // Goal: OffsetCommit/OffsetFetch round trip for external members, lag in describe, per-partition
    // errors (kafka.md §3.3, §3.5, §3.7); method: commit, fetch (all and listed), describe, and the
    // error paths: unknown partition, wrong generation, simple-consumer commit into an Empty group.
    @Test func commitFetchAndLag() throws {
        var m = try joinTwoByHand()
        try m.h.produce("orders", partition: 0, count: 10)
        let t = m.h.now
        m.h.world.submit(.commit(ExternalCommit(client: "wire-1", group: "g", generation: 1, memberID: m.leader, offsets: [
            ExternalCommitOffset(topic: "orders", partition: 0, offset: 4, leaderEpoch: -1, metadata: "note"),
            ExternalCommitOffset(topic: "nope", partition: 0, offset: 1),
        ])), nowMs: t)
        let commit = m.h.deliver(until: t + 5)
        #expect(commit.first?.kind == .commit([ExternalCommitResult(topic: "orders", partition: 0, errorCode: 0),
                                               ExternalCommitResult(topic: "nope", partition: 0, errorCode: 3)]))
        m.h.world.submit(.offsetFetch(ExternalOffsetFetch(client: "wire-2", group: "g", partitions: nil)), nowMs: t + 5)
        m.h.world.submit(.offsetFetch(ExternalOffsetFetch(client: "wire-2", group: "g", partitions: [TopicPartition("orders", 0), TopicPartition("orders", 1)])), nowMs: t + 5)
        let fetched = m.h.deliver(until: t + 10)
        #expect(fetched.map(\.kind) == [
            .offsetFetch([ExternalFetchedOffset(topic: "orders", partition: 0, offset: 4, leaderEpoch: -1, metadata: "note", errorCode: 0)], errorCode: 0),
            .offsetFetch([ExternalFetchedOffset(topic: "orders", partition: 0, offset: 4, leaderEpoch: -1, metadata: "note", errorCode: 0),
                          ExternalFetchedOffset(topic: "orders", partition: 1, offset: -1, leaderEpoch: -1, metadata: "", errorCode: 0)], errorCode: 0),
        ])
        let row = try m.h.world.describe("g", cluster: m.h.cluster).partitions.first { $0.partition == 0 }
        #expect(row?.currentOffset == 4 && row?.logEndOffset == 10 && row?.lag == 6 && row?.consumerID == m.leader)
        let record = m.h.offsetsTopicRecords(kind: "OffsetCommit").last
        #expect(record?.key == "OffsetCommitKey(version=1, group=g, topic=orders, partition=0)")
        #expect(record?.value?.contains("offset=4") == true && record?.value?.contains("metadata=note") == true)
        // An old generation → ILLEGAL_GENERATION (22); a stranger → UNKNOWN_MEMBER_ID (25);
        // generation -1 from a simple consumer while the group is not Empty → UNKNOWN_MEMBER_ID.
        m.h.world.submit(.commit(ExternalCommit(client: "wire-1", group: "g", generation: 0, memberID: m.leader,
                                                offsets: [ExternalCommitOffset(topic: "orders", partition: 0, offset: 5)])), nowMs: t + 10)
        m.h.world.submit(.commit(ExternalCommit(client: "wire-1", group: "g", generation: 1, memberID: "who",
                                                offsets: [ExternalCommitOffset(topic: "orders", partition: 0, offset: 5)])), nowMs: t + 10)
        m.h.world.submit(.commit(ExternalCommit(client: "wire-3", group: "g",
                                                offsets: [ExternalCommitOffset(topic: "orders", partition: 0, offset: 5)])), nowMs: t + 10)
        let rejected = m.h.deliver(until: t + 15).map(\.kind)
        #expect(rejected == [22, 25, 25].map { .commit([ExternalCommitResult(topic: "orders", partition: 0, errorCode: $0)]) })
        // A simple consumer (assign() + commit, no group membership) commits into a new, Empty group.
        m.h.world.submit(.commit(ExternalCommit(client: "wire-3", group: "simple",
                                                offsets: [ExternalCommitOffset(topic: "orders", partition: 0, offset: 7),
                                                          ExternalCommitOffset(topic: "orders", partition: 1, offset: -1)])), nowMs: t + 15)
        let simple = m.h.deliver(until: t + 20)
        #expect(simple.first?.kind == .commit([ExternalCommitResult(topic: "orders", partition: 0, errorCode: 0),
                                               ExternalCommitResult(topic: "orders", partition: 1, errorCode: 1)]))
        let s = try m.h.world.describe("simple", cluster: m.h.cluster)
        #expect(s.state == .empty && s.members.isEmpty && s.partitions.first?.currentOffset == 7 && s.partitions.first?.lag == 3)
        #expect(m.h.violations.isEmpty, "\(m.h.violations)")
    }

    // Goal: a simulated consumer and an external member share a group; the external one speaks the
    // real consumer protocol (range); method: the external client joins first and leads — it decodes
    // the simulated member's Subscription bytes and computes range itself.
    @Test func externalLeaderWithSimulatedFollower() throws {
        var h = try Harness(topics: [("orders", 4)])
        var clients = [WireClient(name: "wire-1", group: "g", topics: ["orders"])]
        h.world.submit(clients[0].join(), nowMs: 0)
        try h.pump(&clients, to: 500)
        let sim = try h.add(config("g"), topics: ["orders"])
        try h.pump(&clients, to: 4_000)
        let d = try h.world.describe("g", cluster: h.cluster)
        let simView = try h.view(sim)
        #expect(d.state == .stable && d.leader == clients[0].memberID && d.members.count == 2)
        // The leader saw the simulated member's subscription as real Subscription bytes.
        let simMeta = clients[0].lastJoin?.members.first { $0.memberID == simView.memberID }?.metadata ?? []
        #expect(ConsumerProtocolSubscription.decode(simMeta) == ConsumerProtocolSubscription(version: 1, topics: ["orders"]))
        // Range over the sorted member ids: "consumer-g-1-2" < "rdkafka-1".
        #expect(simView.memberID == "consumer-g-1-2" && simView.status == .stable)
        #expect(simView.assignment == [TopicPartition("orders", 0), TopicPartition("orders", 1)])
        #expect(clients[0].assignment == [TopicPartition("orders", 2), TopicPartition("orders", 3)])
        #expect(d.members.first { $0.memberID == clients[0].memberID }?.assignment == clients[0].assignment)
        #expect(h.violations.isEmpty, "\(h.violations)")
    }

    // Goal: same, with the simulated consumer leading: its range assignment reaches the external member
    // as ConsumerProtocol Assignment bytes; a later external join rebalances everyone.
    @Test func simulatedLeaderWithExternalFollower() throws {
        var h = try Harness(topics: [("orders", 4)])
        let sim = try h.add(config("g"), topics: ["orders"])
        var clients = [WireClient(name: "wire-1", group: "g", topics: ["orders"])]
        try h.pump(&clients, to: 500)
        h.world.submit(clients[0].join(), nowMs: h.now)
        try h.pump(&clients, to: 4_000)
        let d = try h.world.describe("g", cluster: h.cluster)
        let simID = try h.view(sim).memberID
        #expect(d.state == .stable && d.leader == simID && d.members.count == 2)
        #expect(try h.view(sim).assignment == [TopicPartition("orders", 0), TopicPartition("orders", 1)])
        #expect(clients[0].assignment == [TopicPartition("orders", 2), TopicPartition("orders", 3)])
        #expect(ConsumerProtocolAssignment.decode(clients[0].assignmentBytes)?.version == 0)
        // Heartbeats keep both for a minute.
        try h.pump(&clients, to: 60_000, tickMs: 50)
        let later = try h.world.describe("g", cluster: h.cluster)
        #expect(later.state == .stable && later.generation == d.generation && later.members.count == 2)
        #expect(h.violations.isEmpty, "\(h.violations)")
    }

    // Goal: a protocol name only external members know works opaquely (the broker never interprets
    // it); members that cannot speak it are refused with INCONSISTENT_GROUP_PROTOCOL (23).
    @Test func unknownProtocolIsOpaque() throws {
        var h = try Harness(topics: [("orders", 2)])
        var a = WireClient(name: "wire-1", group: "g", topics: ["orders"])
        a.protocols = [("my-assignor", [0xDE, 0xAD])]
        var b = WireClient(name: "wire-2", group: "g", topics: ["orders"])
        b.protocols = [("my-assignor", [0xBE, 0xEF]), ("range", nil)]
        let custom: ([ExternalJoinMember]) -> [ExternalMemberAssignment] = { members in
            members.enumerated().map { ExternalMemberAssignment(memberID: $0.element.memberID, assignment: [UInt8(0x10 + $0.offset)]) }
        }
        a.customAssignment = custom
        b.customAssignment = custom
        var clients = [a, b]
        for c in clients { h.world.submit(c.join(), nowMs: 0) }
        try h.pump(&clients, to: 4_000)
        let d = try h.world.describe("g", cluster: h.cluster)
        #expect(d.state == .stable && d.protocolName == "my-assignor")
        let leader = clients.first { $0.memberID == d.leader }
        #expect(leader?.lastJoin?.members.map(\.metadata) == [[0xDE, 0xAD], [0xBE, 0xEF]])
        // Opaque assignments come back byte for byte (they are not consumer Assignments: shown empty).
        #expect(clients.map(\.assignmentBytes) == [[0x10], [0x11]])
        #expect(d.members.allSatisfy { $0.assignment.isEmpty })
        // wire-2's subscription comes from its decodable "range" metadata, wire-1's is unknown.
        #expect(h.world.timeline.contains { $0.kind == "JoinGroup" && $0.from == "wire-2" && $0.detail.contains("protocols=[my-assignor, range] topics=[\"orders\"]") })
        // A member without "my-assignor" is refused, external or simulated.
        var c = WireClient(name: "wire-3", group: "g", topics: ["orders"])
        c.memberID = "rdkafka-x"
        h.world.submit(c.join(), nowMs: h.now)
        let sim = try h.add(config("g"), topics: ["orders"], poll: false)
        _ = try h.world.poll(sim, cluster: h.cluster, nowMs: h.now)
        // wire-3's reply is addressed to a client the pump does not drive: it is reported, not lost.
        try h.pump(&clients, to: h.now + 100)
        #expect(h.violations == ["reply for an unknown client wire-3"])
        let refused = h.world.timeline.filter { $0.kind == "JoinGroupResponse" && $0.detail.contains("INCONSISTENT_GROUP_PROTOCOL(23)") }
        #expect(refused.map(\.to).contains("wire-3") && refused.map(\.to).contains(sim))
        #expect(try h.view(sim).pendingError == .inconsistentGroupProtocol)
        #expect(try h.world.describe("g", cluster: h.cluster).members.count == 2)
    }

    // Goal: the reply for wire-3 above is really delivered as code 23, and a different protocol type
    // is refused too (ClassicGroup.supportsProtocols); method: direct submit + deliver.
    @Test func inconsistentProtocolCodes() throws {
        var m = try joinTwoByHand()
        let t = m.h.now
        m.h.world.submit(.join(ExternalJoin(client: "wire-3", group: "g", memberID: "", clientID: "x",
                                            protocols: [ExternalProtocol(name: "sticky", metadata: m.metaA)],
                                            sessionTimeoutMs: 10_000, rebalanceTimeoutMs: 30_000)), nowMs: t)
        m.h.world.submit(.join(ExternalJoin(client: "wire-4", group: "g", memberID: "", clientID: "x", protocolType: "connect",
                                            protocols: [ExternalProtocol(name: "range", metadata: m.metaA)],
                                            sessionTimeoutMs: 10_000, rebalanceTimeoutMs: 30_000)), nowMs: t)
        m.h.world.submit(.join(ExternalJoin(client: "wire-5", group: "g", memberID: "", clientID: "x",
                                            protocols: [ExternalProtocol(name: "range", metadata: m.metaA)],
                                            sessionTimeoutMs: 10, rebalanceTimeoutMs: 30_000)), nowMs: t)
        let codes = m.h.deliver(until: t + 5).compactMap { reply -> Int16? in
            if case let .join(r) = reply.kind { return r.errorCode }
            return nil
        }
        #expect(codes == [23, 23, 26])
        #expect(try m.h.world.describe("g", cluster: m.h.cluster).state == .stable)
    }

    // Goal: a closed connection's pending replies are discarded; its member stays until
    // session.timeout.ms and then the survivor is told to rebalance (27).
    @Test func droppedClientRepliesAreDiscarded() throws {
        var m = try joinTwoByHand()
        let t = m.h.now
        m.h.world.submit(.heartbeat(ExternalHeartbeat(client: "wire-2", group: "g", generation: 1, memberID: m.follower)), nowMs: t)
        m.h.stepAll(until: t + 1)  // the heartbeat arrives; its reply is queued for t + 2
        m.h.world.dropExternalClient("wire-2", nowMs: t + 1)
        #expect(m.h.deliver(until: t + 5).isEmpty)
        #expect(m.h.world.timeline.contains { $0.kind == "ConnectionClosed" && $0.from == "wire-2" })
        #expect(try m.h.world.describe("g", cluster: m.h.cluster).members.count == 2)
        // The leader keeps heartbeating; the follower's session expires 10 s after its last heartbeat.
        var codes: [Int16] = []
        var now = t
        while now < t + 15_000 {
            now += 3_000
            m.h.world.submit(.heartbeat(ExternalHeartbeat(client: "wire-1", group: "g", generation: 1, memberID: m.leader)), nowMs: now)
            for reply in m.h.deliver(until: now + 5) { if case let .heartbeat(code) = reply.kind { codes.append(code) } }
        }
        #expect(codes.first == 0 && codes.last == 27)
        #expect(m.h.world.timeline.contains { $0.kind == "SessionTimeout" && $0.atMs == t + 1 + 10_000 })
        #expect(m.h.violations.isEmpty, "\(m.h.violations)")
    }

    // Goal: a LeaveGroup while the leaver's JoinGroup is parked answers that JoinGroup with
    // UNKNOWN_MEMBER_ID (Kafka removeMemberAndUpdateClassicGroup), so no wire request is left unanswered.
    @Test func leaveAnswersParkedJoin() throws {
        var m = try joinTwoByHand()
        let t = m.h.now
        // wire-1 (leader) rejoins → rebalance; its JoinGroup is parked waiting for wire-2.
        m.h.world.submit(.join(ExternalJoin(client: "wire-1", group: "g", memberID: m.leader, clientID: "rdkafka",
                                            protocols: [ExternalProtocol(name: "range", metadata: m.metaA)],
                                            sessionTimeoutMs: 10_000, rebalanceTimeoutMs: 30_000)), nowMs: t)
        #expect(m.h.deliver(until: t + 5).isEmpty)
        m.h.world.submit(.leave(ExternalLeave(client: "wire-1", group: "g", memberID: m.leader)), nowMs: t + 5)
        let replies = m.h.deliver(until: t + 10).map(\.kind)
        #expect(replies.contains(.leave(errorCode: 0)))
        #expect(replies.contains { if case let .join(r) = $0 { return r.errorCode == 25 } else { return false } })
        #expect(m.h.violations.isEmpty, "\(m.h.violations)")
    }

    // Goal: static membership for external members (KIP-345): no MEMBER_ID_REQUIRED, and a restart
    // with the same group.instance.id fences the old member id (82) without a rebalance.
    @Test func staticExternalMember() throws {
        var h = try Harness(topics: [("orders", 2)])
        var clients = [WireClient(name: "wire-1", group: "g", topics: ["orders"])]
        clients[0].instanceID = "host-a"
        h.world.submit(clients[0].join(), nowMs: 0)
        try h.pump(&clients, to: 4_000)
        guard case let .join(first)? = clients[0].replies.first?.kind else { Issue.record("no join"); return }
        #expect(first.errorCode == 0 && first.memberID == "host-a-1")
        let generation = try h.world.describe("g", cluster: h.cluster).generation
        // The process restarts on a new connection with the same instance id.
        var restarted = WireClient(name: "wire-2", group: "g", topics: ["orders"])
        restarted.instanceID = "host-a"
        clients.append(restarted)
        clients[0].heartbeating = false
        h.world.submit(clients[1].join(), nowMs: h.now)
        try h.pump(&clients, to: h.now + 50)
        #expect(clients[1].memberID == "host-a-2" && clients[1].assignment == [TopicPartition("orders", 0), TopicPartition("orders", 1)])
        let d = try h.world.describe("g", cluster: h.cluster)
        #expect(d.generation == generation && d.state == .stable && d.members.map(\.memberID) == ["host-a-2"])
        h.world.submit(.heartbeat(ExternalHeartbeat(client: "wire-1", group: "g", generation: generation, memberID: "host-a-1",
                                                    instanceID: "host-a")), nowMs: h.now)
        #expect(h.deliver(until: h.now + 5).map(\.kind) == [.heartbeat(errorCode: 82)])
        #expect(h.violations.isEmpty, "\(h.violations)")
    }

    // Goal: no coordinator (every broker down) → COORDINATOR_NOT_AVAILABLE (15); the world's state with
    // external members survives a Codable round trip.
    @Test func coordinatorNotAvailableAndCodable() throws {
        var m = try joinTwoByHand()
        let encoded = try JSONEncoder().encode(m.h.world)
        #expect(try JSONDecoder().decode(GroupWorld.self, from: encoded) == m.h.world)
        for id in m.h.cluster.aliveBrokerIDs { try m.h.cluster.stopBroker(id) }
        m.h.world.submit(.heartbeat(ExternalHeartbeat(client: "wire-1", group: "g", generation: 1, memberID: m.leader)), nowMs: m.h.now)
        m.h.world.submit(.offsetFetch(ExternalOffsetFetch(client: "wire-1", group: "g", partitions: nil)), nowMs: m.h.now)
        #expect(m.h.deliver(until: m.h.now + 5).map(\.kind) == [.heartbeat(errorCode: 15), .offsetFetch([], errorCode: 15)])
    }
}

extension Harness {
    func offsetsTopicRecords(kind: String) -> [OffsetsTopicRecord] { world.offsetsTopicRecords.filter { $0.kind == kind } }
}

@Suite struct ExternalRandomWalkTests {
    // Goal: invariants hold after every step while simulated consumers and well-behaved and hostile
    // external clients share groups (silences, resumed heartbeats, closed connections, leaves,
    // commits to bad partitions, garbage metadata and syncs, unknown protocol names); replies never
    // reach a closed connection. Method: seeded random walks over 120 simulated seconds.
    @Test(arguments: [1, 2, 3, 4] as [UInt64])
    func randomWalk(seed: UInt64) throws {
        var rng = SplitMix64(seed: seed)
        var h = try Harness(topics: [("orders", 4), ("audit", 2)])
        _ = try h.add(config("g"), topics: ["orders"])
        _ = try h.add(config("g") { $0.sessionTimeoutMs = 10_000 }, topics: ["orders", "audit"])
        var clients: [WireClient] = []
        var nextName = 1
        func newClient(_ rng: inout SplitMix64) -> WireClient {
            defer { nextName += 1 }
            let opaque = rng.next(below: 3) == 0
            var c = WireClient(name: "wire-\(nextName)", group: opaque ? "h" : "g", topics: rng.next(below: 2) == 0 ? ["orders"] : ["orders", "audit"])
            c.protocols = opaque ? [("x-\(rng.next(below: 2))", nil), ("range", nil)] : [("range", nil), ("roundrobin", nil)]
            if rng.next(below: 4) == 0 { c.instanceID = "static-\(rng.next(below: 3))" }
            return c
        }
        for _ in 0..<3 { clients.append(newClient(&rng)) }
        for c in clients { h.world.submit(c.join(), nowMs: 0) }
        var mixedStable = 0, opaqueStable = 0, expiries = 0
        while h.now < 120_000 {
            try h.pump(&clients, to: h.now + 200, tickMs: 50)
            expiries += h.delivered.filter { $0.kind == "SessionTimeout" && $0.detail.contains("removed") }.count
            h.delivered.removeAll()
            if let g = try? h.world.describe("g", cluster: h.cluster), g.state == .stable,
               g.members.contains(where: { $0.clientID == "rdkafka" }), g.members.contains(where: { $0.clientID.hasPrefix("consumer-") }) {
                mixedStable += 1
            }
            if let g = try? h.world.describe("h", cluster: h.cluster), g.state == .stable, g.protocolName.hasPrefix("x-") { opaqueStable += 1 }
            guard !clients.isEmpty else { break }
            let i = Int(rng.next(below: UInt64(clients.count)))
            let c = clients[i]
            switch rng.next(below: 20) {
            case 0: clients[i].heartbeating.toggle()
            case 1:  // connection closes; the process comes back on a new connection
                h.world.dropExternalClient(c.name, nowMs: h.now)
                clients.remove(at: i)
                let fresh = newClient(&rng)
                clients.append(fresh)
                h.world.submit(fresh.join(), nowMs: h.now)
            case 2:
                h.world.submit(.leave(ExternalLeave(client: c.name, group: c.group, memberID: c.memberID)), nowMs: h.now)
                clients[i].inGeneration = false
            case 3, 4:
                h.world.submit(.commit(ExternalCommit(client: c.name, group: c.group, generation: c.generation, memberID: c.memberID, offsets: [
                    ExternalCommitOffset(topic: "orders", partition: Int(rng.next(below: 6)), offset: rng.next(in: -2...50),
                                         metadata: rng.next(below: 5) == 0 ? String(repeating: "m", count: 5_000) : nil),
                    ExternalCommitOffset(topic: rng.next(below: 2) == 0 ? "audit" : "missing", partition: 0, offset: 3),
                ])), nowMs: h.now)
            case 5:
                h.world.submit(.offsetFetch(ExternalOffsetFetch(client: c.name, group: c.group,
                                                                partitions: rng.next(below: 2) == 0 ? nil : [TopicPartition("orders", 1)])), nowMs: h.now)
            case 6:  // a garbage JoinGroup from a new connection that then goes away
                let garbage = (0..<Int(rng.next(below: 12))).map { _ in UInt8(truncatingIfNeeded: rng.next()) }
                let name = "wire-\(nextName)"
                nextName += 1
                h.world.submit(.join(ExternalJoin(client: name, group: c.group, memberID: rng.next(below: 2) == 0 ? "" : "bogus",
                                                  clientID: "fuzz", protocols: [ExternalProtocol(name: "range", metadata: garbage)],
                                                  sessionTimeoutMs: 6_000 + rng.next(in: -1...1), rebalanceTimeoutMs: 10_000)), nowMs: h.now)
                h.world.dropExternalClient(name, nowMs: h.now + 1)
            case 7:  // a follower-style SyncGroup carrying garbage assignments
                let garbage = (0..<Int(rng.next(below: 12))).map { _ in UInt8(truncatingIfNeeded: rng.next()) }
                h.world.submit(.sync(ExternalSync(client: c.name, group: c.group, generation: c.generation, memberID: c.memberID + "?",
                                                  assignments: [ExternalMemberAssignment(memberID: c.memberID, assignment: garbage)])), nowMs: h.now)
            default: break
            }
        }
        #expect(h.violations.isEmpty, "\(h.violations.prefix(5))")
        #expect(h.world.checkInvariants().isEmpty)
        // The walk really exercised mixed groups, opaque protocols and session expiry.
        #expect(mixedStable > 0 && opaqueStable > 0 && expiries > 0, "mixed \(mixedStable) opaque \(opaqueStable) expiries \(expiries)")
        for group in h.world.groupIDs { _ = try h.world.describe(group, cluster: h.cluster) }
    }
}
