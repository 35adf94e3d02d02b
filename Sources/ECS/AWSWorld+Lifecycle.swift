extension AWSWorld {
    /// When the active deployment's next step is due, or nil when nothing is scheduled.
    public func nextEventTimeMs() -> Int64? {
        guard let i = activeDeploymentIndex else { return nil }
        return deployments[i].nextEventAtMs
    }

    /// Runs one lifecycle step of the active deployment if it is due at `nowMs` (§8.4 order).
    /// Returns nil when nothing is due.
    @discardableResult
    public mutating func step(nowMs: Int64) -> DeploymentEvent? {
        guard let i = activeDeploymentIndex, let due = deployments[i].nextEventAtMs, due <= nowMs,
              let current = deployments[i].lifecycle else { return nil }
        advanceClock(nowMs)
        var event = DeploymentEvent(deploymentId: deployments[i].id, atMs: nowMs, step: current,
                                    outcome: .succeeded, changes: [], message: nil)
        if deployments[i].status == .created {
            deployments[i].status = .inProgress
            event.changes.append(.statusChanged(.inProgress))
        }
        switch current {
        case .beforeInstall, .afterInstall, .afterAllowTestTraffic, .beforeAllowTraffic, .afterAllowTraffic:
            runHook(i, current, nowMs: nowMs, into: &event)
        case .install:
            install(i, nowMs: nowMs, into: &event)
        case .allowTestTraffic:
            if let t = listenerIndex(.test), let tg = replacementTargetGroup(i) {
                listeners[t].targetGroup = tg
                listeners[t].shiftedTargetGroup = nil
                listeners[t].shiftedWeight = 0
                event.changes.append(.listenerForwarded(role: .test, targetGroup: tg, shiftedTargetGroup: nil, shiftedWeight: 0))
            } else {
                event.outcome = .skipped
                event.message = "no test listener"
            }
            schedule(i, after: current, at: nowMs)
        case .allowTraffic:
            allowTraffic(i, nowMs: nowMs, into: &event)
        case .waitForTermination:
            let at = nowMs + deployments[i].config.terminationWaitMs
            event.changes.append(.terminationScheduled(atMs: at))
            event.message = "original task set \(deployments[i].originalTaskSetId ?? "-") kept for the termination wait (\(deployments[i].config.terminationWaitMs / 60_000) min), until +\((at - nowMs) / 1000) s"
            schedule(i, after: current, at: at)
        case .terminateOriginal:
            if let s = codeDeployServiceIndex, let id = deployments[i].originalTaskSetId {
                services[s].taskSets.removeAll { $0.id == id }
                event.changes.append(.taskSetDeleted(id: id))
            }
            finish(i, status: .succeeded, error: nil, into: &event)
        }
        deployments[i].events.append(event)
        return event
    }

    /// Steps every due event up to `untilMs`, at each event's own time; at most `maxSteps` steps.
    /// Returns the events; stopping at `maxSteps` with work still due means a livelock.
    @discardableResult
    public mutating func advance(untilMs: Int64, maxSteps: Int = 1_000) -> [DeploymentEvent] {
        var events: [DeploymentEvent] = []
        while events.count < maxSteps, let t = nextEventTimeMs(), t <= untilMs, let e = step(nowMs: t) {
            events.append(e)
        }
        return events
    }

    // MARK: Steps

    mutating func schedule(_ i: Int, after step: LifecycleStep, at: Int64) {
        deployments[i].lifecycle = step.next
        deployments[i].nextEventAtMs = at
    }

    mutating func finish(_ i: Int, status: DeploymentStatus, error: DeploymentFailure?, into event: inout DeploymentEvent) {
        deployments[i].status = status
        deployments[i].error = error
        deployments[i].lifecycle = nil
        deployments[i].nextEventAtMs = nil
        event.changes.append(.statusChanged(status))
    }

    /// Fails the deployment; from AfterInstall on, with auto-rollback, traffic returns to the original.
    mutating func fail(_ i: Int, _ failure: DeploymentFailure, into event: inout DeploymentEvent) {
        event.outcome = .failed
        event.message = failure.message
        if deployments[i].config.autoRollback, deployments[i].replacementTaskSetId != nil {
            rollBack(i, into: &event)
        }
        finish(i, status: .failed, error: failure, into: &event)
    }

    func replacementTargetGroup(_ i: Int) -> String? {
        guard let s = codeDeployServiceIndex, let id = deployments[i].replacementTaskSetId else { return nil }
        return services[s].taskSets.first { $0.id == id }?.targetGroup
    }

    /// Hooks run only when the appspec binds a Lambda; a Lambda listed in `failingHooks` fails.
    mutating func runHook(_ i: Int, _ step: LifecycleStep, nowMs: Int64, into event: inout DeploymentEvent) {
        guard let lambda = deployments[i].appSpec.hook(for: step) else {
            event.outcome = .skipped
            event.message = "no \(step.rawValue) hook in the appspec"
            schedule(i, after: step, at: nowMs)
            return
        }
        let ok = !failingHooks.contains(step)
        event.changes.append(.hookInvoked(lambda: lambda, succeeded: ok))
        if ok {
            schedule(i, after: step, at: nowMs)
        } else {
            fail(i, .hookFailed(step, lambda: lambda), into: &event)
        }
    }

    /// Install: the appspec TaskDefinition, used as-is, must exist, be ACTIVE and contain the
    /// load-balanced container; then the replacement task set starts on the other target group.
    /// A failure here changes nothing: the original keeps all traffic (§8.6).
    mutating func install(_ i: Int, nowMs: Int64, into event: inout DeploymentEvent) {
        let spec = deployments[i].appSpec
        guard let k = taskDefinitionIndex(spec.taskDefinition) else {
            return fail(i, .taskDefinitionNotFound(spec.taskDefinition), into: &event)
        }
        let td = taskDefinitions[k]
        guard td.status == .active else { return fail(i, .taskDefinitionInactive(td.arn), into: &event) }
        guard let container = td.containers.first(where: { $0.name == spec.containerName }) else {
            return fail(i, .containerNotFound(container: spec.containerName, taskDefinition: td.familyRevision), into: &event)
        }
        guard container.port == spec.containerPort else {
            return fail(i, .containerPortMismatch(container: container.name, port: spec.containerPort), into: &event)
        }
        guard let s = codeDeployServiceIndex, let original = services[s].primaryTaskSet,
              let tg = targetGroups.first(where: { $0.name != original.targetGroup })?.name else {
            return fail(i, .taskDefinitionNotFound(spec.taskDefinition), into: &event)
        }
        let set = TaskSet(id: makeTaskSetId(), taskDefinitionArn: td.arn, status: .active, targetGroup: tg,
                          trafficWeight: 0, runningCount: services[s].desiredCount)
        services[s].taskSets.append(set)
        deployments[i].replacementTaskSetId = set.id
        event.changes.append(.taskSetCreated(id: set.id, taskDefinitionArn: td.arn, targetGroup: tg))
        schedule(i, after: .install, at: nowMs)
    }

    /// AllowTraffic: one shift of the production listener per call, per the deployment config.
    /// At 100% the replacement becomes PRIMARY and the listener forwards only to its target group.
    mutating func allowTraffic(_ i: Int, nowMs: Int64, into event: inout DeploymentEvent) {
        guard let s = codeDeployServiceIndex, let p = listenerIndex(.prod),
              let origId = deployments[i].originalTaskSetId, let replId = deployments[i].replacementTaskSetId,
              let o = services[s].taskSets.firstIndex(where: { $0.id == origId }),
              let r = services[s].taskSets.firstIndex(where: { $0.id == replId }),
              let origTG = services[s].taskSets[o].targetGroup, let replTG = services[s].taskSets[r].targetGroup
        else { return }
        let before = deployments[i].shiftedPercent
        let weight: Int
        var nextShiftAt: Int64?
        switch deployments[i].config.trafficRouting {
        case .allAtOnce:
            weight = 100
        case .linear(let percent, let every):
            weight = min(100, before + percent)
            if weight < 100 { nextShiftAt = nowMs + every }
        case .canary(let percent, let after):
            weight = before == 0 ? percent : 100
            if weight < 100 { nextShiftAt = nowMs + after }
        }
        deployments[i].shiftedPercent = weight
        services[s].taskSets[r].trafficWeight = weight
        services[s].taskSets[o].trafficWeight = 100 - weight
        event.changes.append(.trafficWeightChanged(taskSetId: replId, weight: weight))
        event.changes.append(.trafficWeightChanged(taskSetId: origId, weight: 100 - weight))
        if weight == 100 {
            listeners[p].targetGroup = replTG
            listeners[p].shiftedTargetGroup = nil
            listeners[p].shiftedWeight = 0
            services[s].taskSets[o].status = .active
            services[s].taskSets[r].status = .primary
            event.changes.append(.listenerForwarded(role: .prod, targetGroup: replTG, shiftedTargetGroup: nil, shiftedWeight: 0))
            event.changes.append(.primaryTaskSetChanged(id: replId))
            schedule(i, after: .allowTraffic, at: nowMs)
        } else {
            listeners[p].targetGroup = origTG
            listeners[p].shiftedTargetGroup = replTG
            listeners[p].shiftedWeight = weight
            event.changes.append(.listenerForwarded(role: .prod, targetGroup: origTG, shiftedTargetGroup: replTG, shiftedWeight: weight))
            event.message = "\(weight)% of production traffic on \(replTG)"
            deployments[i].nextEventAtMs = nextShiftAt  // stay in AllowTraffic
        }
    }

    /// Rollback: both listeners back to the original's target group, the original PRIMARY with
    /// all traffic, the replacement task set removed. Needs the original to still exist.
    mutating func rollBack(_ i: Int, into event: inout DeploymentEvent) {
        guard let s = codeDeployServiceIndex, let origId = deployments[i].originalTaskSetId,
              let o = services[s].taskSets.firstIndex(where: { $0.id == origId }),
              let origTG = services[s].taskSets[o].targetGroup else { return }
        let replId = deployments[i].replacementTaskSetId
        for role in [ListenerRole.prod, .test] {
            guard let l = listenerIndex(role) else { continue }
            if listeners[l].targetGroup != origTG || listeners[l].shiftedTargetGroup != nil {
                listeners[l].targetGroup = origTG
                listeners[l].shiftedTargetGroup = nil
                listeners[l].shiftedWeight = 0
                event.changes.append(.listenerForwarded(role: role, targetGroup: origTG, shiftedTargetGroup: nil, shiftedWeight: 0))
            }
        }
        if services[s].taskSets[o].status != .primary {
            services[s].taskSets[o].status = .primary
            event.changes.append(.primaryTaskSetChanged(id: origId))
        }
        services[s].taskSets[o].trafficWeight = 100
        if let replId {
            services[s].taskSets.removeAll { $0.id == replId }
            event.changes.append(.taskSetDeleted(id: replId))
        }
        deployments[i].shiftedPercent = 0
        deployments[i].rolledBack = true
        event.changes.append(.rolledBack)
    }
}
