// Seeded sweeps over random words built from the lexer's special characters (STYLE.md §5: seed
// sweeps with invariant checks that print the reproducing seed).

import Testing
import DockerBuild

/// SplitMix64, so a seed gives the same words on every Swift version.
private struct SplitMix64 {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
    mutating func below(_ bound: Int) -> Int { Int(next() % UInt64(bound)) }
}

private let alphabet: [String] = [
    "$", "{", "}", ":", "-", "+", "?", "#", "%", "/", "\\", "`", "'", "\"", "*", "=", ".", "@",
    "A", "a", "1", "0", "_", " ", "\t", "\n", "한", "\u{301}", "\u{FEFF}", "AB", "$A", "${A", "${B:-",
]

@Suite("Seeded sweeps")
struct ShellLexSweepTests {
    @Test("Random words never trap, and both entry points agree", arguments: [UInt64(1), 2, 3, 4])
    func sweep(seed: UInt64) {
        // Goal: for 2,000 random words per seed, with both escape characters and both platforms,
        // processWord and processWords succeed or fail together, with the same lex.go-style message,
        // and every message starts `failed to process "`.
        var random = SplitMix64(state: seed)
        let env = [("A", "x y"), ("a", "*/b"), ("B", ""), ("AB", "a\\b")]
        for _ in 0..<2_000 {
            var word = ""
            for _ in 0..<random.below(12) { word += alphabet[random.below(alphabet.count)] }
            let lexer = ShellLex(escape: random.below(2) == 0 ? "\\" : "`")
            let windows = random.below(2) == 0
            let single = Result { () throws(ShellLexError) in try lexer.processWord(word, env: env, windows: windows) }
            let split = Result { () throws(ShellLexError) in try lexer.processWords(word, env: env, windows: windows) }
            switch (single, split) {
            case (.success, .success):
                break
            case let (.failure(first), .failure(second)):
                #expect(first == second, "seed \(seed): \(String(reflecting: word))")
                // Compared by scalars: a word starting with U+0301 fuses with the quote into one Character.
                #expect(first.message.unicodeScalars.starts(with: "failed to process \"".unicodeScalars),
                        "seed \(seed): \(first.message)")
            default:
                Issue.record("seed \(seed): entry points disagree on \(String(reflecting: word))")
            }
        }
    }

    @Test("Many wildcards against a long value stay fast")
    func manyWildcards() throws {
        // Goal: the matcher remembers failed (atom, position) pairs, so a pattern that would make a
        // naive backtracking search exponential finishes at once.
        let value = String(repeating: "a", count: 400)
        let pattern = String(repeating: "*a", count: 30) + "b"
        let word = try ShellLex().processWord("${V##\(pattern)}", env: [("V", value)])
        #expect(word.result == value)
    }
}
