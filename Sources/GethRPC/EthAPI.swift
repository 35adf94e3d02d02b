import Blockchain
import JSONRPC

/// The Ethereum JSON-RPC methods a geth learner uses first, over the workbench chain (see
/// `EthNode` for how UTXOs appear as accounts). Result shapes follow ethereum/execution-apis
/// (`src/schemas/block.yaml`, `receipt.yaml`) and what web3.py v7/v8 validates: 32-byte hashes,
/// 20-byte addresses, minimal QUANTITY hex, `extraData` at most 32 bytes, `gasLimit` present.
/// Errors use geth's texts; a missing block or transaction is `null`, as in geth.
public enum EthAPI {
    public static let server: RPCServer<EthNode> = {
        var s = RPCServer<EthNode>()
        registerInfo(&s)
        registerChain(&s)
        registerAccounts(&s)
        return s
    }()

    /// The namespaces answered by rpc_modules (geth attach reads it first).
    public static let modules: [(String, String)] = [("admin", "1.0"), ("eth", "1.0"), ("miner", "1.0"), ("net", "1.0"),
                                                      ("personal", "1.0"), ("rpc", "1.0"), ("txpool", "1.0"), ("web3", "1.0")]

    // sha3Uncles of an empty uncle list (keccak(rlp([]))) and the empty trie root, as geth reports them.
    static let emptyUncles = JSONValue.string("0x1dcc4de8dec75d7aab85b567b6ccd41ad312451b948a7413f0a142fd40d49347")
    static let emptyTrie = JSONValue.string("0x56e81f171bcc55a6ff8345e692c0f86e5b48e01b996cadc001622fb5e363b421")
    static let zeroAddress = [UInt8](repeating: 0, count: 20)

    static func registerInfo(_ s: inout RPCServer<EthNode>) {
        s.register("web3_clientVersion", maxArguments: 0) { _, _ throws(RPCError) in .string(EthNode.clientVersion) }
        s.register("web3_sha3", maxArguments: 1) { _, p throws(RPCError) in .data(Keccak256.hash(try p.required(0, .bytes))) }
        s.register("net_version", maxArguments: 0) { _, _ throws(RPCError) in .string(String(EthNode.chainId)) }
        s.register("net_listening", maxArguments: 0) { _, _ throws(RPCError) in .bool(true) }
        s.register("net_peerCount", maxArguments: 0) { node, _ throws(RPCError) in .quantity(UInt64(node.peers.count)) }
        s.register("eth_chainId", maxArguments: 0) { _, _ throws(RPCError) in .quantity(EthNode.chainId) }
        s.register("eth_syncing", maxArguments: 0) { _, _ throws(RPCError) in .bool(false) }
        s.register("eth_mining", maxArguments: 0) { node, _ throws(RPCError) in .bool(node.mining) }
        s.register("eth_hashrate", maxArguments: 0) { _, _ throws(RPCError) in .quantity(0) }
        s.register("eth_gasPrice", maxArguments: 0) { _, _ throws(RPCError) in .quantity(0) }
        s.register("eth_maxPriorityFeePerGas", maxArguments: 0) { _, _ throws(RPCError) in .quantity(0) }
        s.register("eth_estimateGas", maxArguments: 3) { _, _ throws(RPCError) in .quantity(EthNode.transferGas) }
        s.register("rpc_modules", maxArguments: 0) { _, _ throws(RPCError) in .object(modules.map { ($0.0, .string($0.1)) }) }
        s.register("txpool_status", maxArguments: 0) { node, _ throws(RPCError) in
            .object([("pending", .quantity(UInt64(node.ledger.mempool.count))), ("queued", .quantity(0))])
        }
        s.register("admin_peers", maxArguments: 0) { node, _ throws(RPCError) in
            .array(node.peers.map { peer in
                .object([("caps", .array([.string("eth/68")])), ("id", .string(peer)), ("name", .string("Workbench/\(peer)")),
                         ("network", .object([("localAddress", .string("127.0.0.1:30303")), ("remoteAddress", .string(peer))])),
                         ("protocols", .object([("eth", .string("workbench"))]))])
            })
        }
        s.register("admin_datadir", maxArguments: 0) { _, _ throws(RPCError) in .string("(in memory)") }
        s.register("admin_nodeInfo", maxArguments: 0) { node, _ throws(RPCError) in
            .object([("name", .string(EthNode.clientVersion)), ("protocols", .object([("eth", .object([
                ("network", .int(EthNode.chainId)), ("head", node.ledger.tip.map { .data($0.hash) } ?? .null)]))]))])
        }
    }

    static func registerChain(_ s: inout RPCServer<EthNode>) {
        s.register("eth_blockNumber", maxArguments: 0) { node, _ throws(RPCError) in .quantity(UInt64(max(node.ledger.height, 0))) }
        s.register("eth_getBlockByNumber", maxArguments: 2) { node, p throws(RPCError) in
            let tag = try p.required(0, .blockNumber)
            let full = try p.required(1, .bool)
            return try block(node, tag: tag).map { blockObject($0, node: node, full: full) } ?? .null
        }
        s.register("eth_getBlockByHash", maxArguments: 2) { node, p throws(RPCError) in
            let hash = try p.required(0, .hash)
            let full = try p.required(1, .bool)
            return node.ledger.block(hash: hash).map { blockObject($0, node: node, full: full) } ?? .null
        }
        s.register("eth_getTransactionByHash", maxArguments: 1) { node, p throws(RPCError) in
            let id = try p.required(0, .hash)
            guard let found = node.ledger.transaction(id: id) else { return .null }
            return transactionObject(found.tx, block: found.block, position: found.position, node: node)
        }
        s.register("eth_getTransactionReceipt", maxArguments: 1) { node, p throws(RPCError) in
            let id = try p.required(0, .hash)
            guard let found = node.ledger.transaction(id: id), let block = found.block else { return .null }
            return receipt(found.tx, block: block, position: found.position, node: node)
        }
        s.register("eth_getBalance", maxArguments: 2) { node, p throws(RPCError) in
            let address = try p.required(0, .address)
            _ = try p.optional(1, .blockNumberOrHash)
            return .quantity(bigEndian: Wei.bytes(coins: node.ledger.balance(of: address)))
        }
        s.register("eth_getTransactionCount", maxArguments: 2) { node, p throws(RPCError) in
            let address = try p.required(0, .address)
            let selector = try p.optional(1, .blockNumberOrHash)
            var count = sent(by: address, in: node.ledger.mainChain.flatMap(\.transactions))
            if selector == .tag(.pending) { count += sent(by: address, in: node.ledger.mempool) }
            return .quantity(UInt64(count))
        }
    }

    static func registerAccounts(_ s: inout RPCServer<EthNode>) {
        s.register("eth_accounts", maxArguments: 0) { node, _ throws(RPCError) in
            .array(node.wallets.map { address(Address.publicKeyHash($0.publicKey)) })
        }
        s.register("personal_listAccounts", maxArguments: 0) { node, _ throws(RPCError) in
            .array(node.wallets.map { address(Address.publicKeyHash($0.publicKey)) })
        }
        s.register("eth_coinbase", maxArguments: 0) { node, _ throws(RPCError) in
            guard let miner = node.minerHash else { throw .server("etherbase must be explicitly specified") }
            return address(miner)
        }
        // Legacy (removed from geth: personal in Oct 2024, #30704): the passphrase is accepted and not used,
        // since the workbench keystore is in memory.
        s.register("personal_newAccount", maxArguments: 1) { node, p throws(RPCError) in
            _ = try p.optional(0, .string)
            let wallet = Wallet.make(using: &node.random)
            node.wallets.append(wallet)
            return address(Address.publicKeyHash(wallet.publicKey))
        }
        // Legacy (gone since geth 1.14 made it proof-of-stake only, #30041). A PoW geth mined block
        // after block while started; here starting mines one block at once (the genesis on an empty
        // node), and while started every transaction is mined into a block as it arrives.
        s.register("miner_start", maxArguments: 1) { node, _ throws(RPCError) in
            node.mining = true
            do throws(LedgerError) { try node.mineBlock() } catch { throw .server(error.description) }
            return .null
        }
        s.register("miner_stop", maxArguments: 0) { node, _ throws(RPCError) in
            node.mining = false
            return .null
        }
        s.register("miner_setEtherbase", maxArguments: 1) { node, p throws(RPCError) in
            node.etherbase = try p.required(0, .address)
            return .bool(true)
        }
        s.register("eth_sendTransaction", maxArguments: 1) { node, p throws(RPCError) in
            let args = try p.required(0, .object("ethapi.TransactionArgs"))
            let from = try member("from", of: args, .address)
            guard let from else { throw .server("missing from address") }
            guard let to = try member("to", of: args, .address) else {
                throw .server("contract creation is not supported: the workbench chain has no EVM (give a `to` address)")
            }
            let value = try member("value", of: args, .big) ?? []
            guard let wallet = node.wallet(hash: from) else { throw .server("unknown account") }
            guard let coins = Wei.coins(wei: value), coins > 0 else {
                throw .server("value must be a positive whole number of coins: 1 coin = 1 ether = 10^18 wei")
            }
            let recipient = Base58.checkEncode(version: Address.version, payload: to)
            do throws(LedgerError) {
                let tx = try node.ledger.newTransaction(from: wallet, to: recipient, amount: coins)
                try node.ledger.submit(tx)
                try node.mineIfStarted()
                return .data(tx.id)
            } catch {
                switch error {
                case .notEnoughFunds: throw .server("insufficient funds for transfer")
                default: throw .server(error.description)
                }
            }
        }
    }

    static func member<T>(_ key: String, of object: JSONValue, _ argument: RPCArgument<T>) throws(RPCError) -> T? {
        do { return try argument.member(key, of: object, goStruct: "TransactionArgs") } catch {
            throw .invalidParams("invalid argument 0: \(error.reason)")
        }
    }

    // MARK: shapes

    static func address(_ hash: [UInt8]) -> JSONValue { .string(EIP55.checksum(hash) ?? HexUtil.encode(hash)) }

    static func block(_ node: EthNode, tag: BlockTag) throws(RPCError) -> LedgerBlock? {
        switch tag {
        case .earliest: return node.ledger.block(height: 0)
        case .latest, .pending: return node.ledger.tip
        case .finalized, .safe: throw RPCError(code: -39001, message: "Unknown block")
        case let .number(n): return n > UInt64(Int.max) ? nil : node.ledger.block(height: Int(n))
        }
    }

    /// The owner of a transaction's first input (nil for a coinbase).
    static func sender(of tx: Transaction) -> [UInt8]? {
        guard !tx.isCoinbase, let first = tx.inputs.first else { return nil }
        return Address.publicKeyHash(first.publicKey)
    }

    /// An account's "nonce": how many of these transactions it sent (a coinbase has no sender).
    static func sent(by address: [UInt8], in transactions: [Transaction]) -> Int {
        transactions.filter { sender(of: $0) == address }.count
    }

    /// The first output paid to someone other than the sender (else the first output).
    static func payment(of tx: Transaction) -> TXOutput? {
        let from = sender(of: tx)
        return tx.outputs.first { $0.publicKeyHash != from } ?? tx.outputs.first
    }

    static func blockObject(_ b: LedgerBlock, node: EthNode, full: Bool) -> JSONValue {
        let miner = b.transactions.first?.outputs.first?.publicKeyHash ?? zeroAddress
        let transfers = UInt64(max(b.transactions.count - 1, 0))
        let txs: [JSONValue] = b.transactions.enumerated().map { i, tx in
            full ? transactionObject(tx, block: b, position: i, node: node) : .data(tx.id)
        }
        let nonce = Wei.be(UInt64(bitPattern: b.nonce))
        return .object([
            ("number", .quantity(UInt64(b.height))), ("hash", .data(b.hash)),
            ("parentHash", .data(b.prevBlockHash.isEmpty ? [UInt8](repeating: 0, count: 32) : b.prevBlockHash)),
            ("nonce", .data(nonce)), ("sha3Uncles", emptyUncles), ("logsBloom", .data([UInt8](repeating: 0, count: 256))),
            ("transactionsRoot", .data(b.merkleRoot)), ("stateRoot", emptyTrie), ("receiptsRoot", emptyTrie),
            ("miner", address(miner)), ("difficulty", .quantity(bigEndian: power(of: b.targetBits))),
            ("totalDifficulty", .quantity(bigEndian: totalWork(through: b, node: node))),
            ("extraData", .data([])), ("size", .quantity(UInt64(b.serialized.count))),
            ("gasLimit", .quantity(EthNode.gasLimit)), ("gasUsed", .quantity(transfers * EthNode.transferGas)),
            ("timestamp", .quantity(UInt64(max(b.timestamp, 0)))), ("transactions", .array(txs)), ("uncles", .array([])),
            ("mixHash", .data([UInt8](repeating: 0, count: 32))),
        ])
    }

    /// 2^bits as big-endian bytes (a block's expected hashes, Ethereum's "difficulty").
    static func power(of bits: Int) -> [UInt8] {
        let clamped = min(max(bits, 0), 255)
        var out = [UInt8](repeating: 0, count: 32)
        out[31 - clamped / 8] = UInt8(1) << UInt8(clamped % 8)
        return out
    }

    /// The sum of 2^bits from the genesis to `block` (the most-work rule's measure), exact.
    static func totalWork(through block: LedgerBlock, node: EthNode) -> [UInt8] {
        var sum = [UInt8](repeating: 0, count: 33)
        for b in node.ledger.mainChain.prefix(block.height + 1) {
            var carry = 0
            let add = [0] + power(of: b.targetBits)
            for i in stride(from: 32, through: 0, by: -1) {
                let v = Int(sum[i]) + Int(add[i]) + carry
                sum[i] = UInt8(v & 0xff)
                carry = v >> 8
            }
        }
        return sum
    }

    static func transactionObject(_ tx: Transaction, block: LedgerBlock?, position: Int, node: EthNode) -> JSONValue {
        let pay = payment(of: tx)
        let from = sender(of: tx) ?? zeroAddress
        let sig = tx.inputs.first?.signature ?? []
        let r = sig.count == 64 ? Array(sig[0..<32]) : [UInt8](repeating: 0, count: 32)
        let s = sig.count == 64 ? Array(sig[32..<64]) : [UInt8](repeating: 0, count: 32)
        let nonce = sent(by: from, in: node.ledger.mainChain.prefix(while: { $0.height < (block?.height ?? Int.max) }).flatMap(\.transactions))
        return .object([
            ("blockHash", block.map { .data($0.hash) } ?? .null),
            ("blockNumber", block.map { .quantity(UInt64($0.height)) } ?? .null),
            ("from", address(from)), ("gas", .quantity(EthNode.transferGas)), ("gasPrice", .quantity(0)),
            ("hash", .data(tx.id)), ("input", .data([])), ("nonce", .quantity(UInt64(nonce))),
            ("to", pay.map { address($0.publicKeyHash) } ?? .null),
            ("transactionIndex", block == nil ? .null : .quantity(UInt64(position))),
            ("value", .quantity(bigEndian: Wei.bytes(coins: pay?.value ?? 0))), ("type", .quantity(0)),
            ("chainId", .quantity(EthNode.chainId)), ("v", .quantity(0)), ("r", .quantity(bigEndian: r)), ("s", .quantity(bigEndian: s)),
        ])
    }

    static func receipt(_ tx: Transaction, block: LedgerBlock, position: Int, node: EthNode) -> JSONValue {
        let pay = payment(of: tx)
        let gas = tx.isCoinbase ? 0 : EthNode.transferGas
        let cumulative = UInt64(block.transactions.prefix(position + 1).filter { !$0.isCoinbase }.count) * EthNode.transferGas
        return .object([
            ("blockHash", .data(block.hash)), ("blockNumber", .quantity(UInt64(block.height))),
            ("contractAddress", .null), ("cumulativeGasUsed", .quantity(cumulative)), ("effectiveGasPrice", .quantity(0)),
            ("from", address(sender(of: tx) ?? zeroAddress)), ("gasUsed", .quantity(gas)), ("logs", .array([])),
            ("logsBloom", .data([UInt8](repeating: 0, count: 256))), ("status", .quantity(1)),
            ("to", pay.map { address($0.publicKeyHash) } ?? .null), ("transactionHash", .data(tx.id)),
            ("transactionIndex", .quantity(UInt64(position))), ("type", .quantity(0)),
        ])
    }
}
