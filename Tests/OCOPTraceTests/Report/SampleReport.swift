@testable import OCOPTrace

/// A province's report with made-up figures shaped like the real ones: twelve producers (one with a
/// hostile name), a year of months, sixty days of scans, five platforms.
enum SampleReport {
    static let hostileName = "HTX <script>alert('x')</script> \"Trà\" & Co"
    static let period = ReportPeriod(since: CalendarDate(year: 2025, month: 4, day: 1), until: CalendarDate(year: 2026, month: 3, day: 31))
    static let months = (0..<12).map { index in
        let month = (3 + index) % 12 + 1
        return (month < 10 ? "0" : "") + String(month) + "/" + String(month >= 4 ? 2025 : 2026)
    }
    static let days = (1...59).map { day in CalendarDate(daysSinceEpoch: 20_484 + day)!.vietnamese.prefix(5).description }

    static let producers: [ChartSeries] = [
        "HTX Chè Tân Cương Thái Nguyên", "HTX Miến dong Bình Liêu", hostileName, "Công ty TNHH Mật ong Bạc Hà",
        "HTX Nông nghiệp Hữu cơ Xuân Lập", "Hộ kinh doanh Nem chua Thanh Hóa", "HTX Gạo ST25 Sóc Trăng", "HTX Bưởi Diễn",
        "Công ty CP Nước mắm Phú Quốc", "HTX Cà phê Cầu Đất", "HTX Mắm tôm Hậu Lộc", "HTX Tỏi Lý Sơn",
    ].enumerated().map { index, name in
        ChartSeries(name: name, values: (0..<12).map { month in Double(((index * 37 + month * 53) % 90 + 10) * (12 - index) * 10) })
    }

    static let stampsChart = StackedBarChart(
        caption: ChartCaption(id: "stamps-per-month", title: ReportText("Tem phát hành theo tháng, theo cơ sở", "Stamps issued per month, by producer"),
                              period: period, categoryAxis: ReportText("Tháng", "Month"), valueAxis: ReportText("Tem phát hành", "Stamps issued"),
                              unit: .count(ReportText("tem", "stamps"))),
        categories: months, series: producers)

    static let scansChart = LineChart(
        caption: ChartCaption(id: "scans-per-day", title: ReportText("Lượt quét theo ngày, theo kết quả", "Scans per day, by verdict"),
                              period: ReportPeriod(since: CalendarDate(year: 2026, month: 2, day: 1), until: CalendarDate(year: 2026, month: 3, day: 31)),
                              categoryAxis: ReportText("Ngày", "Day"), valueAxis: ReportText("Lượt quét", "Scans"), unit: .count(ReportText("lượt", "scans"))),
        categories: days,
        series: [("Chính hãng", 120), ("Nghi sao chép", 18), ("Đã thu hồi", 6), ("Không phải tem của hệ thống", 3)].enumerated().map { index, series in
            ChartSeries(name: series.0, values: (0..<59).map { day in Double(series.1 + (day * (7 + index * 3)) % (series.1 / 2 + 4)) })
        })

    static let chainChart = GroupedBarChart(
        caption: ChartCaption(id: "chain-per-month", title: ReportText("Công đoạn sản xuất, thùng, lô gửi đi và lô nhận theo tháng", "Production stages, cartons, shipments and receipts per month"),
                              period: period, categoryAxis: ReportText("Tháng", "Month"), valueAxis: ReportText("Số bản ghi", "Records"),
                              unit: .count(ReportText("bản ghi", "records"))),
        categories: months,
        series: [ChartSeries(name: "Công đoạn", values: chainValues(0)), ChartSeries(name: "Thùng", values: chainValues(1)),
                 ChartSeries(name: "Lô gửi đi", values: chainValues(2)), ChartSeries(name: "Lô đã nhận", values: chainValues(3))],
        styles: ChartPalette.chain)

    static func chainValues(_ series: Int) -> [Double] {
        (0..<12).map { (month: Int) -> Double in
            let base: Int = series == 0 ? 20 : 0
            return Double((month * 7 + series * 5) % 23 + base)
        }
    }

    static let platformsChart = HorizontalBarChart(
        caption: ChartCaption(id: "platforms", title: ReportText("Sản phẩm sẵn sàng đăng bán theo sàn", "Products ready to list, per platform"),
                              period: period, categoryAxis: ReportText("Sàn", "Platform"), valueAxis: ReportText("Sản phẩm đăng được", "Products listable"),
                              unit: .percent),
        bars: [("Shopee", 82.5), ("Lazada", 76), ("TikTok Shop", 64.25), ("Tiki", 58), ("Sàn Bưu điện Việt Nam (Postmart)", 91)].map { BarChart.Bar(label: $0.0, value: $0.1) })

    static let starsChart = BarChart(
        caption: ChartCaption(id: "stars", title: ReportText("Sản phẩm OCOP theo hạng sao", "OCOP products by star rating"),
                              period: period, categoryAxis: ReportText("Hạng", "Rating"), valueAxis: ReportText("Sản phẩm", "Products"),
                              unit: .count(ReportText("sản phẩm", "products"))),
        bars: [("3★", 312), ("4★", 104), ("5★", 13)].map { BarChart.Bar(label: $0.0, value: $0.1) })

    static func document(otherLanguageFile: String? = nil) -> ReportDocument {
        ReportDocument(
            title: ReportText("Báo cáo truy xuất nguồn gốc sản phẩm OCOP", "OCOP traceability report"),
            scope: "Tỉnh Phú Thọ <b>&amp;</b>", period: period, generated: "2026-04-01 08:00 (UTC+7)",
            figures: [
                HeadlineFigure(ReportText("Cơ sở sản xuất", "Producers"), .count(128),
                               parts: [.init(ReportText("hợp tác xã", "cooperatives"), .count(74)), .init(ReportText("doanh nghiệp", "companies"), .count(31))]),
                HeadlineFigure(ReportText("Sản phẩm OCOP", "OCOP products"), .count(429),
                               parts: [.init(ReportText("hết hạn trong 90 ngày", "expiring within 90 days"), .count(17))]),
                HeadlineFigure(ReportText("Tem đã phát hành", "Stamps issued"), .count(537_800),
                               parts: [.init(ReportText("trong kỳ", "in the period"), .count(105_815))]),
                HeadlineFigure(ReportText("Lượt quét", "Scans"), .count(1_234_567)),
                HeadlineFigure(ReportText("Nghi tem sao chép", "Suspected copies"), .count(312)),
                HeadlineFigure(ReportText("Lô đạt mức truy xuất tối thiểu", "Lots meeting the traceability minimum"), .percent(87.5)),
            ],
            sections: [
                ReportSection(id: "stamps", title: ReportText("Tem truy xuất", "Traceability stamps"), blocks: [
                    .chart(stampsChart),
                    .table(ReportTable(caption: ReportText("Theo cơ sở", "Per producer"),
                                       columns: [.init(ReportText("Cơ sở", "Producer")), .init(ReportText("Tem phát hành", "Stamps issued"), numeric: true),
                                                 .init(ReportText("Lần quét đầu", "First scan"), numeric: true)],
                                       rows: producers.prefix(5).map { [.text($0.name), .count(Int($0.total)), .date(CalendarDate(year: 2025, month: 5, day: 2)!)] })),
                ]),
                ReportSection(id: "scans", title: ReportText("Lượt quét", "Scans"), blocks: [
                    .chart(scansChart),
                    .note(ReportText("Một tem bị quét ở nhiều nơi khác nhau được coi là nghi sao chép.", "A stamp scanned at many different places is a suspected copy.")),
                ]),
                ReportSection(id: "marketplaces", title: ReportText("Thương mại điện tử", "E-commerce"), blocks: [.chart(platformsChart)]),
                ReportSection(id: "ocop", title: ReportText("Sản phẩm OCOP", "OCOP products"), blocks: [.chart(starsChart)]),
            ],
            otherLanguageFile: otherLanguageFile)
    }
}
