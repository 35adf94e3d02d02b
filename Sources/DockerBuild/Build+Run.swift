// RUN (docker-ecs.md §3.1, §3.3): nothing executes. The shell text is split into simple commands
// (`&&`, `;`, `||`, newlines), and the commands a Dockerfile lesson meets are modelled as
// filesystem effects with plausible, deterministic sizes. Anything else is an opaque 0-byte
// effect with a note. The layer is the difference between the filesystem before and after.

extension BuildEvaluation {
    mutating func applyRun(
        _ run: RunCommand, text: String, stage: Stage, state: inout StageBuild, labels: inout Labels
    ) throws(DockerfileError) {
        let argv = Self.argv(run.command, shell: state.shell)
        // ARGs in scope that ENV does not shadow prefix the history line (`runCommandString`).
        let args = state.args.filter { arg in !state.env.contains { $0.0 == arg.0 } }.sorted { $0.0 < $1.0 }
        let argsPrefix = args.isEmpty ? "" : "|\(args.count) " + args.map { $0.0 + "=" + $0.1 }.joined(separator: " ") + " "
        let createdBy = "RUN " + argsPrefix + argv.joined(separator: " ") + " # buildkit"

        var model = RunModel(fs: state.fs, env: state.expansionEnv, cwd: BuildFileSystem.clean(state.workdir),
                             owner: Self.owner(of: state.user), processText: argv.joined(separator: " "))
        model.declared = declared
        switch run.command {
        case .shell(let line):
            var script = line
            if let heredoc = run.heredocs.first, line.goTrimmingSpace.hasPrefix("<<") {
                script = heredoc.chompedContent
            }
            guard model.fs["/bin/sh"] != nil || state.shell.first != "/bin/sh" else {
                throw model.failure(127, "runc: exec: \"/bin/sh\": stat /bin/sh: no such file or directory")
            }
            try model.runScript(script)
        case .exec(let words):
            try model.runCommand(words.map { RunModel.Word(text: $0, glob: false) }, redirects: [])
        }
        if !run.mounts.isEmpty { model.notes.append("--mount contents are not part of the layer and not modelled") }

        let diff = model.fs.diff(from: state.fs)
        var notes = model.notes
        if !diff.removed.isEmpty {
            let freed = diff.removed.reduce(0) { $0 + (state.fs[$1].map { $0.isDirectory ? 0 : $0.size } ?? 0) }
            notes.append("deletes \(diff.removed.count) path(s) holding \(freed) bytes from earlier layers: the layer only records whiteouts, the earlier layers keep the bytes, so the image does not shrink (delete in the same RUN that creates the files)")
        }
        let env = state.expansionEnv.map { $0.0 + "=" + $0.1 }
        state.fs = model.fs
        vertex(&state, stage: stage, labels: &labels, fallback: text, inputs: ["RUN", createdBy] + env,
               createdBy: createdBy, sizeBytes: diff.bytes, notes: notes)
    }
}

/// The shell's effect on a filesystem.
struct RunModel {
    struct Word { var text: String; var glob: Bool }
    struct Redirect { var append: Bool; var target: String }

    var fs: BuildFileSystem
    var env: [(String, String)]
    var cwd: String
    var owner: String
    /// The process as BuildKit names it in a failure (`/bin/sh -c apk add curl`).
    let processText: String
    var notes: [String] = []
    /// Effects the learner declared for programs the model does not know.
    var declared: [DeclaredEffect] = []

    static let mb = 1_000_000

    /// BuildKit's failure of a RUN, with the shell's reason after it.
    func failure(_ code: Int, _ why: String) -> DockerfileError {
        DockerfileError(message: "process \(processText.goQuoted) did not complete successfully: exit code: \(code) (\(why))")
    }

    func lookup(_ name: String) -> String? { env.last(where: { $0.0 == name })?.1 }

    mutating func setVariable(_ name: String, _ value: String) {
        if let index = env.lastIndex(where: { $0.0 == name }) { env[index].1 = value } else { env.append((name, value)) }
    }

    func path(_ text: String) -> String { BuildFileSystem.resolve(text, in: cwd) }

    /// `which`: whether `name` is on PATH (or is a path that exists).
    func hasTool(_ name: String) -> Bool {
        if name.contains("/") { return fs[path(name)] != nil }
        let directories = (lookup("PATH") ?? "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin").split(separator: ":")
        return directories.contains { fs[BuildFileSystem.join(String($0), name)] != nil }
    }

    // MARK: Shell text

    /// Splits `script` into simple commands and runs them in order. After `||` the right side is
    /// skipped (the left is assumed to succeed); a pipeline is opaque.
    mutating func runScript(_ script: String) throws(DockerfileError) {
        var tokens = tokenize(script)
        tokens.append(.op(";"))
        var words: [Word] = []
        var redirects: [Redirect] = []
        var pipeline = false
        var skipNext = false
        var index = 0
        while index < tokens.count {
            switch tokens[index] {
            case .word(let word):
                words.append(word)
            case .op(let op):
                switch op {
                case ">", ">>":
                    if index + 1 < tokens.count, case .word(let target) = tokens[index + 1] {
                        redirects.append(Redirect(append: op == ">>", target: target.text))
                        index += 1
                    }
                case "2>", "2>>":
                    index += 1
                case "|":
                    pipeline = true
                    words.append(Word(text: "|", glob: false))
                case "&&", ";", "||", "&", "\n":
                    if !words.isEmpty {
                        if skipNext {
                            notes.append("`\(words.map(\.text).joined(separator: " "))` after || is assumed not to run")
                        } else if pipeline {
                            notes.append("`\(words.map(\.text).joined(separator: " "))` is not modelled: the layer holds whatever it would write")
                        } else {
                            try runCommand(words, redirects: redirects)
                        }
                    }
                    skipNext = op == "||"
                    words = []
                    redirects = []
                    pipeline = false
                default:
                    break
                }
            }
            index += 1
        }
    }

    enum Token { case word(Word), op(String) }

    /// A small POSIX-ish lexer: quotes, backslash escapes, `$VAR`/`${VAR}` from the run's
    /// environment, comments, and the operators above.
    func tokenize(_ script: String) -> [Token] {
        var tokens: [Token] = []
        let chars = Array(script)
        var current = ""
        var inWord = false
        var glob = false
        var index = 0
        func flush() {
            if inWord { tokens.append(.word(Word(text: current, glob: glob))) }
            current = ""; inWord = false; glob = false
        }
        func variable() -> String {
            // At chars[index] == "$".
            var name = ""
            if index + 1 < chars.count, chars[index + 1] == "{" {
                var end = index + 2
                while end < chars.count, chars[end] != "}" { end += 1 }
                let body = String(chars[(index + 2)..<min(end, chars.count)])
                index = end
                let parts = body.split(separator: ":", maxSplits: 1).map(String.init)
                name = parts.first ?? ""
                let value = lookup(name) ?? ""
                if value.isEmpty, parts.count == 2, parts[1].hasPrefix("-") { return String(parts[1].dropFirst()) }
                return value
            }
            var end = index + 1
            while end < chars.count, chars[end].isLetter || chars[end].isNumber || chars[end] == "_" {
                name.append(chars[end]); end += 1
            }
            if name.isEmpty { return "$" }
            index = end - 1
            return lookup(name) ?? ""
        }
        while index < chars.count {
            let c = chars[index]
            switch c {
            case " ", "\t":
                flush()
            case "\n":
                flush(); tokens.append(.op("\n"))
            case "#" where !inWord:
                while index < chars.count, chars[index] != "\n" { index += 1 }
                continue
            case "\\":
                if index + 1 < chars.count {
                    if chars[index + 1] != "\n" { current.append(chars[index + 1]); inWord = true }
                    index += 1
                }
            case "'":
                inWord = true
                index += 1
                while index < chars.count, chars[index] != "'" { current.append(chars[index]); index += 1 }
            case "\"":
                inWord = true
                index += 1
                while index < chars.count, chars[index] != "\"" {
                    if chars[index] == "\\", index + 1 < chars.count, "\"$\\`".contains(chars[index + 1]) {
                        current.append(chars[index + 1]); index += 2; continue
                    }
                    if chars[index] == "$" { current += variable() } else { current.append(chars[index]) }
                    index += 1
                }
            case "$":
                inWord = true
                current += variable()
            case "*", "?":
                inWord = true; glob = true; current.append(c)
            case ";", "(", ")":
                flush(); tokens.append(.op(String(c)))
            case "&", "|":
                flush()
                if index + 1 < chars.count, chars[index + 1] == c { tokens.append(.op(String([c, c]))); index += 1 }
                else if c == "&", index + 1 < chars.count, chars[index + 1] == ">" { tokens.append(.op("2>")); index += 1 }
                else { tokens.append(.op(String(c))) }
            case ">", "<":
                var fd = ""
                if inWord, !current.isEmpty, current.allSatisfy(\.isNumber) { fd = current; current = ""; inWord = false }
                flush()
                var op = String(c)
                if index + 1 < chars.count, chars[index + 1] == c { op += String(c); index += 1 }
                if index + 1 < chars.count, chars[index + 1] == "&" {
                    // `2>&1`: a descriptor copy, no file.
                    index += 1
                    while index + 1 < chars.count, chars[index + 1].isNumber { index += 1 }
                } else if c == "<" {
                    tokens.append(.op("2>"))
                } else {
                    tokens.append(.op(fd.isEmpty || fd == "1" ? op : "2" + op))
                }
            default:
                inWord = true; current.append(c)
            }
            index += 1
        }
        flush()
        return tokens
    }

    // MARK: Commands

    /// Runs one simple command: leading `NAME=value` words set its environment.
    mutating func runCommand(_ allWords: [Word], redirects: [Redirect]) throws(DockerfileError) {
        var words = allWords
        var local: [(String, String)] = []
        while let first = words.first, let equals = first.text.firstIndex(of: "="),
              first.text[..<equals].allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" }), equals != first.text.startIndex {
            local.append((String(first.text[..<equals]), String(first.text[first.text.index(after: equals)...])))
            words.removeFirst()
        }
        guard let name = words.first?.text else {
            for (key, value) in local { setVariable(key, value) }
            return
        }
        if name == "export" {
            for word in words.dropFirst() {
                if let equals = word.text.firstIndex(of: "=") {
                    setVariable(String(word.text[..<equals]), String(word.text[word.text.index(after: equals)...]))
                }
            }
            return
        }
        let saved = env
        for (key, value) in local { setVariable(key, value) }
        defer { env = saved }
        let args = Array(words.dropFirst())
        let texts = args.map(\.text)
        let whole = words.map(\.text).joined(separator: " ")

        switch name {
        case "cd":
            cwd = path(texts.first ?? "/root")
        case "true", ":", "set", "exit":
            break
        case "echo", "printf":
            var output: String
            if name == "echo" {
                var rest = texts
                var newline = true
                while let flag = rest.first, flag == "-n" || flag == "-e" {
                    if flag == "-n" { newline = false }
                    rest.removeFirst()
                }
                output = rest.joined(separator: " ") + (newline ? "\n" : "")
            } else {
                var format = (texts.first ?? "").replacingEvery("\\n", with: "\n").replacingEvery("\\t", with: "\t")
                for argument in texts.dropFirst() {
                    if let range = format.firstRange(of: "%s") { format.replaceSubrange(range, with: argument) }
                }
                output = format
            }
            for redirect in redirects { try write(output, to: redirect) }
        case "mkdir":
            for text in texts where !text.hasPrefix("-") {
                let target = path(text)
                if fs[target] != nil, !texts.contains("-p") { throw failure(1, "mkdir: can't create directory '\(text)': File exists") }
                if fs[BuildFileSystem.parent(of: target)] == nil, !texts.contains("-p") && !texts.contains(where: { $0.hasPrefix("-") && $0.contains("p") }) {
                    throw failure(1, "mkdir: can't create directory '\(text)': No such file or directory")
                }
                fs.makeDirectory(target, owner: owner)
            }
        case "touch":
            for text in texts where !text.hasPrefix("-") {
                let target = path(text)
                if fs[target] == nil {
                    fs.put(FileEntry(path: target, size: 0, owner: owner, digest: BuildHash.hex("content", "")))
                }
            }
        case "rm":
            let force = texts.contains { $0.hasPrefix("-") && $0.contains("f") }
            for target in try operands(args) {
                if fs[target] == nil {
                    if !force { throw failure(1, "rm: can't remove '\(target)': No such file or directory") }
                    continue
                }
                fs.remove(target)
            }
        case "cp", "mv":
            let paths = try operands(args)
            guard paths.count >= 2, let destination = paths.last else { throw failure(1, "\(name): missing file operand") }
            let sources = paths.dropLast()
            for source in sources {
                guard fs[source] != nil else { throw failure(1, "\(name): can't stat '\(source)': No such file or directory") }
                let target = fs.isDirectory(destination) ? BuildFileSystem.join(destination, BuildFileSystem.baseName(source)) : destination
                for entry in fs.tree(at: source) {
                    var copy = entry
                    copy.path = target + String(entry.path.dropFirst(source.count))
                    if name == "cp", !texts.contains("-a") { copy.owner = owner }
                    fs.put(copy)
                }
                if name == "mv" { fs.remove(source) }
            }
        case "chmod", "chown":
            let value = texts.first { !$0.hasPrefix("-") } ?? ""
            var targets = try operands(args)
            targets.removeAll { $0 == path(value) }
            for target in targets {
                for entry in texts.contains("-R") ? fs.tree(at: target) : fs[target].map({ [$0] }) ?? [] {
                    var changed = entry
                    if name == "chown" { changed.owner = value.contains(":") ? value : value + ":" + value }
                    else { changed.mode = Self.mode(value, current: entry.mode) }
                    fs.put(changed)
                    if !entry.isDirectory, changed != entry {
                        notes.append("\(name) rewrites \(entry.path) into this layer: its \(entry.size) bytes are stored again")
                    }
                }
            }
        case "ln":
            let operandsText = texts.filter { !$0.hasPrefix("-") }
            if operandsText.count == 2 {
                fs.put(FileEntry(path: path(operandsText[1]), size: operandsText[0].utf8.count, owner: owner, mode: "0777",
                                 digest: BuildHash.hex("link", operandsText[0])))
            }
        case "go":
            try runGo(texts, whole: whole)
        case "apk":
            try runApk(texts)
        case "apt-get", "apt":
            try runApt(texts)
        case "npm":
            try runNpm(texts)
        case "pip", "pip3":
            try runPip(texts)
        case "python" where texts.starts(with: ["-m", "pip"]), "python3" where texts.starts(with: ["-m", "pip"]):
            try runPip(Array(texts.dropFirst(2)))
        default:
            let effects = declared.filter { $0.command == name }
            if effects.isEmpty {
                notes.append("`\(whole)` is not modelled: the layer holds whatever it would write")
            }
            for effect in effects {
                let target = path(effect.path)
                fs.put(FileEntry(path: target, size: effect.size, owner: owner, mode: "0644",
                                 digest: BuildHash.hex("declared", name, target, String(effect.size))))
                notes.append("`\(whole)` writes \(target) (\(effect.size) bytes), as declared")
            }
        }
    }

    /// Non-flag operands as absolute paths, globs expanded against the filesystem.
    func operands(_ words: [Word]) throws(DockerfileError) -> [String] {
        var result: [String] = []
        for word in words where !word.text.hasPrefix("-") {
            let target = path(word.text)
            if word.glob { result += fs.glob(target) } else { result.append(target) }
        }
        return result
    }

    static func mode(_ value: String, current: String) -> String {
        if value.allSatisfy(\.isNumber) { return String(repeating: "0", count: max(0, 4 - value.count)) + value }
        if value.contains("+x") { return "0755" }
        if value.contains("-x") { return "0644" }
        return current
    }

    mutating func write(_ text: String, to redirect: Redirect) throws(DockerfileError) {
        if redirect.target == "/dev/null" { return }
        let target = path(redirect.target)
        guard fs.isDirectory(BuildFileSystem.parent(of: target)) else {
            throw failure(1, "/bin/sh: can't create \(redirect.target): nonexistent directory")
        }
        let old = redirect.append ? (fs[target]?.content ?? "") : ""
        let content = old + text
        var entry = fs[target] ?? FileEntry(path: target, size: 0, owner: owner)
        entry.size = content.utf8.count + (redirect.append && fs[target]?.content == nil ? (fs[target]?.size ?? 0) : 0)
        entry.content = content
        entry.digest = BuildHash.hex("content", content, String(entry.size))
        fs.put(entry)
    }

    /// Adds a package's files, each of `size` bytes, with digests from the package name.
    mutating func install(_ files: [(String, Int)], package: String, tool: String) {
        for (file, size) in files {
            fs.put(FileEntry(path: file, size: size, owner: "root:root",
                             mode: file.contains("/bin/") ? "0755" : "0644",
                             digest: BuildHash.hex(tool, package, file, String(size))))
        }
    }

    /// Grows a package database file by `bytes`: the whole file lands in the new layer.
    mutating func grow(_ file: String, by bytes: Int, tool: String, marker: String) {
        var entry = fs[file] ?? FileEntry(path: file, size: 0)
        entry.size += bytes
        entry.digest = BuildHash.hex(tool, entry.digest, marker)
        fs.put(entry)
    }
}
