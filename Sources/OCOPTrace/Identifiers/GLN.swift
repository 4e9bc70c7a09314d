/// A Global Location Number: the 13 digits GS1 gives a place (a cooperative's premises), with the
/// same mod-10 check digit as a GTIN. EPCIS names where an event happened by it
/// (`https://id.gs1.org/414/{GLN}`), so it is verified on the way in: a `GLN` value is always valid.
public struct GLN: GS1Key {
    /// The 13 digits.
    public let digits: String

    public enum ParseError: Error, Equatable, Sendable, CustomStringConvertible {
        case notDigits
        case wrongLength(Int)
        case wrongCheckDigit(expected: Character, found: Character)
        case allZero

        public var description: String {
            switch self {
            case .notDigits: "a GLN has digits only"
            case .wrongLength(let length): "a GLN has 13 digits, not \(length)"
            case .wrongCheckDigit(let expected, let found): "wrong check digit \(found): the digits before it need \(expected)"
            case .allZero: "a GLN cannot be all zeros"
            }
        }
    }

    /// Parses 13 digits, ignoring spaces and dashes people put between digit groups.
    public init(parsing text: String) throws(ParseError) {
        guard let digits = GTIN.digitsIgnoringSeparators(text), !digits.isEmpty else { throw .notDigits }
        guard digits.count == 13 else { throw .wrongLength(digits.count) }
        guard digits.contains(where: { $0 != UInt8(ascii: "0") }) else { throw .allZero }
        let expected = GTIN.checkDigit(forLeading: digits.dropLast())
        let found = Character(Unicode.Scalar(digits[12]))
        guard expected == found else { throw .wrongCheckDigit(expected: expected, found: found) }
        self.digits = String(decoding: digits, as: UTF8.self)
    }

    /// The canonical GS1 Digital Link URI of the location, as EPCIS `readPoint` and `bizLocation` take it.
    public var digitalLink: String { StampURL.gs1CanonicalResolver + "/414/" + digits }
}
