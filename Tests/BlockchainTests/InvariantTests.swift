import Foundation
import Testing
@testable import Blockchain

/// checkInvariants() stays empty across every kind of public step, and the state survives JSON round trips.
struct InvariantTests {
    // Goal: invariants hold after every single step of a scripted session mixing all operations; method: deterministic script, check after each call.
    @Test func invariantsAfterEveryStep() throws {
        var chain = Chain(targetBits: 6)
        var stepCount = 0
        func check(_ label: String) throws {
            stepCount += 1
            let violations = chain.checkInvariants()
            #expect(violations.isEmpty, "\(label): \(violations)")
            // Save-file round trip preserves the state exactly.
            let decoded = try JSONDecoder().decode(Chain.self, from: JSONEncoder().encode(chain))
            #expect(decoded == chain, "\(label): JSON round trip")
        }
        try check("init")
        try chain.reset(targetBits: 6, timestamp: Fixture.ts0)
        try check("reset")
        for round in 0..<6 {
            while chain.job != nil {
                try chain.tryNextNonce()
                try check("step genesis/round \(round)")
            }
            try chain.beginMining(data: Array("block \(round)".utf8), timestamp: Fixture.ts0 + Int64(round))
            try check("begin \(round)")
            if round % 2 == 0 {
                try chain.mineToCompletion(maxAttempts: Fixture.generous)
            } else {
                while chain.job != nil {
                    _ = try chain.mine(maxAttempts: 7)
                    try check("slice \(round)")
                }
            }
            try check("mined \(round)")
            if round == 3 { try chain.setTargetBits(7); try check("bits") }
            if round >= 2 {
                let target = round % chain.blocks.count
                try chain.tamper(index: target, data: [UInt8(round)], nonce: Int64(round), timestamp: nil)
                try check("tamper \(round)")
                try chain.beginRemine(from: target)
                try check("remine begin \(round)")
                while chain.job != nil {
                    try chain.tryNextNonce()
                    try check("remine step \(round)")
                }
                #expect(chain.validate().valid)
            }
        }
        #expect(chain.blocks.count == 7)
        #expect(chain.validate().valid)
        #expect(stepCount > 100)
    }

    // Goal: checkInvariants actually detects broken states; method: decoded states violating one rule each.
    @Test func invariantsDetectCorruption() throws {
        let good = try Fixture.threeBlocks(bits: 8)
        #expect(good.checkInvariants().isEmpty)
        let shortHash = try edited(good) { json in
            var blocks = json["blocks"] as? [[String: Any]] ?? []
            blocks[0]["hash"] = [1, 2, 3]
            json["blocks"] = blocks
        }
        #expect(shortHash.checkInvariants().contains { $0.contains("not 32") })
        let badBits = try edited(good) { json in json["targetBits"] = 0 }
        #expect(!badBits.checkInvariants().isEmpty)
        let badJob = try edited(good) { json in
            json["job"] = jobJSON(blockIndex: 3, data: [1], timestamp: 0, prev: [9], bits: 8, nextNonce: 4)
        }
        #expect(badJob.checkInvariants().count >= 2)      // wrong prev, progress without lastAttempt
    }

    // Goal: a chain in the middle of a re-mine survives a JSON round trip and resumes identically; method: encode/decode then finish both.
    @Test func midRemineRoundTrip() throws {
        var chain = try Fixture.threeBlocks(bits: 8)
        try chain.tamper(index: 0, data: [0x42], nonce: nil, timestamp: nil)
        try chain.beginRemine(from: 0)
        while chain.job?.blockIndex == 0 { try chain.tryNextNonce() }
        for _ in 0..<3 { try chain.tryNextNonce() }
        var decoded = try JSONDecoder().decode(Chain.self, from: JSONEncoder().encode(chain))
        #expect(decoded == chain)
        try chain.mineToCompletion(maxAttempts: Fixture.generous)
        try decoded.mineToCompletion(maxAttempts: Fixture.generous)
        #expect(decoded == chain)
        #expect(chain.validate().valid)
    }
}
