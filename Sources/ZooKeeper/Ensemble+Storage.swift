// The generic per-server storage — transaction log, snapshot, applied state, committed-log
// window — and the operations on it (ZKDatabase, FileTxnSnapLog). Every change to a log goes
// through these helpers so the cached `lastLoggedZxid`/`logCount` stay right.

extension Ensemble {
    mutating func appendLog(_ i: Int, _ entry: LogEntry<Payload>) {
        logs[i].append(entry)
        nodes[i].logCount += 1
        nodes[i].lastLoggedZxid = entry.zxid
    }

    /// FileTxnLog.truncate: drops every entry after `zxid`.
    mutating func truncateLog(_ i: Int, after zxid: Zxid) {
        if let cut = logs[i].firstIndex(where: { $0.zxid > zxid }) {
            logs[i].removeSubrange(cut...)
        }
        refreshLogCache(i)
    }

    mutating func replaceDisk(_ i: Int, snapshot: Snapshot<State>, log: [LogEntry<Payload>]) {
        snapshots[i] = snapshot
        nodes[i].snapshotZxid = snapshot.zxid
        logs[i] = log
        refreshLogCache(i)
    }

    mutating func refreshLogCache(_ i: Int) {
        nodes[i].logCount = logs[i].count
        nodes[i].lastLoggedZxid = logs[i].last?.zxid ?? nodes[i].snapshotZxid
    }

    /// The process died: its memory is gone (the disk stays).
    mutating func forgetMemory(_ i: Int) {
        nodes[i].resetVolatile()
        states[i] = State()
        windows[i].removeAll()
    }

    /// ZKDatabase.loadDataBase: the snapshot plus a replay of every logged txn, committed or not;
    /// the replayed txns become the committed-log window. Returns how many txns were replayed.
    @discardableResult
    mutating func reloadDatabase(_ i: Int) -> Int {
        states[i] = snapshots[i].state
        nodes[i].lastProcessedZxid = snapshots[i].zxid
        windows[i].removeAll()
        let capacity = config.commitLogCount
        for entry in logs[i] {
            _ = states[i].apply(entry.payload, zxid: entry.zxid, timeMs: entry.timeMs)
            windows[i].append(entry, capacity: capacity)
        }
        if let last = logs[i].last { nodes[i].lastProcessedZxid = last.zxid }
        nodes[i].appliedIndex = logs[i].count
        return logs[i].count
    }

    /// Snapshot = current applied state; the log keeps only what is not applied yet.
    mutating func takeSnapshot(_ i: Int) {
        snapshots[i] = Snapshot(zxid: nodes[i].lastProcessedZxid, state: states[i])
        nodes[i].snapshotZxid = nodes[i].lastProcessedZxid
        if nodes[i].appliedIndex > 0 {
            logs[i].removeFirst(nodes[i].appliedIndex)
            nodes[i].appliedIndex = 0
        }
        refreshLogCache(i)
    }

    /// Applies log[appliedIndex] and records it in the committed-log window.
    mutating func applyNext(_ i: Int) -> (LogEntry<Payload>, State.Output) {
        let entry = logs[i][nodes[i].appliedIndex]
        let output = states[i].apply(entry.payload, zxid: entry.zxid, timeMs: entry.timeMs)
        nodes[i].appliedIndex += 1
        nodes[i].lastProcessedZxid = entry.zxid
        windows[i].append(entry, capacity: config.commitLogCount)
        return (entry, output)
    }

    /// The zxid of log[k].
    func loggedZxid(_ i: Int, at k: Int) -> Zxid { logs[i][k].zxid }

    /// Index in the log of `zxid` among the entries not applied yet, if logged.
    func unappliedIndex(_ i: Int, of zxid: Zxid) -> Int? {
        var low = nodes[i].appliedIndex, high = nodes[i].logCount
        while low < high {
            let mid = (low + high) / 2
            if logs[i][mid].zxid < zxid { low = mid + 1 } else { high = mid }
        }
        return low < nodes[i].logCount && logs[i][low].zxid == zxid ? low : nil
    }
}
