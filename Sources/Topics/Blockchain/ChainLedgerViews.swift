import Blockchain
import WorkbenchKit

/// Values (for --json and expect) and terminal views of the transaction chain.
enum ChainLedgerViews {
    static func hex(_ b: [UInt8]) -> String { ProofOfWork.hex(b) }
    static func short(_ b: [UInt8]) -> String { String(hex(b).prefix(12)) }

    /// An address for a public-key hash (Base58Check, version 0x00).
    static func address(_ hash: [UInt8]) -> String { Base58.checkEncode(version: Address.version, payload: hash) }

    static func txValue(_ tx: Transaction) -> Value {
        .object([
            ("txid", .string(hex(tx.id))), ("coinbase", .bool(tx.isCoinbase)),
            ("inputs", .array(tx.inputs.map { i in
                tx.isCoinbase ? .object([("coinbase", .string(String(decoding: i.publicKey, as: UTF8.self)))])
                    : .object([("txid", .string(hex(i.txid))), ("vout", Value(i.vout)), ("signature", .string(hex(i.signature))),
                               ("pubKey", .string(hex(i.publicKey))), ("from", .string(address(Address.publicKeyHash(i.publicKey))))])
            })),
            ("outputs", .array(tx.outputs.enumerated().map { n, o in
                .object([("index", Value(n)), ("value", Value(o.value)), ("pubKeyHash", .string(hex(o.publicKeyHash))),
                         ("address", .string(address(o.publicKeyHash)))])
            })),
        ])
    }

    static func blockValue(_ b: LedgerBlock?, ledger: Ledger) -> Value {
        guard let b else { return .null }
        return .object([
            ("height", Value(b.height)), ("hash", .string(hex(b.hash))), ("prev", .string(hex(b.prevBlockHash))),
            ("merkleRoot", .string(hex(b.merkleRoot))), ("timestamp", Value(Int(b.timestamp))), ("targetBits", Value(b.targetBits)),
            ("nonce", Value(Int(b.nonce))), ("transactions", .array(b.transactions.map(txValue))),
        ])
    }

    /// One line per transaction: `3f2a…: A → B 6, change 4` style.
    static func describe(_ tx: Transaction, style: Style) -> String {
        let outs = tx.outputs.map { "\($0.value) → \(address($0.publicKeyHash))" }.joined(separator: ", ")
        if tx.isCoinbase { return "\(short(tx.id))…  coinbase: \(outs)" }
        let from = tx.inputs.first.map { address(Address.publicKeyHash($0.publicKey)) } ?? "?"
        let spends = tx.inputs.map { "\(short($0.txid))…:\($0.vout)" }.joined(separator: ", ")
        return "\(short(tx.id))…  from \(from) spends \(spends); pays \(outs)"
    }

    /// Jeiwan's printchain layout for one block.
    /// `verdict`: the block's fault from `chain verifychain` (nil = not checked; "" = valid).
    static func printBlock(_ b: LedgerBlock, style: Style, verdict: String? = nil) -> String {
        var lines = [style.bold("============ Block \(hex(b.hash)) ============"), "Height: \(b.height)",
                     "Prev. block: \(hex(b.prevBlockHash))", "Merkle root: \(hex(b.merkleRoot))"]
        if let verdict {
            // Jeiwan's line: the proof of work of the block's header as stored, recomputed.
            lines.append("PoW: \(ProofOfWork.meets(hash: b.computedHash, targetBits: b.targetBits))")
            lines.append("Valid: " + (verdict.isEmpty ? "true" : style.red("false (\(verdict))")))
        }
        for tx in b.transactions {
            lines.append("--- Transaction \(hex(tx.id)):")
            for (i, input) in tx.inputs.enumerated() {
                lines.append("     Input \(i):")
                if tx.isCoinbase {
                    lines.append("       (coinbase) \(String(decoding: input.publicKey, as: UTF8.self))")
                } else {
                    lines += ["       TXID:      \(hex(input.txid))", "       Out:       \(input.vout)",
                              "       Signature: \(hex(input.signature))", "       PubKey:    \(hex(input.publicKey))"]
                }
            }
            for (i, output) in tx.outputs.enumerated() {
                lines += ["     Output \(i):", "       Value:  \(output.value)",
                          "       Script: \(hex(output.publicKeyHash))  (\(address(output.publicKeyHash)))"]
            }
        }
        return lines.joined(separator: "\n")
    }

    static func utxoValue(_ u: UnspentOutput, held: Bool) -> Value {
        .object([("outpoint", .string(u.outPoint.description)), ("value", Value(u.output.value)),
                 ("address", .string(address(u.output.publicKeyHash))), ("height", Value(u.height)),
                 ("coinbase", .bool(u.isCoinbase)), ("held", .bool(held))])
    }

    static func utxoTable(_ entries: [UnspentOutput], held: [OutPoint: [UInt8]], style: Style) -> String {
        guard !entries.isEmpty else { return "no unspent outputs" }
        var rows: [[String]] = []
        for u in entries {
            rows.append(["\(short(u.outPoint.txid))…:\(u.outPoint.index)", "\(u.output.value)", address(u.output.publicKeyHash),
                         "\(u.height)", (u.isCoinbase ? "coinbase" : "") + (held[u.outPoint] != nil ? " held by \(short(held[u.outPoint] ?? []))…" : "")])
        }
        let total = entries.reduce(0) { $0 + $1.output.value }
        return Table(headers: ["OUTPOINT", "VALUE", "ADDRESS", "BLOCK", ""], rows: rows).render(style: style)
            + "\n\(entries.count) outputs, \(total) coins"
    }

    static func txDetailValue(_ tx: Transaction, ledger: Ledger) -> Value {
        let found = ledger.transaction(id: tx.id)
        let spentBy: [Value] = tx.outputs.indices.map { i in
            let point = OutPoint(txid: tx.id, index: i)
            if let record = ledger.utxo.spent[point] { return .string(hex(record.txid)) }
            if let claim = ledger.mempoolClaims[point] { return .string(hex(claim)) }
            return .null
        }
        return .object([("transaction", txValue(tx)), ("block", found?.block.map { Value($0.height) } ?? .null),
                         ("spentBy", .array(spentBy))])
    }

    /// Inputs on the left (with the outputs they spend), outputs on the right (with who spent them).
    static func txGraph(_ tx: Transaction, ledger: Ledger, style: Style) -> String {
        let found = ledger.transaction(id: tx.id)
        var lines = [style.bold("transaction \(hex(tx.id))") + "  " + (found?.block.map { "in block \($0.height)" } ?? style.yellow("in the mempool"))]
        if tx.isCoinbase {
            lines.append("  (coinbase: new coins, \"\(String(decoding: tx.inputs.first?.publicKey ?? [], as: UTF8.self))\")")
        }
        var inTotal = 0
        for input in tx.inputs where !tx.isCoinbase {
            let spent = ledger.transaction(id: input.txid)?.tx.outputs
            let output = spent.flatMap { $0.indices.contains(input.vout) ? $0[input.vout] : nil }
            inTotal += output?.value ?? 0
            lines.append("  \(short(input.txid))…:\(input.vout)  \(output.map { "\($0.value) of \(address($0.publicKeyHash))" } ?? "?")  ──┐")
        }
        lines.append(String(repeating: " ", count: 40) + "├─▶ \(short(tx.id))…")
        for (i, output) in tx.outputs.enumerated() {
            let point = OutPoint(txid: tx.id, index: i)
            let fate = ledger.utxo.spent[point].map { "spent by \(short($0.txid))… in block \($0.height)" }
                ?? ledger.mempoolClaims[point].map { "claimed by \(short($0))… (mempool)" } ?? "unspent"
            lines.append(String(repeating: " ", count: 44) + "└─ \(i): \(output.value) → \(address(output.publicKeyHash))  \(style.dim(fate))")
        }
        if !tx.isCoinbase {
            let out = tx.outputs.reduce(0) { $0 + $1.value }
            lines.append("inputs \(inTotal), outputs \(out)" + (inTotal > out ? ", fee \(inTotal - out)" : ""))
        }
        return lines.joined(separator: "\n")
    }
}
