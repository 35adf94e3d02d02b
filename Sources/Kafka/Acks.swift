// Producer `acks` setting (kafka.md §2.4). Raw values are what a producer config file says.

public enum Acks: String, Codable, Sendable, CaseIterable {
    /// acks=0: the broker sends no response; a real producer reports offset -1 (the cluster still
    /// returns the offsets it assigned, so the caller decides what a learner sees).
    case none = "0"
    /// acks=1: the leader appended locally.
    case leader = "1"
    /// acks=all (-1): every ISR member has the batch; needs ISR >= min.insync.replicas.
    case all = "all"
}
