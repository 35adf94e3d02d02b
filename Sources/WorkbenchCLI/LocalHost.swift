import Foundation
import WorkbenchKit

/// The real machine: files, the lessons folder, the learner's state directory.
public final class LocalHost: SessionHost {
    /// Where relative database paths resolve (tests and `lessons --check` use a scratch folder);
    /// nil: the working directory, as a learner expects.
    public var databaseDirectory: String?

    public func databasePath(_ path: String) -> String {
        guard let databaseDirectory, !path.hasPrefix("/") else { return path }
        return databaseDirectory + "/" + path
    }

    public let lessonsDirectory: String?
    public let stateDirectory: String

    public init(lessonsDirectory: String? = LocalHost.findLessons(), stateDirectory: String = LocalHost.stateDirectory()) {
        self.lessonsDirectory = lessonsDirectory
        self.stateDirectory = stateDirectory
    }

    /// `$WORKBENCH_STATE_DIR`, else `$XDG_STATE_HOME/workbench`, else `~/.local/state/workbench`
    /// (XDG Base Directory Specification 0.8, `$XDG_STATE_HOME`).
    public static func stateDirectory(environment: [String: String] = ProcessInfo.processInfo.environment) -> String {
        if let dir = environment["WORKBENCH_STATE_DIR"], !dir.isEmpty { return dir }
        if let xdg = environment["XDG_STATE_HOME"], xdg.hasPrefix("/") { return xdg + "/workbench" }
        let home = environment["HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? NSHomeDirectory()
        return home + "/.local/state/workbench"
    }

    /// `$WORKBENCH_LESSONS`, else a `Lessons` folder in the current directory or above it, else
    /// the one beside this source tree (for builds run from a checkout).
    public static func findLessons(environment: [String: String] = ProcessInfo.processInfo.environment) -> String? {
        if let dir = environment["WORKBENCH_LESSONS"], !dir.isEmpty { return dir }
        var candidates: [URL] = []
        var dir = URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
        for _ in 0..<6 {
            candidates.append(dir.appendingPathComponent("Lessons"))
            dir.deleteLastPathComponent()
        }
        let source = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        candidates.append(source.appendingPathComponent("Lessons"))
        var isDir: ObjCBool = false
        return candidates.first { FileManager.default.fileExists(atPath: $0.path, isDirectory: &isDir) && isDir.boolValue }?.path
    }

    public func listFiles(under folder: String, limit: Int) throws(WorkbenchError) -> [(path: String, size: Int)] {
        var isDir: ObjCBool = false
        guard FileManager.default.fileExists(atPath: folder, isDirectory: &isDir), isDir.boolValue else {
            throw .file(path: folder, problem: "no such folder")
        }
        let root = URL(fileURLWithPath: folder).standardizedFileURL
        guard let walker = FileManager.default.enumerator(at: root, includingPropertiesForKeys: [.isRegularFileKey, .fileSizeKey]) else {
            throw .file(path: folder, problem: "cannot be read (permissions?)")
        }
        var found: [(path: String, size: Int)] = []
        for case let url as URL in walker {
            if url.lastPathComponent == ".git" { walker.skipDescendants(); continue }
            let values = try? url.resourceValues(forKeys: [.isRegularFileKey, .fileSizeKey])
            guard values?.isRegularFile == true else { continue }
            let relative = String(url.standardizedFileURL.path.dropFirst(root.path.count)).drop { $0 == "/" }
            found.append((String(relative), values?.fileSize ?? 0))
            if found.count >= limit { break }
        }
        return found.sorted { $0.path < $1.path }
    }

    public func readFile(_ path: String) throws(WorkbenchError) -> String {
        // FileManager cannot read pipes such as /dev/stdin; a FileHandle can.
        let piped = path == "-" ? FileHandle.standardInput : nil
        guard let data = try? piped?.readToEnd() ?? FileManager.default.contents(atPath: path)
            ?? FileHandle(forReadingAtPath: path)?.readToEnd() else {
            var isDir: ObjCBool = false
            if FileManager.default.fileExists(atPath: path, isDirectory: &isDir), isDir.boolValue {
                throw .file(path: path, problem: "is a folder, not a file")
            }
            throw .file(path: path, problem: FileManager.default.fileExists(atPath: path) ? "cannot be read (permissions?)" : "no such file")
        }
        // Invalid UTF-8 becomes U+FFFD instead of failing, so binary garbage gives an error per line, not a crash.
        return String(decoding: data, as: UTF8.self)
    }

    public func writeFileAtomically(_ path: String, contents: String) throws(WorkbenchError) {
        do { try AtomicFile.write(Data(contents.utf8), to: path) } catch {
            throw .file(path: path, problem: "cannot be written (\(error.localizedDescription))")
        }
    }

    public func lessonFiles() -> [(path: String, contents: String)] {
        guard let root = lessonsDirectory, let topics = try? FileManager.default.contentsOfDirectory(atPath: root) else { return [] }
        var files: [(String, String)] = []
        for topic in topics.sorted() {
            let dir = root + "/" + topic
            guard let names = try? FileManager.default.contentsOfDirectory(atPath: dir) else { continue }
            for name in names.sorted() where name.hasSuffix(".md") && name.first?.isNumber == true {
                let path = dir + "/" + name
                if let data = FileManager.default.contents(atPath: path) { files.append((path, String(decoding: data, as: UTF8.self))) }
            }
        }
        return files
    }

    public func referenceSolution(exercise: String, topic: String) -> String? {
        guard let root = lessonsDirectory else { return nil }
        return FileManager.default.contents(atPath: "\(root)/\(topic)/solutions/\(exercise).wb").map { String(decoding: $0, as: UTF8.self) }
    }

    var progressPath: String { stateDirectory + "/progress.json" }
    public var historyPath: String { stateDirectory + "/history" }

    public func loadProgress() -> LearnerProgress? {
        guard let data = FileManager.default.contents(atPath: progressPath) else { return nil }
        guard let progress = try? JSONDecoder().decode(LearnerProgress.self, from: data), progress.version <= LearnerProgress.currentVersion else {
            FileHandle.standardError.write(Data("warning: \(progressPath) is damaged or from a newer workbench; progress starts afresh\n".utf8))
            return nil
        }
        return progress
    }

    public func saveProgress(_ progress: LearnerProgress) {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted]
        guard let data = try? encoder.encode(progress) else { return }
        do { try AtomicFile.write(data, to: progressPath) } catch {
            FileHandle.standardError.write(Data("warning: could not save progress to \(progressPath): \(error.localizedDescription)\n".utf8))
        }
    }
}

/// Atomic file writes: write a temporary file beside the target, flush it, then rename over the
/// target (rename(2) is atomic within a file system), so readers see the old file or the new one.
public enum AtomicFile {
    public static func write(_ data: Data, to path: String) throws {
        let url = URL(fileURLWithPath: path)
        let dir = url.deletingLastPathComponent()
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let temp = dir.appendingPathComponent(".\(url.lastPathComponent).\(ProcessInfo.processInfo.processIdentifier).tmp")
        guard FileManager.default.createFile(atPath: temp.path, contents: nil) else {
            throw CocoaError(.fileWriteNoPermission, userInfo: [NSFilePathErrorKey: temp.path])
        }
        do {
            let handle = try FileHandle(forWritingTo: temp)
            try handle.write(contentsOf: data)
            try handle.synchronize()
            try handle.close()
            guard rename(temp.path, path) == 0 else { throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO) }
        } catch {
            try? FileManager.default.removeItem(at: temp)
            throw error
        }
    }
}
