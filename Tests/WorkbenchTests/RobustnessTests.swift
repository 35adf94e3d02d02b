import Foundation
import SimKit
import Testing
import WorkbenchCLI
@testable import Topics
@testable import WorkbenchKit

/// Bad input never crashes and never breaks state: seeded sweeps of random command lines with the
/// chain's invariants checked after every line (the tigerbeetle VOPR idea, in miniature).
struct RobustnessTests {
    static let words = ["chain", "mine", "show", "block", "bytes", "validate", "tamper", "remine", "reset", "difficulty", "target",
                        "--data", "--step", "--nonce", "--difficulty", "--json", "--max-attempts", "step", "run", "until", "undo", "rewind",
                        "history", "expect", ".blocks", "| length", "==", "!=", ">=", "contains", "0", "1", "2", "3", "-1", "4", "99999999999999999999",
                        "\"quoted text\"", "'x", "\\", "#", "clock", "advance", "10s", "events", "trace", "on", "use", "none", "seed", "7",
                        "save", "load", "lesson", "next", "check", "hint", "\u{0}", "ü", ".mining", "null", "true"]

    // Goal: any line of random words either runs or fails with an `error:`/`expected` line, and the chain
    // keeps its invariants; method: 3 seeds × 400 lines, printing the seed and line on failure.
    @Test(arguments: [UInt64(1), 2, 3])
    func randomLines(seed: UInt64) {
        var rng = SplitMix64(seed: seed)
        let session = Fixture.memorySession()
        Fixture.run("chain reset --difficulty 3", in: session)
        for _ in 0..<400 {
            let count = Int(rng.next(below: 6)) + 1
            let line = (0..<count).map { _ in Self.words[Int(rng.next(below: UInt64(Self.words.count)))] }.joined(separator: " ")
            let before = session.state.canonicalJSON()
            let result = session.execute(line)
            if let error = result.error {
                #expect(result.text.hasPrefix("error: ") || result.text.hasPrefix("expected ") || result.text.contains("error: "),
                        "seed \(seed): `\(line)` → \(result.text)")
                if case .script = error {} else {
                    #expect(session.state.canonicalJSON() == before, "seed \(seed): failed `\(line)` changed state")
                }
            }
            let problems = session.topic(ChainState.self).chain.checkInvariants()
            #expect(problems.isEmpty, "seed \(seed): after `\(line)`: \(problems)")
            if session.quitRequested { session.quitRequested = false }
        }
    }

    // Goal: a scenario file of binary garbage fails with FILE:LINE and exit 1, never a crash.
    @Test func garbageScenarioFile() throws {
        var rng = SplitMix64(seed: 99)
        let bytes = (0..<3000).map { _ in UInt8(truncatingIfNeeded: rng.next()) }
        let path = Fixture.tempDirectory() + "/garbage.wb"
        _ = FileManager.default.createFile(atPath: path, contents: Data(bytes))
        let (status, _, err) = try Fixture.exec(["run", "--keep-going", path])
        #expect(status == 1)
        #expect(err.contains("\(path):"))
        #expect(!err.contains("Fatal error"))
    }

    // Goal: progress and saves are written atomically: no temporary file is left, content round-trips.
    @Test func atomicWrites() throws {
        let dir = Fixture.tempDirectory()
        let host = LocalHost(lessonsDirectory: Fixture.lessonsDirectory, stateDirectory: dir + "/nested/state")
        var progress = LearnerProgress()
        progress.markSolved("find-a-nonce", in: "blockchain.proof-of-work")
        host.saveProgress(progress)
        #expect(host.loadProgress() == progress)
        try host.writeFileAtomically(dir + "/save.json", contents: "one")
        try host.writeFileAtomically(dir + "/save.json", contents: "two")
        #expect(try host.readFile(dir + "/save.json") == "two")
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: dir).filter { $0.hasSuffix(".tmp") }
        #expect(leftovers.isEmpty)
        #expect(throws: WorkbenchError.self) { try host.writeFileAtomically("/proc/nope/x.json", contents: "x") }
        // A damaged progress file is reported and ignored, not fatal.
        try "{broken".write(toFile: dir + "/nested/state/progress.json", atomically: true, encoding: .utf8)
        #expect(host.loadProgress() == nil)
    }
}
