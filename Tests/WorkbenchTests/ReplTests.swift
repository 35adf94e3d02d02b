import Foundation
import LineEditing
import SimKit
import Testing
import WorkbenchCLI
@testable import WorkbenchKit

/// The REPL without a terminal (array reader, captured output) and the real binary fed by a pipe.
struct ReplTests {
    // Goal: interactive mode keeps going after an error and quits on `quit`; method: array reader.
    @Test func interactiveLoop() {
        let session = Fixture.memorySession()
        let reader = ArrayLineReader(["chain reset --difficulty 4", "chain nope", "", "chain mine --data x", "quit", "chain show"])
        let sink = CapturedOutput()
        let status = Repl(session: session, reader: reader, sink: sink, interactive: true).run()
        #expect(status == 0)
        #expect(sink.stdout.contains("error: unknown command `chain nope`"))
        #expect(sink.stdout.contains("mined block 1"))
        #expect(!sink.stdout.contains("3 blocks"))
        #expect(reader.recordedHistory == ["chain reset --difficulty 4", "chain nope", "chain mine --data x", "quit"])
    }

    // Goal: piped input behaves like `workbench run`: same transcript, exit 1 at the first failure.
    @Test func pipedBinaryMatchesRun() throws {
        let script = "chain reset --difficulty 6\nchain mine --data piped\n# comment\n\nchain show\nexpect chain show .height == 2\n"
        let dir = Fixture.tempDirectory()
        try script.write(toFile: "\(dir)/s.wb", atomically: true, encoding: .utf8)
        let (pipeStatus, pipeOut, _) = try Fixture.exec([], stdin: script)
        let (runStatus, runOut, _) = try Fixture.exec(["run", "\(dir)/s.wb"])
        #expect(pipeStatus == 0 && runStatus == 0)
        #expect(pipeOut == runOut)
        #expect(pipeOut.hasPrefix("workbench> chain reset --difficulty 6\n"))
        #expect(!pipeOut.contains("\u{1B}["), "no escape codes when stdout is not a terminal")

        let (failStatus, _, failErr) = try Fixture.exec([], stdin: "chain reset --difficulty 4\nexpect chain show .height == 5\nchain show\n")
        #expect(failStatus == 1)
        #expect(failErr.contains("<stdin>:2: expected chain show .height == 5, found 1"))
    }

    // Goal: `workbench run` exit statuses: 0 ok, 1 failure (FILE:LINE), 2 usage; --quiet prints only failures.
    @Test func runExitStatuses() throws {
        let dir = Fixture.tempDirectory()
        try "chain reset --difficulty 4\nexpect chain show .height == 1\n".write(toFile: "\(dir)/ok.wb", atomically: true, encoding: .utf8)
        try "chain reset --difficulty 4\n\nexpect chain show .height == 3\nchain show\n".write(toFile: "\(dir)/bad.wb", atomically: true, encoding: .utf8)
        #expect(try Fixture.exec(["run", "\(dir)/ok.wb"]).0 == 0)
        let (status, out, err) = try Fixture.exec(["run", "--quiet", "\(dir)/bad.wb"])
        #expect(status == 1)
        #expect(out.isEmpty)
        #expect(err == "\(dir)/bad.wb:3: expected chain show .height == 3, found 1\n")
        #expect(try Fixture.exec(["run"]).0 == 2)
        #expect(try Fixture.exec(["run", "--bogus", "x"]).0 == 2)
        #expect(try Fixture.exec(["run", "\(dir)/missing.wb"]).0 == 2)
        let seeded = try Fixture.exec(["run", "--seed", "9", "\(dir)/ok.wb"])
        #expect(seeded.0 == 0)
    }

    // Goal: `workbench lessons`, `grade --reference` and `--lesson` work from the real binary.
    @Test func lessonsAndGrade() throws {
        let (status, out, _) = try Fixture.exec(["lessons"])
        #expect(status == 0)
        #expect(out.contains("blockchain/01-blocks"))
        let graded = try Fixture.exec(["grade", "--reference"])
        #expect(graded.0 == 0, "\(graded.1)")
        #expect(graded.1.contains(" passed, 0 failed"))
        let dir = Fixture.tempDirectory()
        try "chain show\n".write(toFile: "\(dir)/find-a-nonce.wb", atomically: true, encoding: .utf8)
        let wrong = try Fixture.exec(["grade", "--solutions", dir])
        #expect(wrong.0 == 1)
        #expect(wrong.1.contains("FAIL  find-a-nonce"))
        let lesson = try Fixture.exec(["--lesson", "blockchain/01-blocks"], stdin: "lesson show\n")
        #expect(lesson.0 == 0)
        #expect(lesson.1.contains("workbench(blockchain/01-blocks)> lesson show"))
    }

    // Goal: binary garbage, huge numbers and odd bytes on stdin never crash the REPL.
    @Test func garbageNeverCrashes() throws {
        var rng = SplitMix64(seed: 2026)   // seeded, so a failure reproduces
        var bytes = (0..<4000).map { _ in UInt8(truncatingIfNeeded: rng.next()) }
        bytes += Array("\nchain show block 99999999999999999999999999\nstep 18446744073709551616\nclock advance 9999999999999999h\n".utf8)
        let (status, _, err) = try Fixture.exec(["--no-color"], stdin: String(decoding: bytes, as: UTF8.self))
        #expect(status == 0 || status == 1, "crashed with \(status): \(err)")
    }
}
