import JSONRPC
// The Geth JavaScript console (`geth attach`) subset a learner types first, without a JS engine.

/// One JSON-RPC request the console made (positional params, as web3.js sends them).
public struct RPCCall: Equatable, Sendable {
    public var method: String
    public var params: [JSONValue]
    public init(method: String, params: [JSONValue]) {
        self.method = method
        self.params = params
    }
}

/// A JSON-RPC error response (`{"code": …, "message": …}`).
public struct RPCFailure: Error, Equatable, Sendable {
    public var code: Int
    public var message: String
    public init(code: Int, message: String) {
        self.code = code
        self.message = message
    }
}

/// One request and the backend's answer, in the order they were made.
public typealias RPCExchange = (call: RPCCall, response: Result<JSONValue, RPCFailure>)

func sameExchanges(_ a: [RPCExchange], _ b: [RPCExchange]) -> Bool {
    a.count == b.count && zip(a, b).allSatisfy { $0.call == $1.call && $0.response == $1.response }
}

/// A successful evaluation: the text geth's console prints and the JSON-RPC exchange it caused.
public struct ConsoleResult: Sendable {
    /// What geth prints (without colours and without the trailing newline); "" for an empty line.
    public var text: String
    public var calls: [(call: RPCCall, response: Result<JSONValue, RPCFailure>)]
    public init(text: String, calls: [(call: RPCCall, response: Result<JSONValue, RPCFailure>)]) {
        self.text = text
        self.calls = calls
    }
}

/// A failed evaluation, printed by geth as one line such as `ReferenceError: foo is not defined`,
/// `SyntaxError: (anonymous): Line 1:5 Unexpected token )` or `Error: insufficient funds`.
public struct ConsoleError: Error, Sendable, Equatable {
    /// The one-line text geth prints (geth also prints a JS stack trace below RPC errors; omitted).
    public var message: String
    /// The JSON-RPC error code when the failure was an RPC error response.
    public var rpcCode: Int?
    /// An explanation for learners when the failure concerns an API current geth removed.
    public var note: String?
    /// True when the input ended early (unclosed bracket or string is not included): geth's console
    /// would keep reading lines with a `...` prompt instead of reporting this error.
    public var isIncompleteInput: Bool
    /// The RPC calls made before the failure (including the failing one).
    public var calls: [(call: RPCCall, response: Result<JSONValue, RPCFailure>)]

    public init(message: String, rpcCode: Int? = nil, note: String? = nil, isIncompleteInput: Bool = false,
                calls: [(call: RPCCall, response: Result<JSONValue, RPCFailure>)] = []) {
        self.message = message
        self.rpcCode = rpcCode
        self.note = note
        self.isIncompleteInput = isIncompleteInput
        self.calls = calls
    }

    public static func == (lhs: ConsoleError, rhs: ConsoleError) -> Bool {
        lhs.message == rhs.message && lhs.rpcCode == rhs.rpcCode && lhs.note == rhs.note
            && lhs.isIncompleteInput == rhs.isIncompleteInput && sameExchanges(lhs.calls, rhs.calls)
    }
}

/// The Geth JavaScript console's first-steps subset, evaluated without a JavaScript engine: each
/// line is parsed by a small recursive-descent parser and every web3.js binding becomes JSON-RPC
/// calls through `backend`, with results formatted the way web3.js 0.20 (as bundled in geth) does
/// and printed the way geth's pretty printer does.
///
/// ## Accepted language (exactly)
/// ```
/// program    := statement { ";" statement } [";"]          (empty statements allowed)
/// statement  := ("var" | "let" | "const") name ["=" expr]  → prints undefined
///             | expr
/// expr       := name "=" expr                             → assigns, prints the value
///             | unary
/// unary      := "-" unary | postfix
/// postfix    := primary { "." name | "[" expr "]" | "(" [expr {"," expr} [","]] ")" }
/// primary    := name | number | string | true | false | null | undefined
///             | "(" expr ")" | "[" [expr {"," expr} [","]] "]"
///             | "{" [key ":" expr {"," key ":" expr} [","]] "}"   key := name | string | number
/// number     := decimal integers and decimals (12, 0.5, .5, 1e18) and hex literals (0x10)
/// string     := '…' or "…" with JS escapes (\n \t \r \b \f \v \0 \xHH \uHHHH, \<other> = <other>)
/// ```
/// `// comments` are skipped. Variables persist across `evaluate` calls; `var` is hoisted (set
/// to undefined before the line runs, as JavaScript does). A leading `{` is an object literal
/// (as in node's REPL; real JS would read a block). `.length` works on arrays and strings.
///
/// Anything else is an error in geth's style: tokens that are not JavaScript (`#`, `@`, an
/// unterminated string) → `SyntaxError: (anonymous): Line L:C Unexpected token ILLEGAL`; a
/// misplaced token → `… Unexpected token )`; early end → `… Unexpected end of input` (flagged
/// `isIncompleteInput`); unknown names → `ReferenceError: foo is not defined`; reading through
/// undefined → `TypeError: Cannot read property 'x' of undefined`; calling a missing member →
/// `TypeError: Object has no member 'x'`. Valid JavaScript outside the subset (operators such as
/// `+`, `==`, `=>`, keywords such as `function`, `new`, `if`, property assignment) is reported as
/// `Error: '+' is not supported by this console: …` rather than as a fake syntax error.
///
/// ## Bindings (web3.js 0.20 in geth: call, params, output formatter)
/// - `eth.accounts`, `eth.coinbase`, `eth.mining`, `eth.syncing` (syncing object → decimal
///   numbers), `eth.hashrate` (→ Number), `eth.blockNumber` (→ Number), `eth.gasPrice` (→ BigNumber);
///   `eth.chainId()` (eth_chainId, printed as returned: geth's extension has no output formatter,
///   so it shows `"0x539"`).
/// - `eth.getBalance(addr[, block])` → eth_getBalance [addr, block or "latest"] → BigNumber;
///   `eth.getTransactionCount(addr[, block])` → Number; addresses go through web3's
///   inputAddressFormatter (`0x` + 40 hex, or 40 hex which gets `0x`; else `Error: invalid address`;
///   the EIP-55 checksum and ICAP/IBAN forms are not checked here).
/// - `eth.getBlock(x[, full])`: a string starting with `0x` → eth_getBlockByHash, otherwise
///   eth_getBlockByNumber; tags latest/earliest/pending/finalized/safe pass through, numbers become
///   hex QUANTITY; the second param is `!!full`. Blocks are formatted like outputBlockFormatter:
///   number/gasLimit/gasUsed/size/timestamp → Number; difficulty/totalDifficulty → BigNumber (absent
///   → 0, as web3.js 0.20 does); baseFeePerGas → BigNumber when present; full transactions
///   formatted like `eth.getTransaction`.
/// - `eth.getTransaction(h)` (blockNumber/transactionIndex/nonce/gas → Number; gasPrice/value and
///   present maxFeePerGas/maxPriorityFeePerGas → BigNumber), `eth.getTransactionReceipt(h)`
///   (blockNumber/transactionIndex/cumulativeGasUsed/gasUsed → Number, logs' indices → Number).
/// - `eth.sendTransaction({from, to, value, gas, gasPrice, nonce, data…})`: from/to checked as
///   addresses (from is required: web3 has no default account here), gas/gasPrice/value/nonce (and
///   maxFeePerGas/maxPriorityFeePerGas) given as Number, decimal string, BigNumber or hex become hex
///   QUANTITY; key order is kept; prints the returned hash.
/// - `net.version`, `net.peerCount` (→ Number), `net.listening`; `web3.version.node`
///   (web3_clientVersion) and `web3.version.api` ("0.20.1"); `web3.eth`/`web3.net` alias `eth`/`net`.
///   There is no `web3.clientVersion` in web3.js 0.20, so, as in geth, it is `undefined`.
/// - `web3.toWei(x[, unit])` / `web3.fromWei(x[, unit])` for every web3.js 0.20 unit (wei, kwei,
///   mwei, gwei/shannon, szabo, finney, ether (default), kether, mether, gether, tether, …): exact
///   decimal arithmetic. As in web3.js, the result is a **string** (printed in quotes, plain
///   digits) unless the input was a BigNumber (e.g. `web3.fromWei(eth.getBalance(a), "ether")`),
///   which prints unquoted via BigNumber `toString()`. Division keeps 20 decimal places (bignumber.js
///   DECIMAL_PLACES). Note that a number *literal* is a JavaScript double, exactly as in geth:
///   `web3.fromWei(123456789012345678901234567890, "ether")` gives "123456789012.34568"; pass
///   the amount as a string to keep every digit.
/// - `txpool.status` (pending/queued → Number), `admin.peers`, `admin.nodeInfo`, `admin.datadir`.
/// - Legacy APIs, kept for old tutorials: `personal.newAccount([passphrase])` (personal_newAccount
///   [passphrase]; geth would prompt `Passphrase:` twice when it is omitted, here it sends ""),
///   `personal.listAccounts`, `miner.start([threads])` (miner_start with **no** params, as geth
///   ≥ 1.12 dropped the thread count; the argument is ignored), `miner.stop()`,
///   `miner.setEtherbase(addr)`. They print whatever the backend returns (`null` for miner.start).
///   Current geth removed them: personal was deprecated in 1.11 and removed in October 2024
///   (go-ethereum #30704; geth then prints `ReferenceError: personal is not defined`), and geth is
///   proof-of-stake only since 1.14, so miner.start/stop/setEtherbase are gone (#30041; `TypeError:
///   Object has no member 'start'`). When the backend answers −32601 the console prints geth's own
///   text for an unknown method, `Error: the method personal_newAccount does not exist/is not
///   available`, and sets `ConsoleError.note` to explain the removal.
///
/// An RPC error response prints as `Error: <message>` (the code is in `ConsoleError.rpcCode`).
/// Typing a namespace (`eth`, `net`, …) prints its members like geth: every property is read
/// (one RPC call each, failures shown as `undefined`), functions print as `function()`; only the
/// bindings above are listed and nested namespaces print as `{...}`.
///
/// ## Printing (geth `internal/jsre/pretty.go`, formerly `console/prettyprint.go`)
/// Geth does **not** keep key order: it lists an object's own and prototype keys, sorts plain values
/// and functions separately (`sort.Strings`) and prints values first. Objects are multi-line with
/// two-space indents, arrays inline (`["0x…", "0x…"]`), strings in Go `%q` quotes, objects deeper
/// than three levels as `{...}`. BigNumbers print with bignumber.js `toString()`, which switches to
/// exponential notation from 1e21 (`1.15792089237316195423570985008687907853269984665640564039457584007913129639927e+77`),
/// and Numbers the way JavaScript prints doubles (so a QUANTITY above 2^53 loses digits, as in geth).
public struct GethConsole {
    private let backend: (RPCCall) -> Result<JSONValue, RPCFailure>
    var variables: [String: Value] = [:]
    private var calls: [RPCExchange] = []

    public init(backend: @escaping (RPCCall) -> Result<JSONValue, RPCFailure>) {
        self.backend = backend
    }

    /// Evaluates one console line (several `;`-separated statements are allowed).
    public mutating func evaluate(_ line: String) -> Result<ConsoleResult, ConsoleError> {
        calls = []
        do {
            let tokens = try tokenize(line)
            var parser = Parser(tokens: tokens)
            let program = try parser.parseProgram()
            for case let .declare(name, _) in program where variables[name] == nil {
                variables[name] = .undefined
            }
            var completion: Value = .undefined
            for statement in program {
                switch statement {
                case let .declare(name, initial):
                    if let initial { variables[name] = try eval(initial) }
                case let .expression(e):
                    completion = try eval(e)
                }
            }
            if program.isEmpty { return .success(ConsoleResult(text: "", calls: calls)) }
            if case let .namespace(path) = completion { completion = .object(resolveNamespace(path)) }
            return .success(ConsoleResult(text: PrettyPrinter().print(completion), calls: calls))
        } catch {
            return .failure(ConsoleError(message: error.message, rpcCode: error.rpcCode, note: error.note,
                                         isIncompleteInput: error.incomplete, calls: calls))
        }
    }

    /// Tab-completion candidates: namespaces, properties (`eth.blockNumber`) and functions
    /// (`eth.getBalance(`), sorted.
    public static var completions: [String] {
        var out: [String] = []
        for (ns, members) in namespaceTable where !ns.contains(".") || ns == "web3.version" {
            if !ns.contains(".") { out.append(ns) }
            for (name, member) in members {
                switch member {
                case .function: out.append(ns + "." + name + "(")
                case .namespace(let target) where target.hasPrefix(ns): out.append(ns + "." + name)
                case .namespace: break
                default: out.append(ns + "." + name)
                }
            }
        }
        return out.sorted()
    }

    // MARK: - Bindings table

    enum Member {
        case property(String)      // getter: RPC method with no params
        case function
        case namespace(String)
        case constant(Value)
    }

    static let namespaceTable: [String: [(String, Member)]] = [
        "eth": [
            ("accounts", .property("eth_accounts")), ("blockNumber", .property("eth_blockNumber")),
            ("coinbase", .property("eth_coinbase")), ("gasPrice", .property("eth_gasPrice")),
            ("hashrate", .property("eth_hashrate")), ("mining", .property("eth_mining")),
            ("syncing", .property("eth_syncing")),
            ("chainId", .function), ("getBalance", .function), ("getBlock", .function),
            ("getTransaction", .function), ("getTransactionCount", .function),
            ("getTransactionReceipt", .function), ("sendTransaction", .function),
        ],
        "net": [("listening", .property("net_listening")), ("peerCount", .property("net_peerCount")),
                ("version", .property("net_version"))],
        "web3": [("eth", .namespace("eth")), ("net", .namespace("net")), ("version", .namespace("web3.version")),
                 ("fromWei", .function), ("toWei", .function)],
        "web3.version": [("api", .constant(.string("0.20.1"))), ("node", .property("web3_clientVersion"))],
        "txpool": [("status", .property("txpool_status"))],
        "admin": [("datadir", .property("admin_datadir")), ("nodeInfo", .property("admin_nodeInfo")),
                  ("peers", .property("admin_peers"))],
        "personal": [("listAccounts", .property("personal_listAccounts")), ("newAccount", .function)],
        "miner": [("setEtherbase", .function), ("start", .function), ("stop", .function)],
    ]

    static func legacyNote(_ method: String) -> String? {
        if method.hasPrefix("personal_") {
            return "The personal namespace was deprecated in geth 1.11 and removed in October 2024 (go-ethereum #30704); current geth prints `ReferenceError: personal is not defined`. Use clef or geth account for keys."
        }
        if method == "miner_start" || method == "miner_stop" || method == "miner_setEtherbase" {
            let name = method.dropFirst("miner_".count)
            return "Geth is proof-of-stake only since 1.14 (go-ethereum #30041): mining was removed and current geth prints `TypeError: Object has no member '\(name)'`."
        }
        if method == "eth_coinbase" || method == "eth_mining" || method == "eth_hashrate" {
            return "\(method) belonged to proof-of-work mining, which current geth no longer has."
        }
        return nil
    }

    // MARK: - Evaluation

    private mutating func eval(_ e: Expr) throws(Failure) -> Value {
        switch e {
        case let .literal(v): return v
        case let .identifier(name, _): return try lookup(name)
        case let .member(base, name, _):
            return try member(of: try eval(base), name)
        case let .index(base, index, _):
            let b = try eval(base)
            let i = try eval(index)
            return try member(of: b, propertyKey(i))
        case let .call(callee, args, _):
            let f = try eval(callee)
            guard case let .function(path) = f else {
                if case let .member(_, name, _) = callee, case .undefined = f {
                    throw Failure(message: "TypeError: Object has no member '\(name)'")
                }
                throw Failure(message: "TypeError: \(callee.description) is not a function")
            }
            var values: [Value] = []
            for a in args { values.append(try eval(a)) }
            return try call(path, values)
        case let .array(items):
            var values: [Value] = []
            for item in items { values.append(try eval(item)) }
            return .array(values)
        case let .object(members):
            var out = Value.object([])
            for m in members { out.set(m.key, try eval(m.value)) }
            return out
        case let .negate(inner):
            return .number(-toNumber(try eval(inner)))
        case let .assign(name, valueExpr):
            let v = try eval(valueExpr)
            variables[name] = v
            return v
        }
    }

    private func lookup(_ name: String) throws(Failure) -> Value {
        if let v = variables[name] { return v }
        switch name {
        case "undefined": return .undefined
        case "NaN": return .number(.nan)
        case "Infinity": return .number(.infinity)
        default:
            if Self.namespaceTable[name] != nil && !name.contains(".") { return .namespace(name) }
            throw Failure(message: "ReferenceError: \(name) is not defined")
        }
    }

    private func propertyKey(_ v: Value) -> String {
        switch v {
        case let .number(d): return jsNumberString(d)
        case let .string(s): return s
        case let .big(b): return b.jsString
        case let .bool(b): return b ? "true" : "false"
        case .null: return "null"
        case .undefined: return "undefined"
        default: return "[object Object]"
        }
    }

    private mutating func member(of base: Value, _ name: String) throws(Failure) -> Value {
        switch base {
        case .undefined, .null:
            throw Failure(message: "TypeError: Cannot read property '\(name)' of \(base.isNull ? "null" : "undefined")")
        case let .namespace(path):
            guard let entry = Self.namespaceTable[path]?.first(where: { $0.0 == name }) else { return .undefined }
            switch entry.1 {
            case let .property(method): return try format(method, try rpc(method, []))
            case .function: return .function(path + "." + name)
            case let .namespace(target): return .namespace(target)
            case let .constant(v): return v
            }
        case let .object(members):
            return members.last(where: { $0.key == name })?.value ?? .undefined
        case let .array(items):
            if name == "length" { return .number(Double(items.count)) }
            if let i = Int(name), String(i) == name, i >= 0, i < items.count { return items[i] }
            return .undefined
        case let .string(s):
            let units = Array(s.utf16)
            if name == "length" { return .number(Double(units.count)) }
            if let i = Int(name), String(i) == name, i >= 0, i < units.count {
                return .string(String(decoding: [units[i]], as: UTF16.self))
            }
            return .undefined
        default:
            return .undefined
        }
    }

    private mutating func resolveNamespace(_ path: String) -> [(key: String, value: Value)] {
        var out: [(key: String, value: Value)] = []
        for (name, m) in Self.namespaceTable[path] ?? [] {
            switch m {
            case let .property(method):
                // geth's SafeGet: a getter that throws shows as undefined.
                let v: Value
                do { v = try format(method, try rpc(method, [])) } catch { v = .undefined }
                out.append((name, v))
            case .function: out.append((name, .function(path + "." + name)))
            case let .namespace(target): out.append((name, .namespace(target)))
            case let .constant(v): out.append((name, v))
            }
        }
        return out
    }

    private mutating func rpc(_ method: String, _ params: [JSONValue]) throws(Failure) -> Value {
        let request = RPCCall(method: method, params: params)
        let response = backend(request)
        calls.append((request, response))
        switch response {
        case let .success(json):
            return Value(json: json)
        case let .failure(failure):
            if failure.code == -32601 {
                throw Failure(message: "Error: the method \(method) does not exist/is not available",
                              rpcCode: failure.code, note: Self.legacyNote(method))
            }
            let oneLine = failure.message.split(whereSeparator: \.isNewline).joined(separator: " ")
            throw Failure(message: "Error: " + oneLine, rpcCode: failure.code)
        }
    }

    // MARK: - Functions

    private mutating func call(_ path: String, _ args: [Value]) throws(Failure) -> Value {
        func arg(_ i: Int) -> Value { i < args.count ? args[i] : .undefined }
        func exactly(_ n: Int) throws(Failure) {
            guard args.count == n else { throw Failure(message: "Error: Invalid number of parameters for RPC method") }
        }
        switch path {
        case "eth.chainId":
            try exactly(0)
            return try rpc("eth_chainId", [])
        case "eth.getBalance", "eth.getTransactionCount":
            let method = path == "eth.getBalance" ? "eth_getBalance" : "eth_getTransactionCount"
            let params: [JSONValue] = [.string(try inputAddress(arg(0))), try inputDefaultBlock(arg(1))]
            return try format(method, try rpc(method, params))
        case "eth.getBlock":
            var byHash = false
            if case let .string(s) = arg(0), s.hasPrefix("0x") { byHash = true }
            let method = byHash ? "eth_getBlockByHash" : "eth_getBlockByNumber"
            let params: [JSONValue] = [try inputBlockNumber(arg(0)) ?? .null, .bool(arg(1).truthy)]
            return try format(method, try rpc(method, params))
        case "eth.getTransaction", "eth.getTransactionReceipt":
            try exactly(1)
            let method = path == "eth.getTransaction" ? "eth_getTransactionByHash" : "eth_getTransactionReceipt"
            return try format(method, try rpc(method, [arg(0).json ?? .null]))
        case "eth.sendTransaction":
            let tx = try inputTransaction(arg(0))
            return try rpc("eth_sendTransaction", [tx.json ?? .null])
        case "web3.toWei", "web3.fromWei":
            return try convertUnits(arg(0), unit: arg(1), toWei: path == "web3.toWei")
        case "personal.newAccount":
            guard args.count <= 1 else { throw Failure(message: "Error: expected 0 or 1 string argument") }
            var passphrase = ""
            if args.count == 1 {
                guard case let .string(p) = args[0] else { throw Failure(message: "Error: expected 0 or 1 string argument") }
                passphrase = p
            }
            return try rpc("personal_newAccount", [.string(passphrase)])
        case "miner.start":
            return try rpc("miner_start", [])
        case "miner.stop":
            try exactly(0)
            return try rpc("miner_stop", [])
        case "miner.setEtherbase":
            return try rpc("miner_setEtherbase", [.string(try inputAddress(arg(0)))])
        default:
            throw Failure(message: "TypeError: \(path) is not a function")
        }
    }

    // MARK: - web3.js input formatters

    private func inputAddress(_ v: Value) throws(Failure) -> String {
        guard case let .string(s) = v else { throw Failure(message: "Error: invalid address") }
        let hex = s.hasPrefix("0x") ? s.dropFirst(2) : Substring(s)
        guard hex.count == 40, hex.allSatisfy({ $0.isASCII && $0.isHexDigit }) else {
            throw Failure(message: "Error: invalid address")
        }
        return "0x" + hex
    }

    static let blockTags: Set<String> = ["latest", "pending", "earliest", "finalized", "safe"]

    private func inputDefaultBlock(_ v: Value) throws(Failure) -> JSONValue {
        switch v {
        case .undefined, .null: return .string("latest")
        default: return try inputBlockNumber(v) ?? .null
        }
    }

    private func inputBlockNumber(_ v: Value) throws(Failure) -> JSONValue? {
        if case .undefined = v { return nil }
        if case let .string(s) = v, Self.blockTags.contains(s) { return .string(s) }
        return .string(try toHex(v))
    }

    /// web3.js 0.20 `utils.toHex`.
    private func toHex(_ v: Value) throws(Failure) -> String {
        switch v {
        case let .bool(b): return b ? "0x1" : "0x0"
        case let .string(s):
            if s.hasPrefix("-0x") { return try fromDecimal(v) }
            if s.hasPrefix("0x") { return s }
            let trimmed = s.trimmingWhitespace
            if !trimmed.isEmpty && BigDecimal(decimal: trimmed) == nil {   // !isFinite(s): ASCII codes
                return "0x" + s.utf16.map { u in
                    let h = String(u, radix: 16)
                    return h.count < 2 ? "0" + h : h
                }.joined()
            }
            return try fromDecimal(.string(trimmed))
        case .null, .object, .array:
            let text = JSONCodec.string(v.json ?? .null)   // JSON.stringify's compact text
            return "0x" + text.utf8.map { b in
                let h = String(b, radix: 16)
                return h.count < 2 ? "0" + h : h
            }.joined()
        default:
            return try fromDecimal(v)
        }
    }

    /// web3.js 0.20 `utils.fromDecimal`: decimal (or hex) → "0x…" QUANTITY.
    private func fromDecimal(_ v: Value) throws(Failure) -> String {
        let n = try toBigNumber(v)
        guard let hex = n.hexQuantity else {
            throw Failure(message: "Error: \(n.jsString) is not a whole number; this console only encodes whole numbers as hex QUANTITY")
        }
        return hex
    }

    private func inputTransaction(_ v: Value) throws(Failure) -> Value {
        switch v {
        case .undefined, .null:
            throw Failure(message: "TypeError: Cannot read property 'from' of \(v.isNull ? "null" : "undefined")")
        case .object: break
        default: throw Failure(message: "Error: invalid address")
        }
        var tx = v
        tx.set("from", .string(try inputAddress(tx["from"] ?? .undefined)))
        if let to = tx["to"], to.truthy { tx.set("to", .string(try inputAddress(to))) }
        for key in ["gasPrice", "gas", "value", "nonce", "maxFeePerGas", "maxPriorityFeePerGas"] {
            if let value = tx[key], !value.isUndefined { tx.set(key, .string(try fromDecimal(value))) }
        }
        return tx
    }

    // MARK: - Units

    /// web3.js 0.20 unitMap as powers of ten ("noether" is 0).
    static let units: [(String, Int?)] = [
        ("noether", nil), ("wei", 0), ("kwei", 3), ("babbage", 3), ("femtoether", 3), ("mwei", 6),
        ("lovelace", 6), ("picoether", 6), ("gwei", 9), ("shannon", 9), ("nanoether", 9), ("nano", 9),
        ("szabo", 12), ("microether", 12), ("micro", 12), ("finney", 15), ("milliether", 15), ("milli", 15),
        ("ether", 18), ("kether", 21), ("grand", 21), ("mether", 24), ("gether", 27), ("tether", 30),
    ]

    private func convertUnits(_ number: Value, unit: Value, toWei: Bool) throws(Failure) -> Value {
        var unitName = "ether"
        if unit.truthy {
            guard case let .string(u) = unit else {
                throw Failure(message: "TypeError: Object has no member 'toLowerCase'")
            }
            unitName = u.lowercased()
        }
        guard let entry = Self.units.first(where: { $0.0 == unitName }) else {
            throw Failure(message: "Error: This unit doesn't exists, please use the one of the following units: " + Self.units.map(\.0).joined(separator: ", "))
        }
        let value = try toBigNumber(number)
        let isBig: Bool
        if case .big = number { isBig = true } else { isBig = false }
        guard let power = entry.1 else {   // noether: × 0, or ÷ 0
            if toWei { return isBig ? .big(BigDecimal()) : .string("0") }
            let text = value.isZero ? "NaN" : (value.negative ? "-Infinity" : "Infinity")
            return isBig ? .number(value.isZero ? .nan : (value.negative ? -.infinity : .infinity)) : .string(text)
        }
        let result = toWei ? value.shifted(by: power) : value.shifted(by: -power).rounded(places: 20)
        return isBig ? .big(result) : .string(result.fixedString)
    }

    // MARK: - web3.js output formatters

    private func toBigNumber(_ v: Value) throws(Failure) -> BigDecimal {
        if !v.truthy { return BigDecimal() }
        switch v {
        case let .big(b): return b
        case let .number(d):
            guard d.isFinite else { throw Failure(message: "BigNumber Error: new BigNumber() not a number: \(jsNumberString(d))") }
            return BigDecimal(d)
        case let .string(s):
            if s.hasPrefix("0x") || s.hasPrefix("-0x") {
                guard let b = BigDecimal(hex: s) else {
                    throw Failure(message: "BigNumber Error: new BigNumber() not a base 16 number: \(s.droppingHexPrefix)")
                }
                return b
            }
            guard let b = BigDecimal(decimal: s) else {
                throw Failure(message: "BigNumber Error: new BigNumber() not a number: \(s)")
            }
            return b
        case .bool: return try toBigNumber(.string("true"))
        default: throw Failure(message: "BigNumber Error: new BigNumber() not a number: [object Object]")
        }
    }

    private func toDecimal(_ v: Value) throws(Failure) -> Value {
        .number(try toBigNumber(v).doubleValue)
    }

    private func format(_ method: String, _ result: Value) throws(Failure) -> Value {
        guard result.truthy else { return result }   // web3: `formatter && result ? formatter(result) : result`
        switch method {
        case "eth_blockNumber", "eth_hashrate", "net_peerCount", "eth_getTransactionCount":
            return try toDecimal(result)
        case "eth_gasPrice", "eth_getBalance":
            return .big(try toBigNumber(result))
        case "eth_syncing":
            var r = result
            guard case .object = r else { return r }
            for key in ["startingBlock", "currentBlock", "highestBlock", "knownStates", "pulledStates"] {
                if let v = r[key] { r.set(key, try toDecimal(v)) }
            }
            return r
        case "txpool_status":
            var r = result
            guard case .object = r else { return r }
            r.set("pending", try toDecimal(r["pending"] ?? .undefined))
            r.set("queued", try toDecimal(r["queued"] ?? .undefined))
            return r
        case "eth_getBlockByNumber", "eth_getBlockByHash":
            return try formatBlock(result)
        case "eth_getTransactionByHash":
            return try formatTransaction(result)
        case "eth_getTransactionReceipt":
            return try formatReceipt(result)
        default:
            return result
        }
    }

    private func formatBlock(_ block: Value) throws(Failure) -> Value {
        guard case .object = block else { return block }
        var b = block
        for key in ["gasLimit", "gasUsed", "size", "timestamp"] { b.set(key, try toDecimal(b[key] ?? .undefined)) }
        if let n = b["number"], !n.isNull { b.set("number", try toDecimal(n)) }
        if b["number"] == nil { b.set("number", .number(0)) }
        b.set("difficulty", .big(try toBigNumber(b["difficulty"] ?? .undefined)))
        b.set("totalDifficulty", .big(try toBigNumber(b["totalDifficulty"] ?? .undefined)))
        if let fee = b["baseFeePerGas"] { b.set("baseFeePerGas", .big(try toBigNumber(fee))) }
        if case let .array(txs)? = b["transactions"] {
            var out: [Value] = []
            for tx in txs {
                if case .string = tx { out.append(tx) } else { out.append(try formatTransaction(tx)) }
            }
            b.set("transactions", .array(out))
        }
        return b
    }

    private func formatTransaction(_ tx: Value) throws(Failure) -> Value {
        guard case .object = tx else { return tx }
        var t = tx
        for key in ["blockNumber", "transactionIndex"] {
            let v = t[key] ?? .undefined
            if !v.isNull { t.set(key, try toDecimal(v)) }
        }
        t.set("nonce", try toDecimal(t["nonce"] ?? .undefined))
        t.set("gas", try toDecimal(t["gas"] ?? .undefined))
        t.set("gasPrice", .big(try toBigNumber(t["gasPrice"] ?? .undefined)))
        t.set("value", .big(try toBigNumber(t["value"] ?? .undefined)))
        for key in ["maxFeePerGas", "maxPriorityFeePerGas"] {
            if let v = t[key] { t.set(key, .big(try toBigNumber(v))) }
        }
        return t
    }

    private func formatReceipt(_ receipt: Value) throws(Failure) -> Value {
        guard case .object = receipt else { return receipt }
        var r = receipt
        for key in ["blockNumber", "transactionIndex"] {
            let v = r[key] ?? .undefined
            if !v.isNull { r.set(key, try toDecimal(v)) }
        }
        r.set("cumulativeGasUsed", try toDecimal(r["cumulativeGasUsed"] ?? .undefined))
        r.set("gasUsed", try toDecimal(r["gasUsed"] ?? .undefined))
        if case let .array(logs)? = r["logs"] {
            var out: [Value] = []
            for log in logs {
                var l = log
                if case .object = l {
                    for key in ["blockNumber", "transactionIndex", "logIndex"] {
                        let v = l[key] ?? .undefined
                        if !v.isNull { l.set(key, try toDecimal(v)) }
                    }
                }
                out.append(l)
            }
            r.set("logs", .array(out))
        }
        return r
    }

    private func toNumber(_ v: Value) -> Double {
        switch v {
        case let .number(d): return d
        case let .big(b): return b.doubleValue
        case let .bool(b): return b ? 1 : 0
        case .null: return 0
        case let .string(s):
            let t = s.trimmingWhitespace
            if t.isEmpty { return 0 }
            if t.hasPrefix("0x") { return BigDecimal(hex: t)?.doubleValue ?? .nan }
            return BigDecimal(decimal: t)?.doubleValue ?? .nan
        default: return .nan
        }
    }
}

extension Value {
    var isNull: Bool { if case .null = self { return true } else { return false } }
    var isUndefined: Bool { if case .undefined = self { return true } else { return false } }
}

extension String {
    var trimmingWhitespace: String {
        var s = Substring(self)
        while let f = s.first, f.isWhitespace { s = s.dropFirst() }
        while let l = s.last, l.isWhitespace { s = s.dropLast() }
        return String(s)
    }

    /// JavaScript `s.replace('0x', '')` for strings starting with "0x" or "-0x".
    var droppingHexPrefix: String {
        if hasPrefix("-0x") { return "-" + dropFirst(3) }
        if hasPrefix("0x") { return String(dropFirst(2)) }
        return self
    }
}

