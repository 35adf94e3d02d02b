import Testing
@testable import DockerBuild

/// How FROM bases, targets and dependency edges are resolved.
@Suite("Stage graph: resolution")
struct StageGraphResolutionTests {
    @Test("target and --from names are case-insensitive")
    func caseInsensitiveNames() throws {
        // Goal: moby/buildkit dockerfile_multistage_test.go testMultiStageCaseInsensitive:
        // stages STAge0/staGE1, `COPY --from=staGE0`, `--from=stage1`, target "Stage1".
        let text = """
            FROM scratch AS STAge0
            COPY foo bar
            FROM scratch AS staGE1
            COPY --from=staGE0 bar baz
            FROM scratch
            COPY --from=stage1 baz bax
            """
        let graph = try StageGraphSupport.graph(text, BuildOptions(target: "Stage1"))
        #expect(graph.target == 1)
        #expect(graph.reachable == [0, 1])
        #expect(graph.stages.map(\.name) == ["stage0", "stage1", nil])
        #expect(graph.stages[1].dependencies == [Dependency(source: .stage(0), kind: .copyFrom, line: 4)])
        #expect(try StageGraph.legacyTarget(try Dockerfile.parse(text), options: BuildOptions(target: "Stage1")) == 1)
    }

    @Test("meta ARGs and --build-arg reach FROM, and only FROM")
    func metaArgsInFrom() throws {
        // Goal: docker-ecs.md §1.7 — meta ARGs, automatic platform args and --build-arg overrides
        // expand FROM names and --platform (convert.go buildMetaArgs, buildDispatchStates); a
        // stage sees a meta ARG only after re-declaring it (dispatchArg).
        let text = """
            ARG VERSION=3.19
            ARG IMG
            FROM --platform=$BUILDPLATFORM alpine:${VERSION} AS base
            RUN echo $VERSION
            ARG VERSION
            RUN echo $VERSION $TARGETARCH
            FROM base-${TARGETARCH} AS arch
            """
        let defaults = try StageGraphSupport.graph(text, BuildOptions(target: "base"))
        #expect(defaults.stages[0].base == .image("docker.io/library/alpine:3.19"))
        #expect(defaults.stages[0].platform == "linux/amd64")
        #expect(defaults.stages[1].baseName == "base-amd64")
        #expect(defaults.buildkitProgress() == [
            "[base 1/3] FROM docker.io/library/alpine:3.19",
            "[base 2/3] RUN echo $VERSION",
            "[base 3/3] RUN echo 3.19 $TARGETARCH",
        ])
        let overridden = try StageGraphSupport.graph(text, BuildOptions(
            target: "base", buildArgs: [("VERSION", "3.18"), ("VERSION", "3.20")], platform: "linux/arm64"))
        #expect(overridden.stages[0].base == .image("docker.io/library/alpine:3.20"))
        #expect(overridden.stages[0].platform == "linux/arm64")
        #expect(overridden.stages[1].baseName == "base-arm64")
        #expect(overridden.buildkitProgress().last == "[base 3/3] RUN echo 3.20 $TARGETARCH")
        // A build arg also overrides an automatic platform arg.
        let forced = try StageGraphSupport.graph(text, BuildOptions(buildArgs: [("TARGETARCH", "riscv64")]))
        #expect(forced.stages[1].base == .image("docker.io/library/base-riscv64:latest"))
    }

    @Test("FROM names a stage only when it is defined earlier")
    func baseOnlyEarlierStages() throws {
        // Goal: convert.go addState looks the expanded base name up among stages added so far
        // (docker-ecs.md §1.8, §2 step 3); a later stage of that name does not count.
        let text = """
            FROM later AS first
            FROM alpine AS later
            FROM later AS last
            """
        let graph = try StageGraphSupport.graph(text)
        #expect(graph.stages[0].base == .image("docker.io/library/later:latest"))
        #expect(graph.stages[2].base == .stage(1))
        #expect(graph.reachable == [1, 2])
        #expect(graph.externalImages == ["docker.io/library/alpine:latest"])
    }

    @Test("unnamed stages are stage-<i>, and --from takes an index")
    func unnamedStagesAndIndexes() throws {
        // Goal: convert.go names an unnamed stage "stage-<i>" and resolves a decimal --from with
        // findStateByIndex (docker-ecs.md §0.2, §2 step 5).
        let text = """
            FROM alpine
            RUN make
            FROM busybox
            COPY --from=0 /out /out
            """
        let graph = try StageGraphSupport.graph(text)
        #expect(graph.stages.map(\.displayName) == ["stage-0", "stage-1"])
        #expect(graph.stages[1].dependencies == [Dependency(source: .stage(0), kind: .copyFrom, line: 4)])
        #expect(graph.buildkitProgress().last == "[stage-1 2/2] COPY --from=0 /out /out")
    }

    @Test("an unknown --from or from= is an external image")
    func unknownNamesAreImages() throws {
        // Goal: toCommand and detectRunMount create an unregistered state for an unknown name
        // (docker-ecs.md §2 step 5); a cache mount without from reads scratch; a bind mount
        // without from reads the build context; a tmpfs mount reads nothing.
        let text = """
            FROM alpine AS tools
            FROM scratch
            COPY --from=busybox /bin/busybox /busybox
            RUN --mount=type=bind,from=golang:1.22,target=/go --mount=type=cache,target=/root/.cache \\
                --mount=type=bind,target=/src --mount=type=tmpfs,target=/tmp --mount=from=TOOLS,target=/t make
            """
        let graph = try StageGraphSupport.graph(text)
        #expect(graph.stages[1].base == .scratch)
        #expect(graph.stages[1].dependencies == [
            Dependency(source: .image("docker.io/library/busybox:latest"), kind: .copyFrom, line: 3),
            Dependency(source: .image("docker.io/library/golang:1.22"), kind: .runMount, line: 4),
            Dependency(source: .scratch, kind: .runMount, line: 4),
            Dependency(source: .stage(0), kind: .runMount, line: 4),
        ])
        #expect(graph.reachable == [0, 1])
        #expect(graph.externalImages == [
            "docker.io/library/alpine:latest", "docker.io/library/busybox:latest", "docker.io/library/golang:1.22",
        ])
        // The stage keeps its name: BuildKit counts the image states too, so it is not alone.
        #expect(graph.buildkitProgress() == [
            "[tools 1/1] FROM docker.io/library/alpine:latest",
            "[stage-1 1/2] COPY --from=busybox /bin/busybox /busybox",
            "[stage-1 2/2] RUN --mount=type=bind,from=golang:1.22,target=/go --mount=type=cache,target=/root/.cache     --mount=type=bind,target=/src --mount=type=tmpfs,target=/tmp --mount=from=TOOLS,target=/t make",
            "FROM docker.io/library/busybox:latest",
            "FROM docker.io/library/golang:1.22",
        ])
    }

    @Test("image names are normalized as BuildKit resolves them")
    func imageNormalization() throws {
        // Goal: reference.ParseNormalizedNamed + TagNameOnly, as convert.go resolveBaseImage
        // applies them (docker-ecs.md §1.8: "The image defaults to :latest ... docker.io/library").
        let cases: [(String, String)] = [
            ("alpine", "docker.io/library/alpine:latest"),
            ("golang:1.16", "docker.io/library/golang:1.16"),
            ("myorg/app:1", "docker.io/myorg/app:1"),
            ("ghcr.io/x/y", "ghcr.io/x/y:latest"),
            ("docker.io/alpine", "docker.io/library/alpine:latest"),
            ("index.docker.io/library/alpine:3", "docker.io/library/alpine:3"),
            ("localhost:5000/app", "localhost:5000/app:latest"),
            ("alpine@sha256:" + String(repeating: "a", count: 64),
             "docker.io/library/alpine@sha256:" + String(repeating: "a", count: 64)),
            ("alpine:3.19@sha256:" + String(repeating: "b", count: 64),
             "docker.io/library/alpine:3.19@sha256:" + String(repeating: "b", count: 64)),
        ]
        for (written, normalized) in cases {
            let graph = try StageGraphSupport.graph("FROM \(written)\n")
            #expect(graph.stages[0].base == .image(normalized), "FROM \(written)")
            #expect(graph.stages[0].baseName == written)
        }
        #expect(StageGraphSupport.buildError("FROM alpine:bad:tag\n") == DockerfileError(message:
            "failed to parse stage name \"alpine:bad:tag\": invalid reference format"))
    }

    @Test("scratch is the empty filesystem: no image, no FROM step")
    func scratchBase() throws {
        // Goal: convert.go treats the base name "scratch" as llb.Scratch(): no image to resolve
        // and no FROM vertex, so cmdTotal counts only the steps (docker-ecs.md §1.8, §2).
        let graph = try StageGraphSupport.graph("FROM scratch\nCOPY app /app\nENV A=1\n")
        #expect(graph.stages[0].base == .scratch)
        #expect(graph.externalImages.isEmpty)
        #expect(graph.buildkitProgress() == ["[1/1] COPY app /app"])
    }

    @Test("duplicate stage names: BuildKit takes the last, the legacy builder the first")
    func duplicateNames() throws {
        // Goal: convert.go statesByName keeps the last stage of a name, while moby's
        // instructions.HasStage returns the first match (lint DuplicateStageName, docker-ecs.md §1.8).
        let text = "FROM alpine AS dup\nRUN a\nFROM busybox AS dup\nRUN b\nFROM scratch\n"
        let graph = try StageGraphSupport.graph(text, BuildOptions(target: "DUP"))
        #expect(graph.target == 1)
        #expect(graph.reachable == [1])
        #expect(graph.legacyStages == [0])
        #expect(graph.legacySteps() == ["Step 1/2 : FROM alpine AS dup", "Step 2/2 : RUN a"])
    }

    @Test("ONBUILD triggers of a built base stage add edges and steps")
    func onbuildEdges() throws {
        // Goal: convert.go resolveStages/initOnBuildTriggers: a stage built FROM a stage runs its
        // ONBUILD triggers first; a trigger's COPY --from adds an edge, so the closure grows
        // (docker-ecs.md §1.8); triggers are not inherited by grandchildren.
        let text = """
            FROM alpine AS tools
            RUN make tools
            FROM alpine AS template
            ONBUILD COPY --from=tools /t /t
            ONBUILD RUN echo triggered
            FROM template AS app
            RUN build
            FROM app AS final
            """
        let graph = try StageGraphSupport.graph(text, BuildOptions(target: "app"))
        #expect(graph.reachable == [0, 1, 2])
        #expect(graph.stages[2].dependencies == [Dependency(source: .stage(0), kind: .onbuildCopyFrom, line: 6)])
        #expect(graph.stages[2].progress == [
            "[app 1/3] ONBUILD COPY --from=tools /t /t",
            "[app 2/3] ONBUILD RUN echo triggered",
            "[app 3/3] RUN build",
        ])
        let whole = try StageGraphSupport.graph(text)
        #expect(whole.stages[3].dependencies.isEmpty)
        #expect(whole.stages[3].progress.isEmpty)
        // Without a stage built on it, the template's triggers never run.
        let templateOnly = try StageGraphSupport.graph(text, BuildOptions(target: "template"))
        #expect(templateOnly.reachable == [1])
        #expect(templateOnly.stages[2].dependencies.isEmpty)
    }

    @Test("COPY --from an image, and a stage that masks an image name")
    func implicitFromImage() throws {
        // Goal: moby/buildkit dockerfile_multistage_test.go testMultiStageImplicitFrom:
        // `COPY --from=busybox` in a scratch stage reads the busybox image, and a stage named
        // golang is read instead of the golang image ("masked image will load actual stage").
        let implicit = try StageGraphSupport.graph("FROM scratch\nCOPY --from=busybox /etc/passwd test\n")
        #expect(implicit.stages[0].dependencies
            == [Dependency(source: .image("docker.io/library/busybox:latest"), kind: .copyFrom, line: 2)])
        #expect(implicit.externalImages == ["docker.io/library/busybox:latest"])
        // Two states (the stage and the image), so the stage keeps its name.
        #expect(implicit.buildkitProgress() == [
            "[stage-0 1/1] COPY --from=busybox /etc/passwd test",
            "FROM docker.io/library/busybox:latest",
        ])
        let masked = """
            FROM busybox AS golang
            RUN mkdir -p /usr/bin && echo -n foo > /usr/bin/go
            FROM scratch
            COPY --from=golang /usr/bin/go go
            """
        let graph = try StageGraphSupport.graph(masked)
        #expect(graph.stages[1].dependencies == [Dependency(source: .stage(0), kind: .copyFrom, line: 4)])
        #expect(graph.externalImages == ["docker.io/library/busybox:latest"])
    }

    @Test("BuildOptions compares its build args in order")
    func buildOptionsEquality() {
        // Goal: BuildOptions is Equatable by hand because tuples are not: same target, platform
        // and the same (name, value) pairs in the same order.
        let options = BuildOptions(target: "a", buildArgs: [("A", "1"), ("B", "2")])
        #expect(options == BuildOptions(target: "a", buildArgs: [("A", "1"), ("B", "2")]))
        #expect(options != BuildOptions(target: "a", buildArgs: [("B", "2"), ("A", "1")]))
        #expect(options != BuildOptions(target: "a", buildArgs: [("A", "1"), ("B", "2")], platform: "linux/arm64"))
        #expect(options.buildArgValues == ["A": "1", "B": "2"])
    }
}
