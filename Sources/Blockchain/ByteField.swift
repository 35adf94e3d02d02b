/// A named slice of the bytes that are hashed, for a hex dump with field boundaries.
/// `offset` is the position of `bytes` inside the full `prepareData` buffer.
public struct ByteField: Equatable, Sendable {
    public var name: String
    public var offset: Int
    public var bytes: [UInt8]

    public init(name: String, offset: Int, bytes: [UInt8]) {
        self.name = name
        self.offset = offset
        self.bytes = bytes
    }
}
