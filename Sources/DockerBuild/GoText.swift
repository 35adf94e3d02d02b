// Text helpers that reproduce the Go standard-library behaviour BuildKit's parser relies on.
//
// BuildKit is written in Go, so its notion of "whitespace", "printable" and "quoted" is Go's.
// The parser works on Unicode scalars (not Swift `Character`s): a Swift `Character` merges
// "\r\n" into one grapheme, while Go sees two runes.

/// A run of Unicode scalars; the parser's working representation of a line.
typealias Scalars = [Unicode.Scalar]

extension Unicode.Scalar {
    /// Go's `unicode.IsSpace`: the Unicode White_Space property (tab, LF, VT, FF, CR, space,
    /// NEL, NBSP and the Z-category spaces).
    var isGoSpace: Bool { properties.isWhitespace }

    /// RE2's `\s` and the blanks of BuildKit's `[\t\v\f\r ]` splitter differ; this is RE2's
    /// `\s`: `[\t\n\f\r ]` (no vertical tab).
    var isRE2Space: Bool {
        self == " " || self == "\t" || self == "\n" || self == "\u{0C}" || self == "\r"
    }

    /// BuildKit's `reWhitespace` / `tokenWhitespace` class: `[\t\v\f\r ]`.
    var isTokenBlank: Bool {
        self == " " || self == "\t" || self == "\u{0B}" || self == "\u{0C}" || self == "\r"
    }

    /// Go's `unicode.IsDigit` (general category Nd).
    var isGoDigit: Bool { properties.generalCategory == .decimalNumber }

    /// Go's `unicode.IsLetter` (general category L*).
    var isGoLetter: Bool {
        switch properties.generalCategory {
        case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter:
            return true
        default:
            return false
        }
    }

    /// Go's `unicode.IsPrint`: letters, marks, numbers, punctuation, symbols and the ASCII space.
    var isGoPrint: Bool {
        if self == " " { return true }
        switch properties.generalCategory {
        case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter,
             .nonspacingMark, .spacingMark, .enclosingMark,
             .decimalNumber, .letterNumber, .otherNumber,
             .connectorPunctuation, .dashPunctuation, .openPunctuation, .closePunctuation,
             .initialPunctuation, .finalPunctuation, .otherPunctuation,
             .mathSymbol, .currencySymbol, .modifierSymbol, .otherSymbol:
            return true
        default:
            return false
        }
    }
}

extension String {
    /// The string as Unicode scalars.
    var scalars: Scalars { Array(unicodeScalars) }

    /// Builds a string from scalars.
    init(scalars: some Sequence<Unicode.Scalar>) {
        var view = String.UnicodeScalarView()
        view.append(contentsOf: scalars)
        self = String(view)
    }

    /// Go's `strings.ToLower`, rune by rune.
    var goLowercased: String {
        var out = ""
        for scalar in unicodeScalars { out += scalar.properties.lowercaseMapping }
        return out
    }

    /// Go's `strings.ToUpper`, rune by rune.
    var goUppercased: String {
        var out = ""
        for scalar in unicodeScalars { out += scalar.properties.uppercaseMapping }
        return out
    }

    /// Go's `strings.TrimSpace`.
    var goTrimmingSpace: String { String(scalars: scalars.goTrimmingSpace) }

    /// Go's `strconv.Quote`: double-quoted, with Go escapes for `"`, `\` and non-printable runes.
    var goQuoted: String {
        var out = "\""
        for scalar in unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case _ where scalar.isGoPrint: out.unicodeScalars.append(scalar)
            case "\u{07}": out += "\\a"
            case "\u{08}": out += "\\b"
            case "\u{0C}": out += "\\f"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case "\u{0B}": out += "\\v"
            default:
                let value = scalar.value
                if value < 0x20 || value == 0x7F {
                    out += "\\x" + hex(value, width: 2)
                } else if value < 0x10000 {
                    out += "\\u" + hex(value, width: 4)
                } else {
                    out += "\\U" + hex(value, width: 8)
                }
            }
        }
        return out + "\""
    }

    /// Lexicographic comparison of UTF-8 bytes, as Go's `sort.Strings` orders strings.
    func goLess(_ other: String) -> Bool { utf8.lexicographicallyPrecedes(other.utf8) }
}

/// Lower-case hexadecimal, zero-padded to `width`.
func hex(_ value: UInt32, width: Int) -> String {
    let digits = String(value, radix: 16)
    return String(repeating: "0", count: max(0, width - digits.count)) + digits
}

extension Array where Element == Unicode.Scalar {
    /// Go's `bytes.TrimLeftFunc(s, unicode.IsSpace)`.
    var goTrimmingLeadingSpace: Scalars {
        guard let first = firstIndex(where: { !$0.isGoSpace }) else { return [] }
        return Array(self[first...])
    }

    /// Go's `strings.TrimSpace`.
    var goTrimmingSpace: Scalars {
        guard let first = firstIndex(where: { !$0.isGoSpace }),
              let last = lastIndex(where: { !$0.isGoSpace }) else { return [] }
        return Array(self[first...last])
    }

    /// Go's `bytes.TrimRight(s, "\r\n")`: every trailing CR and LF.
    var trimmingNewline: Scalars {
        var end = count
        while end > 0, self[end - 1] == "\n" || self[end - 1] == "\r" { end -= 1 }
        return Array(self[..<end])
    }

    /// Go's `bytes.TrimLeft(s, "\t")`.
    var trimmingLeadingTabs: Scalars {
        guard let first = firstIndex(where: { $0 != "\t" }) else { return [] }
        return Array(self[first...])
    }

    /// `regexp.MustCompile("[\t\v\f\r ]+").Split(s, limit)`, with `limit` -1 (all) or 2.
    func splitOnTokenBlanks(limit: Int = -1) -> [Scalars] {
        var parts: [Scalars] = []
        var current: Scalars = []
        var index = 0
        while index < count {
            if self[index].isTokenBlank, limit < 0 || parts.count < limit - 1 {
                parts.append(current)
                current = []
                while index < count, self[index].isTokenBlank { index += 1 }
                continue
            }
            current.append(self[index])
            index += 1
        }
        parts.append(current)
        return parts
    }

    /// Whether `self` begins with `prefix`.
    func hasPrefix(_ prefix: Scalars) -> Bool {
        count >= prefix.count && Array(self[..<prefix.count]) == prefix
    }

    /// Number of UTF-8 bytes these scalars take.
    var utf8Count: Int { reduce(0) { $0 + UTF8.width($1) } }
}
