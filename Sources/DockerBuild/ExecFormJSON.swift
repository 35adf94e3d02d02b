// The exec (JSON array) form: BuildKit's `parseJSON` in line_parsers.go, which calls Go's
// `encoding/json.Unmarshal` into `[]any`. Written by hand to Go's rules so that exactly the
// texts Go accepts are exec form: JSONSerialization differs (it accepts some inputs Go rejects,
// and decodes lone surrogates differently).

enum ExecFormJSON {
    /// The result of reading an instruction's argument text as a JSON array.
    enum Result: Equatable {
        /// Not JSON (or not starting with `[`): the caller falls back to the shell form.
        case notJSON
        /// Valid JSON, but an element is not a string: an error for the instruction.
        case notStrings
        /// A JSON array of strings: the exec form.
        case strings([String])
    }

    /// BuildKit's `errDockerfileNotStringArray`.
    static let notStringArrayError = DockerfileError(
        message: "when using JSON array syntax, arrays must be comprised of strings only")

    /// Go's `maxNestingDepth` in encoding/json's scanner.
    static let maxNestingDepth = 10_000

    /// Reads `text` as BuildKit does: leading whitespace is skipped, the text must start with
    /// `[`, the whole text must be one valid JSON value (Go's grammar: whitespace is space, tab,
    /// CR, LF; no trailing garbage), and then every element must be a string.
    static func parse(_ text: Scalars) -> Result {
        let trimmed = String(scalars: text.goTrimmingLeadingSpace)
        let bytes = Array(trimmed.utf8)
        guard bytes.first == UInt8(ascii: "[") else { return .notJSON }
        var scanner = Scanner(bytes: bytes)
        guard let elements = scanner.scanTopLevelArray() else { return .notJSON }
        var values: [String] = []
        for element in elements {
            guard case .string(let value) = element else { return .notStrings }
            values.append(value)
        }
        return .strings(values)
    }

    /// An element of the top-level array.
    enum Element {
        case string(String)
        case other
    }

    /// An iterative JSON validator (no recursion, so deep nesting cannot exhaust the stack).
    struct Scanner {
        let bytes: [UInt8]
        var index = 0

        init(bytes: [UInt8]) { self.bytes = bytes }

        private enum Expect { case value, valueOrClose, key, keyOrClose, colon, commaOrClose }

        /// Validates the whole input as one JSON array and returns its top-level elements, or
        /// nil when the input is not valid JSON.
        mutating func scanTopLevelArray() -> [Element]? {
            var elements: [Element] = []
            var stack: [UInt8] = []
            var expect = Expect.value
            while true {
                skipWhitespace()
                guard index < bytes.count else { return nil }
                let byte = bytes[index]
                let atTopLevelElement = stack.count == 1
                switch expect {
                case .value, .valueOrClose:
                    if expect == .valueOrClose, byte == UInt8(ascii: "]") {
                        index += 1
                        stack.removeLast()
                        if stack.isEmpty { return finish() ? elements : nil }
                        expect = .commaOrClose
                        continue
                    }
                    switch byte {
                    case UInt8(ascii: "["), UInt8(ascii: "{"):
                        if atTopLevelElement { elements.append(.other) }
                        stack.append(byte)
                        guard stack.count <= ExecFormJSON.maxNestingDepth else { return nil }
                        index += 1
                        expect = byte == UInt8(ascii: "[") ? .valueOrClose : .keyOrClose
                        continue
                    case UInt8(ascii: "\""):
                        guard let value = scanString() else { return nil }
                        if atTopLevelElement { elements.append(.string(value)) }
                    case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
                        guard scanNumber() else { return nil }
                        if atTopLevelElement { elements.append(.other) }
                    case UInt8(ascii: "t"), UInt8(ascii: "f"), UInt8(ascii: "n"):
                        guard scanLiteral() else { return nil }
                        if atTopLevelElement { elements.append(.other) }
                    default:
                        return nil
                    }
                    if stack.isEmpty { return nil }  // the top level must be the array itself
                    expect = .commaOrClose
                case .keyOrClose, .key:
                    if expect == .keyOrClose, byte == UInt8(ascii: "}") {
                        index += 1
                        stack.removeLast()
                        if stack.isEmpty { return finish() ? elements : nil }
                        expect = .commaOrClose
                        continue
                    }
                    guard byte == UInt8(ascii: "\""), scanString() != nil else { return nil }
                    expect = .colon
                case .colon:
                    guard byte == UInt8(ascii: ":") else { return nil }
                    index += 1
                    expect = .value
                case .commaOrClose:
                    guard let top = stack.last else { return nil }
                    if byte == UInt8(ascii: ",") {
                        index += 1
                        expect = top == UInt8(ascii: "[") ? .value : .key
                    } else if (byte == UInt8(ascii: "]") && top == UInt8(ascii: "["))
                        || (byte == UInt8(ascii: "}") && top == UInt8(ascii: "{")) {
                        index += 1
                        stack.removeLast()
                        if stack.isEmpty { return finish() ? elements : nil }
                    } else {
                        return nil
                    }
                }
            }
        }

        /// After the top-level value only whitespace may follow.
        private mutating func finish() -> Bool {
            skipWhitespace()
            return index == bytes.count
        }

        private mutating func skipWhitespace() {
            while index < bytes.count {
                switch bytes[index] {
                case UInt8(ascii: " "), UInt8(ascii: "\t"), UInt8(ascii: "\n"), UInt8(ascii: "\r"):
                    index += 1
                default:
                    return
                }
            }
        }

        private mutating func scanLiteral() -> Bool {
            for literal in ["true", "false", "null"] {
                let expected = Array(literal.utf8)
                if index + expected.count <= bytes.count,
                   Array(bytes[index..<(index + expected.count)]) == expected {
                    index += expected.count
                    return true
                }
            }
            return false
        }

        /// Go's number grammar: `-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?`.
        private mutating func scanNumber() -> Bool {
            func isDigit(_ at: Int) -> Bool {
                at < bytes.count && bytes[at] >= UInt8(ascii: "0") && bytes[at] <= UInt8(ascii: "9")
            }
            if bytes[index] == UInt8(ascii: "-") { index += 1 }
            guard isDigit(index) else { return false }
            if bytes[index] == UInt8(ascii: "0") {
                index += 1
            } else {
                while isDigit(index) { index += 1 }
            }
            if index < bytes.count, bytes[index] == UInt8(ascii: ".") {
                index += 1
                guard isDigit(index) else { return false }
                while isDigit(index) { index += 1 }
            }
            if index < bytes.count, bytes[index] == UInt8(ascii: "e") || bytes[index] == UInt8(ascii: "E") {
                index += 1
                if index < bytes.count, bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-") {
                    index += 1
                }
                guard isDigit(index) else { return false }
                while isDigit(index) { index += 1 }
            }
            return true
        }

        /// Reads a string at `index` (which is at the opening quote) and decodes it as Go does:
        /// control characters are invalid, the escapes are `\" \\ \/ \b \f \n \r \t \uXXXX`,
        /// a surrogate pair combines, and a lone surrogate becomes U+FFFD.
        private mutating func scanString() -> String? {
            index += 1
            var scalars = Scalars()
            var raw: [UInt8] = []
            func flushRaw() {
                scalars += String(decoding: raw, as: UTF8.self).unicodeScalars
                raw = []
            }
            while index < bytes.count {
                let byte = bytes[index]
                if byte == UInt8(ascii: "\"") {
                    index += 1
                    flushRaw()
                    return String(scalars: scalars)
                }
                if byte < 0x20 { return nil }
                if byte != UInt8(ascii: "\\") {
                    raw.append(byte)
                    index += 1
                    continue
                }
                flushRaw()
                guard index + 1 < bytes.count else { return nil }
                let escaped = bytes[index + 1]
                index += 2
                switch escaped {
                case UInt8(ascii: "\""): scalars.append("\"")
                case UInt8(ascii: "\\"): scalars.append("\\")
                case UInt8(ascii: "/"): scalars.append("/")
                case UInt8(ascii: "b"): scalars.append("\u{08}")
                case UInt8(ascii: "f"): scalars.append("\u{0C}")
                case UInt8(ascii: "n"): scalars.append("\n")
                case UInt8(ascii: "r"): scalars.append("\r")
                case UInt8(ascii: "t"): scalars.append("\t")
                case UInt8(ascii: "u"):
                    guard let unit = hex4(at: index) else { return nil }
                    index += 4
                    scalars.append(decodeUTF16(unit))
                default:
                    return nil
                }
            }
            return nil
        }

        /// Decodes a `\u` unit, combining it with a following `\u` low surrogate when it is a
        /// high surrogate (Go's `utf16.DecodeRune`); any other surrogate gives U+FFFD.
        private mutating func decodeUTF16(_ unit: UInt32) -> Unicode.Scalar {
            let replacement: Unicode.Scalar = "\u{FFFD}"
            guard (0xD800..<0xE000).contains(unit) else { return Unicode.Scalar(unit) ?? replacement }
            if (0xD800..<0xDC00).contains(unit),
               index + 1 < bytes.count, bytes[index] == UInt8(ascii: "\\"), bytes[index + 1] == UInt8(ascii: "u"),
               let low = hex4(at: index + 2), (0xDC00..<0xE000).contains(low) {
                index += 6
                return Unicode.Scalar(0x10000 + ((unit - 0xD800) << 10) + (low - 0xDC00)) ?? replacement
            }
            return replacement
        }

        private func hex4(at start: Int) -> UInt32? {
            guard start + 4 <= bytes.count else { return nil }
            var value: UInt32 = 0
            for byte in bytes[start..<(start + 4)] {
                let digit: UInt32
                switch byte {
                case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = UInt32(byte - UInt8(ascii: "0"))
                case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = UInt32(byte - UInt8(ascii: "a") + 10)
                case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = UInt32(byte - UInt8(ascii: "A") + 10)
                default: return nil
                }
                value = value * 16 + digit
            }
            return value
        }
    }
}
