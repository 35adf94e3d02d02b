import Kafka
import KafkaWire
import SimKit
import Testing
@testable import KafkaServe

/// Malformed, oversized, unknown and mutated frames never crash the broker and never corrupt the
/// log: the cluster's and the groups' invariants hold after every frame (the robustness
/// rule; the codec's own fuzzing is in KafkaWireTests).
struct WireBrokerFuzzTests {
    /// Valid frames of every request kind a client sends, to mutate.
    static func seeds() -> [[UInt8]] {
        let batch = RecordBatchBuilder(baseOffset: 0, timestamp: 1_700_000_000_000, keyValues: [(Array("k".utf8), Array("v".utf8))]).build()
        let subscription = ConsumerProtocolSubscription(topics: ["t"]).encoded()
        let requests: [(KafkaRequest, Int16)] = [
            (.apiVersions(ApiVersionsRequest(clientSoftwareName: "librdkafka", clientSoftwareVersion: "2")), 3),
            (.metadata(MetadataRequest(topics: ["t"])), 8),
            (.produce(ProduceRequest(acks: -1, timeoutMs: 100, topics: [.init(name: "t", partitions: [.init(index: 0, records: batch)])])), 7),
            (.fetch(FetchRequest(maxWaitMs: 0, minBytes: 1, maxBytes: 1 << 20,
                                 topics: [.init(topic: "t", partitions: [.init(partition: 0, fetchOffset: 0, partitionMaxBytes: 1 << 20)])])), 11),
            (.listOffsets(ListOffsetsRequest(topics: [.init(name: "t", partitions: [.init(partitionIndex: 0, timestamp: -1)])])), 5),
            (.findCoordinator(FindCoordinatorRequest(key: "g")), 2),
            (.joinGroup(JoinGroupRequest(groupId: "g", sessionTimeoutMs: 10_000, rebalanceTimeoutMs: 10_000, memberId: "",
                                         protocolType: "consumer", protocols: [.init(name: "range", metadata: subscription)])), 5),
            (.offsetCommit(OffsetCommitRequest(groupId: "g", generationId: -1, memberId: "",
                                               topics: [.init(name: "t", partitions: [.init(partitionIndex: 0, committedOffset: 1)])])), 7),
            (.offsetFetch(OffsetFetchRequest(groupId: "g", topics: nil)), 5),
            (.initProducerId(InitProducerIdRequest(transactionTimeoutMs: 100)), 1),
        ]
        return requests.map { Array($0.0.encodeFrame(apiVersion: $0.1, correlationId: 1, clientId: "fuzz").dropFirst(4)) }
    }

    @Test(arguments: [UInt64(1), 2, 3])
    func randomAndMutatedFrames(seed: UInt64) {
        var rng = SplitMix64(seed: seed)
        var broker = WireBroker(config: WireBrokerConfig(ports: [1: 9092, 2: 9093, 3: 9094], defaultPartitions: 2))
        var cluster = Cluster(brokerCount: 3)
        var groups = GroupWorld()
        let seeds = Self.seeds()
        var now: Int64 = 1_000
        for i in 0..<3_000 {
            var frame: [UInt8]
            switch rng.next(below: 4) {
            case 0:   // pure noise
                frame = (0..<Int(rng.next(below: 64))).map { _ in UInt8(truncatingIfNeeded: rng.next()) }
            case 1:   // a valid frame, untouched (keeps the cluster busy)
                frame = seeds[Int(rng.next(below: UInt64(seeds.count)))]
            default:  // a valid frame with flips, truncation or an inflated length
                frame = seeds[Int(rng.next(below: UInt64(seeds.count)))]
                for _ in 0..<(1 + Int(rng.next(below: 4))) where !frame.isEmpty {
                    let at = Int(rng.next(below: UInt64(frame.count)))
                    switch rng.next(below: 3) {
                    case 0: frame[at] ^= UInt8(truncatingIfNeeded: rng.next() | 1)
                    case 1: frame = Array(frame.prefix(at))
                    default: frame[at] = 0x7f
                    }
                }
            }
            let brokerID = Int(rng.next(below: 3)) + 1
            _ = broker.handle(frame: frame, ticket: WireTicket(connection: Int(rng.next(below: 4)), sequence: UInt64(i)),
                              broker: brokerID, nowMs: now, cluster: &cluster, groups: &groups)
            now += Int64(rng.next(below: 50))
            _ = broker.tick(nowMs: now, cluster: cluster, groups: &groups)
            let problems = cluster.checkInvariants() + groups.checkInvariants()
            #expect(problems.isEmpty, "seed \(seed) frame \(i): \(problems)")
            if !problems.isEmpty { return }
        }
    }
}
