/// A learner's statement of what an unmodelled program writes when RUN calls it: RUN cannot
/// execute anything, so `make` or `./configure` would otherwise be an opaque 0-byte layer.
/// BuildKit keys RUN by its command text, not by what it writes, so declaring (or changing) an
/// effect does not invalidate a cached step, as on a real builder.
public struct DeclaredEffect: Codable, Equatable, Sendable {
    /// The program's name as the RUN line calls it (`make`, `./build.sh`).
    public var command: String
    /// The file it writes (relative paths are relative to WORKDIR).
    public var path: String
    public var size: Int

    public init(command: String, path: String, size: Int) {
        self.command = command
        self.path = path
        self.size = size
    }
}
