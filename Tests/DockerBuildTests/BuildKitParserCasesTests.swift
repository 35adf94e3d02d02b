import Foundation
import Testing
@testable import DockerBuild

/// The upstream `parser/<case>/` folders that have a `result` dump.
private let positiveCases = TestData.parserCases.filter { TestData.exists("parser/\($0)/result") }
/// The upstream `parser/negative-<case>/` folders (with an `EXPECT_ERROR` marker).
private let negativeCases = TestData.parserCases.filter { $0.hasPrefix("negative-") }

@Suite("BuildKit parser test data")
struct BuildKitParserCasesTests {
    @Test("every positive case has been found")
    func caseCounts() {
        // Goal: guard against a silently empty data folder — the README promises 33 + 4 + 1 cases.
        #expect(positiveCases.count == 33)
        #expect(negativeCases.count == 4)
    }

    @Test("dump equals result", arguments: positiveCases)
    func dumpMatchesResult(name: String) throws {
        // Goal: parse `parser/<case>/Dockerfile` and compare the dump with BuildKit's `result`
        // file byte for byte (trailing newline tolerated), as parser_test.go TestParseCases does.
        let dockerfile = try TestData.text("parser/\(name)/Dockerfile")
        let expected = try TestData.text("parser/\(name)/result")
        let parsed = try Dockerfile.parse(dockerfile)
        #expect(parsed.dump.trimmingTrailingNewlines == expected.trimmingTrailingNewlines)
    }

    @Test("negative cases throw", arguments: negativeCases)
    func negativeCaseThrows(name: String) throws {
        // Goal: every `parser/negative-<case>/Dockerfile` fails to parse, as parser_test.go
        // TestParseErrorCases requires.
        #expect(TestData.exists("parser/\(name)/EXPECT_ERROR"))
        let dockerfile = try TestData.text("parser/\(name)/Dockerfile")
        // The upstream test only requires an error; the messages are BuildKit's for each cause.
        let expected: [String: DockerfileError] = [
            "negative-empty_dockerfile": DockerfileError(line: nil, message: "file with no instructions"),
            "negative-env_no_value": DockerfileError(line: 3, message: "ENV must have two arguments"),
            "negative-only_comments": DockerfileError(line: 3, message: "file with no instructions"),
            "negative-shykes-nested-json": DockerfileError(line: 1, message:
                "when using JSON array syntax, arrays must be comprised of strings only"),
        ]
        #expect(throws: try #require(expected[name])) { try Dockerfile.parse(dockerfile) }
    }
}

extension String {
    var trimmingTrailingNewlines: String {
        var copy = self
        while copy.hasSuffix("\n") { copy.removeLast() }
        return copy
    }
}
