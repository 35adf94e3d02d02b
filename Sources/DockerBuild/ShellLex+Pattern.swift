// The glob patterns of `${NAME#p}`, `${NAME%p}` and `${NAME/p/r}`.
//
// lex.go turns such a pattern into a Go regular expression (`convertShellPatternToRegex`) and lets
// the `regexp` package search. The regex it builds is only ever a sequence of three atoms: a
// literal character, `.` (any character but a newline) for `?`, and `.*` or `.*?` for `*`. This
// file matches that sequence directly, with the same leftmost-first preference Go's `regexp`
// guarantees, and copies the `regexp` behaviours lex.go relies on: how `ReplaceAllString` steps
// past empty matches, and how it expands `$0`/`${name}` templates in the replacement.

extension ShellLex {
    /// A compiled shell pattern.
    struct Pattern {
        enum Atom: Equatable {
            /// One given character.
            case literal(Unicode.Scalar)
            /// `?`: one character other than a newline (Go's `.`).
            case anyCharacter
            /// `*`: a run of characters without a newline (Go's `.*`, or `.*?` when not greedy).
            case anyRun
        }

        let atoms: [Atom]
        /// Whether `*` prefers the longest run (`##`, `%%`, `/`) or the shortest (`#`, `%`).
        let greedy: Bool

        /// Compiles a pattern as lex.go's `convertShellPatternToRegex` reads it.
        ///
        /// `*` and `?` are wildcards. A backslash (always `\`, whatever the escape character) makes
        /// `*`, `?` or `\` literal. Before `}` or `/` it is simply dropped, since it only kept
        /// them from ending the `${…}`. Before anything else it is an error: `invalid escape '\x'`.
        /// Like every text/scanner input, a leading byte order mark is skipped.
        static func compile(_ pattern: [Unicode.Scalar], greedy: Bool) throws(ShellLexError) -> Pattern {
            var atoms: [Atom] = []
            var index = pattern.first == GoText.byteOrderMark ? 1 : 0
            while index < pattern.count {
                let ch = pattern[index]
                index += 1
                switch ch {
                case "*":
                    atoms.append(.anyRun)
                case "?":
                    atoms.append(.anyCharacter)
                case "\\":
                    let following: Unicode.Scalar? = index < pattern.count ? pattern[index] : nil
                    if following == "}" || following == "/" { continue }
                    index += 1
                    guard let following, following == "*" || following == "?" || following == "\\" else {
                        throw ShellLexError(message: "invalid escape '\\\(GoText.runeString(following))'")
                    }
                    atoms.append(.literal(following))
                default:
                    atoms.append(.literal(ch))
                }
            }
            return Pattern(atoms: atoms, greedy: greedy)
        }

        // MARK: The three uses in lex.go

        /// `${NAME#p}` / `${NAME##p}`: drops the shortest (or longest) prefix matching `pattern`
        /// (lex.go `trimPrefix`).
        static func trimPrefix(
            _ pattern: [Unicode.Scalar], from subject: [Unicode.Scalar], greedy: Bool
        ) throws(ShellLexError) -> [Unicode.Scalar] {
            let compiled: Pattern
            do throws(ShellLexError) {
                compiled = try compile(pattern, greedy: greedy)
            } catch {
                throw invalidPattern(pattern, error)
            }
            var matcher = Matcher(pattern: compiled, subject: subject)
            guard let end = matcher.matchEnd(startingAt: 0) else { return subject }
            return Array(subject[end...])
        }

        /// `${NAME%p}` / `${NAME%%p}`: drops the shortest (or longest) suffix matching `pattern`
        /// (lex.go `trimSuffix`).
        ///
        /// Like lex.go, it reverses both the pattern (keeping each `\x` pair in order) and the value
        /// and trims a prefix. So an error message shows the pattern reversed.
        static func trimSuffix(
            _ pattern: [Unicode.Scalar], from subject: [Unicode.Scalar], greedy: Bool
        ) throws(ShellLexError) -> [Unicode.Scalar] {
            let trimmed = try trimPrefix(reversed(pattern), from: subject.reversed(), greedy: greedy)
            return trimmed.reversed()
        }

        /// `${NAME/p/r}` replaces the first match of `pattern` with `replacement` taken literally.
        /// `${NAME//p/r}` replaces every match, and there `replacement` is a Go `regexp` template:
        /// `$0` or `${0}` stands for the match, `$$` for `$`, and any other `$name` for "".
        /// In both forms `*` is greedy.
        static func replace(
            _ pattern: [Unicode.Scalar], in subject: [Unicode.Scalar],
            with replacement: [Unicode.Scalar], all: Bool
        ) throws(ShellLexError) -> [Unicode.Scalar] {
            let compiled: Pattern
            do throws(ShellLexError) {
                compiled = try compile(pattern, greedy: true)
            } catch {
                throw invalidPattern(pattern, error)
            }
            var matcher = Matcher(pattern: compiled, subject: subject)
            guard all else {
                guard let match = matcher.firstMatch(from: 0) else { return subject }
                return Array(subject[..<match.lowerBound]) + replacement + Array(subject[match.upperBound...])
            }

            // Go's `Regexp.ReplaceAllString`: search again after each match, always advancing at
            // least one character, and skip an empty match right after the previous match.
            var output: [Unicode.Scalar] = []
            var lastMatchEnd = 0
            var searchPosition = 0
            while searchPosition <= subject.count, let match = matcher.firstMatch(from: searchPosition) {
                output += subject[lastMatchEnd..<match.lowerBound]
                if match.upperBound > lastMatchEnd || match.lowerBound == 0 {
                    output += expand(replacement, match: subject[match])
                }
                lastMatchEnd = match.upperBound
                searchPosition = max(searchPosition + 1, match.upperBound)
            }
            output += subject[lastMatchEnd...]
            return output
        }

        private static func invalidPattern(_ pattern: [Unicode.Scalar], _ cause: ShellLexError) -> ShellLexError {
            let text = String(String.UnicodeScalarView(pattern))
            return ShellLexError(message: "invalid pattern (\(text)) in substitution: \(cause.message)")
        }

        /// Reverses a pattern but keeps each backslash in front of the character it escapes
        /// (lex.go `reversePattern`): `a\*c` becomes `c\*a`. A final lone backslash just moves.
        static func reversed(_ pattern: [Unicode.Scalar]) -> [Unicode.Scalar] {
            var output = pattern
            let last = pattern.count - 1
            var index = 0
            while index <= last {
                let ch = pattern[index]
                let target = last - index
                if ch == "\\" && index != last {
                    output[target - 1] = ch
                    output[target] = pattern[index + 1]
                    index += 2
                } else {
                    output[target] = ch
                    index += 1
                }
            }
            return output
        }

        /// Expands a Go `regexp` replacement template for a pattern without groups
        /// (Go's `Regexp.expand` and `extract`).
        static func expand(_ template: [Unicode.Scalar], match: ArraySlice<Unicode.Scalar>) -> [Unicode.Scalar] {
            var output: [Unicode.Scalar] = []
            var index = 0
            while index < template.count {
                let ch = template[index]
                index += 1
                guard ch == "$" else {
                    output.append(ch)
                    continue
                }
                if index < template.count && template[index] == "$" {
                    output.append("$")
                    index += 1
                    continue
                }
                guard let (name, resume) = templateName(template, at: index) else {
                    // A malformed reference is kept as text.
                    output.append("$")
                    continue
                }
                index = resume
                // Only group 0, the whole match, exists; named and numbered groups expand to "".
                if templateGroupNumber(name) == 0 { output += match }
            }
            return output
        }

        /// Reads `name` or `{name}` at `start` in a template; the name is letters, digits and `_`.
        private static func templateName(
            _ template: [Unicode.Scalar], at start: Int
        ) -> (name: [Unicode.Scalar], resume: Int)? {
            var index = start
            guard index < template.count else { return nil }
            let braced = template[index] == "{"
            if braced { index += 1 }
            let nameStart = index
            while index < template.count,
                  GoText.isLetter(template[index]) || GoText.isDigit(template[index]) || template[index] == "_" {
                index += 1
            }
            guard index > nameStart else { return nil }
            let name = Array(template[nameStart..<index])
            if braced {
                guard index < template.count, template[index] == "}" else { return nil }
                index += 1
            }
            return (name, index)
        }

        /// The group number a template name denotes, or nil for a named group
        /// (decimal ASCII digits only, below 10^8, and no leading zero).
        private static func templateGroupNumber(_ name: [Unicode.Scalar]) -> Int? {
            var number = 0
            for ch in name {
                guard ch.isASCII, ("0"..."9").contains(ch), number < 100_000_000 else { return nil }
                number = number * 10 + Int(ch.value - 48)
            }
            if name.count > 1 && name.first == "0" { return nil }
            return number
        }
    }

    /// Runs a `Pattern` over one subject, remembering which (atom, position) pairs already
    /// succeeded or failed so that several `*` never make the search exponential.
    struct Matcher {
        let pattern: Pattern
        let subject: [Unicode.Scalar]
        /// Per (atom index, position): `unknown`, `noMatch`, or the end of the match found from there.
        private var memo: [Int]
        private static let unknown = -2
        private static let noMatch = -1

        init(pattern: Pattern, subject: [Unicode.Scalar]) {
            self.pattern = pattern
            self.subject = subject
            self.memo = Array(repeating: Self.unknown, count: (pattern.atoms.count + 1) * (subject.count + 1))
        }

        /// The leftmost match starting at or after `start` (Go's unanchored `FindStringIndex`).
        mutating func firstMatch(from start: Int) -> Range<Int>? {
            guard start <= subject.count else { return nil }
            for begin in start...subject.count {
                if let end = matchEnd(startingAt: begin) { return begin..<end }
            }
            return nil
        }

        /// The end of the match that starts exactly at `start` (a `^`-anchored regex), choosing the
        /// one a backtracking engine finds first, as Go's leftmost-first `regexp` does.
        mutating func matchEnd(startingAt start: Int) -> Int? {
            match(atom: 0, at: start)
        }

        private mutating func match(atom: Int, at position: Int) -> Int? {
            if atom == pattern.atoms.count { return position }
            let key = atom * (subject.count + 1) + position
            let known = memo[key]
            if known != Self.unknown { return known == Self.noMatch ? nil : known }
            let found = search(atom: atom, at: position)
            memo[key] = found ?? Self.noMatch
            return found
        }

        private mutating func search(atom: Int, at position: Int) -> Int? {
            switch pattern.atoms[atom] {
            case .literal(let expected):
                guard position < subject.count, subject[position] == expected else { return nil }
                return match(atom: atom + 1, at: position + 1)
            case .anyCharacter:
                guard position < subject.count, subject[position] != "\n" else { return nil }
                return match(atom: atom + 1, at: position + 1)
            case .anyRun:
                var runEnd = position
                while runEnd < subject.count && subject[runEnd] != "\n" { runEnd += 1 }
                if pattern.greedy {
                    for end in stride(from: runEnd, through: position, by: -1) {
                        if let found = match(atom: atom + 1, at: end) { return found }
                    }
                } else {
                    for end in position...runEnd {
                        if let found = match(atom: atom + 1, at: end) { return found }
                    }
                }
                return nil
            }
        }
    }
}
