import Foundation
import PropertyBased
import Testing
import TestSupport
@testable import OCOPTrace

/// Seeded fuzzing of the workbook reader (issue 21), at both of its layers: the zip container
/// (ZIPFoundation) with its bytes mutated, and the parts' XML (expat) mutated and zipped properly.
/// Every workbook is read or refused with a `CatalogError` naming the file. Seed and case count:
/// see `Fuzz`.
@Suite("Fuzz: xlsx") struct XLSXFuzzTests {
    static let fixture = XLSXFixture(rows: [
        [.shared("product_code"), .shared("name"), .inline("price_vnd"), .shared("ocop_recognized_on")],
        [.shared("NC-500"), .inline("Nem chua <Thanh Hóa> & \"quà\""), .number("85000"), .date(45_000)],
        [.inline("MT-200"), .empty, .number("1.5E+3"), .date(61)],
        [.empty, .shared("Mắm tép"), .number("-0"), .shared("")],
    ], rowNumbers: [1, 2, 5, 7])

    /// Workbooks as bytes: the fixture deflated and stored, and the shipped one.
    static let workbooks: [[UInt8]] = {
        let folder = TemporaryFolder()
        let parts = fixture.parts().map { ($0.path, Data($0.text.utf8)) }
        var result: [[UInt8]] = []
        for compressed in [true, false] {
            let url = folder.url.appendingPathComponent("w\(compressed).xlsx")
            try! XLSXFixture.write(parts: parts, to: url, compressed: compressed)
            result.append([UInt8](try! Data(contentsOf: url)))
        }
        if let shipped = FileManager.default.contents(atPath: repositoryRoot.appendingPathComponent("catalogs/htx-duoc-lieu-lung-cao.xlsx").path) {
            result.append([UInt8](shipped))
        }
        return result
    }()

    static let zipTokens: [[UInt8]] = [
        [0x50, 0x4B, 0x03, 0x04], [0x50, 0x4B, 0x01, 0x02], [0x50, 0x4B, 0x05, 0x06], [0x50, 0x4B, 0x06, 0x06], [0x50, 0x4B, 0x07, 0x08],
        [0xFF, 0xFF, 0xFF, 0xFF], [0x00, 0x00, 0x00, 0x00], [0xFF, 0xFF], [0x08, 0x00], [0x63, 0x00],
    ]

    static let xmlTokens = [
        "<row>", "</row>", "<row r=\"-1\">", "<row r=\"99999999999999999999\">", "<c>", "</c>", "<c r=\"XFD1048576\" t=\"s\">", "<c r=\"AAAAAAAAAAAAAAAAAA1\">",
        "<c r=\"ZZZZZZ1\">", " t=\"inlineStr\"", " t=\"s\"", " t=\"b\"", " t=\"d\"", " t=\"e\"", " s=\"1\"", " s=\"-5\"", "<v>", "</v>", "<v>1e308</v>", "<v>NaN</v>",
        "<v>99999999999</v>", "<is><t>", "</t></is>", "<si><t>", "</t></si>", "<rPh><t>x</t></rPh>", "<![CDATA[<c>]]>", "<!-- -->", "<?pi x?>",
        "<!DOCTYPE x [<!ENTITY a \"b\">]>", "&a;", "&#0;", "&#x1F600;", "&lt;", "<x:row xmlns:x=\"urn:x\">", "<sheet r:id=\"rId7\"/>",
        "<Relationship Id=\"rId7\" Target=\"/xl/worksheets/none.xml\"/>", "<Relationship Id=\"rId7\" Target=\"../../../etc/passwd\"/>",
        "<numFmt numFmtId=\"1\" formatCode=\"[Red]\\\"d\\\"\"/>", "<xf numFmtId=\"14\"/>", "<cellXfs>", "</cellXfs>", "<?xml version=\"1.0\" encoding=\"UTF-16\"?>",
    ]

    static func read(_ url: URL) throws(Fuzz.Failure) -> [[String]]? {
        var rows: [[String]] = []
        do {
            try XLSXReader(url: url).forEachRow { row, position in
                rows.append(row.cells)
                _ = position
            }
            return rows
        } catch {
            try Fuzz.expectClearError(error, CatalogError.self, naming: [url.path])
            return nil
        }
    }

    @Test func readsOrRefusesWorkbooksWithMutatedZipBytes() throws {
        let folder = TemporaryFolder()
        let file = folder.url.appendingPathComponent("fuzz.xlsx")
        let input = Fuzz.mutated(XLSXFuzzTests.workbooks, tokens: XLSXFuzzTests.zipTokens, hugeUpTo: 64_000, randomBytes: 0.05)
        Fuzz.run(cases: 1_500, input: input, describe: { "\($0.count) bytes" }) { bytes in
            try! Data(bytes).write(to: file)
            _ = try XLSXFuzzTests.read(file)
        }
    }

    @Test func readsOrRefusesWorkbooksWithMutatedXML() throws {
        let folder = TemporaryFolder()
        let file = folder.url.appendingPathComponent("fuzz.xlsx")
        let parts = XLSXFuzzTests.fixture.parts()
        // The sheet most often, then every other part the reader opens.
        let weights: [Double] = parts.map { $0.path.hasSuffix("data.xml") ? 6 : $0.path.hasPrefix("xl/") ? 2 : 0.5 }
        let mutatedParts = parts.map { Fuzz.mutated(texts: [$0.text], tokens: XLSXFuzzTests.xmlTokens, hugeUpTo: 30_000, randomBytes: 0.02) }
        let input = Generator { random in
            var pick = Double.random(in: 0..<weights.reduce(0, +), using: &random)
            var index = 0
            while pick >= weights[index] { pick -= weights[index]; index += 1 }
            return (index, mutatedParts[index].run(using: &random))
        }
        Fuzz.run(cases: 1_500, input: input, describe: { "\(parts[$0.0].path): \(Fuzz.excerpt($0.1))" }) { index, text in
            var zipped = parts.map { ($0.path, Data($0.text.utf8)) }
            zipped[index].1 = Data(text.utf8)
            try! XLSXFixture.write(parts: zipped, to: file)
            _ = try XLSXFuzzTests.read(file)
        }
    }

    /// Found by the fuzzer: a cell reference of 14 or more letters overflowed the column number (a
    /// trap), and one of six (`ZZZZZZ1`, column 321,272,406) had its row padded with that many cells.
    @Test(arguments: ["AAAAAAAAAAAAAAAAAA1", "ZZZZZZ1", "XFE1"])
    func aCellReferencePastTheLastColumnIsRefusedNotPadded(reference: String) throws {
        let folder = TemporaryFolder()
        let file = folder.url.appendingPathComponent("wide.xlsx")
        var parts = XLSXFuzzTests.fixture.parts().map { ($0.path, Data($0.text.utf8)) }
        let sheet = parts.firstIndex { $0.0.hasSuffix("data.xml") }!
        parts[sheet].1 = Data(String(decoding: parts[sheet].1, as: UTF8.self)
            .replacingOccurrences(of: "<c r=\"B2\"", with: "<c r=\"\(reference)\"").utf8)
        try XLSXFixture.write(parts: parts, to: file)
        #expect {
            try XLSXReader(url: file).forEachRow { _, _ in }
        } throws: { error in
            "\(error)".contains(file.path) && "\(error)".contains("row 2") && "\(error)".contains("past XFD")
        }
        // The last column itself is read.
        parts[sheet].1 = Data(String(decoding: parts[sheet].1, as: UTF8.self).replacingOccurrences(of: reference, with: "XFD2").utf8)
        try XLSXFixture.write(parts: parts, to: file)
        var widths: [Int] = []
        try XLSXReader(url: file).forEachRow { row, _ in widths.append(row.cells.count) }
        #expect(widths.contains(16_384))
    }

    /// Any text in shared or inline strings, and whole numbers, read back as written.
    @Test func cellsWrittenToAWorkbookReadBack() throws {
        let folder = TemporaryFolder()
        let file = folder.url.appendingPathComponent("round-trip.xlsx")
        // XML cannot hold most C0 controls, and reads CR as LF.
        let text = Fuzz.text(length: 0...30).map { String(String.UnicodeScalarView($0.unicodeScalars.filter { $0.value >= 0x20 || $0 == "\t" || $0 == "\n" })) }
        let cell = zip(Gen.int(in: 0...3), text, Gen.int(in: -999_999_999...999_999_999)).map { kind, text, number -> XLSXFixture.Cell in
            [XLSXFixture.Cell.shared(text), .inline(text), .number(String(number)), .empty][kind]
        }
        Fuzz.run(cases: 600, input: cell.array(of: 1...6).array(of: 1...6), describe: { Fuzz.excerpt("\($0)") }) { rows in
            try! XLSXFixture(rows: rows).write(to: file)
            let read = try XLSXFuzzTests.read(file)
            let expected = rows.map { row in
                let cells = row.map { cell -> String in
                    switch cell {
                    case .shared(let text), .inline(let text): text
                    case .number(let value): value
                    default: ""
                    }
                }
                // Cells after the last one written are absent, not empty.
                var count = row.count
                while count > 0, case .empty = row[count - 1] { count -= 1 }
                return Array(cells.prefix(count))
            }
            try Fuzz.check(read == expected, "read back as \(Fuzz.excerpt(String(describing: read)))")
        }
    }
}
