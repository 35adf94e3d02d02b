import Foundation
import Testing
@testable import Blockchain

/// Shared fixtures. Timestamps are fixed (the module never reads a clock); 1231006505 is Bitcoin's genesis time.
enum Fixture {
    static let ts0: Int64 = 1_231_006_505
    /// Jeiwan part 1/2 `main.go` block data.
    static let data1: [UInt8] = Array("Send 1 BTC to Ivan".utf8)
    static let data2: [UInt8] = Array("Send 2 more BTC to Ivan".utf8)
    static let generous: Int64 = 50_000_000

    /// Genesis + Jeiwan's two blocks, mined at `bits` with timestamps ts0, ts0+10, ts0+20.
    static func threeBlocks(bits: Int) throws -> Chain {
        var chain = Chain(targetBits: bits)
        try chain.reset(targetBits: bits, timestamp: ts0)
        try chain.mineToCompletion(maxAttempts: generous)
        try chain.beginMining(data: data1, timestamp: ts0 + 10)
        try chain.mineToCompletion(maxAttempts: generous)
        try chain.beginMining(data: data2, timestamp: ts0 + 20)
        try chain.mineToCompletion(maxAttempts: generous)
        return chain
    }
}

func bytes(hex: String) -> [UInt8] {
    var out: [UInt8] = []
    var chars = Array(hex.utf8).makeIterator()
    while let hi = chars.next(), let lo = chars.next() {
        func nib(_ c: UInt8) -> UInt8 { c >= 97 ? c - 87 : (c >= 65 ? c - 55 : c - 48) }
        out.append(nib(hi) << 4 | nib(lo))
    }
    return out
}

/// Runs `body` on a copy, expects exactly `expected`, and expects the copy to be unchanged.
func expectUnchanged(_ chain: Chain, throws expected: ChainError,
                     sourceLocation: SourceLocation = #_sourceLocation,
                     _ body: (inout Chain) throws -> Void) {
    var copy = chain
    do {
        try body(&copy)
        Issue.record("expected \(expected), nothing thrown", sourceLocation: sourceLocation)
    } catch let error as ChainError {
        #expect(error == expected, sourceLocation: sourceLocation)
    } catch {
        Issue.record("unexpected error \(error)", sourceLocation: sourceLocation)
    }
    #expect(copy == chain, "state changed by a throwing call", sourceLocation: sourceLocation)
}

/// Edits the JSON save-file form of a chain (to build states no public call can reach) and decodes it back.
func edited(_ chain: Chain, _ edit: (inout [String: Any]) -> Void) throws -> Chain {
    let data = try JSONEncoder().encode(chain)
    var object = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
    edit(&object)
    let newData = try JSONSerialization.data(withJSONObject: object)
    return try JSONDecoder().decode(Chain.self, from: newData)
}

func jobJSON(blockIndex: Int, data: [UInt8], timestamp: Int64, prev: [UInt8], bits: Int,
             nextNonce: Int64, remineThrough: Int? = nil) -> [String: Any] {
    var job: [String: Any] = [
        "blockIndex": blockIndex, "data": data.map { Int($0) }, "timestamp": timestamp,
        "prevBlockHash": prev.map { Int($0) }, "targetBits": bits, "nextNonce": nextNonce, "attempts": nextNonce,
    ]
    if let remineThrough { job["remineThrough"] = remineThrough }
    return job
}
