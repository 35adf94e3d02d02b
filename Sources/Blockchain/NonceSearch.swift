import Crypto

/// The hot loop of Jeiwan part 2 `ProofOfWork.Run()`, without its per-nonce allocations:
/// Jeiwan rebuilds `prepareData(nonce)` with `bytes.Join` on every nonce; here the buffer is built
/// once per block and only its last 8 bytes (BE64 nonce) are overwritten in place. The bytes hashed
/// are identical. The SHA-256 state after the constant prefix (the "midstate") is computed once and
/// copied per nonce, so each attempt hashes only the 8-byte nonce tail plus padding.
struct NonceSearch {
    private var buffer: [UInt8]
    private let nonceOffset: Int
    private let allowedBits: Int
    private let midstate: SHA256

    init(job: MiningJob) {
        let prepared = job.prepareData(nonce: 0)
        let offset = prepared.count - ProofOfWork.intFieldLength
        var hasher = SHA256()
        prepared.withUnsafeBytes { raw in
            hasher.update(bufferPointer: UnsafeRawBufferPointer(rebasing: raw[0..<offset]))
        }
        self.buffer = prepared
        self.nonceOffset = offset
        self.allowedBits = ProofOfWork.allowedSignificantBits(targetBits: job.targetBits)
        self.midstate = hasher
    }

    struct Outcome {
        /// Number of nonces hashed.
        var tried: Int64
        /// The last nonce hashed (the winner when `found`); meaningful only when `tried > 0`.
        var lastNonce: Int64
        var lastHash: [UInt8]
        var lastLeadingZeroBits: Int
        var found: Bool
    }

    /// Tries `start, start+1, …` — at most `limit` nonces, never `Int64.max` itself (Jeiwan `nonce < maxNonce`) —
    /// and stops at the first hash below the target.
    mutating func run(from start: Int64, limit: Int64) -> Outcome {
        guard limit > 0, start >= 0, start < Int64.max else {
            return Outcome(tried: 0, lastNonce: start, lastHash: [], lastLeadingZeroBits: 0, found: false)
        }
        let available = Int64.max - start              // nonces start ..< Int64.max
        let count = min(limit, available)
        let offset = nonceOffset
        let allowed = allowedBits
        let base = midstate
        var tried: Int64 = 0
        var nonce = start
        var lastDigest: SHA256Digest?
        var found = false
        var lastLZ = 0
        buffer.withUnsafeMutableBytes { raw in
            let tail = UnsafeRawBufferPointer(rebasing: raw[offset...])
            while tried < count {
                raw.storeBytes(of: nonce.bigEndian, toByteOffset: offset, as: Int64.self)
                var hasher = base
                hasher.update(bufferPointer: tail)
                let digest = hasher.finalize()
                tried += 1
                let lz = digest.withUnsafeBytes { ProofOfWork.leadingZeroBits(raw: $0) }
                // ProofOfWork.meets(): the hash's 256 - lz significant bits must fit below 1 << (256 - targetBits).
                if 256 - lz <= allowed {
                    lastDigest = digest
                    lastLZ = lz
                    found = true
                    break
                }
                if tried == count {
                    lastDigest = digest
                    lastLZ = lz
                    break
                }
                nonce += 1
            }
        }
        let hash = lastDigest.map { d in d.withUnsafeBytes { Array($0) } } ?? []
        return Outcome(tried: tried, lastNonce: nonce, lastHash: hash, lastLeadingZeroBits: lastLZ, found: found)
    }
}
