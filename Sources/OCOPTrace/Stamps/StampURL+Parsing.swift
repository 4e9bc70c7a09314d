extension StampURL {
    public enum ParseError: Error, Equatable, Sendable, CustomStringConvertible {
        case notAResolver(String)
        case tooLong
        case notAURL
        case noProductKey
        case badGTIN(String)
        case badPath(String)
        case badSerial(String)
        case badLot(String)
        case badDate(ai: String, value: String)
        case badSignature
        case badEncoding

        public var description: String {
            switch self {
            case .notAResolver(let text): "\(text.quoted) is not a resolver base such as https://id.example.vn"
            case .tooLong: "too long to be a stamp URL"
            case .notAURL: "not an http(s) URL"
            case .noProductKey: "the URL names no product (no /01/{GTIN} or /p/{code})"
            case .badGTIN(let reason): "the GTIN is not valid: \(reason)"
            case .badPath(let reason): "the path is not a stamp path: \(reason)"
            case .badSerial(let text): "\(text.quoted) is not a serial of ours"
            case .badLot(let reason): "the lot is not valid: \(reason)"
            case .badDate(let ai, let value): "AI \(ai) holds \(value.quoted), which is not a YYMMDD date"
            case .badSignature: "the signature (AI 8030) is not a 4-character key id and a base64url Ed25519 signature"
            case .badEncoding: "the URL has a broken percent-escape"
            }
        }
    }

    /// The longest URL looked at; stamp URLs are under 200 characters.
    static let maximumLength = 2048

    /// Reads a scanned stamp URL in either form, strictly: GS1 qualifier order, valid GTIN check
    /// digit, known path AIs only, dates that exist, a well-formed signature.
    public init(parsing text: String) throws(ParseError) {
        // Parsed on the UTF-8 bytes: splitting a String by Characters costs more than the check.
        guard text.utf8.count <= StampURL.maximumLength else { throw .tooLong }
        let bytes = Array(text.utf8)
        guard let schemeEnd = StampURL.find(Array("://".utf8), in: bytes) else { throw .notAURL }
        let scheme = String(decoding: bytes[..<schemeEnd], as: UTF8.self).lowercased()
        guard scheme == "https" || scheme == "http" else { throw .notAURL }
        var end = bytes.count
        if let hash = bytes[(schemeEnd + 3)...].firstIndex(of: UInt8(ascii: "#")) { end = hash }
        let questionMark = bytes[(schemeEnd + 3)..<end].firstIndex(of: UInt8(ascii: "?"))
        let pathEnd = questionMark ?? end
        let segments = bytes[(schemeEnd + 3)..<pathEnd].split(separator: UInt8(ascii: "/"), omittingEmptySubsequences: false)
        guard let hostBytes = segments.first, !hostBytes.isEmpty else { throw .notAURL }
        guard segments.count <= 64 else { throw .tooLong }
        func isKey(_ segment: ArraySlice<UInt8>) -> Bool {
            segment.elementsEqual("01".utf8) || segment.elementsEqual("p".utf8)
        }

        // The product key is the first `01` or `p` segment after the host that has a value after it.
        guard let keyIndex = segments.indices.dropFirst().first(where: { isKey(segments[$0]) && $0 + 1 < segments.count })
        else { throw .noProductKey }
        var resolver = scheme + "://" + String(decoding: hostBytes, as: UTF8.self).lowercased()
        for segment in segments[1..<keyIndex] { resolver += "/" + String(decoding: segment, as: UTF8.self) }
        self.resolver = resolver
        let keyValue = try StampURL.percentDecoded(segments[keyIndex + 1])
        if segments[keyIndex].elementsEqual("01".utf8) {
            do { product = .gtin(try GTIN(parsing: keyValue)) } catch { throw .badGTIN(error.description) }
            guard keyValue.utf8.count == 14 else { throw .badGTIN("Digital Link writes the GTIN with 14 digits") }
        } else {
            guard !keyValue.isEmpty else { throw .badPath("empty product code") }
            product = .code(keyValue)
        }

        // Qualifiers of 01 come in the order 22, 10, 21; a stamp has 10 and 21.
        var lastPosition = -1
        var lot: String?
        var serialText: String?
        var index = keyIndex + 2
        while index < segments.count {
            let ai = String(decoding: segments[index], as: UTF8.self)
            if ai.isEmpty, index == segments.count - 1 { break }  // a trailing slash
            guard index + 1 < segments.count else { throw .badPath("AI \(ai) has no value") }
            let value = try StampURL.percentDecoded(segments[index + 1])
            guard !value.isEmpty else { throw .badPath("AI \(ai) has an empty value") }
            let position: Int
            switch ai {
            case "22": position = 0
            case "10": position = 1
            case "21": position = 2
            default: throw .badPath("/\(ai)/ is not a qualifier of a product")
            }
            guard position > lastPosition else { throw .badPath("qualifiers are out of order (22, 10, 21)") }
            lastPosition = position
            if position == 1 { lot = value }
            if position == 2 { serialText = value }
            index += 2
        }
        guard let lot else { throw .badPath("no lot (/10/)") }
        guard lot.utf8.count <= LotNumber.maximumLength, lot.unicodeScalars.allSatisfy(LotNumber.isCSET82) else {
            throw .badLot("\(lot.quoted) is not 1 to 20 characters of GS1 set 82")
        }
        guard let serialText else { throw .badPath("no serial (/21/)") }
        guard let serial = Serial(exactly: serialText) else { throw .badSerial(serialText) }
        self.lot = lot
        self.serial = serial

        if let questionMark {
            for pair in bytes[(questionMark + 1)..<end].split(separator: UInt8(ascii: "&")) {
                let equals = pair.firstIndex(of: UInt8(ascii: "="))
                let key = try StampURL.percentDecoded(pair[..<(equals ?? pair.endIndex)])
                var value = ""
                if let equals { value = try StampURL.percentDecoded(pair[(equals + 1)...]) }
                switch key {
                case "11":
                    guard let date = CalendarDate(gs1: value) else { throw .badDate(ai: key, value: value) }
                    producedOn = date
                case "17":
                    guard let date = CalendarDate(gs1: value) else { throw .badDate(ai: key, value: value) }
                    expiresOn = date
                case "8030":
                    guard let signature = EmbeddedSignature(text: value) else { throw .badSignature }
                    self.signature = signature
                default:
                    guard otherAttributes.count < 32 else { throw .tooLong }
                    otherAttributes.append((key, value))
                }
            }
        }
    }

    private static func find(_ needle: [UInt8], in bytes: [UInt8]) -> Int? {
        guard bytes.count >= needle.count else { return nil }
        for start in 0...(bytes.count - needle.count) where bytes[start] == needle[0] {
            if bytes[start..<start + needle.count].elementsEqual(needle) { return start }
        }
        return nil
    }

    static func percentDecoded(_ bytes: ArraySlice<UInt8>) throws(ParseError) -> String {
        guard bytes.contains(UInt8(ascii: "%")) else {
            guard let text = String(validating: bytes, as: UTF8.self) else { throw .badEncoding }
            return text
        }
        return try percentDecoded(String(decoding: bytes, as: UTF8.self))
    }

    /// Undoes percent-encoding; a broken escape or bytes that are not UTF-8 are an error.
    public static func percentDecoded(_ text: String) throws(ParseError) -> String {
        guard text.utf8.contains(UInt8(ascii: "%")) else { return text }
        var bytes: [UInt8] = []
        var iterator = text.utf8.makeIterator()
        while let byte = iterator.next() {
            guard byte == UInt8(ascii: "%") else { bytes.append(byte); continue }
            guard let high = iterator.next().flatMap(hexValue), let low = iterator.next().flatMap(hexValue) else { throw .badEncoding }
            bytes.append(high << 4 | low)
        }
        guard let decoded = String(validating: bytes, as: UTF8.self) else { throw .badEncoding }
        return decoded
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case 48...57: byte - 48
        case 65...70: byte - 55
        case 97...102: byte - 87
        default: nil
        }
    }
}

extension CalendarDate {
    /// Reads GS1's `YYMMDD` (years 2000–2099; day `00` means the month's last day).
    public init?(gs1 text: String) {
        let digits = Array(text.utf8)
        guard digits.count == 6, digits.allSatisfy({ (48...57).contains($0) }) else { return nil }
        let value = digits.map { Int($0) - 48 }
        let year = 2000 + value[0] * 10 + value[1]
        let month = value[2] * 10 + value[3]
        var day = value[4] * 10 + value[5]
        if day == 0, (1...12).contains(month) { day = CalendarDate.daysIn(month: month, year: year) }
        self.init(year: year, month: month, day: day)
    }
}
