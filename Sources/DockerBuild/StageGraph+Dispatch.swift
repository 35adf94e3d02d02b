// The dispatch walk: BuildKit's convert.go `dispatchStages` and `dispatch`, reduced to what the
// graph needs. Built stages are visited in file order; a COPY may only read a stage already
// visited, and each step that makes a vertex gets its progress label (`prefixCommand`).
//
// Nothing runs. The environment is tracked only to expand labels, from what the Dockerfile
// itself says: an image's own config (its ENV, WORKDIR) is not known, so an image base starts
// with the default PATH and the root directory, as BuildKit starts a config without them.

/// The PATH BuildKit adds when the image config has none (`system.DefaultPathEnv("linux")`).
let defaultPathEnv = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"

/// ARGs BuildKit never puts into the environment (`nonEnvArgs`).
private let nonEnvArgs: Set<String> = ["BUILDKIT_SBOM_SCAN_CONTEXT", "BUILDKIT_SBOM_SCAN_STAGE"]

struct Dispatcher {
    let resolver: GraphResolver
    let reachable: Set<Int>
    private var dispatched: Set<Int> = []
    private var finalEnv: [Int: [(String, String)]] = [:]
    private var finalWorkdir: [Int: String] = [:]
    /// Progress labels per stage index.
    private(set) var progress: [Int: [String]] = [:]

    init(resolver: GraphResolver, reachable: Set<Int>) {
        self.resolver = resolver
        self.reachable = reachable
    }

    mutating func dispatchStages() throws(DockerfileError) {
        for index in resolver.parsed.indices where reachable.contains(index) {
            try dispatch(stage: index)
        }
    }

    /// One step to dispatch: a trigger of the base stage or one of the stage's own commands.
    private struct Step {
        var instruction: Instruction
        var command: Command
        var sources: [Int]
        var isOnBuild: Bool
    }

    private mutating func dispatch(stage index: Int) throws(DockerfileError) {
        let state = resolver.states[index]
        let parsed = resolver.parsed[index]
        let lex = resolver.lex
        dispatched.insert(index)

        var env: [(String, String)]
        var workdir: String
        if let base = state.base, let baseEnv = finalEnv[base] {
            env = baseEnv
            workdir = finalWorkdir[base] ?? "/"
        } else {
            env = [("PATH", defaultPathEnv)]
            workdir = "/"
        }

        var steps = state.triggers.map {
            Step(instruction: $0.instruction, command: $0.command, sources: $0.sources, isOnBuild: true)
        }
        for (position, command) in parsed.commands.enumerated() {
            steps.append(Step(instruction: parsed.instructions[position], command: command,
                              sources: state.commandSources[position], isOnBuild: false))
        }

        // `cmdTotal`: the FROM of an image, every trigger, and each ADD/COPY/RUN/WORKDIR.
        let fromImage = state.base == nil && !state.isScratch
        var total = fromImage ? 1 : 0
        total += state.triggers.count
        for command in parsed.commands {
            switch command {
            case .add, .copy, .run, .workdir: total += 1
            default: break
            }
        }
        var counter = 0
        var labels: [String] = []
        func addLabel(_ text: String, onbuild: Bool) {
            counter += 1
            labels.append(ProgressLabel.prefix(
                stageName: state.stageName, index: counter, total: total, onbuild: onbuild) + text)
        }
        if fromImage {
            // BuildKit names the image vertex when it resolves the base, before any step.
            addLabel("FROM " + (state.normalizedImage ?? state.baseName), onbuild: false)
        }

        for step in steps {
            let text = step.instruction.original.goTrimmingSpace
            switch step.command {
            case .run(let run):
                var name = text
                if let heredoc = run.heredocs.first, case .shell(let line) = run.command,
                   (try? Heredoc.parse(word: line.scalars)).flatMap({ $0 }) != nil {
                    name += " (\(ProgressLabel.heredocSummary(heredoc.content)))"
                }
                addLabel(ProgressLabel.uppercaseCommand(ProgressLabel.expandRaw(name, env: env, lex: lex)),
                         onbuild: step.isOnBuild)
            case .copy(let copy):
                if let source = step.sources.first, let sourceStage = resolver.states[source].stageIndex,
                   !dispatched.contains(sourceStage) {
                    throw DockerfileError(message:
                        "cannot copy from stage \((copy.from ?? "").goQuoted), it needs to be defined before current stage \(state.stageName.goQuoted)")
                }
                addLabel(ProgressLabel.uppercaseCommand(ProgressLabel.expandPlain(text, env: env, lex: lex)),
                         onbuild: step.isOnBuild)
            case .add:
                addLabel(ProgressLabel.uppercaseCommand(ProgressLabel.expandPlain(text, env: env, lex: lex)),
                         onbuild: step.isOnBuild)
            case .workdir(let command):
                let path = (try? lex.processWord(command.path, env: env).result) ?? command.path
                workdir = Self.normalizeWorkdir(current: workdir, path: path)
                // `dispatchWorkdir` makes no vertex for `/`, yet the step was counted.
                if workdir != "/" {
                    addLabel(ProgressLabel.uppercaseCommand(ProgressLabel.expandPlain(text, env: env, lex: lex)),
                             onbuild: step.isOnBuild)
                }
            case .env(let command):
                // Every pair sees the environment from before the instruction.
                let before = env
                for pair in command.pairs {
                    let key = (try? lex.processWord(pair.key, env: before).result) ?? pair.key
                    let value = (try? lex.processWord(pair.value, env: before).result) ?? pair.value
                    GraphResolver.addOrReplace(&env, key, value)
                }
            case .arg(let command):
                dispatchArg(command, env: &env)
            default:
                break
            }
        }
        finalEnv[index] = env
        finalWorkdir[index] = workdir
        progress[index] = labels
    }

    /// `dispatchArg`: `--build-arg` wins; a declaration without a default takes the global
    /// value; a default is expanded with the stage's environment so far.
    private func dispatchArg(_ command: ArgCommand, env: inout [(String, String)]) {
        for declaration in command.args {
            let name = declaration.name
            var value: String?
            if let given = resolver.buildArgValues[name] {
                value = given
            } else if let defaultValue = declaration.defaultValue {
                value = (try? resolver.lex.processWord(defaultValue, env: env).result) ?? defaultValue
            } else {
                value = resolver.globalArgs.last(where: { $0.0 == name })?.1
            }
            if let value, !nonEnvArgs.contains(name) {
                GraphResolver.addOrReplace(&env, name, value)
            }
        }
    }

    /// `system.NormalizeWorkdir` on Linux: a relative path is joined to the current directory,
    /// and the result is cleaned.
    static func normalizeWorkdir(current: String, path: String) -> String {
        let joined = path.hasPrefix("/") ? path : (current.isEmpty ? "/" : current) + "/" + path
        var parts: [Substring] = []
        for part in joined.split(separator: "/") {
            switch part {
            case ".": continue
            case "..": if !parts.isEmpty { parts.removeLast() }
            default: parts.append(part)
            }
        }
        return "/" + parts.joined(separator: "/")
    }
}
