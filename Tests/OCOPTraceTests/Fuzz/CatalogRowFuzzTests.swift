import Foundation
import PropertyBased
import Testing
import TestSupport
@testable import OCOPTrace

/// Seeded fuzzing of header matching, row validation and the cell parsers (issue 21): a header is
/// matched or refused with a `CatalogError` naming `file:1`; a row becomes a draft or problems that
/// each name the file, the row and a column the file has; every cell parser returns a plausible
/// value or a message. Seed and case count: see `Fuzz`.
@Suite("Fuzz: catalog rows") struct CatalogRowFuzzTests {
    static let file = "fuzz/catalog.csv"

    /// A plausible cell for each column, and a few near misses, that mutations start from.
    static let examples: [CatalogColumn: [String]] = [
        .productCode: ["NC-500", "MT/200", "x"], .name: ["Nem chua Thanh Hóa", "Mắm tép"], .gtin: ["8938765000015", "08938765000015", "12345670", "893876500001"],
        .producer: ["HTX Xuân Lập"], .producerType: ["HTX", "company", "Hộ kinh doanh", "Tổ hợp tác"], .taxID: ["0101234567", "0101234567-001", "001234567890"],
        .commune: ["Xuân Lập"], .district: ["Thọ Xuân"], .province: ["Thanh Hóa"], .gln: ["8938765000008", "893 8765 00000 8"],
        .ocopGroup: ["1", "Thực phẩm", "6"], .ocopStars: ["4", "4 sao", "★★★", "5★"], .ocopDecision: ["123/QĐ-UBND"],
        .ocopRecognizedOn: ["2025-03-14", "14/03/2025", "29/02/2024"], .priceVND: ["85000", "85.000", "85,000 ₫", "85k", "1,5 nghìn", "85.000đ"],
        .unit: ["hộp 500g"], .weightGrams: ["500", "500 g", "1,5 kg", "1.2kg"], .packageSize: ["20x15x10", "20,5 × 15 × 10 cm", "250*250*350 mm"],
        .shelfLifeDays: ["180", "180 ngày", "30 days"], .description: ["Dòng một\r\ndòng \"hai\"; ba, bốn"], .images: ["https://a.vn/x.jpg|images/b.png", "/abs/c.png"],
        .stock: ["0", "1.000"], .embedSignature: ["có", "không", "yes", "x"], .lot: ["Lô chay 11", "NC2611A", "Lô 11/2026"],
        .quantity: ["500", "1.000 tem", "1000000"], .producedOn: ["2026-11-20", "20/11/2026"], .expiresOn: ["2026-12-20", "00/00/0000"],
        .stage: ["Thu hoạch", "thu hoach", "HARVEST", "bón phân", "Lên men", "kiem nghiem"],
        .startedAt: ["28/10/2026 06:30", "2026-10-28T06:30", "28/10/2026 6h30", "28/10/2026", "2026-10-28T06:30+08:00"],
        .finishedAt: ["28/10/2026 11:00", "2026-10-29", "2026-10-28T23:59:59.999Z"], .place: ["Ruộng số 3", "8938765000008"],
        .placeGLN: ["8938765000008", "8938765000009"], .actor: ["Tổ sản xuất"], .standard: ["VietGAP", "TCVN 7049:2009"],
        .certificate: ["PKN-2026-0412"], .note: ["mẻ \"đầu\", ghi chú"],
    ]

    static let today = CalendarDate(year: 2026, month: 12, day: 1)!

    /// A cell for `column`: an example as it is or mutated, random text, or nothing.
    static func cell(_ column: CatalogColumn) -> Generator<String, some SendableSequenceType> {
        Gen<String>.frequency([
            (4, Gen<String?>.element(of: examples[column] ?? ["x"]).map { $0 ?? "" }.eraseToAny()),
            (4, Fuzz.mutated(texts: examples[column] ?? ["x"], hugeUpTo: 16_000).eraseToAny()),
            (1, Fuzz.text(length: 0...40).eraseToAny()),
            (1, Gen.always("").eraseToAny()),
        ])
    }

    static func row(of columns: [CatalogColumn]) -> Generator<[String], some SendableSequenceType> {
        let cells = columns.map { cell($0) }
        return Generator { random in cells.map { $0.run(using: &random) } }
    }

    /// Each problem names the file, the row and a column header the file has; its message is clear.
    static func checkProblems(_ problems: [RowProblem], row: Int, headers: [String]) throws(Fuzz.Failure) {
        try Fuzz.check(!problems.isEmpty, "a failed row without problems")
        for problem in problems {
            try Fuzz.check(problem.file == file && problem.row == row, "a problem of \(problem.file):\(problem.row), not \(file):\(row)")
            try Fuzz.check(problem.column.map(headers.contains) ?? true, "a problem in column \(problem.column ?? ""), which the file does not have")
            try Fuzz.expectClearError(problem, RowProblem.self, naming: ["\(file):\(row)"])
            try Fuzz.check(!problem.message.isEmpty, "an empty message")
        }
    }

    @Test func headersAreMatchedOrRefusedNamingTheFirstRow() throws {
        let spellings = CatalogColumn.allCases.flatMap { [$0.rawValue, $0.vietnameseHeader, $0.rawValue.uppercased()] + $0.aliases }
        let header = Gen<String>.frequency([
            (6, Gen<String?>.element(of: spellings).map { $0 ?? "" }.eraseToAny()),
            (2, Fuzz.mutated(texts: spellings, hugeUpTo: 4_000).eraseToAny()),
            (1, Fuzz.text(length: 0...20).eraseToAny()),
        ])
        Fuzz.run(cases: 3_000, input: header.array(of: 0...30)) { cells in
            do {
                let map = try HeaderMap(header: RawRow(number: 1, cells: cells), file: CatalogRowFuzzTests.file)
                for column in map.kind.requiredColumns {
                    try Fuzz.check(map.contains(column), "kind \(map.kind) read without its required \(column)")
                }
            } catch let failure as Fuzz.Failure {
                throw failure
            } catch {
                try Fuzz.expectClearError(error, CatalogError.self, naming: ["\(CatalogRowFuzzTests.file):1"])
            }
        }
    }

    @Test func productRowsBecomeDraftsOrProblemsThatNameTheirPlace() throws {
        let columns = CatalogColumn.allCases.filter { InputKind.catalog.allowedColumns.contains($0) }
        try rowsBecomeDraftsOrProblems(columns: columns, kind: .catalog)
    }

    @Test func stampOrderRowsBecomeDraftsOrProblemsThatNameTheirPlace() throws {
        let columns = CatalogColumn.allCases.filter { InputKind.stampOrders.allowedColumns.contains($0) }
        try rowsBecomeDraftsOrProblems(columns: columns, kind: .stampOrders)
    }

    @Test func diaryRowsBecomeDraftsOrProblemsThatNameTheirPlace() throws {
        let columns = CatalogColumn.allCases.filter { InputKind.diary.allowedColumns.contains($0) && $0 != .gln }
        try rowsBecomeDraftsOrProblems(columns: columns, kind: .diary)
    }

    func rowsBecomeDraftsOrProblems(columns: [CatalogColumn], kind: InputKind, sourceLocation: SourceLocation = #_sourceLocation) throws {
        // Vietnamese headers on one side, English on the other: messages quote the file's own.
        let headers = columns.map { kind == .catalog ? $0.vietnameseHeader : $0.rawValue }
        let header = try HeaderMap(header: RawRow(number: 1, cells: headers), file: CatalogRowFuzzTests.file)
        #expect(header.kind == kind)
        let parser = RowParser(file: CatalogRowFuzzTests.file, header: header, folder: URL(fileURLWithPath: "/tmp/fuzz"), today: CatalogRowFuzzTests.today)
        let input = zip(CatalogRowFuzzTests.row(of: columns), Gen.int(in: 2...1_000_000))
        Fuzz.run("\(kind) rows", cases: kind == .catalog ? 1_200 : 2_000, input: input, sourceLocation: sourceLocation) { cells, number in
            let row = RawRow(number: number, cells: cells)
            switch kind {
            case .catalog:
                let parsed = parser.product(from: row)
                switch parsed.draft {
                case .success(let draft):
                    try Fuzz.check(draft.priceVND > 0 && !draft.code.isEmpty && !draft.name.isEmpty, "an implausible draft \(draft)")
                    try Fuzz.check(draft.ocop.map { (3...5).contains($0.stars) } ?? true, "stars out of 3…5")
                case .failure(let errors):
                    try CatalogRowFuzzTests.checkProblems(errors.problems, row: number, headers: headers)
                }
            case .stampOrders:
                let parsed = parser.stampOrder(from: row)
                switch parsed.draft {
                case .success(let draft):
                    try Fuzz.check((1...RowParser.maximumStampsPerOrder).contains(draft.quantity), "quantity \(draft.quantity)")
                    try Fuzz.check(draft.lot.code.utf8.count <= LotNumber.maximumLength, "lot \(draft.lot.code)")
                case .failure(let errors):
                    try CatalogRowFuzzTests.checkProblems(errors.problems, row: number, headers: headers)
                }
            case .diary:
                let parsed = parser.stage(from: row)
                switch parsed.draft {
                case .success(let draft):
                    try Fuzz.check(draft.finishedAt.map { $0 >= draft.startedAt } ?? true, "a stage that ends before it starts")
                    try Fuzz.check(draft.province != nil || draft.placeGLN != nil, "a stage with no province and no GLN")
                    try Fuzz.check(draft.startedAt.localDate <= CatalogRowFuzzTests.today, "a stage after today")
                case .failure(let errors):
                    try CatalogRowFuzzTests.checkProblems(errors.problems, row: number, headers: headers)
                }
            case .shipments:
                // Shipments files are read by ShipmentFileImporter (CartonCLITests), not RowParser.
                break
            }
        }
    }

    @Test func cellParsersReturnPlausibleValuesOrSayWhy() throws {
        let parsers: [(CatalogColumn, (String) throws -> Bool)] = [
            (.priceVND, { (1...10_000_000_000).contains(try FieldParsers.priceVND($0)) }),
            (.weightGrams, { (1...1_000_000).contains(try FieldParsers.weightGrams($0)) }),
            (.packageSize, { let size = try FieldParsers.packageSize($0); return [size.lengthCm, size.widthCm, size.heightCm].allSatisfy { $0 > 0 && $0 <= 1000 } }),
            (.shelfLifeDays, { (1...36_500).contains(try FieldParsers.shelfLifeDays($0)) }),
            (.ocopStars, { (3...5).contains(try FieldParsers.stars($0)) }),
            (.ocopRecognizedOn, { try FieldParsers.date($0).iso.count == 10 }),
            (.taxID, { let id = try FieldParsers.taxID($0); return [10, 12, 14].contains(id.count) && id.allSatisfy { $0.isASCII } }),
            (.embedSignature, { _ = try FieldParsers.yesNo($0); return true }),
            (.stock, { try FieldParsers.count($0, allowZero: true) >= 0 }),
            (.images, { try FieldParsers.images($0, relativeTo: URL(fileURLWithPath: "/tmp/fuzz")).allSatisfy { !$0.isEmpty } }),
        ]
        let texts = parsers.map { Fuzz.mutated(texts: CatalogRowFuzzTests.examples[$0.0] ?? [""], hugeUpTo: 16_000, randomBytes: 0.05) }
        let input = Generator { random in
            let index = Int.random(in: 0..<texts.count, using: &random)
            return (index, texts[index].run(using: &random))
        }
        Fuzz.run(cases: 5_000, input: input) { index, text in
            let (column, parse) = parsers[index]
            do {
                try Fuzz.check(try parse(text), "\(column) read \(Fuzz.excerpt(text)) as an implausible value")
            } catch let invalid as FieldParsers.Invalid {
                try Fuzz.check(!invalid.message.isEmpty && invalid.message.utf8.count <= Fuzz.maximumMessageBytes,
                               "\(column): message of \(invalid.message.utf8.count) bytes")
            }
        }
    }

    /// Found by the fuzzer: numbers past Int's range, or infinite, trapped when turned into grams
    /// or đồng (`Int(Double)`) instead of being refused.
    @Test(arguments: [("99999999999999999999.5", "over a tonne"), ("1.e400", "is not a weight"), ("1,e999 kg", "is not a weight")])
    func aWeightPastAnyIntegerIsRefused(text: String, says: String) throws {
        #expect(throws: FieldParsers.Invalid.self) { try FieldParsers.weightGrams(text) }
        do { _ = try FieldParsers.weightGrams(text) } catch { #expect(error.message.contains(says)) }
    }

    @Test(arguments: [String(repeating: "9", count: 400) + ".5k", String(repeating: "9", count: 30) + ".5k", "9999999999999999999999.5 nghìn"])
    func aPriceInThousandsPastAnyIntegerIsRefused(text: String) throws {
        #expect(throws: FieldParsers.Invalid.self) { try FieldParsers.priceVND(text) }
    }

    /// Whole đồng written with thousands groups, currency marks or `k` read back as the amount.
    @Test func pricesWrittenAsProducersWriteThemReadBack() throws {
        let input = zip(Gen.int(in: 1...10_000_000_000), Gen.int(in: 0...5))
        Fuzz.run(cases: 3_000, input: input) { amount, style in
            let digits = String(amount)
            var grouped = ""
            for (index, character) in digits.enumerated() {
                if index > 0, (digits.count - index) % 3 == 0 { grouped += style.isMultiple(of: 2) ? "." : "," }
                grouped.append(character)
            }
            let written = [digits, grouped, grouped + " ₫", grouped + "đ", grouped + " VNĐ", digits + " vnd"][style]
            try Fuzz.check((try? FieldParsers.priceVND(written)) == amount, "\(written) did not read as \(amount)")
        }
    }

    /// Dates written either way read back as the same day.
    @Test func datesWrittenEitherWayReadBack() throws {
        let input = zip(Gen.int(in: 0...(400 * 366)), Gen.bool)
        Fuzz.run(cases: 3_000, input: input) { days, dayFirst in
            guard let date = CalendarDate(daysSinceEpoch: -25_567 + days) else { throw Fuzz.Failure("no date \(days)") }
            let written = dayFirst ? "\(date.day)/\(date.month)/\(date.year)" : date.iso
            try Fuzz.check(CalendarDate(parsing: written) == date, "\(written) did not read as \(date.iso)")
            try Fuzz.check(!(2000...2099).contains(date.year) || CalendarDate(gs1: date.gs1) == date, "GS1 \(date.gs1)")
        }
    }

    /// A problem quotes a short, marked excerpt of the cell it refuses: a 300 KB cell must not
    /// make a 300 KB message, nor a 300 KB line in the terminal and the problems file.
    @Test func aProblemWithAHugeCellQuotesOnlyAnExcerptOfIt() throws {
        let header = try HeaderMap(header: RawRow(number: 1, cells: ["product_code", "name", "producer", "province", "price_vnd"]), file: CatalogRowFuzzTests.file)
        let parser = RowParser(file: CatalogRowFuzzTests.file, header: header, folder: URL(fileURLWithPath: "/tmp"), today: CatalogRowFuzzTests.today)
        let huge = String(repeating: "9x", count: 150_000)
        guard case .failure(let errors) = parser.product(from: RawRow(number: 2, cells: ["A", "B", "C", "D", huge])).draft else {
            Issue.record("a 300 KB price was read")
            return
        }
        #expect(errors.problems.allSatisfy { $0.description.utf8.count < 4_096 })
    }
}
