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

        // Go's character classes and strconv.Quote are shared with the parser (GoText.swift).
        static func isSpace(_ ch: Unicode.Scalar) -> Bool { ch.isGoSpace }
        static func isLetter(_ ch: Unicode.Scalar) -> Bool { ch.isGoLetter }
        static func isDigit(_ ch: Unicode.Scalar) -> Bool { ch.isGoDigit }
        static func isPrint(_ ch: Unicode.Scalar) -> Bool { ch.isGoPrint }

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

        /// Go's `strconv.Quote`, which `%q` uses.
        static func quote(_ text: String) -> String { text.goQuoted }
    }
}
