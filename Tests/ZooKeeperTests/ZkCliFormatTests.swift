import Testing
@testable import ZooKeeper

@Suite("zkCli text")
struct ZkCliFormatTests {
    @Test func javaDateToStringInUTC() {
        // Goal: javaDate matches Java's Date.toString() in UTC for known instants (epoch, the Bitcoin
        // genesis block, a leap day, one ms before the epoch).
        // Source: java.util.Date.toString ("EEE MMM dd HH:mm:ss zzz yyyy"); zookeeper.md §3 "Stat".
        #expect(ZkCliFormat.javaDate(ms: 0) == "Thu Jan 01 00:00:00 UTC 1970")
        #expect(ZkCliFormat.javaDate(ms: 1_231_006_505_000) == "Sat Jan 03 18:15:05 UTC 2009")
        #expect(ZkCliFormat.javaDate(ms: 951_782_400_000) == "Tue Feb 29 00:00:00 UTC 2000")
        #expect(ZkCliFormat.javaDate(ms: -1) == "Wed Dec 31 23:59:59 UTC 1969")
        #expect(ZkCliFormat.javaDate(ms: 1_700_000_000_999) == "Tue Nov 14 22:13:20 UTC 2023")
    }

    @Test func statLinesInZkCliOrder() throws {
        // Goal: stat prints the 11 zkCli lines in order with hex zxids/owner and Java dates, by formatting
        // the fresh root and an ephemeral. Source: zookeeper.md §3 "Stat" (zkCli labels and order).
        let root = try #require(DataTree().stat("/"))
        #expect(ZkCliFormat.stat(root) == [
            "cZxid = 0x0", "ctime = Thu Jan 01 00:00:00 UTC 1970", "mZxid = 0x0",
            "mtime = Thu Jan 01 00:00:00 UTC 1970", "pZxid = 0x0", "cversion = -1", "dataVersion = 0",
            "aclVersion = 0", "ephemeralOwner = 0x0", "dataLength = 0", "numChildren = 1",
        ])
        let s = Stat(czxid: Zxid(0x1_0000_0003), mzxid: Zxid(0x1_0000_0003), pzxid: Zxid(0x1_0000_0003),
                     ctime: 1_231_006_505_000, mtime: 1_231_006_505_000, version: 0, cversion: 0, aversion: 0,
                     ephemeralOwner: 0x1000_0aba_59c0_002, dataLength: 5, numChildren: 0)
        let lines = ZkCliFormat.stat(s)
        #expect(lines[0] == "cZxid = 0x100000003")
        #expect(lines[8] == "ephemeralOwner = 0x10000aba59c0002")
        #expect(ZkCliFormat.hex(-1) == "0xffffffffffffffff")
    }

    @Test func childrenAndEventText() {
        // Goal: ls prints a sorted Java list and a watch event prints as WatchedEvent.toString, after zkCli's
        // WATCHER:: line. Source: zookeeper.md §3 ("zkCli sorts ls output"; "zkCli prints `WatchedEvent
        // state:SyncConnected type:NodeDataChanged path:/pw/a`"); ZooKeeperMain.MyWatcher.
        #expect(ZkCliFormat.children(["zookeeper"]) == "[zookeeper]")
        #expect(ZkCliFormat.children(["b", "a", "c"]) == "[a, b, c]")
        #expect(ZkCliFormat.children([]) == "[]")
        let e = ev(1, .nodeDataChanged, "/pw/a", 3)
        #expect(ZkCliFormat.event(e) == "WatchedEvent state:SyncConnected type:NodeDataChanged path:/pw/a")
        #expect(ZkCliFormat.eventLines(e) == ["WATCHER::", "WatchedEvent state:SyncConnected type:NodeDataChanged path:/pw/a"])
    }
}
