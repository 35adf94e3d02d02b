import CLibCrypto
import Crypto

/// Proof-of-work hash-rate benchmark (the `bench` command prints it). This is the only place in the
/// module that reads a clock, and only a monotonic one (`ContinuousClock`): mining itself never does.
///
/// Every figure uses the same 88-byte message, Jeiwan part 4+: 32-byte prev ‖ 32-byte Merkle root ‖
/// Timestamp ‖ TargetBits ‖ Nonce, with targetBits 255 so that no nonce is ever found.
public enum HashRate {
    public enum Method: String, CaseIterable, Sendable {
        /// Jeiwan's loop: a new `prepareData` array per nonce, whole message hashed with swift-crypto.
        case naive
        /// The previous NonceSearch: swift-crypto hasher value copied after the first 64 bytes.
        case swiftCryptoMidstate
        /// NonceSearch (libcrypto `SHA256_Transform` on the prepared tail) on one thread.
        case libcryptoOneThread
        /// NonceSearch on `NonceSearch.defaultThreads` workers.
        case libcryptoAllCores
        /// Bulk `SHA256_Update` over a 16 KiB buffer, bytes/s ÷ 64: the ceiling for one core.
        case compressions
    }

    /// 88 bytes hashed per nonce (Jeiwan part 4+), nothing ever found.
    public static let job = MiningJob(blockIndex: 1, data: [UInt8](repeating: 0x4d, count: 32), timestamp: 1_231_006_505,
                                      prevBlockHash: [UInt8](repeating: 0xab, count: 32), targetBits: 255)

    /// Worker count used by `.libcryptoAllCores`.
    public static var threads: Int { NonceSearch.defaultThreads }

    /// Nonces per second (compressions per second for `.compressions`), measured for about `seconds`.
    public static func measure(_ method: Method, seconds: Double = 1) -> Double {
        switch method {
        case .naive:
            return rate(seconds: seconds) { start in naive(from: start, count: 20_000) }
        case .swiftCryptoMidstate:
            let search = SwiftCryptoMidstate(job: job)
            return rate(seconds: seconds) { start in search.run(from: start, count: 100_000) }
        case .libcryptoOneThread:
            let search = NonceSearch(job: job)
            return rate(seconds: seconds) { start in search.run(from: start, limit: 1 << 20, threads: 1).tried }
        case .libcryptoAllCores:
            let search = NonceSearch(job: job)
            return rate(seconds: seconds) { start in search.run(from: start, limit: 1 << 22).tried }
        case .compressions:
            return compressionRate(seconds: seconds)
        }
    }

    /// Runs `batch(start)` (returning the work it did) until `seconds` have passed; work per second.
    private static func rate(seconds: Double, _ batch: (Int64) -> Int64) -> Double {
        let clock = ContinuousClock()
        let begin = clock.now
        var done: Int64 = 0
        var elapsed = 0.0
        repeat {
            done += batch(done)
            let d = clock.now - begin
            elapsed = Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18
        } while elapsed < seconds
        return Double(done) / elapsed
    }

    private static func naive(from start: Int64, count: Int64) -> Int64 {
        var tried: Int64 = 0
        for nonce in start..<(start + count) {
            tried += 1
            if ProofOfWork.meets(hash: ProofOfWork.sha256(job.prepareData(nonce: nonce)), targetBits: job.targetBits) { break }
        }
        return tried
    }

    private static func compressionRate(seconds: Double) -> Double {
        let buffer = [UInt8](repeating: 0x5a, count: 16_384)
        var ctx = SHA256_CTX()
        SHA256_Init(&ctx)
        return rate(seconds: seconds) { _ in
            buffer.withUnsafeBytes { raw in
                for _ in 0..<64 { SHA256_Update(&ctx, raw.baseAddress, raw.count) }
            }
            return Int64(64 * buffer.count / 64)             // compressions: one per 64 bytes
        }
    }

    /// The old NonceSearch loop, kept as the benchmark's reference: the swift-crypto hasher after the
    /// constant prefix is copied per nonce, then fed the 8-byte nonce and finalized.
    private struct SwiftCryptoMidstate {
        let buffer: [UInt8]
        let offset: Int
        let midstate: SHA256

        init(job: MiningJob) {
            let prepared = job.prepareData(nonce: 0)
            let prefix = prepared.count - ProofOfWork.intFieldLength
            var hasher = SHA256()
            prepared.withUnsafeBytes { hasher.update(bufferPointer: UnsafeRawBufferPointer(rebasing: $0[..<prefix])) }
            offset = prefix
            buffer = prepared
            midstate = hasher
        }

        func run(from start: Int64, count: Int64) -> Int64 {
            var bytes = buffer
            var tried: Int64 = 0
            let required = 256 - ProofOfWork.allowedSignificantBits(targetBits: job.targetBits)
            bytes.withUnsafeMutableBytes { raw in
                let tail = UnsafeRawBufferPointer(rebasing: raw[offset...])
                for nonce in start..<(start + count) {
                    raw.storeBytes(of: nonce.bigEndian, toByteOffset: offset, as: Int64.self)
                    var hasher = midstate
                    hasher.update(bufferPointer: tail)
                    tried += 1
                    if hasher.finalize().withUnsafeBytes({ ProofOfWork.leadingZeroBits(raw: $0) }) >= required { break }
                }
            }
            return tried
        }
    }
}
