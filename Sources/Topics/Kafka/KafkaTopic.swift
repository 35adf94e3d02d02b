import Kafka
import SimKit
import WorkbenchKit

/// The producer settings a learner can change (`kafka producer …`), with the Java client's defaults
/// (kafka.md §2.1): acks=all since 3.0, batch.size 16384, and librdkafka's sticky.partitioning.linger.ms 10.
struct ProducerSettings: Codable, Equatable, Sendable {
    var partitioner: PartitionerKind = .javaDefault
    var acks: Acks = .all
    var batchSize: Int = 16_384
    var stickyLingerMs: Int64 = 10
    /// linger.ms: 0 is Java's default up to 3.9 (4.0 made it 5, KIP-1030): every record is sent at
    /// once. Above 0, records wait in the accumulator until their batch fills or lingers this long.
    var lingerMs: Int64 = 0
    /// buffer.memory, 32 MiB.
    var bufferMemory: Int = 33_554_432

    /// librdkafka-based clients fail a full queue at once (QUEUE_FULL); Java's blocks.
    var isLibrdkafka: Bool { partitioner == .librdkafka || partitioner == .librdkafkaMurmur2 }

    init() {}

    enum CodingKeys: String, CodingKey { case partitioner, acks, batchSize, stickyLingerMs, lingerMs, bufferMemory }

    init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        partitioner = try c.decode(PartitionerKind.self, forKey: .partitioner)
        acks = try c.decode(Acks.self, forKey: .acks)
        batchSize = try c.decode(Int.self, forKey: .batchSize)
        stickyLingerMs = try c.decode(Int64.self, forKey: .stickyLingerMs)
        lingerMs = try c.decodeIfPresent(Int64.self, forKey: .lingerMs) ?? 0
        bufferMemory = try c.decodeIfPresent(Int.self, forKey: .bufferMemory) ?? 33_554_432
    }
}

/// The Kafka topic's state inside a session.
struct KafkaState: TopicState, Equatable {
    static let namespace = "kafka"
    static func initial() -> KafkaState { KafkaState() }

    var cluster = Cluster(brokerCount: 3)
    var producer = ProducerSettings()
    /// Per-topic partitioner memory (sticky partition, counters), sorted by topic name when encoded.
    var partitioners: [String: PartitionerState] = [:]
    /// The topic's own random stream, forked from the session seed on first use ("kafka").
    var random: SplitMix64?
    /// Consumers, group coordinators, committed offsets and the protocol messages in flight.
    var groups = GroupWorld()
    /// The producer's batches waiting to be sent (linger.ms > 0).
    var accumulator = Accumulator()

    enum CodingKeys: String, CodingKey { case cluster, producer, partitioners, random, groups, accumulator }

    init() {}

    init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        cluster = try c.decode(Cluster.self, forKey: .cluster)
        producer = try c.decode(ProducerSettings.self, forKey: .producer)
        let pairs = try c.decode([PartitionerEntry].self, forKey: .partitioners)
        partitioners = Dictionary(pairs.map { ($0.topic, $0.state) }, uniquingKeysWith: { _, last in last })
        random = try c.decodeIfPresent(SplitMix64.self, forKey: .random)
        groups = try c.decodeIfPresent(GroupWorld.self, forKey: .groups) ?? GroupWorld()
        accumulator = try c.decodeIfPresent(Accumulator.self, forKey: .accumulator) ?? Accumulator()
    }

    func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(cluster, forKey: .cluster)
        try c.encode(producer, forKey: .producer)
        // An array sorted by topic, so Dictionary order never reaches a save file.
        try c.encode(partitioners.keys.sorted().compactMap { k in partitioners[k].map { PartitionerEntry(topic: k, state: $0) } }, forKey: .partitioners)
        try c.encodeIfPresent(random, forKey: .random)
        try c.encode(groups, forKey: .groups)
        try c.encode(accumulator, forKey: .accumulator)
    }

    struct PartitionerEntry: Codable { var topic: String; var state: PartitionerState }
}

/// The `kafka` topic: Apache Kafka's cluster, partitioning and replication rules as commands and views.
public enum KafkaTopic {
    public static var module: TopicModule {
        TopicModule(namespace: "kafka", lessonTopic: "kafka", title: "Kafka", stateType: KafkaState.self,
                    commands: KafkaCommands.all + KafkaGroupCommands.all + KafkaServeCommands.all, handle: handle)
    }

    /// One Kafka event at its simulated time: the producer sending batches whose linger.ms ran out,
    /// a lagging follower leaving the ISR (replica.lag.time.max.ms), or else one consumer-group
    /// protocol message or timer (JoinGroup, SyncGroup, Heartbeat…).
    static func handle(_ event: ScheduledEvent, _ session: Session) throws -> StepReport {
        guard ["producer-send", "group-protocol", "isr-shrink"].contains(event.kind) else {
            throw WorkbenchError.failed(what: "step", why: "kafka has no event called `\(event.kind)`", fix: nil)
        }
        let report = try session.updateTopic(KafkaState.self) { state -> StepReport? in
            let lines = sendBatches(in: &state, nowMs: event.timeMs)
            if !lines.isEmpty {
                return StepReport("kafka producer: " + lines.joined(separator: "; "), value: .array(lines.map(Value.string)))
            }
            if let due = state.cluster.nextIsrShrinkMs(), due <= event.timeMs {
                let changes = state.cluster.shrinkIsr(nowMs: event.timeMs)
                if !changes.isEmpty {
                    let lines = changes.map(KafkaViews.describe(isr:))
                    return StepReport("kafka: " + lines.joined(separator: "; "), value: .array(lines.map(Value.string)))
                }
            }
            guard let message = state.groups.step(cluster: state.cluster, nowMs: event.timeMs) else { return nil }
            return StepReport(KafkaViews.describe(message), value: KafkaViews.messageValue(message))
        }
        reschedule(session)
        return report ?? StepReport("kafka: nothing was due")
    }

    /// Drains the accumulator's sendable batches (all of them when flushing) and sends each,
    /// oldest first; returns one line per batch saying what happened to it.
    static func sendBatches(in state: inout KafkaState, nowMs: Int64, flush: Bool = false) -> [String] {
        let p = state.producer
        return state.accumulator.drain(nowMs: nowMs, lingerMs: p.lingerMs, batchSize: p.batchSize, flush: flush)
            .map { KafkaViews.describe(send: $0, result: send($0, in: &state)) }
    }

    /// Sends one batch to its partition leader with the producer's acks. An error goes to the
    /// send callback, as in Java: the step still succeeds, and the records are dropped.
    static func send(_ batch: ProducerBatch, in state: inout KafkaState) -> Result<AppendResult, KafkaError> {
        do {
            return .success(try state.cluster.append(topic: batch.topic, partition: batch.partition, records: batch.records,
                                                     recordSizes: batch.recordSizes, acks: state.producer.acks))
        } catch let error as KafkaError {
            return .failure(error)
        } catch {
            return .failure(.invalidRecord("\(error)"))
        }
    }

    /// Keeps exactly one session event for Kafka, at the earliest of the producer's next linger
    /// expiry, the next ISR shrink and the group protocol's next message or timer.
    static func reschedule(_ session: Session) {  // also used by the wire host after each request
        session.state.queue.removeAll(topic: "kafka")
        let state = session.topic(KafkaState.self)
        let producer = state.accumulator.nextLingerExpiryMs(lingerMs: state.producer.lingerMs)
        let isr = state.cluster.nextIsrShrinkMs()
        let times = [state.groups.nextEventTimeMs(), producer, isr].compactMap { $0 }
        if let next = times.min() {
            let kind = producer == next ? "producer-send" : (isr == next ? "isr-shrink" : "group-protocol")
            session.state.queue.schedule(atMs: max(next, session.state.clock.nowMs), topic: "kafka", kind: kind)
        }
    }
}

/// Kafka's typed errors as one-line messages: Kafka's own error name first, then what to do.
enum KafkaErrors {
    static func map<R>(_ what: String, _ body: () throws -> R) throws -> R {
        do { return try body() }
        catch let error as KafkaError { throw describe(error, what: what) }
        catch let error as PartitionerError { throw describe(error, what: what) }
        catch let error as GroupError { throw WorkbenchError.failed(what: what, why: "\(error.name): \(error.message)", fix: nil) }
        catch let error as AccumulatorError {
            guard case let .bufferExhausted(needed, free, memory) = error else { throw error }
            throw WorkbenchError.failed(what: what, why: "\(error.name): a new batch needs \(needed) bytes, \(free) of buffer.memory=\(memory) are free",
                                        fix: "`kafka producer flush`, or wait for linger.ms (`clock advance`)")
        }
    }

    static func describe(_ error: KafkaError, what: String) -> WorkbenchError {
        let why: String, fix: String?
        switch error {
        case let .unknownTopicOrPartition(topic, partition):
            why = partition.map { "topic \(topic) has no partition \($0)" } ?? "no topic is called `\(topic)`"
            fix = partition == nil ? "`kafka topic list` shows the topics; `kafka topic create \(topic)` makes one" : "`kafka topic describe \(topic)` shows its partitions"
        case let .topicAlreadyExists(topic):
            why = "topic \(topic) already exists"; fix = "pick another name, or `kafka topic delete \(topic)`"
        case let .invalidTopic(topic):
            why = "`\(topic)` is not a legal topic name"; fix = "use 1 to 249 of a-z A-Z 0-9 . _ -, not `.` or `..`"
        case let .invalidPartitions(n):
            why = "\(n) partitions"; fix = "a topic has at least 1 partition"
        case let .invalidReplicationFactor(requested, brokers):
            why = "Replication factor: \(requested) larger than available brokers: \(brokers)."; fix = "use 1 to \(brokers)"
        case let .invalidConfig(name, value, reason):
            why = "\(name)=\(value): \(reason)"; fix = "`help kafka topic create` lists the configs"
        case let .notEnoughReplicas(isr, required):
            why = "acks=all needs min.insync.replicas=\(required) in-sync replicas, the ISR has \(isr)"; fix = "start a broker (`kafka broker start ID`), or produce with --acks 1"
        case let .leaderNotAvailable(topic, partition):
            why = "\(topic)-\(partition) has no leader (every replica is down)"; fix = "start one of its brokers"
        case let .invalidRecord(reason):
            why = reason; fix = nil
        case let .recordTooLarge(bytes, max):
            why = "the record is \(bytes) bytes, max.message.bytes is \(max)"; fix = "raise the topic's max.message.bytes"
        case let .brokerNotAvailable(id):
            why = "there is no broker \(id)"; fix = "`kafka brokers` lists them"
        case let .offsetOutOfRange(offset, logStart, hw):
            why = "offset \(offset) is outside [\(logStart), \(hw)] (log start to high watermark)"; fix = "read from \(logStart)"
        case let .partitionCountCannotDecrease(current, requested):
            why = "Topic currently has \(current) partitions, which is higher than the requested \(requested)."; fix = "partitions can only be added"
        }
        return .failed(what: what, why: "\(error.name): " + why, fix: fix)
    }

    static func describe(_ error: PartitionerError, what: String) -> WorkbenchError {
        switch error {
        case let .explicitPartitionOutOfRange(partition, count):
            return .failed(what: what, why: "Invalid partition given with record: \(partition) is not in the range [0...\(count - 1)].", fix: nil)
        case .noPartitions:
            return .failed(what: what, why: "the topic has no partitions", fix: nil)
        }
    }
}
