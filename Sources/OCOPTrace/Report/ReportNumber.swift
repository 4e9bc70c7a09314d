/// Numbers as the report writes them: Vietnamese groups thousands with `.` and marks decimals
/// with `,` (`1.234.567`, `12,5%`); English the other way round (`1,234,567`, `12.5%`).
///
/// Written by hand rather than through `FormatStyle`: the output must not depend on the ICU data
/// or locale of the machine that renders it (the same figures give the same bytes).
public enum ReportNumber {
    /// A whole number with thousands grouped: `integer(1234567, .vi)` is `"1.234.567"`.
    public static func integer(_ value: Int, _ language: Language) -> String {
        let digits = String(value.magnitude)
        var grouped = ""
        grouped.reserveCapacity(digits.utf8.count + digits.utf8.count / 3 + 1)
        for (index, digit) in digits.enumerated() {
            if index > 0, (digits.count - index) % 3 == 0 { grouped.append(groupSeparator(language)) }
            grouped.append(digit)
        }
        return (value < 0 ? "-" : "") + grouped
    }

    /// A number with at most `fractionDigits` decimals, trailing zeros dropped:
    /// `decimal(1234.5, .vi)` is `"1.234,5"`, `decimal(2.0, .en)` is `"2"`.
    public static func decimal(_ value: Double, fractionDigits: Int = 1, _ language: Language) -> String {
        guard value.isFinite else { return "–" }
        let digits = max(0, min(fractionDigits, 6))
        var scale = 1
        for _ in 0..<digits { scale *= 10 }
        let scaled = (value.magnitude * Double(scale)).rounded(.toNearestOrAwayFromZero)
        guard scaled < 9e17 else { return (value < 0 ? "-" : "") + integer(Int(value.magnitude.rounded()), language) }
        let whole = Int(scaled) / scale
        var fraction = Int(scaled) % scale
        var width = digits
        while width > 0, fraction % 10 == 0 { fraction /= 10; width -= 1 }
        let sign = value < 0 && scaled > 0 ? "-" : ""
        guard width > 0 else { return sign + integer(whole, language) }
        let fractionText = String(fraction)
        return sign + integer(whole, language) + decimalMark(language) + String(repeating: "0", count: width - fractionText.count) + fractionText
    }

    /// A percentage with one decimal at most: `percent(12.5, .vi)` is `"12,5%"`.
    public static func percent(_ value: Double, _ language: Language) -> String {
        decimal(value, fractionDigits: 1, language) + "%"
    }

    static func groupSeparator(_ language: Language) -> Character { language == .vi ? "." : "," }
    static func decimalMark(_ language: Language) -> String { language == .vi ? "," : "." }
}
