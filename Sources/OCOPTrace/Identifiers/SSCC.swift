/// A Serial Shipping Container Code (GS1 AI 00): the 18 digits that name one carton or pallet.
///
/// An SSCC is an extension digit (0–9, which the packer uses to widen its range), the GS1 company
/// prefix of whoever builds the SSCC, a serial reference chosen by that company, padded with zeros
/// to 17 digits, and the GS1 mod-10 check digit GTINs and GLNs have. The digits say nothing about
/// what is inside or where it comes from; the company prefix does not even name the origin.
/// The check digit is verified on the way in, so an `SSCC` value is always valid.
///
/// ```swift
/// let carton = try SSCC(extensionDigit: 0, companyPrefix: "8938765", serialReference: 123)
/// carton.digits            // "089387650000001234"
/// carton.digitalLinkPath   // "/00/089387650000001234"
/// carton.humanReadable     // "(00) 0 89387650000001234"
/// ```
public struct SSCC: GS1Key {
    /// The 18 digits, check digit last.
    public let digits: String

    /// The GS1 Application Identifier of an SSCC, as Digital Link paths and element strings write it.
    public static let applicationIdentifier = "00"
    /// The lengths of GS1 company prefix an SSCC can carry (the range EPC URNs accept).
    public static let companyPrefixLengths = 6...12

    public enum ParseError: Error, Equatable, Sendable, CustomStringConvertible {
        case notDigits
        case wrongLength(Int)
        /// 17 digits: the check digit was left off (it would be `expected`).
        case missingCheckDigit(expected: Character)
        case wrongCheckDigit(expected: Character, found: Character)

        public var description: String {
            switch self {
            case .notDigits: "an SSCC has digits only"
            case .wrongLength(let length): "an SSCC has 18 digits, not \(length)"
            case .missingCheckDigit(let expected):
                "an SSCC has 18 digits, not 17: the check digit is missing (for these 17 digits it is \(expected))"
            case .wrongCheckDigit(let expected, let found): "wrong check digit \(found): the digits before it need \(expected)"
            }
        }
    }

    public enum BuildError: Error, Equatable, Sendable, CustomStringConvertible {
        case extensionDigitOutOfRange(Int)
        case companyPrefixNotDigits(String)
        case companyPrefixLength(Int)
        case serialReferenceOutOfRange(Int, largest: Int)

        public var description: String {
            switch self {
            case .extensionDigitOutOfRange(let digit): "the extension digit of an SSCC is 0 to 9, not \(digit)"
            case .companyPrefixNotDigits(let prefix): "a GS1 company prefix has digits only, not \(prefix.quoted)"
            case .companyPrefixLength(let length):
                "a GS1 company prefix has \(SSCC.companyPrefixLengths.lowerBound) to \(SSCC.companyPrefixLengths.upperBound) digits, not \(length)"
            case .serialReferenceOutOfRange(let serial, let largest):
                "serial reference \(serial) does not fit: with this company prefix it runs from 0 to \(largest)"
                    + " (use another extension digit, or a longer company prefix's range)"
            }
        }
    }

    /// Parses 18 digits, ignoring spaces and dashes between digit groups and a leading `(00)` as
    /// labels print it (`(00) 0 89387650000001234`).
    public init(parsing text: String) throws(ParseError) {
        var body = Substring(text.trimmed)
        if body.hasPrefix("(00)") { body = body.dropFirst(4) }
        guard let digits = GTIN.digitsIgnoringSeparators(String(body)), !digits.isEmpty else { throw .notDigits }
        if digits.count == 17 { throw .missingCheckDigit(expected: GTIN.checkDigit(forLeading: digits)) }
        guard digits.count == 18 else { throw .wrongLength(digits.count) }
        let expected = GTIN.checkDigit(forLeading: digits.dropLast())
        let found = Character(Unicode.Scalar(digits[17]))
        guard expected == found else { throw .wrongCheckDigit(expected: expected, found: found) }
        self.digits = String(decoding: digits, as: UTF8.self)
    }

    /// Builds the SSCC of `serialReference` under `companyPrefix`: the extension digit, the prefix,
    /// the serial reference padded with zeros to 17 digits in all, then the check digit.
    ///
    /// - Throws: ``BuildError`` when the extension digit is not 0–9, the prefix is not 6–12 digits,
    ///   or the serial reference is negative or larger than ``largestSerialReference(companyPrefixLength:)``.
    public init(extensionDigit: Int, companyPrefix: String, serialReference: Int) throws(BuildError) {
        guard (0...9).contains(extensionDigit) else { throw .extensionDigitOutOfRange(extensionDigit) }
        guard !companyPrefix.isEmpty, companyPrefix.utf8.allSatisfy({ (48...57).contains($0) }) else {
            throw .companyPrefixNotDigits(companyPrefix)
        }
        let prefixLength = companyPrefix.utf8.count
        guard let largest = SSCC.largestSerialReference(companyPrefixLength: prefixLength) else {
            throw .companyPrefixLength(prefixLength)
        }
        guard (0...largest).contains(serialReference) else { throw .serialReferenceOutOfRange(serialReference, largest: largest) }
        let serial = String(serialReference)
        let serialWidth = 16 - prefixLength
        let leading = String(extensionDigit) + companyPrefix + String(repeating: "0", count: serialWidth - serial.count) + serial
        digits = leading + String(GTIN.checkDigit(forLeading: leading))
    }

    /// The largest serial reference a company prefix of this length leaves room for: the prefix and
    /// the serial reference share the 16 digits after the extension digit (999 999 999 for a
    /// 7-digit prefix). Nil for a length no GS1 company prefix has.
    public static func largestSerialReference(companyPrefixLength length: Int) -> Int? {
        guard companyPrefixLengths.contains(length) else { return nil }
        var largest = 1
        for _ in 0..<(16 - length) { largest *= 10 }
        return largest - 1
    }

    /// The extension digit, the first of the 18.
    public var extensionDigit: Int { Int(digits.utf8.first! - 48) }

    /// The serial reference when the company prefix has `companyPrefixLength` digits (the digits
    /// alone do not tell how long the prefix is); nil for an impossible length.
    public func serialReference(companyPrefixLength length: Int) -> Int? {
        guard SSCC.companyPrefixLengths.contains(length) else { return nil }
        return Int(digits.dropFirst(1 + length).dropLast())
    }

    /// The path of the SSCC in a GS1 Digital Link URI: `/00/{18 digits}` (a primary key with no qualifiers).
    public var digitalLinkPath: String { "/" + SSCC.applicationIdentifier + "/" + digits }

    /// The canonical GS1 Digital Link URI, as EPCIS events name a carton: `https://id.gs1.org/00/…`.
    public var digitalLink: String { digitalLink(resolver: StampURL.gs1CanonicalResolver) }

    /// The Digital Link URI on a given resolver (`https://id.example.vn`), as carton QR codes carry it.
    public func digitalLink(resolver: String) -> String {
        (resolver.hasSuffix("/") ? String(resolver.dropLast()) : resolver) + digitalLinkPath
    }

    /// The text printed under the GS1-128 barcode of a logistic label: `(00) 0 89387650000001234`,
    /// the extension digit set apart as GS1's label examples print it.
    public var humanReadable: String {
        "(" + SSCC.applicationIdentifier + ") " + digits.prefix(1) + " " + digits.dropFirst()
    }

    /// Reads the EPC URN form partners' EPCIS files may use, `urn:epc:id:sscc:{company prefix}.{extension
    /// digit and serial reference}` (`urn:epc:id:sscc:8938765.0000000123`); nil when the text is not one.
    public init?(epcURN: String) {
        let scheme = "urn:epc:id:sscc:"
        guard epcURN.hasPrefix(scheme) else { return nil }
        let parts = epcURN.dropFirst(scheme.count).split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 2, SSCC.companyPrefixLengths.contains(parts[0].count), parts[0].count + parts[1].count == 17,
              (parts[0] + parts[1]).utf8.allSatisfy({ (48...57).contains($0) })
        else { return nil }
        let leading = String(parts[1].prefix(1) + parts[0] + parts[1].dropFirst())
        digits = leading + String(GTIN.checkDigit(forLeading: leading))
    }

    /// The EPC URN form, which needs the company prefix's length; nil for an impossible length.
    public func epcURN(companyPrefixLength length: Int) -> String? {
        guard SSCC.companyPrefixLengths.contains(length) else { return nil }
        let body = digits.dropLast()
        return "urn:epc:id:sscc:" + body.dropFirst().prefix(length) + "." + body.prefix(1) + body.dropFirst(1 + length)
    }
}
