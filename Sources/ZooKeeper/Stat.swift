/// The metadata a read returns with a znode (ZooKeeper's `org.apache.zookeeper.data.Stat`, Java field
/// names; zookeeper.md §3 "Stat"). This is the client-visible form: `cversion` is already translated
/// from the server's internal child-creation counter and `ephemeralOwner` is 0 for containers.
public struct Stat: Codable, Equatable, Sendable {
    /// zxid of the create.
    public var czxid: Zxid
    /// zxid of the last setData (the create counts).
    public var mzxid: Zxid
    /// zxid of the last child create or delete (= czxid while no child changed).
    public var pzxid: Zxid
    /// Leader time of the create, ms since the Unix epoch.
    public var ctime: Int64
    /// Leader time of the last setData, ms since the Unix epoch.
    public var mtime: Int64
    /// Number of setData calls (zkCli `dataVersion`).
    public var version: Int32
    /// Visible child version: `2 × childCreations − numChildren` (DataNode.copyStat).
    public var cversion: Int32
    /// Number of setACL calls (always 0 here: ACLs are not modelled).
    public var aversion: Int32
    /// Owning session id for ephemerals, 0 otherwise.
    public var ephemeralOwner: Int64
    /// Bytes of data.
    public var dataLength: Int32
    /// Number of direct children.
    public var numChildren: Int32

    public init(
        czxid: Zxid, mzxid: Zxid, pzxid: Zxid, ctime: Int64, mtime: Int64,
        version: Int32, cversion: Int32, aversion: Int32, ephemeralOwner: Int64,
        dataLength: Int32, numChildren: Int32
    ) {
        self.czxid = czxid
        self.mzxid = mzxid
        self.pzxid = pzxid
        self.ctime = ctime
        self.mtime = mtime
        self.version = version
        self.cversion = cversion
        self.aversion = aversion
        self.ephemeralOwner = ephemeralOwner
        self.dataLength = dataLength
        self.numChildren = numChildren
    }
}
