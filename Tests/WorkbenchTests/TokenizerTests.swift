import Testing
@testable import WorkbenchKit

/// The command line splits like a POSIX shell for the parts we support (POSIX.1-2017 §2.2, §2.3).
struct TokenizerTests {
    // Goal: quoting rules; method: compare split words with what sh would give.
    @Test(arguments: [
        ("chain mine --data hello", ["chain", "mine", "--data", "hello"]),
        ("chain mine --data \"Send 1 BTC to Ivan\"", ["chain", "mine", "--data", "Send 1 BTC to Ivan"]),
        ("echo 'single \"quoted\"'", ["echo", "single \"quoted\""]),
        ("a \"b \\\"c\\\" \\\\ d\"", ["a", "b \"c\" \\ d"]),
        ("a\\ b c", ["a b", "c"]),
        ("x # a comment", ["x"]),
        ("x#not-a-comment", ["x#not-a-comment"]),
        ("   ", []),
        ("\"\"", [""]),
        ("pre\"mid dle\"post", ["premid dlepost"]),
        ("wörld ✓", ["wörld", "✓"]),
    ])
    func splits(line: String, words: [String]) throws {
        #expect(try Tokenizer.split(line).map(\.text) == words)
    }

    // Goal: quoted words stay strings in expect; method: check the quoted flag.
    @Test func quotedFlag() throws {
        let tokens = try Tokenizer.split("3 \"3\"")
        #expect(tokens.map(\.quoted) == [false, true])
    }

    // Goal: unterminated quotes and a dangling backslash are one-line errors naming the column.
    @Test func errors() {
        #expect(throws: WorkbenchError.unterminatedQuote(quote: "\"", column: 6)) { try Tokenizer.split("echo \"abc") }
        #expect(throws: WorkbenchError.unterminatedQuote(quote: "'", column: 3)) { try Tokenizer.split("a 'b") }
        #expect(throws: WorkbenchError.danglingEscape(column: 3)) { try Tokenizer.split("ab\\") }
    }

    // Goal: quote() round-trips through split(); method: several awkward words.
    @Test(arguments: ["plain", "two words", "it's", "say \"hi\"", "", "#hash", "back\\slash", "tab\there"])
    func quoteRoundTrip(word: String) throws {
        #expect(try Tokenizer.split(Tokenizer.quote(word)).map(\.text) == [word])
    }
}
