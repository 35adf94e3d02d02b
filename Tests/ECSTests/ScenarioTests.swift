import Testing
@testable import ECS

@Suite struct ScenarioTests {
    @Test func scenario1ReproHardCodedArn() throws {
        // Goal: reproduce "TaskDefinition is inactive" with an appspec that hard-codes app:1 after app:1 is deregistered (§8.6 scenario 1, §8.5 cause 1).
        var w = try baseWorld()
        try w.registerTaskDefinition(TaskDefinitionInput(family: "app", containers: [
            ContainerDefinition(name: "web", image: "repo/app:v2", port: 80)]))
        try w.deregisterTaskDefinition("app:1")
        #expect(svc(w).taskSets[0].runningCount == 2)
        #expect(svc(w).taskSets[0].taskDefinitionArn == arnPrefix + "app:1")
        #expect(w.checkInvariants() == [])

        w.setPipelineFiles(taskdef: taskdefTemplate, appspec: appspec(arnPrefix + "app:1"), artifact: .imageDetail)
        w.pushImage("123456789012.dkr.ecr.us-east-1.amazonaws.com/app:v3")
        let d = try #require(try w.runPipeline(nowMs: 1_000))
        // The pipeline registered app:3 but the appspec still names app:1.
        #expect(try w.describeTaskDefinition("app:3").containers[0].image == "123456789012.dkr.ecr.us-east-1.amazonaws.com/app:v3")
        #expect(d.appspecTaskDefinition == arnPrefix + "app:1")
        let before = (svc(w), w.listeners)

        let events = drive(&w, untilMs: 1_000)
        #expect(events.map(\.step) == [.beforeInstall, .install])
        #expect(events[1].outcome == .failed)
        #expect(events[1].message == inactiveText)
        #expect(events[1].changes == [.statusChanged(.failed)])
        let done = w.deployments[0]
        #expect(done.status == .failed)
        #expect(done.error == .taskDefinitionInactive(arnPrefix + "app:1"))
        #expect(done.error?.message == inactiveText)
        #expect(svc(w) == before.0)          // no replacement task set
        #expect(w.listeners == before.1)     // prod still on tg-blue
        #expect(prod(w).targetGroup == "tg-blue")
        #expect(w.nextEventTimeMs() == nil)
    }

    @Test func scenario2FixAPlaceholder() throws {
        // Goal: with TaskDefinition: <TASK_DEFINITION> each run deploys the revision it just registered, shifts traffic, terminates the original after the wait, and swaps target-group roles (§8.6 scenario 2, §8.3 steps 1-5).
        var w = try baseWorld()
        try w.registerTaskDefinition(TaskDefinitionInput(family: "app", containers: [
            ContainerDefinition(name: "web", image: "repo/app:v2", port: 80)]))
        try w.deregisterTaskDefinition("app:1")
        w.setPipelineFiles(taskdef: taskdefTemplate, appspec: appspec(arnPrefix + "app:1"), artifact: .imageDetail)
        w.pushImage("repo/app:v3")
        try w.runPipeline(nowMs: 1_000)
        drive(&w, untilMs: 1_000)
        #expect(w.deployments[0].status == .failed)

        w.setPipelineFiles(taskdef: taskdefTemplate, appspec: appspec("<TASK_DEFINITION>"), artifact: .imageDetail)
        let d = try #require(try w.runPipeline(nowMs: 2_000))
        #expect(d.appspecTaskDefinition == arnPrefix + "app:4")
        #expect(d.appspecContent.contains(arnPrefix + "app:4"))
        #expect(d.id == "d-000000002")

        let upToWait = drive(&w, untilMs: 2_000)
        #expect(upToWait.map(\.step) == [.beforeInstall, .install, .afterInstall, .allowTestTraffic,
                                         .afterAllowTestTraffic, .beforeAllowTraffic, .allowTraffic,
                                         .afterAllowTraffic, .waitForTermination])
        let replacementId = try #require(w.deployments[1].replacementTaskSetId)
        #expect(upToWait[1].changes == [.taskSetCreated(id: replacementId, taskDefinitionArn: arnPrefix + "app:4", targetGroup: "tg-green")])
        #expect(upToWait[3].changes == [.listenerForwarded(role: .test, targetGroup: "tg-green", shiftedTargetGroup: nil, shiftedWeight: 0)])
        #expect(prod(w).targetGroup == "tg-green")
        #expect(svc(w).taskSets.count == 2)  // original kept during the wait
        #expect(svc(w).primaryTaskSet?.id == replacementId)
        #expect(w.nextEventTimeMs() == 2_000 + hour)
        #expect(w.deployments[1].status == .inProgress)

        let end = drive(&w, untilMs: 2_000 + hour)
        #expect(end.map(\.step) == [.terminateOriginal])
        #expect(end[0].changes == [.taskSetDeleted(id: w.deployments[1].originalTaskSetId!), .statusChanged(.succeeded)])
        #expect(w.deployments[1].status == .succeeded)
        #expect(svc(w).taskSets.map(\.id) == [replacementId])
        #expect(svc(w).taskSets[0].targetGroup == "tg-green")
        #expect(svc(w).taskSets[0].trafficWeight == 100)

        // The next deployment's replacement goes to tg-blue: roles swapped.
        w.pushImage("repo/app:v4")
        try w.runPipeline(nowMs: 3 * hour)
        drive(&w, untilMs: 3 * hour)
        #expect(w.deployments[2].appspecTaskDefinition == arnPrefix + "app:5")
        #expect(prod(w).targetGroup == "tg-blue")
    }

    @Test func scenario3FixBRegisterCopy() throws {
        // Goal: re-registering the INACTIVE revision as a new ACTIVE one and pointing the appspec at it makes the deployment succeed (§8.6 scenario 3, §8.5 fix B).
        var w = try baseWorld()
        try w.deregisterTaskDefinition("app:1")
        for _ in 2...4 {
            try w.registerTaskDefinition(TaskDefinitionInput(family: "app", containers: [
                ContainerDefinition(name: "web", image: "repo/app:v2", port: 80)]))
        }
        let copy = try w.registerCopy(of: "app:1")
        #expect(copy.familyRevision == "app:5")
        #expect(copy.status == .active)
        #expect(copy.containers == (try w.describeTaskDefinition("app:1")).containers)
        #expect(try w.describeTaskDefinition("app:1").status == .inactive)

        try w.createDeployment(appspec: appspec(copy.arn), nowMs: 10)
        drive(&w, untilMs: 10 + hour)
        #expect(w.deployments[0].status == .succeeded)
        #expect(svc(w).taskSets.map(\.taskDefinitionArn) == [arnPrefix + "app:5"])
        #expect(w.deployments[0].error == nil)
    }

    @Test func scenario4RedeployTrapAndRollbackDuringWait() throws {
        // Goal: redeploying a succeeded deployment whose revision was later deregistered fails at Install; a rollback during the termination wait still restores the original because it still exists (§8.6 scenario 4, §8.4 Rollback, §8.5 cause 3).
        var w = try baseWorld()
        w.setPipelineFiles(taskdef: taskdefTemplate, appspec: appspec("<TASK_DEFINITION>"), artifact: .imageDetail)
        w.pushImage("repo/app:v2")
        let first = try #require(try w.runPipeline(nowMs: 0))  // registers app:2
        drive(&w, untilMs: hour)
        #expect(w.deployments[0].status == .succeeded)

        try w.deregisterTaskDefinition("app:2")
        #expect(w.checkInvariants() == [])  // app:2 tasks keep serving
        let again = try w.redeploy(first.id, nowMs: 2 * hour)
        #expect(again.id != first.id)
        #expect(again.appspecTaskDefinition == arnPrefix + "app:2")
        drive(&w, untilMs: 2 * hour)
        #expect(w.deployments[1].status == .failed)
        #expect(w.deployments[1].error?.message == inactiveText)
        #expect(svc(w).taskSets.map(\.taskDefinitionArn) == [arnPrefix + "app:2"])

        // A fresh pipeline run deploys app:3; stop it with rollback during the termination wait.
        w.pushImage("repo/app:v3")
        let third = try #require(try w.runPipeline(nowMs: 3 * hour))
        drive(&w, untilMs: 3 * hour)
        #expect(w.deployments[2].lifecycle == .terminateOriginal)
        #expect(prod(w).targetGroup == "tg-blue")
        try w.stopDeployment(third.id, rollback: true, nowMs: 3 * hour + 60_000)
        #expect(w.checkInvariants() == [])
        #expect(w.deployments[2].status == .stopped)
        #expect(w.deployments[2].rolledBack)
        #expect(prod(w).targetGroup == "tg-green")
        #expect(test(w).targetGroup == "tg-green")
        // The original runs the INACTIVE app:2 again as PRIMARY: rollback needs no registration.
        #expect(svc(w).taskSets.count == 1)
        #expect(svc(w).primaryTaskSet?.taskDefinitionArn == arnPrefix + "app:2")
        #expect(svc(w).primaryTaskSet?.trafficWeight == 100)
        #expect(w.nextEventTimeMs() == nil)
        #expect(throws: ECSError.deploymentAlreadyCompleted(third.id)) {
            try w.stopDeployment(third.id, rollback: true, nowMs: 4 * hour)
        }
    }

    @Test func scenario5WrongArtifact() throws {
        // Goal: imagedefinitions.json given to the blue/green action fails before any revision or deployment is created (§8.6 scenario 5, §8.3).
        var w = try baseWorld()
        w.setPipelineFiles(taskdef: taskdefTemplate, appspec: appspec("<TASK_DEFINITION>"), artifact: .imageDefinitions)
        w.pushImage("repo/app:v2")
        let before = w
        #expect(throws: ECSError.imageArtifactUnreadable(artifact: "BuildArtifact")) { try w.runPipeline(nowMs: 5) }
        #expect(w == before)
        #expect(ECSError.imageArtifactUnreadable(artifact: "BuildArtifact").message ==
                "Invalid action configuration Exception while trying to read the image artifact file from the artifact: BuildArtifact.")
        // The fix: emit imageDetail.json.
        w.setPipelineFiles(taskdef: taskdefTemplate, appspec: appspec("<TASK_DEFINITION>"), artifact: .imageDetail)
        #expect(try w.runPipeline(nowMs: 5)?.appspecTaskDefinition == arnPrefix + "app:2")
    }

    @Test func scenario6CodeDeployGuard() throws {
        // Goal: UpdateService with a task definition on a CODE_DEPLOY service is rejected with AWS's InvalidParameterException text, while desiredCount may change (§8.6 scenario 6, §8.2).
        var w = try baseWorld()
        try w.registerTaskDefinition(TaskDefinitionInput(family: "app", containers: [
            ContainerDefinition(name: "web", image: "repo/app:v2", port: 80)]))
        let before = w
        #expect(throws: ECSError.codeDeployControllerTaskDefinitionUpdate(service: "app-svc")) {
            try w.updateService(name: "app-svc", taskDefinition: "app:2", desiredCount: 5)
        }
        #expect(w == before)  // desiredCount not applied either
        #expect(ECSError.codeDeployControllerTaskDefinitionUpdate(service: "app-svc").message ==
                "InvalidParameterException: Unable to update task definition on services with a CODE_DEPLOY deployment controller. Use AWS CodeDeploy to trigger a new deployment.")
        try w.updateService(name: "app-svc", taskDefinition: nil, desiredCount: 3)
        #expect(svc(w).desiredCount == 3)
        #expect(svc(w).taskSets[0].runningCount == 3)
        #expect(w.checkInvariants() == [])
    }
}
