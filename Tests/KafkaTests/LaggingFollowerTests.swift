import Foundation
import Testing
@testable import Kafka

@Suite struct LaggingFollowerTests {
    /// The records every replica of t-0 holds, by value, as strings.
    private func values(_ cluster: Cluster, broker: Int) throws -> [String] {
        let log = try #require(try cluster.topic("t").partitions[0].logs[broker])
        return log.records(from: 0, upTo: log.logEndOffset, limit: .max).map { String(decoding: $0.record.value ?? [], as: UTF8.self) }
    }

    // Goal: a paused follower stops copying, its LEO falls behind and the HW (smallest ISR LEO) stops at
    // its LEO, so acks=all is left waiting (kafka.md §2.4, §5.4); method: RF 3, pause broker 3, append.
    @Test func pausedFollowerLagsAndHoldsTheHighWatermark() throws {
        var cluster = try threeBrokerTopic()
        try cluster.append(topic: "t", partition: 0, records: makeRecords(2), recordSizes: [10, 10], acks: .all)
        try cluster.pauseFetching(broker: 3, nowMs: 1_000)
        #expect(cluster.pausedBrokers == [3])
        let result = try cluster.append(topic: "t", partition: 0, records: makeRecords(3, from: 2),
                                        recordSizes: [10, 10, 10], acks: .all)
        #expect(result.baseOffset == 2 && result.lastOffset == 4)
        #expect(result.highWatermark == 2 && !result.committed)  // acks=all: still waiting
        let state = try cluster.topic("t").partitions[0]
        #expect(state.isr == [1, 2, 3])  // still a member, for now
        #expect(state.logs[1]?.logEndOffset == 5 && state.logs[2]?.logEndOffset == 5 && state.logs[3]?.logEndOffset == 2)
        #expect(state.laggingReplicas == [3])
        #expect(state.lastCaughtUpTimeMs == [3: 1_000])
        #expect(try cluster.fetch(topic: "t", partition: 0, offset: 0, maxRecords: 10).count == 2)
        #expect(cluster.checkInvariants().isEmpty)
    }

    // Goal: acks=1 is acknowledged as soon as the leader has the batch, even while the HW lags behind it
    // (kafka.md §2.4); method: pause the only follower of an RF 2 partition, append with acks=1.
    @Test func acksOneIsAcknowledgedWhileTheHighWatermarkLags() throws {
        var cluster = Cluster(brokerCount: 2)
        try cluster.createTopic("t", partitions: 1, replicationFactor: 2, config: TopicConfig(), startIndex: 0)
        try cluster.pauseFetching(broker: 2, nowMs: 0)
        let result = try cluster.append(topic: "t", partition: 0, records: makeRecords(2), recordSizes: [5, 5], acks: .leader)
        #expect(result.baseOffset == 0 && result.lastOffset == 1 && result.acks == .leader)
        #expect(result.highWatermark == 0 && !result.committed)
        #expect(try cluster.topic("t").partitions[0].logEndOffset == 2)
        #expect(try cluster.fetch(topic: "t", partition: 0, offset: 0, maxRecords: 10).isEmpty)
        #expect(cluster.checkInvariants().isEmpty)
    }

    // Goal: a follower behind the leader's LEO for more than replica.lag.time.max.ms leaves the ISR and
    // the HW advances (Partition.maybeShrinkIsr, kafka.md §5.4); method: pause at 1000, append, check
    // nextIsrShrinkMs == 1000 + 30000 + 1 exactly, shrink just before and at it; then a shorter lag time.
    @Test func shrinkIsrAfterReplicaLagTimeMax() throws {
        var cluster = try threeBrokerTopic()
        try cluster.pauseFetching(broker: 3, nowMs: 1_000)
        #expect(cluster.nextIsrShrinkMs() == nil)  // caught up: nothing to lag behind yet
        try cluster.append(topic: "t", partition: 0, records: makeRecords(3), recordSizes: [10, 10, 10], acks: .all)
        #expect(cluster.nextIsrShrinkMs() == 31_001)
        #expect(cluster.shrinkIsr(nowMs: 31_000).isEmpty)  // now - lastCaughtUp == max lag: still in sync
        let changes = cluster.shrinkIsr(nowMs: 31_001)
        #expect(changes == [IsrChange(topic: "t", partition: 0, removed: [3], added: [], highWatermark: 3)])
        let state = try cluster.topic("t").partitions[0]
        #expect(state.isr == [1, 2] && state.highWatermark == 3)
        #expect(cluster.nextIsrShrinkMs() == nil)
        #expect(cluster.shrinkIsr(nowMs: 99_000).isEmpty)
        #expect(try cluster.describe("t").hasSuffix("Leader: 1\tReplicas: 1,2,3\tIsr: 1,2"))
        #expect(cluster.checkInvariants().isEmpty)

        var quick = try threeBrokerTopic()
        quick.replicaLagTimeMaxMs = 10_000
        try quick.pauseFetching(broker: 2, nowMs: 500)
        try quick.append(topic: "t", partition: 0, records: makeRecords(1), recordSizes: [1], acks: .leader)
        #expect(quick.nextIsrShrinkMs() == 10_501)
        #expect(quick.shrinkIsr(nowMs: 10_501).map(\.removed) == [[2]])
    }

    // Goal: resuming the fetchers catches the follower up at once, it rejoins the ISR and the HW
    // advances (Partition.maybeExpandIsr, kafka.md §5.4); method: pause, append, shrink, resume; and a
    // resume before any shrink, which only moves the HW.
    @Test func resumeCatchesUpAndRejoins() throws {
        var cluster = try threeBrokerTopic()
        try cluster.pauseFetching(broker: 3, nowMs: 0)
        try cluster.append(topic: "t", partition: 0, records: makeRecords(3), recordSizes: [10, 10, 10], acks: .leader)
        cluster.shrinkIsr(nowMs: 30_001)
        let back = try cluster.resumeFetching(broker: 3, nowMs: 40_000)
        #expect(back == [IsrChange(topic: "t", partition: 0, removed: [], added: [3], highWatermark: 3)])
        var state = try cluster.topic("t").partitions[0]
        #expect(state.isr == [1, 2, 3] && state.logs[3] == state.logs[1] && state.highWatermark == 3)
        #expect(state.lastCaughtUpTimeMs.isEmpty && cluster.pausedBrokers.isEmpty)
        #expect(try cluster.resumeFetching(broker: 3, nowMs: 40_001).isEmpty)  // not paused: nothing to do

        try cluster.pauseFetching(broker: 2, nowMs: 50_000)
        let waiting = try cluster.append(topic: "t", partition: 0, records: makeRecords(2, from: 3), recordSizes: [1, 1], acks: .all)
        #expect(!waiting.committed)
        let caughtUp = try cluster.resumeFetching(broker: 2, nowMs: 51_000)
        #expect(caughtUp == [IsrChange(topic: "t", partition: 0, removed: [], added: [], highWatermark: 5)])
        state = try cluster.topic("t").partitions[0]
        #expect(state.highWatermark > waiting.lastOffset)  // the waiting acks=all request completes now
        #expect(cluster.checkInvariants().isEmpty)
    }

    // Goal: THE lesson "acks=1 acknowledged, then lost" (kafka.md §2.4 acks=1 "lost if leader dies before
    // followers copy", §5.4 election = first alive ISR replica in assignment order, regardless of log
    // length); method: RF 3 [1,2,3], pause 2, acks=1 append, stop leader 1 → paused 2 is elected cleanly
    // with the shorter log, 3 truncates, then restarting 1 truncates its tail: the records are gone.
    @Test func acksOneAcknowledgedThenLost() throws {
        var cluster = try threeBrokerTopic()
        try cluster.append(topic: "t", partition: 0, records: makeRecords(2), recordSizes: [10, 10], acks: .all)
        try cluster.pauseFetching(broker: 2, nowMs: 0)
        let acked = try cluster.append(topic: "t", partition: 0, records: makeRecords(3, from: 2),
                                       recordSizes: [10, 10, 10], acks: .leader)
        #expect(acked.baseOffset == 2 && acked.lastOffset == 4 && acked.highWatermark == 2)  // acknowledged, above HW
        #expect(try values(cluster, broker: 1) == ["v0", "v1", "v2", "v3", "v4"])

        let election = try cluster.stopBroker(1)
        #expect(election == [ElectionChange(topic: "t", partition: 0, oldLeader: 1, newLeader: 2,
                                            unclean: false, truncatedRecords: 3)])
        var state = try cluster.topic("t").partitions[0]
        #expect(state.leader == 2 && state.leaderEpoch == 1 && state.isr == [2, 3])
        #expect(state.highWatermark == 2 && state.logEndOffset == 2)
        #expect(try values(cluster, broker: 2) == ["v0", "v1"])  // the acks=1 records are not in its log
        #expect(try values(cluster, broker: 3) == ["v0", "v1"])  // the fetching follower truncated to it
        #expect(try values(cluster, broker: 1) == ["v0", "v1", "v2", "v3", "v4"])  // stopped: not yet
        #expect(cluster.pausedBrokers == [2])
        #expect(cluster.checkInvariants().isEmpty)

        // A paused leader still serves appends (pausing stops fetching only); new records reuse offset 2.
        let fresh = try cluster.append(topic: "t", partition: 0, records: makeRecords(1, from: 100), recordSizes: [10], acks: .all)
        #expect(fresh.baseOffset == 2 && fresh.committed)

        #expect(try cluster.startBroker(1).isEmpty)  // no election: it follows 2 and truncates
        state = try cluster.topic("t").partitions[0]
        #expect(state.isr == [1, 2, 3] && state.logs[1] == state.logs[2])
        for broker in 1...3 {
            #expect(try values(cluster, broker: broker) == ["v0", "v1", "v100"])  // v2...v4 gone everywhere
        }
        let visible = try cluster.fetch(topic: "t", partition: 0, offset: 0, maxRecords: 10)
        #expect(visible.map(\.leaderEpoch) == [0, 0, 1])
        #expect(cluster.checkInvariants().isEmpty)
    }

    // Goal: with acks=all the same failure loses nothing acknowledged — the HW never passed the records,
    // so the request was never answered — and once the ISR has shrunk below min.insync.replicas acks=all
    // is refused before appending (kafka.md §2.4 NOT_ENOUGH_REPLICAS, §5.4 KAFKA-15583); method: the
    // loss scenario with acks=all, then min.insync.replicas=2 with both followers paused and dropped.
    @Test func acksAllNeverCommittedAndNotEnoughReplicas() throws {
        var cluster = try threeBrokerTopic()
        try cluster.append(topic: "t", partition: 0, records: makeRecords(2), recordSizes: [10, 10], acks: .all)
        try cluster.pauseFetching(broker: 2, nowMs: 0)
        let waiting = try cluster.append(topic: "t", partition: 0, records: makeRecords(3, from: 2),
                                         recordSizes: [10, 10, 10], acks: .all)
        #expect(!waiting.committed && waiting.highWatermark == 2)
        #expect(try cluster.fetch(topic: "t", partition: 0, offset: 0, maxRecords: 10).count == 2)
        let election = try cluster.stopBroker(1)
        #expect(election.first?.newLeader == 2 && election.first?.truncatedRecords == 3)
        #expect(try cluster.topic("t").partitions[0].highWatermark == 2)  // never committed, never visible
        try cluster.startBroker(1)
        #expect(try values(cluster, broker: 1) == ["v0", "v1"])
        #expect(cluster.checkInvariants().isEmpty)

        var strict = try threeBrokerTopic { try $0.set("min.insync.replicas", "2") }
        try strict.append(topic: "t", partition: 0, records: makeRecords(2), recordSizes: [10, 10], acks: .all)
        try strict.pauseFetching(broker: 2, nowMs: 0)
        try strict.pauseFetching(broker: 3, nowMs: 0)
        #expect(strict.pausedBrokers == [2, 3])
        let pending = try strict.append(topic: "t", partition: 0, records: makeRecords(1, from: 2), recordSizes: [10], acks: .all)
        #expect(!pending.committed)
        let shrunk = strict.shrinkIsr(nowMs: 30_001)
        // ISR [1] < min.insync.replicas 2: the HW does not advance (KAFKA-15583).
        #expect(shrunk == [IsrChange(topic: "t", partition: 0, removed: [2, 3], added: [], highWatermark: 2)])
        let before = strict
        #expect(kafkaError { try strict.append(topic: "t", partition: 0, records: makeRecords(1, from: 3), recordSizes: [10], acks: .all) }
                == .notEnoughReplicas(isr: 1, required: 2))
        #expect(strict == before)
        try strict.append(topic: "t", partition: 0, records: makeRecords(1, from: 3), recordSizes: [10], acks: .leader)
        let rejoined = try strict.resumeFetching(broker: 2, nowMs: 31_000)
        #expect(rejoined == [IsrChange(topic: "t", partition: 0, removed: [], added: [2], highWatermark: 4)])
        #expect(strict.checkInvariants().isEmpty)
    }

    // Goal: pausing only applies to running brokers, failed calls change nothing, stopping un-pauses,
    // and saved states round-trip and older JSON without the new keys still decodes (kafka.md §5.4);
    // method: error cases with == checks, stop/start a paused broker, JSON encode/strip/decode.
    @Test func pauseBookkeepingAndSavedStates() throws {
        var cluster = try threeBrokerTopic()
        let before = cluster
        #expect(kafkaError { try cluster.pauseFetching(broker: 9, nowMs: 0) } == .brokerNotAvailable(9))
        #expect(kafkaError { try cluster.resumeFetching(broker: 0, nowMs: 0) } == .brokerNotAvailable(0))
        #expect(cluster == before)
        try cluster.stopBroker(3)
        let stopped = cluster
        #expect(kafkaError { try cluster.pauseFetching(broker: 3, nowMs: 0) } == .brokerNotAvailable(3))
        #expect(kafkaError { try cluster.resumeFetching(broker: 3, nowMs: 0) } == .brokerNotAvailable(3))
        #expect(cluster == stopped)
        try cluster.startBroker(3)

        try cluster.pauseFetching(broker: 2, nowMs: 100)
        try cluster.pauseFetching(broker: 2, nowMs: 900)  // already paused: keeps its first time
        #expect(try cluster.topic("t").partitions[0].lastCaughtUpTimeMs == [2: 100])
        // A topic created while 2 is paused: its replica there starts with the pause time.
        try cluster.createTopic("u", partitions: 1, replicationFactor: 3, config: TopicConfig(), startIndex: 0)
        #expect(try cluster.topic("u").partitions[0].lastCaughtUpTimeMs == [2: 100])
        #expect(cluster.checkInvariants().isEmpty)

        // Saved state with a paused broker round-trips.
        cluster.replicaLagTimeMaxMs = 12_345
        let data = try JSONEncoder().encode(cluster)
        #expect(try JSONDecoder().decode(Cluster.self, from: data) == cluster)

        // Stopping a paused broker un-pauses it; restarted, it fetches normally.
        try cluster.stopBroker(2)
        #expect(cluster.pausedBrokers.isEmpty)
        try cluster.startBroker(2)
        try cluster.append(topic: "t", partition: 0, records: makeRecords(1), recordSizes: [1], acks: .all)
        #expect(try cluster.topic("t").partitions[0].highWatermark == 1)
        #expect(cluster.checkInvariants().isEmpty)

        // Older JSON (no replicaLagTimeMaxMs, fetchPausedAtMs or lastCaughtUpTimeMs) decodes with defaults.
        var old = try JSONSerialization.jsonObject(with: JSONEncoder().encode(try threeBrokerTopic())) as! [String: Any]
        old.removeValue(forKey: "replicaLagTimeMaxMs")
        let decoded = try JSONDecoder().decode(Cluster.self, from: JSONSerialization.data(withJSONObject: old))
        #expect(decoded == (try threeBrokerTopic()))
        #expect(decoded.replicaLagTimeMaxMs == 30_000 && decoded.pausedBrokers.isEmpty)
        cluster.replicaLagTimeMaxMs = -5
        #expect(cluster.replicaLagTimeMaxMs == 0)
    }

    // Goal: a paused follower still in the ISR is a clean preferred-leader candidate too, and its
    // shorter log wins (kafka.md §5.4 preferred election: replicas[0] if alive and in ISR); method: fail
    // over 1 → 2, restart 1, pause it, append acks=1 on leader 2, elect preferred.
    @Test func preferredElectionOfALaggingReplicaTruncates() throws {
        var cluster = try threeBrokerTopic()
        try cluster.stopBroker(1)
        try cluster.startBroker(1)
        try cluster.pauseFetching(broker: 1, nowMs: 0)
        try cluster.append(topic: "t", partition: 0, records: makeRecords(2), recordSizes: [1, 1], acks: .leader)
        let changes = cluster.electPreferredLeaders()
        #expect(changes == [ElectionChange(topic: "t", partition: 0, oldLeader: 2, newLeader: 1, unclean: false, truncatedRecords: 2)])
        let state = try cluster.topic("t").partitions[0]
        #expect(state.logEndOffset == 0 && state.isr == [1, 2, 3] && state.highWatermark == 0)
        #expect(cluster.checkInvariants().isEmpty)
    }
}
