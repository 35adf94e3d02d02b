import Crypto

/// Jeiwan part 1 ("Basic Prototype") `Block.SetHash()`, before proof-of-work existed:
/// `timestamp := []byte(strconv.FormatInt(b.Timestamp, 10))`,
/// `headers := bytes.Join([][]byte{b.PrevBlockHash, b.Data, timestamp}, []byte{})`, `Hash = sha256(headers)`.
/// Added beside the required API so the host can show the part 1 → part 2 difference byte-exactly.
public enum BasicPrototype {
    /// PrevBlockHash ‖ Data ‖ ASCII decimal of Timestamp (no separators, no nonce).
    public static func headers(prevBlockHash: [UInt8], data: [UInt8], timestamp: Int64) -> [UInt8] {
        prevBlockHash + data + Array(String(timestamp).utf8)
    }

    public static func setHash(prevBlockHash: [UInt8], data: [UInt8], timestamp: Int64) -> [UInt8] {
        ProofOfWork.sha256(headers(prevBlockHash: prevBlockHash, data: data, timestamp: timestamp))
    }
}
