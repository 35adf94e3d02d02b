import Testing
@testable import ECS

@Suite struct LifecycleTests {
    func started(_ config: DeploymentConfig, hooks: [String] = [], failing: [LifecycleStep] = []) throws -> AWSWorld {
        var w = try baseWorld()
        w.deploymentConfig = config
        w.failingHooks = failing
        w.setPipelineFiles(taskdef: taskdefTemplate, appspec: appspec("<TASK_DEFINITION>", hooks: hooks), artifact: .imageDetail)
        w.pushImage("repo/app:v2")
        try w.runPipeline(nowMs: 0)
        return w
    }

    @Test func linearShiftsStepByStep() throws {
        // Goal: a linear 25%-every-minute config moves prod traffic 25/50/75/100 one AllowTraffic step per minute, listener split and task-set weights agreeing, invariants after every step (CodeDeploy deployment-configurations, §8.4 step 7).
        var w = try started(.linear(percent: 25, everyMs: 60_000))
        drive(&w, untilMs: 0)
        let repl = try #require(w.deployments[0].replacementTaskSetId)
        let orig = try #require(w.deployments[0].originalTaskSetId)
        #expect(w.deployments[0].lifecycle == .allowTraffic)
        #expect(prod(w) == Listener(role: .prod, port: 80, targetGroup: "tg-blue", shiftedTargetGroup: "tg-green", shiftedWeight: 25))
        var weights: [Int] = [w.deployments[0].shiftedPercent]
        for minute in 1...3 {
            #expect(w.nextEventTimeMs() == Int64(minute) * 60_000)
            #expect(w.step(nowMs: Int64(minute) * 60_000 - 1) == nil)  // not due yet
            let stepped = w.step(nowMs: Int64(minute) * 60_000)
            let e = try #require(stepped)
            #expect(w.checkInvariants() == [])
            #expect(e.step == .allowTraffic)
            weights.append(w.deployments[0].shiftedPercent)
            #expect(svc(w).taskSets.first { $0.id == repl }?.trafficWeight == weights.last)
            #expect(svc(w).taskSets.first { $0.id == orig }?.trafficWeight == 100 - weights.last!)
        }
        #expect(weights == [25, 50, 75, 100])
        #expect(prod(w).targetGroup == "tg-green" && prod(w).shiftedTargetGroup == nil)
        #expect(svc(w).primaryTaskSet?.id == repl)
        drive(&w, untilMs: 180_000 + hour)
        #expect(w.deployments[0].status == .succeeded)
    }

    @Test func canaryShiftsTwice() throws {
        // Goal: a canary 10%-then-rest-after-5-minutes config shifts 10% then 100% (ECSCanary10Percent5Minutes, deployment-configurations).
        var w = try started(.canary(percent: 10, afterMs: 300_000))
        let first = drive(&w, untilMs: 0)
        #expect(first.last?.step == .allowTraffic)
        #expect(first.last?.message == "10% of production traffic on tg-green")
        #expect(prod(w).shiftedWeight == 10)
        let second = drive(&w, untilMs: 300_000)
        #expect(second.map(\.step) == [.allowTraffic, .afterAllowTraffic, .waitForTermination])
        #expect(second[0].changes.contains(.listenerForwarded(role: .prod, targetGroup: "tg-green", shiftedTargetGroup: nil, shiftedWeight: 0)))
        #expect(w.nextEventTimeMs() == 300_000 + hour)
    }

    @Test func terminationWaitIsConfigurable() throws {
        // Goal: the original task set is terminated after terminationWaitMs, not the 60-minute default, when configured (§8.4 Timers).
        var config = DeploymentConfig.allAtOnce
        config.terminationWaitMs = 5 * 60_000
        var w = try started(config)
        drive(&w, untilMs: 5 * 60_000 - 1)
        #expect(svc(w).taskSets.count == 2)
        drive(&w, untilMs: 5 * 60_000)
        #expect(svc(w).taskSets.count == 1)
        #expect(w.deployments[0].status == .succeeded)
    }

    @Test func hookFailureRollsBack() throws {
        // Goal: a failing AfterAllowTestTraffic hook with auto-rollback restores test traffic and removes the replacement; status Failed (§8.4 step 5, §8.6 hook failure rule).
        var w = try started(.allAtOnce, hooks: ["BeforeInstall", "AfterAllowTestTraffic"], failing: [.afterAllowTestTraffic])
        let events = drive(&w, untilMs: 0)
        #expect(events.map(\.step) == [.beforeInstall, .install, .afterInstall, .allowTestTraffic, .afterAllowTestTraffic])
        #expect(events[0].changes == [.statusChanged(.inProgress), .hookInvoked(lambda: "ValidateBeforeInstall", succeeded: true)])
        #expect(events[2].outcome == .skipped)
        let failed = events[4]
        #expect(failed.outcome == .failed)
        let replId = try #require(w.deployments[0].replacementTaskSetId)
        #expect(failed.changes == [
            .hookInvoked(lambda: "ValidateAfterAllowTestTraffic", succeeded: false),
            .listenerForwarded(role: .test, targetGroup: "tg-blue", shiftedTargetGroup: nil, shiftedWeight: 0),
            .taskSetDeleted(id: replId),
            .rolledBack,
            .statusChanged(.failed),
        ])
        #expect(w.deployments[0].error == .hookFailed(.afterAllowTestTraffic, lambda: "ValidateAfterAllowTestTraffic"))
        #expect(svc(w).taskSets.count == 1 && prod(w).targetGroup == "tg-blue" && test(w).targetGroup == "tg-blue")
    }

    @Test func beforeInstallFailureHasNothingToRollBack() throws {
        // Goal: a failing BeforeInstall hook fails the deployment before any task set exists (§8.4 step 1 "No rollback possible yet").
        var w = try started(.allAtOnce, hooks: ["BeforeInstall"], failing: [.beforeInstall])
        let before = (svc(w), w.listeners)
        let events = drive(&w, untilMs: 0)
        #expect(events.count == 1)
        #expect(w.deployments[0].status == .failed && !w.deployments[0].rolledBack)
        #expect(svc(w) == before.0 && w.listeners == before.1)
    }

    @Test func containerMismatchFailsAtInstall() throws {
        // Goal: an appspec ContainerName absent from the revision fails Install with no task set created (§8.3 "ContainerName must be a container in that task definition").
        var w = try baseWorld()
        try w.createDeployment(appspec: appspec("app:1", container: "api"), nowMs: 0)
        drive(&w, untilMs: 0)
        #expect(w.deployments[0].error == .containerNotFound(container: "api", taskDefinition: "app:1"))
        #expect(svc(w).taskSets.count == 1)
    }

    @Test func noTestListenerSkipsTestTraffic() throws {
        // Goal: without a test listener AllowTestTraffic does nothing and the deployment still succeeds (§8.4 step 4).
        var w = AWSWorld(testListener: false)
        try w.registerTaskDefinition(TaskDefinitionInput(family: "app", containers: [ContainerDefinition(name: "web", image: "i", port: 80)]))
        try w.createService(name: "app-svc", taskDefinition: "app:1", desiredCount: 1, nowMs: 0)
        try w.createDeployment(appspec: appspec("app:1"), nowMs: 0)
        let events = drive(&w, untilMs: hour)
        #expect(events.first { $0.step == .allowTestTraffic }?.outcome == .skipped)
        #expect(w.deployments[0].status == .succeeded)
    }
}
