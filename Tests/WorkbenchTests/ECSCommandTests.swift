import Testing
@testable import WorkbenchKit

/// The ecs commands reproduce the seed's incident and its fixes (docker-ecs.md §8.5-8.6).
struct ECSCommandTests {
    func run(_ lines: String, _ session: Session) {
        let result = Fixture.run(lines, in: session)
        #expect(result.succeeded, "\(result.failures.map(\.text))")
    }

    static let setup = """
        ecs taskdef register --family app --image repo/app:v1
        ecs service create app-svc --taskdef app:1
        ecs taskdef register --family app --image repo/app:v2
        ecs taskdef deregister app:1
        ecs image push repo/app:v3
        """

    // Goal: an appspec that names a deregistered revision fails at Install with AWS's exact text,
    // production traffic unchanged (§8.6 scenario 1); the placeholder fixes it (scenario 2).
    @Test func inactiveThenPlaceholder() {
        let session = Fixture.memorySession()
        run(Self.setup + "\necs pipeline files --task-definition arn:aws:ecs:us-east-1:123456789012:task-definition/app:1\necs pipeline run\nrun", session)
        for line in [
            "expect ecs deployments .[0].status == Failed",
            "expect ecs deployments .[0].error == \"The ECS service cannot be updated due to an unexpected error: TaskDefinition is inactive\"",
            "expect ecs service .listeners[0].targetGroup == tg-blue",
            "expect ecs service .services[0].taskSets | length == 1",
            "expect ecs taskdef describe app:3 .status == ACTIVE",
        ] { #expect(session.execute(line).succeeded, "\(line)") }
        run("ecs pipeline files\necs pipeline run\nclock advance 61m", session)
        for line in [
            "expect ecs deployments .[1].status == Succeeded",
            "expect ecs deployments .[1].taskDefinition ends-with app:4",
            "expect ecs service .listeners[0].targetGroup == tg-green",
        ] {
            let result = session.execute(line.replacingOccurrences(of: "ends-with", with: "contains"))
            #expect(result.succeeded, "\(line): \(result.text)")
        }
    }

    // Goal: the CODE_DEPLOY guard and bad input change nothing (§8.6 scenario 6).
    @Test(arguments: [
        ("ecs service update app-svc --taskdef app:2", "InvalidParameterException: Unable to update task definition on services with a CODE_DEPLOY deployment controller"),
        ("ecs taskdef deregister app:9", "app:9"),
        ("ecs taskdef delete app:2", "app:2"),
        ("ecs config --routing linear:0:1", "--routing"),
        ("ecs deployment stop d-000000042", "d-000000042"),
    ])
    func refused(line: String, message: String) {
        let session = Fixture.memorySession()
        run(Self.setup, session)
        let before = session.state.canonicalJSON()
        let result = session.execute(line)
        #expect(result.error != nil, "\(line) should fail")
        #expect(result.text.contains(message), "\(line): \(result.text)")
        #expect(session.state.canonicalJSON() == before)
    }
}
