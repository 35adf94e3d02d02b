/// A value of the YAML subset used by ECS AppSpec files. All scalars stay strings.
public indirect enum YAMLValue: Equatable, Sendable {
    case mapping([(String, YAMLValue)])
    case sequence([YAMLValue])
    case scalar(String)
    case null

    public static func == (a: YAMLValue, b: YAMLValue) -> Bool {
        switch (a, b) {
        case (.mapping(let x), .mapping(let y)):
            return x.count == y.count && zip(x, y).allSatisfy { $0.0 == $1.0 && $0.1 == $1.1 }
        case (.sequence(let x), .sequence(let y)): return x == y
        case (.scalar(let x), .scalar(let y)): return x == y
        case (.null, .null): return true
        default: return false
        }
    }

    /// The value of `key` in a mapping.
    public subscript(key: String) -> YAMLValue? {
        if case .mapping(let pairs) = self { return pairs.first { $0.0 == key }?.1 }
        return nil
    }
}

/// A YAML syntax error, or a YAML feature outside the subset, at a 1-based line.
public struct YAMLReadError: Error, Equatable, Sendable {
    public var line: Int
    public var reason: String
    public var description: String { "line \(line): \(reason)" }
}

/// Reads block mappings, block sequences (including `- key: value` items), plain and quoted
/// scalars, flat flow mappings `{a: 1, b: "x"}`, and `#` comments. Anything else (tabs,
/// anchors, aliases, tags, block scalars, multiple documents, flow sequences) is an error.
public enum YAMLSubsetReader {
    struct Line {
        var number: Int
        var indent: Int
        var text: String
    }

    public static func parse(_ text: String) -> Result<YAMLValue, YAMLReadError> {
        do throws(YAMLReadError) {
            var lines: [Line] = []
            var n = 0
            for raw in text.split(separator: "\n", omittingEmptySubsequences: false) {
                n += 1
                var s = String(raw)
                if s.hasSuffix("\r") { s.removeLast() }
                let lead = s.prefix { $0 == " " || $0 == "\t" }
                if lead.contains("\t") { throw YAMLReadError(line: n, reason: "tabs are not allowed for indentation") }
                let body = try stripComment(String(s.dropFirst(lead.count)), line: n)
                if body.isEmpty { continue }
                if body == "---" || body == "..." {
                    if lines.isEmpty && body == "---" { continue }
                    throw YAMLReadError(line: n, reason: "multiple documents are not supported")
                }
                lines.append(Line(number: n, indent: lead.count, text: body))
            }
            if lines.isEmpty { return .success(.null) }
            var p = Parser(lines: lines)
            let v = try p.block(indent: lines[0].indent)
            if p.i < lines.count {
                throw YAMLReadError(line: lines[p.i].number, reason: "unexpected indentation")
            }
            return .success(v)
        } catch {
            return .failure(error)
        }
    }

    /// Removes a `#` comment that starts a line or follows whitespace outside quotes; trims.
    static func stripComment(_ s: String, line: Int) throws(YAMLReadError) -> String {
        var out = ""
        var quote: Character?
        var prev: Character = " "
        for c in s {
            if let q = quote {
                if c == q { quote = nil }
            } else if c == "\"" || c == "'" {
                quote = c
            } else if c == "#" && (prev == " " || prev == "\t") {
                break
            }
            out.append(c)
            prev = c
        }
        while let last = out.last, last == " " || last == "\t" { out.removeLast() }
        return out
    }

    struct Parser {
        var lines: [Line]
        var i = 0

        mutating func block(indent: Int) throws(YAMLReadError) -> YAMLValue {
            let line = lines[i]
            if line.text == "-" || line.text.hasPrefix("- ") { return try sequence(indent: indent) }
            return try mapping(indent: indent)
        }

        mutating func sequence(indent: Int) throws(YAMLReadError) -> YAMLValue {
            var items: [YAMLValue] = []
            while i < lines.count, lines[i].indent == indent,
                  lines[i].text == "-" || lines[i].text.hasPrefix("- ") {
                let line = lines[i]
                let rest = String(line.text.dropFirst(1).drop { $0 == " " })
                if rest.isEmpty {
                    i += 1
                    if i < lines.count, lines[i].indent > indent {
                        items.append(try block(indent: lines[i].indent))
                    } else {
                        items.append(.null)
                    }
                } else if splitKey(rest) != nil || rest.hasPrefix("- ") {
                    // The item is a block that starts on the dash line: re-read it at its column.
                    let column = indent + (line.text.count - rest.count)
                    lines[i] = Line(number: line.number, indent: column, text: rest)
                    items.append(try block(indent: column))
                } else {
                    i += 1
                    items.append(try scalarOrFlow(rest, line: line.number))
                }
            }
            return .sequence(items)
        }

        mutating func mapping(indent: Int) throws(YAMLReadError) -> YAMLValue {
            var pairs: [(String, YAMLValue)] = []
            while i < lines.count, lines[i].indent == indent {
                let line = lines[i]
                if line.text == "-" || line.text.hasPrefix("- ") {
                    throw YAMLReadError(line: line.number, reason: "a sequence item where a 'key: value' was expected")
                }
                guard let (key, rest) = splitKey(line.text) else {
                    throw YAMLReadError(line: line.number, reason: "expected 'key: value'")
                }
                if pairs.contains(where: { $0.0 == key }) {
                    throw YAMLReadError(line: line.number, reason: "duplicate key '\(key)'")
                }
                i += 1
                if !rest.isEmpty {
                    pairs.append((key, try scalarOrFlow(rest, line: line.number)))
                } else if i < lines.count, lines[i].indent > indent {
                    pairs.append((key, try block(indent: lines[i].indent)))
                } else if i < lines.count, lines[i].indent == indent,
                          lines[i].text == "-" || lines[i].text.hasPrefix("- ") {
                    // YAML allows a sequence value at the key's own indentation.
                    pairs.append((key, try sequence(indent: indent)))
                } else {
                    pairs.append((key, .null))
                }
            }
            if i < lines.count, lines[i].indent > indent {
                throw YAMLReadError(line: lines[i].number, reason: "unexpected indentation")
            }
            return .mapping(pairs)
        }

        /// Splits `key: rest` at the first `: ` (or a trailing `:`) outside quotes.
        func splitKey(_ s: String) -> (String, String)? {
            let chars = Array(s)
            var quote: Character?
            for (k, c) in chars.enumerated() {
                if let q = quote { if c == q { quote = nil }; continue }
                if (c == "\"" || c == "'") && k == 0 { quote = c; continue }
                if c == "{" || c == "[" { return nil }
                if c == ":" && (k + 1 == chars.count || chars[k + 1] == " ") {
                    var key = String(chars[..<k])
                    if key.count >= 2, let f = key.first, f == "\"" || f == "'", key.last == f {
                        key = String(key.dropFirst().dropLast())
                    }
                    if key.isEmpty { return nil }
                    let rest = String(chars[(k + 1)...].drop { $0 == " " })
                    return (key, rest)
                }
            }
            return nil
        }

        func scalarOrFlow(_ s: String, line: Int) throws(YAMLReadError) -> YAMLValue {
            if s.hasPrefix("{") {
                guard s.hasSuffix("}") else { throw YAMLReadError(line: line, reason: "unterminated flow mapping") }
                let inner = s.dropFirst().dropLast()
                var pairs: [(String, YAMLValue)] = []
                for part in try splitFlow(String(inner), line: line) {
                    let trimmed = part.trimmingSpaces
                    if trimmed.isEmpty { continue }
                    guard let (k, v) = splitKey(trimmed) else {
                        throw YAMLReadError(line: line, reason: "expected 'key: value' in flow mapping")
                    }
                    pairs.append((k, try scalarOrFlow(v, line: line)))
                }
                return .mapping(pairs)
            }
            return .scalar(try scalar(s, line: line))
        }

        func splitFlow(_ s: String, line: Int) throws(YAMLReadError) -> [String] {
            var parts: [String] = []
            var cur = ""
            var quote: Character?
            for c in s {
                if let q = quote {
                    if c == q { quote = nil }
                } else if c == "\"" || c == "'" {
                    quote = c
                } else if c == "{" || c == "[" {
                    throw YAMLReadError(line: line, reason: "nested flow collections are not supported")
                } else if c == "," {
                    parts.append(cur)
                    cur = ""
                    continue
                }
                cur.append(c)
            }
            parts.append(cur)
            return parts
        }

        func scalar(_ s: String, line: Int) throws(YAMLReadError) -> String {
            guard let f = s.first else { return "" }
            if f == "\"" {
                guard s.count >= 2, s.last == "\"" else { throw YAMLReadError(line: line, reason: "unterminated double-quoted string") }
                var out = ""
                var escaping = false
                for c in s.dropFirst().dropLast() {
                    if escaping {
                        switch c {
                        case "n": out.append("\n")
                        case "t": out.append("\t")
                        case "\"", "\\", "/": out.append(c)
                        default: throw YAMLReadError(line: line, reason: "unsupported escape '\\\(c)'")
                        }
                        escaping = false
                    } else if c == "\\" {
                        escaping = true
                    } else {
                        out.append(c)
                    }
                }
                return out
            }
            if f == "'" {
                guard s.count >= 2, s.last == "'" else { throw YAMLReadError(line: line, reason: "unterminated single-quoted string") }
                return String(s.dropFirst().dropLast()).replacing("''", with: "'")
            }
            if "&*!|>[%@`".contains(f) {
                throw YAMLReadError(line: line, reason: "unsupported YAML feature '\(f)'")
            }
            return s
        }
    }
}

extension String {
    var trimmingSpaces: String {
        var s = Substring(self)
        while let f = s.first, f == " " { s.removeFirst() }
        while let l = s.last, l == " " { s.removeLast() }
        return String(s)
    }
}
