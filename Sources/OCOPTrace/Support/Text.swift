import Foundation

extension String {
    /// The text in Unicode normalisation form C, the form the registry stores.
    ///
    /// Spreadsheets on macOS and some web forms hand over Vietnamese in NFD (a base letter followed
    /// by combining marks); comparing, hashing and printing need one form. Text made only of
    /// characters that are always NFC (ASCII, Latin-1 and Latin Extended letters, the precomposed
    /// Vietnamese letters U+1EA0–U+1EF9, common punctuation and currency signs) is returned as it is:
    /// normalising through Foundation costs more than the rest of an import row.
    public var nfc: String {
        if unicodeScalars.allSatisfy(\.isAlwaysNFC) { return self }
        return precomposedStringWithCanonicalMapping
    }

    /// The text with Vietnamese diacritics removed and `đ`/`Đ` written as `d`/`D`.
    ///
    /// Used where only ASCII may appear (GS1 lot numbers) and for forgiving comparisons.
    public var withoutVietnameseDiacritics: String {
        if utf8.allSatisfy({ $0 < 0x80 }) { return self }
        var scalars = String.UnicodeScalarView()
        for scalar in decomposedStringWithCanonicalMapping.unicodeScalars {
            switch scalar.value {
            case 0x0300...0x036F: continue  // combining marks: tones, circumflex, breve, horn
            case 0x0111: scalars.append("d")
            case 0x0110: scalars.append("D")
            default: scalars.append(scalar)
            }
        }
        return String(scalars)
    }

    /// Leading and trailing white space (including no-break spaces) removed, inner runs made one space.
    public var collapsingWhitespace: String {
        if !needsWhitespaceCollapsing { return self }
        var result = ""
        result.reserveCapacity(utf8.count)
        var pendingSpace = false
        for scalar in unicodeScalars {
            if scalar.properties.isWhitespace {
                pendingSpace = !result.isEmpty
            } else {
                if pendingSpace { result.append(" ") }
                pendingSpace = false
                result.unicodeScalars.append(scalar)
            }
        }
        return result
    }

    /// Leading and trailing white space removed; inner white space kept.
    public var trimmed: String {
        let scalars = unicodeScalars
        guard let first = scalars.firstIndex(where: { !$0.properties.isWhitespace }) else { return "" }
        let last = scalars.lastIndex(where: { !$0.properties.isWhitespace })!
        if first == scalars.startIndex && last == scalars.index(before: scalars.endIndex) { return self }
        return String(scalars[first...last])
    }

    /// A key for matching names people type in different ways: NFC, case, spacing, underscores and
    /// diacritics ignored. `"  Mã_sản phẩm "` and `"ma san pham"` share a key.
    public var matchingKey: String {
        nfc.withoutVietnameseDiacritics.lowercased()
            .replacingOccurrences(of: "_", with: " ")
            .collapsingWhitespace
    }

    /// Whether ``collapsingWhitespace`` would change anything: decided on the UTF-8 bytes, since
    /// asking each character for its Unicode properties is slow and almost every cell is clean.
    private var needsWhitespaceCollapsing: Bool {
        var previousWasSpace = true  // a leading space needs collapsing
        var bytes = utf8.makeIterator()
        while let byte = bytes.next() {
            switch byte {
            case 0x20:
                if previousWasSpace { return true }
                previousWasSpace = true
                continue
            case 0x09...0x0D, 0xC2, 0xE2, 0xE3:
                // Tabs and line ends; U+0085 and U+00A0 (C2 ..), U+2000–U+205F (E2 ..), U+3000 (E3 ..).
                // Other characters with these lead bytes are rare in catalogs; the slow path keeps them.
                return true
            case 0xE1:
                // U+1680 OGHAM SPACE MARK is E1 9A 80; the Vietnamese letters U+1EA0–U+1EF9 share E1.
                if bytes.next() == 0x9A { return true }
            default:
                break
            }
            previousWasSpace = false
        }
        return previousWasSpace && !isEmpty
    }
}

extension Unicode.Scalar {
    /// Scalars that never change under NFC and never combine with what comes before them.
    var isAlwaysNFC: Bool {
        switch value {
        case 0..<0x300, 0x1E00...0x1EFF, 0x2010...0x2027, 0x2030...0x205E, 0x20A0...0x20C0: true
        default: false
        }
    }
}

extension String {
    // Counting characters walks grapheme clusters, which costs most of an export on Vietnamese
    // text; a byte length (known at once) settles most limit checks without counting.

    /// Whether the text has more than `limit` characters.
    func exceeds(characters limit: Int) -> Bool {
        utf8.count > limit && count > limit
    }

    /// Whether the text has fewer than `minimum` characters, counting no further than needed.
    func isShorter(thanCharacters minimum: Int) -> Bool {
        if utf8.count < minimum { return true }
        var counted = 0
        for _ in self {
            counted += 1
            if counted >= minimum { return false }
        }
        return true
    }

    /// Words separated by white space (Vietnamese separates syllables with ASCII spaces; no-break
    /// spaces count too), counted over the bytes.
    var wordCount: Int {
        var words = 0
        var inWord = false
        var previous: UInt8 = 0
        for byte in utf8 {
            let space = byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D || (previous == 0xC2 && byte == 0xA0)
            if byte == 0xC2 { previous = byte; continue }
            if space { inWord = false } else if !inWord { inWord = true; words += 1 }
            previous = byte
        }
        return words
    }
}

extension String {
    /// Whether `needle` (ASCII, lower case) occurs in this text, ASCII letters compared without
    /// case: for HTTP header values, without Foundation's locale-aware search.
    public func containsASCIICaseInsensitive(_ needle: String) -> Bool {
        let haystack = Array(utf8)
        let pattern = Array(needle.utf8)
        // Hand-written: Collection.firstRange(of:) resolves to Foundation's generic DataProtocol search.
        guard !pattern.isEmpty else { return true }
        guard haystack.count >= pattern.count else { return false }
        func lower(_ byte: UInt8) -> UInt8 { (65...90).contains(byte) ? byte | 0x20 : byte }
        outer: for start in 0...(haystack.count - pattern.count) {
            for offset in 0..<pattern.count where lower(haystack[start + offset]) != pattern[offset] { continue outer }
            return true
        }
        return false
    }
}

extension StringProtocol {
    /// Characters of a user's value an error message shows at most.
    static var excerptLength: Int { 60 }

    /// The value as an error message shows it: at most ``excerptLength`` characters, then
    /// `… (300000 characters)` when there are more, control and bidirectional-format characters
    /// escaped (`\n`, `\u{1B}`). A 300 KB cell gives a line, not 300 KB of error text, and a cell
    /// cannot move the cursor or reorder the terminal's text. For where a value is not quoted (a
    /// header or file name as a location); see ``quoted``.
    public var excerpt: String {
        let (shown, total) = shortened
        return shown + (total.map { "… (\($0) characters)" } ?? "")
    }

    /// The value in double quotes, as error messages quote what a user wrote (an ``excerpt``):
    /// `"85.000,5"`, or `"Nem chua Xuân Lập hộp 500g…" (300000 characters)`.
    public var quoted: String {
        let (shown, total) = shortened
        return "\"" + shown + (total.map { "…\" (\($0) characters)" } ?? "\"")
    }

    /// The first ``excerptLength`` characters, escaped, and the whole count when there are more.
    private var shortened: (shown: String, total: Int?) {
        var shown = ""
        var characters = 0
        for character in self {
            if characters == Self.excerptLength { return (shown, count) }
            characters += 1
            for scalar in character.unicodeScalars {
                switch scalar {
                case "\n": shown += "\\n"
                case "\r": shown += "\\r"
                case "\t": shown += "\\t"
                case _ where scalar.properties.generalCategory == .control || Self.isBidirectionalFormat(scalar):
                    shown += "\\u{" + String(scalar.value, radix: 16, uppercase: true) + "}"
                default: shown.unicodeScalars.append(scalar)
                }
            }
        }
        return (shown, nil)
    }

    private static func isBidirectionalFormat(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x200E, 0x200F, 0x202A...0x202E, 0x2066...0x2069: true
        default: false
        }
    }
}

extension Collection<UInt8> {
    /// The number these ASCII digits write (`0042` is 42); nil when a byte is not a digit. For the
    /// fixed-width fields of dates and times, read from their bytes: never long enough to overflow.
    var asciiDigitsValue: Int? {
        var value = 0
        for byte in self {
            guard (48...57).contains(byte) else { return nil }
            value = value * 10 + Int(byte - 48)
        }
        return value
    }
}
