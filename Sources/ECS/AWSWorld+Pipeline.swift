extension AWSWorld {
    /// The pipeline's source stage: `taskdef.json` text, `appspec.yaml` text, and which image
    /// file the build emits. Parsed only when the pipeline runs.
    public mutating func setPipelineFiles(taskdef: String, appspec: String, artifact: ArtifactKind) {
        pipelineFiles = PipelineFiles(taskdef: taskdef, appspec: appspec, artifact: artifact)
    }

    /// An image push seen by the ECR source action; its URI becomes `imageDetail.json` `ImageURI`.
    public mutating func pushImage(_ uri: String) {
        latestImageUri = uri
    }

    /// CodePipeline's CodeDeployToECS action (§8.3): read `imageDetail.json`, substitute
    /// `<IMAGE1_NAME>` in `taskdef.json`, register a new revision, replace TaskDefinition in the
    /// appspec only if it is the `<TASK_DEFINITION>` placeholder (a hard-coded ARN is used as-is),
    /// then create the deployment. Fails before registering anything when the image artifact is
    /// unreadable, e.g. `imagedefinitions.json` instead of `imageDetail.json`.
    /// Always returns the created deployment on success.
    @discardableResult
    public mutating func runPipeline(nowMs: Int64) throws(ECSError) -> Deployment? {
        try commit { (w: inout AWSWorld) throws(ECSError) -> Deployment? in
            guard let files = w.pipelineFiles else { throw .pipelineNotConfigured }
            guard files.artifact == .imageDetail, let uri = w.latestImageUri else {
                throw .imageArtifactUnreadable(artifact: "BuildArtifact")
            }
            w.advanceClock(nowMs)
            let template = files.taskdef.replacing("<IMAGE1_NAME>", with: jsonEscaped(uri))
            let input = try TaskDefinitionInput.parse(json: template)
            var spec = try AppSpec.parse(yaml: files.appspec)
            let registered = try w.register(input)
            if spec.usesTaskDefinitionPlaceholder { spec.taskDefinition = registered.arn }
            return try w.startDeployment(spec, nowMs: nowMs)
        }
    }

    /// CodeDeploy CreateDeployment with an AppSpec revision given directly (CLI, console, redeploy).
    /// CodeDeploy never registers task definitions; the TaskDefinition is used as written and is
    /// checked only when Install runs.
    @discardableResult
    public mutating func createDeployment(appspec: String, nowMs: Int64) throws(ECSError) -> Deployment {
        try commit { (w: inout AWSWorld) throws(ECSError) -> Deployment in
            let spec = try AppSpec.parse(yaml: appspec)
            guard !spec.usesTaskDefinitionPlaceholder else {
                throw .malformedAppSpec("TaskDefinition is still the <TASK_DEFINITION> placeholder; only CodePipeline fills it in")
            }
            return try w.startDeployment(spec, nowMs: nowMs)
        }
    }

    /// The console's "redeploy" of an earlier deployment: a new deployment (new id) with that
    /// deployment's AppSpec, hence its TaskDefinition ARN (§8.4 Rollback, §8.5 cause 3).
    @discardableResult
    public mutating func redeploy(_ id: String, nowMs: Int64) throws(ECSError) -> Deployment {
        guard let d = deployments.first(where: { $0.id == id }) else { throw .deploymentNotFound(id) }
        return try createDeployment(appspec: d.appspecContent, nowMs: nowMs)
    }

    mutating func startDeployment(_ spec: AppSpec, nowMs: Int64) throws(ECSError) -> Deployment {
        guard let s = codeDeployServiceIndex else { throw .deploymentGroupHasNoService(Self.deploymentGroupName) }
        if let a = activeDeploymentIndex {
            throw .deploymentLimitExceeded(deploymentGroup: Self.deploymentGroupName, activeDeployment: deployments[a].id)
        }
        guard services[s].taskSets.count == 1, let original = services[s].primaryTaskSet else {
            throw .unsupported("service \(services[s].name) still has a replacement task set from a failed deployment without rollback")
        }
        if let problem = deploymentConfig.validationProblem() { throw .invalidParameter(problem) }
        advanceClock(nowMs)
        let d = Deployment(id: makeDeploymentId(), status: .created, appSpec: spec, appspecContent: spec.yamlText,
                           lifecycle: .beforeInstall, nextEventAtMs: nowMs, error: nil, rolledBack: false,
                           config: deploymentConfig, createdAtMs: nowMs, originalTaskSetId: original.id,
                           replacementTaskSetId: nil, shiftedPercent: 0, events: [])
        deployments.append(d)
        return d
    }

    /// CodeDeploy StopDeployment. With `rollback`, production and test traffic return to the
    /// original task set and the replacement is removed; this works until the original is
    /// terminated, including during the termination wait (§8.6 scenario 4).
    public mutating func stopDeployment(_ id: String, rollback: Bool, nowMs: Int64) throws(ECSError) {
        try commit { (w: inout AWSWorld) throws(ECSError) in
            guard let i = w.deployments.firstIndex(where: { $0.id == id }) else { throw .deploymentNotFound(id) }
            guard w.deployments[i].status.isActive else { throw .deploymentAlreadyCompleted(id) }
            w.advanceClock(nowMs)
            var event = DeploymentEvent(deploymentId: id, atMs: nowMs, step: w.deployments[i].lifecycle ?? .beforeInstall,
                                        outcome: .stopped, changes: [], message: DeploymentFailure.stoppedManually.message)
            if rollback { w.rollBack(i, into: &event) }
            w.finish(i, status: .stopped, error: .stoppedManually, into: &event)
            w.deployments[i].events.append(event)
        }
    }
}
