extension AWSWorld {
    /// Violated invariants, empty when all hold:
    /// - the prod (and test) listener forwards only to target groups whose task set runs;
    /// - at most one PRIMARY task set per service; CODE_DEPLOY weights sum to 100;
    /// - every task set runs the service's desiredCount, whatever its revision's state
    ///   (deregistering never stops existing tasks), and its revision is still describable;
    /// - revisions are unique per family and never above the family's counter;
    /// - at most one active deployment.
    public func checkInvariants() -> [String] {
        var problems: [String] = []
        for service in services {
            let primaries = service.taskSets.filter { $0.status == .primary }.count
            if primaries > 1 { problems.append("service \(service.name) has \(primaries) PRIMARY task sets") }
            for set in service.taskSets {
                if set.runningCount != service.desiredCount {
                    problems.append("task set \(set.id) runs \(set.runningCount) of \(service.desiredCount) tasks")
                }
                if !taskDefinitions.contains(where: { $0.arn == set.taskDefinitionArn }) {
                    problems.append("task set \(set.id) references unknown \(set.taskDefinitionArn)")
                }
            }
            if service.controller == .codeDeploy {
                let total = service.taskSets.reduce(0) { $0 + $1.trafficWeight }
                if total != 100 { problems.append("service \(service.name) traffic weights sum to \(total)") }
                for listener in listeners {
                    var tgs = [listener.targetGroup]
                    if let shifted = listener.shiftedTargetGroup { tgs.append(shifted) }
                    for tg in tgs where !service.taskSets.contains(where: { $0.targetGroup == tg && $0.runningCount > 0 })
                        && service.desiredCount > 0 {
                        problems.append("\(listener.role.rawValue) listener forwards to \(tg), which has no running task set")
                    }
                }
            }
        }
        var seen: [String] = []
        for td in taskDefinitions {
            if seen.contains(td.arn) { problems.append("revision \(td.familyRevision) registered twice") }
            seen.append(td.arn)
            let last = revisionCounters.first { $0.family == td.family }?.lastRevision ?? 0
            if td.revision > last { problems.append("revision \(td.familyRevision) above the family counter \(last)") }
        }
        let active = deployments.filter { $0.status.isActive }.count
        if active > 1 { problems.append("\(active) active deployments") }
        return problems
    }
}
