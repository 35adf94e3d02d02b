// Views of a stage graph: BuildKit's progress labels, the legacy builder's steps, parallel
// levels, and a Graphviz picture (docker-ecs.md §2).

extension StageGraph {
    /// BuildKit's progress labels for the build, stage by stage in file order
    /// (`[builder 1/5] FROM docker.io/library/golang:1.16`, `[stage-1 4/4] COPY --from=...`),
    /// then the `FROM <image>` vertices of images read by `COPY --from`/`RUN --mount`.
    ///
    /// - `n` counts an image FROM, each ADD/COPY/RUN/WORKDIR and each ONBUILD trigger; `i` is
    ///   right-aligned to the width of `n`. `WORKDIR /` is counted but makes no vertex.
    /// - The stage name is left out when BuildKit has a single state (one stage that reads no
    ///   other image).
    /// - FROM shows the normalized reference without `@sha256:...`: nothing is resolved here,
    ///   so no digest is known. Image configs are not known either, so a `$VAR` that only the
    ///   base image's ENV defines stays as written in a RUN label.
    /// - Real output is ordered by start time, with `[internal] ...` vertices around these.
    public func buildkitProgress() -> [String] {
        var labels: [String] = []
        for index in reachable { labels += stages[index].progress }
        return labels + imageProgress
    }

    /// The legacy builder's step lines, `Step N/M : <instruction as written>`: every meta ARG,
    /// then every FROM and instruction of the stages up to its target (moby builder.go:
    /// `len(metaArgs) + len(stages) + Σ len(stage.Commands)`).
    public func legacySteps() -> [String] {
        var texts = metaArgs.map(\.original)
        for index in legacyStages {
            texts.append(stages[index].fromInstruction.original)
            texts += stages[index].instructions.map(\.original)
        }
        let total = texts.count
        return texts.enumerated().map { "Step \($0.offset + 1)/\(total) : \($0.element.goTrimmingSpace)" }
    }

    /// The built stages grouped by depth: level 0 reads no other stage; a stage is one level
    /// deeper than the deepest stage it reads (its FROM stage, its `COPY --from` and
    /// `RUN --mount` stages). Stages of one level do not depend on each other, so BuildKit's
    /// solver can run them in parallel. A mount of a stage defined later is not counted: BuildKit
    /// hands that mount whatever the later stage holds at that point, not its finished result.
    public func levels() -> [[Int]] {
        var depth: [Int: Int] = [:]
        var groups: [[Int]] = []
        for index in reachable {
            var level = 0
            var readsStage: [Int] = []
            if case .stage(let base) = stages[index].base { readsStage.append(base) }
            for dependency in stages[index].dependencies {
                if case .stage(let source) = dependency.source, source < index { readsStage.append(source) }
            }
            for source in readsStage {
                if let sourceDepth = depth[source] { level = max(level, sourceDepth + 1) }
            }
            depth[index] = level
            while groups.count <= level { groups.append([]) }
            groups[level].append(index)
        }
        return groups
    }

    /// Graphviz DOT: stages as ellipses (the target doubled, stages BuildKit skips dashed and
    /// grey), external images as boxes, edges from what is read to the stage reading it,
    /// labelled `FROM`, `COPY --from`, `RUN --mount` or `ONBUILD ...`. Scratch is not drawn.
    public var dot: String {
        let built = Set(reachable)
        var lines = ["digraph stages {", "  rankdir=LR;", "  node [shape=ellipse];"]
        for stage in stages {
            var attributes = ["label=\(Self.dotQuoted(stage.displayName))"]
            if stage.index == target { attributes.append("peripheries=2") }
            if !built.contains(stage.index) { attributes += ["style=dashed", "color=grey", "fontcolor=grey"] }
            lines.append("  s\(stage.index) [\(attributes.joined(separator: ", "))];")
        }

        // Images, each with whether a built stage reads it.
        var imageBuilt: [String: Bool] = [:]
        for stage in stages {
            let isBuilt = built.contains(stage.index)
            var images: [String] = []
            if case .image(let image) = stage.base { images.append(image) }
            for dependency in stage.dependencies {
                if case .image(let image) = dependency.source { images.append(image) }
            }
            for image in images { imageBuilt[image] = (imageBuilt[image] ?? false) || isBuilt }
        }
        let images = imageBuilt.keys.sorted { $0.goLess($1) }
        var imageID: [String: String] = [:]
        for (position, image) in images.enumerated() {
            imageID[image] = "i\(position)"
            var attributes = ["label=\(Self.dotQuoted(image))", "shape=box"]
            if imageBuilt[image] != true { attributes += ["style=dashed", "color=grey", "fontcolor=grey"] }
            lines.append("  i\(position) [\(attributes.joined(separator: ", "))];")
        }

        var seen: Set<String> = []
        for stage in stages {
            var edges: [(String, String)] = []
            switch stage.base {
            case .stage(let base): edges.append(("s\(base)", "FROM"))
            case .image(let image): edges.append((imageID[image] ?? "", "FROM"))
            case .scratch: break
            }
            for dependency in stage.dependencies {
                switch dependency.source {
                case .stage(let source): edges.append(("s\(source)", dependency.kind.rawValue))
                case .image(let image): edges.append((imageID[image] ?? "", dependency.kind.rawValue))
                case .scratch: break
                }
            }
            for (from, label) in edges {
                let line = "  \(from) -> s\(stage.index) [label=\(Self.dotQuoted(label))"
                    + (built.contains(stage.index) ? "];" : ", style=dashed, color=grey];")
                if seen.insert(line).inserted { lines.append(line) }
            }
        }
        lines.append("}")
        return lines.joined(separator: "\n") + "\n"
    }

    /// A DOT string literal.
    static func dotQuoted(_ text: String) -> String {
        "\"" + text.replacingEvery("\\", with: "\\\\").replacingEvery("\"", with: "\\\"") + "\""
    }

    /// The stage the legacy builder (`DOCKER_BUILDKIT=0`) builds up to: the first stage whose
    /// name equals `--target` ignoring case, or the last stage.
    ///
    /// - Throws: the instruction layer's errors; for an unknown target moby's
    ///   `failed to reach build target <name> in Dockerfile`; with no stage and no target,
    ///   `No image was generated. Is your Dockerfile empty?`.
    public static func legacyTarget(_ file: Dockerfile, options: BuildOptions) throws(DockerfileError) -> Int {
        let (_, stages) = try GraphResolver.parseStages(file)
        if let index = GraphResolver.legacyTargetIndex(stages, target: options.target) { return index }
        if let target = options.target, !target.isEmpty {
            throw DockerfileError(message: "failed to reach build target \(target) in Dockerfile")
        }
        throw DockerfileError(message: "No image was generated. Is your Dockerfile empty?")
    }
}
