// Building the stage graph: BuildKit's convert.go `toDispatchState` up to `resolveStages`
// (docker-ecs.md §2 steps 1–9), without the registry. Each step below names the upstream
// function it mirrors.

/// A stage as `instructions.Parse` returns it: its FROM and its typed instructions.
struct ParsedStage {
    var from: Instruction
    var fromCommand: FromCommand
    var instructions: [Instruction] = []
    var commands: [Command] = []
}

/// BuildKit's `dispatchState`, reduced to what decides the graph. Real stages come first, in
/// file order; "unregistered" states for images named by `COPY --from`/`RUN --mount from=` are
/// appended as the dependency graph finds them, exactly as BuildKit appends them.
struct DispatchState {
    /// The stage index for a real stage; nil for an image or scratch read by a dependency.
    var stageIndex: Int?
    /// BuildKit's `stageName`: the AS name, `stage-<i>`, or "" (blanked for a lone state).
    var stageName: String
    /// The FROM base after expansion, or the `--from`/`from=` value as written.
    var baseName: String
    var platform: String?
    /// The state FROM names, when it names an earlier stage.
    var base: Int?
    /// Distinct source states, in first-use order (BuildKit's `deps` map keys).
    var deps: [Int] = []
    /// For each of the stage's own commands, the source states it reads.
    var commandSources: [[Int]] = []
    /// ONBUILD triggers of the base stage, run before the stage's own commands.
    var triggers: [Trigger] = []
    var onbuildInitialized = false
    /// The normalized image, once `resolveBaseImage` has checked the name.
    var normalizedImage: String?
    var resolved = false

    var isScratch: Bool { base == nil && baseName == "scratch" }

    mutating func addDependency(_ state: Int) {
        if !deps.contains(state) { deps.append(state) }
    }
}

/// One ONBUILD trigger as the stage that runs it sees it.
struct Trigger {
    var instruction: Instruction
    var command: Command
    var sources: [Int]
}

/// The platform `--platform` names: `os/arch[/variant]`.
struct PlatformSpec {
    var os: String
    var architecture: String
    var variant: String

    init(_ text: String) {
        let parts = text.goLowercased.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        os = parts.first ?? "linux"
        var arch = parts.count > 1 ? parts[1] : "amd64"
        switch arch {
        case "x86_64", "x86-64": arch = "amd64"
        case "aarch64": arch = "arm64"
        default: break
        }
        architecture = arch
        variant = parts.count > 2 ? parts[2] : ""
    }

    /// containerd's `platforms.Format`: `os/arch[/variant]`.
    var formatted: String {
        variant.isEmpty ? "\(os)/\(architecture)" : "\(os)/\(architecture)/\(variant)"
    }
}

struct GraphResolver {
    let file: Dockerfile
    let options: BuildOptions
    let lex: ShellLex
    let buildArgValues: [String: String]

    var metaArgs: [(instruction: Instruction, command: ArgCommand)] = []
    var parsed: [ParsedStage] = []
    /// The global scope: automatic platform args, then meta ARGs, with `--build-arg` overrides.
    var globalArgs: [(String, String)] = []
    var states: [DispatchState] = []
    /// `statesByName`: lower-cased AS names; a later stage of the same name replaces an earlier one.
    var statesByName: [String: Int] = [:]
    var target = 0

    init(file: Dockerfile, options: BuildOptions) throws(DockerfileError) {
        self.file = file
        self.options = options
        self.lex = ShellLex(escape: file.escape)
        self.buildArgValues = options.buildArgValues
        (metaArgs, parsed) = try Self.parseStages(file)
    }

    /// `instructions.Parse`: every instruction is typed in order (the first error wins); ARGs
    /// before the first FROM are meta ARGs; any other instruction there has no stage to join.
    static func parseStages(_ file: Dockerfile) throws(DockerfileError)
        -> ([(instruction: Instruction, command: ArgCommand)], [ParsedStage]) {
        var metaArgs: [(instruction: Instruction, command: ArgCommand)] = []
        var stages: [ParsedStage] = []
        for instruction in file.instructions {
            let command = try instruction.command()
            if stages.isEmpty, case .arg(let arg) = command {
                metaArgs.append((instruction, arg))
                continue
            }
            if case .from(let from) = command {
                stages.append(ParsedStage(from: instruction, fromCommand: from))
                continue
            }
            guard !stages.isEmpty else {
                throw DockerfileError(message: "no build stage in current context")
            }
            stages[stages.count - 1].instructions.append(instruction)
            stages[stages.count - 1].commands.append(command)
        }
        return (metaArgs, stages)
    }

    mutating func run() throws(DockerfileError) -> StageGraph {
        guard !parsed.isEmpty else {
            throw DockerfileError(message: "dockerfile contains no stages to build")
        }
        try buildGlobalArgs()
        try buildDispatchStates()
        try resolveTarget()
        try buildStageDependencyGraph()
        try validateCircularDependency()
        if states.count == 1 { states[0].stageName = "" }
        let reachable = try resolveStages()
        var dispatcher = Dispatcher(resolver: self, reachable: reachable)
        try dispatcher.dispatchStages()
        return makeGraph(reachable: reachable, progress: dispatcher.progress)
    }

    // MARK: Global scope

    /// `defaultArgs` then `buildMetaArgs`: the automatic platform args (a `--build-arg` of the
    /// same name overrides them), then each meta ARG: its `--build-arg` value, else its default
    /// expanded with the args so far, else it stays unset.
    mutating func buildGlobalArgs() throws(DockerfileError) {
        let platform = PlatformSpec(options.platform)
        // One platform serves as both build and target platform here.
        let automatic: [(String, String)] = [
            ("BUILDPLATFORM", platform.formatted), ("BUILDOS", platform.os),
            ("BUILDARCH", platform.architecture), ("BUILDVARIANT", platform.variant),
            ("TARGETPLATFORM", platform.formatted), ("TARGETOS", platform.os),
            ("TARGETARCH", platform.architecture), ("TARGETVARIANT", platform.variant),
        ]
        globalArgs = automatic.map { ($0.0, buildArgValues[$0.0] ?? $0.1) }
        for (_, arg) in metaArgs {
            for declaration in arg.args {
                let value: String
                if let given = buildArgValues[declaration.name] {
                    value = given
                } else if let defaultValue = declaration.defaultValue {
                    value = try expand(defaultValue, env: globalArgs)
                } else {
                    continue
                }
                Self.addOrReplace(&globalArgs, declaration.name, value)
            }
        }
    }

    static func addOrReplace(_ env: inout [(String, String)], _ key: String, _ value: String) {
        if let index = env.firstIndex(where: { $0.0 == key }) {
            env[index].1 = value
        } else {
            env.append((key, value))
        }
    }

    func expand(_ word: String, env: [(String, String)]) throws(DockerfileError) -> String {
        do {
            return try lex.processWord(word, env: env).result
        } catch {
            throw DockerfileError(message: error.message)
        }
    }

    // MARK: Stages

    /// `buildDispatchStates` and `addState`: each FROM's base name and `--platform` are expanded
    /// in the global scope; the base is an earlier stage when the expanded name equals an earlier
    /// stage's (lower-cased) name exactly.
    mutating func buildDispatchStates() throws(DockerfileError) {
        for (index, stage) in parsed.enumerated() {
            let baseName = try expand(stage.fromCommand.image, env: globalArgs)
            guard !baseName.isEmpty else {
                throw DockerfileError(message: "base name (\(stage.fromCommand.image)) should not be blank")
            }
            var platform: String?
            if let written = stage.fromCommand.platform, !written.isEmpty {
                let expanded: String
                do {
                    expanded = try lex.processWord(written, env: globalArgs).result
                } catch {
                    throw DockerfileError(message:
                        "failed to process arguments for platform : \(error.message)")
                }
                guard !expanded.isEmpty else {
                    throw DockerfileError(message: "empty platform value from expression \(written)")
                }
                platform = expanded
            }
            var state = DispatchState(
                stageIndex: index,
                stageName: stage.fromCommand.stageName ?? "stage-\(index)",
                baseName: baseName,
                platform: platform)
            state.base = statesByName[baseName]
            states.append(state)
            if let name = stage.fromCommand.stageName {
                statesByName[name.goLowercased] = states.count - 1
            }
        }
    }

    /// `resolveTarget`: the last stage, or the stage named by `--target` (case-insensitive);
    /// an unknown name fails with a "did you mean" suggestion among the stage names.
    mutating func resolveTarget() throws(DockerfileError) {
        guard let name = options.target, !name.isEmpty else {
            target = states.count - 1
            return
        }
        guard let found = statesByName[name.goLowercased] else {
            let names = states.map(\.stageName).filter { !$0.isEmpty }
            throw DockerfileError(message: suggesting(
                "target stage \(name.goQuoted) could not be found", for: name, among: names, caseSensitive: true))
        }
        target = found
    }

    // MARK: Dependencies

    /// `buildStageDependencyGraph`: every command of every stage is turned into its sources.
    mutating func buildStageDependencyGraph() throws(DockerfileError) {
        for stateIndex in 0..<parsed.count {
            var perCommand: [[Int]] = []
            for command in parsed[stateIndex].commands {
                let sources = try sources(of: command)
                for source in sources { states[stateIndex].addDependency(source) }
                perCommand.append(sources)
            }
            states[stateIndex].commandSources = perCommand
        }
    }

    /// `toCommand` and `detectRunMount`: the states a command reads, adding an unregistered
    /// state for every name that is neither a stage nor an index.
    mutating func sources(of command: Command) throws(DockerfileError) -> [Int] {
        switch command {
        case .copy(let copy):
            guard let from = copy.from, !from.isEmpty else { return [] }
            // Expanded with an empty env: any `$`, quote or escape changes the text.
            let expanded = try expand(from, env: [])
            guard expanded == from else {
                throw DockerfileError(message:
                    "variable expansion is not supported for --from, define a new stage with FROM using ARG from global scope as a workaround")
            }
            if let index = goAtoi(from) {
                guard index >= 0, index < states.count else {
                    throw DockerfileError(message: "invalid stage index \(index)")
                }
                return [index]
            }
            return [stateNamed(from)]
        case .run(let run):
            var sources: [Int] = []
            for mount in run.mounts {
                var from = mount.from ?? ""
                if from.isEmpty, mount.type == "cache" { from = "scratch" }
                if from.isEmpty || mount.type == "tmpfs" { continue }
                sources.append(stateNamed(from))
            }
            return sources
        default:
            return []
        }
    }

    /// `findStateByName`, else a new unregistered state whose base is the name as an image.
    mutating func stateNamed(_ name: String) -> Int {
        if let found = statesByName[name.goLowercased] { return found }
        var state = DispatchState(stageIndex: nil, stageName: "", baseName: name)
        state.base = statesByName[name]
        states.append(state)
        return states.count - 1
    }

    /// `validateCircularDependency`: a depth-first walk over dependency edges (not FROM, which
    /// only sees earlier stages) from each state in order; the error names the state the walk
    /// started from.
    func validateCircularDependency() throws(DockerfileError) {
        var visited = [Bool](repeating: false, count: states.count)
        var onPath = [Bool](repeating: false, count: states.count)
        for root in states.indices where !visited[root] {
            // Iterative DFS: (state, next dependency position).
            var stack: [(Int, Int)] = [(root, 0)]
            visited[root] = true
            onPath[root] = true
            while let (state, position) = stack.last {
                let deps = states[state].deps
                guard position < deps.count else {
                    onPath[state] = false
                    stack.removeLast()
                    continue
                }
                stack[stack.count - 1].1 += 1
                let dep = deps[position]
                if onPath[dep] {
                    throw DockerfileError(message:
                        "circular dependency detected on stage: \(states[root].stageName)")
                }
                if !visited[dep] {
                    visited[dep] = true
                    onPath[dep] = true
                    stack.append((dep, 0))
                }
            }
        }
    }

    // MARK: Reachability and ONBUILD

    /// `allReachableStages`: the target's closure over FROM and dependency edges.
    func reachableStates() -> Set<Int> {
        var seen: Set<Int> = [target]
        var pending = [target]
        while let state = pending.popLast() {
            var next = states[state].deps
            if let base = states[state].base { next.append(base) }
            for candidate in next where seen.insert(candidate).inserted {
                pending.append(candidate)
            }
        }
        return seen
    }

    /// `resolveStages`: resolve base images (here: check and normalize their names, which
    /// BuildKit does for every state, built or not), then give each built stage whose base is a
    /// stage that stage's ONBUILD triggers; a trigger that reads another stage or image adds an
    /// edge, so the closure is computed again until nothing new appears.
    mutating func resolveStages() throws(DockerfileError) -> Set<Int> {
        while true {
            let reachable = reachableStates()
            for index in states.indices where states[index].base == nil && !states[index].resolved {
                states[index].resolved = true
                guard !states[index].isScratch else { continue }
                switch ImageReference.normalize(states[index].baseName) {
                case .success(let normalized):
                    states[index].normalizedImage = normalized
                case .failure(let failure):
                    throw DockerfileError(message:
                        "failed to parse stage name \(states[index].baseName.goQuoted): \(failure.message)")
                }
            }
            var newDependencies = false
            for state in reachable.sorted() {
                guard let base = states[state].base, !states[state].onbuildInitialized else { continue }
                states[state].onbuildInitialized = true
                if try initOnBuildTriggers(state: state, base: base) { newDependencies = true }
            }
            if !newDependencies { return reachable }
        }
    }

    /// `initOnBuildTriggers`: each ONBUILD of the base stage is parsed again from its text, as a
    /// Dockerfile of its own, and placed at the FROM line of the stage that runs it.
    mutating func initOnBuildTriggers(state: Int, base: Int) throws(DockerfileError) -> Bool {
        guard let baseStage = states[base].stageIndex, let stageIndex = states[state].stageIndex else {
            return false
        }
        let fromLine = parsed[stageIndex].from.startLine
        var hasNewDependencies = false
        for command in parsed[baseStage].commands {
            guard case .onbuild(let onbuild) = command else { continue }
            let reparsed = try Dockerfile.parse(onbuild.expression)
            guard reparsed.instructions.count == 1 else {
                throw DockerfileError(message: "onbuild trigger should be a single expression")
            }
            var instruction = reparsed.instructions[0]
            let lineCount = instruction.endLine - instruction.startLine
            instruction.startLine = fromLine
            instruction.endLine = fromLine + lineCount
            let typed: Command
            do {
                typed = try instruction.command()
            } catch {
                throw DockerfileError(line: fromLine, message: error.message)
            }
            let sources = try sources(of: typed)
            if !sources.isEmpty { hasNewDependencies = true }
            for source in sources { states[state].addDependency(source) }
            states[state].triggers.append(Trigger(instruction: instruction, command: typed, sources: sources))
        }
        return hasNewDependencies
    }

    // MARK: Result

    /// What a state is, seen from a stage that reads it.
    func reference(to state: Int) -> StageReference {
        if let stage = states[state].stageIndex { return .stage(stage) }
        if states[state].isScratch { return .scratch }
        return .image(states[state].normalizedImage ?? states[state].baseName)
    }

    func makeGraph(reachable: Set<Int>, progress: [Int: [String]]) -> StageGraph {
        var stages: [Stage] = []
        for (index, stage) in parsed.enumerated() {
            let state = states[index]
            let base: StageReference
            if let baseState = state.base {
                base = reference(to: baseState)
            } else if state.isScratch {
                base = .scratch
            } else {
                base = .image(state.normalizedImage ?? state.baseName)
            }
            let fromLine = stage.from.startLine
            var dependencies: [Dependency] = []
            for trigger in state.triggers {
                let kind: Dependency.Kind = trigger.command.copy != nil ? .onbuildCopyFrom : .onbuildRunMount
                for source in trigger.sources {
                    dependencies.append(Dependency(source: reference(to: source), kind: kind, line: fromLine))
                }
            }
            for (position, sources) in state.commandSources.enumerated() {
                let command = stage.commands[position]
                let kind: Dependency.Kind = command.copy != nil ? .copyFrom : .runMount
                for source in sources {
                    dependencies.append(Dependency(
                        source: reference(to: source), kind: kind, line: stage.instructions[position].startLine))
                }
            }
            stages.append(Stage(
                index: index,
                name: stage.fromCommand.stageName,
                displayName: stage.fromCommand.stageName ?? "stage-\(index)",
                baseName: state.baseName,
                base: base,
                platform: state.platform,
                dependencies: dependencies,
                commands: stage.commands,
                instructions: stage.instructions,
                fromInstruction: stage.from,
                startLine: fromLine,
                progress: progress[index] ?? []))
        }

        let reachableStages = reachable.compactMap { states[$0].stageIndex }.sorted()
        var images: Set<String> = []
        for index in reachableStages {
            if case .image(let image) = stages[index].base { images.insert(image) }
            for dependency in stages[index].dependencies {
                if case .image(let image) = dependency.source { images.insert(image) }
            }
        }
        // Image vertices BuildKit names `FROM <image>` for images read by dependencies; the
        // solver merges identical ones, so each appears once.
        var imageProgress: [String] = []
        for index in states.indices where states[index].stageIndex == nil && reachable.contains(index) {
            guard let image = states[index].normalizedImage else { continue }
            let label = "FROM " + image
            if !imageProgress.contains(label) { imageProgress.append(label) }
        }
        let legacyTarget = Self.legacyTargetIndex(parsed, target: options.target) ?? target
        return StageGraph(
            stages: stages,
            target: target,
            reachable: reachableStages,
            legacyStages: Array(0...legacyTarget),
            externalImages: images.sorted { $0.goLess($1) },
            metaArgs: metaArgs.map(\.instruction),
            imageProgress: imageProgress)
    }

    /// moby's `instructions.HasStage`: the first stage whose name equals the target ignoring
    /// case; the last stage when there is no target; nil when no stage has that name.
    static func legacyTargetIndex(_ stages: [ParsedStage], target: String?) -> Int? {
        guard let target, !target.isEmpty else { return stages.isEmpty ? nil : stages.count - 1 }
        let wanted = target.goLowercased
        return stages.firstIndex { $0.fromCommand.stageName.map { $0.goLowercased == wanted } ?? false }
    }
}

/// Go's `strconv.Atoi`: an optional sign and decimal digits that fit an `Int`.
func goAtoi(_ text: String) -> Int? {
    var digits = Substring(text)
    var negative = false
    if let sign = digits.first, sign == "+" || sign == "-" {
        negative = sign == "-"
        digits = digits.dropFirst()
    }
    guard !digits.isEmpty, digits.allSatisfy({ $0.isASCII && $0.isNumber }) else { return nil }
    guard let magnitude = Int(digits) else { return nil }
    return negative ? -magnitude : magnitude
}
