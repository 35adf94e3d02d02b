import Testing
@testable import DockerBuild

/// The instruction layer: typed accessors and BuildKit's instruction-level checks.
@Suite("Typed commands")
struct TypedCommandTests {
    private func command(_ line: String, after prefix: String = "FROM x\n") throws -> Command {
        let parsed = try Dockerfile.parse(prefix + line + "\n")
        return try parsed.instructions[parsed.instructions.count - 1].command()
    }

    @Test func from() throws {
        // Goal: FROM gives image, lower-cased stage name and platform; bad shapes fail with
        // BuildKit's messages (instructions/parse.go parseFrom, parseBuildStageName).
        #expect(try command("FROM --platform=$BUILDPLATFORM golang:1.22 As Build", after: "") ==
            .from(FromCommand(image: "golang:1.22", stageName: "build", platform: "$BUILDPLATFORM")))
        #expect(try command("FROM scratch", after: "") == .from(FromCommand(image: "scratch", stageName: nil, platform: nil)))
        #expect(throws: DockerfileError(line: 1, message: "FROM requires either one or three arguments")) {
            try command("FROM a b", after: "")
        }
        #expect(throws: DockerfileError(line: 1, message: "invalid name for build stage: \"1abc\", name can't start with a number or contain symbols")) {
            try command("FROM a AS 1abc", after: "")
        }
        #expect(throws: DockerfileError(line: 1, message: "unknown flag: --platfrom (did you mean platform?)")) {
            try command("FROM --platfrom=linux/amd64 a", after: "")
        }
    }

    @Test func copyAndAdd() throws {
        // Goal: COPY/ADD split sources and destination and read their flags; unknown flags and a
        // missing destination fail (instructions/parse.go parseCopy, parseAdd; bflag.go).
        #expect(try command("COPY --from=build --chown=1:1 --chmod=755 --link --parents --exclude=*.md --exclude=.git a b /app/") ==
            .copy(CopyCommand(sources: ["a", "b"], contents: [], destination: "/app/", from: "build", chown: "1:1",
                              chmod: "755", link: true, parents: true, excludes: ["*.md", ".git"])))
        #expect(try command("COPY [\"a b\", \"/c d/\"]") ==
            .copy(CopyCommand(sources: ["a b"], contents: [], destination: "/c d/", from: nil, chown: nil,
                              chmod: nil, link: false, parents: false, excludes: [])))
        #expect(try command("ADD --keep-git-dir=true --checksum=sha256:abc --link=false https://x/y.git /src") ==
            .add(AddCommand(sources: ["https://x/y.git"], contents: [], destination: "/src", chown: nil, chmod: nil,
                            link: false, keepGitDir: true, checksum: "sha256:abc", excludes: [], unpack: nil)))
        #expect(throws: DockerfileError(line: 2, message: "unknown flag: --form (did you mean from?)")) {
            try command("COPY --form=build a /b")
        }
        #expect(throws: DockerfileError(line: 2, message: "unknown flag: --from")) { try command("ADD --from=build a /b") }
        #expect(throws: DockerfileError(line: 2, message: "unknown flag: --user")) { try command("COPY --user=me foo /tmp/") }
        #expect(throws: DockerfileError(line: 2, message: "missing a value on flag: --from")) { try command("COPY --from a /b") }
        #expect(throws: DockerfileError(line: 2, message: "duplicate flag specified: --from")) {
            try command("COPY --from=a --from=b a /b")
        }
        #expect(throws: DockerfileError(line: 2, message: "expecting boolean value for flag --link, not: yes")) {
            try command("COPY --link=yes a /b")
        }
        #expect(throws: DockerfileError(line: 2, message: "COPY requires at least two arguments, but only one was provided. Destination could not be determined")) {
            try command("COPY a")
        }
        #expect(throws: DockerfileError(line: 2, message: "COPY cannot accept a heredoc as a destination")) {
            try command("COPY a <<EOF\nEOF")
        }
    }

    @Test func run() throws {
        // Goal: RUN gives shell or exec form, heredoc files, `--mount` fields in order, network
        // and security (instructions/parse.go parseRun; commands_runmount.go, _runnetwork.go).
        let run = try #require(try command("RUN --mount=type=cache,target=/root/.cache,sharing=locked --mount=type=bind,from=build,source=/out,ro --network=none go build ./...").run)
        #expect(run.command == .shell("go build ./..."))
        #expect(run.mounts.count == 2)
        #expect(run.mounts[0].options == [
            RunMount.Option(key: "type", value: "cache"), RunMount.Option(key: "target", value: "/root/.cache"),
            RunMount.Option(key: "sharing", value: "locked"),
        ])
        #expect(run.mounts[0].type == "cache")
        #expect(run.mounts[0].target == "/root/.cache")
        #expect(run.mounts[1].from == "build")
        #expect(run.mounts[1]["source"] == "/out")
        #expect(run.mounts[1].options.last == RunMount.Option(key: "ro", value: nil))
        #expect(run.network == "none")
        #expect(run.security == "sandbox")
        #expect(try command("RUN [\"echo\", \"hi\"]").run?.command == .exec(["echo", "hi"]))
        #expect(try command("RUN --mount=\"type=secret,id=a,target=/x\" true").run?.mounts.first?["id"] == "a")
        let heredocRun = try #require(try command("RUN <<EOF bash\necho hi\nEOF").run)
        #expect(heredocRun.command == .shell("<<EOF bash"))
        #expect(heredocRun.heredocs == [Heredoc(name: "EOF", content: "echo hi\n")])
        #expect(throws: DockerfileError(line: 2, message: "'from' doesn't support variable expansion, define alias stage instead")) {
            try command("RUN --mount=from=$STAGE,target=/x true")
        }
        #expect(throws: DockerfileError(line: 2, message: "invalid network mode \"bridge\"")) {
            try command("RUN --network=bridge true")
        }
        #expect(throws: DockerfileError(line: 2, message: "failed to parse csv mounts: parse error on line 1, column 4: bare \" in non-quoted-field")) {
            // `\"` puts a literal quote into the flag; csv then rejects it.
            try command("RUN --mount=tar\\\"get=/x true")
        }
        #expect(throws: DockerfileError(line: 2, message: "unknown flag: --mont (did you mean mount?)")) {
            try command("RUN --mont=type=cache,target=/x true")
        }
    }

    @Test func argAndEnv() throws {
        // Goal: ARG declares several names with optional raw defaults; ENV keeps `k=v` and legacy
        // `k v` pairs as BuildKit's parser splits them (instructions parseArg, parseEnv, parseKvps).
        #expect(try command("ARG VERSION=1.2 \"QUOTED=a b\" NAME", after: "") == .arg(ArgCommand(args: [
            ArgDeclaration(name: "VERSION", defaultValue: "1.2"),
            ArgDeclaration(name: "\"QUOTED", defaultValue: "a b\""),
            ArgDeclaration(name: "NAME", defaultValue: nil),
        ])))
        #expect(try command("ENV PATH=/go/bin:$PATH GREETING=\"hello world\"") == .env(EnvCommand(pairs: [
            KeyValuePair(key: "PATH", value: "/go/bin:$PATH", noDelimiter: false),
            KeyValuePair(key: "GREETING", value: "\"hello world\"", noDelimiter: false),
        ])))
        #expect(try command("ENV GOPATH /go extra") == .env(EnvCommand(pairs: [
            KeyValuePair(key: "GOPATH", value: "/go extra", noDelimiter: true),
        ])))
        #expect(throws: DockerfileError(line: 1, message: "ARG names can not be blank")) { try command("ARG =x", after: "") }
        #expect(throws: DockerfileError(line: 2, message: "ENV requires at least one argument")) { try command("ENV") }
        #expect(throws: DockerfileError(line: 2, message: "unknown flag: --x")) { try command("ENV --x=1 a=b") }
    }

    @Test func simpleInstructions() throws {
        // Goal: WORKDIR, USER, EXPOSE, LABEL, STOPSIGNAL, VOLUME, MAINTAINER give their values
        // and enforce BuildKit's argument counts (instructions/parse.go).
        #expect(try command("WORKDIR /app") == .workdir(WorkdirCommand(path: "/app")))
        #expect(try command("USER app:app") == .user(UserCommand(user: "app:app")))
        #expect(try command("EXPOSE 8080 443/tcp 80") == .expose(ExposeCommand(ports: ["443/tcp", "80", "8080"])))
        #expect(try command("LABEL a=1 b=\"2 3\"") == .label(LabelCommand(labels: [
            KeyValuePair(key: "a", value: "1", noDelimiter: false), KeyValuePair(key: "b", value: "\"2 3\"", noDelimiter: false),
        ])))
        #expect(try command("STOPSIGNAL SIGQUIT") == .stopSignal(StopSignalCommand(signal: "SIGQUIT")))
        #expect(try command("VOLUME [\"/data\", \"/logs\"]") == .volume(VolumeCommand(volumes: ["/data", "/logs"])))
        #expect(try command("VOLUME /a /b") == .volume(VolumeCommand(volumes: ["/a", "/b"])))
        #expect(try command("MAINTAINER Jane <jane@example.com>") == .maintainer(MaintainerCommand(maintainer: "Jane <jane@example.com>")))
        #expect(throws: DockerfileError(line: 2, message: "WORKDIR requires exactly one argument")) { try command("WORKDIR") }
        #expect(throws: DockerfileError(line: 2, message: "VOLUME specified can not be an empty string")) {
            try command("VOLUME [\"\"]")
        }
        #expect(throws: DockerfileError(line: 2, message: "EXPOSE requires at least one argument")) { try command("EXPOSE") }
    }

    @Test func cmdEntrypointShell() throws {
        // Goal: CMD and ENTRYPOINT keep shell or exec form; SHELL needs JSON, with BuildKit's hint
        // for unescaped Windows paths (instructions parseCmd, parseEntrypoint, parseShell, errNotJSON).
        #expect(try command("CMD [\"nginx\", \"-g\", \"daemon off;\"]") == .cmd(CmdCommand(command: .exec(["nginx", "-g", "daemon off;"]))))
        #expect(try command("CMD echo $HOME") == .cmd(CmdCommand(command: .shell("echo $HOME"))))
        #expect(try command("ENTRYPOINT [\"/entrypoint.sh\"]") == .entrypoint(EntrypointCommand(command: .exec(["/entrypoint.sh"]))))
        #expect(try command("SHELL [\"powershell\", \"-command\"]") == .shell(ShellCommand(shell: ["powershell", "-command"])))
        #expect(throws: DockerfileError(line: 2, message: "SHELL requires the arguments to be in JSON form")) {
            try command("SHELL /bin/bash -c")
        }
        #expect(throws: DockerfileError(line: 2, message: "SHELL requires the arguments to be in JSON form. It looks like '[\"c:\\windows\\powershell.exe\"]' includes a file path without an escaped back-slash. JSON requires back-slashes to be escaped such as [\"c:\\\\path\\\\to\\\\file.exe\", \"/parameter\"]")) {
            try command("SHELL [\"c:\\windows\\powershell.exe\"]")
        }
        #expect(throws: DockerfileError(line: 2, message: "unknown flag: --doit")) { try command("CMD --doit [ \"a\", \"b\" ]") }
    }

    @Test func healthcheck() throws {
        // Goal: HEALTHCHECK NONE/CMD with Go durations and retries; other types fail
        // (instructions parseHealthcheck, parseOptInterval; testfiles health).
        #expect(try command("HEALTHCHECK --interval=1m30s --timeout=3s --start-period=1.5s --retries=3 CMD curl -f http://localhost/") ==
            .healthcheck(HealthcheckCommand(test: ["CMD-SHELL", "curl -f http://localhost/"], intervalNs: 90_000_000_000,
                                            timeoutNs: 3_000_000_000, startPeriodNs: 1_500_000_000, startIntervalNs: 0, retries: 3)))
        #expect(try command("HEALTHCHECK --timeout=0s CMD [\"foo\"]") ==
            .healthcheck(HealthcheckCommand(test: ["CMD", "foo"], intervalNs: 0, timeoutNs: 0, startPeriodNs: 0,
                                            startIntervalNs: 0, retries: 0)))
        #expect(try command("HEALTHCHECK NONE") ==
            .healthcheck(HealthcheckCommand(test: ["NONE"], intervalNs: 0, timeoutNs: 0, startPeriodNs: 0,
                                            startIntervalNs: 0, retries: 0)))
        #expect(throws: DockerfileError(line: 2, message: "Unknown type \"CONNECT\" in HEALTHCHECK (try CMD)")) {
            try command("HEALTHCHECK CONNECT TCP 7000")
        }
        #expect(throws: DockerfileError(line: 2, message: "Missing command after HEALTHCHECK CMD")) { try command("HEALTHCHECK CMD") }
        #expect(throws: DockerfileError(line: 2, message: "Interval \"interval\" cannot be less than 1ms")) {
            try command("HEALTHCHECK --interval=10us CMD true")
        }
        #expect(throws: DockerfileError(line: 2, message: "time: invalid duration \"soon\"")) {
            try command("HEALTHCHECK --interval=soon CMD true")
        }
        #expect(throws: DockerfileError(line: 2, message: "time: missing unit in duration \"5\"")) {
            try command("HEALTHCHECK --timeout=5 CMD true")
        }
        #expect(throws: DockerfileError(line: 2, message: "--retries cannot be negative (-1)")) {
            try command("HEALTHCHECK --retries=-1 CMD true")
        }
    }

    @Test func onbuild() throws {
        // Goal: ONBUILD keeps its trigger as an instruction (flags included) and rejects ONBUILD,
        // FROM and MAINTAINER triggers (instructions parseOnBuild; testfiles lk4d4 dump).
        let parsed = try Dockerfile.parse("FROM x\nONBUILD COPY --from=builder /out /app\n")
        #expect(parsed.dump == "(from \"x\")\n(onbuild (copy [\"--from=builder\"] \"/out\" \"/app\"))\n")
        let onbuild = try #require(try parsed.instructions[1].command().onbuild)
        #expect(onbuild.expression == "COPY --from=builder /out /app")
        #expect(try onbuild.trigger.command().copy?.from == "builder")
        #expect(throws: DockerfileError(line: 2, message: "Chaining ONBUILD via `ONBUILD ONBUILD` isn't allowed")) {
            try command("ONBUILD ONBUILD RUN x")
        }
        #expect(throws: DockerfileError(line: 2, message: "FROM isn't allowed as an ONBUILD trigger")) {
            try command("onbuild from alpine")
        }
        #expect(throws: DockerfileError(line: 2, message: "ONBUILD requires at least one argument")) { try command("ONBUILD") }
    }

    @Test func commandsStopAtFirstError() throws {
        // Goal: `commands()` types every instruction in order and reports the first failure with
        // its line, like BuildKit's instructions.Parse.
        let parsed = try Dockerfile.parse("FROM x\nRUN ok\nCOPY --nope a b\nFROMX y\n")
        #expect(throws: DockerfileError(line: 3, message: "unknown flag: --nope")) { try parsed.commands() }
        let good = try Dockerfile.parse("ARG BASE=alpine\nFROM $BASE AS base\nRUN true\n")
        #expect(try good.commands().count == 3)
    }
}
