import Blockchain
import WorkbenchKit

/// Dishonest blocks for `chain forge`: each cheats in one way and carries valid proof of work, so
/// only the transaction checks the tutorial left out can catch it.
enum ChainForgery {
    static let kinds = ["double-spend", "overspend", "steal", "bad-signature", "greedy-coinbase"]

    static func build(_ kind: String, ledger: Ledger, victim: Wallet, thief: Wallet, timestamp: Int64,
                      what: String) throws -> (LedgerBlock, String) {
        let thiefHash = Address.publicKeyHash(thief.publicKey)
        let victimHash = Address.publicKeyHash(victim.publicKey)
        guard let coin = ledger.utxo.outputs(lockedTo: victimHash).first else {
            throw WorkbenchError.failed(what: what, why: "\(victim.address) has no unspent output to cheat with",
                                        fix: "`chain getbalance --address \(victim.address)`; mine a block paid to it first")
        }
        let spent: (OutPoint) -> TXOutput? = { ledger.utxo.unspent[$0]?.output }
        let value = coin.output.value
        func payment(_ amount: Int, to hash: [UInt8], key: [UInt8], signer: Wallet) throws -> Transaction {
            var tx = Transaction(inputs: [TXInput(txid: coin.outPoint.txid, vout: coin.outPoint.index, publicKey: key)],
                                 outputs: [TXOutput(value: amount, publicKeyHash: hash)])
            try tx.sign(with: signer, spent: spent)
            return tx
        }
        let txs: [Transaction]
        let story: String
        do {
            switch kind {
            case "double-spend":
                txs = [try payment(value, to: thiefHash, key: victim.publicKey, signer: victim),
                       try payment(value, to: victimHash, key: victim.publicKey, signer: victim)]
                story = "two transactions, both signed by the owner, spend \(coin.outPoint.description) (\(value) coins)"
            case "overspend":
                txs = [try payment(value + 1, to: thiefHash, key: victim.publicKey, signer: victim)]
                story = "a transaction spends \(value) coins and pays out \(value + 1)"
            case "steal":
                txs = [try payment(value, to: thiefHash, key: thief.publicKey, signer: thief)]
                story = "the thief spends \(victim.address)'s \(coin.outPoint.description) with the thief's own key and signature"
            case "bad-signature":
                var tx = try payment(value, to: thiefHash, key: thief.publicKey, signer: thief)
                tx.inputs[0].publicKey = victim.publicKey
                txs = [tx]
                story = "the thief presents the owner's public key, but signs with the thief's own key"
            default:
                var template = try templateOrFail(ledger, miner: thiefHash, timestamp: timestamp, what: what)
                template.transactions[0].outputs[0].value = ledger.subsidy * 100
                template.merkleRoot = template.computedMerkleRoot
                let block = try minedOrFail(template, what: what)
                return (block, "the coinbase pays the miner \(ledger.subsidy * 100) instead of the subsidy \(ledger.subsidy)")
            }
        } catch let error as WorkbenchError {
            throw error
        } catch {
            throw WorkbenchError.failed(what: what, why: "could not build the forgery: \(error)", fix: nil)
        }
        do throws(LedgerError) {
            return (try ledger.forge(miner: thiefHash, transactions: txs, timestamp: timestamp, maxAttempts: ChainTopic.defaultMaxAttempts), story)
        } catch {
            throw ChainLedgerCommands.fail(what, error)
        }
    }

    static func templateOrFail(_ ledger: Ledger, miner: [UInt8], timestamp: Int64, what: String) throws -> LedgerBlock {
        do throws(LedgerError) { return try ledger.template(miner: miner, timestamp: timestamp) } catch { throw ChainLedgerCommands.fail(what, error) }
    }

    static func minedOrFail(_ template: LedgerBlock, what: String) throws -> LedgerBlock {
        do throws(LedgerError) { return try Ledger.mine(template, maxAttempts: ChainTopic.defaultMaxAttempts) } catch { throw ChainLedgerCommands.fail(what, error) }
    }
}
