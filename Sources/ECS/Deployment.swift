/// CodeDeploy deployment states.
public enum DeploymentStatus: String, Codable, Equatable, Sendable {
    case created = "Created"
    case inProgress = "InProgress"
    /// Waiting for a manual continue; not reached here because traffic is rerouted immediately.
    case ready = "Ready"
    case succeeded = "Succeeded"
    case failed = "Failed"
    case stopped = "Stopped"

    /// Created, InProgress and Ready deployments block new ones in the deployment group.
    public var isActive: Bool { self == .created || self == .inProgress || self == .ready }
}

/// The CodeDeploy ECS lifecycle in order (§8.4), plus the termination wait and the final cleanup.
public enum LifecycleStep: String, Codable, Equatable, Sendable, CaseIterable {
    case beforeInstall = "BeforeInstall"
    case install = "Install"
    case afterInstall = "AfterInstall"
    case allowTestTraffic = "AllowTestTraffic"
    case afterAllowTestTraffic = "AfterAllowTestTraffic"
    case beforeAllowTraffic = "BeforeAllowTraffic"
    case allowTraffic = "AllowTraffic"
    case afterAllowTraffic = "AfterAllowTraffic"
    case waitForTermination = "WaitForTermination"
    case terminateOriginal = "TerminateOriginal"

    /// The five events an AppSpec `Hooks` section may bind to a Lambda function.
    public var isHook: Bool {
        switch self {
        case .beforeInstall, .afterInstall, .afterAllowTestTraffic, .beforeAllowTraffic, .afterAllowTraffic:
            return true
        default:
            return false
        }
    }

    /// The step after this one, nil after the last.
    public var next: LifecycleStep? {
        let all = LifecycleStep.allCases
        let i = all.firstIndex(of: self)! + 1
        return i < all.count ? all[i] : nil
    }
}

/// How CodeDeploy moves production traffic in `AllowTraffic` (deployment-configurations).
public enum TrafficRouting: Codable, Equatable, Sendable {
    /// `CodeDeployDefault.ECSAllAtOnce`.
    case allAtOnce
    /// `percent` more every `everyMs` until 100 (e.g. ECSLinear10PercentEvery1Minutes).
    case linear(percent: Int, everyMs: Int64)
    /// `percent` first, the rest after `afterMs` (e.g. ECSCanary10Percent5Minutes).
    case canary(percent: Int, afterMs: Int64)
}

/// The deployment group's settings that matter here.
public struct DeploymentConfig: Codable, Equatable, Sendable {
    public var trafficRouting: TrafficRouting
    /// How long the original task set survives after traffic moved (default 60 min, limit 48 h).
    public var terminationWaitMs: Int64
    /// Roll back automatically when a hook fails at or after AfterInstall.
    public var autoRollback: Bool

    public static let defaultTerminationWaitMs: Int64 = 60 * 60 * 1000
    public static let maxTerminationWaitMs: Int64 = 48 * 60 * 60 * 1000

    public init(trafficRouting: TrafficRouting = .allAtOnce,
                terminationWaitMs: Int64 = DeploymentConfig.defaultTerminationWaitMs,
                autoRollback: Bool = true) {
        self.trafficRouting = trafficRouting
        self.terminationWaitMs = terminationWaitMs
        self.autoRollback = autoRollback
    }

    /// `CodeDeployDefault.ECSAllAtOnce` with default wait and rollback.
    public static var allAtOnce: DeploymentConfig { DeploymentConfig() }
    /// A custom linear config.
    public static func linear(percent: Int, everyMs: Int64) -> DeploymentConfig {
        DeploymentConfig(trafficRouting: .linear(percent: percent, everyMs: everyMs))
    }
    /// A custom canary config.
    public static func canary(percent: Int, afterMs: Int64) -> DeploymentConfig {
        DeploymentConfig(trafficRouting: .canary(percent: percent, afterMs: afterMs))
    }

    /// Why the config is invalid, or nil.
    func validationProblem() -> String? {
        switch trafficRouting {
        case .allAtOnce: break
        case .linear(let p, let every):
            if !(1...100).contains(p) { return "linear percent must be 1-100, got \(p)" }
            if every < 0 { return "linear interval must not be negative" }
        case .canary(let p, let after):
            if !(1...99).contains(p) { return "canary percent must be 1-99, got \(p)" }
            if after < 0 { return "canary interval must not be negative" }
        }
        if terminationWaitMs < 0 || terminationWaitMs > Self.maxTerminationWaitMs {
            return "termination wait must be 0 to 48 hours"
        }
        return nil
    }
}

/// Why a deployment failed or stopped. `message` is CodeDeploy's text where known.
public enum DeploymentFailure: Codable, Equatable, Sendable {
    /// The appspec's TaskDefinition is INACTIVE (or DELETE_IN_PROGRESS) when Install runs (§8.5).
    case taskDefinitionInactive(String)
    /// The appspec's TaskDefinition does not exist (own words).
    case taskDefinitionNotFound(String)
    /// LoadBalancerInfo.ContainerName is not a container of that revision (own words).
    case containerNotFound(container: String, taskDefinition: String)
    /// The container exposes no port matching LoadBalancerInfo.ContainerPort (own words).
    case containerPortMismatch(container: String, port: Int)
    /// A lifecycle hook's Lambda reported Failed (own words).
    case hookFailed(LifecycleStep, lambda: String)
    /// StopDeployment was called (own words).
    case stoppedManually

    public var message: String {
        switch self {
        case .taskDefinitionInactive:
            return "The ECS service cannot be updated due to an unexpected error: TaskDefinition is inactive"
        case .taskDefinitionNotFound(let ref):
            return "The ECS service cannot be updated due to an unexpected error: Unable to describe task definition \(ref)"
        case .containerNotFound(let c, let td):
            return "The ECS service cannot be updated due to an unexpected error: The container \(c) does not exist in the task definition \(td)"
        case .containerPortMismatch(let c, let port):
            return "The ECS service cannot be updated due to an unexpected error: The container \(c) did not have a container port \(port) defined."
        case .hookFailed(let step, let lambda):
            return "The deployment failed because the \(step.rawValue) lifecycle hook function \(lambda) returned Failed"
        case .stoppedManually:
            return "The deployment was stopped by the user"
        }
    }
}

/// Result of one lifecycle step.
public enum StepOutcome: String, Codable, Equatable, Sendable {
    case succeeded = "Succeeded"
    /// No hook bound, or no test listener.
    case skipped = "Skipped"
    case failed = "Failed"
    case stopped = "Stopped"
}

/// One observable change made by a step.
public enum DeploymentChange: Codable, Equatable, Sendable {
    case statusChanged(DeploymentStatus)
    case hookInvoked(lambda: String, succeeded: Bool)
    case taskSetCreated(id: String, taskDefinitionArn: String, targetGroup: String)
    case taskSetDeleted(id: String)
    case primaryTaskSetChanged(id: String)
    case trafficWeightChanged(taskSetId: String, weight: Int)
    case listenerForwarded(role: ListenerRole, targetGroup: String, shiftedTargetGroup: String?, shiftedWeight: Int)
    case terminationScheduled(atMs: Int64)
    case rolledBack
}

/// What one `step` (or stop) did: which step, what changed, and why it failed.
public struct DeploymentEvent: Codable, Equatable, Sendable {
    public var deploymentId: String
    public var atMs: Int64
    public var step: LifecycleStep
    public var outcome: StepOutcome
    public var changes: [DeploymentChange]
    public var message: String?

    /// One line for a transcript: `d-000000001 Install Failed: <message>`.
    public var summary: String {
        var s = "\(deploymentId) \(step.rawValue) \(outcome.rawValue)"
        if let message { s += ": \(message)" }
        return s
    }
}

/// A CodeDeploy deployment to the deployment group's ECS service.
public struct Deployment: Codable, Equatable, Sendable {
    /// `d-` and nine characters from a counter.
    public var id: String
    public var status: DeploymentStatus
    /// The parsed AppSpec as deployed (placeholders already substituted).
    public var appSpec: AppSpec
    /// The AppSpec text of this revision, reusable by `redeploy`.
    public var appspecContent: String
    /// The TaskDefinition value CodeDeploy uses as-is (§8.3).
    public var appspecTaskDefinition: String { appSpec.taskDefinition }
    /// The next step to run, nil once finished.
    public var lifecycle: LifecycleStep?
    /// When the next step is due.
    public var nextEventAtMs: Int64?
    public var error: DeploymentFailure?
    public var rolledBack: Bool
    /// The group's config, snapshotted at creation.
    public var config: DeploymentConfig
    public var createdAtMs: Int64
    public var originalTaskSetId: String?
    public var replacementTaskSetId: String?
    /// Production traffic on the replacement, 0...100.
    public var shiftedPercent: Int
    public var events: [DeploymentEvent]
}

/// Which file the image artifact of the blue/green action carries (§8.3).
public enum ArtifactKind: String, Codable, Equatable, Sendable {
    /// `imageDetail.json` `{"ImageURI": ...}`: what CodeDeployToECS reads.
    case imageDetail
    /// `imagedefinitions.json`: for the standard ECS action only; CodeDeployToECS cannot read it.
    case imageDefinitions
}

/// The pipeline's source files as last set.
public struct PipelineFiles: Codable, Equatable, Sendable {
    public var taskdef: String
    public var appspec: String
    public var artifact: ArtifactKind
}
