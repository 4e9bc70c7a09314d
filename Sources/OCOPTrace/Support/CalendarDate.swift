import Foundation

/// A day in the proleptic Gregorian calendar, without time or zone: production, expiry and
/// recognition dates are days, and treating them as instants shifts them across midnight.
public struct CalendarDate: Hashable, Comparable, Sendable, Codable, CustomStringConvertible {
    public let year: Int
    public let month: Int
    public let day: Int

    public init?(year: Int, month: Int, day: Int) {
        guard (1900...2999).contains(year), (1...12).contains(month),
              (1...CalendarDate.daysIn(month: month, year: year)).contains(day)
        else { return nil }
        self.year = year
        self.month = month
        self.day = day
    }

    /// Reads `YYYY-MM-DD` or the Vietnamese day-first `DD/MM/YYYY` (also with `-` or `.`).
    /// Month-first dates are never assumed: `03/04/2025` is the 3rd of April.
    public init?(parsing text: String) {
        // The registry's own `YYYY-MM-DD`, read from its bytes: the server reads several a request.
        let utf8 = text.utf8
        if utf8.count == 10 {
            var digits: [Int] = []
            digits.reserveCapacity(8)
            var dashes = 0
            for (index, byte) in utf8.enumerated() {
                if index == 4 || index == 7 {
                    if byte == UInt8(ascii: "-") { dashes += 1 }
                } else if (48...57).contains(byte) {
                    digits.append(Int(byte - 48))
                }
            }
            if dashes == 2, digits.count == 8 {
                self.init(year: digits[0] * 1000 + digits[1] * 100 + digits[2] * 10 + digits[3], month: digits[4] * 10 + digits[5],
                          day: digits[6] * 10 + digits[7])
                return
            }
        }
        let trimmed = text.trimmed
        let parts = trimmed.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "-" || $0 == "/" || $0 == "." })
        guard parts.count == 3, parts.allSatisfy({ part in !part.isEmpty && part.allSatisfy { $0.isASCII } }),
              let a = Int(parts[0]), let b = Int(parts[1]), let c = Int(parts[2])
        else { return nil }
        if parts[0].count == 4, trimmed.contains("-"), !trimmed.contains("/") {
            self.init(year: a, month: b, day: c)
        } else if parts[2].count == 4, parts[0].count <= 2, parts[1].count <= 2 {
            self.init(year: c, month: b, day: a)
        } else {
            return nil
        }
    }

    /// The date of an Excel serial day number (1900 date system, which counts a 29 February 1900
    /// that never was; serials from 61 on are therefore one day ahead of a plain count).
    public init?(excelSerial serial: Double) {
        guard serial >= 61, serial < 2_958_466 else { return nil }
        self.init(daysSinceEpoch: Int(serial.rounded(.down)) - 25_569)
    }

    /// Days since 1970-01-01 (Howard Hinnant's civil-from-days algorithm).
    public init?(daysSinceEpoch days: Int) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let mp = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        let year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
        self.init(year: year, month: month, day: day)
    }

    /// Today in the given time zone (Viet Nam's by default, where the producers and inspectors are).
    public static func today(in timeZone: TimeZone = TimeZone(identifier: "Asia/Ho_Chi_Minh")!, now: Date = Date()) -> CalendarDate {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        let parts = calendar.dateComponents([.year, .month, .day], from: now)
        return CalendarDate(year: parts.year!, month: parts.month!, day: parts.day!)!
    }

    public var daysSinceEpoch: Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    public func adding(days: Int) -> CalendarDate? {
        CalendarDate(daysSinceEpoch: daysSinceEpoch + days)
    }

    /// The same day `months` later, or the month's last day when it is shorter (31 Jan + 1 month = 28/29 Feb).
    public func adding(months: Int) -> CalendarDate? {
        let total = year * 12 + (month - 1) + months
        let newYear = total / 12
        let newMonth = total % 12 + 1
        let newDay = min(day, CalendarDate.daysIn(month: newMonth, year: newYear))
        return CalendarDate(year: newYear, month: newMonth, day: newDay)
    }

    /// `YYYY-MM-DD`.
    public var iso: String {
        CalendarDate.padded(year, 4) + "-" + CalendarDate.padded(month, 2) + "-" + CalendarDate.padded(day, 2)
    }

    /// `DD/MM/YYYY`, as Vietnamese labels and documents write dates.
    public var vietnamese: String {
        CalendarDate.padded(day, 2) + "/" + CalendarDate.padded(month, 2) + "/" + CalendarDate.padded(year, 4)
    }

    /// `YYMMDD`, the GS1 date format of AIs 11 and 17.
    public var gs1: String {
        CalendarDate.padded(year % 100, 2) + CalendarDate.padded(month, 2) + CalendarDate.padded(day, 2)
    }

    public var description: String { iso }

    public static func < (lhs: CalendarDate, rhs: CalendarDate) -> Bool {
        (lhs.year, lhs.month, lhs.day) < (rhs.year, rhs.month, rhs.day)
    }

    private static func padded(_ value: Int, _ width: Int) -> String {
        let digits = String(value)
        return digits.count >= width ? digits : String(repeating: "0", count: width - digits.count) + digits
    }

    static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }

    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let date = CalendarDate(parsing: text) else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "not a date: \(text)"))
        }
        self = date
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(iso)
    }
}
