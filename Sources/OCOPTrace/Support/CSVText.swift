/// Writing CSV cells for people (RFC 4180), who open them in Excel or LibreOffice: every CSV that
/// ocoptrace writes for people goes through here. Files read by machines (the Google feed, JSON)
/// keep their text as it is and do not.
enum CSVText {
    /// The cell, quoted only when it must be. Text a spreadsheet would take for a formula (it
    /// begins with `=`, `+`, `-`, `@`, a tab or a carriage return: catalogs come from many producers)
    /// gets a leading `'` inside quotes, the OWASP rule against CSV injection: the cell is shown as
    /// text and never evaluated.
    static func field(_ text: String) -> String {
        if looksLikeFormula(text) { return "\"'" + doublingQuotes(text) + "\"" }
        guard text.utf8.contains(where: { $0 == 0x2C || $0 == 0x22 || $0 == 0x0A || $0 == 0x0D }) else { return text }
        return "\"" + doublingQuotes(text) + "\""
    }

    /// Every `"` doubled, scalar by scalar: a quote followed by a combining mark is one Character,
    /// which a Character-wise replacement leaves single (and the row then ends early when read).
    private static func doublingQuotes(_ text: String) -> String {
        var out = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            out.append(scalar)
            if scalar == "\"" { out.append(scalar) }
        }
        return String(out)
    }

    /// Whether a spreadsheet could evaluate the text as a formula (or DDE command).
    static func looksLikeFormula(_ text: String) -> Bool {
        guard let first = text.utf8.first else { return false }
        return first == 0x3D || first == 0x2B || first == 0x2D || first == 0x40 || first == 0x09 || first == 0x0D
    }

    /// For import warnings, a narrower test than `looksLikeFormula`: descriptions often begin with
    /// "- " bullets and phone numbers with "+84", which are not worth a warning. Text beginning with
    /// `=`, or with `+`, `-` or `@` directly followed by text that calls something (`(`, `|`, `!`).
    static func looksLikeFormulaInACatalog(_ text: String) -> Bool {
        guard let first = text.unicodeScalars.first else { return false }
        if first == "=" { return true }
        guard first == "+" || first == "-" || first == "@" else { return false }
        let rest = text.unicodeScalars.dropFirst()
        guard let second = rest.first, !second.properties.isWhitespace else { return false }
        return rest.contains { $0 == "(" || $0 == "|" || $0 == "!" }
    }
}
