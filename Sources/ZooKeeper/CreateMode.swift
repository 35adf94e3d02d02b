/// The kind of znode a create makes (ZooKeeper's `CreateMode`; zookeeper.md §3 "Tree and node kinds").
///
/// The TTL kinds (`-t`) are not modelled: a default 3.8 server answers them with Unimplemented
/// because `zookeeper.extendedTypesEnabled` is off.
public enum CreateMode: String, Codable, Sendable, CaseIterable {
    case persistent = "PERSISTENT"
    case ephemeral = "EPHEMERAL"
    case persistentSequential = "PERSISTENT_SEQUENTIAL"
    case ephemeralSequential = "EPHEMERAL_SEQUENTIAL"
    /// `create -c`: the server's container manager deletes it some time after its last child goes.
    case container = "CONTAINER"

    /// Owned by the creating session and deleted with it (`EPHEMERAL`, `EPHEMERAL_SEQUENTIAL`).
    public var isEphemeral: Bool { self == .ephemeral || self == .ephemeralSequential }

    /// The server appends the parent's child-creation counter as `%010d`.
    public var isSequential: Bool { self == .persistentSequential || self == .ephemeralSequential }

    /// A container node (`CONTAINER`).
    public var isContainer: Bool { self == .container }
}
