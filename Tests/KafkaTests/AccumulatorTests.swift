import Testing
@testable import Kafka

/// The producer's accumulator follows Java's RecordAccumulator (kafka.md §2.2–2.3).
struct AccumulatorTests {
    func record(_ value: String) -> Record { Record(key: nil, value: Array(value.utf8), headers: [], timestampMs: 0) }

    // Goal: records share a partition's batch until it is full; a full batch, or one with a batch
    // behind it, is ready at once; others only after linger.ms (kafka.md §2.2).
    @Test func batchesFillAndLinger() throws {
        var a = Accumulator()
        let size = RecordSize.recordBytes(key: nil, value: Array("xxxxxxxxxx".utf8), headers: [], timestampDelta: 0, offsetDelta: 0)
        var newBatches = 0
        for _ in 0..<20 {
            if try a.append(topic: "t", partition: 0, record: record("xxxxxxxxxx"), recordBytes: size, batchSize: 100, bufferMemory: 10_000, nowMs: 0) { newBatches += 1 }
        }
        #expect(newBatches == a.batches.count)
        #expect(a.batches.allSatisfy { $0.sizeBytes <= $0.capacity })
        #expect(a.batches.dropLast().allSatisfy { $0.sizeBytes + size > $0.capacity })   // each earlier batch was full
        let early = a.drain(nowMs: 10, lingerMs: 50, batchSize: 100)
        #expect(early.count == newBatches - 1)          // all but the last, which still lingers
        #expect(a.batches.count == 1)
        #expect(a.nextLingerExpiryMs(lingerMs: 50) == 50)
        #expect(a.drain(nowMs: 49, lingerMs: 50, batchSize: 100).isEmpty)
        #expect(a.drain(nowMs: 50, lingerMs: 50, batchSize: 100).count == 1)
        #expect(a.bufferedBytes == 0)
    }

    // Goal: a new batch needs buffer.memory for its whole allocation; when it is not free the record
    // is refused (Java: BufferExhaustedException after max.block.ms; librdkafka: QUEUE_FULL) and nothing changes.
    @Test func bufferExhausted() throws {
        var a = Accumulator()
        try a.append(topic: "t", partition: 0, record: record("a"), recordBytes: 10, batchSize: 200, bufferMemory: 300, nowMs: 0)
        let before = a
        #expect(throws: AccumulatorError.bufferExhausted(needed: 200, free: 100, bufferMemory: 300)) {
            try a.append(topic: "t", partition: 1, record: record("b"), recordBytes: 10, batchSize: 200, bufferMemory: 300, nowMs: 0)
        }
        #expect(a == before)
        // A record larger than batch.size gets a batch of its own size (max(batch.size, record)).
        var big = Accumulator()
        try big.append(topic: "t", partition: 0, record: record("big"), recordBytes: 500, batchSize: 200, bufferMemory: 10_000, nowMs: 0)
        #expect(big.batches[0].capacity == 561)
        #expect(big.drain(nowMs: 0, lingerMs: 1_000, batchSize: 200).count == 1)   // already full
    }

    // Goal: flush sends everything regardless of linger, oldest first.
    @Test func flush() throws {
        var a = Accumulator()
        try a.append(topic: "t", partition: 1, record: record("x"), recordBytes: 10, batchSize: 200, bufferMemory: 10_000, nowMs: 5)
        try a.append(topic: "t", partition: 0, record: record("y"), recordBytes: 10, batchSize: 200, bufferMemory: 10_000, nowMs: 7)
        let sent = a.drain(nowMs: 8, lingerMs: 1_000, batchSize: 200, flush: true)
        #expect(sent.map(\.partition) == [1, 0])
        #expect(a.batches.isEmpty)
    }
}
