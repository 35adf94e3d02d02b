import Testing
@testable import JSONRPC

@Suite struct JSONCodecTests {
    func roundTrip(_ text: String) throws -> String {
        JSONCodec.string(try JSONCodec.parse(text))
    }

    @Test func compactOutputKeepsOrderAndNumberText() throws {
        #expect(try roundTrip(#" { "b" : [ 1 , -0.50e+3 , true , false , null ] , "a" : { } , "c" : [ ] } "#)
                == #"{"b":[1,-0.50e+3,true,false,null],"a":{},"c":[]}"#)
        #expect(try roundTrip("123456789012345678901234567890.000") == "123456789012345678901234567890.000")
        #expect(try JSONCodec.parse(#"{"a":1,"a":2}"#)["a"] == .int(2))
    }

    @Test(arguments: [
        #""plain""#, #""""#, #""\"quote\" and \\ backslash""#, #""tab\tnew\nline\rcr\bbs\fff""#,
        #""\u0000\u0001\u001f\u007f""#, #""é ü 中文 日本""#, #""\ud83d\ude00 grin""#, #""\u00e9\u4e2d""#,
        #""slash \/ escaped""#, #""emoji 😀 raw""#, #""\uD834\uDD1E clef""#,
    ])
    func trickyStringsRoundTrip(_ text: String) throws {
        let value = try JSONCodec.parse(text)
        let written = JSONCodec.serialize(value)
        #expect(try JSONCodec.parse(written) == value)
        #expect(JSONCodec.serialize(try JSONCodec.parse(written)) == written)
    }

    @Test func minimalEscaping() throws {
        #expect(JSONCodec.string(.string("a\"b\\c\n\t\r\u{08}\u{0C}\u{01}\u{1F}\u{7F}é😀/<>&"))
                == #""a\"b\\c\n\t\r\b\f\u0001\u001f"# + "\u{7F}é😀/<>&\"")
        #expect(try JSONCodec.parse(#""\ud83d\ude00""#) == .string("😀"))
        #expect(try JSONCodec.parse(#""\u00E9""#) == .string("é"))
        #expect(JSONCodec.string(.object([("k", .array([.string("v"), .int(-3)]))])) == #"{"k":["v",-3]}"#)
    }

    @Test(arguments: [
        "", " ", "{", "[1,]", "[1 2]", #"{"a" 1}"#, #"{"a":1,}"#, #"{1:2}"#, "01", "-01", "1.", ".5", "1e", "1e+",
        "+1", "-", "NaN", "Infinity", "-Infinity", "nul", "tru", "True", "[1] x", "{} {}", "1 2",
        "\"unterminated", "\"bad \\x escape\"", "\"\\u12\"", "\"\\u12G4\"", "\"\\ud800\"", "\"\\udc00\"",
        "\"\\ud800\\u0041\"", "\"raw\ttab\"", "\"raw\nnewline\"", "'single'", "[\"a\"\u{0C}]", "/* c */ 1",
        "0x10", "[1,2", "\u{FEFF}1",
    ])
    func rejected(_ text: String) {
        #expect(throws: JSONParseError.self, "\(text)") { try JSONCodec.parse(text) }
    }

    @Test func rejectsInvalidUTF8() {
        #expect(throws: JSONParseError.self) { try JSONCodec.parse([0x22, 0xC3, 0x28, 0x22]) }
        #expect(throws: JSONParseError.self) { try JSONCodec.parse([0x22, 0x5C, 0x6E, 0xFF, 0x22]) }
        #expect(throws: JSONParseError.self) { try JSONCodec.parse([0xFF]) }
    }

    @Test func errorsCarryAReasonAndOffset() {
        #expect(throws: JSONParseError(offset: 4, reason: "unexpected trailing characters")) { try JSONCodec.parse("[1] x") }
        #expect(throws: JSONParseError(offset: 1, reason: "leading zero in number")) { try JSONCodec.parse("01") }
        #expect(throws: JSONParseError(offset: 2, reason: "control character in string")) { try JSONCodec.parse("\"a\u{01}\"") }
    }

    @Test func depthLimit() throws {
        let ok = String(repeating: "[", count: 128) + String(repeating: "]", count: 128)
        #expect(throws: Never.self) { try JSONCodec.parse(ok) }
        let tooDeep = String(repeating: "[", count: 129) + String(repeating: "]", count: 129)
        #expect(throws: JSONParseError.self) { try JSONCodec.parse(tooDeep) }
        #expect(throws: Never.self) { try JSONCodec.parse(tooDeep, maxDepth: 200) }
        let huge = String(repeating: "[", count: 100_000)
        #expect(throws: JSONParseError.self) { try JSONCodec.parse(huge) }
    }

    @Test func largeArrayAndStringsAreLinear() throws {
        let items = (0..<100_000).map { #"{"n":\#($0),"s":"x\u00e9\#($0)"}"# }.joined(separator: ",")
        let text = "[" + items + "]"
        let clock = ContinuousClock()
        let start = clock.now
        let value = try JSONCodec.parse(text)
        let bytes = JSONCodec.serialize(value)
        #expect(clock.now - start < .seconds(10))
        guard case .array(let array) = value else { Issue.record("not an array"); return }
        #expect(array.count == 100_000)
        #expect(try JSONCodec.parse(bytes) == value)
    }
}
