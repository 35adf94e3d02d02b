// What a step reports, the history records, and the ensemble's own event heap.

/// Timers and socket events a server reacts to.
public enum TimerKind: Codable, Equatable, Sendable {
    /// FLE: nothing received for notTimeout; resend the vote (FastLeaderElection.lookForLeader).
    case notificationTimeout
    /// FLE: the finalize wait after a quorum agreed on my proposal ended quietly; decide.
    case finalizeWait
    /// ZAB: discovery/synchronisation did not finish within initLimit×tickTime.
    case initLimit
    /// Learner.connectToLeader: try connecting to the leader again after a refusal.
    case connectRetry
    /// The peer and this server stopped hearing each other syncLimit×tickTime ago.
    case livenessCheck(peer: Int)
    /// A leader that lost a follower's connection checks it still has a quorum synced.
    case quorumCheck
    /// The TCP connection to `peer` was closed or reset by the other side.
    case connectionClosed(peer: Int)
}

/// What one step did.
public enum StepKind<State: ReplicatedState>: Equatable, Sendable {
    case delivered(Message<State>)
    case dropped(Message<State>, reason: String)
    case timer(sid: Int, TimerKind)
}

/// One apply of a committed txn on one server.
public struct Applied<State: ReplicatedState>: Equatable, Sendable {
    public var sid: Int
    public var zxid: Zxid
    public var output: State.Output
    /// The client request this txn came from (clients use it to get their replies).
    public var origin: RequestID?
}

/// A client `sync` completed on `sid`: the server has applied everything the leader had
/// proposed when it received the sync.
public struct SyncDone: Codable, Equatable, Sendable {
    public var sid: Int
    public var request: RequestID
}

/// A server changed role. `epoch` is the server's currentEpoch at the change.
public struct RoleChange: Codable, Equatable, Sendable {
    public var sid: Int
    public var from: Role
    public var to: Role
    public var epoch: Int64
}

/// The report of one `step`.
public struct EnsembleStep<State: ReplicatedState>: Equatable, Sendable {
    public var timeMs: Int64
    public var what: StepKind<State>
    /// Why-lines: the rule behind every decision the step made.
    public var notes: [String]
    public var applied: [Applied<State>]
    public var syncsDone: [SyncDone]
    public var roleChanges: [RoleChange]
}

/// One entry of the bounded history: a delivered or dropped message, or a decision.
public struct MessageRecord: Codable, Equatable, Sendable {
    public enum Event: Codable, Equatable, Sendable {
        case delivered(MessageDigest)
        case dropped(MessageDigest, reason: String)
        /// A server's decision or a fault command (role changes, serving, kill, restart…).
        case decision(sid: Int, text: String)
    }

    public var timeMs: Int64
    public var event: Event

    /// One line for a timeline.
    public var summary: String {
        switch event {
        case let .delivered(d): return d.summary
        case let .dropped(d, reason): return "\(d.summary) dropped: \(reason)"
        case let .decision(_, text): return text
        }
    }
}

/// Accumulates what the current step did (empty between steps).
struct StepScratch<State: ReplicatedState>: Equatable, Sendable {
    /// Whether the step is reported (notes and applies collected).
    var reporting = true
    var notes: [String] = []
    var applied: [Applied<State>] = []
    var syncsDone: [SyncDone] = []
    var roleChanges: [RoleChange] = []
}

/// A timer event: `token` names the arming it belongs to (stale when the server re-armed or
/// cancelled it); `ref` carries extra data (the start of a silence for liveness checks, the
/// connection id for socket closes).
struct TimerEvent: Codable, Equatable, Sendable {
    var sid: Int
    var kind: TimerKind
    var token: UInt64
    var ref: Int64
}

/// What the heap orders: a header without payloads (messages live in the ensemble's message
/// slots), so heap operations move small plain values.
enum EventHeader: Codable, Equatable, Sendable {
    case message(slot: Int, from: Int, to: Int)
    case timer(TimerEvent)
    /// A TCP close travelling from `from` to `to` (subject to the same link rules as messages):
    /// `reset` when the process died (RST), otherwise an orderly close (FIN).
    case socketClosed(from: Int, to: Int, conn: Int, reset: Bool)

    /// The server this event happens at.
    var target: Int {
        switch self {
        case let .message(_, _, to): return to
        case let .timer(t): return t.sid
        case let .socketClosed(_, to, _, _): return to
        }
    }
}

struct QueuedEvent: Codable, Equatable, Sendable {
    var timeMs: Int64
    var seq: UInt64
    var event: EventHeader

    @inline(__always) func precedes(_ other: QueuedEvent) -> Bool {
        timeMs < other.timeMs || (timeMs == other.timeMs && seq < other.seq)
    }
}

/// A binary min-heap ordered by (time, sequence), so events due at the same millisecond run in
/// the order they were scheduled.
struct EventHeap: Codable, Equatable, Sendable {
    private(set) var items: [QueuedEvent] = []
    private(set) var nextSeq: UInt64 = 0

    var isEmpty: Bool { items.isEmpty }
    var first: QueuedEvent? { items.first }

    mutating func schedule(_ time: Int64, _ event: EventHeader) {
        push(QueuedEvent(timeMs: time, seq: nextSeq, event: event))
        nextSeq += 1
    }

    /// Re-inserts an event with its original (time, sequence) key.
    mutating func push(_ item: QueuedEvent) {
        items.append(item)
        var child = items.count - 1
        while child > 0 {
            let parent = (child - 1) / 2
            guard items[child].precedes(items[parent]) else { break }
            items.swapAt(child, parent)
            child = parent
        }
    }

    mutating func pop() -> QueuedEvent? {
        guard !items.isEmpty else { return nil }
        items.swapAt(0, items.count - 1)
        let first = items.removeLast()
        var parent = 0
        let n = items.count
        while true {
            let left = 2 * parent + 1, right = left + 1
            var smallest = parent
            if left < n, items[left].precedes(items[smallest]) { smallest = left }
            if right < n, items[right].precedes(items[smallest]) { smallest = right }
            if smallest == parent { break }
            items.swapAt(parent, smallest)
            parent = smallest
        }
        return first
    }
}
