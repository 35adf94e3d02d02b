// BuildKit's parse-tree dump (`Node.Dump` in parser.go), the format of the testdata `result`
// files.

extension Dockerfile {
    /// BuildKit's parser dump, one line per instruction, as in the testdata `result` files:
    /// `(` + keyword + flags as `["--a" "--b"]` + each argument Go-quoted + `)`; ONBUILD nests
    /// its trigger: `(onbuild (copy ["--from=a"] "b" "c"))`. Heredoc bodies are not printed.
    public var dump: String {
        instructions.map { "(" + $0.dump + ")\n" }.joined()
    }
}

extension Instruction {
    /// One instruction in BuildKit's dump format, without the enclosing parentheses.
    public var dump: String {
        var text = keyword.goLowercased
        if !flags.isEmpty {
            // Go's `%q` of a []string.
            text += " [" + flags.map(\.goQuoted).joined(separator: " ") + "]"
        }
        if let trigger = onbuild {
            text += " (" + trigger.dump + ")"
        }
        for argument in arguments {
            text += " " + argument.goQuoted
        }
        return text.goTrimmingSpace
    }
}
