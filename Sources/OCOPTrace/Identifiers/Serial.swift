/// A stamp's serial number: 16 characters of Crockford's base32 (80 random bits) from the system's
/// cryptographically secure generator.
///
/// The alphabet has no I, L, O or U, so a serial read aloud or typed cannot mix up look-alikes, and
/// all its characters are in QR alphanumeric mode, which keeps the symbol small. With 80 bits, even
/// ten billion issued stamps leave the odds of guessing a valid serial near 10⁻¹⁴ (the EU's
/// anti-counterfeiting rules ask for less than 10⁻⁴).
public struct Serial: Hashable, Sendable, Comparable, CustomStringConvertible {
    public let text: String

    public static let length = 16
    static let alphabet = Array("0123456789ABCDEFGHJKMNPQRSTVWXYZ".utf8)

    /// The value (0...31) of each canonical serial character, -1 elsewhere.
    static let values: [Int8] = {
        var table = [Int8](repeating: -1, count: 256)
        for (value, byte) in alphabet.enumerated() { table[Int(byte)] = Int8(value) }
        return table
    }()

    /// A new random serial.
    public static func random<G: RandomNumberGenerator>(using generator: inout G) -> Serial {
        var bytes = [UInt8](repeating: 0, count: length)
        var bits = generator.next() as UInt64
        for index in 0..<12 {
            bytes[index] = alphabet[Int(bits & 31)]
            bits >>= 5
        }
        bits = generator.next() as UInt64
        for index in 12..<length {
            bytes[index] = alphabet[Int(bits & 31)]
            bits >>= 5
        }
        return Serial(unchecked: String(decoding: bytes, as: UTF8.self))
    }

    public static func random() -> Serial {
        var generator = SystemRandomNumberGenerator()
        return random(using: &generator)
    }

    init(unchecked text: String) {
        self.text = text
    }

    /// A serial as stored or as found in a URL: exactly 16 canonical characters, nothing forgiven.
    public init?(exactly text: String) {
        guard text.utf8.count == Serial.length, text.utf8.allSatisfy({ Serial.values[Int($0)] >= 0 }) else { return nil }
        self.text = text
    }

    public var description: String { text }

    public static func < (lhs: Serial, rhs: Serial) -> Bool { lhs.text < rhs.text }
}
