// One connection of the Kafka TCP server: splits the byte stream into request frames, hands
// them to the handler, and writes the responses strictly in request order. Kafka clients pop
// their in-flight queue FIFO (kafka-python: "Received unrecognized correlation id" otherwise),
// so a request answered later holds back every later response on the same connection, as a
// real broker's parked JoinGroup or long-poll Fetch does.

import NIOCore

/// Serves one connection on its event loop. Everything here runs on that loop; the server
/// reaches `complete(sequence:response:)` through an `NIOLoopBound`.
final class KafkaConnectionHandler: ChannelDuplexHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = Never
    typealias OutboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    /// Past this many requests waiting for their turn (behind a `.later` one), reading pauses
    /// until the head is answered. Real clients keep at most a handful in flight (kafka-python
    /// and the Java client default to 5), so this only bounds memory against a runaway peer.
    static let maxQueuedRequests = 4096

    /// A request that cannot be written yet because an earlier one is unanswered.
    private enum Slot {
        /// Returned `.later`; waits for `complete`.
        case waiting
        /// Answered (nil: no response) but behind a waiting request.
        case answered([UInt8]?)
        /// Returned `.close`: close once everything before it is written.
        case close
    }

    private let id: ConnectionID
    private let maxFrameBytes: Int
    private let handler: any KafkaFrameHandler
    private var context: ChannelHandlerContext?
    /// Bytes received but not yet a whole frame.
    private var cumulation: ByteBuffer?
    /// The unwritten requests in order: `slots[offset: i]` is request `head + i`. Empty when
    /// every request so far is answered and written (the fast path writes at once).
    private var slots = CircularBuffer<Slot>(initialCapacity: 8)
    private var head: UInt64 = 0
    private var nextSequence: UInt64 = 0
    /// Sized responses ready to write, coalesced so one read's answers go out in one write.
    private var output: ByteBuffer?
    private var needsFlush = false
    /// Set by a `.close` slot reaching the head, or a bad frame: write `output`, then close.
    private var closeAfterWrite = false
    /// No more frames go to the handler (`.close` returned, bad frame, or closing).
    private var refusingFrames = false
    /// Closing or closed: nothing more is written, completions are ignored.
    private var closing = false
    /// `connectionOpened` was called and `connectionClosed` not yet.
    private var opened = false
    /// A read was held back (peer not reading our responses, or too many queued requests).
    private var readHeld = false

    init(id: ConnectionID, maxFrameBytes: Int, handler: any KafkaFrameHandler) {
        self.id = id
        self.maxFrameBytes = maxFrameBytes
        self.handler = handler
    }

    func handlerAdded(context: ChannelHandlerContext) {
        self.context = context
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        self.context = nil
    }

    func channelActive(context: ChannelHandlerContext) {
        self.opened = true
        self.handler.connectionOpened(self.id, remote: Self.describe(context.channel.remoteAddress))
        context.fireChannelActive()
    }

    func channelInactive(context: ChannelHandlerContext) {
        self.closing = true
        self.refusingFrames = true
        self.cumulation = nil
        self.output = nil
        self.slots.removeAll()
        if self.opened {
            self.opened = false
            self.handler.connectionClosed(self.id)
        }
        context.fireChannelInactive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard !self.refusingFrames else { return }
        var incoming = self.unwrapInboundIn(data)
        var buffer: ByteBuffer
        if var pending = self.cumulation {
            self.cumulation = nil  // leaves `pending` unique, so appending does not copy
            pending.writeBuffer(&incoming)
            buffer = pending
        } else {
            buffer = incoming
        }

        while !self.refusingFrames {
            guard let size = buffer.getInteger(at: buffer.readerIndex, as: Int32.self) else { break }
            guard size >= 0, Int(size) <= self.maxFrameBytes else {
                // Kafka's InvalidReceiveException: the claimed size is never allocated.
                self.refusingFrames = true
                self.slots.removeAll()
                self.closeAfterWrite = true
                break
            }
            guard buffer.readableBytes >= 4 + Int(size) else { break }
            buffer.moveReaderIndex(forwardBy: 4)
            guard let frame = buffer.readBytes(length: Int(size)) else { break }
            self.dispatch(frame)
        }

        if self.refusingFrames || buffer.readableBytes == 0 {
            self.cumulation = nil
        } else {
            if buffer.readerIndex > 0 { buffer.discardReadBytes() }
            self.cumulation = buffer
        }
        self.writeOutput(context: context, flushNow: false)
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        if self.needsFlush {
            self.needsFlush = false
            context.flush()
        }
        context.fireChannelReadComplete()
    }

    func channelWritabilityChanged(context: ChannelHandlerContext) {
        self.resumeReadingIfPossible(context: context)
        context.fireChannelWritabilityChanged()
    }

    /// Resets and read errors (a peer that vanished mid-frame) close the connection quietly.
    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        context.close(promise: nil)
    }

    /// Holds reads back while the peer is not reading our responses or too much is queued.
    func read(context: ChannelHandlerContext) {
        if self.shouldHoldReads(context: context) {
            self.readHeld = true
        } else {
            context.read()
        }
    }

    /// Applies `KafkaTCPServer.complete`: fills the slot of a `.later` request and writes
    /// whatever that unblocks. Ignored for unknown, already answered or closed requests.
    func complete(sequence: UInt64, response: [UInt8]?) {
        guard !self.closing, let context = self.context,
              sequence >= self.head, sequence < self.nextSequence else { return }
        let offset = Int(sequence - self.head)
        guard offset < self.slots.count, case .waiting = self.slots[offset: offset] else { return }
        self.slots[offset: offset] = .answered(response)
        guard offset == 0 else { return }
        self.drain()
        self.writeOutput(context: context, flushNow: true)
        self.resumeReadingIfPossible(context: context)
    }

    // MARK: - Ordering

    /// Hands one frame to the handler and places its answer in order.
    private func dispatch(_ frame: [UInt8]) {
        let sequence = self.nextSequence
        self.nextSequence += 1
        let disposition = self.handler.received(frame, ticket: RequestTicket(connection: self.id, sequence: sequence))
        switch disposition {
        case .respond(let response):
            if self.slots.isEmpty {
                self.head += 1
                self.append(response)
            } else {
                self.slots.append(.answered(response))
            }
        case .noResponse:
            if self.slots.isEmpty {
                self.head += 1
            } else {
                self.slots.append(.answered(nil))
            }
        case .later:
            self.slots.append(.waiting)
        case .close:
            self.refusingFrames = true
            self.slots.append(.close)
            self.drain()
        }
    }

    /// Moves answered requests from the head of the queue to `output`, up to the first one
    /// still waiting.
    private func drain() {
        while let first = self.slots.first {
            switch first {
            case .waiting:
                return
            case .answered(let response):
                _ = self.slots.removeFirst()
                self.head += 1
                if let response { self.append(response) }
            case .close:
                self.slots.removeAll()
                self.closeAfterWrite = true
                return
            }
        }
    }

    /// Appends one response with its int32 size to `output`.
    private func append(_ response: [UInt8]) {
        guard let context = self.context, !self.closeAfterWrite else { return }
        guard let size = Int32(exactly: response.count) else {
            // Unframeable (2 GiB or more): the client could never read past it.
            self.refusingFrames = true
            self.slots.removeAll()
            self.closeAfterWrite = true
            return
        }
        if self.output == nil {
            self.output = context.channel.allocator.buffer(capacity: max(256, 4 + response.count))
        }
        self.output?.writeInteger(size)
        self.output?.writeBytes(response)
    }

    /// Writes `output`; flushes now, or marks a flush for the end of the read. After a
    /// `.close` or a bad frame, flushes and closes once the write is done.
    private func writeOutput(context: ChannelHandlerContext, flushNow: Bool) {
        guard !self.closing else { return }
        if self.closeAfterWrite {
            self.closeAfterWrite = false
            self.closing = true
            self.refusingFrames = true
            self.slots.removeAll()
            // Even an empty write completes only after everything written before it.
            let last = self.output ?? context.channel.allocator.buffer(capacity: 0)
            self.output = nil
            self.needsFlush = false
            let channel = context.channel
            context.writeAndFlush(self.wrapOutboundOut(last)).whenComplete { _ in
                channel.close(promise: nil)
            }
            return
        }
        guard let pending = self.output else { return }
        self.output = nil
        context.write(self.wrapOutboundOut(pending), promise: nil)
        if flushNow {
            self.needsFlush = false
            context.flush()
        } else {
            self.needsFlush = true
        }
    }

    // MARK: - Backpressure

    private func shouldHoldReads(context: ChannelHandlerContext) -> Bool {
        !context.channel.isWritable || self.slots.count >= Self.maxQueuedRequests
    }

    private func resumeReadingIfPossible(context: ChannelHandlerContext) {
        guard self.readHeld, !self.shouldHoldReads(context: context) else { return }
        self.readHeld = false
        context.read()
    }

    /// "host:port", or "[host]:port" for IPv6.
    static func describe(_ address: SocketAddress?) -> String {
        guard let address else { return "unknown" }
        guard let host = address.ipAddress, let port = address.port else { return "\(address)" }
        if case .v6 = address { return "[\(host)]:\(port)" }
        return "\(host):\(port)"
    }
}

@available(*, unavailable)
extension KafkaConnectionHandler: Sendable {}
