// Produce: appending a record batch to a partition leader (kafka.md §2.4, §2.5, §5.1, §5.3).

extension Cluster {
    /// Size of a record batch v2 header (kafka.md §2.5).
    public static let recordBatchHeaderBytes = 61

    /// Appends `records` as one record batch to the partition leader.
    ///
    /// Checks, in the order Kafka's Partition.appendRecordsToLeader / log validation apply them:
    /// 1. topic and partition exist (UNKNOWN_TOPIC_OR_PARTITION), the partition has a leader
    ///    (LEADER_NOT_AVAILABLE);
    /// 2. acks=all needs ISR size >= min.insync.replicas before appending (NOT_ENOUGH_REPLICAS);
    ///    acks=0 and acks=1 skip this check;
    /// 3. the batch is well formed: at least one record, one non-negative size per record
    ///    (INVALID_RECORD);
    /// 4. the batch size — the caller's per-record sizes plus the 61-byte batch header — is at most
    ///    max.message.bytes (MESSAGE_TOO_LARGE; Kafka checks the whole batch against this limit);
    /// 5. on a compacted topic every record has a key (INVALID_RECORD, "Compacted topic cannot
    ///    accept message without key").
    ///
    /// Then the leader appends (rolling a segment when needed) and, because this model replicates
    /// synchronously, every alive ISR follower whose fetchers are not paused appends the same batch at
    /// once; paused followers do not (Cluster+Lag.swift). The high watermark becomes the smallest ISR
    /// LEO unless ISR < min.insync.replicas (KAFKA-15583), in which case it stays put and consumers
    /// cannot see the new records yet. Records carry the current leader epoch.
    ///
    /// kafka.md §2.4: acks=1 is acknowledged once the leader has the batch, whatever the HW; an acks=all
    /// request is complete only when the HW has passed its last offset (`AppendResult.committed`) —
    /// while a paused follower still in the ISR holds the HW back, the request is still waiting.
    /// (Kafka's NOT_ENOUGH_REPLICAS_AFTER_APPEND cannot happen: the ISR cannot shrink mid-append here.)
    @discardableResult
    public mutating func append(topic: String, partition: Int, records: [Record], recordSizes: [Int],
                                acks: Acks) throws -> AppendResult {
        let (t, p) = try locate(topic, partition)
        let config = topics[t].config
        // Read what the checks need without keeping a copy of the partition alive: a live copy
        // would share the logs' storage and make the append below copy the whole active segment
        // (copy-on-write), turning every append into O(segment size).
        let (leaderID, hasLeaderLog, isr, epoch) = {
            let state = topics[t].partitions[p]
            return (state.leader, state.leader.map { state.logs[$0] != nil } ?? false, state.isr, state.leaderEpoch)
        }()
        guard let leader = leaderID, hasLeaderLog else {
            throw KafkaError.leaderNotAvailable(topic: topic, partition: partition)
        }
        let minISR = config.minInsyncReplicasValue
        if acks == .all && isr.count < minISR {
            throw KafkaError.notEnoughReplicas(isr: isr.count, required: minISR)
        }
        guard !records.isEmpty else {
            throw KafkaError.invalidRecord("A record batch must contain at least one record.")
        }
        guard recordSizes.count == records.count else {
            throw KafkaError.invalidRecord("Got \(recordSizes.count) record sizes for \(records.count) records.")
        }
        // Sum with a saturating add so absurd sizes cannot overflow; anything past Int32 is too large anyway.
        var batchBytes = Cluster.recordBatchHeaderBytes
        for size in recordSizes {
            guard size >= 0 else { throw KafkaError.invalidRecord("Record size \(size) is negative.") }
            let (sum, overflow) = batchBytes.addingReportingOverflow(size)
            batchBytes = overflow ? Int.max : sum
        }
        let maxBytes = config.maxMessageBytesValue
        if batchBytes > maxBytes {
            throw KafkaError.recordTooLarge(bytes: batchBytes, max: maxBytes)
        }
        if config.isCompacted && records.contains(where: { $0.key == nil }) {
            throw KafkaError.invalidRecord("Compacted topic cannot accept message without key in topic partition \(topic)-\(partition).")
        }

        // Validation is complete; nothing below throws.
        let segmentBytes = config.segmentBytesValue
        var range: (base: Int64, last: Int64) = (0, -1)
        // The leader appends (even if its own fetchers are paused: pausing stops fetching only);
        // fetching alive ISR followers copy at once; paused followers do not and fall behind, which
        // holds the HW back while they stay in the ISR (kafka.md §5.4).
        for replica in isr where replica == leader || (isAlive(replica) && !isFetchingPaused(replica)) {
            let appended = topics[t].partitions[p].logs[replica]?.appendBatch(
                records, batchBytes: batchBytes, leaderEpoch: epoch, segmentBytes: segmentBytes)
            if replica == leader, let appended { range = appended }
        }
        topics[t].partitions[p].updateHighWatermark(minInsyncReplicas: minISR)
        return AppendResult(topic: topic, partition: partition, baseOffset: range.base, lastOffset: range.last,
                            highWatermark: topics[t].partitions[p].highWatermark, acks: acks)
    }
}
