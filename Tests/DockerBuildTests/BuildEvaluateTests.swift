import Testing
@testable import DockerBuild

// Fidelity tests for the build evaluator. Sources: docker-ecs.md §1.6-1.7 (substitution, ARG
// scope), §2 (href-counter labels), §3 (layers, history strings, multi-stage size, cache rules);
// the Dockerfile is the docs' multi-stage example (docker/docs content/manuals/build/building/multi-stage.md).

enum Fixture {
    static let hrefCounter = """
        # syntax=docker/dockerfile:1
        FROM golang:1.16 AS builder
        WORKDIR /go/src/github.com/alexellis/href-counter/
        RUN go get -d -v golang.org/x/net/html
        COPY app.go ./
        RUN CGO_ENABLED=0 go build -a -installsuffix cgo -o app .

        FROM alpine:latest
        RUN apk --no-cache add ca-certificates
        WORKDIR /root/
        COPY --from=builder /go/src/github.com/alexellis/href-counter/app ./
        CMD ["./app"]
        """

    static let appGo = "package main\n\nimport \"golang.org/x/net/html\"\n\nfunc main() { _ = html.Parse }\n"

    static func context(_ appGo: String = appGo) -> BuildContext {
        BuildContext(files: [ContextFile(path: "app.go", content: appGo)])
    }

    static func build(
        _ text: String, context: BuildContext = BuildContext(), previous: BuildCache? = nil,
        buildArgs: [(String, String)] = []
    ) throws -> BuildResult {
        let graph = try StageGraph.build(try Dockerfile.parse(text), options: BuildOptions(buildArgs: buildArgs))
        return try Builder.evaluate(graph, context: context, previous: previous, buildArgs: buildArgs)
    }

    static func error(_ text: String, context: BuildContext = BuildContext()) -> String? {
        do {
            _ = try build(text, context: context)
            return nil
        } catch let error as DockerfileError {
            return error.message
        } catch {
            return "\(error)"
        }
    }
}

@Suite struct HrefCounterBuildTests {
    // Goal: the final image is alpine + ca-certificates + the binary; history in BuildKit's words (§3.1, §3.2).
    @Test func finalImageIsAlpinePlusCertificatesPlusBinary() throws {
        let result = try Fixture.build(Fixture.hrefCounter, context: Fixture.context())
        let final = result.final
        #expect(final.stage == 1)
        #expect(final.base == "docker.io/library/alpine:latest")
        #expect(final.layers.map(\.createdBy) == [
            "FROM docker.io/library/alpine:latest (base image layers, collapsed)",
            "RUN /bin/sh -c apk --no-cache add ca-certificates # buildkit",
            "WORKDIR /root/",
            "COPY /go/src/github.com/alexellis/href-counter/app ./ # buildkit",
            "CMD [\"./app\"]",
        ])
        #expect(final.layers.map(\.emptyLayer) == [false, false, false, false, true])
        let binary = try #require(final.file("/root/app"))
        #expect(binary.size == 7_400_000 + Fixture.appGo.utf8.count)
        #expect(binary.mode == "0755")
        #expect(final.file("/etc/ssl/certs/ca-certificates.crt") != nil)
        #expect(final.file("/usr/local/go/bin/go") == nil)
        #expect(final.cmd == ["./app"])
        #expect(final.workdir == "/root/")
        // alpine + certificates (+ the apk database rewritten) + the binary, nothing else.
        let certificates = 219_000 + 463_000 + 18_000
        let apkDatabase = 26_184 + 1_200
        #expect(final.totalBytes == 7_380_000 + certificates + apkDatabase + binary.size)
        #expect(final.totalBytes == final.layers.reduce(0) { $0 + $1.sizeBytes })
    }

    // Goal: the builder image holds golang:1.16, the module cache, the source and the binary; it
    // is the single-stage comparison and is two orders of magnitude larger (§3.2).
    @Test func builderImageAndSingleStageComparison() throws {
        let result = try Fixture.build(Fixture.hrefCounter, context: Fixture.context())
        let builder = try #require(result.images.first { $0.stage == 0 })
        #expect(builder.base == "docker.io/library/golang:1.16")
        #expect(builder.baseBytes == 919_000_000)
        #expect(builder.file("/go/pkg/mod/golang.org/x/net@latest/module-tree")?.size == 11_600_000)
        #expect(builder.file("/go/src/github.com/alexellis/href-counter/app.go")?.size == Fixture.appGo.utf8.count)
        #expect(builder.file("/go/src/github.com/alexellis/href-counter/app") != nil)
        #expect(builder.workdir == "/go/src/github.com/alexellis/href-counter/")
        #expect(result.singleStageBytes == builder.totalBytes)
        #expect(result.singleStageBytes > 50 * result.final.totalBytes)
        let moduleCache = 11_600_000 + 11_600_000 * 3 / 10
        #expect(builder.totalBytes == 919_000_000 + moduleCache + Fixture.appGo.utf8.count * 2 + 7_400_000)
    }

    // Goal: steps carry the graph's BuildKit labels (§2) and a RUN notes a static binary.
    @Test func stepsUseBuildKitLabels() throws {
        let result = try Fixture.build(Fixture.hrefCounter, context: Fixture.context())
        #expect(result.steps.map(\.label) == [
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
        #expect(result.steps.allSatisfy { !$0.cached })
        #expect(result.steps[4].notes.contains { $0.contains("static binary") })
    }

    // Goal: a second build with the same context is fully cached (§3.3).
    @Test func secondBuildIsFullyCached() throws {
        let first = try Fixture.build(Fixture.hrefCounter, context: Fixture.context())
        let second = try Fixture.build(Fixture.hrefCounter, context: Fixture.context(), previous: first.cache)
        #expect(second.steps.allSatisfy { $0.cached })
        #expect(second.cache == first.cache)
        #expect(second.final == first.final)
    }

    // Goal: editing app.go misses from `[builder 4/5]` on; stage-1's RUN and WORKDIR stay cached; the
    // final COPY --from misses because the binary's digest follows app.go (§3.3, §5 item 6).
    @Test func changingAppGoMissesFromItsCopy() throws {
        let first = try Fixture.build(Fixture.hrefCounter, context: Fixture.context())
        let edited = try Fixture.build(Fixture.hrefCounter, context: Fixture.context(Fixture.appGo + "// v2\n"),
                                       previous: first.cache)
        #expect(edited.rebuiltLabels == [
            "[builder 4/5] COPY app.go ./",
            "[builder 5/5] RUN CGO_ENABLED=0 go build -a -installsuffix cgo -o app .",
            "[stage-1 4/4] COPY --from=builder /go/src/github.com/alexellis/href-counter/app ./",
        ])
        #expect(edited.cachedLabels.contains("[stage-1 2/4] RUN apk --no-cache add ca-certificates"))
        #expect(edited.final.file("/root/app")?.digest != first.final.file("/root/app")?.digest)
    }

    // Goal: BuildKit's content-based cut-off (§3.4): a rebuilt builder that yields a byte-identical
    // binary leaves `COPY --from=builder` cached, while the builder's own steps miss.
    @Test func copyFromRebuiltStageHitsWhenBytesAreUnchanged() throws {
        let text = Fixture.hrefCounter.replacingEvery(
            "COPY app.go ./", with: "COPY app.go ./\nCOPY README.md /tmp/")
        let context = BuildContext(files: [
            ContextFile(path: "app.go", content: Fixture.appGo), ContextFile(path: "README.md", content: "v1\n"),
        ])
        let first = try Fixture.build(text, context: context)
        var edited = context
        edited.files[0].content = "v2, reworded\n"   // README.md sorts first
        let second = try Fixture.build(text, context: edited, previous: first.cache)
        #expect(second.rebuiltLabels == [
            "[builder 5/6] COPY README.md /tmp/",
            "[builder 6/6] RUN CGO_ENABLED=0 go build -a -installsuffix cgo -o app .",
        ])
        #expect(second.cachedLabels.contains("[stage-1 4/4] COPY --from=builder /go/src/github.com/alexellis/href-counter/app ./"))
    }

    // Goal: a stage built FROM a rebuilt stage misses from its start (§3.3 cascade).
    @Test func stageFromRebuiltStageMisses() throws {
        let text = """
            FROM alpine:3.19 AS base
            COPY conf.txt /etc/conf.txt
            FROM base AS app
            RUN echo hi > /hello
            """
        let first = try Fixture.build(text, context: BuildContext(files: [ContextFile(path: "conf.txt", content: "a")]))
        let second = try Fixture.build(text, context: BuildContext(files: [ContextFile(path: "conf.txt", content: "b")]),
                                       previous: first.cache)
        #expect(second.cachedLabels == ["[base 1/2] FROM docker.io/library/alpine:3.19"])
        #expect(second.rebuiltLabels == ["[base 2/2] COPY conf.txt /etc/conf.txt", "[app 1/1] RUN echo hi > /hello"])
        #expect(second.final.file("/hello")?.size == 3)
    }
}

@Suite struct BuildRulesTests {
    // Goal: ARG and ENV expand in WORKDIR and COPY (§1.6); `--build-arg` overrides a stage ARG default
    // and a global ARG is visible in a stage only after re-declaring it (§1.7).
    @Test func argAndEnvExpansion() throws {
        let text = """
            ARG APP=global-app
            FROM alpine:3.19
            ARG APP
            ARG VERSION=1.0
            ENV HOME_DIR=/srv/$APP
            WORKDIR ${HOME_DIR}/v$VERSION
            COPY ${APP}.conf ./
            RUN echo $VERSION > version.txt
            """
        let context = BuildContext(files: [
            ContextFile(path: "global-app.conf", content: "x=1\n"), ContextFile(path: "other.conf", content: "y\n"),
        ])
        let result = try Fixture.build(text, context: context)
        #expect(result.final.workdir == "/srv/global-app/v1.0")
        #expect(result.final.file("/srv/global-app/v1.0/global-app.conf")?.size == 4)
        #expect(result.final.file("/srv/global-app/v1.0/version.txt")?.size == 4)
        #expect(result.final.env.contains { $0 == ("HOME_DIR", "/srv/global-app") })
        #expect(result.final.layers.map(\.createdBy).contains(
            "RUN |2 APP=global-app VERSION=1.0 /bin/sh -c echo $VERSION > version.txt # buildkit"))

        let overridden = try Fixture.build(text, context: BuildContext(files: [ContextFile(path: "other.conf", content: "y\n")]),
                                           buildArgs: [("APP", "other"), ("VERSION", "2")])
        #expect(overridden.final.workdir == "/srv/other/v2")
        #expect(overridden.final.file("/srv/other/v2/other.conf") != nil)
    }

    // Goal: a global ARG not re-declared in the stage expands to "" there (§1.7).
    @Test func globalArgNeedsRedeclaration() throws {
        let text = """
            ARG DIR=app
            FROM alpine:3.19
            WORKDIR /x/$DIR
            """
        #expect(try Fixture.build(text).final.workdir == "/x/")
    }

    // Goal: `rm` in a later layer adds a 0-byte layer and does not shrink the image; deleting in
    // the same RUN does (the classic layer lesson, §3.1).
    @Test func removeInLaterLayerDoesNotShrink() throws {
        let separate = """
            FROM debian:bookworm-slim
            RUN apt-get update
            RUN rm -rf /var/lib/apt/lists/*
            """
        let result = try Fixture.build(separate)
        let layers = result.final.layers
        #expect(layers[1].sizeBytes == 40_000_000)
        #expect(layers[2].sizeBytes == 0)
        #expect(result.final.totalBytes == 74_800_000 + 40_000_000)
        #expect(result.final.files.allSatisfy { !$0.path.hasPrefix("/var/lib/apt/lists/") })
        #expect(result.steps[2].notes.contains { $0.contains("does not shrink") })

        let together = try Fixture.build("""
            FROM debian:bookworm-slim
            RUN apt-get update && rm -rf /var/lib/apt/lists/*
            """)
        #expect(together.final.layers[1].sizeBytes == 0)
        #expect(together.final.totalBytes == 74_800_000)
    }

    // Goal: a missing context file fails with BuildKit's checksum error (§3.3), and nothing is returned.
    @Test func missingContextFile() throws {
        let message = try #require(Fixture.error(Fixture.hrefCounter))
        #expect(message.hasPrefix("failed to compute cache key: failed to calculate checksum of ref "))
        #expect(message.hasSuffix(": \"/app.go\": not found"))
    }

    // Goal: an unknown base image fails with BuildKit's resolver wording.
    @Test func unknownBaseImage() throws {
        #expect(Fixture.error("FROM alpine:2.1\nRUN true\n")
            == "alpine:2.1: failed to resolve source metadata for docker.io/library/alpine:2.1: docker.io/library/alpine:2.1: not found")
        #expect(Fixture.error("FROM nosuchimage\n")?.hasPrefix(
            "nosuchimage: failed to resolve source metadata for docker.io/library/nosuchimage:latest: pull access denied") == true)
    }

    // Goal: `--chown`/`--chmod` set the owner and mode of copied files; RUN as USER owns what it creates.
    @Test func chownAndChmod() throws {
        let text = """
            FROM alpine:3.19
            COPY --chown=app:staff --chmod=755 run.sh /usr/local/bin/
            COPY --chown=1000 data/ /data/
            USER app
            RUN touch /tmp/marker
            """
        let context = BuildContext(files: [
            ContextFile(path: "run.sh", content: "#!/bin/sh\n"), ContextFile(path: "data/a.txt", content: "a"),
            ContextFile(path: "data/sub/b.txt", content: "bb"),
        ])
        let result = try Fixture.build(text, context: context)
        let script = try #require(result.final.file("/usr/local/bin/run.sh"))
        #expect(script.owner == "app:staff")
        #expect(script.mode == "0755")
        #expect(result.final.file("/data/a.txt")?.owner == "1000:1000")
        #expect(result.final.file("/data/sub/b.txt")?.size == 2)
        #expect(result.final.file("/tmp/marker")?.owner == "app:app")
        #expect(result.final.layers[1].createdBy == "COPY --chown=app:staff --chmod=755 run.sh /usr/local/bin/ # buildkit")
        #expect(result.final.user == "app")
    }

    // Goal: globs and the destination rules (trailing slash = directory; several sources need one).
    @Test func globsAndDestinationRules() throws {
        let context = BuildContext(files: [
            ContextFile(path: "a.go", content: "package a"), ContextFile(path: "b.go", content: "package b"),
            ContextFile(path: "notes.md", content: "n"),
        ])
        let result = try Fixture.build("FROM scratch\nCOPY *.go /src/\nCOPY notes.md /doc/readme\n", context: context)
        #expect(result.final.files.filter { !$0.isDirectory }.map(\.path) == ["/doc/readme", "/src/a.go", "/src/b.go"])
        #expect(result.final.totalBytes == 19)
        #expect(Fixture.error("FROM scratch\nCOPY a.go b.go /src\n", context: context)
            == "When using COPY with more than one source file, the destination must be a directory and end with a /")
    }

    // Goal: a RUN of an absent tool fails as BuildKit reports a failed process (exit code 127).
    @Test func missingToolFailsTheRun() {
        #expect(Fixture.error("FROM debian:bookworm\nRUN apk add curl\n")
            == "process \"/bin/sh -c apk add curl\" did not complete successfully: exit code: 127 (/bin/sh: apk: not found)")
    }

    // Goal: apk without --no-cache keeps its index; an unmodelled command is an opaque 0-byte layer.
    @Test func apkCacheAndOpaqueCommands() throws {
        let result = try Fixture.build("FROM alpine:3.19\nRUN apk add curl\nRUN make all\n")
        #expect(result.final.file("/var/cache/apk/APKINDEX.main.tar.gz") != nil)
        #expect(result.steps[2].layer.sizeBytes == 0)
        #expect(result.steps[2].notes == ["`make all` is not modelled: the layer holds whatever it would write"])
    }

    // Goal: npm ci sizes node_modules from package.json; CMD/ENTRYPOINT and ENV reach the config.
    @Test func npmAndConfig() throws {
        let manifest = """
            {"name": "web", "dependencies": {"express": "^4.19.2", "pg": "^8.11.0"},
             "devDependencies": {"jest": "^29.0.0"}}
            """
        let text = """
            FROM node:20-alpine
            ENV NODE_ENV=production
            WORKDIR /app
            COPY package.json ./
            RUN npm ci
            ENTRYPOINT ["node"]
            CMD ["server.js"]
            """
        let result = try Fixture.build(text, context: BuildContext(files: [ContextFile(path: "package.json", content: manifest)]))
        #expect(result.final.file("/app/node_modules/express/package-tree")?.size == 4_000_000)
        #expect(result.final.file("/app/node_modules/jest/package-tree") == nil)
        #expect(result.final.entrypoint == ["node"])
        #expect(result.final.cmd == ["server.js"])
        #expect(result.final.env.last! == ("NODE_ENV", "production"))
    }

    // Goal: the result round-trips through Codable (the REPL stores it).
    @Test func codableRoundTrip() throws {
        let result = try Fixture.build(Fixture.hrefCounter, context: Fixture.context())
        let data = try JSONEncoderShim.roundTrip(result)
        #expect(data == result)
    }

    // Goal: a generated 100-stage chain evaluates (timing is reported outside the tests).
    @Test func hundredStages() throws {
        let result = try Fixture.build(StressFixture.hundredStages, context: StressFixture.context)
        #expect(result.images.count == 100)
        #expect(result.steps.count == 1 + 99 * 2 + 1)
        #expect(result.final.file("/out/99.txt") != nil)
    }
}

enum StressFixture {
    static let hundredStages: String = {
        var lines = ["FROM alpine:3.19 AS s0", "COPY seed.txt /out/0.txt"]
        for index in 1..<100 {
            lines.append("FROM s\(index - 1) AS s\(index)")
            lines.append("RUN echo \(index) > /out/\(index).txt")
            lines.append("COPY --from=s\(index - 1) /out/\(index - 1).txt /copies/")
        }
        return lines.joined(separator: "\n") + "\n"
    }()
    static let context = BuildContext(files: [ContextFile(path: "seed.txt", content: "seed\n")])
}
