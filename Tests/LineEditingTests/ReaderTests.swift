import Testing
@testable import LineEditing
#if canImport(Glibc)
import Glibc
#endif

/// Reads everything `bytes` contains through a real pipe with a PlainLineReader.
private func readAll(_ bytes: [UInt8]) -> [LineReadResult] {
    var fds: [Int32] = [0, 0]
    #expect(pipe(&fds) == 0)
    // Small inputs fit in the pipe buffer, so writing first and then reading cannot block.
    let written = bytes.withUnsafeBytes { write(fds[1], $0.baseAddress, $0.count) }
    #expect(written == bytes.count)
    close(fds[1])
    defer { close(fds[0]) }
    let reader = PlainLineReader(fileDescriptor: fds[0])
    var results: [LineReadResult] = []
    while true {
        let r = reader.readLine(prompt: "ignored> ")
        results.append(r)
        if r == .endOfInput { break }
        if results.count > 10_000 { Issue.record("no end of input"); break }
    }
    #expect(reader.readLine(prompt: "") == .endOfInput)      // stays at end
    return results
}

@Suite struct ArrayLineReaderTests {
    @Test func returnsLinesThenEndOfInput() {
        let r = ArrayLineReader(["one", "", "drei ü"])
        #expect(r.readLine(prompt: "p> ") == .line("one"))
        #expect(r.readLine(prompt: "p> ") == .line(""))
        #expect(r.readLine(prompt: "p> ") == .line("drei ü"))
        #expect(r.readLine(prompt: "p> ") == .endOfInput)
        #expect(r.readLine(prompt: "p> ") == .endOfInput)
    }

    @Test func recordsHistory() {
        let r = ArrayLineReader([])
        r.addHistory("a"); r.addHistory("b")
        #expect(r.recordedHistory == ["a", "b"])
        #expect(r.readLine(prompt: "") == .endOfInput)
    }
}

@Suite struct PlainLineReaderTests {
    @Test func severalLinesIncludingEmptyOnes() {
        let input = "one\n\ntwo\n  spaced  \n\n"
        #expect(readAll(Array(input.utf8)) ==
                [.line("one"), .line(""), .line("two"), .line("  spaced  "), .line(""), .endOfInput])
    }

    @Test func utf8() {
        #expect(readAll(Array("wörld\n日本語 ✓\n🧪\n".utf8)) ==
                [.line("wörld"), .line("日本語 ✓"), .line("🧪"), .endOfInput])
    }

    @Test func lastLineWithoutNewline() {
        #expect(readAll(Array("first\nlast".utf8)) == [.line("first"), .line("last"), .endOfInput])
    }

    @Test func crlfLineEnds() {
        #expect(readAll(Array("a\r\nb\r\n\r\nc\r".utf8)) ==
                [.line("a"), .line("b"), .line(""), .line("c"), .endOfInput])
    }

    @Test func emptyInput() {
        #expect(readAll([]) == [.endOfInput])
    }

    @Test func invalidUTF8IsReplacedNotFatal() {
        #expect(readAll([0x61, 0xFF, 0x62, 0x0A, 0xC3]) == [.line("a\u{FFFD}b"), .line("\u{FFFD}"), .endOfInput])
    }

    @Test func largeInputFromAWriterThread() throws {
        var fds: [Int32] = [0, 0]
        #expect(pipe(&fds) == 0)
        let writeEnd = fds[1]
        let count = 20_000
        let text = (0..<count).map { "line \($0) ü" }.joined(separator: "\n") + "\n"
        let bytes = Array(text.utf8)
        var thread = pthread_t()
        let box = Unmanaged.passRetained(WriterJob(fd: writeEnd, bytes: bytes))
        #expect(pthread_create(&thread, nil, { raw in
            let job = Unmanaged<WriterJob>.fromOpaque(raw!).takeRetainedValue()
            job.bytes.withUnsafeBytes { buf in
                var offset = 0
                while offset < buf.count {
                    let n = write(job.fd, buf.baseAddress! + offset, buf.count - offset)
                    if n <= 0 { break }
                    offset += n
                }
            }
            close(job.fd)
            return nil
        }, box.toOpaque()) == 0)
        let reader = PlainLineReader(fileDescriptor: fds[0])
        var n = 0
        while case .line(let l) = reader.readLine(prompt: "") {
            if l != "line \(n) ü" { Issue.record("line \(n) was \(l)"); break }
            n += 1
        }
        pthread_join(thread, nil)
        close(fds[0])
        #expect(n == count)
    }
}

private final class WriterJob {
    let fd: Int32
    let bytes: [UInt8]
    init(fd: Int32, bytes: [UInt8]) { self.fd = fd; self.bytes = bytes }
}

@Suite struct CompletionTests {
    @Test func currentWord() {
        #expect(Completion.currentWord(in: "") == "")
        #expect(Completion.currentWord(in: "chain m") == "m")
        #expect(Completion.currentWord(in: "chain ") == "")
        #expect(Completion.currentWord(in: "say \"hello w") == "\"hello w")
        #expect(Completion.currentWord(in: "say hello\\ w") == "hello\\ w")
        #expect(Completion.currentWord(in: "a 'b c' d") == "d")
    }

    @Test func phrases() {
        let c = Completion.phrases(["chain", "chain mine", "chain show", "chain validate", "help", "history", "quit"])
        #expect(c("") == ["chain", "help", "history", "quit"])
        #expect(c("ch") == ["chain"])
        #expect(c("chain m") == ["mine"])
        #expect(c("chain ") == ["mine", "show", "validate"])
        #expect(c("chain  s") == ["show"])
        #expect(c("h") == ["help", "history"])
        #expect(c("chain mine ") == [])
        #expect(c("x") == [])
    }

    @Test func longestCommonPrefix() {
        #expect(Completion.longestCommonPrefix([]) == "")
        #expect(Completion.longestCommonPrefix(["help", "history"]) == "h")
        #expect(Completion.longestCommonPrefix(["wörld", "wörd"]) == "wör")
    }

    @Test func adaptToLibeditSegment() {
        #expect(Completion.adapt(["mine"], word: "m", segment: "m") == ["mine"])
        #expect(Completion.adapt(["x=chain"], word: "x=ch", segment: "ch") == ["chain"])
        #expect(Completion.adapt(["y=chain"], word: "x=ch", segment: "ch") == [])
        #expect(Completion.adapt(["ab"], word: "a", segment: "x=a") == ["x=ab"])
        #expect(Completion.adapt(["a", "a"], word: "", segment: "") == ["a"])
    }

    @Test func invisible() {
        #expect(EditLineReader.invisible("\u{1B}[32m") == "\u{1}\u{1B}[32m\u{2}")
    }
}
