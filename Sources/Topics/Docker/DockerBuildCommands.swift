import DockerBuild
import WorkbenchKit

/// The build context, `docker build` and the views of its result: BuildKit-style progress with
/// CACHED marks, `docker history`, the final image's files, and what multi-stage saved.
enum DockerBuildCommands {
    static var all: [CommandSpec] { [contextAdd, contextLoad, contextRemove, contextList, declare, build, result, history, files, size] }

    static let declare = CommandSpec(
        ["docker", "declare"], abstract: "Say what a program the model does not know writes when RUN calls it (e.g. make).",
        discussion: "RUN executes nothing here. Common commands are modelled; for any other, declare its effect so the layer and the final image hold it. Like a real builder, the cache keys RUN by its text: declaring an effect later does not invalidate a cached step (use --no-cache).",
        parameters: [.required("command", .text, "The program as RUN calls it, e.g. make or ./build.sh.")],
        flags: [.option("--writes", .text, "The file it writes (relative to WORKDIR)."), .option("--size", .integer(0...Int64(Int32.max)), "Its size in bytes.")],
        effect: .mutating, examples: ["docker declare make --writes build/app --size 5000000"]
    ) { inv, session in
        let command = inv.text("command") ?? ""
        guard let path = inv.text("writes"), let size = inv.int("size") else {
            throw WorkbenchError.usage(command: inv.spec.name, problem: "needs --writes PATH and --size N", usage: inv.spec.usage)
        }
        try session.updateTopic(DockerState.self) { $0.declared.append(DeclaredEffect(command: command, path: path, size: size)) }
        return .text("RUN \(command) … now writes \(path) (\(DockerViews.bytes(size)))")
    }

    static let contextLoad = CommandSpec(
        ["docker", "context", "load"], abstract: "Make a folder on your disk the build context (as `docker build DIR` sends it).",
        discussion: "Every file below it (not .git) replaces the context. Files up to 1 MB are read, so their content defines their checksum; larger ones count by size. At most 10,000 files.",
        parameters: [.required("folder", .file, "The folder, e.g. . or ./app.")],
        effect: .mutating, examples: ["docker context load .", "docker context load ./href-counter"]
    ) { inv, session in
        let folder = inv.text("folder") ?? "."
        let listed = try session.host.listFiles(under: folder, limit: 10_000)
        var files: [ContextFile] = []
        for (path, size) in listed {
            let full = folder == "." ? path : (folder.hasSuffix("/") ? folder : folder + "/") + path
            let content = size <= 1_000_000 ? try session.host.readFile(full) : nil
            files.append(ContextFile(path: path, size: size, content: content))
        }
        try session.updateTopic(DockerState.self) { $0.context = BuildContext(files: files) }
        let total = files.reduce(0) { $0 + $1.size }
        return .text("context: \(files.count) files from \(folder) (\(DockerViews.bytes(total)))", value: .int(Int64(files.count)))
    }

    static let result = CommandSpec(
        ["docker", "result"], abstract: "The last build again: each step, CACHED or not, with its layer size (read-only, for `expect`).",
        effect: .readOnly, examples: ["docker result", "expect docker result .cachedSteps == 9"]
    ) { _, session in
        let result = try lastBuild(session)
        return Output(DockerViews.buildValue(result)) { style in DockerViews.drawBuild(result, style: style) }
    }

    static let contextAdd = CommandSpec(
        ["docker", "context", "add"], abstract: "Put a file into the build context (the directory `docker build .` sends).",
        discussion: "Give its content (which defines its checksum, so changing it invalidates COPY's cache; `\\n` in it is a line break) or just --size for a large file.",
        parameters: [.required("path", .text, "Path in the context, e.g. app.go or src/main.go."), .optional("content", .text, "The file's text.")],
        flags: [.option("--size", .integer(0...Int64(Int32.max)), "Size in bytes (default: the content's length).")],
        effect: .mutating, examples: ["docker context add app.go \"package main\"", "docker context add model.bin --size 50000000"]
    ) { inv, session in
        var path = inv.text("path") ?? ""
        while path.hasPrefix("./") { path.removeFirst(2) }
        guard !path.isEmpty, !path.hasPrefix("/"), !path.split(separator: "/").contains("..") else {
            throw WorkbenchError.failed(what: inv.spec.name, why: "`\(path)` is not a path inside the context", fix: "use a relative path like src/app.go")
        }
        // `\n` in the quoted content is a line break, so go.mod or package.json can have lines.
        let content = inv.text("content")?.replacingOccurrences(of: "\\n", with: "\n")
        let size = inv.int("size") ?? content?.utf8.count ?? 0
        try session.updateTopic(DockerState.self) { state in
            state.context.files.removeAll { $0.path == path }
            state.context.files.append(ContextFile(path: path, size: size, content: content))
            state.context.files.sort { $0.path < $1.path }
        }
        return .text("context: \(path) (\(DockerViews.bytes(size)))")
    }

    static let contextRemove = CommandSpec(
        ["docker", "context", "rm"], abstract: "Remove a file from the build context.",
        parameters: [.required("path", .text, "Path in the context.", completions: contextPaths)],
        effect: .mutating, examples: ["docker context rm app.go"]
    ) { inv, session in
        let path = inv.text("path") ?? ""
        guard session.topic(DockerState.self).context.files.contains(where: { $0.path == path }) else {
            throw WorkbenchError.failed(what: inv.spec.name, why: "the context has no `\(path)`", fix: "`docker context` lists it")
        }
        try session.updateTopic(DockerState.self) { $0.context.files.removeAll { $0.path == path } }
        return .text("context: \(path) removed")
    }

    static let contextPaths: LiveNames = { session in session.topic(DockerState.self).context.files.map(\.path) }

    static let contextList = CommandSpec(
        ["docker", "context"], abstract: "The files of the build context.", effect: .readOnly, examples: ["docker context"]
    ) { _, session in
        let files = session.topic(DockerState.self).context.files
        let value = Value.array(files.map { .object([("path", .string($0.path)), ("size", .int(Int64($0.size)))]) })
        return Output(value) { style in
            files.isEmpty ? "the context is empty: `docker context add PATH CONTENT`"
                : Table(headers: ["path", "size"], rows: files.map { [$0.path, DockerViews.bytes($0.size)] }).render(style: style)
        }
    }

    static let build = CommandSpec(
        ["docker", "build"], abstract: "Evaluate a build in-process: each step's layer and size, what comes from cache, the final image.",
        discussion: "No engine runs: RUN is modelled for common commands (mkdir, echo > file, cp, mv, rm, touch, go build/get, apk add, apt-get install, npm install, pip install) as file-system effects with plausible sizes; anything else is an opaque layer. A second build reuses the cache of the first: a changed context file invalidates the COPY that reads it and every later step of that stage.",
        parameters: [.required("file", .file, "Path of the Dockerfile.")],
        flags: [.option("--target", .text, "Stage to build."), .option("--build-arg", .text, "NAME=VALUE pairs, comma-separated."),
                .toggle("--no-cache", "Ignore the cache of earlier builds.")],
        effect: .mutating, examples: ["docker build Dockerfile", "docker build Dockerfile --target builder", "docker build Dockerfile --no-cache"]
    ) { inv, session in
        let path = inv.text("file") ?? "Dockerfile"
        let text = try DockerCommands.text(path, session)
        let args = try DockerCommands.buildArgs(inv)
        let state = session.topic(DockerState.self)
        let result: BuildResult
        do throws(DockerfileError) {
            let graph = try StageGraph.build(try Dockerfile.parse(text), options: BuildOptions(target: inv.text("target"), buildArgs: args))
            result = try Builder.evaluate(graph, context: state.context, previous: inv.has("--no-cache") ? nil : state.cache, buildArgs: args,
                                          declared: state.declared)
        } catch {
            throw WorkbenchError.failed(what: "docker build \(path)", why: error.line == nil ? error.message : error.description, fix: nil)
        }
        try session.updateTopic(DockerState.self) { state in
            state.cache = result.cache
            state.lastBuild = result
        }
        return Output(DockerViews.buildValue(result)) { style in DockerViews.drawBuild(result, style: style) }
    }

    static let history = CommandSpec(
        ["docker", "history"], abstract: "The last build's final image as `docker history` shows it: newest layer first, with sizes.",
        effect: .readOnly, examples: ["docker history"]
    ) { _, session in
        let result = try lastBuild(session)
        return Output(.array(result.final.layers.reversed().map(DockerViews.layerValue))) { style in DockerViews.drawHistory(result.final, style: style) }
    }

    static let files = CommandSpec(
        ["docker", "files"], abstract: "The last build's final image: its files with sizes, as a tree.",
        parameters: [.optional("path", .text, "Only under this directory.")],
        effect: .readOnly, examples: ["docker files", "docker files /root"]
    ) { inv, session in
        let result = try lastBuild(session)
        let root = inv.text("path") ?? "/"
        let entries = result.final.files.filter { root == "/" || $0.path == root || $0.path.hasPrefix(root.hasSuffix("/") ? root : root + "/") }
        return Output(.array(entries.map { .object([("path", .string($0.path)), ("size", .int(Int64($0.size))), ("dir", .bool($0.isDirectory)), ("owner", .string($0.owner))]) })) { style in
            DockerViews.drawFiles(entries, style: style)
        }
    }

    static let size = CommandSpec(
        ["docker", "size"], abstract: "What multi-stage saved: the final image beside the image you would ship with a single stage.",
        effect: .readOnly, examples: ["docker size", "expect docker size .savedBytes > 0"]
    ) { _, session in
        let result = try lastBuild(session)
        let saved = result.singleStageBytes - result.final.totalBytes
        let value = Value.object([("finalBytes", .int(Int64(result.final.totalBytes))), ("singleStageBytes", .int(Int64(result.singleStageBytes))),
                                  ("savedBytes", .int(Int64(saved)))])
        return Output(value) { style in DockerViews.drawSize(result, style: style) }
    }

    static func lastBuild(_ session: Session) throws -> BuildResult {
        guard let result = session.topic(DockerState.self).lastBuild else {
            throw WorkbenchError.failed(what: "docker", why: "nothing has been built yet", fix: "`docker build Dockerfile`")
        }
        return result
    }
}
