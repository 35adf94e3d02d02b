import Foundation
import LineEditing
import Topics
import WorkbenchKit

/// Builds sessions the same way for the REPL, `run`, `grade` and the tests.
public enum Workbench {
    public static var modules: [TopicModule] { [ChainTopic.module, KafkaTopic.module, ZooKeeperTopic.module, DockerTopic.module, ECSTopic.module] }

    public static func session(seed: UInt64 = Session.defaultSeed, host: SessionHost, colors: Bool = false) -> Session {
        Session(seed: seed, modules: modules, host: host, style: Style(colors: colors))
    }

    /// Colour only on a terminal, and never with NO_COLOR set (https://no-color.org) or --no-color.
    public static func useColor(noColorFlag: Bool, environment: [String: String] = ProcessInfo.processInfo.environment) -> Bool {
        !noColorFlag && (environment["NO_COLOR"] ?? "").isEmpty && Terminal.stdoutIsTerminal
    }
}

/// Where the REPL writes: stdout and stderr, or strings in tests.
public protocol OutputSink: AnyObject {
    func out(_ text: String)
    func err(_ text: String)
}

public final class StandardOutput: OutputSink {
    public init() {}
    public func out(_ text: String) { FileHandle.standardOutput.write(Data((text + "\n").utf8)) }
    public func err(_ text: String) { FileHandle.standardError.write(Data((text + "\n").utf8)) }
}

public final class CapturedOutput: OutputSink {
    public private(set) var stdout = ""
    public private(set) var stderr = ""
    public init() {}
    public func out(_ text: String) { stdout += text + "\n" }
    public func err(_ text: String) { stderr += text + "\n" }
}

/// The read-eval-print loop. It talks to a LineReader (libedit on a terminal, plain reads from
/// a pipe, an array in tests) and an output sink, so every interaction is testable.
public final class Repl {
    let session: Session
    let reader: LineReader
    let sink: OutputSink
    /// On a terminal errors are shown and the loop goes on; from a pipe the input is a script:
    /// each line is echoed after the prompt, and the first failure stops with exit status 1,
    /// exactly like `workbench run`.
    let interactive: Bool

    public init(session: Session, reader: LineReader, sink: OutputSink, interactive: Bool) {
        self.session = session
        self.reader = reader
        self.sink = sink
        self.interactive = interactive
    }

    /// Runs until quit or end of input; returns the exit status.
    public func run() -> Int32 {
        if interactive {
            sink.out(session.style.bold("Workbench") + " — simulations you can step through. `help` lists commands, `lessons` the lessons; Tab completes, Ctrl-D quits.")
        }
        var lineNumber = 0
        while !session.quitRequested {
            let prompt = interactive ? coloredPrompt() : ""
            switch reader.readLine(prompt: prompt) {
            case .endOfInput:
                return 0
            case .interrupted:
                continue
            case let .line(raw):
                lineNumber += 1
                let line = raw.trimmingCharacters(in: .whitespaces)
                if interactive {
                    if !line.isEmpty { reader.addHistory(line) }
                } else {
                    if line.isEmpty || line.hasPrefix("#") { continue }
                    sink.out(session.prompt + line)
                }
                let result = session.execute(line)
                if let error = result.error {
                    if interactive {
                        sink.out(session.style.red(result.text))
                    } else {
                        sink.err("<stdin>:\(lineNumber): \(error.message)")
                        return 1
                    }
                } else if !result.text.isEmpty {
                    sink.out(result.text)
                }
            }
        }
        return 0
    }

    func coloredPrompt() -> String {
        guard session.style.colors else { return session.prompt }
        let plain = session.prompt.dropLast(2)
        return EditLineReader.invisible("\u{1B}[1;32m") + plain + EditLineReader.invisible("\u{1B}[0m") + "> "
    }

    /// The completer handed to libedit: completions derived from the command declarations and
    /// the session's live state.
    public static func completer(for session: Session) -> Completer {
        { line in session.registry.completions(for: line, session: session) }
    }
}
