import ArgumentParser
import Foundation
import LineEditing
import Topics
import WorkbenchKit

/// `workbench`: the REPL by default, plus `run`, `lessons`, `grade` and `bench`.
public struct WorkbenchCommand: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "workbench",
        abstract: "A terminal workbench of faithful, steppable simulations: blockchain first.",
        subcommands: [Interactive.self, RunScenario.self, ListLessons.self, Grade.self, Bench.self, Serve.self],
        defaultSubcommand: Interactive.self
    )

    public init() {}

    /// Parses arguments and runs; usage errors exit with status 2, as the README promises.
    public static func start() -> Never {
        do {
            var command = try parseAsRoot()
            try command.run()
            Foundation.exit(0)
        } catch let code as ExitCode {
            Foundation.exit(code.rawValue)
        } catch {
            let status = exitCode(for: error)
            if status == .success { exit(withError: error) }
            if status == .validationFailure {
                FileHandle.standardError.write(Data((fullMessage(for: error) + "\n").utf8))
                Foundation.exit(2)
            }
            exit(withError: error)
        }
    }
}

struct CommonOptions: ParsableArguments {
    @Option(name: .long, help: "Seed of the session's random source (default \(Session.defaultSeed)).")
    var seed: UInt64 = Session.defaultSeed

    @Flag(name: .long, help: "No colours (also: the NO_COLOR environment variable).")
    var noColor = false
}

struct Interactive: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "repl", abstract: "The interactive workbench (the default).")

    @OptionGroup var common: CommonOptions

    @Option(name: .long, help: "Open a lesson at start, e.g. blockchain/01-blocks.")
    var lesson: String?

    func run() throws {
        setlocale(LC_CTYPE, "")
        let host = LocalHost()
        let session = Workbench.session(seed: common.seed, host: host, colors: Workbench.useColor(noColorFlag: common.noColor))
        let interactive = Terminal.stdinIsTerminal
        let reader: LineReader = interactive
            ? EditLineReader(appName: "workbench", historyPath: host.historyPath, completer: Repl.completer(for: session))
            : PlainLineReader()
        if interactive { session.interruptRequested = { EditLineReader.consumeInterrupt() } }
        KafkaServing.shared.starter = { session, options in try KafkaServeRunner.start(session: session, options: options, verbose: false) }
        let sink = StandardOutput()
        if let lesson {
            let result = session.execute("lesson open \(Tokenizer.quote(lesson))")
            if let error = result.error {
                sink.err(error.message)
                throw ExitCode(2)
            }
            sink.out(result.text)
        }
        let status = Repl(session: session, reader: reader, sink: sink, interactive: interactive).run()
        if status != 0 { throw ExitCode(status) }
    }
}

struct RunScenario: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run", abstract: "Run scenario files head-less and print the transcript.",
        discussion: "Exit status: 0 when every command succeeded and every expect held, 1 at the first failure (FILE:LINE: …), 2 for usage errors.")

    @OptionGroup var common: CommonOptions

    @Flag(name: .long, help: "Go on after a failure (still exits 1).")
    var keepGoing = false

    @Flag(name: .long, help: "Print only failures.")
    var quiet = false

    @Argument(help: "Scenario files (.wb).")
    var files: [String]

    func validate() throws {
        if files.isEmpty { throw ValidationError("give at least one scenario file") }
    }

    func run() throws {
        let host = LocalHost()
        let sink = StandardOutput()
        var failed = false
        for file in files {
            let session = Workbench.session(seed: common.seed, host: host, colors: Workbench.useColor(noColorFlag: common.noColor))
            let text: String
            do { text = try host.readFile(file) } catch {
                sink.err(error.message)
                throw ExitCode(2)
            }
            let result = ScriptRunner.run(text, file: file, in: session, keepGoing: keepGoing, echo: !quiet) { chunk, isFailure in
                if isFailure { sink.err(chunk) } else { sink.out(chunk) }
            }
            if !result.succeeded {
                failed = true
                if !keepGoing { break }
            }
        }
        if failed { throw ExitCode(1) }
    }
}

struct ListLessons: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "lessons", abstract: "List every lesson with your progress.")

    @Flag(name: .long, help: "Print JSON.") var json = false
    @Flag(name: .long, help: "No colours.") var noColor = false
    @Flag(name: .long, help: "Run lessons' walkthroughs and reference solutions, as the test suite does (for lesson authors).") var check = false
    @Argument(help: "With --check: the lesson ids to check (default: all).") var ids: [String] = []

    func run() throws {
        let host = LocalHost()
        if check {
            let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("workbench-lessons-\(getpid())").path
            try? FileManager.default.createDirectory(atPath: scratch, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(atPath: scratch) }
            host.databaseDirectory = scratch
            let failures = LessonCheck.run(ids: ids, host: host) { print($0) }
            if failures > 0 { throw ExitCode(1) }
            return
        }
        let session = Workbench.session(host: host, colors: Workbench.useColor(noColorFlag: noColor))
        let result = session.execute("lessons" + (json ? " --json" : ""))
        print(result.text)
        if !session.catalog.problems.isEmpty { throw ExitCode(1) }
    }
}

struct Grade: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "grade", abstract: "Grade exercise solutions: one line per exercise.",
        discussion: "Solutions are files <exercise-id>.wb in --solutions (default: $WORKBENCH_SOLUTIONS, else ./Solutions). Grading = a fresh session + the exercise's setup + the solution + its goal.")

    @Option(name: .long, help: "Folder of <exercise-id>.wb files.")
    var solutions: String?

    @Flag(name: .long, help: "Grade the lessons' own reference solutions instead.")
    var reference = false

    @Argument(help: "Exercise ids (default: every solution found).")
    var exercises: [String] = []

    func run() throws {
        let host = LocalHost()
        let session = Workbench.session(host: host)
        let folder = solutions ?? ProcessInfo.processInfo.environment["WORKBENCH_SOLUTIONS"] ?? "Solutions"
        let verdicts = Grading.grade(session: session, folder: reference ? nil : folder, only: exercises)
        for problem in session.catalog.problems { print("problem: \(problem)") }
        if verdicts.isEmpty { print("no solutions found in \(folder) (files named <exercise-id>.wb)") }
        for verdict in verdicts { print(verdict.line) }
        let failed = verdicts.filter { !$0.passed }.count
        print("\(verdicts.count - failed) passed, \(failed) failed")
        if failed > 0 || !session.catalog.problems.isEmpty { throw ExitCode(1) }
    }
}

/// Grading from files: the learner's folder, or the lessons' reference solutions.
public enum Grading {
    /// Grades each exercise with a solution file in `folder` (or each reference solution when
    /// `folder` is nil), restricted to `only` when it is not empty. Unknown ids fail.
    public static func grade(session: Session, folder: String?, only: [String]) -> [Verdict] {
        var verdicts: [Verdict] = []
        let catalog = session.catalog
        var ids = only
        if ids.isEmpty {
            if let folder {
                let names = (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []
                ids = names.filter { $0.hasSuffix(".wb") }.map { String($0.dropLast(3)) }.sorted()
            } else {
                ids = catalog.exercises.map(\.1.id)
            }
        }
        for id in ids {
            guard let (lesson, exercise) = catalog.exercise(id) else {
                let close = Suggest.closest(to: id, in: catalog.exercises.map(\.1.id))
                verdicts.append(Verdict(exercise: id, passed: false, reason: "no exercise is called `\(id)`" + (close.isEmpty ? "" : "; did you mean `\(close[0])`?")))
                continue
            }
            let path = folder.map { "\($0)/\(id).wb" } ?? "\(lesson.topic)/solutions/\(id).wb"
            let text = folder == nil ? session.host.referenceSolution(exercise: id, topic: lesson.topic)
                : FileManager.default.contents(atPath: path).map { String(decoding: $0, as: UTF8.self) }
            guard let text else {
                verdicts.append(Verdict(exercise: id, passed: false, reason: "no solution file \(path)"))
                continue
            }
            verdicts.append(Grader.grade(exercise, lesson: lesson, solution: text, solutionName: path, template: session))
        }
        return verdicts
    }
}
