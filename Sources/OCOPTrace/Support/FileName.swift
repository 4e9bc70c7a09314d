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

    /// A name for `text` that no other text is given, even on a case-insensitive filesystem (macOS,
    /// Windows, the FAT stick a print shop brings): the ``slug(_:)`` itself when it is `text`
    /// exactly and has no lower-case letter (`NC2611A`, `MD-2611`), else the slug, `_` and eight
    /// hex digits of the SHA-256 of `text` (`MD/2611` → `MD-2611_8c4e0f1a`).
    ///
    /// A slug has no `_`, so names of the two kinds never meet; names of the first kind are
    /// their texts, which differ in more than case; names of the second kind differ in their hash.
    static func distinct(_ text: String) -> String {
        let slug = slug(text)
        if slug == text, !text.unicodeScalars.contains(where: { ("a"..."z").contains($0) }) { return slug }
        return slug + "_" + Digest.hex(of: text, bytes: 4)
    }
}
