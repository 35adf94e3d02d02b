import Testing
@testable import DockerBuild

/// Every error the stage graph raises, with BuildKit's (or moby's) text.
@Suite("Stage graph: errors")
struct StageGraphErrorTests {
    @Test("a file of meta ARGs only has no stages")
    func noStages() {
        // Goal: `ARG foo=bar` alone fails like moby/buildkit dockerfile_multistage_test.go
        // testEmptyStages ("dockerfile contains no stages to build"; convert.go toDispatchState).
        #expect(StageGraphSupport.buildError("ARG foo=bar\n")
            == DockerfileError(message: "dockerfile contains no stages to build"))
    }

    @Test("an instruction before the first FROM has no stage")
    func instructionBeforeFrom() {
        // Goal: only ARG may precede FROM (instructions/parse.go Parse, CurrentStage:
        // "no build stage in current context"; docker-ecs.md §1.7).
        #expect(StageGraphSupport.buildError("ENV a=b\nFROM alpine\n")
            == DockerfileError(message: "no build stage in current context"))
    }

    @Test("FROM ${BLANK} is blank")
    func blankBaseName() {
        // Goal: a FROM that expands to "" fails with convert.go buildDispatchStates' text
        // "base name (${BLANK}) should not be blank" (docker-ecs.md §1.7 [test]).
        #expect(StageGraphSupport.buildError("FROM ${BLANK}\n")
            == DockerfileError(message: "base name (${BLANK}) should not be blank"))
        // A stage ARG does not reach FROM: only meta ARGs do.
        #expect(StageGraphSupport.buildError("FROM alpine\nARG IMG=busybox\nFROM $IMG\n")
            == DockerfileError(message: "base name ($IMG) should not be blank"))
    }

    @Test("FROM takes one or three words")
    func fromWordCount() {
        // Goal: instructions/parse.go parseFrom: "FROM requires either one or three arguments",
        // reported as a parse error on the FROM line (docker-ecs.md §1.8).
        #expect(StageGraphSupport.buildError("FROM alpine builder\n")
            == DockerfileError(line: 1, message: "FROM requires either one or three arguments"))
        #expect(StageGraphSupport.buildError("FROM alpine AS a b\n")
            == DockerfileError(line: 1, message: "FROM requires either one or three arguments"))
    }

    @Test("a stage name must match ^[a-z][a-z0-9-_.]*$")
    func invalidStageName() {
        // Goal: instructions/parse.go parseFrom's text for a bad AS name (docker-ecs.md §1.8).
        #expect(StageGraphSupport.buildError("FROM alpine\nFROM alpine AS 1abc\n") == DockerfileError(
            line: 2, message: "invalid name for build stage: \"1abc\", name can't start with a number or contain symbols"))
    }

    @Test("COPY --from does not expand variables")
    func copyFromVariable() {
        // Goal: convert.go toCommand expands --from with an empty env and fails when the text
        // changes (docker-ecs.md §2 step 5), even when the variable is a meta ARG.
        let text = "ARG V=3\nFROM alpine\nCOPY --from=ghcr.io/astral-sh/uv:${V} /uv /bin/\n"
        #expect(StageGraphSupport.buildError(text) == DockerfileError(message:
            "variable expansion is not supported for --from, define a new stage with FROM using ARG from global scope as a workaround"))
    }

    @Test("a numeric --from out of range is an invalid stage index")
    func invalidStageIndex() {
        // Goal: convert.go findStateByIndex: "invalid stage index N" for N outside the states
        // (docker-ecs.md §2 step 5); strconv.Atoi accepts a sign.
        #expect(StageGraphSupport.buildError("FROM alpine\nFROM alpine\nCOPY --from=5 /a /b\n")
            == DockerfileError(message: "invalid stage index 5"))
        #expect(StageGraphSupport.buildError("FROM alpine\nFROM alpine\nCOPY --from=-1 /a /b\n")
            == DockerfileError(message: "invalid stage index -1"))
    }

    @Test("circular COPY --from chains fail, named after the first stage")
    func circularDependency() {
        // Goal: both cases of moby/buildkit dockerfile2llb/convert_test.go
        // TestDockerfileCircularDependencies (validations.go validateCircularDependency).
        #expect(StageGraphSupport.buildError("FROM busybox AS stage0\nCOPY --from=stage0 f1 /sub/\n")
            == DockerfileError(message: "circular dependency detected on stage: stage0"))
        let three = """
            FROM busybox AS stage0
            COPY --from=stage2 f1 /sub/
            FROM busybox AS stage1
            COPY --from=stage0 f2 /sub/
            FROM busybox AS stage2
            COPY --from=stage1 f2 /sub/
            """
        #expect(StageGraphSupport.buildError(three)
            == DockerfileError(message: "circular dependency detected on stage: stage0"))
        // `COPY --from=0` in a lone unnamed stage: the name is stage-0, not yet blanked.
        #expect(StageGraphSupport.buildError("FROM alpine\nCOPY --from=0 /a /b\n")
            == DockerfileError(message: "circular dependency detected on stage: stage-0"))
    }

    @Test("COPY --from a later stage fails when both are built")
    func copyFromLaterStage() throws {
        // Goal: moby/buildkit dockerfile_multistage_test.go testOutOfOrderStage: the target's
        // base "target" copies from "build", defined later (convert.go dispatch).
        let text = """
            FROM busybox AS target
            COPY --from=build /d2 /out

            FROM alpine AS build
            COPY /Dockerfile /d2

            FROM target
            """
        #expect(StageGraphSupport.buildError(text) == DockerfileError(message:
            "cannot copy from stage \"build\", it needs to be defined before current stage \"target\""))
        // Building only "build" never dispatches "target", so nothing fails.
        let graph = try StageGraphSupport.graph(text, BuildOptions(target: "build"))
        #expect(graph.reachable == [1])
    }

    @Test("an unknown target: BuildKit's and the legacy builder's texts")
    func unknownTarget() throws {
        // Goal: convert.go resolveTarget ("target stage %q could not be found", with a "did you
        // mean" suggestion) and moby builder.go ("failed to reach build target %s in Dockerfile").
        let file = try Dockerfile.parse(StageGraphSupport.hrefCounter)
        #expect(throws: DockerfileError(message: "target stage \"nosuch\" could not be found")) {
            try StageGraph.build(file, options: BuildOptions(target: "nosuch"))
        }
        #expect(throws: DockerfileError(message: "failed to reach build target nosuch in Dockerfile")) {
            try StageGraph.legacyTarget(file, options: BuildOptions(target: "nosuch"))
        }
        #expect(throws: DockerfileError(message: "target stage \"buidler\" could not be found (did you mean builder?)")) {
            try StageGraph.build(file, options: BuildOptions(target: "buidler"))
        }
    }

    @Test("an invalid image reference fails even in a stage that is not built")
    func invalidImageReference() {
        // Goal: convert.go resolveBaseImage parses every base name (reference.ParseNormalizedNamed)
        // before checking reachability; `FROM Builder` does not find stage "builder" because the
        // lookup is exact (docker-ecs.md §2 step 3, "untested edge").
        let text = "FROM alpine AS builder\nFROM Builder AS app\nFROM alpine\n"
        #expect(StageGraphSupport.buildError(text) == DockerfileError(message:
            "failed to parse stage name \"Builder\": invalid reference format: repository name (library/Builder) must be lowercase"))
    }

    @Test("a RUN --mount cycle is a cycle too")
    func circularMounts() {
        // Goal: detectRunMount adds mount sources to the same deps map that
        // validateCircularDependency walks (docker-ecs.md §2 steps 5–6).
        let text = """
            FROM alpine AS a
            RUN --mount=from=b,target=/b ls
            FROM alpine AS b
            RUN --mount=from=a,target=/a ls
            """
        #expect(StageGraphSupport.buildError(text)
            == DockerfileError(message: "circular dependency detected on stage: a"))
    }

    @Test("an ONBUILD trigger fails at the FROM of the stage that runs it")
    func onbuildTriggerError() {
        // Goal: convert.go initOnBuildTriggers parses each trigger again and resets its location
        // to the FROM of the stage running it, so a bad trigger is reported on that line.
        let text = "FROM alpine AS template\nONBUILD COPY onlyone\nFROM template\n"
        #expect(StageGraphSupport.buildError(text) == DockerfileError(line: 3, message:
            "COPY requires at least two arguments, but only one was provided. Destination could not be determined"))
    }
}
