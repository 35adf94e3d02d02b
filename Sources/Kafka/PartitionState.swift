// The controller's view of one partition plus every replica's log.

public struct PartitionState: Codable, Equatable, Sendable {
    public var index: Int
    /// Assignment order; the preferred leader is replicas[0] (kafka.md §5.4).
    public var replicas: [Int]
    /// nil = no leader ("none" in kafka-topics --describe; leader -1 on the wire).
    public var leader: Int?
    /// Incremented on every leader change, including a change to "no leader" (kafka.md §5.4;
    /// ZK `LeaderAndIsr.newLeaderAndIsr`, KRaft PartitionChangeBuilder).
    public var leaderEpoch: Int
    /// In-sync replicas, kept in assignment order. (Real Kafka lists a rejoining replica at the end;
    /// this model keeps assignment order so the display is stable.) Kafka never shrinks the ISR to
    /// empty: when the last in-sync replica dies it stays listed and the partition goes offline.
    public var isr: [Int]
    /// brokerId → that replica's log. Encoded as a broker-sorted array (see `encode(to:)`).
    public var logs: [Int: PartitionLog]
    /// HW = smallest LEO among the ISR (kafka.md §3.5, §5.4); it does not advance while the ISR is
    /// smaller than min.insync.replicas (KAFKA-15583).
    public var highWatermark: Int64
    /// brokerId → when that replica last had the leader's LEO (Kafka's Replica.lastCaughtUpTimeMs,
    /// read by Partition.maybeShrinkIsr; kafka.md §5.4). Entries exist exactly for the replicas on
    /// brokers whose fetchers are paused: a fetching alive follower copies every append at once, so it
    /// is caught up at every instant and needs no entry. A paused replica's entry is the time its last
    /// fetch caught up — the moment its fetchers stopped. Encoded as a broker-sorted array.
    public var lastCaughtUpTimeMs: [Int: Int64]

    public init(index: Int, replicas: [Int], leader: Int?, leaderEpoch: Int, isr: [Int],
                logs: [Int: PartitionLog], highWatermark: Int64, lastCaughtUpTimeMs: [Int: Int64] = [:]) {
        self.index = index
        self.replicas = replicas
        self.leader = leader
        self.leaderEpoch = leaderEpoch
        self.isr = isr
        self.logs = logs
        self.highWatermark = highWatermark
        self.lastCaughtUpTimeMs = lastCaughtUpTimeMs
    }

    /// A fresh partition: the preferred replica leads, every replica is in sync, all logs empty.
    init(newIndex: Int, replicas: [Int]) {
        var logs: [Int: PartitionLog] = [:]
        for broker in replicas { logs[broker] = PartitionLog() }
        self.init(index: newIndex, replicas: replicas, leader: replicas.first, leaderEpoch: 0,
                  isr: replicas, logs: logs, highWatermark: 0)
    }

    /// The leader's LEO; while offline, the largest LEO any replica holds.
    public var logEndOffset: Int64 {
        if let leader, let log = logs[leader] { return log.logEndOffset }
        return logs.values.map(\.logEndOffset).max() ?? 0
    }

    /// The leader's log start offset (moved up by retention, kafka.md §5.2).
    public var logStartOffset: Int64 {
        if let leader, let log = logs[leader] { return log.logStartOffset }
        return logs.values.map(\.logStartOffset).min() ?? 0
    }

    /// The leader's log, if the partition is online.
    public var leaderLog: PartitionLog? {
        guard let leader else { return nil }
        return logs[leader]
    }

    /// Replicas whose log is behind the leader's LEO (empty while offline). Only paused replicas lag.
    public var laggingReplicas: [Int] {
        guard let leaderLog else { return [] }
        return replicas.filter { ($0 != leader) && (logs[$0]?.logEndOffset ?? 0) < leaderLog.logEndOffset }
    }

    /// `isr` rebuilt from a set of members in assignment order.
    func inAssignmentOrder(_ members: [Int]) -> [Int] {
        replicas.filter { members.contains($0) }
    }

    /// Recomputes the high watermark after a change (kafka.md §5.4):
    /// - it never exceeds the leader's LEO (after an unclean election it drops to it);
    /// - it advances to the smallest ISR LEO, but only while ISR size >= min.insync.replicas
    ///   (KAFKA-15583); it never moves backwards otherwise.
    mutating func updateHighWatermark(minInsyncReplicas: Int) {
        guard let leaderLog else { return }
        if highWatermark > leaderLog.logEndOffset { highWatermark = leaderLog.logEndOffset }
        guard isr.count >= minInsyncReplicas else { return }
        let smallest = isr.compactMap { logs[$0]?.logEndOffset }.min() ?? highWatermark
        if smallest > highWatermark { highWatermark = smallest }
    }

    // MARK: Deterministic Codable

    private enum CodingKeys: String, CodingKey {
        case index, replicas, leader, leaderEpoch, isr, logs, highWatermark, lastCaughtUpTimeMs
    }

    /// One (broker, time) pair of the encoded `lastCaughtUpTimeMs` array.
    public struct ReplicaCaughtUp: Codable, Equatable, Sendable {
        public var broker: Int
        public var timeMs: Int64
    }

    /// One (broker, log) pair of the encoded `logs` array.
    public struct ReplicaLog: Codable, Equatable, Sendable {
        public var broker: Int
        public var log: PartitionLog
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        index = try c.decode(Int.self, forKey: .index)
        replicas = try c.decode([Int].self, forKey: .replicas)
        leader = try c.decodeIfPresent(Int.self, forKey: .leader)
        leaderEpoch = try c.decode(Int.self, forKey: .leaderEpoch)
        isr = try c.decode([Int].self, forKey: .isr)
        var decoded: [Int: PartitionLog] = [:]
        for pair in try c.decode([ReplicaLog].self, forKey: .logs) {
            guard decoded[pair.broker] == nil else {
                throw DecodingError.dataCorruptedError(forKey: .logs, in: c,
                    debugDescription: "Duplicate log for broker \(pair.broker)")
            }
            decoded[pair.broker] = pair.log
        }
        logs = decoded
        highWatermark = try c.decode(Int64.self, forKey: .highWatermark)
        // Absent in states saved before lagging followers existed: nobody was paused then.
        var caughtUp: [Int: Int64] = [:]
        for pair in try c.decodeIfPresent([ReplicaCaughtUp].self, forKey: .lastCaughtUpTimeMs) ?? [] {
            guard caughtUp[pair.broker] == nil else {
                throw DecodingError.dataCorruptedError(forKey: .lastCaughtUpTimeMs, in: c,
                    debugDescription: "Duplicate lastCaughtUpTimeMs for broker \(pair.broker)")
            }
            caughtUp[pair.broker] = pair.timeMs
        }
        lastCaughtUpTimeMs = caughtUp
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(index, forKey: .index)
        try c.encode(replicas, forKey: .replicas)
        try c.encodeIfPresent(leader, forKey: .leader)
        try c.encode(leaderEpoch, forKey: .leaderEpoch)
        try c.encode(isr, forKey: .isr)
        let pairs = logs.keys.sorted().compactMap { broker in logs[broker].map { ReplicaLog(broker: broker, log: $0) } }
        try c.encode(pairs, forKey: .logs)
        try c.encode(highWatermark, forKey: .highWatermark)
        if !lastCaughtUpTimeMs.isEmpty {
            let times = lastCaughtUpTimeMs.keys.sorted().compactMap { broker in
                lastCaughtUpTimeMs[broker].map { ReplicaCaughtUp(broker: broker, timeMs: $0) }
            }
            try c.encode(times, forKey: .lastCaughtUpTimeMs)
        }
    }
}
