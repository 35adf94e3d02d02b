import Testing
@testable import WorkbenchKit

/// `docker parse` through the command language: BuildKit's parse of the Docker docs' multi-stage
/// example (the href-counter Dockerfile of "Multi-stage builds"), and errors with line numbers.
struct DockerCommandTests {
    static let hrefCounter = """
        # syntax=docker/dockerfile:1
        FROM golang:1.16 AS builder
        WORKDIR /go/src/github.com/alexellis/href-counter/
        RUN go get -d -v golang.org/x/net/html
        COPY app.go ./
        RUN CGO_ENABLED=0 GOOS=linux go build -a -installsuffix cgo -o app .

        FROM alpine:latest
        RUN apk --no-cache add ca-certificates
        WORKDIR /root/
        COPY --from=builder /go/src/github.com/alexellis/href-counter/app ./
        CMD ["./app"]
        """

    func session() -> Session {
        Fixture.memorySession(host: MemoryHost(files: [
            "Dockerfile": Self.hrefCounter,
            "Bad": "FROM alpine\nFROMX foo\n",
            "BadFlag": "FROM alpine\nCOPY --fro=x a b\n",
            "Heredoc": "FROM alpine\nRUN <<EOF\necho hi\nEOF\n",
            "Unterminated": "FROM alpine\nRUN <<EOF\necho hi\n",
        ]))
    }

    // Goal: the parse is visible as values: the directive, each instruction's keyword, flags,
    // arguments, exec form and lines (Dockerfile reference; BuildKit parser.Parse).
    @Test func parsesTheMultiStageExample() {
        let s = session()
        for line in [
            "expect docker parse Dockerfile .directives[0].name == syntax",
            "expect docker parse Dockerfile .instructions | length == 10",
            "expect docker parse Dockerfile .instructions[0].arguments[2] == builder",
            "expect docker parse Dockerfile .instructions[8].flags[0] == \"--from=builder\"",
            "expect docker parse Dockerfile .instructions[9].json == true",
            "expect docker parse Dockerfile .instructions[5].startLine == 8",
            "expect docker parse Heredoc .instructions[1].heredocs[0].content starts-with \"echo hi\"",
        ] {
            let result = s.execute(line)
            #expect(result.succeeded, "\(line): \(result.text)")
        }
        #expect(s.execute("docker parse Dockerfile --dump").text.hasPrefix("(from \"golang:1.16\" \"AS\" \"builder\")\n(workdir"))
    }

    // Goal: the stage graph of the docs' multi-stage example (docker-ecs.md §2): BuildKit builds
    // builder then stage-1; with --target builder (case-insensitive) it skips stage-1; the legacy
    // builder numbers Step 1/10 … 10/10, CMD included.
    @Test func stagesOfTheMultiStageExample() {
        let s = session()
        for line in [
            "expect docker stages Dockerfile .target == stage-1",
            "expect docker stages Dockerfile .levels | length == 2",
            "expect docker stages Dockerfile .buildkit[0] == \"[builder 1/5] FROM docker.io/library/golang:1.16\"",
            "expect docker stages Dockerfile .buildkit[-1] == \"[stage-1 4/4] COPY --from=builder /go/src/github.com/alexellis/href-counter/app ./\"",
            "expect docker stages Dockerfile .legacy | length == 10",
            "expect docker stages Dockerfile .legacy[9] == \"Step 10/10 : CMD [\\\"./app\\\"]\"",
            "expect docker stages Dockerfile --target BUILDER .stages[1].built == false",
            "expect docker stages Dockerfile --target builder .buildkit | length == 5",
            "expect docker stages Dockerfile .stages[1].dependencies[0].source == builder",
        ] {
            let result = s.execute(line)
            #expect(result.succeeded, "\(line): \(result.text)")
        }
        #expect(s.execute("docker stages Dockerfile --dot").text.contains("s0 -> s1 [label=\"COPY --from\"]"))
    }

    // Goal: an evaluated build of the multi-stage example: the final image is alpine + ca-certificates
    // + the binary, far smaller than shipping the builder; a rebuild is fully cached; a changed
    // app.go misses from `[builder 4/5] COPY app.go ./` on and at the COPY --from, while
    // `[stage-1 2/4] RUN apk …` stays cached (docker-ecs.md §3.2–3.3).
    @Test func buildAndCache() {
        let s = session()
        let setup = Fixture.run("docker context add app.go \"package main\"\ndocker build Dockerfile\ndocker build Dockerfile", in: s)
        #expect(setup.succeeded, "\(setup.failures.map(\.text))")
        for line in [
            "expect docker result .cachedSteps == 9",
            "expect docker size .savedBytes > 800000000",
            "expect docker history .[0].createdBy == \"CMD [\\\"./app\\\"]\"",
            "expect docker files /root .[1].path == /root/app",
        ] {
            let result = s.execute(line)
            #expect(result.succeeded, "\(line): \(result.text)")
        }
        #expect(Fixture.run("docker context add app.go \"package main // v2\"\ndocker build Dockerfile", in: s).succeeded)
        for line in [
            "expect docker result .cachedSteps == 6",
            "expect docker result .steps[2].cached == true",
            "expect docker result .steps[3].cached == false",
            "expect docker result .steps[6].cached == true",
            "expect docker result .steps[8].cached == false",
        ] {
            let result = s.execute(line)
            #expect(result.succeeded, "\(line): \(result.text)")
        }
    }

    // Goal: an unmodelled program is an opaque 0-byte layer until the learner declares what it
    // writes; the declared file then reaches the layer and the image.
    @Test func declaredEffects() {
        let s = session()
        let lines = """
            docker dockerfile Make "FROM alpine" "WORKDIR /src" "RUN make"
            docker build Make
            docker declare make --writes build/app --size 5000000
            docker build Make --no-cache
            """
        #expect(Fixture.run(lines, in: s).succeeded)
        #expect(s.execute("expect docker result .steps[2].size == 5000000").succeeded)
        #expect(s.execute("expect docker files /src .[-1].path == /src/build/app").succeeded)
        #expect(s.execute("docker declare make --writes x").text.contains("needs --writes PATH and --size N"))
    }

    // Goal: a folder becomes the build context (what `docker build DIR` sends), files with their content.
    @Test func contextFromAFolder() {
        let s = Fixture.memorySession(host: MemoryHost(files: ["app/app.go": "package main", "app/web/index.html": "<p>hi</p>", "other.txt": "x"]))
        #expect(s.execute("docker context load app").succeeded)
        #expect(s.execute("expect docker context | length == 2").succeeded)
        #expect(s.execute("expect docker context .[1].path == web/index.html").succeeded)
        #expect(s.execute("docker context load nope").text.contains("no such folder"))
    }

    // Goal: errors carry BuildKit's wording and the line, and change nothing.
    @Test(arguments: [
        ("docker parse Bad", "dockerfile parse error on line 2: unknown instruction: FROMX"),
        ("docker parse BadFlag", "dockerfile parse error on line 2: unknown flag: --fro"),
        ("docker parse Unterminated", "dockerfile parse error"),
        ("docker parse Missing", "no such file"),
        ("docker stages Dockerfile --target nosuch", "target stage \"nosuch\" could not be found"),
        ("docker stages Dockerfile --build-arg oops", "--build-arg wants NAME=VALUE"),
        ("docker build Dockerfile", "not found"),
        ("docker history", "nothing has been built yet"),
        ("docker context add /etc/passwd x", "not a path inside the context"),
    ])
    func errors(line: String, message: String) {
        let s = session()
        let before = s.state.canonicalJSON()
        let result = s.execute(line)
        #expect(result.error != nil)
        #expect(result.text.contains(message), "\(result.text)")
        #expect(s.state.canonicalJSON() == before)
    }
}
