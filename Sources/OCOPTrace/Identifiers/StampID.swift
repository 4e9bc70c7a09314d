/// The human-readable stamp ID printed under a QR code, for people to type: the serial in groups of
/// four and a check character, `7K3Q-M9XW-2HPT-4RVA-C`.
///
/// The check character comes from the Damm algorithm over the 32-symbol alphabet, with the totally
/// anti-symmetric quasigroup `x ∗ y = 2·x ⊕ y` in GF(32) (modulus x⁵ + x² + 1). It catches every
/// single wrong character and every swap of two neighbours, and stays inside the serial's alphabet.
///
/// Parsing forgives what people do: lower case, missing or extra dashes and spaces, `O` for `0`,
/// and `I` or `L` for `1` (and `U` for `V`), as Crockford's base32 prescribes.
public struct StampID: Hashable, Sendable, CustomStringConvertible {
    public let serial: Serial
    public let checkCharacter: Character

    public init(serial: Serial) {
        self.serial = serial
        let interim = StampID.damm(serial.text.utf8.map { Int(Serial.values[Int($0)]) })
        checkCharacter = Character(Unicode.Scalar(Serial.alphabet[StampID.times2(interim)]))
    }

    /// `7K3Q-M9XW-2HPT-4RVA-C`.
    public var formatted: String {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(Serial.length + Serial.length / 4 + 1)
        for (index, byte) in serial.text.utf8.enumerated() {
            if index > 0, index % 4 == 0 { bytes.append(UInt8(ascii: "-")) }
            bytes.append(byte)
        }
        bytes.append(UInt8(ascii: "-"))
        bytes.append(contentsOf: checkCharacter.utf8)
        return String(decoding: bytes, as: UTF8.self)
    }

    public var description: String { formatted }

    public enum ParseError: Error, Equatable, Sendable, CustomStringConvertible {
        case wrongLength(Int)
        case invalidCharacter(Character)
        case checkFailed

        public var description: String {
            switch self {
            case .wrongLength(let count):
                "a stamp ID has \(Serial.length + 1) characters (not counting dashes); this one has \(count)"
            case .invalidCharacter(let character):
                "\(String(character).quoted) cannot appear in a stamp ID"
            case .checkFailed:
                "the check character does not match: a character was mistyped or two were swapped"
            }
        }
    }

    /// Reads a typed stamp ID, forgiving case, separators and look-alike characters.
    public init(parsing text: String) throws(ParseError) {
        var values: [Int] = []
        for scalar in text.unicodeScalars {
            switch scalar {
            case "-", " ", "\u{00A0}", "\t", "_", ".", "–", "—": continue
            default: break
            }
            guard scalar.isASCII else { throw .invalidCharacter(Character(scalar)) }
            var byte = UInt8(scalar.value)
            if (97...122).contains(byte) { byte -= 32 }  // upper case
            switch byte {
            case UInt8(ascii: "O"): byte = UInt8(ascii: "0")
            case UInt8(ascii: "I"), UInt8(ascii: "L"): byte = UInt8(ascii: "1")
            case UInt8(ascii: "U"): byte = UInt8(ascii: "V")
            default: break
            }
            let value = Serial.values[Int(byte)]
            guard value >= 0 else { throw .invalidCharacter(Character(scalar)) }
            values.append(Int(value))
        }
        guard values.count == Serial.length + 1 else { throw .wrongLength(values.count) }
        guard StampID.damm(values) == 0 else { throw .checkFailed }
        let serial = Serial(unchecked: String(decoding: values.dropLast().map { Serial.alphabet[$0] }, as: UTF8.self))
        self.init(serial: serial)
    }

    /// Multiplication by x in GF(2⁵) modulo x⁵ + x² + 1.
    static func times2(_ value: Int) -> Int {
        let shifted = value << 1
        return shifted & 0x20 != 0 ? (shifted ^ 0x25) : shifted
    }

    /// The Damm interim digit after `values`: 0 for a sequence that ends in its check character.
    static func damm(_ values: [Int]) -> Int {
        values.reduce(0) { times2($0) ^ $1 }
    }
}
