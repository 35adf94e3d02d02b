import Foundation

/// The session's window on the learner's machine. WorkbenchKit never touches files itself;
/// the CLI passes a host that does (and tests pass one too), so everything here stays testable.
public protocol SessionHost: AnyObject {
    func readFile(_ path: String) throws(WorkbenchError) -> String
    /// The files below a folder, recursively, as (path relative to it, size in bytes), sorted by
    /// path; hidden `.git` folders are left out. At most `limit` entries.
    func listFiles(under folder: String, limit: Int) throws(WorkbenchError) -> [(path: String, size: Int)]
    /// Writes through a temporary file and a rename, so a crash never leaves half a file.
    func writeFileAtomically(_ path: String, contents: String) throws(WorkbenchError)
    /// The lesson files: (path, contents), sorted by path.
    func lessonFiles() -> [(path: String, contents: String)]
    /// The reference solution of an exercise, if the lessons ship one.
    func referenceSolution(exercise: String, topic: String) -> String?
    /// The learner's saved progress, or nil when there is none yet.
    func loadProgress() -> LearnerProgress?
    func saveProgress(_ progress: LearnerProgress)
    /// Where a database file the learner names (`chain createblockchain --db FILE`) really lives:
    /// the path itself on the learner's machine, a scratch folder for in-memory hosts.
    func databasePath(_ path: String) -> String
}

/// A host with no files: for tests and for `expect` sandboxes.
public final class MemoryHost: SessionHost {
    public var files: [String: String]
    public var lessons: [(path: String, contents: String)]
    public var solutions: [String: String]
    public var progress: LearnerProgress?

    public init(files: [String: String] = [:], lessons: [(path: String, contents: String)] = [], solutions: [String: String] = [:]) {
        self.files = files
        self.lessons = lessons
        self.solutions = solutions
    }

    public func readFile(_ path: String) throws(WorkbenchError) -> String {
        guard let text = files[path] else { throw .file(path: path, problem: "no such file") }
        return text
    }

    public func listFiles(under folder: String, limit: Int) throws(WorkbenchError) -> [(path: String, size: Int)] {
        let prefix = folder == "." ? "" : (folder.hasSuffix("/") ? folder : folder + "/")
        let found = files.keys.filter { $0.hasPrefix(prefix) }.sorted()
        guard !found.isEmpty else { throw .file(path: folder, problem: "no such folder") }
        return found.prefix(limit).map { (String($0.dropFirst(prefix.count)), files[$0]?.utf8.count ?? 0) }
    }

    public func writeFileAtomically(_ path: String, contents: String) throws(WorkbenchError) { files[path] = contents }
    public func lessonFiles() -> [(path: String, contents: String)] { lessons }
    public func referenceSolution(exercise: String, topic: String) -> String? { solutions[exercise] }
    public func loadProgress() -> LearnerProgress? { progress }
    public func saveProgress(_ progress: LearnerProgress) { self.progress = progress }

    /// A folder of this host's own under the system's temporary directory, made on first use,
    /// so lessons and tests that write database files never write into the working directory.
    public lazy var scratchDirectory: String = {
        let dir = NSTemporaryDirectory() + "workbench-\(ProcessInfo.processInfo.processIdentifier)-\(UUID().uuidString)"
        try? FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        return dir
    }()

    public func databasePath(_ path: String) -> String {
        scratchDirectory + "/" + path.replacingOccurrences(of: "/", with: "_")
    }
}
