import Testing
@testable import KafkaWire

// Robustness: seeded random frames and mutations of valid frames/batches must decode or throw
// WireError — never trap, never throw anything else. Allocation is bounded because every length
// and count is checked against the limit and the remaining input before allocating; the fuzz
// runs with a small `maxLength` too.

enum Outcome { case value, wireError }

func decodeRequest(_ frame: [UInt8], maxLength: Int) -> Outcome? {
    do {
        _ = try KafkaRequest.decode(frame: frame, maxLength: maxLength)
        return .value
    } catch is WireError {
        return .wireError
    } catch {
        return nil
    }
}

func parseBatches(_ blob: [UInt8], partial: Bool, crc: Bool) -> Outcome? {
    do {
        let res = try RecordBatch.parse(blob, allowPartialTrailing: partial, verifyCRC: crc)
        for b in res.batches { _ = try? b.records(maxLength: 1 << 16) }
        for b in res.batches {
            do { _ = try b.records() } catch is WireError {} catch { return nil }
        }
        return .value
    } catch is WireError {
        return .wireError
    } catch {
        return nil
    }
}

func mutate(_ input: [UInt8], rng: inout SplitMix64) -> [UInt8] {
    var b = input
    if b.isEmpty { return [UInt8.random(in: 0...255, using: &rng)] }
    switch Int.random(in: 0..<6, using: &rng) {
    case 0: // bit flips
        for _ in 0..<Int.random(in: 1...4, using: &rng) {
            let i = Int.random(in: 0..<b.count, using: &rng)
            b[i] ^= UInt8(1) << UInt8.random(in: 0...7, using: &rng)
        }
    case 1: // truncation
        b = Array(b.prefix(Int.random(in: 0..<b.count, using: &rng)))
    case 2, 3: // length-field inflation: overwrite 1, 2 or 4 bytes with large / negative values
        let width = [1, 2, 4].randomElement(using: &rng) ?? 4
        let i = Int.random(in: 0..<b.count, using: &rng)
        let patterns: [[UInt8]] = [[0x7F, 0xFF, 0xFF, 0xFF], [0xFF, 0xFF, 0xFF, 0xFE], [0x00, 0x10, 0x00, 0x00],
                                   [0xFF, 0xFF, 0xFF, 0xFF], [0x80, 0x00, 0x00, 0x00], [0x7F, 0xFF, 0x7F, 0xFF]]
        let p = patterns.randomElement(using: &rng) ?? patterns[0]
        for k in 0..<width where i + k < b.count { b[i + k] = p[k] }
    case 4: // varint inflation (continuation bytes)
        let i = Int.random(in: 0..<b.count, using: &rng)
        for k in 0..<Int.random(in: 1...11, using: &rng) where i + k < b.count { b[i + k] = 0xFF }
    default: // insert / delete random bytes
        let i = Int.random(in: 0...b.count, using: &rng)
        if Bool.random(using: &rng) || i == b.count {
            b.insert(contentsOf: (0..<Int.random(in: 1...8, using: &rng)).map { _ in UInt8.random(in: 0...255, using: &rng) }, at: i)
        } else {
            b.removeSubrange(i..<min(b.count, i + Int.random(in: 1...8, using: &rng)))
        }
    }
    return b
}

@Suite struct FuzzTests {
    static let validFrames: [[UInt8]] = sampleRequests.enumerated().map { i, s in
        unframe(s.0.encodeFrame(apiVersion: s.1, correlationId: Int32(i), clientId: "fuzz"))
    }
    static let validBatches: [[UInt8]] = [oracleBatch1, oracleBatch2, oracleBatch3, oracleBatch1 + oracleBatch2 + oracleBatch3,
        RecordBatchBuilder(baseTimestamp: 1, records: [
            BatchRecord(timestampDelta: 3, offsetDelta: 0, key: [1, 2], value: [3], headers: [RecordHeader(key: "a", value: [4]), RecordHeader(key: "b", value: nil)]),
            BatchRecord(offsetDelta: 1, key: nil, value: nil),
        ]).build()]

    @Test func randomFrames() {
        var rng = SplitMix64(seed: 0x5EED_0001)
        var values = 0, errors = 0
        let supported = KafkaAPI.supported.flatMap { api in api.versions.map { (api.key.rawValue, $0) } }
        for i in 0..<20_000 {
            var frame: [UInt8]
            let len = Int.random(in: 0...200, using: &rng)
            let tail = (0..<len).map { _ in UInt8.random(in: 0...255, using: &rng) }
            if i % 2 == 0, let (k, v) = supported.randomElement(using: &rng) {
                // Plausible header of an implemented API, random body.
                var w = WireWriter()
                w.writeInt16(k); w.writeInt16(v); w.writeInt32(Int32(i)); w.writeNullableString(i % 4 == 0 ? nil : "c")
                if KafkaAPI.isFlexible(apiKey: k, apiVersion: v) { w.writeTaggedFields() }
                frame = w.bytes + tail
            } else {
                frame = tail
            }
            let maxLength = i % 3 == 0 ? 64 : WireReader.defaultMaxLength
            switch decodeRequest(frame, maxLength: maxLength) {
            case .value: values += 1
            case .wireError: errors += 1
            case nil: Issue.record("non-WireError for random frame \(i)")
            }
            if parseBatches(frame, partial: i % 2 == 0, crc: i % 4 < 2) == nil { Issue.record("batch parser, random \(i)") }
            // The frame splitter on the same random bytes.
            var d = FrameDecoder(maxFrameSize: 1 << 16)
            d.append(frame)
            _ = try? d.drain()
        }
        #expect(values + errors == 20_000)
        #expect(errors > 0)
    }

    @Test func mutatedFramesAndBatches() {
        var rng = SplitMix64(seed: 0x5EED_0002)
        var outcomes = [0, 0]
        for i in 0..<20_000 {
            let base = FuzzTests.validFrames[i % FuzzTests.validFrames.count]
            var m = mutate(base, rng: &rng)
            if i % 5 == 0 { m = mutate(m, rng: &rng) }
            switch decodeRequest(m, maxLength: i % 2 == 0 ? 1024 : WireReader.defaultMaxLength) {
            case .value: outcomes[0] += 1
            case .wireError: outcomes[1] += 1
            case nil: Issue.record("non-WireError for mutated frame \(i): \(toHex(m))")
            }
            let batch = mutate(FuzzTests.validBatches[i % FuzzTests.validBatches.count], rng: &rng)
            // Without CRC verification the mutated records themselves get parsed.
            if parseBatches(batch, partial: i % 2 == 0, crc: i % 3 == 0) == nil {
                Issue.record("non-WireError for mutated batch \(i): \(toHex(batch))")
            }
        }
        #expect(outcomes[0] > 0 && outcomes[1] > 0)
    }

    @Test func mutatedResponsesDecodeOrThrow() {
        var rng = SplitMix64(seed: 0x5EED_0003)
        for i in 0..<4_000 {
            let (resp, v) = sampleResponses[i % sampleResponses.count]
            let m = mutate(unframe(resp.encodeFrame(correlationId: 1, apiVersion: v)), rng: &rng)
            do { _ = try KafkaResponse.decode(frame: m, apiKey: resp.apiKey.rawValue, apiVersion: v) }
            catch is WireError {} catch { Issue.record("non-WireError response \(i)") }
        }
    }

    @Test func unmutatedCorpusIsValid() throws {
        for f in FuzzTests.validFrames {
            guard case .request = try KafkaRequest.decode(frame: f) else { Issue.record("unsupported"); continue }
        }
        for b in FuzzTests.validBatches {
            for batch in try RecordBatch.parse(b, allowPartialTrailing: false).batches { _ = try batch.records() }
        }
    }
}
