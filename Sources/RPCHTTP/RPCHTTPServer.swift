// The HTTP/1.1 transport for the workbench's JSON-RPC core, modelled on go-ethereum's
// rpc/http.go (`Server.ServeHTTP` and `validateRequest`) as served by Go's net/http.
// The per-request rules live in RPCHTTPHandler.swift; this file owns sockets and lifecycle.

import Dispatch
import NIOCore
import NIOHTTP1
import NIOPosix

/// Where and how the server listens.
public struct RPCHTTPConfiguration: Sendable {
    /// The address to bind. Only this address is listened on (geth's `--http.addr`, loopback by default).
    public var host: String
    /// The port to bind; 0 asks the kernel for a free one (see `RPCHTTPServer.start()`).
    public var port: Int
    /// The largest request body accepted, in bytes (geth's `--rpc.http-body-limit`, 5 MiB by default).
    public var maxBodyBytes: Int

    public init(host: String = "127.0.0.1", port: Int = 8545, maxBodyBytes: Int = 5 * 1024 * 1024) {
        self.host = host
        self.port = port
        self.maxBodyBytes = maxBodyBytes
    }
}

/// Errors of the server's lifecycle (never of a request: those become HTTP responses).
public enum RPCHTTPServerError: Error, Equatable, Sendable {
    /// `start()` was called twice, or after `stop()`.
    case alreadyStarted
    /// The listening socket has no local address (should not happen for TCP).
    case noLocalAddress
    /// `stop()` or `waitUntilClosed()` was called from an event-loop thread, e.g. from inside the
    /// handler; blocking there would deadlock the loop that must do the work.
    case calledOnEventLoop
}

/// An HTTP/1.1 server for JSON-RPC, behaving like go-ethereum's HTTP transport.
///
/// Threading: `handler` is called on one of NIO's event-loop threads, possibly several
/// connections at once on different threads (one loop per core). It must be thread-safe on its
/// own: the caller serializes access to its state (the workbench's JSON-RPC core takes a lock).
/// It should return promptly, since it blocks its event loop while it runs, and it must not call
/// `stop()` (that throws `RPCHTTPServerError.calledOnEventLoop`).
public final class RPCHTTPServer: Sendable {
    private struct Running {
        var group: MultiThreadedEventLoopGroup
        var serverChannel: any Channel
    }

    private struct State {
        var running: Running?
        var started = false
        var stopping = false
        var children: [ObjectIdentifier: any Channel] = [:]
    }

    private let configuration: RPCHTTPConfiguration
    private let handler: @Sendable ([UInt8]) -> [UInt8]?
    private let state = Protected(State())
    /// Entered by `start()`, left when `stop()` has finished; `waitUntilClosed()` waits on it.
    private let lifetime = DispatchGroup()

    /// - Parameter handler: the JSON-RPC core. Given the request body bytes, returns the response
    ///   body, or nil when no response is due (notifications). Called on an event-loop thread; it
    ///   must serialize access to its own state (see the type's documentation).
    public init(configuration: RPCHTTPConfiguration, handler: @escaping @Sendable ([UInt8]) -> [UInt8]?) {
        self.configuration = configuration
        self.handler = handler
    }

    /// Binds `configuration.host:port` and starts serving.
    /// - Returns: the port actually bound (the kernel's choice when `port` is 0).
    public func start() throws -> Int {
        let claimed = self.state.withLock { state -> Bool in
            if state.started { return false }
            state.started = true
            return true
        }
        guard claimed else { throw RPCHTTPServerError.alreadyStarted }

        let group = MultiThreadedEventLoopGroup(numberOfThreads: max(1, System.coreCount))
        let handler = self.handler
        let maxBodyBytes = max(0, self.configuration.maxBodyBytes)
        let bootstrap = ServerBootstrap(group: group)
            .serverChannelOption(.backlog, value: 256)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelOption(.socketOption(.tcp_nodelay), value: 1)
            .childChannelOption(.maxMessagesPerRead, value: 16)
            .childChannelInitializer { [weak self] channel in
                guard let self, self.track(channel) else {
                    return channel.close()
                }
                return channel.eventLoop.makeCompletedFuture {
                    // Pipelining assistance: one request at a time, in order. Protocol errors
                    // (bytes that are not HTTP) are answered by RPCHTTPHandler itself, like Go's
                    // net/http, so NIO's own error handler is left out.
                    try channel.pipeline.syncOperations.configureHTTPServerPipeline(withErrorHandling: false)
                    try channel.pipeline.syncOperations.addHandler(
                        RPCHTTPHandler(maxBodyBytes: maxBodyBytes, handler: handler)
                    )
                }
            }

        let serverChannel: any Channel
        do {
            serverChannel = try bootstrap.bind(host: self.configuration.host, port: self.configuration.port).wait()
        } catch {
            try? group.syncShutdownGracefully()
            self.state.withLock { $0.started = false }
            throw error
        }
        guard let port = serverChannel.localAddress?.port else {
            try? serverChannel.close().wait()
            try? group.syncShutdownGracefully()
            self.state.withLock { $0.started = false }
            throw RPCHTTPServerError.noLocalAddress
        }
        self.lifetime.enter()
        self.state.withLock { $0.running = Running(group: group, serverChannel: serverChannel) }
        return port
    }

    /// Blocks until `stop()` has finished. Returns at once if the server is not running.
    public func waitUntilClosed() throws {
        guard MultiThreadedEventLoopGroup.currentEventLoop == nil else {
            throw RPCHTTPServerError.calledOnEventLoop
        }
        self.lifetime.wait()
    }

    /// Stops gracefully: no new connections; idle connections are closed; a connection in the
    /// middle of a request gets its response (with `Connection: close`) and is then closed.
    /// Connections still open after 5 seconds are closed forcibly. Idempotent.
    public func stop() throws {
        guard MultiThreadedEventLoopGroup.currentEventLoop == nil else {
            throw RPCHTTPServerError.calledOnEventLoop
        }
        let taken = self.state.withLock { state -> Running? in
            let running = state.running
            state.running = nil
            if running != nil { state.stopping = true }
            return running
        }
        guard let running = taken else { return }
        defer { self.lifetime.leave() }

        // Ignore "already closed": the goal is a closed listener either way.
        try? running.serverChannel.close().wait()

        let children = self.state.withLock { Array($0.children.values) }
        for child in children {
            // NIO's HTTPServerPipelineHandler turns this into "close when idle, or after the
            // response in flight" and marks that response `Connection: close`.
            child.pipeline.fireUserInboundEventTriggered(ChannelShouldQuiesceEvent())
            child.eventLoop.scheduleTask(in: .seconds(5)) {
                child.close(promise: nil)
            }
        }
        let closed = children.map { $0.closeFuture }
        if !closed.isEmpty {
            try? EventLoopFuture.andAllComplete(closed, on: running.group.next()).wait()
        }
        try running.group.syncShutdownGracefully()
    }

    /// Records an accepted connection so `stop()` can quiesce it; false once stopping.
    private func track(_ channel: any Channel) -> Bool {
        let id = ObjectIdentifier(channel)
        let accepted = self.state.withLock { state -> Bool in
            if state.stopping { return false }
            state.children[id] = channel
            return true
        }
        if accepted {
            channel.closeFuture.whenComplete { [weak self] _ in
                self?.state.withLock { _ = $0.children.removeValue(forKey: id) }
            }
        }
        return accepted
    }
}

/// A value guarded by a serial queue. (`Synchronization.Mutex` would need macOS 15, and the
/// workbench declares macOS 13; NIO's own lock lives in a product this module does not use.)
private final class Protected<Value>: @unchecked Sendable {
    private let queue = DispatchQueue(label: "RPCHTTPServer.state")
    private var value: Value

    init(_ value: Value) { self.value = value }

    func withLock<Result>(_ body: (inout Value) -> Result) -> Result {
        self.queue.sync { body(&self.value) }
    }
}
