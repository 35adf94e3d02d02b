import Kafka
import KafkaWire

// Metadata, Produce, Fetch and ListOffsets over the simulator's Cluster (kafka.md §6.3 field
// layouts; broker behaviours clients rely on in §6.3's list).

extension WireBroker {
    static let noLeader: Int32 = -1

    func error(_ e: Error) -> Int16 {
        (e as? KafkaError)?.code ?? KafkaErrorCode.unknownServerError.rawValue
    }

    /// Metadata v8: the alive brokers at their advertised ports, and each topic's partitions with
    /// leader, replicas and ISR. Leader epochs are sent as -1 so clients skip OffsetForLeaderEpoch
    /// validation (kafka.md §6.3). A missing topic is created when the client allows it and
    /// `auto.create.topics.enable` is on (the librdkafka producer allows it; its consumer does not).
    mutating func metadata(_ r: MetadataRequest, cluster: inout Cluster) -> MetadataResponse {
        var topics: [MetadataResponse.Topic] = []
        let names = r.topics ?? cluster.topics.map(\.name)
        for name in names {
            if (try? cluster.topic(name)) == nil, r.allowAutoTopicCreation, config.autoCreateTopics {
                let alive = cluster.brokers.filter(\.alive).count
                let rf = max(1, min(config.defaultReplicationFactor, alive))
                _ = try? cluster.createTopic(name, partitions: max(1, config.defaultPartitions), replicationFactor: rf,
                                             config: TopicConfig(), startIndex: Int(truncatingIfNeeded: nextProducerID) % max(alive, 1))
            }
            guard let topic = try? cluster.topic(name) else {
                topics.append(MetadataResponse.Topic(errorCode: KafkaErrorCode.unknownTopicOrPartition.rawValue, name: name, partitions: []))
                continue
            }
            let partitions = topic.partitions.map { p -> MetadataResponse.Partition in
                let offline = p.replicas.filter { !cluster.isAlive($0) }.map { Int32($0) }
                return MetadataResponse.Partition(errorCode: p.leader == nil ? KafkaErrorCode.leaderNotAvailable.rawValue : 0,
                                                  partitionIndex: Int32(p.index), leaderId: p.leader.map { Int32($0) } ?? Self.noLeader,
                                                  leaderEpoch: -1, replicaNodes: p.replicas.map { Int32($0) },
                                                  isrNodes: p.isr.map { Int32($0) }, offlineReplicas: offline)
            }
            topics.append(MetadataResponse.Topic(name: topic.name, partitions: partitions))
        }
        let brokers = cluster.brokers.filter(\.alive).compactMap { b -> MetadataResponse.Broker? in
            guard let port = config.ports[b.id] else { return nil }
            return MetadataResponse.Broker(nodeId: Int32(b.id), host: config.advertisedHost, port: Int32(port))
        }
        let controller = cluster.brokers.first(where: \.alive).map { Int32($0.id) } ?? -1
        return MetadataResponse(brokers: brokers, clusterId: config.clusterID, controllerId: controller, topics: topics)
    }

    /// Checks that `broker` leads the partition: clients send to the leader Metadata named.
    func leaderError(_ topic: String, _ partition: Int32, broker: Int, cluster: Cluster) -> Int16? {
        guard let t = try? cluster.topic(topic) else { return KafkaErrorCode.unknownTopicOrPartition.rawValue }
        guard partition >= 0, Int(partition) < t.partitions.count else { return KafkaErrorCode.unknownTopicOrPartition.rawValue }
        guard let leader = t.partitions[Int(partition)].leader else { return KafkaErrorCode.leaderNotAvailable.rawValue }
        return leader == broker ? nil : KafkaErrorCode.notLeaderOrFollower.rawValue
    }

    /// Produce v7: each partition's record batches are checked (magic 2, CRC-32C over attributes to
    /// the end: CORRUPT_MESSAGE when it fails) and appended as the simulator's records, so the REPL
    /// sees them. gzip batches are inflated (zlib); snappy, lz4 and zstd are refused with
    /// UNSUPPORTED_COMPRESSION_TYPE (76), as the simulator stores records, not batches.
    /// Returns the response and the trace's one-line summary (records per partition and where they went).
    mutating func produce(_ r: ProduceRequest, broker: Int, nowMs: Int64, cluster: inout Cluster) -> (ProduceResponse, String) {
        let acks: Acks = r.acks == 0 ? .none : (r.acks == 1 ? .leader : .all)
        var responses: [ProduceResponse.TopicResponse] = []
        var notes: [String] = []
        for topic in r.topics {
            var parts: [ProduceResponse.PartitionResponse] = []
            for p in topic.partitions {
                var count: Int?      // known once the batches are decoded
                func fail(_ code: Int16) -> ProduceResponse.PartitionResponse {
                    notes.append("\(topic.name)-\(p.index): " + (count.map { "\($0) record(s) " } ?? "") + "refused: \(Self.codeName(code))")
                    return ProduceResponse.PartitionResponse(index: p.index, errorCode: code, baseOffset: -1, logStartOffset: -1)
                }
                if let code = leaderError(topic.name, p.index, broker: broker, cluster: cluster) { parts.append(fail(code)); continue }
                let records: [Record]
                do {
                    records = try Self.records(in: p.records ?? [])
                } catch let e as WireError {
                    switch e.reason {
                    case .unsupportedCompression: parts.append(fail(KafkaErrorCode.unsupportedCompressionType.rawValue))
                    case .crcMismatch: parts.append(fail(KafkaErrorCode.corruptMessage.rawValue))
                    default: parts.append(fail(KafkaErrorCode.invalidRecord.rawValue))
                    }
                    continue
                } catch {
                    parts.append(fail(KafkaErrorCode.invalidRecord.rawValue))
                    continue
                }
                count = records.count
                let sizes = records.enumerated().map { i, rec in
                    RecordSize.recordBytes(key: rec.key, value: rec.value, headers: rec.headers.map { ($0.key, $0.value) },
                                           timestampDelta: rec.timestampMs - (records.first?.timestampMs ?? 0), offsetDelta: i)
                }
                do {
                    let result = try cluster.append(topic: topic.name, partition: Int(p.index), records: records, recordSizes: sizes, acks: acks)
                    let start = (try? cluster.topic(topic.name))?.partitions[Int(p.index)].logStartOffset ?? 0
                    parts.append(ProduceResponse.PartitionResponse(index: p.index, baseOffset: result.baseOffset, logStartOffset: start))
                    notes.append("\(topic.name)-\(p.index): \(records.count) record(s) at \(result.baseOffset)")
                } catch {
                    parts.append(fail(self.error(error)))
                }
            }
            responses.append(ProduceResponse.TopicResponse(name: topic.name, partitions: parts))
        }
        return (ProduceResponse(responses: responses), "acks=\(r.acks == -1 ? "all" : String(r.acks)) " + notes.joined(separator: ", "))
    }

    /// Most bytes a compressed batch may inflate to (a decompression bomb is INVALID_RECORD).
    static let maxDecompressedBytes = 64 * 1024 * 1024

    /// The records of a produce blob: every batch must be whole, magic 2 with a valid CRC; gzip
    /// batches (codec 1) are inflated with zlib, other codecs refused.
    static func records(in blob: [UInt8]) throws -> [Record] {
        let parsed = try RecordBatch.parse(blob, allowPartialTrailing: false, verifyCRC: true)
        var out: [Record] = []
        for batch in parsed.batches {
            let base = batch.header.baseTimestamp
            let decoded: [BatchRecord]
            switch batch.header.compressionCodecId {
            case 0:
                decoded = try batch.records()
            case 1:
                let payload: [UInt8]
                do { payload = try Gzip.decompress(batch.payload, limit: maxDecompressedBytes) } catch {
                    throw WireError(.invalidRecord("gzip: \(error)"), at: RecordBatchHeader.size)
                }
                decoded = try batch.records(decompressedPayload: payload)
            default:
                throw WireError(.unsupportedCompression(batch.header.compressionCodecId), at: 21)
            }
            for rec in decoded {
                out.append(Record(key: rec.key, value: rec.value, headers: rec.headers.map { Header(key: $0.key, value: $0.value) },
                                  timestampMs: base + rec.timestampDelta))
            }
        }
        return out
    }

    /// Fetch v11: records from the fetch offset up to the high watermark, as one uncompressed v2
    /// batch per partition (kafka.md §6.4), at least one record even past partition_max_bytes;
    /// last_stable_offset = HW (no transactions), so read_committed clients (librdkafka's default)
    /// see the same. Sessions are not kept (session id 0: clients send full fetches).
    func fetch(_ r: FetchRequest, broker: Int, cluster: Cluster) -> (FetchResponse, Int) {
        var total = 0
        var topics: [FetchResponse.Topic] = []
        for t in r.topics {
            var parts: [FetchResponse.Partition] = []
            for p in t.partitions {
                func fail(_ code: Int16) -> FetchResponse.Partition {
                    FetchResponse.Partition(partitionIndex: p.partition, errorCode: code, highWatermark: -1, lastStableOffset: -1,
                                            logStartOffset: -1, abortedTransactions: nil, preferredReadReplica: -1, records: nil)
                }
                if let code = leaderError(t.topic, p.partition, broker: broker, cluster: cluster) { parts.append(fail(code)); continue }
                guard let topic = try? cluster.topic(t.topic) else { parts.append(fail(KafkaErrorCode.unknownTopicOrPartition.rawValue)); continue }
                let state = topic.partitions[Int(p.partition)]
                let budget = max(1, Int(min(p.partitionMaxBytes, r.maxBytes > 0 ? r.maxBytes : p.partitionMaxBytes)))
                do {
                    let stored = try cluster.fetch(topic: t.topic, partition: Int(p.partition), offset: p.fetchOffset, maxRecords: 10_000)
                    var chosen: [StoredRecord] = []
                    var bytes = RecordSize.batchHeaderBytes
                    for s in stored {
                        let size = RecordSize.recordBytes(key: s.record.key, value: s.record.value, headers: s.record.headers.map { ($0.key, $0.value) },
                                                          timestampDelta: 0, offsetDelta: chosen.count)
                        if !chosen.isEmpty && bytes + size > budget { break }
                        chosen.append(s)
                        bytes += size
                    }
                    let blob = Self.batch(chosen, leaderEpoch: state.leaderEpoch)
                    total += blob.count
                    parts.append(FetchResponse.Partition(partitionIndex: p.partition, errorCode: 0, highWatermark: state.highWatermark,
                                                         lastStableOffset: state.highWatermark, logStartOffset: state.logStartOffset,
                                                         abortedTransactions: nil, preferredReadReplica: -1, records: blob))
                } catch {
                    parts.append(fail(self.error(error)))
                }
            }
            topics.append(FetchResponse.Topic(topic: t.topic, partitions: parts))
        }
        return (FetchResponse(responses: topics), total)
    }

    /// The stored records as one v2 batch (empty when there are none).
    static func batch(_ records: [StoredRecord], leaderEpoch: Int) -> [UInt8] {
        guard let first = records.first else { return [] }
        let base = first.offset
        let baseTime = first.record.timestampMs
        let recs = records.map { s in
            BatchRecord(timestampDelta: s.record.timestampMs - baseTime, offsetDelta: Int32(truncatingIfNeeded: s.offset - base),
                        key: s.record.key, value: s.record.value, headers: s.record.headers.map { RecordHeader(key: $0.key, value: $0.value) })
        }
        var builder = RecordBatchBuilder(baseOffset: base, partitionLeaderEpoch: Int32(truncatingIfNeeded: leaderEpoch),
                                         baseTimestamp: baseTime, records: recs)
        builder.lastOffsetDelta = Int32(truncatingIfNeeded: (records.last?.offset ?? base) - base)
        return builder.build()
    }

    /// ListOffsets v5: -2 = the log start (earliest), -1 = the high watermark (latest; also the last
    /// stable offset without transactions), otherwise the first offset whose timestamp is at least
    /// the one asked for (-1 when none).
    func listOffsets(_ r: ListOffsetsRequest, broker: Int, cluster: Cluster) -> ListOffsetsResponse {
        var topics: [ListOffsetsResponse.Topic] = []
        for t in r.topics {
            var parts: [ListOffsetsResponse.Partition] = []
            for p in t.partitions {
                if let code = leaderError(t.name, p.partitionIndex, broker: broker, cluster: cluster) {
                    parts.append(ListOffsetsResponse.Partition(partitionIndex: p.partitionIndex, errorCode: code, offset: -1))
                    continue
                }
                guard let topic = try? cluster.topic(t.name) else { continue }
                let state = topic.partitions[Int(p.partitionIndex)]
                switch p.timestamp {
                case -2:
                    parts.append(ListOffsetsResponse.Partition(partitionIndex: p.partitionIndex, offset: state.logStartOffset))
                case -1:
                    parts.append(ListOffsetsResponse.Partition(partitionIndex: p.partitionIndex, offset: state.highWatermark))
                default:
                    let stored = (try? cluster.fetch(topic: t.name, partition: Int(p.partitionIndex), offset: state.logStartOffset,
                                                     maxRecords: Int.max)) ?? []
                    let hit = stored.first { $0.record.timestampMs >= p.timestamp }
                    parts.append(ListOffsetsResponse.Partition(partitionIndex: p.partitionIndex, timestamp: hit?.record.timestampMs ?? -1,
                                                               offset: hit?.offset ?? -1))
                }
            }
            topics.append(ListOffsetsResponse.Topic(name: t.name, partitions: parts))
        }
        return ListOffsetsResponse(topics: topics)
    }

    // MARK: trace summaries

    func fetchSummary(_ r: FetchResponse, bytes: Int) -> String {
        let parts = r.responses.flatMap { t in
            t.partitions.map { p in
                p.errorCode == 0 ? "\(t.topic)-\(p.partitionIndex) HW \(p.highWatermark)" : "\(t.topic)-\(p.partitionIndex) \(KafkaErrorCode(rawValue: p.errorCode)?.name ?? "\(p.errorCode)")"
            }
        }
        return "\(bytes) bytes; " + parts.joined(separator: ", ")
    }
}
