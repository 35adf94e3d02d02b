import Blockchain
import WorkbenchKit

/// The `chain` commands. Each is one declaration; help, usage, completion and --json come from it.
enum ChainCommands {
    static var all: [CommandSpec] { [reset, difficulty, mine, show, showBlock, showBytes, validate, tamper, remine, target] }

    static let blockNumbers: LiveNames = { session in
        (0..<session.topic(ChainState.self).chain.blocks.count).map(String.init)
    }

    static let bitsRange: ClosedRange<Int64> = Int64(ProofOfWork.validTargetBits.lowerBound)...Int64(ProofOfWork.validTargetBits.upperBound)

    /// Attempts per slice of a long mining run; between slices the learner's Ctrl-C is honoured.
    static let sliceAttempts: Int64 = 1 << 20

    /// Runs the current job to completion inside the simulator (no per-nonce events), bounded,
    /// in slices so that Ctrl-C can stop it (the command then fails and changes nothing).
    static func finish(_ what: String, session: Session, maxAttempts: Int64?) throws -> MiningSummary {
        let limit = maxAttempts ?? ChainTopic.defaultMaxAttempts
        var total = MiningSummary(blocksMined: [], attempts: 0, lastAttempt: nil, finished: false)
        while !total.finished {
            guard total.attempts < limit else {
                throw ChainErrors.describe(.attemptLimitReached(attempts: total.attempts), what: what)
            }
            if session.interruptRequested() {
                throw WorkbenchError.failed(what: what, why: "interrupted after \(total.attempts) attempts; nothing changed",
                                            fix: "use a lower difficulty, or mine with --step")
            }
            let slice = try session.updateTopic(ChainState.self) { state in
                try ChainErrors.map(what) { try state.chain.mine(maxAttempts: min(sliceAttempts, limit - total.attempts)) }
            }
            total.blocksMined += slice.blocksMined
            total.attempts += slice.attempts
            total.lastAttempt = slice.lastAttempt ?? total.lastAttempt
            total.finished = slice.finished
        }
        return total
    }

    /// Starts a job: stepped (an event per nonce) or run to completion now.
    static func startOrFinish(_ what: String, step: Bool, session: Session, maxAttempts: Int64?) throws -> Output {
        session.state.queue.removeAll(topic: "chain")
        if step {
            ChainTopic.schedule(session)
            let chain = session.topic(ChainState.self).chain
            return Output(.object([("mining", ChainViews.jobValue(chain.job))])) { style in
                guard let job = chain.job else { return "" }
                return "mining block \(job.blockIndex) one nonce per `step` (target: \(job.targetBits) leading zero bits, about \(ChainViews.expected(job.targetBits)) tries expected)\n"
                    + style.dim("`step` tries the next nonce, `step 100` a hundred, `run` to the end")
            }
        }
        let summary = try finish(what, session: session, maxAttempts: maxAttempts)
        let chain = session.topic(ChainState.self).chain
        return Output(ChainViews.summaryValue(summary, chain: chain)) { style in ChainViews.describe(summary, chain: chain, style: style) }
    }

    static let reset = CommandSpec(
        ["chain", "reset"], abstract: "Start a new chain: mine a genesis block (\"Genesis Block\") at a difficulty.",
        discussion: "Jeiwan's NewGenesisBlock: data \"Genesis Block\", an empty PrevBlockHash, the timestamp from the simulated clock. --difficulty sets targetBits (Jeiwan's constant is 24; lessons use 8 to 16 so mining takes moments).",
        flags: [
            .option("--difficulty", .integer(bitsRange), "Target bits: a valid hash has at least this many leading zero bits (default 24)."),
            .toggle("--step", "Mine the genesis block one nonce per `step`."),
            .option("--max-attempts", .integer(1...Int64.max), "Give up after this many nonces."),
        ],
        effect: .mutating, examples: ["chain reset --difficulty 8", "chain reset --difficulty 12 --step"]
    ) { inv, session in
        let bits = inv.int("difficulty") ?? ProofOfWork.defaultTargetBits
        let now = session.state.clock.nowSeconds
        try session.updateTopic(ChainState.self) { state in
            try ChainErrors.map("chain reset") { try state.chain.reset(targetBits: bits, timestamp: now) }
        }
        return try startOrFinish("chain reset", step: inv.has("--step"), session: session, maxAttempts: inv.integer("max-attempts"))
    }

    static let difficulty = CommandSpec(
        ["chain", "difficulty"], abstract: "Show or set the target bits for blocks mined from now on.",
        discussion: "Each block records the target bits it was mined with, because they are part of the bytes hashed (Jeiwan's prepareData). Changing the difficulty does not touch existing blocks.",
        parameters: [.optional("bits", .integer(bitsRange), "Leading zero bits a valid hash needs.")],
        effect: .mutating, examples: ["chain difficulty", "chain difficulty 12"]
    ) { inv, session in
        if let bits = inv.int("bits") {
            try session.updateTopic(ChainState.self) { state in
                try ChainErrors.map("chain difficulty") { try state.chain.setTargetBits(bits) }
            }
        }
        let bits = session.topic(ChainState.self).chain.targetBits
        return Output(.object([("targetBits", Value(bits)), ("target", .string(ProofOfWork.hex(ProofOfWork.target(bits: bits))))])) { _ in
            "target bits \(bits): a hash must be below 2^\(256 - bits) (about \(ChainViews.expected(bits)) tries per block)"
        }
    }

    static let mine = CommandSpec(
        ["chain", "mine"], abstract: "Mine a block with data on top of the chain (proof of work).",
        discussion: "Tries nonces from 0 upwards until SHA-256(prepareData) is below the target, as in Jeiwan's Run(). With --step each `step` tries one nonce and shows it.",
        flags: [
            .option("--data", .text, "The block's data."),
            .toggle("--step", "Try one nonce per `step` instead of mining to the end."),
            .option("--max-attempts", .integer(1...Int64.max), "Give up after this many nonces."),
        ],
        effect: .mutating, examples: ["chain mine --data \"Send 1 BTC to Ivan\"", "chain mine --data hello --step"]
    ) { inv, session in
        guard let data = inv.text("data") else {
            throw WorkbenchError.usage(command: "chain mine", problem: "missing --data", usage: inv.spec.usage)
        }
        let now = session.state.clock.nowSeconds
        _ = try session.updateTopic(ChainState.self) { state in
            try ChainErrors.map("chain mine") { try state.chain.beginMining(data: Array(data.utf8), timestamp: now) }
        }
        return try startOrFinish("chain mine", step: inv.has("--step"), session: session, maxAttempts: inv.integer("max-attempts"))
    }

    static let show = CommandSpec(
        ["chain", "show"], abstract: "Draw the chain: each block, its hash, its link to the previous one, its status.",
        flags: [.option("--last", .integer(1...Int64(Int32.max)), "Draw only the last N blocks (the value still has them all).")],
        effect: .readOnly, examples: ["chain show", "chain show --last 3", "chain show --json"]
    ) { inv, session in
        let chain = session.topic(ChainState.self).chain
        let last = inv.int("last")
        return Output(ChainViews.chainValue(chain)) { style in ChainViews.drawChain(chain, last: last, style: style) }
    }

    static let showBlock = CommandSpec(
        ["chain", "show", "block"], abstract: "Show every field of one block, and whether it checks out.",
        parameters: [.required("n", .integer(0...Int64(Int32.max)), "Block number (0 is the genesis block).", completions: blockNumbers)],
        effect: .readOnly, examples: ["chain show block 1"]
    ) { inv, session in
        let chain = session.topic(ChainState.self).chain
        let n = inv.int("n") ?? 0
        guard chain.blocks.indices.contains(n) else {
            throw ChainErrors.describe(.blockOutOfRange(index: n, count: chain.blocks.count), what: "chain show block \(n)")
        }
        let verdict = chain.verdict(at: n) ?? BlockVerdict(index: n, problems: [])
        return Output(ChainViews.blockValue(chain.blocks[n], index: n, verdict: verdict)) { style in
            ChainViews.drawBlock(chain.blocks[n], index: n, verdict: verdict, style: style)
        }
    }

    static let showBytes = CommandSpec(
        ["chain", "show", "bytes"], abstract: "Show the exact bytes hashed for a block, field by field.",
        discussion: "Jeiwan's prepareData: PrevBlockHash ‖ Data ‖ Timestamp ‖ TargetBits ‖ Nonce, the three numbers as 8-byte big-endian integers. Without N: the block being mined (at its next nonce), or else the last block.",
        parameters: [.optional("n", .integer(0...Int64(Int32.max)), "Block number.", completions: blockNumbers)],
        effect: .readOnly, examples: ["chain show bytes 1", "chain show bytes"]
    ) { inv, session in
        let chain = session.topic(ChainState.self).chain
        let title: String
        let fields: [ByteField]
        if let n = inv.int("n") {
            guard chain.blocks.indices.contains(n) else {
                throw ChainErrors.describe(.blockOutOfRange(index: n, count: chain.blocks.count), what: "chain show bytes \(n)")
            }
            let b = chain.blocks[n]
            fields = ProofOfWork.fields(prevBlockHash: b.prevBlockHash, data: b.data, timestamp: b.timestamp, targetBits: b.targetBits, nonce: b.nonce)
            title = "block \(n), nonce \(b.nonce)"
        } else if let job = chain.job {
            fields = ProofOfWork.fields(prevBlockHash: job.prevBlockHash, data: job.data, timestamp: job.timestamp, targetBits: job.targetBits, nonce: job.nextNonce)
            title = "block \(job.blockIndex) being mined, next nonce \(job.nextNonce)"
        } else if let last = chain.blocks.indices.last {
            let b = chain.blocks[last]
            fields = ProofOfWork.fields(prevBlockHash: b.prevBlockHash, data: b.data, timestamp: b.timestamp, targetBits: b.targetBits, nonce: b.nonce)
            title = "block \(last), nonce \(b.nonce)"
        } else {
            throw ChainErrors.describe(.noGenesis, what: "chain show bytes")
        }
        return Output(ChainViews.bytesValue(fields)) { style in ChainViews.drawBytes(fields, title: title, style: style) }
    }

    static let validate = CommandSpec(
        ["chain", "validate"], abstract: "Check every block: stored hash, proof of work, link to the previous block.",
        discussion: "Jeiwan's Validate() only re-checks the proof of work. This also compares the stored hash with the recomputed one (hash-mismatch) and each PrevBlockHash with the previous block's hash (prev-link).",
        effect: .readOnly, examples: ["chain validate", "expect chain validate .valid == true"]
    ) { _, session in
        let chain = session.topic(ChainState.self).chain
        let report = chain.validate()
        return Output(ChainViews.reportValue(report)) { style in ChainViews.drawReport(report, chain: chain, style: style) }
    }

    static let tamper = CommandSpec(
        ["chain", "tamper"], abstract: "Change a stored block without re-mining it (to see validation fail).",
        parameters: [.required("n", .integer(0...Int64(Int32.max)), "Block number.", completions: blockNumbers)],
        flags: [
            .option("--data", .text, "New data."),
            .option("--nonce", .integer(0...Int64.max), "New nonce."),
            .option("--timestamp", .integer(0...Int64.max), "New timestamp (Unix seconds)."),
        ],
        effect: .mutating, examples: ["chain tamper 1 --data \"Send 100 BTC to Ivan\"", "chain tamper 2 --nonce 0"]
    ) { inv, session in
        let n = inv.int("n") ?? 0
        let data = inv.text("data").map { Array($0.utf8) }
        guard data != nil || inv.integer("nonce") != nil || inv.integer("timestamp") != nil else {
            throw WorkbenchError.usage(command: "chain tamper", problem: "say what to change: --data, --nonce or --timestamp", usage: inv.spec.usage)
        }
        try session.updateTopic(ChainState.self) { state in
            try ChainErrors.map("chain tamper \(n)") {
                try state.chain.tamper(index: n, data: data, nonce: inv.integer("nonce"), timestamp: inv.integer("timestamp"))
            }
        }
        let chain = session.topic(ChainState.self).chain
        let verdict = chain.verdict(at: n) ?? BlockVerdict(index: n, problems: [])
        return Output(ChainViews.blockValue(chain.blocks[n], index: n, verdict: verdict)) { _ in
            "block \(n) changed, its stored hash left as it was: `chain validate` shows what broke"
        }
    }

    static let remine = CommandSpec(
        ["chain", "remine"], abstract: "Re-mine block N and every block after it, repairing the chain from there.",
        discussion: "Each re-mined block keeps its data and timestamp, gets the previous block's new hash as PrevBlockHash and the current difficulty, and searches nonces from 0.",
        parameters: [.required("n", .integer(0...Int64(Int32.max)), "First block to re-mine.", completions: blockNumbers)],
        flags: [
            .toggle("--step", "Try one nonce per `step`."),
            .option("--max-attempts", .integer(1...Int64.max), "Give up after this many nonces."),
        ],
        effect: .mutating, examples: ["chain remine 1", "chain remine 2 --step"]
    ) { inv, session in
        let n = inv.int("n") ?? 0
        _ = try session.updateTopic(ChainState.self) { state in
            try ChainErrors.map("chain remine \(n)") { try state.chain.beginRemine(from: n) }
        }
        return try startOrFinish("chain remine \(n)", step: inv.has("--step"), session: session, maxAttempts: inv.integer("max-attempts"))
    }

    static let target = CommandSpec(
        ["chain", "target"], abstract: "Show the proof-of-work target for a number of bits, in hex and as a power of two.",
        parameters: [.optional("bits", .integer(bitsRange), "Target bits (default: the chain's).")],
        effect: .readOnly, examples: ["chain target 24"]
    ) { inv, session in
        let bits = inv.int("bits") ?? session.topic(ChainState.self).chain.targetBits
        let target = ProofOfWork.target(bits: bits)
        let significant = target.drop { $0 == 0 }
        let value = Value.object([("targetBits", Value(bits)), ("target", .string(ProofOfWork.hex(target))),
                                  ("significantBytes", Value(significant.count)), ("expectedAttempts", .string(ChainViews.expected(bits)))])
        return Output(value) { style in
            "target = 1 << (256 - \(bits)) = 2^\(256 - bits)\n"
                + "       = 0x" + style.bold(String(ProofOfWork.hex(Array(significant)).drop { $0 == "0" })) + " (\(significant.count) significant bytes)\n"
                + "a hash is valid when, read as a 256-bit big-endian number, it is below this: \(bits) leading zero bits, about \(ChainViews.expected(bits)) tries"
        }
    }
}
