/// A JSON-RPC error object: `{"code":…,"message":…,"data":…}`. Method implementations throw it;
/// the constructors carry geth's message texts.
public struct RPCError: Error, Equatable, Sendable {
    public var code: Int
    public var message: String
    /// Optional `data` member (geth uses it for revert data, for example).
    public var data: JSONValue?

    public init(code: Int, message: String, data: JSONValue? = nil) {
        self.code = code
        self.message = message
        self.data = data
    }

    /// -32700 "parse error": the body is not JSON.
    public static let parseError = RPCError(code: -32700, message: "parse error")
    /// -32600 "invalid request": valid JSON that is not a Request object.
    public static let invalidRequest = RPCError(code: -32600, message: "invalid request")
    /// -32600 "empty batch": the body is `[]`.
    public static let emptyBatch = RPCError(code: -32600, message: "empty batch")
    /// -32600 "batch too large": more requests than the server's batch limit.
    public static let batchTooLarge = RPCError(code: -32600, message: "batch too large")

    /// -32601 "the method NAME does not exist/is not available".
    public static func methodNotFound(_ method: String) -> RPCError {
        RPCError(code: -32601, message: "the method \(method) does not exist/is not available")
    }

    /// -32602 with a free text (geth's argument texts come from `RPCParams`).
    public static func invalidParams(_ message: String) -> RPCError {
        RPCError(code: -32602, message: message)
    }

    /// -32603: an internal error (geth reports a panic in a method this way: "method handler crashed").
    public static func internalError(_ message: String = "method handler crashed") -> RPCError {
        RPCError(code: -32603, message: message)
    }

    /// -32000 (or another implementation code): a method's execution error, e.g. "header not found".
    public static func server(_ message: String, code: Int = -32000, data: JSONValue? = nil) -> RPCError {
        RPCError(code: code, message: message, data: data)
    }

    /// The error object as JSON: code, message, then data when present.
    public var json: JSONValue {
        var members: [(key: String, value: JSONValue)] = [("code", .int(code)), ("message", .string(message))]
        if let data { members.append(("data", data)) }
        return .object(members)
    }
}
