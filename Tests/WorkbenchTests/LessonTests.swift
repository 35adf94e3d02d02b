import Foundation
import Testing
import WorkbenchCLI
@testable import WorkbenchKit

/// Every lesson is proven solvable: its walkthrough runs and each reference solution reaches the
/// goal (the pattern of learnGitBranching's levels.spec.js). Learners' own solutions in
/// `Solutions/` (or `$WORKBENCH_SOLUTIONS`) are graded by the same grader.
struct LessonTests {
    static let catalog = Fixture.session().catalog
    static var lessonIDs: [String] { catalog.lessons.map(\.id) }
    static var exerciseIDs: [String] { catalog.exercises.map(\.1.id) }

    // Goal: the lessons folder parses without problems and has the promised lessons.
    @Test func catalogIsClean() {
        #expect(Self.catalog.problems.isEmpty, "\(Self.catalog.problems)")
        #expect(Self.catalog.lessons.count >= 3)
        #expect(Self.catalog.exercises.count >= 3)
        for lesson in Self.catalog.lessons {
            for required in lesson.requires { #expect(Self.catalog.lesson(required) != nil, "\(lesson.id) requires unknown \(required)") }
        }
    }

    // Goal: a lesson's walkthrough (every ```wb block, in order, in one session) runs without a failure.
    @Test(arguments: lessonIDs)
    func walkthrough(_ id: String) throws {
        let lesson = try #require(Self.catalog.lesson(id))
        let session = Fixture.session()
        #expect(session.execute("lesson open \(id) --restart").succeeded)
        for (index, step) in lesson.steps.enumerated() {
            if index > 0 {
                let moved = session.execute("next")
                #expect(moved.succeeded, "\(id) step \(index + 1): \(moved.text)")
            }
            if let exercise = step.exercise {
                let solution = try #require(session.host.referenceSolution(exercise: exercise.id, topic: lesson.topic), "no solution for \(exercise.id)")
                let result = ScriptRunner.run(solution, file: "\(exercise.id).wb", in: session)
                #expect(result.succeeded, "\(exercise.id): \(result.failures.map(\.text))")
                let check = session.execute("check --json")
                #expect(check.value["passed"] == .bool(true), "\(exercise.id): \(check.value)")
            }
            for n in step.commandBlocks.indices {
                let tried = session.execute("try \(n + 1)")
                #expect(tried.succeeded, "\(lesson.path) step \(index + 1) block \(n + 1): \(tried.text)")
            }
        }
    }

    // Goal: each reference solution passes the grader, and the setup alone does not (so the goal is not trivial).
    @Test(arguments: exerciseIDs)
    func referenceSolution(_ id: String) throws {
        let session = Fixture.session()
        let (lesson, exercise) = try #require(Self.catalog.exercise(id))
        let solution = try #require(session.host.referenceSolution(exercise: id, topic: lesson.topic))
        let verdict = Grader.grade(exercise, lesson: lesson, solution: solution, solutionName: "\(id).wb", template: session)
        #expect(verdict.passed, "\(verdict.line)")
        let empty = Grader.grade(exercise, lesson: lesson, solution: "", solutionName: "empty.wb", template: session)
        #expect(!empty.passed, "\(id): the setup alone already reaches the goal")
        #expect(empty.reason.hasPrefix("goal "), "\(empty.reason)")   // it fails at a goal line, not in the setup
    }

    static var learnerSolutions: [String] {
        let folder = ProcessInfo.processInfo.environment["WORKBENCH_SOLUTIONS"] ?? Fixture.repoRoot.appendingPathComponent("Solutions").path
        return ((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []).filter { $0.hasSuffix(".wb") }.map { "\(folder)/\($0)" }.sorted()
    }

    // Goal: a learner's solution file passes its exercise (same verdicts as `workbench grade`).
    @Test(arguments: learnerSolutions)
    func learnerSolution(_ path: String) throws {
        let folder = URL(fileURLWithPath: path).deletingLastPathComponent().path
        let id = URL(fileURLWithPath: path).deletingPathExtension().lastPathComponent
        let verdicts = Grading.grade(session: Fixture.session(), folder: folder, only: [id])
        #expect(verdicts.allSatisfy { $0.passed }, "\(verdicts.map(\.line))")
    }

    // Goal: a wrong solution gets a verdict naming the failing expectation; method: grade a bad file.
    @Test func wrongSolutionVerdict() throws {
        let session = Fixture.session()
        let (lesson, exercise) = try #require(Self.catalog.exercises.first)
        let verdict = Grader.grade(exercise, lesson: lesson, solution: "chain difficulty 3\nchain show block 99\n", solutionName: "mine.wb", template: session)
        #expect(!verdict.passed)
        #expect(verdict.reason.contains("mine.wb:2"), "\(verdict.reason)")
    }

    // Goal: malformed lesson files are reported with file and line, and never crash.
    @Test(arguments: [
        ("no front matter", 1, "a lesson starts with front matter"),
        ("---\nid: x\n", 1, "front matter is not closed"),
        ("---\nid: x\ntitle: T\n---\nbody", 1, "front matter needs `topic:`"),
        ("---\nid: x\ntitle: T\ntopic: blockchain\nbogus: 1\n---\n", 5, "unknown front matter key `bogus`"),
        ("---\nid: x\ntitle: T\ntopic: blockchain\n---\n# T\n\n```wb goal\nexpect clock .steps == 0\n```\n", 8, "belongs in an `## Exercise: <id>` section"),
        ("---\nid: x\ntitle: T\ntopic: blockchain\n---\n## Exercise: Bad Id\n", 6, "exercise ids are lowercase"),
        ("---\nid: x\ntitle: T\ntopic: blockchain\n---\n## Exercise: e\n```wb goal\nchain reset\n```\n", 8, "goal lines are `expect` or `expect-error` lines"),
        ("---\nid: x\ntitle: T\ntopic: blockchain\n---\n## Exercise: e\ntext\n", 6, "has no ```wb goal``` block"),
        ("---\nid: x\ntitle: T\ntopic: blockchain\n---\n```wb sideways\nx\n```\n", 6, "unknown block ```wb sideways```"),
    ])
    func malformedLesson(text: String, line: Int, message: String) {
        #expect(throws: LessonProblem.self) { try LessonParser.parse(text, path: "Lessons/t/01-x.md") }
        do {
            _ = try LessonParser.parse(text, path: "Lessons/t/01-x.md")
        } catch {
            #expect(error.line == line, "\(error)")
            #expect(error.message.contains(message), "\(error)")
            #expect(error.description.hasPrefix("Lessons/t/01-x.md:\(line): "))
        }
    }

    // Goal: the catalog lists a broken file as a problem (with its line) and keeps the good ones.
    @Test func catalogReportsProblems() {
        let host = MemoryHost(lessons: [("L/blockchain/01-a.md", "---\nid: a\ntitle: A\ntopic: blockchain\n---\n# A\ntext\n"),
                                        ("L/blockchain/02-b.md", "---\nid: b\ntitle: B\ntopic: nosuch\n---\ntext\n"),
                                        ("L/blockchain/03-c.md", "\u{0}\u{1}binary")])
        let session = Fixture.memorySession(host: host)
        #expect(session.catalog.lessons.map(\.id) == ["a"])
        #expect(session.catalog.problems.map(\.description) == [
            "L/blockchain/02-b.md:1: unknown topic `nosuch` (topics: blockchain, docker, ecs, geth, kafka, zookeeper)",
            "L/blockchain/03-c.md:1: a lesson starts with front matter: a `---` line, then `id:`, `title:`, `topic:`",
        ])
        #expect(session.execute("lessons").text.contains("problem: L/blockchain/02-b.md:1"))
    }

    // Goal: REPL lesson flow: open, next, try, hint, check (fail then pass), solution confirmation, progress saved.
    @Test func lessonFlow() throws {
        let (lesson, exercise) = try #require(Self.catalog.exercises.first)
        let session = Fixture.session()
        #expect(session.execute("lesson open \(lesson.slug) --restart").succeeded)
        #expect(session.prompt == "workbench(\(lesson.slug))> ")
        let index = try #require(lesson.steps.firstIndex { $0.exercise?.id == exercise.id })
        for _ in 0..<index { #expect(session.execute("next").succeeded) }
        let failed = session.execute("check --json")
        #expect(failed.value["passed"] == .bool(false))
        if !exercise.hints.isEmpty { #expect(session.execute("hint").text.contains("hint 1 of \(exercise.hints.count)")) }
        #expect(session.execute("solution").text.contains("solution --yes"))
        let solution = session.execute("solution --yes --json")
        guard case let .string(text) = solution.value else { Issue.record("no solution text"); return }
        Fixture.run(text, in: session)
        #expect(session.execute("check --json").value["passed"] == .bool(true))
        let progress = try #require(session.host.loadProgress())
        #expect(progress.solved(exercise.id, in: lesson.id))
        #expect(progress.lessons[lesson.id]?.step == index)
        #expect(session.execute("lessons --json").value["lessons"] != nil)
        #expect(session.execute("lesson close").succeeded)
        #expect(session.execute("check").text.contains("no lesson is open"))
    }
}
