import Blockchain
import WorkbenchKit

/// Tables and diagrams of the peer network.
enum ChainNetViews {
    static func name(_ id: Int?, net: PeerNetwork?) -> String {
        guard let id else { return "*" }
        return net?.node(id)?.name ?? String(id)
    }

    /// The simulated time of day, `18:15:05.050` (UTC).
    static func clock(_ ms: Int64) -> String {
        let day = ((ms % 86_400_000) + 86_400_000) % 86_400_000
        let (h, m, sec, milli) = (day / 3_600_000, day / 60_000 % 60, day / 1000 % 60, day % 1000)
        func two(_ v: Int64) -> String { v < 10 ? "0\(v)" : "\(v)" }
        return "\(two(h)):\(two(m)):\(two(sec)).\(milli < 10 ? "00" : (milli < 100 ? "0" : ""))\(milli)"
    }

    static func entryValue(_ e: NetLogEntry, net: PeerNetwork?) -> Value {
        .object([("timeMs", .int(e.timeMs)), ("from", e.from.map { .string(name($0, net: net)) } ?? .null),
                 ("to", e.to.map { .string(name($0, net: net)) } ?? .null), ("type", .string(e.type)),
                 ("kind", .string(e.kind.rawValue)), ("summary", .string(e.summary)), ("fault", e.faultKind.map(Value.string) ?? .null)])
    }

    /// One log entry on one line: `+0.050s A → B  inv  inv block ×1`.
    static func line(_ e: NetLogEntry, net: PeerNetwork?) -> String {
        let arrow = e.kind == .local ? "\(name(e.to, net: net))      " : "\(name(e.from, net: net)) → \(name(e.to, net: net))"
        let mark = e.kind == .dropped ? "  ✗ dropped" : ""
        return "\(clock(e.timeMs))  \(arrow)  \(e.type.padding(toLength: 9, withPad: " ", startingAt: 0)) \(e.summary)\(mark)"
    }

    static func statusValue(_ net: PeerNetwork) -> Value {
        .object([("agree", .bool(net.tipsAgree)), ("commonHeight", Value(net.commonHeight)), ("partitioned", .bool(net.groups != nil)),
                 ("nodes", .array(net.summaries.map { s in
                     .object([("name", .string(s.name)), ("id", Value(s.id)), ("height", Value(s.height)), ("tip", .string(ProofOfWork.hex(s.tipHash))),
                              ("mempool", Value(s.mempoolSize)), ("inTransit", Value(s.inTransit)), ("miner", .bool(s.isMiner)),
                              ("peers", .array(s.peers.map(Value.string))), ("group", s.group.map { Value($0) } ?? .null)])
                 }))])
    }

    static func statusTable(_ net: PeerNetwork, style: Style) -> String {
        var rows: [[String]] = []
        for s in net.summaries {
            rows.append([s.name, s.address, "\(s.height)", String(ProofOfWork.hex(s.tipHash).prefix(12)) + "…", "\(s.mempoolSize)",
                         "\(s.inTransit)", s.isMiner ? (s.autoMine ? "auto" : "yes") : "", s.group.map { "\($0)" } ?? ""])
        }
        let pending = net.pendingEvents.count
        return Table(headers: ["NODE", "ADDRESS", "HEIGHT", "TIP", "MEMPOOL", "IN TRANSIT", "MINER", "GROUP"], rows: rows).render(style: style) + "\n"
            + (net.tipsAgree ? style.green("all nodes agree on the tip") : style.yellow("nodes disagree: `chain net chains` shows the fork"))
            + (pending > 0 ? style.dim("  (\(pending) event(s) pending: `step` or `run`)") : "")
    }

    /// A sequence diagram: one column per node, an arrow per message.
    static func sequenceDiagram(_ entries: [NetLogEntry], net: PeerNetwork, style: Style) -> String {
        guard !entries.isEmpty else { return "no messages yet" }
        let ids = net.ids
        let width = 8
        var lines = [String(repeating: " ", count: 14) + ids.map { name($0, net: net).padding(toLength: width, withPad: " ", startingAt: 0) }.joined()]
        for e in entries {
            var cells = Array(repeating: "│" + String(repeating: " ", count: width - 1), count: ids.count)
            let a = e.from.flatMap { ids.firstIndex(of: $0) }
            let b = e.to.flatMap { ids.firstIndex(of: $0) }
            if let a, let b, a != b {
                let (lo, hi) = (min(a, b), max(a, b))
                for i in lo..<hi { cells[i] = (i == lo ? "├" : "─") + String(repeating: "─", count: width - 1) }
                cells[hi] = (a < b ? "▶" : "┤") + String(repeating: " ", count: width - 1)
                if a > b { cells[lo] = "◀" + String(repeating: "─", count: width - 1) }
                if e.kind == .dropped { cells[hi] = "✗" + String(repeating: " ", count: width - 1) }
            } else if let b {
                cells[b] = "●" + String(repeating: " ", count: width - 1)
            }
            let time = clock(e.timeMs).padding(toLength: 14, withPad: " ", startingAt: 0)
            let text = e.kind == .dropped ? style.red(e.summary + " (dropped)") : (e.faultKind != nil ? style.red(e.summary) : e.summary)
            lines.append(time + cells.joined() + " " + style.bold(e.type) + " " + text)
        }
        return lines.joined(separator: "\n")
    }

    /// Each node's chain as a row of short hashes; columns where nodes differ are marked.
    static func forkDiagram(_ net: PeerNetwork, style: Style) -> String {
        let chains = net.chains
        let longest = chains.map(\.hashes.count).max() ?? 0
        var lines: [String] = []
        for c in chains {
            var cells: [String] = []
            for h in 0..<longest {
                guard h < c.hashes.count else { cells.append("      "); continue }
                let same = chains.allSatisfy { $0.hashes.count > h && $0.hashes[h] == c.hashes[h] }
                let text = String(ProofOfWork.hex(c.hashes[h]).prefix(6))
                cells.append(same ? text : style.yellow(text))
            }
            lines.append("\(c.name)  " + cells.joined(separator: " ─ "))
        }
        lines.append(style.dim("heights 0…\(max(longest - 1, 0)); differing blocks in yellow; agreed prefix up to height \(net.commonHeight)"))
        return lines.joined(separator: "\n")
    }
}
