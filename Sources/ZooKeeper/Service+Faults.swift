/// Faults a learner injects, passed to the ensemble; afterwards clients and session timers settle.
extension Service {
    public mutating func kill(_ sid: Int, nowMs: Int64) throws(ServiceError) {
        try change(nowMs) { (e: inout Ensemble<DataTree>) throws in try e.kill(sid, nowMs: nowMs) }
    }

    public mutating func restart(_ sid: Int, nowMs: Int64) throws(ServiceError) {
        try change(nowMs) { (e: inout Ensemble<DataTree>) throws in try e.restart(sid, nowMs: nowMs) }
        // A restarted server counts session ids from its new start time.
        nextSessionIDs[sid - 1] = nil
    }

    public mutating func freeze(_ sid: Int, nowMs: Int64) throws(ServiceError) {
        try change(nowMs) { (e: inout Ensemble<DataTree>) throws in try e.freeze(sid, nowMs: nowMs) }
    }

    public mutating func thaw(_ sid: Int, nowMs: Int64) throws(ServiceError) {
        try change(nowMs) { (e: inout Ensemble<DataTree>) throws in try e.thaw(sid, nowMs: nowMs) }
    }

    public mutating func partition(_ a: [Int], _ b: [Int], oneWay: Bool, nowMs: Int64) throws(ServiceError) {
        try change(nowMs) { (e: inout Ensemble<DataTree>) throws in try e.partition(a, b, oneWay: oneWay, nowMs: nowMs) }
    }

    public mutating func heal(nowMs: Int64) {
        ensemble.heal(nowMs: nowMs)
        settle(nowMs: nowMs)
    }

    public mutating func setLatency(from a: Int, to b: Int, ms: Int64) throws(ServiceError) {
        do { try ensemble.setLatency(from: a, to: b, ms: ms) } catch { throw Self.wrap(error) }
    }

    public mutating func setLoss(_ p: Double) throws(ServiceError) {
        do { try ensemble.setLoss(p) } catch { throw Self.wrap(error) }
    }

    @discardableResult
    public mutating func addDropRule(_ rule: DropRule) -> Int { ensemble.addDropRule(rule) }
    public mutating func removeDropRules() { ensemble.removeDropRules() }

    static func wrap(_ error: any Error) -> ServiceError {
        (error as? EnsembleError).map(ServiceError.ensemble) ?? .ensemble(.unknownServer(0))
    }

    private mutating func change(_ nowMs: Int64, _ body: (inout Ensemble<DataTree>) throws -> Void) throws(ServiceError) {
        var copy = ensemble
        do { try body(&copy) } catch { throw Self.wrap(error) }
        ensemble = copy
        settle(nowMs: nowMs)
    }
}
