extension String {
    /// The text made safe for XML and HTML element content and quoted attributes: `&`, `<`, `>`,
    /// `"` and `'` written as references. For text from catalogs (producer and product names),
    /// which may hold anything, in the reports' SVG and HTML.
    ///
    /// Replaced by Unicode scalar, not by character: a `<` followed by a combining accent is
    /// still a `<` to a parser. Control characters other than tab and line ends, which XML 1.0
    /// forbids even as references, become U+FFFD.
    ///
    /// ```swift
    /// "Hợp tác xã <A&B>".markupEscaped  // "Hợp tác xã &lt;A&amp;B&gt;"
    /// ```
    public var markupEscaped: String {
        guard utf8.contains(where: { $0 == 0x26 || $0 == 0x3C || $0 == 0x3E || $0 == 0x22 || $0 == 0x27 || ($0 < 0x20 && $0 != 0x09 && $0 != 0x0A && $0 != 0x0D) })
        else { return self }
        var out = ""
        out.reserveCapacity(utf8.count + 16)
        for scalar in unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            case "\t", "\n", "\r": out.unicodeScalars.append(scalar)
            case _ where scalar.value < 0x20: out += "\u{FFFD}"
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
    }
}
