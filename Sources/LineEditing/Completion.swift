/// Helpers for writing `Completer`s.
public enum Completion {
    /// The word being completed: the text after the last unquoted, unescaped space or tab.
    /// Quotes (`'` or `"`) and backslash escapes are kept verbatim in the result.
    public static func currentWord(in lineBeforeCursor: String) -> String {
        var wordStart = lineBeforeCursor.startIndex
        var quote: Character? = nil
        var escaped = false
        var i = lineBeforeCursor.startIndex
        while i < lineBeforeCursor.endIndex {
            let c = lineBeforeCursor[i]
            let next = lineBeforeCursor.index(after: i)
            if escaped { escaped = false }
            else if c == "\\" && quote != "'" { escaped = true }
            else if let q = quote { if c == q { quote = nil } }
            else if c == "\"" || c == "'" { quote = c }
            else if c == " " || c == "\t" { wordStart = next }
            i = next
        }
        return String(lineBeforeCursor[wordStart...])
    }

    /// A completer over a fixed vocabulary of (possibly multi-word) phrases, e.g.
    /// `["chain", "chain mine", "help"]`: `"chain m"` completes to `"mine"`, `"ch"` to `"chain"`.
    /// Words already typed must match the phrase's words exactly.
    public static func phrases(_ vocabulary: [String]) -> Completer {
        let split = vocabulary.map { $0.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init) }
        return { lineBeforeCursor in
            let word = currentWord(in: lineBeforeCursor)
            let head = lineBeforeCursor.dropLast(word.count)
            let typed = head.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
            var seen = Set<String>()
            var result: [String] = []
            for words in split where words.count > typed.count && Array(words.prefix(typed.count)) == typed {
                let candidate = words[typed.count]
                if candidate.hasPrefix(word) && seen.insert(candidate).inserted { result.append(candidate) }
            }
            return result
        }
    }

    /// Longest common prefix of `strings` (by Character), "" for an empty list.
    public static func longestCommonPrefix(_ strings: [String]) -> String {
        guard let first = strings.first else { return "" }
        var prefix = Substring(first)
        for s in strings.dropFirst() {
            while !s.hasPrefix(prefix) { prefix = prefix.dropLast() }
        }
        return String(prefix)
    }

    /// Maps candidates for `word` (our notion of the current word) onto replacements for
    /// `segment` (the text libedit will actually replace, a suffix or extension of `word`).
    static func adapt(_ candidates: [String], word: String, segment: String) -> [String] {
        var out: [String] = []
        var seen = Set<String>()
        for c in candidates {
            let mapped: String?
            if word == segment {
                mapped = c
            } else if word.hasSuffix(segment) {            // libedit broke the word further right
                let extra = word.dropLast(segment.count)
                mapped = c.hasPrefix(extra) ? String(c.dropFirst(extra.count)) : nil
            } else if segment.hasSuffix(word) {            // libedit's word is longer on the left
                mapped = String(segment.dropLast(word.count)) + c
            } else {
                mapped = nil
            }
            if let m = mapped, seen.insert(m).inserted { out.append(m) }
        }
        return out
    }
}
