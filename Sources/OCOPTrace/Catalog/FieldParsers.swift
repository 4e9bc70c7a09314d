import Foundation

/// Readers for the cell formats of catalogs and stamp orders. Each returns the value, or throws a
/// message that says what was wrong and what would be right; the caller adds file, row and column.
enum FieldParsers {
    struct Invalid: Error {
        var message: String
        init(_ message: String) { self.message = message }
    }

    /// A whole number written with or without thousands separators: `85000`, `85.000`, `85,000`,
    /// `85 000`. A separator must be followed by exactly three digits, so `85.5` is not a whole number.
    static func groupedInteger(_ text: String) -> Int? {
        let compact = text.filter { $0 != " " && $0 != "\u{00A0}" && $0 != "\u{202F}" }
        guard !compact.isEmpty else { return nil }
        let separators: Set<Character> = [".", ","]
        let groups = compact.split(omittingEmptySubsequences: false, whereSeparator: { separators.contains($0) })
        guard groups.allSatisfy({ !$0.isEmpty && $0.allSatisfy { $0.isASCII && $0.isNumber } }) else { return nil }
        if groups.count > 1 {
            // One kind of separator only, every group after the first of three digits.
            let used = Set(compact.filter { separators.contains($0) })
            guard used.count == 1, groups.first!.count <= 3, groups.dropFirst().allSatisfy({ $0.count == 3 }) else { return nil }
        }
        return Int(groups.joined())
    }

    /// A decimal number with `.` or `,` as the decimal mark (`0,5`, `1.25`); thousands groups allowed.
    static func decimal(_ text: String) -> Double? {
        let compact = text.filter { $0 != " " && $0 != "\u{00A0}" }
        if let whole = groupedInteger(compact) { return Double(whole) }
        let marks = compact.filter { $0 == "." || $0 == "," }
        guard marks.count == 1 else { return nil }
        return Double(compact.replacingOccurrences(of: ",", with: "."))
    }

    /// A VND price: `85000`, `85.000`, `85,000`, `85.000 ₫`, `85.000đ`, `85.000 VNĐ`, `85k`.
    static func priceVND(_ text: String) throws(Invalid) -> Int {
        var body = text.nfc.lowercased().trimmingCharacters(in: .whitespaces)
        for currency in ["vnđ", "vnd", "đồng", "₫", "đ", "d"] where body.hasSuffix(currency) {
            body = String(body.dropLast(currency.count)).trimmingCharacters(in: .whitespaces)
            break
        }
        var multiplier = 1
        if body.hasSuffix("k") || body.hasSuffix("nghìn") || body.hasSuffix("ngàn") {
            multiplier = 1000
            body = String(body.prefix { $0.isNumber || $0 == "." || $0 == "," || $0 == " " }).trimmingCharacters(in: .whitespaces)
        }
        let value: Int?
        if multiplier == 1000, let thousands = decimal(body) {
            let scaled = thousands * 1000
            value = scaled == scaled.rounded() ? Int(scaled) : nil
        } else {
            value = groupedInteger(body)
        }
        guard let value else {
            throw Invalid("\"\(text)\" is not a price in VND: write a whole number of đồng such as 85000, 85.000 or 85.000 ₫ (VND has no minor unit)")
        }
        guard value > 0 else { throw Invalid("the price must be more than 0 VND") }
        guard value <= 10_000_000_000 else { throw Invalid("\(value) VND is not a plausible retail price") }
        return value
    }

    /// A count that cannot be negative (stock, stamp quantity): grouped digits allowed.
    static func count(_ text: String, unitWords: [String] = [], allowZero: Bool) throws(Invalid) -> Int {
        var body = text.nfc.lowercased().trimmingCharacters(in: .whitespaces)
        for word in unitWords where body.hasSuffix(word) {
            body = String(body.dropLast(word.count)).trimmingCharacters(in: .whitespaces)
            break
        }
        guard let value = groupedInteger(body) else {
            throw Invalid("\"\(text)\" is not a whole number")
        }
        guard allowZero || value > 0 else { throw Invalid("must be more than 0") }
        return value
    }

    /// Net weight in grams: `500`, `500 g`, `1,5 kg`, `1.2kg`.
    static func weightGrams(_ text: String) throws(Invalid) -> Int {
        var body = text.nfc.lowercased().trimmingCharacters(in: .whitespaces)
        var factor = 1.0
        if body.hasSuffix("kg") {
            factor = 1000
            body.removeLast(2)
        } else if body.hasSuffix("gram") {
            body.removeLast(4)
        } else if body.hasSuffix("gr") {
            body.removeLast(2)
        } else if body.hasSuffix("g") {
            body.removeLast()
        }
        guard let number = decimal(body.trimmingCharacters(in: .whitespaces)) else {
            throw Invalid("\"\(text)\" is not a weight: write grams such as 500, or 1,5 kg")
        }
        let grams = (number * factor).rounded()
        guard grams > 0 else { throw Invalid("the weight must be more than 0 g") }
        guard grams <= 1_000_000 else { throw Invalid("\(Int(grams)) g is over a tonne: is the unit right?") }
        return Int(grams)
    }

    /// Shelf life in days: `180`, `180 ngày`, `180 days`.
    static func shelfLifeDays(_ text: String) throws(Invalid) -> Int {
        let days: Int
        do {
            days = try count(text, unitWords: ["ngày", "days", "day"], allowZero: false)
        } catch {
            throw Invalid("\"\(text)\" is not a number of days (write 180 or 180 ngày; months are not accepted: 12 tháng is ambiguous)")
        }
        guard days <= 36_500 else { throw Invalid("\(days) days is more than a century") }
        return days
    }

    /// OCOP stars: `4`, `4 sao`, `4★`, `4 stars`, `★★★★`. Only 3 to 5 are OCOP-certified.
    static func stars(_ text: String) throws(Invalid) -> Int {
        let trimmed = text.nfc.lowercased().trimmingCharacters(in: .whitespaces)
        var stars: Int?
        if !trimmed.isEmpty, trimmed.allSatisfy({ $0 == "★" || $0 == "⭐" }) {
            stars = trimmed.count
        } else {
            var body = trimmed
            for word in ["sao", "stars", "star", "★", "*"] where body.hasSuffix(word) {
                body = String(body.dropLast(word.count)).trimmingCharacters(in: .whitespaces)
                break
            }
            stars = Int(body)
        }
        guard let stars else { throw Invalid("\"\(text)\" is not a star rating: write 3, 4 or 5 (or \"4 sao\")") }
        guard (3...5).contains(stars) else {
            throw Invalid("\(stars) stars is not an OCOP rating: only 3, 4 and 5 stars are certified (leave the cell blank for products not rated)")
        }
        return stars
    }

    /// A date: `YYYY-MM-DD` or `DD/MM/YYYY` (never month first).
    static func date(_ text: String) throws(Invalid) -> CalendarDate {
        guard let date = CalendarDate(parsing: text) else {
            throw Invalid("\"\(text)\" is not a date: write 2025-03-14 or 14/03/2025 (day first)")
        }
        return date
    }

    /// A Vietnamese tax ID (mã số thuế): 10 digits, 10 + 3 for a branch (`0101234567-001`), or the
    /// 12-digit personal ID that household businesses use since 2025.
    static func taxID(_ text: String) throws(Invalid) -> String {
        let compact = text.filter { !$0.isWhitespace }
        let digits = compact.filter(\.isNumber)
        let shapeOK = compact.allSatisfy { ($0.isASCII && $0.isNumber) || $0 == "-" }
        if shapeOK, digits.count == 10 && !compact.contains("-") || digits.count == 12 && !compact.contains("-") {
            return compact
        }
        if shapeOK, digits.count == 13 {
            return String(digits.prefix(10)) + "-" + String(digits.suffix(3))
        }
        if shapeOK, digits.count == 9 || digits.count == 11 {
            throw Invalid("\"\(text)\" has \(digits.count) digits: a leading zero was probably lost; format the column as text and write all 10 (or 12) digits")
        }
        throw Invalid("\"\(text)\" is not a tax ID: write 10 digits, 10-3 digits for a branch, or a 12-digit personal ID")
    }

    /// Image references separated by `|`: http(s) URLs kept as they are, other entries taken as
    /// paths relative to the catalog's folder and made absolute.
    static func images(_ text: String, relativeTo folder: URL) throws(Invalid) -> [String] {
        var result: [String] = []
        for part in text.split(separator: "|") {
            let item = part.trimmingCharacters(in: .whitespacesAndNewlines)
            guard !item.isEmpty else { continue }
            let lower = item.lowercased()
            if lower.hasPrefix("http://") || lower.hasPrefix("https://") {
                guard let url = URL(string: item), url.host?.isEmpty == false else {
                    throw Invalid("\"\(item)\" is not a valid image URL")
                }
                result.append(item)
            } else if lower.contains("://") {
                throw Invalid("\"\(item)\": image URLs must start with http:// or https://")
            } else {
                let url = item.hasPrefix("/") ? URL(fileURLWithPath: item) : folder.appendingPathComponent(item)
                result.append(url.standardizedFileURL.path)
            }
        }
        return result
    }
}
