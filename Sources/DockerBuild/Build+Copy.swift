// COPY and ADD (docker-ecs.md §1.8, §3.1, §3.3-3.4): sources from the build context, another
// stage or an image; destination rules; `--chown`/`--chmod`; a content-based cache key.

extension BuildEvaluation {
    mutating func applyCopy(
        sources writtenSources: [String], contents: [SourceContent], destination writtenDestination: String,
        from: String?, chown writtenChown: String?, chmod writtenChmod: String?, keyword: String, text: String,
        line: Int, stage: Stage, state: inout StageBuild, labels: inout Labels
    ) throws(DockerfileError) {
        let env = state.expansionEnv
        var sources: [String] = []
        for source in writtenSources { sources.append(try Self.expand(source, env: env, lex: lex, line: line)) }
        let destination = try Self.expand(writtenDestination, env: env, lex: lex, line: line)
        let chown = try writtenChown.map { (word: String) throws(DockerfileError) -> String in
            try Self.expand(word, env: env, lex: lex, line: line)
        }
        let chmod = try writtenChmod.map { (word: String) throws(DockerfileError) -> String in
            try Self.expand(word, env: env, lex: lex, line: line)
        }
        if sources.count + contents.count > 1, !destination.hasSuffix("/") {
            throw DockerfileError(line: line, message:
                "When using \(keyword) with more than one source file, the destination must be a directory and end with a /")
        }

        // Where the sources are read from.
        var sourceFS = contextFS
        var sourceName = "context"
        if let from {
            if let index = Self.stageIndex(from, graph: graph, before: stage.index) {
                guard let source = finished[index] else {
                    throw DockerfileError(message: "cannot copy from stage \(from.goQuoted), it needs to be defined before current stage \(stage.displayName.goQuoted)")
                }
                sourceFS = source.fs
                sourceName = "stage \(graph.stages[index].displayName)"
            } else {
                let normalized: String
                switch ImageReference.normalize(from) {
                case .success(let name): normalized = name
                case .failure(let error): throw error
                }
                guard let image = BaseImages.image(from) else { throw Self.unresolved(written: from, normalized: normalized) }
                sourceFS = BuildFileSystem(files: image.files)
                sourceName = "image \(image.reference)"
            }
        }

        let owner = chown.map { $0.contains(":") ? $0 : $0 + ":" + $0 } ?? "root:root"
        let mode = chmod.map { String(repeating: "0", count: max(0, 4 - $0.count)) + $0 }
        let destinationPath = BuildFileSystem.resolve(destination, in: BuildFileSystem.clean(state.workdir))
        var notes: [String] = []

        // Each copied entry, with where it lands.
        var written: [FileEntry] = []
        var matchedCount = 0
        var pending: [(source: FileEntry, root: String, glob: Bool)] = []
        for source in sources {
            if keyword == "ADD", source.hasPrefix("http://") || source.hasPrefix("https://") {
                let name = BuildFileSystem.baseName(source)
                let target = destination.hasSuffix("/") ? BuildFileSystem.join(destinationPath, name) : destinationPath
                written.append(FileEntry(path: target, size: 0, owner: owner, mode: mode ?? "0600",
                                         digest: BuildHash.hex("url", source)))
                notes.append("ADD \(source) downloads at build time; not modelled, so the file is 0 bytes here")
                matchedCount += 1
                continue
            }
            if source.hasPrefix("http://") || source.hasPrefix("https://") {
                throw DockerfileError(line: line, message: "source can't be a URL for COPY")
            }
            let path = BuildFileSystem.clean("/" + source)
            let matches = sourceFS.glob(path)
            if matches.isEmpty {
                let ref = BuildHash.hex("ref", sourceName) + "::" + BuildHash.hex("ref", sourceName, String(stage.index))
                throw DockerfileError(message:
                    "failed to compute cache key: failed to calculate checksum of ref \(ref): \(path.goQuoted): not found")
            }
            for match in matches {
                guard let entry = sourceFS[match] else { continue }
                pending.append((entry, match, BuildFileSystem.hasGlob(path)))
                matchedCount += 1
            }
        }
        let destinationIsDirectory = destination.hasSuffix("/") || destination == "." || matchedCount > 1
            || state.fs.isDirectory(destinationPath) || contents.count > 0 && sources.count > 0

        for (entry, root, _) in pending {
            if entry.isDirectory {
                // A directory's contents are copied, not the directory itself.
                for inner in sourceFS.tree(at: root) {
                    let relative = root == "/" ? inner.path : String(inner.path.dropFirst(root.count))
                    let target = BuildFileSystem.clean(destinationPath + "/" + relative)
                    var copy = inner
                    copy.path = target
                    copy.owner = owner
                    if let mode, !inner.isDirectory { copy.mode = mode }
                    written.append(copy)
                }
            } else {
                let target = destinationIsDirectory
                    ? BuildFileSystem.join(destinationPath, BuildFileSystem.baseName(entry.path)) : destinationPath
                var copy = entry
                copy.path = target
                copy.owner = owner
                if let mode { copy.mode = mode }
                written.append(copy)
            }
        }
        for content in contents {
            let target = destination.hasSuffix("/") || destinationIsDirectory
                ? BuildFileSystem.join(destinationPath, content.path) : destinationPath
            written.append(FileEntry(path: target, size: content.data.utf8.count, owner: owner, mode: mode,
                                     digest: BuildHash.hex("content", content.data), content: content.data))
        }

        if destinationIsDirectory { state.fs.makeDirectory(destinationPath) }
        var bytes = 0
        var checksums: [String] = []
        for entry in written {
            state.fs.put(entry)
            if !entry.isDirectory { bytes += entry.size }
            checksums.append([entry.path, entry.digest, entry.owner, entry.mode, String(entry.size)].joined(separator: " "))
        }
        if from != nil {
            notes.append("copies \(written.filter { !$0.isDirectory }.count) file(s) from \(sourceName): only these bytes reach this image, not the \(sourceName)'s other layers or config")
        }

        var flags = ""
        if let chown { flags += "--chown=\(chown) " }
        if let chmod { flags += "--chmod=\(chmod) " }
        let shownSources = sources + contents.map { "<<" + $0.path }
        let createdBy = "\(keyword) \(flags)\(shownSources.joined(separator: " ")) \(destination) # buildkit"
        // The key holds the copied content, not the source stage's key: BuildKit's content-based
        // cut-off (§3.4) lets a rebuilt stage that produced the same bytes still hit.
        vertex(&state, stage: stage, labels: &labels, fallback: text,
               inputs: [keyword, createdBy, destinationPath, sourceName] + checksums.sorted(),
               createdBy: createdBy, sizeBytes: bytes, notes: notes)
    }

    /// A `--from` value as a stage: a decimal index, else an earlier stage's name (case-insensitive).
    static func stageIndex(_ from: String, graph: StageGraph, before current: Int) -> Int? {
        if let index = Int(from), index >= 0, index < graph.stages.count { return index }
        let name = from.lowercased()
        return graph.stages.first { $0.index < current && $0.name == name }?.index
    }
}
