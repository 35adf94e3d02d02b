import Kafka
import SimKit

/// A cluster, a group world and an application loop that polls some consumers every `pollEveryMs`.
struct Harness {
    var cluster: Cluster
    var world = GroupWorld()
    var now: Int64 = 0
    /// Consumers whose application loop keeps calling poll().
    var polling: [String] = []
    /// Every record each consumer's poll() returned ("processed" by the app).
    var received: [String: [ConsumerRecord]] = [:]
    /// Invariant violations seen after any step.
    var violations: [String] = []
    var delivered: [GroupMessage] = []

    init(topics: [(String, Int)]) throws {
        cluster = Cluster(brokerCount: 3)
        for (name, partitions) in topics {
            try cluster.createTopic(name, partitions: partitions, replicationFactor: 3, config: TopicConfig(), startIndex: 0)
        }
    }

    mutating func produce(_ topic: String, partition: Int, count: Int) throws {
        let records = (0..<count).map { i in Record(key: Array("k\(i)".utf8), value: Array("v\(i)".utf8), timestampMs: now) }
        try cluster.append(topic: topic, partition: partition, records: records, recordSizes: Array(repeating: 10, count: count), acks: .all)
    }

    mutating func add(_ config: ConsumerConfig, topics: [String], poll: Bool = true) throws -> String {
        let name = try world.createConsumer(config: config, topics: topics, nowMs: now)
        if poll { polling.append(name) }
        return name
    }

    /// Delivers every event due up to `t`, calling poll() on the polling consumers every `pollEveryMs`.
    mutating func advance(to t: Int64, pollEveryMs: Int64 = 100) throws {
        try pollAll()
        while now < t {
            let next = min(now + pollEveryMs, t)
            stepAll(until: next)
            now = next
            try pollAll()
        }
        stepAll(until: now)
    }

    mutating func stepAll(until t: Int64) {
        while let message = world.step(cluster: cluster, nowMs: t) {
            delivered.append(message)
            let problems = world.checkInvariants()
            if !problems.isEmpty { violations.append("after \(message.kind)@\(message.atMs): \(problems)") }
        }
    }

    mutating func pollAll() throws {
        for name in polling {
            let result = try world.poll(name, cluster: cluster, nowMs: now)
            received[name, default: []] += result.records
        }
    }

    func view(_ name: String) throws -> ConsumerView { try world.consumer(name) }
}

func config(_ group: String, _ configure: (inout ConsumerConfig) throws -> Void = { _ in }) rethrows -> ConsumerConfig {
    var c = ConsumerConfig(groupID: group)
    try configure(&c)
    return c
}

func groupError(_ body: () throws -> Void) -> GroupError? {
    do { try body() } catch let error as GroupError { return error } catch { return nil }
    return nil
}
