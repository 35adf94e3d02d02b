import Foundation
import Testing
@testable import WorkbenchKit

/// Golden transcripts: each `Golden/NAME.wb` runs head-less and must print exactly `Golden/NAME.out`.
/// `RECORD=1 swift test` rewrites the .out files and still fails, so nothing is re-recorded silently
/// (the pattern of swift-argument-parser's test helpers).
struct TranscriptTests {
    static var scenarios: [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: Fixture.goldenDirectory)) ?? [])
            .filter { $0.hasSuffix(".wb") }.map { String($0.dropLast(3)) }.sorted()
    }

    @Test(arguments: scenarios)
    func golden(_ name: String) throws {
        let dir = Fixture.goldenDirectory
        let script = try String(contentsOfFile: "\(dir)/\(name).wb", encoding: .utf8)
        let result = ScriptRunner.run(script, file: "\(name).wb", in: Fixture.session(), keepGoing: true)
        let actual = result.transcript + "\n"
        let path = "\(dir)/\(name).out"
        if ProcessInfo.processInfo.environment["RECORD"] == "1" {
            try actual.write(toFile: path, atomically: true, encoding: .utf8)
            Issue.record("recorded \(path); run again without RECORD=1")
            return
        }
        let expected = (try? String(contentsOfFile: path, encoding: .utf8)) ?? ""
        #expect(actual == expected, "transcript of \(name).wb differs from \(name).out (RECORD=1 rewrites it)")
    }

    // Goal: there are golden scenarios at all (a test that cannot fail is a defect).
    @Test func scenariosExist() {
        #expect(Self.scenarios.count >= 3)
    }

    // Goal: the same seed and script give a byte-identical transcript, and another seed may not;
    // method: run every golden scenario twice in fresh sessions and compare, plus state JSON.
    @Test func determinism() throws {
        for name in Self.scenarios {
            let script = try String(contentsOfFile: "\(Fixture.goldenDirectory)/\(name).wb", encoding: .utf8)
            let a = Fixture.session(seed: 7), b = Fixture.session(seed: 7)
            let ta = ScriptRunner.run(script, file: name, in: a, keepGoing: true).transcript
            let tb = ScriptRunner.run(script, file: name, in: b, keepGoing: true).transcript
            #expect(ta == tb, "\(name) is not deterministic")
            #expect(a.state.canonicalJSON() == b.state.canonicalJSON())
        }
    }
}
