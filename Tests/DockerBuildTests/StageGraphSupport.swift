@testable import DockerBuild

/// Helpers shared by the stage-graph suites.
enum StageGraphSupport {
    /// Parses `text` and builds its graph.
    static func graph(_ text: String, _ options: BuildOptions = BuildOptions()) throws -> StageGraph {
        try StageGraph.build(try Dockerfile.parse(text), options: options)
    }

    /// The error `StageGraph.build` throws for `text`, or nil when it succeeds.
    static func buildError(_ text: String, _ options: BuildOptions = BuildOptions()) -> DockerfileError? {
        do {
            _ = try graph(text, options)
            return nil
        } catch let error as DockerfileError {
            return error
        } catch {
            return DockerfileError(message: "unexpected error type: \(error)")
        }
    }

    /// The Docker docs' multi-stage example (docker/docs content/manuals/build/building/multi-stage.md).
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

    /// The docs' `--target stage2` example (multi-stage.md "Differences between legacy builder and BuildKit").
    static let baseStage1Stage2 = """
        # syntax=docker/dockerfile:1
        FROM ubuntu AS base
        RUN echo "base"

        FROM base AS stage1
        RUN echo "stage1"

        FROM base AS stage2
        RUN echo "stage2"
        """
}
