import Kafka
import SimKit
import WorkbenchKit

/// Values (for --json and expect) and drawings of the Kafka state, made from the same facts.
enum KafkaViews {
    static func text(_ bytes: [UInt8]?) -> String? { bytes.map { String(decoding: $0, as: UTF8.self) } }
    static func shown(_ bytes: [UInt8]?) -> String { text(bytes) ?? "null" }

    // MARK: Topics and the cluster

    static func partitionValue(_ p: PartitionState) -> Value {
        .object([
            ("partition", Value(p.index)), ("leader", p.leader.map(Value.init) ?? .null), ("leaderEpoch", Value(p.leaderEpoch)),
            ("replicas", .array(p.replicas.map(Value.init))), ("isr", .array(p.isr.map(Value.init))),
            ("logStartOffset", .int(leaderLog(p)?.logStartOffset ?? 0)),
            ("highWatermark", .int(p.highWatermark)), ("logEndOffset", .int(p.logEndOffset)),
        ])
    }

    static func topicValue(_ t: Topic) -> Value {
        .object([
            ("topic", .string(t.name)), ("partitionCount", Value(t.partitions.count)),
            ("replicationFactor", Value(t.partitions.first?.replicas.count ?? 0)),
            ("configs", .object(t.config.entries.filter { !$0.isDefault }.map { ($0.name, .string($0.value)) })),
            ("partitions", .array(t.partitions.map(partitionValue))),
        ])
    }

    static func clusterValue(_ c: Cluster) -> Value {
        .object([("brokers", .array(c.brokers.map { .object([("id", Value($0.id)), ("alive", .bool($0.alive))]) })),
                 ("topics", .array(c.topics.map(topicValue)))])
    }

    static func brokersValue(_ c: Cluster) -> Value {
        .array(c.brokers.map { b in
            let led = c.topics.flatMap { t in t.partitions.filter { $0.leader == b.id }.map { "\(t.name)-\($0.index)" } }
            return .object([("id", Value(b.id)), ("alive", .bool(b.alive)), ("leads", .array(led.map(Value.string)))])
        })
    }

    static func drawBrokers(_ c: Cluster, style: Style) -> String {
        Table(headers: ["broker", "state", "leads"], rows: c.brokers.map { b in
            let led = c.topics.flatMap { t in t.partitions.filter { $0.leader == b.id }.map { "\(t.name)-\($0.index)" } }
            return [String(b.id), b.alive ? style.green("up") : style.red("down"), led.isEmpty ? "-" : led.joined(separator: " ")]
        }).render(style: style)
    }

    /// Rows: partitions; columns: brokers. L = leader, F = follower in the ISR, o = replica out of
    /// the ISR, blank = no replica there; each with that replica's log end offset.
    static func drawGrid(_ c: Cluster, topics: [String], style: Style) -> String {
        let headers = ["partition"] + c.brokers.map { "broker \($0.id)" + ($0.alive ? (c.pausedBrokers.contains($0.id) ? " ⏸" : "") : " ✗") } + ["leader", "ISR", "HW", "LEO"]
        var rows: [[String]] = []
        for t in c.topics where topics.contains(t.name) {
            for p in t.partitions {
                var row = ["\(t.name)-\(p.index)"]
                for b in c.brokers {
                    guard p.replicas.contains(b.id) else { row.append(""); continue }
                    let leo = log(of: p, broker: b.id)?.logEndOffset ?? 0
                    if p.leader == b.id { row.append(style.green("L") + " \(leo)") }
                    else if p.isr.contains(b.id) { row.append("F \(leo)") }
                    else { row.append(style.red("o") + " \(leo)") }
                }
                row += [p.leader.map(String.init) ?? style.red("none"), p.isr.map(String.init).joined(separator: ","), String(p.highWatermark), String(p.logEndOffset)]
                rows.append(row)
            }
        }
        if rows.isEmpty { return "no topics yet: `kafka topic create NAME --partitions 3 --replication-factor 3`" }
        return Table(headers: headers, rows: rows).render(style: style)
            + "\n" + style.dim("L leader · F in-sync follower · o out-of-sync replica · numbers: each replica's log end offset · ✗ broker down · ⏸ fetchers paused")
    }

    // MARK: Partition logs

    static func log(of p: PartitionState, broker: Int) -> PartitionLog? { p.logs[broker] }
    static func leaderLog(_ p: PartitionState) -> PartitionLog? { p.leader.flatMap { log(of: p, broker: $0) } ?? p.replicas.lazy.compactMap { log(of: p, broker: $0) }.first }

    static func storedValue(_ r: StoredRecord, partition: Int) -> Value {
        .object([("partition", Value(partition)), ("offset", .int(r.offset)), ("key", Value(text(r.record.key))),
                 ("value", Value(text(r.record.value))), ("timestampMs", .int(r.record.timestampMs)),
                 ("headers", .object(r.record.headers.map { ($0.key, Value(text($0.value))) }))])
    }

    static func drawRecords(_ records: [(Int, StoredRecord)], style: Style) -> String {
        Table(headers: ["partition", "offset", "key", "value"], rows: records.map { p, r in
            [String(p), String(r.offset), shown(r.record.key), shown(r.record.value)]
        }).render(style: style)
    }

    static func logValue(topic: String, _ p: PartitionState, broker: Int, _ log: PartitionLog,
                         markers: [(offset: Int64, label: String)] = []) -> Value {
        .object([
            ("markers", .array(markers.map { .object([("offset", .int($0.offset)), ("label", .string($0.label))]) })),
            ("topic", .string(topic)), ("partition", Value(p.index)), ("broker", Value(broker)),
            ("leader", .bool(p.leader == broker)), ("inSync", .bool(p.isr.contains(broker))),
            ("logStartOffset", .int(log.logStartOffset)), ("highWatermark", .int(p.highWatermark)), ("logEndOffset", .int(log.logEndOffset)),
            ("segments", .array(log.segments.map { s in
                .object([("file", .string(s.fileName)), ("baseOffset", .int(s.baseOffset)), ("sizeBytes", Value(s.sizeBytes)),
                         ("records", .array(s.records.map { storedValue($0, partition: p.index) }))])
            })),
        ])
    }

    /// Where each group's committed offset and each consumer's position stand in a partition:
    /// the markers `kafka log` draws between the records.
    static func groupMarkers(_ state: KafkaState, topic: String, partition: Int) -> [(offset: Int64, label: String)] {
        var markers: [(offset: Int64, label: String)] = []
        for g in state.groups.groupIDs {
            guard let description = try? state.groups.describe(g, cluster: state.cluster) else { continue }
            for row in description.partitions where row.topic == topic && row.partition == partition {
                if let committed = row.currentOffset { markers.append((committed, "committed offset \(committed) (group \(g)): the next record it will read")) }
            }
        }
        for name in state.groups.consumerNames {
            guard let view = try? state.groups.consumer(name) else { continue }
            for position in view.positions where position.topicPartition == TopicPartition(topic, partition) {
                markers.append((position.offset, "position \(position.offset) (consumer \(name)): its next fetch"))
            }
        }
        return markers.sorted { ($0.offset, $0.label) < ($1.offset, $1.label) }
    }

    /// The log as a column of offsets, with the segment files, the log start offset, each group's
    /// committed offset and each consumer's position, the high watermark (consumers read only
    /// above its line) and the log end offset marked where they fall.
    static func drawLog(topic: String, _ p: PartitionState, broker: Int, _ log: PartitionLog,
                        markers groupMarks: [(offset: Int64, label: String)] = [], style: Style) -> String {
        let role = p.leader == broker ? "leader" : (p.isr.contains(broker) ? "in-sync follower" : "out-of-sync replica")
        var lines = [style.bold("\(topic)-\(p.index)") + " on broker \(broker) (\(role), leader epoch \(p.leaderEpoch)) · replicas \(p.replicas.map(String.init).joined(separator: ",")) · ISR \(p.isr.map(String.init).joined(separator: ","))"]
        lines.append("       ┌ log start offset \(log.logStartOffset)")
        // The high watermark sorts after markers at the same offset, so "committed offset N" and
        // "position N" stand just above the line they refer to.
        var pending = groupMarks.map { ($0.offset, 0, style.cyan("       ├ " + $0.label)) }
            + [(p.highWatermark, 1, style.yellow("       ├ high watermark \(p.highWatermark): consumers read only the records above this line"))]
        pending.sort { ($0.0, $0.1) < ($1.0, $1.1) }
        func flush(upTo offset: Int64?) {
            while let first = pending.first, offset.map({ first.0 <= $0 }) ?? true {
                lines.append(first.2)
                pending.removeFirst()
            }
        }
        for segment in log.segments {
            lines.append(style.dim("       │ segment \(segment.fileName) (\(segment.sizeBytes) bytes)"))
            for r in segment.records {
                flush(upTo: r.offset)
                let offset = String(r.offset)
                lines.append(String(repeating: " ", count: max(0, 6 - offset.count)) + offset + " │ key=\(shown(r.record.key)) value=\(shown(r.record.value))"
                             + (r.record.headers.isEmpty ? "" : " headers=" + r.record.headers.map { "\($0.key)=\(shown($0.value))" }.joined(separator: ",")))
            }
        }
        flush(upTo: nil)
        lines.append("       └ log end offset \(log.logEndOffset)")
        return lines.joined(separator: "\n")
    }

    static func cleaningValue(_ r: CleaningReport) -> Value {
        .object([("topic", .string(r.topic)), ("partition", Value(r.partition)), ("deletedSegments", .array(r.deletedSegments.map(Value.string))),
                 ("removedRecords", .int(r.removedRecords)), ("logStartOffset", .int(r.newLogStartOffset)), ("reason", .string(r.reason))])
    }

    // MARK: Producing

    static func producedValue(_ produced: [(PartitionChoice, AppendResult?, Record)]) -> Value {
        .array(produced.map { choice, result, record in
            let offset: Value = result.map { .int($0.acks == .none ? -1 : $0.baseOffset) } ?? .null
            return .object([("partition", Value(choice.partition)), ("offset", offset),
                            ("status", .string(result == nil ? "buffered" : "sent")),
                            ("key", Value(text(record.key))), ("value", Value(text(record.value))),
                            ("acks", result.map { .string($0.acks.rawValue) } ?? .null),
                            ("highWatermark", result.map { .int($0.highWatermark) } ?? .null),
                            ("committed", result.map { .bool($0.committed) } ?? .null), ("reason", .string(choice.reason))])
        })
    }

    static func drawProduced(_ produced: [(PartitionChoice, AppendResult?, Record)], topic: String, style: Style) -> String {
        let rows = produced.map { choice, result, record -> [String] in
            let offset = result.map { r in
                r.acks == .none ? "-1 (acks=0: no reply)"
                    : (r.acks == .all && !r.committed ? "\(r.baseOffset) (ack waits: HW \(r.highWatermark))" : String(r.baseOffset))
            } ?? style.yellow("buffered")
            return [shown(record.key), shown(record.value), "\(topic)-\(choice.partition)", offset, choice.reason]
        }
        return Table(headers: ["key", "value", "partition", "offset", "why this partition"], rows: rows.suffix(50).map { $0 }).render(style: style)
            + (rows.count > 50 ? "\n… and \(rows.count - 50) earlier records" : "")
    }

    /// "batch of 3 records to orders-0: offsets 4–6" or the error its callback receives.
    static func describe(send batch: ProducerBatch, result: Result<AppendResult, KafkaError>) -> String {
        let what = "batch of \(batch.records.count) record\(batch.records.count == 1 ? "" : "s") (\(batch.sizeBytes) bytes) to \(batch.topicPartition)"
        switch result {
        case let .success(r): return what + ": offsets \(r.baseOffset)–\(r.lastOffset)"
        case let .failure(e): return what + " failed with \(e.name); the send callback gets the error and the records are dropped"
        }
    }

    static func bufferValue(_ a: Accumulator, _ p: ProducerSettings, nowMs: Int64) -> Value {
        .object([
            ("bufferedBytes", Value(a.bufferedBytes)), ("bufferMemory", Value(p.bufferMemory)), ("lingerMs", .int(p.lingerMs)),
            ("batches", .array(a.batches.indices.map { i in
                let b = a.batches[i]
                return .object([("partition", .string(b.topicPartition.description)), ("records", Value(b.records.count)),
                                ("sizeBytes", Value(b.sizeBytes)), ("capacity", Value(b.capacity)), ("createdMs", .int(b.createdMs)),
                                ("sendsAtMs", .int(b.createdMs + p.lingerMs)),
                                ("ready", .bool(a.isReady(i, nowMs: nowMs, lingerMs: p.lingerMs, batchSize: p.batchSize)))])
            })),
        ])
    }

    static func drawBuffer(_ a: Accumulator, _ p: ProducerSettings, nowMs: Int64, style: Style) -> String {
        if a.batches.isEmpty {
            return "the accumulator is empty" + (p.lingerMs == 0 ? " (linger.ms=0: every record is sent at once; `kafka producer set --linger-ms 100` makes them wait)" : "")
        }
        let rows = a.batches.indices.map { i -> [String] in
            let b = a.batches[i]
            let fill = "\(b.sizeBytes)/\(b.capacity) bytes"
            return [b.topicPartition.description, String(b.records.count), fill, "+\(b.createdMs + p.lingerMs - nowMs)ms",
                    a.isReady(i, nowMs: nowMs, lingerMs: p.lingerMs, batchSize: p.batchSize) ? style.green("ready") : "waiting"]
        }
        return Table(headers: ["partition", "records", "batch", "linger ends in", "state"], rows: rows).render(style: style)
            + "\n" + style.dim("buffer.memory: \(a.bufferedBytes) of \(p.bufferMemory) bytes in use · a batch goes when it fills (batch.size), when linger.ms ends, or on flush")
    }

    // MARK: Adding partitions

    struct KeyMove { var key: String; var from: Int; var to: Int }

    /// Every distinct key in the topic: the partition its records are in now (the first, if a
    /// partitioner change scattered them), and where the producer's partitioner sends it at the new count.
    static func keyMoves(_ topic: Topic, newCount: Int, partitioner: PartitionerKind) -> [KeyMove] {
        var home: [String: Int] = [:]
        for p in topic.partitions {
            for segment in leaderLog(p)?.segments ?? [] {
                for r in segment.records {
                    if let k = text(r.record.key), home[k] == nil { home[k] = p.index }
                }
            }
        }
        return home.keys.sorted().compactMap { k in
            guard let from = home[k], let choice = keyedChoice(partitioner, key: Array(k.utf8), partitionCount: newCount) else { return nil }
            return KeyMove(key: k, from: from, to: choice.partition)
        }
    }

    /// Where a keyed record goes under a partitioner, with all partitions available. Keyed choices
    /// need no memory and draw no random numbers, so fresh state and a fixed seed change nothing.
    static func keyedChoice(_ kind: PartitionerKind, key: [UInt8], partitionCount: Int) -> PartitionChoice? {
        var memory = PartitionerState()
        var rng = SplitMix64(seed: 0)
        return try? Partitioner.choose(kind: kind, key: key, explicitPartition: nil, partitionCount: partitionCount,
                                       available: Array(0..<partitionCount), recordBytes: 0, batchSize: 16_384,
                                       stickyLingerMs: 10, nowMs: 0, state: &memory, rng: &rng)
    }

    /// "broker 2 rejoined the ISR of orders-0, orders-1", or what stays out of sync.
    static func isrJoins(broker: Int, after: Cluster) -> [String] {
        var joined: [String] = [], out: [String] = []
        for t in after.topics {
            for p in t.partitions where p.replicas.contains(broker) {
                if p.isr.contains(broker) { joined.append("\(t.name)-\(p.index)") } else { out.append("\(t.name)-\(p.index)") }
            }
        }
        var lines: [String] = []
        if !joined.isEmpty { lines.append("broker \(broker) caught up and is in the ISR of " + joined.joined(separator: ", ")) }
        if !out.isEmpty { lines.append("still out of sync (no leader to copy from): " + out.joined(separator: ", ")) }
        return lines
    }

    static func moveValue(_ m: KeyMove) -> Value {
        .object([("key", .string(m.key)), ("from", Value(m.from)), ("to", Value(m.to)), ("moved", .bool(m.from != m.to))])
    }

    static func drawMoves(_ moves: [KeyMove], from: Int, to: Int, style: Style) -> String {
        var lines = ["partitions \(from) → \(to)"]
        if moves.isEmpty { return lines[0] + " (no keyed records yet, so no key moves)" }
        let moved = moves.filter { $0.from != $0.to }
        lines.append(Table(headers: ["key", "now in", "new records go to", "change"], rows: moves.map {
            [$0.key, String($0.from), String($0.to), $0.from == $0.to ? "stays" : style.red("moves")]
        }).render(style: style))
        lines.append("\(moved.count) of \(moves.count) keys now map to another partition: new records for them go elsewhere, old ones stay where they were, so per-key order is lost")
        return lines.joined(separator: "\n")
    }

    // MARK: Elections

    static func describe(isr change: IsrChange) -> String {
        var parts: [String] = []
        if !change.removed.isEmpty { parts.append("broker " + change.removed.map(String.init).joined(separator: ",") + " left the ISR (not caught up for replica.lag.time.max.ms)") }
        if !change.added.isEmpty { parts.append("broker " + change.added.map(String.init).joined(separator: ",") + " joined the ISR") }
        return "\(change.topic)-\(change.partition): " + parts.joined(separator: ", ") + "; high watermark \(change.highWatermark)"
    }

    static func electionValue(_ e: ElectionChange) -> Value {
        .object([("topic", .string(e.topic)), ("partition", Value(e.partition)), ("oldLeader", e.oldLeader.map(Value.init) ?? .null),
                 ("newLeader", e.newLeader.map(Value.init) ?? .null), ("unclean", .bool(e.unclean)), ("truncatedRecords", .int(e.truncatedRecords))])
    }

    static func describe(_ e: ElectionChange, style: Style) -> String {
        let from = e.oldLeader.map { "broker \($0)" } ?? "none"
        let to = e.newLeader.map { "broker \($0)" } ?? style.red("none (offline)")
        var line = "\(e.topic)-\(e.partition): leader \(from) → \(to)"
        if e.unclean { line += style.red(" (unclean election: \(e.truncatedRecords) records lost)") }
        else if e.truncatedRecords > 0 {
            line += style.red(" (the new leader lagged: \(e.truncatedRecords) record\(e.truncatedRecords == 1 ? "" : "s") above the high watermark, acknowledged only with acks=1 or still waiting, are lost)")
        }
        return line
    }
}
