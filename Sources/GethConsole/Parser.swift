import JSONRPC
// Tokenizer and recursive-descent parser for the console's JavaScript subset (see `GethConsole`).

struct Token: Equatable {
    enum Kind: Equatable {
        case identifier(String)
        case number(Double)
        case string(String)
        case punct(Character)
        case unsupported(String)   // valid JavaScript this console does not evaluate (+, =>, …)
        case illegal               // not JavaScript at all (#, @, unterminated string, …)
        case eof
    }
    var kind: Kind
    var line: Int
    var column: Int

    var text: String {
        switch kind {
        case let .identifier(s): return s
        case let .number(d): return jsNumberString(d)
        case let .string(s): return "\"" + s + "\""
        case let .punct(c): return String(c)
        case let .unsupported(s): return s
        case .illegal: return "ILLEGAL"
        case .eof: return "end of input"
        }
    }
}

/// Thrown by tokenizer, parser and evaluator; converted to `ConsoleError` at the API boundary.
struct Failure: Error {
    var message: String
    var rpcCode: Int? = nil
    var note: String? = nil
    var incomplete = false
}

func tokenize(_ source: String) throws(Failure) -> [Token] {
    let chars = Array(source)
    var tokens: [Token] = []
    var i = 0
    var line = 1
    var lineStart = 0
    func syntax(_ at: Int, _ what: String, incomplete: Bool = false) -> Failure {
        Failure(message: "SyntaxError: (anonymous): Line \(line):\(at - lineStart + 1) \(what)", incomplete: incomplete)
    }
    let operatorChars: Set<Character> = ["+", "-", "*", "/", "%", "<", ">", "!", "&", "|", "?", "~", "^", "`"]
    while i < chars.count {
        let c = chars[i]
        let col = i - lineStart + 1
        if c == "\n" { i += 1; line += 1; lineStart = i; continue }
        if c.isWhitespace { i += 1; continue }
        if c == "/" && i + 1 < chars.count && chars[i + 1] == "/" {   // line comment
            while i < chars.count && chars[i] != "\n" { i += 1 }
            continue
        }
        if c.isLetter || c == "_" || c == "$" {
            var j = i
            while j < chars.count && (chars[j].isLetter || chars[j].isNumber || chars[j] == "_" || chars[j] == "$") { j += 1 }
            tokens.append(Token(kind: .identifier(String(chars[i..<j])), line: line, column: col))
            i = j
            continue
        }
        if c.isASCII && (c.isNumber || (c == "." && i + 1 < chars.count && chars[i + 1].isASCII && chars[i + 1].isNumber)) {
            var j = i
            if c == "0" && j + 1 < chars.count && (chars[j + 1] == "x" || chars[j + 1] == "X") {
                j += 2
                while j < chars.count && chars[j].isHexDigit { j += 1 }
                let digits = String(chars[(i + 2)..<j])
                guard !digits.isEmpty, digits.count <= 300, let n = BigUInt(hexDigits: Substring(digits)) else {
                    throw syntax(i, "Unexpected token ILLEGAL")
                }
                tokens.append(Token(kind: .number(Double(n.decimalString) ?? .infinity), line: line, column: col))
            } else {
                while j < chars.count && chars[j].isASCII && chars[j].isNumber { j += 1 }
                if j < chars.count && chars[j] == "." {
                    j += 1
                    while j < chars.count && chars[j].isASCII && chars[j].isNumber { j += 1 }
                }
                if j < chars.count && (chars[j] == "e" || chars[j] == "E") {
                    var k = j + 1
                    if k < chars.count && (chars[k] == "+" || chars[k] == "-") { k += 1 }
                    let digitStart = k
                    while k < chars.count && chars[k].isASCII && chars[k].isNumber { k += 1 }
                    if k == digitStart { throw syntax(i, "Unexpected token ILLEGAL") }
                    j = k
                }
                let text = String(chars[i..<j])
                tokens.append(Token(kind: .number(Double(text) ?? .nan), line: line, column: col))
            }
            if j < chars.count && (chars[j].isLetter || chars[j] == "_" || chars[j] == "$") {
                throw syntax(j, "Unexpected token ILLEGAL")
            }
            i = j
            continue
        }
        if c == "\"" || c == "'" {
            var j = i + 1
            var s = ""
            var closed = false
            while j < chars.count {
                let d = chars[j]
                if d == c { closed = true; j += 1; break }
                if d == "\n" { break }
                if d == "\\" {
                    j += 1
                    guard j < chars.count else { break }
                    let e = chars[j]
                    switch e {
                    case "n": s.append("\n")
                    case "t": s.append("\t")
                    case "r": s.append("\r")
                    case "b": s.append("\u{8}")
                    case "f": s.append("\u{c}")
                    case "v": s.append("\u{b}")
                    case "0": s.append("\u{0}")
                    case "x", "u":
                        let len = e == "x" ? 2 : 4
                        guard j + len < chars.count else { throw syntax(i, "Unexpected token ILLEGAL") }
                        let hex = String(chars[(j + 1)...(j + len)])
                        guard hex.allSatisfy(\.isHexDigit), let v = UInt32(hex, radix: 16) else {
                            throw syntax(i, "Unexpected token ILLEGAL")
                        }
                        s.unicodeScalars.append(Unicode.Scalar(v) ?? "\u{FFFD}")
                        j += len
                    default: s.append(e)
                    }
                    j += 1
                    continue
                }
                s.append(d)
                j += 1
            }
            guard closed else { throw syntax(i, "Unexpected token ILLEGAL") }
            tokens.append(Token(kind: .string(s), line: line, column: col))
            i = j
            continue
        }
        if "()[]{}.,:;=".contains(c) {
            if c == "=" && i + 1 < chars.count && (chars[i + 1] == "=" || chars[i + 1] == ">") {
                let op = chars[i + 1] == ">" ? "=>" : (i + 2 < chars.count && chars[i + 2] == "=" ? "===" : "==")
                tokens.append(Token(kind: .unsupported(op), line: line, column: col))
                i += op.count
                continue
            }
            tokens.append(Token(kind: .punct(c), line: line, column: col))
            i += 1
            continue
        }
        if operatorChars.contains(c) {
            if c == "-" { tokens.append(Token(kind: .punct("-"), line: line, column: col)); i += 1; continue }
            tokens.append(Token(kind: .unsupported(String(c)), line: line, column: col))
            i += 1
            continue
        }
        throw syntax(i, "Unexpected token ILLEGAL")
    }
    tokens.append(Token(kind: .eof, line: line, column: chars.count - lineStart + 1))
    return tokens
}

indirect enum Expr {
    case literal(Value)
    case identifier(String, Token)
    case member(Expr, String, Token)
    case index(Expr, Expr, Token)
    case call(Expr, [Expr], Token)
    case array([Expr])
    case object([(key: String, value: Expr)])
    case negate(Expr)
    case assign(String, Expr)

    /// Source-like description for error messages ("eth.blockNumber").
    var description: String {
        switch self {
        case let .identifier(n, _): return n
        case let .member(base, name, _): return base.description + "." + name
        case let .index(base, _, _): return base.description + "[...]"
        case let .call(callee, _, _): return callee.description + "(...)"
        default: return "expression"
        }
    }
}

enum Statement {
    case declare(String, Expr?)
    case expression(Expr)
}

/// Words JavaScript reserves; those this console does not implement are reported as unsupported.
let unsupportedKeywords: Set<String> = [
    "function", "if", "else", "for", "while", "do", "new", "typeof", "return", "this", "delete", "in",
    "instanceof", "switch", "case", "try", "catch", "finally", "throw", "class", "void", "yield",
    "async", "await", "break", "continue", "with", "debugger", "export", "import", "super", "extends",
]

struct Parser {
    var tokens: [Token]
    var pos = 0
    static let maxDepth = 200

    var depth = 0
    var current: Token { tokens[min(pos, tokens.count - 1)] }

    mutating func advance() -> Token {
        let t = current
        if pos < tokens.count - 1 { pos += 1 }
        return t
    }

    func unexpected(_ t: Token) -> Failure {
        switch t.kind {
        case .eof:
            return Failure(message: "SyntaxError: (anonymous): Line \(t.line):\(t.column) Unexpected end of input", incomplete: true)
        case let .unsupported(op):
            return Failure(message: "Error: '\(op)' is not supported by this console: it evaluates a small subset of JavaScript (names, calls, literals, variables) without a JavaScript engine")
        default:
            return Failure(message: "SyntaxError: (anonymous): Line \(t.line):\(t.column) Unexpected token \(t.text)")
        }
    }

    func isPunct(_ c: Character) -> Bool { current.kind == .punct(c) }

    mutating func expect(_ c: Character) throws(Failure) {
        guard isPunct(c) else { throw unexpected(current) }
        _ = advance()
    }

    mutating func parseProgram() throws(Failure) -> [Statement] {
        var out: [Statement] = []
        while current.kind != .eof {
            if isPunct(";") { _ = advance(); continue }
            out.append(try parseStatement())
            if current.kind == .eof { break }
            guard isPunct(";") else { throw unexpected(current) }
        }
        return out
    }

    mutating func parseStatement() throws(Failure) -> Statement {
        if case let .identifier(word) = current.kind, word == "var" || word == "let" || word == "const" {
            _ = advance()
            let nameTok = advance()
            guard case let .identifier(name) = nameTok.kind, !isReserved(name) else { throw unexpected(nameTok) }
            if isPunct("=") {
                _ = advance()
                return .declare(name, try parseExpression())
            }
            return .declare(name, nil)
        }
        return .expression(try parseExpression())
    }

    func isReserved(_ name: String) -> Bool {
        unsupportedKeywords.contains(name) || ["var", "let", "const", "true", "false", "null"].contains(name)
    }

    mutating func parseExpression() throws(Failure) -> Expr {
        depth += 1
        defer { depth -= 1 }
        guard depth < Self.maxDepth else { throw Failure(message: "RangeError: Maximum call stack size exceeded") }
        let lhsToken = current
        let lhs = try parseUnary()
        guard isPunct("=") else { return lhs }
        let eq = advance()
        switch lhs {
        case let .identifier(name, _):
            if name == "undefined" { return try parseExpression() }   // assignment to undefined is a no-op
            return .assign(name, try parseExpression())
        case .member, .index:
            throw Failure(message: "Error: assigning to a property is not supported by this console; use a variable (x = …)")
        default:
            _ = lhsToken
            throw Failure(message: "SyntaxError: (anonymous): Line \(eq.line):\(eq.column) Invalid left-hand side in assignment")
        }
    }

    mutating func parseUnary() throws(Failure) -> Expr {
        if isPunct("-") {
            _ = advance()
            depth += 1
            defer { depth -= 1 }
            guard depth < Self.maxDepth else { throw Failure(message: "RangeError: Maximum call stack size exceeded") }
            return .negate(try parseUnary())
        }
        return try parsePostfix()
    }

    mutating func parsePostfix() throws(Failure) -> Expr {
        var e = try parsePrimary()
        var chain = 0
        while true {
            chain += 1   // each postfix operation nests the tree one level deeper
            guard depth + chain < Self.maxDepth else { throw Failure(message: "RangeError: Maximum call stack size exceeded") }
            if isPunct(".") {
                _ = advance()
                let t = advance()
                guard case let .identifier(name) = t.kind else { throw unexpected(t) }
                e = .member(e, name, t)
            } else if isPunct("[") {
                let t = advance()
                let index = try parseExpression()
                try expect("]")
                e = .index(e, index, t)
            } else if isPunct("(") {
                let t = advance()
                var args: [Expr] = []
                while !isPunct(")") {
                    args.append(try parseExpression())
                    if isPunct(",") { _ = advance(); continue }
                    guard isPunct(")") else { throw unexpected(current) }
                }
                _ = advance()
                e = .call(e, args, t)
            } else {
                return e
            }
        }
    }

    mutating func parsePrimary() throws(Failure) -> Expr {
        let t = advance()
        switch t.kind {
        case let .number(d): return .literal(.number(d))
        case let .string(s): return .literal(.string(s))
        case let .identifier(name):
            switch name {
            case "true": return .literal(.bool(true))
            case "false": return .literal(.bool(false))
            case "null": return .literal(.null)
            case "var", "let", "const": throw unexpected(t)
            default:
                if unsupportedKeywords.contains(name) { throw unexpected(Token(kind: .unsupported(name), line: t.line, column: t.column)) }
                return .identifier(name, t)
            }
        case .punct("("):
            let e = try parseExpression()
            try expect(")")
            return e
        case .punct("["):
            var items: [Expr] = []
            while !isPunct("]") {
                items.append(try parseExpression())
                if isPunct(",") { _ = advance(); continue }
                guard isPunct("]") else { throw unexpected(current) }
            }
            _ = advance()
            return .array(items)
        case .punct("{"):
            var members: [(key: String, value: Expr)] = []
            while !isPunct("}") {
                let k = advance()
                let key: String
                switch k.kind {
                case let .identifier(s): key = s
                case let .string(s): key = s
                case let .number(d): key = jsNumberString(d)
                default: throw unexpected(k)
                }
                try expect(":")
                members.append((key, try parseExpression()))
                if isPunct(",") { _ = advance(); continue }
                guard isPunct("}") else { throw unexpected(current) }
            }
            _ = advance()
            return .object(members)
        default:
            throw unexpected(t)
        }
    }
}
