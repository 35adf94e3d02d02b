/// The simulated AWS account: ECS task definitions and services, one load balancer with a
/// prod and a test listener and two target groups, one CodeDeploy ECS deployment group, and
/// one CodePipeline with a CodeDeployToECS action (docker-ecs.md §8.6).
///
/// Pure value: no clock, no randomness, no I/O. Times are simulated milliseconds passed in.
/// Every throwing mutation works on a copy and commits only on success.
public struct AWSWorld: Codable, Equatable, Sendable {
    public static let region = "us-east-1"
    public static let accountId = "123456789012"
    public static let deploymentGroupName = "app-dg"

    /// All revisions ever registered, in family then revision order (deleted ones stay DELETE_IN_PROGRESS).
    public internal(set) var taskDefinitions: [TaskDefinition] = []
    var revisionCounters: [FamilyCounter] = []
    public internal(set) var services: [Service] = []
    public internal(set) var targetGroups: [TargetGroup]
    public internal(set) var listeners: [Listener]
    public internal(set) var deployments: [Deployment] = []
    /// The deployment group's config; each deployment snapshots it at creation.
    public var deploymentConfig = DeploymentConfig()
    /// Lifecycle hooks whose Lambda reports Failed when invoked (only if the appspec binds one).
    public var failingHooks: [LifecycleStep] = []
    public internal(set) var pipelineFiles: PipelineFiles?
    /// The image URI the ECR source action last saw; it becomes `imageDetail.json`.
    public internal(set) var latestImageUri: String?
    /// The latest simulated time passed to any operation.
    public internal(set) var clockMs: Int64 = 0
    var nextDeploymentNumber = 1
    var nextTaskSetNumber = 1

    /// An empty account with target groups `tg-blue`/`tg-green`, a prod listener on :80 and,
    /// if `testListener`, a test listener on :8080, both forwarding to `tg-blue`.
    public init(testListener: Bool = true) {
        targetGroups = [TargetGroup(name: "tg-blue"), TargetGroup(name: "tg-green")]
        listeners = [Listener(role: .prod, port: 80, targetGroup: "tg-blue", shiftedTargetGroup: nil, shiftedWeight: 0)]
        if testListener {
            listeners.append(Listener(role: .test, port: 8080, targetGroup: "tg-blue", shiftedTargetGroup: nil, shiftedWeight: 0))
        }
    }

    /// Runs `body` on a copy and commits it only if it does not throw.
    mutating func commit<T>(_ body: (inout AWSWorld) throws(ECSError) -> T) throws(ECSError) -> T {
        var copy = self
        let result = try body(&copy)
        self = copy
        return result
    }

    mutating func advanceClock(_ nowMs: Int64) { clockMs = max(clockMs, nowMs) }

    // MARK: Lookups

    static func arnPrefix() -> String { "arn:aws:ecs:\(region):\(accountId):task-definition/" }

    /// Splits `family:revision` or a task-definition ARN; `family` alone gives revision nil.
    static func parseReference(_ ref: String) -> (family: String, revision: Int?)? {
        var body = Substring(ref)
        if ref.hasPrefix("arn:") {
            guard ref.hasPrefix(arnPrefix()) else { return nil }
            body = body.dropFirst(arnPrefix().count)
        }
        let parts = body.split(separator: ":", omittingEmptySubsequences: false)
        guard let familyPart = parts.first, !familyPart.isEmpty, parts.count <= 2 else { return nil }
        if parts.count == 1 { return ref.hasPrefix("arn:") ? nil : (String(familyPart), nil) }
        guard let rev = Int(parts[1]), rev >= 1 else { return nil }
        return (String(familyPart), rev)
    }

    /// Index of the revision `ref` names; `family` alone means its latest ACTIVE revision.
    func taskDefinitionIndex(_ ref: String) -> Int? {
        guard let (family, revision) = Self.parseReference(ref) else { return nil }
        if let revision {
            return taskDefinitions.firstIndex { $0.family == family && $0.revision == revision }
        }
        return taskDefinitions.lastIndex { $0.family == family && $0.status == .active }
    }

    var codeDeployServiceIndex: Int? { services.firstIndex { $0.controller == .codeDeploy } }
    var activeDeploymentIndex: Int? { deployments.firstIndex { $0.status.isActive } }

    func listenerIndex(_ role: ListenerRole) -> Int? { listeners.firstIndex { $0.role == role } }

    mutating func makeTaskSetId() -> String {
        let n = String(nextTaskSetNumber)
        nextTaskSetNumber += 1
        return "ecs-svc/" + String(repeating: "0", count: max(0, 19 - n.count)) + n
    }

    mutating func makeDeploymentId() -> String {
        let digits = Array("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ")
        var n = nextDeploymentNumber
        nextDeploymentNumber += 1
        var s = ""
        repeat { s = String(digits[n % 36]) + s; n /= 36 } while n > 0
        return "d-" + String(repeating: "0", count: max(0, 9 - s.count)) + s
    }
}
