// swift-tools-version:6.0
import PackageDescription

// The module graph (see ARCHITECTURE.md): arrows point down only.
//   workbench -> WorkbenchCLI -> {LineEditing -> CEditLine, RPCHTTP -> swift-nio, Topics -> {WorkbenchKit -> {SimKit, CMark}, Blockchain -> {CLibCrypto, SimKit}, JSONRPC, GethConsole, GethRPC, ChainStore -> CSQLite, Kafka -> SimKit, ZooKeeper -> SimKit, DockerBuild, ECS}}
let package = Package(
    name: "Workbench",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "workbench", targets: ["workbench"]),
    ],
    dependencies: [
        // Command-line parsing of the `workbench` executable (subcommands, --help, usage errors).
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        // SHA-256 for proof of work (BoringSSL-backed, far faster than a hand-written hash).
        .package(url: "https://github.com/apple/swift-crypto.git", from: "3.12.3"),
        // HTTP/1.1 server for `workbench serve rpc` (the JSON-RPC endpoint web3.py and curl talk to).
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
    ],
    targets: [
        // Deterministic simulation kit: seeded random streams, simulated clock, event queue.
        .target(name: "SimKit"),
        // Pure simulator of Apache Kafka's partitioning, logs and replication.
        .target(name: "Kafka", dependencies: ["SimKit"]),
        // Pure simulator of a ZooKeeper 3.8 ensemble: data tree, sessions, watches, Fast Leader
        // Election and ZAB over a simulated network.
        // Release builds export generic bodies so other modules specialise Ensemble<DataTree>
        // (the workbench's own root package may use this flag; measured 3x on the ZAB benchmark).
        .target(name: "ZooKeeper", dependencies: ["SimKit"],
                swiftSettings: [.unsafeFlags(["-cross-module-optimization"], .when(configuration: .release))]),
        // Pure: the Kafka wire protocol subset real clients need (frames, 13 APIs, record batch v2, CRC-32C).
        .target(name: "KafkaWire"),
        // Pure: a Kafka broker's side of the wire protocol over the simulator's cluster and groups.
        .target(name: "KafkaServe", dependencies: ["Kafka", "KafkaWire", "CZlib"]),
        // zlib (Debian zlib1g-dev): gzip, the Kafka compression codec clients use most.
        .systemLibrary(name: "CZlib", path: "Sources/CZlib", pkgConfig: "zlib", providers: [.apt(["zlib1g-dev"])]),
        // Pure simulator of ECS task definitions and CodeDeploy/CodePipeline blue/green deployments.
        .target(name: "ECS"),
        // Pure Dockerfile frontend, faithful to BuildKit: parser and variable substitution.
        .target(name: "DockerBuild"),
        // Pure simulator of Jeiwan's "Building Blockchain in Go" parts 1-7: proof of work,
        // transactions and the UTXO set, wallets, Merkle trees, forks.
        // OpenSSL's libcrypto (Debian libssl-dev): SHA256_Transform, one SHA-NI compression per call, for proof of work.
        .systemLibrary(name: "CLibCrypto", path: "Sources/CLibCrypto", pkgConfig: "libcrypto",
                       providers: [.apt(["libssl-dev"])]),
        .target(name: "Blockchain", dependencies: ["CLibCrypto", "SimKit", .product(name: "Crypto", package: "swift-crypto")]),
        // Pure JSON-RPC 2.0 (geth's texts), JSON codec, Ethereum hex encodings, Keccak-256, EIP-55.
        .target(name: "JSONRPC"),
        // Pure: the Geth JavaScript console's first expressions, turned into JSON-RPC calls.
        .target(name: "GethConsole", dependencies: ["JSONRPC"]),
        // Pure: Ethereum-style JSON-RPC methods (eth_, net_, web3_, txpool_, legacy personal_/miner_)
        // over the workbench chain.
        .target(name: "GethRPC", dependencies: ["Blockchain", "JSONRPC", "SimKit"]),
        // SQLite 3 (Debian libsqlite3-dev): the file format of the persisted chain (parts 3+).
        .systemLibrary(name: "CSQLite", path: "Sources/CSQLite", pkgConfig: "sqlite3",
                       providers: [.apt(["libsqlite3-dev"])]),
        // Bolt-like buckets (blocks, chainstate) of byte keys/values in one SQLite file.
        .target(name: "ChainStore", dependencies: ["CSQLite"]),
        // cmark-gfm (Debian libcmark-gfm-dev): the CommonMark reference parser with GitHub's
        // table extension, for lesson Markdown.
        .systemLibrary(name: "CMark", path: "Sources/CMark", pkgConfig: "libcmark-gfm",
                       providers: [.apt(["libcmark-gfm-dev", "libcmark-gfm-extensions-dev"])]),
        // libedit (Debian libedit-dev): line editing, history and completion for the REPL.
        .systemLibrary(name: "CEditLine", path: "Sources/CEditLine", pkgConfig: "libedit",
                       providers: [.apt(["libedit-dev"])]),
        // What the TCP servers share: a swift-nio listener, start/stop/wait, a small lock box.
        .target(name: "NIOServing", dependencies: [
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "NIOPosix", package: "swift-nio"),
        ]),
        // HTTP/1.1 transport for JSON-RPC, imitating go-ethereum's rpc/http.go, over swift-nio.
        .target(name: "RPCHTTP", dependencies: [
            "NIOServing",
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "NIOPosix", package: "swift-nio"),
            .product(name: "NIOHTTP1", package: "swift-nio"),
        ]),
        // Kafka's TCP framing (int32 size + bytes) over swift-nio for `workbench serve kafka`; responses in request order per connection.
        .target(name: "KafkaTCP", dependencies: [
            "NIOServing",
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "NIOPosix", package: "swift-nio"),
        ]),
        // Command language, values, expect, session core, rendering, lessons, grading.
        .target(name: "WorkbenchKit", dependencies: ["SimKit", "CMark"]),
        // One adapter per topic: command declarations and views over a simulator.
        .target(name: "Topics", dependencies: ["WorkbenchKit", "Blockchain", "JSONRPC", "GethConsole", "GethRPC", "ChainStore", "KafkaServe", "KafkaWire", "Kafka", "ZooKeeper", "DockerBuild", "ECS", "SimKit"]),
        // LineReader implementations: libedit for terminals, plain reads for pipes, arrays for tests.
        .target(name: "LineEditing", dependencies: ["CEditLine"]),
        // The only layer with terminal and file I/O: REPL loop, `run`, `lessons`, `grade`, `bench`.
        .target(name: "WorkbenchCLI", dependencies: [
            "WorkbenchKit", "Topics", "LineEditing", "Blockchain", "RPCHTTP", "GethRPC", "JSONRPC", "KafkaTCP", "KafkaServe", "Kafka", "ZooKeeper", "DockerBuild", "SimKit",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),
        .executableTarget(name: "workbench", dependencies: ["WorkbenchCLI"]),
        .testTarget(name: "WorkbenchTests", dependencies: ["WorkbenchCLI", "WorkbenchKit", "Topics", "SimKit", "LineEditing", "workbench"],
                    exclude: ["Golden", "splitmix64.py"]),
        .testTarget(name: "BlockchainTests", dependencies: ["Blockchain", "SimKit"], exclude: ["vectors.py"]),
        .testTarget(name: "KafkaWireTests", dependencies: ["KafkaWire"]),
        .testTarget(name: "KafkaServeTests", dependencies: ["KafkaServe", "KafkaWire", "Kafka", "SimKit"]),
        .testTarget(name: "RPCHTTPTests", dependencies: ["RPCHTTP"]),
        .testTarget(name: "KafkaTCPTests", dependencies: ["KafkaTCP"]),
        .testTarget(name: "JSONRPCTests", dependencies: ["JSONRPC"]),
        .testTarget(name: "GethConsoleTests", dependencies: ["GethConsole", "JSONRPC"]),
        .testTarget(name: "ChainStoreTests", dependencies: ["ChainStore", "CSQLite"]),
        .testTarget(name: "LineEditingTests", dependencies: ["LineEditing"]),
        .testTarget(name: "KafkaTests", dependencies: ["Kafka", "SimKit"]),
        .testTarget(name: "ZooKeeperTests", dependencies: ["ZooKeeper", "SimKit"]),
        // BuildKit's own parser and shell test data (testdata/, Apache-2.0, see its README) is the truth.
        .testTarget(name: "ECSTests", dependencies: ["ECS"]),
        .testTarget(name: "DockerBuildTests", dependencies: ["DockerBuild"], exclude: ["testdata"]),
    ]
)
