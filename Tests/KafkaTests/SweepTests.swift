import Testing
@testable import Kafka
import SimKit

@Suite struct SweepTests {
    // Goal: every operation — including pausing/resuming fetchers and ISR shrinks (lagging followers) —
    // keeps the model consistent and every throwing operation leaves the cluster unchanged (the brief's
    // invariants, kafka.md §2.4/§3.5/§5.1/§5.4); method: seeded random operation sequences (SplitMix64)
    // on a simulated clock, checkInvariants() after each step, == comparison after each throw.
    @Test(arguments: Array(UInt64(1)...UInt64(12)))
    func randomOperations(seed: UInt64) throws {
        var rng = SplitMix64(seed: seed)
        var cluster = Cluster(brokerCount: 2 + rng.below(4))
        let names = ["a", "b", "orders", "a", "b", "orders", "c.d", "c_d", "..", ""]
        let configKeys = TopicConfig.names + ["bogus"]
        let configValues = ["0", "1", "2", "3", "14", "200", "500", "-1", "true", "false", "compact", "delete", "x"]
        var throwsSeen = 0
        var appended = 0
        var elections = 0
        var unclean = 0
        var nowMs: Int64 = 0
        var pauses = 0
        for step in 0..<600 {
            nowMs += Int64(rng.below(4_000))
            let before = cluster
            let name = names[rng.below(names.count)]
            let broker = rng.below(10) == 0 ? 0 : 1 + rng.below(cluster.brokers.count)
            var threw = false
            do {
                switch rng.below(20) {
                case 0:
                    var config = TopicConfig()
                    if rng.below(2) == 0 { try? config.set("segment.bytes", ["100", "250", "1000"][rng.below(3)]) }
                    if rng.below(3) == 0 { try? config.set("min.insync.replicas", String(1 + rng.below(3))) }
                    if rng.below(3) == 0 { try? config.set("unclean.leader.election.enable", "true") }
                    if rng.below(5) == 0 { try? config.set("cleanup.policy", "compact") }
                    if rng.below(5) == 0 { try? config.set("max.message.bytes", "150") }
                    try cluster.createTopic(name, partitions: rng.below(8) == 0 ? 0 : 1 + rng.below(3),
                                            replicationFactor: rng.below(8) == 0 ? 9 : 1 + rng.below(3),
                                            config: config, startIndex: rng.below(7))
                case 1:
                    try cluster.addPartitions(name, total: rng.below(6), startIndex: rng.below(7))
                case 2 where rng.below(4) == 0:
                    try cluster.deleteTopic(name)
                case 3:
                    try cluster.alterConfig(name, key: configKeys[rng.below(configKeys.count)],
                                            value: configValues[rng.below(configValues.count)])
                case 4, 5:
                    let changes = try cluster.stopBroker(broker)
                    elections += changes.count
                case 6, 7:
                    let changes = try cluster.startBroker(broker)
                    elections += changes.count
                    unclean += changes.filter(\.unclean).count
                case 8:
                    elections += cluster.electPreferredLeaders().count
                case 9:
                    let count = 1 + rng.below(3)
                    _ = try cluster.fetch(topic: name, partition: rng.below(3), offset: Int64(rng.below(12)) - 1,
                                          maxRecords: count)
                case 10, 11:
                    try cluster.pauseFetching(broker: broker, nowMs: nowMs)
                    pauses += 1
                case 12:
                    try cluster.resumeFetching(broker: broker, nowMs: nowMs)
                case 13:
                    // The host's event: nothing is removed before nextIsrShrinkMs(), something at it.
                    if let next = cluster.nextIsrShrinkMs(), next > nowMs {
                        var early = cluster
                        #expect(early.shrinkIsr(nowMs: next - 1).isEmpty)
                        var onTime = cluster
                        #expect(!onTime.shrinkIsr(nowMs: next).isEmpty)
                    }
                    let changes = cluster.shrinkIsr(nowMs: nowMs)
                    #expect(changes.allSatisfy { !$0.removed.isEmpty && $0.added.isEmpty })
                    if let next = cluster.nextIsrShrinkMs() { #expect(next > nowMs) }
                default:
                    let count = rng.below(10) == 0 ? 0 : 1 + rng.below(3)
                    let records = makeRecords(count, from: step, keyed: rng.below(10) != 0)
                    let sizes = (0..<count).map { _ in rng.below(60) }
                    let result = try cluster.append(topic: name, partition: rng.below(10) == 0 ? 3 : rng.below(2), records: records,
                                                    recordSizes: sizes, acks: Acks.allCases[rng.below(3)])
                    #expect(result.lastOffset - result.baseOffset + 1 == Int64(count))
                    appended += count
                }
            } catch let error as KafkaError {
                threw = true
                throwsSeen += 1
                #expect(!error.name.isEmpty)
            }
            if threw {
                #expect(cluster == before, "seed \(seed) step \(step): state changed by a throwing call")
            }
            let problems = cluster.checkInvariants()
            #expect(problems.isEmpty, "seed \(seed) step \(step): \(problems)")
            if !problems.isEmpty { return }
            // Fetch never exposes records at or above the HW.
            for topic in cluster.topics {
                for state in topic.partitions where state.leader != nil {
                    let visible = try cluster.fetch(topic: topic.name, partition: state.index, offset: 0, maxRecords: 1_000)
                    #expect(visible.count == Int(state.highWatermark))
                    #expect(visible.allSatisfy { $0.offset < state.highWatermark })
                }
            }
        }
        #expect(throwsSeen > 0)
        #expect(appended > 0 && elections > 0)
        #expect(pauses > 0)
    }
}
