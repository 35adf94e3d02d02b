/// One registered method.
public struct RPCMethod<Context>: Sendable {
    /// The most positional arguments accepted (more ⇒ "too many arguments, want at most N"); nil = no limit.
    public var maxArguments: Int?
    /// Parameter names, in position order, when the method accepts by-name (object) params.
    /// Without names an object gets geth's -32602 "non-array args".
    public var names: [String]?
    public var run: @Sendable (inout Context, RPCParams) throws(RPCError) -> JSONValue

    public init(maxArguments: Int? = nil, names: [String]? = nil,
                run: @escaping @Sendable (inout Context, RPCParams) throws(RPCError) -> JSONValue) {
        self.maxArguments = maxArguments ?? names?.count
        self.names = names
        self.run = run
    }
}

/// A JSON-RPC 2.0 server core that answers as geth does: bytes in, bytes out (nil = send nothing).
///
/// `Context` is the state methods read and change (passed `inout`, so a value-type simulation
/// state works; use `Void` when there is none). Batches run in order, one request at a time,
/// and the replies keep request order.
public struct RPCServer<Context>: Sendable {
    /// More requests than this in one batch ⇒ one -32600 "batch too large" (geth's default 1000).
    public var batchLimit = 1000
    /// The JSON nesting limit for request bodies.
    public var maxDepth = JSONCodec.defaultMaxDepth
    /// The method table.
    public var methods: [String: RPCMethod<Context>] = [:]

    public init() {}

    /// Registers (or replaces) a method. `names` enables by-name params and, with no
    /// `maxArguments`, also sets the argument limit to `names.count`.
    public mutating func register(
        _ name: String, maxArguments: Int? = nil, names: [String]? = nil,
        _ run: @escaping @Sendable (inout Context, RPCParams) throws(RPCError) -> JSONValue
    ) {
        methods[name] = RPCMethod(maxArguments: maxArguments, names: names, run: run)
    }

    /// Answers one HTTP body: a request, a batch, or garbage. Returns nil when nothing must be
    /// sent (a notification, or a batch of notifications only).
    public func handle(_ body: [UInt8], context: inout Context) -> [UInt8]? {
        let request: JSONValue
        do {
            request = try JSONCodec.parse(body, maxDepth: maxDepth)
        } catch {
            return JSONCodec.serialize(Self.response(id: .null, .failure(.parseError)))
        }
        return handle(request, context: &context).map(JSONCodec.serialize)
    }

    /// Answers an already parsed body (a request object or a batch array).
    public func handle(_ body: JSONValue, context: inout Context) -> JSONValue? {
        guard case .array(let batch) = body else { return handleOne(body, context: &context) }
        if batch.isEmpty { return Self.response(id: .null, .failure(.emptyBatch)) }
        if batch.count > batchLimit {
            // geth answers with a one-element array carrying the first call's id.
            let firstCall = batch.lazy.compactMap { Self.validate($0).flatMap { $0.id } }.first
            return .array([Self.response(id: firstCall ?? .null, .failure(.batchTooLarge))])
        }
        var replies: [JSONValue] = []
        for entry in batch {
            if let reply = handleOne(entry, context: &context) { replies.append(reply) }
        }
        return replies.isEmpty ? nil : .array(replies)
    }

    /// Calls a method directly (for a console): the result or the error a request would get.
    public func call(_ method: String, _ params: [JSONValue], context: inout Context) -> Result<JSONValue, RPCError> {
        invoke(method, params: .array(params), context: &context)
    }

    // MARK: - Internals

    struct Request {
        var method: String
        var params: JSONValue?
        /// nil for a notification.
        var id: JSONValue?
    }

    /// A valid Request object, or nil.
    static func validate(_ value: JSONValue) -> Request? {
        guard case .object = value,
              value["jsonrpc"] == .string("2.0"),
              case .string(let method)? = value["method"] else { return nil }
        let params = value["params"]
        switch params {
        case nil, .array?, .object?: break
        default: return nil
        }
        let id = value["id"]
        switch id {
        case nil, .string?, .number?, .null?: break
        default: return nil
        }
        return Request(method: method, params: params, id: id)
    }

    func handleOne(_ value: JSONValue, context: inout Context) -> JSONValue? {
        guard let request = Self.validate(value) else {
            return Self.response(id: .null, .failure(.invalidRequest))
        }
        let result = invoke(request.method, params: request.params, context: &context)
        guard let id = request.id else { return nil }
        return Self.response(id: id, result)
    }

    func invoke(_ name: String, params: JSONValue?, context: inout Context) -> Result<JSONValue, RPCError> {
        guard let method = methods[name] else { return .failure(.methodNotFound(name)) }
        var values: [JSONValue?] = []
        switch params {
        case .array(let items)?:
            values = items
        case .object(let members)?:
            guard let names = method.names else { return .failure(.invalidParams("non-array args")) }
            for member in members where !names.contains(member.key) {
                return .failure(.invalidParams("unknown argument \"\(member.key)\""))
            }
            values = names.map { params?[$0] }
        default:
            break
        }
        if let max = method.maxArguments, values.count > max {
            return .failure(.invalidParams("too many arguments, want at most \(max)"))
        }
        do {
            return .success(try method.run(&context, RPCParams(values)))
        } catch {
            return .failure(error)
        }
    }

    /// `{"jsonrpc":"2.0","id":…,"result":…}` or `{"jsonrpc":"2.0","id":…,"error":{…}}` (geth's member order).
    static func response(id: JSONValue, _ result: Result<JSONValue, RPCError>) -> JSONValue {
        switch result {
        case .success(let value):
            return .object([("jsonrpc", .string("2.0")), ("id", id), ("result", value)])
        case .failure(let error):
            return .object([("jsonrpc", .string("2.0")), ("id", id), ("error", error.json)])
        }
    }
}

extension RPCServer where Context == Void {
    /// Registers a method that needs no context.
    public mutating func register(
        _ name: String, maxArguments: Int? = nil, names: [String]? = nil,
        _ run: @escaping @Sendable (RPCParams) throws(RPCError) -> JSONValue
    ) {
        methods[name] = RPCMethod(maxArguments: maxArguments, names: names) { (_: inout Void, params) throws(RPCError) in
            try run(params)
        }
    }

    /// Answers one body (see `handle(_:context:)`).
    public func handle(_ body: [UInt8]) -> [UInt8]? {
        var none: Void = ()
        return handle(body, context: &none)
    }
}
