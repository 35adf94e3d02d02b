// Stepping, sending, and the part-7 message handlers (Jeiwan `server.go`: handleVersion,
// handleGetBlocks, handleInv, handleGetData, handleBlock, handleTx).

extension PeerNetwork {
    // MARK: stepping

    /// Runs exactly ONE event — the earliest pending one, if it is due at or before `nowMs` — and
    /// returns the log entries it produced (empty when nothing was due). Step message by message.
    public mutating func step(nowMs time: Int64) -> [NetLogEntry] {
        guard let i = events.indices.min(by: { events[$0].precedes(events[$1]) }), events[i].timeMs <= time else {
            return []          // nothing due: the clock stays (use `run(untilMs:)` to move it)
        }
        let event = events.remove(at: i)
        advance(to: event.timeMs)
        let start = log.count
        switch event.action {
        case let .deliver(from, to, message): deliver(message, from: from, to: to, sentMs: event.sentMs)
        case let .mine(node): minerTimer(node)
        }
        return finish(since: start)
    }

    /// Runs every event due at or before `untilMs`, one by one, then sets the clock to `untilMs`.
    /// Returns the log entries produced.
    @discardableResult
    public mutating func run(untilMs: Int64) -> [NetLogEntry] {
        var out: [NetLogEntry] = []
        while let next = nextEventTimeMs(), next <= untilMs { out += step(nowMs: untilMs) }
        advance(to: untilMs)
        return out
    }

    /// Runs events until none is pending (or `maxEvents` have run); returns how many ran. The clock
    /// ends at the last event's time.
    @discardableResult
    public mutating func runUntilQuiet(maxEvents: Int = 1_000_000) -> Int {
        var count = 0
        while count < maxEvents, let next = nextEventTimeMs() {
            _ = step(nowMs: next)
            count += 1
        }
        return count
    }

    // MARK: the network

    /// Sets the one-way latency of the link `from` → `to` (nil: back to the default).
    public mutating func setLatency(from: Int, to: Int, ms: Int64?) throws(PeerNetworkError) {
        let a = try checked(from), b = try checked(to)
        latency[a][b] = ms.map { max(0, $0) }
    }

    mutating func schedule(_ action: NetAction, at time: Int64) {
        events.append(NetEvent(timeMs: time, sequence: nextSequence, sentMs: nowMs, action: action))
        nextSequence += 1
    }

    /// Sends a message now; it arrives after the link's latency (plus jitter, if configured).
    mutating func send(_ message: NetMessage, from: Int, to: Int) {
        guard let a = index(of: from), let b = index(of: to) else { return }
        var delay = max(0, latency[a][b] ?? config.latencyMs)
        if config.jitterMs > 0 { delay = PeerNetwork.later(delay, by: Int64(rng.next(below: UInt64(config.jitterMs) + 1))) }
        schedule(.deliver(from: from, to: to, message: message), at: PeerNetwork.later(nowMs, by: delay))
    }

    /// Whether a message between these nodes is lost now (partition or disconnected node).
    func isCut(from: Int?, to: Int) -> String? {
        guard let b = index(of: to) else { return "unknown node" }
        if !nodes[b].connected { return "dropped: \(nodes[b].name) is disconnected" }
        guard let from, let a = index(of: from) else { return nil }
        if !nodes[a].connected { return "dropped: \(nodes[a].name) is disconnected" }
        if let groups, groups[a] != groups[b] { return "dropped by partition" }
        return nil
    }

    mutating func deliver(_ message: NetMessage, from: Int?, to: Int, sentMs: Int64) {
        if let reason = isCut(from: from, to: to) {
            record(NetLogEntry(timeMs: nowMs, sentMs: sentMs, from: from, to: to, type: message.command,
                               kind: .dropped, summary: "\(message.summary) \(reason)"))
            return
        }
        guard let r = index(of: to) else { return }
        let outcome: (String, String?)
        switch message {
        case let .version(m): outcome = (handleVersion(r, m, from: from), nil)
        case .getblocks: outcome = (handleGetBlocks(r, from: from), nil)
        case let .inv(m): outcome = (handleInv(r, m, from: from), nil)
        case let .getdata(m): outcome = (handleGetData(r, m, from: from), nil)
        case let .block(m):
            // The block entry comes first; a reorganization entry follows it.
            let at = log.count
            let (summary, fault) = handleBlock(r, m.block, from: from)
            log.insert(NetLogEntry(timeMs: nowMs, sentMs: sentMs, from: from, to: to, type: "block", kind: .delivered,
                                   summary: summary, faultKind: fault), at: at)
            return
        case let .tx(m): outcome = handleTx(r, m.transaction, from: from)
        }
        // Handlers only queue messages, so appending after them keeps the entry order causal.
        record(NetLogEntry(timeMs: nowMs, sentMs: sentMs, from: from, to: to, type: message.command, kind: .delivered,
                           summary: outcome.0, faultKind: outcome.1))
    }

    /// Part 7 `handleVersion`: the node with the lower best height asks for blocks (`getblocks`);
    /// the higher one answers with its own `version`; equal heights do nothing (a tie between two
    /// branches stays until a next block breaks it, as in Bitcoin). An unknown sender is appended
    /// to knownNodes.
    mutating func handleVersion(_ r: Int, _ m: VersionMessage, from: Int?) -> String {
        let me = nodes[r].id
        let mine = nodes[r].ledger.height
        var summary = "version height \(m.bestHeight)"
        if let from {
            if !nodes[r].knownNodes.contains(from) {
                nodes[r].knownNodes.append(from)
                summary += ", new peer \(PeerNetwork.address(of: from))"
            }
            if mine < m.bestHeight {
                send(.getblocks(GetBlocksMessage(addrFrom: nodes[r].address)), from: me, to: from)
                summary += " > mine \(mine): getblocks"
            } else if mine > m.bestHeight {
                send(.version(VersionMessage(bestHeight: mine, addrFrom: nodes[r].address)), from: me, to: from)
                summary += " < mine \(mine): version back"
            } else {
                summary += " = mine: nothing to sync"
            }
        }
        return summary
    }

    /// Part 7 `handleGetBlocks`: answers `inv` of ALL its block hashes. Deliberate difference: the
    /// items are genesis-first (the tutorial's iterator yields tip-first, and its receiver adds
    /// blocks unchecked); a validating receiver needs each parent before its child.
    mutating func handleGetBlocks(_ r: Int, from: Int?) -> String {
        guard let from else { return "getblocks" }
        let hashes = nodes[r].ledger.bestChain
        send(.inv(InvMessage(addrFrom: nodes[r].address, type: .block, items: hashes)), from: nodes[r].id, to: from)
        return "getblocks: inv block ×\(hashes.count) back"
    }

    func knowsBlock(_ r: Int, _ hash: [UInt8]) -> Bool {
        nodes[r].ledger.block(hash: hash) != nil
            || nodes[r].awaitingBlock?.hash == hash
            || nodes[r].blocksInTransit.contains { $0.hash == hash }
    }

    func knowsTransaction(_ r: Int, _ id: [UInt8]) -> Bool { nodes[r].ledger.transaction(id: id) != nil }

    /// Part 7 `handleInv`: for blocks, the announced hashes go to blocksInTransit and the first is
    /// requested with `getdata` (then one by one as each arrives). Deliberate differences: hashes
    /// the node already has (or already expects) are skipped instead of fetched again, and a
    /// second announcement is appended rather than replacing the list. For transactions, an
    /// unknown id is requested with `getdata` (part 7 checks only the first item; every one is
    /// checked here).
    mutating func handleInv(_ r: Int, _ m: InvMessage, from: Int?) -> String {
        guard let from else { return "inv \(m.type.rawValue) ×\(m.items.count)" }
        let head = "inv \(m.type.rawValue) ×\(m.items.count)"
        switch m.type {
        case .block:
            var fresh = 0
            for hash in m.items where !knowsBlock(r, hash) {
                nodes[r].blocksInTransit.append(BlockInTransit(hash: hash, peer: from))
                fresh += 1
            }
            guard fresh > 0 else { return head + ": nothing new" }
            let requested = requestNextBlock(r)
            return head + ": \(fresh) new" + (requested.map { ", getdata block \(PeerNetwork.short($0))" } ?? ", queued")
        case .tx:
            var asked: [String] = []
            for id in m.items where !knowsTransaction(r, id) {
                send(.getdata(GetDataMessage(addrFrom: nodes[r].address, type: .tx, id: id)), from: nodes[r].id, to: from)
                asked.append(PeerNetwork.short(id))
            }
            return asked.isEmpty ? head + ": already known" : head + ": getdata tx " + asked.joined(separator: ", ")
        }
    }

    /// Sends `getdata` for the next block in transit when none is awaited; returns its hash.
    @discardableResult
    mutating func requestNextBlock(_ r: Int) -> [UInt8]? {
        guard nodes[r].awaitingBlock == nil else { return nil }
        while !nodes[r].blocksInTransit.isEmpty {
            let next = nodes[r].blocksInTransit.removeFirst()
            if nodes[r].ledger.block(hash: next.hash) != nil { continue }
            nodes[r].awaitingBlock = next
            send(.getdata(GetDataMessage(addrFrom: nodes[r].address, type: .block, id: next.hash)),
                 from: nodes[r].id, to: next.peer)
            return next.hash
        }
        return nil
    }

    /// Part 7 `handleGetData`: sends the block (from the node's blocks, or a block it offers
    /// dishonestly) or the mempool transaction. Like the tutorial, an unknown id gets no answer.
    mutating func handleGetData(_ r: Int, _ m: GetDataMessage, from: Int?) -> String {
        let head = "getdata \(m.type.rawValue) \(PeerNetwork.short(m.id))"
        guard let from else { return head }
        switch m.type {
        case .block:
            guard let block = nodes[r].ledger.block(hash: m.id) ?? nodes[r].offeredBlocks.first(where: { $0.hash == m.id }) else {
                return head + ": unknown, ignored"
            }
            send(.block(BlockMessage(addrFrom: nodes[r].address, block: block)), from: nodes[r].id, to: from)
            return head + ": sending block #\(block.height)"
        case .tx:
            guard let tx = nodes[r].ledger.mempool.first(where: { $0.id == m.id }) else { return head + ": not in the mempool, ignored" }
            send(.tx(TxMessage(addrFrom: nodes[r].address, transaction: tx)), from: nodes[r].id, to: from)
            return head + ": sending tx"
        }
    }

    /// Part 7 `handleBlock`, validated: `Ledger.accept`. Extended or reorganized ⇒ `inv` to the other
    /// peers (the reorganization is logged with the blocks disconnected/connected and the
    /// transactions back in the mempool); side branch ⇒ kept, not relayed; orphan ⇒ `getblocks` to
    /// the sender; invalid ⇒ rejected with its fault, not relayed. Then the next block in transit is
    /// requested (part 7 asks the sender; here the peer that announced it). Returns the summary and
    /// the fault kind.
    mutating func handleBlock(_ r: Int, _ block: LedgerBlock, from: Int?) -> (String, String?) {
        let head = "block #\(block.height) \(PeerNetwork.short(block.hash))"
        let before = nodes[r].ledger
        var result: (String, String?)
        do {
            let acceptance = try nodes[r].ledger.accept(block)
            switch acceptance {
            case .extended:
                announce(r, block.hash, except: from)
                result = (head + " accepted (extended)", nil)
            case .alreadyKnown:
                result = (head + " already known", nil)
            case .sideBranch:
                result = (head + " kept on a side branch (not more work than the tip)", nil)
            case let .reorganized(disconnected, connected):
                announce(r, block.hash, except: from)
                noteReorganization(r, before: before, disconnected: disconnected, connected: connected)
                result = (head + " accepted (reorganized)", nil)
            }
        } catch {
            switch error {
            case let .orphan(prev):
                if let from {
                    send(.getblocks(GetBlocksMessage(addrFrom: nodes[r].address)), from: nodes[r].id, to: from)
                    result = (head + " orphan (parent \(PeerNetwork.short(prev)) unknown): getblocks", nil)
                } else {
                    result = (head + " orphan (parent \(PeerNetwork.short(prev)) unknown): dropped", nil)
                }
            case let .invalidBlock(fault):
                result = ("block rejected: \(fault)", fault.kind)
            default:
                result = ("block rejected: \(error)", nil)
            }
        }
        if nodes[r].awaitingBlock?.hash == block.hash { nodes[r].awaitingBlock = nil }
        nodes[r].blocksInTransit.removeAll { $0.hash == block.hash }
        requestNextBlock(r)
        considerMining(r)
        return result
    }

    /// Logs a reorganization of node `r` (after the block entry that caused it).
    mutating func noteReorganization(_ r: Int, before: Ledger, disconnected: [[UInt8]], connected: [[UInt8]]) {
        let old = disconnected.compactMap { before.block(hash: $0) }.flatMap { $0.transactions.dropFirst() }
        let back = old.filter { tx in nodes[r].ledger.mempool.contains { $0.id == tx.id } }
        let list = { (hashes: [[UInt8]]) in hashes.map(PeerNetwork.short).joined(separator: " ") }
        var summary = "reorganization: disconnected \(disconnected.count) [\(list(disconnected))], connected \(connected.count) [\(list(connected))]"
        summary += "; \(back.count) tx back to the mempool"
        if !back.isEmpty { summary += " [\(list(back.map(\.id)))]" }
        note(nodes[r].id, "reorg", summary)
    }

    /// `inv` of one block to every known peer but `except` (part 7's miner: `inv` to all).
    mutating func announce(_ r: Int, _ hash: [UInt8], except: Int?) {
        for peer in nodes[r].knownNodes where peer != except {
            send(.inv(InvMessage(addrFrom: nodes[r].address, type: .block, items: [hash])), from: nodes[r].id, to: peer)
        }
    }

    /// Part 7 `handleTx`: the transaction goes to the mempool (here through `Ledger.submit`, which
    /// checks it against the UTXO set and the mempool; part 7 stores it unchecked) and is relayed
    /// with `inv(tx)` to the other peers (part 7: only the central node relays). A miner node then
    /// considers mining.
    mutating func handleTx(_ r: Int, _ tx: Transaction, from: Int?) -> (String, String?) {
        let head = "tx \(PeerNetwork.short(tx.id))"
        if knowsTransaction(r, tx.id) { return (head + " already known", nil) }
        do {
            try nodes[r].ledger.submit(tx)
        } catch {
            if case let .invalidTransaction(fault) = error { return ("\(head) rejected: \(fault)", PeerNetwork.kind(of: fault)) }
            return ("\(head) rejected: \(error)", nil)
        }
        relayTransaction(r, tx.id, except: from)
        considerMining(r)
        return (head + " added to mempool", nil)
    }

    mutating func relayTransaction(_ r: Int, _ id: [UInt8], except: Int?) {
        for peer in nodes[r].knownNodes where peer != except {
            send(.inv(InvMessage(addrFrom: nodes[r].address, type: .tx, items: [id])), from: nodes[r].id, to: peer)
        }
    }

    // MARK: mining

    /// Arms an automatic miner's timer when its mempool has reached the threshold (part 7: the
    /// miner checks `len(mempool) >= 2` after each `tx`; here the threshold is configurable and
    /// mining starts `minerDelayMs` later).
    mutating func considerMining(_ r: Int) {
        guard nodes[r].autoMine, nodes[r].minerPublicKeyHash != nil, nodes[r].miningDueMs == nil,
              nodes[r].ledger.mempool.count >= max(1, config.minerThreshold) else { return }
        let due = PeerNetwork.later(nowMs, by: max(0, config.minerDelayMs))
        nodes[r].miningDueMs = due
        schedule(.mine(node: nodes[r].id), at: due)
    }

    mutating func minerTimer(_ id: Int) {
        guard let r = index(of: id) else { return }
        nodes[r].miningDueMs = nil
        guard nodes[r].autoMine, let pkh = nodes[r].minerPublicKeyHash,
              nodes[r].ledger.mempool.count >= max(1, config.minerThreshold) else { return }
        do {
            _ = try mineNow(r, to: pkh)
        } catch {
            note(id, "mine", "mining failed: \(error)")
        }
        // Part 7's miner loops while its mempool is not empty.
        considerMining(r)
    }

    /// Mines one block on node `r` now (real proof of work), accepts it and announces it.
    mutating func mineNow(_ r: Int, to pkh: [UInt8]) throws(PeerNetworkError) -> LedgerBlock {
        let ledger = nodes[r].ledger
        let height = ledger.height + 1
        let data = Array("height \(height) by \(nodes[r].name) at \(nowMs)".utf8)
        let block: LedgerBlock
        do {
            let template = try ledger.template(miner: pkh, timestamp: nowMs / 1000, coinbaseData: data)
            block = try Ledger.mine(template, maxAttempts: config.maxAttempts)
            _ = try nodes[r].ledger.accept(block)
        } catch {
            throw .ledger(error)
        }
        note(nodes[r].id, "mine", "mined block #\(block.height) \(PeerNetwork.short(block.hash)) with \(block.transactions.count - 1) tx: inv to \(nodes[r].knownNodes.count) peers")
        announce(r, block.hash, except: nil)
        return block
    }
}
