// Go's text rules that lex.go leans on, restated for Unicode scalars: the `unicode` package's
// character classes, `strings.EqualFold`, `strconv.Quote` (for `%q` in error messages) and the
// way Go prints a missing rune.

extension ShellLex {
    enum GoText {
        /// U+FEFF, which Go's text/scanner skips when it is the first character of its input.
        static let byteOrderMark: Unicode.Scalar = "\u{FEFF}"

        /// Go's `string(r)` for a rune that text/scanner returned; its `EOF` (-1) becomes U+FFFD.
        static func runeString(_ ch: Unicode.Scalar?) -> String {
            String(Character(ch ?? "\u{FFFD}"))
        }

        /// Go's `unicode.IsSpace`: the Unicode White_Space property (tab, newline, vertical tab,
        /// form feed, carriage return, space, U+0085, U+00A0 and the wider Unicode spaces).
        static func isSpace(_ ch: Unicode.Scalar) -> Bool {
            ch.properties.isWhitespace
        }

        /// Go's `unicode.IsLetter`: general category L (Lu, Ll, Lt, Lm, Lo).
        static func isLetter(_ ch: Unicode.Scalar) -> Bool {
            switch ch.properties.generalCategory {
            case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter: true
            default: false
            }
        }

        /// Go's `unicode.IsDigit`: general category Nd, so `٣` counts but `²` does not.
        static func isDigit(_ ch: Unicode.Scalar) -> Bool {
            ch.properties.generalCategory == .decimalNumber
        }

        /// Go's `strconv.IsPrint`: letters, marks, numbers, punctuation, symbols and the ASCII space.
        static func isPrint(_ ch: Unicode.Scalar) -> Bool {
            if ch == " " { return true }
            switch ch.properties.generalCategory {
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

        /// Byte-for-byte equality, as Go compares strings. Swift's `==` would also equate
        /// canonically equivalent spellings (`é` and `e` + U+0301), which Go keeps apart.
        static func sameScalars(_ lhs: String, _ rhs: String) -> Bool {
            lhs.unicodeScalars.elementsEqual(rhs.unicodeScalars)
        }

        /// Go's `strings.EqualFold`: equal under simple Unicode case folding, scalar by scalar.
        static func equalFold(_ lhs: String, _ rhs: String) -> Bool {
            lhs.unicodeScalars.elementsEqual(rhs.unicodeScalars) { caseFold($0) == caseFold($1) }
        }

        /// A one-scalar stand-in for Unicode simple case folding: the lowercase of the uppercase,
        /// used only where both mappings are single scalars. This puts `k`, `K` and the Kelvin sign
        /// in one class, and likewise `s`, `S` and `ſ`, or `σ`, `ς` and `Σ`, as Go's fold orbits do.
        /// The dotless `ı` is kept apart, because Go does not fold it to `i`.
        static func caseFold(_ ch: Unicode.Scalar) -> Unicode.Scalar {
            if ch.isASCII {
                return ("A"..."Z").contains(ch) ? Unicode.Scalar(ch.value + 32) ?? ch : ch
            }
            if ch == "\u{0131}" { return ch }
            var base = ch
            if let upper = singleScalar(ch.properties.uppercaseMapping) { base = upper }
            return singleScalar(base.properties.lowercaseMapping) ?? base
        }

        private static func singleScalar(_ text: String) -> Unicode.Scalar? {
            var scalars = text.unicodeScalars.makeIterator()
            guard let first = scalars.next(), scalars.next() == nil else { return nil }
            return first
        }

        /// Go's `strconv.Quote`, which `%q` uses: double quotes around the text, with `"` and `\`
        /// escaped, `\a \b \f \n \r \t \v` for those controls, `\xhh` for other ASCII controls, and
        /// `\uhhhh` or `\Uhhhhhhhh` for any other character that is not printable.
        static func quote(_ text: String) -> String {
            var output = "\""
            for ch in text.unicodeScalars {
                switch ch {
                case "\"": output += "\\\""
                case "\\": output += "\\\\"
                case "\u{07}": output += "\\a"
                case "\u{08}": output += "\\b"
                case "\u{0C}": output += "\\f"
                case "\n": output += "\\n"
                case "\r": output += "\\r"
                case "\t": output += "\\t"
                case "\u{0B}": output += "\\v"
                default:
                    if isPrint(ch) {
                        output.unicodeScalars.append(ch)
                    } else if ch.value < 0x20 || ch.value == 0x7F {
                        output += "\\x" + hex(ch.value, digits: 2)
                    } else if ch.value < 0x10000 {
                        output += "\\u" + hex(ch.value, digits: 4)
                    } else {
                        output += "\\U" + hex(ch.value, digits: 8)
                    }
                }
            }
            return output + "\""
        }

        private static func hex(_ value: UInt32, digits: Int) -> String {
            let text = String(value, radix: 16)
            return String(repeating: "0", count: max(0, digits - text.count)) + text
        }
    }
}
