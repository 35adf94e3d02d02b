/// A hook binding in the AppSpec `Hooks` section: lifecycle event → Lambda function.
public struct HookBinding: Codable, Equatable, Sendable {
    public var step: LifecycleStep
    public var lambda: String
}

/// An ECS AppSpec (reference-appspec-file-structure-resources / -hooks), as CodeDeploy reads it.
public struct AppSpec: Codable, Equatable, Sendable {
    /// The literal CodePipeline's CodeDeployToECS action replaces with the new revision's ARN.
    public static let taskDefinitionPlaceholder = "<TASK_DEFINITION>"

    public var version: String
    /// `Resources[0].TargetService.Properties.TaskDefinition`: an ARN, `family:revision`, or the placeholder.
    public var taskDefinition: String
    public var containerName: String
    public var containerPort: Int
    public var platformVersion: String?
    public var hooks: [HookBinding]

    public init(version: String = "0.0", taskDefinition: String, containerName: String,
                containerPort: Int, platformVersion: String? = nil, hooks: [HookBinding] = []) {
        self.version = version
        self.taskDefinition = taskDefinition
        self.containerName = containerName
        self.containerPort = containerPort
        self.platformVersion = platformVersion
        self.hooks = hooks
    }

    /// True when TaskDefinition is exactly `<TASK_DEFINITION>`, i.e. the pipeline will fill it in.
    public var usesTaskDefinitionPlaceholder: Bool { taskDefinition == Self.taskDefinitionPlaceholder }

    /// The Lambda bound to `step`, if any.
    public func hook(for step: LifecycleStep) -> String? { hooks.first { $0.step == step }?.lambda }

    /// Reads an `appspec.yaml` with one `AWS::ECS::Service` target.
    public static func parse(yaml text: String) throws(ECSError) -> AppSpec {
        let root: YAMLValue
        switch YAMLSubsetReader.parse(text) {
        case .success(let v): root = v
        case .failure(let e): throw .malformedAppSpec(e.description)
        }
        guard case .mapping = root else { throw .malformedAppSpec("the top level must be a mapping") }
        guard case .scalar(let version)? = root["version"] else { throw .malformedAppSpec("'version' is required") }
        guard version == "0.0" else { throw .malformedAppSpec("'version' must be 0.0, got \(version)") }
        guard case .sequence(let resources)? = root["Resources"], resources.count == 1 else {
            throw .malformedAppSpec("'Resources' must be a list with exactly one TargetService")
        }
        guard case .mapping(let wrapper) = resources[0], wrapper.count == 1, let (_, target) = wrapper.first else {
            throw .malformedAppSpec("each resource must be a single named entry such as 'TargetService:'")
        }
        guard case .scalar(let type)? = target["Type"], type == "AWS::ECS::Service" else {
            throw .malformedAppSpec("the target's Type must be AWS::ECS::Service")
        }
        guard let props = target["Properties"], case .mapping = props else {
            throw .malformedAppSpec("the target needs 'Properties'")
        }
        guard case .scalar(let td)? = props["TaskDefinition"], !td.isEmpty else {
            throw .malformedAppSpec("Properties.TaskDefinition is required")
        }
        guard let lb = props["LoadBalancerInfo"], case .mapping = lb else {
            throw .malformedAppSpec("Properties.LoadBalancerInfo is required")
        }
        guard case .scalar(let containerName)? = lb["ContainerName"], !containerName.isEmpty else {
            throw .malformedAppSpec("LoadBalancerInfo.ContainerName is required")
        }
        guard case .scalar(let portText)? = lb["ContainerPort"], let port = Int(portText), (1...65535).contains(port) else {
            throw .malformedAppSpec("LoadBalancerInfo.ContainerPort must be a port number")
        }
        var platform: String?
        if case .scalar(let p)? = props["PlatformVersion"] { platform = p }
        var hooks: [HookBinding] = []
        if let h = root["Hooks"] {
            guard case .sequence(let items) = h else { throw .malformedAppSpec("'Hooks' must be a list") }
            for item in items {
                guard case .mapping(let pairs) = item, pairs.count == 1, case .scalar(let lambda) = pairs[0].1 else {
                    throw .malformedAppSpec("each hook must be '- <LifecycleEvent>: <LambdaFunction>'")
                }
                guard let step = LifecycleStep(rawValue: pairs[0].0), step.isHook else {
                    throw .malformedAppSpec("'\(pairs[0].0)' is not an ECS hook (BeforeInstall, AfterInstall, AfterAllowTestTraffic, BeforeAllowTraffic, AfterAllowTraffic)")
                }
                hooks.append(HookBinding(step: step, lambda: lambda))
            }
        }
        return AppSpec(version: version, taskDefinition: td, containerName: containerName,
                       containerPort: port, platformVersion: platform, hooks: hooks)
    }

    /// The AppSpec as YAML that `parse(yaml:)` reads back to an equal value.
    public var yamlText: String {
        func q(_ s: String) -> String { "\"" + s.replacing("\\", with: "\\\\").replacing("\"", with: "\\\"") + "\"" }
        var out = """
        version: \(version)
        Resources:
          - TargetService:
              Type: AWS::ECS::Service
              Properties:
                TaskDefinition: \(q(taskDefinition))
                LoadBalancerInfo:
                  ContainerName: \(q(containerName))
                  ContainerPort: \(containerPort)

        """
        if let platformVersion { out += "        PlatformVersion: \(q(platformVersion))\n" }
        if !hooks.isEmpty {
            out += "Hooks:\n"
            for h in hooks { out += "  - \(h.step.rawValue): \(q(h.lambda))\n" }
        }
        return out
    }
}
