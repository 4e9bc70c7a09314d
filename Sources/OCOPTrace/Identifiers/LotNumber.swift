/// A batch/lot number as GS1 AI 10 carries it: 1 to 20 characters of GS1 character set 82.
///
/// Cooperatives name lots in Vietnamese ("Lô tháng 11"); the registry keeps that label for people and
/// this code for the Digital Link URL. Diacritics are dropped (`đ` → `d`) and spaces become `-`; what
/// still falls outside CSET 82 is rejected with the characters named.
public struct LotNumber: Hashable, Sendable, Codable, CustomStringConvertible {
    public let code: String

    public static let maximumLength = 20

    /// CSET 82: `! " % & ' ( ) * + , - . / 0-9 : ; < = > ? A-Z _ a-z`.
    public static func isCSET82(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar {
        case "A"..."Z", "a"..."z", "0"..."9": true
        case "!", "\"", "%", "&", "'", "(", ")", "*", "+", ",", "-", ".", "/", ":", ";", "<", "=", ">", "?", "_": true
        default: false
        }
    }

    public enum ParseError: Error, Equatable, Sendable, CustomStringConvertible {
        case empty
        case tooLong(code: String)
        case notAllowed(code: String, characters: String)

        public var description: String {
            switch self {
            case .empty: "the lot number is empty"
            case .tooLong(let code):
                "the lot number \(code.quoted) has \(code.count) characters; GS1 allows at most \(LotNumber.maximumLength)"
            case .notAllowed(let code, let characters):
                "the lot number \(code.quoted) contains \(characters), which GS1 lot numbers cannot hold (letters without accents, digits and - . / _ are safe)"
            }
        }
    }

    public init(transliterating label: String) throws(ParseError) {
        // Spaces made `-` byte by byte: Foundation's replacingOccurrences cost more than the rest.
        let collapsed = label.nfc.withoutVietnameseDiacritics.collapsingWhitespace
        let ascii = collapsed.utf8.contains(0x20) ? String(decoding: collapsed.utf8.map { $0 == 0x20 ? 0x2D : $0 }, as: UTF8.self) : collapsed
        guard !ascii.isEmpty else { throw .empty }
        let bad = ascii.unicodeScalars.filter { !LotNumber.isCSET82($0) }
        guard bad.isEmpty else {
            let listed = Set(bad.map { String(Character($0)).quoted }).sorted().prefix(10).joined(separator: ", ")
            throw .notAllowed(code: ascii, characters: listed)
        }
        guard ascii.count <= LotNumber.maximumLength else { throw .tooLong(code: ascii) }
        code = ascii
    }

    public var description: String { code }
}
