// The values a build evaluation produces (docker-ecs.md §3): per-step layers, per-stage images,
// and the cache a later build reads. Nothing here runs; Builder (Build+Evaluate.swift) fills them.

/// The files `docker build` sends as its context, sorted by path.
public struct BuildContext: Codable, Equatable, Sendable {
    /// The context's files, sorted by path (`app.go`, `cmd/main.go`); directories are implied.
    public var files: [ContextFile]

    public init(files: [ContextFile] = []) {
        self.files = files.sorted { $0.path < $1.path }
    }
}

/// One file of the build context.
public struct ContextFile: Codable, Equatable, Sendable {
    /// The path inside the context, without a leading `/` or `./`.
    public var path: String
    public var size: Int
    /// The file's text. When given it defines the checksum (and the size, if `size` is 0);
    /// otherwise the checksum comes from the path and size, as a stand-in for unknown bytes.
    public var content: String?

    public init(path: String, size: Int? = nil, content: String? = nil) {
        var cleaned = path
        while cleaned.hasPrefix("./") { cleaned.removeFirst(2) }
        while cleaned.hasPrefix("/") { cleaned.removeFirst() }
        self.path = cleaned
        self.size = size ?? content?.utf8.count ?? 0
        self.content = content
    }

    /// The content checksum BuildKit's COPY cache key would use (never the mtime).
    var digest: String {
        if let content { return BuildHash.hex("content", content) }
        return BuildHash.hex("sized", path, String(size))
    }
}

/// One path of an image or stage filesystem.
public struct FileEntry: Codable, Equatable, Sendable {
    /// The absolute path (`/usr/local/go/bin/go`).
    public var path: String
    public var size: Int
    public var isDirectory: Bool
    /// `user:group` (`root:root`, `app:app`).
    public var owner: String
    /// Octal permission bits (`0644`, `0755`).
    public var mode: String
    /// The content checksum; empty for directories.
    public var digest: String
    /// The text, when the evaluator knows it (context files with content, `echo > file`).
    /// It lets a later `RUN` read it (`npm ci` reads package.json); it is not part of the image view.
    var content: String?

    public init(path: String, size: Int, isDirectory: Bool = false, owner: String = "root:root",
                mode: String? = nil, digest: String = "", content: String? = nil) {
        self.path = path
        self.size = size
        self.isDirectory = isDirectory
        self.owner = owner
        self.mode = mode ?? (isDirectory ? "0755" : "0644")
        self.digest = digest
        self.content = content
    }

    private enum CodingKeys: String, CodingKey { case path, size, isDirectory, owner, mode, digest }

    public static func == (lhs: FileEntry, rhs: FileEntry) -> Bool {
        lhs.path == rhs.path && lhs.size == rhs.size && lhs.isDirectory == rhs.isDirectory
            && lhs.owner == rhs.owner && lhs.mode == rhs.mode && lhs.digest == rhs.digest
    }
}

/// One history entry of an image: a filesystem layer or a config-only (`empty_layer`) entry.
public struct Layer: Codable, Equatable, Sendable {
    /// `created_by` as `docker history` shows it for BuildKit (`RUN /bin/sh -c ... # buildkit`,
    /// `COPY app.go ./ # buildkit`, `WORKDIR /root/`, `CMD ["./app"]`, `ENV k=v`).
    public var createdBy: String
    /// The bytes this layer adds or rewrites. Deletions add nothing and free nothing.
    public var sizeBytes: Int
    /// True for config-only entries (ENV, CMD, USER, ...), which have no filesystem layer.
    public var emptyLayer: Bool
    /// The cache key of the step; for config-only entries, the key of the state they sit on.
    public var cacheKey: String

    public init(createdBy: String, sizeBytes: Int, emptyLayer: Bool, cacheKey: String) {
        self.createdBy = createdBy
        self.sizeBytes = sizeBytes
        self.emptyLayer = emptyLayer
        self.cacheKey = cacheKey
    }
}

/// One BuildKit vertex of the build: a FROM of an image, or a RUN/COPY/ADD/WORKDIR step.
public struct StepResult: Codable, Equatable, Sendable {
    /// The stage index.
    public var stage: Int
    /// BuildKit's progress label (`[builder 4/5] COPY app.go ./`).
    public var label: String
    /// True when the step's cache key was in the previous cache (progress shows `CACHED`).
    public var cached: Bool
    public var layer: Layer
    /// What the evaluator assumed or what the learner should notice.
    public var notes: [String]
}

/// The image one stage produces.
public struct ImageResult: Codable, Equatable, Sendable {
    public var stage: Int
    /// The normalized base image at the root of the stage's FROM chain, or `scratch`.
    public var base: String
    /// The base image's uncompressed size.
    public var baseBytes: Int
    /// The history, oldest first: the base image collapsed into one entry, then each
    /// instruction of the FROM chain (stages built `FROM` another stage include its entries).
    public var layers: [Layer]
    /// `baseBytes` plus every layer's size: what `docker images` would show.
    public var totalBytes: Int
    /// The final filesystem, sorted by path, directories included.
    public var files: [FileEntry]
    /// The config's environment, in order.
    public var env: [(String, String)]
    public var workdir: String
    public var user: String
    public var cmd: [String]?
    public var entrypoint: [String]?

    private enum CodingKeys: String, CodingKey {
        case stage, base, baseBytes, layers, totalBytes, files, env, workdir, user, cmd, entrypoint
    }

    init(stage: Int, base: String, baseBytes: Int, layers: [Layer], totalBytes: Int, files: [FileEntry],
         env: [(String, String)], workdir: String, user: String, cmd: [String]?, entrypoint: [String]?) {
        self.stage = stage
        self.base = base
        self.baseBytes = baseBytes
        self.layers = layers
        self.totalBytes = totalBytes
        self.files = files
        self.env = env
        self.workdir = workdir
        self.user = user
        self.cmd = cmd
        self.entrypoint = entrypoint
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        stage = try container.decode(Int.self, forKey: .stage)
        base = try container.decode(String.self, forKey: .base)
        baseBytes = try container.decode(Int.self, forKey: .baseBytes)
        layers = try container.decode([Layer].self, forKey: .layers)
        totalBytes = try container.decode(Int.self, forKey: .totalBytes)
        files = try container.decode([FileEntry].self, forKey: .files)
        // The image config's form: `KEY=value` strings.
        env = try container.decode([String].self, forKey: .env).map { entry in
            guard let equals = entry.firstIndex(of: "=") else { return (entry, "") }
            return (String(entry[..<equals]), String(entry[entry.index(after: equals)...]))
        }
        workdir = try container.decode(String.self, forKey: .workdir)
        user = try container.decode(String.self, forKey: .user)
        cmd = try container.decodeIfPresent([String].self, forKey: .cmd)
        entrypoint = try container.decodeIfPresent([String].self, forKey: .entrypoint)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(stage, forKey: .stage)
        try container.encode(base, forKey: .base)
        try container.encode(baseBytes, forKey: .baseBytes)
        try container.encode(layers, forKey: .layers)
        try container.encode(totalBytes, forKey: .totalBytes)
        try container.encode(files, forKey: .files)
        try container.encode(env.map { $0.0 + "=" + $0.1 }, forKey: .env)
        try container.encode(workdir, forKey: .workdir)
        try container.encode(user, forKey: .user)
        try container.encodeIfPresent(cmd, forKey: .cmd)
        try container.encodeIfPresent(entrypoint, forKey: .entrypoint)
    }

    public static func == (lhs: ImageResult, rhs: ImageResult) -> Bool {
        lhs.stage == rhs.stage && lhs.base == rhs.base && lhs.baseBytes == rhs.baseBytes
            && lhs.layers == rhs.layers && lhs.totalBytes == rhs.totalBytes && lhs.files == rhs.files
            && lhs.env.count == rhs.env.count && zip(lhs.env, rhs.env).allSatisfy { $0 == $1 }
            && lhs.workdir == rhs.workdir && lhs.user == rhs.user && lhs.cmd == rhs.cmd
            && lhs.entrypoint == rhs.entrypoint
    }

    /// The entry at `path`, if the image has it.
    public func file(_ path: String) -> FileEntry? {
        files.first { $0.path == path }
    }
}

/// The cache keys of the steps built so far, sorted (BuildKit's local cache, reduced to keys).
public struct BuildCache: Codable, Equatable, Sendable {
    public var keys: [String]

    public init(keys: [String] = []) {
        self.keys = Array(Set(keys)).sorted()
    }
}

/// Everything one build evaluation produces.
public struct BuildResult: Codable, Equatable, Sendable {
    /// The vertices of the reachable stages, in file order, labelled as BuildKit's progress does.
    public var steps: [StepResult]
    /// One image per reachable stage, in file order.
    public var images: [ImageResult]
    /// The target stage's image: what `docker build` tags.
    public var final: ImageResult
    /// This build's step keys merged with the previous cache.
    public var cache: BuildCache
    /// The "ship the builder" comparison: the largest `totalBytes` among the reachable stage
    /// images. For a builder/runtime pair that is the builder, which already holds the toolchain,
    /// the sources, the dependency caches and the artifact: what a single-stage Dockerfile
    /// building and shipping in one image would weigh. `singleStageBytes - final.totalBytes` is
    /// the saving of the multi-stage build (docker-ecs.md §3.2).
    public var singleStageBytes: Int

    /// The steps whose progress line would read `CACHED`.
    public var cachedLabels: [String] { steps.filter(\.cached).map(\.label) }
    /// The steps that would run.
    public var rebuiltLabels: [String] { steps.filter { !$0.cached }.map(\.label) }
}
