/// Errors raised by the simulated ECS, CodeDeploy and CodePipeline APIs.
///
/// Each case names the rule that failed. `message` carries AWS's text where it is known
/// (see docker-ecs.md §8); texts marked "own words" in the case docs are not verified.
public enum ECSError: Error, Equatable, Codable, Sendable {
    /// ECS: an INACTIVE or DELETE_IN_PROGRESS revision cannot run new tasks, create a service
    /// or become a service's task definition (API reference DeregisterTaskDefinition).
    case taskDefinitionInactive(String)
    /// ECS DescribeTaskDefinition: no such family or revision.
    case taskDefinitionNotFound(String)
    /// ECS: deregister and delete take `family:revision` or a full ARN (own words).
    case invalidTaskDefinitionReference(String)
    /// ECS DeleteTaskDefinitions: a revision must be deregistered (INACTIVE) first.
    case deleteActiveTaskDefinition(String)
    /// ECS UpdateService on a CODE_DEPLOY service may change desiredCount only; a new task
    /// definition must go through CodeDeploy (§8.2).
    case codeDeployControllerTaskDefinitionUpdate(service: String)
    /// ECS: the service name is unknown.
    case serviceNotFound(String)
    /// ECS CreateService with a name already in use.
    case serviceAlreadyExists(String)
    /// A request parameter is out of range or malformed (own words).
    case invalidParameter(String)
    /// CodePipeline CodeDeployToECS: no readable `imageDetail.json` in the image artifact (§8.3).
    case imageArtifactUnreadable(artifact: String)
    /// CodePipeline: `setPipelineFiles` was never called (own words).
    case pipelineNotConfigured
    /// `taskdef.json` could not be read as a RegisterTaskDefinition input (own words).
    case malformedTaskDefinition(String)
    /// `appspec.yaml` is outside the supported ECS AppSpec shape (own words).
    case malformedAppSpec(String)
    /// CodeDeploy: one deployment at a time per deployment group.
    case deploymentLimitExceeded(deploymentGroup: String, activeDeployment: String)
    /// CodeDeploy: the deployment group has no ECS service to deploy to (own words).
    case deploymentGroupHasNoService(String)
    /// CodeDeploy: the deployment id is unknown.
    case deploymentNotFound(String)
    /// CodeDeploy StopDeployment on a finished deployment.
    case deploymentAlreadyCompleted(String)
    /// Outside what this simulator models (own words).
    case unsupported(String)

    /// The error text as AWS (or, for own-words cases, this simulator) prints it.
    public var message: String {
        switch self {
        case .taskDefinitionInactive:
            return "ClientException: TaskDefinition is inactive"
        case .taskDefinitionNotFound:
            return "ClientException: Unable to describe task definition."
        case .invalidTaskDefinitionReference(let ref):
            return "ClientException: Invalid task definition reference '\(ref)': use family:revision or a task definition ARN."
        case .deleteActiveTaskDefinition:
            return "ClientException: The specified task definition is still in ACTIVE status. Please deregister the target and try again."
        case .codeDeployControllerTaskDefinitionUpdate:
            return "InvalidParameterException: Unable to update task definition on services with a CODE_DEPLOY deployment controller. Use AWS CodeDeploy to trigger a new deployment."
        case .serviceNotFound:
            return "ServiceNotFoundException: Service not found."
        case .serviceAlreadyExists:
            return "InvalidParameterException: Creation of service was not idempotent."
        case .invalidParameter(let why):
            return "InvalidParameterException: \(why)"
        case .imageArtifactUnreadable(let artifact):
            return "Invalid action configuration Exception while trying to read the image artifact file from the artifact: \(artifact)."
        case .pipelineNotConfigured:
            return "Pipeline has no taskdef.json and appspec.yaml yet."
        case .malformedTaskDefinition(let why):
            return "taskdef.json: \(why)"
        case .malformedAppSpec(let why):
            return "appspec.yaml: \(why)"
        case .deploymentLimitExceeded(let group, let active):
            return "DeploymentLimitExceededException: The Deployment Group '\(group)' already has an active Deployment (\(active))."
        case .deploymentGroupHasNoService(let group):
            return "InvalidDeploymentGroupException: The Deployment Group '\(group)' has no ECS service with a CODE_DEPLOY deployment controller."
        case .deploymentNotFound(let id):
            return "DeploymentDoesNotExistException: The deployment \(id) could not be found."
        case .deploymentAlreadyCompleted(let id):
            return "DeploymentAlreadyCompletedException: The deployment \(id) has already completed."
        case .unsupported(let what):
            return "unsupported: \(what)"
        }
    }
}
