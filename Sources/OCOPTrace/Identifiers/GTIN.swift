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
        var digits: [UInt8] = []
        digits.reserveCapacity(14)
        var bytes = text.utf8.makeIterator()
        while let byte = bytes.next() {
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digits.append(byte)
            case UInt8(ascii: " "), UInt8(ascii: "-"): continue
            case 0xC2 where bytes.next() == 0xA0: continue  // no-break space
            default: throw .notDigits
            }
        }
        guard !digits.isEmpty else { throw .notDigits }
        guard [8, 12, 13, 14].contains(digits.count) else { throw .wrongLength(digits.count) }
        let padded = [UInt8](repeating: UInt8(ascii: "0"), count: 14 - digits.count) + digits
        guard padded.contains(where: { $0 != UInt8(ascii: "0") }) else { throw .allZero }
        let paddedText = String(decoding: padded, as: UTF8.self)
        let expected = GTIN.checkDigit(forLeading: paddedText.utf8.dropLast())
        let found = Character(Unicode.Scalar(padded[13]))
        guard expected == found else { throw .wrongCheckDigit(expected: expected, found: found) }
        self.digits = paddedText
    }

    /// The GS1 check digit for the digits before it: weights 3, 1, 3, ... from the right.
    public static func checkDigit(forLeading digits: some StringProtocol) -> Character {
        checkDigit(forLeading: Array(digits.utf8))
    }

    static func checkDigit(forLeading digits: some BidirectionalCollection<UInt8>) -> Character {
        var sum = 0
        for (offset, byte) in digits.reversed().enumerated() {
            let value = Int(byte) - 48
            sum += offset.isMultiple(of: 2) ? value * 3 : value
        }
        return Character(Unicode.Scalar(UInt8(48 + (10 - sum % 10) % 10)))
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

    /// Why this GTIN cannot name a product in open trade, when it cannot: restricted-circulation
    /// numbers (in-store and variable-measure items: GS1 prefixes 020–029, 040–049, 200–299, and
    /// GTIN-8s starting 0 or 2) and coupon numbers (050–059, 981–984, 990–999) mean something only
    /// inside one company or region, so marketplaces refuse them as product identifiers.
    public var restrictedUse: String? {
        let bytes = Array(digits.utf8)
        if bytes[0..<6].allSatisfy({ $0 == UInt8(ascii: "0") }) {
            return bytes[6] == UInt8(ascii: "0") || bytes[6] == UInt8(ascii: "2") ? "a restricted-circulation GTIN-8 (starts with \(Character(Unicode.Scalar(bytes[6]))))" : nil
        }
        let prefix = Int(String(decoding: bytes[1..<4], as: UTF8.self))!
        let shown = String(decoding: bytes[1..<4], as: UTF8.self)
        switch prefix {
        case 20...29, 40...49, 200...299: return "a restricted-circulation number (GS1 prefix \(shown))"
        case 50...59, 981...984, 990...999: return "a coupon number (GS1 prefix \(shown))"
        default: return nil
        }
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
