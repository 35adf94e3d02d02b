import Blockchain
import WorkbenchKit

/// Jeiwan part 7 as commands: several nodes in this process on the simulated network, the
/// version/getblocks/inv/getdata/block/tx messages stepped one at a time, miners, partitions and
/// the re-organization when they heal.
enum ChainNetCommands {
    static var all: [CommandSpec] { [new, status, send, mine, miner, partition, heal, log, chains, forge, balance] }

    static let nodeNames: LiveNames = { session in session.topic(ChainState.self).network?.nodes.map(\.name) ?? [] }

    static func network(_ session: Session, _ what: String) throws -> PeerNetwork {
        guard let net = session.topic(ChainState.self).network else {
            throw WorkbenchError.failed(what: what, why: "there is no network", fix: "`chain net new --nodes 3`, after `chain createblockchain`")
        }
        return net
    }

    static func nodeID(_ name: String, in net: PeerNetwork, what: String) throws -> Int {
        if let node = net.node(named: name.uppercased()) { return node.id }
        if let id = Int(name), net.node(id) != nil { return id }
        throw WorkbenchError.failed(what: what, why: "no node \(name)", fix: "nodes: " + net.nodes.map { "\($0.name) (\($0.id))" }.joined(separator: ", "))
    }

    /// Changes the network at the session's time and keeps one session event at its next due event.
    static func update<R>(_ session: Session, _ what: String, _ body: (inout PeerNetwork, Int64) throws(PeerNetworkError) -> R) throws -> R {
        let now = session.state.clock.nowMs
        let result = try session.updateTopic(ChainState.self) { state -> R in
            guard var net = state.network else {
                throw WorkbenchError.failed(what: what, why: "there is no network", fix: "`chain net new --nodes 3`")
            }
            do throws(PeerNetworkError) {
                let r = try body(&net, now)
                state.network = net
                return r
            } catch {
                throw WorkbenchError.failed(what: what, why: error.description, fix: nil)
            }
        }
        reschedule(session)
        return result
    }

    static func reschedule(_ session: Session) {
        session.state.queue.removeAll(topic: "chain")
        if let next = session.topic(ChainState.self).network?.nextEventTimeMs() {
            session.state.queue.schedule(atMs: max(next, session.state.clock.nowMs), topic: "chain", kind: "net")
        } else if session.topic(ChainState.self).chain.job != nil {
            ChainTopic.schedule(session)
        }
    }

    /// One network event (a message delivered or dropped, a miner's timer), from `step`/`run`.
    static func step(_ session: Session, at timeMs: Int64) throws -> StepReport {
        let entries = try session.updateTopic(ChainState.self) { state -> [NetLogEntry] in
            guard var net = state.network else { return [] }
            let entries = net.step(nowMs: timeMs)
            state.network = net
            return entries
        }
        reschedule(session)
        let net = session.topic(ChainState.self).network
        let lines = entries.map { ChainNetViews.line($0, net: net) }
        return StepReport(lines.isEmpty ? "network: nothing was due" : lines.joined(separator: "\n"),
                          value: .array(entries.map { ChainNetViews.entryValue($0, net: net) }))
    }

    static let new = CommandSpec(
        ["chain", "net", "new"], abstract: "Start a network of nodes that all hold this chain's genesis block (Jeiwan part 7, without the central node).",
        discussion: "Nodes are named A, B, C… with Jeiwan's NODE_ID ports 3000, 3001…; every node knows every other (a full mesh). Blocks the session's chain has after its genesis are handed to node A, which spreads them with inv/getdata/block. Then `step` delivers one message at a time, `run` until the network is quiet.",
        flags: [.option("--nodes", .integer(1...26), "How many nodes (default 3)."),
                .option("--latency", .duration, "One-way message latency (default 50ms).")],
        effect: .mutating, examples: ["chain net new --nodes 3", "run", "chain net status"]
    ) { inv, session in
        let what = inv.spec.name
        let ledger = try ChainLedgerCommands.ledger(session, what)
        guard let genesis = ledger.block(height: 0) else {
            throw WorkbenchError.failed(what: what, why: "the chain has no genesis block", fix: "`chain createblockchain --address ADDRESS`")
        }
        var config = PeerNetworkConfig()
        if let ms = inv.durationMs("latency") { config.latencyMs = ms }
        config.maxAttempts = ChainTopic.defaultMaxAttempts
        var net: PeerNetwork
        var random = session.state.randomStream("chain-net")
        do throws(PeerNetworkError) {
            net = try PeerNetwork(nodes: inv.int("nodes") ?? 3, genesis: genesis, targetBits: ledger.targetBits,
                                  seed: random.next(), config: config)
            for block in ledger.mainChain.dropFirst() {
                _ = try net.submitBlock(node: PeerNetwork.firstNodeID, block: block, nowMs: session.state.clock.nowMs)
            }
        } catch {
            throw WorkbenchError.failed(what: what, why: error.description, fix: nil)
        }
        try session.updateTopic(ChainState.self) { $0.network = net }
        reschedule(session)
        return Output(ChainNetViews.statusValue(net)) { style in ChainNetViews.statusTable(net, style: style) }
    }

    static let status = CommandSpec(
        ["chain", "net", "status"], abstract: "Every node: height, tip, work, mempool, peers, blocks in transit, miner.",
        effect: .readOnly, examples: ["chain net status", "expect chain net status .agree == true"]
    ) { inv, session in
        let net = try network(session, inv.spec.name)
        return Output(ChainNetViews.statusValue(net)) { style in ChainNetViews.statusTable(net, style: style) }
    }

    static let send = CommandSpec(
        ["chain", "net", "send"], abstract: "A wallet sends a transaction through a node, which checks it and relays it with inv(tx).",
        parameters: [.required("node", .text, "The node the wallet talks to (A, B, … or 3000…).", completions: nodeNames)],
        flags: [.option("--from", .text, "Your wallet's address.", completions: ChainLedgerCommands.addresses),
                .option("--to", .text, "The recipient's address.", completions: ChainLedgerCommands.addresses),
                .option("--amount", .integer(1...1_000_000_000), "Whole coins.")],
        effect: .mutating, examples: ["chain net send B --from ADDRESS --to ADDRESS --amount 1"]
    ) { inv, session in
        let what = inv.spec.name
        guard let from = inv.text("from"), let to = inv.text("to"), let amount = inv.int("amount") else {
            throw WorkbenchError.usage(command: what, problem: "--from, --to and --amount are required", usage: inv.spec.usage)
        }
        let net = try network(session, what)
        let id = try nodeID(inv.text("node") ?? "", in: net, what: what)
        let wallet = try ChainLedgerCommands.wallet(session, address: from, what: what)
        guard let node = net.node(id) else { throw WorkbenchError.failed(what: what, why: "no node \(id)", fix: nil) }
        let tx: Transaction
        do throws(LedgerError) { tx = try node.ledger.newTransaction(from: wallet, to: to, amount: amount) } catch {
            throw ChainLedgerCommands.fail(what, error)
        }
        try update(session, what) { net, now throws(PeerNetworkError) in try net.submitTransaction(node: id, tx: tx, nowMs: now) }
        return .text("node \(node.name) took tx \(ProofOfWork.hex(tx.id).prefix(12))… into its mempool and announces it (inv tx); `step` to watch it spread",
                     value: .object([("txid", .string(ProofOfWork.hex(tx.id)))]))
    }

    static let mine = CommandSpec(
        ["chain", "net", "mine"], abstract: "A node mines one block from its mempool now and announces it (inv block).",
        parameters: [.required("node", .text, "The node.", completions: nodeNames)],
        flags: [.option("--miner", .text, "The address paid (default: the node's miner address, else your first wallet).", completions: ChainLedgerCommands.addresses)],
        effect: .mutating, examples: ["chain net mine A"]
    ) { inv, session in
        let what = inv.spec.name
        let net = try network(session, what)
        let id = try nodeID(inv.text("node") ?? "", in: net, what: what)
        let payee = try (inv.text("miner") ?? (net.node(id)?.minerPublicKeyHash == nil ? session.topic(ChainState.self).wallets.first?.address : nil))
            .map { try ChainLedgerCommands.lock($0, what: what) }
        let block = try update(session, what) { net, now throws(PeerNetworkError) in try net.mine(node: id, to: payee, nowMs: now) }
        return .text("node \(net.node(id)?.name ?? "?") mined block \(block.height) \(ProofOfWork.hex(block.hash).prefix(12))… with \(block.transactions.count - 1) transaction(s) and announces it",
                     value: .object([("height", Value(block.height)), ("hash", .string(ProofOfWork.hex(block.hash)))]))
    }

    static let miner = CommandSpec(
        ["chain", "net", "miner"], abstract: "Make a node a miner (Jeiwan's startnode -miner ADDRESS): it mines by itself when transactions arrive.",
        discussion: "The miner waits 1 s of simulated time after its mempool reaches the threshold (1 transaction; Jeiwan's code waits for 2), then mines and announces the block. --off stops it.",
        parameters: [.required("node", .text, "The node.", completions: nodeNames)],
        flags: [.option("--address", .text, "The address its coinbases pay.", completions: ChainLedgerCommands.addresses),
                .toggle("--off", "Stop mining.")],
        effect: .mutating, examples: ["chain net miner C --address ADDRESS"]
    ) { inv, session in
        let what = inv.spec.name
        let net = try network(session, what)
        let id = try nodeID(inv.text("node") ?? "", in: net, what: what)
        let hash: [UInt8]?
        if inv.has("--off") {
            hash = nil
        } else {
            guard let address = inv.text("address") else {
                throw WorkbenchError.usage(command: what, problem: "give --address (or --off)", usage: inv.spec.usage)
            }
            hash = try ChainLedgerCommands.lock(address, what: what)
        }
        try update(session, what) { net, now throws(PeerNetworkError) in try net.setMiner(node: id, publicKeyHash: hash, automatic: true, nowMs: now) }
        let name = net.node(id)?.name ?? "?"
        return .text(hash == nil ? "node \(name) stopped mining" : "Mining is on. Address to receive rewards: \(inv.text("address") ?? "") (node \(name))")
    }

    static let partition = CommandSpec(
        ["chain", "net", "partition"], abstract: "Cut the network into groups that cannot reach each other: `chain net partition A | B C`.",
        discussion: "Messages between groups are lost (logged as dropped). Each side goes on alone: mining there builds competing branches. `chain net heal` reconnects them; the nodes exchange version and the most-work branch wins everywhere.",
        parameters: [.rest("groups", "Node names, groups separated by |.")],
        effect: .mutating, examples: ["chain net partition A | B C", "chain net heal"]
    ) { inv, session in
        let what = inv.spec.name
        let net = try network(session, what)
        var groups: [[Int]] = [[]]
        for token in inv.tokens where !(token.text.hasPrefix("--") && !token.quoted) {
            for part in token.text.split(separator: "|", omittingEmptySubsequences: false).enumerated() {
                if part.offset > 0 { groups.append([]) }
                if !part.element.isEmpty { groups[groups.count - 1].append(try nodeID(String(part.element), in: net, what: what)) }
            }
        }
        groups = groups.filter { !$0.isEmpty }
        guard groups.count >= 2 else {
            throw WorkbenchError.usage(command: what, problem: "give at least two groups separated by |", usage: "chain net partition A | B C")
        }
        try update(session, what) { net, now throws(PeerNetworkError) in try net.partition(groups, nowMs: now) }
        let after = try network(session, what)
        let names = groups.map { $0.compactMap { after.node($0)?.name }.joined(separator: " ") }.joined(separator: " | ")
        return .text("partitioned: \(names)")
    }

    static let heal = CommandSpec(
        ["chain", "net", "heal"], abstract: "Remove the partition; separated nodes exchange version and sync to the most-work chain.",
        effect: .mutating, examples: ["chain net heal", "run", "expect chain net status .agree == true"]
    ) { inv, session in
        try update(session, inv.spec.name) { net, now throws(PeerNetworkError) in net.heal(nowMs: now) }
        return .text("healed: every node can reach every other again; `step` to watch them sync")
    }

    static let log = CommandSpec(
        ["chain", "net", "log"], abstract: "The messages so far as a sequence diagram (or the last N).",
        flags: [.option("--last", .integer(1...100_000), "Only the last N entries.")],
        effect: .readOnly, examples: ["chain net log --last 20"]
    ) { inv, session in
        let net = try network(session, inv.spec.name)
        let entries = Array(net.log.suffix(inv.int("last") ?? net.log.count))
        return Output(.array(entries.map { ChainNetViews.entryValue($0, net: net) })) { style in
            ChainNetViews.sequenceDiagram(entries, net: net, style: style)
        }
    }

    static let chains = CommandSpec(
        ["chain", "net", "chains"], abstract: "Each node's chain from the genesis, side by side: where they agree and where they fork.",
        effect: .readOnly, examples: ["chain net chains"]
    ) { inv, session in
        let net = try network(session, inv.spec.name)
        return Output(.array(net.chains.map { c in
            .object([("node", .string(c.name)), ("hashes", .array(c.hashes.map { .string(ProofOfWork.hex($0)) }))])
        })) { style in ChainNetViews.forkDiagram(net, style: style) }
    }

    static let forge = CommandSpec(
        ["chain", "net", "forge"], abstract: "A node plays a dishonest miner: it announces a cheating block to its peers, who check it and refuse it.",
        parameters: [.required("node", .text, "The cheating node.", completions: nodeNames),
                     .required("kind", .choice(ChainForgery.kinds), "The cheat (see `help chain forge`).")],
        flags: [.option("--from", .text, "Whose coins (default: your first wallet).", completions: ChainLedgerCommands.addresses),
                .option("--to", .text, "The cheater's address (default: your last wallet).", completions: ChainLedgerCommands.addresses)],
        effect: .mutating, examples: ["chain net forge C double-spend", "run", "chain net log --last 6"]
    ) { inv, session in
        let what = inv.spec.name
        let net = try network(session, what)
        let id = try nodeID(inv.text("node") ?? "", in: net, what: what)
        let wallets = session.topic(ChainState.self).wallets
        guard let node = net.node(id), let victimAddress = inv.text("from") ?? wallets.first?.address,
              let thiefAddress = inv.text("to") ?? wallets.last?.address else {
            throw WorkbenchError.failed(what: what, why: "forging needs wallets", fix: "`chain createwallet` twice")
        }
        let victim = try ChainLedgerCommands.wallet(session, address: victimAddress, what: what)
        let thief = try ChainLedgerCommands.wallet(session, address: thiefAddress, what: what)
        let (block, story) = try ChainForgery.build(inv.text("kind") ?? "", ledger: node.ledger, victim: victim, thief: thief,
                                                    timestamp: session.state.clock.nowSeconds, what: what)
        try update(session, what) { net, now throws(PeerNetworkError) in try net.announceBlock(node: id, block: block, nowMs: now) }
        return .text("node \(node.name) announces block \(block.height) \(ProofOfWork.hex(block.hash).prefix(12))…: \(story); `run` to see its peers' verdict")
    }

    static let balance = CommandSpec(
        ["chain", "net", "balance"], abstract: "An address's balance as each node sees it.",
        parameters: [.required("address", .text, "The address.", completions: ChainLedgerCommands.addresses)],
        effect: .readOnly, examples: ["chain net balance ADDRESS"]
    ) { inv, session in
        let what = inv.spec.name
        let net = try network(session, what)
        let address = inv.text("address") ?? ""
        let hash = try ChainLedgerCommands.lock(address, what: what)
        let rows = net.nodes.map { ($0.name, $0.ledger.balance(of: hash)) }
        return Output(.object(rows.map { ($0.0, Value($0.1)) })) { _ in
            "Balance of '\(address)': " + rows.map { "\($0.0) \($0.1)" }.joined(separator: ", ")
        }
    }
}
