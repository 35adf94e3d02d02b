import Testing
@testable import DockerBuild

/// The Docker documentation's multi-stage examples, as docker-ecs.md §2 transcribes them.
@Suite("Stage graph: documented examples")
struct StageGraphDocsExampleTests {
    @Test("href-counter: BuildKit labels, legacy steps, images")
    func hrefCounterDefaultTarget() throws {
        // Goal: build the docs' href-counter Dockerfile with no --target and compare BuildKit's
        // progress labels and the legacy Step lines with docker-ecs.md §2 (digests omitted).
        let graph = try StageGraphSupport.graph(StageGraphSupport.hrefCounter)
        #expect(graph.target == 1)
        #expect(graph.reachable == [0, 1])
        #expect(graph.legacyStages == [0, 1])
        #expect(graph.buildkitProgress() == [
            "[builder 1/5] FROM docker.io/library/golang:1.16",
            "[builder 2/5] WORKDIR /go/src/github.com/alexellis/href-counter/",
            "[builder 3/5] RUN go get -d -v golang.org/x/net/html",
            "[builder 4/5] COPY app.go ./",
            "[builder 5/5] RUN CGO_ENABLED=0 go build -a -installsuffix cgo -o app .",
            "[stage-1 1/4] FROM docker.io/library/alpine:latest",
            "[stage-1 2/4] RUN apk --no-cache add ca-certificates",
            "[stage-1 3/4] WORKDIR /root/",
            "[stage-1 4/4] COPY --from=builder /go/src/github.com/alexellis/href-counter/app ./",
        ])
        #expect(graph.legacySteps() == [
            "Step 1/10 : FROM golang:1.16 AS builder",
            "Step 2/10 : WORKDIR /go/src/github.com/alexellis/href-counter/",
            "Step 3/10 : RUN go get -d -v golang.org/x/net/html",
            "Step 4/10 : COPY app.go ./",
            "Step 5/10 : RUN CGO_ENABLED=0 go build -a -installsuffix cgo -o app .",
            "Step 6/10 : FROM alpine:latest",
            "Step 7/10 : RUN apk --no-cache add ca-certificates",
            "Step 8/10 : WORKDIR /root/",
            "Step 9/10 : COPY --from=builder /go/src/github.com/alexellis/href-counter/app ./",
            "Step 10/10 : CMD [\"./app\"]",
        ])
        #expect(graph.externalImages == ["docker.io/library/alpine:latest", "docker.io/library/golang:1.16"])
    }

    @Test("href-counter --target builder builds only builder")
    func hrefCounterTargetBuilder() throws {
        // Goal: with `--target builder` BuildKit and the legacy builder both stop at builder
        // (docker-ecs.md §2: "--target builder builds only builder (legacy: Step 1/5..5/5)").
        let graph = try StageGraphSupport.graph(StageGraphSupport.hrefCounter, BuildOptions(target: "builder"))
        #expect(graph.target == 0)
        #expect(graph.reachable == [0])
        #expect(graph.legacyStages == [0])
        #expect(graph.buildkitProgress().count == 5)
        #expect(graph.buildkitProgress().allSatisfy { $0.hasPrefix("[builder ") })
        #expect(graph.legacySteps().first == "Step 1/5 : FROM golang:1.16 AS builder")
        #expect(graph.legacySteps().last == "Step 5/5 : RUN CGO_ENABLED=0 go build -a -installsuffix cgo -o app .")
        #expect(graph.stages[1].progress.isEmpty)
        #expect(graph.externalImages == ["docker.io/library/golang:1.16"])
    }

    @Test("base/stage1/stage2 --target stage2: BuildKit skips stage1, legacy does not")
    func targetStage2SkipsStage1() throws {
        // Goal: the docs' canonical transcript (multi-stage.md, docker-ecs.md §2): BuildKit runs
        // [base 1/2], [base 2/2], [stage2 1/1]; the legacy builder prints Step 1/6 … 6/6.
        let graph = try StageGraphSupport.graph(StageGraphSupport.baseStage1Stage2, BuildOptions(target: "stage2"))
        #expect(graph.reachable == [0, 2])
        #expect(graph.legacyStages == [0, 1, 2])
        #expect(graph.buildkitProgress() == [
            "[base 1/2] FROM docker.io/library/ubuntu:latest",
            "[base 2/2] RUN echo \"base\"",
            "[stage2 1/1] RUN echo \"stage2\"",
        ])
        #expect(graph.legacySteps() == [
            "Step 1/6 : FROM ubuntu AS base",
            "Step 2/6 : RUN echo \"base\"",
            "Step 3/6 : FROM base AS stage1",
            "Step 4/6 : RUN echo \"stage1\"",
            "Step 5/6 : FROM base AS stage2",
            "Step 6/6 : RUN echo \"stage2\"",
        ])
        #expect(graph.stages[2].base == .stage(0))
    }
}
