/// A GS1 key held as its digits, always valid: read with ``init(parsing:)``, printed and written in
/// JSON as the digits alone (`"089387650000001234"`), and read back through the same check.
public protocol GS1Key: Hashable, Sendable, Codable, CustomStringConvertible {
    /// The digits, check digit last.
    var digits: String { get }
    /// Reads the key as people write it, verifying its check digit.
    init(parsing text: String) throws
}

extension GS1Key {
    public var description: String { digits }

    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        try self.init(parsing: text)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(digits)
    }
}
