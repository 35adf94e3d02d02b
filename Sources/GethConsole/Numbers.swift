import JSONRPC
// Exact number handling for the console: arbitrary-size unsigned integers (hex <-> decimal),
// a decimal type that mimics bignumber.js as bundled with web3.js 0.20, and JavaScript's
// Number-to-string algorithm (ECMAScript Number::toString).

/// Arbitrary-size unsigned integer, little-endian limbs in base 10^9 (only what the console needs).
struct BigUInt: Equatable {
    static let base: UInt64 = 1_000_000_000
    var limbs: [UInt32] = []   // empty = 0; no high zero limbs

    var isZero: Bool { limbs.isEmpty }

    mutating func multiplyAdd(_ m: UInt32, _ a: UInt32) {
        var carry = UInt64(a)
        for i in limbs.indices {
            let v = UInt64(limbs[i]) * UInt64(m) + carry
            limbs[i] = UInt32(v % Self.base)
            carry = v / Self.base
        }
        while carry > 0 {
            limbs.append(UInt32(carry % Self.base))
            carry /= Self.base
        }
    }

    /// Divides in place, returning the remainder.
    mutating func divide(by d: UInt32) -> UInt32 {
        var rem: UInt64 = 0
        for i in limbs.indices.reversed() {
            let cur = rem * Self.base + UInt64(limbs[i])
            limbs[i] = UInt32(cur / UInt64(d))
            rem = cur % UInt64(d)
        }
        while let last = limbs.last, last == 0 { limbs.removeLast() }
        return UInt32(rem)
    }

    /// Hex digits without prefix (case-insensitive); nil if empty or not hex.
    init?(hexDigits: Substring) {
        guard !hexDigits.isEmpty else { return nil }
        for ch in hexDigits {
            guard let d = ch.hexDigitValue else { return nil }
            multiplyAdd(16, UInt32(d))
        }
    }

    /// Decimal digit values, most significant first.
    init(decimalDigits: [UInt8]) {
        for d in decimalDigits { multiplyAdd(10, UInt32(d)) }
    }

    init() {}

    var decimalString: String {
        guard let top = limbs.last else { return "0" }
        var s = String(top)
        for limb in limbs.dropLast().reversed() {
            let part = String(limb)
            s += String(repeating: "0", count: 9 - part.count) + part
        }
        return s
    }

    var hexString: String {
        if isZero { return "0" }
        var copy = self
        var out: [Character] = []
        let digits = Array("0123456789abcdef")
        while !copy.isZero { out.append(digits[Int(copy.divide(by: 16))]) }
        return String(out.reversed())
    }
}

/// Converts a hex QUANTITY such as "0x1639e49bba16280000" (any size) to decimal digits.
/// Returns nil when the text is not `0x` followed by at least one hex digit.
public func hexToDecimalString(_ hex: String) -> String? {
    guard hex.hasPrefix("0x") || hex.hasPrefix("0X") else { return nil }
    guard let n = BigUInt(hexDigits: hex.dropFirst(2)) else { return nil }
    return n.decimalString
}

/// A signed decimal number, stored like bignumber.js: coefficient digits (no leading or trailing
/// zeros) and the exponent of the first digit, so value = d0.d1d2… × 10^exponent.
struct BigDecimal: Equatable {
    var negative = false
    var digits: [UInt8] = []   // empty = zero
    var exponent = 0

    static let maxExponent = 10_000   // keeps hostile input ("1e999999999") from allocating

    var isZero: Bool { digits.isEmpty }
    var isInteger: Bool { digits.count <= exponent + 1 }

    init() {}

    init(negative: Bool, digits: [UInt8], exponent: Int) {
        self.negative = negative
        self.digits = digits
        self.exponent = exponent
        normalize()
    }

    mutating func normalize() {
        var lead = 0
        while lead < digits.count && digits[lead] == 0 { lead += 1 }
        if lead > 0 { digits.removeFirst(lead); exponent -= lead }
        while let last = digits.last, last == 0 { digits.removeLast() }
        if digits.isEmpty { negative = false; exponent = 0 }
    }

    /// bignumber.js's decimal grammar: `-?(\d+(\.\d*)?|\.\d+)(e[+-]?\d+)?` (case-insensitive e).
    init?(decimal text: String) {
        var chars = Substring(text)
        var neg = false
        if chars.first == "-" { neg = true; chars = chars.dropFirst() }
        var mantissa = chars
        var exp = 0
        if let eIndex = chars.firstIndex(where: { $0 == "e" || $0 == "E" }) {
            mantissa = chars[chars.startIndex..<eIndex]
            var expText = chars[chars.index(after: eIndex)...]
            var expNeg = false
            if expText.first == "+" || expText.first == "-" { expNeg = expText.first == "-"; expText = expText.dropFirst() }
            guard !expText.isEmpty, expText.allSatisfy({ $0.isASCII && $0.isNumber }), expText.count <= 6,
                  let e = Int(expText) else { return nil }
            exp = expNeg ? -e : e
        }
        let parts = mantissa.split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false)
        let intPart = parts.first ?? ""
        let fracPart = parts.count > 1 ? parts[1] : ""
        guard !(intPart.isEmpty && fracPart.isEmpty),
              intPart.allSatisfy({ $0.isASCII && $0.isNumber }),
              fracPart.allSatisfy({ $0.isASCII && $0.isNumber }) else { return nil }
        if parts.count > 1 && intPart.isEmpty && fracPart.isEmpty { return nil }
        let all = (intPart + fracPart).compactMap { $0.wholeNumberValue.map(UInt8.init) }
        self.init(negative: neg, digits: all, exponent: intPart.count - 1 + exp)
        guard abs(exponent) <= Self.maxExponent else { return nil }
    }

    /// "0x…" or "-0x…" (hex digits only).
    init?(hex text: String) {
        var t = Substring(text)
        var neg = false
        if t.hasPrefix("-") { neg = true; t = t.dropFirst() }
        guard t.hasPrefix("0x") || t.hasPrefix("0X"), t.count <= 2_000,
              let n = BigUInt(hexDigits: t.dropFirst(2)) else { return nil }
        let ds = n.decimalString.compactMap { $0.wholeNumberValue.map(UInt8.init) }
        self.init(negative: neg, digits: ds, exponent: ds.count - 1)
    }

    init(_ double: Double) {
        // Via JavaScript's own string form, as web3.js does (`new BigNumber(n.toString(10))`).
        self = BigDecimal(decimal: jsNumberString(double)) ?? BigDecimal()
    }

    func shifted(by k: Int) -> BigDecimal {
        var r = self
        if !r.isZero { r.exponent += k }
        return r
    }

    /// Rounds to at most `places` decimal places, ROUND_HALF_UP (bignumber.js defaults: 20, mode 4).
    func rounded(places: Int) -> BigDecimal {
        let keep = exponent + 1 + places   // number of coefficient digits to keep
        guard digits.count > keep else { return self }
        if keep < 0 { return BigDecimal() }
        var kept = Array(digits.prefix(keep))
        var exp = exponent
        if digits[keep] >= 5 {
            var i = kept.count - 1
            var carry = true
            while carry && i >= 0 {
                if kept[i] == 9 { kept[i] = 0; i -= 1 } else { kept[i] += 1; carry = false }
            }
            if carry { kept.insert(1, at: 0); exp += 1 }
            if kept.isEmpty { kept = [1]; exp = -places }
        }
        return BigDecimal(negative: negative, digits: kept, exponent: exp)
    }

    /// Plain notation (bignumber.js `toString(10)` / toFixedPoint).
    var fixedString: String {
        if isZero { return "0" }
        let coeff = String(digits.map { Character(String($0)) })
        var s: String
        if exponent < 0 {
            s = "0." + String(repeating: "0", count: -exponent - 1) + coeff
        } else if exponent + 1 >= digits.count {
            s = coeff + String(repeating: "0", count: exponent + 1 - digits.count)
        } else {
            let cut = coeff.index(coeff.startIndex, offsetBy: exponent + 1)
            s = coeff[..<cut] + "." + coeff[cut...]
        }
        return negative ? "-" + s : s
    }

    /// bignumber.js `toString()` with the default EXPONENTIAL_AT [-7, 20]: exponential notation
    /// when exponent <= -7 or >= 21 ("1e+21", "1.5e-18"), plain otherwise.
    var jsString: String {
        if isZero { return "0" }
        guard exponent <= -7 || exponent >= 21 else { return fixedString }
        let coeff = digits.map { String($0) }.joined()
        let mant = coeff.count > 1 ? String(coeff.prefix(1)) + "." + String(coeff.dropFirst()) : coeff
        let s = mant + (exponent < 0 ? "e" : "e+") + String(exponent)
        return negative ? "-" + s : s
    }

    /// "0x…" hex of an integer value ("-0x…" when negative); nil for fractions.
    var hexQuantity: String? {
        guard isInteger else { return nil }
        if isZero { return "0x0" }
        let intDigits = digits + Array(repeating: 0, count: exponent + 1 - digits.count)
        let hex = BigUInt(decimalDigits: intDigits).hexString
        return (negative ? "-0x" : "0x") + hex
    }

    var doubleValue: Double { Double(jsString) ?? .nan }
}

/// ECMAScript Number::toString(10): "1", "0.5", "1e+21", "1.2345678901234568e+29", "1e-7".
func jsNumberString(_ d: Double) -> String {
    if d.isNaN { return "NaN" }
    if d.isInfinite { return d < 0 ? "-Infinity" : "Infinity" }
    if d == 0 { return "0" }
    if d < 0 { return "-" + jsNumberString(-d) }
    // Swift's description is the shortest round-tripping digit string, as JavaScript requires.
    let text = "\(d)"
    var mantissa = Substring(text)
    var exp = 0
    if let e = text.firstIndex(where: { $0 == "e" || $0 == "E" }) {
        mantissa = text[text.startIndex..<e]
        exp = Int(text[text.index(after: e)...]) ?? 0
    }
    var ds: [Character] = []
    var point = 0
    var seenPoint = false
    for ch in mantissa {
        if ch == "." { seenPoint = true; continue }
        ds.append(ch)
        if !seenPoint { point += 1 }
    }
    while ds.first == "0" { ds.removeFirst(); point -= 1 }
    while ds.last == "0" { ds.removeLast() }
    if ds.isEmpty { return "0" }
    let k = ds.count
    let n = point + exp
    let s = String(ds)
    if k <= n && n <= 21 { return s + String(repeating: "0", count: n - k) }
    if 0 < n && n <= 21 { return String(ds[0..<n]) + "." + String(ds[n...]) }
    if -6 < n && n <= 0 { return "0." + String(repeating: "0", count: -n) + s }
    let e = n - 1
    let expPart = (e < 0 ? "e-" : "e+") + String(abs(e))
    return k == 1 ? s + expPart : String(ds[0]) + "." + String(ds[1...]) + expPart
}
