/// `KeeperException.Code` with ZooKeeper's numeric values (KeeperException.java; zookeeper.md §3
/// "Error codes").
public enum ZKErrorCode: Int32, Codable, Sendable, CaseIterable {
    case ok = 0
    case systemError = -1
    case runtimeInconsistency = -2
    case dataInconsistency = -3
    case connectionLoss = -4
    case marshallingError = -5
    case unimplemented = -6
    case operationTimeout = -7
    case badArguments = -8
    case noNode = -101
    case noAuth = -102
    case badVersion = -103
    case noChildrenForEphemerals = -108
    case nodeExists = -110
    case notEmpty = -111
    case sessionExpired = -112
    case invalidCallback = -113
    case invalidACL = -114
    case authFailed = -115
    case sessionMoved = -118
    case notReadOnly = -119

    /// The text `KeeperException.getMessage()` puts after `KeeperErrorCode = ` (KeeperException's
    /// `getCodeMessage`): mostly the camel-case name (`NoNode`, `NodeExists`, `RuntimeInconsistency`),
    /// but a few codes print a phrase: `ok`, `Directory not empty`, `Session expired`,
    /// `Invalid callback`, `Session moved`, `Not a read-only call`.
    public var name: String {
        switch self {
        case .ok: "ok"
        case .notEmpty: "Directory not empty"
        case .sessionExpired: "Session expired"
        case .invalidCallback: "Invalid callback"
        case .sessionMoved: "Session moved"
        case .notReadOnly: "Not a read-only call"
        default: shortName
        }
    }

    /// The code's camel-case identifier, as kazoo and ZooKeeper's deprecated int constants spell it
    /// (`NoNode`, `NotEmpty`, `SessionExpired`; `OK` for 0). Handy for compact lists such as multi results.
    public var shortName: String {
        switch self {
        case .ok: "OK"
        case .systemError: "SystemError"
        case .runtimeInconsistency: "RuntimeInconsistency"
        case .dataInconsistency: "DataInconsistency"
        case .connectionLoss: "ConnectionLoss"
        case .marshallingError: "MarshallingError"
        case .unimplemented: "Unimplemented"
        case .operationTimeout: "OperationTimeout"
        case .badArguments: "BadArguments"
        case .noNode: "NoNode"
        case .noAuth: "NoAuth"
        case .badVersion: "BadVersion"
        case .noChildrenForEphemerals: "NoChildrenForEphemerals"
        case .nodeExists: "NodeExists"
        case .notEmpty: "NotEmpty"
        case .sessionExpired: "SessionExpired"
        case .invalidCallback: "InvalidCallback"
        case .invalidACL: "InvalidACL"
        case .authFailed: "AuthFailed"
        case .sessionMoved: "SessionMoved"
        case .notReadOnly: "NotReadOnly"
        }
    }
}

/// A failed request as the Java client reports it: a code and the path the client asked for
/// (the client always reports its own requested path, even for sequential creates).
public struct ZKError: Error, Equatable, Codable, Sendable {
    public var code: ZKErrorCode
    public var path: String?

    public init(code: ZKErrorCode, path: String? = nil) {
        self.code = code
        self.path = path
    }

    /// Java client text (KeeperException.getMessage): `KeeperErrorCode = NoNode for /x`, without
    /// ` for …` when there is no path (or it is empty).
    public var keeperMessage: String {
        guard let path, !path.isEmpty else { return "KeeperErrorCode = \(code.name)" }
        return "KeeperErrorCode = \(code.name) for \(path)"
    }

    /// zkCli's text (CliWrapperException): `Node does not exist: /x`, `Node already exists: /x`,
    /// `Node not empty: /x`, `version No is not valid : /x`, `Ephemerals cannot have children: /x`,
    /// `Insufficient permission : /x`, `Arguments are not valid : /x`, `Acl is not valid : /x`,
    /// `Not a read-only call: /x`; any other code prints `keeperMessage`. Like Java's string
    /// concatenation, a missing path prints as `null`.
    public var cliMessage: String {
        let p = path ?? "null"
        switch code {
        case .noNode: return "Node does not exist: \(p)"
        case .noChildrenForEphemerals: return "Ephemerals cannot have children: \(p)"
        case .nodeExists: return "Node already exists: \(p)"
        case .notEmpty: return "Node not empty: \(p)"
        case .notReadOnly: return "Not a read-only call: \(p)"
        case .invalidACL: return "Acl is not valid : \(p)"
        case .noAuth: return "Insufficient permission : \(p)"
        case .badArguments: return "Arguments are not valid : \(p)"
        case .badVersion: return "version No is not valid : \(p)"
        default: return keeperMessage
        }
    }
}
