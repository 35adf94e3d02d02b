/// A scheduled piece of work: ordered by (time, sequence number) so that events due at the same
/// millisecond run in the order they were scheduled, deterministically.
public struct ScheduledEvent: Codable, Equatable, Sendable {
    public var timeMs: Int64
    public var sequence: UInt64
    /// The topic whose handler applies this event (e.g. "chain").
    public var topic: String
    /// What happens, named for the domain (e.g. "try-nonce").
    public var kind: String
    /// Small named arguments of the event.
    public var arguments: [String: String]

    public init(timeMs: Int64, sequence: UInt64, topic: String, kind: String, arguments: [String: String] = [:]) {
        self.timeMs = timeMs
        self.sequence = sequence
        self.topic = topic
        self.kind = kind
        self.arguments = arguments
    }

    func precedes(_ other: ScheduledEvent) -> Bool {
        (timeMs, sequence) < (other.timeMs, other.sequence)
    }
}

/// A binary min-heap of scheduled events.
public struct EventQueue: Codable, Equatable, Sendable {
    private var heap: [ScheduledEvent] = []
    public private(set) var nextSequence: UInt64 = 0

    public init() {}

    public var count: Int { heap.count }
    public var isEmpty: Bool { heap.isEmpty }
    public var next: ScheduledEvent? { heap.first }

    /// All pending events in the order they will run.
    public var pending: [ScheduledEvent] { heap.sorted { $0.precedes($1) } }

    @discardableResult
    public mutating func schedule(atMs time: Int64, topic: String, kind: String, arguments: [String: String] = [:]) -> ScheduledEvent {
        let event = ScheduledEvent(timeMs: time, sequence: nextSequence, topic: topic, kind: kind, arguments: arguments)
        nextSequence += 1
        heap.append(event)
        siftUp(heap.count - 1)
        return event
    }

    public mutating func pop() -> ScheduledEvent? {
        guard !heap.isEmpty else { return nil }
        heap.swapAt(0, heap.count - 1)
        let first = heap.removeLast()
        if !heap.isEmpty { siftDown(0) }
        return first
    }

    /// Removes every event of a topic (e.g. when its state is reset).
    public mutating func removeAll(topic: String) {
        let kept = heap.filter { $0.topic != topic }
        heap = []
        for event in kept.sorted(by: { $0.precedes($1) }) {
            heap.append(event)
            siftUp(heap.count - 1)
        }
    }

    private mutating func siftUp(_ start: Int) {
        var child = start
        while child > 0 {
            let parent = (child - 1) / 2
            guard heap[child].precedes(heap[parent]) else { return }
            heap.swapAt(child, parent)
            child = parent
        }
    }

    private mutating func siftDown(_ start: Int) {
        var parent = start
        while true {
            let left = 2 * parent + 1, right = left + 1
            var smallest = parent
            if left < heap.count, heap[left].precedes(heap[smallest]) { smallest = left }
            if right < heap.count, heap[right].precedes(heap[smallest]) { smallest = right }
            if smallest == parent { return }
            heap.swapAt(parent, smallest)
            parent = smallest
        }
    }
}
