import Foundation
import OCOPTrace

/// A compressed GS1 Digital Link URI for an EPC binary string (GS1 Digital Link URI: Compression
/// Technical Standard for EPC binary strings 1.0.0, which resolver 1.2 SHALL decompress): one path
/// segment, `eh` and the EPC's bits in lower-case hexadecimal, or `ex` and them in base64url. An
/// RFID tag's EPC memory becomes a URL that way without being translated first.
///
/// This resolver serves GTINs, so it decodes the GTIN schemes of the Tag Data Standard (2.x):
/// SGTIN-96, SGTIN-198, SGTIN+ and DSGTIN+, with the +AIDC data that a GTIN's Digital Link can
/// hold (batch 10, variant 22, and the dates 11, 13, 15, 16, 17). Every other scheme is named in
/// the 400 it gets: its key is not a GTIN, or it carries a hostname (the `++` schemes), or it has
/// no Digital Link form at all.
struct CompressedEPC: Equatable {
    /// The Digital Link the bits stand for.
    var link: DigitalLinkPath
    /// Data attributes from the +AIDC data (or the DSGTIN+ date), as `ai=value` in AI order.
    var attributes: [(ai: String, value: String)]

    init(link: DigitalLinkPath, attributes: [(ai: String, value: String)]) {
        self.link = link
        self.attributes = attributes
    }

    static func == (left: CompressedEPC, right: CompressedEPC) -> Bool {
        left.link == right.link && left.attributes.elementsEqual(right.attributes) { $0 == $1 }
    }

    /// The uncompressed path and query (`/01/…/21/…?17=…`), for `owl:sameAs` and the page.
    var uncompressed: String {
        link.text + (attributeQuery.map { "?" + $0 } ?? "")
    }

    var attributeQuery: String? {
        attributes.isEmpty ? nil : attributes.map { "\($0.ai)=\(StampURL.percentEncoded($0.value))" }.joined(separator: "&")
    }

    /// Whether a path segment has the form of a compressed EPC (URI Syntax 1.7, RE3): then it is
    /// decoded or refused as one, never read as anything else.
    static func matches(_ segment: Substring) -> Bool {
        let bytes = Array(segment.utf8)
        guard bytes.count >= 2, bytes[0] == UInt8(ascii: "e") else { return false }
        let body = bytes.dropFirst(2)
        switch bytes[1] {
        case UInt8(ascii: "h"): return body.allSatisfy { (48...57).contains($0) || (97...102).contains($0) }
        case UInt8(ascii: "x"): return body.allSatisfy { Base64URL.sextet($0) != nil }
        default: return false
        }
    }

    struct DecodeError: Error, Equatable, CustomStringConvertible {
        let reason: String
        var description: String { reason }
    }

    /// Decodes a segment that ``matches(_:)``.
    init(decoding segment: Substring) throws(DecodeError) {
        var reader = try BitReader(segment: segment)
        guard reader.remaining >= 8 else { throw DecodeError(reason: "no EPC binary string after \(segment.prefix(2))") }
        let header = UInt8(try reader.read(8))
        switch header {
        case 0x30: self = try CompressedEPC.sgtin96(&reader)
        case 0x36: self = try CompressedEPC.sgtin198(&reader)
        case 0xF7: self = try CompressedEPC.sgtinPlus(&reader, dated: false)
        case 0xFB: self = try CompressedEPC.sgtinPlus(&reader, dated: true)
        default: throw DecodeError(reason: CompressedEPC.unsupportedHeader(header))
        }
        guard reader.restIsPadding else { throw DecodeError(reason: "bits left over after the end of the EPC") }
    }

    // MARK: Schemes

    /// The GS1 Company Prefix partitions of SGTIN-96 and SGTIN-198 (TDS table 14-2): bits and
    /// digits of the company prefix, then of the indicator digit and item reference.
    private static let partitions: [(prefixBits: Int, prefixDigits: Int, itemBits: Int, itemDigits: Int)] = [
        (40, 12, 4, 1), (37, 11, 7, 2), (34, 10, 10, 3), (30, 9, 14, 4), (27, 8, 17, 5), (24, 7, 20, 6), (20, 6, 24, 7),
    ]

    private static func partitionedGTIN(_ reader: inout BitReader) throws(DecodeError) -> GTIN {
        _ = try reader.read(3)  // the filter value: what kind of object carries the tag, not part of its key
        let partition = Int(try reader.read(3))
        guard partition < partitions.count else { throw DecodeError(reason: "GS1 Company Prefix partition \(partition) is reserved") }
        let layout = partitions[partition]
        let prefix = try reader.read(layout.prefixBits)
        let item = try reader.read(layout.itemBits)
        let prefixText = String(prefix), itemText = String(item)
        guard prefixText.count <= layout.prefixDigits, itemText.count <= layout.itemDigits else {
            throw DecodeError(reason: "the company prefix or item reference has more digits than partition \(partition) allows")
        }
        let padded = String(repeating: "0", count: layout.itemDigits - itemText.count) + itemText
        let prefixDigits = String(repeating: "0", count: layout.prefixDigits - prefixText.count) + prefixText
        // The indicator digit leads the item reference field and leads the GTIN.
        let leading = String(padded.prefix(1)) + prefixDigits + String(padded.dropFirst())
        return try gtin(leading + String(GTIN.checkDigit(forLeading: leading)))
    }

    private static func sgtin96(_ reader: inout BitReader) throws(DecodeError) -> CompressedEPC {
        var link = DigitalLinkPath(gtin: try partitionedGTIN(&reader))
        link.serial = String(try reader.read(38))
        return CompressedEPC(link: link, attributes: [])
    }

    private static func sgtin198(_ reader: inout BitReader) throws(DecodeError) -> CompressedEPC {
        var link = DigitalLinkPath(gtin: try partitionedGTIN(&reader))
        var serial = ""
        for _ in 0..<20 {
            let code = try reader.read(7)
            if code == 0 { break }
            serial.unicodeScalars.append(Unicode.Scalar(UInt8(code)))
        }
        link.serial = try checkedValue(serial, ai: "21")
        return CompressedEPC(link: link, attributes: [])
    }

    /// SGTIN+ and DSGTIN+: the GTIN as 14 digits, the serial as a variable-length value, then
    /// +AIDC data (read whenever bits other than padding follow, whatever the toggle bit says).
    private static func sgtinPlus(_ reader: inout BitReader, dated: Bool) throws(DecodeError) -> CompressedEPC {
        _ = try reader.read(1)  // the +AIDC data toggle
        _ = try reader.read(3)  // the filter value
        var attributes: [(ai: String, value: String)] = []
        if dated {
            let type = Int(try reader.read(4))
            guard type < datedAIs.count else {
                let named = [5: "the first freeze date (AI 7006)", 6: "the harvest date (AI 7007)"][type]
                throw DecodeError(reason: named.map { "DSGTIN+ date type \(type) is \($0), not one a stamp's page reads" }
                                          ?? "DSGTIN+ date type \(type) is reserved")
            }
            attributes.append((datedAIs[type], try date(&reader)))
        }
        var link = DigitalLinkPath(gtin: try gtin(try reader.readDigits(14, of: "the GTIN")))
        link.serial = try checkedValue(try alphanumeric(&reader, lengthBits: 5), ai: "21")
        var seen: Set<String> = ["01", "21"]
        seen.formUnion(attributes.map(\.ai))
        while !reader.restIsPadding {
            let ai = try applicationIdentifier(&reader)
            guard seen.insert(ai).inserted else { throw DecodeError(reason: "AI \(ai) appears twice") }
            switch ai {
            case "10": link.lot = try checkedValue(try alphanumeric(&reader, lengthBits: 5), ai: ai)
            case "22": link.variant = try checkedValue(try alphanumeric(&reader, lengthBits: 5), ai: ai)
            case "11", "13", "15", "16", "17": attributes.append((ai, try date(&reader)))
            default: throw DecodeError(reason: "AI \(ai) in the +AIDC data is not one a GTIN's Digital Link here carries (10, 22, 11, 13, 15, 16, 17)")
            }
        }
        attributes.sort { $0.ai < $1.ai }
        return CompressedEPC(link: link, attributes: attributes)
    }

    /// DSGTIN+ date types 0 to 4 (TDS 14.5.13): production, packaging, best before, sell by, expiry.
    private static let datedAIs = ["11", "13", "15", "16", "17"]

    // MARK: Fields

    private static func gtin(_ digits: String) throws(DecodeError) -> GTIN {
        do { return try GTIN(parsing: digits) } catch { throw DecodeError(reason: "GTIN \(digits): \(error)") }
    }

    /// A key qualifier's value, held to what its Digital Link path may carry (1 to 20 characters of
    /// GS1 character set 82).
    private static func checkedValue(_ value: String, ai: String) throws(DecodeError) -> String {
        guard !value.isEmpty, value.utf8.count <= 20, value.unicodeScalars.allSatisfy(LotNumber.isCSET82) else {
            throw DecodeError(reason: "AI \(ai) holds \"\(value.prefix(40))\", which is not 1 to 20 characters of GS1 character set 82")
        }
        return value
    }

    /// An AI written as one nibble per digit; its length follows from its first two digits.
    private static func applicationIdentifier(_ reader: inout BitReader) throws(DecodeError) -> String {
        let prefix = try reader.readDigits(2, of: "an AI in the +AIDC data")
        guard let length = aiLength(prefix) else { throw DecodeError(reason: "no AI begins with \(prefix)") }
        return prefix + (try reader.readDigits(length - 2, of: "AI \(prefix)…"))
    }

    /// The length of the AIs that begin with two digits (GS1 General Specifications, the AI
    /// prefix table); nil for prefixes no AI has.
    private static func aiLength(_ prefix: String) -> Int? {
        guard let value = Int(prefix) else { return nil }
        switch value {
        case 0...2, 10...17, 20...22, 30, 37, 90...99: return 2
        case 23...25, 40...42, 71: return 3
        case 31...36, 39, 43, 70, 72, 80...82: return 4
        default: return nil
        }
    }

    /// A YYMMDD date in 16 bits (7, 4, 5); day 00 is the GS1 "end of month".
    private static func date(_ reader: inout BitReader) throws(DecodeError) -> String {
        let year = Int(try reader.read(7)), month = Int(try reader.read(4)), day = Int(try reader.read(5))
        guard year <= 99, (1...12).contains(month) else { throw DecodeError(reason: "the date \(year)-\(month)-\(day) does not exist") }
        if day > 0 {
            let fullYear = year >= 51 ? 1900 + year : 2000 + year
            guard CalendarDate(year: fullYear, month: month, day: day) != nil else {
                throw DecodeError(reason: String(format: "the date %02d%02d%02d does not exist", year, month, day))
            }
        }
        return String(format: "%02d%02d%02d", year, month, day)
    }

    /// A variable-length value (TDS 14.5.6): a 3-bit encoding, the length in characters, then the
    /// characters as digits in an integer (000), upper-case (001) or lower-case (010) hexadecimal
    /// nibbles, base64url sextets (011) or 7-bit ASCII (100).
    private static func alphanumeric(_ reader: inout BitReader, lengthBits: Int) throws(DecodeError) -> String {
        let encoding = try reader.read(3)
        let length = Int(try reader.read(lengthBits))
        guard length > 0 else { throw DecodeError(reason: "a value of length 0") }
        switch encoding {
        case 0:
            let digits = try reader.readDecimal(Int((Double(length) * log2(10.0)).rounded(.up)))
            guard digits.count <= length else { throw DecodeError(reason: "a \(length)-digit number holds \(digits.count) digits") }
            return String(repeating: "0", count: length - digits.count) + digits
        case 1, 2:
            let alphabet = Array(encoding == 1 ? "0123456789ABCDEF" : "0123456789abcdef")
            var text = ""
            for _ in 0..<length { text.append(alphabet[Int(try reader.read(4))]) }
            return text
        case 3:
            var text = ""
            for _ in 0..<length { text.append(Base64URL.character(UInt8(try reader.read(6)))) }
            return text
        case 4:
            var text = ""
            for _ in 0..<length {
                let code = try reader.read(7)
                guard code >= 0x20, code < 0x7F else { throw DecodeError(reason: "a 7-bit character \(code) that is not printable") }
                text.unicodeScalars.append(Unicode.Scalar(UInt8(code)))
            }
            return text
        default:
            throw DecodeError(reason: "encoding indicator \(encoding) of a value is \(encoding == 5 ? "URN Code 40, not decoded here" : "reserved")")
        }
    }

    /// Why an EPC header is not decoded, in the words of the scheme it names.
    private static func unsupportedHeader(_ header: UInt8) -> String {
        let hex = String(format: "%02X", header)
        if let (scheme, key) = otherKeys[header] {
            return "header \(hex) is an \(scheme) EPC, whose key is AI \(key): this resolver serves GTINs (AI 01) only"
        }
        switch header {
        case 0xFD, 0xFC: return "header \(hex) is an \(header == 0xFD ? "SGTIN++" : "DSGTIN++") EPC, whose hostname is not decoded here"
        case 0x35, 0x2F, 0x3B: return "header \(hex) is a GID-96, USDOD-96 or ADI-var EPC, which has no GS1 Digital Link equivalent"
        case 0x00: return "header 00 is an unprogrammed tag"
        default: return "header \(hex) is reserved or names no EPC scheme"
        }
    }

    /// The other EPC schemes of TDS 2.x by header: their name and the GS1 key AI they carry.
    private static let otherKeys: [UInt8: (String, String)] = [
        0x31: ("SSCC-96", "00"), 0xF9: ("SSCC+", "00"), 0xEF: ("SSCC++", "00"),
        0x32: ("SGLN-96", "414"), 0x39: ("SGLN-195", "414"), 0xF2: ("SGLN+", "414"), 0xE9: ("SGLN++", "414"),
        0x33: ("GRAI-96", "8003"), 0x37: ("GRAI-170", "8003"), 0xF1: ("GRAI+", "8003"), 0xEB: ("GRAI++", "8003"),
        0x34: ("GIAI-96", "8004"), 0x38: ("GIAI-202", "8004"), 0xFA: ("GIAI+", "8004"), 0xEE: ("GIAI++", "8004"),
        0x2D: ("GSRN-96", "8018"), 0xF4: ("GSRN+", "8018"), 0xE7: ("GSRN++", "8018"),
        0x2E: ("GSRNP-96", "8017"), 0xF5: ("GSRNP+", "8017"), 0xE8: ("GSRNP++", "8017"),
        0x2C: ("GDTI-96", "253"), 0x3E: ("GDTI-174", "253"), 0xF6: ("GDTI+", "253"), 0xEA: ("GDTI++", "253"),
        0x3C: ("CPI-96", "8010"), 0x3D: ("CPI-var", "8010"), 0xF0: ("CPI+", "8010"), 0xE6: ("CPI++", "8010"),
        0x3F: ("SGCN-96", "255"), 0xF8: ("SGCN+", "255"), 0xEC: ("SGCN++", "255"),
        0x40: ("ITIP-110", "8006"), 0x41: ("ITIP-212", "8006"), 0xF3: ("ITIP+", "8006"), 0xED: ("ITIP++", "8006"),
    ]
}

/// The bits of an `eh`/`ex` segment, read from the most significant end.
private struct BitReader {
    private var bits: [UInt8] = []
    private var position = 0

    var remaining: Int { bits.count - position }

    /// The bits after the prefix; a tag's EPC memory is at most a few hundred bits, so longer
    /// segments are refused before anything is decoded.
    init(segment: Substring) throws(CompressedEPC.DecodeError) {
        let body = segment.utf8.dropFirst(2)
        guard body.count <= 256 else { throw CompressedEPC.DecodeError(reason: "longer than any EPC (\(body.count) characters)") }
        let hex = segment.utf8.dropFirst().first == UInt8(ascii: "h")
        bits.reserveCapacity(body.count * 6)
        for byte in body {
            let value: UInt8, width: Int
            if hex {
                value = byte <= UInt8(ascii: "9") ? byte - 48 : byte - 97 + 10
                width = 4
            } else {
                value = Base64URL.sextet(byte) ?? 0
                width = 6
            }
            for shift in stride(from: width - 1, through: 0, by: -1) { bits.append((value >> UInt8(shift)) & 1) }
        }
    }

    /// The next `count` bits (at most 64) as an unsigned number.
    mutating func read(_ count: Int) throws(CompressedEPC.DecodeError) -> UInt64 {
        guard count <= remaining else { throw CompressedEPC.DecodeError(reason: "the EPC is cut short") }
        var value: UInt64 = 0
        for _ in 0..<count {
            value = value << 1 | UInt64(bits[position])
            position += 1
        }
        return value
    }

    /// `count` decimal digits written one a nibble (`what` names them in the error).
    mutating func readDigits(_ count: Int, of what: String) throws(CompressedEPC.DecodeError) -> String {
        var digits = ""
        for _ in 0..<count {
            let nibble = try read(4)
            guard nibble <= 9 else { throw CompressedEPC.DecodeError(reason: "a digit of \(what) is the nibble \(nibble), above 9") }
            digits += String(nibble)
        }
        return digits
    }

    /// The next `count` bits as a decimal number of any size, without leading zeros.
    mutating func readDecimal(_ count: Int) throws(CompressedEPC.DecodeError) -> String {
        guard count <= remaining else { throw CompressedEPC.DecodeError(reason: "the EPC is cut short") }
        var limbs: [UInt64] = [0]  // base 10^9, least significant first
        for _ in 0..<count {
            var carry = UInt64(bits[position])
            position += 1
            for index in limbs.indices {
                let value = limbs[index] * 2 + carry
                limbs[index] = value % 1_000_000_000
                carry = value / 1_000_000_000
            }
            if carry > 0 { limbs.append(carry) }
        }
        var text = String(limbs.last!)
        for limb in limbs.dropLast().reversed() {
            let part = String(limb)
            text += String(repeating: "0", count: 9 - part.count) + part
        }
        return text
    }

    /// Whether only zero bits are left: the padding to a 16-bit word (`eh`) or a sextet (`ex`).
    var restIsPadding: Bool {
        bits[position...].allSatisfy { $0 == 0 }
    }
}
