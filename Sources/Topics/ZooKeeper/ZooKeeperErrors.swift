import WorkbenchKit
import ZooKeeper

/// A refused client call as one line: what failed, ZooKeeper's words for why, and what to do.
enum ZooKeeperErrors {
    static func map<R>(_ what: String, _ body: () throws(ServiceError) -> R) throws -> R {
        do throws(ServiceError) { return try body() } catch { throw describe(error, what: what) }
    }

    static func describe(_ error: ServiceError, what: String) -> WorkbenchError {
        switch error {
        case let .unknownClient(name, known):
            let close = Suggest.closest(to: name, in: known)
            return .failed(what: what, why: "no client is called `\(name)`" + (close.isEmpty ? "" : "; did you mean \(close[0])?"),
                           fix: known.isEmpty ? "`zk connect \(name)` opens a session" : "clients: " + known.joined(separator: ", "))
        case let .clientExists(name):
            return .failed(what: what, why: "client \(name) already has a session", fix: "`zk close \(name)` first, or pick another name")
        case let .unknownServer(sid, size):
            return .failed(what: what, why: "there is no server s\(sid) (the ensemble has s1-s\(size))", fix: "`zk status` lists them")
        case let .notServing(sid):
            return .failed(what: what, why: "s\(sid) is not serving clients (it is down, frozen, or has no quorum: \"This ZooKeeper instance is not currently serving requests\")",
                           fix: "`zk status` shows which servers serve")
        case .noServerServing:
            return .failed(what: what, why: "no server is serving: the ensemble has no quorum", fix: "restart or thaw servers until a majority runs (`zk status`)")
        case let .connectionLoss(name):
            return .failed(what: what, why: "KeeperErrorCode = ConnectionLoss: \(name) has no server (none that has seen its zxids serves)",
                           fix: "wait for a leader (`clock advance 1s`), or restore the quorum")
        case let .stillConnecting(name):
            return .failed(what: what, why: "\(name) is still connecting (createSession is in flight)", fix: "`step` or `clock advance 100ms`")
        case let .sessionGone(name, phase):
            let word = phase == .expired ? "KeeperErrorCode = Session expired" : "the session is closed"
            return .failed(what: what, why: "\(word) for client \(name)", fix: "`zk connect \(name)` opens a new session")
        case let .clientFrozen(name):
            return .failed(what: what, why: "client \(name) is frozen", fix: "`zk client thaw \(name)`")
        case let .clientNotFrozen(name):
            return .failed(what: what, why: "client \(name) is not frozen", fix: "`zk client freeze \(name)` pauses it")
        case let .keeper(error):
            return .failed(what: what, why: error.cliMessage, fix: nil)
        case let .ensemble(error):
            return .failed(what: what, why: "\(error)", fix: "`zk status` shows the servers")
        }
    }
}
