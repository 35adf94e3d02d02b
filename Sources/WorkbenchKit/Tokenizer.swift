import Foundation

/// One word of a command line after shell-like quoting is removed.
public struct Token: Equatable, Sendable {
    public var text: String
    /// True when any part of the word was quoted: `"3"` is the string 3, `3` is a number.
    public var quoted: Bool
    /// Character offset of the word's first character in the line.
    public var offset: Int

    public init(_ text: String, quoted: Bool = false, offset: Int = 0) {
        self.text = text
        self.quoted = quoted
        self.offset = offset
    }
}

/// Splits a line into words the way a POSIX shell does for the parts we support:
/// blanks separate words; 'single quotes' keep everything literally; "double quotes" keep
/// everything but `\"` and `\\`; a backslash outside quotes escapes the next character;
/// `#` at the start of a word begins a comment that runs to the end of the line.
/// (POSIX.1-2017, Shell Command Language §2.2 Quoting and §2.3 rule 9 for comments.)
public enum Tokenizer {
    public static func split(_ line: String) throws(WorkbenchError) -> [Token] {
        var tokens: [Token] = []
        var current = ""
        var inWord = false
        var quoted = false
        var start = 0
        let chars = Array(line)
        var i = 0

        func finish() {
            if inWord { tokens.append(Token(current, quoted: quoted, offset: start)) }
            current = ""
            inWord = false
            quoted = false
        }

        while i < chars.count {
            let c = chars[i]
            switch c {
            case " ", "\t", "\r", "\n":
                finish()
            case "#" where !inWord:
                i = chars.count
                continue
            case "'":
                if !inWord { start = i }
                inWord = true
                quoted = true
                guard let close = chars[(i + 1)...].firstIndex(of: "'") else {
                    throw .unterminatedQuote(quote: "'", column: i + 1)
                }
                current += String(chars[(i + 1)..<close])
                i = close
            case "\"":
                if !inWord { start = i }
                inWord = true
                quoted = true
                var j = i + 1
                var closed = false
                while j < chars.count {
                    let d = chars[j]
                    if d == "\\", j + 1 < chars.count, chars[j + 1] == "\"" || chars[j + 1] == "\\" {
                        current.append(chars[j + 1])
                        j += 2
                        continue
                    }
                    if d == "\"" { closed = true; break }
                    current.append(d)
                    j += 1
                }
                guard closed else { throw .unterminatedQuote(quote: "\"", column: i + 1) }
                i = j
            case "\\":
                if !inWord { start = i }
                inWord = true
                guard i + 1 < chars.count else { throw .danglingEscape(column: i + 1) }
                current.append(chars[i + 1])
                quoted = true
                i += 1
            default:
                if !inWord { start = i }
                inWord = true
                current.append(c)
            }
            i += 1
        }
        finish()
        return tokens
    }

    /// Quotes a word so that `split` gives it back unchanged (for echoing commands and saving scripts).
    public static func quote(_ word: String) -> String {
        let plain = !word.isEmpty && word.allSatisfy { c in
            c.isLetter || c.isNumber || "-_./:=,+@%[]<>!|*".contains(c)
        } && !word.hasPrefix("#")
        if plain { return word }
        if !word.contains("'") { return "'" + word + "'" }
        return "\"" + word.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
    }
}
