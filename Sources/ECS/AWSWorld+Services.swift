extension AWSWorld {
    /// CreateService. A CODE_DEPLOY service (the default) is the deployment group's target: its
    /// first task set is PRIMARY on `tg-blue` with all production traffic. The revision must be
    /// ACTIVE ("You cannot ... create new services with a task definition in the INACTIVE state").
    @discardableResult
    public mutating func createService(name: String, taskDefinition: String, desiredCount: Int, nowMs: Int64,
                                       controller: DeploymentController = .codeDeploy) throws(ECSError) -> Service {
        try commit { (w: inout AWSWorld) throws(ECSError) -> Service in
            guard !name.isEmpty else { throw .invalidParameter("serviceName must not be empty") }
            guard !w.services.contains(where: { $0.name == name }) else { throw .serviceAlreadyExists(name) }
            guard desiredCount >= 0 else { throw .invalidParameter("desiredCount must be 0 or more") }
            if controller == .codeDeploy, w.codeDeployServiceIndex != nil {
                throw .unsupported("this account models one blue/green service behind one load balancer")
            }
            let td = try w.describeTaskDefinition(taskDefinition)
            guard td.status == .active else { throw .taskDefinitionInactive(td.arn) }
            w.advanceClock(nowMs)
            let tg: String? = controller == .codeDeploy ? w.listeners[w.listenerIndex(.prod)!].targetGroup : nil
            let set = TaskSet(id: w.makeTaskSetId(), taskDefinitionArn: td.arn, status: .primary,
                              targetGroup: tg, trafficWeight: 100, runningCount: desiredCount)
            let service = Service(name: name, controller: controller, taskSets: [set], desiredCount: desiredCount)
            w.services.append(service)
            return service
        }
    }

    /// UpdateService. On a CODE_DEPLOY service only desiredCount may change; a task definition
    /// is rejected with InvalidParameterException (§8.2). On an ECS service the new revision must
    /// be ACTIVE ("you can't update an existing service to reference an INACTIVE task definition").
    /// Scaling is allowed even while the running revision is INACTIVE.
    public mutating func updateService(name: String, taskDefinition: String?, desiredCount: Int?) throws(ECSError) {
        try commit { (w: inout AWSWorld) throws(ECSError) in
            guard let s = w.services.firstIndex(where: { $0.name == name }) else { throw .serviceNotFound(name) }
            if let ref = taskDefinition {
                guard w.services[s].controller == .ecs else {
                    throw .codeDeployControllerTaskDefinitionUpdate(service: name)
                }
                let td = try w.describeTaskDefinition(ref)
                guard td.status == .active else { throw .taskDefinitionInactive(td.arn) }
                // The rolling update is collapsed into one step: the PRIMARY task set switches revision.
                for k in w.services[s].taskSets.indices where w.services[s].taskSets[k].status == .primary {
                    w.services[s].taskSets[k].taskDefinitionArn = td.arn
                }
            }
            if let count = desiredCount {
                guard count >= 0 else { throw .invalidParameter("desiredCount must be 0 or more") }
                w.services[s].desiredCount = count
                for k in w.services[s].taskSets.indices { w.services[s].taskSets[k].runningCount = count }
            }
        }
    }
}
