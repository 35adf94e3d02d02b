// The stage graph: which stages of a multi-stage Dockerfile a build evaluates, and in which
// order. It follows BuildKit's frontend/dockerfile/dockerfile2llb/convert.go (`toDispatchState`
// and the functions it calls) and, for the legacy builder, moby/moby builder/dockerfile/builder.go,
// as described in docker-ecs.md §1.7, §1.8 and §2.
//
// This file holds the public values. The construction lives in StageGraph+Resolve.swift, the
// dispatch walk (progress labels, the "defined before" check) in StageGraph+Dispatch.swift, and
// the derived views (progress, legacy steps, levels, DOT) in StageGraph+Views.swift.

/// The options of one `docker build` that decide the stage graph.
public struct BuildOptions: Equatable, Sendable {
    /// `--target`, matched case-insensitively; nil builds the last stage.
    public var target: String?
    /// `--build-arg NAME=value`, in command-line order; a later value for a name wins.
    public var buildArgs: [(String, String)]
    /// `--platform`: the target (and build) platform behind `TARGETPLATFORM`, `BUILDARCH`, ...
    public var platform: String

    public init(target: String? = nil, buildArgs: [(String, String)] = [], platform: String = "linux/amd64") {
        self.target = target
        self.buildArgs = buildArgs
        self.platform = platform
    }

    public static func == (lhs: BuildOptions, rhs: BuildOptions) -> Bool {
        lhs.target == rhs.target && lhs.platform == rhs.platform
            && lhs.buildArgs.count == rhs.buildArgs.count
            && zip(lhs.buildArgs, rhs.buildArgs).allSatisfy { $0.0 == $1.0 && $0.1 == $1.1 }
    }

    /// The build args as BuildKit's `BuildArgs` map sees them: one value per name, the last given.
    var buildArgValues: [String: String] {
        var values: [String: String] = [:]
        for (name, value) in buildArgs { values[name] = value }
        return values
    }
}

/// What a stage starts from, or what a dependency reads.
public enum StageReference: Hashable, Sendable {
    /// A stage of this Dockerfile, by index.
    case stage(Int)
    /// An external image, normalized as BuildKit resolves it (`docker.io/library/alpine:latest`).
    case image(String)
    /// The empty filesystem (`FROM scratch`, a cache mount with no `from`).
    case scratch
}

/// One edge into a stage other than its FROM: a `COPY --from`, a `RUN --mount ...,from=`, or
/// the same coming from an ONBUILD trigger of the base stage.
public struct Dependency: Equatable, Sendable {
    public typealias Source = StageReference

    /// The instruction that creates the edge.
    public enum Kind: String, Equatable, Sendable {
        case copyFrom = "COPY --from"
        case runMount = "RUN --mount"
        case onbuildCopyFrom = "ONBUILD COPY --from"
        case onbuildRunMount = "ONBUILD RUN --mount"
    }

    /// The stage, image or scratch that is read.
    public var source: Source
    public var kind: Kind
    /// The 1-based line of the instruction. BuildKit places an ONBUILD trigger at the FROM line
    /// of the stage that runs it (`initOnBuildTriggers` resets the location), and so does this.
    public var line: Int

    public init(source: Source, kind: Kind, line: Int) {
        self.source = source
        self.kind = kind
        self.line = line
    }
}

/// One `FROM` and the instructions after it.
public struct Stage: Equatable, Sendable {
    public typealias Base = StageReference

    /// The position among the stages, from 0.
    public var index: Int
    /// The `AS` name, lower-cased; nil for an unnamed stage.
    public var name: String?
    /// The name BuildKit shows: the `AS` name or `stage-<index>`.
    public var displayName: String
    /// The FROM base after meta-ARG expansion, as written (`golang:1.16`, `builder`, `scratch`).
    public var baseName: String
    /// An earlier stage named `baseName`, else scratch, else the normalized image.
    public var base: Base
    /// `FROM --platform=...` after expansion; nil when not given.
    public var platform: String?
    /// Every edge other than FROM, in instruction order; ONBUILD edges (which BuildKit only works
    /// out for stages it builds) come first, as their triggers run first.
    public var dependencies: [Dependency]
    /// The stage's instructions after FROM, typed.
    public var commands: [Command]
    /// The same instructions as parsed, parallel to `commands` (for their original text).
    public var instructions: [Instruction]
    /// The FROM instruction.
    public var fromInstruction: Instruction
    /// The 1-based line of the FROM.
    public var startLine: Int
    /// BuildKit's progress labels for this stage, in order; empty when it is not built.
    public var progress: [String]
}

/// The stages of a Dockerfile, the target, and what BuildKit and the legacy builder build.
public struct StageGraph: Equatable, Sendable {
    /// Every stage, in file order.
    public var stages: [Stage]
    /// The index of the target stage (BuildKit's choice: the last stage with the target's name).
    public var target: Int
    /// The stages BuildKit builds, sorted: the target's closure over FROM and dependency edges,
    /// including edges that ONBUILD triggers of built stages add.
    public var reachable: [Int]
    /// The stages the legacy builder builds: every stage up to and including its target.
    public var legacyStages: [Int]
    /// The external images the BuildKit build reads (FROM, COPY --from, RUN --mount from=), for
    /// built stages only, normalized, sorted, without scratch.
    public var externalImages: [String]
    /// The ARG instructions before the first FROM (the global scope).
    public var metaArgs: [Instruction]
    /// `FROM <image>` vertices BuildKit creates for images read by `COPY --from`/`RUN --mount`.
    var imageProgress: [String]

    /// Builds the graph as BuildKit's `toDispatchState` does, up to (not including) running
    /// any step: instruction parsing, meta ARGs, FROM expansion, target, dependency edges,
    /// cycles, reachability, ONBUILD edges, and the file-order dispatch check.
    ///
    /// - Throws: `DockerfileError` with BuildKit's message. Errors of the instruction layer keep
    ///   their line (`dockerfile parse error on line N: ...`); errors of this layer carry no line,
    ///   since BuildKit does not print them with that prefix.
    public static func build(_ file: Dockerfile, options: BuildOptions) throws(DockerfileError) -> StageGraph {
        var resolver = try GraphResolver(file: file, options: options)
        return try resolver.run()
    }
}
