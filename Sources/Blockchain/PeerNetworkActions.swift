// What a learner (or a script) does to the network: make miners, mine, send transactions, inject
// blocks, cut and heal the network, add nodes. Every command takes the simulated time; a time
// before the network's clock runs at the clock instead (time never goes backwards).

extension PeerNetwork {
    // MARK: miners

    /// Jeiwan `startnode -miner ADDRESS`: coinbases of blocks this node mines pay `publicKeyHash`
    /// (nil: not a miner). `automatic` makes it part 7's miner: it mines by itself when its mempool
    /// reaches `config.minerThreshold`, `config.minerDelayMs` later.
    public mutating func setMiner(node id: Int, publicKeyHash: [UInt8]?, automatic: Bool = true, nowMs time: Int64) throws(PeerNetworkError) {
        let r = try checked(id)
        advance(to: time)
        nodes[r].minerPublicKeyHash = publicKeyHash
        nodes[r].autoMine = publicKeyHash != nil && automatic
        considerMining(r)
        trimLog()
    }

    /// Makes the node mine one block now from its mempool: real proof of work (`Ledger.mine`),
    /// coinbase first to the miner address (or `to`, if given), timestamp `nowMs / 1000`; the
    /// block is accepted locally and announced with `inv` to every known peer (part 7's miner).
    @discardableResult
    public mutating func mine(node id: Int, to publicKeyHash: [UInt8]? = nil, nowMs time: Int64) throws(PeerNetworkError) -> LedgerBlock {
        let r = try checked(id)
        guard let pkh = publicKeyHash ?? nodes[r].minerPublicKeyHash else { throw .notAMiner(id) }
        let saved = self
        advance(to: time)
        do {
            let block = try mineNow(r, to: pkh)
            trimLog()
            return block
        } catch {
            self = saved
            throw error
        }
    }

    // MARK: transactions and blocks from outside

    /// What a wallet's `send` does: the node receives the transaction, checks it (`Ledger.submit`)
    /// and relays it with `inv(tx)` to every known peer. (Part 7's wallet sends `tx` to the central
    /// node, which stores and relays it; here the node the wallet talks to plays that part.)
    /// A rejected transaction is logged with its fault and thrown.
    public mutating func submitTransaction(node id: Int, tx: Transaction, nowMs time: Int64) throws(PeerNetworkError) {
        let r = try checked(id)
        advance(to: time)
        let head = "wallet send: tx \(PeerNetwork.short(tx.id))"
        if knowsTransaction(r, tx.id) {
            note(id, "send", head + " already known")
            trimLog()
            return
        }
        do {
            try nodes[r].ledger.submit(tx)
        } catch {
            if case let .invalidTransaction(fault) = error {
                note(id, "send", "\(head) rejected: \(fault)", faultKind: PeerNetwork.kind(of: fault))
            } else {
                note(id, "send", "\(head) rejected: \(error)")
            }
            trimLog()
            throw .ledger(error)
        }
        note(id, "send", head + " added to mempool: inv tx to \(nodes[r].knownNodes.count) peers")
        relayTransaction(r, tx.id, except: nil)
        considerMining(r)
        trimLog()
    }

    /// A block arrives at `node` from outside the network (e.g. built with `Ledger.forge` by a
    /// dishonest miner): the node handles it like any `block` message — validated, accepted and
    /// relayed if valid, rejected with its fault and NOT relayed if not. Returns the log entries.
    @discardableResult
    public mutating func submitBlock(node id: Int, block: LedgerBlock, nowMs time: Int64) throws(PeerNetworkError) -> [NetLogEntry] {
        _ = try checked(id)
        advance(to: time)
        let start = log.count
        deliver(.block(BlockMessage(addrFrom: "outside", block: block)), from: nil, to: id, sentMs: nowMs)
        return finish(since: start)
    }

    /// Node `node` plays the dishonest miner: it announces `block` with `inv` to its peers and
    /// serves it on `getdata`, without accepting it itself. Each peer validates it and rejects it
    /// with the reason (and does not relay it).
    public mutating func announceBlock(node id: Int, block: LedgerBlock, nowMs time: Int64) throws(PeerNetworkError) {
        let r = try checked(id)
        advance(to: time)
        if !nodes[r].offeredBlocks.contains(where: { $0.hash == block.hash }) { nodes[r].offeredBlocks.append(block) }
        note(id, "announce", "announces block #\(block.height) \(PeerNetwork.short(block.hash)) without checking it: inv to \(nodes[r].knownNodes.count) peers")
        announce(r, block.hash, except: nil)
        trimLog()
    }

    // MARK: faults

    /// Cuts the network into groups of node ids; messages between groups are dropped when they
    /// arrive (and logged as dropped). Nodes not listed form one more group together. Replaces any
    /// partition in force; pairs that one separated and this one puts together reconnect as in
    /// `heal` (they exchange `version`).
    public mutating func partition(_ groupsOfIDs: [[Int]], nowMs time: Int64) throws(PeerNetworkError) {
        var assignment: [Int?] = Array(repeating: nil, count: nodes.count)
        for (g, group) in groupsOfIDs.enumerated() {
            for id in group {
                let r = try checked(id)
                if assignment[r] != nil { throw .invalidPartition("node \(id) is in two groups") }
                assignment[r] = g
            }
        }
        let rest = groupsOfIDs.count
        advance(to: time)
        let previous = groups
        groups = assignment.map { $0 ?? rest }
        let text = groupsOfIDs.map { "{" + $0.compactMap { node($0)?.name }.joined(separator: ", ") + "}" }
        let unlisted = nodes.indices.filter { assignment[$0] == nil }.map { nodes[$0].name }
        note(nil, "partition", "partition " + (text + (unlisted.isEmpty ? [] : ["{" + unlisted.joined(separator: ", ") + "}"])).joined(separator: " | "))
        // Pairs the previous partition separated and this one puts together reconnect as in `heal`.
        if let previous, let now = groups {
            reconnect { a, b in previous[a] != previous[b] && now[a] == now[b] }
        }
        trimLog()
    }

    /// Every pair (a, b) with `rejoined(a, b)` reconnects: requests in flight between them are
    /// forgotten and the lower id sends `version` to the other.
    mutating func reconnect(_ rejoined: (Int, Int) -> Bool) {
        for a in nodes.indices { forgetRequests(a) { rejoined(min(a, $0), max(a, $0)) } }
        for a in nodes.indices {
            for b in nodes.indices where a < b && rejoined(a, b) {
                send(.version(VersionMessage(bestHeight: nodes[a].ledger.height, addrFrom: nodes[a].address)),
                     from: nodes[a].id, to: nodes[b].id)
            }
        }
    }

    /// Removes the partition. Every pair of nodes it separated reconnects: the requests either
    /// had in flight across the cut are forgotten (the connections broke), and the node with the
    /// lower id sends `version` to the other — part 7's handshake — so the shorter side downloads
    /// the longer side's blocks and reorganizes to the branch with the most work.
    public mutating func heal(nowMs time: Int64) {
        advance(to: time)
        guard let old = groups else {
            note(nil, "heal", "heal: no partition")
            trimLog()
            return
        }
        groups = nil
        note(nil, "heal", "heal: every node hears every node again")
        reconnect { a, b in old[a] != old[b] }
        trimLog()
    }

    /// Drops blocks in transit from peers matching `cut` (their connections broke) and asks for
    /// the next remaining one.
    mutating func forgetRequests(_ r: Int, _ cut: (Int) -> Bool) {
        // Per node index: whether its connection to `r` broke.
        let broken = nodes.indices.map(cut)
        let first = PeerNetwork.firstNodeID
        let isCut = { (peer: Int) in broken.indices.contains(peer - first) ? broken[peer - first] : true }
        nodes[r].blocksInTransit.removeAll { isCut($0.peer) }
        if let awaiting = nodes[r].awaitingBlock, isCut(awaiting.peer) { nodes[r].awaitingBlock = nil }
        requestNextBlock(r)
    }

    /// Takes a node off the network: every message to or from it is dropped until `connect`.
    public mutating func disconnect(node id: Int, nowMs time: Int64) throws(PeerNetworkError) {
        let r = try checked(id)
        advance(to: time)
        nodes[r].connected = false
        note(id, "disconnect", "\(nodes[r].name) disconnected")
        trimLog()
    }

    /// Puts a node back: its requests in flight are forgotten, and it sends `version` to every peer
    /// it knows (part 7: a starting node sends `version` to the central node), so it catches up.
    public mutating func connect(node id: Int, nowMs time: Int64) throws(PeerNetworkError) {
        let r = try checked(id)
        advance(to: time)
        nodes[r].connected = true
        note(id, "connect", "\(nodes[r].name) connected: version to \(nodes[r].knownNodes.count) peers")
        forgetRequests(r) { _ in true }
        for a in nodes.indices where a != r { forgetRequests(a) { $0 == r } }
        for peer in nodes[r].knownNodes {
            send(.version(VersionMessage(bestHeight: nodes[r].ledger.height, addrFrom: nodes[r].address)), from: id, to: peer)
        }
        trimLog()
    }

    /// A new node joins with only the genesis block (part 7: start a node from a copy of
    /// blockchain_genesis.db). It knows every node and sends each a `version`; they learn it from
    /// that message. During a partition it is alone in a group of its own until `heal`. Returns its id.
    @discardableResult
    public mutating func addNode(nowMs time: Int64) throws(PeerNetworkError) -> Int {
        guard nodes.count < 64 else { throw .invalidPartition("at most 64 nodes") }
        var ledger = Ledger(targetBits: targetBits)
        do { _ = try ledger.accept(genesis) } catch { throw .ledger(error) }
        advance(to: time)
        let id = PeerNetwork.firstNodeID + nodes.count
        let others = ids
        nodes.append(PeerNode(id: id, name: PeerNetwork.name(ofIndex: nodes.count), ledger: ledger, knownNodes: others,
                              blocksInTransit: [], awaitingBlock: nil, minerPublicKeyHash: nil, autoMine: false,
                              miningDueMs: nil, connected: true, offeredBlocks: []))
        for i in latency.indices { latency[i].append(nil) }
        latency.append(Array(repeating: nil, count: nodes.count))
        if let old = groups { groups = old + [(old.max() ?? 0) + 1] }
        note(id, "join", "\(nodes[nodes.count - 1].name) (\(PeerNetwork.address(of: id))) joins with the genesis block: version to \(others.count) peers")
        for peer in others {
            send(.version(VersionMessage(bestHeight: 0, addrFrom: PeerNetwork.address(of: id))), from: id, to: peer)
        }
        trimLog()
        return id
    }
}
