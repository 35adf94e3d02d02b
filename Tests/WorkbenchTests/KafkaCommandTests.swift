import Testing
@testable import WorkbenchKit

/// The kafka commands: bad input names Kafka's own error or config and changes nothing.
struct KafkaCommandTests {
    static let setup = """
        kafka topic create orders --partitions 3 --replication-factor 3
        kafka produce orders --key alice --value pizza
        kafka consumer create c1 --group shop --topic orders
        """

    // Goal: each bad line fails with Kafka's error or config name, and state stays byte-identical.
    @Test(arguments: [
        ("kafka topic create bad --partitions 0", "INVALID_PARTITIONS"),
        ("kafka topic create bad --partitions -3", "INVALID_PARTITIONS"),
        ("kafka topic create bad --partitions 99999999999", "INVALID_PARTITIONS"),
        ("kafka topic create bad --replication-factor 4", "Replication factor: 4 larger than available brokers: 3."),
        ("kafka topic create 'bad name!'", "INVALID_TOPIC_EXCEPTION"),
        ("kafka topic create orders", "TOPIC_ALREADY_EXISTS"),
        ("kafka topic create bad --config min.insync.replica=2", "min.insync.replica"),
        ("kafka topic create bad --config min.insync.replicas=zero", "min.insync.replicas"),
        ("kafka topic alter orders --partitions 2", "Topic currently has 3 partitions, which is higher than the requested 2."),
        ("kafka topic describe nope", "UNKNOWN_TOPIC_OR_PARTITION"),
        ("kafka produce nope --value x", "UNKNOWN_TOPIC_OR_PARTITION"),
        ("kafka produce orders --value x --partition 7", "Invalid partition given with record: 7"),
        ("kafka log orders 9", "UNKNOWN_TOPIC_OR_PARTITION"),
        ("kafka broker stop 9", "BROKER_NOT_AVAILABLE"),
        ("kafka topic config orders retention.ms -5", "retention.ms"),
        ("kafka consumer create c2 --group shop --topic nope", "UNKNOWN_TOPIC_OR_PARTITION"),
        ("kafka consumer create c2 --group shop --topic orders --config session.timeout.ms=abc", "session.timeout.ms"),
        ("kafka consumer create c2 --group shop --topic orders --config fetch.size=1", "fetch.size"),
        ("kafka consumer poll ghost", "ghost"),
        ("kafka group describe nogroup", "nogroup"),
    ])
    func badInput(line: String, message: String) {
        let session = Fixture.memorySession()
        let setup = ScriptRunner.run(Self.setup, file: "setup.wb", in: session)
        #expect(setup.succeeded, "\(setup.failures.map(\.text))")
        let before = session.state.canonicalJSON()
        let result = session.execute(line)
        #expect(result.error != nil, "\(line) should fail")
        #expect(result.text.contains(message), "\(line): \(result.text)")
        #expect(session.state.canonicalJSON() == before, "\(line) changed state")
    }

    // Goal: a key lands where Kafka's UtilsTest murmur2 vector says; method: `kafka partition` for "21" with 1000 partitions.
    // murmur2("21") = -973932308 (apache/kafka UtilsTest.testMurmur2) → toPositive 1173551340 % 1000 = 340.
    @Test func partitionCommandMatchesKafka() {
        let session = Fixture.memorySession()
        #expect(session.execute("expect kafka partition 21 --partitions 1000 .clients[0].partition == 340").succeeded)
        // librdkafka's CRC32 of "hejsan" is 0xd077037e (tests/0048-partitioner.c) = 3497460606; % 7 = 3497460606 mod 7.
        let crc: Int64 = 3_497_460_606 % 7
        #expect(session.execute("expect kafka partition hejsan --partitions 7 .clients[3].partition == \(crc)").succeeded)
    }

    // Goal: the group protocol runs on the session's clock and survives save/load; method: join, save, load, compare.
    @Test func groupsSaveAndLoad() {
        let host = MemoryHost()
        let session = Fixture.memorySession(host: host)
        Fixture.run(Self.setup + "\nkafka consumer poll c1\nclock advance 4s\nkafka consumer poll c1", in: session)
        #expect(session.execute("expect kafka group describe shop .state == Stable").succeeded)
        #expect(session.execute("save g.json").succeeded)
        let other = Fixture.memorySession(host: host)
        #expect(other.execute("load g.json").succeeded)
        #expect(other.state.canonicalJSON() == session.state.canonicalJSON())
        #expect(other.execute("clock advance 10s").succeeded)
        #expect(other.execute("expect kafka group timeline shop | last | type == object").succeeded)
    }
}

/// The producer keeps per-partition order across a change of linger.ms (kafka.md §2.2: the sender
/// drains a partition's batches oldest first).
struct KafkaProducerOrderTests {
    // Goal: a record buffered under a long linger is not overtaken by one produced after linger drops to 0.
    @Test func lingerChangeKeepsOrder() {
        let session = Fixture.memorySession()
        Fixture.run("""
            kafka topic create t
            kafka producer set --linger-ms 1000
            kafka produce t --value first
            kafka producer set --linger-ms 0
            kafka produce t --value second
            """, in: session)
        #expect(session.execute("expect kafka consume t --from-beginning .[0].value == first").succeeded)
        #expect(session.execute("expect kafka consume t --from-beginning .[1].value == second").succeeded)
    }
}

/// Java 2.4–3.2's sticky partitioner switches when a record would start a new batch (KIP-480,
/// StickyPartitionCache.nextPartition via onNewBatch).
struct KafkaStickyTests {
    // Goal: with linger.ms=0 every keyless record starts a batch, so consecutive records never share a
    // partition; with a 200-byte batch.size the partition changes exactly when the batch is full.
    @Test func switchesOnNewBatch() throws {
        let session = Fixture.memorySession()
        Fixture.run("kafka topic create s --partitions 3\nkafka producer set --partitioner java-2.4", in: session)
        let hops = session.execute("kafka produce s --count 6 --json").value
        guard case let .array(rows) = hops else { Issue.record("no rows"); return }
        let partitions = rows.compactMap { row -> Int64? in if case let .int(p)? = row["partition"] { return p }; return nil }
        #expect(partitions.count == 6)
        #expect(zip(partitions, partitions.dropFirst()).allSatisfy { $0 != $1 })

        Fixture.run("kafka producer set --linger-ms 100 --batch-size 200\nkafka produce s --count 20\nkafka producer flush", in: session)
        let buffer = session.execute("kafka producer buffer --json").value
        #expect(buffer["batches"] == .array([]))
        // Each sent batch held as many records as fit in 200 bytes before the switch.
        let log = session.execute("kafka consume s --from-beginning --json").value
        guard case let .array(records) = log else { Issue.record("no records"); return }
        #expect(records.count == 26)
    }
}
