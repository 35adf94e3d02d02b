/// Lesson navigation in the REPL: open a lesson, move through its steps, try its commands,
/// check an exercise, get hints, see the reference solution.
enum LessonCommands {
    static var all: [CommandSpec] { [lessons, open, show, next, prev, tryBlock, check, hint, solution, lessonReset, close] }

    static func lessonIDs(_ session: Session) -> [String] { session.catalog.lessons.map(\.id) + session.catalog.lessons.map(\.slug) }

    /// The lessons with the learner's progress, as a value and a table.
    public static func listing(catalog: LessonCatalog, progress: LearnerProgress?) -> Output {
        let rows: [Value] = catalog.lessons.map { lesson in
            let entry = progress?.lessons[lesson.id]
            return .object([
                ("id", .string(lesson.id)), ("slug", .string(lesson.slug)), ("title", .string(lesson.title)),
                ("topic", .string(lesson.topic)), ("steps", Value(lesson.steps.count)), ("step", Value(entry?.step ?? 0)),
                ("exercises", .array(lesson.exercises.map { .string($0.id) })),
                ("solved", .array((entry?.solved ?? []).map(Value.string))),
            ])
        }
        return Output(.object([("lessons", .array(rows)), ("problems", .array(catalog.problems.map { .string($0.description) }))])) { style in
            if catalog.lessons.isEmpty && catalog.problems.isEmpty { return "no lessons found" }
            let table = Table(headers: ["lesson", "topic", "title", "progress"], rows: catalog.lessons.map { lesson in
                let entry = progress?.lessons[lesson.id]
                let solved = entry?.solved.count ?? 0, total = lesson.exercises.count
                let mark = total > 0 && solved == total ? style.green("✓ ") : ""
                return [lesson.slug, lesson.topic, lesson.title, "\(mark)step \((entry?.step ?? 0) + 1)/\(lesson.steps.count), \(solved)/\(total) exercises"]
            }).render(style: style)
            let problems = catalog.problems.map { style.red("problem: ") + $0.description }
            return ([table] + problems).joined(separator: "\n") + "\n\n`lesson open ID` starts one."
        }
    }

    static let lessons = CommandSpec(
        ["lessons"], abstract: "List the lessons and your progress.", effect: .readOnly, examples: ["lessons"]
    ) { _, session in
        listing(catalog: session.catalog, progress: session.host.loadProgress())
    }

    static func current(_ session: Session) throws -> (Lesson, LessonCursor) {
        guard let cursor = session.lesson, let lesson = session.catalog.lesson(cursor.lessonID) else {
            throw WorkbenchError.failed(what: "no lesson is open", why: "this command works inside a lesson", fix: "`lessons` lists them; `lesson open ID` starts one")
        }
        return (lesson, cursor)
    }

    /// Renders the current step for the learner.
    static func stepView(_ lesson: Lesson, _ index: Int, _ session: Session) -> Output {
        let step = lesson.steps[index]
        var tries = 0
        let value = Value.object([
            ("lesson", .string(lesson.id)), ("step", Value(index)), ("steps", Value(lesson.steps.count)), ("title", .string(step.title)),
            ("commands", .array(step.commandBlocks.map { .array($0.map { .string($0.text) }) })),
            ("exercise", Value(step.exercise?.id)),
        ])
        return Output(value) { style in
            let header = style.dim("── \(lesson.title) · step \(index + 1) of \(lesson.steps.count) ──")
            var parts: [String] = []
            for block in step.blocks {
                if block.type == "code_block", block.fenceInfo == "wb" {
                    tries += 1
                    parts.append(MarkdownRenderer.block(block, style: style, width: 80) + "\n" + style.dim("    (`try \(tries)` runs this)"))
                } else if block.type == "code_block", block.fenceInfo.hasPrefix("wb goal") {
                    parts.append(style.bold("Goal") + " (`check` tests it):\n" + MarkdownRenderer.block(block, style: style, width: 80))
                } else {
                    parts.append(MarkdownRenderer.block(block, style: style, width: 80))
                }
            }
            var footer: [String] = []
            if let exercise = step.exercise {
                footer.append("`check` grades your state · `hint` (\(exercise.hints.count) available) · `solution` · `lesson reset` starts over")
            }
            footer.append(index + 1 < lesson.steps.count ? "`next` goes on" : "last step of this lesson")
            return ([header] + parts.filter { !$0.isEmpty } + [style.dim(footer.joined(separator: " · "))]).joined(separator: "\n\n")
        }
    }

    /// Moves to a step; entering an exercise starts it from its setup.
    static func go(to index: Int, in lesson: Lesson, session: Session) throws -> Output {
        guard var cursor = session.lesson else { throw WorkbenchError.failed(what: "no lesson is open", why: "", fix: nil) }
        cursor.step = index
        session.lesson = cursor
        var progress = session.host.loadProgress() ?? LearnerProgress()
        progress.setStep(index, in: lesson.id)
        session.host.saveProgress(progress)
        var view = stepView(lesson, index, session)
        if let exercise = lesson.steps[index].exercise {
            let note = try startExercise(exercise, lesson: lesson, session: session)
            let base = view.view
            view.view = { style in (base?(style) ?? "") + "\n" + style.dim(note) }
        }
        return view
    }

    static func startExercise(_ exercise: Exercise, lesson: Lesson, session: Session) throws -> String {
        let before = session.state
        let logCount = session.commandLog.count
        session.state = SessionState(seed: Session.defaultSeed)
        // In the log, an exercise start is a reset to the default seed followed by its setup lines.
        session.commandLog.append("seed \(Session.defaultSeed)")
        if let failure = Grader.runSetup(exercise, lesson: lesson, in: session) {
            session.state = before
            session.commandLog.removeSubrange(logCount...)
            throw WorkbenchError.failed(what: "exercise \(exercise.id)", why: failure, fix: "this is a bug in the lesson; please report it")
        }
        session.record(.command, label: "exercise \(exercise.id) setup", before: before)
        return "(the exercise starts from a fresh session with its setup applied; `undo` goes back)"
    }

    static let open = CommandSpec(
        ["lesson", "open"], abstract: "Open a lesson (at the step where you left it).",
        parameters: [.required("id", .text, "A lesson id or slug, e.g. blockchain/01-blocks.", completions: lessonIDs)],
        flags: [.toggle("--restart", "Start again at the first step.")],
        effect: .session, examples: ["lesson open blockchain/01-blocks", "lesson open blockchain.proof-of-work --restart"]
    ) { inv, session in
        let key = inv.text("id") ?? ""
        guard let lesson = session.catalog.lesson(key) else {
            let close = Suggest.closest(to: key, in: lessonIDs(session))
            throw WorkbenchError.failed(what: "lesson open \(key)", why: "no lesson is called `\(key)`",
                                        fix: close.isEmpty ? "`lessons` lists them" : "did you mean `\(close[0])`?")
        }
        let saved = inv.has("--restart") ? 0 : (session.host.loadProgress()?.lessons[lesson.id]?.step ?? 0)
        let step = min(max(0, saved), lesson.steps.count - 1)
        session.lesson = LessonCursor(lessonID: lesson.id, slug: lesson.slug, step: step)
        session.namespace = session.modules.first { $0.lessonTopics.contains(lesson.topic) }?.namespace
        return try go(to: step, in: lesson, session: session)
    }

    static let show = CommandSpec(
        ["lesson", "show"], abstract: "Show the current step of the lesson again.", effect: .readOnly, examples: ["lesson show"]
    ) { _, session in
        let (lesson, cursor) = try current(session)
        return stepView(lesson, cursor.step, session)
    }

    static let next = CommandSpec(
        ["next"], abstract: "Go to the lesson's next step.", effect: .session, examples: ["next"]
    ) { _, session in
        let (lesson, cursor) = try current(session)
        guard cursor.step + 1 < lesson.steps.count else {
            throw WorkbenchError.failed(what: "next", why: "this is the last step of \(lesson.title)", fix: "`lessons` lists what comes next")
        }
        return try go(to: cursor.step + 1, in: lesson, session: session)
    }

    static let prev = CommandSpec(
        ["prev"], aliases: [["previous"]], abstract: "Go back to the lesson's previous step.", effect: .session, examples: ["prev"]
    ) { _, session in
        let (lesson, cursor) = try current(session)
        guard cursor.step > 0 else { throw WorkbenchError.failed(what: "prev", why: "this is the first step", fix: "`next` goes on") }
        return try go(to: cursor.step - 1, in: lesson, session: session)
    }

    static let tryBlock = CommandSpec(
        ["try"], abstract: "Run the step's example commands (block N, default the first).",
        parameters: [.optional("n", .integer(1...100), "Which ```wb``` block of the step.")],
        effect: .session, examples: ["try", "try 2"]
    ) { inv, session in
        let (lesson, cursor) = try current(session)
        let blocks = lesson.steps[cursor.step].commandBlocks
        let n = inv.int("n") ?? 1
        guard n <= blocks.count else {
            throw WorkbenchError.failed(what: "try \(n)", why: blocks.isEmpty ? "this step has no commands to try" : "this step has \(blocks.count) command block\(blocks.count == 1 ? "" : "s")",
                                        fix: blocks.isEmpty ? "read on with `next`" : "try 1 to \(blocks.count)")
        }
        let text = blocks[n - 1].map(\.text).joined(separator: "\n")
        let result = ScriptRunner.run(text, file: lesson.path, in: session)
        if let failure = result.failures.first {
            throw WorkbenchError.script(transcript: result.transcript.split(separator: "\n").dropLast().joined(separator: "\n"), failure: failure.text)
        }
        return Output(.object([("commands", Value(result.commandsRun))])) { _ in result.transcript }
    }

    static func currentExercise(_ session: Session) throws -> (Lesson, Exercise) {
        let (lesson, cursor) = try current(session)
        guard let exercise = lesson.steps[cursor.step].exercise else {
            let next = lesson.steps.indices.first { $0 > cursor.step && lesson.steps[$0].exercise != nil }
            throw WorkbenchError.failed(what: "no exercise here", why: "step \(cursor.step + 1) is reading, not an exercise",
                                        fix: next.map { "the next exercise is step \($0 + 1)" } ?? "`lessons` lists lessons with exercises")
        }
        return (lesson, exercise)
    }

    static let check = CommandSpec(
        ["check"], abstract: "Grade the current exercise against your state: which goal fails, and why.",
        effect: .session, examples: ["check"]
    ) { _, session in
        let (lesson, exercise) = try currentExercise(session)
        let verdict = Grader.check(exercise, lesson: lesson, in: session)
        if verdict.passed {
            var progress = session.host.loadProgress() ?? LearnerProgress()
            progress.markSolved(exercise.id, in: lesson.id)
            session.host.saveProgress(progress)
        }
        let value = Value.object([("exercise", .string(exercise.id)), ("passed", .bool(verdict.passed)), ("reason", .string(verdict.reason))])
        return Output(value) { style in
            verdict.passed ? style.green("✓ solved: \(exercise.id)") + " — well done. `next` goes on."
                : style.red("✗ not yet: ") + verdict.reason + "\n" + style.dim("(`hint` helps)")
        }
    }

    static let hint = CommandSpec(
        ["hint"], abstract: "Show the exercise's next hint.", effect: .session, examples: ["hint"]
    ) { _, session in
        let (_, exercise) = try currentExercise(session)
        guard !exercise.hints.isEmpty else {
            throw WorkbenchError.failed(what: "hint", why: "this exercise has no hints", fix: "`solution` shows the reference solution")
        }
        let shown = session.lesson?.hintsShown[exercise.id] ?? 0
        let index = min(shown, exercise.hints.count - 1)
        session.lesson?.hintsShown[exercise.id] = index + 1
        let text = exercise.hints[index]
        return Output(.object([("hint", Value(index + 1)), ("of", Value(exercise.hints.count)), ("text", .string(text))])) { style in
            style.bold("hint \(index + 1) of \(exercise.hints.count): ") + MarkdownRenderer.render(text, style: style)
                + (index + 1 == exercise.hints.count ? "" : "\n" + style.dim("(`hint` again for the next)"))
        }
    }

    static let solution = CommandSpec(
        ["solution"], abstract: "Reveal the reference solution (asks you to confirm first).",
        flags: [.toggle("--yes", "Reveal it without asking.")],
        effect: .readOnly, examples: ["solution", "solution --yes"]
    ) { inv, session in
        let (lesson, exercise) = try currentExercise(session)
        guard inv.has("--yes") else {
            return .text("This reveals the reference solution of `\(exercise.id)`. Sure? Type `solution --yes` to see it.", value: .null)
        }
        guard let text = session.host.referenceSolution(exercise: exercise.id, topic: lesson.topic) else {
            throw WorkbenchError.failed(what: "solution", why: "no reference solution is shipped for `\(exercise.id)`", fix: nil)
        }
        return Output(.string(text)) { style in style.bold("reference solution of \(exercise.id):") + "\n" + text }
    }

    static let lessonReset = CommandSpec(
        ["lesson", "reset"], abstract: "Start the current exercise over from its setup (undo goes back).",
        effect: .session, examples: ["lesson reset"]
    ) { _, session in
        let (lesson, exercise) = try currentExercise(session)
        session.lesson?.hintsShown[exercise.id] = 0
        return .text("exercise `\(exercise.id)` starts over " + (try startExercise(exercise, lesson: lesson, session: session)), value: .string(exercise.id))
    }

    static let close = CommandSpec(
        ["lesson", "close"], abstract: "Leave the lesson (your state stays).", effect: .session, examples: ["lesson close"]
    ) { _, session in
        let (lesson, _) = try current(session)
        session.lesson = nil
        return .text("closed \(lesson.title)", value: .string(lesson.id))
    }
}
