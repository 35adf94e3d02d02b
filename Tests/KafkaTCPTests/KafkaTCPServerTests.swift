// The Kafka TCP transport over real loopback sockets: framing, in-order responses per
// connection (shared/reference/kafka.md §6.1), bad sizes, disconnects, timers, lifecycle.

import Dispatch
import Foundation
import KafkaTCP
import Testing

@Suite struct KafkaTCPServerTests {
    @Test func echoesFramesWithSizePrefix() throws {
        let handler = TestHandler()
        try withServer(handler: handler) { _, port in
            let client = try RawKafkaClient(port: port)
            try client.sendFrame(Array("hello".utf8))
            #expect(try client.expectFrame() == Array("hello".utf8))
            // An empty frame is a frame too.
            try client.sendFrame([])
            #expect(try client.expectFrame() == [])
            let big = (0..<70_000).map { UInt8(truncatingIfNeeded: $0) }
            try client.sendFrame(big)
            #expect(try client.expectFrame() == big)
        }
        let log = handler.log.current
        #expect(log.received.map(\.ticket.sequence) == [0, 1, 2])
        #expect(log.opened.count == 1)
        #expect(log.opened.first?.1.hasPrefix("127.0.0.1:") == true)
        #expect(log.received.allSatisfy { $0.ticket.connection == log.opened.first?.0 })
        #expect(log.closed.count == 1)
    }

    @Test func thousandPipelinedFramesAnsweredInOrder() throws {
        try withServer { _, port in
            let client = try RawKafkaClient(port: port)
            try client.send((0..<1000).flatMap { framed(indexed($0, filler: $0 % 17)) })
            for expected in 0..<1000 {
                let response = try client.expectFrame()
                #expect(index(of: response) == expected)
                #expect(response.count == 4 + expected % 17)
            }
        }
    }

    @Test func laterAnswersFromOtherThreadsKeepRequestOrder() throws {
        let count = 400
        let parked = Locked<[RequestTicket]>([])
        let handler = TestHandler { frame, ticket in
            if ticket.sequence % 2 == 1 { return .respond(frame) }
            parked.withLock { $0.append(ticket) }
            return .later
        }
        try withServer(handler: handler) { server, port in
            let client = try RawKafkaClient(port: port)
            try client.send((0..<count).flatMap { framed(indexed($0)) })
            #expect(eventually { parked.current.count == count / 2 })
            var tickets = parked.current
            tickets.shuffle()
            // Answer from several threads at once, in random order.
            let batches = 4
            let group = DispatchGroup()
            for batch in 0..<batches {
                let mine = tickets.enumerated().filter { $0.offset % batches == batch }.map(\.element)
                DispatchQueue.global().async(group: group) {
                    for ticket in mine {
                        server.complete(ticket, with: indexed(Int(ticket.sequence), filler: 1))
                        if ticket.sequence % 20 == 0 { usleep(200) }
                    }
                }
            }
            for expected in 0..<count {
                let response = try client.expectFrame()
                #expect(index(of: response) == expected)
                // Even requests were answered later (with one filler byte), odd ones at once.
                #expect(response.count == (expected % 2 == 0 ? 5 : 4))
            }
            group.wait()
        }
    }

    @Test func laterRequestHoldsBackLaterResponses() throws {
        let parked = Locked<RequestTicket?>(nil)
        let handler = TestHandler { frame, ticket in
            if ticket.sequence == 0 {
                parked.withLock { $0 = ticket }
                return .later
            }
            return .respond(frame)
        }
        try withServer(handler: handler) { server, port in
            let client = try RawKafkaClient(port: port, timeoutSeconds: 1)
            try client.send(framed([0]) + framed([1]) + framed([2]))
            #expect(eventually { handler.receivedCount == 3 })
            // Nothing may arrive before request 0 is answered: expect a receive timeout.
            #expect(throws: RawKafkaError.self) { _ = try client.readFrame() }
            let ticket = try #require(parked.current)
            server.complete(ticket, with: [9])
            #expect(try client.expectFrame() == [9])
            #expect(try client.expectFrame() == [1])
            #expect(try client.expectFrame() == [2])
        }
    }

    @Test func noResponseSlotsDoNotBlockLaterResponses() throws {
        // Payload [0] = acks=0 produce (no response), [1] = parked, anything else = echo.
        let parked = Locked<[RequestTicket]>([])
        let handler = TestHandler { frame, ticket in
            switch frame.first {
            case 0: return .noResponse
            case 1:
                parked.withLock { $0.append(ticket) }
                return .later
            default: return .respond(frame)
            }
        }
        try withServer(handler: handler) { server, port in
            let client = try RawKafkaClient(port: port)
            // Unblocked: no-response slots are released at once.
            try client.send(framed([0]) + framed([0]) + framed([5]) + framed([0]) + framed([6]))
            #expect(try client.expectFrame() == [5])
            #expect(try client.expectFrame() == [6])
            // Behind a parked request: the no-response slots are released in order.
            try client.send(framed([1]) + framed([0]) + framed([7]) + framed([0]) + framed([1]) + framed([8]))
            #expect(eventually { parked.current.count == 2 })
            let tickets = parked.current
            server.complete(tickets[0], with: [100])
            #expect(try client.expectFrame() == [100])
            #expect(try client.expectFrame() == [7])
            // A parked request completed with nil answers nothing and releases its slot.
            server.complete(tickets[1], with: nil)
            #expect(try client.expectFrame() == [8])
            try client.sendFrame([9])
            #expect(try client.expectFrame() == [9])
        }
    }

    @Test func completeInsideReceivedIsAppliedAfterItReturns() throws {
        let serverBox = Locked<KafkaTCPServer?>(nil)
        let handler = TestHandler { frame, ticket in
            serverBox.current?.complete(ticket, with: frame + frame)
            return .later
        }
        try withServer(handler: handler) { server, port in
            serverBox.withLock { $0 = server }
            let client = try RawKafkaClient(port: port)
            try client.send(framed([1]) + framed([2, 3]))
            #expect(try client.expectFrame() == [1, 1])
            #expect(try client.expectFrame() == [2, 3, 2, 3])
        }
    }

    @Test func duplicateAndUnknownCompletionsAreIgnored() throws {
        let parked = Locked<[RequestTicket]>([])
        let handler = TestHandler { frame, ticket in
            if frame == [1] {
                parked.withLock { $0.append(ticket) }
                return .later
            }
            return .respond(frame)
        }
        try withServer(handler: handler) { server, port in
            let client = try RawKafkaClient(port: port)
            try client.send(framed([1]) + framed([2]))
            #expect(eventually { parked.current.count == 1 && handler.receivedCount == 2 })
            let ticket = parked.current[0]
            // Not parked (answered at once), not yet issued, other connection: all ignored.
            server.complete(RequestTicket(connection: ticket.connection, sequence: 1), with: [66])
            server.complete(RequestTicket(connection: ticket.connection, sequence: 99), with: [66])
            server.complete(RequestTicket(connection: ConnectionID(9999), sequence: 0), with: [66])
            server.complete(ticket, with: [10])
            server.complete(ticket, with: [11])
            #expect(try client.expectFrame() == [10])
            #expect(try client.expectFrame() == [2])
            try client.sendFrame([3])
            #expect(try client.expectFrame() == [3])
        }
    }

    @Test func closeFlushesEarlierResponsesAndStopsHandingFrames() throws {
        let parked = Locked<RequestTicket?>(nil)
        let handler = TestHandler { frame, ticket in
            switch frame.first {
            case 0: return .close
            case 1:
                parked.withLock { $0 = ticket }
                return .later
            default: return .respond(frame)
            }
        }
        try withServer(handler: handler) { server, port in
            let client = try RawKafkaClient(port: port)
            try client.send(framed([5]) + framed([1]) + framed([6]) + framed([0]) + framed([7]))
            #expect(try client.expectFrame() == [5])
            #expect(eventually { parked.current != nil })
            // The close waits for the parked request and the response behind it.
            server.complete(try #require(parked.current), with: [50])
            #expect(try client.expectFrame() == [50])
            #expect(try client.expectFrame() == [6])
            #expect(try client.readsEOF())
            // Frame [7] came after the close and was never handed over.
            #expect(handler.log.current.received.map(\.frame) == [[5], [1], [6], [0]])
            #expect(eventually { handler.closedCount == 1 })

            // A close as the very first request closes at once.
            let second = try RawKafkaClient(port: port)
            try second.sendFrame([0])
            #expect(try second.readsEOF())
        }
    }

    @Test(arguments: [Int32(1025), Int32.max, -1, Int32.min])
    func badSizeClosesTheConnection(size: Int32) throws {
        let handler = TestHandler()
        try withServer(maxFrameBytes: 1024, handler: handler) { _, port in
            let client = try RawKafkaClient(port: port)
            // A good frame first: its response is still delivered before the close.
            try client.send(framed([1, 2]) + sizePrefix(size) + [1, 2, 3])
            #expect(try client.expectFrame() == [1, 2])
            #expect(try client.readsEOF())
            #expect(handler.receivedCount == 1)
            #expect(eventually { handler.closedCount == 1 })
            // The largest allowed frame still works on a new connection.
            let other = try RawKafkaClient(port: port)
            let largest = [UInt8](repeating: 7, count: 1024)
            try other.sendFrame(largest)
            #expect(try other.expectFrame() == largest)
        }
    }

    @Test func framesDeliveredByteByByte() throws {
        let handler = TestHandler()
        try withServer(handler: handler) { _, port in
            let client = try RawKafkaClient(port: port)
            let first = (0..<300).map { UInt8(truncatingIfNeeded: $0 * 7) }
            let second: [UInt8] = [42]
            for byte in framed(first) + framed(second) {
                try client.send([byte])
                usleep(100)
            }
            #expect(try client.expectFrame() == first)
            #expect(try client.expectFrame() == second)
        }
        #expect(handler.receivedCount == 2)
    }

    @Test func framesSplitAcrossUnevenWrites() throws {
        try withServer { _, port in
            let client = try RawKafkaClient(port: port)
            let stream = (0..<200).flatMap { framed(indexed($0, filler: ($0 * 13) % 300)) }
            var offset = 0
            var step = 1
            while offset < stream.count {
                let end = min(stream.count, offset + step)
                try client.send(Array(stream[offset..<end]))
                offset = end
                step = step * 3 % 997 + 1
                if step % 5 == 0 { usleep(50) }
            }
            for expected in 0..<200 {
                let response = try client.expectFrame()
                #expect(index(of: response) == expected)
                #expect(response.count == 4 + (expected * 13) % 300)
            }
        }
    }

    @Test func eightConcurrentConnections() throws {
        let handler = TestHandler()
        try withServer(handler: handler) { _, port in
            let clients = 8
            let perClient = 500
            let failures = Locked<[String]>([])
            let group = DispatchGroup()
            for clientIndex in 0..<clients {
                DispatchQueue.global().async(group: group) {
                    do {
                        let client = try RawKafkaClient(port: port)
                        let requests = (0..<perClient).map { indexed(clientIndex * 1_000_000 + $0, filler: clientIndex) }
                        // Half pipelined in one write, half one at a time.
                        try client.send(requests[..<(perClient / 2)].flatMap(framed))
                        for (offset, request) in requests.enumerated() {
                            if offset >= perClient / 2 { try client.sendFrame(request) }
                            let response = try client.expectFrame()
                            if response != request {
                                failures.withLock { $0.append("client \(clientIndex) #\(offset): \(response)") }
                                return
                            }
                        }
                    } catch {
                        failures.withLock { $0.append("client \(clientIndex): \(error)") }
                    }
                }
            }
            group.wait()
            #expect(failures.current == [])
        }
        let log = handler.log.current
        #expect(log.received.count == 8 * 500)
        #expect(Set(log.opened.map(\.0)).count == 8)
        #expect(Set(log.closed).count == 8)
        // Each connection's tickets are numbered 0, 1, 2, ... in its own order.
        for id in Set(log.opened.map(\.0)) {
            let sequences = log.received.filter { $0.ticket.connection == id }.map(\.ticket.sequence)
            #expect(sequences == (0..<500).map { UInt64($0) })
        }
    }

    @Test func disconnectMidFrameIsQuiet() throws {
        let handler = TestHandler()
        try withServer(handler: handler) { _, port in
            let client = try RawKafkaClient(port: port)
            try client.send(sizePrefix(100) + [UInt8](repeating: 1, count: 10))
            #expect(eventually { handler.log.current.opened.count == 1 })
            client.disconnect()
            #expect(eventually { handler.closedCount == 1 })
            #expect(handler.receivedCount == 0)
            // Disconnect inside the size prefix too.
            let partial = try RawKafkaClient(port: port)
            try partial.send([0, 0])
            #expect(eventually { handler.log.current.opened.count == 2 })
            partial.disconnect()
            #expect(eventually { handler.closedCount == 2 })
            // The server goes on serving.
            let other = try RawKafkaClient(port: port)
            try other.sendFrame([3])
            #expect(try other.expectFrame() == [3])
        }
    }

    @Test func completeAfterDisconnectIsIgnored() throws {
        let parked = Locked<[RequestTicket]>([])
        let handler = TestHandler { frame, ticket in
            if frame == [1] {
                parked.withLock { $0.append(ticket) }
                return .later
            }
            return .respond(frame)
        }
        try withServer(handler: handler) { server, port in
            let client = try RawKafkaClient(port: port)
            try client.send(framed([1]) + framed([1]))
            #expect(eventually { parked.current.count == 2 })
            client.disconnect()
            #expect(eventually { handler.closedCount == 1 })
            for ticket in parked.current { server.complete(ticket, with: [1, 2, 3]) }
            // Also racing a close: complete while the peer is going away.
            let racer = try RawKafkaClient(port: port)
            try racer.sendFrame([1])
            #expect(eventually { parked.current.count == 3 })
            let ticket = parked.current[2]
            racer.disconnect()
            server.complete(ticket, with: [4])
            #expect(eventually { handler.closedCount == 2 })
            let other = try RawKafkaClient(port: port)
            try other.sendFrame([5])
            #expect(try other.expectFrame() == [5])
        }
    }

    @Test func scheduleFiresAfterTheDelay() throws {
        try withServer { server, _ in
            let fired = DispatchSemaphore(value: 0)
            let start = DispatchTime.now()
            server.schedule(after: 60) { fired.signal() }
            #expect(fired.wait(timeout: .now() + 5) == .success)
            let elapsedMs = Double(DispatchTime.now().uptimeNanoseconds - start.uptimeNanoseconds) / 1e6
            #expect(elapsedMs >= 55)
            server.schedule(after: 0) { fired.signal() }
            server.schedule(after: -5) { fired.signal() }
            #expect(fired.wait(timeout: .now() + 5) == .success)
            #expect(fired.wait(timeout: .now() + 5) == .success)
        }
    }

    @Test func longPollAnsweredByTimer() throws {
        // A parked Fetch answered at max_wait_ms by a timer, holding back the request after it.
        let serverBox = Locked<KafkaTCPServer?>(nil)
        let handler = TestHandler { frame, ticket in
            guard frame == [1], let server = serverBox.current else { return .respond(frame) }
            server.schedule(after: 50) { server.complete(ticket, with: [0xF]) }
            return .later
        }
        try withServer(handler: handler) { server, port in
            serverBox.withLock { $0 = server }
            let client = try RawKafkaClient(port: port)
            let start = Date()
            try client.send(framed([1]) + framed([2]))
            #expect(try client.expectFrame() == [0xF])
            #expect(Date().timeIntervalSince(start) >= 0.045)
            #expect(try client.expectFrame() == [2])
        }
    }

    @Test func manyParkedRequestsPauseAndResumeReading() throws {
        // Far more requests than the connection queues (4096) behind one parked head, and more
        // bytes than one read cycle takes (16 reads of at most 64 KiB).
        let count = 30000
        let parked = Locked<[RequestTicket]>([])
        let handler = TestHandler { frame, ticket in
            if ticket.sequence == 0 {
                parked.withLock { $0.append(ticket) }
                return .later
            }
            return .respond(frame)
        }
        try withServer(handler: handler) { server, port in
            let client = try RawKafkaClient(port: port)
            let sent = DispatchSemaphore(value: 0)
            let payload = (0..<count).flatMap { framed(indexed($0, filler: 60)) }
            let sender = Locked<RawKafkaClient?>(client)
            DispatchQueue.global().async {
                try? sender.current?.send(payload)
                sent.signal()
            }
            #expect(eventually { handler.receivedCount >= 4096 })
            usleep(50_000)
            let seen = handler.receivedCount
            #expect(seen < count)
            server.complete(try #require(parked.current.first), with: indexed(0, filler: 60))
            for expected in 0..<count {
                #expect(index(of: try client.expectFrame()) == expected)
            }
            #expect(sent.wait(timeout: .now() + 10) == .success)
        }
    }

    @Test func lifecycle() throws {
        let handler = TestHandler()
        let server = KafkaTCPServer(configuration: KafkaTCPConfiguration(port: 0), handler: handler)
        let port = try server.start()
        #expect(port > 0)
        #expect(throws: KafkaTCPServerError.alreadyStarted) { _ = try server.start() }
        let client = try RawKafkaClient(port: port)
        try client.sendFrame([1])
        #expect(try client.expectFrame() == [1])

        let waited = DispatchSemaphore(value: 0)
        DispatchQueue.global().async {
            try? server.waitUntilClosed()
            waited.signal()
        }
        try server.stop()
        #expect(waited.wait(timeout: .now() + 5) == .success)
        // Stopping closed the open connection and told the handler.
        #expect(try client.readsEOF())
        #expect(handler.closedCount == 1)
        try server.stop()  // idempotent
        server.schedule(after: 0) {}  // ignored when not running
        #expect(throws: (any Error).self) { _ = try RawKafkaClient(port: port) }
    }

    @Test func defaultConfiguration() {
        let configuration = KafkaTCPConfiguration()
        #expect(configuration.host == "127.0.0.1")
        #expect(configuration.port == 9092)
        #expect(configuration.maxFrameBytes == 100 * 1024 * 1024)
    }
}
