import Foundation
import Testing
@testable import ECS

@Suite struct TaskDefinitionTests {
    let web = [ContainerDefinition(name: "web", image: "repo/app:v1", port: 80)]

    @Test func revisionNumbersAreNeverReused() throws {
        // Goal: revisions go 1, 2, 3 per family and stay increasing after deregister and delete (§8.1; DeleteTaskDefinitions "revision is incremented the next time").
        var w = AWSWorld()
        for _ in 1...3 { try w.registerTaskDefinition(TaskDefinitionInput(family: "app", containers: web)) }
        try w.registerTaskDefinition(TaskDefinitionInput(family: "api", containers: web))
        try w.deregisterTaskDefinition("app:3")
        #expect(try w.deleteTaskDefinition(arnPrefix + "app:3").status == .deleteInProgress)
        let next = try w.registerTaskDefinition(TaskDefinitionInput(family: "app", containers: web))
        #expect(next.revision == 4)
        #expect(next.arn == "arn:aws:ecs:us-east-1:123456789012:task-definition/app:4")
        #expect(w.taskDefinitions.map(\.familyRevision) == ["api:1", "app:1", "app:2", "app:3", "app:4"])
        #expect(w.taskDefinitions.map(\.status) == [.active, .active, .active, .deleteInProgress, .active])
        #expect(w.checkInvariants() == [])
    }

    @Test func stateRules() throws {
        // Goal: INACTIVE stays describable, family alone means latest ACTIVE, ACTIVE cannot be deleted, INACTIVE cannot create services (ECS "task definition states", DeregisterTaskDefinition, DeleteTaskDefinitions).
        var w = AWSWorld()
        for _ in 1...2 { try w.registerTaskDefinition(TaskDefinitionInput(family: "app", containers: web)) }
        try w.deregisterTaskDefinition("app:2")
        #expect(try w.describeTaskDefinition("app:2").status == .inactive)
        #expect(try w.describeTaskDefinition("app").revision == 1)
        let before = w
        #expect(throws: ECSError.deleteActiveTaskDefinition(arnPrefix + "app:1")) { try w.deleteTaskDefinition("app:1") }
        #expect(throws: ECSError.taskDefinitionInactive(arnPrefix + "app:2")) {
            try w.createService(name: "s", taskDefinition: "app:2", desiredCount: 1, nowMs: 0)
        }
        #expect(throws: ECSError.invalidTaskDefinitionReference("app")) { try w.deregisterTaskDefinition("app") }
        #expect(throws: ECSError.taskDefinitionNotFound("app:9")) { try w.describeTaskDefinition("app:9") }
        // Another region's or account's ARN is not a reference into this account.
        #expect(throws: ECSError.invalidTaskDefinitionReference("arn:aws:ecs:eu-west-1:1:task-definition/app:1")) {
            try w.deregisterTaskDefinition("arn:aws:ecs:eu-west-1:1:task-definition/app:1")
        }
        #expect(w == before)
        #expect(ECSError.taskDefinitionInactive("x").message == "ClientException: TaskDefinition is inactive")
    }

    @Test func deregisteredRevisionKeepsTasksRunningAndScaling() throws {
        // Goal: existing tasks of an INACTIVE revision keep running and the service may still scale; an ECS-controller service cannot be updated to it (API DeregisterTaskDefinition).
        var w = try baseWorld()
        try w.deregisterTaskDefinition("app:1")
        #expect(svc(w).taskSets[0].runningCount == 2)
        try w.updateService(name: "app-svc", taskDefinition: nil, desiredCount: 4)
        #expect(svc(w).taskSets[0].runningCount == 4)
        #expect(svc(w).taskSets[0].taskDefinitionArn == arnPrefix + "app:1")
        #expect(w.checkInvariants() == [])

        try w.registerTaskDefinition(TaskDefinitionInput(family: "app", containers: web))
        try w.createService(name: "worker", taskDefinition: "app:2", desiredCount: 1, nowMs: 5, controller: .ecs)
        try w.deregisterTaskDefinition("app:2")
        let before = w
        #expect(throws: ECSError.taskDefinitionInactive(arnPrefix + "app:1")) {
            try w.updateService(name: "worker", taskDefinition: "app:1", desiredCount: nil)
        }
        #expect(w == before)
        try w.registerTaskDefinition(TaskDefinitionInput(family: "app", containers: web))
        try w.updateService(name: "worker", taskDefinition: "app:3", desiredCount: nil)
        #expect(w.services[1].taskSets[0].taskDefinitionArn == arnPrefix + "app:3")
        #expect(w.checkInvariants() == [])
    }

    @Test func badInputLeavesWorldUnchanged() throws {
        // Goal: every rejected command leaves the whole value equal to before (STYLE §2 "a failed command changes nothing").
        var w = try baseWorld()
        let before = w
        #expect(throws: ECSError.self) { try w.registerTaskDefinition(TaskDefinitionInput(family: "bad family", containers: web)) }
        #expect(throws: ECSError.self) { try w.registerTaskDefinition(TaskDefinitionInput(family: "app", containers: [])) }
        #expect(throws: ECSError.self) { try w.registerTaskDefinition(TaskDefinitionInput(family: "app", containers: web + web)) }
        #expect(throws: ECSError.serviceAlreadyExists("app-svc")) {
            try w.createService(name: "app-svc", taskDefinition: "app:1", desiredCount: 1, nowMs: 99)
        }
        #expect(throws: ECSError.serviceNotFound("nope")) { try w.updateService(name: "nope", taskDefinition: nil, desiredCount: 1) }
        #expect(throws: ECSError.self) { try w.updateService(name: "app-svc", taskDefinition: nil, desiredCount: -1) }
        #expect(throws: ECSError.pipelineNotConfigured) { try w.runPipeline(nowMs: 99) }
        #expect(throws: ECSError.self) { try w.createDeployment(appspec: "version: 0.0\n", nowMs: 99) }
        #expect(throws: ECSError.self) { try w.createDeployment(appspec: appspec("<TASK_DEFINITION>"), nowMs: 99) }
        #expect(throws: ECSError.deploymentNotFound("d-XXXXXXXXX")) { try w.stopDeployment("d-XXXXXXXXX", rollback: true, nowMs: 99) }
        w.setPipelineFiles(taskdef: "{\"family\": \"app\"", appspec: appspec("<TASK_DEFINITION>"), artifact: .imageDetail)
        w.pushImage("repo/app:v2")
        let configured = w
        #expect(throws: ECSError.self) { try w.runPipeline(nowMs: 99) }  // malformed taskdef.json: nothing registered
        #expect(w == configured)
        w.setPipelineFiles(taskdef: taskdefTemplate, appspec: "version: 0.0\nResources:\n\t- x", artifact: .imageDetail)
        let configured2 = w
        #expect(throws: ECSError.self) { try w.runPipeline(nowMs: 99) }
        #expect(w == configured2)
        #expect(before.taskDefinitions == w.taskDefinitions && before.services == w.services && before.deployments == w.deployments)
        // A second deployment while one is active is refused, and the pipeline's registration is not kept.
        w.setPipelineFiles(taskdef: taskdefTemplate, appspec: appspec("<TASK_DEFINITION>"), artifact: .imageDetail)
        let d = try #require(try w.runPipeline(nowMs: 100))
        let busy = w
        #expect(throws: ECSError.deploymentLimitExceeded(deploymentGroup: "app-dg", activeDeployment: d.id)) { try w.runPipeline(nowMs: 101) }
        #expect(w == busy)
        w.deploymentConfig = .linear(percent: 0, everyMs: 1)
        drive(&w, untilMs: 100 + hour)
        #expect(throws: ECSError.invalidParameter("linear percent must be 1-100, got 0")) {
            try w.createDeployment(appspec: appspec("app:1"), nowMs: 2 * hour)
        }
    }

    @Test func codableRoundTrip() throws {
        // Goal: the whole world, mid-deployment with events, survives JSON encode/decode unchanged (STYLE §2 "State value (Equatable, Codable)").
        var w = try baseWorld()
        w.deploymentConfig = .canary(percent: 10, afterMs: 300_000)
        w.failingHooks = [.afterAllowTraffic]
        w.setPipelineFiles(taskdef: taskdefTemplate, appspec: appspec("<TASK_DEFINITION>", hooks: ["AfterInstall"]), artifact: .imageDetail)
        w.pushImage("repo/app:v2")
        try w.runPipeline(nowMs: 10)
        drive(&w, untilMs: 10)
        let data = try JSONEncoder().encode(w)
        let back = try JSONDecoder().decode(AWSWorld.self, from: data)
        #expect(back == w)
        #expect(back.nextEventTimeMs() == 300_010)
    }
}
