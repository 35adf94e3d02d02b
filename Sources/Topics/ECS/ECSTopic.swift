import ECS
import SimKit
import WorkbenchKit

/// The ECS topic's state: one AWS account with one blue/green service behind a load balancer.
struct ECSState: TopicState, Equatable {
    static let namespace = "ecs"
    static func initial() -> ECSState { ECSState() }
    var world = AWSWorld()
}

/// The `ecs` topic: task definitions, a CODE_DEPLOY service, and CodePipeline → CodeDeploy
/// blue/green deployments stepped on the simulated clock.
public enum ECSTopic {
    public static var module: TopicModule {
        TopicModule(namespace: "ecs", lessonTopic: "ecs", title: "ECS", stateType: ECSState.self,
                    commands: ECSCommands.all, handle: handle)
    }

    /// One lifecycle step of the active deployment (BeforeInstall … TerminateOriginal).
    static func handle(_ event: ScheduledEvent, _ session: Session) throws -> StepReport {
        guard event.kind == "deployment" else {
            throw WorkbenchError.failed(what: "step", why: "ecs has no event called `\(event.kind)`", fix: nil)
        }
        let step = try session.updateTopic(ECSState.self) { $0.world.step(nowMs: event.timeMs) }
        reschedule(session)
        guard let step else { return StepReport("ecs: nothing was due") }
        return StepReport("ecs: " + step.summary, value: .string(step.summary))
    }

    static func reschedule(_ session: Session) {
        session.state.queue.removeAll(topic: "ecs")
        if let next = session.topic(ECSState.self).world.nextEventTimeMs() {
            session.state.queue.schedule(atMs: max(next, session.state.clock.nowMs), topic: "ecs", kind: "deployment")
        }
    }

    /// Changes the world; an AWS error becomes a one-line error and nothing changes.
    static func update<R>(_ session: Session, _ what: String, _ body: (inout AWSWorld, Int64) throws(ECSError) -> R) throws -> R {
        let now = session.state.clock.nowMs
        let result = try session.updateTopic(ECSState.self) { state -> R in
            var world = state.world
            do throws(ECSError) {
                let r = try body(&world, now)
                state.world = world
                return r
            } catch {
                throw WorkbenchError.failed(what: what, why: error.message, fix: nil)
            }
        }
        reschedule(session)
        return result
    }
}
