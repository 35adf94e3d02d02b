import CLibCrypto
import Crypto

/// Deterministic ECDSA on P-256 with SHA-256, as RFC 6979 specifies it (T. Pornin, August 2013).
///
/// swift-crypto's `P256.Signing` draws a fresh random nonce for every signature, so the same
/// transaction signed twice gives two different signatures, and the Merkle roots and block hashes
/// covering them differ between runs. RFC 6979 derives the nonce `k` from the private key and the
/// message digest with HMAC-DRBG (§3.2), so a seed and a script always give the same bytes, and the
/// signatures stay ordinary ECDSA signatures that any verifier (here swift-crypto's
/// `isValidSignature`) accepts (RFC 6979 §1, §3.3).
///
/// Division of labour: HMAC-SHA256 comes from swift-crypto (`HMAC<SHA256>`); every operation on
/// the curve and on scalars mod n comes from OpenSSL's libcrypto (`EC_POINT_mul`, `BN_nnmod`,
/// `BN_mod_inverse`, `BN_mod_mul`, `BN_mod_add`). Nothing here is hand-written curve arithmetic.
///
/// Parameters fixed by P-256 with SHA-256 (RFC 6979 §2.3, A.2.5): qlen = hlen = rlen = 256 bits,
/// so `bits2int` needs no shift and `int2octets` always gives 32 octets.
public enum DeterministicECDSA {
    /// Why a signature could not be made. Every libcrypto failure becomes one of these (no traps).
    public enum Failure: Error, Equatable, Sendable {
        /// The private key is not 32 bytes or its scalar is not in [1, n-1] (RFC 6979 §2.2).
        case invalidPrivateKey
        /// A libcrypto call failed (allocation, or an arithmetic precondition); names the call.
        case libcrypto(String)
    }

    /// Octet length of n for P-256: rlen = 8·ceil(qlen/8) = 256 bits (RFC 6979 §2.3.3).
    static let scalarBytes = 32

    /// Signs `message` as swift-crypto's `signature(for: message)` does (the digest is SHA-256 of
    /// the message), but with RFC 6979's deterministic `k`. Returns r‖s, each 32 bytes big-endian,
    /// left-padded: the layout of `P256.Signing.ECDSASignature.rawRepresentation`.
    public static func sign(message: [UInt8], privateKey: [UInt8]) throws -> [UInt8] {
        try signing(message: message, privateKey: privateKey).signature
    }

    /// `sign(message:privateKey:)` together with the nonce `k` it used (for the RFC 6979
    /// Appendix A.2.5 tests only; a nonce must never leave the signer).
    static func signing(message: [UInt8], privateKey: [UInt8]) throws -> (k: [UInt8], signature: [UInt8]) {
        // RFC 6979 §2.4 step 1 / §3.2 a: h1 = H(m) with H = SHA-256.
        try signature(digest: Array(SHA256.hash(data: message)), privateKey: privateKey)
    }

    /// The signature of a 32-byte SHA-256 digest `h1` and the nonce `k` that produced it (the
    /// nonce is returned for the RFC 6979 Appendix A.2.5 tests only; it must never be revealed).
    static func signature(digest h1: [UInt8], privateKey: [UInt8]) throws -> (k: [UInt8], signature: [UInt8]) {
        guard h1.count == scalarBytes else { throw Failure.libcrypto("digest must be 32 bytes") }
        guard privateKey.count == scalarBytes else { throw Failure.invalidPrivateKey }

        // The P-256 group (RFC 6979 §2.1: curve E, generator G of prime order q = n).
        guard let group = EC_GROUP_new_by_curve_name(NID_X9_62_prime256v1) else {
            throw Failure.libcrypto("EC_GROUP_new_by_curve_name")
        }
        defer { EC_GROUP_free(group) }
        guard let ctx = BN_CTX_new() else { throw Failure.libcrypto("BN_CTX_new") }
        defer { BN_CTX_free(ctx) }
        guard let q = EC_GROUP_get0_order(group) else { throw Failure.libcrypto("EC_GROUP_get0_order") }

        // x: the private key as an integer, 0 < x < q (RFC 6979 §2.2).
        let x = try newBignum(privateKey)
        defer { BN_clear_free(x) }
        guard BN_is_zero(x) == 0, BN_cmp(x, q) < 0 else { throw Failure.invalidPrivateKey }

        // §2.4 step 1 / §2.3.2: e = bits2int(H(m)); with hlen = qlen = 256 this is h1 as an
        // integer, not yet reduced (the reduction happens inside the mod-n operations below).
        let e = try newBignum(h1)
        defer { BN_clear_free(e) }

        // §2.3.4 bits2octets(h1) = int2octets(bits2int(h1) mod q). bits2int(h1) < 2^256 < 2q,
        // and BN_nnmod does the reduction.
        let z2 = try newBignum(nil)
        defer { BN_clear_free(z2) }
        guard BN_nnmod(z2, e, q, ctx) == 1 else { throw Failure.libcrypto("BN_nnmod(h1, q)") }
        let hashOctets = try octets(z2)
        // §2.3.3 int2octets(x): x is already below q, so this is the key, left-padded to rlen.
        let keyOctets = try octets(x)

        var drbg = RFC6979Nonces(keyOctets: keyOctets, hashOctets: hashOctets)

        let k = try newBignum(nil)
        defer { BN_clear_free(k) }
        guard let point = EC_POINT_new(group) else { throw Failure.libcrypto("EC_POINT_new") }
        defer { EC_POINT_clear_free(point) }
        let px = try newBignum(nil)
        defer { BN_clear_free(px) }
        let r = try newBignum(nil)
        defer { BN_clear_free(r) }
        let rx = try newBignum(nil)
        defer { BN_clear_free(rx) }
        let sum = try newBignum(nil)
        defer { BN_clear_free(sum) }
        let s = try newBignum(nil)
        defer { BN_clear_free(s) }
        // BN_mod_inverse allocates its result when passed nil; keep one we own instead.
        let kinv = try newBignum(nil)
        defer { BN_clear_free(kinv) }

        // §3.2 step h: draw candidates until one is in [1, q-1] and gives r ≠ 0 and s ≠ 0.
        // (For P-256 a retry happens with probability about 2^-32 per candidate.)
        while true {
            let candidate = drbg.next()
            // §3.2 h.3: k = bits2int(T); with tlen = qlen = 256 no shift is needed.
            guard BN_bin2bn(candidate, Int32(candidate.count), k) != nil else {
                throw Failure.libcrypto("BN_bin2bn(k)")
            }
            guard BN_is_zero(k) == 0, BN_cmp(k, q) < 0 else { continue }  // out of range: next T

            // §2.4 step 3: R = k·G, r = x_R mod q.
            guard EC_POINT_mul(group, point, k, nil, nil, ctx) == 1 else { throw Failure.libcrypto("EC_POINT_mul") }
            guard EC_POINT_get_affine_coordinates(group, point, px, nil, ctx) == 1 else {
                throw Failure.libcrypto("EC_POINT_get_affine_coordinates")
            }
            guard BN_nnmod(r, px, q, ctx) == 1 else { throw Failure.libcrypto("BN_nnmod(x_R, q)") }
            if BN_is_zero(r) != 0 { continue }  // §2.4 step 3: r = 0 ⇒ new k

            // §2.4 step 4: s = k⁻¹ · (e + x·r) mod q.
            guard BN_mod_inverse(kinv, k, q, ctx) != nil else { throw Failure.libcrypto("BN_mod_inverse") }
            guard BN_mod_mul(rx, r, x, q, ctx) == 1 else { throw Failure.libcrypto("BN_mod_mul(r, x)") }
            guard BN_mod_add(sum, e, rx, q, ctx) == 1 else { throw Failure.libcrypto("BN_mod_add(e, rx)") }
            guard BN_mod_mul(s, kinv, sum, q, ctx) == 1 else { throw Failure.libcrypto("BN_mod_mul(kinv, sum)") }
            if BN_is_zero(s) != 0 { continue }  // §2.4 step 4: s = 0 ⇒ new k

            // §2.4 step 5: the pair (r, s), each as rlen/8 = 32 octets, big-endian.
            return (candidate, try octets(r) + octets(s))
        }
    }

    /// A fresh BIGNUM, set from big-endian bytes when given. The caller frees it (`BN_clear_free`).
    private static func newBignum(_ bytes: [UInt8]?) throws -> OpaquePointer {
        guard let bn = BN_new() else { throw Failure.libcrypto("BN_new") }
        if let bytes, BN_bin2bn(bytes, Int32(bytes.count), bn) == nil {
            BN_clear_free(bn)
            throw Failure.libcrypto("BN_bin2bn")
        }
        return bn
    }

    /// int2octets (RFC 6979 §2.3.3): big-endian, left-padded to rlen/8 = 32 octets.
    private static func octets(_ bn: OpaquePointer) throws -> [UInt8] {
        var out = [UInt8](repeating: 0, count: scalarBytes)
        guard BN_bn2binpad(bn, &out, Int32(scalarBytes)) == Int32(scalarBytes) else {
            throw Failure.libcrypto("BN_bn2binpad")
        }
        return out
    }
}

/// The HMAC-DRBG of RFC 6979 §3.2 with HMAC-SHA256 (hlen = 256), steps b–h, producing the
/// successive candidate values T (= k before the range check) for one key and digest.
struct RFC6979Nonces {
    /// The DRBG state: K (the HMAC key) and V, hlen/8 = 32 octets each.
    private var k: [UInt8]
    private var v: [UInt8]
    /// Whether a candidate was handed out, so that the next call first runs step h.3's update.
    private var produced = false

    /// `keyOctets` = int2octets(x), `hashOctets` = bits2octets(h1), 32 octets each.
    init(keyOctets: [UInt8], hashOctets: [UInt8]) {
        // §3.2 b: V = 0x01 0x01 ... 0x01; c: K = 0x00 0x00 ... 0x00.
        v = [UInt8](repeating: 0x01, count: 32)
        k = [UInt8](repeating: 0x00, count: 32)
        // §3.2 d: K = HMAC_K(V || 0x00 || int2octets(x) || bits2octets(h1)).
        k = Self.hmac(k, v + [0x00] + keyOctets + hashOctets)
        // §3.2 e: V = HMAC_K(V).
        v = Self.hmac(k, v)
        // §3.2 f: K = HMAC_K(V || 0x01 || int2octets(x) || bits2octets(h1)).
        k = Self.hmac(k, v + [0x01] + keyOctets + hashOctets)
        // §3.2 g: V = HMAC_K(V).
        v = Self.hmac(k, v)
    }

    /// The next T of §3.2 step h (tlen = qlen = 256, so one HMAC output fills it).
    mutating func next() -> [UInt8] {
        if produced {
            // §3.2 h.3, when the previous k was unsuitable: K = HMAC_K(V || 0x00); V = HMAC_K(V).
            k = Self.hmac(k, v + [0x00])
            v = Self.hmac(k, v)
        }
        produced = true
        // §3.2 h.1: T = empty; h.2: while tlen < qlen { V = HMAC_K(V); T = T || V }.
        var t: [UInt8] = []
        while t.count * 8 < 256 {
            v = Self.hmac(k, v)
            t += v
        }
        return t
    }

    private static func hmac(_ key: [UInt8], _ data: [UInt8]) -> [UInt8] {
        Array(HMAC<SHA256>.authenticationCode(for: data, using: SymmetricKey(data: key)))
    }
}
