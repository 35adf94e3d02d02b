import Foundation
import Testing
@testable import WorkbenchKit

/// The session core: failed commands change nothing, undo/rewind restore exact states,
/// save/load round-trips, and bad save files are refused without touching the session.
struct SessionTests {
    // Goal: any failing command leaves the state byte-identical; method: canonical JSON before and after.
    @Test(arguments: [
        "chain mine --data x",               // no genesis
        "chain tamper 5 --data x",            // out of range
        "chain remine 9",
        "chain show block 3",
        "chain reset --difficulty 60 --max-attempts 10",  // gives up
        "chain mine",                         // missing --data
        "chain tamper 1",                     // nothing to change
        "undo undo",
        "rewind 3",
        "load /nonexistent/file.json",
        "source /nonexistent.wb",
        "\"unterminated",
        "expect chain show .height == 99",
        "run until chain show .height == 99",
        "clock advance 9223372036854775807ms",
        "\u{0}\u{1}\u{7F}garbage\u{FFFD}",
    ])
    func failedCommandChangesNothing(_ line: String) {
        let session = Fixture.memorySession()
        Fixture.run("chain reset --difficulty 4\nchain mine --data a\nchain mine --data b --step", in: session)
        let before = session.state.canonicalJSON()
        let historyCount = session.history.count
        let result = session.execute(line)
        #expect(result.error != nil, "\(line) should fail")
        #expect(session.state.canonicalJSON() == before, "\(line) changed state")
        #expect(session.history.count == historyCount, "\(line) changed history")
    }

    // Goal: undo reverts exactly the last command, rewind exactly N steps; method: compare snapshots.
    @Test func undoAndRewind() {
        let session = Fixture.memorySession()
        Fixture.run("chain reset --difficulty 6", in: session)
        let afterReset = session.state.canonicalJSON()
        Fixture.run("chain mine --data stepped --step", in: session)
        let afterStart = session.state.canonicalJSON()
        Fixture.run("step\nstep\nstep", in: session)
        let afterTwo = session.history[session.history.count - 1].before.canonicalJSON()
        #expect(session.execute("rewind 1").succeeded)
        #expect(session.state.canonicalJSON() == afterTwo)
        #expect(session.execute("rewind 2").succeeded)
        #expect(session.state.canonicalJSON() == afterStart)
        #expect(session.execute("undo").text == "undid `chain mine --data stepped --step`")
        #expect(session.state.canonicalJSON() == afterReset)
        #expect(session.execute("undo").succeeded)
        #expect(session.state.canonicalJSON() == SessionState(seed: Session.defaultSeed).canonicalJSON())
        #expect(session.execute("undo").text == "error: undo — nothing to undo (`history` lists what can be reverted)")
    }

    // Goal: `step` runs one event each and `run until` stops exactly when the condition holds.
    @Test func stepAndRunUntil() {
        let session = Fixture.memorySession()
        Fixture.run("chain reset --difficulty 8\nchain mine --data x --step", in: session)
        #expect(session.execute("step 5").succeeded)
        #expect(session.execute("expect chain show .mining.attempts == 5").succeeded)
        #expect(session.execute("run until chain show .mining.attempts == 20").succeeded)
        #expect(session.execute("expect chain show .mining.nextNonce == 20").succeeded)
        let finished = session.execute("run")
        #expect(finished.succeeded)
        #expect(session.execute("expect chain show .height == 2").succeeded)
        #expect(session.execute("step").text == "nothing to step: no events are scheduled")
        // Stepped and direct mining find the same block.
        let direct = Fixture.memorySession()
        Fixture.run("chain reset --difficulty 8\nchain mine --data x", in: direct)
        #expect(direct.execute("chain show --json").text == session.execute("chain show --json").text)
    }

    // Goal: a bounded run reports a livelock instead of hanging.
    @Test func runIsBounded() {
        let session = Fixture.memorySession()
        Fixture.run("chain reset --difficulty 30 --step", in: session)
        let result = session.execute("run --max 50")
        #expect(result.text.contains("still running after 50 events"))
    }

    // Goal: save then load restores the exact state; method: round trip through a file, and undo of load.
    @Test func saveAndLoad() throws {
        let host = MemoryHost()
        let session = Fixture.memorySession(host: host)
        Fixture.run("chain reset --difficulty 5\nchain mine --data a\nchain mine --data b --step\nstep 3\nuse chain", in: session)
        let saved = session.state.canonicalJSON()
        #expect(session.execute("save s.json").succeeded)
        #expect(host.files["s.json"]?.contains("\"format\" : \"workbench-session\"") == true)
        Fixture.run("use none\nreset", in: session)
        #expect(session.execute("load s.json").succeeded)
        #expect(session.state.canonicalJSON() == saved)
        #expect(session.namespace == "chain")
        #expect(session.execute("run").succeeded)
        #expect(session.execute("undo").succeeded)
        #expect(session.execute("undo").succeeded)
        #expect(session.state.canonicalJSON() == SessionState(seed: Session.defaultSeed).canonicalJSON())
    }

    // Goal: malformed, foreign and newer save files are refused with one clear line; nothing changes.
    @Test(arguments: [
        ("garbage {", "not a workbench save file (it is not valid JSON)"),
        ("{\"hello\": 1}", "no \"format\": \"workbench-session\""),
        ("{\"format\": \"workbench-session\", \"version\": 99}", "saved by a newer workbench (format version 99"),
        ("{\"format\": \"workbench-session\", \"version\": 1}", "damaged save file (missing `state`"),
        ("{\"format\": \"workbench-session\", \"version\": 1, \"state\": {\"seed\": 1, \"clockMs\": 0, \"random\": {\"state\": 1}, \"queue\": {\"heap\": [], \"nextSequence\": 0}, \"stepCount\": 0, \"topics\": {\"zookeeper\": {}}}}", "unknown topic `zookeeper`"),
    ])
    func badSaveFiles(text: String, message: String) {
        let host = MemoryHost(files: ["bad.json": text])
        let session = Fixture.memorySession(host: host)
        Fixture.run("chain reset --difficulty 4", in: session)
        let before = session.state.canonicalJSON()
        let result = session.execute("load bad.json")
        #expect(result.text.contains(message), "\(result.text)")
        #expect(session.state.canonicalJSON() == before)
    }

    // Goal: source runs a file inside the session and reports FILE:LINE on failure; a self-including file is stopped.
    @Test func source() {
        let host = MemoryHost(files: [
            "ok.wb": "chain reset --difficulty 4\nchain mine --data a\n",
            "bad.wb": "chain reset --difficulty 4\n\nchain show block 7\n",
            "loop.wb": "source loop.wb\n",
        ])
        let session = Fixture.memorySession(host: host)
        #expect(session.execute("source ok.wb").succeeded)
        #expect(session.execute("expect chain show .height == 2").succeeded)
        #expect(session.execute("source bad.wb").text.contains("bad.wb:3: error: chain show block 7"))
        #expect(session.execute("source loop.wb").text.contains("already being sourced"))
    }

    // Goal: clock advance moves simulated time and block timestamps follow it.
    @Test func clockMovesTimestamps() {
        let session = Fixture.memorySession()
        Fixture.run("chain reset --difficulty 4\nclock advance 10m\nchain mine --data later", in: session)
        #expect(session.execute("expect chain show .blocks[1].timestamp == 1231007105").succeeded)
        #expect(session.execute("expect clock .utc == \"2009-01-03T18:25:05Z\"").succeeded)
    }
}

/// `save --script` turns a session into a scenario that replays to the same state.
struct ReplayTests {
    // Goal: the command log replays to a byte-identical state; method: a session with stepping,
    // undo, rewind, a lesson exercise and `use`, saved as a script, replayed in a fresh session.
    @Test func scriptRoundTrip() throws {
        let host = MemoryHost()
        let session = Fixture.memorySession(seed: 5, host: host)
        Fixture.run("""
            chain reset --difficulty 5
            chain mine --data a
            chain mine --data b --step
            step 4
            rewind 2
            step
            chain show
            use chain
            mine --data c
            undo
            clock advance 1m
            run
            chain tamper 1 --data z
            """, in: session)
        #expect(session.execute("save replay.wb --script").succeeded)
        let script = try #require(host.files["replay.wb"])
        #expect(script.hasPrefix("# workbench session: replay with `workbench run --seed 5 FILE`\n"))
        #expect(!script.contains("chain show\n"), "read-only commands are not needed to replay")
        let replay = Fixture.memorySession(seed: 5)
        let result = ScriptRunner.run(script, file: "replay.wb", in: replay)
        #expect(result.succeeded, "\(result.failures.map(\.text))")
        #expect(replay.state.canonicalJSON() == session.state.canonicalJSON())

        // The JSON save carries the log too, and load brings it back.
        #expect(session.execute("save s.json").succeeded)
        let other = Fixture.memorySession(host: host)
        #expect(other.execute("load s.json").succeeded)
        #expect(other.commandLog == session.commandLog)
    }
}
