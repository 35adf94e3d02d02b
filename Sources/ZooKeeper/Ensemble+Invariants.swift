// Safety invariants (the ZAB TLA+ spec's Agreement, PrefixConsistency and TotalOrder, in the
// forms a simulation can check cheaply). Some are checked as events happen and remembered;
// `checkInvariants` adds the ones computed from the current state.

extension Ensemble {
    /// Empty when everything holds:
    /// - at most one leader per epoch ever, and epochs of successive leaders increase;
    /// - every server's log has strictly increasing zxids after its snapshot, and
    ///   currentEpoch ≤ acceptedEpoch;
    /// - applied prefixes agree: a txn applied on commit equals the committed one with that zxid,
    ///   two live servers' committed-log windows agree on every zxid they share, and two live
    ///   servers that applied up to the same zxid hold equal states;
    /// - every committed txn is in the history of every later leader; committed zxids increase.
    public func checkInvariants() -> [String] {
        var problems = violations
        for k in electedLeaders.indices.dropFirst() {
            let a = electedLeaders[k - 1], b = electedLeaders[k]
            if b.epoch <= a.epoch {
                problems.append("epoch \(b.epoch) led by s\(b.sid) after epoch \(a.epoch) led by s\(a.sid)")
            }
        }
        for (i, node) in nodes.enumerated() {
            var previous = node.snapshotZxid
            if node.logCount != logs[i].count || node.lastLoggedZxid != (logs[i].last?.zxid ?? node.snapshotZxid) {
                problems.append("s\(node.sid): cached log position out of date")
            }
            for entry in logs[i] {
                if entry.zxid <= previous {
                    problems.append("s\(node.sid)'s log has \(entry.zxid) after \(previous)")
                    break
                }
                previous = entry.zxid
            }
            if node.currentEpoch > node.acceptedEpoch {
                problems.append("s\(node.sid): currentEpoch \(node.currentEpoch) > acceptedEpoch \(node.acceptedEpoch)")
            }
        }
        let live = nodes.indices.filter { nodes[$0].alive }
        for x in live.indices {
            for y in live.indices where y > x {
                let a = live[x], b = live[y]
                if nodes[a].lastProcessedZxid == nodes[b].lastProcessedZxid, states[a] != states[b] {
                    problems.append("s\(a + 1) and s\(b + 1) both applied through \(nodes[a].lastProcessedZxid) but hold different states")
                }
                if let clash = firstClash(windows[a], windows[b]) {
                    problems.append("s\(a + 1) and s\(b + 1) committed different txns with zxid \(clash)")
                }
            }
        }
        return problems
    }

    /// The first zxid two windows share with different payloads.
    func firstClash(_ a: CommittedWindow<Payload>, _ b: CommittedWindow<Payload>) -> Zxid? {
        var x = 0, y = 0
        guard let ra = a.range, let rb = b.range, ra.min <= rb.max, rb.min <= ra.max else { return nil }
        x = a.lowerBound(rb.min)
        y = b.lowerBound(ra.min)
        while x < a.count, y < b.count {
            let ea = a[x], eb = b[y]
            if ea.zxid < eb.zxid {
                x += 1
            } else if eb.zxid < ea.zxid {
                y += 1
            } else {
                if ea.payload != eb.payload { return ea.zxid }
                x += 1
                y += 1
            }
        }
        return nil
    }

    /// Index of `zxid` in the committed history.
    func committedIndex(of zxid: Zxid) -> Int? {
        var low = 0, high = committedHistory.count
        while low < high {
            let mid = (low + high) / 2
            if committedHistory[mid].zxid < zxid { low = mid + 1 } else { high = mid }
        }
        return low < committedHistory.count && committedHistory[low].zxid == zxid ? low : nil
    }

    /// A serving leader commits a txn: it extends the committed history (or, when another
    /// leader's sync already recorded it, must equal what was recorded).
    mutating func registerCommit(_ sid: Int, _ entry: LogEntry<Payload>) {
        if let last = committedHistory.last, entry.zxid <= last.zxid {
            if let k = committedIndex(of: entry.zxid) {
                if committedHistory[k].payload != entry.payload {
                    violation("s\(sid) committed \(entry.zxid) with a payload different from the committed one")
                }
            } else {
                violation("s\(sid) committed \(entry.zxid), which is not in the committed history (last \(last.zxid))")
            }
            return
        }
        committedHistory.append(CommittedTxn(zxid: entry.zxid, payload: entry.payload))
    }

    /// A follower applies a committed txn: it must equal the committed one with that zxid.
    mutating func checkAppliedAgainstHistory(_ sid: Int, _ entry: LogEntry<Payload>) {
        if let k = committedIndex(of: entry.zxid), committedHistory[k].payload != entry.payload {
            violation("s\(sid) applied \(entry.zxid) with a payload different from the committed one")
        }
    }

    /// A leader starts serving: its history must hold every committed txn; then its history
    /// beyond the committed one counts as committed (a quorum acked NEWLEADER for it).
    mutating func checkLeaderHistory(_ i: Int, epoch: Int64) {
        let sid = i + 1
        let window = windows[i]
        if let last = committedHistory.last {
            if nodes[i].lastProcessedZxid < last.zxid {
                violation("s\(sid) leads epoch \(epoch) without committed \(last.zxid) (its history ends at \(nodes[i].lastProcessedZxid))")
            } else if let range = window.range {
                var k = committedIndex(of: range.min) ?? committedHistory.count
                if k == committedHistory.count, let first = committedHistory.firstIndex(where: { $0.zxid > range.min }) { k = first }
                var w = 0
                while k < committedHistory.count, committedHistory[k].zxid <= range.max {
                    let txn = committedHistory[k]
                    w = window.lowerBound(txn.zxid)
                    if w >= window.count || window[w].zxid != txn.zxid || window[w].payload != txn.payload {
                        violation("s\(sid) leads epoch \(epoch) without committed \(txn.zxid)")
                        break
                    }
                    k += 1
                }
            }
        }
        let lastCommitted = committedHistory.last?.zxid ?? .zero
        var w = window.lowerBound(lastCommitted)
        while w < window.count {
            let entry = window[w]
            if entry.zxid > lastCommitted { committedHistory.append(CommittedTxn(zxid: entry.zxid, payload: entry.payload)) }
            w += 1
        }
    }
}
