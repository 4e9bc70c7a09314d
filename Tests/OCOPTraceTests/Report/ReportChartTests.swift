import Foundation
import Testing
@testable import OCOPTrace

@Suite struct ReportNumberTests {
    @Test func groupsThousandsTheVietnameseOrTheEnglishWay() {
        #expect(ReportNumber.integer(1_234_567, .vi) == "1.234.567")
        #expect(ReportNumber.integer(1_234_567, .en) == "1,234,567")
        #expect(ReportNumber.integer(999, .vi) == "999")
        #expect(ReportNumber.integer(1000, .en) == "1,000")
        #expect(ReportNumber.integer(0, .vi) == "0")
        #expect(ReportNumber.integer(-105_815, .vi) == "-105.815")
    }

    @Test func writesDecimalsWithTheLanguagesMarkAndNoTrailingZeros() {
        #expect(ReportNumber.decimal(1234.5, .vi) == "1.234,5")
        #expect(ReportNumber.decimal(1234.5, .en) == "1,234.5")
        #expect(ReportNumber.decimal(2.0, .en) == "2")
        #expect(ReportNumber.decimal(0.05, fractionDigits: 2, .vi) == "0,05")
        #expect(ReportNumber.decimal(-0.04, .vi) == "0")
        #expect(ReportNumber.percent(12.25, .vi) == "12,3%")
        #expect(ReportNumber.percent(100, .en) == "100%")
    }
}

@Suite struct AxisScaleTests {
    static let cases: [(largest: Double, ticks: [Double])] = [
        (537_800, [0, 200_000, 400_000, 600_000]),
        (3, [0, 1, 2, 3]),
        (0, [0, 1]),
        (7, [0, 2, 4, 6, 8]),
        (45_000, [0, 10_000, 20_000, 30_000, 40_000, 50_000]),
        (100, [0, 20, 40, 60, 80, 100]),
    ]

    @Test(arguments: cases)
    func ticksAreRoundStepsFromZeroThatCoverTheLargestValue(largest: Double, ticks: [Double]) {
        #expect(AxisScale(covering: largest).ticks == ticks)
    }

    @Test func stepsAreOneTwoOrFiveTimesAPowerOfTen() {
        for largest in stride(from: 1.0, through: 5_000_000, by: 7_919.3) {
            let scale = AxisScale(covering: largest)
            var mantissa = scale.step
            while mantissa >= 10 { mantissa /= 10 }
            #expect([1, 2, 5].contains(mantissa), "\(largest): step \(scale.step)")
            #expect(scale.maximum >= largest && scale.ticks.count - 1 <= 5 && scale.ticks.first == 0)
        }
        #expect(AxisScale(covering: 0.7, wholeNumbers: false).ticks.last! >= 0.7)
        #expect(AxisScale(covering: 0.7, wholeNumbers: false).step == 0.2)
    }
}

@Suite struct SeriesFoldingTests {
    static func series(_ totals: [Double]) -> [ChartSeries] {
        totals.enumerated().map { ChartSeries(name: "P\($0.offset)", values: [$0.element, 1]) }
    }

    @Test func keepsTheLargestTenAndAddsTheRestIntoOthersPerCategory() {
        let folded = Self.series((1...14).map(Double.init)).foldingAllButLargest(10, into: "Khác")
        #expect(folded.count == 11)
        #expect(folded.prefix(10).map(\.name) == (4...13).reversed().map { "P\($0)" })
        #expect(folded.last == ChartSeries(name: "Khác", values: [1 + 2 + 3 + 4, 4]))
    }

    @Test func foldsNothingWhenOthersWouldHoldOneSeries() {
        #expect(Self.series((1...11).map(Double.init)).foldingAllButLargest(10, into: "Others").count == 11)
        #expect(!Self.series((1...11).map(Double.init)).foldingAllButLargest(10, into: "Others").contains { $0.name == "Others" })
        #expect(Self.series([]).foldingAllButLargest(10, into: "Others").isEmpty)
    }

    @Test func breaksTiesByNameSoTheOrderNeverChanges() {
        let tied = ["Cúc", "An", "Bình"].map { ChartSeries(name: $0, values: [5]) }
        #expect(tied.foldingAllButLargest(1, into: "Khác").map(\.name) == ["An", "Khác"])
        #expect(tied.reversed().foldingAllButLargest(5, into: "Khác").map(\.name) == ["An", "Bình", "Cúc"])
    }
}

@Suite struct ChartPaletteTests {
    @Test func baseColoursStayApartInGreyscale() {
        let lightness = ChartPalette.base.map { ChartStyle(fill: $0, pattern: .solid).lightness }.sorted()
        for (darker, lighter) in zip(lightness, lightness.dropFirst()) {
            #expect(lighter - darker >= 11.5, "\(lightness)")
        }
        // Neighbours in a stack differ most.
        let ordered = ChartPalette.base.map { ChartStyle(fill: $0, pattern: .solid).lightness }
        for (a, b) in zip(ordered, ordered.dropFirst()) { #expect(abs(a - b) >= 12, "\(ordered)") }
    }

    @Test func everySeriesStyleIsUniqueAndOthersLooksLikeNone() {
        #expect(Set(ChartPalette.series).count == ChartPalette.series.count)
        #expect(ChartPalette.series.count >= 11)
        #expect(!ChartPalette.series.contains { $0.pattern == ChartPalette.others.pattern })
        #expect(ChartPalette.style(10, of: 11, hasOthers: true) == ChartPalette.others)
        #expect(ChartPalette.style(10, of: 11, hasOthers: false) == ChartPalette.series[10])
    }

    @Test func linesAreDarkEnoughOnWhiteAndDifferInDashMarkerOrLightness() {
        let lines = ChartPalette.lines
        #expect(lines.allSatisfy { ChartStyle(fill: $0.stroke, pattern: .solid).lightness <= 60 })
        #expect(Set(lines.map { "\($0.dash ?? "-") \($0.marker)" }).count == lines.count)
        let verdicts = lines.prefix(4).map { ChartStyle(fill: $0.stroke, pattern: .solid).lightness }.sorted()
        for (darker, lighter) in zip(verdicts, verdicts.dropFirst()) { #expect(lighter - darker >= 9.5, "\(verdicts)") }
    }

    @Test func lightnessIsCIELStar() {
        #expect(abs(ChartStyle(fill: "#000000", pattern: .solid).lightness) < 0.01)
        #expect(abs(ChartStyle(fill: "#ffffff", pattern: .solid).lightness - 100) < 0.01)
        #expect(abs(ChartStyle(fill: "#777777", pattern: .solid).lightness - 50.03) < 0.1)
    }
}

@Suite struct ReportChartTests {
    static let charts: [(String, any ReportChart)] = [
        ("stacked", SampleReport.stampsChart), ("line", SampleReport.scansChart), ("horizontal", SampleReport.platformsChart), ("bar", SampleReport.starsChart),
        ("grouped", SampleReport.chainChart),
    ]

    @Test(arguments: Language.allCases)
    func everyChartIsWellFormedSVGWithItsTitleFirstThenItsDescription(language: Language) throws {
        for (name, chart) in Self.charts {
            let svg = chart.svg(language)
            let document = try #require(SVGDocument(svg), "\(name) is not well-formed: \(svg.prefix(300))")
            let root = try #require(document.elements.first)
            #expect(root.name == "svg" && root.attributes["role"] == "img", "\(name)")
            let children = document.children
            #expect(children.first?.name == "title" && children.dropFirst().first?.name == "desc", "\(name): \(children.prefix(3).map(\.name))")
            let title = try #require(children.first?.text)
            #expect(title.contains(chart.caption.title.text(language)) && title.contains(chart.caption.period.text(language)), "\(name): \(title)")
            #expect((children.dropFirst().first?.text.count ?? 0) > 40, "\(name): the text alternative says too little")
            #expect(root.attributes["aria-labelledby"] == "\(chart.caption.id)-title \(chart.caption.id)-desc")
            let axisTitles = document.texts(className: "axis-title")
            #expect(axisTitles.contains(chart.caption.categoryAxis.text(language)), "\(name): \(axisTitles)")
            #expect(axisTitles.contains { $0.hasPrefix(chart.caption.valueAxis.text(language)) && $0.hasSuffix("(" + chart.caption.unit.name.text(language) + ")") },
                    "\(name): \(axisTitles)")
            #expect(chart.svg(language) == svg, "\(name): the same chart gives the same bytes")
        }
    }

    @Test func barChartsDrawOneBarPerValue() throws {
        for bars in [0, 1, 3, 31] {
            var chart = SampleReport.starsChart
            chart.bars = (0..<bars).map { BarChart.Bar(label: "T\($0)", value: Double($0 * 3)) }
            let document = try #require(SVGDocument(chart.svg(.vi)))
            #expect(document.count("rect", className: "bar") == bars)
            var horizontal = SampleReport.platformsChart
            horizontal.bars = chart.bars
            #expect(try #require(SVGDocument(horizontal.svg(.en))).count("rect", className: "bar") == bars)
        }
    }

    @Test func stackedBarsDrawOneStackPerCategoryAndOneSegmentPerNonZeroValue() throws {
        let chart = SampleReport.stampsChart
        let document = try #require(SVGDocument(chart.svg(.vi)))
        #expect(document.count("g", className: "stack") == chart.categories.count)
        let drawn = chart.drawnSeries(.vi).series
        #expect(drawn.count == 11 && drawn.last?.name == "Khác")
        #expect(document.count("rect", className: "segment") == drawn.flatMap(\.values).filter { $0 > 0 }.count)
        #expect(document.elements.filter { $0.attributes["class"] == "legend-item" }.count == 11)
        // Twelve producers fold into ten and "others"; the totals stay.
        let description = document.children[1].text
        let first = ReportNumber.integer(Int(chart.series.reduce(0) { $0 + $1.values[0] }), .vi)
        #expect(description.contains(chart.categories[0] + " " + first), "\(description)")
        #expect(description.contains("Tổng " + ReportNumber.integer(Int(chart.series.reduce(0) { $0 + $1.total }), .vi)), "\(description)")
    }

    @Test func groupedBarsDrawOneGroupPerCategoryAndOneBarPerSeries() throws {
        let chart = SampleReport.chainChart
        for language in Language.allCases {
            let document = try #require(SVGDocument(chart.svg(language)))
            #expect(document.count("g", className: "group") == chart.categories.count)
            #expect(document.count("rect", className: "bar") == chart.categories.count * chart.series.count, "zero values too: a group keeps its shape")
            #expect(document.elements.filter { $0.attributes["class"] == "legend-item" }.count == 4)
            let description = document.children[1].text
            let total = ReportNumber.integer(Int(chart.series[0].total), language)
            #expect(description.contains(chart.series[0].name + " " + total), "\(description)")
            #expect(description.contains(chart.categories[0] + ": " + chart.series[0].name), "\(description)")
        }
        // Four styles that stay apart in grey.
        let lightness = ChartPalette.chain.map(\.lightness).sorted()
        #expect(zip(lightness, lightness.dropFirst()).allSatisfy { $1 - $0 >= 12 }, "\(lightness)")
    }

    @Test func lineChartsDrawOnePointPerValueOfEverySeries() throws {
        let chart = SampleReport.scansChart
        let document = try #require(SVGDocument(chart.svg(.en)))
        #expect(document.elements.filter { $0.attributes["class"] == "point" }.count == chart.series.count * chart.categories.count)
        #expect(document.count("polyline", className: "line") == chart.series.count)
        #expect(Set(document.elements.filter { $0.attributes["class"] == "point" }.map(\.name)) == ["circle", "rect", "path"])
    }

    @Test func hostileNamesAreTextNotMarkup() throws {
        let hostile = "<script>alert(\"x\")</script> 'A' & B"
        let caption = ChartCaption(id: "x\"><script>", title: ReportText(verbatim: "T <b>&"), period: ReportPeriod(),
                                   categoryAxis: ReportText(verbatim: "<i>"), valueAxis: ReportText(verbatim: "&amp;"), unit: .count(ReportText(verbatim: "\"u\"")))
        let charts: [any ReportChart] = [
            BarChart(caption: caption, bars: [BarChart.Bar(label: hostile, value: 5)]),
            HorizontalBarChart(caption: caption, bars: [BarChart.Bar(label: hostile, value: 5)]),
            StackedBarChart(caption: caption, categories: [hostile], series: [ChartSeries(name: hostile, values: [3])]),
            LineChart(caption: caption, categories: [hostile, "b"], series: [ChartSeries(name: hostile, values: [3, 4])]),
        ]
        for chart in charts {
            let svg = chart.svg(.vi)
            #expect(!svg.contains("<script") && !svg.contains("<b>") && !svg.contains("<i>") && !svg.contains("\"u\""), "\(svg)")
            let document = try #require(SVGDocument(svg), "\(svg)")
            #expect(document.elements.allSatisfy { !["script", "b", "i"].contains($0.name) })
            #expect(document.allText.contains { $0.contains(hostile) }, "the name reads as written")
            #expect(document.children.first?.text.hasPrefix("T <b>&") == true)
            #expect(document.texts(className: "axis-title").contains("&amp; (\"u\")"))
            #expect(document.elements.first?.attributes["id"] == "xscript")
        }
        #expect("a\u{1}b<".markupEscaped == "a\u{FFFD}b&lt;")
    }

    @Test func emptyChartsStillCarryTitleDescriptionAndAxes() throws {
        var bar = SampleReport.starsChart
        bar.bars = []
        let line = LineChart(caption: SampleReport.scansChart.caption, categories: [], series: [])
        for svg in [bar.svg(.vi), line.svg(.en)] {
            let document = try #require(SVGDocument(svg))
            #expect(document.children.first?.name == "title" && document.children.dropFirst().first?.name == "desc")
            #expect(document.allText.contains { $0 == ReportText.noData.vietnamese || $0 == ReportText.noData.english })
        }
    }

    @Test func textAlternativesListTheFiguresInTheLanguagesNumbers() throws {
        let vi = try #require(SVGDocument(SampleReport.starsChart.svg(.vi))).children[1].text
        #expect(vi.contains("3★ 312") && vi.contains("Tổng 429") && vi.contains("Biểu đồ cột, 3 cột"), "\(vi)")
        let en = try #require(SVGDocument(SampleReport.platformsChart.svg(.en))).children[1].text
        #expect(en.contains("Shopee 82.5%") && en.contains("TikTok Shop 64.3%"), "\(en)")
        let stacked = try #require(SVGDocument(SampleReport.stampsChart.svg(.en))).children[1].text
        #expect(stacked.contains("Others") && stacked.contains(","), "\(stacked)")
    }
}
