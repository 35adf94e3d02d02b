import Testing
@testable import DockerBuild

/// Progress labels, legacy steps, parallel levels and the DOT picture.
@Suite("Stage graph: views")
struct StageGraphViewTests {
    @Test("a lone stage has no name in its labels, and WORKDIR / makes no vertex")
    func loneStageLabels() throws {
        // Goal: convert.go blanks the name when only one state exists and prefixCommand then
        // prints `[i/n]`; dispatchWorkdir makes no vertex for "/" although cmdTotal counted it.
        let graph = try StageGraphSupport.graph("FROM alpine\nWORKDIR /\nRUN ls\nCMD [\"sh\"]\n")
        #expect(graph.buildkitProgress() == ["[1/3] FROM docker.io/library/alpine:latest", "[2/3] RUN ls"])
    }

    @Test("the step number is right-aligned to the width of the total")
    func labelWidth() throws {
        // Goal: prefixCommand formats `%*d/%d` with the width of n (docker-ecs.md §2: `[ 1/12]`);
        // a lone stage shows no name even when it has one.
        let runs = (1...11).map { "RUN step\($0)" }.joined(separator: "\n")
        let graph = try StageGraphSupport.graph("FROM alpine AS big\n\(runs)\n")
        let labels = graph.buildkitProgress()
        #expect(labels.count == 12)
        #expect(labels[0] == "[ 1/12] FROM docker.io/library/alpine:latest")
        #expect(labels[9] == "[10/12] RUN step9")
    }

    @Test("label text: RUN keeps quotes and unset variables, COPY and WORKDIR do not")
    func labelExpansion() throws {
        // Goal: docker-ecs.md §1.6 — labels are expanded with the stage's ARG/ENV; RUN uses the
        // lexer with RawQuotes and SkipUnsetEnv, COPY/WORKDIR the default lexer; the keyword is
        // upper-cased (uppercaseCmd); a heredoc RUN gets its first line appended.
        let text = """
            FROM alpine AS s
            ARG NAME=world
            ENV DIR=/srv GREETING="hello $NAME"
            run echo "$GREETING" '$NAME' $UNSET ${UNSET} ${NAME:-x} ${DIR#/}
            WORKDIR $DIR/"app"
            COPY "a b" ${DIR}/
            RUN <<EOF
            echo one
            echo two
            EOF
            """
        let graph = try StageGraphSupport.graph(text)
        #expect(graph.buildkitProgress() == [
            "[1/5] FROM docker.io/library/alpine:latest",
            "[2/5] RUN echo \"hello world\" '$NAME' $UNSET ${UNSET} world srv",
            "[3/5] WORKDIR /srv/app",
            "[4/5] COPY a b /srv/",
            "[5/5] RUN <<EOF (echo one...)",
        ])
    }

    @Test("legacy steps count every meta ARG and FROM")
    func legacyStepsWithMetaArgs() throws {
        // Goal: moby builder.go numbers `len(metaArgs) + len(stages) + Σ len(commands)` steps and
        // prints each instruction as written (docker-ecs.md §2 "Legacy builder").
        let text = "ARG A=1\nARG B\nFROM alpine:$A AS one\nRUN x\nFROM one\nCOPY --from=one /x /y\n"
        let graph = try StageGraphSupport.graph(text)
        #expect(graph.legacySteps() == [
            "Step 1/6 : ARG A=1",
            "Step 2/6 : ARG B",
            "Step 3/6 : FROM alpine:$A AS one",
            "Step 4/6 : RUN x",
            "Step 5/6 : FROM one",
            "Step 6/6 : COPY --from=one /x /y",
        ])
        #expect(throws: DockerfileError(message: "No image was generated. Is your Dockerfile empty?")) {
            try StageGraph.legacyTarget(try Dockerfile.parse("ARG A=1\n"), options: BuildOptions())
        }
    }

    @Test("two independent stages copied into a third build in parallel")
    func parallelLevels() throws {
        // Goal: "Parallelize building independent build stages" (docker/docs
        // content/manuals/build/buildkit/_index.md): frontend and backend share no edge, so they
        // form one level; the final stage, which copies both, comes after; unused is skipped.
        let text = """
            FROM node:20 AS frontend
            RUN npm run build
            FROM golang:1.22 AS backend
            RUN go build -o /app
            FROM alpine AS unused
            RUN true
            FROM alpine AS final
            COPY --from=frontend /dist /www
            COPY --from=backend /app /app
            FROM final AS with-tests
            RUN /app -test
            """
        let graph = try StageGraphSupport.graph(text)
        #expect(graph.reachable == [0, 1, 3, 4])
        #expect(graph.levels() == [[0, 1], [3], [4]])
    }

    @Test("DOT shows stages, images and labelled edges")
    func dotOutput() throws {
        // Goal: the DOT view draws every stage (unbuilt ones dashed grey), images as boxes, and
        // one labelled edge per FROM / COPY --from / RUN --mount (docker-ecs.md §0.3 edges).
        let text = """
            FROM golang:1.22 AS build
            RUN go build
            FROM alpine AS debug
            FROM alpine
            COPY --from=build /app /app
            RUN --mount=from=busybox,target=/bb ls
            """
        let dot = try StageGraphSupport.graph(text).dot
        #expect(dot.hasPrefix("digraph stages {\n"))
        #expect(dot.contains("  s0 [label=\"build\"];"))
        #expect(dot.contains("  s1 [label=\"debug\", style=dashed, color=grey, fontcolor=grey];"))
        #expect(dot.contains("  s2 [label=\"stage-2\", peripheries=2];"))
        #expect(dot.contains("  i2 [label=\"docker.io/library/golang:1.22\", shape=box];"))
        #expect(dot.contains("  i2 -> s0 [label=\"FROM\"];"))
        #expect(dot.contains("  i0 -> s1 [label=\"FROM\", style=dashed, color=grey];"))
        #expect(dot.contains("  i0 -> s2 [label=\"FROM\"];"))
        #expect(dot.contains("  s0 -> s2 [label=\"COPY --from\"];"))
        #expect(dot.contains("  i1 -> s2 [label=\"RUN --mount\"];"))
        #expect(dot.hasSuffix("}\n"))
    }

    @Test("10,000 instructions over 100 stages")
    func largeFile() throws {
        // Goal: a generated Dockerfile of 100 stages × 100 instructions builds its graph with
        // every stage reached through a COPY --from chain (a scale check, not a timing).
        var lines: [String] = []
        for stage in 0..<100 {
            lines.append(stage == 0 ? "FROM alpine AS s0" : "FROM alpine AS s\(stage)")
            if stage > 0 { lines.append("COPY --from=s\(stage - 1) /out /in") }
            for step in 0..<(stage > 0 ? 98 : 99) {
                lines.append(step % 3 == 0 ? "ENV V\(step)=\(stage)" : "RUN echo $V0 step\(step)")
            }
        }
        #expect(lines.count == 10_000)
        let graph = try StageGraphSupport.graph(lines.joined(separator: "\n"))
        #expect(graph.reachable == Array(0..<100))
        #expect(graph.levels().count == 100)
        #expect(graph.legacySteps().count == 10_000)
        #expect(graph.buildkitProgress().last == "[s99 67/67] RUN echo 99 step97")
    }
}
