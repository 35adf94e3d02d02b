import CLibCrypto
import Dispatch
import Synchronization
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// The hot loop of Jeiwan part 2 `ProofOfWork.Run()`, without its per-nonce allocations and on every core.
///
/// Jeiwan rebuilds `prepareData(nonce)` with `bytes.Join` and hashes the whole message per nonce. Here,
/// once per block: the SHA-256 state after every complete 64-byte block lying before the nonce (the
/// "midstate") and the rest of the message, already carrying its SHA-256 padding (constant, since the
/// length never changes). Per nonce only the 8-byte BE64 nonce is rewritten in that tail and the 1 or 2
/// tail blocks are compressed with OpenSSL's `SHA256_Transform` (SHA-NI when the CPU has it). The bytes
/// hashed are exactly `prepareData(nonce)`, so every hash equals `ProofOfWork.sha256(prepareData(nonce))`.
///
/// The result never depends on the thread count: it is always the lowest valid nonce in range, as in
/// Jeiwan's sequential loop.
struct NonceSearch: Sendable {
    /// Nonces handed to a worker at a time; a range shorter than two chunks runs on the caller's thread.
    static let chunkSize: Int64 = 65_536

    /// State after the constant prefix blocks, as OpenSSL's `SHA256_CTX.h` holds it (native-endian words).
    private let midstate: [UInt32]
    /// The message bytes after the midstate plus SHA-256 padding: 64 or 128 bytes.
    private let tail: [UInt8]
    /// Where the BE64 nonce starts inside `tail`.
    private let nonceOffset: Int
    /// ProofOfWork.meets(): a hash qualifies when it has at least this many leading zero bits.
    private let requiredZeroBits: Int

    init(job: MiningJob) {
        let message = job.prepareData(nonce: 0)
        let nonceStart = message.count - ProofOfWork.intFieldLength
        let prefixBlocks = nonceStart / 64                        // complete blocks entirely before the nonce
        var tail = Array(message[(prefixBlocks * 64)...])
        // FIPS 180-4 §5.1.1 padding: 0x80, zeros, then the message length in bits as BE64.
        let paddedCount = (tail.count + 9 + 63) / 64 * 64
        tail.append(0x80)
        tail.append(contentsOf: [UInt8](repeating: 0, count: paddedCount - tail.count - 8))
        ProofOfWork.appendBE64(Int64(message.count) * 8, to: &tail)

        var ctx = SHA256_CTX()
        SHA256_Init(&ctx)
        message.withUnsafeBufferPointer { bytes in
            for block in 0..<prefixBlocks {
                // baseAddress is non-nil: prefixBlocks > 0 implies a non-empty message.
                if let base = bytes.baseAddress { SHA256_Transform(&ctx, base + block * 64) }
            }
        }
        self.midstate = NonceSearch.words(ctx.h)
        self.tail = tail
        self.nonceOffset = nonceStart - prefixBlocks * 64
        // allowed = 256 - targetBits (clamped), so required = 256 - allowed; <= 0 means every hash wins.
        self.requiredZeroBits = 256 - ProofOfWork.allowedSignificantBits(targetBits: job.targetBits)
    }

    struct Outcome: Equatable, Sendable {
        /// Number of nonces hashed (in a parallel run: the number the sequential loop would have hashed).
        var tried: Int64
        /// The last nonce hashed (the winner when `found`); meaningful only when `tried > 0`.
        var lastNonce: Int64
        var lastHash: [UInt8]
        var lastLeadingZeroBits: Int
        var found: Bool
    }

    /// Active processor count: the default number of workers.
    static var defaultThreads: Int { ProcessInfo.processInfo.activeProcessorCount }

    /// Tries `start, start+1, …` — at most `limit` nonces, never `Int64.max` itself (Jeiwan `nonce < maxNonce`) —
    /// and stops at the first hash below the target. With `threads > 1` and at least two chunks of work,
    /// chunks of `chunkSize` nonces are handed out in order to `threads` workers; the Outcome is identical.
    func run(from start: Int64, limit: Int64, threads: Int = NonceSearch.defaultThreads) -> Outcome {
        guard limit > 0, start >= 0, start < Int64.max else {
            return Outcome(tried: 0, lastNonce: start, lastHash: [], lastLeadingZeroBits: 0, found: false)
        }
        let count = min(limit, Int64.max - start)             // nonces start ..< start + count <= Int64.max
        let end = start + count
        let winner: Int64?
        if threads <= 1 || count < 2 * NonceSearch.chunkSize {
            winner = withScanner { $0.firstWinner(in: start..<end) }
        } else {
            winner = parallelFirstWinner(in: start..<end, threads: threads)
        }
        let last = winner ?? end - 1
        let hash = withScanner { $0.digest(nonce: last) }
        return Outcome(tried: last - start + 1, lastNonce: last, lastHash: hash,
                       lastLeadingZeroBits: ProofOfWork.leadingZeroBits(hash), found: winner != nil)
    }

    /// SHA-256 of `prepareData(nonce)` through the prepared midstate (tests compare it with swift-crypto).
    func digest(nonce: Int64) -> [UInt8] {
        withScanner { $0.digest(nonce: nonce) }
    }

    /// Lowest winner in `range`: workers claim chunk indexes from a shared counter, in increasing order.
    /// A chunk starting above the lowest winner seen so far cannot hold the answer, so its worker stops;
    /// every chunk below the final winner's chunk is therefore scanned completely (same answer as sequential).
    private func parallelFirstWinner(in range: Range<Int64>, threads: Int) -> Int64? {
        let chunkSize = NonceSearch.chunkSize
        let chunks = (range.upperBound - range.lowerBound + chunkSize - 1) / chunkSize
        let shared = SearchProgress()
        DispatchQueue.concurrentPerform(iterations: min(threads, Int(clamping: chunks))) { _ in
            withScanner { scanner in
                while true {
                    let index = shared.nextChunk.wrappingAdd(1, ordering: .relaxed).oldValue
                    guard index < chunks else { return }
                    let low = range.lowerBound + index * chunkSize
                    guard low < shared.lowestWinner.load(ordering: .relaxed) else { return }
                    let high = low + min(chunkSize, range.upperBound - low)   // no overflow near Int64.max
                    if let found = scanner.firstWinner(in: low..<high) {
                        shared.lowestWinner.min(found, ordering: .relaxed)
                        return                                 // later chunks of this worker lie above `found`
                    }
                }
            }
        }
        let lowest = shared.lowestWinner.load(ordering: .relaxed)
        return lowest == Int64.max ? nil : lowest            // Int64.max is never tried, so it means "none"
    }

    /// Gives `body` a scanner with its own scratch memory (one per thread: nothing is shared while hashing).
    private func withScanner<R>(_ body: (Scanner) -> R) -> R {
        let scanner = Scanner(search: self)
        defer { scanner.release() }
        return body(scanner)
    }

    /// Per-thread scratch: an OpenSSL context and a private copy of the padded tail.
    private struct Scanner {
        let ctx: UnsafeMutablePointer<SHA256_CTX>
        let tail: UnsafeMutableRawBufferPointer
        let midstate: (UInt32, UInt32, UInt32, UInt32, UInt32, UInt32, UInt32, UInt32)
        let nonceOffset: Int
        let blocks: Int
        let requiredZeroBits: Int

        init(search: NonceSearch) {
            ctx = .allocate(capacity: 1)
            ctx.initialize(to: SHA256_CTX())
            tail = .allocate(byteCount: search.tail.count, alignment: 16)
            tail.copyBytes(from: search.tail)
            let m = search.midstate
            midstate = (m[0], m[1], m[2], m[3], m[4], m[5], m[6], m[7])
            nonceOffset = search.nonceOffset
            blocks = search.tail.count / 64
            requiredZeroBits = search.requiredZeroBits
        }

        func release() {
            ctx.deallocate()
            tail.deallocate()
        }

        /// Leaves the state for `nonce` in `ctx.pointee.h`: 1 or 2 compressions, no allocation.
        @inline(__always)
        func compress(nonce: Int64) {
            tail.storeBytes(of: nonce.bigEndian, toByteOffset: nonceOffset, as: Int64.self)
            ctx.pointee.h = midstate
            // `tail` was allocated non-empty (64 or 128 bytes), so its base address exists.
            guard let base = tail.baseAddress?.assumingMemoryBound(to: UInt8.self) else { return }
            SHA256_Transform(ctx, base)
            if blocks == 2 { SHA256_Transform(ctx, base + 64) }
        }

        /// The first nonce in `range` whose hash meets the target, judged on the state words directly.
        func firstWinner(in range: Range<Int64>) -> Int64? {
            let required = requiredZeroBits
            let firstWord = UInt32(clamping: max(0, min(required, 32)))   // cheap pre-filter on h[0]
            var nonce = range.lowerBound
            while nonce < range.upperBound {
                compress(nonce: nonce)
                if ctx.pointee.h.0.leadingZeroBitCount >= firstWord,
                   NonceSearch.leadingZeroBits(ctx.pointee.h) >= required {
                    return nonce
                }
                nonce += 1
            }
            return nil
        }

        /// The 32-byte big-endian digest for `nonce` (built only for the last attempt or the winner).
        func digest(nonce: Int64) -> [UInt8] {
            compress(nonce: nonce)
            var out: [UInt8] = []
            out.reserveCapacity(32)
            for word in NonceSearch.words(ctx.pointee.h) {
                withUnsafeBytes(of: word.bigEndian) { out.append(contentsOf: $0) }
            }
            return out
        }
    }

    static func words(_ h: (UInt32, UInt32, UInt32, UInt32, UInt32, UInt32, UInt32, UInt32)) -> [UInt32] {
        [h.0, h.1, h.2, h.3, h.4, h.5, h.6, h.7]
    }

    /// Leading zero bits of the big-endian digest whose words are `h` (256 when all are zero).
    @inline(__always)
    static func leadingZeroBits(_ h: (UInt32, UInt32, UInt32, UInt32, UInt32, UInt32, UInt32, UInt32)) -> Int {
        withUnsafeBytes(of: h) { raw in
            var count = 0
            for index in 0..<8 {
                let word = raw.load(fromByteOffset: index * 4, as: UInt32.self)
                if word != 0 { return count + word.leadingZeroBitCount }
                count += 32
            }
            return count
        }
    }
}

/// Shared between the workers of one parallel search; atomics only, so it is Sendable without locks.
private final class SearchProgress: Sendable {
    /// Next chunk index to hand out.
    let nextChunk = Atomic<Int64>(0)
    /// Lowest winning nonce reported so far; Int64.max (never a tried nonce) when none.
    let lowestWinner = Atomic<Int64>(Int64.max)
}
