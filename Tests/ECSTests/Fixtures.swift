import Testing
@testable import ECS

let arnPrefix = "arn:aws:ecs:us-east-1:123456789012:task-definition/"

let taskdefTemplate = """
{
  "family": "app",
  "networkMode": "awsvpc",
  "requiresCompatibilities": ["FARGATE"],
  "cpu": "256",
  "memory": "512",
  "containerDefinitions": [
    {
      "name": "web",
      "image": "<IMAGE1_NAME>",
      "essential": true,
      "portMappings": [{ "containerPort": 80, "protocol": "tcp" }]
    }
  ]
}
"""

func appspec(_ taskDefinition: String, container: String = "web", hooks: [String] = []) -> String {
    var s = """
    version: 0.0
    Resources:
      - TargetService:
          Type: AWS::ECS::Service
          Properties:
            TaskDefinition: "\(taskDefinition)"
            LoadBalancerInfo:
              ContainerName: "\(container)"
              ContainerPort: 80

    """
    if !hooks.isEmpty {
        s += "Hooks:\n"
        for h in hooks { s += "  - \(h): \"Validate\(h)\"\n" }
    }
    return s
}

/// app:1 registered, service `app-svc` (CODE_DEPLOY, 2 tasks) running it on tg-blue.
func baseWorld() throws -> AWSWorld {
    var w = AWSWorld()
    try w.registerTaskDefinition(TaskDefinitionInput(family: "app", containers: [
        ContainerDefinition(name: "web", image: "repo/app:v1", port: 80)]))
    try w.createService(name: "app-svc", taskDefinition: "app:1", desiredCount: 2, nowMs: 0)
    return w
}

/// Steps every due event up to `untilMs`, checking invariants after each step.
@discardableResult
func drive(_ w: inout AWSWorld, untilMs: Int64, maxSteps: Int = 200) -> [DeploymentEvent] {
    var events: [DeploymentEvent] = []
    while events.count < maxSteps, let t = w.nextEventTimeMs(), t <= untilMs, let e = w.step(nowMs: t) {
        events.append(e)
        #expect(w.checkInvariants() == [], "after \(e.summary)")
    }
    return events
}

func prod(_ w: AWSWorld) -> Listener { w.listeners.first { $0.role == .prod }! }
func test(_ w: AWSWorld) -> Listener { w.listeners.first { $0.role == .test }! }
func svc(_ w: AWSWorld) -> Service { w.services[0] }

let inactiveText = "The ECS service cannot be updated due to an unexpected error: TaskDefinition is inactive"
let hour: Int64 = 3_600_000
