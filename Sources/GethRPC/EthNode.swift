import Blockchain
import JSONRPC
import SimKit

/// The state the Ethereum-style JSON-RPC methods work on: the workbench chain (a UTXO ledger),
/// the node's keystore (wallets, as geth's unlocked accounts), and the legacy miner switch.
///
/// How the UTXO chain is shown through Ethereum's account API (documented for the lessons):
/// - an account is a wallet's 20-byte public-key hash (RIPEMD160(SHA256(pubkey))), printed as
///   0x-hex with the EIP-55 checksum; its balance is the sum of its unspent outputs;
/// - 1 coin = 1 ether = 10^18 wei, so balances and values are whole ethers;
/// - a transaction's hash is its 32-byte id; `from` is the owner of its first input, `to` the first
///   output paid to someone else; the coinbase comes from the zero address;
/// - there is no gas market: gas is accepted, 21,000 per transfer is reported, and the price is 0;
/// - a "nonce" is the number of transactions an account has sent.
public struct EthNode: Codable, Equatable, Sendable {
    public var ledger: Ledger
    /// The keystore, oldest first (eth_accounts order).
    public var wallets: [Wallet]
    /// Draws the keys of `personal_newAccount`.
    public var random: SplitMix64
    /// geth's legacy `miner.start()`: while on, every transaction is mined into a block at once.
    public var mining: Bool = false
    /// Public-key hash paid by mined blocks (geth's etherbase); nil = the first account.
    public var etherbase: [UInt8]?
    /// Unix seconds of the node's clock (blocks are stamped with it; each new block adds 1 s at least).
    public var nowSeconds: Int64
    /// Proof-of-work bound per block, so a high difficulty cannot hang a request.
    public var maxAttempts: Int64 = 200_000_000
    /// Peers shown by admin_peers (filled when the node is part of a simulated network).
    public var peers: [String] = []

    public static let chainId: UInt64 = 1337
    public static let clientVersion = "Workbench/v1.0.0-geth-style/linux-amd64/swift6.3"
    /// Gas a plain value transfer uses in Ethereum; reported for every transfer.
    public static let transferGas: UInt64 = 21_000
    /// Reported block gas limit (30 M, the mainnet figure of 2021-2024).
    public static let gasLimit: UInt64 = 30_000_000
    /// wei per coin: one coin is shown as one ether.
    public static let weiPerCoin: UInt64 = 1_000_000_000_000_000_000

    public init(ledger: Ledger, wallets: [Wallet], random: SplitMix64, nowSeconds: Int64) {
        self.ledger = ledger
        self.wallets = wallets
        self.random = random
        self.nowSeconds = nowSeconds
    }

    /// The miner's payee: the etherbase, else the first account.
    public var minerHash: [UInt8]? { etherbase ?? wallets.first.map { Address.publicKeyHash($0.publicKey) } }

    public func wallet(hash: [UInt8]) -> Wallet? {
        wallets.first { Address.publicKeyHash($0.publicKey) == hash }
    }

    /// A block timestamp: the node's clock, but always after the tip's.
    mutating func nextTimestamp() -> Int64 {
        let after = (ledger.tip?.timestamp ?? 0) + 1
        nowSeconds = max(nowSeconds, after)
        return nowSeconds
    }

    /// Mines the mempool into one block paid to the miner (what `miner.start()` did on a PoW chain).
    @discardableResult
    public mutating func mineBlock() throws(LedgerError) -> LedgerBlock {
        guard let miner = minerHash else { throw .invalidAddress("(etherbase)", reason: "no account to pay: create one with personal.newAccount()") }
        let ts = nextTimestamp()
        if ledger.isEmpty {
            // A node with no chain yet mines the genesis (geth's would come from `geth init genesis.json`).
            return try ledger.createBlockchain(address: Base58.checkEncode(version: Address.version, payload: miner),
                                               timestamp: ts, maxAttempts: maxAttempts)
        }
        return try ledger.mineBlock(miner: miner, timestamp: ts, maxAttempts: maxAttempts)
    }

    /// Mines while the miner is on and transactions wait.
    mutating func mineIfStarted() throws(LedgerError) {
        if mining && !ledger.mempool.isEmpty { try mineBlock() }
    }
}

/// Coins ↔ wei (1 coin = 10^18 wei), as big-endian bytes for QUANTITY encoding.
public enum Wei {
    public static func bytes(coins: Int) -> [UInt8] {
        let (high, low) = UInt64(max(coins, 0)).multipliedFullWidth(by: EthNode.weiPerCoin)
        return be(high) + be(low)
    }

    /// Whole coins from a wei amount; nil when it is not a whole number of coins or too large.
    public static func coins(wei bytes: [UInt8]) -> Int? {
        let trimmed = Array(bytes.drop(while: { $0 == 0 }))
        guard trimmed.count <= 16 else { return nil }
        let padded = [UInt8](repeating: 0, count: 16 - trimmed.count) + trimmed
        let high = padded[0..<8].reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
        let low = padded[8..<16].reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
        guard high < EthNode.weiPerCoin else { return nil }
        let (q, r) = EthNode.weiPerCoin.dividingFullWidth((high, low))
        guard r == 0, q <= UInt64(Int.max) else { return nil }
        return Int(q)
    }

    static func be(_ v: UInt64) -> [UInt8] { (0..<8).map { UInt8(truncatingIfNeeded: v >> (56 - 8 * UInt64($0))) } }
}
