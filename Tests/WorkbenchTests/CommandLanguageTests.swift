import Testing
@testable import WorkbenchKit

/// Parsing, usage errors and "did you mean" all derive from the declarations.
struct CommandLanguageTests {
    // Goal: a typo gets a suggestion; method: misspell a topic command and a core command.
    @Test func didYouMean() {
        let session = Fixture.memorySession()
        #expect(session.execute("chain mien --data x").text.contains("did you mean `chain mine`?"))
        #expect(session.execute("hlep").text.contains("did you mean `help`?"))
        #expect(session.execute("zzzzzz").text == "error: unknown command `zzzzzz` (type `help` for the list of commands)")
    }

    // Goal: bad words get the command's usage line; method: wrong type, range, missing, extra, unknown flag.
    @Test func usageErrors() {
        let session = Fixture.memorySession()
        let cases: [(String, String)] = [
            ("chain show block x", "N must be a whole number, got `x`"),
            ("chain show block 99999999999999999999999", "N must be a whole number"),
            ("chain reset --difficulty 0", "--difficulty must be between 1 and 255, got 0"),
            ("chain reset --difficulty", "--difficulty needs a value"),
            ("chain show block", "missing N"),
            ("chain validate extra", "unexpected word `extra`"),
            ("chain mine --dta x", "unknown flag --dta; did you mean --data?"),
            ("step 0", "N must be between 1 and 100000, got 0"),
            ("trace maybe", "MODE must be one of on, off, got `maybe`"),
            ("clock advance soon", "must be a duration like 500ms"),
        ]
        for (line, message) in cases {
            let result = session.execute(line)
            #expect(result.error != nil, "\(line) should fail")
            #expect(result.text.contains(message), "\(line): \(result.text)")
            #expect(result.text.hasPrefix("error: "), "\(line): \(result.text)")
        }
        #expect(session.execute("chain show block x").text.contains("(usage: chain show block N [--json])"))
    }

    // Goal: `use` lets a topic's prefix be dropped, and the prompt shows it.
    @Test func useNamespace() {
        let session = Fixture.memorySession()
        #expect(session.execute("use chain").succeeded)
        #expect(session.prompt == "workbench(chain)> ")
        #expect(session.execute("reset --difficulty 4").succeeded)
        #expect(session.execute("mine --data x").succeeded)
        #expect(session.execute("expect show .height == 2").succeeded)
        #expect(session.execute("use nope").text.contains("no topic is called `nope`"))
        #expect(session.execute("use none").succeeded)
        #expect(session.prompt == "workbench> ")
    }

    // Goal: help is derived from declarations; method: overview lists every command, detail shows usage and examples.
    @Test func help() {
        let session = Fixture.memorySession()
        let overview = session.execute("help").text
        for spec in session.registry.commands { #expect(overview.contains(spec.name), "\(spec.name) missing from help") }
        let detail = session.execute("help chain tamper").text
        #expect(detail.contains("usage: chain tamper N [--data TEXT] [--nonce N] [--timestamp N] [--json]"))
        #expect(detail.contains("examples"))
        #expect(session.execute("help chain nope").error != nil)
        #expect(session.execute("help --json").value != .null)
    }

    // Goal: every command declares an abstract and at least one example that parses.
    @Test func everyDeclarationIsComplete() throws {
        let session = Fixture.memorySession()
        for spec in session.registry.commands {
            #expect(!spec.abstract.isEmpty, "\(spec.name)")
            #expect(!spec.examples.isEmpty, "\(spec.name) has no example")
            for example in spec.examples {
                #expect(throws: Never.self, "\(example)") {
                    _ = try session.registry.parse(try Tokenizer.split(example), line: example, namespace: nil)
                }
            }
        }
    }

    // Goal: --json prints the same value the view is drawn from; method: parse chain show --json fields.
    @Test func jsonOutput() {
        let session = Fixture.memorySession()
        Fixture.run("chain reset --difficulty 4\nchain mine --data hi", in: session)
        let json = session.execute("chain show --json").text
        #expect(json.hasPrefix("{\n  \"targetBits\": 4,"))
        #expect(json.contains("\"data\": \"hi\""))
    }
}
