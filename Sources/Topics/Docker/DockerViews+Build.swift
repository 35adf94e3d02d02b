import DockerBuild
import WorkbenchKit

/// Views of an evaluated build.
extension DockerViews {
    /// Sizes as docker prints them (decimal units: 7.38MB, 1.2GB, 512B).
    static func bytes(_ n: Int) -> String {
        let value = Double(n)
        if n >= 1_000_000_000 { return String(format: "%.3gGB", value / 1e9) }
        if n >= 1_000_000 { return String(format: "%.3gMB", value / 1e6) }
        if n >= 1_000 { return String(format: "%.3gkB", value / 1e3) }
        return "\(n)B"
    }

    static func layerValue(_ l: Layer) -> Value {
        .object([("createdBy", .string(l.createdBy)), ("size", .int(Int64(l.sizeBytes))), ("emptyLayer", .bool(l.emptyLayer))])
    }

    static func imageValue(_ i: ImageResult) -> Value {
        .object([("stage", Value(i.stage)), ("base", .string(i.base)), ("baseBytes", .int(Int64(i.baseBytes))),
                 ("totalBytes", .int(Int64(i.totalBytes))), ("layers", .array(i.layers.map(layerValue))),
                 ("workdir", .string(i.workdir)), ("user", .string(i.user)),
                 ("cmd", i.cmd.map { .array($0.map(Value.string)) } ?? .null)])
    }

    static func buildValue(_ r: BuildResult) -> Value {
        .object([("steps", .array(r.steps.map { s in
                    .object([("label", .string(s.label)), ("cached", .bool(s.cached)), ("size", .int(Int64(s.layer.sizeBytes))),
                             ("notes", .array(s.notes.map(Value.string)))])
                 })),
                 ("cachedSteps", Value(r.steps.filter(\.cached).count)),
                 ("final", imageValue(r.final)),
                 ("singleStageBytes", .int(Int64(r.singleStageBytes)))])
    }

    /// BuildKit's plain progress: `#N [stage i/n] …`, CACHED where the cache answered, the layer size.
    static func drawBuild(_ r: BuildResult, style: Style) -> String {
        var lines: [String] = []
        for (n, s) in r.steps.enumerated() {
            let cached = s.cached ? style.cyan("CACHED ") : ""
            let size = s.layer.emptyLayer ? "" : style.dim("  (" + bytes(s.layer.sizeBytes) + ")")
            lines.append("#\(n + 1) \(cached)\(s.label)\(size)")
            for note in s.notes { lines.append("   " + style.yellow("note: ") + note) }
        }
        let cachedCount = r.steps.filter(\.cached).count
        lines.append("")
        lines.append("\(cachedCount) of \(r.steps.count) steps from cache; final image (stage \(r.final.stage)) " + style.bold(bytes(r.final.totalBytes))
                     + " = \(r.final.base) \(bytes(r.final.baseBytes)) + \(r.final.layers.filter { !$0.emptyLayer }.count) layer" + (r.final.layers.filter { !$0.emptyLayer }.count == 1 ? "" : "s"))
        return lines.joined(separator: "\n")
    }

    static func drawHistory(_ image: ImageResult, style: Style) -> String {
        // BuildKit marks every history entry it writes with the comment buildkit.dockerfile.v0.
        let rows = image.layers.reversed().map { l in ["<missing>", String(l.createdBy.prefix(70)), bytes(l.sizeBytes), "buildkit.dockerfile.v0"] }
        return Table(headers: ["IMAGE", "CREATED BY", "SIZE", "COMMENT"], rows: rows).render(style: style)
    }

    static func drawFiles(_ entries: [FileEntry], style: Style) -> String {
        guard !entries.isEmpty else { return "no files there" }
        return entries.map { e in
            let depth = e.path.split(separator: "/").count - 1
            let name = e.path == "/" ? "" : String(e.path.split(separator: "/").last ?? "")
            return String(repeating: "  ", count: max(0, depth)) + (e.isDirectory ? style.blue(name + "/") : name)
                + (e.isDirectory ? "" : style.dim("  " + bytes(e.size))) + (["root", "root:root", "0:0"].contains(e.owner) ? "" : style.dim("  (\(e.owner))"))
        }.joined(separator: "\n")
    }

    static func drawSize(_ r: BuildResult, style: Style) -> String {
        let saved = r.singleStageBytes - r.final.totalBytes
        let width = 40
        let scale = Double(max(r.singleStageBytes, r.final.totalBytes, 1))
        func bar(_ n: Int) -> String { String(repeating: "█", count: max(1, Int(Double(width) * Double(n) / scale))) }
        return [
            "single stage (ship the builder)  " + style.red(bar(r.singleStageBytes)) + " " + bytes(r.singleStageBytes),
            "multi-stage (final image)        " + style.green(bar(r.final.totalBytes)) + " " + bytes(r.final.totalBytes),
            "saved: " + style.bold(bytes(saved)) + String(format: " (%.0f%%)", 100 * Double(saved) / Double(max(r.singleStageBytes, 1))),
        ].joined(separator: "\n")
    }
}
