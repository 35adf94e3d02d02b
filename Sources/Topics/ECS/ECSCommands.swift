import ECS
import WorkbenchKit

/// `ecs …`: the AWS calls and pipeline actions of an ECS blue/green setup, and its views.
enum ECSCommands {
    static var all: [CommandSpec] {
        [register, deregister, delete, copy, list, describe, serviceCreate, serviceUpdate, service,
         pipelineFiles, imagePush, pipelineRun, deploy, deployments, deployment, stop, redeploy, config]
    }

    static let revisions: LiveNames = { session in session.topic(ECSState.self).world.taskDefinitions.map(\.familyRevision) }
    static let deploymentIDs: LiveNames = { session in session.topic(ECSState.self).world.deployments.map(\.id) }

    /// The taskdef.json of AWS's CodePipeline blue/green tutorial: one container `web` on port 80
    /// whose image is the `<IMAGE1_NAME>` placeholder the pipeline fills in.
    static let sampleTaskdef = """
        {
          "family": "app",
          "networkMode": "awsvpc",
          "requiresCompatibilities": ["FARGATE"],
          "cpu": "256",
          "memory": "512",
          "containerDefinitions": [
            { "name": "web", "image": "<IMAGE1_NAME>", "essential": true,
              "portMappings": [{ "containerPort": 80, "protocol": "tcp" }] }
          ]
        }
        """

    static func sampleAppspec(taskDefinition: String, container: String) -> String {
        """
        version: 0.0
        Resources:
          - TargetService:
              Type: AWS::ECS::Service
              Properties:
                TaskDefinition: "\(taskDefinition)"
                LoadBalancerInfo:
                  ContainerName: "\(container)"
                  ContainerPort: 80

        """
    }

    static let register = CommandSpec(
        ["ecs", "taskdef", "register"], abstract: "RegisterTaskDefinition: a new ACTIVE revision of a family (numbers are never reused).",
        parameters: [.optional("file", .file, "A taskdef.json (default: --family/--image).")],
        flags: [.option("--family", .text, "Family (default app)."), .option("--image", .text, "Container image (default repo/app:latest)."),
                .option("--container", .text, "Container name (default web)."), .option("--port", .integer(1...65535), "Container port (default 80).")],
        effect: .mutating, examples: ["ecs taskdef register --family app --image repo/app:v1", "ecs taskdef register taskdef.json"]
    ) { inv, session in
        let input: TaskDefinitionInput
        if let file = inv.text("file") {
            let text = try session.host.readFile(file)
            do throws(ECSError) { input = try TaskDefinitionInput.parse(json: text) } catch { throw WorkbenchError.failed(what: inv.spec.name, why: error.message, fix: nil) }
        } else {
            input = TaskDefinitionInput(family: inv.text("family") ?? "app", containers: [
                ContainerDefinition(name: inv.text("container") ?? "web", image: inv.text("image") ?? "repo/app:latest", port: inv.int("port") ?? 80)])
        }
        let td = try ECSTopic.update(session, inv.line) { w, _ throws(ECSError) in try w.registerTaskDefinition(input) }
        return .text("registered \(td.arn) (ACTIVE)", value: ECSViews.taskDefinitionValue(td))
    }

    static let deregister = CommandSpec(
        ["ecs", "taskdef", "deregister"], abstract: "DeregisterTaskDefinition: ACTIVE → INACTIVE. Running tasks keep running; nothing new may use it.",
        parameters: [.required("revision", .text, "family:revision or ARN.", completions: revisions)],
        effect: .mutating, examples: ["ecs taskdef deregister app:1"]
    ) { inv, session in
        let ref = inv.text("revision") ?? ""
        let td = try ECSTopic.update(session, inv.line) { w, _ throws(ECSError) in try w.deregisterTaskDefinition(ref) }
        return .text("\(td.familyRevision) is \(td.status.rawValue): tasks already running on it keep running; new tasks, task sets and deployments cannot use it", value: ECSViews.taskDefinitionValue(td))
    }

    static let delete = CommandSpec(
        ["ecs", "taskdef", "delete"], abstract: "DeleteTaskDefinitions: INACTIVE → DELETE_IN_PROGRESS (an ACTIVE revision must be deregistered first).",
        parameters: [.required("revision", .text, "family:revision or ARN.", completions: revisions)],
        effect: .mutating, examples: ["ecs taskdef delete app:1"]
    ) { inv, session in
        let ref = inv.text("revision") ?? ""
        let td = try ECSTopic.update(session, inv.line) { w, _ throws(ECSError) in try w.deleteTaskDefinition(ref) }
        return .text("\(td.familyRevision) is \(td.status.rawValue)", value: ECSViews.taskDefinitionValue(td))
    }

    static let copy = CommandSpec(
        ["ecs", "taskdef", "copy"], abstract: "Register a copy of a revision (even an INACTIVE one) as a new ACTIVE revision.",
        parameters: [.required("revision", .text, "family:revision or ARN.", completions: revisions)],
        effect: .mutating, examples: ["ecs taskdef copy app:1"]
    ) { inv, session in
        let ref = inv.text("revision") ?? ""
        let td = try ECSTopic.update(session, inv.line) { w, _ throws(ECSError) in try w.registerCopy(of: ref) }
        return .text("registered \(td.arn) (ACTIVE), a copy of \(ref)", value: ECSViews.taskDefinitionValue(td))
    }

    static let list = CommandSpec(
        ["ecs", "taskdef", "list"], abstract: "Every revision with its status, and what uses it.", effect: .readOnly, examples: ["ecs taskdef list"]
    ) { _, session in
        let world = session.topic(ECSState.self).world
        return Output(.array(world.taskDefinitions.map(ECSViews.taskDefinitionValue))) { style in ECSViews.drawTaskDefinitions(world, style: style) }
    }

    static let describe = CommandSpec(
        ["ecs", "taskdef", "describe"], abstract: "DescribeTaskDefinition: one revision (a family alone means its latest ACTIVE revision).",
        parameters: [.required("revision", .text, "family, family:revision or ARN.", completions: revisions)],
        effect: .readOnly, examples: ["ecs taskdef describe app:2", "expect ecs taskdef describe app:1 .status == INACTIVE"]
    ) { inv, session in
        let ref = inv.text("revision") ?? ""
        let td: TaskDefinition
        do throws(ECSError) { td = try session.topic(ECSState.self).world.describeTaskDefinition(ref) } catch { throw WorkbenchError.failed(what: inv.spec.name, why: error.message, fix: "`ecs taskdef list`") }
        return Output(ECSViews.taskDefinitionValue(td)) { _ in
            "\(td.arn)\n  status \(td.status.rawValue)\n" + td.containers.map { "  container \($0.name): \($0.image)" + ($0.port.map { " port \($0)" } ?? "") }.joined(separator: "\n")
        }
    }

    static let serviceCreate = CommandSpec(
        ["ecs", "service", "create"], abstract: "CreateService with the CODE_DEPLOY deployment controller behind the blue/green load balancer.",
        parameters: [.required("name", .text, "Service name.")],
        flags: [.option("--taskdef", .text, "Revision to run.", completions: revisions), .option("--count", .integer(0...100), "desiredCount (default 2)."),
                .option("--controller", .choice(["CODE_DEPLOY", "ECS"]), "Deployment controller (default CODE_DEPLOY).")],
        effect: .mutating, examples: ["ecs service create app-svc --taskdef app:1"]
    ) { inv, session in
        let name = inv.text("name") ?? "app-svc"
        let controller: DeploymentController = inv.text("controller") == "ECS" ? .ecs : .codeDeploy
        let svc = try ECSTopic.update(session, inv.line) { w, now throws(ECSError) in
            try w.createService(name: name, taskDefinition: inv.text("taskdef") ?? "app", desiredCount: inv.int("count") ?? 2, nowMs: now, controller: controller)
        }
        return .text("service \(svc.name) runs \(svc.taskSets.first?.taskDefinitionArn ?? "-") (\(svc.desiredCount) tasks)", value: .string(svc.name))
    }

    static let serviceUpdate = CommandSpec(
        ["ecs", "service", "update"], abstract: "UpdateService: change desiredCount, or (ECS controller only) the task definition.",
        parameters: [.required("name", .text, "Service name.")],
        flags: [.option("--taskdef", .text, "New revision.", completions: revisions), .option("--count", .integer(0...100), "desiredCount.")],
        effect: .mutating, examples: ["ecs service update app-svc --count 4", "ecs service update app-svc --taskdef app:2"]
    ) { inv, session in
        let name = inv.text("name") ?? ""
        try ECSTopic.update(session, inv.line) { w, _ throws(ECSError) in try w.updateService(name: name, taskDefinition: inv.text("taskdef"), desiredCount: inv.int("count")) }
        return .text("service \(name) updated")
    }

    static let service = CommandSpec(
        ["ecs", "service"], abstract: "The service, its task sets, the target groups and where the prod and test listeners point.",
        effect: .readOnly, examples: ["ecs service", "expect ecs service .listeners[0].targetGroup == tg-blue"]
    ) { _, session in
        let world = session.topic(ECSState.self).world
        return Output(ECSViews.serviceValue(world)) { style in ECSViews.drawService(world, style: style) }
    }

    static let pipelineFiles = CommandSpec(
        ["ecs", "pipeline", "files"], abstract: "Set the pipeline's source files: taskdef.json, appspec.yaml and the image artifact kind.",
        discussion: "Without files, AWS's tutorial shapes are used: a taskdef.json whose image is <IMAGE1_NAME>, and an appspec.yaml whose TaskDefinition is --task-definition (default the <TASK_DEFINITION> placeholder, which CodeDeployToECS replaces with the revision it registers; anything else is used as it stands).",
        flags: [.option("--taskdef", .file, "A taskdef.json."), .option("--appspec", .file, "An appspec.yaml."),
                .option("--task-definition", .text, "The appspec's TaskDefinition value (default <TASK_DEFINITION>)."),
                .option("--container", .text, "The appspec's ContainerName (default web)."),
                .option("--artifact", .choice(["imageDetail", "imageDefinitions"]), "imageDetail.json (what CodeDeployToECS reads) or imagedefinitions.json.")],
        effect: .mutating, examples: ["ecs pipeline files", "ecs pipeline files --task-definition arn:aws:ecs:us-east-1:123456789012:task-definition/app:1"]
    ) { inv, session in
        let taskdef = try inv.text("taskdef").map { try session.host.readFile($0) } ?? sampleTaskdef
        let appspec = try inv.text("appspec").map { try session.host.readFile($0) }
            ?? sampleAppspec(taskDefinition: inv.text("task-definition") ?? "<TASK_DEFINITION>", container: inv.text("container") ?? "web")
        let artifact: ArtifactKind = inv.text("artifact") == "imageDefinitions" ? .imageDefinitions : .imageDetail
        try ECSTopic.update(session, inv.line) { w, _ throws(ECSError) in w.setPipelineFiles(taskdef: taskdef, appspec: appspec, artifact: artifact) }
        return .text("pipeline source: taskdef.json, appspec.yaml (TaskDefinition: \(inv.text("task-definition") ?? "<TASK_DEFINITION>")), artifact \(artifact.rawValue)")
    }

    static let imagePush = CommandSpec(
        ["ecs", "image", "push"], abstract: "Push an image: the pipeline's build stage writes imageDetail.json with its URI.",
        parameters: [.required("uri", .text, "Image URI.")],
        effect: .mutating, examples: ["ecs image push 123456789012.dkr.ecr.us-east-1.amazonaws.com/app:v2"]
    ) { inv, session in
        let uri = inv.text("uri") ?? ""
        try ECSTopic.update(session, inv.line) { w, _ throws(ECSError) in w.pushImage(uri) }
        return .text("pushed \(uri)")
    }

    static let pipelineRun = CommandSpec(
        ["ecs", "pipeline", "run"], abstract: "Run the CodeDeployToECS action: register taskdef.json, fill the appspec, create the deployment.",
        discussion: "The deployment then runs on the simulated clock: `step` shows each lifecycle event, `clock advance 61m` runs it through the termination wait.",
        effect: .mutating, examples: ["ecs pipeline run"]
    ) { inv, session in
        let deployment = try ECSTopic.update(session, inv.line) { w, now throws(ECSError) in try w.runPipeline(nowMs: now) }
        guard let d = deployment else { return .text("the pipeline created no deployment") }
        return .text("created deployment \(d.id) with TaskDefinition \(d.appspecTaskDefinition); `step` to follow it", value: .string(d.id))
    }

    static let deploy = CommandSpec(
        ["ecs", "deploy"], abstract: "CreateDeployment directly in CodeDeploy, with an appspec whose TaskDefinition is used as it stands.",
        flags: [.option("--appspec", .file, "An appspec.yaml."), .option("--task-definition", .text, "TaskDefinition ARN for the built-in appspec.")],
        effect: .mutating, examples: ["ecs deploy --task-definition arn:aws:ecs:us-east-1:123456789012:task-definition/app:2"]
    ) { inv, session in
        let appspec = try inv.text("appspec").map { try session.host.readFile($0) }
            ?? sampleAppspec(taskDefinition: inv.text("task-definition") ?? "", container: "web")
        let d = try ECSTopic.update(session, inv.line) { w, now throws(ECSError) in try w.createDeployment(appspec: appspec, nowMs: now) }
        return .text("created deployment \(d.id) with TaskDefinition \(d.appspecTaskDefinition)", value: .string(d.id))
    }

    static let deployments = CommandSpec(
        ["ecs", "deployments"], abstract: "Every deployment: status, TaskDefinition, traffic shifted, error.", effect: .readOnly, examples: ["ecs deployments", "expect ecs deployments .[-1].status == Succeeded"]
    ) { _, session in
        let world = session.topic(ECSState.self).world
        return Output(.array(world.deployments.map(ECSViews.deploymentValue))) { style in ECSViews.drawDeployments(world, style: style) }
    }

    static let deployment = CommandSpec(
        ["ecs", "deployment"], abstract: "One deployment's lifecycle events, as the CodeDeploy console lists them.",
        parameters: [.optional("id", .text, "Deployment id (default the latest).", completions: deploymentIDs)],
        effect: .readOnly, examples: ["ecs deployment", "ecs deployment d-000000001"]
    ) { inv, session in
        let world = session.topic(ECSState.self).world
        guard let d = inv.text("id").flatMap({ id in world.deployments.first { $0.id == id } }) ?? (inv.text("id") == nil ? world.deployments.last : nil) else {
            throw WorkbenchError.failed(what: inv.spec.name, why: "no such deployment", fix: "`ecs deployments` lists them")
        }
        return Output(ECSViews.deploymentValue(d)) { style in ECSViews.drawDeployment(d, style: style) }
    }

    static let stop = CommandSpec(
        ["ecs", "deployment", "stop"], abstract: "StopDeployment, optionally rolling back (production traffic returns to the original task set).",
        parameters: [.required("id", .text, "Deployment id.", completions: deploymentIDs)],
        flags: [.toggle("--rollback", "Roll back.")],
        effect: .mutating, examples: ["ecs deployment stop d-000000002 --rollback"]
    ) { inv, session in
        let id = inv.text("id") ?? ""
        try ECSTopic.update(session, inv.line) { w, now throws(ECSError) in try w.stopDeployment(id, rollback: inv.has("--rollback"), nowMs: now) }
        return .text("deployment \(id) stopped" + (inv.has("--rollback") ? " and rolled back" : ""))
    }

    static let redeploy = CommandSpec(
        ["ecs", "deployment", "redeploy"], abstract: "Redeploy a past deployment's revision (its appspec, TaskDefinition as it was).",
        parameters: [.required("id", .text, "Deployment id.", completions: deploymentIDs)],
        effect: .mutating, examples: ["ecs deployment redeploy d-000000002"]
    ) { inv, session in
        let id = inv.text("id") ?? ""
        let d = try ECSTopic.update(session, inv.line) { w, now throws(ECSError) in try w.redeploy(id, nowMs: now) }
        return .text("created deployment \(d.id) redeploying \(id)'s revision (TaskDefinition \(d.appspecTaskDefinition))", value: .string(d.id))
    }

    static let config = CommandSpec(
        ["ecs", "config"], abstract: "The deployment group's config: traffic routing, termination wait, automatic rollback.",
        flags: [.option("--routing", .text, "all-at-once, linear:PERCENT:MINUTES or canary:PERCENT:MINUTES."),
                .option("--wait", .duration, "Termination wait for the original task set (default 60m, at most 48h)."),
                .option("--auto-rollback", .choice(["on", "off"]), "Roll back when a hook fails.")],
        effect: .mutating, examples: ["ecs config --routing linear:25:1", "ecs config --wait 5m"]
    ) { inv, session in
        var config = session.topic(ECSState.self).world.deploymentConfig
        if let routing = inv.text("routing") {
            let parts = routing.split(separator: ":").map(String.init)
            let percent = parts.count == 3 ? Int(parts[1]).flatMap { (1...99).contains($0) ? $0 : nil } : nil
            let minutes = parts.count == 3 ? Int64(parts[2]).flatMap { $0 > 0 ? $0 : nil } : nil
            switch (parts.first, percent, minutes) {
            case ("all-at-once", _, _) where parts.count == 1: config.trafficRouting = .allAtOnce
            case let ("linear", p?, m?): config.trafficRouting = .linear(percent: p, everyMs: m * 60_000)
            case let ("canary", p?, m?): config.trafficRouting = .canary(percent: p, afterMs: m * 60_000)
            default:
                throw WorkbenchError.usage(command: inv.spec.name, problem: "--routing is all-at-once, linear:PERCENT:MINUTES or canary:PERCENT:MINUTES (percent 1-99), got `\(routing)`", usage: inv.spec.usage)
            }
        }
        if let wait = inv.durationMs("wait") {
            guard wait >= 0, wait <= DeploymentConfig.maxTerminationWaitMs else {
                throw WorkbenchError.usage(command: inv.spec.name, problem: "the termination wait is 0 to 48h", usage: inv.spec.usage)
            }
            config.terminationWaitMs = wait
        }
        if let rollback = inv.text("auto-rollback") { config.autoRollback = rollback == "on" }
        let chosen = config
        try ECSTopic.update(session, inv.line) { w, _ throws(ECSError) in w.deploymentConfig = chosen }
        let value = ECSViews.configValue(chosen)
        return Output(value) { _ in
            "traffic: \(value["routing"].map { if case let .string(s) = $0 { s } else { "" } } ?? ""), termination wait \(chosen.terminationWaitMs / 60_000) min, automatic rollback \(chosen.autoRollback ? "on" : "off")"
        }
    }
}
