import Testing
@testable import WorkbenchKit

/// Tab completion derives from the declarations and reads live names from the session.
struct CompletionTests {
    func complete(_ line: String, _ session: Session = Fixture.session()) -> [String] {
        session.registry.completions(for: line, session: session)
    }

    // Goal: command words and sub-commands complete; method: prefixes at each level.
    @Test func commandWords() {
        #expect(complete("ch") == ["chain", "check"])
        #expect(complete("chain m") == ["mempool", "merkle", "mine", "mineblock"])
        #expect(complete("chain show ") == ["block", "bytes"])
        #expect(complete("") .contains("help"))
        #expect(complete("lesson o") == ["open"])
    }

    // Goal: flags and choice values complete.
    @Test func flagsAndChoices() {
        #expect(complete("chain mine --") == ["--data", "--json", "--max-attempts", "--step"])
        #expect(complete("chain reset --d") == ["--difficulty"])
        #expect(complete("trace o") == ["off", "on"])
        #expect(complete("use ") == ["chain", "docker", "ecs", "kafka", "none", "zk"])
    }

    // Goal: live names come from the current state: block numbers and lesson ids.
    @Test func liveNames() {
        let session = Fixture.session()
        #expect(complete("chain show block ", session) == [])
        Fixture.run("chain reset --difficulty 4\nchain mine --data a\nchain mine --data b", in: session)
        #expect(complete("chain show block ", session) == ["0", "1", "2"])
        #expect(complete("chain tamper 1 --data x --nonce 3 ", session).isEmpty)
        #expect(complete("lesson open blockchain/0", session).contains("blockchain/01-blocks"))
    }

    // Goal: zk completes zkCli's single-dash flags, live znode paths, clients and servers.
    @Test func zooKeeperNames() {
        let session = Fixture.session()
        Fixture.run("zk create /app\nzk create /app/config v1\nzk connect alice", in: session)
        #expect(complete("zk get /app/c", session) == ["/app/config"])
        #expect(complete("zk create -", session).contains("-e"))
        #expect(complete("zk close a", session) == ["alice"])
        #expect(complete("zk kill ", session) == ["1", "2", "3"])
    }

    // Goal: after `use chain` the prefix may be dropped in completion too; expect/help complete their command.
    @Test func namespaceAndNested() {
        let session = Fixture.session()
        Fixture.run("use chain", in: session)
        #expect(complete("mi", session) == ["mine", "mineblock"])
        #expect(complete("expect chain va", session) == ["validate"])
        #expect(complete("help chain sh", session) == ["show"])
        #expect(complete("run until chain v", session) == ["validate", "verifychain"])
    }

    // Goal: an unterminated quote or odd bytes give no candidates rather than a crash.
    @Test func oddInput() {
        #expect(complete("chain mine --data \"abc").isEmpty)
        #expect(complete("\u{0}\u{1}").isEmpty)
    }
}
