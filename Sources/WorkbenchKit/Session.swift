import Foundation
import SimKit

/// One entry of the session's history: the state before a command or a step.
public struct HistoryEntry {
    public enum Kind: String, Sendable { case command, step }
    public var kind: Kind
    public var label: String
    public var before: SessionState
}

/// The result of executing one line.
public struct LineResult {
    public var line: String
    public var text: String
    public var value: Value
    public var error: WorkbenchError?

    public var succeeded: Bool { error == nil }
}

/// A learner's session: simulated state plus the context around it (history, namespace,
/// lesson position). Parsing and execution never touch the terminal: lines go in, results come out.
/// A console inside the REPL: lines are prefixed with a command until one of the exit words.
public struct LineMode: Sendable {
    public var prompt: String
    public var prefix: String
    public var exitWords: Set<String>
    public var farewell: String
    public init(prompt: String, prefix: String, exitWords: Set<String> = ["exit"], farewell: String = "") {
        self.prompt = prompt
        self.prefix = prefix
        self.exitWords = exitWords
        self.farewell = farewell
    }
}

public final class Session {
    public static let defaultSeed: UInt64 = 42
    /// How many snapshots `undo` and `rewind` can reach; older ones are dropped.
    public static let historyLimit = 1000

    public var state: SessionState
    public private(set) var registry: CommandRegistry
    public let modules: [TopicModule]
    public let host: SessionHost
    public var style: Style
    /// Set by `use`, or by opening a lesson: the namespace a bare command word is tried in first.
    public var namespace: String?
    public var trace = false
    public private(set) var history: [HistoryEntry] = []
    public var lesson: LessonCursor?
    /// Every successful command that a replay needs, in order (see `CommandSpec.logged`).
    public var commandLog: [String] = []
    public var quitRequested = false
    /// A console mode (`geth attach`): every line is run as `prefix LINE` until an exit word.
    public var lineMode: LineMode?
    /// True while `expect`, `run until` or `expect-error` runs a command whose changes will be put
    /// back: commands must not leave lasting effects outside the state (a database file) then.
    public private(set) var isSandboxed = false
    /// Held while a line runs. A server that shares this session with the REPL (`kafka serve`)
    /// takes it too, so a request and a command never interleave.
    public let executionLock = NSRecursiveLock()
    /// Asked by long-running commands between slices of work: true when the learner pressed
    /// Ctrl-C (the REPL wires it to its SIGINT flag; elsewhere nothing interrupts).
    public var interruptRequested: () -> Bool = { false }
    /// Lines of the scenario files being sourced (guards against a file sourcing itself).
    var sourcing: [String] = []
    private var cachedCatalog: LessonCatalog?

    public init(seed: UInt64 = Session.defaultSeed, modules: [TopicModule], host: SessionHost, style: Style = .plain) {
        state = SessionState(seed: seed)
        self.modules = modules
        self.host = host
        self.style = style
        var registry = CommandRegistry()
        registry.register("Workbench commands", SessionCommands.all)
        registry.register("Lesson commands", LessonCommands.all)
        for module in modules {
            registry.register("\(module.title) (\(module.namespace))", module.commands, namespace: module.namespace)
        }
        self.registry = registry
    }

    public var prompt: String {
        if let lineMode { return lineMode.prompt }
        if let lesson { return "workbench(\(lesson.slug))> " }
        if let namespace { return "workbench(\(namespace))> " }
        return "workbench> "
    }

    public var catalog: LessonCatalog {
        if let cachedCatalog { return cachedCatalog }
        let catalog = LessonCatalog(files: host.lessonFiles(), modules: modules)
        cachedCatalog = catalog
        return catalog
    }

    // MARK: Executing lines

    /// Executes one line. A failed command leaves the state exactly as it was.
    @discardableResult
    public func execute(_ line: String) -> LineResult {
        executionLock.lock()
        defer { executionLock.unlock() }
        if let mode = lineMode {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if mode.exitWords.contains(trimmed) {
                lineMode = nil
                return LineResult(line: line, text: mode.farewell, value: .null, error: nil)
            }
            if trimmed.isEmpty { return LineResult(line: line, text: "", value: .null, error: nil) }
            return executeCommand(mode.prefix + " " + trimmed)
        }
        return executeCommand(line)
    }

    func executeCommand(_ line: String) -> LineResult {
        do {
            let tokens = try Tokenizer.split(line)
            if tokens.isEmpty { return LineResult(line: line, text: "", value: .null, error: nil) }
            let invocation = try registry.parse(tokens, line: line, namespace: namespace)
            let output = try run(invocation)
            if invocation.spec.logged { commandLog.append(line.trimmingCharacters(in: .whitespaces)) }
            return LineResult(line: line, text: output.render(style: style, json: invocation.json), value: output.value, error: nil)
        } catch let error as WorkbenchError {
            return LineResult(line: line, text: error.message, value: .null, error: error)
        } catch {
            let wrapped = WorkbenchError.failed(what: line, why: "\(error)", fix: nil)
            return LineResult(line: line, text: wrapped.message, value: .null, error: wrapped)
        }
    }

    /// Runs a parsed invocation with the snapshot discipline its effect asks for.
    public func run(_ invocation: Invocation) throws -> Output {
        let before = state
        let historyCount = history.count
        do {
            let output = try invocation.spec.run(invocation, self)
            if invocation.spec.effect == .mutating {
                record(.command, label: invocation.line, before: before, insertAt: historyCount)
            }
            return output
        } catch {
            // A `.session` command (source, lesson navigation) manages its own state.
            if invocation.spec.effect != .session {
                state = before
                if history.count > historyCount { history.removeSubrange(historyCount...) }
            }
            throw error
        }
    }

    /// Runs a line and then undoes everything it did (state, history, log, namespace, lesson),
    /// whether it succeeded or not: `expect-error` uses it to assert that a command fails.
    public func trial(_ line: String) -> LineResult {
        let saved = (state, history.count, commandLog.count, namespace, lesson, quitRequested)
        let wasSandboxed = isSandboxed
        isSandboxed = true
        let result = execute(line)
        isSandboxed = wasSandboxed
        state = saved.0
        if history.count > saved.1 { history.removeSubrange(saved.1...) }
        if commandLog.count > saved.2 { commandLog.removeSubrange(saved.2...) }
        namespace = saved.3
        lesson = saved.4
        quitRequested = saved.5
        return result
    }

    /// Evaluates a read-only command for `expect` and `run until`, returning its value.
    public func query(_ tokens: [Token]) throws -> Value {
        let invocation = try registry.parse(tokens, line: tokens.map { Tokenizer.quote($0.text) }.joined(separator: " "), namespace: namespace)
        guard invocation.spec.expectable else {
            throw WorkbenchError.failed(what: "expect \(invocation.spec.name)",
                                        why: "`\(invocation.spec.name)` changes state, and expect only reads",
                                        fix: "query a read-only command such as a `show` command")
        }
        let before = state
        let wasSandboxed = isSandboxed
        isSandboxed = true
        defer {
            state = before
            isSandboxed = wasSandboxed
        }
        return try invocation.spec.run(invocation, self).value
    }

    func record(_ kind: HistoryEntry.Kind, label: String, before: SessionState, insertAt index: Int? = nil) {
        let entry = HistoryEntry(kind: kind, label: label, before: before)
        if let index, index < history.count { history.insert(entry, at: index) } else { history.append(entry) }
        // Trim in batches so recording stays O(1) amortised; at least `historyLimit` entries remain.
        if history.count > 2 * Session.historyLimit { history.removeFirst(history.count - Session.historyLimit) }
    }

    /// Reverts to the state before the history entry at `index`, dropping it and all later ones.
    /// Command entries left with nothing to revert (a `step` whose events were all rewound) are
    /// dropped too, so the next `undo` reverts something real.
    func revert(to index: Int) {
        state = history[index].before
        history.removeSubrange(index...)
        let current = state.canonicalJSON()
        while let last = history.last, last.kind == .command, last.before.canonicalJSON() == current {
            history.removeLast()
        }
    }

    // MARK: Steps

    /// Applies the next scheduled event; nil when nothing is scheduled.
    public func step(recording: Bool = true) throws -> StepReport? {
        guard let event = state.queue.next else { return nil }
        let before = state
        do {
            _ = state.queue.pop()
            state.clock.advance(toMs: event.timeMs)
            guard let module = modules.first(where: { $0.namespace == event.topic }) else {
                throw WorkbenchError.failed(what: "step", why: "no topic handles events of `\(event.topic)`", fix: nil)
            }
            let report = try module.handle(event, self)
            state.stepCount += 1
            if recording { record(.step, label: "step \(state.stepCount): \(report.description)", before: before) }
            return report
        } catch {
            state = before
            throw error
        }
    }

    /// Moves simulated time to `target`, applying every event due on the way (without per-event
    /// snapshots); returns how many ran. Bounded, and Ctrl-C stops it; a throw leaves the caller to
    /// restore the state (commands run inside `run`, which does).
    @discardableResult
    public func advanceClock(toMs target: Int64) throws -> Int {
        var ran = 0
        while let next = state.queue.next, next.timeMs <= target {
            guard ran < 1_000_000 else {
                throw WorkbenchError.failed(what: "clock advance", why: "more than 1000000 events fall due in that time (heartbeating consumers?); nothing changed",
                                            fix: "advance by less, or close what keeps scheduling work")
            }
            if ran % 4096 == 4095, interruptRequested() {
                throw WorkbenchError.failed(what: "clock advance", why: "interrupted after \(ran) events; nothing changed", fix: "advance by less")
            }
            _ = try step(recording: false)
            ran += 1
        }
        state.clock.advance(toMs: target)
        return ran
    }

    // MARK: Topic state helpers

    public func topic<T: TopicState>(_ type: T.Type) -> T { state.topics[type] }

    /// Mutates a topic's state in place. Call it inside a command or a step: if `body` throws, the
    /// command (`run`) or step restores the whole session state, so nothing changes.
    public func updateTopic<T: TopicState, R>(_ type: T.Type, _ body: (inout T) throws -> R) throws -> R {
        try state.topics.modify(type, body)
    }

    public var topicTypes: [String: any TopicState.Type] {
        Dictionary(modules.map { ($0.namespace, $0.stateType) }, uniquingKeysWith: { first, _ in first })
    }

    /// A fresh session with the same seed, modules and host (for grading and `expect` sandboxes).
    public func fresh(seed: UInt64? = nil) -> Session {
        Session(seed: seed ?? state.seed, modules: modules, host: host, style: style)
    }

    // MARK: Save and load

    /// The command log as a scenario file that replays to this session's state.
    public func scriptText() -> String {
        (["# workbench session: replay with `workbench run --seed \(state.seed) FILE`"] + commandLog).joined(separator: "\n") + "\n"
    }

    public static let saveFormat = "workbench-session"
    public static let saveVersion = 1

    public func encodeSave() throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted]
        let file = SaveFile(format: Session.saveFormat, version: Session.saveVersion, namespace: namespace, commands: commandLog, state: state)
        return String(decoding: try encoder.encode(file), as: UTF8.self) + "\n"
    }

    /// Decodes a save file; throws a one-line error and changes nothing when it is not one we can read.
    public func decodeSave(_ text: String, path: String) throws(WorkbenchError) -> SaveFile {
        let data = Data(text.utf8)
        struct Header: Decodable { var format: String?; var version: Int? }
        guard let header = try? JSONDecoder().decode(Header.self, from: data) else {
            throw .file(path: path, problem: "not a workbench save file (it is not valid JSON) (save one with `save FILE`)")
        }
        guard header.format == Session.saveFormat, let version = header.version else {
            throw .file(path: path, problem: "not a workbench save file (no \"format\": \"\(Session.saveFormat)\") (save one with `save FILE`)")
        }
        guard version <= Session.saveVersion else {
            throw .file(path: path, problem: "saved by a newer workbench (format version \(version), this one reads up to \(Session.saveVersion)) (update workbench)")
        }
        let decoder = JSONDecoder()
        decoder.userInfo[.topicTypes] = topicTypes
        do {
            return try decoder.decode(SaveFile.self, from: data)
        } catch {
            throw .file(path: path, problem: "damaged save file (\(SaveFile.describe(error)))")
        }
    }
}

/// The save file: format and version first, so a reader can refuse what it does not know.
public struct SaveFile: Codable, Sendable {
    public var format: String
    public var version: Int
    public var namespace: String?
    /// The commands that led here (replayable with `save --script`); absent in hand-written files.
    public var commands: [String]?
    public var state: SessionState

    static func describe(_ error: Error) -> String {
        switch error {
        case let DecodingError.keyNotFound(key, context):
            return "missing `\(key.stringValue)` at \(path(context))"
        case let DecodingError.typeMismatch(_, context), let DecodingError.valueNotFound(_, context),
             let DecodingError.dataCorrupted(context):
            return "\(context.debugDescription) at \(path(context))"
        default:
            return "\(error)"
        }
    }

    private static func path(_ context: DecodingError.Context) -> String {
        let p = context.codingPath.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined()
        return p.isEmpty ? "the top" : p
    }
}
