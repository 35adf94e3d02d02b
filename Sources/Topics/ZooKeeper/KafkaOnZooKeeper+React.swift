import Kafka
import WorkbenchKit
import ZooKeeper

/// How Kafka's brokers react to ZooKeeper: answers to their requests, watch events, expired
/// sessions, and changes the learner made to the Kafka cluster. Runs after every ZooKeeper step
/// and after every Kafka command while Kafka runs on ZooKeeper.
extension KafkaOnZooKeeper {
    /// A decision the controller made that changes the Kafka cluster.
    enum Decision { case stop(Int), start(Int) }

    /// The whole reaction: ZooKeeper side first (replies, events), then the Kafka cluster, then
    /// the writes that bring ZooKeeper up to date with it. Returns the lines to show.
    static func react(to step: ServiceStep?, _ session: Session) throws -> [String] {
        guard session.topic(ZooKeeperState.self).kafka != nil else { return [] }
        let now = session.state.clock.nowMs
        var lines: [String] = []
        // 1. ZooKeeper: what the brokers heard.
        let decisions = try session.updateTopic(ZooKeeperState.self) { zk -> [Decision] in
            guard var bridge = zk.kafka, var service = zk.service else { return [] }
            defer { zk.kafka = bridge; zk.service = service }
            return bridge.absorb(step, service: &service, nowMs: now, lines: &lines)
        }
        // 2. Kafka: the controller's decisions move partition leadership.
        if !decisions.isEmpty {
            let changes = try session.updateTopic(KafkaState.self) { kafka -> [String] in
                var out: [String] = []
                // Brokers that vanished together are handled together (KafkaController.onBrokerFailure).
                let dead = decisions.compactMap { if case let .stop(id) = $0 { id } else { nil } }
                if !dead.isEmpty {
                    let moved = (try? kafka.cluster.stopBrokers(dead)) ?? []
                    let names = dead.map { "broker \($0)" }.joined(separator: " and ")
                    out.append("controller: \(names) \(dead.count == 1 ? "is" : "are") dead" + (moved.isEmpty ? "" : "; " + moved.map { KafkaViews.describe($0, style: .plain) }.joined(separator: "; ")))
                }
                for d in decisions {
                    switch d {
                    case .stop:
                        break
                    case let .start(id):
                        let moved = (try? kafka.cluster.startBroker(id)) ?? []
                        out.append("controller: broker \(id) is back" + (moved.isEmpty ? "" : "; " + moved.map { KafkaViews.describe($0, style: .plain) }.joined(separator: "; ")))
                    }
                }
                return out
            }
            try session.updateTopic(ZooKeeperState.self) { zk in
                for line in changes { zk.kafka?.note(line, &lines) }
            }
            KafkaTopic.reschedule(session)
        }
        // 3. ZooKeeper again: sessions, registrations and the controller's writes.
        let cluster = session.topic(KafkaState.self).cluster
        try session.updateTopic(ZooKeeperState.self) { zk in
            guard var bridge = zk.kafka, var service = zk.service else { return }
            defer { zk.kafka = bridge; zk.service = service }
            bridge.reconcile(cluster: cluster, service: &service, nowMs: now, lines: &lines)
        }
        ZooKeeperTopic.reschedule(session)
        return lines
    }

    /// Whether the brokers have requests in flight (Kafka commands wait a moment for them).
    static func busy(_ session: Session) -> Bool {
        !(session.topic(ZooKeeperState.self).kafka?.pending.isEmpty ?? true)
    }

    // MARK: Replies and events

    mutating func absorb(_ step: ServiceStep?, service: inout Service, nowMs: Int64, lines: inout [String]) -> [Decision] {
        var decisions: [Decision] = []
        // Answers to the brokers' requests.
        var still: [Pending] = []
        let waiting = pending
        pending = []
        for p in waiting {
            guard let reply = service.takeReply(p.request) else { still.append(p); continue }
            decisions += handle(reply, for: p, service: &service, nowMs: nowMs, lines: &lines)
        }
        pending = still + pending
        // Watch events the brokers received.
        for delivered in step?.delivered ?? [] {
            guard let b = brokers.firstIndex(where: { $0.client == delivered.client }), !brokers[b].frozen else { continue }
            let id = brokers[b].id
            let e = delivered.event
            switch (e.type, e.path) {
            case (.nodeDeleted, "/controller"):
                note("broker \(id): /controller deleted → Reelect", &lines)
                if brokers[b].knownController == id { brokers[b].knownController = nil }
                elect(b, service: &service, nowMs: nowMs, lines: &lines)
            case (.nodeCreated, "/controller"), (.nodeDataChanged, "/controller"):
                learnController(b, service: &service)
            case (.nodeChildrenChanged, "/brokers/ids") where controller == id:
                decisions += brokerChange(service: &service, nowMs: nowMs, lines: &lines, failover: false)
            case (.nodeDeleted, "/brokers/ids/\(id)") where brokers[b].waitingForOldRegistration:
                brokers[b].waitingForOldRegistration = false
            default:
                break
            }
        }
        return decisions
    }

    mutating func handle(_ reply: Reply, for p: Pending, service: inout Service, nowMs: Int64, lines: inout [String]) -> [Decision] {
        guard let b = index(p.broker) else { return [] }
        let id = p.broker
        guard case let .txn(result, zxid) = reply.outcome else {
            // ConnectionLoss or expiry: the broker's reconcile tries again.
            if p.kind == .register { brokers[b].registered = false }
            return []
        }
        let failure = ZooKeeperViews.failure(result)
        switch p.kind {
        case .connect:
            break
        case .topLevel:
            topLevelCreated = true
            note("broker \(id): created Kafka's top-level paths (/brokers/ids, /brokers/topics, /admin, /config, …) in zxid \(zxid)", &lines)
        case .register:
            if let failure, failure.code == .nodeExists {
                brokers[b].waitingForOldRegistration = true
                _ = try? service.read(client: brokers[b].client) { tree, s throws(ZKError) in tree.exists("/brokers/ids/\(id)", watcher: s) }
                note("broker \(id): /brokers/ids/\(id) already exists for an older session (NodeExists); it waits for that session to expire", &lines)
            } else if failure == nil {
                brokers[b].registered = true
                brokers[b].brokerEpoch = zxid
                note("broker \(id): registered ephemeral /brokers/ids/\(id) (broker epoch = its czxid \(zxid))", &lines)
                elect(b, service: &service, nowMs: nowMs, lines: &lines)
            }
        case .createEpoch:
            elect(b, service: &service, nowMs: nowMs, lines: &lines)
        case let .elect(epoch):
            if failure == nil {
                controller = id
                controllerEpoch = epoch
                brokers[b].knownController = id
                note("broker \(id): created /controller and set /controller_epoch to \(epoch) in one multi (zxid \(zxid)) → broker \(id) is the controller", &lines)
                return brokerChange(service: &service, nowMs: nowMs, lines: &lines, failover: true)
            }
            let name = failure?.code.shortName ?? "?"
            note("broker \(id): lost the controller race (\(name)); reads /controller", &lines)
            learnController(b, service: &service)
        case let .topic(name):
            if failure == nil {
                note("controller \(id): wrote /brokers/topics/\(name) and its partition states (zxid \(zxid))", &lines)
            } else {
                writtenTopics.removeAll { $0 == name }
            }
        case let .state(topic, partition):
            if case let .op(.setData(stat)) = result, let w = written.firstIndex(where: { $0.topic == topic && $0.partition == partition }) {
                written[w].version = stat.version
            } else if let failure {
                note("controller \(id): writing \(topic)-\(partition)'s state failed (\(failure.code.shortName)): the controller has moved", &lines)
                written.removeAll { $0.topic == topic && $0.partition == partition }
            }
        }
        return []
    }

    /// KafkaController.elect: read /controller; if someone holds it, follow them; otherwise
    /// create it in a multi with /controller_epoch + 1, conditional on the epoch's zkVersion.
    mutating func elect(_ b: Int, service: inout Service, nowMs: Int64, lines: inout [String]) {
        let id = brokers[b].id
        let client = brokers[b].client
        guard brokers[b].registered, !brokers[b].frozen else { return }
        learnController(b, service: &service)
        if brokers[b].knownController != nil { return }
        guard let epoch = try? service.read(client: client, { tree, _ throws(ZKError) in (tree.data("/controller_epoch"), tree.stat("/controller_epoch")) }) else { return }
        guard let data = epoch.0, let stat = epoch.1 else {
            if let request = try? service.submit(.op(session: session(of: client, service), .create(path: "/controller_epoch", data: Array("0".utf8), mode: .persistent)), client: client, nowMs: nowMs) {
                pending.append(Pending(request: request, broker: id, kind: .createEpoch))
            }
            return
        }
        let current = Int(String(decoding: data, as: UTF8.self)) ?? 0
        let ops: [ZKOp] = [.create(path: "/controller", data: Array(Self.controllerJSON(id, timestampMs: nowMs).utf8), mode: .ephemeral),
                           .setData(path: "/controller_epoch", data: Array(String(current + 1).utf8), version: stat.version)]
        if let request = try? service.submit(.multi(session: session(of: client, service), ops), client: client, nowMs: nowMs) {
            pending.append(Pending(request: request, broker: id, kind: .elect(epoch: current + 1)))
            note("broker \(id): /controller is empty → tries multi(create /controller, set /controller_epoch \(current)→\(current + 1) if version \(stat.version))", &lines)
        }
    }

    /// Reads /controller with an exists watch and remembers who is controller.
    mutating func learnController(_ b: Int, service: inout Service) {
        let client = brokers[b].client
        let seen = try? service.read(client: client) { tree, s throws(ZKError) -> Int? in
            guard tree.exists("/controller", watcher: s) != nil, let data = tree.data("/controller") else { return nil }
            return KafkaOnZooKeeper.brokerID(fromController: data)
        }
        // nil when /controller is absent (or unreadable): the broker knows of no controller.
        brokers[b].knownController = seen ?? nil
    }

    func session(of client: String, _ service: Service) -> Int64 {
        (try? service.client(client).session ?? 0) ?? 0
    }

    /// The controller reads /brokers/ids (leaving a child watch) and compares it with what it
    /// knew: brokers whose znode went are dead (their partitions elect new leaders), brokers that
    /// registered again are back.
    mutating func brokerChange(service: inout Service, nowMs: Int64, lines: inout [String], failover: Bool) -> [Decision] {
        guard let controller, let b = index(controller) else { return [] }
        let client = brokers[b].client
        guard let children = try? service.read(client: client, { tree, s throws(ZKError) in try tree.getChildren("/brokers/ids", watcher: s).children }) else { return [] }
        let ids = children.compactMap(Int.init).sorted()
        var decisions: [Decision] = []
        // A new controller starts from what the old one knew, plus every broker it saw register.
        let known = failover ? Array(Set(liveBrokers + brokers.filter { $0.registered && !$0.stopped }.map(\.id))).sorted() : liveBrokers
        for gone in known where !ids.contains(gone) {
            decisions.append(.stop(gone))
            if !declaredDead.contains(gone) { declaredDead.append(gone) }
        }
        for back in ids where declaredDead.contains(back) {
            decisions.append(.start(back))
            declaredDead.removeAll { $0 == back }
        }
        if failover || ids != liveBrokers {
            note("controller \(controller): /brokers/ids = [\(ids.map(String.init).joined(separator: ", "))]", &lines)
        }
        liveBrokers = ids
        return decisions
    }

    // MARK: Bringing ZooKeeper up to date

    /// Sessions and registrations for every broker that runs, a closed session for every stopped
    /// one, and the controller's writes of topics and partition states that changed.
    mutating func reconcile(cluster: Cluster, service: inout Service, nowMs: Int64, lines: inout [String]) {
        for b in brokers.indices {
            if brokers[b].registered, let phase = try? service.client(brokers[b].client).phase, phase == .expired || phase == .closed {
                // Its session is gone, and its /brokers/ids/<id> with it.
                brokers[b].registered = false
            }
        }
        for b in brokers.indices where !brokers[b].frozen {
            let id = brokers[b].id
            let alive = cluster.isAlive(id)
            // The learner stopped or started the broker with `kafka broker stop|start`.
            if !alive, !declaredDead.contains(id), !brokers[b].stopped {
                brokers[b].stopped = true
                if (try? service.client(brokers[b].client).phase) == .connected {
                    _ = try? service.close(brokers[b].client, nowMs: nowMs)
                    note("broker \(id): controlled shutdown → closes its session; its ephemerals go", &lines)
                }
                brokers[b].registered = false
                if controller == id { controller = nil }
            } else if alive, brokers[b].stopped {
                brokers[b].stopped = false
            }
            guard !brokers[b].stopped else { continue }
            let busy = pending.contains { $0.broker == id && ($0.kind == .connect || $0.kind == .register) }
            let phase = try? service.client(brokers[b].client).phase
            switch phase {
            case nil, .closed?, .expired?:
                guard !busy else { continue }
                if phase == .expired {
                    // A controller that was frozen still believes it is controller until it sees the
                    // expiry: the zombie resigns (onControllerResignation) before it registers again.
                    let zombie = controller == id || brokers[b].knownController == id
                    note("broker \(id): its ZooKeeper session expired → " + (zombie ? "resigns as controller (it was a zombie controller meanwhile), " : "") + "opens a new session and registers again", &lines)
                    if controller == id { controller = nil }
                    brokers[b].registered = false
                    brokers[b].knownController = nil
                }
                if let request = try? service.connect(brokers[b].client, server: nil, timeoutMs: 18_000, nowMs: nowMs) {
                    pending.append(Pending(request: request, broker: id, kind: .connect))
                }
            case .connected?:
                if !topLevelCreated, !pending.contains(where: { $0.kind == .topLevel }) {
                    let ops = Self.topLevelPaths.map { ZKOp.create(path: $0, data: nil, mode: .persistent) }
                    if let request = try? service.submit(.multi(session: session(of: brokers[b].client, service), ops), client: brokers[b].client, nowMs: nowMs) {
                        pending.append(Pending(request: request, broker: id, kind: .topLevel))
                    }
                    continue
                }
                guard topLevelCreated, !brokers[b].registered, !busy, !brokers[b].waitingForOldRegistration else { continue }
                let op = ZKOp.create(path: "/brokers/ids/\(id)", data: Array(Self.brokerJSON(id, timestampMs: nowMs).utf8), mode: .ephemeral)
                if let request = try? service.submit(.op(session: session(of: brokers[b].client, service), op), client: brokers[b].client, nowMs: nowMs) {
                    pending.append(Pending(request: request, broker: id, kind: .register))
                }
            default:
                break
            }
        }
        writeTopics(cluster: cluster, service: &service, nowMs: nowMs)
    }

    /// The controller writes each topic it has not written yet (assignment, then every partition's
    /// state) and every partition state that changed since it last wrote it.
    mutating func writeTopics(cluster: Cluster, service: inout Service, nowMs: Int64) {
        guard let controller, let b = index(controller), !brokers[b].frozen,
              (try? service.client(brokers[b].client).phase) == .connected else { return }
        let client = brokers[b].client
        let sessionID = session(of: client, service)
        for topic in cluster.topics {
            if !writtenTopics.contains(topic.name) {
                var ops: [ZKOp] = [.create(path: "/brokers/topics/\(topic.name)", data: Array(Self.topicJSON(topic).utf8), mode: .persistent),
                                   .create(path: "/brokers/topics/\(topic.name)/partitions", data: nil, mode: .persistent)]
                for p in topic.partitions {
                    let state = Self.stateJSON(leader: p.leader ?? -1, leaderEpoch: p.leaderEpoch, isr: p.isr, controllerEpoch: controllerEpoch)
                    ops.append(.create(path: "/brokers/topics/\(topic.name)/partitions/\(p.index)", data: nil, mode: .persistent))
                    ops.append(.create(path: "/brokers/topics/\(topic.name)/partitions/\(p.index)/state", data: Array(state.utf8), mode: .persistent))
                }
                guard let request = try? service.submit(.multi(session: sessionID, ops), client: client, nowMs: nowMs) else { return }
                pending.append(Pending(request: request, broker: controller, kind: .topic(topic.name)))
                writtenTopics.append(topic.name)
                written.removeAll { $0.topic == topic.name }
                for p in topic.partitions {
                    written.append(WrittenState(topic: topic.name, partition: p.index, leader: p.leader ?? -1, leaderEpoch: p.leaderEpoch, isr: p.isr, version: 0))
                }
                continue
            }
            for p in topic.partitions {
                let leader = p.leader ?? -1
                guard let w = written.firstIndex(where: { $0.topic == topic.name && $0.partition == p.index }) else { continue }
                guard written[w].leader != leader || written[w].leaderEpoch != p.leaderEpoch || written[w].isr != p.isr else { continue }
                let state = Self.stateJSON(leader: leader, leaderEpoch: p.leaderEpoch, isr: p.isr, controllerEpoch: controllerEpoch)
                let op = ZKOp.setData(path: "/brokers/topics/\(topic.name)/partitions/\(p.index)/state", data: Array(state.utf8), version: written[w].version)
                guard let request = try? service.submit(.op(session: sessionID, op), client: client, nowMs: nowMs) else { return }
                pending.append(Pending(request: request, broker: controller, kind: .state(topic: topic.name, partition: p.index)))
                written[w].leader = leader
                written[w].leaderEpoch = p.leaderEpoch
                written[w].isr = p.isr
                written[w].version += 1
            }
        }
    }
}
