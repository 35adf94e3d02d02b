// The remaining cases of moby/buildkit frontend/dockerfile/shell/lex_test.go, ported as data:
// TestProcessWithMatches, TestShellParserMandatoryEnvVars, TestProcessWithMatchesPlatform,
// TestConvertShellPatternToRegex and TestReversePattern.

import Testing
@testable import DockerBuild

/// One TestProcessWithMatches case. `expected == nil` means the input must fail.
struct ShellLexMatchCase: Sendable, CustomTestStringConvertible {
    let input: String
    let env: [(String, String)]
    let expected: String?
    var matched: [String] = []
    var unmatched: [String] = []

    var testDescription: String { input }
}

@Suite("lex_test.go cases beyond the tables")
struct ShellLexUpstreamCaseTests {
    static let fooBar: [(String, String)] = [("FOO", "xxx"), ("BAR", "")]

    /// TestProcessWithMatches, in order. Upstream compares name sets; these lists also fix the
    /// order of first lookup, which ShellLex promises: a name inside a modifier's word (`$BAR` in
    /// `${FOO#$BAR}`) is looked up before the name that owns the modifier.
    static let matchCases: [ShellLexMatchCase] = [
        ShellLexMatchCase(input: "x", env: [("DUMMY", "dummy")], expected: "x"),
        ShellLexMatchCase(input: "x ${UNUSED}", env: [("DUMMY", "dummy")], expected: "x ", unmatched: ["UNUSED"]),
        ShellLexMatchCase(input: "x ${FOO}", env: [("FOO", "y")], expected: "x y", matched: ["FOO"]),
        ShellLexMatchCase(input: "${FOO-aaa} ${BAR-bbb} ${BAZ-ccc}", env: fooBar, expected: "xxx  ccc",
                  matched: ["FOO", "BAR"], unmatched: ["BAZ"]),
        ShellLexMatchCase(input: "${FOO:-aaa} ${BAR:-bbb} ${BAZ:-ccc}", env: fooBar, expected: "xxx bbb ccc",
                  matched: ["FOO", "BAR"], unmatched: ["BAZ"]),
        ShellLexMatchCase(input: "${FOO:-}", env: fooBar, expected: "xxx", matched: ["FOO"]),
        ShellLexMatchCase(input: "${FOO:-}", env: [], expected: "", unmatched: ["FOO"]),
        ShellLexMatchCase(input: "${FOO+aaa} ${BAR+bbb} ${BAZ+ccc}", env: fooBar, expected: "aaa bbb ",
                  matched: ["FOO", "BAR"], unmatched: ["BAZ"]),
        ShellLexMatchCase(input: "${FOO:+aaa} ${BAR:+bbb} ${BAZ:+ccc}", env: fooBar, expected: "aaa  ",
                  matched: ["FOO", "BAR"], unmatched: ["BAZ"]),
        ShellLexMatchCase(input: "${FOO?aaa}", env: fooBar, expected: "xxx", matched: ["FOO"]),
        ShellLexMatchCase(input: "${BAR?bbb}", env: fooBar, expected: "", matched: ["BAR"]),
        ShellLexMatchCase(input: "${BAZ?ccc}", env: fooBar, expected: nil),
        ShellLexMatchCase(input: "${FOO:?aaa}", env: fooBar, expected: "xxx", matched: ["FOO"]),
        ShellLexMatchCase(input: "${BAR:?bbb}", env: fooBar, expected: nil),
        ShellLexMatchCase(input: "${BAZ:?ccc}", env: fooBar, expected: nil),
        ShellLexMatchCase(input: "${BAZ:?}", env: fooBar, expected: nil),
        ShellLexMatchCase(input: "${FOO=aaa}", env: fooBar, expected: nil),
        ShellLexMatchCase(input: "${FOO=:aaa}", env: fooBar, expected: nil),
        ShellLexMatchCase(input: "${FOO=}", env: [], expected: nil),
        // Regex special characters; `\}` keeps the brace from closing the `${…}`.
        ShellLexMatchCase(input: #"${FOO#()[]{\}^$.\*\?|\\}"#, env: [("FOO", #"()[]{}^$.*?|\x"#)], expected: "x",
                  matched: ["FOO"]),
        ShellLexMatchCase(input: #"${FOO%%\**}"#, env: [("FOO", "xx**")], expected: "xx", matched: ["FOO"]),
        ShellLexMatchCase(input: "${FOO#*x*y}", env: [("FOO", "xxyy")], expected: "y", matched: ["FOO"]),
        ShellLexMatchCase(input: "${FOO#*}", env: [("FOO", "xxyy")], expected: "xxyy", matched: ["FOO"]),
        ShellLexMatchCase(input: "${FOO#$BAR}", env: [("FOO", "xxyy"), ("BAR", "x")], expected: "xyy",
                  matched: ["BAR", "FOO"]),
        ShellLexMatchCase(input: "${FOO#$BAR}", env: [("FOO", "xxyy"), ("BAR", "")], expected: "xxyy",
                  matched: ["BAR", "FOO"]),
        ShellLexMatchCase(input: "${FOO#}", env: [("FOO", "xxyy")], expected: "xxyy", matched: ["FOO"]),
        ShellLexMatchCase(input: "${FOO##*x}", env: [("FOO", "xxyy")], expected: "yy", matched: ["FOO"]),
        ShellLexMatchCase(input: "${FOO##}", env: [("FOO", "xxyy")], expected: "xxyy", matched: ["FOO"]),
        ShellLexMatchCase(input: #"${FOO#?\?}"#, env: [("FOO", "???y")], expected: "?y", matched: ["FOO"]),
        ShellLexMatchCase(input: "${ABC:-.}${FOO%x}${ABC:-.}", env: [("FOO", "xxyy")], expected: ".xxyy.",
                  matched: ["FOO"], unmatched: ["ABC"]),
        ShellLexMatchCase(input: #"${FOO%%\**\*}"#, env: [("FOO", "a***yy*")], expected: "a", matched: ["FOO"]),
        ShellLexMatchCase(input: "${FOO%}", env: [("FOO", "xxyy")], expected: "xxyy", matched: ["FOO"]),
        ShellLexMatchCase(input: "${FOO%%$BAR}", env: [("FOO", "xxyy"), ("BAR", "")], expected: "xxyy",
                  matched: ["BAR", "FOO"]),
        // Wildcards in a substitution pattern.
        ShellLexMatchCase(input: "${FOO/$NEEDLE/.} - ${FOO//$NEEDLE/.}",
                  env: [("FOO", "/foo*/*/*.txt"), ("NEEDLE", #"\*/"#)],
                  expected: "/foo.*/*.txt - /foo..*.txt", matched: ["NEEDLE", "FOO"]),
        // A `/` that comes from an expansion does not end the pattern.
        ShellLexMatchCase(input: "${FOO/$NEEDLE/} - ${FOO//$NEEDLE/}",
                  env: [("FOO", "/tmp/tmp/bar.txt"), ("NEEDLE", "/tmp")],
                  expected: "/tmp/bar.txt - /bar.txt", matched: ["NEEDLE", "FOO"]),
        ShellLexMatchCase(input: "${FOO/$NEEDLE/$REPLACEMENT} - ${FOO//$NEEDLE/$REPLACEMENT}",
                  env: [("FOO", "/a/foo/b/c.txt"), ("NEEDLE", "/?/"), ("REPLACEMENT", "/")],
                  expected: "/foo/b/c.txt - /foo/c.txt", matched: ["NEEDLE", "REPLACEMENT", "FOO"]),
        ShellLexMatchCase(input: "${FOO/$NEEDLE/$REPLACEMENT}",
                  env: [("FOO", "http://google.de"), ("NEEDLE", "http://"), ("REPLACEMENT", "https://")],
                  expected: "https://google.de", matched: ["NEEDLE", "REPLACEMENT", "FOO"]),
        // Escaped separators.
        ShellLexMatchCase(input: #"${FOO//\//\/}"#, env: [("FOO", "/tmp/foo.txt")], expected: #"\/tmp\/foo.txt"#,
                  matched: ["FOO"]),
        // Partial inputs that upstream keeps only to prove they do not crash.
        ShellLexMatchCase(input: "${FOO/$BAR/ww}", env: [("FOO", "xxyy"), ("BAR", "")], expected: "wwxxyy",
                  matched: ["BAR", "FOO"]),
        ShellLexMatchCase(input: "${FOO//ww}", env: [("FOO", "xxyy")], expected: nil),
        ShellLexMatchCase(input: "${FOO//}", env: [("FOO", "xxyy")], expected: nil),
        ShellLexMatchCase(input: "${FOO///}", env: [("FOO", "xxyy")], expected: "xxyy", matched: ["FOO"]),
        ShellLexMatchCase(input: "${FOO///}", env: [], expected: "", unmatched: ["FOO"]),
    ]

    @Test("TestProcessWithMatches", arguments: matchCases)
    func processWithMatches(_ testCase: ShellLexMatchCase) throws {
        // Goal: every TestProcessWithMatches case (lex_test.go) gives the same result and the same
        // matched and unmatched names; a case without a result must throw.
        let lexer = ShellLex()
        guard let expected = testCase.expected else {
            #expect(throws: ShellLexError.self) { try lexer.processWord(testCase.input, env: testCase.env) }
            return
        }
        let word = try lexer.processWord(testCase.input, env: testCase.env)
        #expect(word == ProcessedWord(result: expected, matched: testCase.matched, unmatched: testCase.unmatched))
    }

    @Test("TestShellParserMandatoryEnvVars: ${VAR:?msg} and ${VAR?msg}")
    func mandatoryVariables() throws {
        // Goal: lex_test.go's TestShellParserMandatoryEnvVars: `:?` rejects unset and empty, `?`
        // only unset, and the message is itself expanded (`message here$ARG` → `message herex`).
        let lexer = ShellLex()
        let setEnv = [("VAR", "plain"), ("ARG", "x")]
        let emptyEnv = [("VAR", ""), ("ARG", "x")]
        let unsetEnv = [("ARG", "x")]
        let noEmpty = "${VAR:?message here$ARG}"
        let noUnset = "${VAR?message here$ARG}"

        #expect(try lexer.processWord(noEmpty, env: setEnv).result == "plain")
        #expect(throws: ShellLexError(message: #"failed to process "${VAR:?message here$ARG}": VAR: message herex"#)) {
            try lexer.processWord(noEmpty, env: emptyEnv)
        }
        #expect(throws: ShellLexError(message: #"failed to process "${VAR:?message here$ARG}": VAR: message herex"#)) {
            try lexer.processWord(noEmpty, env: unsetEnv)
        }
        #expect(try lexer.processWord(noUnset, env: setEnv).result == "plain")
        #expect(try lexer.processWord(noUnset, env: emptyEnv).result == "")
        #expect(throws: ShellLexError(message: #"failed to process "${VAR?message here$ARG}": VAR: message herex"#)) {
            try lexer.processWord(noUnset, env: unsetEnv)
        }
    }

    @Test("TestProcessWithMatchesPlatform: release file names")
    func releaseFileName() throws {
        // Goal: lex_test.go's TestProcessWithMatchesPlatform: `${TARGETVARIANT:+-${TARGETVARIANT}}`
        // adds `-v7` only when the variant is set and not empty.
        let lexer = ShellLex()
        let release = "something-${VERSION}.${TARGETOS}-${TARGETARCH}${TARGETVARIANT:+-${TARGETVARIANT}}.tar.gz"
        let base = [("VERSION", "v1.2.3"), ("TARGETOS", "linux")]
        #expect(try lexer.processWord(release, env: base + [("TARGETARCH", "arm"), ("TARGETVARIANT", "v7")]).result
            == "something-v1.2.3.linux-arm-v7.tar.gz")
        #expect(try lexer.processWord(release, env: base + [("TARGETARCH", "arm64"), ("TARGETVARIANT", "")]).result
            == "something-v1.2.3.linux-arm64.tar.gz")
        #expect(try lexer.processWord(release, env: base + [("TARGETARCH", "arm64")]).result
            == "something-v1.2.3.linux-arm64.tar.gz")
    }

    @Test("TestConvertShellPatternToRegex: atoms and invalid escapes")
    func patternCompilation() throws {
        // Goal: the pattern compiler reads lex_test.go's TestConvertShellPatternToRegex inputs as the
        // regexes there say: `*` any run, `?` one character, `\*` a literal star, regex specials
        // literal; and it rejects `\`, `\x` and `\\\` as invalid escapes.
        typealias Atom = ShellLex.Pattern.Atom
        func atoms(_ text: String) throws(ShellLexError) -> [Atom] {
            let pattern = try ShellLex.Pattern.compile(Array(text.unicodeScalars), greedy: true)
            return pattern.atoms
        }
        #expect(try atoms("*") == [.anyRun])
        #expect(try atoms("?") == [.anyCharacter])
        #expect(try atoms(#"\*"#) == [.literal("*")])
        #expect(try atoms(#"(()[]{\}^$.\*\?|\\"#) == #"(()[]{}^$.*?|\"#.unicodeScalars.map { Atom.literal($0) })
        for invalid in [#"\"#, #"\x"#, #"\\\"#] {
            #expect(throws: ShellLexError.self) { try atoms(invalid) }
        }
    }

    @Test("TestReversePattern: escapes stay in front")
    func patternReversal() {
        // Goal: lex_test.go's TestReversePattern: reversing keeps `\x` pairs in order.
        let cases: [(String, String)] = [
            (#"a\*c"#, #"c\*a"#), (#"\\\ab"#, #"b\a\\"#), (#"ab\"#, #"\ba"#), (#"👽\🚀🖖"#, #"🖖\🚀👽"#), (#"\\b"#, #"b\\"#),
        ]
        for (pattern, expected) in cases {
            let reversed = ShellLex.Pattern.reversed(Array(pattern.unicodeScalars))
            #expect(String(String.UnicodeScalarView(reversed)) == expected, "\(pattern)")
        }
    }
}
