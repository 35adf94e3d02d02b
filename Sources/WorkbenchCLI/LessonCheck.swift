import WorkbenchKit

/// `workbench lessons --check`: each lesson's walkthrough (every ```wb block in order, in one
/// session, with each exercise solved by its reference solution) and each reference solution
/// graded from its setup — the same checks the test suite makes, for a quick loop while writing.
enum LessonCheck {
    static func run(ids: [String], host: SessionHost, say: (String) -> Void) -> Int {
        let template = Workbench.session(host: host)
        let catalog = template.catalog
        var failures = catalog.problems.count
        for problem in catalog.problems { say("problem: \(problem)") }
        let lessons = catalog.lessons.filter { ids.isEmpty || ids.contains($0.id) }
        for lesson in lessons {
            let session = Workbench.session(host: host)
            var problems: [String] = []
            let opened = session.execute("lesson open \(lesson.id) --restart")
            if !opened.succeeded { problems.append("open: \(opened.text)") }
            for (index, step) in lesson.steps.enumerated() where problems.isEmpty {
                if index > 0 {
                    let moved = session.execute("next")
                    if !moved.succeeded { problems.append("step \(index + 1): \(moved.text)") }
                }
                if let exercise = step.exercise {
                    guard let solution = host.referenceSolution(exercise: exercise.id, topic: lesson.topic) else {
                        problems.append("no reference solution for \(exercise.id)")
                        continue
                    }
                    let result = ScriptRunner.run(solution, file: "\(exercise.id).wb", in: session)
                    if !result.succeeded { problems.append("\(exercise.id) solution: \(result.failures.map(\.text).joined(separator: "; "))") }
                    let graded = Grader.grade(exercise, lesson: lesson, solution: solution, solutionName: "\(exercise.id).wb", template: template)
                    if !graded.passed { problems.append("\(exercise.id): \(graded.line)") }
                    let empty = Grader.grade(exercise, lesson: lesson, solution: "", solutionName: "empty.wb", template: template)
                    if empty.passed { problems.append("\(exercise.id): the setup alone already reaches the goal") }
                }
                for n in step.commandBlocks.indices {
                    let tried = session.execute("try \(n + 1)")
                    if !tried.succeeded { problems.append("\(lesson.path) step \(index + 1) block \(n + 1): \(tried.text)") }
                }
            }
            say((problems.isEmpty ? "ok    " : "FAIL  ") + lesson.id + (problems.isEmpty ? "" : "\n      " + problems.joined(separator: "\n      ")))
            failures += problems.isEmpty ? 0 : 1
        }
        return failures
    }
}
