import Foundation

/// Encodes and decodes a value with Foundation's JSON coders (tests only; the module has no Foundation).
enum JSONEncoderShim {
    static func roundTrip<T: Codable>(_ value: T) throws -> T {
        try JSONDecoder().decode(T.self, from: JSONEncoder().encode(value))
    }
}
