import ECS
import WorkbenchKit

/// Values (for --json and expect) and drawings of the ECS world.
enum ECSViews {
    static func taskDefinitionValue(_ td: TaskDefinition) -> Value {
        .object([("family", .string(td.family)), ("revision", Value(td.revision)), ("arn", .string(td.arn)), ("status", .string(td.status.rawValue)),
                 ("containers", .array(td.containers.map { .object([("name", .string($0.name)), ("image", .string($0.image)), ("port", $0.port.map(Value.init) ?? .null)]) }))])
    }

    static func drawTaskDefinitions(_ w: AWSWorld, style: Style) -> String {
        guard !w.taskDefinitions.isEmpty else { return "no task definitions yet: `ecs taskdef register --family app --image repo/app:v1`" }
        let running = Set(w.services.flatMap { $0.taskSets.map(\.taskDefinitionArn) })
        return Table(headers: ["revision", "status", "image", "used by"], rows: w.taskDefinitions.map { td in
            let status = td.status == .active ? style.green(td.status.rawValue) : style.red(td.status.rawValue)
            return [td.familyRevision, status, td.containers.map(\.image).joined(separator: ", "), running.contains(td.arn) ? "a running task set" : "-"]
        }).render(style: style)
    }

    static func serviceValue(_ w: AWSWorld) -> Value {
        .object([
            ("services", .array(w.services.map { s in
                .object([("name", .string(s.name)), ("controller", .string(s.controller.rawValue)), ("desiredCount", Value(s.desiredCount)),
                         ("taskSets", .array(s.taskSets.map { t in
                             .object([("id", .string(t.id)), ("taskDefinition", .string(t.taskDefinitionArn)), ("status", .string(t.status.rawValue)),
                                      ("targetGroup", Value(t.targetGroup)), ("trafficWeight", Value(t.trafficWeight)), ("runningCount", Value(t.runningCount))])
                         }))])
            })),
            ("listeners", .array(w.listeners.map { l in
                .object([("role", .string(l.role.rawValue)), ("port", Value(l.port)), ("targetGroup", .string(l.targetGroup)),
                         ("shiftedTargetGroup", Value(l.shiftedTargetGroup)), ("shiftedWeight", Value(l.shiftedWeight))])
            })),
        ])
    }

    /// Listeners → target groups → task sets, as arrows.
    static func drawService(_ w: AWSWorld, style: Style) -> String {
        guard let s = w.services.first else { return "no service yet: `ecs service create app-svc --taskdef app:1`" }
        var lines = ["service \(style.bold(s.name)) (\(s.controller.rawValue), desiredCount \(s.desiredCount))"]
        for l in w.listeners {
            var route = "\(l.targetGroup)"
            if let shifted = l.shiftedTargetGroup, l.shiftedWeight > 0 { route = "\(l.targetGroup) \(100 - l.shiftedWeight)% + \(shifted) \(l.shiftedWeight)%" }
            lines.append("  \(l.role.rawValue) listener :\(l.port) → \(route)")
        }
        for t in s.taskSets {
            let td = t.taskDefinitionArn.split(separator: "/").last.map(String.init) ?? t.taskDefinitionArn
            let tdStatus = w.taskDefinitions.first { $0.arn == t.taskDefinitionArn }?.status.rawValue ?? "?"
            lines.append("  \(t.targetGroup ?? "-") ← task set \(t.id) [\(t.status.rawValue)] runs \(td) (\(tdStatus)), \(t.runningCount) tasks, \(t.trafficWeight)% of traffic")
        }
        return lines.joined(separator: "\n")
    }

    static func deploymentValue(_ d: Deployment) -> Value {
        .object([("id", .string(d.id)), ("status", .string(d.status.rawValue)), ("taskDefinition", .string(d.appspecTaskDefinition)),
                 ("next", d.lifecycle.map { .string($0.rawValue) } ?? .null), ("shiftedPercent", Value(d.shiftedPercent)),
                 ("error", d.error.map { .string($0.message) } ?? .null), ("rolledBack", .bool(d.rolledBack)),
                 ("events", .array(d.events.map { .string($0.summary) }))])
    }

    static func drawDeployments(_ w: AWSWorld, style: Style) -> String {
        guard !w.deployments.isEmpty else { return "no deployments yet: `ecs pipeline run`" }
        return Table(headers: ["deployment", "status", "TaskDefinition", "traffic shifted", "error"], rows: w.deployments.map { d in
            let status = d.status == .succeeded ? style.green(d.status.rawValue) : (d.status == .failed ? style.red(d.status.rawValue) : d.status.rawValue)
            return [d.id, status, d.appspecTaskDefinition.split(separator: "/").last.map(String.init) ?? d.appspecTaskDefinition, "\(d.shiftedPercent)%", d.error?.message ?? "-"]
        }).render(style: style)
    }

    static func drawDeployment(_ d: Deployment, style: Style) -> String {
        var lines = ["\(d.id): \(d.status.rawValue), TaskDefinition \(d.appspecTaskDefinition)"]
        for e in d.events {
            let outcome = e.outcome == .failed ? style.red(e.outcome.rawValue) : e.outcome.rawValue
            lines.append("  \(UTCDate.string(ms: e.atMs))  \(Style.pad(e.step.rawValue, to: 22)) \(outcome)" + (e.message.map { ": " + $0 } ?? ""))
        }
        if let next = d.lifecycle { lines.append("  next: \(next.rawValue)" + (d.nextEventAtMs.map { " at \(UTCDate.string(ms: $0))" } ?? "")) }
        return lines.joined(separator: "\n")
    }

    static func configValue(_ c: DeploymentConfig) -> Value {
        let routing: String
        switch c.trafficRouting {
        case .allAtOnce: routing = "all-at-once"
        case let .linear(p, every): routing = "linear \(p)% every \(every / 60_000) min"
        case let .canary(p, after): routing = "canary \(p)% then the rest after \(after / 60_000) min"
        }
        return .object([("routing", .string(routing)), ("terminationWaitMs", .int(c.terminationWaitMs)), ("autoRollback", .bool(c.autoRollback))])
    }
}
