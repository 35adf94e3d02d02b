/// A watch notification's type (`Watcher.Event.EventType`, the ones a znode change can fire).
public enum WatchEventType: String, Codable, Sendable, CaseIterable {
    case nodeCreated = "NodeCreated"
    case nodeDeleted = "NodeDeleted"
    case nodeDataChanged = "NodeDataChanged"
    case nodeChildrenChanged = "NodeChildrenChanged"
}

/// `addWatch -m` modes (ZooKeeper 3.6+ persistent watches; zookeeper.md §3 "Watches").
public enum AddWatchMode: String, Codable, Sendable, CaseIterable {
    case persistent = "PERSISTENT"
    case persistentRecursive = "PERSISTENT_RECURSIVE"
}

/// One notification the server sends to one session.
public struct WatchEvent: Codable, Equatable, Sendable {
    /// The session that set the watch.
    public var watcher: Int64
    public var type: WatchEventType
    public var path: String
    /// The zxid of the txn that fired it.
    public var zxid: Zxid

    public init(watcher: Int64, type: WatchEventType, path: String, zxid: Zxid) {
        self.watcher = watcher
        self.type = type
        self.path = path
        self.zxid = zxid
    }
}

/// One watch a session holds, for listings.
public struct WatchDescription: Codable, Equatable, Hashable, Sendable {
    public var path: String
    /// `data` (getData/exists on an existing node), `exist` (exists on a missing node),
    /// `child` (getChildren), `persistent`, `persistentRecursive` (addWatch).
    public var kind: String

    public init(path: String, kind: String) {
        self.path = path
        self.kind = kind
    }
}

/// An open session the tree knows of (registered by a createSession txn).
public struct SessionRecord: Codable, Equatable, Hashable, Sendable {
    public var id: Int64
    public var timeoutMs: Int64

    public init(id: Int64, timeoutMs: Int64) {
        self.id = id
        self.timeoutMs = timeoutMs
    }
}
