import Foundation
import Testing
import WorkbenchCLI
@testable import Topics
@testable import WorkbenchKit

/// The chain through geth's JSON-RPC API (`rpc`, `rpc raw`, `ChainRPC.handle`) and its JavaScript
/// console (`geth`, `geth attach`).
struct ChainRPCCommandTests {
    static let a = ChainLedgerCommandTests.a
    static let account0 = "0x58133b48F56A2f5E68B584BF614e3449fFC63F49"
    static let account1 = "0x60c1cBF0aCF0F8F0c1901445fB6D3A43fAB35Bc0"

    func run(_ lines: String, _ session: Session, sourceLocation: SourceLocation = #_sourceLocation) {
        let result = Fixture.run(lines, in: session)
        #expect(result.succeeded, "\(result.failures.map(\.text))", sourceLocation: sourceLocation)
    }

    func result(_ line: String, _ session: Session) -> Value? { session.execute(line).value["result"] }

    func walletCount(_ session: Session) -> Int {
        if case let .array(list) = session.execute("chain listaddresses").value { return list.count }
        return -1
    }

    /// Two wallets and a genesis paying the first (10 coins = 10 ether).
    func chain(_ session: Session) {
        run("chain createwallet\nchain createwallet\nchain createblockchain --address \(Self.a) --difficulty 8", session)
    }

    static func json(_ bytes: [UInt8]?) -> Any? {
        guard let bytes else { return nil }
        return try? JSONSerialization.jsonObject(with: Data(bytes), options: [.fragmentsAllowed])
    }

    // Goal: eth_blockNumber is the tip's height as a QUANTITY (execution-apis; "0x0" with only a
    // genesis, and geth's answer before any block too); eth_getBalance is in wei, 10 coins =
    // 10 ether = 0x8ac7230489e80000; chain id 1337 is 0x539 in eth_chainId and "1337" in
    // net_version (decimal string, as geth).
    @Test func basicMethods() {
        let session = Fixture.memorySession()
        #expect(result("rpc eth_blockNumber", session) == .string("0x0"))
        #expect(session.topic(ChainState.self).ledger == nil, "asking does not create a chain")
        chain(session)
        #expect(result("rpc eth_blockNumber", session) == .string("0x0"))
        #expect(result("rpc eth_getBalance \(Self.account0) latest", session) == .string("0x8ac7230489e80000"))
        #expect(result("rpc eth_getBalance \(Self.account1) latest", session) == .string("0x0"))
        run("chain send --from \(Self.a) --to \(ChainLedgerCommandTests.b) --amount 6 --mine", session)
        #expect(result("rpc eth_blockNumber", session) == .string("0x1"))
        #expect(result("rpc eth_chainId", session) == .string("0x539"))
        #expect(result("rpc net_version", session) == .string("1337"))
        #expect(result("rpc eth_accounts", session) == .array([.string(Self.account0), .string(Self.account1)]))
        let shown = session.execute("rpc eth_blockNumber").text
        #expect(shown == "--> {\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"eth_blockNumber\",\"params\":[]}\n<-- {\"jsonrpc\":\"2.0\",\"id\":1,\"result\":\"0x1\"}", "\(shown)")
    }

    // Goal: the JSON-RPC 2.0 specification's edge cases, with geth's texts: §6 an empty batch gets
    // one error object (not an array); §4.1 a notification gets no response but still runs; §5.1
    // invalid JSON is -32700 with id null; -32601 "the method foo does not exist/is not available"
    // (geth); a QUANTITY with a leading zero is -32602 (geth's hexutil "hex number with leading
    // zero digits"); a batch answers only the requests with ids.
    @Test func rawSpecCases() {
        let session = Fixture.memorySession()
        chain(session)
        let empty = session.execute("rpc raw '[]'").value
        #expect(empty["error"]?["code"] == .int(-32600), "\(empty.compactJSON)")
        #expect(empty["id"] == .null)

        let wallets = walletCount(session)
        let note = session.execute(#"rpc raw '{"jsonrpc":"2.0","method":"personal_newAccount","params":["pw"]}'"#)
        #expect(note.succeeded)
        #expect(note.value == .null)
        #expect(note.text.contains("no response"), "\(note.text)")
        #expect(walletCount(session) == wallets + 1, "the notification ran")

        let parse = session.execute(#"rpc raw '{"jsonrpc":"2.0","method":"foobar, "params": "bar", "baz]'"#).value
        #expect(parse["error"]?["code"] == .int(-32700), "\(parse.compactJSON)")
        #expect(parse["error"]?["message"] == .string("parse error"))
        #expect(parse["id"] == .null)

        let unknown = session.execute(#"rpc raw '{"jsonrpc":"2.0","method":"foo","id":3}'"#).value
        #expect(unknown["error"]?["code"] == .int(-32601))
        #expect(unknown["error"]?["message"] == .string("the method foo does not exist/is not available"))
        #expect(unknown["id"] == .int(3))

        let leadingZero = session.execute("rpc eth_getBlockByNumber 0x00 false").value
        #expect(leadingZero["error"]?["code"] == .int(-32602), "\(leadingZero.compactJSON)")
        if case let .string(message)? = leadingZero["error"]?["message"] {
            #expect(message.contains("hex number with leading zero digits"), "\(message)")
        } else {
            Issue.record("no message: \(leadingZero.compactJSON)")
        }

        let batch = session.execute(#"rpc raw '[{"jsonrpc":"2.0","method":"net_version","id":1},{"jsonrpc":"2.0","method":"eth_chainId","id":"two"},{"jsonrpc":"2.0","method":"eth_blockNumber"}]'"#).value
        guard case let .array(replies) = batch else {
            Issue.record("batch reply: \(batch.compactJSON)")
            return
        }
        #expect(replies.count == 2)
        #expect(replies.map { $0["id"] } == [.int(1), .string("two")])
        #expect(replies.map { $0["result"] } == [.string("1337"), .string("0x539")])

        let invalid = session.execute("rpc raw '[1,2]'").value
        guard case let .array(errors) = invalid else {
            Issue.record("[1,2] reply: \(invalid.compactJSON)")
            return
        }
        #expect(errors.count == 2)
        #expect(errors.allSatisfy { $0["error"]?["code"] == .int(-32600) && $0["id"] == .null })
    }

    // Goal: `rpc` can be asked from `expect`, and expect only reads: a personal_newAccount inside
    // it adds no wallet and leaves the state byte-identical.
    @Test func expectRPCIsReadOnly() {
        let session = Fixture.memorySession()
        chain(session)
        let before = session.state.canonicalJSON()
        #expect(session.execute("expect rpc eth_blockNumber .result == \"0x0\"").succeeded)
        #expect(session.execute("expect rpc personal_newAccount .result != \"\"").succeeded)
        #expect(session.execute("expect geth eth.blockNumber .text == \"0\"").succeeded)
        #expect(session.state.canonicalJSON() == before)
        #expect(walletCount(session) == 2)
        #expect(!session.execute("expect rpc eth_blockNumber .result == \"0x1\"").succeeded)
    }

    /// A session on a scratch folder whose chain (genesis only) is written to `x.db`, and a
    /// function that opens that file in a fresh session and returns the height it holds.
    func fileBacked() -> (Session, () -> Int64?) {
        let host = ChainLedgerCommandTests.sharedHost()
        let session = Workbench.session(host: host)
        run("chain createwallet\nchain createwallet\nchain createblockchain --address \(Self.a) --difficulty 8 --db x.db", session)
        return (session, {
            let reader = Workbench.session(host: host)
            if case let .int(h)? = reader.execute("chain open x.db").value["height"] { return h }
            return nil
        })
    }

    // Goal: rpc and geth write their changes to the chain's database file like the chain commands
    // do (a mined block is in the file).
    @Test func rpcWritesTheDatabase() {
        let (session, fileHeight) = fileBacked()
        #expect(fileHeight() == 0)
        #expect(result("rpc miner_start", session) == .null)
        #expect(fileHeight() == 1)
        run("geth miner.start()", session)
        #expect(fileHeight() == 2)
    }

    // Goal: expect only reads (Session.query restores the state), so an `expect rpc` that mines must
    // not leave its block in the database file either; otherwise the file and the session disagree
    // and the next `chain open` continues a chain the learner never made.
    // (Once a bug: the file was written inside the command, before query()'s rollback.)
    @Test
    func expectRPCDoesNotWriteTheDatabase() {
        let (session, fileHeight) = fileBacked()
        #expect(session.execute("expect rpc miner_start .result == null").succeeded)
        #expect(session.execute("expect chain printchain | length == 1").succeeded, "the session rolled back")
        #expect(fileHeight() == 0, "the file holds a block the session does not")
    }

    // Goal: a failed command leaves everything as it was (Session.run), the chain's file included:
    // `geth miner.start().x.y` mines, then fails with a TypeError; the session is rolled back to the
    // genesis, so the file must not keep the block.
    // (Once a bug: the file was written before the console's error made the command fail.)
    @Test
    func failedGethDoesNotWriteTheDatabase() {
        let (session, fileHeight) = fileBacked()
        let before = session.state.canonicalJSON()
        let failed = session.execute("geth miner.start().x.y")
        #expect(failed.error != nil)
        #expect(failed.text.contains("TypeError"), "\(failed.text)")
        #expect(session.state.canonicalJSON() == before)
        #expect(fileHeight() == 0, "the file holds a block the session does not")
    }

    // Goal: the Geth console's expressions (geth attach's web3.js): eth.blockNumber, the balance in
    // ether via web3.fromWei, the JSON-RPC calls they cause (--trace: eth_accounts, then
    // eth_getBalance), and `var` keeping a value between lines; eth.accounts are EIP-55 addresses.
    @Test func gethExpressions() {
        let session = Fixture.memorySession()
        chain(session)
        #expect(session.execute("geth eth.blockNumber").text == "0")
        let balance = session.execute(#"geth web3.fromWei(eth.getBalance(eth.accounts[0]), "ether")"#)
        #expect(balance.succeeded, "\(balance.text)")
        #expect(balance.value["text"] == .string("10"), "\(balance.text)")
        let traced = session.execute(#"geth web3.fromWei(eth.getBalance(eth.accounts[0]), "ether") --trace"#)
        guard case let .array(calls)? = traced.value["calls"] else {
            Issue.record("no calls: \(traced.value.compactJSON)")
            return
        }
        #expect(calls.map { $0["method"] } == [.string("eth_accounts"), .string("eth_getBalance")], "\(traced.value.compactJSON)")
        #expect(traced.text.contains("--> {\"jsonrpc\":\"2.0\",\"method\":\"eth_accounts\""), "\(traced.text)")
        #expect(traced.text.hasSuffix("10"))

        run("geth var a = eth.accounts[0]", session)
        let shown = session.execute("geth a")
        #expect(shown.text.contains(Self.account0), "\(shown.text)")
    }

    // Goal: `geth attach` enters the console (prompt "> ", as geth's): plain lines are console
    // expressions until `exit`.
    @Test func attachMode() {
        let session = Fixture.memorySession()
        chain(session)
        let banner = session.execute("geth attach")
        #expect(banner.text.hasPrefix("Welcome to the Geth JavaScript console!"))
        #expect(session.prompt == "> ")
        #expect(session.execute("eth.blockNumber").text == "0")
        let accounts = session.execute("eth.accounts")
        #expect(accounts.text.contains(Self.account0) && accounts.text.contains(Self.account1), "\(accounts.text)")
        #expect(session.execute("exit").succeeded)
        #expect(session.lineMode == nil)
        #expect(session.prompt == "workbench> ")
        #expect(session.execute("chain listaddresses").succeeded, "workbench commands again")
    }

    // Goal: a syntax error is reported as geth's console does (SyntaxError: … Unexpected …) and
    // changes nothing.
    @Test func syntaxError() {
        let session = Fixture.memorySession()
        chain(session)
        let before = session.state.canonicalJSON()
        let result = session.execute("geth eth.getBalance(eth.accounts[0]")
        #expect(result.error != nil)
        #expect(result.text.contains("SyntaxError"), "\(result.text)")
        #expect(session.state.canonicalJSON() == before)
    }

    // Goal: legacy personal.newAccount() adds a key to the keystore, i.e. a wallet of the session.
    @Test func newAccount() {
        let session = Fixture.memorySession()
        chain(session)
        let created = session.execute("geth personal.newAccount()")
        #expect(created.succeeded, "\(created.text)")
        #expect(walletCount(session) == 3)
        #expect(created.text.contains("0x"), "\(created.text)")
    }

    // Goal: legacy miner.start() on a node without a chain mines the genesis, paid to the first
    // account (the etherbase); with no account it fails with a reason and changes nothing.
    @Test func minerStartMinesGenesis() {
        let bare = Fixture.memorySession()
        let before = bare.state.canonicalJSON()
        let refused = bare.execute("geth miner.start()")
        #expect(refused.error != nil, "\(refused.text)")
        #expect(bare.state.canonicalJSON() == before)

        let session = Fixture.memorySession()
        run("chain createwallet", session)
        let started = session.execute("geth miner.start()")
        #expect(started.succeeded, "\(started.text)")
        #expect(session.topic(ChainState.self).ledger != nil)
        #expect(result("rpc eth_blockNumber", session) == .string("0x0"))
        #expect(result("rpc eth_getBalance \(Self.account0) latest", session) == .string("0x8ac7230489e80000"))
        #expect(session.execute("expect chain printchain | length == 1").succeeded)
    }

    // Goal: eth.sendTransaction with the miner off leaves the transaction pending
    // (txpool.status pending 1); miner.start() mines it and its receipt has status "0x1".
    @Test func sendTransactionThenMine() {
        let session = Fixture.memorySession()
        chain(session)
        run(#"geth var h = eth.sendTransaction({from: eth.accounts[0], to: eth.accounts[1], value: web3.toWei(3, "ether")})"#, session)
        #expect(result("rpc txpool_status", session)?["pending"] == .string("0x1"))
        guard case let .string(hashText)? = session.execute("geth h").value["text"] else {
            Issue.record("no hash")
            return
        }
        let hash = hashText.trimmingCharacters(in: CharacterSet(charactersIn: "\""))
        #expect(hash.hasPrefix("0x") && hash.count == 66, "\(hash)")
        #expect(result("rpc eth_getTransactionReceipt \(hash)", session) == .null, "no receipt while pending")
        run("geth miner.start()\ngeth miner.stop()", session)
        #expect(result("rpc txpool_status", session)?["pending"] == .string("0x0"))
        #expect(result("rpc eth_getTransactionReceipt \(hash)", session)?["status"] == .string("0x1"))
        #expect(result("rpc eth_getBalance \(Self.account1) latest", session) == .string("0x29a2241af62c0000"))   // 3 ether
    }

    // Goal: the endpoint behind `workbench serve rpc` survives hostile bodies: garbage is -32700
    // (spec §5.1), 10,000 nested arrays are an error and no stack overflow, and 1,001 requests in
    // one batch are refused with geth's "batch too large" (its default limit is 1,000).
    @Test func handleHostileBodies() {
        let session = Fixture.memorySession()
        chain(session)
        let before = session.state.canonicalJSON()

        let garbage = Self.json(ChainRPC.handle([0xFF, 0x00, 0x7B, 0x22, 0x80], session: session)) as? [String: Any]
        #expect((garbage?["error"] as? [String: Any])?["code"] as? Int == -32700, "\(String(describing: garbage))")

        let deep = Array(String(repeating: "[", count: 10_000).utf8) + Array(String(repeating: "]", count: 10_000).utf8)
        let deepReply = ChainRPC.handle(deep, session: session)
        #expect(deepReply != nil)
        let deepJSON = Self.json(deepReply) as? [String: Any]
        #expect(deepJSON?["error"] != nil, "\(deepReply.map { String(decoding: $0, as: UTF8.self) } ?? "nil")")

        let one = #"{"jsonrpc":"2.0","method":"eth_blockNumber","params":[],"id":1}"#
        let batch = Array(("[" + Array(repeating: one, count: 1001).joined(separator: ",") + "]").utf8)
        let reply = ChainRPC.handle(batch, session: session).map { String(decoding: $0, as: UTF8.self) } ?? ""
        #expect(reply.contains("batch too large"), "\(reply.prefix(200))")
        #expect(reply.count < 1000, "one error, not 1,001 answers")

        let ok = Array(("[" + Array(repeating: one, count: 1000).joined(separator: ",") + "]").utf8)
        #expect((Self.json(ChainRPC.handle(ok, session: session)) as? [Any])?.count == 1000)
        #expect(session.state.canonicalJSON() == before)
    }
}
