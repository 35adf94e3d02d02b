import ArgumentParser
import Foundation
import RPCHTTP
import Topics
import WorkbenchKit

/// `workbench serve …`: the simulations behind real network protocols, for real clients.
struct Serve: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve", abstract: "Serve a simulation over a real protocol (rpc: Ethereum JSON-RPC over HTTP).",
        subcommands: [ServeRPC.self, ServeKafka.self])
}

struct ServeRPC: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rpc", abstract: "Serve the workbench chain's Ethereum-style JSON-RPC API over HTTP (curl, web3.py).",
        discussion: """
        Starts a session, makes --accounts wallets and a chain whose genesis pays the first one (or opens --db FILE), \
        and answers JSON-RPC 2.0 POSTs on http://HOST:PORT/ the way geth's HTTP transport does (status codes, \
        content types, a body size limit). Like `geth --dev`, every transaction is mined into a block as it arrives \
        unless --no-mine. Block times come from the session's simulated clock: each block is one second after the \
        previous one, whatever the wall clock says. Stop with Ctrl-C.
        """)

    @OptionGroup var common: CommonOptions

    @Option(name: .long, help: "TCP port (0 picks a free one).")
    var port: Int = 8545

    @Option(name: .long, help: "Address to listen on; loopback unless you ask otherwise.")
    var host: String = "127.0.0.1"

    @Option(name: .long, help: "Wallets to create in a new chain.")
    var accounts: Int = 3

    @Option(name: .long, help: "Target bits of the proof of work.")
    var difficulty: Int = 16

    @Option(name: .long, help: "A chain database to open (written by `chain createblockchain --db`), or to create when missing.")
    var db: String?

    @Option(name: .long, help: "Largest request body in bytes (geth: 5 MiB).")
    var maxBody: Int = 5 * 1024 * 1024

    @Flag(name: .long, help: "Do not mine transactions as they arrive (miner_start turns mining on).")
    var noMine = false

    @Flag(name: .long, help: "Print each request's method.")
    var verbose = false

    func validate() throws {
        guard (0...65535).contains(port) else { throw ValidationError("--port must be 0 to 65535") }
        guard (1...100).contains(accounts) else { throw ValidationError("--accounts must be 1 to 100") }
        guard (1...32).contains(difficulty) else { throw ValidationError("--difficulty must be 1 to 32 for a server") }
        guard maxBody > 0 else { throw ValidationError("--max-body must be positive") }
    }

    func run() throws {
        let session = Workbench.session(seed: common.seed, host: LocalHost(), colors: false)
        var setup = (0..<accounts).map { _ in "chain createwallet" }
        if let db, FileManager.default.fileExists(atPath: db) {
            setup.append("chain open \(Tokenizer.quote(db))")
        } else {
            setup.append("chain createblockchain --address ADDRESS0 --difficulty \(difficulty)" + (db.map { " --db \(Tokenizer.quote($0))" } ?? ""))
        }
        for line in setup {
            let address = ChainRPC.accounts(session: session).isEmpty ? "" : (session.execute("chain listaddresses --json").value.firstString ?? "")
            let result = session.execute(line.replacingOccurrences(of: "ADDRESS0", with: address))
            if let error = result.error {
                FileHandle.standardError.write(Data("workbench serve rpc: \(error.message)\n".utf8))
                throw ExitCode(1)
            }
        }
        try ChainRPC.setMining(!noMine, session: session)
        let lock = NSLock()
        let shared = SessionBox(session)
        let verbose = self.verbose
        let server = RPCHTTPServer(configuration: RPCHTTPConfiguration(host: host, port: port, maxBodyBytes: maxBody)) { body in
            lock.lock()
            defer { lock.unlock() }
            if verbose, let text = String(bytes: body.prefix(200), encoding: .utf8) { say("--> \(text)") }
            return ChainRPC.handle(body, session: shared.session)
        }
        let bound: Int
        do { bound = try server.start() } catch {
            FileHandle.standardError.write(Data("workbench serve rpc: cannot listen on \(host):\(port): \(error)\n".utf8))
            throw ExitCode(1)
        }
        say("serving JSON-RPC on http://\(host):\(bound)/ (chain id 1337, \(noMine ? "mining off: miner_start turns it on" : "every transaction is mined at once"))")
        say("accounts: " + ChainRPC.accounts(session: session).joined(separator: " "))
        try server.waitUntilClosed()
    }
}

func say(_ line: String) { FileHandle.standardOutput.write(Data((line + "\n").utf8)) }

/// The session, shared with the server's event loop; every use holds the lock above.
final class SessionBox: @unchecked Sendable {
    let session: Session
    init(_ session: Session) { self.session = session }
}

extension Value {
    /// The first element of an array of objects' first string member (for `--json` listings).
    var firstString: String? {
        guard case let .array(items) = self, case let .object(members)? = items.first else { return nil }
        for (_, v) in members { if case let .string(s) = v { return s } }
        return nil
    }
}
