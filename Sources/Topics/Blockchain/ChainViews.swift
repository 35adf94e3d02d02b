import Blockchain
import SimKit
import WorkbenchKit

/// Values (for --json and expect) and terminal drawings of the chain. Every drawing is made
/// from the same facts as its value.
enum ChainViews {
    static func hex(_ bytes: [UInt8]) -> String { ProofOfWork.hex(bytes) }

    /// A Unix timestamp in seconds as a UTC date, or a plain note when it is out of range.
    static func date(_ seconds: Int64) -> String {
        let (ms, overflow) = seconds.multipliedReportingOverflow(by: 1000)
        return overflow ? "out of range" : UTCDate.string(ms: ms)
    }
    static func short(_ bytes: [UInt8]) -> String { bytes.isEmpty ? "(empty)" : String(hex(bytes).prefix(16)) + "…" }
    static func text(_ data: [UInt8]) -> String { String(decoding: data, as: UTF8.self) }

    /// 2^bits, written so people can read it.
    static func expected(_ bits: Int) -> String {
        if bits < 20 { return String(1 << bits) }
        if bits < 50 {
            let millions = Double(UInt64(1) << UInt64(bits)) / 1_000_000
            return millions < 10 ? "\(format1(millions)) million" : "\(Int(millions.rounded())) million"
        }
        return "2^\(bits)"
    }

    private static func format1(_ d: Double) -> String {
        let tenths = Int((d * 10).rounded())
        return "\(tenths / 10).\(tenths % 10)"
    }

    static func attemptValue(_ a: MiningAttempt) -> Value {
        .object([("block", Value(a.blockIndex)), ("nonce", .int(a.nonce)), ("hash", .string(hex(a.hash))),
                 ("leadingZeroBits", Value(a.leadingZeroBits)), ("found", .bool(a.found))])
    }

    static func describe(_ a: MiningAttempt, chain: Chain) -> String {
        let bits = chain.blocks.indices.contains(a.blockIndex) && a.found ? chain.blocks[a.blockIndex].targetBits : (chain.job?.targetBits ?? chain.targetBits)
        let verdict = a.found ? "below the target: block \(a.blockIndex) mined" : "not below the target"
        return "block \(a.blockIndex) nonce \(a.nonce): \(hex(a.hash).prefix(24))… \(a.leadingZeroBits) leading zero bits (need \(bits)) — \(verdict)"
    }

    static func describe(_ s: MiningSummary, chain: Chain, style: Style) -> String {
        let lines = s.blocksMined.map { i -> String in
            let b = chain.blocks[i]
            return "mined block \(i) " + style.dim("(\"\(text(b.data))\")") + ": nonce \(b.nonce), hash " + style.green(hex(b.hash))
        }
        return (lines + ["\(s.attempts) attempts" + (s.blocksMined.count > 1 ? " for \(s.blocksMined.count) blocks" : "")]).joined(separator: "\n")
    }

    /// What a finished mining command did: the blocks it mined (each checked on its own, so the
    /// cost does not grow with the chain) and the attempts it took.
    static func summaryValue(_ s: MiningSummary, chain: Chain) -> Value {
        .object([
            ("mined", .array(s.blocksMined.map { i in
                blockValue(chain.blocks[i], index: i, verdict: chain.verdict(at: i) ?? BlockVerdict(index: i, problems: []))
            })),
            ("attempts", .int(s.attempts)),
            ("height", Value(chain.blocks.count)),
        ])
    }

    static func jobValue(_ job: MiningJob?) -> Value {
        guard let job else { return .null }
        return .object([
            ("block", Value(job.blockIndex)), ("data", .string(text(job.data))), ("timestamp", .int(job.timestamp)),
            ("prevBlockHash", .string(hex(job.prevBlockHash))), ("targetBits", Value(job.targetBits)),
            ("nextNonce", .int(job.nextNonce)), ("attempts", .int(job.attempts)),
            ("lastAttempt", job.lastAttempt.map(attemptValue) ?? .null), ("remineThrough", job.remineThrough.map(Value.init) ?? .null),
        ])
    }

    static func blockValue(_ b: Block, index: Int, verdict: BlockVerdict) -> Value {
        .object([
            ("index", Value(index)), ("timestamp", .int(b.timestamp)), ("data", .string(text(b.data))),
            ("prevBlockHash", .string(hex(b.prevBlockHash))), ("hash", .string(hex(b.hash))), ("nonce", .int(b.nonce)),
            ("targetBits", Value(b.targetBits)), ("leadingZeroBits", Value(ProofOfWork.leadingZeroBits(b.hash))),
            ("valid", .bool(verdict.valid)), ("problems", .array(verdict.problems.map { .string($0.code) })),
        ])
    }

    static func chainValue(_ chain: Chain) -> Value {
        let report = chain.validate()
        return .object([
            ("targetBits", Value(chain.targetBits)),
            ("height", Value(chain.blocks.count)),
            ("valid", .bool(report.valid)),
            ("blocks", .array(chain.blocks.enumerated().map { blockValue($1, index: $0, verdict: report.blocks[$0]) })),
            ("mining", jobValue(chain.job)),
        ])
    }

    static func reportValue(_ r: ChainReport) -> Value {
        .object([
            ("valid", .bool(r.valid)),
            ("firstInvalid", r.firstInvalid.map(Value.init) ?? .null),
            ("blocks", .array(r.blocks.map { v in
                .object([("index", Value(v.index)), ("valid", .bool(v.valid)), ("problems", .array(v.problems.map { .string($0.code) })),
                         ("details", .array(v.problems.map { .string(explain($0)) }))])
            })),
        ])
    }

    static func explain(_ p: BlockProblem) -> String {
        switch p {
        case let .hashMismatch(stored, computed):
            return "hash-mismatch: stored hash \(short(stored)) but the block's bytes hash to \(short(computed))"
        case let .proofOfWork(computed, bits):
            return "proof-of-work: \(short(computed)) has \(ProofOfWork.leadingZeroBits(computed)) leading zero bits, the target needs \(bits)"
        case let .prevLink(expected, found):
            return "prev-link: PrevBlockHash is \(short(found)) but the previous block's hash is \(short(expected))"
        }
    }

    // MARK: Drawings

    static let boxWidth = 62

    static func box(_ title: String, _ rows: [(String, String)], color: (String) -> String) -> [String] {
        let inner = boxWidth - 2
        var out = [color("┌─ " + title + " " + String(repeating: "─", count: max(0, inner - 3 - Style.width(title))) + "┐")]
        for (key, value) in rows {
            let content = " " + Style.pad(key, to: 10) + " " + value
            let clipped = Style.width(content) > inner ? String(content.prefix(inner - 1)) + "…" : content
            out.append(color("│") + Style.pad(clipped, to: inner) + color("│"))
        }
        out.append(color("└" + String(repeating: "─", count: inner) + "┘"))
        return out
    }

    static func blockRows(_ b: Block, index: Int) -> [(String, String)] {
        [("data", "\"\(text(b.data))\""),
         ("timestamp", "\(b.timestamp) (\(ChainViews.date(b.timestamp)))"),
         ("prev", index == 0 && b.prevBlockHash.isEmpty ? "(empty: genesis)" : short(b.prevBlockHash)),
         ("hash", short(b.hash)),
         ("nonce", "\(b.nonce)   target bits \(b.targetBits)   zero bits \(ProofOfWork.leadingZeroBits(b.hash))")]
    }

    static func drawChain(_ chain: Chain, last: Int? = nil, style: Style) -> String {
        if chain.blocks.isEmpty && chain.job == nil {
            return "the chain is empty: `chain reset --difficulty 8` mines a genesis block"
        }
        let report = chain.validate()
        var lines: [String] = []
        let first = max(0, chain.blocks.count - (last ?? chain.blocks.count))
        if first > 0 { lines.append(style.dim("… blocks 0 to \(first - 1) not drawn (`chain show` draws them all)")) }
        for (i, b) in chain.blocks.enumerated() where i >= first {
            let verdict = report.blocks[i]
            if i > first {
                let linked = !verdict.problems.contains { $0.code == "prev-link" }
                lines.append(String(repeating: " ", count: 8) + (linked ? style.green("▲ prev = hash of block \(i - 1)") : style.red("✗ prev ≠ hash of block \(i - 1)")))
            }
            let status = verdict.valid ? "✓ valid" : "✗ " + verdict.problems.map(\.code).joined(separator: ", ")
            lines += box("block \(i) · \(status)", blockRows(b, index: i), color: verdict.valid ? style.green : style.red)
        }
        if let job = chain.job {
            lines.append(String(repeating: " ", count: 8) + style.yellow("… mining block \(job.blockIndex) (\"\(text(job.data))\"): next nonce \(job.nextNonce), \(job.attempts) tried"
                + (job.remineThrough.map { ", re-mining through block \($0)" } ?? "")))
        }
        lines.append("\(chain.blocks.count) block\(chain.blocks.count == 1 ? "" : "s") · target bits \(chain.targetBits) · " + (report.valid ? style.green("chain valid") : style.red("chain invalid from block \(report.firstInvalid ?? 0)")))
        return lines.joined(separator: "\n")
    }

    static func drawBlock(_ b: Block, index: Int, verdict: BlockVerdict, style: Style) -> String {
        var lines = [style.bold("block \(index)") + (verdict.valid ? style.green("  ✓ valid") : style.red("  ✗ invalid"))]
        lines.append("  Timestamp      \(b.timestamp) (\(ChainViews.date(b.timestamp)))")
        lines.append("  Data           \"\(text(b.data))\" (\(b.data.count) bytes)")
        lines.append("  PrevBlockHash  \(b.prevBlockHash.isEmpty ? "(empty)" : hex(b.prevBlockHash))")
        lines.append("  Hash           \(hex(b.hash))")
        lines.append("  Nonce          \(b.nonce)")
        lines.append("  TargetBits     \(b.targetBits)  (hash has \(ProofOfWork.leadingZeroBits(b.hash)) leading zero bits)")
        for p in verdict.problems { lines.append(style.red("  ✗ ") + explain(p)) }
        return lines.joined(separator: "\n")
    }

    static func bytesValue(_ fields: [ByteField]) -> Value {
        let all = fields.flatMap(\.bytes)
        return .object([
            ("length", Value(all.count)),
            ("fields", .array(fields.map { .object([("name", .string($0.name)), ("offset", Value($0.offset)), ("length", Value($0.bytes.count)), ("hex", .string(hex($0.bytes)))]) })),
            ("sha256", .string(hex(ProofOfWork.sha256(all)))),
        ])
    }

    static func drawBytes(_ fields: [ByteField], title: String, style: Style) -> String {
        let all = fields.flatMap(\.bytes)
        var lines = [style.bold("prepareData of \(title): \(all.count) bytes")]
        lines.append("offset  field          bytes")
        for field in fields {
            let chunks = stride(from: 0, to: max(field.bytes.count, 1), by: 16).map { start -> String in
                let slice = field.bytes[min(start, field.bytes.count)..<min(start + 16, field.bytes.count)]
                return stride(from: slice.startIndex, to: slice.endIndex, by: 4).map { hex(Array(slice[$0..<min($0 + 4, slice.endIndex)])) }.joined(separator: " ")
            }
            let note: String
            switch field.name {
            case "Data": note = "\"\(text(field.bytes))\""
            case "Timestamp", "TargetBits", "Nonce": note = "= \(bigEndian(field.bytes)) (8-byte big-endian)"
            default: note = field.bytes.isEmpty ? "(empty)" : ""
            }
            for (i, chunk) in chunks.enumerated() {
                let label = i == 0 ? Style.pad(String(field.offset), to: 6) + "  " + Style.pad(field.name, to: 13) : String(repeating: " ", count: 21)
                lines.append(label + "  " + style.cyan(chunk) + (i == chunks.count - 1 && !note.isEmpty ? "  " + style.dim(note) : ""))
            }
        }
        lines.append("SHA-256 = " + style.bold(hex(ProofOfWork.sha256(all))))
        return lines.joined(separator: "\n")
    }

    static func bigEndian(_ bytes: [UInt8]) -> Int64 {
        Int64(bitPattern: bytes.reduce(UInt64(0)) { $0 << 8 | UInt64($1) })
    }

    static func drawReport(_ r: ChainReport, chain: Chain, style: Style) -> String {
        if r.blocks.isEmpty { return "the chain is empty: nothing to validate" }
        let table = Table(headers: ["block", "data", "verdict"], rows: r.blocks.map { v in
            let data = "\"" + String(text(chain.blocks[v.index].data).prefix(24)) + "\""
            if v.valid { return [String(v.index), data, style.green("✓ valid")] }
            return [String(v.index), data, style.red("✗ " + v.problems.map(\.code).joined(separator: ", "))]
        }).render(style: style)
        let details = r.blocks.flatMap { v in v.problems.map { "  block \(v.index): " + explain($0) } }
        let verdict = r.valid ? style.green("the chain is valid") : style.red("the chain is invalid from block \(r.firstInvalid ?? 0)") + " — `chain remine \(r.firstInvalid ?? 0)` repairs it"
        return ([table] + details + [verdict]).joined(separator: "\n")
    }
}
