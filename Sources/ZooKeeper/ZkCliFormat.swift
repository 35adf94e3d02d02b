/// Text exactly as zkCli (ZooKeeperMain, ZooKeeper 3.8) prints it. Pure string functions.
public enum ZkCliFormat {
    /// The 11 lines of `stat`, `get -s`, `ls -s` and `set -s` (StatPrinter), in zkCli's order:
    /// cZxid, ctime, mZxid, mtime, pZxid, cversion, dataVersion, aclVersion, ephemeralOwner,
    /// dataLength, numChildren (zookeeper.md §3 "Stat"). zxids and the owner print as `0x` + lowercase
    /// hex without padding (`0x0` for 0); times as Java's `Date.toString()` in UTC.
    public static func stat(_ stat: Stat) -> [String] {
        [
            "cZxid = \(stat.czxid)",
            "ctime = \(javaDate(ms: stat.ctime))",
            "mZxid = \(stat.mzxid)",
            "mtime = \(javaDate(ms: stat.mtime))",
            "pZxid = \(stat.pzxid)",
            "cversion = \(stat.cversion)",
            "dataVersion = \(stat.version)",
            "aclVersion = \(stat.aversion)",
            "ephemeralOwner = \(hex(stat.ephemeralOwner))",
            "dataLength = \(stat.dataLength)",
            "numChildren = \(stat.numChildren)",
        ]
    }

    /// `ls` output: the names sorted (Java string order) and printed as Java's `List.toString()`,
    /// `[a, b, c]` (`[]` when empty).
    public static func children(_ names: [String]) -> String {
        "[" + names.sorted(by: javaPrecedes).joined(separator: ", ") + "]"
    }

    /// A watch notification as `WatchedEvent.toString()` prints it in 3.8:
    /// `WatchedEvent state:SyncConnected type:NodeDataChanged path:/pw/a`.
    /// zkCli's watcher prints two messages per event, `WATCHER::` and then this line, each preceded
    /// by an empty line (ZooKeeperMain.printMessage); see `eventLines`.
    public static func event(_ e: WatchEvent) -> String {
        "WatchedEvent state:SyncConnected type:\(e.type.rawValue) path:\(e.path)"
    }

    /// Both lines zkCli prints for an event: `WATCHER::` and the `event(_:)` line.
    public static func eventLines(_ e: WatchEvent) -> [String] {
        ["WATCHER::", event(e)]
    }

    /// `0x` + Java's `Long.toHexString` (two's complement, lowercase, unpadded), as zkCli prints
    /// zxids and session ids: 0 → `0x0`, 0x10000aba59c0002 → `0x10000aba59c0002`.
    public static func hex(_ value: Int64) -> String {
        "0x" + String(UInt64(bitPattern: value), radix: 16)
    }

    private static let weekdays = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"]
    private static let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                 "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]

    /// Java's `new Date(ms).toString()` in the UTC zone, pattern `EEE MMM dd HH:mm:ss zzz yyyy`:
    /// 0 → `Thu Jan 01 00:00:00 UTC 1970`. Computed arithmetically (proleptic Gregorian
    /// civil-from-days), no Foundation; negative times count back from 1970. (Java switches to the
    /// Julian calendar before 15 Oct 1582; such times are out of scope.)
    public static func javaDate(ms: Int64) -> String {
        let msPerDay: Int64 = 86_400_000
        let days = floorDiv(ms, msPerDay)
        let msOfDay = ms - days * msPerDay
        let secondsOfDay = msOfDay / 1000
        let (year, month, day) = civil(fromDays: days)
        let weekday = Int(floorMod(days + 4, 7))          // 1970-01-01 was a Thursday
        return "\(weekdays[weekday]) \(months[month - 1]) \(pad2(day)) "
            + "\(pad2(Int(secondsOfDay / 3600))):\(pad2(Int(secondsOfDay / 60 % 60))):\(pad2(Int(secondsOfDay % 60))) "
            + "UTC \(year)"
    }

    /// Days since 1970-01-01 → (year, month 1…12, day 1…31), Howard Hinnant's civil_from_days.
    static func civil(fromDays z0: Int64) -> (year: Int64, month: Int, day: Int) {
        let z = z0 + 719_468
        let era = floorDiv(z, 146_097)
        let doe = z - era * 146_097                                   // [0, 146096]
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365 // [0, 399]
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)             // [0, 365]
        let mp = (5 * doy + 2) / 153                                  // [0, 11]
        let day = doy - (153 * mp + 2) / 5 + 1                        // [1, 31]
        let month = mp < 10 ? mp + 3 : mp - 9                         // [1, 12]
        let year = yoe + era * 400 + (month <= 2 ? 1 : 0)
        return (year, Int(month), Int(day))
    }

    private static func floorDiv(_ a: Int64, _ b: Int64) -> Int64 {
        let q = a / b
        return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q
    }

    private static func floorMod(_ a: Int64, _ b: Int64) -> Int64 { a - floorDiv(a, b) * b }

    private static func pad2(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }
}
