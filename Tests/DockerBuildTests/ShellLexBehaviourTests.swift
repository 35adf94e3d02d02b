// Behaviour tests written for ShellLex, each tied to a rule of moby/buildkit
// frontend/dockerfile/shell/lex.go (or to a Go library behaviour lex.go inherits), and to
// docker-ecs.md §1.6 where that states the rule.

import Testing
import DockerBuild

private let lexer = ShellLex()

private func expand(_ word: String, _ env: [(String, String)] = [], windows: Bool = false) throws -> String {
    try lexer.processWord(word, env: env, windows: windows).result
}

@Suite("Modifiers")
struct ShellLexModifierTests {
    @Test("${V:-d} and ${V-d}: default when unset (and, with the colon, when empty)")
    func defaults() throws {
        // Goal: the `-` branch of lex.go processDollar, for a set, an empty and an unset name.
        #expect(try expand("${V:-d}", [("V", "x")]) == "x")
        #expect(try expand("${V:-d}", [("V", "")]) == "d")
        #expect(try expand("${V:-d}") == "d")
        #expect(try expand("${V-d}", [("V", "x")]) == "x")
        #expect(try expand("${V-d}", [("V", "")]) == "")
        #expect(try expand("${V-d}") == "d")
    }

    @Test("${V:+a} and ${V+a}: alternative when set (and, with the colon, not empty)")
    func alternatives() throws {
        // Goal: the `+` branch of lex.go processDollar, for a set, an empty and an unset name.
        #expect(try expand("${V:+a}", [("V", "x")]) == "a")
        #expect(try expand("${V:+a}", [("V", "")]) == "")
        #expect(try expand("${V:+a}") == "")
        #expect(try expand("${V+a}", [("V", "x")]) == "a")
        #expect(try expand("${V+a}", [("V", "")]) == "a")
        #expect(try expand("${V+a}") == "")
    }

    @Test("${V:?m} and ${V?m}: value, or an error naming the variable")
    func required() throws {
        // Goal: the `?` branch of lex.go processDollar and its three messages.
        #expect(try expand("${V:?m}", [("V", "x")]) == "x")
        #expect(try expand("${V?m}", [("V", "")]) == "")
        #expect(throws: ShellLexError(message: #"failed to process "${V:?}": V: is not allowed to be unset"#)) {
            try expand("${V:?}")
        }
        #expect(throws: ShellLexError(message: #"failed to process "${V:?}": V: is not allowed to be empty"#)) {
            try expand("${V:?}", [("V", "")])
        }
        #expect(throws: ShellLexError(message: #"failed to process "${V?}": V: is not allowed to be unset"#)) {
            try expand("${V?}")
        }
        #expect(throws: ShellLexError(message: #"failed to process "${V?boom}": V: boom"#)) {
            try expand("${V?boom}")
        }
    }

    @Test("# ## % %%: shortest and longest prefix or suffix removal")
    func trimming() throws {
        // Goal: lex.go trimPrefix/trimSuffix (docker-ecs.md §1.6 "newer syntax"): one sign is the
        // shortest match, two the longest; an unset name counts as "".
        let env = [("V", "a/b/c")]
        #expect(try expand("${V#*/}", env) == "b/c")
        #expect(try expand("${V##*/}", env) == "c")
        #expect(try expand("${V%/*}", env) == "a/b")
        #expect(try expand("${V%%/*}", env) == "a")
        #expect(try expand("${V#?/}", env) == "b/c")
        #expect(try expand("${V#x}", env) == "a/b/c")
        #expect(try lexer.processWord("${U#x}", env: env) == ProcessedWord(result: "", unmatched: ["U"]))
    }

    @Test("* and ? stop at a newline, as Go's `.` does")
    func wildcardsSkipNewlines() throws {
        // Goal: lex.go turns `*` into `.*` and `?` into `.`, which in Go's regexp never match "\n".
        let env = [("V", "a\nb")]
        #expect(try expand("${V##*}", env) == "\nb")
        #expect(try expand("${V%%*}", env) == "a\n")
        #expect(try expand("${V#a?}", env) == "a\nb")
    }

    @Test("/ and //: first or every match replaced")
    func replacement() throws {
        // Goal: lex.go's `/` case: `/` replaces the leftmost match, `//` every match; `*` is greedy.
        let env = [("V", "abcb")]
        #expect(try expand("${V/b/X}", env) == "aXcb")
        #expect(try expand("${V//b/X}", env) == "aXcX")
        #expect(try expand("${V/b*/X}", env) == "aX")
        #expect(try expand("${V//?/.}", env) == "....")
        #expect(try expand("${V/z/X}", env) == "abcb")
    }

    @Test("// expands Go regexp templates in the replacement; / does not")
    func replacementTemplates() throws {
        // Goal: lex.go calls Go's `ReplaceAllString` for `//`, which reads `$0`, `${0}` and `$$` in
        // the replacement (quoted here so the shell step leaves them alone), but splices the
        // replacement literally for `/`.
        let env = [("V", "foo")]
        #expect(try expand("${V//o/'<$0>'}", env) == "f<o><o>")
        #expect(try expand("${V//o/'<${0}>'}", env) == "f<o><o>")
        #expect(try expand("${V/o/'<$0>'}", env) == "f<$0>o")
        #expect(try expand("${V//o/'$$'}", env) == "f$$")
        #expect(try expand("${V//o/'$1x'}", env) == "f")
        #expect(try expand("${V//o/'${1}x'}", env) == "fxx")
        #expect(try expand("${V//o/'$'}", env) == "f$$")
    }

    @Test("// with a pattern that matches the empty string")
    func emptyMatches() throws {
        // Goal: Go's `ReplaceAllString` inserts at every position, never twice at one spot.
        #expect(try expand("${V//$E/-}", [("V", "abc"), ("E", "")]) == "-a-b-c-")
        #expect(try expand("${V//*/-}", [("V", "abc")]) == "-")
    }
}

@Suite("Quotes and escapes")
struct ShellLexQuoteTests {
    @Test("Single quotes keep everything")
    func singleQuotes() throws {
        // Goal: lex.go processSingleQuote: no expansion and no escapes inside '…'.
        #expect(try expand(#"'a\b'"#) == #"a\b"#)
        #expect(try expand(#"'a"b'"#) == #"a"b"#)
        #expect(try expand("'$PWD'", [("PWD", "/home")]) == "$PWD")
        #expect(try expand(#"'a\'"#) == #"a\"#)
    }

    @Test("Double quotes expand $ and escape only \", $ and the escape character")
    func doubleQuotes() throws {
        // Goal: lex.go processDoubleQuote: `\` before another character stays.
        #expect(try expand(#""a\b""#) == #"a\b"#)
        #expect(try expand(#""a\"b""#) == #"a"b"#)
        #expect(try expand(#""a\$b""#) == "a$b")
        #expect(try expand(#""a\\b""#) == #"a\b"#)
        #expect(try expand(#""a'b'""#) == "a'b'")
        #expect(try expand(#""$V""#, [("V", "x y")]) == "x y")
    }

    @Test("Unquoted escapes make the next character literal")
    func unquotedEscapes() throws {
        // Goal: lex.go processStopOn: an escape drops itself and keeps the next character; a final
        // escape is dropped; `\$` is a literal dollar (docker-ecs.md §1.6).
        #expect(try expand(#"a\ b"#) == "a b")
        #expect(try expand(#"a\b"#) == "ab")
        #expect(try expand(#"a\"#) == "a")
        #expect(try expand(#"\'"#) == "'")
        #expect(try expand(#"\$V"#, [("V", "x")]) == "$V")
        #expect(try expand(#"a"b c"'d e'f"#) == "ab cd ef")
    }

    @Test("Backtick escape (`# escape=``)")
    func backtickEscape() throws {
        // Goal: with NewLex('`') the backtick takes the escape role everywhere and `\` is plain text,
        // which is why Windows Dockerfiles use it for paths.
        let lexer = ShellLex(escape: "`")
        let env = [("PWD", "/home")]
        #expect(try lexer.processWord(#"c:\path\to"#, env: env).result == #"c:\path\to"#)
        #expect(try lexer.processWord("he`$PWD", env: env).result == "he$PWD")
        #expect(try lexer.processWord(#"he\$PWD"#, env: env).result == #"he\/home"#)
        #expect(try lexer.processWord("\"a`\"b\"", env: env).result == #"a"b"#)
        #expect(try lexer.processWord("\"a`tb\"", env: env).result == "a`tb")
        #expect(try lexer.processWord("a``b", env: env).result == "a`b")
        #expect(try lexer.processWord("a` b", env: env).result == "a b")
        // The closing quote after `\` is not escaped, so the final `"` opens an unterminated quote.
        #expect(throws: ShellLexError.self) { try lexer.processWord(#""a\"b""#, env: env) }
    }

    @Test("Patterns always escape with `\\`, whatever the escape character")
    func patternEscapeIsBackslash() throws {
        // Goal: lex.go convertShellPatternToRegex hard-codes `\`; with a backtick lexer the backtick
        // is kept in the pattern (raw escapes) and matched literally.
        let lexer = ShellLex(escape: "`")
        let env = [("V", "*x")]
        #expect(try lexer.processWord(#"${V#\*}"#, env: env).result == "x")
        #expect(try lexer.processWord("${V#`*}", env: env).result == "*x")
    }
}

@Suite("Matched and unmatched names")
struct ShellLexTrackingTests {
    @Test("Names are recorded once, in order of first lookup")
    func order() throws {
        // Goal: lex.go getEnv records every looked-up name as matched or unmatched (the data behind
        // BuildKit's undefined-variable lint); a modifier's word is expanded before its name is
        // looked up (D before C); positional and special parameters are looked up too, and a `$`
        // without a name is not.
        let word = try lexer.processWord("$A $B $A ${C:-$D} $1 $@ $.", env: [("A", "1"), ("D", "2")])
        #expect(word == ProcessedWord(result: "1  1 2   $.", matched: ["A", "D"], unmatched: ["B", "C", "1", "@"]))
    }

    @Test("Escaped and single-quoted references are not looked up")
    func literalDollars() throws {
        // Goal: only a `$` the scanner expands reaches getEnv.
        let word = try lexer.processWord(#"\$A '$B' "\$C""#, env: [])
        #expect(word == ProcessedWord(result: "$A $B $C"))
    }

    @Test("A name is recorded as written, even when Windows matched another spelling")
    func windowsSpelling() throws {
        // Goal: lex.go stores the referenced name, not the env key.
        let word = try lexer.processWord("$pwd", env: [("PWD", "/home")], windows: true)
        #expect(word == ProcessedWord(result: "/home", matched: ["pwd"]))
    }
}

@Suite("Env lookup")
struct ShellLexEnvironmentTests {
    @Test("Linux compares names exactly, Windows case-insensitively")
    func caseSensitivity() throws {
        // Goal: equal_env_unix.go (`==`) against equal_env_windows.go (`strings.EqualFold`).
        let env = [("PWD", "/home")]
        #expect(try lexer.processWord("$pwd", env: env) == ProcessedWord(result: "", unmatched: ["pwd"]))
        #expect(try expand("$pwd", env, windows: true) == "/home")
        // EqualFold folds the Kelvin sign with k/K, but never the dotless ı with I.
        #expect(try expand("$\u{212A}EY", [("KEY", "v")], windows: true) == "v")
        #expect(try expand("$\u{212A}EY", [("KEY", "v")]) == "")
        #expect(try expand("$\u{0131}D", [("ID", "v")], windows: true) == "")
    }

    @Test("The last entry for a name wins")
    func laterEntriesWin() throws {
        // Goal: lex.go BuildEnvs lets a later `k=v` replace an earlier one; on Windows the latest
        // spelling that folds equal wins (lex.go leaves that to Go's map order).
        #expect(try expand("$A", [("A", "1"), ("A", "2")]) == "2")
        #expect(try expand("$path", [("PATH", "1"), ("Path", "2")], windows: true) == "2")
    }

    @Test("Names compare scalar by scalar, like Go's byte comparison")
    func noCanonicalEquivalence() throws {
        // Goal: Go compares bytes, so precomposed `é` and `e` + U+0301 are different names, and a
        // combining mark (not a letter to unicode.IsLetter) ends a name.
        #expect(try lexer.processWord("$\u{E9}", env: [("e\u{301}", "x")])
            == ProcessedWord(result: "", unmatched: ["\u{E9}"]))
        let word = try lexer.processWord("$e\u{301}", env: [("e", "X")])
        #expect(Array(word.result.unicodeScalars) == ["X", "\u{301}"])
    }

    @Test("Digits and special parameters")
    func parameters() throws {
        // Goal: lex.go processName: a leading digit run (Unicode Nd, as unicode.IsDigit) is one
        // positional name; a special character is a name of its own (docker-ecs.md §1.6).
        #expect(try expand("$10x") == "x")
        #expect(try expand("$\u{0663}x") == "x")
        // `$$` is the special parameter `$`; the last `$` has no name and stays.
        #expect(try expand("$$$") == "$")
        #expect(try expand("${#:-n}") == "n")
        #expect(throws: ShellLexError(message: #"failed to process "${#x}": unsupported modifier (x) in substitution"#)) {
            try expand("${#x}")
        }
    }
}

@Suite("Word splitting")
struct ShellLexWordTests {
    @Test("Expansions split on white space; quotes and escapes do not")
    func splitting() throws {
        // Goal: lex.go wordsStruct: a value's spaces split words, quoted or escaped spaces do not,
        // and an empty quoted word disappears.
        let env = [("V", "x  y"), ("EMPTY", "")]
        #expect(try lexer.processWords(#"a  b\ c "d  e" '' $EMPTY f"#, env: env) == ["a", "b c", "d  e", "f"])
        #expect(try lexer.processWords("$V", env: env) == ["x", "y"])
        #expect(try lexer.processWords(#""$V""#, env: env) == ["x  y"])
        #expect(try lexer.processWords("a\tb\nc", env: env) == ["a", "b", "c"])
        #expect(try lexer.processWords("", env: env) == [])
    }

    @Test("processWord keeps the spaces that processWords splits on")
    func wordKeepsSpaces() throws {
        // Goal: lex.go ProcessWord returns the joined result; only ProcessWords splits.
        #expect(try expand(" a  $V ", [("V", "b  c")]) == " a  b  c ")
    }
}

@Suite("Error messages")
struct ShellLexErrorTests {
    private func message(_ word: String, _ env: [(String, String)] = [], escape: Character = "\\") -> String? {
        do throws(ShellLexError) {
            _ = try ShellLex(escape: escape).processWord(word, env: env)
            return nil
        } catch {
            return error.message
        }
    }

    @Test("Brace and modifier errors")
    func braces() {
        // Goal: the messages lex.go processDollar returns, wrapped as `failed to process %q: …`.
        #expect(message("${") == #"failed to process "${": syntax error: missing '}'"#)
        #expect(message("he${}") == #"failed to process "he${}": syntax error: bad substitution"#)
        #expect(message("${:-x}") == #"failed to process "${:-x}": syntax error: bad substitution"#)
        #expect(message("${PWD:=000}") == #"failed to process "${PWD:=000}": unsupported modifier (:=) in substitution"#)
        #expect(message("he${XXX:YYY}") == #"failed to process "he${XXX:YYY}": unsupported modifier (:Y) in substitution"#)
        #expect(message("he${.}") == #"failed to process "he${.}": unsupported modifier (.) in substitution"#)
        #expect(message("${A:-x") == #"failed to process "${A:-x": syntax error: missing '}'"#)
        #expect(message("${V//}") == #"failed to process "${V//}": syntax error: missing '/' in ${}"#)
        #expect(message("${V/a/b") == #"failed to process "${V/a/b": syntax error: missing '}'"#)
    }

    @Test("An unclosed ${NAME reports the end of input as modifier U+FFFD")
    func unclosedName() {
        // Goal: lex.go reads the modifier with scanner.Next() even at EOF, and Go prints rune -1
        // as U+FFFD, so `${PWD` fails as an unsupported modifier rather than a missing brace.
        #expect(message("he${PWD") == "failed to process \"he${PWD\": unsupported modifier (\u{FFFD}) in substitution")
    }

    @Test("Errors inside ${…}: missing brace at the end, the inner error elsewhere")
    func nestedErrors() {
        // Goal: lex.go replaces an inner error by `missing '}'` only when the input is used up.
        #expect(message("${A:-'x") == #"failed to process "${A:-'x": syntax error: missing '}'"#)
        #expect(message("${A:-${}}") == #"failed to process "${A:-${}}": syntax error: bad substitution"#)
    }

    @Test("Unterminated quotes")
    func quotes() {
        // Goal: the messages of lex.go processSingleQuote and processDoubleQuote.
        #expect(message("'abc") == #"failed to process "'abc": unexpected end of statement while looking for matching single-quote"#)
        #expect(message(#""abc"#) == #"failed to process "\"abc": unexpected end of statement while looking for matching double-quote"#)
        #expect(message(#""abc\"#) == #"failed to process "\"abc\\": unexpected end of statement while looking for matching double-quote"#)
    }

    @Test("Invalid patterns")
    func patterns() {
        // Goal: lex.go wraps convertShellPatternToRegex errors as `invalid pattern (p) in
        // substitution`; for % and %% it shows the pattern reversed, as lex.go reverses it first.
        #expect(message(#"${V#\x}"#, [("V", "v")]) == #"failed to process "${V#\\x}": invalid pattern (\x) in substitution: invalid escape '\x'"#)
        #expect(message(#"${V%ab\x}"#, [("V", "v")]) == #"failed to process "${V%ab\\x}": invalid pattern (\xba) in substitution: invalid escape '\x'"#)
        #expect(message("${V#$P}", [("V", "v"), ("P", #"ab\"#)])
            == "failed to process \"${V#$P}\": invalid pattern (ab\\) in substitution: invalid escape '\\\u{FFFD}'")
    }

    @Test("The input is quoted as Go's %q does")
    func quotedInput() {
        // Goal: strconv.Quote escapes quotes, backslashes and controls, keeps printable Unicode, and
        // writes other characters as \u or \U escapes.
        #expect(message("a\tb\n${") == #"failed to process "a\tb\n${": syntax error: missing '}'"#)
        #expect(message(#""${"#) == #"failed to process "\"${": syntax error: missing '}'"#)
        #expect(message("한\u{1}${") == #"failed to process "한\x01${": syntax error: missing '}'"#)
        #expect(message("\u{A0}\u{E0001}${") == #"failed to process "\u00a0\U000e0001${": syntax error: missing '}'"#)
    }
}

@Suite("Input edge cases")
struct ShellLexInputTests {
    @Test("A leading byte order mark is dropped")
    func byteOrderMark() throws {
        // Goal: Go's text/scanner skips U+FEFF at the start of its input, and only there.
        #expect(try expand("\u{FEFF}$V", [("V", "x")]) == "x")
        #expect(try expand("a\u{FEFF}b") == "a\u{FEFF}b")
    }
}
