import Testing
@testable import OCOPTrace

@Suite struct GTINTests {
    @Test(arguments: ["09520123456788", "05412345000013", "12312312312333", "12312312312326"])
    func acceptsTheReferenceExamples(_ digits: String) throws {
        #expect(try GTIN(parsing: digits).digits == digits)
    }

    @Test func padsShorterGTINsToFourteenDigits() throws {
        #expect(try GTIN(parsing: "8938765000015").digits == "08938765000015")
        #expect(try GTIN(parsing: "96385074").digits == "00000096385074")
        #expect(try GTIN(parsing: "036000291452").digits == "00036000291452")
        #expect(try GTIN(parsing: "893 8765 00001 5").digits == "08938765000015")
    }

    @Test func shortFormDropsThePadding() throws {
        #expect(try GTIN(parsing: "8938765000015").shortForm == "8938765000015")
        #expect(try GTIN(parsing: "96385074").shortForm == "96385074")
    }

    @Test func rejectsGTINWithWrongCheckDigit() {
        #expect(throws: GTIN.ParseError.wrongCheckDigit(expected: "5", found: "4")) { try GTIN(parsing: "8938765000014") }
    }

    @Test func rejectsWrongLengthsLettersAndZeros() {
        #expect(throws: GTIN.ParseError.wrongLength(11)) { try GTIN(parsing: "89387650000") }
        #expect(throws: GTIN.ParseError.notDigits) { try GTIN(parsing: "89387650000A5") }
        #expect(throws: GTIN.ParseError.allZero) { try GTIN(parsing: "00000000") }
    }
}

@Suite struct LotNumberTests {
    @Test func transliteratesVietnameseLotNames() throws {
        #expect(try LotNumber(transliterating: "Lô chay 11").code == "Lo-chay-11")
        #expect(try LotNumber(transliterating: "Đợt 3/2026").code == "Dot-3/2026")
        #expect(try LotNumber(transliterating: "NC2611A").code == "NC2611A")
    }

    @Test func rejectsCharactersOutsideGS1Set82AndLongLots() {
        #expect(throws: LotNumber.ParseError.self) { try LotNumber(transliterating: "LOT#7") }
        #expect(throws: LotNumber.ParseError.self) { try LotNumber(transliterating: "lô 雪") }
        #expect(throws: LotNumber.ParseError.tooLong(code: "ABCDEFGHIJKLMNOPQRSTU")) {
            try LotNumber(transliterating: "ABCDEFGHIJKLMNOPQRSTU")
        }
        #expect(throws: LotNumber.ParseError.empty) { try LotNumber(transliterating: "  ") }
    }
}

@Suite struct CalendarDateTests {
    @Test func readsISOAndDayFirstDates() {
        #expect(CalendarDate(parsing: "2025-03-14") == CalendarDate(year: 2025, month: 3, day: 14))
        #expect(CalendarDate(parsing: "14/03/2025") == CalendarDate(year: 2025, month: 3, day: 14))
        #expect(CalendarDate(parsing: "3/4/2025") == CalendarDate(year: 2025, month: 4, day: 3))
        #expect(CalendarDate(parsing: "14.03.2025") == CalendarDate(year: 2025, month: 3, day: 14))
    }

    @Test func neverReadsMonthFirstOrImpossibleDates() {
        #expect(CalendarDate(parsing: "03/14/2025") == nil)
        #expect(CalendarDate(parsing: "31/02/2025") == nil)
        #expect(CalendarDate(parsing: "2025/03/14") == nil)
        #expect(CalendarDate(parsing: "14-03-25") == nil)
        #expect(CalendarDate(parsing: "") == nil)
    }

    @Test func convertsExcelSerialsAndAddsDaysAndMonths() {
        #expect(CalendarDate(excelSerial: 45265)?.iso == "2023-12-05")
        #expect(CalendarDate(excelSerial: 61)?.iso == "1900-03-01")
        let date = CalendarDate(year: 2024, month: 1, day: 31)!
        #expect(date.adding(months: 1)?.iso == "2024-02-29")
        #expect(date.adding(days: 366)?.iso == "2025-01-31")
        #expect(date.gs1 == "240131")
        #expect(date.vietnamese == "31/01/2024")
    }

    @Test func recognitionLastsThirtySixMonths() {
        let recognition = OCOPRecognition(stars: 4, decision: "1/QĐ", recognizedOn: CalendarDate(year: 2023, month: 11, day: 20))
        #expect(recognition.expiresOn?.iso == "2026-11-19")
        #expect(recognition.isValid(on: CalendarDate(year: 2026, month: 11, day: 19)!))
        #expect(!recognition.isValid(on: CalendarDate(year: 2026, month: 11, day: 20)!))
        #expect(!OCOPRecognition(stars: 3, decision: nil, recognizedOn: nil).isValid(on: CalendarDate(year: 2026, month: 1, day: 1)!))
    }
}
