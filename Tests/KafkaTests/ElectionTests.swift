import Testing
@testable import Kafka

@Suite struct ElectionTests {
    // Goal: stopping the leader elects the next in-sync replica in assignment order with epoch+1
    // (kafka.md §5.4 offline partition election); method: stop 1 on replicas [1,2,3], then stop 2.
    @Test func leaderFailover() throws {
        var cluster = try threeBrokerTopic()
        try cluster.append(topic: "t", partition: 0, records: makeRecords(2), recordSizes: [10, 10], acks: .all)
        let first = try cluster.stopBroker(1)
        #expect(first == [ElectionChange(topic: "t", partition: 0, oldLeader: 1, newLeader: 2, unclean: false, truncatedRecords: 0)])
        var state = try cluster.topic("t").partitions[0]
        #expect(state.leader == 2 && state.leaderEpoch == 1 && state.isr == [2, 3])
        #expect(try cluster.fetch(topic: "t", partition: 0, offset: 0, maxRecords: 10).count == 2)
        let second = try cluster.stopBroker(2)
        #expect(second.map(\.newLeader) == [3])
        state = try cluster.topic("t").partitions[0]
        #expect(state.leader == 3 && state.leaderEpoch == 2 && state.isr == [3])
        // A follower's failure is not a leader change.
        try cluster.startBroker(1)
        #expect(try cluster.stopBroker(1).isEmpty)
        #expect(try cluster.topic("t").partitions[0].leaderEpoch == 2)
        #expect(cluster.checkInvariants().isEmpty)
    }

    // Goal: with every replica down the partition is offline (leader none) and the last in-sync replica
    // stays in the ISR; a stale replica cannot lead while unclean election is off, the last ISR member
    // can (kafka.md §5.4); method: stop 3, append, stop 2, 1; start 3 (stays offline), start 1.
    @Test func offlineThenCleanRecovery() throws {
        var cluster = try threeBrokerTopic()
        try cluster.append(topic: "t", partition: 0, records: makeRecords(2), recordSizes: [10, 10], acks: .all)
        try cluster.stopBroker(3)
        try cluster.append(topic: "t", partition: 0, records: makeRecords(2, from: 2), recordSizes: [10, 10], acks: .all)
        try cluster.stopBroker(2)
        let down = try cluster.stopBroker(1)
        #expect(down == [ElectionChange(topic: "t", partition: 0, oldLeader: 1, newLeader: nil, unclean: false, truncatedRecords: 0)])
        var state = try cluster.topic("t").partitions[0]
        #expect(state.leader == nil && state.leaderEpoch == 1 && state.isr == [1])
        #expect(try cluster.describe("t").hasSuffix("Leader: none\tReplicas: 1,2,3\tIsr: 1"))
        #expect(kafkaError { try cluster.append(topic: "t", partition: 0, records: makeRecords(1), recordSizes: [1], acks: .leader) }
                == .leaderNotAvailable(topic: "t", partition: 0))
        #expect(try cluster.startBroker(3).isEmpty)  // out of sync: may not lead
        #expect(try cluster.topic("t").partitions[0].leader == nil)
        let back = try cluster.startBroker(1)
        #expect(back == [ElectionChange(topic: "t", partition: 0, oldLeader: nil, newLeader: 1, unclean: false, truncatedRecords: 0)])
        state = try cluster.topic("t").partitions[0]
        #expect(state.leader == 1 && state.leaderEpoch == 2 && state.isr == [1, 3])
        #expect(state.logs[3]?.logEndOffset == 4)  // caught up
        #expect(state.highWatermark == 4)
        try cluster.startBroker(2)
        #expect(try cluster.topic("t").partitions[0].isr == [1, 2, 3])
        #expect(cluster.checkInvariants().isEmpty)
    }

    // Goal: unclean election picks the first alive replica, reports the records lost and truncates the
    // others when they return (kafka.md §5.4); method: leave broker 3 behind by 3 records, kill all,
    // enable unclean election, start 3, then 1.
    @Test func uncleanElectionLosesRecords() throws {
        var cluster = try threeBrokerTopic { try $0.set("unclean.leader.election.enable", "true") }
        try cluster.append(topic: "t", partition: 0, records: makeRecords(2), recordSizes: [10, 10], acks: .all)
        try cluster.stopBroker(3)
        try cluster.append(topic: "t", partition: 0, records: makeRecords(3, from: 2), recordSizes: [10, 10, 10], acks: .all)
        try cluster.stopBroker(2)
        try cluster.stopBroker(1)
        let elected = try cluster.startBroker(3)
        #expect(elected == [ElectionChange(topic: "t", partition: 0, oldLeader: nil, newLeader: 3, unclean: true, truncatedRecords: 3)])
        var state = try cluster.topic("t").partitions[0]
        #expect(state.leader == 3 && state.isr == [3] && state.leaderEpoch == 2)
        #expect(state.highWatermark == 2)
        // The new leader writes new records at offsets 2... with its own epoch.
        try cluster.append(topic: "t", partition: 0, records: makeRecords(1, from: 100), recordSizes: [10], acks: .all)
        try cluster.startBroker(1)
        state = try cluster.topic("t").partitions[0]
        #expect(state.logs[1] == state.logs[3])
        #expect(state.logs[1]?.logEndOffset == 3)
        let records = try cluster.fetch(topic: "t", partition: 0, offset: 0, maxRecords: 10)
        #expect(records.map(\.offset) == [0, 1, 2])
        #expect(records.last?.record.value == Array("v100".utf8))
        #expect(records.map(\.leaderEpoch) == [0, 0, 2])
        #expect(cluster.checkInvariants().isEmpty)
    }

    // Goal: switching unclean.leader.election.enable on triggers the election for an offline partition
    // (Kafka's controller reacts to the config change); method: stale replica alive, partition offline.
    @Test func enablingUncleanElectionElects() throws {
        var cluster = try threeBrokerTopic()
        try cluster.stopBroker(3)
        try cluster.append(topic: "t", partition: 0, records: makeRecords(1), recordSizes: [10], acks: .all)
        try cluster.stopBroker(2)
        try cluster.stopBroker(1)
        try cluster.startBroker(3)
        #expect(try cluster.topic("t").partitions[0].leader == nil)
        let changes = try cluster.alterConfigReportingElections("t", key: "unclean.leader.election.enable", value: "true")
        #expect(changes.map(\.newLeader) == [3] && changes.first?.unclean == true && changes.first?.truncatedRecords == 1)
        #expect(cluster.checkInvariants().isEmpty)
    }

    // Goal: preferred-leader election moves leadership back to replicas[0] when it is alive and in sync
    // (kafka.md §5.4); method: fail over, restart broker 1, elect preferred.
    @Test func preferredLeaderElection() throws {
        var cluster = try threeBrokerTopic()
        try cluster.stopBroker(1)
        try cluster.startBroker(1)
        #expect(try cluster.topic("t").partitions[0].leader == 2)
        let changes = cluster.electPreferredLeaders()
        #expect(changes == [ElectionChange(topic: "t", partition: 0, oldLeader: 2, newLeader: 1, unclean: false, truncatedRecords: 0)])
        #expect(try cluster.topic("t").partitions[0].leaderEpoch == 2)
        #expect(cluster.electPreferredLeaders().isEmpty)
        #expect(kafkaError { try cluster.stopBroker(9) } == .brokerNotAvailable(9))
        #expect(kafkaError { try cluster.startBroker(0) }?.name == "BROKER_NOT_AVAILABLE")
        #expect(cluster.checkInvariants().isEmpty)
    }
}
