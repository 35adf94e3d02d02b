// The build evaluator: what a BuildKit build of the graph's reachable stages would produce,
// computed in-process (docker-ecs.md §3). Stages are evaluated in file order; each step works
// on the stage's state and every error is thrown before any result exists, so a failed build
// returns nothing half-built. RUN effects live in Build+Run.swift, COPY/ADD in Build+Copy.swift.

public enum Builder {
    /// Evaluates the build of `graph` against `context`.
    ///
    /// - Parameters:
    ///   - previous: the cache of an earlier build; a step whose key is in it is `cached`.
    ///   - buildArgs: `--build-arg NAME=value`, a later value for a name wins. They override
    ///     meta ARGs and stage ARG defaults (§1.7). Pass the same values the graph was built with.
    /// - Throws: `DockerfileError` with BuildKit's wording (as printed after `ERROR: failed to solve: `),
    ///   e.g. `failed to compute cache key: failed to calculate checksum of ref …: "/app.go": not found`.
    public static func evaluate(
        _ graph: StageGraph, context: BuildContext, previous: BuildCache? = nil,
        buildArgs: [(String, String)] = [], declared: [DeclaredEffect] = []
    ) throws(DockerfileError) -> BuildResult {
        var evaluation = try BuildEvaluation(graph: graph, context: context, previous: previous, buildArgs: buildArgs)
        evaluation.declared = declared
        return try evaluation.run()
    }
}

/// The state of one stage while its instructions are applied.
struct StageBuild {
    var fs: BuildFileSystem
    /// The image config's ENV, in order.
    var env: [(String, String)]
    /// The ARGs declared in this stage (or its FROM chain) that have a value, in order.
    var args: [(String, String)]
    var workdir: String
    var user: String
    var cmd: [String]?
    var entrypoint: [String]?
    /// Whether this stage's own instructions set CMD (ENTRYPOINT then keeps it).
    var cmdSet = false
    var shell: [String] = ["/bin/sh", "-c"]
    /// The cache key of the state so far (the last vertex's key).
    var key: String
    /// True once a step of this stage (or of the stage it is built FROM) missed the cache.
    var missed: Bool
    /// History, oldest first, the collapsed base image first.
    var layers: [Layer]
    var base: String
    var baseBytes: Int

    /// The variables `$VAR` sees in ADD/COPY/ENV/LABEL/USER/WORKDIR: ENV, then ARGs ENV does not shadow.
    var expansionEnv: [(String, String)] {
        env + args.filter { arg in !env.contains { $0.0 == arg.0 } }
    }
}

struct BuildEvaluation {
    let graph: StageGraph
    let context: BuildContext
    let contextFS: BuildFileSystem
    let previous: Set<String>
    let buildArgValues: [String: String]
    /// The global scope (§1.7): automatic platform args, then meta ARGs, `--build-arg` overriding.
    var globals: [(String, String)] = []
    let lex = ShellLex()
    var finished: [Int: StageBuild] = [:]
    /// What the learner declared that unmodelled programs write.
    var declared: [DeclaredEffect] = []
    var steps: [StepResult] = []
    var keys: [String] = []

    init(graph: StageGraph, context: BuildContext, previous: BuildCache?, buildArgs: [(String, String)]) throws(DockerfileError) {
        self.graph = graph
        self.context = context
        self.previous = Set(previous?.keys ?? [])
        var values: [String: String] = [:]
        for (name, value) in buildArgs { values[name] = value }
        buildArgValues = values
        var fs = BuildFileSystem()
        for file in context.files {
            fs.put(FileEntry(path: "/" + file.path, size: file.size, digest: file.digest, content: file.content))
        }
        contextFS = fs
        let platform: [(String, String)] = [
            ("BUILDPLATFORM", "linux/amd64"), ("BUILDOS", "linux"), ("BUILDARCH", "amd64"), ("BUILDVARIANT", ""),
            ("TARGETPLATFORM", "linux/amd64"), ("TARGETOS", "linux"), ("TARGETARCH", "amd64"), ("TARGETVARIANT", ""),
        ]
        globals = platform.map { ($0.0, values[$0.0] ?? $0.1) }
        for instruction in graph.metaArgs {
            guard case .arg(let command) = try instruction.command() else { continue }
            for declaration in command.args {
                var value: String?
                if let given = values[declaration.name] {
                    value = given
                } else if let defaultValue = declaration.defaultValue {
                    value = try Self.expand(defaultValue, env: globals, lex: lex, line: instruction.startLine)
                }
                if let value { Self.set(&globals, declaration.name, value) }
            }
        }
    }

    mutating func run() throws(DockerfileError) -> BuildResult {
        var images: [ImageResult] = []
        for index in graph.reachable {
            let state = try build(stage: graph.stages[index])
            finished[index] = state
            images.append(Self.image(of: state, stage: index))
        }
        guard let final = images.first(where: { $0.stage == graph.target }) else {
            throw DockerfileError(message: "target stage \(graph.target) was not built")
        }
        return BuildResult(
            steps: steps, images: images, final: final, cache: BuildCache(keys: Array(previous) + keys),
            singleStageBytes: images.map(\.totalBytes).max() ?? final.totalBytes)
    }

    static func image(of state: StageBuild, stage: Int) -> ImageResult {
        ImageResult(
            stage: stage, base: state.base, baseBytes: state.baseBytes, layers: state.layers,
            totalBytes: state.layers.reduce(0) { $0 + $1.sizeBytes }, files: state.fs.sorted, env: state.env,
            workdir: state.workdir, user: state.user, cmd: state.cmd, entrypoint: state.entrypoint)
    }

    // MARK: Stages

    /// A cursor over the stage's BuildKit labels from the graph, one per vertex.
    struct Labels {
        var stage: Stage
        var position = 0
        mutating func next(_ fallback: String) -> String {
            defer { position += 1 }
            if position < stage.progress.count { return stage.progress[position] }
            return "[\(stage.displayName) \(position + 1)/?] \(fallback)"
        }
    }

    mutating func build(stage: Stage) throws(DockerfileError) -> StageBuild {
        var labels = Labels(stage: stage)
        var state: StageBuild
        switch stage.base {
        case .image(let reference):
            guard let image = BaseImages.image(reference) else {
                throw Self.unresolved(written: stage.baseName, normalized: reference)
            }
            let key = BuildHash.hex("FROM", image.reference)
            let layer = Layer(createdBy: "FROM \(image.reference) (base image layers, collapsed)",
                              sizeBytes: image.sizeBytes, emptyLayer: false, cacheKey: key)
            state = StageBuild(
                fs: BuildFileSystem(files: image.files), env: image.env.map(Self.splitEnv), args: [],
                workdir: image.workdir, user: "root", cmd: image.cmd, entrypoint: image.entrypoint,
                key: key, missed: !previous.contains(key), layers: [layer], base: image.reference,
                baseBytes: image.sizeBytes)
            keys.append(key)
            steps.append(StepResult(stage: stage.index, label: labels.next("FROM \(image.reference)"),
                                    cached: previous.contains(key), layer: layer,
                                    notes: ["\(image.reference): \(image.source)"]))
        case .scratch:
            state = StageBuild(fs: BuildFileSystem(), env: [], args: [], workdir: "/", user: "root", cmd: nil,
                               entrypoint: nil, key: BuildHash.hex("scratch"), missed: false, layers: [],
                               base: "scratch", baseBytes: 0)
        case .stage(let base):
            guard let parent = finished[base] else {
                throw DockerfileError(message: "stage \(graph.stages[base].displayName) was not built before \(stage.displayName)")
            }
            state = parent
            state.cmdSet = false
            // ONBUILD triggers of the base stage run first (§1.8).
            for case .onbuild(let onbuild) in graph.stages[base].commands {
                let command = try onbuild.trigger.command()
                try apply(command, instruction: onbuild.trigger, stage: stage, state: &state, labels: &labels)
            }
        }
        for (command, instruction) in zip(stage.commands, stage.instructions) {
            try apply(command, instruction: instruction, stage: stage, state: &state, labels: &labels)
        }
        return state
    }

    /// BuildKit's failure to resolve a base image: a known repository with an unknown tag gives
    /// `not found`, an unknown repository the registry's `pull access denied`.
    static func unresolved(written: String, normalized: String) -> DockerfileError {
        let why = BaseImages.knowsRepository(normalized)
            ? "\(normalized): not found"
            : "pull access denied, repository does not exist or may require authorization: server message: insufficient_scope: authorization failed"
        return DockerfileError(message: "\(written): failed to resolve source metadata for \(normalized): \(why)")
    }

    // MARK: Steps

    /// Records a vertex: its key chains the state's key with `inputs`; it is cached when the key
    /// is known and no earlier step of the stage missed.
    mutating func vertex(
        _ state: inout StageBuild, stage: Stage, labels: inout Labels, fallback: String, inputs: [String],
        createdBy: String, sizeBytes: Int, notes: [String]
    ) {
        let key = BuildHash.hex([state.key] + inputs)
        let cached = !state.missed && previous.contains(key)
        if !cached { state.missed = true }
        let layer = Layer(createdBy: createdBy, sizeBytes: sizeBytes, emptyLayer: false, cacheKey: key)
        state.key = key
        state.layers.append(layer)
        keys.append(key)
        steps.append(StepResult(stage: stage.index, label: labels.next(fallback), cached: cached, layer: layer, notes: notes))
    }

    /// A config-only history entry (`empty_layer: true`).
    func history(_ state: inout StageBuild, _ createdBy: String) {
        state.layers.append(Layer(createdBy: createdBy, sizeBytes: 0, emptyLayer: true, cacheKey: state.key))
    }

    mutating func apply(
        _ command: Command, instruction: Instruction, stage: Stage, state: inout StageBuild, labels: inout Labels
    ) throws(DockerfileError) {
        let line = instruction.startLine
        let text = instruction.original.goTrimmingSpace
        func expand(_ word: String, _ env: [(String, String)]) throws(DockerfileError) -> String {
            try Self.expand(word, env: env, lex: lex, line: line)
        }
        switch command {
        case .run(let run):
            try applyRun(run, text: text, stage: stage, state: &state, labels: &labels)
        case .copy(let copy):
            try applyCopy(sources: copy.sources, contents: copy.contents, destination: copy.destination, from: copy.from,
                          chown: copy.chown, chmod: copy.chmod, keyword: "COPY", text: text, line: line,
                          stage: stage, state: &state, labels: &labels)
        case .add(let add):
            try applyCopy(sources: add.sources, contents: add.contents, destination: add.destination, from: nil,
                          chown: add.chown, chmod: add.chmod, keyword: "ADD", text: text, line: line,
                          stage: stage, state: &state, labels: &labels)
        case .workdir(let workdir):
            let path = try expand(workdir.path, state.expansionEnv)
            let normalized = Self.normalizeWorkdir(current: state.workdir, path: path)
            state.workdir = normalized
            let directory = BuildFileSystem.clean(normalized)
            if directory == "/" {
                history(&state, "WORKDIR " + normalized)
            } else {
                let before = state.fs[directory]
                state.fs.makeDirectory(directory, owner: Self.owner(of: state.user))
                vertex(&state, stage: stage, labels: &labels, fallback: text, inputs: ["WORKDIR", normalized, state.user],
                       createdBy: "WORKDIR " + normalized, sizeBytes: 0,
                       notes: before == nil ? ["creates \(directory)"] : ["\(directory) already exists"])
            }
        case .env(let env):
            let before = state.expansionEnv
            var pairs: [String] = []
            for pair in env.pairs {
                let key = try expand(pair.key, before)
                let value = try expand(pair.value, before)
                Self.set(&state.env, key, value)
                pairs.append(key + "=" + value)
            }
            history(&state, "ENV " + pairs.joined(separator: " "))
        case .arg(let arg):
            var shown: [String] = []
            for declaration in arg.args {
                var value: String?
                if let given = buildArgValues[declaration.name] {
                    value = given
                } else if let defaultValue = declaration.defaultValue {
                    value = try expand(defaultValue, state.expansionEnv)
                } else {
                    value = globals.last(where: { $0.0 == declaration.name })?.1
                }
                if let value {
                    Self.set(&state.args, declaration.name, value)
                    shown.append(declaration.name + "=" + value)
                } else {
                    shown.append(declaration.name)
                }
            }
            history(&state, "ARG " + shown.joined(separator: " "))
        case .user(let user):
            state.user = try expand(user.user, state.expansionEnv)
            history(&state, "USER " + state.user)
        case .label(let label):
            var pairs: [String] = []
            for pair in label.labels {
                pairs.append(try expand(pair.key, state.expansionEnv) + "=" + (try expand(pair.value, state.expansionEnv)))
            }
            history(&state, "LABEL " + pairs.joined(separator: " "))
        case .cmd(let cmd):
            let argv = Self.argv(cmd.command, shell: state.shell)
            state.cmd = argv
            state.cmdSet = true
            history(&state, "CMD " + Self.goSlice(argv))
        case .entrypoint(let entrypoint):
            let argv = Self.argv(entrypoint.command, shell: state.shell)
            state.entrypoint = argv
            // BuildKit drops an inherited CMD when ENTRYPOINT is set (`dispatchEntrypoint`).
            if !state.cmdSet { state.cmd = nil }
            history(&state, "ENTRYPOINT " + Self.goSlice(argv))
        case .shell(let shell):
            state.shell = shell.shell
            history(&state, "SHELL " + Self.goSlice(shell.shell))
        case .expose(let expose):
            var ports: [String] = []
            for port in expose.ports { ports.append(try expand(port, state.expansionEnv)) }
            history(&state, "EXPOSE " + ports.map { $0.contains("/") ? $0 : $0 + "/tcp" }.joined(separator: " "))
        case .volume(let volume):
            var paths: [String] = []
            for path in volume.volumes { paths.append(try expand(path, state.expansionEnv)) }
            history(&state, "VOLUME [" + paths.joined(separator: " ") + "]")
        case .stopSignal(let signal):
            history(&state, "STOPSIGNAL " + (try expand(signal.signal, state.expansionEnv)))
        case .healthcheck:
            history(&state, text)
        case .onbuild(let onbuild):
            history(&state, "ONBUILD " + onbuild.expression)
        case .maintainer(let maintainer):
            history(&state, "MAINTAINER " + maintainer.maintainer)
        case .from:
            break
        }
    }

    // MARK: Helpers

    static func expand(_ word: String, env: [(String, String)], lex: ShellLex, line: Int) throws(DockerfileError) -> String {
        do throws(ShellLexError) {
            return try lex.processWord(word, env: env).result
        } catch {
            throw DockerfileError(line: line, message: error.message)
        }
    }

    static func set(_ env: inout [(String, String)], _ key: String, _ value: String) {
        if let index = env.firstIndex(where: { $0.0 == key }) { env[index].1 = value } else { env.append((key, value)) }
    }

    static func splitEnv(_ entry: String) -> (String, String) {
        guard let equals = entry.firstIndex(of: "=") else { return (entry, "") }
        return (String(entry[..<equals]), String(entry[entry.index(after: equals)...]))
    }

    /// `system.NormalizeWorkdir` on Linux: a relative path is joined to the current directory and
    /// cleaned; an absolute path is kept as written (so history shows `WORKDIR /root/`).
    static func normalizeWorkdir(current: String, path: String) -> String {
        path.hasPrefix("/") ? path : BuildFileSystem.clean(current + "/" + path)
    }

    static func argv(_ form: CommandForm, shell: [String]) -> [String] {
        switch form {
        case .shell(let text): return shell + [text]
        case .exec(let words): return words
        }
    }

    /// Go's `%q` of a string slice: `["./app"]`, `["/bin/sh" "-c" "x"]`.
    static func goSlice(_ words: [String]) -> String {
        "[" + words.map(\.goQuoted).joined(separator: " ") + "]"
    }

    /// The owner a process running as `user` gives the files it creates.
    static func owner(of user: String) -> String {
        guard !user.isEmpty, user != "root", user != "0" else { return "root:root" }
        return user.contains(":") ? user : user + ":" + user
    }
}
