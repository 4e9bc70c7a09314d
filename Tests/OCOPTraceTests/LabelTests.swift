import Foundation
import Testing
import TestSupport
@testable import OCOPTrace

/// Label PDFs, checked as a printer would see them: rasterised by poppler and read by zbar.
@Suite struct LabelTests {
    private struct Batch {
        let folder = TemporaryFolder("ocoptrace-labels")
        let registry: TestRegistry
        let urls: [String]

        init(_ engine: RegistryEngine, count: Int, name: String = "Nem chua Thanh Hóa hộp 500g", stars: Int = 4,
             recognized: String = "2024-06-12") async throws {
            registry = try await TestRegistry.make(engine, in: folder)
            try await StampFixtures.addProducts([
                .init(code: "NC-500", name: name, gtin: "8938765000015", producer: "HTX Chế biến Nem chua Xuân Lập", shelfLifeDays: 7,
                      ocopStars: stars, ocopRecognizedOn: recognized),
            ], to: registry)
            let report = try await StampIssuer(store: registry.store, options: IssueOptions(
                outputFolder: folder.url.appendingPathComponent("output"), writePNGs: false))
                .issue(productCode: "NC-500", lot: "Lô 11/2026", count: count, producedOn: CalendarDate(year: 2026, month: 11, day: 20), expiresOn: nil)
            let manifest = try String(contentsOfFile: absolutePath(report.manifest), encoding: .utf8)
            urls = manifest.split(separator: "\n").dropFirst().map { String($0.split(separator: ",")[3]) }
        }

        func labels(_ layout: LabelLayout) async throws -> (LabelJob.Report, URL) {
            let pdf = folder.url.appendingPathComponent("labels-\(layout.name).pdf")
            return (try await LabelJob(store: registry.store, layout: layout).write(lot: "Lô 11/2026", productCode: nil, to: pdf), pdf)
        }
    }

    @Test(arguments: RegistryEngine.available) func everyStampOfTheBatchIsOnTheSheetsExactlyOnce(engine: RegistryEngine) async throws {
        let batch = try await Batch(engine, count: 70)
        let layout = LabelLayout.named("a4-5x13")!
        let (report, pdf) = try await batch.labels(layout)
        #expect(report.pages == 2)
        #expect(report.moduleMillimetres >= 0.25)
        let decoded = try LabelCells.decode(pdf, layout: layout, in: batch.folder)
        #expect(decoded.count == 70)
        #expect(decoded.sorted() == batch.urls.sorted())
        // Vector QR codes, not images.
        let bytes = try Data(contentsOf: pdf)
        #expect(bytes.range(of: Data("/Subtype /Image".utf8)) == nil)
    }

    @Test(arguments: RegistryEngine.available, ["roll-40x30", "roll-50x30", "a4-3x8", "a4-4x10"])
    func everyLayoutPrintsReadableLabels(engine: RegistryEngine, _ name: String) async throws {
        let batch = try await Batch(engine, count: 5)
        let layout = LabelLayout.named(name)!
        let (_, pdf) = try await batch.labels(layout)
        let decoded = try LabelCells.decode(pdf, layout: layout, in: batch.folder)
        #expect(decoded.sorted() == batch.urls.sorted())
    }

    @Test(arguments: RegistryEngine.available) func labelsCarryVietnameseTextDatesStarsAndTheCallToScan(engine: RegistryEngine) async throws {
        let batch = try await Batch(engine, count: 2)
        let (_, pdf) = try await batch.labels(LabelLayout.named("a4-3x8")!)
        let text = try ExternalTools.run("pdftotext", [pdf.path, "-"]).precomposedStringWithCanonicalMapping
        for expected in ["Quét mã QR để truy xuất", "gốc", "Nem chua Thanh Hóa", "HTX Chế biến Nem chua", "Lô: Lô 11/2026",
                         "NSX: 20/11/2026", "HSD: 27/11/2026", "OCOP ★★★★"] {
            #expect(text.contains(expected), "\(expected) in \(text.prefix(400))")
        }
        let stampID = try StampURL(parsing: batch.urls[0]).serial
        #expect(text.contains(StampID(serial: stampID).formatted))
    }

    @Test(arguments: RegistryEngine.available) func anExpiredRecognitionShowsNoStars(engine: RegistryEngine) async throws {
        let batch = try await Batch(engine, count: 1, recognized: "2021-01-01")
        let (_, pdf) = try await batch.labels(LabelLayout.named("a4-3x8")!)
        #expect(!(try ExternalTools.run("pdftotext", [pdf.path, "-"])).contains("★"))
    }

    @Test(arguments: RegistryEngine.available) func longNamesAreWrappedOrShortenedInsideTheLabel(engine: RegistryEngine) async throws {
        let long = "Nem chua Thanh Hóa đặc biệt gói lá ổi rừng ủ men truyền thống của làng nghề Xuân Lập loại thượng hạng hộp quà Tết 1000g"
        let batch = try await Batch(engine, count: 3, name: long)
        let layout = LabelLayout.named("a4-5x13")!
        let (_, pdf) = try await batch.labels(layout)
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

    @Test(arguments: RegistryEngine.available) func layoutsThatDoNotFitOrMakeModulesTooSmallAreRefused(engine: RegistryEngine) async throws {
        let batch = try await Batch(engine, count: 1)
        let tiny = LabelLayout(name: "custom", description: "", pageWidth: 60, pageHeight: 40, columns: 4, rows: 4, labelWidth: 15, labelHeight: 10)
        await #expect {
            try await batch.labels(tiny)
        } throws: { error in
            "\(error)".contains("0.25 mm")
        }
        let tooMany = LabelLayout(name: "custom", description: "", pageWidth: 100, pageHeight: 100, columns: 3, rows: 3, labelWidth: 40, labelHeight: 30)
        #expect(throws: LabelLayout.LayoutError.self) { try tooMany.validate() }
        for layout in LabelLayout.builtIn { try layout.validate() }
    }
}
