import Testing
@testable import WorkbenchKit

/// `expect` reaches any value a --json view shows, and says what it found when it fails.
struct ExpectTests {
    static let chain = """
    chain reset --difficulty 4
    chain mine --data "Send 1 BTC to Ivan"
    chain mine --data "Send 2 more BTC to Ivan"
    """

    // Goal: paths, pipes and every operator hold where they should; method: assertions on a 3-block chain.
    @Test(arguments: [
        "expect chain validate .valid == true",
        "expect chain show .blocks | length == 3",
        "expect chain show .blocks[1].data == \"Send 1 BTC to Ivan\"",
        "expect chain show .blocks[-1].data starts-with Send",
        "expect chain show .blocks[].data contains \"Genesis Block\"",
        "expect chain show .blocks[0].prevBlockHash == \"\"",
        "expect chain show .blocks[2].nonce >= 0",
        "expect chain show .height > 2",
        "expect chain show .height < 4",
        "expect chain show .height <= 3",
        "expect chain show .height != 2",
        "expect chain show .mining == null",
        "expect chain show | keys contains blocks",
        "expect chain show .blocks[1] contains hash",
        "expect chain show .blocks[1].data !contains BTC2",
        "expect chain show .blocks | first | type == object",
        "expect chain show .blocks | last | length == 10",
        "expect chain validate .blocks[2].problems == []",
        "expect clock .nowMs == 1231006505000",
        "expect chain show .targetBits == 4.0",
    ])
    func holds(_ line: String) {
        let session = Fixture.memorySession()
        Fixture.run(Self.chain, in: session)
        let result = session.execute(line)
        #expect(result.succeeded, "\(line): \(result.text)")
    }

    // Goal: a key with dots (Kafka's config names) is reachable with brackets, quoted or not.
    @Test func dottedKeys() {
        let session = Fixture.memorySession()
        Fixture.run("kafka topic create t --config min.insync.replicas=2", in: session)
        #expect(session.execute("expect kafka topic describe t .[0].configs[min.insync.replicas] == \"2\"").succeeded)
        #expect(session.execute("expect kafka topic describe t '.[0].configs[\"min.insync.replicas\"]' == \"2\"").succeeded)
    }

    // Goal: a failing expect names what was expected and what was found.
    @Test func failureMessage() {
        let session = Fixture.memorySession()
        Fixture.run(Self.chain, in: session)
        #expect(session.execute("expect chain show .blocks | length == 5").text == "expected chain show .blocks | length == 5, found 3")
        #expect(session.execute("expect chain show .blocks[1].data == \"x\"").text == "expected chain show .blocks[1].data == \"x\", found \"Send 1 BTC to Ivan\"")
        #expect(session.execute("expect chain show .nope == 1").text.hasPrefix("expected a field `nope` at ., found fields targetBits, height"))
        #expect(session.execute("expect chain show .blocks[7] == 1").text == "expected an element [7] at .blocks, found an array of 3")
    }

    // Goal: a scenario failure is reported as FILE:LINE with expected vs found.
    @Test func scenarioLocation() {
        let session = Fixture.memorySession()
        let result = ScriptRunner.run(Self.chain + "\n\n# check\nexpect chain show .height == 9\nchain validate", file: "lesson.wb", in: session)
        #expect(result.failures == [ScriptFailure(file: "lesson.wb", line: 6, message: "expected chain show .height == 9, found 3")])
        #expect(result.commandsRun == 4)
    }

    // Goal: expect only reads; method: a mutating command inside expect is refused and changes nothing.
    @Test func readOnly() {
        let session = Fixture.memorySession()
        let before = session.state.canonicalJSON()
        let result = session.execute("expect chain reset .height == 1")
        #expect(result.text.contains("changes state, and expect only reads"))
        #expect(session.state.canonicalJSON() == before)
    }

    // Goal: malformed predicates get the expect usage line.
    @Test(arguments: ["expect", "expect chain show", "expect chain show .x ~ 3", "expect chain show .x | nope == 1", "expect .x == 1", "expect chain show .a..b == 1"])
    func malformed(_ line: String) {
        let result = Fixture.memorySession().execute(line)
        #expect(result.error != nil, "\(line)")
        #expect(result.text.hasPrefix("error: "), "\(line): \(result.text)")
    }
}

/// `expect-error` asserts failures (Kafka's error names, chain rules) and never changes state.
struct ExpectErrorTests {
    // Goal: a failing command with the right text passes; success or other text fails; state and history stay.
    @Test func failuresAndRollback() {
        let session = Fixture.memorySession()
        Fixture.run("kafka topic create t --replication-factor 3 --config min.insync.replicas=2\nkafka broker stop 1\nkafka broker stop 2", in: session)
        let before = session.state.canonicalJSON()
        let history = session.history.count
        #expect(session.execute("expect-error NOT_ENOUGH_REPLICAS kafka produce t --value x").succeeded)
        #expect(session.execute("expect-error UNKNOWN kafka produce t --value x").text.hasPrefix("expected kafka produce t --value x to fail with \"UNKNOWN\", found error: kafka produce t — NOT_ENOUGH_REPLICAS"))
        #expect(session.execute("expect-error X kafka produce t --value x --acks 1").text == "expected kafka produce t --value x --acks 1 to fail with \"X\", found it succeeded")
        #expect(session.state.canonicalJSON() == before)
        #expect(session.history.count == history)
        #expect(session.execute("expect-error").error != nil)
    }
}
