import JSONRPC
import Testing
@testable import GethConsole

/// A scripted node: answers by method name and records every request.
final class FakeNode {
    var answers: [String: Result<JSONValue, RPCFailure>] = [:]
    var received: [RPCCall] = []

    func console() -> GethConsole {
        GethConsole { [self] call in
            received.append(call)
            return answers[call.method] ?? .failure(RPCFailure(code: -32601, message: "the method \(call.method) does not exist/is not available"))
        }
    }
}

let addr0 = "0x9b1d35635cc34752ca54713bb99d38614f63c955"
let addr1 = "0x3d80b31a78c30fc628f20b2c89d7ddbf6e53cedc"
let hash64 = "0x" + String(repeating: "ab", count: 32)

func node() -> FakeNode {
    let n = FakeNode()
    n.answers = [
        "eth_blockNumber": .success(.string("0x36")),
        "eth_accounts": .success(.array([.string(addr0), .string(addr1)])),
        "eth_coinbase": .success(.string(addr0)),
        "eth_chainId": .success(.string("0x539")),
        "eth_mining": .success(.bool(true)),
        "eth_hashrate": .success(.string("0x10")),
        "eth_syncing": .success(.bool(false)),
        "eth_gasPrice": .success(.string("0x3b9aca00")),
        "eth_getBalance": .success(.string("0x1639e49bba16280000")),
        "eth_getTransactionCount": .success(.string("0x7")),
        "eth_sendTransaction": .success(.string(hash64)),
        "net_version": .success(.string("1337")),
        "net_peerCount": .success(.string("0x2")),
        "net_listening": .success(.bool(true)),
        "web3_clientVersion": .success(.string("Geth/v1.10.18-stable/linux-amd64/go1.18.1")),
        "txpool_status": .success(.object([("pending", .string("0xa")), ("queued", .string("0x7"))])),
        "admin_datadir": .success(.string("/home/learner/data")),
        "personal_newAccount": .success(.string(addr1)),
        "personal_listAccounts": .success(.array([.string(addr0)])),
        "miner_start": .success(.null),
        "miner_stop": .success(.null),
        "miner_setEtherbase": .success(.bool(true)),
    ]
    return n
}

func run(_ c: inout GethConsole, _ line: String) -> String {
    switch c.evaluate(line) {
    case let .success(r): return r.text
    case let .failure(e): return e.message
    }
}

func calls(_ r: Result<ConsoleResult, ConsoleError>) -> [RPCCall] {
    switch r {
    case let .success(v): return v.calls.map(\.call)
    case let .failure(e): return e.calls.map(\.call)
    }
}

@Suite struct Bindings {
    @Test(arguments: [
        ("eth.blockNumber", "eth_blockNumber", "54"),
        ("eth.coinbase", "eth_coinbase", "\"\(addr0)\""),
        ("eth.chainId()", "eth_chainId", "\"0x539\""),
        ("eth.mining", "eth_mining", "true"),
        ("eth.hashrate", "eth_hashrate", "16"),
        ("eth.syncing", "eth_syncing", "false"),
        ("eth.gasPrice", "eth_gasPrice", "1000000000"),
        ("net.version", "net_version", "\"1337\""),
        ("net.peerCount", "net_peerCount", "2"),
        ("net.listening", "net_listening", "true"),
        ("web3.version.node", "web3_clientVersion", "\"Geth/v1.10.18-stable/linux-amd64/go1.18.1\""),
        ("admin.datadir", "admin_datadir", "\"/home/learner/data\""),
        ("personal.listAccounts", "personal_listAccounts", "[\"\(addr0)\"]"),
        ("miner.start()", "miner_start", "null"),
        ("miner.start(1)", "miner_start", "null"),
        ("miner.stop()", "miner_stop", "null"),
        ("web3.eth.blockNumber", "eth_blockNumber", "54"),
    ])
    func noParamBindings(line: String, method: String, printed: String) {
        var c = node().console()
        let r = c.evaluate(line)
        #expect(calls(r) == [RPCCall(method: method, params: [])])
        #expect((try? r.get().text) == printed)
    }

    @Test func accountsAndIndexing() {
        var c = node().console()
        #expect(run(&c, "eth.accounts") == "[\"\(addr0)\", \"\(addr1)\"]")
        #expect(run(&c, "eth.accounts[1]") == "\"\(addr1)\"")
        #expect(run(&c, "eth.accounts[5]") == "undefined")
        #expect(run(&c, "eth.accounts.length") == "2")
    }

    @Test func getBalance() throws {
        var c = node().console()
        let r = c.evaluate("eth.getBalance(\"\(addr0)\")")
        #expect(calls(r) == [RPCCall(method: "eth_getBalance", params: [.string(addr0), .string("latest")])])
        #expect(try r.get().text == "410000000000000000000")
        #expect(calls(c.evaluate("eth.getBalance(eth.accounts[0], 5)")) == [
            RPCCall(method: "eth_accounts", params: []),
            RPCCall(method: "eth_getBalance", params: [.string(addr0), .string("0x5")]),
        ])
        #expect(calls(c.evaluate("eth.getBalance('\(addr0)', 'pending')")).last?.params[1] == .string("pending"))
        // 40 hex digits without 0x get the prefix, like web3's inputAddressFormatter.
        #expect(calls(c.evaluate("eth.getBalance('\(addr0.dropFirst(2))')")).last?.params[0] == .string(addr0))
        let bad = c.evaluate("eth.getBalance(\"0x12\")")
        guard case let .failure(e) = bad else { Issue.record("expected failure"); return }
        #expect(e.message == "Error: invalid address")
        #expect(e.calls.isEmpty)
    }

    @Test func hugeBalancesPrintLikeBigNumber() {
        let n = node()
        var c = n.console()
        n.answers["eth_getBalance"] = .success(.string("0x" + String(repeating: "f", count: 64)))
        #expect(run(&c, "eth.getBalance(eth.coinbase)") == "1.15792089237316195423570985008687907853269984665640564039457584007913129639935e+77")
        n.answers["eth_getBalance"] = .success(.string("0x3635c9adc5dea00000"))   // 1000 ether
        #expect(run(&c, "eth.getBalance(eth.coinbase)") == "1e+21")
        n.answers["eth_getBalance"] = .success(.string("0x0"))
        #expect(run(&c, "eth.getBalance(eth.coinbase)") == "0")
    }

    @Test func getTransactionCount() {
        var c = node().console()
        let r = c.evaluate("eth.getTransactionCount('\(addr0)')")
        #expect(calls(r) == [RPCCall(method: "eth_getTransactionCount", params: [.string(addr0), .string("latest")])])
        #expect((try? r.get().text) == "7")
    }

    static let genesis: JSONValue = .object([
        ("baseFeePerGas", .string("0x3b9aca00")), ("difficulty", .string("0x20000")),
        ("extraData", .string("0x68697665636861696e")), ("gasLimit", .string("0x23f3e20")),
        ("gasUsed", .string("0x0")), ("hash", .string(hash64)), ("miner", .string(addr0)),
        ("nonce", .string("0x0000000000000000")), ("number", .string("0x0")), ("size", .string("0x205")),
        ("timestamp", .string("0x0")), ("transactions", .array([])), ("uncles", .array([])),
    ])

    @Test func getBlockRouting() {
        let n = node()
        n.answers["eth_getBlockByNumber"] = .success(.null)
        n.answers["eth_getBlockByHash"] = .success(.null)
        var c = n.console()
        #expect(calls(c.evaluate("eth.getBlock(0)")) == [RPCCall(method: "eth_getBlockByNumber", params: [.string("0x0"), .bool(false)])])
        #expect(calls(c.evaluate("eth.getBlock(1000)")) == [RPCCall(method: "eth_getBlockByNumber", params: [.string("0x3e8"), .bool(false)])])
        #expect(calls(c.evaluate("eth.getBlock('latest', true)")) == [RPCCall(method: "eth_getBlockByNumber", params: [.string("latest"), .bool(true)])])
        #expect(calls(c.evaluate("eth.getBlock(\"earliest\")")) == [RPCCall(method: "eth_getBlockByNumber", params: [.string("earliest"), .bool(false)])])
        #expect(calls(c.evaluate("eth.getBlock('pending')")) == [RPCCall(method: "eth_getBlockByNumber", params: [.string("pending"), .bool(false)])])
        #expect(calls(c.evaluate("eth.getBlock(\"\(hash64)\")")) == [RPCCall(method: "eth_getBlockByHash", params: [.string(hash64), .bool(false)])])
        #expect(calls(c.evaluate("eth.getBlock(eth.blockNumber)")).last == RPCCall(method: "eth_getBlockByNumber", params: [.string("0x36"), .bool(false)]))
        #expect(run(&c, "eth.getBlock(99999)") == "null")
    }

    @Test func blockFormatting() {
        let n = node()
        n.answers["eth_getBlockByNumber"] = .success(Self.genesis)
        var c = n.console()
        let expected = """
        {
          baseFeePerGas: 1000000000,
          difficulty: 131072,
          extraData: "0x68697665636861696e",
          gasLimit: 37699104,
          gasUsed: 0,
          hash: "\(hash64)",
          miner: "\(addr0)",
          nonce: "0x0000000000000000",
          number: 0,
          size: 517,
          timestamp: 0,
          totalDifficulty: 0,
          transactions: [],
          uncles: []
        }
        """
        #expect(run(&c, "eth.getBlock(0)") == expected)
        #expect(run(&c, "eth.getBlock(0).size") == "517")
    }

    static let tx: JSONValue = .object([
        ("blockHash", .string(hash64)), ("blockNumber", .string("0x1")), ("from", .string(addr0)),
        ("gas", .string("0x5208")), ("gasPrice", .string("0x3b9aca00")), ("hash", .string(hash64)),
        ("input", .string("0x")), ("nonce", .string("0x0")), ("to", .string(addr1)),
        ("transactionIndex", .string("0x0")), ("value", .string("0xde0b6b3a7640000")), ("type", .string("0x0")),
    ])

    @Test func transactionsAndReceipts() {
        let n = node()
        n.answers["eth_getTransactionByHash"] = .success(Self.tx)
        n.answers["eth_getTransactionReceipt"] = .success(.object([
            ("blockNumber", .string("0x1")), ("cumulativeGasUsed", .string("0x5208")), ("gasUsed", .string("0x5208")),
            ("logs", .array([])), ("status", .string("0x1")), ("transactionIndex", .string("0x0")),
        ]))
        var c = n.console()
        let r = c.evaluate("eth.getTransaction(\"\(hash64)\")")
        #expect(calls(r) == [RPCCall(method: "eth_getTransactionByHash", params: [.string(hash64)])])
        let text = (try? r.get().text) ?? ""
        #expect(text.contains("\n  blockNumber: 1,\n"))
        #expect(text.contains("\n  gas: 21000,\n"))
        #expect(text.contains("\n  value: 1000000000000000000\n"))
        #expect(text.hasPrefix("{\n  blockHash: "))
        let rr = c.evaluate("eth.getTransactionReceipt('\(hash64)')")
        #expect(calls(rr) == [RPCCall(method: "eth_getTransactionReceipt", params: [.string(hash64)])])
        #expect((try? rr.get().text) == "{\n  blockNumber: 1,\n  cumulativeGasUsed: 21000,\n  gasUsed: 21000,\n  logs: [],\n  status: \"0x1\",\n  transactionIndex: 0\n}")
        #expect(run(&c, "eth.getTransaction()") == "Error: Invalid number of parameters for RPC method")
    }

    @Test func fullBlockFormatsItsTransactions() {
        let n = node()
        n.answers["eth_getBlockByNumber"] = .success(.object([("number", .string("0x1")), ("transactions", .array([Self.tx]))]))
        var c = n.console()
        #expect(run(&c, "eth.getBlock(1, true).transactions[0].gas") == "21000")
        #expect(run(&c, "eth.getBlock(1, true).transactions[0].value") == "1000000000000000000")
    }

    @Test func sendTransaction() {
        let n = node()
        var c = n.console()
        let r = c.evaluate("eth.sendTransaction({from: eth.accounts[0], to: \"\(addr1)\", value: web3.toWei(1, \"ether\")})")
        #expect(calls(r) == [
            RPCCall(method: "eth_accounts", params: []),
            RPCCall(method: "eth_sendTransaction", params: [.object([
                ("from", .string(addr0)), ("to", .string(addr1)), ("value", .string("0xde0b6b3a7640000")),
            ])]),
        ])
        #expect((try? r.get().text) == "\"\(hash64)\"")
        let r2 = c.evaluate("eth.sendTransaction({'to': '\(addr1)', \"from\": '\(addr0)', value: 1000, gas: 21000})")
        #expect(calls(r2) == [RPCCall(method: "eth_sendTransaction", params: [.object([
            ("to", .string(addr1)), ("from", .string(addr0)), ("value", .string("0x3e8")), ("gas", .string("0x5208")),
        ])])])
        #expect(run(&c, "eth.sendTransaction({to: '\(addr1)'})") == "Error: invalid address")
        #expect(run(&c, "eth.sendTransaction()") == "TypeError: Cannot read property 'from' of undefined")
    }

    @Test func txpoolStatus() {
        var c = node().console()
        #expect(run(&c, "txpool.status") == "{\n  pending: 10,\n  queued: 7\n}")
        #expect(run(&c, "txpool.status.pending") == "10")
    }

    @Test func adminPeersAndNodeInfo() {
        let n = node()
        n.answers["admin_peers"] = .success(.array([.object([
            ("id", .string("ab12")), ("name", .string("Geth/v1.13.0")), ("caps", .array([.string("eth/68")])),
            ("network", .object([("localAddress", .string("127.0.0.1:30303")), ("remoteAddress", .string("10.0.0.2:30303"))])),
        ])]))
        n.answers["admin_nodeInfo"] = .success(.object([("name", .string("Geth/workbench")), ("enode", .string("enode://ab@127.0.0.1:30303"))]))
        var c = n.console()
        #expect(run(&c, "admin.peers") == """
        [{
            caps: ["eth/68"],
            id: "ab12",
            name: "Geth/v1.13.0",
            network: {
              localAddress: "127.0.0.1:30303",
              remoteAddress: "10.0.0.2:30303"
            }
        }]
        """)
        #expect(run(&c, "admin.peers[0].name") == "\"Geth/v1.13.0\"")
        #expect(run(&c, "admin.nodeInfo") == "{\n  enode: \"enode://ab@127.0.0.1:30303\",\n  name: \"Geth/workbench\"\n}")
    }

    @Test func legacyPersonalAndMiner() {
        var c = node().console()
        let r = c.evaluate("personal.newAccount(\"h4ck3r\")")
        #expect(calls(r) == [RPCCall(method: "personal_newAccount", params: [.string("h4ck3r")])])
        #expect((try? r.get().text) == "\"\(addr1)\"")
        #expect(calls(c.evaluate("personal.newAccount()")) == [RPCCall(method: "personal_newAccount", params: [.string("")])])
        #expect(run(&c, "personal.newAccount(1, 2)") == "Error: expected 0 or 1 string argument")
        let m = c.evaluate("miner.setEtherbase(eth.accounts[0])")
        #expect(calls(m).last == RPCCall(method: "miner_setEtherbase", params: [.string(addr0)]))
        #expect((try? m.get().text) == "true")
    }

    @Test func methodNotFoundOnLegacyAPIs() {
        let n = node()
        n.answers["personal_newAccount"] = .failure(RPCFailure(code: -32601, message: "Method not found"))
        n.answers["miner_start"] = nil
        var c = n.console()
        guard case let .failure(e) = c.evaluate("personal.newAccount('pw')") else { Issue.record("expected failure"); return }
        #expect(e.message == "Error: the method personal_newAccount does not exist/is not available")
        #expect(e.rpcCode == -32601)
        #expect(e.note?.contains("#30704") == true)
        #expect(e.calls.count == 1)
        guard case let .failure(m) = c.evaluate("miner.start()") else { Issue.record("expected failure"); return }
        #expect(m.message == "Error: the method miner_start does not exist/is not available")
        #expect(m.note?.contains("#30041") == true)
    }

    @Test func rpcErrorsPrintLikeGeth() {
        let n = node()
        n.answers["eth_sendTransaction"] = .failure(RPCFailure(code: -32000, message: "insufficient funds for transfer"))
        var c = n.console()
        guard case let .failure(e) = c.evaluate("eth.sendTransaction({from: '\(addr0)', to: '\(addr1)', value: 1})") else {
            Issue.record("expected failure"); return
        }
        #expect(e.message == "Error: insufficient funds for transfer")
        #expect(e.rpcCode == -32000)
        #expect(e.note == nil)
        #expect(e.calls.count == 1)
        #expect(e.calls.first?.response == .failure(RPCFailure(code: -32000, message: "insufficient funds for transfer")))
    }

    @Test func syncingObject() {
        let n = node()
        n.answers["eth_syncing"] = .success(.object([("startingBlock", .string("0x0")), ("currentBlock", .string("0x10")), ("highestBlock", .string("0x20"))]))
        var c = n.console()
        #expect(run(&c, "eth.syncing") == "{\n  currentBlock: 16,\n  highestBlock: 32,\n  startingBlock: 0\n}")
    }

    @Test func printingANamespaceReadsItsProperties() {
        var c = node().console()
        let r = c.evaluate("net")
        #expect(calls(r).map(\.method) == ["net_listening", "net_peerCount", "net_version"])
        #expect((try? r.get().text) == "{\n  listening: true,\n  peerCount: 2,\n  version: \"1337\"\n}")
        #expect(run(&c, "eth.getBalance") == "function()")
        #expect(run(&c, "web3.version.api") == "\"0.20.1\"")
        #expect(run(&c, "web3.clientVersion") == "undefined")
    }

    @Test func completions() {
        let all = GethConsole.completions
        #expect(all.contains("eth.blockNumber"))
        #expect(all.contains("eth.getBalance("))
        #expect(all.contains("web3.fromWei("))
        #expect(all.contains("web3.version.node"))
        #expect(all.contains("txpool.status"))
        #expect(all == all.sorted())
    }
}

@Suite struct Units {
    @Test(arguments: [
        ("web3.toWei(1, \"ether\")", "\"1000000000000000000\""),
        ("web3.toWei(0.5, 'ether')", "\"500000000000000000\""),
        ("web3.toWei('0.5', 'ether')", "\"500000000000000000\""),
        ("web3.toWei(1)", "\"1000000000000000000\""),
        ("web3.toWei(1, 'gwei')", "\"1000000000\""),
        ("web3.toWei(1, 'Gwei')", "\"1000000000\""),
        ("web3.toWei(1, 'wei')", "\"1\""),
        ("web3.toWei('1000', 'tether')", "\"1000000000000000000000000000000000\""),
        ("web3.toWei('0x10', 'wei')", "\"16\""),
        ("web3.fromWei(\"1000000000000000000\", \"ether\")", "\"1\""),
        ("web3.fromWei('500000000000000000', 'ether')", "\"0.5\""),
        ("web3.fromWei(\"123456789012345678901234567890\", \"ether\")", "\"123456789012.34567890123456789\""),
        ("web3.fromWei(\"123456789012345678901234567890\", \"gwei\")", "\"123456789012345678901.23456789\""),
        ("web3.fromWei('1', 'ether')", "\"0.000000000000000001\""),
        ("web3.fromWei(1000000000, 'gwei')", "\"1\""),
        ("web3.fromWei(0, 'ether')", "\"0\""),
        // A number literal is a JavaScript double, exactly as in geth's console.
        ("web3.fromWei(123456789012345678901234567890, \"ether\")", "\"123456789012.34568\""),
    ])
    func conversions(line: String, printed: String) {
        var c = node().console()
        let r = c.evaluate(line)
        #expect((try? r.get().text) == printed)
        #expect(calls(r).isEmpty)
    }

    @Test func bigNumberInputStaysBigNumber() {
        let n = node()
        var c = n.console()
        #expect(run(&c, "web3.fromWei(eth.getBalance(eth.coinbase), 'ether')") == "410")
        n.answers["eth_getBalance"] = .success(.string("0x1"))
        #expect(run(&c, "web3.fromWei(eth.getBalance(eth.coinbase), 'ether')") == "1e-18")
        n.answers["eth_getBalance"] = .success(.string("0x6f05b59d3b20000"))   // 0.5 ether
        #expect(run(&c, "web3.fromWei(eth.getBalance(eth.coinbase), 'ether')") == "0.5")
    }

    @Test func unitErrors() {
        var c = node().console()
        #expect(run(&c, "web3.toWei(1, 'bitcoin')").hasPrefix("Error: This unit doesn't exists, please use the one of the following units"))
        #expect(run(&c, "web3.toWei('abc', 'ether')") == "BigNumber Error: new BigNumber() not a number: abc")
    }
}

@Suite struct Language {
    @Test func variablesPersist() {
        var c = node().console()
        #expect(run(&c, "var x = 5") == "undefined")
        #expect(run(&c, "x") == "5")
        #expect(run(&c, "y = eth.accounts") == "[\"\(addr0)\", \"\(addr1)\"]")
        #expect(run(&c, "y[1]") == "\"\(addr1)\"")
        let r = c.evaluate("y[0]")
        #expect(calls(r).isEmpty)   // the variable holds the value; no new RPC
        #expect(run(&c, "var tx = {from: y[0], to: y[1], value: web3.toWei(0.5, 'ether')}") == "undefined")
        #expect(run(&c, "tx") == "{\n  from: \"\(addr0)\",\n  to: \"\(addr1)\",\n  value: \"500000000000000000\"\n}")
        #expect(run(&c, "var z") == "undefined")
        #expect(run(&c, "z") == "undefined")
        #expect(run(&c, "a = 1; b = 2") == "2")
        #expect(run(&c, "a") == "1")
        #expect(run(&c, "let q = 'hi';") == "undefined")
        #expect(run(&c, "q") == "\"hi\"")
    }

    @Test func literals() {
        var c = node().console()
        #expect(run(&c, "0.5") == "0.5")
        #expect(run(&c, "-3") == "-3")
        #expect(run(&c, "1e21") == "1e+21")
        #expect(run(&c, "100") == "100")
        #expect(run(&c, "0x10") == "16")
        #expect(run(&c, "'it\\'s'") == "\"it's\"")
        #expect(run(&c, "\"a\\\"b\\n\"") == "\"a\\\"b\\n\"")
        #expect(run(&c, "[1, 'a', null, undefined, true, [2]]") == "[1, \"a\", null, undefined, true, [2]]")
        #expect(run(&c, "({b: 1, a: {d: [1, 2], c: 'x'}})") == "{\n  a: {\n    c: \"x\",\n    d: [1, 2]\n  },\n  b: 1\n}")
        #expect(run(&c, "{}") == "{}")
        #expect(run(&c, "[]") == "[]")
        #expect(run(&c, "{a: {b: {c: {d: {e: 1}}}}}") == "{\n  a: {\n    b: {\n      c: {\n        d: {...}\n      }\n    }\n  }\n}")
        #expect(run(&c, "") == "")
        #expect(run(&c, "  ;  ") == "")
        #expect(run(&c, "eth.blockNumber // comment") == "54")
    }

    @Test(arguments: [
        ("eth.)", "SyntaxError: (anonymous): Line 1:5 Unexpected token )"),
        ("eth.getBalance(", "SyntaxError: (anonymous): Line 1:16 Unexpected end of input"),
        ("foo", "ReferenceError: foo is not defined"),
        ("foo.bar", "ReferenceError: foo is not defined"),
        ("eth.foo.bar", "TypeError: Cannot read property 'bar' of undefined"),
        ("eth.foo()", "TypeError: Object has no member 'foo'"),
        ("eth.blockNumber()", "TypeError: eth.blockNumber is not a function"),
        ("#", "SyntaxError: (anonymous): Line 1:1 Unexpected token ILLEGAL"),
        ("'abc", "SyntaxError: (anonymous): Line 1:1 Unexpected token ILLEGAL"),
        ("eth.accounts[0", "SyntaxError: (anonymous): Line 1:15 Unexpected end of input"),
        ("eth accounts", "SyntaxError: (anonymous): Line 1:5 Unexpected token accounts"),
        ("5 = 3", "SyntaxError: (anonymous): Line 1:3 Invalid left-hand side in assignment"),
        ("1 + 2", "Error: '+' is not supported by this console: it evaluates a small subset of JavaScript (names, calls, literals, variables) without a JavaScript engine"),
        ("function f() {}", "Error: 'function' is not supported by this console: it evaluates a small subset of JavaScript (names, calls, literals, variables) without a JavaScript engine"),
        ("var 5", "SyntaxError: (anonymous): Line 1:5 Unexpected token 5"),
        ("personal.foo", "undefined"),
    ])
    func errors(line: String, message: String) {
        var c = node().console()
        #expect(run(&c, line) == message)
    }

    @Test func incompleteInputIsFlagged() {
        var c = node().console()
        guard case let .failure(e) = c.evaluate("eth.getBlock(") else { Issue.record("expected failure"); return }
        #expect(e.isIncompleteInput)
        guard case let .failure(f) = c.evaluate("eth.)") else { Issue.record("expected failure"); return }
        #expect(!f.isIncompleteInput)
    }

    @Test func failedLineKeepsEarlierAssignments() {
        var c = node().console()
        #expect(run(&c, "k = 1; nope") == "ReferenceError: nope is not defined")
        #expect(run(&c, "k") == "1")
    }
}

@Suite struct NumberFormatting {
    @Test(arguments: [
        (1.0, "1"), (0.5, "0.5"), (-2.25, "-2.25"), (1e21, "1e+21"), (1e20, "100000000000000000000"),
        (1.2345678901234568e29, "1.2345678901234568e+29"), (1e-7, "1e-7"), (0.000001, "0.000001"),
        (123456789.125, "123456789.125"), (9007199254740993, "9007199254740992"), (0.1, "0.1"),
    ])
    func jsNumbers(value: Double, text: String) {
        #expect(jsNumberString(value) == text)
    }

    @Test func hexToDecimal() {
        #expect(hexToDecimalString("0x0") == "0")
        #expect(hexToDecimalString("0x1639e49bba16280000") == "410000000000000000000")
        #expect(hexToDecimalString("0x" + String(repeating: "f", count: 64)) ==
                "115792089237316195423570985008687907853269984665640564039457584007913129639935")
        #expect(hexToDecimalString("0x") == nil)
        #expect(hexToDecimalString("12") == nil)
        #expect(hexToDecimalString("0xzz") == nil)
    }

    @Test func bigDecimal() {
        #expect(BigDecimal(decimal: "123456789012345678901234567890")?.shifted(by: -18).fixedString == "123456789012.34567890123456789")
        #expect(BigDecimal(decimal: "0.5")?.shifted(by: 18).hexQuantity == "0x6f05b59d3b20000")
        #expect(BigDecimal(decimal: "1e-25")?.rounded(places: 20).fixedString == "0")
        #expect(BigDecimal(decimal: "5e-21")?.rounded(places: 20).jsString == "1e-20")
        #expect(BigDecimal(decimal: "0.999")?.rounded(places: 2).fixedString == "1")
        #expect(BigDecimal(decimal: "1e999999999") == nil)
        #expect(BigDecimal(decimal: "abc") == nil)
        #expect(BigDecimal(decimal: ".") == nil)
        #expect(BigDecimal(hex: "-0x10")?.fixedString == "-16")
    }
}

/// SplitMix64, for a reproducible fuzz run.
struct SeededGenerator: RandomNumberGenerator {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

@Suite struct Fuzz {
    @Test func randomGarbageNeverCrashes() {
        var rng = SeededGenerator(state: 20_240_601)
        let fragments = ["eth", ".", "accounts", "[", "]", "(", ")", "{", "}", ",", ":", "=", ";", "var ", "x", "'",
                         "\"", "0", "0.5", "1e400", "1e-400", "0x", "0xff", "-", "web3", "toWei", "fromWei", "getBlock",
                         "getBalance", "sendTransaction", "'ether'", "\"latest\"", "txpool", "status", "admin", "peers",
                         "personal", "newAccount", "miner", "start", "null", "undefined", "true", "\\", "#", "@", "+",
                         "=>", " ", "\n", "é", "🚀", "'\\u12'", "9999999999999999999999", "length", "net", "version"]
        let responses: [JSONValue] = [.null, .bool(true), .string("0x"), .string("zz"), .string("0x10"), .number("1e999"),
                                      .array([.null]), .object([("pending", .string("bad"))]), .string("-0x5"),
                                      .object([("number", .null), ("transactions", .array([.number("1")]))])]
        var responseRNG = SeededGenerator(state: 7)
        var c = GethConsole { _ in
            let i = Int.random(in: 0...responses.count, using: &responseRNG)
            return i == responses.count ? .failure(RPCFailure(code: -32000, message: "boom\nsecond line")) : .success(responses[i])
        }
        var failures = 0
        for _ in 0..<1000 {
            var line = ""
            for _ in 0..<Int.random(in: 0...14, using: &rng) {
                if Bool.random(using: &rng) {
                    line += fragments.randomElement(using: &rng) ?? ""
                } else {
                    line.unicodeScalars.append(Unicode.Scalar(UInt8.random(in: 32...126, using: &rng)))
                }
            }
            switch c.evaluate(line) {
            case .success: break
            case let .failure(e):
                failures += 1
                #expect(!e.message.isEmpty)
                #expect(!e.message.contains("\n"))
            }
        }
        #expect(failures > 0)
        // Deep nesting is rejected, not a stack overflow.
        #expect(run(&c, String(repeating: "[", count: 5000)).hasPrefix("RangeError"))
        #expect(run(&c, String(repeating: "-", count: 5000) + "1").hasPrefix("RangeError"))
        #expect(run(&c, "eth" + String(repeating: ".x", count: 20000)).hasPrefix("RangeError"))
        #expect(run(&c, "x" + String(repeating: "()", count: 20000)).hasPrefix("RangeError"))
        #expect(run(&c, "eth" + String(repeating: ".x", count: 50)) == "TypeError: Cannot read property 'x' of undefined")
    }
}
