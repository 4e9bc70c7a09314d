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
        var value = 0
        var digitsInGroup = 0
        var groups = 0
        var separator: UInt8?
        var sawDigit = false
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"):
                let (times10, overflow1) = value.multipliedReportingOverflow(by: 10)
                let (sum, overflow2) = times10.addingReportingOverflow(Int(byte - 48))
                guard !overflow1, !overflow2 else { return nil }
                value = sum
                digitsInGroup += 1
                sawDigit = true
            case UInt8(ascii: "."), UInt8(ascii: ","):
                // One kind of separator only; the first group has 1 to 3 digits, later ones exactly 3.
                guard separator == nil || separator == byte, digitsInGroup > 0 else { return nil }
                guard groups == 0 ? digitsInGroup <= 3 : digitsInGroup == 3 else { return nil }
                separator = byte
                groups += 1
                digitsInGroup = 0
            case 0x20:
                continue
            default:
                return nil
            }
        }
        guard sawDigit else { return nil }
        if groups > 0, digitsInGroup != 3 { return nil }
        return value
    }

    /// A decimal number with `.` or `,` as the decimal mark (`0,5`, `1.25`); thousands groups allowed.
    /// Never infinite or NaN (`1.e999` is no number a cell means).
    static func decimal(_ text: String) -> Double? {
        let compact = text.filter { $0 != " " && $0 != "\u{00A0}" }
        if let whole = groupedInteger(compact) { return Double(whole) }
        let marks = compact.filter { $0 == "." || $0 == "," }
        guard marks.count == 1, let value = Double(compact.replacingOccurrences(of: ",", with: ".")), value.isFinite else { return nil }
        return value
    }

    /// A VND price: `85000`, `85.000`, `85,000`, `85.000 ₫`, `85.000đ`, `85.000 VNĐ`, `85k`.
    static func priceVND(_ text: String) throws(Invalid) -> Int {
        var body = text.nfc.lowercased().trimmed
        for currency in ["vnđ", "vnd", "đồng", "₫", "đ", "d"] where body.hasSuffix(currency) {
            body = String(body.dropLast(currency.count)).trimmed
            break
        }
        var multiplier = 1
        if body.hasSuffix("k") || body.hasSuffix("nghìn") || body.hasSuffix("ngàn") {
            multiplier = 1000
            body = String(body.prefix { $0.isNumber || $0 == "." || $0 == "," || $0 == " " }).trimmed
        }
        let value: Int?
        if multiplier == 1000, let thousands = decimal(body) {
            let scaled = thousands * 1000
            value = scaled == scaled.rounded() ? Int(exactly: scaled) : nil  // nil past Int's range, not a trap
        } else {
            value = groupedInteger(body)
        }
        guard let value else {
            throw Invalid("\(text.quoted) is not a price in VND: write a whole number of đồng such as 85000, 85.000 or 85.000 ₫ (VND has no minor unit)")
        }
        guard value > 0 else { throw Invalid("the price must be more than 0 VND") }
        guard value <= 10_000_000_000 else { throw Invalid("\(value) VND is not a plausible retail price") }
        return value
    }

    /// A count that cannot be negative (stock, stamp quantity): grouped digits allowed.
    static func count(_ text: String, unitWords: [String] = [], allowZero: Bool) throws(Invalid) -> Int {
        var body = text.nfc.lowercased().trimmed
        for word in unitWords where body.hasSuffix(word) {
            body = String(body.dropLast(word.count)).trimmed
            break
        }
        guard let value = groupedInteger(body) else {
            throw Invalid("\(text.quoted) is not a whole number")
        }
        guard allowZero || value > 0 else { throw Invalid("must be more than 0") }
        return value
    }

    /// Net weight in grams: `500`, `500 g`, `1,5 kg`, `1.2kg`.
    static func weightGrams(_ text: String) throws(Invalid) -> Int {
        var body = text.nfc.lowercased().trimmed
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
        guard let number = decimal(body.trimmed) else {
            throw Invalid("\(text.quoted) is not a weight: write grams such as 500, or 1,5 kg")
        }
        let grams = (number * factor).rounded()
        guard grams > 0 else { throw Invalid("the weight must be more than 0 g") }
        guard grams <= 1_000_000 else {
            throw Invalid("\(grams < 1e15 ? String(Int(grams)) : "more than 10^15") g is over a tonne: is the unit right?")
        }
        return Int(grams)
    }

    /// Package length × width × height in cm: `20x15x10`, `20 × 15 × 10 cm`, `20,5*15*10`, `200x150x100 mm`.
    static func packageSize(_ text: String) throws(Invalid) -> PackageSize {
        var body = text.nfc.lowercased().trimmed
        var factor = 1.0
        if body.hasSuffix("mm") {
            factor = 0.1
            body.removeLast(2)
        } else if body.hasSuffix("cm") {
            body.removeLast(2)
        }
        let parts = body.split { $0 == "x" || $0 == "×" || $0 == "*" }.map { String($0).trimmed }
        let sides = parts.compactMap { decimal($0) }.map { ($0 * factor * 10).rounded() / 10 }
        guard parts.count == 3, sides.count == 3 else {
            throw Invalid("\(text.quoted) is not a package size: write length x width x height in cm, such as 20x15x10")
        }
        guard sides.allSatisfy({ $0 > 0 }) else { throw Invalid("each side of the package must be more than 0 cm") }
        guard sides.allSatisfy({ $0 <= 1000 }) else { throw Invalid("a side over 10 m: is the unit right? (cm, or mm with \"mm\")") }
        return PackageSize(lengthCm: sides[0], widthCm: sides[1], heightCm: sides[2])
    }

    /// Shelf life in days: `180`, `180 ngày`, `180 days`.
    static func shelfLifeDays(_ text: String) throws(Invalid) -> Int {
        let days: Int
        do {
            days = try count(text, unitWords: ["ngày", "days", "day"], allowZero: false)
        } catch {
            throw Invalid("\(text.quoted) is not a number of days (write 180 or 180 ngày; months are not accepted: 12 tháng is ambiguous)")
        }
        guard days <= 36_500 else { throw Invalid("\(days) days is more than a century") }
        return days
    }

    /// OCOP stars: `4`, `4 sao`, `4★`, `4 stars`, `★★★★`. Only 3 to 5 are OCOP-certified.
    static func stars(_ text: String) throws(Invalid) -> Int {
        let trimmed = text.nfc.lowercased().trimmed
        var stars: Int?
        if !trimmed.isEmpty, trimmed.allSatisfy({ $0 == "★" || $0 == "⭐" }) {
            stars = trimmed.count
        } else {
            var body = trimmed
            for word in ["sao", "stars", "star", "★", "*"] where body.hasSuffix(word) {
                body = String(body.dropLast(word.count)).trimmed
                break
            }
            stars = Int(body)
        }
        guard let stars else { throw Invalid("\(text.quoted) is not a star rating: write 3, 4 or 5 (or \"4 sao\")") }
        guard (3...5).contains(stars) else {
            throw Invalid("\(stars) stars is not an OCOP rating: only 3, 4 and 5 stars are certified (leave the cell blank for products not rated)")
        }
        return stars
    }

    /// A date: `YYYY-MM-DD` or `DD/MM/YYYY` (never month first).
    static func date(_ text: String) throws(Invalid) -> CalendarDate {
        guard let date = CalendarDate(parsing: text) else {
            throw Invalid("\(text.quoted) is not a date: write 2025-03-14 or 14/03/2025 (day first)")
        }
        return date
    }

    /// A Vietnamese tax ID (mã số thuế): 10 digits, 10 + 3 for a branch (`0101234567-001`), or the
    /// 12-digit personal ID that household businesses use since 2025.
    static func taxID(_ text: String) throws(Invalid) -> String {
        var digits = 0
        var dashes = 0
        var compact: [UInt8] = []
        for byte in text.utf8 where byte != 0x20 {
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digits += 1
            case UInt8(ascii: "-"): dashes += 1
            default:
                throw Invalid("\(text.quoted) is not a tax ID: write 10 digits, 10-3 digits for a branch, or a 12-digit personal ID")
            }
            compact.append(byte)
        }
        let value = String(decoding: compact, as: UTF8.self)
        switch (digits, dashes) {
        case (10, 0), (12, 0):
            return value
        case (13, 0), (13, 1):
            let only = value.filter { $0 != "-" }
            return String(only.prefix(10)) + "-" + String(only.suffix(3))
        case (9, _), (11, _):
            throw Invalid("\(text.quoted) has \(digits) digits: a leading zero was probably lost; format the column as text and write all 10 (or 12) digits")
        default:
            throw Invalid("\(text.quoted) is not a tax ID: write 10 digits, 10-3 digits for a branch, or a 12-digit personal ID")
        }
    }

    /// Yes or no, as people write it in either language: yes/no, có/không, true/false, 1/0, x.
    static func yesNo(_ text: String) throws(Invalid) -> Bool {
        switch text.matchingKey {
        case "yes", "y", "co", "true", "1", "x": return true
        case "no", "n", "khong", "false", "0", "": return false
        default: throw Invalid("\(text.quoted) is not yes or no (write có or không)")
        }
    }

    /// Image references separated by `|`: http(s) URLs kept as they are, other entries taken as
    /// paths relative to the catalog's folder and made absolute.
    static func images(_ text: String, relativeTo folder: URL) throws(Invalid) -> [String] {
        var result: [String] = []
        for part in text.split(separator: "|") {
            let item = String(part).trimmed
            guard !item.isEmpty else { continue }
            let lower = item.lowercased()
            if lower.hasPrefix("http://") || lower.hasPrefix("https://") {
                let afterScheme = item.split(separator: "/", maxSplits: 3, omittingEmptySubsequences: false)
                guard afterScheme.count >= 3, afterScheme[1].isEmpty, !afterScheme[2].isEmpty,
                      !item.contains(where: { $0 == " " || $0 == "\"" || $0 == "<" || $0 == ">" })
                else {
                    throw Invalid("\(item.quoted) is not a valid image URL (spaces must be written %20)")
                }
                result.append(item)
            } else if lower.contains("://") {
                throw Invalid("\(item.quoted): image URLs must start with http:// or https://")
            } else {
                let url = item.hasPrefix("/") ? URL(fileURLWithPath: item) : folder.appendingPathComponent(item)
                result.append(url.standardizedFileURL.path)
            }
        }
        return result
    }
}
