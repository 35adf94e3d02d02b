// The producer's record accumulator (Java RecordAccumulator, kafka.md §2.2–2.3): records wait in
// per-partition batches until a batch is full, has waited linger.ms, or the producer flushes.

/// One batch of records for one partition, as the producer holds it before sending.
public struct ProducerBatch: Codable, Equatable, Sendable {
    public var topic: String
    public var partition: Int
    public var records: [Record]
    public var recordSizes: [Int]
    public var createdMs: Int64
    /// Bytes this batch takes: the 61-byte record-batch header plus its records.
    public var sizeBytes: Int
    /// The batch's allocation: max(batch.size, header + first record), as Java allocates it.
    public var capacity: Int

    public var topicPartition: TopicPartition { TopicPartition(topic, partition) }
}

/// Why a producer could not take a record.
public enum AccumulatorError: Error, Equatable, Sendable {
    /// Java: send() blocks up to max.block.ms for memory, then fails with BufferExhaustedException
    /// (through the callback); librdkafka fails at once with QUEUE_FULL ("BufferError: Local: Queue full").
    case bufferExhausted(needed: Int, free: Int, bufferMemory: Int)

    public var name: String { "BufferExhaustedException / QUEUE_FULL" }
}

public struct Accumulator: Codable, Equatable, Sendable {
    /// Open and waiting batches, oldest first (per partition they form Java's deque).
    public private(set) var batches: [ProducerBatch] = []

    public init() {}

    public var bufferedBytes: Int { batches.reduce(0) { $0 + $1.capacity } }

    /// Adds a record to its partition's last batch when it fits, else to a new batch.
    /// Returns true when the record started a new batch (the sticky partitioners' signal).
    @discardableResult
    public mutating func append(topic: String, partition: Int, record: Record, recordBytes: Int,
                                batchSize: Int, bufferMemory: Int, nowMs: Int64) throws -> Bool {
        if let index = batches.lastIndex(where: { $0.topic == topic && $0.partition == partition }),
           batches[index].sizeBytes + recordBytes <= batches[index].capacity {
            batches[index].records.append(record)
            batches[index].recordSizes.append(recordBytes)
            batches[index].sizeBytes += recordBytes
            return false
        }
        let capacity = max(batchSize, RecordSize.batchHeaderBytes + recordBytes)
        let free = max(0, bufferMemory - bufferedBytes)
        guard capacity <= free else { throw AccumulatorError.bufferExhausted(needed: capacity, free: free, bufferMemory: bufferMemory) }
        batches.append(ProducerBatch(topic: topic, partition: partition, records: [record], recordSizes: [recordBytes],
                                     createdMs: nowMs, sizeBytes: RecordSize.batchHeaderBytes + recordBytes, capacity: capacity))
        return true
    }

    /// Whether a record of `recordBytes` would start a new batch for this partition (no open batch,
    /// or the last one is full): the moment Java 2.4–3.2's sticky partitioner switches (KIP-480's
    /// abortOnNewBatch / onNewBatch).
    public func wouldStartNewBatch(topic: String, partition: Int, recordBytes: Int) -> Bool {
        guard let last = batches.last(where: { $0.topic == topic && $0.partition == partition }) else { return true }
        return last.sizeBytes + recordBytes > last.capacity
    }

    /// Whether a batch may be sent at `nowMs`: it is full (its size reached batch.size, or another
    /// batch for the same partition waits behind it), or it has waited linger.ms.
    public func isReady(_ index: Int, nowMs: Int64, lingerMs: Int64, batchSize: Int) -> Bool {
        guard batches.indices.contains(index) else { return false }
        let batch = batches[index]
        let behind = batches[(index + 1)...].contains { $0.topic == batch.topic && $0.partition == batch.partition }
        return behind || batch.sizeBytes >= batchSize || nowMs - batch.createdMs >= lingerMs
    }

    /// The earliest time a waiting batch's linger.ms runs out.
    public func nextLingerExpiryMs(lingerMs: Int64) -> Int64? {
        batches.map { $0.createdMs + lingerMs }.min()
    }

    /// Removes and returns the batches that may be sent now (all of them when flushing), oldest first.
    public mutating func drain(nowMs: Int64, lingerMs: Int64, batchSize: Int, flush: Bool = false) -> [ProducerBatch] {
        let ready = batches.indices.filter { flush || isReady($0, nowMs: nowMs, lingerMs: lingerMs, batchSize: batchSize) }
        let drained = ready.map { batches[$0] }
        let keep = Set(ready)
        batches = batches.indices.filter { !keep.contains($0) }.map { batches[$0] }
        return drained
    }
}
