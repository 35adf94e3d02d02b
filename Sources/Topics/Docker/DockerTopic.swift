import DockerBuild
import SimKit
import WorkbenchKit

/// The Docker topic's state inside a session. The parser needs none yet; the build evaluator
/// (stage graph, layers, cache) will keep its context and images here.
struct DockerState: TopicState, Equatable {
    static let namespace = "docker"
    static func initial() -> DockerState { DockerState() }
    /// The build context (`docker context add`), the cache of earlier builds, the last result.
    var context = BuildContext()
    /// Dockerfiles written in the session (`docker dockerfile NAME LINE…`), sorted by name; a
    /// command's FILE names one of these first, else a file on the learner's machine.
    var dockerfiles: [NamedDockerfile] = []
    var cache = BuildCache(keys: [])
    var lastBuild: BuildResult?
    /// What unmodelled programs write (`docker declare`), in the order declared.
    var declared: [DeclaredEffect] = []
}

struct NamedDockerfile: Codable, Equatable, Sendable {
    var name: String
    var text: String
}

/// The `docker` topic: Dockerfiles parsed as BuildKit's frontend parses them.
public enum DockerTopic {
    public static var module: TopicModule {
        TopicModule(namespace: "docker", lessonTopic: "docker", title: "Docker", stateType: DockerState.self,
                    commands: DockerCommands.all + DockerBuildCommands.all, handle: handle)
    }

    static func handle(_ event: ScheduledEvent, _ session: Session) throws -> StepReport {
        throw WorkbenchError.failed(what: "step", why: "docker has no event called `\(event.kind)`", fix: nil)
    }
}

enum DockerCommands {
    static var all: [CommandSpec] { [dockerfile, parse, stages] }

    /// The text of FILE: a Dockerfile written in the session, else the learner's file.
    static func text(_ name: String, _ session: Session) throws -> String {
        if let file = session.topic(DockerState.self).dockerfiles.first(where: { $0.name == name }) { return file.text }
        return try session.host.readFile(name)
    }

    static let dockerfileNames: LiveNames = { session in session.topic(DockerState.self).dockerfiles.map(\.name) }

    static let dockerfile = CommandSpec(
        ["docker", "dockerfile"], abstract: "Write a Dockerfile inside the session, one quoted argument per line (or show one).",
        discussion: "`docker dockerfile Dockerfile \"FROM alpine\" \"RUN echo hi\"` replaces it; with only a name it prints it. Commands that take a FILE look here first, then on your disk.",
        parameters: [.required("name", .text, "Its name, e.g. Dockerfile.", completions: dockerfileNames), .rest("lines", "Its lines, each quoted.", optional: true)],
        effect: .mutating, examples: ["docker dockerfile Dockerfile \"FROM alpine:latest\" \"RUN apk add --no-cache curl\"", "docker dockerfile Dockerfile"]
    ) { inv, session in
        let name = inv.text("name") ?? "Dockerfile"
        let lines = Array(inv.tokens.dropFirst()).filter { !(!$0.quoted && $0.text.hasPrefix("--")) }.map(\.text)
        if lines.isEmpty {
            let text = try Self.text(name, session)
            return .text(text.split(separator: "\n", omittingEmptySubsequences: false).enumerated()
                .map { String(format: "%3d  ", $0.offset + 1) + $0.element }.joined(separator: "\n"), value: .string(text))
        }
        let text = lines.joined(separator: "\n") + "\n"
        try session.updateTopic(DockerState.self) { state in
            state.dockerfiles.removeAll { $0.name == name }
            state.dockerfiles.append(NamedDockerfile(name: name, text: text))
            state.dockerfiles.sort { $0.name < $1.name }
        }
        return .text("\(name): \(lines.count) lines", value: .string(text))
    }

    static let stages = CommandSpec(
        ["docker", "stages"], abstract: "The stage graph of a multi-stage Dockerfile: what BuildKit builds for a target, in what order, and what it skips.",
        discussion: "Stages are named by AS (case-insensitive) or stage-N; edges come from FROM <stage>, COPY --from (a name, an index, or else an image) and RUN --mount from=. BuildKit builds only the stages the target needs, independent ones in parallel (each level below); the legacy builder builds every stage up to the target, numbering Step N/M. Global ARGs before the first FROM, with --build-arg overrides, expand only in FROM lines. --dot prints the graph for Graphviz.",
        parameters: [.required("file", .file, "Path of the Dockerfile.")],
        flags: [.option("--target", .text, "The stage to build (default: the last)."),
                .option("--build-arg", .text, "Build arguments, comma-separated: VERSION=1.22,BASE=alpine."),
                .toggle("--legacy", "Show the legacy builder's Step N/M instead of BuildKit's progress."),
                .toggle("--dot", "Print the graph as Graphviz DOT.")],
        effect: .readOnly, examples: ["docker stages Dockerfile", "docker stages Dockerfile --target builder", "docker stages Dockerfile --legacy", "docker stages Dockerfile --dot"]
    ) { inv, session in
        let path = inv.text("file") ?? "Dockerfile"
        let text = try Self.text(path, session)
        let options = BuildOptions(target: inv.text("target"), buildArgs: try buildArgs(inv))
        let graph: StageGraph
        do throws(DockerfileError) {
            graph = try StageGraph.build(try Dockerfile.parse(text), options: options)
        } catch {
            throw WorkbenchError.failed(what: "docker stages \(path)", why: error.line == nil ? error.message : error.description,
                                        fix: error.message.contains("target stage") ? "`docker stages \(path)` lists the stages" : nil)
        }
        if inv.has("--dot") { return .text(graph.dot, value: .string(graph.dot)) }
        return Output(DockerViews.graphValue(graph)) { style in DockerViews.drawGraph(graph, legacy: inv.has("--legacy"), style: style) }
    }

    /// `--build-arg NAME=VALUE,NAME2=VALUE2` as ordered pairs.
    static func buildArgs(_ inv: Invocation) throws -> [(String, String)] {
        try (inv.text("build-arg") ?? "").split(separator: ",").map { pair in
            guard let eq = pair.firstIndex(of: "=") else {
                throw WorkbenchError.usage(command: inv.spec.name, problem: "--build-arg wants NAME=VALUE pairs, got `\(pair)`", usage: inv.spec.usage)
            }
            return (String(pair[..<eq]), String(pair[pair.index(after: eq)...]))
        }
    }

    static let parse = CommandSpec(
        ["docker", "parse"], abstract: "Parse a Dockerfile as BuildKit's frontend does: directives, instructions, flags, arguments, heredocs, lines.",
        discussion: "Parser directives (# syntax, # escape, # check) count only at the very top; the escape character joins continued lines (an escaped escape does not continue); comments and empty continuation lines are dropped; RUN/COPY/ADD heredocs (<<EOF, <<-EOF, quoted delimiters) are kept with their content; JSON (exec) form is recognised and invalid JSON falls back to shell form. `--dump` prints BuildKit's own parser dump (the format of its testfiles). Variables are not expanded here: BuildKit expands them when it builds.",
        parameters: [.required("file", .file, "Path of the Dockerfile.")],
        flags: [.toggle("--dump", "Print BuildKit's parser dump, one line per instruction.")],
        effect: .readOnly, examples: ["docker parse Dockerfile", "docker parse Dockerfile --json", "docker parse Dockerfile --dump"]
    ) { inv, session in
        let path = inv.text("file") ?? "Dockerfile"
        let text = try Self.text(path, session)
        // The parser layer, then the instruction layer (unknown instructions and flags, ENV
        // without a name…): BuildKit reports the first error of either with its line.
        let file: Dockerfile
        do throws(DockerfileError) {
            file = try Dockerfile.parse(text)
            _ = try file.commands()
        } catch {
            throw WorkbenchError.failed(what: "docker parse \(path)", why: error.description, fix: nil)
        }
        if inv.has("--dump") {
            let dump = String(file.dump.reversed().drop { $0 == "\n" }.reversed())
            return .text(dump, value: .string(dump))
        }
        return Output(DockerViews.fileValue(file)) { style in DockerViews.drawFile(file, style: style) }
    }
}

/// Values (for --json and expect) and drawings of a parsed Dockerfile.
enum DockerViews {
    static func instructionValue(_ i: Instruction) -> Value {
        var pairs: [(String, Value)] = [
            ("keyword", .string(i.keyword.uppercased())), ("flags", .array(i.flags.map(Value.string))),
            ("arguments", .array(i.arguments.map(Value.string))), ("json", .bool(i.isJSON)),
            ("heredocs", .array(i.heredocs.map { h in
                .object([("name", .string(h.name)), ("content", .string(h.content)), ("expand", .bool(h.expand)),
                         ("chomp", .bool(h.chomp)), ("fd", Value(h.fileDescriptor))])
            })),
            ("startLine", Value(i.startLine)), ("endLine", Value(i.endLine)), ("original", .string(i.original)),
        ]
        if let nested = i.onbuild { pairs.append(("onbuild", instructionValue(nested))) }
        return .object(pairs)
    }

    static func referenceText(_ r: StageReference, _ g: StageGraph) -> String {
        switch r {
        case let .stage(i): g.stages[i].displayName
        case let .image(name): name
        case .scratch: "scratch"
        }
    }

    static func graphValue(_ g: StageGraph) -> Value {
        .object([
            ("target", .string(g.stages[g.target].displayName)),
            ("stages", .array(g.stages.map { s in
                .object([("index", Value(s.index)), ("name", .string(s.displayName)), ("base", .string(referenceText(s.base, g))),
                         ("built", .bool(g.reachable.contains(s.index))), ("legacyBuilt", .bool(g.legacyStages.contains(s.index))),
                         ("line", Value(s.startLine)),
                         ("dependencies", .array(s.dependencies.map { d in
                             .object([("source", .string(referenceText(d.source, g))), ("kind", .string(d.kind.rawValue)), ("line", Value(d.line))])
                         }))])
            })),
            ("levels", .array(g.levels().map { .array($0.map { .string(g.stages[$0].displayName) }) })),
            ("images", .array(g.externalImages.map(Value.string))),
            ("buildkit", .array(g.buildkitProgress().map(Value.string))),
            ("legacy", .array(g.legacySteps().map(Value.string))),
        ])
    }

    /// The stages as a list with their edges (✓ built, · skipped by BuildKit), the parallel
    /// levels, then the progress lines of the chosen builder.
    static func drawGraph(_ g: StageGraph, legacy: Bool, style: Style) -> String {
        var lines = ["target: " + style.bold(g.stages[g.target].displayName)]
        for s in g.stages {
            let built = g.reachable.contains(s.index)
            let mark = built ? style.green("✓") : style.dim("·")
            var edges = ["FROM " + referenceText(s.base, g)]
            edges += s.dependencies.map { "\($0.kind.rawValue) \(referenceText($0.source, g))" }
            let name = built ? style.bold(s.displayName) : style.dim(s.displayName)
            lines.append("\(mark) \(name)  " + style.dim("(line \(s.startLine))") + "  ← " + edges.joined(separator: ", ")
                         + (built ? "" : style.dim("  — skipped by BuildKit" + (g.legacyStages.contains(s.index) ? ", built by the legacy builder" : ""))))
        }
        let levels = g.levels()
        if !levels.isEmpty {
            lines.append("")
            lines.append(style.bold("build order (stages on one line can build in parallel)"))
            for (i, level) in levels.enumerated() { lines.append("  \(i + 1). " + level.map { g.stages[$0].displayName }.joined(separator: "  ‖  ")) }
        }
        lines.append("")
        if legacy {
            lines.append(style.bold("legacy builder"))
            lines += g.legacySteps()
        } else {
            lines.append(style.bold("BuildKit"))
            lines += g.buildkitProgress().map { " => " + $0 }
        }
        return lines.joined(separator: "\n")
    }

    static func fileValue(_ f: Dockerfile) -> Value {
        .object([("escape", .string(String(f.escape))),
                 ("directives", .array(f.directives.map { .object([("name", .string($0.name)), ("value", .string($0.value)), ("line", Value($0.line))]) })),
                 ("instructions", .array(f.instructions.map(instructionValue))),
                 ("warnings", .array(f.warnings.map(Value.string)))])
    }

    static func drawFile(_ f: Dockerfile, style: Style) -> String {
        var lines: [String] = []
        for d in f.directives { lines.append(style.dim("directive (line \(d.line)): \(d.name)=\(d.value)")) }
        let rows = f.instructions.map { i -> [String] in
            let span = i.startLine == i.endLine ? "\(i.startLine)" : "\(i.startLine)-\(i.endLine)"
            var args = i.arguments.map { i.isJSON ? "\"\($0)\"" : $0 }.joined(separator: i.isJSON ? ", " : " ")
            if i.isJSON { args = "[" + args + "]  (exec form)" }
            if let nested = i.onbuild { args = nested.keyword.uppercased() + " " + nested.arguments.joined(separator: " ") }
            return [span, style.bold(i.keyword.uppercased()), i.flags.joined(separator: " "), args]
        }
        lines.append(Table(headers: ["line", "instruction", "flags", "arguments"], rows: rows).render(style: style))
        for i in f.instructions {
            for h in i.heredocs {
                lines.append("")
                lines.append(style.dim("heredoc <<\(h.chomp ? "-" : "")\(h.name) of line \(i.startLine)\(h.expand ? "" : " (quoted: no expansion)"):"))
                lines.append(h.content.split(separator: "\n", omittingEmptySubsequences: false).map { "  │ " + $0 }.joined(separator: "\n"))
            }
        }
        for w in f.warnings { lines.append(style.yellow("warning: ") + w) }
        return lines.joined(separator: "\n")
    }
}
