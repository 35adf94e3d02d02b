import Foundation
import Testing
@testable import DockerBuild

@Suite("BuildKit line numbers and heredocs")
struct BuildKitLineAndHeredocTests {
    @Test("testfile-line start and end lines")
    func lineNumbers() throws {
        // Goal: each instruction's start/end line equals `parser/testfile-line/expected-lines.txt`
        // (moby/buildkit parser_test.go TestParseIncludesLineNumbers).
        let parsed = try Dockerfile.parse(try TestData.text("parser/testfile-line/Dockerfile"))
        var expected: [String: String] = [:]
        for line in try TestData.text("parser/testfile-line/expected-lines.txt").split(separator: "\n")
        where !line.hasPrefix("#") {
            let parts = line.split(separator: "=", maxSplits: 1).map(String.init)
            if parts.count == 2 { expected[parts[0]] = parts[1] }
        }
        #expect(expected["root.StartLine"] == parsed.instructions.first.map { String($0.startLine) })
        #expect(expected["root.EndLine"] == parsed.instructions.last.map { String($0.endLine) })
        #expect(expected["children"] == String(parsed.instructions.count))
        for (index, instruction) in parsed.instructions.enumerated() {
            #expect(expected["child\(index)"] == "\(instruction.startLine),\(instruction.endLine)")
        }
    }

    private struct ExpectedHeredocs: Decodable {
        struct Entry: Decodable {
            var name: String
            var content: String
            var expand: Bool
            var chomp: Bool
            var file_descriptor: Int
        }
        var expected_heredocs_by_child_after_from: [[Entry]?]
    }

    @Test("heredoc names, bodies and flags")
    func heredocs() throws {
        // Goal: every instruction after FROM carries exactly the heredocs of `heredoc/expected.json`
        // (moby/buildkit parser_heredoc_test.go TestParseExtractsHeredoc); JSONDecoder reads it.
        let parsed = try Dockerfile.parse(try TestData.text("heredoc/Dockerfile"))
        let data = try Data(contentsOf: TestData.root.appendingPathComponent("heredoc/expected.json"))
        let expected = try JSONDecoder().decode(ExpectedHeredocs.self, from: data)
            .expected_heredocs_by_child_after_from
        #expect(expected.count == 27)
        #expect(parsed.instructions.count == expected.count + 1)
        for (index, entries) in expected.enumerated() where index + 1 < parsed.instructions.count {
            let want = (entries ?? []).map {
                Heredoc(name: $0.name, content: $0.content, expand: $0.expand, chomp: $0.chomp,
                        fileDescriptor: $0.file_descriptor)
            }
            #expect(parsed.instructions[index + 1].heredocs == want, "child \(index + 1)")
        }
    }
}
