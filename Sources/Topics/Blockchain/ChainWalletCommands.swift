import Blockchain
import SimKit
import WorkbenchKit

/// Part 5's wallets and addresses and part 6's Merkle tree, as commands (the tutorial's CLI verbs
/// where it has them: `createwallet`, `listaddresses`).
enum ChainWalletCommands {
    static var all: [CommandSpec] { [createWallet, listAddresses, address, merkle] }

    static let createWallet = CommandSpec(
        ["chain", "createwallet"], abstract: "Create a wallet: a P-256 key pair and its address (Jeiwan's createwallet).",
        discussion: "The address is Base58Check of version 0x00 and RIPEMD160(SHA256(X‖Y)). Keys come from the session's seeded random source, so the same seed makes the same wallets.",
        effect: .mutating, examples: ["chain createwallet"]
    ) { _, session in
        let seeded = session.state.randomStream("chain-wallets")
        let wallet = try session.updateTopic(ChainState.self) { state -> Wallet in
            var random = state.walletRandom ?? seeded
            let wallet = Wallet.make(using: &random)
            state.walletRandom = random
            state.wallets.append(wallet)
            return wallet
        }
        return .text("Your new address: \(wallet.address)", value: ChainWalletViews.walletValue(wallet))
    }

    static let listAddresses = CommandSpec(
        ["chain", "listaddresses"], abstract: "The addresses of your wallets (Jeiwan's listaddresses).",
        effect: .readOnly, examples: ["chain listaddresses", "expect chain listaddresses | length == 2"]
    ) { _, session in
        let wallets = session.topic(ChainState.self).wallets
        return Output(.array(wallets.map(ChainWalletViews.walletValue))) { _ in
            wallets.isEmpty ? "no wallets yet: `chain createwallet`" : wallets.map(\.address).joined(separator: "\n")
        }
    }

    static let address = CommandSpec(
        ["chain", "address"], abstract: "Take an address apart: version, public-key hash, checksum (ValidateAddress).",
        parameters: [.required("address", .text, "A Base58Check address.", completions: { session in session.topic(ChainState.self).wallets.map(\.address) })],
        effect: .readOnly, examples: ["chain address 1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa"]
    ) { inv, session in
        let text = inv.text("address") ?? ""
        do throws(Base58Error) {
            let decoded = try Base58.checkDecode(text)
            // The checksum holds; an address must also carry version 0x00 and a 20-byte hash
            // (Jeiwan's ValidateAddress checks only the checksum).
            var problem: String?
            do throws(Base58Error) { _ = try Address.publicKeyHash(of: text) } catch { problem = error.message }
            let value = Value.object([("address", .string(text)), ("valid", .bool(problem == nil)), ("version", .int(Int64(decoded.version))),
                                      ("publicKeyHash", .string(ChainWalletViews.hex(decoded.payload)))] + (problem.map { [("error", Value.string($0))] } ?? []))
            return Output(value) { _ in
                (problem.map { "invalid: checksum ok, but \($0)" } ?? "valid: version 0x\(String(format: "%02x", decoded.version)), public-key hash \(ChainWalletViews.hex(decoded.payload)) (RIPEMD160(SHA256(public key))), checksum ok")
            }
        } catch {
            return Output(.object([("address", .string(text)), ("valid", .bool(false)), ("error", .string(error.message))])) { _ in "invalid: \(error.message)" }
        }
    }

    static let merkle = CommandSpec(
        ["chain", "merkle"], abstract: "Build a Merkle tree of items (transactions' bytes) and show its levels, root, and an inclusion proof.",
        discussion: "Leaves are SHA-256 of each item; a node is SHA-256 of its two children; on every level with an odd count the last node is paired with itself, as Bitcoin does (the tutorial did it only once, so 5-7 and 8+ items broke). --proof N lists the sibling hashes that prove item N is in the tree.",
        parameters: [.rest("items", "The items, each quoted.")],
        flags: [.option("--proof", .integer(0...1_000_000), "Show the inclusion proof of item N (from 0).")],
        effect: .readOnly, examples: ["chain merkle tx1 tx2 tx3", "chain merkle a b c d e --proof 4"]
    ) { inv, session in
        let items = inv.tokens.filter { !(!$0.quoted && $0.text.hasPrefix("--")) && $0.text != inv.text("proof") }.map { Array($0.text.utf8) }
        let tree: MerkleTree
        do throws(MerkleError) { tree = try MerkleTree(items) } catch {
            throw WorkbenchError.usage(command: inv.spec.name, problem: error.message, usage: inv.spec.usage)
        }
        var proof: MerkleProof?
        if let n = inv.int("proof") {
            do throws(MerkleError) { proof = try tree.proof(forItem: n) } catch {
                throw WorkbenchError.failed(what: inv.spec.name, why: error.message, fix: "items are numbered from 0 to \(items.count - 1)")
            }
        }
        return Output(ChainWalletViews.merkleValue(tree, proof: proof, items: items)) { style in ChainWalletViews.drawMerkle(tree, proof: proof, style: style) }
    }
}

enum ChainWalletViews {
    static func hex(_ bytes: [UInt8]) -> String { bytes.map { String(format: "%02x", $0) }.joined() }

    static func walletValue(_ w: Wallet) -> Value {
        .object([("address", .string(w.address)), ("publicKey", .string(hex(w.publicKey))), ("publicKeyHash", .string(hex(Address.publicKeyHash(w.publicKey))))])
    }

    static func merkleValue(_ t: MerkleTree, proof: MerkleProof?, items: [[UInt8]]) -> Value {
        var pairs: [(String, Value)] = [("root", .string(hex(t.root))),
                                        ("levels", .array(t.levels.map { .array($0.map { .string(hex($0)) }) }))]
        if let proof {
            pairs.append(("proof", .object([("index", Value(proof.index)),
                                             ("steps", .array(proof.steps.map { .object([("sibling", .string(hex($0.sibling))), ("siblingOnLeft", .bool($0.siblingOnLeft))]) })),
                                             ("verifies", .bool(proof.verify(item: items[proof.index], root: t.root)))])))
        }
        return .object(pairs)
    }

    /// Levels from the root down, each hash shortened to 8 hex digits; the proof's path marked.
    static func drawMerkle(_ t: MerkleTree, proof: MerkleProof?, style: Style) -> String {
        var lines: [String] = []
        var onPath: Set<String> = []
        var siblings: Set<String> = []
        if let proof {
            var index = proof.index
            for (depth, level) in t.levels.enumerated() where index < level.count {
                onPath.insert("\(depth):\(index)")
                if depth < proof.steps.count { siblings.insert("\(depth):\(index ^ 1 < level.count ? index ^ 1 : index)") }
                index /= 2
            }
        }
        for (depth, level) in t.levels.enumerated().reversed() {
            let label = depth == t.levels.count - 1 ? "root    " : (depth == 0 ? "leaves  " : "level \(depth) ")
            let cells = level.enumerated().map { i, h -> String in
                let short = String(hex(h).prefix(8))
                if onPath.contains("\(depth):\(i)") { return style.green("[" + short + "]") }
                if siblings.contains("\(depth):\(i)") { return style.yellow("<" + short + ">") }
                return " " + short + " "
            }
            lines.append(label + cells.joined(separator: " "))
        }
        lines.append("root: " + hex(t.root))
        if let proof {
            lines.append("proof of item \(proof.index): " + proof.steps.map { ($0.siblingOnLeft ? "L " : "R ") + String(hex($0.sibling).prefix(8)) }.joined(separator: ", ")
                         + style.dim("  ([path] green, <siblings> yellow)"))
        }
        return lines.joined(separator: "\n")
    }
}
