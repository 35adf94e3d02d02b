import Foundation
import KafkaServe
import WorkbenchKit

/// Options of `kafka serve` / `workbench serve kafka`.
public struct KafkaServeOptions: Sendable {
    public var host: String
    /// The host clients are told to connect to (Metadata, FindCoordinator); default: `host`.
    public var advertisedHost: String?
    public var port: Int
    public var partitions: Int
    public var autoCreateTopics: Bool
    public init(host: String = "127.0.0.1", advertisedHost: String? = nil, port: Int = 9092, partitions: Int = 1, autoCreateTopics: Bool = true) {
        self.host = host
        self.advertisedHost = advertisedHost
        self.port = port
        self.partitions = partitions
        self.autoCreateTopics = autoCreateTopics
    }
}

/// A running server: where it listens, its wire host (trace), and how to stop it.
public struct KafkaServeHandle: Sendable {
    public var ports: [Int: Int]
    public var host: String
    public var wire: KafkaWireHost
    public var stop: @Sendable () -> Void
    public init(ports: [Int: Int], host: String, wire: KafkaWireHost, stop: @escaping @Sendable () -> Void) {
        self.ports = ports
        self.host = host
        self.wire = wire
        self.stop = stop
    }
}

/// Serving needs sockets, which live in the executable (WorkbenchCLI installs `starter`); the
/// REPL's `kafka serve` commands reach it here. One server per session.
public final class KafkaServing: @unchecked Sendable {
    public static let shared = KafkaServing()
    private let lock = NSLock()
    private var starterFunction: (@Sendable (Session, KafkaServeOptions) throws -> KafkaServeHandle)?
    private var running: [ObjectIdentifier: KafkaServeHandle] = [:]

    public var starter: (@Sendable (Session, KafkaServeOptions) throws -> KafkaServeHandle)? {
        get { lock.lock(); defer { lock.unlock() }; return starterFunction }
        set { lock.lock(); defer { lock.unlock() }; starterFunction = newValue }
    }

    func handle(for session: Session) -> KafkaServeHandle? {
        lock.lock(); defer { lock.unlock() }
        return running[ObjectIdentifier(session)]
    }

    func set(_ handle: KafkaServeHandle?, for session: Session) {
        lock.lock(); defer { lock.unlock() }
        running[ObjectIdentifier(session)] = handle
    }
}

enum KafkaServeCommands {
    static var all: [CommandSpec] { [serve, status, trace, stop] }

    static func running(_ session: Session, _ what: String) throws -> KafkaServeHandle {
        guard let handle = KafkaServing.shared.handle(for: session) else {
            throw WorkbenchError.failed(what: what, why: "the cluster is not being served", fix: "`kafka serve` starts it")
        }
        return handle
    }

    static let serve = CommandSpec(
        ["kafka", "serve"], abstract: "Serve this cluster over the Kafka wire protocol while you keep the prompt (broker N on port + N − 1).",
        discussion: "Real clients (confluent-kafka, kafka-python) connect to the bootstrap address; what they produce, fetch, join and commit is this session's cluster and groups, so `kafka log`, `kafka group describe` and the rest show it live. Serving runs on the wall clock: simulated time moves with real time while it runs. `kafka serve trace` shows the clients' requests; `kafka serve stop` ends it. Not undoable (clients saw what they saw).",
        flags: [.option("--port", .integer(0...65533), "Port of broker 1 (default 9092; 0 picks free ports)."),
                .option("--host", .text, "Address to listen on and advertise (default 127.0.0.1)."),
                .option("--partitions", .integer(1...1000), "Partitions of auto-created topics (default 1)."),
                .toggle("--no-auto-create", "Do not create topics on first use.")],
        effect: .session, examples: ["kafka serve", "kafka serve --port 0"]
    ) { inv, session in
        let what = inv.spec.name
        if KafkaServing.shared.handle(for: session) != nil {
            throw WorkbenchError.failed(what: what, why: "the cluster is already being served", fix: "`kafka serve status`, or `kafka serve stop` first")
        }
        guard let starter = KafkaServing.shared.starter else {
            throw WorkbenchError.failed(what: what, why: "serving needs the workbench executable's network layer, which this host does not have",
                                        fix: "run `workbench` (or `workbench serve kafka`)")
        }
        let options = KafkaServeOptions(host: inv.text("host") ?? "127.0.0.1", port: inv.int("port") ?? 9092,
                                        partitions: inv.int("partitions") ?? 1, autoCreateTopics: !inv.has("--no-auto-create"))
        let handle: KafkaServeHandle
        do { handle = try starter(session, options) } catch let error as WorkbenchError { throw error } catch {
            throw WorkbenchError.failed(what: what, why: "cannot listen on \(options.host):\(options.port): \(error)", fix: "choose another --port (0 picks free ones)")
        }
        KafkaServing.shared.set(handle, for: session)
        return Output(statusValue(handle)) { _ in statusText(handle) }
    }

    static func bootstrap(_ h: KafkaServeHandle) -> String {
        "\(h.host):\(h.ports[h.ports.keys.min() ?? 1] ?? 0)"
    }

    static func statusValue(_ h: KafkaServeHandle) -> Value {
        .object([("bootstrap", .string(bootstrap(h))),
                 ("brokers", .array(h.ports.keys.sorted().map { id in .object([("id", Value(id)), ("port", Value(h.ports[id] ?? 0))]) }))])
    }

    static func statusText(_ h: KafkaServeHandle) -> String {
        "serving: " + h.ports.keys.sorted().map { "broker \($0) at \(h.host):\(h.ports[$0] ?? 0)" }.joined(separator: ", ")
            + "\nbootstrap.servers=\(bootstrap(h))"
    }

    static let status = CommandSpec(
        ["kafka", "serve", "status"], abstract: "Where the served cluster listens.",
        effect: .readOnly, examples: ["kafka serve status"]
    ) { inv, session in
        let h = try running(session, inv.spec.name)
        return Output(statusValue(h)) { _ in statusText(h) }
    }

    static let trace = CommandSpec(
        ["kafka", "serve", "trace"], abstract: "The protocol trace: each request a client sent (API, version, client id) and what the broker did.",
        flags: [.option("--last", .integer(1...10_000), "Only the last N (default 30).")],
        effect: .readOnly, examples: ["kafka serve trace --last 20"]
    ) { inv, session in
        let h = try running(session, inv.spec.name)
        let entries = h.wire.traceEntries(last: inv.int("last") ?? 30)
        let value = Value.array(entries.map { e in
            .object([("timeMs", .int(e.timeMs)), ("connection", Value(e.connection & 0xffff_ffff)), ("broker", Value(e.broker)),
                     ("client", .string(e.clientID)), ("api", .string(e.api)), ("version", Value(Int(e.version))), ("summary", .string(e.summary))])
        })
        return Output(value) { _ in
            entries.isEmpty ? "no requests yet: point a client at \(bootstrap(h))" : entries.map(KafkaWireHost.line).joined(separator: "\n")
        }
    }

    static let stop = CommandSpec(
        ["kafka", "serve", "stop"], abstract: "Stop serving; connected clients are disconnected.",
        effect: .session, examples: ["kafka serve stop"]
    ) { inv, session in
        let h = try running(session, inv.spec.name)
        h.stop()
        KafkaServing.shared.set(nil, for: session)
        return .text("stopped serving \(bootstrap(h))")
    }
}
