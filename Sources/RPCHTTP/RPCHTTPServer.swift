// The HTTP/1.1 transport for the workbench's JSON-RPC core, modelled on go-ethereum's
// rpc/http.go (`Server.ServeHTTP` and `validateRequest`) as served by Go's net/http.
// The per-request rules live in RPCHTTPHandler.swift; this file owns sockets and lifecycle.

import Dispatch
import NIOCore
import NIOServing
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
    private let configuration: RPCHTTPConfiguration
    private let handler: @Sendable ([UInt8]) -> [UInt8]?
    private let core = ServerCore()
    /// Open connections, so `stop()` can quiesce them.
    private let children = Protected([ObjectIdentifier: any Channel](), label: "RPCHTTPServer.children")

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
        let handler = self.handler
        let maxBodyBytes = max(0, self.configuration.maxBodyBytes)
        do {
            return try core.start(host: configuration.host, port: configuration.port) { [weak self] channel in
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
        } catch let failure as ServerCore.Failure {
            throw RPCHTTPServerError(failure)
        }
    }

    /// Blocks until `stop()` has finished. Returns at once if the server is not running.
    public func waitUntilClosed() throws {
        do { try core.waitUntilClosed() } catch let failure as ServerCore.Failure { throw RPCHTTPServerError(failure) }
    }

    /// Stops gracefully: no new connections; idle connections are closed; a connection in the
    /// middle of a request gets its response (with `Connection: close`) and is then closed.
    /// Connections still open after 5 seconds are closed forcibly. Idempotent.
    public func stop() throws {
        do {
            try core.stop {
                let open = children.withLock { Array($0.values) }
                for child in open {
                    // NIO's HTTPServerPipelineHandler turns this into "close when idle, or after the
                    // response in flight" and marks that response `Connection: close`.
                    child.pipeline.fireUserInboundEventTriggered(ChannelShouldQuiesceEvent())
                    child.eventLoop.scheduleTask(in: .seconds(5)) {
                        child.close(promise: nil)
                    }
                }
                return open
            }
        } catch let failure as ServerCore.Failure {
            throw RPCHTTPServerError(failure)
        }
    }

    /// Records an accepted connection so `stop()` can quiesce it; false once stopping.
    private func track(_ channel: any Channel) -> Bool {
        guard !core.isStopping else { return false }
        let id = ObjectIdentifier(channel)
        children.withLock { $0[id] = channel }
        channel.closeFuture.whenComplete { [weak self] _ in
            self?.children.withLock { _ = $0.removeValue(forKey: id) }
        }
        return true
    }
}

extension RPCHTTPServerError {
    init(_ failure: ServerCore.Failure) {
        switch failure {
        case .alreadyStarted: self = .alreadyStarted
        case .noLocalAddress: self = .noLocalAddress
        case .calledOnEventLoop: self = .calledOnEventLoop
        }
    }
}
