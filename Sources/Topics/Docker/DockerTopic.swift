import DockerBuild
import SimKit
import WorkbenchKit

/// The Docker topic's state inside a session. The parser needs none yet; the build evaluator
/// (stage graph, layers, cache) will keep its context and images here.
struct DockerState: TopicState, Equatable {
    static let namespace = "docker"
    static func initial() -> DockerState { DockerState() }
}

/// The `docker` topic: Dockerfiles parsed as BuildKit's frontend parses them.
public enum DockerTopic {
    public static var module: TopicModule {
        TopicModule(namespace: "docker", lessonTopic: "docker", title: "Docker", stateType: DockerState.self,
                    commands: DockerCommands.all, handle: handle)
    }

    static func handle(_ event: ScheduledEvent, _ session: Session) throws -> StepReport {
        throw WorkbenchError.failed(what: "step", why: "docker has no event called `\(event.kind)`", fix: nil)
    }
}

enum DockerCommands {
    static var all: [CommandSpec] { [parse] }

    static let parse = CommandSpec(
        ["docker", "parse"], abstract: "Parse a Dockerfile as BuildKit's frontend does: directives, instructions, flags, arguments, heredocs, lines.",
        discussion: "Parser directives (# syntax, # escape, # check) count only at the very top; the escape character joins continued lines (an escaped escape does not continue); comments and empty continuation lines are dropped; RUN/COPY/ADD heredocs (<<EOF, <<-EOF, quoted delimiters) are kept with their content; JSON (exec) form is recognised and invalid JSON falls back to shell form. `--dump` prints BuildKit's own parser dump (the format of its testfiles). Variables are not expanded here: BuildKit expands them when it builds.",
        parameters: [.required("file", .file, "Path of the Dockerfile.")],
        flags: [.toggle("--dump", "Print BuildKit's parser dump, one line per instruction.")],
        effect: .readOnly, examples: ["docker parse Dockerfile", "docker parse Dockerfile --json", "docker parse Dockerfile --dump"]
    ) { inv, session in
        let path = inv.text("file") ?? "Dockerfile"
        let text = try session.host.readFile(path)
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
