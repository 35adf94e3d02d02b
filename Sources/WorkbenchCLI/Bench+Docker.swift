import DockerBuild
import Foundation

/// Docker figures: parsing and resolving the stage graph of a generated multi-stage Dockerfile.
extension Bench {
    /// A Dockerfile of `stages` stages and about `instructions` instructions: each stage starts from
    /// the previous one (the first from an image), copies from an earlier one, and runs, copies and
    /// sets things.
    static func generatedDockerfile(instructions: Int, stages: Int) -> String {
        var lines = ["# syntax=docker/dockerfile:1", "ARG BASE=alpine:3.19"]
        let perStage = max(2, instructions / stages)
        for s in 0..<stages {
            // Each stage builds on the previous one, so the last stage needs all 100.
            lines.append(s == 0 ? "FROM ${BASE} AS s0" : "FROM s\(s - 1) AS s\(s)")
            for i in 1..<perStage {
                switch i % 5 {
                case 0 where s > 1: lines.append("COPY --from=s\(s / 2) /out/\(i - 4) /in/\(i)")
                case 1: lines.append("RUN mkdir -p /out && \\\n    echo \(s)-\(i) > /out/\(i)")
                case 2: lines.append("ENV K\(i)=v\(i)")
                case 3: lines.append("WORKDIR /work/\(i)")
                default: lines.append("COPY file\(i).txt /in/")
                }
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    func docker(instructions: Int, stages: Int) {
        let text = Bench.generatedDockerfile(instructions: instructions, stages: stages)
        let start = DispatchTime.now().uptimeNanoseconds
        guard let file = try? Dockerfile.parse(text) else { print("docker bench: parse failed"); return }
        let parsed = DispatchTime.now().uptimeNanoseconds
        guard let graph = try? StageGraph.build(file, options: BuildOptions()) else { print("docker bench: graph failed"); return }
        let labels = graph.buildkitProgress().count
        let done = DispatchTime.now().uptimeNanoseconds
        // Evaluate every stage (target the whole chain by building each stage's graph would repeat
        // work; the last stage's reachable set is what a build runs).
        let files = (1..<max(2, instructions / stages)).map { ContextFile(path: "file\($0).txt", size: 1_000 + $0, content: nil) }
        let evaluated: BuildResult?
        do { evaluated = try Builder.evaluate(graph, context: BuildContext(files: files)) } catch { print("docker bench: evaluate failed: \(error.message)"); evaluated = nil }
        let built = DispatchTime.now().uptimeNanoseconds
        let parseMs = Double(parsed - start) / 1e6, graphMs = Double(done - parsed) / 1e6, buildMs = Double(built - done) / 1e6
        print(String(format: "docker: a generated Dockerfile of %d instructions in %d stages: parsed in %.0f ms, stage graph + %d BuildKit progress labels in %.0f ms (%.1fx the parse); %d of %d stages reachable from the last; evaluating them (%d steps, final image %d bytes) %.0f ms",
                     file.instructions.count, graph.stages.count, parseMs, labels, graphMs, graphMs / parseMs, graph.reachable.count, graph.stages.count,
                     evaluated?.steps.count ?? -1, evaluated?.final.totalBytes ?? -1, buildMs))
    }
}
