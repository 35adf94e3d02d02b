import SimKit
import Testing
@testable import WorkbenchKit

/// The zk commands against zookeeper.md's observed ZooKeeper 3.8 behaviour, end to end through
/// the command language (ensemble, client sessions, zkCli output).
struct ZooKeeperCommandTests {
    func run(_ lines: String, _ session: Session) {
        let result = Fixture.run(lines, in: session)
        #expect(result.succeeded, "\(result.failures.map(\.text))")
    }

    func holds(_ line: String, _ session: Session, _ comment: Comment? = nil) {
        let result = session.execute(line)
        #expect(result.succeeded, "\(line): \(result.text)")
    }

    // Goal: every write consumes a zxid, failed ones and createSession included (zookeeper.md §2
    // [observed]: session 0x1, /app 0x2, a failed create 0x3, the next create 0x4); a fresh
    // ensemble of three elects s3 (E1) and its first epoch is 1.
    @Test func zxidsOfFailedWrites() {
        let session = Fixture.memorySession()
        run("zk create /app\nzk create /app\nzk create /b", session)
        holds("expect zk status .leader == 3", session)
        holds("expect zk node /app .stat.cZxid == \"0x100000002\"", session)
        holds("expect zk node /b .stat.cZxid == \"0x100000004\"", session)
        holds("expect zk sessions .[0].name == zkcli", session)
        #expect(session.execute("zk create /app").text == "Node already exists: /app")
        holds("expect zk last .error == \"NodeExists\"", session)
        holds("expect zk last .zxid == \"0x100000005\"", session)
    }

    // Goal: zkCli's output formats: `Created`, the sorted child list, the 11 Stat lines in zkCli's
    // order, and a multi's all-or-nothing result names (zookeeper.md §3, [observed]).
    @Test func zkCliFormats() {
        let session = Fixture.memorySession()
        run("zk create /app v1\nzk create /app/b\nzk create /app/a", session)
        #expect(session.execute("zk ls /app").text == "[a, b]")
        let stat = session.execute("zk stat /app").text.split(separator: "\n").map { String($0.split(separator: " ").first ?? "") }
        #expect(stat == ["cZxid", "ctime", "mZxid", "mtime", "pZxid", "cversion", "dataVersion", "aclVersion", "ephemeralOwner", "dataLength", "numChildren"])
        #expect(session.execute("zk multi \"create /m\" \"set -v 9 /app x\" \"create /n\"").text == "[RolledBack, BadVersion, RuntimeInconsistency]")
        holds("expect zk node /m .exists == false", session)
        #expect(session.execute("zk get /app").text == "v1")
        // A create without data stores null, which zkCli prints as `null` (CreateCommand passes
        // null bytes when no data argument is given).
        #expect(session.execute("zk get /app/a").text == "null")
        run("zk set /app/a \"\"", session)
        #expect(session.execute("zk get /app/a").text == "")
    }

    // Goal: an ephemeral vanishes when its frozen client's session expires, 4–6 s after it fell
    // silent with a 4 s timeout (ExpiryQueue rounds up to the next tick; zookeeper.md §2 [observed
    // 4.9 s and 5.9 s]), and a watcher on another client gets NodeDeleted.
    @Test func sessionExpiry() {
        let session = Fixture.memorySession()
        run("zk connect alice --timeout 4s\nzk create -e /lock alice\nzk connect bob\nzk stat -w /lock\nzk client freeze alice", session)
        let frozeAt = session.state.clock.nowMs
        run("clock advance 3900ms", session)
        holds("expect zk node /lock .exists == true", session)
        run("run until zk node /lock .exists == false --max 10000", session)
        let gone = session.state.clock.nowMs - frozeAt
        #expect(gone >= 4_000 && gone <= 6_100, "expired after \(gone) ms")
        run("clock advance 50ms", session)   // the commit reaches bob's server a few ms after the leader's
        holds("expect zk events bob .[-1].type == NodeDeleted", session)
        run("zk client thaw alice", session)
        holds("expect zk sessions .[0].state == EXPIRED", session)
    }

    // Goal: reads are served locally, so a partitioned follower answers with stale data until it
    // notices (syncLimit × tickTime = 10 s), and sync makes a lagging follower current
    // (zookeeper.md §2 "Reads and staleness").
    @Test func staleReadsAndSync() {
        let session = Fixture.memorySession()
        run("zk connect reader --server 1\nzk create /cfg v1 --as reader\nzk connect writer --server 2\nzk partition 1 2,3\nzk set /cfg v2 --as writer", session)
        #expect(session.execute("zk get /cfg --as reader").text == "v1")
        holds("expect zk node /cfg --server 2 .data == v2", session)
        run("zk heal", session)
        run("zk latency 3 1 300ms", session)
        run("zk set /cfg v3 --as writer", session)
        #expect(session.execute("zk get /cfg --as reader").text == "v2")
        #expect(session.execute("zk sync /cfg --as reader").text == "Sync is OK")
        #expect(session.execute("zk get /cfg --as reader").text == "v3")
    }

    // Goal: without a quorum writes fail with ConnectionLoss and the lone server serves nothing
    // (zookeeper.md §1 E5, §2 "Losing quorum").
    @Test func noQuorumNoWrites() {
        let session = Fixture.memorySession()
        run("zk connect c --server 1\nzk create /x\nzk kill 2\nzk kill 3\nclock advance 12s", session)
        holds("expect zk status .leader == null", session)
        let result = session.execute("zk create /y --as c")
        #expect(result.text.contains("ConnectionLoss"), "\(result.text)")
        run("zk restart 3\nclock advance 2s", session)
        holds("expect zk status .leader == 3", session)
    }

    // Goal: a higher zxid beats a higher sid (zookeeper.md §1 E7): s3 misses writes, then only s1
    // and s3 run; s1 leads and s3 is synchronised by DIFF.
    @Test func higherZxidBeatsHigherSid() {
        let session = Fixture.memorySession()
        run("zk create /a\nzk kill 3\nclock advance 1s\nzk create /b\nzk create /c\nzk kill 1\nzk kill 2\nzk restart 1\nzk restart 3\nclock advance 2s", session)
        holds("expect zk status .leader == 1", session)
        holds("expect zk node /c --server 3 .exists == true", session)
    }

    // Goal: bad input fails with a clear line and leaves the state byte-identical (invalid paths
    // per PathUtils.validatePath, the 1 MB data limit, unknown clients and servers).
    @Test(arguments: [
        ("zk create app", "Path must start with / character"),
        ("zk create /app/", "Path must not end with / character"),
        ("zk create /a//b", "empty node name specified"),
        ("zk create /a/./b", "relative paths not allowed"),
        ("zk create /a/../b", "relative paths not allowed"),
        ("zk get /nope", "Node does not exist: /nope"),
        ("zk set /app x --as ghost", "no client is called `ghost`"),
        ("zk kill 7", "s7"),
        ("zk connect eve --server 8", "no server s8"),
        ("zk partition 1,x 3", "not a list of server ids"),
        ("zk drop FOO", "TYPE must be one of"),
        ("zk client freeze ghost", "ghost"),
        ("zk tree /nope", "Node does not exist"),
        ("zk close ghost", "ghost"),
    ])
    func badInput(line: String, message: String) {
        let session = Fixture.memorySession()
        run("zk create /app v1", session)
        let before = session.state.canonicalJSON()
        let result = session.execute(line)
        #expect(result.error != nil, "\(line) should fail")
        #expect(result.text.contains(message), "\(line): \(result.text)")
        #expect(session.state.canonicalJSON() == before, "\(line) changed state")
    }

    // Goal: data over jute.maxbuffer is refused before it is sent, and nothing changes.
    @Test func dataLimit() {
        let session = Fixture.memorySession()
        run("zk create /app", session)
        let before = session.state.canonicalJSON()
        let result = session.execute("zk set /app " + String(repeating: "x", count: 1_048_576))
        #expect(result.text.contains("jute.maxbuffer"))
        #expect(session.state.canonicalJSON() == before)
    }

    // Goal: a container (create -c) is deleted by the leader's ContainerManager at its next 60 s
    // check after its last child goes (zookeeper.md §3 [observed with a 1 s interval]), and not
    // before it ever had a child.
    @Test func containers() {
        let session = Fixture.memorySession()
        run("zk create -c /jobs\nzk create -c /unused\nzk create /jobs/a\nzk delete /jobs/a", session)
        holds("expect zk node /jobs .exists == true", session)
        run("clock advance 61s", session)
        holds("expect zk node /jobs .exists == false", session)
        holds("expect zk node /unused .exists == true", session)
    }

    // Goal: the whole ZooKeeper state survives save and load, and the loaded session continues
    // identically.
    @Test func saveAndLoad() {
        let host = MemoryHost()
        let session = Fixture.memorySession(host: host)
        run("zk create /app\nzk connect alice\nzk create -e -s /app/n_\nzk get -w /app\nzk freeze 1", session)
        holds("save z.json", session)
        let other = Fixture.memorySession(host: host)
        holds("load z.json", other)
        #expect(other.state.canonicalJSON() == session.state.canonicalJSON())
        run("clock advance 15s\nzk set /app x", session)
        run("clock advance 15s\nzk set /app x", other)
        #expect(other.state.canonicalJSON() == session.state.canonicalJSON())
    }

    // Goal: Kafka on ZooKeeper (zookeeper.md §4): brokers register ephemerals, one controller bumps
    // /controller_epoch; freezing the controller past its 18 s session makes another broker
    // controller (epoch 2) and moves the frozen broker's partition leadership; thawed, it
    // registers again with a new broker epoch and rejoins.
    @Test func kafkaControllerFailover() {
        let session = Fixture.memorySession()
        run("kafka topic create orders --partitions 3 --replication-factor 3\nkafka zookeeper start", session)
        holds("expect kafka zookeeper status .controller == 1", session)
        holds("expect zk node /controller_epoch .data == \"1\"", session)
        holds("expect zk node /brokers/ids .children | length == 3", session)
        holds("expect zk node /brokers/topics/orders/partitions/2/state .data == \"{\\\"version\\\":1,\\\"leader\\\":1,\\\"leader_epoch\\\":0,\\\"isr\\\":[1,3,2],\\\"controller_epoch\\\":1}\"", session)
        run("kafka broker freeze 1\nclock advance 25s", session)
        holds("expect kafka zookeeper status .controllerEpoch == 2", session)
        holds("expect zk node /controller_epoch .data == \"2\"", session)
        holds("expect zk node /brokers/ids/1 .exists == false", session)
        holds("expect kafka topic describe orders .[0].partitions[2].leader == 3", session)
        holds("expect zk node /brokers/topics/orders/partitions/2/state .stat.dataVersion == 1", session)
        run("kafka broker thaw 1\nclock advance 2s", session)
        holds("expect kafka zookeeper status .brokers[0].registered == true", session)
        holds("expect zk node /brokers/ids/1 .exists == true", session)
    }
}

/// Seeded sweeps of random zk commands through the command language.
struct ZooKeeperSweepTests {
    static let lines = [
        "zk create /a x", "zk create /a/b y", "zk create -e /e z", "zk create -s /a/n_", "zk create -e -s /a/q_",
        "zk set /a v", "zk set -v 1 /a w", "zk delete /a/b", "zk delete -v 0 /a", "zk deleteall /a", "zk get -w /a",
        "zk ls -w /a", "zk stat -w /e", "zk sync /a", "zk multi \"create /m\" \"delete /m\"", "zk connect alice --timeout 4s",
        "zk connect bob --server 2", "zk connect zkcli", "zk close alice", "zk client freeze alice", "zk client thaw alice",
        "zk kill 1", "zk kill 2", "zk kill 3", "zk restart 1", "zk restart 2", "zk restart 3", "zk freeze 2", "zk thaw 2",
        "zk partition 1 2,3", "zk partition 3 1,2 --one-way", "zk heal", "zk drop ACK --from 1", "zk drop clear",
        "zk latency 1 3 300ms", "clock advance 300ms", "clock advance 3s", "clock advance 12s", "step", "zk create /a --no-wait",
        "zk get /nope", "zk create bad", "zk kill 9",
    ]

    // Goal: whatever a learner types, in any order, the workbench answers (no crash), a refused
    // command changes nothing, and the ensemble's invariants (one leader per epoch, agreeing applied
    // prefixes, committed writes kept) hold after every command. Seeds are printed on failure.
    @Test(arguments: [1, 2, 3, 4, 5, 6] as [UInt64])
    func randomCommands(seed: UInt64) {
        let session = Fixture.memorySession(seed: seed)
        var rng = SplitMix64(seed: seed)
        for i in 0..<150 {
            let line = Self.lines[Int(rng.next() % UInt64(Self.lines.count))]
            let before = session.state.canonicalJSON()
            let result = session.execute(line)
            if result.error != nil {
                #expect(session.state.canonicalJSON() == before, "seed \(seed), command \(i): `\(line)` failed and changed state: \(result.text)")
            }
            let check = session.execute("zk invariants --json")
            #expect(check.value == .array([]) || check.value == .null, "seed \(seed), command \(i) `\(line)`: \(check.text)")
        }
    }
}
