/// EIP-55 mixed-case checksum addresses.
public enum EIP55 {
    /// The checksummed text of a 20-byte address ("0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed"):
    /// hex digit i is upper-cased when nibble i of keccak256(lowercase hex without 0x) is ≥ 8.
    /// Returns nil unless `address` has exactly 20 bytes.
    public static func checksum(_ address: [UInt8]) -> String? {
        guard address.count == 20 else { return nil }
        let lower = Array(HexUtil.encode(address).utf8.dropFirst(2))
        let digest = Keccak256.hash(lower)
        var out: [UInt8] = [0x30, 0x78]
        for (k, ch) in lower.enumerated() {
            let nib = k % 2 == 0 ? digest[k / 2] >> 4 : digest[k / 2] & 0xF
            out.append(ch >= 0x61 && nib >= 8 ? ch - 0x20 : ch)
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// The 20 bytes of a "0x" + 40 hex digit address in any case (no checksum check); nil otherwise.
    public static func parse(_ text: String) -> [UInt8]? {
        let u = Array(text.utf8)
        guard u.count == 42, u[0] == 0x30, u[1] == 0x78 || u[1] == 0x58 else { return nil }
        return try? HexUtil.decodeDigits(u[2...])
    }

    /// True when `text` is a well-formed address whose letter case is exactly its EIP-55 checksum
    /// (what web3.py's `is_checksum_address` demands; an all-lowercase address passes only when
    /// its checksum happens to be all lowercase).
    public static func isValidChecksum(_ text: String) -> Bool {
        guard text.utf8.count == 42, text.hasPrefix("0x"), let bytes = parse(text) else { return false }
        return checksum(bytes) == text
    }
}
