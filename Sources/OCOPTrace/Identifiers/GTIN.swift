/// A Global Trade Item Number, always held as the 14-digit form GS1 Digital Link uses.
///
/// GTIN-8, -12 and -13 are padded with leading zeros; the check digit is verified on the way in, so
/// a `GTIN` value is always valid.
public struct GTIN: Hashable, Sendable, CustomStringConvertible, Codable {
    /// The 14 digits.
    public let digits: String

    public enum ParseError: Error, Equatable, Sendable, CustomStringConvertible {
        case notDigits
        case wrongLength(Int)
        case wrongCheckDigit(expected: Character, found: Character)
        case allZero

        public var description: String {
            switch self {
            case .notDigits: "a GTIN has digits only"
            case .wrongLength(let length): "a GTIN has 8, 12, 13 or 14 digits, not \(length)"
            case .wrongCheckDigit(let expected, let found):
                "wrong check digit \(found): the digits before it need \(expected)"
            case .allZero: "a GTIN cannot be all zeros"
            }
        }
    }

    /// Parses a GTIN-8/12/13/14, ignoring spaces and dashes people put between digit groups.
    public init(parsing text: String) throws(ParseError) {
        let cleaned = text.filter { $0 != " " && $0 != "-" && $0 != "\u{00A0}" }
        guard !cleaned.isEmpty, cleaned.allSatisfy({ $0.isASCII && $0.isNumber }) else { throw .notDigits }
        guard [8, 12, 13, 14].contains(cleaned.count) else { throw .wrongLength(cleaned.count) }
        let padded = String(repeating: "0", count: 14 - cleaned.count) + cleaned
        guard padded.contains(where: { $0 != "0" }) else { throw .allZero }
        let expected = GTIN.checkDigit(forLeading: padded.dropLast())
        let found = padded.last!
        guard expected == found else { throw .wrongCheckDigit(expected: expected, found: found) }
        digits = padded
    }

    /// The GS1 check digit for the digits before it: weights 3, 1, 3, ... from the right.
    public static func checkDigit(forLeading digits: some StringProtocol) -> Character {
        var sum = 0
        for (offset, character) in digits.reversed().enumerated() {
            let value = Int(character.asciiValue! - 48)
            sum += offset.isMultiple(of: 2) ? value * 3 : value
        }
        return Character(String((10 - sum % 10) % 10))
    }

    /// The shortest usual form: the 13 digits of a GTIN-13 (or 8/12 for those), as printed under a barcode.
    public var shortForm: String {
        var trimmed = Substring(digits)
        for length in [8, 12, 13] where digits.prefix(14 - length).allSatisfy({ $0 == "0" }) {
            trimmed = digits.suffix(length)
            break
        }
        return String(trimmed)
    }

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
