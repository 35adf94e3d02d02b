/// Access a client layer needs to one server's state: a read that leaves a watch changes that
/// server's copy of the tree (watches live on the server the client is connected to).
extension Ensemble {
    /// Runs `body` on the applied state of a running server; nothing if it is down.
    public mutating func withState(of sid: Int, _ body: (inout State) -> Void) {
        guard sid >= 1, sid <= size, nodes[sid - 1].alive else { return }
        body(&states[sid - 1])
    }
}
