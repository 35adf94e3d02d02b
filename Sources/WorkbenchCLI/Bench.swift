import ArgumentParser
import Blockchain
import Foundation
import Kafka
import SimKit
import WorkbenchKit

/// `workbench bench`: the speed figures the README reports. Wall-clock time is measured here,
/// outside every simulation, and never asserted by a unit test.
struct Bench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench", abstract: "Measure start-up time, a 10,000-command scenario and the proof-of-work hash rate.")

    @Option(name: .long, help: "How many start-ups to time.") var startups = 20
    @Option(name: .long, help: "Commands in the scenario.") var commands = 10_000
    @Option(name: .long, help: "Target bits for the hash-rate run.") var bits = 20
    @Option(name: .long, help: "Kafka records to produce and read back.") var records = 1_000_000
    @Option(name: .long, help: "ZooKeeper writes to commit through a 5-server ensemble.") var zkWrites = 100_000
    @Option(name: .long, help: "ZooKeeper partition-and-elect rounds.") var elections = 1_000
    @Flag(name: .long, help: "Only the ZooKeeper figures.") var zookeeperOnly = false
    @Flag(name: .long, help: "Only the Docker figures.") var dockerOnly = false
    @Flag(name: .long, help: "Only the proof-of-work figures.") var chainOnly = false

    func run() throws {
        print("workbench bench (\(ProcessInfo.processInfo.activeProcessorCount) cores)")
        if zookeeperOnly { zookeeper(writes: zkWrites, elections: elections); return }
        if dockerOnly { docker(instructions: 10_000, stages: 100); return }
        if chainOnly { proofOfWork(); return }
        if let exe = Bundle.main.executablePath {
            // Baseline: spawning /bin/true the same way, so the figure separates our start-up from the OS's.
            let baseline = median((0..<startups).compactMap { _ in timeStartup("/bin/true") })
            let times = (0..<startups).compactMap { _ in timeStartup(exe) }.sorted()
            if let ours = median(times), let baseline {
                print(String(format: "start-up to prompt (workbench < /dev/null), median of %d: %.1f ms (min %.1f, max %.1f); spawning /bin/true: %.1f ms",
                             times.count, ours, times.first ?? 0, times.last ?? 0, baseline))
            }
        }
        let (count, seconds) = scenario(commands: commands)
        print(String(format: "%d-command scenario: %.3f s (%.0f commands/s)", count, seconds, Double(count) / seconds))
        kafka(records: records)
        kafkaCommand(records: 100_000)
        assignment()
        zookeeper(writes: zkWrites, elections: elections)
        docker(instructions: 10_000, stages: 100)
        proofOfWork()
    }

    /// Nonces per second on the 88-byte message of Jeiwan parts 4+ (prev ‖ Merkle root ‖ 3 × int64),
    /// each way of hashing, beside the SHA-256 compression rate of the same machine: `openssl speed`
    /// when the openssl program is there, and libcrypto's bulk rate measured here in any case.
    func proofOfWork() {
        let rates = HashRate.Method.allCases.map { ($0, HashRate.measure($0, seconds: 2)) }
        func rate(_ m: HashRate.Method) -> Double { rates.first { $0.0 == m }?.1 ?? 0 }
        let compressions = rate(.compressions)
        let one = rate(.libcryptoOneThread)
        print(String(format: "proof of work, 88-byte message, M nonces/s: naive loop as Jeiwan's %.2f; swift-crypto midstate %.2f; libcrypto midstate 1 thread %.2f; all %d cores %.2f (%.2fx one thread)",
                     rate(.naive) / 1e6, rate(.swiftCryptoMidstate) / 1e6, one / 1e6, HashRate.threads,
                     rate(.libcryptoAllCores) / 1e6, rate(.libcryptoAllCores) / max(one, 1)))
        print(String(format: "SHA-256 compressions/s, libcrypto bulk (16 KiB buffers): %.2f M; one thread reaches %.0f%% of it; %.1fx the naive loop",
                     compressions / 1e6, 100 * one / max(compressions, 1), one / max(rate(.naive), 1)))
        if let openssl = opensslSpeed() {
            print(String(format: "`openssl speed -bytes 16384 sha256`: %.0f MB/s = %.2f M compressions/s; one thread reaches %.0f%% of it",
                         openssl / 1e6, openssl / 64 / 1e6, 100 * one / max(openssl / 64, 1)))
        }
        let (ours, _) = hashRates(bits: bits)
        print(String(format: "mining a genesis block at %d bits with `chain`'s own loop: %.2f M hashes/s", bits, ours / 1e6))
    }

    /// Bytes per second of `openssl speed -seconds 1 -bytes 16384 sha256`, or nil without openssl.
    func opensslSpeed() -> Double? {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["openssl", "speed", "-seconds", "1", "-bytes", "16384", "sha256"]
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = FileHandle.nullDevice
        guard (try? process.run()) != nil else { return nil }
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0,
              let line = String(decoding: data, as: UTF8.self).split(separator: "\n").last(where: { $0.hasPrefix("sha256") }),
              let field = line.split(separator: " ").last, field.hasSuffix("k"), let k = Double(field.dropLast()) else { return nil }
        return k * 1000
    }

    func median(_ values: [Double]) -> Double? {
        values.isEmpty ? nil : values.sorted()[values.count / 2]
    }

    /// Wall time from spawn to exit, with posix_spawn and waitpid (Foundation's Process polls,
    /// which adds tens of milliseconds of its own to short runs). stdin, stdout and stderr are /dev/null.
    func timeStartup(_ exe: String) -> Double? {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
        let argv: [UnsafeMutablePointer<CChar>?] = [strdup(exe), nil]
        defer { argv.forEach { free($0) } }
        var pid = pid_t()
        let start = DispatchTime.now().uptimeNanoseconds
        guard posix_spawn(&pid, exe, &actions, nil, argv, environ) == 0 else { return nil }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) == -1 && errno == EINTR {}
        return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6
    }

    /// A scenario a learner might script, scaled up: mine, inspect, assert, move time.
    static func scenarioText(commands: Int) -> String {
        var lines = ["chain reset --difficulty 6"]
        var i = 1
        while lines.count < commands {
            lines.append("chain mine --data \"payment \(i)\"")
            lines.append("expect chain show block \(i) .valid == true")
            lines.append("clock advance 1s")
            lines.append("chain difficulty")
            i += 1
        }
        return lines.prefix(commands).joined(separator: "\n")
    }

    func scenario(commands: Int) -> (Int, Double) {
        let text = Bench.scenarioText(commands: commands)
        let session = Workbench.session(host: MemoryHost())
        let start = DispatchTime.now().uptimeNanoseconds
        let result = ScriptRunner.run(text, file: "bench.wb", in: session, echo: true)
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        if let failure = result.failures.first { print("scenario failed: \(failure.text)") }
        return (result.commandsRun, seconds)
    }

    /// Produces `count` small keyed records (Java's partitioner, acks=all) into a 6-partition topic
    /// replicated 3 times, then fetches them all back below the high watermark.
    func kafka(records count: Int) {
        var cluster = Cluster(brokerCount: 3)
        var config = TopicConfig()
        try? config.set("segment.bytes", "1048576")
        _ = try? cluster.createTopic("bench", partitions: 6, replicationFactor: 3, config: config, startIndex: 0)
        var memory = PartitionerState()
        var rng = SplitMix64(seed: 1)
        let start = DispatchTime.now().uptimeNanoseconds
        for i in 0..<count {
            let key = Array("user-\(i % 10_000)".utf8), value = Array("event \(i)".utf8)
            let size = RecordSize.recordBytes(key: key, value: value, headers: [], timestampDelta: 0, offsetDelta: 0)
            guard let choice = try? Partitioner.choose(kind: .javaDefault, key: key, explicitPartition: nil, partitionCount: 6, available: Array(0..<6),
                                                      recordBytes: size, batchSize: 16_384, stickyLingerMs: 10, nowMs: 0, state: &memory, rng: &rng),
                  (try? cluster.append(topic: "bench", partition: choice.partition, records: [Record(key: key, value: value, headers: [], timestampMs: 0)],
                                       recordSizes: [size], acks: .all)) != nil else { print("kafka bench failed at record \(i)"); return }
        }
        let produced = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        let readStart = DispatchTime.now().uptimeNanoseconds
        var read = 0
        for p in 0..<6 {
            var offset: Int64 = 0
            while let batch = try? cluster.fetch(topic: "bench", partition: p, offset: offset, maxRecords: 500), let last = batch.last {
                read += batch.count
                offset = last.offset + 1
            }
        }
        let consumed = Double(DispatchTime.now().uptimeNanoseconds - readStart) / 1e9
        let (groupRead, groupSeconds) = consumeThroughGroup(cluster, expected: count)
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        print(String(format: "kafka: produced %d records (6 partitions × 3 replicas, acks=all) in %.2f s (%.0f records/s); fetched %d back in %.2f s (%.0f records/s); through a 3-consumer group with auto-commit: %d in %.2f s (%.0f records/s); peak memory %.0f MiB",
                     count, produced, Double(count) / produced, read, consumed, Double(read) / consumed,
                     groupRead, groupSeconds, Double(groupRead) / groupSeconds, Double(usage.ru_maxrss) / 1024))
    }

    /// Three consumers in one group (Java defaults but auto.offset.reset=earliest) join, then poll
    /// 500 records at a time, 10 simulated ms apart, with auto-commit, until they have read everything.
    func consumeThroughGroup(_ cluster: Cluster, expected: Int) -> (Int, Double) {
        var world = GroupWorld()
        var now: Int64 = 0
        let names = (1...3).map { "bench-\($0)" }
        let start = DispatchTime.now().uptimeNanoseconds
        var read = 0
        do {
            for name in names {
                var config = ConsumerConfig(groupID: "bench", clientID: name)
                try config.set("auto.offset.reset", "earliest")
                _ = try world.createConsumer(config: config, topics: ["bench"], nowMs: now)
            }
            var rounds = 0
            while read < expected && rounds < 100_000 {
                for name in names { read += try world.poll(name, cluster: cluster, nowMs: now).records.count }
                now += rounds < 5 ? 1_000 : 10
                _ = world.run(cluster: cluster, untilMs: now)
                rounds += 1
            }
        } catch {
            print("group bench failed: \(error)")
        }
        return (read, Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
    }

    /// The REPL's own path: one `kafka produce --count N` command, partitioner and all, so a
    /// per-record copy of the state (which once made this quadratic) shows up here.
    func kafkaCommand(records count: Int) {
        let session = Workbench.session(host: MemoryHost())
        _ = session.execute("kafka topic create b --partitions 6 --replication-factor 3")
        let start = DispatchTime.now().uptimeNanoseconds
        let result = session.execute("kafka produce b --key \"k{i}\" --value \"v{i}\" --count \(count)")
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        if let error = result.error { print("kafka command bench failed: \(error.message)"); return }
        print(String(format: "kafka produce --count %d (one REPL command, rendering included): %.2f s (%.0f records/s)", count, seconds, Double(count) / seconds))
    }

    /// Kafka's large-assignment size: 200 topics × 5,000 partitions across 2,000 consumers, sticky,
    /// first from nothing, then again with the first result owned and one consumer added.
    func assignment() {
        let topics = (0..<200).map { "topic-\($0)" }
        let counts = Dictionary(uniqueKeysWithValues: topics.map { ($0, 5_000) })
        let members = (0..<2_000).map { GroupMember(memberID: "consumer-\($0)", topics: topics) }
        let start = DispatchTime.now().uptimeNanoseconds
        let first = Assignor.assign(.sticky, members: members, partitionsPerTopic: counts)
        let fresh = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        var owned = members.map { m in GroupMember(memberID: m.memberID, topics: topics, ownedPartitions: first.partitions[m.memberID] ?? [], generation: 1) }
        owned.append(GroupMember(memberID: "consumer-new", topics: topics))
        let again = DispatchTime.now().uptimeNanoseconds
        let second = Assignor.assign(.sticky, members: owned, partitionsPerTopic: counts)
        let rebalance = Double(DispatchTime.now().uptimeNanoseconds - again) / 1e9
        let sizes = second.partitions.values.map(\.count)
        print(String(format: "sticky assignment of 1,000,000 partitions to 2,000 consumers: %.2f s; again with ownership + 1 consumer: %.2f s (%d–%d partitions each)",
                     fresh, rebalance, sizes.min() ?? 0, sizes.max() ?? 0))
    }

    func hashRates(bits: Int) -> (Double, Double) {
        var chain = Chain(targetBits: bits)
        let start = DispatchTime.now().uptimeNanoseconds
        try? chain.reset(targetBits: bits, timestamp: 1_231_006_505)
        let summary = try? chain.mineToCompletion(maxAttempts: 1 << 40)
        let oursSeconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        let attempts = Double(summary?.attempts ?? 0)

        // Baseline: rebuild the whole prepareData array for every nonce, as Jeiwan's loop does.
        let data = Array("Genesis Block".utf8)
        let naiveAttempts = max(1, Int64(attempts))
        let naiveStart = DispatchTime.now().uptimeNanoseconds
        var sink: UInt8 = 0
        for nonce in 0..<naiveAttempts {
            let bytes = ProofOfWork.prepareData(prevBlockHash: [], data: data, timestamp: 1_231_006_505, targetBits: bits, nonce: nonce)
            sink ^= ProofOfWork.sha256(bytes)[0]
        }
        let naiveSeconds = Double(DispatchTime.now().uptimeNanoseconds - naiveStart) / 1e9
        if sink == 0xFF { print("") }  // keeps the loop from being optimised away
        return (attempts / oursSeconds, Double(naiveAttempts) / naiveSeconds)
    }
}
