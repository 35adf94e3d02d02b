/// Who deploys new task definitions to a service (§8.2). Fixed at creation.
public enum DeploymentController: String, Codable, Equatable, Sendable {
    /// Blue/green through CodeDeploy task sets; UpdateService may not change the task definition.
    case codeDeploy = "CODE_DEPLOY"
    /// ECS rolling update; UpdateService changes the task definition directly.
    case ecs = "ECS"
}

/// Task-set roles inside a service: the one serving the service is PRIMARY.
public enum TaskSetStatus: String, Codable, Equatable, Sendable {
    case primary = "PRIMARY"
    case active = "ACTIVE"
}

/// A set of tasks of one revision, bound to one target group (CodeDeploy's original or replacement).
public struct TaskSet: Codable, Equatable, Sendable {
    /// `ecs-svc/<counter>`.
    public var id: String
    public var taskDefinitionArn: String
    public var status: TaskSetStatus
    /// nil for ECS-controller services, which sit behind no blue/green load balancer here.
    public var targetGroup: String?
    /// Percent of production traffic, 0...100.
    public var trafficWeight: Int
    public var runningCount: Int
}

/// An ECS service.
public struct Service: Codable, Equatable, Sendable {
    public var name: String
    public var controller: DeploymentController
    public var taskSets: [TaskSet]
    public var desiredCount: Int

    /// The task set serving the service, if any.
    public var primaryTaskSet: TaskSet? { taskSets.first { $0.status == .primary } }
}

/// An ELB target group.
public struct TargetGroup: Codable, Equatable, Sendable, Hashable {
    public var name: String
}

/// Listener roles in a CodeDeploy ECS deployment group.
public enum ListenerRole: String, Codable, Equatable, Sendable {
    case prod
    case test
}

/// A load-balancer listener. It forwards `100 - shiftedWeight` percent to `targetGroup` and
/// `shiftedWeight` percent to `shiftedTargetGroup` while CodeDeploy shifts traffic.
public struct Listener: Codable, Equatable, Sendable {
    public var role: ListenerRole
    public var port: Int
    public var targetGroup: String
    public var shiftedTargetGroup: String?
    public var shiftedWeight: Int
}
