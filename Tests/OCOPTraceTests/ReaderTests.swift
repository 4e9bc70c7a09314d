import Foundation
import Testing
import TestSupport
@testable import OCOPTrace

private func rows(of reader: some TableReader) throws -> [RawRow] {
    var rows: [RawRow] = []
    try reader.forEachRow { row, _ in rows.append(row) }
    return rows
}

@Suite struct CSVReaderTests {
    @Test func readsSemicolonsCRLFAndAByteOrderMark() throws {
        let folder = TemporaryFolder()
        let file = folder.write("a.csv", "Mã;Tên\r\nA1;\"Nem; chua\"\r\nA2;Chả\r\n", byteOrderMark: true)
        let read = try rows(of: CSVReader(url: file))
        #expect(read.map(\.cells) == [["Mã", "Tên"], ["A1", "Nem; chua"], ["A2", "Chả"]])
        #expect(read.map(\.number) == [1, 2, 3])
    }

    @Test func keepsQuotedLineBreaksAndDoubledQuotesInOneRow() throws {
        let folder = TemporaryFolder()
        let file = folder.write("a.csv", "code,description,stock\nX,\"line one\nline \"\"two\"\", end\",3\nY,,\n")
        let read = try rows(of: CSVReader(url: file))
        #expect(read.count == 3)
        #expect(read[1].cells == ["X", "line one\nline \"two\", end", "3"])
        #expect(read[2].cells == ["Y", "", ""])
        #expect(read[2].number == 3)
    }

    @Test func readsTheSameRowsWhateverTheChunkSize() throws {
        let folder = TemporaryFolder()
        var text = "code;name;description\r\n"
        for index in 0..<200 {
            text += "P\(index);Sản phẩm \(index);\"Mô tả \"\"\(index)\"\"\r\ndòng hai; và ba\"\r\n"
        }
        let file = folder.write("a.csv", text, byteOrderMark: true)
        let whole = try rows(of: CSVReader(url: file))
        for chunk in [1, 2, 3, 7, 64] {
            let chunked = try rows(of: CSVReader(url: file, chunkSize: chunk))
            #expect(chunked.map(\.cells) == whole.map(\.cells), "chunk size \(chunk)")
        }
        #expect(whole.count == 201)
        #expect(whole[5].cells[2] == "Mô tả \"4\"\r\ndòng hai; và ba")
    }

    @Test func detectsTheDelimiterFromTheHeaderOnly() throws {
        let folder = TemporaryFolder()
        let file = folder.write("a.csv", "code,name\nA,\"x;y;z\"\n")
        #expect(try rows(of: CSVReader(url: file))[1].cells == ["A", "x;y;z"])
    }

    @Test func rejectsTextThatIsNotUTF8WithItsRow() throws {
        let folder = TemporaryFolder()
        let file = folder.url.appendingPathComponent("latin1.csv")
        try Data("code,name\nA,ok\nB,".utf8 + [0xE0, 0x0A]).write(to: file)
        #expect {
            try rows(of: CSVReader(url: file))
        } throws: { error in
            "\(error)".contains(":3:") && "\(error)".contains("not UTF-8")
        }
    }
}

@Suite struct XLSXReaderTests {
    @Test func readsSharedAndInlineStringsNumbersAndDates() throws {
        let folder = TemporaryFolder()
        let file = folder.url.appendingPathComponent("book.xlsx")
        try XLSXFixture(rows: [
            [.shared("Mã sản phẩm"), .inline("Giá bán"), .shared("Ngày công nhận"), .shared("Mã vạch (GTIN)")],
            [.shared("A1"), .number("85000"), .date(45265), .number("8.938765000015E12")],
            [.inline("A & B"), .empty, .date(45266), .number("0.5")],
        ], rowNumbers: [1, 2, 5]).write(to: file)
        let read = try rows(of: XLSXReader(url: file))
        #expect(read.map(\.number) == [1, 2, 5])
        #expect(read[1].cells == ["A1", "85000", "2023-12-05", "8938765000015"])
        #expect(read[2].cells == ["A & B", "", "2023-12-06", "0.5"])
    }

    @Test func readsTheShippedWorkbookWrittenByOpenpyxl() throws {
        let file = repositoryRoot.appendingPathComponent("catalogs/htx-duoc-lieu-lung-cao.xlsx")
        let read = try rows(of: XLSXReader(url: file))
        #expect(read.first?.cells.first == "Mã sản phẩm")
        #expect(read.count == 5)
        #expect(read[1].cells[2] == "8938007700017")
        #expect(read[1].cells[12] == "2023-12-05")
    }

    /// Writes a workbook with Python's zipfile: the parts given, plus a minimal workbook around them.
    private func workbook(_ file: URL, sheet: String) throws {
        _ = try ExternalTools.run("python3", ["-c", """
            import sys, zipfile
            with zipfile.ZipFile(sys.argv[1], "w", zipfile.ZIP_DEFLATED) as book:
                book.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>')
                book.writestr("xl/workbook.xml", '<?xml version="1.0"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheets><sheet name="S" sheetId="1"/></sheets></workbook>')
                with book.open("xl/worksheets/sheet1.xml", "w") as part:
                    exec(sys.stdin.read())
            """, file.path], input: sheet)
    }

    /// Why reading a workbook failed, or nil when it read.
    private func readingFailure(_ file: URL) -> String? {
        do {
            try XLSXReader(url: file).forEachRow { _, _ in }
            return nil
        } catch {
            return "\(error)"
        }
    }

    @Test(arguments: RegistryEngine.available)
    func readsALargeWorkbookWrittenByOpenpyxlAsAStream(engine: RegistryEngine) async throws {
        // 30,000 rows is about 19 MB of sheet XML: more than the XML parser takes in one piece.
        let folder = TemporaryFolder()
        let file = folder.url.appendingPathComponent("large.xlsx")
        _ = try ExternalTools.run("python3", ["-c", """
            import sys, openpyxl
            book = openpyxl.Workbook(write_only=True)
            sheet = book.create_sheet("Sản phẩm")
            sheet.append(["Mã sản phẩm", "Tên sản phẩm", "Chủ thể", "Tỉnh", "Giá bán", "Mô tả"])
            for i in range(30000):
                sheet.append([f"SP-{i:05d}", f"Nem chua Thanh Hóa số {i}", "HTX Nem chua", "Thanh Hóa", 85000 + i,
                              "Đặc sản xứ Thanh, gói lá chuối, ăn kèm lá đinh lăng & tỏi ớt <ngon>"])
            book.save(sys.argv[1])
            """, file.path])
        let registry = try await TestRegistry.make(engine, in: folder)
        let report = try await CatalogImporter(store: registry.store).importFile(at: file)
        #expect(report.outcome == .succeeded, "\(report.problems.prefix(3))")
        #expect(report.inserted == 30_000)
        let last = try await registry.value("SELECT description FROM products WHERE code = 'SP-29999'")
        #expect(last == "Đặc sản xứ Thanh, gói lá chuối, ăn kèm lá đinh lăng & tỏi ớt <ngon>")
    }

    @Test func refusesADecompressionBombEarly() throws {
        let folder = TemporaryFolder()
        let file = folder.url.appendingPathComponent("bomb.xlsx")
        // 256 MB of blanks inside the sheet deflate to about 250 KB.
        try workbook(file, sheet: """
            part.write(b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>')
            blanks = b" " * (1 << 20)
            for _ in range(256): part.write(blanks)
            part.write(b"</sheetData></worksheet>")
            """)
        let failure = try #require(readingFailure(file))
        #expect(failure.contains("decompression bomb") && failure.contains("xl/worksheets/sheet1.xml"), "\(failure)")
        // Early: refused on the size the archive declares, before a byte is inflated (a refusal
        // while inflating says "more than" the size it reached). No clock: a loaded machine is slow.
        #expect(failure.contains(" to 256 MB: refused") && !failure.contains("more than"), "\(failure)")
    }

    @Test func namesTheLineOfMalformedSheetXMLAndRefusesDocumentTypes() throws {
        let folder = TemporaryFolder()
        let broken = folder.url.appendingPathComponent("broken.xlsx")
        try workbook(broken, sheet: """
            part.write(b'<worksheet><sheetData>\\n<row r="1"><c r="A1" t="inlineStr"><is><t>x</t></is></c></row>\\n<row r="2"></sheetData></worksheet>')
            """)
        let malformed = try #require(readingFailure(broken))
        #expect(malformed.contains("not well-formed XML") && malformed.contains("line 3"), "\(malformed)")
        let laughs = folder.url.appendingPathComponent("laughs.xlsx")
        try workbook(laughs, sheet: """
            part.write(b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;">]><worksheet><sheetData><row r="1"><c t="inlineStr"><is><t>&lol2;</t></is></c></row></sheetData></worksheet>')
            """)
        #expect(try #require(readingFailure(laughs)).contains("document type declaration"))
    }

    @Test func refusesAFileThatIsNotAWorkbook() throws {
        let folder = TemporaryFolder()
        let file = folder.write("fake.xlsx", "code,name\n")
        #expect(throws: CatalogError.self) { try InputFiles.reader(for: file) }
    }
}

@Suite struct HeaderTests {
    private func header(_ cells: [String]) throws -> HeaderMap {
        try HeaderMap(header: RawRow(number: 1, cells: cells), file: "f.csv")
    }

    @Test func matchesEnglishAndVietnameseHeadersIgnoringCaseSpacesAndForm() throws {
        let map = try header(["  PRODUCT_CODE ", "Tên sản phẩm".decomposedStringWithCanonicalMapping, "chủ thể", "TỈNH", "Giá bán", "Ghi chú"])
        #expect(map.kind == .catalog)
        #expect(map.contains(.name) && map.contains(.producer) && map.contains(.province))
        #expect(map.ignoredHeaders == ["Ghi chú"])
        #expect(map.header(of: .productCode) == "PRODUCT_CODE")
    }

    @Test func tellsStampOrdersFromCatalogs() throws {
        #expect(try header(["Mã sản phẩm", "Số lô", "Số lượng tem", "Ngày sản xuất"]).kind == .stampOrders)
    }

    @Test func namesEveryMissingRequiredColumn() {
        #expect {
            try header(["product_code", "name"])
        } throws: { error in
            let text = "\(error)"
            return text.contains("f.csv:1:") && text.contains("producer (Chủ thể)") && text.contains("price_vnd (Giá bán)")
        }
    }

    @Test func rejectsTwoColumnsWithOneMeaningAndUnknownFiles() {
        #expect(throws: CatalogError.self) { try header(["product_code", "Mã sản phẩm", "name", "producer", "province", "price_vnd"]) }
        #expect(throws: CatalogError.self) { try header(["foo", "bar"]) }
    }
}
