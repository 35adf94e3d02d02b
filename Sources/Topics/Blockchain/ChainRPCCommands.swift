import Blockchain
import GethConsole
import GethRPC
import JSONRPC
import SimKit
import WorkbenchKit

/// The chain seen through geth's eyes: JSON-RPC 2.0 requests (`rpc`), the exact bytes (`rpc raw`),
/// and the JavaScript console's first expressions (`geth`, `geth attach`), each showing on request
/// the JSON-RPC exchange it caused.
enum ChainRPCCommands {
    static var all: [CommandSpec] { [rpc, rpcRaw, geth, gethAttach] }

    /// Runs `body` on an EthNode made from the session's chain state and writes the changes back.
    /// The database file is written by `persist`, once the command has succeeded.
    static func withNode<R>(_ session: Session, _ what: String, _ body: (inout EthNode) -> R) throws -> R {
        let now = session.state.clock.nowSeconds
        let seeded = session.state.randomStream("chain-wallets")
        return try session.updateTopic(ChainState.self) { state -> R in
            var node = EthNode(ledger: state.ledger ?? Ledger(targetBits: Int(ChainLedgerCommands.defaultBits)),
                               wallets: state.wallets, random: state.walletRandom ?? seeded, nowSeconds: now)
            node.mining = state.mining
            node.etherbase = state.etherbase
            let result = body(&node)
            if state.ledger != nil || !node.ledger.isEmpty { state.ledger = node.ledger }
            if node.wallets != state.wallets {
                state.wallets = node.wallets
                state.walletRandom = node.random
            }
            state.mining = node.mining
            state.etherbase = node.etherbase
            return result
        }
    }

    /// A command-line word as a JSON-RPC parameter: JSON when it parses (numbers, true, objects…),
    /// otherwise a string (`0xabc…`, `latest`); a quoted word is always a string.
    /// Writes the chain to its database file after a successful command: not inside `expect`
    /// (whose changes are put back), and never for a command that failed (the caller returns first).
    static func persist(_ session: Session, _ what: String, before: Ledger?) throws {
        let state = session.topic(ChainState.self)
        guard !session.isSandboxed, let ledger = state.ledger, ledger != before else { return }
        try ChainDatabase.write(ledger, to: state.dbPath, host: session.host, what: what)
    }

    static func parameter(_ token: Token) -> JSONValue {
        if token.quoted { return .string(token.text) }
        if let parsed = try? JSONCodec.parse(token.text) { return parsed }
        return .string(token.text)
    }

    static func value(_ json: JSONValue) -> Value {
        switch json {
        case .null: return .null
        case let .bool(b): return .bool(b)
        case let .number(text):
            if let i = Int64(text) { return .int(i) }
            return .double(Double(text) ?? 0)
        case let .string(s): return .string(s)
        case let .array(a): return .array(a.map(value))
        case let .object(members): return .object(members.map { ($0.key, value($0.value)) })
        }
    }

    static let methodNames: LiveNames = { _ in EthAPI.server.methods.keys.sorted() }

    static let rpc = CommandSpec(
        ["rpc"], abstract: "Send one JSON-RPC 2.0 request to the chain's Ethereum-style API and show the exchange.",
        discussion: "Each word after the method is one positional parameter: JSON when it parses (1, true, {\"from\":…}), else a string (0x…, latest). Accounts are your wallets' 20-byte public-key hashes with EIP-55 checksums; 1 coin = 1 ether = 10^18 wei. `rpc raw` sends exact bytes.",
        parameters: [.required("method", .text, "e.g. eth_blockNumber, eth_getBalance, eth_sendTransaction.", completions: methodNames),
                     .rest("params", "Positional parameters.", optional: true)],
        effect: .mutating, expectable: true, examples: ["rpc eth_blockNumber", "expect rpc eth_blockNumber .result == \"0x0\"", "rpc eth_getBlockByNumber latest false", "rpc eth_getBalance 0x… latest"]
    ) { inv, session in
        let method = inv.text("method") ?? ""
        let params = inv.tokens.dropFirst().filter { !($0.text == "--json" && !$0.quoted) }.map(parameter)
        let request = JSONValue.object([("jsonrpc", .string("2.0")), ("id", .int(1)), ("method", .string(method)), ("params", .array(params))])
        let requestBytes = JSONCodec.serialize(request)
        let before = session.topic(ChainState.self).ledger
        let reply = try withNode(session, inv.spec.name) { node in EthAPI.server.handle(requestBytes, context: &node) }
        try persist(session, inv.spec.name, before: before)
        let replyText = reply.map { String(decoding: $0, as: UTF8.self) } ?? ""
        let parsed = reply.flatMap { try? JSONCodec.parse($0) } ?? .null
        return Output(value(parsed)) { style in
            style.dim("--> ") + String(decoding: requestBytes, as: UTF8.self) + "\n" + style.dim("<-- ") + replyText
        }
    }

    static let rpcRaw = CommandSpec(
        ["rpc", "raw"], abstract: "Send exact bytes as a JSON-RPC body and print the exact response (batches, notifications, errors).",
        discussion: "Quote the body with single quotes. A notification (no id) gets no response at all; an empty batch `[]` gets one error object; a parse error has id null.",
        parameters: [.rest("json", "The request body.")],
        effect: .mutating, expectable: true, examples: [#"rpc raw '{"jsonrpc":"2.0","method":"eth_blockNumber","params":[],"id":1}'"#, "rpc raw '[]'"]
    ) { inv, session in
        let body = Array((inv.text("json") ?? "").utf8)
        let before = session.topic(ChainState.self).ledger
        let reply = try withNode(session, inv.spec.name) { node in EthAPI.server.handle(body, context: &node) }
        try persist(session, inv.spec.name, before: before)
        guard let reply else {
            return Output(.null) { style in style.dim("(no response: every request was a notification)") }
        }
        let text = String(decoding: reply, as: UTF8.self)
        return Output((try? JSONCodec.parse(reply)).map(value) ?? .string(text)) { _ in text }
    }

    static let geth = CommandSpec(
        ["geth"], abstract: "Evaluate one Geth console expression (eth.blockNumber, eth.getBalance(eth.accounts[0]), …).",
        discussion: "A small documented subset of geth attach's JavaScript: member access, calls, literals, `var`. Supported: eth.blockNumber, eth.accounts, eth.coinbase, eth.getBalance(a), eth.getBlock(n|\"latest\"), eth.getTransaction(h), eth.getTransactionReceipt(h), eth.sendTransaction({from, to, value}), net.version, net.peerCount, web3.fromWei(x, unit), web3.toWei(x, unit), txpool.status, admin.peers, and the legacy personal.newAccount(), miner.start(), miner.stop(), miner.setEtherbase(a) — current geth removed personal (Oct 2024) and miner.start/stop (1.14, proof of stake). --trace shows each JSON-RPC exchange.",
        parameters: [.rest("expression", "A console expression.")],
        flags: [.toggle("--trace", "Show the JSON-RPC requests and responses the expression caused.")],
        effect: .mutating, expectable: true, examples: ["geth eth.blockNumber", "expect geth 'eth.accounts.length' .text == \"0\"", "geth web3.fromWei(eth.getBalance(eth.accounts[0]), \"ether\") --trace"]
    ) { inv, session in
        let expression = rawExpression(inv)
        var trace = inv.has("--trace")
        let variables = session.topic(ChainState.self).consoleVariables
        let before = session.topic(ChainState.self).ledger
        let outcome = try withNode(session, inv.spec.name) { node -> (Result<ConsoleResult, ConsoleError>, ConsoleVariables) in
            let box = NodeBox(node)
            var console = GethConsole { call in
                switch EthAPI.server.call(call.method, call.params, context: &box.node) {
                case let .success(v): return .success(v)
                case let .failure(e): return .failure(RPCFailure(code: e.code, message: e.message))
                }
            }
            console.variableState = variables
            let result = console.evaluate(expression)
            node = box.node
            return (result, console.variableState)
        }
        try session.updateTopic(ChainState.self) { $0.consoleVariables = outcome.1 }
        switch outcome.0 {
        case let .success(result):
            try persist(session, "geth", before: before)
            let calls = exchanges(result.calls)
            return Output(.object([("text", .string(result.text)), ("calls", calls.value)])) { style in
                (trace ? calls.text(style) : "") + result.text
            }
        case let .failure(error):
            trace = true
            let calls = exchanges(error.calls)
            throw WorkbenchError.failed(what: "geth", why: error.message + (error.note.map { " (\($0))" } ?? "")
                                        + (error.calls.isEmpty ? "" : "\n" + calls.text(Style(colors: false)).dropLast()), fix: nil)
        }
    }

    static let gethAttach = CommandSpec(
        ["geth", "attach"], abstract: "Enter the Geth console: every line is a console expression until `exit` (Ctrl-D leaves the workbench).",
        effect: .session, examples: ["geth attach"]
    ) { inv, session in
        let state = session.topic(ChainState.self)
        let height = max(state.ledger?.height ?? 0, 0)
        let ts = state.ledger?.tip?.timestamp ?? session.state.clock.nowSeconds
        session.lineMode = LineMode(prompt: "> ", prefix: "geth", exitWords: ["exit", "exit()"], farewell: "left the console")
        let modules = EthAPI.modules.map { "\($0.0):\($0.1)" }.joined(separator: " ")
        let banner = ["Welcome to the Geth JavaScript console!", "", "instance: \(EthNode.clientVersion)",
                      "at block: \(height) (\(UTCDate.string(ms: ts * 1000)))", " modules: \(modules)", "",
                      "To exit, press ctrl-d or type exit"]
        return Output(.object([("block", Value(height))])) { _ in banner.joined(separator: "\n") }
    }

    /// The expression as typed: the line after `geth` (JavaScript's quotes kept), without workbench
    /// flags. An expression given as one shell-quoted word (`expect geth 'eth.accounts[0]' …`, where
    /// the line is rebuilt from words) is unwrapped, so a lone quoted string is read as code.
    static func rawExpression(_ inv: Invocation) -> String {
        var line = inv.line.trimmingCharacters(in: .whitespaces)
        if line.hasPrefix("geth") { line.removeFirst(4) }
        line = line.trimmingCharacters(in: .whitespaces)
        var changed = true
        while changed {
            changed = false
            for flag in ["--trace", "--json"] {
                if line.hasSuffix(" " + flag) || line == flag { line.removeLast(flag.count); changed = true }
                if line.hasPrefix(flag + " ") { line.removeFirst(flag.count); changed = true }
                line = line.trimmingCharacters(in: .whitespaces)
            }
        }
        if let first = line.first, first == "'" || first == "\"", line.last == first,
           let words = try? Tokenizer.split(line), words.count == 1, words[0].quoted {
            return words[0].text
        }
        return line
    }

    static func exchanges(_ calls: [RPCExchange]) -> (value: Value, text: (Style) -> String) {
        let listed = Value.array(calls.map { c -> Value in
            .object([("method", .string(c.call.method)), ("params", value(JSONValue.array(c.call.params))),
                     (c.response.isSuccess ? "result" : "error", resultValue(c.response))])
        })
        return (listed, { style in
            calls.map { c in
                let request = JSONCodec.string(.object([("jsonrpc", .string("2.0")), ("method", .string(c.call.method)), ("params", .array(c.call.params))]))
                let response: String
                switch c.response {
                case let .success(v): response = JSONCodec.string(.object([("result", v)]))
                case let .failure(e): response = JSONCodec.string(.object([("error", .object([("code", .int(e.code)), ("message", .string(e.message))]))]))
                }
                return style.dim("--> ") + request + "\n" + style.dim("<-- ") + response + "\n"
            }.joined()
        })
    }

    static func resultValue(_ r: Result<JSONValue, RPCFailure>) -> Value {
        switch r {
        case let .success(v): return value(v)
        case let .failure(e): return .object([("code", Value(e.code)), ("message", .string(e.message))])
        }
    }
}

/// Lets the console's backend closure change the node while the console evaluates.
final class NodeBox {
    var node: EthNode
    init(_ node: EthNode) { self.node = node }
}

extension Result {
    var isSuccess: Bool { if case .success = self { true } else { false } }
}

/// The JSON-RPC endpoint for hosts outside the REPL (`workbench serve rpc`): one body in, one
/// body out, on the session's chain. The caller serializes calls (one at a time).
public enum ChainRPC {
    public static func handle(_ body: [UInt8], session: Session) -> [UInt8]? {
        do {
            let before = session.topic(ChainState.self).ledger
            let reply = try ChainRPCCommands.withNode(session, "rpc") { node in EthAPI.server.handle(body, context: &node) }
            try ChainRPCCommands.persist(session, "rpc", before: before)
            return reply
        } catch {
            let failure = RPCError.server("\(error)")
            return JSONCodec.serialize(.object([("jsonrpc", .string("2.0")), ("id", .null), ("error", failure.json)]))
        }
    }

    /// Turns geth's legacy miner on or off for the session's chain.
    public static func setMining(_ on: Bool, session: Session) throws {
        try session.updateTopic(ChainState.self) { $0.mining = on }
    }

    /// The session's accounts as EIP-55 addresses (for the server's banner).
    public static func accounts(session: Session) -> [String] {
        session.topic(ChainState.self).wallets.map { EIP55.checksum(Address.publicKeyHash($0.publicKey)) ?? "" }
    }
}
