import Testing
@testable import DockerBuild

/// SplitMix64: one seed, our own mapping from bits to choices (STYLE.md §2).
private struct SplitMix64 {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
    mutating func pick<T>(_ options: [T]) -> T { options[Int(next() % UInt64(options.count))] }
}

@Suite("Robustness")
struct RobustnessTests {
    private static let pieces = [
        "FROM ", "RUN ", "COPY ", "ADD ", "ONBUILD ", "ENV ", "ARG ", "LABEL ", "HEALTHCHECK ", "CMD ",
        "SHELL ", "VOLUME ", "EXPOSE ", "fromx ", "# escape=`\n", "# syntax=x\n", "#", " ", "\t", "\n", "\r\n",
        "\\", "`", "\"", "'", "<<", "<<-", "EOF", "\nEOF\n", "3", "-", "--", "--from=", "--mount=", "=", "$",
        "${", "}", ":", "/", "[", "]", ",", "{", "\\u", "d83d", "a", "é", "\u{00A0}", "\u{FEFF}", "AS",
    ]

    @Test("random inputs never trap", arguments: 0..<8)
    func randomInputs(seed: Int) {
        // Goal: a seed sweep of random token soups: parsing, dumping, typing and coding either
        // succeed or throw DockerfileError, never trap (STYLE.md §4/§5; input never reaches `!`).
        var random = SplitMix64(state: UInt64(seed) &* 7919)
        for _ in 0..<400 {
            var text = ""
            for _ in 0..<Int(random.next() % 40) { text += random.pick(Self.pieces) }
            do {
                let parsed = try Dockerfile.parse(text)
                #expect(parsed.dump.hasSuffix(")\n"), "seed \(seed): \(text.debugDescription)")
                for instruction in parsed.instructions {
                    _ = try? instruction.command()
                    #expect(instruction.startLine <= instruction.endLine)
                }
            } catch {
                #expect(!error.message.isEmpty, "seed \(seed): \(text.debugDescription)")
            }
        }
    }

    @Test func deepJSONNestingIsNotExecForm() throws {
        // Goal: Go's JSON scanner refuses nesting deeper than 10000, so such a CMD is shell form;
        // the validator is iterative and does not overflow the stack (encoding/json maxNestingDepth).
        let deep = String(repeating: "[", count: 10_001) + String(repeating: "]", count: 10_001)
        #expect(try Dockerfile.parse("CMD \(deep)").instructions[0].isJSON == false)
        let allowed = "[" + String(repeating: "[", count: 9_999) + String(repeating: "]", count: 9_999) + "]"
        #expect(throws: DockerfileError.self) { try Dockerfile.parse("CMD \(allowed)") }
    }
}
