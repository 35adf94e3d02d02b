import Testing
@testable import SimKit
@testable import WorkbenchKit

/// The session core's deterministic pieces.
struct SimKitTests {
    // Goal: SplitMix64 matches the reference splitmix64.c (Vigna); method: the first outputs for seed 0,
    // recomputed with an independent Python transcription of splitmix64.c (Tests/WorkbenchTests/splitmix64.py).
    @Test func splitMixVectors() {
        var rng = SplitMix64(seed: 0)
        #expect([rng.next(), rng.next(), rng.next()] == [0xE220_A839_7B1D_CDAF, 0x6E78_9E6A_A1B9_65F4, 0x06C4_5D18_8009_454F])
    }

    // Goal: forked streams are stable per label and independent of each other.
    @Test func forks() {
        let root = SplitMix64(seed: 42)
        var a = root.fork("kafka.partitioner"), b = root.fork("kafka.partitioner"), c = root.fork("zk.election")
        let x = a.next()
        #expect(x == b.next())
        #expect(x != c.next())
    }

    // Goal: a session hands each subsystem its own stream, the same for the same seed.
    @Test func sessionStreams() {
        var a = SessionState(seed: 9).randomStream("kafka.partitioner"), b = SessionState(seed: 9).randomStream("kafka.partitioner")
        var c = SessionState(seed: 10).randomStream("kafka.partitioner")
        let first = a.next()
        #expect(first == b.next())
        #expect(first != c.next())
    }

    // Goal: bounded draws stay in range and cover it; method: 10,000 draws below 7.
    @Test func bounded() {
        var rng = SplitMix64(seed: 3)
        var seen = Set<UInt64>()
        for _ in 0..<10_000 {
            let v = rng.next(below: 7)
            #expect(v < 7)
            seen.insert(v)
        }
        #expect(seen.count == 7)
        #expect((0..<100).allSatisfy { _ in (-5...5).contains(rng.next(in: -5...5)) })
    }

    // Goal: events run in (time, sequence) order, ties in scheduling order.
    @Test func eventOrder() {
        var queue = EventQueue()
        queue.schedule(atMs: 20, topic: "t", kind: "c")
        queue.schedule(atMs: 10, topic: "t", kind: "a")
        queue.schedule(atMs: 10, topic: "t", kind: "b")
        queue.schedule(atMs: 5, topic: "u", kind: "first")
        #expect(queue.pending.map(\.kind) == ["first", "a", "b", "c"])
        var order: [String] = []
        while let e = queue.pop() { order.append(e.kind) }
        #expect(order == ["first", "a", "b", "c"])
        queue.schedule(atMs: 1, topic: "t", kind: "x")
        queue.schedule(atMs: 2, topic: "u", kind: "y")
        queue.removeAll(topic: "t")
        #expect(queue.pending.map(\.kind) == ["y"])
    }

    // Goal: the clock starts at the documented epoch and never goes backwards.
    @Test func clock() {
        var clock = SimClock()
        #expect(clock.nowSeconds == 1_231_006_505)
        clock.advance(toMs: 0)
        #expect(clock.nowMs == SimClock.defaultStartMs)
        clock.advance(byMs: 1500)
        #expect(clock.nowSeconds == 1_231_006_506)
    }
}

/// Dates in views are computed, not formatted by the platform.
struct DateTests {
    // Goal: iso8601 matches known instants (Unix epoch, Bitcoin's genesis 1231006505, a leap day, pre-1970).
    @Test(arguments: [
        (Int64(0), "1970-01-01T00:00:00Z"),
        (1_231_006_505_000, "2009-01-03T18:15:05Z"),
        (951_782_400_000, "2000-02-29T00:00:00Z"),
        (-1_000, "1969-12-31T23:59:59Z"),
        (-1, "1969-12-31T23:59:59.999Z"),
        (1_231_006_505_050, "2009-01-03T18:15:05.050Z"),
        (4_102_444_800_000, "2100-01-01T00:00:00Z"),
        (Int64.min, "-9223372036854775808 ms since 1970"),
        (Int64.max, "9223372036854775807 ms since 1970"),
    ])
    func iso8601(ms: Int64, text: String) {
        #expect(UTCDate.string(ms: ms) == text)
    }
}
