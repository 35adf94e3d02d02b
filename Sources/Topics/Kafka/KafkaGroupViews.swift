import Kafka
import SimKit
import WorkbenchKit

/// Values and drawings for consumers, groups and the group protocol's messages.
extension KafkaViews {
    static func partitionsValue(_ tps: [TopicPartition]) -> Value { .array(tps.map { .string($0.description) }) }

    static func consumerValue(_ c: ConsumerView) -> Value {
        .object([
            ("name", .string(c.name)), ("group", .string(c.config.groupID)), ("status", .string(c.status.rawValue)),
            ("memberId", .string(c.memberID)), ("groupInstanceId", Value(c.config.groupInstanceID)), ("generation", Value(c.generation)),
            ("protocol", .string(c.cooperative ? "cooperative" : "eager")), ("topics", .array(c.topics.map(Value.string))),
            ("assignment", partitionsValue(c.assignment)),
            ("positions", .object(c.positions.map { ($0.topicPartition.description, .int($0.offset)) })),
            ("lastPollMs", c.lastPollMs.map(Value.int) ?? .null),
            ("error", c.pendingError.map { .string($0.name) } ?? .null),
        ])
    }

    static func drawConsumer(_ c: ConsumerView, style: Style) -> String {
        var lines = [style.bold(c.name) + " in group \(c.config.groupID): \(c.status.rawValue)" + (c.memberID.isEmpty ? "" : " · member \(c.memberID)") + " · generation \(c.generation) · \(c.cooperative ? "cooperative" : "eager") protocol"]
        lines.append("subscribed to " + c.topics.joined(separator: ", ") + " · assignment: " + (c.assignment.isEmpty ? "none" : c.assignment.map(\.description).joined(separator: " ")))
        if !c.positions.isEmpty {
            lines.append("positions (next offset to fetch): " + c.positions.map { "\($0.topicPartition)@\($0.offset)" }.joined(separator: " "))
        }
        if let e = c.pendingError { lines.append(style.red("pending error: \(e.name)")) }
        let config = ConsumerConfig.names.compactMap { n in c.config.value(n).map { "\(n)=\($0)" } }
        lines.append(style.dim(config.joined(separator: " ")))
        return lines.joined(separator: "\n")
    }

    static func recordValue(_ rec: ConsumerRecord) -> Value {
        let fields: [(String, Value)] = [
            ("topic", .string(rec.topic)), ("partition", Value(rec.partition)), ("offset", .int(rec.offset)),
            ("key", Value(text(rec.key))), ("value", Value(text(rec.value))),
        ]
        return .object(fields)
    }

    static func pollValue(_ r: PollResult, _ c: ConsumerView) -> Value {
        let fields: [(String, Value)] = [
            ("records", .array(r.records.map(recordValue))),
            ("assignment", partitionsValue(r.assignment)),
            ("status", .string(c.status.rawValue)),
        ]
        return .object(fields)
    }

    static func drawPoll(_ r: PollResult, _ c: ConsumerView, style: Style) -> String {
        if r.records.isEmpty {
            if r.assignment.isEmpty {
                return "\(c.name): no records — \(c.status.rawValue), no partitions assigned yet" + (c.status.rawValue == "stable" ? " (more consumers than partitions: this one idles)" : " (let the group protocol run: `step`, or `clock advance 3s`)")
            }
            return "\(c.name): no new records below the high watermark on " + r.assignment.map(\.description).joined(separator: " ")
        }
        return Table(headers: ["partition", "offset", "key", "value"], rows: r.records.map {
            ["\($0.topic)-\($0.partition)", String($0.offset), shown($0.key), shown($0.value)]
        }).render(style: style) + "\n" + style.dim("\(r.records.count) record\(r.records.count == 1 ? "" : "s"); assignment " + r.assignment.map(\.description).joined(separator: " "))
    }

    static func memberValue(_ m: MemberDescription) -> Value {
        let fields: [(String, Value)] = [
            ("memberId", .string(m.memberID)), ("groupInstanceId", Value(m.groupInstanceID)),
            ("clientId", .string(m.clientID)), ("assignment", partitionsValue(m.assignment)),
        ]
        return .object(fields)
    }

    static func offsetRowValue(_ p: PartitionOffsetRow) -> Value {
        let fields: [(String, Value)] = [
            ("topic", .string(p.topic)), ("partition", Value(p.partition)),
            ("currentOffset", p.currentOffset.map(Value.int) ?? .null),
            ("logEndOffset", p.logEndOffset.map(Value.int) ?? .null),
            ("lag", p.lag.map(Value.int) ?? .null),
            ("consumerId", Value(p.consumerID)), ("clientId", Value(p.clientID)),
        ]
        return .object(fields)
    }

    static func groupValue(_ g: GroupDescription) -> Value {
        let coordinator: Value = g.coordinator.map(Value.init) ?? .null
        let lags = g.partitions.compactMap(\.lag)
        // null when no partition has a committed offset: an unknown lag is not a zero lag.
        let totalLag: Value = lags.isEmpty ? .null : .int(lags.reduce(0, +))
        let fields: [(String, Value)] = [
            ("group", .string(g.groupID)), ("state", .string(g.state.rawValue)), ("generation", Value(g.generation)),
            ("protocolType", .string(g.protocolType)), ("protocol", .string(g.protocolName)), ("leader", Value(g.leader)),
            ("coordinator", coordinator), ("offsetsPartition", Value(g.offsetsPartition)),
            ("members", .array(g.members.map(memberValue))),
            ("partitions", .array(g.partitions.map(offsetRowValue))),
            ("totalLag", totalLag),
        ]
        return .object(fields)
    }

    static func drawGroup(_ g: GroupDescription, style: Style) -> String {
        var lines = [style.bold("group \(g.groupID)") + " · \(g.state.rawValue) · generation \(g.generation)"
                     + (g.protocolName.isEmpty ? "" : " · assignor \(g.protocolName)") + (g.leader.map { " · leader \($0)" } ?? "")
                     + " · coordinator " + (g.coordinator.map { "broker \($0)" } ?? "none") + " (__consumer_offsets-\(g.offsetsPartition))"]
        lines.append(Table(headers: ["TOPIC", "PARTITION", "CURRENT-OFFSET", "LOG-END-OFFSET", "LAG", "CONSUMER-ID", "CLIENT-ID"], rows: g.partitions.map {
            [$0.topic, String($0.partition), $0.currentOffset.map(String.init) ?? "-", $0.logEndOffset.map(String.init) ?? "-",
             $0.lag.map(String.init) ?? "-", $0.consumerID ?? "-", $0.clientID ?? "-"]
        }).render(style: style))
        if !g.members.isEmpty {
            lines.append("")
            lines.append(Table(headers: ["member", "client", "instance", "assignment"], rows: g.members.map {
                [$0.memberID, $0.clientID, $0.groupInstanceID ?? "-", $0.assignment.isEmpty ? style.yellow("none (idle)") : $0.assignment.map(\.description).joined(separator: " ")]
            }).render(style: style))
        }
        return lines.joined(separator: "\n")
    }

    static func messageValue(_ m: GroupMessage) -> Value {
        .object([("sequence", Value(m.sequence)), ("atMs", .int(m.atMs)), ("from", .string(m.from)), ("to", .string(m.to)),
                 ("kind", .string(m.kind)), ("detail", .string(m.detail))])
    }

    static func describe(_ m: GroupMessage) -> String {
        "kafka +\(m.atMs - SimClock.defaultStartMs)ms \(m.from) → \(m.to): \(m.kind)" + (m.detail.isEmpty ? "" : " (\(m.detail))")
    }

    /// A sequence diagram in text: one line per message, sender and receiver, in delivery order.
    static func drawTimeline(_ messages: [GroupMessage], style: Style) -> String {
        if messages.isEmpty { return "no group messages yet: a consumer joins its group on its first poll" }
        let fromWidth = messages.map { Style.width($0.from) }.max() ?? 0
        let toWidth = messages.map { Style.width($0.to) }.max() ?? 0
        return messages.map { m in
            let time = "+\(m.atMs - SimClock.defaultStartMs)ms"
            return Style.pad(time, to: 10) + Style.pad(m.from, to: fromWidth) + " ──" + style.cyan(m.kind) + "──▶ " + Style.pad(m.to, to: toWidth)
                + (m.detail.isEmpty ? "" : "  " + style.dim(m.detail))
        }.joined(separator: "\n")
    }

    static func offsetsRecordValue(_ r: OffsetsTopicRecord) -> Value {
        .object([("partition", Value(r.partition)), ("atMs", .int(r.atMs)), ("kind", .string(r.kind)), ("key", .string(r.key)), ("value", Value(r.value))])
    }
}
