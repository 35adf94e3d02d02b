import Foundation
import WorkbenchCLI
import WorkbenchKit

/// Shared fixtures: the repository's folders and sessions built the way the executable builds them.
enum Fixture {
    static let repoRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let lessonsDirectory = repoRoot.appendingPathComponent("Lessons").path
    static let goldenDirectory = repoRoot.appendingPathComponent("Tests/WorkbenchTests/Golden").path

    static func tempDirectory() -> String {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("workbench-tests-\(UUID().uuidString)")
        try? FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        return dir.path
    }

    /// A session with the real lessons and a throwaway state directory.
    static func session(seed: UInt64 = Session.defaultSeed) -> Session {
        let host = LocalHost(lessonsDirectory: lessonsDirectory, stateDirectory: tempDirectory())
        host.databaseDirectory = tempDirectory()
        return Workbench.session(seed: seed, host: host)
    }

    /// A session with no files at all.
    static func memorySession(seed: UInt64 = Session.defaultSeed, host: MemoryHost = MemoryHost()) -> Session {
        Workbench.session(seed: seed, host: host)
    }

    /// Runs lines and returns the transcript; fails the caller's expectations via the result.
    @discardableResult
    static func run(_ lines: String, in session: Session) -> ScriptResult {
        ScriptRunner.run(lines, file: "test.wb", in: session)
    }

    /// The built `workbench` executable next to the test bundle.
    static var executable: URL {
        let products = Bundle.allBundles.map(\.bundleURL).first { $0.pathExtension == "xctest" }?.deletingLastPathComponent()
            ?? Bundle.main.bundleURL
        return products.appendingPathComponent("workbench")
    }

    /// Runs the real binary with arguments and stdin; returns (status, stdout, stderr).
    static func exec(_ arguments: [String], stdin: String = "", environment: [String: String] = [:]) throws -> (Int32, String, String) {
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        var env = ProcessInfo.processInfo.environment
        env["WORKBENCH_STATE_DIR"] = tempDirectory()
        env["WORKBENCH_LESSONS"] = lessonsDirectory
        for (k, v) in environment { env[k] = v }
        process.environment = env
        let input = Pipe(), output = Pipe(), error = Pipe()
        process.standardInput = input
        process.standardOutput = output
        process.standardError = error
        try process.run()
        input.fileHandleForWriting.write(Data(stdin.utf8))
        try input.fileHandleForWriting.close()
        let out = output.fileHandleForReading.readDataToEndOfFile()
        let err = error.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: out, as: UTF8.self), String(decoding: err, as: UTF8.self))
    }
}
