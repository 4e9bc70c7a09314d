import Foundation

extension String {
    /// The text in Unicode normalisation form C, the form the registry stores.
    ///
    /// Spreadsheets on macOS and some web forms hand over Vietnamese in NFD (a base letter followed
    /// by combining marks); comparing, hashing and printing need one form. ASCII is already NFC, and
    /// skipping it keeps imports fast.
    public var nfc: String {
        if utf8.allSatisfy({ $0 < 0x80 }) { return self }
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
        var result = ""
        result.reserveCapacity(utf8.count)
        var pendingSpace = false
        for character in self {
            if character.isWhitespace {
                pendingSpace = !result.isEmpty
            } else {
                if pendingSpace { result.append(" ") }
                pendingSpace = false
                result.append(character)
            }
        }
        return result
    }

    /// A key for matching names people type in different ways: NFC, case, spacing, underscores and
    /// diacritics ignored. `"  Mã_sản phẩm "` and `"ma san pham"` share a key.
    public var matchingKey: String {
        nfc.withoutVietnameseDiacritics.lowercased()
            .replacingOccurrences(of: "_", with: " ")
            .collapsingWhitespace
    }
}
