/// Client calls: connect, requests through the ensemble, local reads, close, and client pauses.
extension Service {
    /// ZooKeeper negotiates a session timeout into [2, 20] × tickTime (zookeeper.md §2).
    public func negotiatedTimeout(_ requestedMs: Int64) -> Int64 {
        min(max(requestedMs, 2 * config.tickTimeMs), 20 * config.tickTimeMs)
    }

    /// Opens a session for a new client `name` on server `server` (or a serving one chosen with the
    /// seeded random source); returns the createSession request. A name whose client is closed or
    /// expired is reused.
    @discardableResult
    public mutating func connect(_ name: String, server: Int? = nil, timeoutMs: Int64, nowMs: Int64) throws(ServiceError) -> RequestID {
        var copy = self
        let id = try copy.connectInPlace(name, server: server, timeoutMs: timeoutMs, nowMs: nowMs)
        self = copy
        return id
    }

    private mutating func connectInPlace(_ name: String, server: Int?, timeoutMs: Int64, nowMs: Int64) throws(ServiceError) -> RequestID {
        if let existing = clientIndex(name) {
            guard clients[existing].phase == .closed || clients[existing].phase == .expired else { throw .clientExists(name) }
            clients.remove(at: existing)
        }
        let sid: Int
        if let server {
            guard server >= 1, server <= ensemble.size else { throw .unknownServer(server, size: ensemble.size) }
            guard isServing(server) else { throw .notServing(server) }
            sid = server
        } else {
            let serving = (1...ensemble.size).filter(isServing)
            guard !serving.isEmpty else { throw .noServerServing }
            sid = serving[Int(random.next(below: UInt64(serving.count)))]
        }
        let session = takeSessionID(at: sid)
        let timeout = negotiatedTimeout(timeoutMs)
        var client = Client(name: name, phase: .connecting, server: sid, session: nil, timeoutMs: timeout, frozen: false,
                            lastZxidSeen: .zero, pending: [], events: [])
        let txn = ZKTxn.createSession(session: session, timeoutMs: timeout)
        let id: RequestID
        do { id = try ensemble.submit(txn, via: sid, nowMs: nowMs) } catch { throw .notServing(sid) }
        client.pending.append(PendingRequest(id: id, kind: .txn(txn)))
        clients.append(client)
        clients.sort { $0.name < $1.name }
        return id
    }

    /// The next session id of server `sid`: sid in the top byte, then the server's start time
    /// shifted left 16 bits, then a counter (SessionTrackerImpl). The start time is a seeded
    /// "milliseconds since the JVM started", so ids look like real ones (0x10000aba59c0002).
    mutating func takeSessionID(at sid: Int) -> Int64 {
        let base: Int64
        if let next = nextSessionIDs[sid - 1] { base = next } else {
            let elapsed = Int64(100_000 + random.next(below: 9_900_000))
            base = (Int64(sid) << 56) | Int64(bitPattern: UInt64(bitPattern: elapsed << 24) >> 8)
        }
        nextSessionIDs[sid - 1] = base + 1
        return base
    }

    /// Sends a write (create, delete, setData, multi) for client `name`'s session.
    @discardableResult
    public mutating func submit(_ op: ZKTxn, client name: String, nowMs: Int64) throws(ServiceError) -> RequestID {
        try send(.txn(op), client: name) { ensemble, sid in try ensemble.submit(op, via: sid, nowMs: nowMs) }
    }

    /// zkCli `sync path`: the client's server catches up with the leader.
    @discardableResult
    public mutating func sync(_ path: String, client name: String, nowMs: Int64) throws(ServiceError) -> RequestID {
        try send(.sync(path: path), client: name) { ensemble, sid in try ensemble.sync(via: sid, nowMs: nowMs) }
    }

    /// Hands a request of a usable client to its server and remembers it as pending.
    private mutating func send(_ kind: PendingRequest.Kind, client name: String,
                               _ body: (inout Ensemble<DataTree>, Int) throws -> RequestID) throws(ServiceError) -> RequestID {
        let c = try usableClient(name)
        guard let sid = clients[c].server else { throw .connectionLoss(name) }
        let id: RequestID
        do { id = try body(&ensemble, sid) } catch { throw .notServing(sid) }
        clients[c].pending.append(PendingRequest(id: id, kind: kind))
        return id
    }

    /// Closes client `name`'s session (a closeSession transaction); nil if it had none to close.
    @discardableResult
    public mutating func close(_ name: String, nowMs: Int64) throws(ServiceError) -> RequestID? {
        guard let c = clientIndex(name) else { throw .unknownClient(name, known: clients.map(\.name)) }
        switch clients[c].phase {
        case .closed, .expired:
            throw .sessionGone(name, clients[c].phase)
        case .connecting, .disconnected:
            clients[c].phase = .closed
            clients[c].server = nil
            clients[c].pending = []
            return nil
        case .connected:
            guard let session = clients[c].session else { return nil }
            return try submit(.closeSession(session: session), client: name, nowMs: nowMs)
        }
    }

    /// A read answered by the client's own server from its copy of the tree (so it may be stale);
    /// `body` gets the tree and the session id (to leave watches).
    public mutating func read<R>(client name: String, _ body: (inout DataTree, Int64) throws(ZKError) -> R) throws(ServiceError) -> R {
        let c = try usableClient(name)
        guard let sid = clients[c].server, let session = clients[c].session else { throw .connectionLoss(name) }
        var outcome: Result<R, ZKError>?
        ensemble.withState(of: sid) { tree in
            do throws(ZKError) { outcome = .success(try body(&tree, session)) } catch { outcome = .failure(error) }
        }
        guard let outcome else { throw .connectionLoss(name) }
        if let seen = ensemble.state(of: sid)?.lastProcessedZxid { clients[c].lastZxidSeen = max(clients[c].lastZxidSeen, seen) }
        switch outcome {
        case let .success(value): return value
        case let .failure(error): throw .keeper(error)
        }
    }

    /// A client's long GC pause (it stops heartbeating) and its end.
    public mutating func freezeClient(_ name: String, nowMs: Int64) throws(ServiceError) {
        guard let c = clientIndex(name) else { throw .unknownClient(name, known: clients.map(\.name)) }
        guard clients[c].phase != .closed, clients[c].phase != .expired else { throw .sessionGone(name, clients[c].phase) }
        guard !clients[c].frozen else { throw .clientFrozen(name) }
        clients[c].frozen = true
        settle(nowMs: nowMs)
    }

    public mutating func thawClient(_ name: String, nowMs: Int64) throws(ServiceError) {
        guard let c = clientIndex(name) else { throw .unknownClient(name, known: clients.map(\.name)) }
        guard clients[c].frozen else { throw .clientNotFrozen(name) }
        clients[c].frozen = false
        settle(nowMs: nowMs)
    }

    public func client(_ name: String) throws(ServiceError) -> Client {
        guard let c = clientIndex(name) else { throw .unknownClient(name, known: clients.map(\.name)) }
        return clients[c]
    }

    func usableClient(_ name: String) throws(ServiceError) -> Int {
        guard let c = clientIndex(name) else { throw .unknownClient(name, known: clients.map(\.name)) }
        switch clients[c].phase {
        case .closed, .expired: throw .sessionGone(name, clients[c].phase)
        case .connecting: throw .stillConnecting(name)
        case .disconnected: throw .connectionLoss(name)
        case .connected: break
        }
        guard !clients[c].frozen else { throw .clientFrozen(name) }
        return c
    }

    /// Moves a client without a server to a serving one that has seen at least what it has seen;
    /// its session, if the server knows it, survives, and its watches are set again there.
    mutating func reconnect(_ c: Int, nowMs: Int64) -> String? {
        let seen = clients[c].lastZxidSeen
        let candidates = (1...ensemble.size).filter { sid in
            isServing(sid) && (ensemble.state(of: sid)?.lastProcessedZxid ?? .zero) >= seen
        }
        guard !candidates.isEmpty else { return nil }
        let sid = candidates[Int(random.next(below: UInt64(candidates.count)))]
        let name = clients[c].name
        guard let session = clients[c].session else {
            // Its createSession was lost with the old server: ask the new one.
            let fresh = takeSessionID(at: sid)
            guard let id = try? ensemble.submit(.createSession(session: fresh, timeoutMs: clients[c].timeoutMs), via: sid, nowMs: nowMs) else { return nil }
            clients[c].server = sid
            clients[c].pending = [PendingRequest(id: id, kind: .txn(.createSession(session: fresh, timeoutMs: clients[c].timeoutMs)))]
            return "client \(name): connecting to s\(sid)"
        }
        let known = ensemble.state(of: sid)?.sessions.contains { $0.id == session } ?? false
        guard known else {
            clients[c].phase = .expired
            return "client \(name): s\(sid) says session \(Self.hex(session)) has expired (SessionExpired); start a new one"
        }
        var moved: [WatchDescription] = []
        for other in 1...ensemble.size where other != sid {
            ensemble.withState(of: other) { tree in
                moved += tree.watches(of: session)
                tree.removeWatches(of: session)
            }
        }
        ensemble.withState(of: sid) { tree in
            for w in moved { tree.reRegister(w, watcher: session) }
        }
        clients[c].server = sid
        clients[c].phase = .connected
        return "client \(name): reconnected to s\(sid) with session \(Self.hex(session))"
    }
}

/// Why a client call was refused; nothing changed.
public enum ServiceError: Error, Equatable, Sendable {
    case unknownClient(String, known: [String])
    case clientExists(String)
    case unknownServer(Int, size: Int)
    case notServing(Int)
    case noServerServing
    case connectionLoss(String)
    case stillConnecting(String)
    case sessionGone(String, Client.Phase)
    case clientFrozen(String)
    case clientNotFrozen(String)
    case keeper(ZKError)
    case ensemble(EnsembleError)
}
