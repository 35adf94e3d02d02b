import DockerBuild
import Foundation

/// Docker figures: parsing and resolving the stage graph of a generated multi-stage Dockerfile.
extension Bench {
    /// A Dockerfile of `stages` stages and about `instructions` instructions: each stage starts from
    /// an image or the previous stage, copies from an earlier one, and runs, copies and sets things.
    static func generatedDockerfile(instructions: Int, stages: Int) -> String {
        var lines = ["# syntax=docker/dockerfile:1", "ARG BASE=alpine:3.19"]
        let perStage = max(2, instructions / stages)
        for s in 0..<stages {
            lines.append(s % 3 == 0 || s == 0 ? "FROM ${BASE} AS s\(s)" : "FROM s\(s - 1) AS s\(s)")
            for i in 1..<perStage {
                switch i % 5 {
                case 0 where s > 1: lines.append("COPY --from=s\(s / 2) /out/\(i) /in/\(i)")
                case 1: lines.append("RUN echo \(s)-\(i) > /out/\(i) && \\\n    ls /out")
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
        let parseMs = Double(parsed - start) / 1e6, graphMs = Double(done - parsed) / 1e6
        print(String(format: "docker: a generated Dockerfile of %d instructions in %d stages: parsed in %.0f ms, stage graph + %d BuildKit progress labels in %.0f ms (%.1fx the parse); %d of %d stages reachable from the last",
                     file.instructions.count, graph.stages.count, parseMs, labels, graphMs, graphMs / parseMs, graph.reachable.count, graph.stages.count))
    }
}
