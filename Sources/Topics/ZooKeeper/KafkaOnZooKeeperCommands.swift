import Kafka
import WorkbenchKit
import ZooKeeper

/// Running the Kafka topic's cluster on the ZooKeeper ensemble, and the failures that show why
/// Kafka needed it (and why it left it: Kafka 4 removed ZooKeeper mode for KRaft).
enum KafkaOnZooKeeperCommands {
    static var all: [CommandSpec] { [start, status, freeze, thaw] }

    static let start = CommandSpec(
        ["kafka", "zookeeper", "start"], abstract: "Run the Kafka cluster on the ZooKeeper ensemble: brokers register, one becomes controller.",
        discussion: "Each broker opens a ZooKeeper session (zookeeper.session.timeout.ms = 18 s), registers the ephemeral /brokers/ids/<id>, and races to create /controller; the winner bumps /controller_epoch and writes every topic's assignment and partition states under /brokers/topics. From then on the controller watches /brokers/ids: `kafka broker freeze` the controller past 18 s and watch the rest happen.",
        effect: .mutating, examples: ["kafka zookeeper start"]
    ) { inv, session in
        try ZooKeeperTopic.ensureService(session)
        guard session.topic(ZooKeeperState.self).kafka == nil else {
            throw WorkbenchError.failed(what: inv.spec.name, why: "Kafka already runs on ZooKeeper", fix: "`kafka zookeeper status`")
        }
        let ids = session.topic(KafkaState.self).cluster.brokers.map(\.id)
        try session.updateTopic(ZooKeeperState.self) { $0.kafka = KafkaOnZooKeeper(brokerIDs: ids) }
        // Everything the brokers log from here on is what this command shows (the log holds 300).
        _ = try KafkaOnZooKeeper.react(to: nil, session)
        let settled = try ZooKeeperTopic.runUntil(session, limitMs: 60_000) { $0.kafka?.settled ?? true }
        var lines = session.topic(ZooKeeperState.self).kafka?.log ?? []
        if !settled { lines.append("(not settled after 60 s: does the ensemble have a quorum? `zk status`)") }
        let state = session.topic(ZooKeeperState.self)
        return Output(statusValue(state)) { _ in lines.joined(separator: "\n") }
    }

    static let status = CommandSpec(
        ["kafka", "zookeeper", "status"], abstract: "Kafka's side of ZooKeeper: each broker's session and registration, the controller and its epoch, recent controller events.",
        flags: [.option("--last", .integer(1...300), "How many log lines (default 12).")],
        effect: .readOnly, examples: ["kafka zookeeper status", "expect kafka zookeeper status .controller == 2"]
    ) { inv, session in
        let state = session.topic(ZooKeeperState.self)
        guard state.kafka != nil else {
            return .text("Kafka does not run on ZooKeeper here (it is simulated on its own); `kafka zookeeper start` moves it onto the ensemble", value: .null)
        }
        return Output(statusValue(state)) { style in drawStatus(state, last: inv.int("last") ?? 12, style: style) }
    }

    static let freeze = CommandSpec(
        ["kafka", "broker", "freeze"], abstract: "Freeze a broker (a long GC pause): no ZooKeeper heartbeats, no replication, nothing.",
        discussion: "Past zookeeper.session.timeout.ms (18 s) the ensemble expires its session: its /brokers/ids/<id> (and /controller, if it was controller) vanish in one txn, and the controller moves its partitions' leadership. Needs `kafka zookeeper start`.",
        parameters: [.required("id", .integer(0...1_000), "Broker id.")],
        effect: .mutating, examples: ["kafka broker freeze 1"]
    ) { inv, session in
        let id = inv.int("id") ?? 1
        try change(session, inv, id, frozen: true)
        return .text("broker \(id) frozen: it sends no heartbeats; in 18-20 s ZooKeeper expires its session (`clock advance 20s`)")
    }

    static let thaw = CommandSpec(
        ["kafka", "broker", "thaw"], abstract: "End a broker's pause: it finds its session expired, registers again and rejoins.",
        parameters: [.required("id", .integer(0...1_000), "Broker id.")],
        effect: .mutating, examples: ["kafka broker thaw 1"]
    ) { inv, session in
        let id = inv.int("id") ?? 1
        try change(session, inv, id, frozen: false)
        let lines = try KafkaOnZooKeeper.react(to: nil, session)
        return .text((["broker \(id) thawed"] + lines).joined(separator: "\n"))
    }

    static func change(_ session: Session, _ inv: Invocation, _ id: Int, frozen: Bool) throws {
        guard let bridge = session.topic(ZooKeeperState.self).kafka else {
            throw WorkbenchError.failed(what: inv.spec.name, why: "Kafka does not run on ZooKeeper yet", fix: "`kafka zookeeper start`")
        }
        guard let b = bridge.index(id) else {
            throw WorkbenchError.failed(what: inv.spec.name, why: "BROKER_NOT_AVAILABLE: there is no broker \(id)", fix: "`kafka brokers` lists them")
        }
        guard bridge.brokers[b].frozen != frozen else {
            throw WorkbenchError.failed(what: inv.spec.name, why: "broker \(id) is \(frozen ? "already" : "not") frozen", fix: nil)
        }
        let client = bridge.brokers[b].client
        try ZooKeeperTopic.update(session, inv.line) { s, now throws(ServiceError) in
            if (try? s.client(client)) != nil {
                if frozen { try s.freezeClient(client, nowMs: now) } else { try s.thawClient(client, nowMs: now) }
            }
        }
        try session.updateTopic(ZooKeeperState.self) { $0.kafka?.brokers[b].frozen = frozen }
        let now = session.state.clock.nowMs
        try KafkaCommands.update(session, inv.line) { state, _ in
            if frozen, state.cluster.isAlive(id) { try state.cluster.pauseFetching(broker: id, nowMs: now) }
            if !frozen, state.cluster.isFetchingPaused(id) { try state.cluster.resumeFetching(broker: id, nowMs: now) }
        }
    }

    static func statusValue(_ state: ZooKeeperState) -> Value {
        guard let bridge = state.kafka else { return .null }
        let clients = state.service?.clients ?? []
        return .object([
            ("controller", bridge.controller.map(Value.init) ?? .null),
            ("controllerEpoch", Value(bridge.controllerEpoch)),
            ("brokers", .array(bridge.brokers.map { b in
                let c = clients.first { $0.name == b.client }
                return .object([("id", Value(b.id)), ("session", c?.session.map { .string(ZooKeeperViews.hex($0)) } ?? .null),
                                ("sessionState", c.map { .string($0.phase.rawValue) } ?? .null),
                                ("registered", .bool(b.registered)), ("brokerEpoch", b.brokerEpoch.map { .string($0.description) } ?? .null),
                                ("frozen", .bool(b.frozen)), ("stopped", .bool(b.stopped)),
                                ("knownController", b.knownController.map(Value.init) ?? .null)])
            })),
            ("log", .array(bridge.log.map(Value.string))),
        ])
    }

    static func drawStatus(_ state: ZooKeeperState, last: Int, style: Style) -> String {
        guard let bridge = state.kafka else { return "" }
        let clients = state.service?.clients ?? []
        let rows = bridge.brokers.map { b -> [String] in
            let c = clients.first { $0.name == b.client }
            let role = bridge.controller == b.id ? style.green("controller") : "broker"
            let condition = b.frozen ? style.yellow("frozen") : b.stopped ? style.red("stopped") : "running"
            return [String(b.id), role, condition, c?.session.map(ZooKeeperViews.hex) ?? "-", c?.phase.rawValue ?? "-",
                    b.registered ? "/brokers/ids/\(b.id)" : "-", b.brokerEpoch?.description ?? "-", b.knownController.map(String.init) ?? "-"]
        }
        let table = Table(headers: ["broker", "role", "process", "session", "session state", "registered", "broker epoch", "thinks controller is"], rows: rows).render(style: style)
        let head = "controller: " + (bridge.controller.map { "broker \($0)" } ?? "none") + ", controller_epoch \(bridge.controllerEpoch)"
        let log = bridge.log.suffix(last)
        return ([head, table] + (log.isEmpty ? [] : ["", style.bold("recent")] + log.map { "  " + $0 })).joined(separator: "\n")
    }
}
