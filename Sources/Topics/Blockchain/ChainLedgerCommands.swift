import Blockchain
import WorkbenchKit

/// Jeiwan parts 3-6 as commands: the tutorial's CLI verbs (createblockchain, getbalance, send,
/// printchain, reindexutxo) over a chain of transactions, plus views of what the tutorial keeps
/// hidden: the mempool, the UTXO set, one transaction's inputs and outputs, a per-block verdict.
enum ChainLedgerCommands {
    static var all: [CommandSpec] {
        [createBlockchain, open, getBalance, send, mineBlock, printChain, reindexUTXO, mempool, utxo, tx, verifyChain,
         tamperTx, remineBlocks, forge, database]
    }

    /// Part 6 lowered Jeiwan's targetBits to 16; mining a block then takes milliseconds.
    static let defaultBits: Int64 = 16

    static let addresses: LiveNames = { session in session.topic(ChainState.self).wallets.map(\.address) }
    static let heights: LiveNames = { session in
        (0...max(session.topic(ChainState.self).ledger?.height ?? -1, -1)).map(String.init)
    }
    static let txids: LiveNames = { session in
        guard let ledger = session.topic(ChainState.self).ledger else { return [] }
        return (ledger.mainChain.flatMap(\.transactions) + ledger.mempool).map { String(ProofOfWork.hex($0.id).prefix(12)) }
    }

    static func ledger(_ session: Session, _ what: String) throws -> Ledger {
        guard let ledger = session.topic(ChainState.self).ledger else {
            throw WorkbenchError.failed(what: what, why: "No existing blockchain found. Create one first.",
                                        fix: "`chain createwallet`, then `chain createblockchain --address ADDRESS`")
        }
        return ledger
    }

    static func fail(_ what: String, _ error: LedgerError) -> WorkbenchError {
        let fix: String? = switch error {
        case .noBlockchain: "`chain createblockchain --address ADDRESS`"
        case .invalidAddress: "`chain listaddresses` shows yours; an address is Base58Check and about 34 characters"
        case .notEnoughFunds: "`chain getbalance --address ADDRESS`; mine a block to confirm waiting transactions"
        case .attemptLimitReached: "lower the difficulty"
        default: nil
        }
        return .failed(what: what, why: error.description, fix: fix)
    }

    static func wallet(_ session: Session, address: String, what: String) throws -> Wallet {
        if let w = session.topic(ChainState.self).wallets.first(where: { $0.address == address }) { return w }
        do throws(Base58Error) { _ = try Address.publicKeyHash(of: address) } catch {
            throw WorkbenchError.failed(what: what, why: "ERROR: Sender address is not valid: \(address) (\(error.message))",
                                        fix: "`chain listaddresses` shows your wallets")
        }
        throw WorkbenchError.failed(what: what, why: "no wallet in this session holds the key of \(address), so it cannot sign",
                                    fix: "`chain listaddresses` shows your wallets; `chain createwallet` makes one")
    }

    static func lock(_ address: String, what: String) throws -> [UInt8] {
        do throws(Base58Error) { return try Address.publicKeyHash(of: address) } catch {
            throw WorkbenchError.failed(what: what, why: "ERROR: Address is not valid: \(address) (\(error.message))",
                                        fix: "`chain listaddresses` shows your wallets")
        }
    }

    /// Changes the ledger; on success writes it to the database file when there is one.
    static func update<R>(_ session: Session, _ what: String, _ body: (inout Ledger, Int64) throws(LedgerError) -> R) throws -> R {
        let now = session.state.clock.nowSeconds
        let host = session.host
        let sandboxed = session.isSandboxed
        let result = try session.updateTopic(ChainState.self) { state -> R in
            guard var ledger = state.ledger else {
                throw WorkbenchError.failed(what: what, why: "No existing blockchain found. Create one first.",
                                            fix: "`chain createblockchain --address ADDRESS`")
            }
            let r: R
            do throws(LedgerError) { r = try body(&ledger, max(now, (ledger.tip?.timestamp ?? 0) + 1)) } catch { throw fail(what, error) }
            // Written before the state changes, so a failed write changes nothing; not inside
            // `expect`/`expect-error`, whose changes are put back.
            if !sandboxed { try ChainDatabase.write(ledger, to: state.dbPath, host: host, what: what) }
            state.ledger = ledger
            return r
        }
        return result
    }

    static let createBlockchain = CommandSpec(
        ["chain", "createblockchain"], abstract: "Create a chain whose genesis coinbase pays the subsidy (10) to an address (Jeiwan's createblockchain).",
        discussion: "Mines the genesis block with the Times headline in its coinbase. --db FILE also writes it to a SQLite file laid out like the tutorial's BoltDB buckets (`blocks`: hash → block, key `l` → tip; `chainstate`: txid → unspent outputs); every later change is written there too, and `chain open FILE` reopens it. `undo` does not un-write the file. --difficulty sets targetBits (part 6 uses 16).",
        flags: [.option("--address", .text, "The address paid by the genesis coinbase.", completions: addresses),
                .option("--db", .file, "Also write the chain to this SQLite file (created; must not exist)."),
                .option("--difficulty", .integer(ChainCommands.bitsRange), "Target bits (default 16, Jeiwan part 6).")],
        effect: .mutating, examples: ["chain createwallet", "chain createblockchain --address ADDRESS --db blockchain.db"]
    ) { inv, session in
        let what = inv.spec.name
        guard let address = inv.text("address") else {
            throw WorkbenchError.usage(command: what, problem: "--address is required", usage: inv.spec.usage)
        }
        if session.topic(ChainState.self).ledger != nil {
            throw WorkbenchError.failed(what: what, why: "Blockchain already exists.", fix: "`undo`, or `reset` for a new session")
        }
        _ = try lock(address, what: what)
        var ledger = Ledger(targetBits: Int(inv.integer("difficulty") ?? defaultBits))
        do throws(LedgerError) {
            _ = try ledger.createBlockchain(address: address, timestamp: session.state.clock.nowSeconds, maxAttempts: ChainTopic.defaultMaxAttempts)
        } catch { throw fail(what, error) }
        let path = inv.text("db")
        if let path, !session.isSandboxed { try ChainDatabase.create(ledger, at: path, host: session.host, what: what) }
        try session.updateTopic(ChainState.self) { state in
            state.ledger = ledger
            state.dbPath = path
        }
        let tip = ledger.tip
        return Output(ChainLedgerViews.blockValue(tip, ledger: ledger)) { _ in
            "\(ProofOfWork.hex(tip?.hash ?? []))\n\nDone!" + (path.map { "\nwritten to \($0) (`sqlite3 \($0) 'select hex(key), length(value) from blocks'`)" } ?? "")
        }
    }

    static let open = CommandSpec(
        ["chain", "open"], abstract: "Open a chain database file and continue where it stopped.",
        discussion: "Reads every block and the tip (`l`) from the file and checks each block again (hash, proof of work, Merkle root, signatures, spends): a damaged or tampered file is refused with the reason, and the session is unchanged. The UTXO set is rebuilt from the blocks and compared with the file's `chainstate`.",
        parameters: [.required("file", .file, "The SQLite file written by `chain createblockchain --db`.")],
        effect: .mutating, examples: ["chain open blockchain.db"]
    ) { inv, session in
        let path = inv.text("file") ?? ""
        let (ledger, note) = try ChainDatabase.load(path, host: session.host, what: inv.spec.name)
        try session.updateTopic(ChainState.self) { state in
            state.ledger = ledger
            state.dbPath = path
        }
        return Output(ChainLedgerViews.blockValue(ledger.tip, ledger: ledger)) { _ in
            "opened \(path): \(ledger.height + 1) blocks, tip \(ProofOfWork.hex(ledger.tip?.hash ?? []).prefix(16))…" + (note.map { "\n" + $0 } ?? "")
        }
    }

    static let getBalance = CommandSpec(
        ["chain", "getbalance"], abstract: "The sum of the unspent outputs locked to an address (Jeiwan's getbalance).",
        flags: [.option("--address", .text, "The address.", completions: addresses)],
        effect: .readOnly, examples: ["chain getbalance --address ADDRESS", "expect chain getbalance --address ADDRESS .balance == 10"]
    ) { inv, session in
        let what = inv.spec.name
        guard let address = inv.text("address") else {
            throw WorkbenchError.usage(command: what, problem: "--address is required", usage: inv.spec.usage)
        }
        let hash = try lock(address, what: what)
        let balance = try ledger(session, what).balance(of: hash)
        return Output(.object([("address", .string(address)), ("balance", Value(balance))])) { _ in "Balance of '\(address)': \(balance)" }
    }

    static let send = CommandSpec(
        ["chain", "send"], abstract: "Pay coins from one of your wallets to an address (Jeiwan's send).",
        discussion: "Builds a transaction from the sender's oldest unspent outputs (change goes back to the sender), signs every input, and puts it in the mempool after checking it (a second spend of the same output is refused here, not only in a block). --mine then mines a block at once with the coinbase paid to the sender, as the tutorial's `send -mine` does.",
        flags: [.option("--from", .text, "Your wallet's address.", completions: addresses),
                .option("--to", .text, "The recipient's address.", completions: addresses),
                .option("--amount", .integer(1...1_000_000_000), "Whole coins."),
                .toggle("--mine", "Mine a block with it now (reward to the sender).")],
        effect: .mutating, examples: ["chain send --from A --to B --amount 6 --mine"]
    ) { inv, session in
        let what = inv.spec.name
        guard let from = inv.text("from"), let to = inv.text("to"), let amount = inv.int("amount") else {
            throw WorkbenchError.usage(command: what, problem: "--from, --to and --amount are required", usage: inv.spec.usage)
        }
        let sender = try wallet(session, address: from, what: what)
        _ = try lock(to, what: what)
        let mine = inv.has("--mine")
        let (tx, block) = try update(session, what) { ledger, now throws(LedgerError) -> (Transaction, LedgerBlock?) in
            let tx = try ledger.newTransaction(from: sender, to: to, amount: amount)
            try ledger.submit(tx)
            let block = mine ? try ledger.mineBlock(miner: Address.publicKeyHash(sender.publicKey), timestamp: now,
                                                    maxAttempts: ChainTopic.defaultMaxAttempts) : nil
            return (tx, block)
        }
        let value = Value.object([("txid", .string(ProofOfWork.hex(tx.id))), ("block", block.map { Value($0.height) } ?? .null),
                                  ("transaction", ChainLedgerViews.txValue(tx))])
        return Output(value) { style in
            "Success!\n" + ChainLedgerViews.describe(tx, style: style)
                + (block.map { "\nmined into block \($0.height) \(ProofOfWork.hex($0.hash).prefix(16))… (coinbase to the sender)" }
                   ?? "\n" + style.dim("waiting in the mempool: `chain mineblock` or `chain send … --mine` confirms it"))
        }
    }

    static let mineBlock = CommandSpec(
        ["chain", "mineblock"], abstract: "Mine the mempool into a block: coinbase first, paid to the miner (the part-7 miner's job).",
        flags: [.option("--miner", .text, "The address paid (default: your first wallet).", completions: addresses)],
        effect: .mutating, examples: ["chain mineblock --miner ADDRESS"]
    ) { inv, session in
        let what = inv.spec.name
        guard let miner = inv.text("miner") ?? session.topic(ChainState.self).wallets.first?.address else {
            throw WorkbenchError.usage(command: what, problem: "--miner is required when you have no wallet", usage: inv.spec.usage)
        }
        let hash = try lock(miner, what: what)
        let block = try update(session, what) { ledger, now throws(LedgerError) in
            try ledger.mineBlock(miner: hash, timestamp: now, maxAttempts: ChainTopic.defaultMaxAttempts)
        }
        let ledger = try ledger(session, what)
        return Output(ChainLedgerViews.blockValue(block, ledger: ledger)) { style in ChainLedgerViews.printBlock(block, style: style) }
    }

    static let printChain = CommandSpec(
        ["chain", "printchain"], abstract: "Every block from the tip back to the genesis, with its transactions (Jeiwan's printchain).",
        effect: .readOnly, examples: ["chain printchain", "expect chain printchain | length == 2"]
    ) { inv, session in
        let ledger = try ledger(session, inv.spec.name)
        let reports = ledger.validate()
        let blocks = ledger.mainChain.reversed()
        return Output(.array(blocks.map { ChainLedgerViews.blockValue($0, ledger: ledger) })) { style in
            blocks.map { b in ChainLedgerViews.printBlock(b, style: style, verdict: reports.indices.contains(b.height) ? reports[b.height].fault?.description ?? "" : nil) }
                .joined(separator: "\n\n")
        }
    }

    static let reindexUTXO = CommandSpec(
        ["chain", "reindexutxo"], abstract: "Rebuild the UTXO set from the blocks (Jeiwan's reindexutxo).",
        effect: .mutating, examples: ["chain reindexutxo"]
    ) { inv, session in
        let count = try update(session, inv.spec.name) { ledger, _ throws(LedgerError) in ledger.reindexUTXO() }
        return .text("Done! There are \(count) transactions in the UTXO set.", value: .object([("transactions", Value(count))]))
    }

    static let mempool = CommandSpec(
        ["chain", "mempool"], abstract: "Transactions waiting to be mined, in arrival order.",
        effect: .readOnly, examples: ["chain mempool", "expect chain mempool | length == 0"]
    ) { inv, session in
        let ledger = try ledger(session, inv.spec.name)
        return Output(.array(ledger.mempool.map(ChainLedgerViews.txValue))) { style in
            ledger.mempool.isEmpty ? "the mempool is empty" : ledger.mempool.map { ChainLedgerViews.describe($0, style: style) }.joined(separator: "\n")
        }
    }

    static let utxo = CommandSpec(
        ["chain", "utxo"], abstract: "The UTXO set (Jeiwan's chainstate bucket): every unspent output, oldest first.",
        discussion: "An outpoint is txid:index; the index is the output's position in its transaction and never changes (the tutorial's issue #64). `held` marks outputs a mempool transaction already spends.",
        flags: [.option("--address", .text, "Only outputs locked to this address.", completions: addresses)],
        effect: .readOnly, examples: ["chain utxo", "chain utxo --address ADDRESS"]
    ) { inv, session in
        let what = inv.spec.name
        let ledger = try ledger(session, what)
        let filter = try inv.text("address").map { try lock($0, what: what) }
        let entries = filter.map { ledger.utxo.outputs(lockedTo: $0) } ?? ledger.utxo.sorted
        let held = ledger.mempoolClaims
        return Output(.array(entries.map { ChainLedgerViews.utxoValue($0, held: held[$0.outPoint] != nil) })) { style in
            ChainLedgerViews.utxoTable(entries, held: held, style: style)
        }
    }

    static let tx = CommandSpec(
        ["chain", "tx"], abstract: "One transaction: each input with the output it spends, each output and who spent it.",
        parameters: [.required("txid", .text, "A transaction id or a unique prefix of one.", completions: txids)],
        effect: .readOnly, examples: ["chain tx 3f2a"]
    ) { inv, session in
        let what = inv.spec.name
        let ledger = try ledger(session, what)
        let prefix = (inv.text("txid") ?? "").lowercased()
        let all = ledger.mainChain.flatMap(\.transactions) + ledger.mempool
        let matches = all.filter { ProofOfWork.hex($0.id).hasPrefix(prefix) }
        let ids = Set(matches.map { ProofOfWork.hex($0.id) })
        guard ids.count == 1, let tx = matches.first, !prefix.isEmpty else {
            throw WorkbenchError.failed(what: what, why: ids.isEmpty ? "no transaction \(prefix)" : "\(prefix) matches \(ids.count) transactions",
                                        fix: "`chain printchain` or `chain mempool` lists transaction ids")
        }
        return Output(ChainLedgerViews.txDetailValue(tx, ledger: ledger)) { style in ChainLedgerViews.txGraph(tx, ledger: ledger, style: style) }
    }

    static let verifyChain = CommandSpec(
        ["chain", "verifychain"], abstract: "Check every block of the transaction chain and say why a block is invalid.",
        discussion: "In order: stored hash, proof of work, prev link (against the previous block's recomputed hash), height, Merkle root, then every transaction against the UTXO set so far: signature, owner, double spend, overspend, coinbase. The tutorial's printchain only prints `PoW: true/false`.",
        effect: .readOnly, examples: ["chain verifychain", "expect chain verifychain .valid == true"]
    ) { inv, session in
        let ledger = try ledger(session, inv.spec.name)
        let reports = ledger.validate()
        let valid = reports.allSatisfy(\.isValid)
        let value = Value.object([("valid", .bool(valid)), ("blocks", .array(reports.map { r in
            .object([("height", Value(r.height)), ("hash", .string(ProofOfWork.hex(r.hash))), ("valid", .bool(r.isValid)),
                     ("fault", r.fault.map { .string($0.kind) } ?? .null), ("reason", r.fault.map { .string($0.description) } ?? .null)])
        }))])
        return Output(value) { style in
            reports.map { r in
                "block \(r.height) \(ProofOfWork.hex(r.hash).prefix(12))…  " + (r.fault.map { style.red("INVALID  " + $0.description) } ?? style.green("valid"))
            }.joined(separator: "\n")
        }
    }

    static let tamperTx = CommandSpec(
        ["chain", "tamper-tx"], abstract: "Change one output of a stored transaction without re-hashing anything (as editing the database would).",
        parameters: [.required("height", .integer(0...1_000_000), "The block.", completions: heights),
                     .required("tx", .integer(0...100_000), "The transaction's position in the block (0 = coinbase)."),
                     .required("output", .integer(0...100_000), "The output's index.")],
        flags: [.option("--value", .integer(-1_000_000_000...1_000_000_000), "The new amount."),
                .option("--to", .text, "The new recipient address.", completions: addresses)],
        effect: .mutating, examples: ["chain tamper-tx 1 1 0 --value 9", "chain verifychain"]
    ) { inv, session in
        let what = inv.spec.name
        let value = inv.int("value")
        let newLock = try inv.text("to").map { try lock($0, what: what) }
        guard value != nil || newLock != nil else {
            throw WorkbenchError.usage(command: what, problem: "give --value or --to", usage: inv.spec.usage)
        }
        let (h, t, o) = (inv.int("height") ?? 0, inv.int("tx") ?? 0, inv.int("output") ?? 0)
        let current = try ledger(session, what)
        guard let block = current.block(height: h) else {
            throw WorkbenchError.failed(what: what, why: "there is no block \(h)", fix: "blocks are numbered 0 to \(current.height)")
        }
        guard block.transactions.indices.contains(t), block.transactions[t].outputs.indices.contains(o) else {
            throw WorkbenchError.failed(what: what, why: "block \(h) has no transaction \(t) with an output \(o)", fix: "`chain printchain` shows them")
        }
        try update(session, what) { ledger, _ throws(LedgerError) in try ledger.tamper(height: h, transaction: t, output: o, value: value, lock: newLock) }
        return .text("changed output \(o) of transaction \(t) in block \(h); nothing was re-hashed — `chain verifychain` shows what broke")
    }

    static let remineBlocks = CommandSpec(
        ["chain", "remine-blocks"], abstract: "Repair headers from a block to the tip: new Merkle roots, prev links, proof of work.",
        discussion: "Transactions are not repaired: a changed amount still breaks its signature, which only the owner's key could fix.",
        parameters: [.required("height", .integer(0...1_000_000), "The first block to re-mine.", completions: heights)],
        effect: .mutating, examples: ["chain remine-blocks 1", "chain verifychain"]
    ) { inv, session in
        let what = inv.spec.name
        let h = inv.int("height") ?? 0
        guard try ledger(session, what).block(height: h) != nil else {
            throw WorkbenchError.failed(what: what, why: "there is no block \(h)", fix: "`chain printchain` lists the blocks")
        }
        try update(session, what) { ledger, _ throws(LedgerError) in try ledger.remine(from: h, maxAttempts: ChainTopic.defaultMaxAttempts) }
        return .text("re-mined blocks \(h) to the tip — `chain verifychain` shows what is still wrong")
    }

    static let forge = CommandSpec(
        ["chain", "forge"], abstract: "Play a dishonest miner: build a block that cheats, with valid proof of work, and offer it to the chain.",
        discussion: "double-spend: two transactions spending the same output (the tutorial's issue #23); overspend: outputs above inputs; steal: spend someone else's output signed with your own key (issue/PR #58); bad-signature: claim the owner's key without its signature; greedy-coinbase: pay the miner more than the subsidy. The block is refused with the reason and nothing changes.",
        parameters: [.required("kind", .choice(ChainForgery.kinds), "The cheat.")],
        flags: [.option("--from", .text, "Whose coins (default: your first wallet).", completions: addresses),
                .option("--to", .text, "The cheater's address (default: your last wallet).", completions: addresses)],
        effect: .readOnly, examples: ["chain forge double-spend", "chain forge steal --from VICTIM --to THIEF"]
    ) { inv, session in
        let what = inv.spec.name
        let state = session.topic(ChainState.self)
        let ledger = try ledger(session, what)
        guard let victimAddress = inv.text("from") ?? state.wallets.first?.address,
              let thiefAddress = inv.text("to") ?? state.wallets.last?.address else {
            throw WorkbenchError.failed(what: what, why: "forging needs wallets", fix: "`chain createwallet` twice")
        }
        let victim = try wallet(session, address: victimAddress, what: what)
        let thief = try wallet(session, address: thiefAddress, what: what)
        let (block, story) = try ChainForgery.build(inv.text("kind") ?? "", ledger: ledger, victim: victim, thief: thief,
                                                    timestamp: session.state.clock.nowSeconds, what: what)
        var copy = ledger
        let verdict: String
        let fault: BlockFault?
        do throws(LedgerError) {
            _ = try copy.accept(block)
            verdict = "ACCEPTED (this is a bug)"
            fault = nil
        } catch {
            if case let .invalidBlock(f) = error { fault = f } else { fault = nil }
            verdict = error.description
        }
        let value = Value.object([("kind", .string(inv.text("kind") ?? "")), ("accepted", .bool(fault == nil)),
                                  ("fault", fault.map { .string($0.kind) } ?? .null), ("reason", .string(verdict))])
        return Output(value) { style in
            story + "\nthe block has valid proof of work; the chain says: " + (fault == nil ? style.green(verdict) : style.red(verdict))
                + "\n" + style.dim("nothing changed")
        }
    }

    static let database = CommandSpec(
        ["chain", "db"], abstract: "What the chain's database file holds: its buckets (tables), keys and value sizes.",
        effect: .readOnly, examples: ["chain db"]
    ) { inv, session in
        guard let path = session.topic(ChainState.self).dbPath else {
            throw WorkbenchError.failed(what: inv.spec.name, why: "this chain is not written to a file",
                                        fix: "`chain createblockchain --address A --db FILE` or `chain open FILE`")
        }
        let listing = try ChainDatabase.describe(path, host: session.host, what: inv.spec.name)
        return Output(listing.value) { _ in listing.text }
    }
}
