import Foundation
import Testing

/// Drives the REAL `editdemo` binary inside a private tmux server (its own `-S` socket,
/// `-f /dev/null` so no user config), polling `capture-pane` instead of sleeping.
private final class TmuxSession {
    static let executable: String? = {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        for dir in path.split(separator: ":") {
            let candidate = "\(dir)/tmux"
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        return nil
    }()

    /// A private server socket (`-S`), unlinked by `kill()`: never touches the user's tmux.
    let socket = "/tmp/workbench-tmux-\(getpid())-\(UUID().uuidString.prefix(8)).sock"
    let name = "wb"

    init(command: [String], environment: [String: String]) throws {
        let env = environment.map { "\($0.key)=\(Self.shellQuote($0.value))" }.sorted().joined(separator: " ")
        let shellCommand = "exec env \(env) " + command.map(Self.shellQuote).joined(separator: " ")
        let status = run(["new-session", "-d", "-s", name, "-x", "100", "-y", "30", shellCommand]).status
        try #require(status == 0, "tmux new-session failed")
    }

    deinit { kill() }

    func kill() {
        _ = run(["kill-server"])
        unlink(socket)
    }

    @discardableResult
    func run(_ args: [String]) -> (status: Int32, output: String) {
        guard let tmux = Self.executable else { return (-1, "") }
        return spawnAndWait([tmux, "-S", socket, "-f", "/dev/null"] + args)
    }

    /// Types literal text (`-l`: "end", "Up", "Tab" are not key names here).
    func type(_ text: String) { run(["send-keys", "-t", name, "-l", "--", text]) }
    /// Sends named keys: "Tab", "Enter", "Up", "C-c", "C-d", "C-u".
    func key(_ keys: String...) { run(["send-keys", "-t", name] + keys) }

    /// The visible screen, trailing spaces kept (`-N`), trailing blank lines removed.
    func screen() -> String {
        var lines = run(["capture-pane", "-p", "-N", "-t", name]).output
            .split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        while let last = lines.last, last.trimmingCharacters(in: .whitespaces).isEmpty { lines.removeLast() }
        return lines.joined(separator: "\n")
    }

    /// The line the cursor is on, trailing spaces kept.
    func cursorLine() -> String {
        let y = Int(run(["display-message", "-p", "-t", name, "#{cursor_y}"]).output
            .trimmingCharacters(in: .whitespacesAndNewlines)) ?? -1
        let lines = run(["capture-pane", "-p", "-N", "-t", name]).output
            .split(separator: "\n", omittingEmptySubsequences: false)
        guard y >= 0, y < lines.count else { return "" }
        let x = Int(run(["display-message", "-p", "-t", name, "#{cursor_x}"]).output
            .trimmingCharacters(in: .whitespacesAndNewlines)) ?? 0
        return String(lines[y].prefix(x))    // text left of the cursor (shows a trailing space)
    }

    /// Polls until `condition` holds (every 50 ms, up to `timeout` seconds).
    func waitFor(_ what: String, timeout: Double = 10, _ condition: () -> Bool,
                 sourceLocation: SourceLocation = #_sourceLocation) {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if condition() { return }
            usleep(50_000)
        }
        Issue.record("timed out waiting for \(what); screen:\n\(screen())", sourceLocation: sourceLocation)
    }

    func waitForCursorLine(_ expected: String, sourceLocation: SourceLocation = #_sourceLocation) {
        waitFor("cursor line '\(expected)'", { cursorLine() == expected }, sourceLocation: sourceLocation)
    }

    /// Like `waitForCursorLine`, ignoring trailing spaces (history recall: libedit stores the
    /// entry without the completion's trailing space).
    func waitForRecalled(_ expected: String, sourceLocation: SourceLocation = #_sourceLocation) {
        waitFor("recalled line '\(expected)'", {
            var line = cursorLine()
            while line.hasSuffix(" ") { line.removeLast() }
            return line == expected
        }, sourceLocation: sourceLocation)
    }

    func waitForScreenLine(_ expected: String, sourceLocation: SourceLocation = #_sourceLocation) {
        waitFor("screen line '\(expected)'", {
            screen().split(separator: "\n").contains { $0.trimmingCharacters(in: .whitespaces) == expected }
        }, sourceLocation: sourceLocation)
    }

    var isAlive: Bool { run(["has-session", "-t", name]).status == 0 }

    static func shellQuote(_ s: String) -> String { "'" + s.replacingOccurrences(of: "'", with: "'\\''") + "'" }
}

/// Runs a program with posix_spawn and waits for it with waitpid, capturing stdout in a
/// temporary file. Not Foundation.Process: `tmux new-session` forks a daemon server that
/// would inherit Process's bookkeeping descriptors (and its blocked signal mask), which
/// made Process.waitUntilExit hang and left an unkillable server. Here the child gets a
/// default signal mask/dispositions and every descriptor above 2 is closed.
private func spawnAndWait(_ argv: [String]) -> (status: Int32, output: String) {
    let outPath = FileManager.default.temporaryDirectory
        .appendingPathComponent("workbench-tmux-\(UUID().uuidString)").path
    defer { unlink(outPath) }
    var actions = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&actions)
    defer { posix_spawn_file_actions_destroy(&actions) }
    posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
    posix_spawn_file_actions_addopen(&actions, 1, outPath, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
    posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
    // glibc >= 2.34 has addclosefrom_np, but Swift's Glibc module does not import it.
    typealias CloseFrom = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>?, Int32) -> Int32
    if let sym = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "posix_spawn_file_actions_addclosefrom_np") {
        _ = unsafeBitCast(sym, to: CloseFrom.self)(&actions, 3)
    }
    var attr = posix_spawnattr_t()
    posix_spawnattr_init(&attr)
    defer { posix_spawnattr_destroy(&attr) }
    var empty = sigset_t(); sigemptyset(&empty)
    var all = sigset_t(); sigfillset(&all)
    posix_spawnattr_setsigmask(&attr, &empty)
    posix_spawnattr_setsigdefault(&attr, &all)
    posix_spawnattr_setflags(&attr, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
    let cArgs = argv.map { strdup($0) } + [nil]
    defer { cArgs.forEach { free($0) } }
    var pid = pid_t()
    guard posix_spawn(&pid, argv[0], &actions, &attr, cArgs, environ) == 0 else { return (-1, "") }
    var status: Int32 = 0
    while waitpid(pid, &status, 0) == -1 && errno == EINTR {}
    let exitCode = (status & 0x7f) == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f)
    let output = (try? String(contentsOfFile: outPath, encoding: .utf8)) ?? ""
    return (exitCode, output)
}

private func temporaryStateDirectory() -> URL {
    // The state folder does not exist yet: the REPL must create it for its history file.
    FileManager.default.temporaryDirectory.appendingPathComponent("workbench-tty-\(UUID().uuidString)/state")
}

/// The real `workbench` REPL in a real terminal (tmux): completion from the command declarations
/// and live state, history across restarts, Ctrl-C on a line and during long mining, UTF-8.
@Suite(.enabled(if: TmuxSession.executable != nil, "tmux is not installed"), .serialized)
struct TerminalTests {
    fileprivate func start(_ state: URL) throws -> TmuxSession {
        let env = ["LC_ALL": "C.UTF-8", "TERM": "xterm", "WORKBENCH_STATE_DIR": state.path,
                   "WORKBENCH_LESSONS": Fixture.lessonsDirectory]
        let s = try TmuxSession(command: [Fixture.executable.path, "--no-color"], environment: env)
        s.waitForCursorLine("workbench> ")
        return s
    }

    // Goal: Tab completes sub-commands and live block numbers, and history survives a restart.
    @Test func completionAndHistory() throws {
        let state = temporaryStateDirectory()
        defer { try? FileManager.default.removeItem(at: state.deletingLastPathComponent()) }
        do {
            let s = try start(state)
            defer { s.kill() }
            s.type("chain res")
            s.key("Tab")
            s.waitForCursorLine("workbench> chain reset ")
            s.type("--difficulty 4")
            s.key("Enter")
            s.waitFor("genesis mined") { s.screen().contains("mined block 0") }
            s.waitForCursorLine("workbench> ")
            s.type("chain show b")
            s.key("Tab")
            s.key("Tab")
            s.waitFor("candidate list") { s.screen().split(separator: "\n").contains { $0.contains("block") && $0.contains("bytes") } }
            s.type("l")
            s.key("Tab")
            s.waitForCursorLine("workbench> chain show block ")
            s.key("Tab")
            s.waitForCursorLine("workbench> chain show block 0 ")    // the one block there is
            s.key("Enter")
            s.waitForScreenLine("block 0  ✓ valid")
            s.key("Up")
            s.waitForRecalled("workbench> chain show block 0")
            s.key("C-u")
            s.key("C-d")
            s.waitFor("workbench to exit") { !s.isAlive }
        }
        let saved = try String(contentsOfFile: state.appendingPathComponent("history").path, encoding: .utf8)
        #expect(saved.contains("chain\\040reset\\040--difficulty\\0404"))
        do {
            let s = try start(state)
            defer { s.kill() }
            s.key("Up")
            s.waitForRecalled("workbench> chain show block 0")
            s.key("Up")
            s.waitForRecalled("workbench> chain reset --difficulty 4")
        }
    }

    // Goal: Ctrl-C cancels a line, and stops a long mining run leaving nothing changed; UTF-8 input survives.
    @Test func interruptAndUnicode() throws {
        let state = temporaryStateDirectory()
        defer { try? FileManager.default.removeItem(at: state.deletingLastPathComponent()) }
        let s = try start(state)
        defer { s.kill() }
        s.type("chain mine --data half")
        s.key("C-c")
        s.waitForScreenLine("workbench> chain mine --data half^C")
        s.waitForCursorLine("workbench> ")
        s.type("chain reset --difficulty 40")          // about 10^12 tries: only Ctrl-C ends it
        s.key("Enter")
        usleep(300_000)
        s.key("C-c")
        s.waitFor("interrupted") { s.screen().contains("interrupted after") }
        s.waitForCursorLine("workbench> ")
        s.type("chain reset --difficulty 4")
        s.key("Enter")
        s.waitForCursorLine("workbench> ")
        s.type("chain mine --data \"wörld ✓\"")
        s.key("Enter")
        s.waitFor("unicode block") { s.screen().contains("mined block 1 (\"wörld ✓\")") }
        s.type("quit")
        s.key("Enter")
        s.waitFor("workbench to exit") { !s.isAlive }
    }
}
