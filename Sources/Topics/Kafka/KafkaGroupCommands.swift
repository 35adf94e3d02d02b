import Kafka
import SimKit
import WorkbenchKit

/// Consumers and consumer groups (classic protocol). A consumer's calls (`poll`, `commit`,
/// `close`) happen at once; the group protocol they start runs as events on the simulated clock,
/// so `step` shows a rebalance message by message and `clock advance 3s` lets it play out.
enum KafkaGroupCommands {
    static var all: [CommandSpec] {
        [consumerCreate, consumerPoll, consumerCommit, consumerClose, consumerCrash, consumerDescribe, consumerList,
         groupList, groupDescribe, groupDelete, groupTimeline, offsetsTopic]
    }

    static let consumerNames: LiveNames = { session in session.topic(KafkaState.self).groups.consumerNames }
    static let groupIDs: LiveNames = { session in session.topic(KafkaState.self).groups.groupIDs }

    static func world(_ session: Session) -> GroupWorld { session.topic(KafkaState.self).groups }

    static let consumerCreate = CommandSpec(
        ["kafka", "consumer", "create"], abstract: "Create a consumer in a group, subscribed to topics (it joins when it first polls).",
        discussion: "Configs use the Java consumer's names and defaults: " + ConsumerConfig.names.joined(separator: ", ")
            + ". Java's default partition.assignment.strategy is range,cooperative-sticky, which runs the eager protocol.",
        parameters: [.required("name", .text, "The consumer's client.id.")],
        flags: [
            .option("--group", .text, "group.id", completions: groupIDs),
            .option("--topic", .text, "Subscribed topics, comma-separated.", completions: KafkaCommands.topicNames),
            .option("--config", .text, "Consumer configs, e.g. auto.offset.reset=earliest,enable.auto.commit=false."),
        ],
        effect: .mutating,
        examples: ["kafka consumer create c1 --group payments --topic orders", "kafka consumer create c2 --group payments --topic orders --config auto.offset.reset=earliest"]
    ) { inv, session in
        let name = inv.text("name") ?? ""
        guard let group = inv.text("group"), let topics = inv.text("topic") else {
            throw WorkbenchError.usage(command: inv.spec.name, problem: "a consumer needs --group and --topic", usage: inv.spec.usage)
        }
        let pairs = try KafkaCommands.configPairs(inv.text("config"), command: inv.spec.name, usage: inv.spec.usage)
        let now = session.state.clock.nowMs
        let created = try KafkaCommands.update(session, "kafka consumer create \(name)") { state, _ in
            var config = ConsumerConfig(groupID: group, clientID: name)
            for (key, value) in pairs { try config.set(key, value) }
            let subscribed = topics.split(separator: ",").map(String.init)
            for topic in subscribed { _ = try state.cluster.topic(topic) }
            return try state.groups.createConsumer(config: config, topics: subscribed, nowMs: now)
        }
        return .text("consumer \(created) created in group \(group); it joins the group on its first `kafka consumer poll \(created)`", value: .string(created))
    }

    static let consumerPoll = CommandSpec(
        ["kafka", "consumer", "poll"], abstract: "The application calls poll(): join the group if needed, then fetch records below the HW.",
        discussion: "The first poll only starts joining (FindCoordinator, JoinGroup…); let the protocol run (`step`, or `clock advance 3s` for a new group's initial rebalance delay) and poll again. With enable.auto.commit, poll commits the previous poll's positions every auto.commit.interval.ms.",
        parameters: [.required("name", .text, "Consumer name.", completions: consumerNames)],
        effect: .mutating, examples: ["kafka consumer poll c1"]
    ) { inv, session in
        let name = inv.text("name") ?? ""
        let now = session.state.clock.nowMs
        let result = try KafkaCommands.update(session, "kafka consumer poll \(name)") { state, _ in
            try state.groups.poll(name, cluster: state.cluster, nowMs: now)
        }
        let view = try KafkaErrors.map("kafka consumer poll \(name)") { try world(session).consumer(name) }
        return Output(KafkaViews.pollValue(result, view)) { style in KafkaViews.drawPoll(result, view, style: style) }
    }

    static let consumerCommit = CommandSpec(
        ["kafka", "consumer", "commit"], abstract: "commitSync(): commit the consumer's positions (the next offset to read) to its group.",
        parameters: [.required("name", .text, "Consumer name.", completions: consumerNames)],
        effect: .mutating, examples: ["kafka consumer commit c1"]
    ) { inv, session in
        let name = inv.text("name") ?? ""
        let now = session.state.clock.nowMs
        let committed = try KafkaCommands.update(session, "kafka consumer commit \(name)") { state, _ in try state.groups.commit(name, nowMs: now) }
        let rows = committed.keys.sorted()
        return Output(.array(rows.map { tp in .object([("topic", .string(tp.topic)), ("partition", Value(tp.partition)), ("offset", .int(committed[tp] ?? 0))]) })) { style in
            rows.isEmpty ? "nothing to commit: \(name) has no positions yet"
                : Table(headers: ["partition", "committed offset (next to read)"], rows: rows.map { [$0.description, String(committed[$0] ?? 0)] }).render(style: style)
        }
    }

    static let consumerClose = CommandSpec(
        ["kafka", "consumer", "close"], abstract: "close(): commit if auto-commit is on, then LeaveGroup (a rebalance follows).",
        parameters: [.required("name", .text, "Consumer name.", completions: consumerNames)],
        effect: .mutating, examples: ["kafka consumer close c1"]
    ) { inv, session in
        let name = inv.text("name") ?? ""
        let now = session.state.clock.nowMs
        let view = try? world(session).consumer(name)
        let inGroup = [ConsumerStatus.joining, .stable, .rebalancing].contains { $0 == view?.status }
        try KafkaCommands.update(session, "kafka consumer close \(name)") { state, _ in try state.groups.close(name, nowMs: now) }
        let text: String
        if !inGroup { text = "\(name) closed; it was not in the group, so there was nothing to leave" }
        else if view?.config.groupInstanceID != nil { text = "\(name) closed; as a static member it sends no LeaveGroup, so the group notices only after session.timeout.ms" }
        else { text = "\(name) closed; it sent LeaveGroup and the group rebalances without it (`step` to watch)" }
        return .text(text, value: .string(name))
    }

    static let consumerCrash = CommandSpec(
        ["kafka", "consumer", "crash"], abstract: "Kill the consumer's process: no commit, no LeaveGroup; the group notices after session.timeout.ms.",
        parameters: [.required("name", .text, "Consumer name.", completions: consumerNames)],
        effect: .mutating, examples: ["kafka consumer crash c1"]
    ) { inv, session in
        let name = inv.text("name") ?? ""
        let now = session.state.clock.nowMs
        try KafkaCommands.update(session, "kafka consumer crash \(name)") { state, _ in try state.groups.crash(name, nowMs: now) }
        return .text("\(name) crashed: its uncommitted work is lost, and its partitions stay assigned until its session times out", value: .string(name))
    }

    static let consumerDescribe = CommandSpec(
        ["kafka", "consumer", "describe"], abstract: "A consumer's status, member id, generation, assignment and positions.",
        parameters: [.required("name", .text, "Consumer name.", completions: consumerNames)],
        effect: .readOnly, examples: ["kafka consumer describe c1"]
    ) { inv, session in
        let name = inv.text("name") ?? ""
        let view = try KafkaErrors.map("kafka consumer describe \(name)") { try world(session).consumer(name) }
        return Output(KafkaViews.consumerValue(view)) { style in KafkaViews.drawConsumer(view, style: style) }
    }

    static let consumerList = CommandSpec(
        ["kafka", "consumer", "list"], abstract: "List the consumers and their status.", effect: .readOnly, examples: ["kafka consumer list"]
    ) { _, session in
        let w = world(session)
        let views = w.consumerNames.compactMap { try? w.consumer($0) }
        return Output(.array(views.map(KafkaViews.consumerValue))) { style in
            views.isEmpty ? "no consumers yet: `kafka consumer create NAME --group G --topic T`"
                : Table(headers: ["consumer", "group", "status", "generation", "partitions"], rows: views.map {
                    [$0.name, $0.config.groupID, $0.status.rawValue, String($0.generation), $0.assignment.map(\.description).joined(separator: " ")]
                }).render(style: style)
        }
    }

    static let groupList = CommandSpec(
        ["kafka", "group", "list"], abstract: "List consumer groups (kafka-consumer-groups --list).", effect: .readOnly, examples: ["kafka group list"]
    ) { _, session in
        let ids = world(session).groupIDs
        return Output(.array(ids.map(Value.string))) { _ in ids.isEmpty ? "no groups yet" : ids.joined(separator: "\n") }
    }

    static let groupDescribe = CommandSpec(
        ["kafka", "group", "describe"], abstract: "kafka-consumer-groups --describe: state, generation, members, assignment, committed offsets and lag.",
        discussion: "LAG = LOG-END-OFFSET − CURRENT-OFFSET, where LOG-END-OFFSET is what a consumer can read up to (the high watermark) and CURRENT-OFFSET the group's committed offset.",
        parameters: [.required("group", .text, "group.id", completions: groupIDs)],
        effect: .readOnly, examples: ["kafka group describe payments", "expect kafka group describe payments .state == Stable"]
    ) { inv, session in
        let id = inv.text("group") ?? ""
        let state = session.topic(KafkaState.self)
        let description = try KafkaErrors.map("kafka group describe \(id)") { try state.groups.describe(id, cluster: state.cluster) }
        return Output(KafkaViews.groupValue(description)) { style in KafkaViews.drawGroup(description, style: style) }
    }

    static let groupDelete = CommandSpec(
        ["kafka", "group", "delete"], abstract: "Delete an empty group and its committed offsets (kafka-consumer-groups --delete): it becomes Dead.",
        parameters: [.required("group", .text, "group.id", completions: groupIDs)],
        effect: .mutating, examples: ["kafka group delete shop"]
    ) { inv, session in
        let id = inv.text("group") ?? ""
        let now = session.state.clock.nowMs
        let removed = try KafkaCommands.update(session, "kafka group delete \(id)") { state, _ in try state.groups.deleteGroup(id, nowMs: now) }
        return .text("Deleted group \(id): state Dead; tombstones written for its metadata and \(removed.count) committed offset\(removed.count == 1 ? "" : "s") (`kafka offsets-topic --group \(id)`)",
                     value: .array(removed.map { .string($0.description) }))
    }

    static let groupTimeline = CommandSpec(
        ["kafka", "group", "timeline"], abstract: "The group protocol's messages in order: a timeline of the rebalance.",
        parameters: [.optional("group", .text, "Only this group's messages.", completions: groupIDs)],
        flags: [.option("--last", .integer(1...500), "Only the last N messages (default 40).")],
        effect: .readOnly, examples: ["kafka group timeline payments", "kafka group timeline --last 10"]
    ) { inv, session in
        let w = world(session)
        let group = inv.text("group")
        let matching = w.timeline.filter { m in group.map { m.from.contains($0) || m.to.contains($0) || m.detail.contains($0) } ?? true }
        let shown = Array(matching.suffix(inv.int("last") ?? 40))
        return Output(.array(shown.map(KafkaViews.messageValue))) { style in KafkaViews.drawTimeline(shown, style: style) }
    }

    static let offsetsTopic = CommandSpec(
        ["kafka", "offsets-topic"], abstract: "The records of __consumer_offsets: commits and group metadata, by partition.",
        discussion: "A group's records live in partition abs(groupId.hashCode()) % 50 (Java String.hashCode, Kafka's Utils.abs).",
        flags: [.option("--group", .text, "Only this group's records.", completions: groupIDs), .option("--last", .integer(1...2_000), "Only the last N records (default 30).")],
        effect: .readOnly, examples: ["kafka offsets-topic", "kafka offsets-topic --group payments"]
    ) { inv, session in
        let group = inv.text("group")
        let partition = group.map { GroupWorld.offsetsPartition(groupID: $0) }
        let records = world(session).offsetsTopicRecords.filter { r in partition.map { r.partition == $0 && r.key.contains(group ?? "") } ?? true }
        let shown = Array(records.suffix(inv.int("last") ?? 30))
        return Output(.array(shown.map(KafkaViews.offsetsRecordValue))) { style in
            let header = group.map { "group \($0) → __consumer_offsets partition \(GroupWorld.offsetsPartition(groupID: $0)) (abs(hashCode) % 50)\n" } ?? ""
            return header + (shown.isEmpty ? "no records yet: commits and rebalances write them" : style.dim("(values cut at 90 characters; --json has them whole)\n") + Table(headers: ["partition", "at", "kind", "key", "value"], rows: shown.map {
                [String($0.partition), "+\($0.atMs - SimClock.defaultStartMs)ms", $0.kind, $0.key,
                 $0.value.map { $0.count > 90 ? String($0.prefix(89)) + "…" : $0 } ?? style.dim("null (tombstone)")]
            }).render(style: style))
        }
    }
}
