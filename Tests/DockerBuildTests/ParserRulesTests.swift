import Testing
@testable import DockerBuild

/// Parser-level rules, each checked against the BuildKit behaviour cited in its goal line.
@Suite("Parser rules")
struct ParserRulesTests {
    @Test func backtickEscapeKeepsWindowsPaths() throws {
        // Goal: with `# escape=`` a trailing `\` is an ordinary character, so Windows paths survive
        // and only a trailing backtick continues (docker-ecs.md §1.3; reference.md "escape").
        let parsed = try Dockerfile.parse("""
            # escape=`
            FROM mcr.microsoft.com/windows/servercore
            COPY testfile.txt c:\\
            RUN dir c:\\ `
                && echo done
            """)
        #expect(parsed.escape == "`")
        #expect(parsed.directives == [Directive(name: "escape", value: "`", line: 1)])
        #expect(parsed.dump == """
            (from "mcr.microsoft.com/windows/servercore")
            (copy "testfile.txt" "c:\\\\")
            (run "dir c:\\\\     && echo done")

            """)
    }

    @Test func defaultEscapeWindowsPitfall() throws {
        // Goal: with the default escape, `c:\\` ends in an escaped escape and does not continue,
        // and `RUN dir c:\` then continues into nothing (docker-ecs.md §1.3 "Windows pitfall").
        let parsed = try Dockerfile.parse("FROM x\nCOPY testfile.txt c:\\\\\nRUN dir c:\\\n")
        #expect(parsed.dump == "(from \"x\")\n(copy \"testfile.txt\" \"c:\\\\\\\\\")\n(run \"dir c:\")\n")
    }

    @Test func directiveOnlyAtTheTop() throws {
        // Goal: a directive after a comment, a blank line or an instruction is just a comment
        // (BuildKit testfiles escape-after-comment; directives.go stops at the first non-directive).
        let afterComment = try Dockerfile.parse("# hello\n# escape=`\nFROM x\nRUN a \\\n  b\n")
        #expect(afterComment.escape == "\\")
        #expect(afterComment.directives.isEmpty)
        #expect(afterComment.instructions[1].arguments == ["a   b"])
        let afterInstruction = try Dockerfile.parse("FROM x\n# escape=`\nRUN a `\n")
        #expect(afterInstruction.escape == "\\")
        #expect(afterInstruction.instructions[1].arguments == ["a `"])
        let afterBlank = try Dockerfile.parse("\n# syntax=docker/dockerfile:1\nFROM x\n")
        #expect(afterBlank.directives.isEmpty)
        #expect(afterBlank.instructions[0].comments == ["syntax=docker/dockerfile:1"])
    }

    @Test func directivesAreReadWithTheirLinesAndCase() throws {
        // Goal: keys are case-insensitive and blanks around `#`, key and `=` are allowed; the
        // directive is not kept as a comment (directives.go regex; parser.go drops it from comments).
        let parsed = try Dockerfile.parse("#  SYNTAX = docker/dockerfile:1  \n# check=skip=all\n# build stage\nFROM x AS build\n")
        #expect(parsed.directives == [
            Directive(name: "syntax", value: "docker/dockerfile:1", line: 1),
            Directive(name: "check", value: "skip=all", line: 2),
        ])
        #expect(parsed.instructions[0].comments == ["build stage"])
    }

    @Test func directiveErrors() {
        // Goal: a repeated directive and a bad escape token fail with BuildKit's wording
        // (directives.go, parser.go setEscapeToken).
        #expect(throws: DockerfileError(line: 2, message: "only one escape parser directive can be used")) {
            try Dockerfile.parse("# escape=`\n# escape=\\\nFROM x\n")
        }
        #expect(throws: DockerfileError(line: 1, message: "invalid escape token 'x' does not match ` or \\")) {
            try Dockerfile.parse("# escape=x\nFROM x\n")
        }
    }

    @Test func escapedEscapeDoesNotContinue() throws {
        // Goal: the continuation regex `([^\\])\\[ \t]*$` ignores a `\` preceded by `\`
        // (testfiles trailing-backslash: `ENV C trailing\\backslash\\` does not swallow line D).
        let parsed = try Dockerfile.parse("FROM x\nENV C a\\\\\nENV D b\n")
        #expect(parsed.instructions.count == 3)
        #expect(parsed.instructions[1].arguments == ["C", "a\\\\", ""])
        #expect(parsed.instructions[1].endLine == 2)
    }

    @Test func emptyContinuationLinesWarn() throws {
        // Goal: blank lines inside a continuation are dropped with BuildKit's warning text
        // (parser_test.go TestParseWarnsOnEmptyContinutationLine; Result.PrintWarnings).
        let parsed = try Dockerfile.parse("""

            FROM alpine:3.6

            RUN valid \\
                continuation

            RUN something \\

                following \\

                more

            RUN another \\

                thing

            RUN non-indented \\
            # this is a comment
               after-comment

            RUN indented \\
                # this is an indented comment
                comment
            \t
            """)
        #expect(parsed.warnings == [
            "[WARNING]: Empty continuation line found in: RUN something     following     more",
            "[WARNING]: Empty continuation line found in: RUN another     thing",
            "[WARNING]: Empty continuation lines will become errors in a future release.",
        ])
        #expect(parsed.instructions.map(\.arguments) == [
            ["alpine:3.6"], ["valid     continuation"], ["something     following     more"],
            ["another     thing"], ["non-indented    after-comment"], ["indented     comment"],
        ])
        #expect(parsed.instructions[2].startLine == 7)
        #expect(parsed.instructions[2].endLine == 11)
    }

    @Test func commentsInsideContinuationAreDropped() throws {
        // Goal: comment lines inside a continuation vanish and do not end it (testfiles
        // continueIndent, lk4d4-the-edge-case-generator).
        let parsed = try Dockerfile.parse("FROM x\nRUN echo a \\\n# note\n    && echo b\n")
        #expect(parsed.instructions[1].arguments == ["echo a     && echo b"])
        #expect(parsed.instructions[1].original == "RUN echo a     && echo b")
        #expect(parsed.warnings.isEmpty)
    }

    @Test func chompedHeredocStripsTabs() throws {
        // Goal: `<<-` keeps the raw body in the parser but strips leading tabs from the body and
        // the terminator in the instruction layer (parser_heredoc_test.go UNINDENT2; TestHeredocChomp).
        let parsed = try Dockerfile.parse("FROM x\nCOPY <<-EOT /app/run.sh\n\t#!/bin/sh\n\t\techo hi\n\tEOT\n")
        let heredoc = try #require(parsed.instructions[1].heredocs.first)
        #expect(heredoc == Heredoc(name: "EOT", content: "\t#!/bin/sh\n\t\techo hi\n", expand: true, chomp: true))
        #expect(heredoc.chompedContent == "#!/bin/sh\necho hi\n")
        let copy = try #require(try parsed.instructions[1].command().copy)
        #expect(copy.contents == [SourceContent(path: "EOT", data: "#!/bin/sh\necho hi\n", expand: true)])
        #expect(copy.sources.isEmpty)
        #expect(copy.destination == "/app/run.sh")
    }

    @Test func quotedDelimiterTurnsExpansionOff() throws {
        // Goal: any quoted part of the name (`'EOF'`, `"EOF"`, `E"O"F`) disables expansion; an
        // escaped quote does not (parser_heredoc_test.go eo'f cases).
        let parsed = try Dockerfile.parse("""
            FROM x
            RUN <<'EOF'
            echo $HOME
            EOF
            RUN <<"EOF"
            echo $HOME
            EOF
            RUN <<E"O"F
            echo $HOME
            EOF
            RUN <<EOF
            echo $HOME
            EOF
            RUN <<EO\\"F
            echo $HOME
            EO"F

            """)
        #expect(parsed.instructions.dropFirst().map { $0.heredocs.map(\.expand) } == [[false], [false], [false], [true], [true]])
        #expect(parsed.instructions.dropFirst().map { $0.heredocs.map(\.name) } == [["EOF"], ["EOF"], ["EOF"], ["EOF"], ["EO\"F"]])
    }

    @Test func severalHeredocsPerInstruction() throws {
        // Goal: bodies follow in the order the names appear, and the dump omits them
        // (parser_heredoc_test.go FILE1/FILE2 and X/Y; README "Heredoc bodies are not printed").
        let parsed = try Dockerfile.parse("FROM x\nCOPY <<one 3<<two /dest/\nfirst\none\nsecond\ntwo\nRUN cat /dest/one\n")
        let copy = parsed.instructions[1]
        #expect(copy.heredocs == [
            Heredoc(name: "one", content: "first\n"),
            Heredoc(name: "two", content: "second\n", fileDescriptor: 3),
        ])
        #expect(copy.startLine == 2)
        #expect(copy.endLine == 6)
        #expect(parsed.instructions[2].startLine == 7)
        #expect(parsed.dump == "(from \"x\")\n(copy \"<<one\" \"3<<two\" \"/dest/\")\n(run \"cat /dest/one\")\n")
    }

    @Test func heredocOnlyInShellFormRunCopyAdd() throws {
        // Goal: JSON form, quoted `<<`, and other instructions never read a body
        // (parser_heredoc_test.go TestParseJSONHeredoc, NOHEREDOC, USER <<INVALID).
        let parsed = try Dockerfile.parse("FROM x\nRUN [\"<<EOF\"]\nRUN \"<<EOF\"\nUSER <<EOF\nRUN echo <<EOF sh\nEOF\n")
        #expect(parsed.instructions[1].heredocs.isEmpty)
        #expect(parsed.instructions[2].heredocs.isEmpty)
        #expect(parsed.instructions[3].heredocs.isEmpty)
        #expect(parsed.instructions[4].heredocs == [Heredoc(name: "EOF")])
        #expect(parsed.instructions.count == 5)
    }

    @Test func onbuildHeredoc() throws {
        // Goal: an ONBUILD RUN trigger may carry a heredoc; it attaches to the ONBUILD instruction
        // and appears in its expression (parser.go canContainHeredoc; instructions parseOnBuild).
        let parsed = try Dockerfile.parse("FROM x\nONBUILD RUN <<EOF\necho hi\nEOF\n")
        let onbuild = parsed.instructions[1]
        #expect(onbuild.heredocs == [Heredoc(name: "EOF", content: "echo hi\n")])
        #expect(parsed.dump == "(from \"x\")\n(onbuild (run \"<<EOF\"))\n")
        let command = try #require(try onbuild.command().onbuild)
        #expect(command.expression == "RUN <<EOF\necho hi\nEOF")
        #expect(command.trigger.heredocs == onbuild.heredocs)
    }

    @Test func invalidJSONFallsBackToShellForm() throws {
        // Goal: text that is not valid JSON is shell form; valid JSON with a non-string element is
        // an error (jeztah-invalid-json-* testfiles; negative-shykes-nested-json; line_parsers.go).
        let parsed = try Dockerfile.parse("""
            CMD ['single']
            CMD ["a", "b",]
            CMD ["a"] trailing
            CMD ["c:\\windows"]
            CMD [ "a" , "b" ]
            ENTRYPOINT ["\\ud83d\\ude00", "\\ud800x", "\\u00e9"]
            COPY ["a b", "/c"]
            """)
        #expect(parsed.instructions.map(\.isJSON) == [false, false, false, false, true, true, true])
        #expect(parsed.instructions[3].arguments == ["[\"c:\\windows\"]"])
        #expect(parsed.instructions[5].arguments == ["😀", "\u{FFFD}x", "é"])
        #expect(parsed.instructions[6].arguments == ["a b", "/c"])
        let nonString = "when using JSON array syntax, arrays must be comprised of strings only"
        #expect(throws: DockerfileError(line: 2, message: nonString)) { try Dockerfile.parse("FROM x\nCMD [1]\n") }
        #expect(throws: DockerfileError(line: 1, message: nonString)) { try Dockerfile.parse("VOLUME [\"a\", null]") }
        #expect(throws: DockerfileError(line: 1, message: nonString)) { try Dockerfile.parse("RUN [\"a\", {\"b\": [1, 2.5e3, true]}]") }
    }

    @Test func flagsAreSplitOffTheFront() throws {
        // Goal: leading `--` words are flags (quotes removed, `\` honoured); a lone `--` ends them;
        // a later `--word` is an argument (testfiles flags; split_command.go).
        let parsed = try Dockerfile.parse("""
            COPY --from=build --chown="app user" --chmod=7\\55 src /dst
            COPY -- --weird /dst
            RUN --mount=type=cache,target=/root/.cache echo --not-a-flag
            """)
        #expect(parsed.instructions[0].flags == ["--from=build", "--chown=app user", "--chmod=755"])
        #expect(parsed.instructions[0].arguments == ["src", "/dst"])
        #expect(parsed.instructions[1].flags == [])
        #expect(parsed.instructions[1].arguments == ["--weird", "/dst"])
        #expect(parsed.instructions[2].flags == ["--mount=type=cache,target=/root/.cache"])
        #expect(parsed.instructions[2].arguments == ["echo --not-a-flag"])
    }

    @Test func unknownInstructionParsesButDoesNotType() throws {
        // Goal: the parser keeps an unknown keyword as `(fromx "")`; the instruction layer rejects
        // it with BuildKit's wording, suggestion and line (instructions/parse.go, util/suggest).
        let parsed = try Dockerfile.parse("# comment\n\nFROMX alpine\nRUN true\n")
        #expect(parsed.dump == "(fromx \"\")\n(run \"true\")\n")
        let error = DockerfileError(line: 3, message: "unknown instruction: FROMX (did you mean FROM?)")
        #expect(throws: error) { try parsed.commands() }
        #expect(error.description == "dockerfile parse error on line 3: unknown instruction: FROMX (did you mean FROM?)")
        #expect(throws: DockerfileError(line: 1, message: "unknown instruction: cpoy (did you mean copy?)")) {
            try Dockerfile.parse("cpoy a b").commands()
        }
        #expect(throws: DockerfileError(line: 1, message: "unknown instruction: BANANA")) {
            try Dockerfile.parse("BANANA split").commands()
        }
    }

    @Test func unterminatedHeredoc() {
        // Goal: a heredoc without its terminator fails at the instruction's line
        // (parser.go "unterminated heredoc").
        #expect(throws: DockerfileError(line: 2, message: "unterminated heredoc")) {
            try Dockerfile.parse("FROM x\nRUN <<EOF\necho hi\nEOFX\n")
        }
        #expect(throws: DockerfileError(line: 2, message: "unterminated heredoc")) {
            try Dockerfile.parse("FROM x\nRUN <<-EOF\necho hi\n  EOF\n")
        }
    }

    @Test func envWithoutValue() throws {
        // Goal: `ENV PATH` fails in the parser, `ENV =x` in the instruction layer
        // (testfiles-negative env_no_value; instructions parseKvps).
        #expect(throws: DockerfileError(line: 3, message: "ENV must have two arguments")) {
            try Dockerfile.parse("FROM busybox\n\nENV PATH\n")
        }
        #expect(throws: DockerfileError(line: 2, message: "LABEL must have two arguments")) {
            try Dockerfile.parse("FROM busybox\nLABEL x\n")
        }
        #expect(throws: DockerfileError(line: 2, message: "Syntax error - can't find = in \"b\". Must be of the form: name=value")) {
            try Dockerfile.parse("FROM busybox\nENV a=1 b\n")
        }
        #expect(throws: DockerfileError(line: 2, message: "ENV names can not be blank")) {
            try Dockerfile.parse("FROM busybox\nENV =x\n").commands()
        }
    }

    @Test func noInstructions() {
        // Goal: an empty file and a comments-only file both fail (testfiles-negative
        // empty_dockerfile, only_comments; parser.go "file with no instructions").
        #expect(throws: DockerfileError(line: nil, message: "file with no instructions")) { try Dockerfile.parse("") }
        #expect(throws: DockerfileError(line: 3, message: "file with no instructions")) {
            try Dockerfile.parse("# Hello\n# These are just comments\n\n")
        }
    }

    @Test func lineLengthLimit() throws {
        // Goal: a line longer than 65535 bytes stops the scan with BuildKit's message
        // (parser_test.go TestParseReturnsScannerErrors).
        let label = String(repeating: "a", count: 65_536)
        #expect(throws: DockerfileError(line: 3, message: "dockerfile line greater than max allowed size of 65535")) {
            try Dockerfile.parse("\n\t\tFROM image\n\t\tLABEL test=\(label)\n")
        }
        let fits = String(repeating: "a", count: 65_535 - "LABEL t=".count)
        #expect(try Dockerfile.parse("FROM x\nLABEL t=\(fits)\n").instructions.count == 2)
    }

    @Test func byteOrderMarkAndCRLF() throws {
        // Goal: a UTF-8 BOM on line 1 is ignored and CRLF endings are trimmed (parser.go
        // discardBOM, trimNewline).
        let parsed = try Dockerfile.parse("\u{FEFF}# escape=`\r\nFROM x\r\nRUN a `\r\n  b\r\n")
        #expect(parsed.escape == "`")
        #expect(parsed.dump == "(from \"x\")\n(run \"a   b\")\n")
    }

    @Test func argumentRules() throws {
        // Goal: each keyword keeps its own argument rule: ENV/LABEL triples, ARG raw words, FROM
        // and EXPOSE blank-split, USER whole text, HEALTHCHECK type + maybe-JSON (docker-ecs.md §1.5).
        let parsed = try Dockerfile.parse("""
            FROM  golang:1.22   AS build
            ARG abc="123 456" def
            ENV a=1 b="two words" c=three\\ words
            ENV legacy value with spaces
            LABEL "com.example.vendor"="ACME Inc"
            EXPOSE 80/tcp 443
            USER  app:app
            HEALTHCHECK --interval=5s CMD ["curl", "-f", "http://localhost/"]
            STOPSIGNAL SIGTERM
            """)
        #expect(parsed.instructions.map(\.arguments) == [
            ["golang:1.22", "AS", "build"],
            ["abc=\"123 456\"", "def"],
            ["a", "1", "=", "b", "\"two words\"", "=", "c", "three\\ words", "="],
            ["legacy", "value with spaces", ""],
            ["\"com.example.vendor\"", "\"ACME Inc\"", "="],
            ["80/tcp", "443"],
            ["app:app"],
            ["CMD", "curl", "-f", "http://localhost/"],
            ["SIGTERM"],
        ])
        #expect(parsed.instructions[7].isJSON)
    }

    @Test func dumpQuotesLikeGo() throws {
        // Goal: the dump quotes like Go's strconv.Quote: control characters as \x.., non-printing
        // runes as \u...., printable Unicode kept (testfiles json: `\u0000` dumps as `\x00`).
        let parsed = try Dockerfile.parse("CMD [\"\\u0000\\u007f\\u00a0\\u200b é ☃ \\t\"]\n")
        #expect(parsed.dump == "(cmd \"\\x00\\x7f\\u00a0\\u200b é ☃ \\t\")\n")
    }

    @Test func codableRoundTrip() throws {
        // Goal: the parse result is a plain value: encoding then decoding gives an equal value
        // (STYLE.md §2 "a State value (Equatable, Codable)").
        let parsed = try Dockerfile.parse("# escape=`\nFROM x AS a\nONBUILD COPY --from=a b c\nRUN <<EOF\nhi\nEOF\n")
        let encoded = try JSONRoundTrip.encode(parsed)
        #expect(try JSONRoundTrip.decode(Dockerfile.self, from: encoded) == parsed)
    }
}
