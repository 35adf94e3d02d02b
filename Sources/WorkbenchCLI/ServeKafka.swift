import ArgumentParser
import Foundation
import KafkaServe
import KafkaTCP
import Topics
import WorkbenchKit

/// `workbench serve kafka`: the session's in-memory Kafka over the Kafka wire protocol, one TCP
/// port per broker (broker 1 on --port, broker 2 on --port + 1, …), so unchanged client code
/// (confluent-kafka, kafka-python) produces to and fetches from the simulator's cluster.
struct ServeKafka: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "kafka", abstract: "Serve the in-memory Kafka over the Kafka wire protocol (broker 1 on --port, 2 on --port+1, …).",
        discussion: """
        Real clients connect to 127.0.0.1:PORT as their bootstrap server. Topics are created on first use \
        like a default broker (auto.create.topics.enable, num.partitions 1) unless --no-auto-create. \
        Served: ApiVersions (with KIP-511's fallback), Metadata, Produce (uncompressed or gzip batches), Fetch (held up to max_wait_ms), \
        ListOffsets, InitProducerId, and consumer groups (FindCoordinator, JoinGroup, SyncGroup, Heartbeat, \
        LeaveGroup, OffsetCommit, OffsetFetch) through the simulator's own group coordinator. Serve mode runs \
        on the wall clock: the simulated time moves with real time from the moment serving starts, so \
        session timeouts are real milliseconds. Stop with Ctrl-C.
        """)

    @OptionGroup var common: CommonOptions
    @Option(name: .long, help: "Port of broker 1; broker N listens on port + N − 1 (0 picks free ports).") var port: Int = 9092
    @Option(name: .long, help: "Address to listen on; loopback unless you ask otherwise.") var host: String = "127.0.0.1"
    @Option(name: .long, help: "Address clients are told to connect to (default: --host; give one when listening on 0.0.0.0).") var advertisedHost: String?
    @Option(name: .long, help: "Brokers in the cluster (default 3, as in the simulator).") var brokers: Int?
    @Option(name: .long, help: "Partitions of auto-created topics (num.partitions).") var partitions: Int = 1
    @Flag(name: .long, help: "Do not create topics on first use.") var noAutoCreate = false
    @Flag(name: .long, help: "Print each request as the protocol trace shows it.") var verbose = false
    @Option(name: .long, help: "A scenario file to run first (topics, configs).") var script: String?

    func validate() throws {
        guard (0...65533).contains(port) else { throw ValidationError("--port must be 0 to 65533") }
        guard (1...1000).contains(partitions) else { throw ValidationError("--partitions must be 1 to 1000") }
        if let brokers, !(1...9).contains(brokers) { throw ValidationError("--brokers must be 1 to 9") }
        if host == "0.0.0.0" || host == "::", advertisedHost == nil {
            throw ValidationError("listening on \(host) needs --advertised-host: the address clients can reach")
        }
    }

    func run() throws {
        let session = Workbench.session(seed: common.seed, host: LocalHost(), colors: false)
        if let brokers {
            do { try KafkaWireHost.setBrokerCount(brokers, session: session) } catch { throw ValidationError("\(error)") }
        }
        if let script {
            let host = LocalHost()
            let text: String
            do { text = try host.readFile(script) } catch { throw ValidationError(error.message) }
            let result = ScriptRunner.run(text, file: script, in: session, echo: false) { chunk, failure in if failure { say(chunk) } }
            if !result.succeeded { throw ExitCode(1) }
        }
        let handle: KafkaServeHandle
        do {
            handle = try KafkaServeRunner.start(session: session, options: KafkaServeOptions(host: host, advertisedHost: advertisedHost, port: port,
                                                                                             partitions: partitions, autoCreateTopics: !noAutoCreate),
                                                verbose: verbose)
        } catch {
            FileHandle.standardError.write(Data("workbench serve kafka: cannot listen on \(host):\(port): \(error)\n".utf8))
            throw ExitCode(1)
        }
        let ids = handle.ports.keys.sorted()
        let shown = advertisedHost ?? host
        say("serving Kafka on " + ids.map { "broker \($0) at \(shown):\(handle.ports[$0] ?? 0)" }.joined(separator: ", "))
        say("bootstrap.servers=\(shown):\(handle.ports[ids.first ?? 1] ?? port)")
        KafkaServeRunner.waitForever()
    }
}

/// Starts one KafkaTCPServer per broker of the session's cluster around a KafkaWireHost; used by
/// `workbench serve kafka` and, through `KafkaServing.starter`, by the REPL's `kafka serve`.
enum KafkaServeRunner {
    static func start(session: Session, options: KafkaServeOptions, verbose: Bool) throws -> KafkaServeHandle {
        let ids = KafkaWireHost.brokerIDs(of: session)
        let servers = KafkaServers()
        servers.verbose = verbose
        var ports: [Int: Int] = [:]
        var started: [KafkaTCPServer] = []
        // Bind every broker first (port 0 = any free port) so Metadata can advertise the real ports.
        for (index, id) in ids.enumerated() {
            let handler = BrokerHandler(brokerID: id, serverIndex: index, servers: servers, verbose: verbose)
            let server = KafkaTCPServer(configuration: KafkaTCPConfiguration(host: options.host, port: options.port == 0 ? 0 : options.port + index),
                                        handler: handler)
            do { ports[id] = try server.start() } catch {
                for s in started { try? s.stop() }
                throw error
            }
            started.append(server)
        }
        let wire = KafkaWireHost(session: session, advertisedHost: options.advertisedHost ?? options.host, ports: ports, autoCreateTopics: options.autoCreateTopics,
                                 defaultPartitions: options.partitions, wallMs: KafkaServers.nowMs())
        servers.set(wire: wire, servers: started)
        let list = started
        return KafkaServeHandle(ports: ports, host: options.advertisedHost ?? options.host, wire: wire, stop: { for s in list { try? s.stop() } })
    }

    /// `workbench serve kafka` runs until killed.
    static func waitForever() -> Never {
        while true { sleep(3600) }
    }
}


/// The servers of all brokers and the shared wire host; completes waiting requests on the server
/// that owns their connection.
final class KafkaServers: @unchecked Sendable {
    private let lock = NSLock()
    var verbose = false
    private var wire: KafkaWireHost?
    private var servers: [KafkaTCPServer] = []

    func set(wire: KafkaWireHost, servers: [KafkaTCPServer]) {
        lock.lock(); defer { lock.unlock() }
        self.wire = wire
        self.servers = servers
    }

    var host: KafkaWireHost? { lock.lock(); defer { lock.unlock() }; return wire }

    static func nowMs() -> Int64 { Int64(Date().timeIntervalSince1970 * 1000) }

    /// Answers every waiting request that can be answered now, and arms a timer for the next deadline.
    func tick() {
        guard let wire = host else { return }
        let list: [KafkaTCPServer] = { lock.lock(); defer { lock.unlock() }; return servers }()
        let answered = wire.tick(wallMs: Self.nowMs())
        if verbose, !answered.isEmpty { for line in wire.newTraceLines() { say(line) } }
        for (ticket, bytes) in answered {
            let index = ticket.connection >> 32
            guard list.indices.contains(index) else { continue }
            list[index].complete(RequestTicket(connection: ConnectionID(UInt64(ticket.connection & 0xffff_ffff)), sequence: ticket.sequence), with: bytes)
        }
        armTimer(wire: wire, servers: list)
    }

    /// When the earliest armed timer fires (wall ms); nil when none is armed. Every frame calls
    /// `tick`, so without this each would add a timer for the same deadline.
    private var armedAtMs: Int64?

    /// Arms one timer for the next deadline, unless one that fires no later is already armed.
    private func armTimer(wire: KafkaWireHost, servers list: [KafkaTCPServer]) {
        let now = Self.nowMs()
        guard let delay = wire.nextDelayMs(wallMs: now), let first = list.first else { return }
        let due = now + max(1, delay)
        let arm: Bool = {
            lock.lock(); defer { lock.unlock() }
            if let armed = armedAtMs, armed <= due, armed >= now { return false }
            armedAtMs = due
            return true
        }()
        guard arm else { return }
        first.schedule(after: due - now) { [weak self] in
            guard let self else { return }
            self.lock.lock()
            if self.armedAtMs == due { self.armedAtMs = nil }
            self.lock.unlock()
            self.tick()
        }
    }
}

/// One broker's frame handler: its id, and its index (to tell connections of different brokers apart).
final class BrokerHandler: KafkaFrameHandler, @unchecked Sendable {
    let brokerID: Int
    let serverIndex: Int
    let servers: KafkaServers
    let verbose: Bool

    init(brokerID: Int, serverIndex: Int, servers: KafkaServers, verbose: Bool) {
        self.brokerID = brokerID
        self.serverIndex = serverIndex
        self.servers = servers
        self.verbose = verbose
    }

    func wireConnection(_ id: ConnectionID) -> Int { serverIndex << 32 | Int(id.value & 0xffff_ffff) }

    func received(_ frame: [UInt8], ticket: RequestTicket) -> FrameDisposition {
        guard let wire = servers.host else { return .close }
        let wt = WireTicket(connection: wireConnection(ticket.connection), sequence: ticket.sequence)
        let outcome = wire.received(frame, ticket: wt, brokerID: brokerID, wallMs: KafkaServers.nowMs())
        // Data may have arrived for a waiting Fetch; a new waiting Fetch needs its timer.
        servers.tick()
        if verbose { for line in wire.newTraceLines() { say(line) } }
        switch outcome {
        case let .respond(bytes): return .respond(bytes)
        case .noResponse: return .noResponse
        case .later: return .later
        case .close: return .close
        }
    }

    func connectionOpened(_ id: ConnectionID, remote: String) {}

    func connectionClosed(_ id: ConnectionID) {
        servers.host?.connectionClosed(wireConnection(id), wallMs: KafkaServers.nowMs())
    }
}
