import Testing
@testable import ECS

@Suite struct ReaderTests {
    @Test func taskdefJSON() throws {
        // Goal: taskdef.json is read as a RegisterTaskDefinition input, unknown fields ignored, errors named (CodePipeline file-reference taskdef.json).
        let input = try TaskDefinitionInput.parse(json: taskdefTemplate)
        #expect(input == TaskDefinitionInput(family: "app", containers: [ContainerDefinition(name: "web", image: "<IMAGE1_NAME>", port: 80)]))
        #expect(throws: ECSError.malformedTaskDefinition("\"family\" (a string) is required")) {
            try TaskDefinitionInput.parse(json: #"{"containerDefinitions": []}"#)
        }
        #expect(throws: ECSError.malformedTaskDefinition("invalid JSON at byte 8: unterminated string")) {
            try TaskDefinitionInput.parse(json: #"{"family"#)
        }
        #expect(JSONReader.parse(#"{"a": [1, -2.5e3, true, null, "\u00e9\n"]}"#) ==
                .success(.object([("a", .array([.number("1"), .number("-2.5e3"), .bool(true), .null, .string("é\n")]))])))
        if case .success = JSONReader.parse("[01]") { Issue.record("leading zero accepted") }
    }

    @Test func appspecYAML() throws {
        // Goal: the documented ECS AppSpec shape parses, including hooks and the flow-style LoadBalancerInfo, and renders back to an equal value (CodeDeploy reference-appspec-file-structure-resources / -hooks).
        let text = """
        # comment
        version: 0.0
        Resources:
        - TargetService:
            Type: AWS::ECS::Service
            Properties:
              TaskDefinition: <TASK_DEFINITION>
              LoadBalancerInfo: {ContainerName: "web", ContainerPort: 80}
              PlatformVersion: "LATEST"
        Hooks:
          - BeforeInstall: "LambdaFunctionToValidateBeforeInstall"  # trailing comment
          - AfterAllowTraffic: 'LambdaFunctionToValidateAfterTraffic'
        """
        let spec = try AppSpec.parse(yaml: text)
        #expect(spec == AppSpec(taskDefinition: "<TASK_DEFINITION>", containerName: "web", containerPort: 80,
                                platformVersion: "LATEST",
                                hooks: [HookBinding(step: .beforeInstall, lambda: "LambdaFunctionToValidateBeforeInstall"),
                                        HookBinding(step: .afterAllowTraffic, lambda: "LambdaFunctionToValidateAfterTraffic")]))
        #expect(spec.usesTaskDefinitionPlaceholder)
        #expect(try AppSpec.parse(yaml: spec.yamlText) == spec)
        #expect(try AppSpec.parse(yaml: appspec(arnPrefix + "app:7")).taskDefinition == arnPrefix + "app:7")
    }

    @Test func appspecErrors() throws {
        // Goal: YAML outside the subset and appspecs outside the ECS shape fail with a named reason (own rules; CodeDeploy hooks list).
        #expect(throws: ECSError.malformedAppSpec("line 2: tabs are not allowed for indentation")) {
            try AppSpec.parse(yaml: "version: 0.0\n\tResources: x")
        }
        #expect(throws: ECSError.malformedAppSpec("line 1: unsupported YAML feature '&'")) { try AppSpec.parse(yaml: "version: &v 0.0") }
        #expect(throws: ECSError.malformedAppSpec("'Resources' must be a list with exactly one TargetService")) {
            try AppSpec.parse(yaml: "version: 0.0")
        }
        let badHook = appspec("app:1") + "Hooks:\n  - Install: \"x\"\n"
        #expect(throws: ECSError.self) { try AppSpec.parse(yaml: badHook) }
        let badPort = appspec("app:1").replacing("ContainerPort: 80", with: "ContainerPort: eighty")
        #expect(throws: ECSError.malformedAppSpec("LoadBalancerInfo.ContainerPort must be a port number")) { try AppSpec.parse(yaml: badPort) }
    }
}
