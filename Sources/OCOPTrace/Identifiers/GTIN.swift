/// A Global Trade Item Number, always held as the 14-digit form GS1 Digital Link uses.
///
/// GTIN-8, -12 and -13 are padded with leading zeros; the check digit is verified on the way in, so
/// a `GTIN` value is always valid.
public struct GTIN: GS1Key {
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
        guard let digits = GTIN.digitsIgnoringSeparators(text), !digits.isEmpty else { throw .notDigits }
        guard [8, 12, 13, 14].contains(digits.count) else { throw .wrongLength(digits.count) }
        let padded = [UInt8](repeating: UInt8(ascii: "0"), count: 14 - digits.count) + digits
        guard padded.contains(where: { $0 != UInt8(ascii: "0") }) else { throw .allZero }
        let paddedText = String(decoding: padded, as: UTF8.self)
        let expected = GTIN.checkDigit(forLeading: paddedText.utf8.dropLast())
        let found = Character(Unicode.Scalar(padded[13]))
        guard expected == found else { throw .wrongCheckDigit(expected: expected, found: found) }
        self.digits = paddedText
    }

    /// The digits of a GS1 number as people write it, with spaces, dashes or no-break spaces
    /// between digit groups; nil when anything else is in it. GTINs and GLNs are read by it.
    static func digitsIgnoringSeparators(_ text: String) -> [UInt8]? {
        var digits: [UInt8] = []
        digits.reserveCapacity(14)
        var bytes = text.utf8.makeIterator()
        while let byte = bytes.next() {
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digits.append(byte)
            case UInt8(ascii: " "), UInt8(ascii: "-"): continue
            case 0xC2 where bytes.next() == 0xA0: continue  // no-break space
            default: return nil
            }
        }
        return digits
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

    /// Why a GTIN cannot name a product in open trade.
    public enum RestrictedUse: Sendable, Equatable, CustomStringConvertible {
        /// In-store and variable-measure numbers: GS1 prefixes 020–029, 040–049, 200–299.
        case restrictedCirculation(prefix: String)
        /// GTIN-8s starting 0 or 2.
        case restrictedGTIN8(first: Character)
        /// Coupons: 050–059, 981–984, 990–999.
        case coupon(prefix: String)

        public var description: String {
            switch self {
            case .restrictedCirculation(let prefix): "a restricted-circulation number (GS1 prefix \(prefix))"
            case .restrictedGTIN8(let first): "a restricted-circulation GTIN-8 (starts with \(first))"
            case .coupon(let prefix): "a coupon number (GS1 prefix \(prefix))"
            }
        }

        public var vietnamese: String {
            switch self {
            case .restrictedCirculation(let prefix): "mã lưu hành hạn chế (tiền tố GS1 \(prefix))"
            case .restrictedGTIN8(let first): "mã GTIN-8 lưu hành hạn chế (bắt đầu bằng \(first))"
            case .coupon(let prefix): "mã phiếu giảm giá (tiền tố GS1 \(prefix))"
            }
        }
    }

    /// Why this GTIN cannot name a product in open trade, when it cannot: restricted-circulation
    /// and coupon numbers mean something only inside one company or region, so marketplaces refuse
    /// them as product identifiers.
    public var restrictedUse: RestrictedUse? {
        let bytes = Array(digits.utf8)
        if bytes[0..<6].allSatisfy({ $0 == UInt8(ascii: "0") }) {
            let first = Character(Unicode.Scalar(bytes[6]))
            return first == "0" || first == "2" ? .restrictedGTIN8(first: first) : nil
        }
        let shown = String(decoding: bytes[1..<4], as: UTF8.self)
        switch Int(shown)! {
        case 20...29, 40...49, 200...299: return .restrictedCirculation(prefix: shown)
        case 50...59, 981...984, 990...999: return .coupon(prefix: shown)
        default: return nil
        }
    }
}
