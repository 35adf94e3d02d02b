// Consumer fetch from a partition leader (kafka.md §3.5, §3.6).

extension Cluster {
    /// A consumer's (read_uncommitted) fetch: up to `maxRecords` records starting at `offset`, only
    /// below the high watermark.
    ///
    /// Kafka's rule (kafka.md §3.6): offset == HW → nothing, no error; HW < offset <= LEO → nothing
    /// (the records exist but are not yet committed); offset < log start or > LEO →
    /// OFFSET_OUT_OF_RANGE. An offline partition → LEADER_NOT_AVAILABLE. Kafka returns whole batches
    /// and lets the client skip records before the fetch offset; this returns exactly the records asked for.
    public func fetch(topic: String, partition: Int, offset: Int64, maxRecords: Int) throws -> [StoredRecord] {
        let (t, p) = try locate(topic, partition)
        let state = topics[t].partitions[p]
        guard let log = state.leaderLog else {
            throw KafkaError.leaderNotAvailable(topic: topic, partition: partition)
        }
        guard offset >= log.logStartOffset, offset <= log.logEndOffset else {
            throw KafkaError.offsetOutOfRange(offset: offset, logStart: log.logStartOffset,
                                              highWatermark: state.highWatermark)
        }
        return log.records(from: offset, upTo: state.highWatermark, limit: maxRecords)
    }
}
