import Foundation
import Kafka
import SimKit
import WorkbenchKit

/// The `kafka` commands, named after Kafka's own tools where they exist (kafka-topics,
/// kafka-console-producer/consumer, kafka-leader-election). Each is one declaration.
enum KafkaCommands {
    static var all: [CommandSpec] {
        [topicCreate, topicList, topicDescribe, topicAlter, topicConfig, topicDelete, produce, producer, producerSet, producerBuffer, producerFlush, partition,
         consume, log, cleanLogs, cluster, brokers, brokerStop, brokerStart, brokerPause, brokerResume, electLeaders]
    }

    static let topicNames: LiveNames = { session in session.topic(KafkaState.self).cluster.topics.map(\.name) }
    static let brokerIDs: LiveNames = { session in session.topic(KafkaState.self).cluster.brokers.map { String($0.id) } }
    static let partitionNumbers: LiveNames = { session in
        (0..<(session.topic(KafkaState.self).cluster.topics.map(\.partitions.count).max() ?? 0)).map(String.init)
    }

    static func kafka(_ session: Session) -> KafkaState { session.topic(KafkaState.self) }

    /// Mutates the Kafka state atomically: a thrown error leaves everything as it was.
    static func update<R>(_ session: Session, _ what: String, _ body: (inout KafkaState, inout SplitMix64) throws -> R) throws -> R {
        let seeded = session.state.randomStream("kafka")
        let result = try session.updateTopic(KafkaState.self) { state in
            var rng = state.random ?? seeded
            let result = try KafkaErrors.map(what) { try body(&state, &rng) }
            state.random = rng
            return result
        }
        KafkaTopic.reschedule(session)
        // In ZooKeeper mode the brokers' sessions and the controller's znodes follow the cluster:
        // the controller's writes go out now and take a few simulated milliseconds.
        if !(try KafkaOnZooKeeper.react(to: nil, session)).isEmpty || KafkaOnZooKeeper.busy(session) {
            try ZooKeeperTopic.runUntil(session, limitMs: 50) { !($0.kafka.map { !$0.pending.isEmpty } ?? false) }
        }
        return result
    }

    /// A random start index for replica placement, as Kafka's AdminUtils draws when none is given.
    static func startIndex(_ state: KafkaState, _ rng: inout SplitMix64) -> Int {
        Int(rng.next(below: UInt64(max(1, state.cluster.brokers.count))))
    }

    /// `k=v,k2=v2` → pairs. A comma-separated piece without `=` continues the previous value, so
    /// list values work: `partition.assignment.strategy=range,roundrobin,enable.auto.commit=false`.
    static func configPairs(_ text: String?, command: String, usage: String) throws -> [(String, String)] {
        guard let text, !text.isEmpty else { return [] }
        var pairs: [(String, String)] = []
        for entry in text.split(separator: ",", omittingEmptySubsequences: false) {
            if let eq = entry.firstIndex(of: "=") {
                pairs.append((String(entry[..<eq]), String(entry[entry.index(after: eq)...])))
            } else if let last = pairs.popLast() {
                pairs.append((last.0, last.1 + "," + entry))
            } else {
                throw WorkbenchError.usage(command: command, problem: "--config takes name=value pairs separated by commas, got `\(entry)`", usage: usage)
            }
        }
        return pairs
    }

    // MARK: Topics

    static let topicCreate = CommandSpec(
        ["kafka", "topic", "create"], abstract: "Create a topic (kafka-topics --create): partitions, replicas placed across brokers.",
        discussion: "Replicas are placed by Kafka's rack-unaware rule (AdminUtils.assignReplicasToBrokers): the first replica of partition p on broker (p + start) mod n, the others shifted after it; the start is drawn from the session's seed. Configs use Kafka's names: " + TopicConfig.names.joined(separator: ", ") + ".",
        parameters: [.required("topic", .text, "Topic name.")],
        flags: [
            .option("--partitions", .integer(Int64.min...Int64.max), "Partition count (default 1)."),
            .option("--replication-factor", .integer(Int64.min...Int64.max), "Replicas per partition (default 1)."),
            .option("--config", .text, "Topic configs, e.g. min.insync.replicas=2,segment.bytes=200."),
        ],
        effect: .mutating, examples: ["kafka topic create orders --partitions 3 --replication-factor 3", "kafka topic create events --config min.insync.replicas=2"]
    ) { inv, session in
        let name = inv.text("topic") ?? ""
        let pairs = try configPairs(inv.text("config"), command: inv.spec.name, usage: inv.spec.usage)
        let topic = try update(session, "kafka topic create \(name)") { state, rng in
            var config = TopicConfig()
            for (key, value) in pairs { try config.set(key, value) }
            let partitions = Int(clamping: inv.integer("partitions") ?? 1)
            let rf = Int(clamping: inv.integer("replication-factor") ?? 1)
            return try state.cluster.createTopic(name, partitions: partitions, replicationFactor: rf, config: config, startIndex: startIndex(state, &rng))
        }
        return Output(KafkaViews.topicValue(topic)) { style in
            "Created topic \(name).\n" + KafkaViews.drawGrid(kafka(session).cluster, topics: [topic.name], style: style)
        }
    }

    static let topicList = CommandSpec(
        ["kafka", "topic", "list"], abstract: "List the topics (kafka-topics --list).", effect: .readOnly, examples: ["kafka topic list"]
    ) { _, session in
        let topics = kafka(session).cluster.topics
        return Output(.array(topics.map { .string($0.name) })) { _ in topics.isEmpty ? "no topics yet: `kafka topic create NAME`" : topics.map(\.name).joined(separator: "\n") }
    }

    static let topicDescribe = CommandSpec(
        ["kafka", "topic", "describe"], abstract: "Describe a topic like kafka-topics --describe, and draw its replicas.",
        parameters: [.optional("topic", .text, "Topic name (default: all).", completions: topicNames)],
        effect: .readOnly, examples: ["kafka topic describe orders", "kafka topic describe --json"]
    ) { inv, session in
        let cluster = kafka(session).cluster
        let names = try inv.text("topic").map { name in [try KafkaErrors.map("kafka topic describe \(name)") { try cluster.topic(name) }.name] } ?? cluster.topics.map(\.name)
        let topics = try names.map { n in try KafkaErrors.map("kafka topic describe") { try cluster.topic(n) } }
        let text = try names.map { n in try KafkaErrors.map("kafka topic describe") { try cluster.describe(n) } }
        return Output(.array(topics.map(KafkaViews.topicValue))) { style in
            names.isEmpty ? "no topics yet" : (text + [KafkaViews.drawGrid(cluster, topics: names, style: style)]).joined(separator: "\n")
        }
    }

    static let topicAlter = CommandSpec(
        ["kafka", "topic", "alter"], abstract: "Add partitions to a topic (kafka-topics --alter), and see which keys move.",
        discussion: "A key's partition is hash(key) mod partition count, so changing the count moves most keys: going from 3 to 4 partitions keeps only about a quarter of them (kafka.md §1.3). Partitions can never be removed. A consumer group's leader notices the new count at its next metadata refresh (metadata.max.age.ms, 5 minutes by default) and rebalances.",
        parameters: [.required("topic", .text, "Topic name.", completions: topicNames)],
        flags: [.option("--partitions", .integer(Int64.min...Int64.max), "The new, larger partition count.")],
        effect: .mutating, examples: ["kafka topic alter orders --partitions 4"]
    ) { inv, session in
        let name = inv.text("topic") ?? ""
        guard let total = inv.integer("partitions") else {
            throw WorkbenchError.usage(command: inv.spec.name, problem: "missing --partitions", usage: inv.spec.usage)
        }
        let before = try KafkaErrors.map("kafka topic alter \(name)") { try kafka(session).cluster.topic(name) }
        let topic = try update(session, "kafka topic alter \(name)") { state, _ in
            // Kafka's addPartitions continues the placement from partition 0's first replica
            // (AdminZkClient.addPartitions), not from a new random start.
            let first = before.partitions.first?.replicas.first
            let start = state.cluster.brokers.firstIndex { $0.id == first } ?? 0
            return try state.cluster.addPartitions(name, total: Int(clamping: total), startIndex: start)
        }
        let moves = KafkaViews.keyMoves(before, newCount: topic.partitions.count, partitioner: kafka(session).producer.partitioner)
        return Output(.object([("topic", KafkaViews.topicValue(topic)), ("keys", .array(moves.map(KafkaViews.moveValue)))])) { style in
            KafkaViews.drawMoves(moves, from: before.partitions.count, to: topic.partitions.count, style: style)
        }
    }

    static let topicConfig = CommandSpec(
        ["kafka", "topic", "config"], abstract: "Set a topic config by its Kafka name (kafka-configs --alter).",
        parameters: [.required("topic", .text, "Topic name.", completions: topicNames),
                     .required("name", .choice(TopicConfig.names), "Config name."),
                     .required("value", .text, "New value.")],
        effect: .mutating, examples: ["kafka topic config orders min.insync.replicas 2", "kafka topic config orders unclean.leader.election.enable true"]
    ) { inv, session in
        let name = inv.text("topic") ?? "", key = inv.text("name") ?? "", value = inv.text("value") ?? ""
        try update(session, "kafka topic config \(name)") { state, _ in try state.cluster.alterConfig(name, key: key, value: value) }
        return .text("\(name): \(key)=\(value)", value: .object([("topic", .string(name)), ("name", .string(key)), ("value", .string(value))]))
    }

    static let topicDelete = CommandSpec(
        ["kafka", "topic", "delete"], abstract: "Delete a topic and its data.",
        parameters: [.required("topic", .text, "Topic name.", completions: topicNames)],
        effect: .mutating, examples: ["kafka topic delete orders"]
    ) { inv, session in
        let name = inv.text("topic") ?? ""
        try update(session, "kafka topic delete \(name)") { state, _ in
            try state.cluster.deleteTopic(name)
            state.partitioners[name] = nil
        }
        return .text("Deleted topic \(name).", value: .string(name))
    }

    // MARK: Producing

    static let produce = CommandSpec(
        ["kafka", "produce"], abstract: "Produce records (kafka-console-producer): the partitioner picks each partition, and says why.",
        discussion: "`{i}` in --key or --value becomes the record's number (1…count). Without --key the record has a NULL key, and the producer's partitioner spreads keyless records its own way (`kafka producer set --partitioner …`). --partition wins over everything. --rate spreads the records over simulated time (the clock moves, and whatever falls due meanwhile happens). When buffer.memory is full, Java's send() waits for memory, which makes every waiting batch sendable, so they go and the send continues (it would fail with BufferExhaustedException only after max.block.ms of a broker not answering); librdkafka fails at once with QUEUE_FULL.",
        parameters: [.required("topic", .text, "Topic name.", completions: topicNames)],
        flags: [
            .option("--key", .text, "Record key (omit for a NULL key)."),
            .option("--value", .text, "Record value (default `message {i}`)."),
            .option("--partition", .integer(Int64.min...Int64.max), "Send to this partition."),
            .option("--header", .text, "Headers, e.g. source=web,trace=7."),
            .option("--count", .integer(1...100_000), "How many records (default 1)."),
            .option("--rate", .integer(1...1_000_000), "Records per second of simulated time."),
            .option("--acks", .choice(Acks.allCases.map(\.rawValue)), "Override the producer's acks for these records."),
        ],
        effect: .mutating,
        examples: ["kafka produce orders --key alice --value pizza", "kafka produce orders --count 10 --value \"order {i}\"", "kafka produce orders --key \"user-{i}\" --count 6 --rate 2"]
    ) { inv, session in
        let name = inv.text("topic") ?? ""
        let count = inv.int("count") ?? 1
        let headers = try configPairs(inv.text("header"), command: inv.spec.name, usage: inv.spec.usage).map { Header(key: $0.0, value: Array($0.1.utf8)) }
        let start = session.state.clock.nowMs
        var produced: [(PartitionChoice, AppendResult?, Record)] = []
        var sent: [String] = []
        for i in 1...count {
            if let rate = inv.integer("rate") { try session.advanceClock(toMs: start + Int64(i - 1) * 1000 / rate) }
            var outcome = try produceOne(session, name: name, index: i, inv: inv, headers: headers, choice: nil, flushFirst: false)
            let settings = kafka(session).producer
            if case let .bufferFull(choice, _, _, _) = outcome, !settings.isLibrdkafka {
                // Java: a send() waiting for memory makes every batch sendable (RecordAccumulator's
                // "exhausted" rule, kafka.md §2.2); the sender ships them, memory returns, and the
                // send goes on. Sends complete at once here, so the max.block.ms wait is never needed.
                outcome = try produceOne(session, name: name, index: i, inv: inv, headers: headers, choice: choice, flushFirst: true)
            }
            switch outcome {
            case let .done(choice, result, record, lines):
                produced.append((choice, result, record))
                sent += lines
            case let .bufferFull(_, needed, free, memory):
                if settings.isLibrdkafka {
                    throw WorkbenchError.failed(what: "kafka produce \(name)", why: "QUEUE_FULL: Local: Queue full (a new batch needs \(needed) bytes, \(free) of \(memory) are free)",
                                                fix: "let the producer send: `kafka producer flush` (Python: producer.poll(0) and retry, or flush())")
                }
                throw WorkbenchError.failed(what: "kafka produce \(name)", why: "RecordTooLargeException: The message is \(needed) bytes when serialized which is larger than the total memory buffer you have configured with the buffer.memory configuration.",
                                            fix: "raise buffer.memory (`kafka producer set --buffer-memory N`)")
            }
        }
        return Output(KafkaViews.producedValue(produced)) { style in
            ([KafkaViews.drawProduced(produced, topic: name, style: style)] + sent.map { "sent " + $0 }).joined(separator: "\n")
        }
    }

    enum ProduceOutcome {
        case done(PartitionChoice, AppendResult?, Record, [String])
        case bufferFull(PartitionChoice, needed: Int, free: Int, memory: Int)
    }

    /// Produces record number `index` at the current simulated time: picks its partition (or keeps
    /// `choice` when retrying a blocked send), then sends it at once (linger.ms=0) or adds it to the
    /// accumulator, sending any batch that filled up.
    static func produceOne(_ session: Session, name: String, index i: Int, inv: Invocation, headers: [Header],
                           choice fixed: PartitionChoice?, flushFirst: Bool) throws -> ProduceOutcome {
        let now = session.state.clock.nowMs
        return try update(session, "kafka produce \(name)") { state, rng in
            let acks = inv.text("acks").flatMap(Acks.init(rawValue:)) ?? state.producer.acks
            var memory = state.partitioners[name] ?? PartitionerState()
            let topic = try state.cluster.topic(name)
            let available = topic.partitions.filter { $0.leader != nil }.map(\.index)
            let key = inv.text("key").map { Array($0.replacingOccurrences(of: "{i}", with: String(i)).utf8) }
            let value = Array((inv.text("value") ?? "message {i}").replacingOccurrences(of: "{i}", with: String(i)).utf8)
            let record = Record(key: key, value: value, headers: headers, timestampMs: now)
            let size = RecordSize.recordBytes(key: key, value: value, headers: headers.map { ($0.key, $0.value) }, timestampDelta: 0, offsetDelta: 0)
            func choose() throws -> PartitionChoice {
                try Partitioner.choose(
                    kind: state.producer.partitioner, key: key, explicitPartition: inv.int("partition"),
                    partitionCount: topic.partitions.count, available: available, recordBytes: size,
                    batchSize: state.producer.batchSize, stickyLingerMs: state.producer.stickyLingerMs, nowMs: now,
                    state: &memory, rng: &rng)
            }
            var choice = try fixed ?? choose()
            // Java 2.4–3.2 (KIP-480): a keyless record that would start a new batch on the sticky
            // partition is not appended there; onNewBatch picks another partition and the record
            // goes to it. With linger.ms=0 every record starts a batch, so keyless records hop.
            if fixed == nil, key == nil, inv.int("partition") == nil, state.producer.partitioner == .javaSticky,
               state.producer.lingerMs == 0 || state.accumulator.wouldStartNewBatch(topic: name, partition: choice.partition, recordBytes: size),
               available.count > 1 {
                let old = choice.partition
                memory.stickyBytes = Int.max   // forces the partitioner's switch, to a partition other than `old`
                let next = try choose()
                memory.stickyBytes = size
                choice = PartitionChoice(partition: next.partition,
                                         reason: "a new batch would start on partition \(old): onNewBatch moves the sticky partition to \(next.partition) (KIP-480)")
            }
            state.partitioners[name] = memory
            let p = state.producer
            // A send waiting for memory makes every batch sendable (flushFirst); with linger.ms=0
            // every waiting batch is ready, and the sender sends in order, so batches left from a
            // longer linger go before this record's batch, which then goes at once.
            var lines = flushFirst || p.lingerMs == 0 ? KafkaTopic.sendBatches(in: &state, nowMs: now, flush: true) : []
            if p.lingerMs == 0 {
                let result = try state.cluster.append(topic: name, partition: choice.partition, records: [record], recordSizes: [size], acks: acks)
                return .done(choice, result, record, lines)
            }
            do {
                try state.accumulator.append(topic: name, partition: choice.partition, record: record, recordBytes: size,
                                             batchSize: p.batchSize, bufferMemory: p.bufferMemory, nowMs: now)
            } catch let AccumulatorError.bufferExhausted(needed, free, total) {
                return .bufferFull(choice, needed: needed, free: free, memory: total)
            }
            // A batch that filled up goes at once; the others wait for linger.ms.
            lines += KafkaTopic.sendBatches(in: &state, nowMs: now)
            return .done(choice, nil, record, lines)
        }
    }

    static func producerOutput(_ p: ProducerSettings) -> Output {
        let value = Value.object([("partitioner", .string(p.partitioner.rawValue)), ("acks", .string(p.acks.rawValue)),
                                  ("batch.size", Value(p.batchSize)), ("linger.ms", .int(p.lingerMs)), ("buffer.memory", Value(p.bufferMemory)),
                                  ("sticky.partitioning.linger.ms", .int(p.stickyLingerMs))])
        return Output(value) { _ in
            "partitioner \(p.partitioner.rawValue) — \(p.partitioner.summary)\nacks=\(p.acks.rawValue) batch.size=\(p.batchSize) linger.ms=\(p.lingerMs) buffer.memory=\(p.bufferMemory) sticky.partitioning.linger.ms=\(p.stickyLingerMs)"
        }
    }

    static let producer = CommandSpec(
        ["kafka", "producer"], abstract: "Show the producer's settings: partitioner, acks, batch.size.",
        effect: .readOnly, examples: ["kafka producer", "expect kafka producer .partitioner == java"]
    ) { _, session in producerOutput(kafka(session).producer) }

    static let producerSet = CommandSpec(
        ["kafka", "producer", "set"], abstract: "Change the producer's settings: which client's partitioner, acks, batch.size.",
        discussion: "Partitioners: " + PartitionerKind.allCases.map { "\($0.rawValue) — \($0.summary)" }.joined(separator: "; "),
        flags: [
            .option("--partitioner", .choice(PartitionerKind.allCases.map(\.rawValue)), "Which client's rule picks partitions."),
            .option("--acks", .choice(Acks.allCases.map(\.rawValue)), "0, 1 or all."),
            .option("--batch-size", .integer(1...Int64(Int32.max)), "batch.size in bytes (used by the sticky partitioners)."),
            .option("--sticky-linger-ms", .integer(0...Int64(Int32.max)), "librdkafka's sticky.partitioning.linger.ms."),
            .option("--linger-ms", .integer(0...Int64(Int32.max)), "linger.ms: how long a batch waits for more records (0 sends at once)."),
            .option("--buffer-memory", .integer(1...Int64(Int32.max)), "buffer.memory in bytes."),
        ],
        effect: .mutating, examples: ["kafka producer set --partitioner librdkafka", "kafka producer set --acks 1", "kafka producer set --linger-ms 100"]
    ) { inv, session in
        guard ["partitioner", "acks", "batch-size", "sticky-linger-ms", "linger-ms", "buffer-memory"].contains(where: { inv.values[$0] != nil }) else {
            throw WorkbenchError.usage(command: inv.spec.name, problem: "say what to change", usage: inv.spec.usage)
        }
        try update(session, "kafka producer set") { state, _ in
            if let p = inv.text("partitioner").flatMap(PartitionerKind.init(rawValue:)) {
                state.producer.partitioner = p
                state.partitioners = [:]   // a new partitioner starts with fresh memory
            }
            if let a = inv.text("acks").flatMap(Acks.init(rawValue:)) { state.producer.acks = a }
            if let b = inv.int("batch-size") { state.producer.batchSize = b }
            if let l = inv.integer("sticky-linger-ms") { state.producer.stickyLingerMs = l }
            if let l = inv.integer("linger-ms") { state.producer.lingerMs = l }
            if let b = inv.int("buffer-memory") { state.producer.bufferMemory = b }
        }
        return producerOutput(kafka(session).producer)
    }

    static let producerBuffer = CommandSpec(
        ["kafka", "producer", "buffer"], abstract: "The producer's accumulator: batches waiting for batch.size or linger.ms.",
        effect: .readOnly, examples: ["kafka producer buffer"]
    ) { _, session in
        let state = kafka(session)
        return Output(KafkaViews.bufferValue(state.accumulator, state.producer, nowMs: session.state.clock.nowMs)) { style in
            KafkaViews.drawBuffer(state.accumulator, state.producer, nowMs: session.state.clock.nowMs, style: style)
        }
    }

    static let producerFlush = CommandSpec(
        ["kafka", "producer", "flush"], abstract: "flush(): send every waiting batch now, whatever its linger.",
        effect: .mutating, examples: ["kafka producer flush"]
    ) { _, session in
        let now = session.state.clock.nowMs
        let lines = try update(session, "kafka producer flush") { state, _ in KafkaTopic.sendBatches(in: &state, nowMs: now, flush: true) }
        return Output(.array(lines.map(Value.string))) { _ in lines.isEmpty ? "nothing to flush: the accumulator is empty" : lines.map { "sent " + $0 }.joined(separator: "\n") }
    }

    static let partition = CommandSpec(
        ["kafka", "partition"], abstract: "Where does a key land? Each client's partitioner, side by side, with the arithmetic.",
        discussion: "Java hashes keys with murmur2, librdkafka (Python confluent-kafka, Go, .NET…) with CRC32 by default, so the same key can land on different partitions from different clients.",
        parameters: [.required("key", .text, "The key.")],
        flags: [.option("--partitions", .integer(1...100_000), "Partition count (default 3).")],
        effect: .readOnly, examples: ["kafka partition alice", "kafka partition user-42 --partitions 12"]
    ) { inv, session in
        let key = Array((inv.text("key") ?? "").utf8)
        let count = inv.int("partitions") ?? 3
        var rows: [(PartitionerKind, PartitionChoice)] = []
        for kind in PartitionerKind.allCases where kind != .roundRobin {
            if let choice = KafkaViews.keyedChoice(kind, key: key, partitionCount: count) { rows.append((kind, choice)) }
        }
        let value = Value.object([("key", .string(inv.text("key") ?? "")), ("partitions", Value(count)),
                                  ("clients", .array(rows.map { .object([("partitioner", .string($0.0.rawValue)), ("partition", Value($0.1.partition)), ("reason", .string($0.1.reason))]) }))])
        return Output(value) { style in
            Table(headers: ["partitioner", "partition", "how"], rows: rows.map { [$0.0.rawValue, String($0.1.partition), $0.1.reason] }).render(style: style)
                + "\n" + style.dim("round-robin ignores keys: each record goes to the next partition in turn.")
        }
    }

    // MARK: Reading

    static let consume = CommandSpec(
        ["kafka", "consume"], abstract: "Read records like kafka-console-consumer (no group): only below the high watermark.",
        discussion: "Like the console consumer, the default start is `latest`: only records produced after it starts, which here is none. --from-beginning starts at the log start offset.",
        parameters: [.required("topic", .text, "Topic name.", completions: topicNames)],
        flags: [
            .option("--partition", .integer(0...Int64(Int32.max)), "Only this partition."),
            .toggle("--from-beginning", "Start at each partition's log start offset."),
            .option("--offset", .integer(0...Int64.max), "Start at this offset (needs --partition)."),
            .option("--max", .integer(1...1_000_000), "At most this many records (default 100)."),
        ],
        effect: .readOnly, examples: ["kafka consume orders --from-beginning", "kafka consume orders --partition 0 --offset 2"]
    ) { inv, session in
        let name = inv.text("topic") ?? ""
        let cluster = kafka(session).cluster
        let topic = try KafkaErrors.map("kafka consume \(name)") { try cluster.topic(name) }
        let limit = inv.int("max") ?? 100
        if inv.integer("offset") != nil && inv.int("partition") == nil {
            throw WorkbenchError.usage(command: inv.spec.name, problem: "--offset needs --partition", usage: inv.spec.usage)
        }
        var records: [(Int, StoredRecord)] = []
        for p in topic.partitions where inv.int("partition").map({ $0 == p.index }) ?? true {
            let start: Int64
            if let offset = inv.integer("offset") { start = offset }
            else if inv.has("--from-beginning") { start = p.logs.isEmpty ? 0 : KafkaViews.leaderLog(p)?.logStartOffset ?? 0 }
            else { start = p.highWatermark }
            let got = try KafkaErrors.map("kafka consume \(name)") {
                try cluster.fetch(topic: name, partition: p.index, offset: start, maxRecords: max(0, limit - records.count))
            }
            records += got.map { (p.index, $0) }
        }
        if inv.int("partition").map({ !topic.partitions.indices.contains($0) }) ?? false {
            throw KafkaErrors.describe(.unknownTopicOrPartition(topic: name, partition: inv.int("partition")), what: "kafka consume \(name)")
        }
        let latest = !inv.has("--from-beginning") && inv.integer("offset") == nil
        return Output(.array(records.map { KafkaViews.storedValue($1, partition: $0) })) { style in
            if records.isEmpty {
                return latest ? "no records: a consumer that starts at `latest` sees only records produced after it starts (try --from-beginning)"
                    : "no records below the high watermark"
            }
            return KafkaViews.drawRecords(records, style: style)
        }
    }

    static let log = CommandSpec(
        ["kafka", "log"], abstract: "Draw a partition's log: offsets, segments, log start, committed offsets, consumer positions, high watermark, log end.",
        parameters: [.required("topic", .text, "Topic name.", completions: topicNames),
                     .optional("partition", .integer(0...Int64(Int32.max)), "Partition (default 0).", completions: partitionNumbers)],
        flags: [.option("--replica", .integer(0...Int64(Int32.max)), "Show this broker's copy instead of the leader's.", completions: brokerIDs)],
        effect: .readOnly, examples: ["kafka log orders 0", "kafka log orders 1 --replica 2"]
    ) { inv, session in
        let name = inv.text("topic") ?? ""
        let index = inv.int("partition") ?? 0
        let topic = try KafkaErrors.map("kafka log \(name)") { try kafka(session).cluster.topic(name) }
        guard topic.partitions.indices.contains(index) else {
            throw KafkaErrors.describe(.unknownTopicOrPartition(topic: name, partition: index), what: "kafka log \(name) \(index)")
        }
        let partition = topic.partitions[index]
        let broker = inv.int("replica") ?? partition.leader ?? partition.replicas.first ?? 0
        guard let replicaLog = KafkaViews.log(of: partition, broker: broker) else {
            throw WorkbenchError.failed(what: "kafka log \(name) \(index)", why: "broker \(broker) holds no replica of \(name)-\(index)",
                                        fix: "replicas: " + partition.replicas.map(String.init).joined(separator: ", "))
        }
        let markers = KafkaViews.groupMarkers(kafka(session), topic: name, partition: index)
        return Output(KafkaViews.logValue(topic: name, partition, broker: broker, replicaLog, markers: markers)) { style in
            KafkaViews.drawLog(topic: name, partition, broker: broker, replicaLog, markers: markers, style: style)
        }
    }

    static let cleanLogs = CommandSpec(
        ["kafka", "clean-logs"], abstract: "Run log retention and compaction now, as the brokers do every log.retention.check.interval.ms.",
        discussion: "cleanup.policy=delete: closed segments entirely below the high watermark go when their newest record is older than retention.ms, or while the log exceeds retention.bytes; the log start offset moves up. cleanup.policy=compact: below the HW, outside the active segment, only each key's latest record stays (offsets keep their gaps); tombstones go after delete.retention.ms. Advance the clock first (`clock advance 8d`).",
        effect: .mutating, examples: ["kafka clean-logs", "clock advance 8d"]
    ) { _, session in
        let now = session.state.clock.nowMs
        let reports = try update(session, "kafka clean-logs") { state, _ in state.cluster.cleanLogs(nowMs: now) }
        return Output(.array(reports.map(KafkaViews.cleaningValue))) { style in
            reports.isEmpty ? "nothing to clean: no closed segment below the high watermark is past retention, and no compacted topic has old values"
                : Table(headers: ["partition", "deleted segments", "records removed", "log start", "why"], rows: reports.map {
                    ["\($0.topic)-\($0.partition)", $0.deletedSegments.isEmpty ? "-" : $0.deletedSegments.joined(separator: " "),
                     String($0.removedRecords), String($0.newLogStartOffset), $0.reason]
                }).render(style: style)
        }
    }

    // MARK: Brokers

    static let cluster = CommandSpec(
        ["kafka", "cluster"], abstract: "The brokers × partitions grid: leaders, in-sync followers, lagging replicas, HW and LEO.",
        effect: .readOnly, examples: ["kafka cluster"]
    ) { _, session in
        let cluster = kafka(session).cluster
        return Output(KafkaViews.clusterValue(cluster)) { style in KafkaViews.drawGrid(cluster, topics: cluster.topics.map(\.name), style: style) }
    }

    static let brokers = CommandSpec(
        ["kafka", "brokers"], abstract: "List the brokers and what each leads.", effect: .readOnly, examples: ["kafka brokers"]
    ) { _, session in
        let cluster = kafka(session).cluster
        // In ZooKeeper mode the controller is a broker too: say which, from /controller.
        let zk = session.topic(ZooKeeperState.self).kafka
        var value = KafkaViews.brokersValue(cluster)
        if let zk, case let .array(rows) = value {
            value = .array(rows.map { row in
                guard case var .object(pairs) = row, case let .int(id)? = row["id"] else { return row }
                pairs.append(("controller", .bool(zk.controller == Int(id))))
                return .object(pairs)
            })
        }
        return Output(value) { style in
            KafkaViews.drawBrokers(cluster, style: style)
                + (zk.map { "\ncontroller (ZooKeeper mode): " + ($0.controller.map { "broker \($0), controller_epoch \(zk?.controllerEpoch ?? 0)" } ?? "none") } ?? "")
        }
    }

    static let brokerStop = CommandSpec(
        ["kafka", "broker", "stop"], abstract: "Stop a broker: it leaves every ISR, and partitions it led elect a new leader.",
        discussion: "Election follows Kafka's controller: the first replica in assignment order that is alive and in the ISR; with none, the partition goes offline unless unclean.leader.election.enable=true, which elects an out-of-sync replica and loses what it lacks.",
        parameters: [.required("id", .integer(Int64.min...Int64.max), "Broker id.", completions: brokerIDs)],
        effect: .mutating, examples: ["kafka broker stop 1"]
    ) { inv, session in
        let id = Int(clamping: inv.integer("id") ?? 0)
        let wasAlive = kafka(session).cluster.brokers.first { $0.id == id }?.alive
        let changes = try update(session, "kafka broker stop \(id)") { state, _ in try state.cluster.stopBroker(id) }
        return Output(.array(changes.map(KafkaViews.electionValue))) { style in
            if wasAlive == false { return "broker \(id) was already stopped" }
            return (["broker \(id) stopped; it left every ISR"] + changes.map { KafkaViews.describe($0, style: style) }).joined(separator: "\n")
        }
    }

    static let brokerStart = CommandSpec(
        ["kafka", "broker", "start"], abstract: "Start a broker: its replicas catch up from the leaders and rejoin the ISR.",
        parameters: [.required("id", .integer(Int64.min...Int64.max), "Broker id.", completions: brokerIDs)],
        effect: .mutating, examples: ["kafka broker start 1"]
    ) { inv, session in
        let id = Int(clamping: inv.integer("id") ?? 0)
        let before = kafka(session).cluster
        let changes = try update(session, "kafka broker start \(id)") { state, _ in try state.cluster.startBroker(id) }
        let after = kafka(session).cluster
        return Output(.array(changes.map(KafkaViews.electionValue))) { style in
            if before.brokers.first(where: { $0.id == id })?.alive == true { return "broker \(id) was already running" }
            return (["broker \(id) started"] + KafkaViews.isrJoins(broker: id, after: after)
                    + changes.map { KafkaViews.describe($0, style: style) }).joined(separator: "\n")
        }
    }

    static let brokerPause = CommandSpec(
        ["kafka", "broker", "pause"], abstract: "Pause a broker's replica fetchers: it stays up, but its followers stop copying and fall behind.",
        discussion: "Like a long GC pause or a slow disk. A lagging follower stays in the ISR for replica.lag.time.max.ms (30 s), holding the high watermark back, so acks=all requests wait while acks=1 is acknowledged at once; then it leaves the ISR. If the leader dies meanwhile, the lagging follower can be elected cleanly, and acks=1 records it lacks are lost.",
        parameters: [.required("id", .integer(Int64.min...Int64.max), "Broker id.", completions: brokerIDs)],
        effect: .mutating, examples: ["kafka broker pause 2"]
    ) { inv, session in
        let id = Int(clamping: inv.integer("id") ?? 0)
        let now = session.state.clock.nowMs
        try update(session, "kafka broker pause \(id)") { state, _ in try state.cluster.pauseFetching(broker: id, nowMs: now) }
        return .text("broker \(id)'s fetchers are paused: its followers fall behind and leave the ISR after replica.lag.time.max.ms (`clock advance 30s`)", value: Value(id))
    }

    static let brokerResume = CommandSpec(
        ["kafka", "broker", "resume"], abstract: "Resume a broker's replica fetchers: its followers catch up and rejoin the ISR.",
        parameters: [.required("id", .integer(Int64.min...Int64.max), "Broker id.", completions: brokerIDs)],
        effect: .mutating, examples: ["kafka broker resume 2"]
    ) { inv, session in
        let id = Int(clamping: inv.integer("id") ?? 0)
        let now = session.state.clock.nowMs
        _ = try update(session, "kafka broker resume \(id)") { state, _ in try state.cluster.resumeFetching(broker: id, nowMs: now) }
        return .text("broker \(id)'s fetchers run again: its followers caught up and are in sync", value: Value(id))
    }

    static let electLeaders = CommandSpec(
        ["kafka", "elect-leaders"], abstract: "Preferred leader election (kafka-leader-election --election-type PREFERRED).",
        effect: .mutating, examples: ["kafka elect-leaders"]
    ) { _, session in
        let changes = try update(session, "kafka elect-leaders") { state, _ in state.cluster.electPreferredLeaders() }
        return Output(.array(changes.map(KafkaViews.electionValue))) { style in
            changes.isEmpty ? "every partition is already led by its preferred replica (or it is unavailable)"
                : changes.map { KafkaViews.describe($0, style: style) }.joined(separator: "\n")
        }
    }
}
