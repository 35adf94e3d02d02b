import Kafka
import KafkaWire
import Testing
@testable import KafkaServe

/// The broker side over the simulator's cluster, driven with real request frames (encoded by
/// KafkaWire as a client would) and checked by decoding the response frames.
struct WireBrokerTests {
    static let ports = [1: 9092, 2: 9093, 3: 9094]

    struct Harness {
        var broker = WireBroker(config: WireBrokerConfig(ports: WireBrokerTests.ports, defaultPartitions: 3, defaultReplicationFactor: 3))
        var cluster = Cluster(brokerCount: 3)
        var groups = GroupWorld()
        var sequence: UInt64 = 0
        var now: Int64 = 1_000

        mutating func send(_ request: KafkaRequest, version: Int16, to broker: Int = 1) -> WireOutcome {
            sequence += 1
            let frame = Array(request.encodeFrame(apiVersion: version, correlationId: Int32(sequence), clientId: "rdkafka").dropFirst(4))
            return self.broker.handle(frame: frame, ticket: WireTicket(connection: 1, sequence: sequence), broker: broker,
                                      nowMs: now, cluster: &cluster, groups: &groups)
        }

        mutating func call(_ request: KafkaRequest, version: Int16, to broker: Int = 1) throws -> KafkaResponse {
            guard case let .respond(bytes) = send(request, version: version, to: broker) else {
                throw WireError(.invalidRecord("no immediate response"), at: 0)
            }
            return try KafkaResponse.decode(frame: bytes, apiKey: request.apiKey.rawValue, apiVersion: version).1
        }

        mutating func tick(_ nowMs: Int64) -> [(WireTicket, [UInt8])] {
            broker.tick(nowMs: nowMs, cluster: cluster, groups: &groups)
        }

        func leader(_ topic: String, _ partition: Int) -> Int {
            (try? cluster.topic(topic))?.partitions[partition].leader ?? -1
        }
    }

    static func batch(_ values: [String], key: String? = nil) -> [UInt8] {
        RecordBatchBuilder(baseOffset: 0, timestamp: 1_700_000_000_000,
                           keyValues: values.map { (key.map { Array($0.utf8) }, Array($0.utf8)) }).build()
    }

    // Goal: ApiVersions advertises exactly the APIs this broker answers (kafka.md §6.2: clients gate
    // features on the list), and an unknown ApiVersions version gets KIP-511's v0-layout answer.
    @Test func apiVersions() throws {
        var h = Harness()
        guard case let .apiVersions(r) = try h.call(.apiVersions(ApiVersionsRequest(clientSoftwareName: "librdkafka", clientSoftwareVersion: "2.5")), version: 3) else {
            Issue.record("not an ApiVersions response"); return
        }
        #expect(r.errorCode == 0)
        #expect(r.apiKeys == WireBroker.advertised)
        #expect(r.apiKeys.contains { $0.apiKey == ApiKey.produce.rawValue })
        #expect(r.apiKeys.contains { $0.apiKey == ApiKey.joinGroup.rawValue })
        var frame = Array(KafkaRequest.apiVersions(ApiVersionsRequest()).encodeFrame(apiVersion: 3, correlationId: 9, clientId: "x").dropFirst(4))
        frame[2] = 0; frame[3] = 9          // ApiVersions v9, which nobody implements
        var broker = h.broker
        let outcome = broker.handle(frame: frame, ticket: WireTicket(connection: 1, sequence: 99), broker: 1, nowMs: 0, cluster: &h.cluster, groups: &h.groups)
        guard case let .respond(bytes) = outcome else {
            Issue.record("expected a response"); return
        }
        #expect(bytes == Array(ApiVersionsResponse.unsupportedVersionFrame(correlationId: 9).dropFirst(4)))
    }

    // Goal: Metadata lists the brokers at their ports and auto-creates a topic the client allows
    // (auto.create.topics.enable=true, num.partitions from the config); a consumer's Metadata that
    // does not allow it gets UNKNOWN_TOPIC_OR_PARTITION.
    @Test func metadataAutoCreates() throws {
        var h = Harness()
        guard case let .metadata(m) = try h.call(.metadata(MetadataRequest(topics: ["orders"], allowAutoTopicCreation: true)), version: 8) else {
            Issue.record("not a Metadata response"); return
        }
        #expect(m.brokers.map(\.port) == [9092, 9093, 9094])
        #expect(m.topics.first?.partitions.count == 3)
        #expect(m.topics.first?.partitions.allSatisfy { $0.leaderEpoch == -1 && $0.replicaNodes.count == 3 } == true)
        guard case let .metadata(missing) = try h.call(.metadata(MetadataRequest(topics: ["nope"], allowAutoTopicCreation: false)), version: 8) else { return }
        #expect(missing.topics.first?.errorCode == KafkaErrorCode.unknownTopicOrPartition.rawValue)
        #expect((try? h.cluster.topic("nope")) == nil)
    }

    // Goal: records produced over the wire land in the simulator's log (what `kafka log` shows) and
    // come back from Fetch as a v2 batch with the right offsets; the leader rule holds.
    @Test func produceThenFetch() throws {
        var h = Harness()
        _ = try h.call(.metadata(MetadataRequest(topics: ["orders"])), version: 8)
        let leader = h.leader("orders", 0)
        let produce = ProduceRequest(acks: -1, timeoutMs: 1000, topics: [.init(name: "orders", partitions: [.init(index: 0, records: Self.batch(["a", "b", "c"], key: "k"))])])
        guard case let .produce(p) = try h.call(.produce(produce), version: 7, to: leader) else { Issue.record("no produce response"); return }
        #expect(p.responses.first?.partitions.first?.errorCode == 0)
        #expect(p.responses.first?.partitions.first?.baseOffset == 0)
        let stored = try h.cluster.fetch(topic: "orders", partition: 0, offset: 0, maxRecords: 10)
        #expect(stored.map { String(decoding: $0.record.value ?? [], as: UTF8.self) } == ["a", "b", "c"])
        #expect(stored.first?.record.key == Array("k".utf8))

        let fetch = FetchRequest(maxWaitMs: 500, minBytes: 1, maxBytes: 1 << 20,
                                 topics: [.init(topic: "orders", partitions: [.init(partition: 0, fetchOffset: 1, partitionMaxBytes: 1 << 20)])])
        guard case let .fetch(f) = try h.call(.fetch(fetch), version: 11, to: leader) else { Issue.record("no fetch response"); return }
        let part = try #require(f.responses.first?.partitions.first)
        #expect(part.highWatermark == 3 && part.lastStableOffset == 3)
        let batches = try RecordBatch.parse(part.records ?? [], allowPartialTrailing: true).batches
        #expect(batches.first?.header.baseOffset == 1)
        #expect(try batches.first?.records().map { String(decoding: $0.value ?? [], as: UTF8.self) } == ["b", "c"])

        // Another broker is not the leader: NOT_LEADER_OR_FOLLOWER, and nothing is appended.
        let other = [1, 2, 3].first { $0 != leader } ?? 1
        guard case let .produce(wrong) = try h.call(.produce(produce), version: 7, to: other) else { return }
        #expect(wrong.responses.first?.partitions.first?.errorCode == KafkaErrorCode.notLeaderOrFollower.rawValue)
        #expect(try h.cluster.fetch(topic: "orders", partition: 0, offset: 0, maxRecords: 10).count == 3)
    }

    // Goal: a batch whose CRC-32C does not match is refused with CORRUPT_MESSAGE and never stored
    // (kafka.md §6.4: the CRC covers attributes to the end); acks=0 gets no response at all.
    @Test func corruptBatchAndAcksZero() throws {
        var h = Harness()
        _ = try h.call(.metadata(MetadataRequest(topics: ["t"])), version: 8)
        let leader = h.leader("t", 0)
        var bad = Self.batch(["x"])
        bad[bad.count - 1] ^= 0xff
        let produce = ProduceRequest(acks: 1, timeoutMs: 1000, topics: [.init(name: "t", partitions: [.init(index: 0, records: bad)])])
        guard case let .produce(p) = try h.call(.produce(produce), version: 7, to: leader) else { return }
        #expect(p.responses.first?.partitions.first?.errorCode == KafkaErrorCode.corruptMessage.rawValue)
        #expect(try h.cluster.fetch(topic: "t", partition: 0, offset: 0, maxRecords: 10).isEmpty)
        let quiet = ProduceRequest(acks: 0, timeoutMs: 1000, topics: [.init(name: "t", partitions: [.init(index: 0, records: Self.batch(["y"]))])])
        #expect(h.send(.produce(quiet), version: 7, to: leader) == .noResponse)
        #expect(try h.cluster.fetch(topic: "t", partition: 0, offset: 0, maxRecords: 10).count == 1)
    }

    // Goal: an empty Fetch waits (up to max_wait_ms) instead of spinning the client, and is answered
    // as soon as data arrives or the wait is over (kafka.md §6.3).
    @Test func fetchWaits() throws {
        var h = Harness()
        _ = try h.call(.metadata(MetadataRequest(topics: ["t"])), version: 8)
        let leader = h.leader("t", 0)
        let fetch = FetchRequest(maxWaitMs: 500, minBytes: 1, maxBytes: 1 << 20,
                                 topics: [.init(topic: "t", partitions: [.init(partition: 0, fetchOffset: 0, partitionMaxBytes: 1 << 20)])])
        #expect(h.send(.fetch(fetch), version: 11, to: leader) == .later)
        #expect(h.broker.nextDeadlineMs(groups: h.groups) == 1_500)
        #expect(h.tick(1_200).isEmpty)
        let produce = ProduceRequest(acks: 1, timeoutMs: 1000, topics: [.init(name: "t", partitions: [.init(index: 0, records: Self.batch(["late"]))])])
        _ = try h.call(.produce(produce), version: 7, to: leader)
        let done = h.tick(1_300)
        #expect(done.count == 1)
        // A second empty fetch is answered empty at its deadline.
        #expect(h.send(.fetch(FetchRequest(maxWaitMs: 100, minBytes: 1, maxBytes: 1 << 20,
                                           topics: [.init(topic: "t", partitions: [.init(partition: 0, fetchOffset: 1, partitionMaxBytes: 1 << 20)])])),
                       version: 11, to: leader) == .later)
        #expect(h.tick(1_099).isEmpty)
        #expect(h.tick(1_100).count == 1)
    }

    // Goal: ListOffsets earliest (-2) is the log start, latest (-1) the high watermark.
    @Test func listOffsets() throws {
        var h = Harness()
        _ = try h.call(.metadata(MetadataRequest(topics: ["t"])), version: 8)
        let leader = h.leader("t", 0)
        let produce = ProduceRequest(acks: 1, timeoutMs: 1000, topics: [.init(name: "t", partitions: [.init(index: 0, records: Self.batch(["1", "2"]))])])
        _ = try h.call(.produce(produce), version: 7, to: leader)
        let request = ListOffsetsRequest(topics: [.init(name: "t", partitions: [.init(partitionIndex: 0, timestamp: -2), .init(partitionIndex: 1, timestamp: -1)])])
        guard case let .listOffsets(r) = try h.call(.listOffsets(request), version: 5, to: leader) else { return }
        #expect(r.topics.first?.partitions.first?.offset == 0)
        let latest = ListOffsetsRequest(topics: [.init(name: "t", partitions: [.init(partitionIndex: 0, timestamp: -1)])])
        guard case let .listOffsets(l) = try h.call(.listOffsets(latest), version: 5, to: leader) else { return }
        #expect(l.topics.first?.partitions.first?.offset == 2)
    }

    // Goal: garbage closes the connection, never crashes, and changes nothing.
    @Test func garbageCloses() {
        var h = Harness()
        let before = h.cluster
        var broker = h.broker
        let outcome = broker.handle(frame: [1, 2, 3], ticket: WireTicket(connection: 2, sequence: 1), broker: 1, nowMs: 0, cluster: &h.cluster, groups: &h.groups)
        #expect(outcome == .close)
        #expect(h.cluster == before)
    }

    // Goal: a real client's group sequence through the simulator's coordinator: FindCoordinator names
    // the broker Kafka's rule picks; a JoinGroup with no member id gets MEMBER_ID_REQUIRED (KIP-394)
    // and an id; joining again waits out group.initial.rebalance.delay.ms (3 s), then the single
    // member is leader; SyncGroup hands back exactly the assignment bytes the leader sent; a commit
    // is visible to OffsetFetch and in describe's lag.
    @Test func groupThroughTheWire() throws {
        var h = Harness()
        _ = try h.call(.metadata(MetadataRequest(topics: ["t"])), version: 8)
        guard case let .findCoordinator(fc) = try h.call(.findCoordinator(FindCoordinatorRequest(key: "g")), version: 2) else { return }
        let coordinator = Int(fc.nodeId)
        #expect(coordinator == GroupWorld.coordinatorBroker(groupID: "g", cluster: h.cluster).broker)
        // Another broker says NOT_COORDINATOR at once.
        let other = [1, 2, 3].first { $0 != coordinator } ?? 1
        let subscription = ConsumerProtocolSubscription(topics: ["t"]).encoded()
        let join = JoinGroupRequest(groupId: "g", sessionTimeoutMs: 10_000, rebalanceTimeoutMs: 10_000, memberId: "",
                                    protocolType: "consumer", protocols: [.init(name: "range", metadata: subscription)])
        guard case let .joinGroup(wrong) = try h.call(.joinGroup(join), version: 5, to: other) else { return }
        #expect(wrong.errorCode == KafkaErrorCode.notCoordinator.rawValue)

        func run(_ request: KafkaRequest, version: Int16, advance: Int64) throws -> KafkaResponse? {
            #expect(h.send(request, version: version, to: coordinator) == .later)
            h.now += advance
            let done = h.tick(h.now)
            guard let (_, bytes) = done.first else { return nil }
            return try KafkaResponse.decode(frame: bytes, apiKey: request.apiKey.rawValue, apiVersion: version).1
        }
        guard case let .joinGroup(first) = try run(.joinGroup(join), version: 5, advance: 10) else { Issue.record("no join reply"); return }
        #expect(first.errorCode == KafkaErrorCode.memberIdRequired.rawValue)
        var again = join
        again.memberId = first.memberId
        guard case let .joinGroup(joined) = try run(.joinGroup(again), version: 5, advance: 3_100) else { Issue.record("no second join reply"); return }
        #expect(joined.errorCode == 0 && joined.leader == first.memberId)
        #expect(joined.members.map(\.metadata) == [subscription])
        let assignment = ConsumerProtocolAssignment(partitions: [TopicPartition("t", 0)], userData: [7]).encoded()
        let sync = SyncGroupRequest(groupId: "g", generationId: joined.generationId, memberId: first.memberId,
                                    assignments: [.init(memberId: first.memberId, assignment: assignment)])
        guard case let .syncGroup(synced) = try run(.syncGroup(sync), version: 3, advance: 10) else { Issue.record("no sync reply"); return }
        #expect(synced.errorCode == 0 && synced.assignment == assignment)
        let commit = OffsetCommitRequest(groupId: "g", generationId: joined.generationId, memberId: first.memberId,
                                         topics: [.init(name: "t", partitions: [.init(partitionIndex: 0, committedOffset: 0)])])
        guard case let .offsetCommit(committed) = try run(.offsetCommit(commit), version: 7, advance: 10) else { Issue.record("no commit reply"); return }
        #expect(committed.topics.first?.partitions.first?.errorCode == 0)
        guard case let .offsetFetch(fetched) = try run(.offsetFetch(OffsetFetchRequest(groupId: "g", topics: nil)), version: 5, advance: 10) else { return }
        #expect(fetched.topics.first?.partitions.first?.committedOffset == 0)
        let described = try h.groups.describe("g", cluster: h.cluster)
        #expect(described.members.map(\.memberID) == [first.memberId])
        #expect(described.members.first?.assignment == [TopicPartition("t", 0)])
    }

    /// A gzip batch as a client builds one: header uncompressed (attributes codec 1), records
    /// section gzip-compressed, CRC over attributes to the end (kafka.md §6.4).
    static func gzipBatch(_ values: [String]) throws -> [UInt8] {
        let plain = RecordBatchBuilder(baseOffset: 0, timestamp: 1_700_000_000_000,
                                       keyValues: values.map { (nil, Array($0.utf8)) }).build()
        var batch = Array(plain[0..<RecordBatchHeader.size]) + (try Gzip.compress(Array(plain[RecordBatchHeader.size...])))
        batch[22] = (batch[22] & ~0x07) | 1                      // attributes low byte: codec 1 = gzip
        let length = Int32(batch.count - 12)
        for i in 0..<4 { batch[8 + i] = UInt8(truncatingIfNeeded: length >> (24 - 8 * Int32(i))) }
        let crc = CRC32C.checksum(batch, from: 21, to: batch.count)
        for i in 0..<4 { batch[17 + i] = UInt8(truncatingIfNeeded: crc >> (24 - 8 * UInt32(i))) }
        return batch
    }

    // Goal: gzip batches (compression.type=gzip) are inflated and stored as records; a batch that
    // claims gzip but holds garbage is INVALID_RECORD and stores nothing; lz4 stays refused.
    @Test func gzipProduce() throws {
        var h = Harness()
        _ = try h.call(.metadata(MetadataRequest(topics: ["z"])), version: 8)
        let leader = h.leader("z", 0)
        let batch = try Self.gzipBatch(["one", "two", "three"])
        #expect(try RecordBatch.parse(batch, allowPartialTrailing: false).batches.first?.header.compressionCodecId == 1)
        let produce = ProduceRequest(acks: 1, timeoutMs: 1000, topics: [.init(name: "z", partitions: [.init(index: 0, records: batch)])])
        guard case let .produce(p) = try h.call(.produce(produce), version: 7, to: leader) else { return }
        #expect(p.responses.first?.partitions.first?.errorCode == 0)
        let stored = try h.cluster.fetch(topic: "z", partition: 0, offset: 0, maxRecords: 10)
        #expect(stored.map { String(decoding: $0.record.value ?? [], as: UTF8.self) } == ["one", "two", "three"])

        var garbage = Array(batch[0..<RecordBatchHeader.size]) + [1, 2, 3, 4, 5]
        let length = Int32(garbage.count - 12)
        for i in 0..<4 { garbage[8 + i] = UInt8(truncatingIfNeeded: length >> (24 - 8 * Int32(i))) }
        let crc = CRC32C.checksum(garbage, from: 21, to: garbage.count)
        for i in 0..<4 { garbage[17 + i] = UInt8(truncatingIfNeeded: crc >> (24 - 8 * UInt32(i))) }
        let bad = ProduceRequest(acks: 1, timeoutMs: 1000, topics: [.init(name: "z", partitions: [.init(index: 0, records: garbage)])])
        guard case let .produce(b) = try h.call(.produce(bad), version: 7, to: leader) else { return }
        #expect(b.responses.first?.partitions.first?.errorCode == KafkaErrorCode.invalidRecord.rawValue)
        #expect(try h.cluster.fetch(topic: "z", partition: 0, offset: 0, maxRecords: 10).count == 3)
    }
}
