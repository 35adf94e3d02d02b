/// ECS task-definition revision states ("Amazon ECS task definition states").
public enum TaskDefinitionStatus: String, Codable, Equatable, Sendable {
    /// Registered; may run tasks, create services and be deployed.
    case active = "ACTIVE"
    /// Deregistered: existing tasks keep running, nothing new may use it.
    case inactive = "INACTIVE"
    /// Submitted for deletion (requires INACTIVE first); same restrictions as INACTIVE.
    case deleteInProgress = "DELETE_IN_PROGRESS"
}

/// One container of a task definition (the fields this simulator needs).
public struct ContainerDefinition: Codable, Equatable, Sendable {
    public var name: String
    public var image: String
    /// The first `portMappings[].containerPort`, if any.
    public var port: Int?

    public init(name: String, image: String, port: Int? = nil) {
        self.name = name
        self.image = image
        self.port = port
    }
}

/// A RegisterTaskDefinition request: only writable fields, no revision, status or ARN.
public struct TaskDefinitionInput: Codable, Equatable, Sendable {
    public var family: String
    public var containers: [ContainerDefinition]

    public init(family: String, containers: [ContainerDefinition]) {
        self.family = family
        self.containers = containers
    }

    /// The re-registration fix (§8.5 fix B): describe a revision and drop its read-only
    /// fields (ARN, revision, status, registeredAt), leaving a valid register input.
    public init(copying definition: TaskDefinition) {
        self.init(family: definition.family, containers: definition.containers)
    }
}

/// A registered task-definition revision `family:revision`.
public struct TaskDefinition: Codable, Equatable, Sendable {
    public var family: String
    /// 1 for the first registration of a family, then previous maximum + 1; never reused (§8.1).
    public var revision: Int
    /// `arn:aws:ecs:<region>:<account>:task-definition/<family>:<revision>`.
    public var arn: String
    public var status: TaskDefinitionStatus
    public var containers: [ContainerDefinition]
    /// Simulated time of registration.
    public var registeredAtMs: Int64

    /// `family:revision`, the short reference ECS accepts everywhere an ARN is accepted.
    public var familyRevision: String { "\(family):\(revision)" }

    public init(family: String, revision: Int, arn: String, status: TaskDefinitionStatus,
                containers: [ContainerDefinition], registeredAtMs: Int64) {
        self.family = family
        self.revision = revision
        self.arn = arn
        self.status = status
        self.containers = containers
        self.registeredAtMs = registeredAtMs
    }
}

/// The highest revision ever handed out for a family, so numbers are never reused.
struct FamilyCounter: Codable, Equatable, Sendable {
    var family: String
    var lastRevision: Int
}
