import Dispatch
import NIOCore
import NIOPosix

/// What the workbench's TCP servers (`RPCHTTPServer`, `KafkaTCPServer`) share: an event-loop group
/// with one loop per core, a listener with the same socket options, start/stop/wait with the same
/// rules (start once; stop is idempotent and never called from an event loop; wait returns when
/// stop has finished). Each server keeps its own connections and its own way of closing them.
public final class ServerCore: Sendable {
    public enum Failure: Error, Equatable, Sendable {
        case alreadyStarted
        case noLocalAddress
        case calledOnEventLoop
    }

    private struct Running {
        var group: MultiThreadedEventLoopGroup
        var serverChannel: any Channel
    }

    private struct State {
        var running: Running?
        var started = false
        var stopping = false
    }

    private let state = Protected(State(), label: "ServerCore.state")
    /// Entered by `start`, left when `stop` has finished; `waitUntilClosed` waits on it.
    private let lifetime = DispatchGroup()

    public init() {}

    /// True once `stop` began: new connections must be refused.
    public var isStopping: Bool { state.withLock { $0.stopping } }

    /// One of the running group's event loops (nil when not running).
    public var anyEventLoop: (any EventLoop)? { state.withLock { $0.running?.group.next() } }

    /// Binds `host:port` (0 = a free port) with TCP_NODELAY, SO_REUSEADDR, a 256 backlog and 16
    /// reads per wake-up, each accepted channel set up by `initialize`. Returns the bound port.
    public func start(host: String, port: Int,
                      initialize: @escaping @Sendable (any Channel) -> EventLoopFuture<Void>) throws -> Int {
        let claimed = state.withLock { state -> Bool in
            if state.started { return false }
            state.started = true
            state.stopping = false
            return true
        }
        guard claimed else { throw Failure.alreadyStarted }
        let group = MultiThreadedEventLoopGroup(numberOfThreads: max(1, System.coreCount))
        let bootstrap = ServerBootstrap(group: group)
            .serverChannelOption(.backlog, value: 256)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelOption(.socketOption(.tcp_nodelay), value: 1)
            .childChannelOption(.maxMessagesPerRead, value: 16)
            .childChannelInitializer(initialize)
        let serverChannel: any Channel
        do {
            serverChannel = try bootstrap.bind(host: host, port: port).wait()
        } catch {
            try? group.syncShutdownGracefully()
            state.withLock { $0.started = false }
            throw error
        }
        guard let bound = serverChannel.localAddress?.port else {
            try? serverChannel.close().wait()
            try? group.syncShutdownGracefully()
            state.withLock { $0.started = false }
            throw Failure.noLocalAddress
        }
        lifetime.enter()
        state.withLock { $0.running = Running(group: group, serverChannel: serverChannel) }
        return bound
    }

    /// Blocks until `stop` has finished. Returns at once if the server is not running.
    public func waitUntilClosed() throws {
        guard MultiThreadedEventLoopGroup.currentEventLoop == nil else { throw Failure.calledOnEventLoop }
        lifetime.wait()
    }

    /// Closes the listener, lets `closeConnections` close (or quiesce) the open connections it
    /// returns, waits for them, and shuts the event loops down. Idempotent.
    public func stop(closeConnections: () -> [any Channel]) throws {
        guard MultiThreadedEventLoopGroup.currentEventLoop == nil else { throw Failure.calledOnEventLoop }
        let taken = state.withLock { state -> Running? in
            let running = state.running
            state.running = nil
            if running != nil { state.stopping = true }
            return running
        }
        guard let running = taken else { return }
        defer {
            state.withLock { $0.started = false }
            lifetime.leave()
        }
        // Ignore "already closed": the goal is a closed listener either way.
        try? running.serverChannel.close().wait()
        let closed = closeConnections().map(\.closeFuture)
        if !closed.isEmpty {
            try? EventLoopFuture.andAllComplete(closed, on: running.group.next()).wait()
        }
        try running.group.syncShutdownGracefully()
    }
}

/// A value guarded by a serial queue. (`Synchronization.Mutex` would need macOS 15, and the
/// workbench declares macOS 13.)
public final class Protected<Value>: @unchecked Sendable {
    private let queue: DispatchQueue
    private var value: Value

    public init(_ value: Value, label: String) {
        self.value = value
        self.queue = DispatchQueue(label: label)
    }

    public func withLock<Result>(_ body: (inout Value) -> Result) -> Result {
        queue.sync { body(&value) }
    }
}
