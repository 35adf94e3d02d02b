import Foundation
import SimKit

/// The workbench's own commands, shared by every topic: help, navigation in time, history,
/// files and assertions.
enum SessionCommands {
    static var all: [CommandSpec] {
        [help, use, seed, clock, clockAdvance, events, step, runCommand, trace, undo, rewind, history, reset, save, load, source, expect, expectError, quit]
    }

    static let help = CommandSpec(
        ["help"], abstract: "List commands, or explain one.",
        parameters: [.rest("command", "The command to explain, e.g. `chain mine`.", optional: true)],
        effect: .readOnly, examples: ["help", "help chain mine"]
    ) { inv, session in
        guard let words = inv.text("command")?.split(separator: " ").map(String.init), !words.isEmpty else {
            return session.registry.overview()
        }
        if let (spec, consumed) = session.registry.resolve(words, namespace: session.namespace), consumed == words.count {
            return session.registry.detail(spec)
        }
        // A group's first words (`help chain`, `help lesson`, `help chain show`) list the commands under them.
        for prefix in [words, session.namespace.map { [$0] + words }].compactMap({ $0 }) {
            let joined = prefix.joined(separator: " ")
            if session.registry.commands.contains(where: { $0.name.hasPrefix(joined + " ") }) {
                return session.registry.overview(prefix: joined)
            }
        }
        throw WorkbenchError.unknownCommand(words.joined(separator: " "), suggestions: session.registry.suggestions(for: words, namespace: session.namespace))
    }

    static let use = CommandSpec(
        ["use"], abstract: "Drop a topic's prefix: after `use chain`, `mine` means `chain mine`.",
        parameters: [.optional("topic", .text, "A topic namespace, or `none`.", completions: { $0.registry.namespaces + ["none"] })],
        effect: .session, examples: ["use chain", "use none"], logged: true
    ) { inv, session in
        guard let topic = inv.text("topic") else {
            return .text(session.namespace.map { "using \($0)" } ?? "using no topic (commands need their prefix)", value: Value(session.namespace))
        }
        if topic == "none" {
            session.namespace = nil
            return .text("using no topic", value: .null)
        }
        guard session.registry.namespaces.contains(topic) else {
            let close = Suggest.closest(to: topic, in: session.registry.namespaces)
            throw WorkbenchError.failed(what: "use \(topic)", why: "no topic is called `\(topic)`",
                                        fix: close.isEmpty ? "topics: " + session.registry.namespaces.joined(separator: ", ") : "did you mean `\(close[0])`?")
        }
        session.namespace = topic
        return .text("using \(topic): `\(topic) ` may be left out", value: .string(topic))
    }

    static let seed = CommandSpec(
        ["seed"], abstract: "Show the session's seed, or start afresh with another.",
        discussion: "Every random choice of every simulation comes from this seed, so the same seed and the same commands give the same transcript. Setting a seed starts a fresh session (undo brings the old one back).",
        parameters: [.optional("n", .integer(0...Int64.max), "The new seed.")],
        effect: .mutating, examples: ["seed", "seed 7"]
    ) { inv, session in
        if let n = inv.integer("n") {
            session.state = SessionState(seed: UInt64(n))
            return .text("seed \(n): a fresh session", value: .int(n))
        }
        return .text("seed \(session.state.seed)", value: .int(Int64(bitPattern: session.state.seed)))
    }

    static func clockValue(_ session: Session) -> Value {
        let now = session.state.clock.nowMs
        return .object([
            ("nowMs", .int(now)),
            ("utc", .string(UTCDate.string(ms: now))),
            ("steps", Value(session.state.stepCount)),
            ("pendingEvents", Value(session.state.queue.count)),
        ])
    }

    static let clock = CommandSpec(
        ["clock"], aliases: [["time"]], abstract: "Show simulated time (it moves only when work happens).",
        effect: .readOnly, examples: ["clock", "clock --json"]
    ) { _, session in
        let value = clockValue(session)
        return Output(value) { style in
            "\(style.bold(UTCDate.string(ms: session.state.clock.nowMs))) (\(session.state.clock.nowMs) ms) · \(session.state.stepCount) steps taken · \(session.state.queue.count) events pending"
        }
    }

    static let clockAdvance = CommandSpec(
        ["clock", "advance"], aliases: [["time", "advance"]], abstract: "Move simulated time forward, running the events due on the way.",
        parameters: [.required("duration", .duration, "How far: 500ms, 10s, 2m, 1h, 7d.")],
        effect: .mutating, examples: ["clock advance 10s"]
    ) { inv, session in
        let (target, overflow) = session.state.clock.nowMs.addingReportingOverflow(inv.durationMs("duration") ?? 0)
        guard !overflow, target < 253_402_300_800_000 else {   // 9999-12-31: beyond that dates stop making sense
            throw WorkbenchError.failed(what: "clock advance", why: "that would move the clock past the year 9999", fix: "advance by less")
        }
        let ran = try session.advanceClock(toMs: target)
        return Output(clockValue(session)) { _ in
            "clock now \(UTCDate.string(ms: target))" + (ran > 0 ? " (\(ran) events ran)" : "")
        }
    }

    static let events = CommandSpec(
        ["events"], abstract: "List the scheduled events in the order they will run.",
        effect: .readOnly, examples: ["events"]
    ) { _, session in
        let pending = session.state.queue.pending
        let value = Value.array(pending.prefix(1000).map { e in
            .object([("timeMs", .int(e.timeMs)), ("sequence", .int(Int64(e.sequence))), ("topic", .string(e.topic)),
                     ("kind", .string(e.kind)), ("arguments", .object(e.arguments.sorted { $0.key < $1.key }.map { ($0.key, .string($0.value)) }))])
        })
        return Output(value) { style in
            if pending.isEmpty { return "no events scheduled" }
            return Table(headers: ["#", "at", "topic", "event"], rows: pending.prefix(50).enumerated().map { i, e in
                [String(i + 1), "+\(Duration.format(ms: e.timeMs - session.state.clock.nowMs))", e.topic, e.kind]
            }).render(style: style) + (pending.count > 50 ? "\n… \(pending.count - 50) more" : "")
        }
    }

    static let step = CommandSpec(
        ["step"], abstract: "Apply the next scheduled event (or the next N) and say what happened.",
        parameters: [.optional("n", .integer(1...100_000), "How many events.")],
        effect: .mutating, examples: ["step", "step 10"]
    ) { inv, session in
        let n = inv.int("n") ?? 1
        var reports: [StepReport] = []
        for _ in 0..<n {
            guard let report = try session.step() else { break }
            reports.append(report)
        }
        if reports.isEmpty { return .text("nothing to step: no events are scheduled", value: .array([])) }
        let value = Value.array(reports.map { .object([("description", .string($0.description)), ("detail", $0.value)]) })
        return Output(value) { _ in
            let shown = reports.count > 200 ? Array(reports.suffix(200)) : reports
            return (reports.count > 200 ? "… \(reports.count - 200) earlier steps\n" : "") + shown.map(\.description).joined(separator: "\n")
        }
    }

    static let runCommand = CommandSpec(
        ["run"], abstract: "Run scheduled events until none are left, or until a condition holds.",
        discussion: "`run until` takes the same query as `expect`. The run is bounded by --max events, so a livelock is reported instead of hanging.",
        parameters: [.rest("condition", "`until QUERY OP VALUE`", optional: true)],
        flags: [.option("--max", .integer(1...100_000_000), "Most events to run (default 1000000).")],
        effect: .mutating, examples: ["run", "run until chain show .mining == null", "run --max 500"],
        readsOwnWords: true
    ) { inv, session in
        var words = inv.tokens
        var limit = 1_000_000
        if let at = words.firstIndex(where: { !$0.quoted && $0.text == "--max" }) {
            guard at + 1 < words.count, let n = Int(words[at + 1].text), n > 0 else {
                throw WorkbenchError.usage(command: "run", problem: "--max needs a positive whole number", usage: inv.spec.usage)
            }
            limit = n
            words.removeSubrange(at...(at + 1))
        }
        var predicate: Predicate?
        if let first = words.first {
            guard first.text == "until" else {
                throw WorkbenchError.usage(command: "run", problem: "expected `until`, got `\(first.text)`", usage: inv.spec.usage)
            }
            predicate = try Predicate.parse(Array(words.dropFirst()))
        }
        let startMs = session.state.clock.nowMs
        var ran = 0
        var traced: [String] = []
        while true {
            if let predicate, try predicate.holds(in: session) { break }
            guard ran < limit else {
                throw WorkbenchError.failed(what: "run", why: "still running after \(limit) events" + (predicate.map { " and `\($0.statement)` never held (a livelock?)" } ?? ""),
                                            fix: "raise --max, or step to see what repeats")
            }
            if ran % 4096 == 4095, session.interruptRequested() {
                throw WorkbenchError.failed(what: "run", why: "interrupted after \(ran) events; nothing changed", fix: "`step` to look closer, or `run --max N`")
            }
            guard let report = try session.step(recording: false) else {
                if let predicate {
                    throw WorkbenchError.failed(what: "run until", why: "no events left and `\(predicate.statement)` does not hold",
                                                fix: "start some work first, or check the condition")
                }
                break
            }
            ran += 1
            if session.trace, traced.count < 1000 { traced.append(report.description) }
        }
        let elapsed = session.state.clock.nowMs - startMs
        let value = Value.object([("events", Value(ran)), ("elapsedMs", .int(elapsed)), ("nowMs", .int(session.state.clock.nowMs))])
        return Output(value) { _ in
            var lines = traced
            if ran > traced.count, session.trace { lines.append("… \(ran - traced.count) more") }
            lines.append("ran \(ran) event\(ran == 1 ? "" : "s")" + (elapsed > 0 ? " over \(Duration.format(ms: elapsed)) of simulated time" : "")
                + (predicate.map { "; \($0.statement) now holds" } ?? ""))
            return lines.joined(separator: "\n")
        }
    }

    static let trace = CommandSpec(
        ["trace"], abstract: "Show (on) or hide (off) each event that `run` applies.",
        parameters: [.optional("mode", .choice(["on", "off"]), "on or off")],
        effect: .session, examples: ["trace on"], logged: true
    ) { inv, session in
        if let mode = inv.text("mode") { session.trace = mode == "on" }
        return .text("trace \(session.trace ? "on" : "off")", value: .bool(session.trace))
    }

    static let undo = CommandSpec(
        ["undo"], abstract: "Revert the last command that changed state (and the steps after it).",
        effect: .session, examples: ["undo"], logged: true
    ) { _, session in
        guard let index = session.history.lastIndex(where: { $0.kind == .command }) else {
            throw WorkbenchError.failed(what: "undo", why: "nothing to undo", fix: "`history` lists what can be reverted")
        }
        let label = session.history[index].label
        session.revert(to: index)
        return .text("undid `\(label)`", value: .string(label))
    }

    static let rewind = CommandSpec(
        ["rewind"], abstract: "Go back N steps (events), to the state before them.",
        parameters: [.optional("n", .integer(1...1_000_000), "How many steps (default 1).")],
        effect: .session, examples: ["rewind", "rewind 5"], logged: true
    ) { inv, session in
        let n = inv.int("n") ?? 1
        let steps = session.history.indices.filter { session.history[$0].kind == .step }
        guard steps.count >= n else {
            throw WorkbenchError.failed(what: "rewind \(n)", why: "only \(steps.count) step\(steps.count == 1 ? "" : "s") can be rewound",
                                        fix: steps.isEmpty ? "take steps with `step` first" : "rewind \(steps.count) at most")
        }
        session.revert(to: steps[steps.count - n])
        return .text("rewound \(n) step\(n == 1 ? "" : "s"); clock \(UTCDate.string(ms: session.state.clock.nowMs))", value: Value(n))
    }

    static let history = CommandSpec(
        ["history"], abstract: "List the commands and steps that `undo` and `rewind` can revert.",
        effect: .readOnly, examples: ["history"]
    ) { _, session in
        let entries = session.history
        let value = Value.array(entries.map { .object([("kind", .string($0.kind.rawValue)), ("label", .string($0.label)), ("beforeMs", .int($0.before.clock.nowMs))]) })
        return Output(value) { style in
            if entries.isEmpty { return "no history yet" }
            return Table(headers: ["#", "kind", "what"], rows: entries.suffix(100).enumerated().map { i, e in
                [String(entries.count - min(100, entries.count) + i + 1), e.kind.rawValue, e.label]
            }).render(style: style)
        }
    }

    static let reset = CommandSpec(
        ["reset"], abstract: "Start the session afresh with the same seed (undo brings it back).",
        effect: .mutating, examples: ["reset"]
    ) { _, session in
        session.state = SessionState(seed: session.state.seed)
        return .text("session reset (seed \(session.state.seed))", value: .null)
    }

    static let save = CommandSpec(
        ["save"], abstract: "Write the whole session (seed, clock, state, commands) to a file, atomically.",
        discussion: "With --script, write the session's commands instead: a scenario that `workbench run --seed N FILE` (or `source`) replays to the same state.",
        parameters: [.required("file", .file, "Where to write.")],
        flags: [.toggle("--script", "Write the commands as a replayable scenario (.wb).")],
        effect: .readOnly, examples: ["save my-chain.json", "save my-chain.wb --script"]
    ) { inv, session in
        let path = inv.text("file") ?? ""
        let contents = inv.has("--script") ? session.scriptText() : try session.encodeSave()
        try session.host.writeFileAtomically(path, contents: contents)
        return .text("saved \(inv.has("--script") ? "\(session.commandLog.count) commands" : "the session") to \(path)", value: .string(path))
    }

    static let load = CommandSpec(
        ["load"], abstract: "Replace the session with one saved by `save` (undo brings the old one back).",
        parameters: [.required("file", .file, "A file written by `save`.")],
        effect: .mutating, examples: ["load my-chain.json"], logged: false
    ) { inv, session in
        let path = inv.text("file") ?? ""
        let file = try session.decodeSave(try session.host.readFile(path), path: path)
        session.state = file.state
        session.namespace = file.namespace
        session.commandLog = file.commands ?? []
        return .text("loaded \(path) (seed \(file.state.seed), \(UTCDate.string(ms: file.state.clock.nowMs)))", value: .string(path))
    }

    static let source = CommandSpec(
        ["source"], abstract: "Run a scenario file inside this session, as if its lines were typed.",
        parameters: [.required("file", .file, "A scenario file (.wb).")],
        flags: [.toggle("--keep-going", "Go on after a failing line.")],
        effect: .session, examples: ["source scenarios/tamper.wb"]
    ) { inv, session in
        let path = inv.text("file") ?? ""
        guard !session.sourcing.contains(path), session.sourcing.count < 16 else {
            throw WorkbenchError.failed(what: "source \(path)", why: "it is already being sourced (a loop)", fix: "remove the nested `source` line")
        }
        let text = try session.host.readFile(path)
        session.sourcing.append(path)
        defer { session.sourcing.removeLast() }
        let result = ScriptRunner.run(text, file: path, in: session, keepGoing: inv.has("--keep-going"))
        if let failure = result.failures.first {
            throw WorkbenchError.script(transcript: result.transcript.split(separator: "\n").dropLast().joined(separator: "\n"), failure: failure.text)
        }
        return Output(.object([("file", .string(path)), ("commands", Value(result.commandsRun))])) { _ in result.transcript }
    }

    static let expect = CommandSpec(
        ["expect"], abstract: "Assert something about the state; fails with what was found.",
        discussion: "Runs a read-only command, follows a path into its --json value, and compares.\nPaths: `.field`, `[2]`, `[-1]` (last), `[]` (every element); pipes: `| length`, `| keys`, `| first`, `| last`, `| type`.\nOperators: == != < <= > >= contains !contains starts-with. Unquoted true, false, null and numbers are typed; anything else is a string.",
        parameters: [.rest("query", "COMMAND [.path] [| fn] OP VALUE")],
        effect: .readOnly,
        examples: ["expect chain validate .valid == true", "expect chain show .blocks | length == 3", "expect chain show .blocks[1].data == \"Send 1 BTC to Ivan\""],
        readsOwnWords: true
    ) { inv, session in
        let predicate = try Predicate.parse(inv.tokens)
        let found = try predicate.evaluate(in: session)
        guard predicate.comparison.holds(found, predicate.expected) else {
            throw WorkbenchError.expectation(statement: predicate.statement, found: found.compactJSON)
        }
        return Output(.object([("holds", true), ("found", found)])) { style in style.green("✓") + " " + predicate.statement }
    }

    static let expectError = CommandSpec(
        ["expect-error"], abstract: "Assert that a command fails with an error mentioning TEXT; nothing changes either way.",
        discussion: "Runs the command and rolls back whatever it did. Passes when it fails and its error message contains TEXT (for example Kafka's error name); fails when it succeeds or fails otherwise.",
        parameters: [.rest("query", "TEXT COMMAND...")],
        effect: .session, examples: ["expect-error NOT_ENOUGH_REPLICAS kafka produce orders --value x", "expect-error \"no genesis\" chain mine --data x"],
        readsOwnWords: true
    ) { inv, session in
        guard inv.tokens.count >= 2 else {
            throw WorkbenchError.usage(command: "expect-error", problem: "needs the text to look for and a command", usage: inv.spec.usage)
        }
        let text = inv.tokens[0].text
        let line = inv.tokens.dropFirst().map { Tokenizer.quote($0.text) }.joined(separator: " ")
        let statement = "\(line) to fail with \(Value.string(text).compactJSON)"
        let result = session.trial(line)
        guard let error = result.error else { throw WorkbenchError.expectation(statement: statement, found: "it succeeded") }
        guard error.message.contains(text) else { throw WorkbenchError.expectation(statement: statement, found: error.message) }
        return Output(.object([("holds", true), ("error", .string(error.message))])) { style in style.green("✓") + " \(line) fails: " + error.message }
    }

    static let quit = CommandSpec(
        ["quit"], aliases: [["exit"]], abstract: "Leave the workbench (Ctrl-D does the same).",
        effect: .session, examples: ["quit"]
    ) { _, session in
        session.quitRequested = true
        return .text("", value: .null)
    }

}
