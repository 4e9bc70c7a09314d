import Foundation
import Testing
import TestSupport
@testable import OCOPTrace

/// Label PDFs, checked as a printer would see them: rasterised by poppler and read by zbar.
@Suite struct LabelTests {
    private struct Batch {
        let folder = TemporaryFolder("ocoptrace-labels")
        let registry: Registry
        let urls: [String]

        init(count: Int, name: String = "Nem chua Thanh Hóa hộp 500g", stars: String = "4", recognized: String = "2024-06-12") async throws {
            registry = try Registry(path: folder.path("registry.sqlite"))
            let catalog = folder.write("catalog.csv", """
                product_code,name,gtin,producer,province,price_vnd,shelf_life_days,ocop_stars,ocop_recognized_on
                NC-500,"\(name)",8938765000015,HTX Chế biến Nem chua Xuân Lập,Thanh Hóa,85000,7,\(stars),\(recognized)

                """)
            let imported = try await CatalogImporter(registry: registry).importFile(at: catalog)
            precondition(imported.outcome == .succeeded, "\(imported.problems)")
            let report = try StampIssuer(registry: registry, options: IssueOptions(
                outputFolder: folder.url.appendingPathComponent("output"), writePNGs: false))
                .issue(productCode: "NC-500", lot: "Lô 11/2026", count: count, producedOn: CalendarDate(year: 2026, month: 11, day: 20), expiresOn: nil)
            let manifest = try String(contentsOfFile: absolutePath(report.manifest), encoding: .utf8)
            urls = manifest.split(separator: "\n").dropFirst().map { String($0.split(separator: ",")[3]) }
        }

        func labels(_ layout: LabelLayout) throws -> (LabelJob.Report, URL) {
            let pdf = folder.url.appendingPathComponent("labels-\(layout.name).pdf")
            return (try LabelJob(registry: registry, layout: layout).write(lot: "Lô 11/2026", productCode: nil, to: pdf), pdf)
        }
    }

    /// Rasterises every page at 300 dpi, cuts out each label cell, and decodes each cell with zbar.
    private func decodeCells(_ pdf: URL, layout: LabelLayout, in folder: TemporaryFolder) throws -> [String] {
        let prefix = folder.url.appendingPathComponent("page").path
        _ = try ExternalTools.run("pdftoppm", ["-r", "300", "-gray", pdf.path, prefix])
        let pages = try FileManager.default.contentsOfDirectory(atPath: folder.url.path).filter { $0.hasPrefix("page") && $0.hasSuffix(".pgm") }.sorted()
        let pixelsPerMillimetre = 300 / 25.4
        var cells: [String] = []
        for (pageIndex, page) in pages.enumerated() {
            let data = try Data(contentsOf: folder.url.appendingPathComponent(page))
            // P5 header: magic, width, height, maximum, each followed by white space.
            var fields: [String] = []
            var offset = 0
            var current = ""
            while fields.count < 4 {
                let byte = data[offset]
                offset += 1
                if byte == 0x20 || byte == 0x0A { if !current.isEmpty { fields.append(current); current = "" } } else { current.append(Character(UnicodeScalar(byte))) }
            }
            let width = Int(fields[1])!
            for row in 0..<layout.rows {
                for column in 0..<layout.columns {
                    let x0 = Int((layout.marginLeft + Double(column) * (layout.labelWidth + layout.gapX)) * pixelsPerMillimetre)
                    let y0 = Int((layout.marginTop + Double(row) * (layout.labelHeight + layout.gapY)) * pixelsPerMillimetre)
                    let cellWidth = Int(layout.labelWidth * pixelsPerMillimetre)
                    let cellHeight = Int(layout.labelHeight * pixelsPerMillimetre)
                    var cell = Data("P5\n\(cellWidth) \(cellHeight)\n255\n".utf8)
                    for y in y0..<(y0 + cellHeight) {
                        let start = offset + y * width + x0
                        cell.append(data[start..<(start + cellWidth)])
                    }
                    let path = folder.url.appendingPathComponent("cell-\(pageIndex)-\(row)-\(column).pgm").path
                    try cell.write(to: URL(fileURLWithPath: path))
                    cells.append(path)
                }
            }
        }
        return try ExternalTools.decodeQR(cells).values.flatMap { $0 }
    }

    @Test func everyStampOfTheBatchIsOnTheSheetsExactlyOnce() async throws {
        let batch = try await Batch(count: 70)
        let layout = LabelLayout.named("a4-5x13")!
        let (report, pdf) = try batch.labels(layout)
        #expect(report.pages == 2)
        #expect(report.moduleMillimetres >= 0.25)
        let decoded = try decodeCells(pdf, layout: layout, in: batch.folder)
        #expect(decoded.count == 70)
        #expect(decoded.sorted() == batch.urls.sorted())
        // Vector QR codes, not images.
        let bytes = try Data(contentsOf: pdf)
        #expect(bytes.range(of: Data("/Subtype /Image".utf8)) == nil)
    }

    @Test(arguments: ["roll-40x30", "roll-50x30", "a4-3x8", "a4-4x10"])
    func everyLayoutPrintsReadableLabels(_ name: String) async throws {
        let batch = try await Batch(count: 5)
        let layout = LabelLayout.named(name)!
        let (_, pdf) = try batch.labels(layout)
        let decoded = try decodeCells(pdf, layout: layout, in: batch.folder)
        #expect(decoded.sorted() == batch.urls.sorted())
    }

    @Test func labelsCarryVietnameseTextDatesStarsAndTheCallToScan() async throws {
        let batch = try await Batch(count: 2)
        let (_, pdf) = try batch.labels(LabelLayout.named("a4-3x8")!)
        let text = try ExternalTools.run("pdftotext", [pdf.path, "-"]).precomposedStringWithCanonicalMapping
        for expected in ["Quét mã QR để truy xuất", "gốc", "Nem chua Thanh Hóa", "HTX Chế biến Nem chua", "Lô: Lô 11/2026",
                         "NSX: 20/11/2026", "HSD: 27/11/2026", "OCOP ★★★★"] {
            #expect(text.contains(expected), "\(expected) in \(text.prefix(400))")
        }
        let stampID = try StampURL(parsing: batch.urls[0]).serial
        #expect(text.contains(StampID(serial: stampID).formatted))
    }

    @Test func anExpiredRecognitionShowsNoStars() async throws {
        let batch = try await Batch(count: 1, recognized: "2021-01-01")
        let (_, pdf) = try batch.labels(LabelLayout.named("a4-3x8")!)
        #expect(!(try ExternalTools.run("pdftotext", [pdf.path, "-"])).contains("★"))
    }

    @Test func longNamesAreWrappedOrShortenedInsideTheLabel() async throws {
        let long = "Nem chua Thanh Hóa đặc biệt gói lá ổi rừng ủ men truyền thống của làng nghề Xuân Lập loại thượng hạng hộp quà Tết 1000g"
        let batch = try await Batch(count: 3, name: long)
        let layout = LabelLayout.named("a4-5x13")!
        let (_, pdf) = try batch.labels(layout)
        let html = try ExternalTools.run("pdftotext", ["-bbox", pdf.path, "-"])
        #expect(html.contains("…"))
        // Every word box lies inside its label cell (in points).
        let points = 72 / 25.4
        var words = 0
        for line in html.split(separator: "\n") where line.contains("<word ") {
            func value(_ name: String) -> Double {
                let range = line.range(of: name + "=\"")!
                return Double(line[range.upperBound...].prefix { $0 != "\"" })!
            }
            let (xMin, xMax) = (value("xMin") / points, value("xMax") / points)
            let column = Int((xMin - layout.marginLeft) / (layout.labelWidth + layout.gapX))
            let cellRight = layout.marginLeft + Double(column) * (layout.labelWidth + layout.gapX) + layout.labelWidth
            #expect(xMax <= cellRight + 0.2, "\(line)")
            words += 1
        }
        #expect(words > 20)
    }

    @Test func layoutsThatDoNotFitOrMakeModulesTooSmallAreRefused() async throws {
        let batch = try await Batch(count: 1)
        let tiny = LabelLayout(name: "custom", description: "", pageWidth: 60, pageHeight: 40, columns: 4, rows: 4, labelWidth: 15, labelHeight: 10)
        #expect {
            try batch.labels(tiny)
        } throws: { error in
            "\(error)".contains("0.25 mm")
        }
        let tooMany = LabelLayout(name: "custom", description: "", pageWidth: 100, pageHeight: 100, columns: 3, rows: 3, labelWidth: 40, labelHeight: 30)
        #expect(throws: LabelLayout.LayoutError.self) { try tooMany.validate() }
        for layout in LabelLayout.builtIn { try layout.validate() }
    }
}
