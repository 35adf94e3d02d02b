import Testing
@testable import KafkaWire

// Sample values of every implemented request/response (layouts: Kafka message JSON schemas, kafka.md §6.3).
let sampleRequests: [(KafkaRequest, Int16)] = [
    (.apiVersions(ApiVersionsRequest()), 0),
    (.apiVersions(ApiVersionsRequest()), 1),
    (.apiVersions(ApiVersionsRequest()), 2),
    (.apiVersions(ApiVersionsRequest(clientSoftwareName: "librdkafka", clientSoftwareVersion: "2.6.1")), 3),
    (.metadata(MetadataRequest(topics: nil, allowAutoTopicCreation: false)), 8),
    (.metadata(MetadataRequest(topics: ["orders", "payments"])), 8),
    (.produce(ProduceRequest(transactionalId: nil, acks: -1, timeoutMs: 30000, topics: [
        .init(name: "orders", partitions: [.init(index: 0, records: oracleBatch1 + oracleBatch2), .init(index: 1, records: nil)]),
    ])), 7),
    (.fetch(FetchRequest(maxWaitMs: 500, minBytes: 1, maxBytes: 52_428_800, isolationLevel: 1, sessionId: 0, sessionEpoch: -1,
                         topics: [.init(topic: "orders", partitions: [.init(partition: 0, fetchOffset: 42, partitionMaxBytes: 1_048_576)])],
                         forgottenTopicsData: [.init(topic: "old", partitions: [1, 2])], rackId: "r1")), 11),
    (.listOffsets(ListOffsetsRequest(isolationLevel: 1, topics: [
        .init(name: "orders", partitions: [.init(partitionIndex: 0, timestamp: ListOffsetsRequest.earliestTimestamp)]),
    ])), 5),
    (.findCoordinator(FindCoordinatorRequest(key: "group-a", keyType: 0)), 2),
    (.joinGroup(JoinGroupRequest(groupId: "group-a", sessionTimeoutMs: 45000, rebalanceTimeoutMs: 300_000, memberId: "",
                                 groupInstanceId: "static-1", protocols: [.init(name: "range", metadata: [0, 1, 2]),
                                                                          .init(name: "roundrobin", metadata: [])])), 5),
    (.syncGroup(SyncGroupRequest(groupId: "group-a", generationId: 3, memberId: "m-1",
                                 assignments: [.init(memberId: "m-1", assignment: [0, 0, 0, 0])])), 3),
    (.heartbeat(HeartbeatRequest(groupId: "group-a", generationId: 3, memberId: "m-1")), 3),
    (.leaveGroup(LeaveGroupRequest(groupId: "group-a", memberId: "m-1")), 1),
    (.offsetCommit(OffsetCommitRequest(groupId: "group-a", generationId: 3, memberId: "m-1", topics: [
        .init(name: "orders", partitions: [.init(partitionIndex: 0, committedOffset: 10, committedMetadata: nil),
                                           .init(partitionIndex: 1, committedOffset: 7, committedLeaderEpoch: 2, committedMetadata: "x")]),
    ])), 7),
    (.offsetFetch(OffsetFetchRequest(groupId: "group-a", topics: [.init(name: "orders", partitionIndexes: [0, 1, 2])])), 5),
    (.offsetFetch(OffsetFetchRequest(groupId: "group-a", topics: nil)), 5),
    (.initProducerId(InitProducerIdRequest(transactionalId: nil, transactionTimeoutMs: 60000)), 1),
    (.produce(ProduceRequest(transactionalId: "tx", acks: 0, timeoutMs: 1, topics: [])), 7),
]

let sampleResponses: [(KafkaResponse, Int16)] = [
    (.apiVersions(ApiVersionsResponse()), 0),
    (.apiVersions(ApiVersionsResponse(throttleTimeMs: 5)), 1),
    (.apiVersions(ApiVersionsResponse()), 2),
    (.apiVersions(ApiVersionsResponse()), 3),
    (.metadata(MetadataResponse(brokers: [.init(nodeId: 1, host: "localhost", port: 9092), .init(nodeId: 2, host: "h2", port: 9093, rack: "r")],
                                clusterId: "wb-cluster", controllerId: 1, topics: [
                                    .init(name: "orders", partitions: [.init(partitionIndex: 0, leaderId: 1, replicaNodes: [1, 2], isrNodes: [1])]),
                                    .init(errorCode: 3, name: "missing", partitions: []),
                                ])), 8),
    (.produce(ProduceResponse(responses: [.init(name: "orders", partitions: [.init(index: 0, baseOffset: 5, logStartOffset: 0)])])), 7),
    (.fetch(FetchResponse(responses: [.init(topic: "orders", partitions: [
        .init(partitionIndex: 0, highWatermark: 3, lastStableOffset: 3, logStartOffset: 0, records: oracleBatch1),
        .init(partitionIndex: 1, errorCode: 1, highWatermark: 0, lastStableOffset: 0, logStartOffset: 0,
              abortedTransactions: [.init(producerId: 4, firstOffset: 2)], records: nil),
    ])])), 11),
    (.listOffsets(ListOffsetsResponse(topics: [.init(name: "orders", partitions: [.init(partitionIndex: 0, offset: 17)])])), 5),
    (.findCoordinator(FindCoordinatorResponse(nodeId: 1, host: "localhost", port: 9092)), 2),
    (.findCoordinator(FindCoordinatorResponse(errorCode: 15, errorMessage: "not yet", nodeId: -1, host: "", port: -1)), 2),
    (.joinGroup(JoinGroupResponse(generationId: 1, protocolName: "range", leader: "m-1", memberId: "m-1",
                                  members: [.init(memberId: "m-1", groupInstanceId: nil, metadata: [0, 3])])), 5),
    (.syncGroup(SyncGroupResponse(assignment: [0, 0, 0, 0, 0, 1])), 3),
    (.heartbeat(HeartbeatResponse(errorCode: 27)), 3),
    (.leaveGroup(LeaveGroupResponse()), 1),
    (.offsetCommit(OffsetCommitResponse(topics: [.init(name: "orders", partitions: [.init(partitionIndex: 0), .init(partitionIndex: 1, errorCode: 22)])])), 7),
    (.offsetFetch(OffsetFetchResponse(topics: [.init(name: "orders", partitions: [.init(partitionIndex: 0, committedOffset: -1, metadata: nil)])])), 5),
    (.initProducerId(InitProducerIdResponse(producerId: 1000, producerEpoch: 0)), 1),
]

@Suite struct MessageTests {
    @Test func advertisedRangesAreExactlyImplemented() {
        let adv = ApiVersionsResponse.advertised.map { "\($0.apiKey):\($0.minVersion)-\($0.maxVersion)" }
        #expect(adv == ["0:7-7", "1:11-11", "2:5-5", "3:8-8", "8:7-7", "9:5-5", "10:2-2", "11:5-5", "12:3-3", "13:1-1",
                        "14:3-3", "18:0-3", "22:1-1"])
        #expect(KafkaAPI.supported.count == 13 && ApiKey.allCases.count == 13)
        // Every advertised (key, version) is covered by the samples.
        for api in KafkaAPI.supported {
            for v in api.versions {
                #expect(sampleRequests.contains { $0.0.apiKey == api.key && $0.1 == v }, "request \(api.name) v\(v)")
                #expect(sampleResponses.contains { $0.0.apiKey == api.key && $0.1 == v }, "response \(api.name) v\(v)")
            }
        }
    }

    @Test func everyRequestRoundTripsThroughFrames() throws {
        var dec = FrameDecoder()
        for (i, (req, v)) in sampleRequests.enumerated() {
            let frame = req.encodeFrame(apiVersion: v, correlationId: Int32(i), clientId: i % 2 == 0 ? "wb-client" : nil)
            // Feed byte by byte to exercise the splitter.
            var got: [[UInt8]] = []
            for b in frame {
                dec.append([b])
                if let f = try dec.next() { got.append(f) }
            }
            #expect(got.count == 1)
            let decoded = try KafkaRequest.decode(frame: got[0])
            guard case let .request(h, r) = decoded else { Issue.record("unsupported \(req.apiKey) v\(v)"); continue }
            #expect(r == req)
            #expect(h.correlationId == Int32(i) && h.apiVersion == v && h.apiKey == req.apiKey.rawValue)
            #expect(h.clientId == (i % 2 == 0 ? "wb-client" : nil))
            #expect(h.headerVersion == (req.apiKey == .apiVersions && v >= 3 ? 2 : 1))
        }
    }

    @Test func everyResponseRoundTrips() throws {
        for (i, (resp, v)) in sampleResponses.enumerated() {
            let frame = resp.encodeFrame(correlationId: Int32(100 + i), apiVersion: v)
            let (h, back) = try KafkaResponse.decode(frame: unframe(frame), apiKey: resp.apiKey.rawValue, apiVersion: v)
            #expect(back == resp, "\(resp.apiKey) v\(v)")
            #expect(h.correlationId == Int32(100 + i) && h.headerVersion == 0)
        }
    }

    @Test func messageBodiesRejectTrailingBytes() {
        #expect(throws: WireError(.trailingBytes(1), at: 6)) {
            try HeartbeatResponse(body: [0, 0, 0, 0, 0, 0, 9], version: 3)
        }
        var frame = unframe(KafkaRequest.leaveGroup(LeaveGroupRequest(groupId: "g", memberId: "m"))
            .encodeFrame(apiVersion: 1, correlationId: 1, clientId: "c"))
        frame.append(0)
        #expect(throws: WireError.self) { try KafkaRequest.decode(frame: frame) }
    }

    @Test func requestHeaderBytes() throws {
        let frame = KafkaRequest.heartbeat(HeartbeatRequest(groupId: "g", generationId: 1, memberId: "m"))
            .encodeFrame(apiVersion: 3, correlationId: 7, clientId: "c")
        // size | key 12 | v3 | corr 7 | client "c" | group "g" | gen 1 | member "m" | instance null
        #expect(toHex(frame) == "00000017" + "000c" + "0003" + "00000007" + "000163" + "000167" + "00000001" + "00016d" + "ffff")
    }

    /// librdkafka's first request: ApiVersions v3 with request header v2 (client_id classic, then tags).
    @Test func apiVersionsV3FromLibrdkafka() throws {
        let body = hex("0b") + Array("librdkafka".utf8) + hex("06") + Array("2.6.1".utf8) + hex("00")
        let frame = hex("0012 0003 00000001 0007") + Array("rdkafka".utf8) + hex("00") + body
        guard case let .request(h, req) = try KafkaRequest.decode(frame: frame) else { Issue.record("unsupported"); return }
        #expect(h.headerVersion == 2 && h.clientId == "rdkafka" && h.correlationId == 1)
        #expect(req == .apiVersions(ApiVersionsRequest(clientSoftwareName: "librdkafka", clientSoftwareVersion: "2.6.1")))
        // v3 response: header v0 (no tag byte!), error, compact array of (key,min,max,tags), throttle, tags.
        let resp = KafkaResponse.apiVersions(ApiVersionsResponse(apiKeys: [ApiVersionRange(apiKey: 18, minVersion: 0, maxVersion: 3)]))
        #expect(toHex(resp.encodeFrame(correlationId: 1, apiVersion: 3)) ==
                "00000013" + "00000001" + "0000" + "02" + "00120000000300" + "00000000" + "00")
    }

    /// KIP-511: kafka-python 3.x opens with ApiVersions v4; the broker answers error 35 in the v0 body layout.
    @Test func kip511FallbackForUnsupportedApiVersions() throws {
        let frame = hex("0012 0004 0000002a 000c") + Array("kafka-python".utf8) + hex("00")
            + hex("0d") + Array("kafka-python".utf8) + hex("06") + Array("3.0.0".utf8) + hex("00")
        let decoded = try KafkaRequest.decode(frame: frame)
        guard case let .unsupported(h) = decoded else { Issue.record("v4 must be unsupported"); return }
        #expect(h.apiKey == 18 && h.apiVersion == 4 && h.correlationId == 42 && h.clientId == "kafka-python" && h.headerVersion == 2)
        let out = ApiVersionsResponse.unsupportedVersionFrame(correlationId: h.correlationId)
        let expected = "00000058" + "0000002a" + "0023" + "0000000d"
            + "000000070007" + "0001000b000b" + "000200050005" + "000300080008" + "000800070007" + "000900050005"
            + "000a00020002" + "000b00050005" + "000c00030003" + "000d00010001" + "000e00030003" + "001200000003" + "001600010001"
        #expect(toHex(out) == expected)
        // kafka-python decodes a non-zero-error body as v0 and retries with min(4, 3) = 3.
        let (_, resp) = try KafkaResponse.decode(frame: unframe(out), apiKey: 18, apiVersion: 0)
        guard case let .apiVersions(av) = resp else { Issue.record("wrong type"); return }
        #expect(av.errorCode == KafkaErrorCode.unsupportedVersion.rawValue)
        #expect(av.apiKeys.first { $0.apiKey == 18 }?.maxVersion == 3)
    }

    @Test func unsupportedPairsAreReportedNotMisdecoded() throws {
        let cases: [(Int16, Int16)] = [(3, 1), (3, 12), (0, 3), (1, 4), (19, 5), (99, 0), (-1, 0), (22, 4), (18, -1)]
        for (k, v) in cases {
            let frame = RequestFrame.encode(header: RequestHeader(apiKey: k, apiVersion: v, correlationId: 9, clientId: "x"),
                                            body: [1, 2, 3])
            guard case let .unsupported(h) = try KafkaRequest.decode(frame: unframe(frame)) else {
                Issue.record("(\(k), \(v)) decoded"); continue
            }
            #expect(h.correlationId == 9 && h.apiKey == k && h.apiVersion == v)
        }
        // A future flexible ApiVersions header with garbage tags still yields the correlation id.
        let future = hex("0012 0009 00000005 ffff ff")
        #expect(try KafkaRequest.decode(frame: future) == .unsupported(
            RequestHeader(apiKey: 18, apiVersion: 9, correlationId: 5, clientId: nil, headerVersion: 2)))
        #expect(try KafkaRequest.decode(frame: future).header.correlationId == 5)
        // Too short for a header: an error (the server closes the connection).
        #expect(throws: WireError.self) { try KafkaRequest.decode(frame: hex("0012 0003 0000")) }
        #expect(throws: WireError(.unsupportedVersion(apiKey: 3, apiVersion: 1), at: 0)) {
            try KafkaResponse.decode(frame: [0, 0, 0, 0], apiKey: 3, apiVersion: 1)
        }
    }

    @Test func responseHeaderVersions() {
        #expect(KafkaAPI.responseHeaderVersion(apiKey: 18, apiVersion: 3) == 0)
        #expect(KafkaAPI.responseHeaderVersion(apiKey: 18, apiVersion: 4) == 0)
        #expect(KafkaAPI.responseHeaderVersion(apiKey: 3, apiVersion: 9) == 1)
        #expect(KafkaAPI.responseHeaderVersion(apiKey: 3, apiVersion: 8) == 0)
        #expect(KafkaAPI.requestHeaderVersion(apiKey: 1, apiVersion: 12) == 2)
        #expect(ResponseFrame.encode(correlationId: 1, headerVersion: 1, body: [7]) == hex("00000006 00000001 00 07"))
        #expect(ResponseFrame.encode(correlationId: 1, headerVersion: 0, body: [7]) == hex("00000005 00000001 07"))
    }

    @Test func frameDecoderLimits() throws {
        var d = FrameDecoder(maxFrameSize: 16)
        d.append(hex("00000002 abcd 00000000 00000003 01"))
        #expect(try d.next() == [0xAB, 0xCD])
        #expect(try d.next() == [])
        #expect(try d.next() == nil)
        d.append([2, 3])
        #expect(try d.drain() == [[1, 2, 3]])
        #expect(d.bufferedByteCount == 0)
        d.append(hex("00000011"))
        #expect(throws: WireError(.lengthAboveLimit(17, limit: 16), at: 17)) { try d.next() }
        #expect(throws: WireError.self) { try d.next() } // stays failed
        var n = FrameDecoder()
        n.append(hex("ffffffff"))
        #expect(throws: WireError(.negativeLength(-1), at: 0)) { try n.next() }
        var big = FrameDecoder()
        big.append(hex("06400001")) // 100 MiB + 1
        #expect(throws: WireError(.lengthAboveLimit(104_857_601, limit: 104_857_600), at: 0)) { try big.next() }
    }

    @Test func errorCodesHaveKafkaNamesAndNumbers() {
        let expected: [(KafkaErrorCode, Int16, String)] = [
            (.none, 0, "NONE"), (.offsetOutOfRange, 1, "OFFSET_OUT_OF_RANGE"), (.corruptMessage, 2, "CORRUPT_MESSAGE"),
            (.unknownTopicOrPartition, 3, "UNKNOWN_TOPIC_OR_PARTITION"), (.notLeaderOrFollower, 6, "NOT_LEADER_OR_FOLLOWER"),
            (.requestTimedOut, 7, "REQUEST_TIMED_OUT"), (.coordinatorNotAvailable, 15, "COORDINATOR_NOT_AVAILABLE"),
            (.notCoordinator, 16, "NOT_COORDINATOR"), (.notEnoughReplicas, 19, "NOT_ENOUGH_REPLICAS"),
            (.illegalGeneration, 22, "ILLEGAL_GENERATION"), (.inconsistentGroupProtocol, 23, "INCONSISTENT_GROUP_PROTOCOL"),
            (.unknownMemberId, 25, "UNKNOWN_MEMBER_ID"), (.invalidSessionTimeout, 26, "INVALID_SESSION_TIMEOUT"),
            (.rebalanceInProgress, 27, "REBALANCE_IN_PROGRESS"), (.invalidCommitOffsetSize, 28, "INVALID_COMMIT_OFFSET_SIZE"),
            (.unsupportedVersion, 35, "UNSUPPORTED_VERSION"), (.invalidRequest, 42, "INVALID_REQUEST"),
            (.unsupportedCompressionType, 76, "UNSUPPORTED_COMPRESSION_TYPE"), (.memberIdRequired, 79, "MEMBER_ID_REQUIRED"),
            (.invalidRecord, 87, "INVALID_RECORD"), (.unknownServerError, -1, "UNKNOWN_SERVER_ERROR"),
            (.fetchSessionIdNotFound, 70, "FETCH_SESSION_ID_NOT_FOUND"), (.invalidTxnState, 48, "INVALID_TXN_STATE"),
        ]
        for (c, n, name) in expected {
            #expect(c.rawValue == n && c.name == name)
        }
        #expect(Set(KafkaErrorCode.allCases.map(\.rawValue)).count == KafkaErrorCode.allCases.count)
    }
}
