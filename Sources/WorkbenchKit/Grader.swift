/// The verdict on one exercise: passed, or the first thing that failed and why.
public struct Verdict: Equatable, Sendable {
    public var exercise: String
    public var passed: Bool
    public var reason: String

    public init(exercise: String, passed: Bool, reason: String) {
        self.exercise = exercise
        self.passed = passed
        self.reason = reason
    }

    public var line: String { "\(passed ? "pass" : "FAIL")  \(exercise)" + (reason.isEmpty ? "" : "  \(reason)") }
}

/// Grading = a fresh session with the default seed + the exercise's setup + the solution + the
/// goal. The REPL's `check`, `workbench grade` and the test suite all use this one grader.
public enum Grader {
    public static func grade(_ exercise: Exercise, lesson: Lesson, solution: String, solutionName: String, template: Session) -> Verdict {
        let session = template.fresh(seed: Session.defaultSeed)
        session.namespace = template.modules.first { $0.lessonTopics.contains(lesson.topic) }?.namespace
        if let failure = runSetup(exercise, lesson: lesson, in: session) {
            return Verdict(exercise: exercise.id, passed: false, reason: failure)
        }
        let result = ScriptRunner.run(solution, file: solutionName, in: session, echo: false)
        if let failure = result.failures.first {
            return Verdict(exercise: exercise.id, passed: false, reason: "the solution failed: \(failure.text)")
        }
        return check(exercise, lesson: lesson, in: session)
    }

    /// Runs the exercise's setup; returns the failure (a lesson bug) or nil.
    public static func runSetup(_ exercise: Exercise, lesson: Lesson, in session: Session) -> String? {
        for line in exercise.setup {
            let result = session.execute(line.text)
            if let error = result.error { return "the exercise setup failed at \(lesson.path):\(line.line): \(error.message)" }
        }
        return nil
    }

    /// Checks the goal against a session as it is (the REPL's `check`). The goal only reads.
    public static func check(_ exercise: Exercise, lesson: Lesson, in session: Session) -> Verdict {
        for line in exercise.goal {
            let result = session.execute(line.text)
            if let error = result.error {
                return Verdict(exercise: exercise.id, passed: false, reason: "goal \(lesson.path):\(line.line): \(error.message)")
            }
        }
        return Verdict(exercise: exercise.id, passed: true, reason: "")
    }
}
