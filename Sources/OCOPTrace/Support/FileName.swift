/// File and folder names made from text that came from catalogs (product names, lots, file names).
enum FileName {
    /// ASCII letters and digits, `-` between words, at most 60 characters: `Nem chua hộp 500g` →
    /// `Nem-chua-hop-500g`. Nothing in it can climb out of a folder or mean anything to a shell.
    static func slug(_ text: String) -> String {
        var slug = ""
        for scalar in text.withoutVietnameseDiacritics.unicodeScalars {
            if scalar.isASCII, scalar.properties.isAlphabetic || ("0"..."9").contains(scalar) {
                slug.unicodeScalars.append(scalar)
            } else if !slug.isEmpty, !slug.hasSuffix("-") {
                slug += "-"
            }
        }
        while slug.hasSuffix("-") { slug.removeLast() }
        return slug.isEmpty ? "x" : String(slug.prefix(60))
    }
}
