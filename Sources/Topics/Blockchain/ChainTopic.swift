import Blockchain
import GethConsole
import SimKit
import WorkbenchKit

/// The blockchain topic's state inside a session: Jeiwan's chain (parts 1–2).
struct ChainState: TopicState, Equatable {
    static let namespace = "chain"
    static func initial() -> ChainState { ChainState(chain: Chain()) }
    var chain: Chain
    /// Part 5's wallets (`chain createwallet`), oldest first, and the random stream their keys come from.
    var wallets: [Wallet] = []
    var walletRandom: SplitMix64?
    /// Parts 4-7: the transaction chain (`chain createblockchain`), nil until created or opened.
    var ledger: Ledger?
    /// The SQLite file the ledger is written to after every change (`--db`, `chain open`).
    var dbPath: String?
    /// geth's legacy miner switch and etherbase, for the JSON-RPC methods.
    var mining = false
    var etherbase: [UInt8]?
    /// Part 7's nodes on the simulated network (`chain net new`).
    var network: PeerNetwork?
    /// Variables defined in the Geth console (`var a = eth.accounts[0]`).
    var consoleVariables = ConsoleVariables()

    init(chain: Chain) { self.chain = chain }

    enum CodingKeys: String, CodingKey { case chain, wallets, walletRandom, ledger, dbPath, mining, etherbase, consoleVariables, network }

    /// Save files written before wallets (or the ledger) existed have only `chain`.
    init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        chain = try c.decode(Chain.self, forKey: .chain)
        wallets = try c.decodeIfPresent([Wallet].self, forKey: .wallets) ?? []
        walletRandom = try c.decodeIfPresent(SplitMix64.self, forKey: .walletRandom)
        ledger = try c.decodeIfPresent(Ledger.self, forKey: .ledger)
        dbPath = try c.decodeIfPresent(String.self, forKey: .dbPath)
        mining = try c.decodeIfPresent(Bool.self, forKey: .mining) ?? false
        etherbase = try c.decodeIfPresent([UInt8].self, forKey: .etherbase)
        consoleVariables = try c.decodeIfPresent(ConsoleVariables.self, forKey: .consoleVariables) ?? ConsoleVariables()
        network = try c.decodeIfPresent(PeerNetwork.self, forKey: .network)
    }
}

/// The `chain` topic: Jeiwan's "Building Blockchain in Go" parts 1–2 as commands and views.
public enum ChainTopic {
    /// Most nonces `chain mine` tries before giving up (about 20 s of release-build hashing),
    /// so a high difficulty cannot hang the prompt.
    static let defaultMaxAttempts: Int64 = 100_000_000

    public static var module: TopicModule {
        var module = TopicModule(namespace: "chain", lessonTopic: "blockchain", title: "Blockchain and the Geth console",
                                 stateType: ChainState.self, commands: ChainCommands.all + ChainWalletCommands.all + ChainLedgerCommands.all + ChainNetCommands.all + ChainRPCCommands.all, handle: handle)
        module.otherLessonTopics = ["geth"]
        return module
    }

    /// Applies one `try-nonce` event: one proof-of-work attempt, then schedules the next while
    /// the job goes on.
    static func handle(_ event: ScheduledEvent, _ session: Session) throws -> StepReport {
        if event.kind == "net" { return try ChainNetCommands.step(session, at: event.timeMs) }
        guard event.kind == "try-nonce" else {
            throw WorkbenchError.failed(what: "step", why: "the chain has no event called `\(event.kind)`", fix: nil)
        }
        guard session.topic(ChainState.self).chain.job != nil else {
            return StepReport("no block is being mined; nothing to try")
        }
        let attempt = try session.updateTopic(ChainState.self) { state in
            try ChainErrors.map("step") { try state.chain.tryNextNonce() }
        }
        let chain = session.topic(ChainState.self).chain
        if chain.job != nil { schedule(session) }
        return StepReport(ChainViews.describe(attempt, chain: chain), value: ChainViews.attemptValue(attempt))
    }

    static func schedule(_ session: Session) {
        session.state.queue.schedule(atMs: session.state.clock.nowMs, topic: "chain", kind: "try-nonce")
    }
}

/// Turns the simulator's typed errors into one-line messages that name the fix.
enum ChainErrors {
    static func map<R>(_ what: String, _ body: () throws -> R) throws -> R {
        do { return try body() } catch let error as ChainError { throw describe(error, what: what) }
    }

    static func describe(_ error: ChainError, what: String) -> WorkbenchError {
        switch error {
        case .noGenesis:
            return .failed(what: what, why: "the chain is empty: it has no genesis block", fix: "`chain reset --difficulty 8` mines one")
        case let .miningInProgress(index):
            return .failed(what: what, why: "block \(index) is still being mined", fix: "`step` or `run` to finish it, or `undo`")
        case .noMiningJob:
            return .failed(what: what, why: "no block is being mined", fix: "`chain mine --data TEXT --step` starts one")
        case let .blockOutOfRange(index, count):
            return .failed(what: what, why: "there is no block \(index): the chain has \(count) block\(count == 1 ? "" : "s")",
                           fix: count == 0 ? "`chain reset` mines a genesis block" : "blocks are numbered 0 to \(count - 1)")
        case let .invalidTargetBits(bits):
            return .failed(what: what, why: "target bits must be 1 to 255, got \(bits)", fix: "lessons use 8 to 16; Jeiwan's default is 24")
        case let .nonceSpaceExhausted(index):
            return .failed(what: what, why: "every nonce up to Int64.max failed for block \(index)", fix: "lower the difficulty")
        case let .attemptLimitReached(attempts):
            return .failed(what: what, why: "gave up after \(attempts) attempts without a valid hash",
                           fix: "lower the difficulty (`chain difficulty 16`), raise --max-attempts, or mine with --step")
        }
    }
}
