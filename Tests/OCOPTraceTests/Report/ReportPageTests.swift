import Foundation
import Testing
import TestSupport
@testable import OCOPTrace

@Suite struct ReportPageTests {
    /// Every `<svg>…</svg>` in the page.
    static func svgs(_ html: String) -> [String] {
        var found: [String] = []
        var rest = html[...]
        while let start = rest.range(of: "<svg "), let end = rest.range(of: "</svg>", range: start.upperBound..<rest.endIndex) {
            found.append(String(rest[start.lowerBound..<end.upperBound]))
            rest = rest[end.upperBound...]
        }
        return found
    }

    @Test(arguments: Language.allCases)
    func pageIsSelfContainedWithEveryChartInline(language: Language) throws {
        let html = SampleReport.document(otherLanguageFile: "report.other.html").html(language)
        #expect(html.hasPrefix("<!doctype html><html lang=\"\(language.rawValue)\">"))
        #expect(!html.lowercased().contains("<script"), "no script, and hostile names stay text")
        #expect(!html.contains("<link") && !html.contains("<img") && !html.contains("@import") && !html.contains("url(http"))
        let outside = html.components(separatedBy: "http").dropFirst().filter { !$0.hasPrefix("://www.w3.org/2000/svg\"") }
        #expect(outside.isEmpty, "nothing fetched: \(outside.map { $0.prefix(40) })")
        let svgs = Self.svgs(html)
        #expect(svgs.count == 4)
        for svg in svgs { #expect(SVGDocument(svg) != nil) }
        let ids = svgs.compactMap { SVGDocument($0)?.elements.first?.attributes["id"] }
        #expect(Set(ids).count == 4, "chart ids are unique in the page")
        #expect(html.contains("<style>") && html.contains("@media print{@page{size:A4"))
        #expect(html.contains("hreflang=\"\(language == .vi ? "en" : "vi")\""))
        #expect(SampleReport.document().html(language) == SampleReport.document().html(language))
    }

    @Test func figuresAndTablesUseTheLanguagesNumbersAndWords() {
        let vi = SampleReport.document().html(.vi)
        #expect(vi.contains("<span class=\"value\">537.800</span>") && vi.contains("trong kỳ: 105.815") && vi.contains("87,5%"))
        #expect(vi.contains("Số liệu chính") && vi.contains("Kỳ báo cáo: <b>01/04/2025 – 31/03/2026</b>"))
        #expect(vi.contains("<td class=\"num\">02/05/2025</td>"))
        let en = SampleReport.document().html(.en)
        #expect(en.contains("<span class=\"value\">537,800</span>") && en.contains("in the period: 105,815") && en.contains("87.5%"))
        #expect(en.contains("Headline figures") && en.contains("Period: <b>2025-04-01 – 2026-03-31</b>"))
        // The scope and names come from the registry: text, not markup.
        #expect(vi.contains("Tỉnh Phú Thọ &lt;b&gt;&amp;amp;&lt;/b&gt;"))
        #expect(vi.contains("HTX &lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &quot;Trà&quot; &amp; Co"))
    }

    @Test func emptyTableSaysSo() {
        let table = ReportTable(caption: ReportText(verbatim: "T"), columns: [.init(ReportText(verbatim: "A")), .init(ReportText(verbatim: "B"), numeric: true)], rows: [])
        #expect(ReportDocument.table(table, .en).contains("<td colspan=\"2\">No figures in this period.</td>"))
    }

    /// Renders the sample report as a phone (360 px wide) and a printer (A4) see it. Screenshots
    /// go to `$OCOPTRACE_SCREENSHOTS` when set, to look at.
    @Test func chromiumRendersTheReportAt360PixelsAndOnA4() throws {
        let folder = TemporaryFolder("ocoptrace-report")
        let output = ProcessInfo.processInfo.environment["OCOPTRACE_SCREENSHOTS"].map { URL(fileURLWithPath: $0) } ?? folder.url
        try FileManager.default.createDirectory(at: output, withIntermediateDirectories: true)
        for language in Language.allCases {
            let page = output.appendingPathComponent("report.\(language.rawValue).html")
            try SampleReport.document().html(language).write(to: page, atomically: true, encoding: .utf8)
            let png = output.appendingPathComponent("report-\(language.rawValue)-360.png").path
            let width = try HeadlessChromium.screenshot(page.absoluteString, width: 360, height: 4200, to: png, profile: folder.path("chromium-\(language)"))
            #expect(width == 360)
            // Nothing wider than the phone: a copy of the page, laid out 360 px wide, with a script
            // (the report has none) that counts the elements reaching past the right edge.
            let probe = folder.write("probe-\(language).html", SampleReport.document().html(language).replacingOccurrences(
                of: "</body>", with: "<style>html{width:360px}</style><script>document.body.dataset.overflow=[...document.querySelectorAll('main *')]"
                    + ".filter(e=>e.getBoundingClientRect().right>360.5).map(e=>e.tagName+'.'+e.getAttribute('class')).join(' ')||'none'</script></body>"))
            let dom = try ExternalTools.run("chromium", ["--headless", "--no-sandbox", "--disable-gpu", "--window-size=360,800",
                                                         "--user-data-dir=" + folder.path("chromium-dom-\(language)"), "--dump-dom", probe.absoluteString])
            #expect(dom.contains("data-overflow=\"none\""), "\(dom.prefix(300))")
            let pdf = output.appendingPathComponent("report-\(language.rawValue)-a4.pdf").path
            try HeadlessChromium.printToPDF(page.absoluteString, to: pdf, profile: folder.path("chromium-pdf-\(language)"))
            let size = try FileManager.default.attributesOfItem(atPath: pdf)[.size] as? Int ?? 0
            #expect(size > 10_000)
            if let info = try? ExternalTools.run("pdfinfo", [pdf]) {
                #expect(info.contains("(A4)"), "\(info)")
            }
        }
    }
}
