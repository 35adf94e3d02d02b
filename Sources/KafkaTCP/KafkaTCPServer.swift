// The TCP transport of the workbench's fake Kafka broker: Kafka's framing (every request and
// response is an int32 big-endian size, then that many bytes) over swift-nio. Requests are
// handed whole to a `KafkaFrameHandler`; responses go back strictly in request order per
// connection, as kafka-python and librdkafka require (shared/reference/kafka.md §6.1).
// This file owns the public API, sockets and lifecycle; KafkaTCPConnection.swift owns one
// connection's framing and response ordering.

import Dispatch
import NIOCore
import NIOServing
import NIOPosix

/// Where and how the server listens.
public struct KafkaTCPConfiguration: Sendable {
    /// The address to bind. Only this address is listened on (loopback by default).
    public var host: String
    /// The port to bind; 0 asks the kernel for a free one (see `KafkaTCPServer.start()`).
    public var port: Int
    /// The largest request frame accepted, in bytes, not counting the 4-byte size (Kafka's
    /// `socket.request.max.bytes`, 100 MiB by default). A frame claiming more, or a negative
    /// size, closes the connection without allocating the claimed size.
    public var maxFrameBytes: Int

    public init(host: String = "127.0.0.1", port: Int = 9092, maxFrameBytes: Int = 100 * 1024 * 1024) {
        self.host = host
        self.port = port
        self.maxFrameBytes = maxFrameBytes
    }
}

/// Identifies one accepted connection, unique for the lifetime of a `KafkaTCPServer`.
public struct ConnectionID: Hashable, Sendable, CustomStringConvertible {
    /// Numbers start at 1 and grow with each accepted connection.
    public let value: UInt64

    public init(_ value: UInt64) { self.value = value }

    public var description: String { "connection \(value)" }
}

/// Identifies one request: its connection, and its position among that connection's request
/// frames (0, 1, 2, ...). Responses are written in `sequence` order.
public struct RequestTicket: Hashable, Sendable {
    public let connection: ConnectionID
    public let sequence: UInt64

    public init(connection: ConnectionID, sequence: UInt64) {
        self.connection = connection
        self.sequence = sequence
    }
}

/// What the server does with a request once the handler has seen it.
public enum FrameDisposition: Sendable {
    /// Answer with these bytes (without the size prefix: the server adds it), once every
    /// earlier request of the connection has been answered.
    case respond([UInt8])
    /// Answer nothing (Produce with acks=0). The slot is released in order, so it never holds
    /// back later responses.
    case noResponse
    /// Answer later through `KafkaTCPServer.complete(_:with:)` (parked JoinGroup, long-poll
    /// Fetch). Until then, later responses on the same connection wait, as a real broker's do.
    case later
    /// Close the connection once every earlier request has been answered. Frames after this
    /// one are not handed to the handler.
    case close
}

/// The broker logic behind the server.
///
/// Threading: every method is called on one of NIO's event-loop threads, and calls for
/// different connections may run at the same time on different threads (one loop per core).
/// Calls for one connection never overlap and come in order: `connectionOpened`, then
/// `received` for each frame in arrival order, then `connectionClosed`. The handler must
/// serialize access to its own state (the workbench's broker takes a lock), and should return
/// promptly, since it blocks its event loop while it runs. It must not call `stop()` or
/// `waitUntilClosed()` (they throw `KafkaTCPServerError.calledOnEventLoop`).
public protocol KafkaFrameHandler: AnyObject, Sendable {
    /// A complete request frame, without its 4-byte size. Return `.respond(bytes)` to answer
    /// now, `.noResponse` to answer nothing (acks=0 produce; the slot is released in order),
    /// `.later` to answer through `KafkaTCPServer.complete(ticket, with:)`, or `.close` to close
    /// the connection after flushing the responses to earlier requests.
    func received(_ frame: [UInt8], ticket: RequestTicket) -> FrameDisposition
    /// A connection was accepted; `remote` is the peer as "host:port" ("[host]:port" for IPv6).
    func connectionOpened(_ id: ConnectionID, remote: String)
    /// A connection is gone (closed by either side, reset, or by `stop()`). Requests still
    /// parked for it can be dropped: completing them is ignored.
    func connectionClosed(_ id: ConnectionID)
}

/// Errors of the server's lifecycle (never of a request: bad frames close their connection).
public enum KafkaTCPServerError: Error, Equatable, Sendable {
    /// `start()` was called twice, or while already running.
    case alreadyStarted
    /// The listening socket has no local address (should not happen for TCP).
    case noLocalAddress
    /// `stop()` or `waitUntilClosed()` was called from an event-loop thread, e.g. from inside
    /// the handler; blocking there would deadlock the loop that must do the work.
    case calledOnEventLoop
}

/// A TCP server speaking Kafka's framing, handing request frames to a `KafkaFrameHandler` and
/// writing the responses in request order per connection.
public final class KafkaTCPServer: Sendable {
    private struct Connection {
        var channel: any Channel
        var handler: NIOLoopBound<KafkaConnectionHandler>
    }

    private struct State {
        var lastConnection: UInt64 = 0
        var connections: [ConnectionID: Connection] = [:]
    }

    private let configuration: KafkaTCPConfiguration
    private let handler: any KafkaFrameHandler
    private let core = ServerCore()
    private let state = Protected(State(), label: "KafkaTCPServer.state")

    /// - Parameter handler: the broker logic; see `KafkaFrameHandler` for its threading rules.
    public init(configuration: KafkaTCPConfiguration, handler: any KafkaFrameHandler) {
        self.configuration = configuration
        self.handler = handler
    }

    /// Binds `configuration.host:port` and starts serving.
    /// - Returns: the port actually bound (the kernel's choice when `port` is 0).
    public func start() throws -> Int {
        let frameHandler = self.handler
        let maxFrameBytes = max(0, self.configuration.maxFrameBytes)
        do {
            return try core.start(host: configuration.host, port: configuration.port) { [weak self] channel in
                guard let self, let id = self.admit(channel) else {
                    return channel.close()
                }
                return channel.eventLoop.makeCompletedFuture {
                    let connection = KafkaConnectionHandler(
                        id: id, maxFrameBytes: maxFrameBytes, handler: frameHandler)
                    try channel.pipeline.syncOperations.addHandler(connection)
                    self.register(id, channel: channel,
                                  handler: NIOLoopBound(connection, eventLoop: channel.eventLoop))
                }
            }
        } catch let failure as ServerCore.Failure {
            throw KafkaTCPServerError(failure)
        }
    }

    /// Answers a request the handler returned `.later` for. Thread-safe; callable from any
    /// thread, including from inside the handler (the answer is applied after the handler
    /// returns). `nil` releases the slot without a response. Ignored when the connection is
    /// gone, when the ticket was not `.later`, or when it was already completed.
    public func complete(_ ticket: RequestTicket, with response: [UInt8]?) {
        let target = self.state.withLock { $0.connections[ticket.connection]?.handler }
        guard let target else { return }
        let sequence = ticket.sequence
        target.eventLoop.execute {
            target.value.complete(sequence: sequence, response: response)
        }
    }

    /// Runs `body` on one of the server's event loops after `ms` milliseconds (0 or less: as
    /// soon as possible), e.g. to answer a parked long-poll Fetch at its `max_wait_ms` or to
    /// end a JoinGroup's rebalance delay. `body` runs on an event-loop thread, like the handler,
    /// and must follow the same rules. Ignored when the server is not running; timers still
    /// pending at `stop()` never fire.
    public func schedule(after ms: Int64, _ body: @escaping @Sendable () -> Void) {
        guard let loop = core.anyEventLoop else { return }
        loop.scheduleTask(in: .milliseconds(max(0, ms))) { body() }
    }

    /// Blocks until `stop()` has finished. Returns at once if the server is not running.
    public func waitUntilClosed() throws {
        do { try core.waitUntilClosed() } catch let failure as ServerCore.Failure { throw KafkaTCPServerError(failure) }
    }

    /// Stops: no new connections; every open connection is closed at once (as a broker's
    /// shutdown does; parked requests get no answer) and `connectionClosed` is called for it.
    /// Returns when the event loops have shut down. Idempotent.
    public func stop() throws {
        do {
            try core.stop {
                let open = state.withLock { $0.connections.values.map(\.channel) }
                for child in open { child.close(promise: nil) }
                return open
            }
        } catch let failure as ServerCore.Failure {
            throw KafkaTCPServerError(failure)
        }
    }

    /// Numbers an accepted connection; nil once stopping (the connection is then closed).
    private func admit(_ channel: any Channel) -> ConnectionID? {
        guard !core.isStopping else { return nil }
        return self.state.withLock { state -> ConnectionID in
            state.lastConnection += 1
            return ConnectionID(state.lastConnection)
        }
    }

    /// Makes a connection reachable by `complete` and `stop` until its channel closes.
    private func register(_ id: ConnectionID, channel: any Channel, handler: NIOLoopBound<KafkaConnectionHandler>) {
        self.state.withLock { $0.connections[id] = Connection(channel: channel, handler: handler) }
        channel.closeFuture.whenComplete { [weak self] _ in
            self?.state.withLock { _ = $0.connections.removeValue(forKey: id) }
        }
    }
}

extension KafkaTCPServerError {
    init(_ failure: ServerCore.Failure) {
        switch failure {
        case .alreadyStarted: self = .alreadyStarted
        case .noLocalAddress: self = .noLocalAddress
        case .calledOnEventLoop: self = .calledOnEventLoop
        }
    }
}
