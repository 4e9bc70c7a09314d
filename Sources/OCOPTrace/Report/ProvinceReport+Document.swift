extension ProvinceReport {
    /// Producers the traceability chart draws at most (the worst first); the table lists them all.
    static let completenessBars = 20

    /// The report page: headline figures, then one section per subject, in this order.
    /// The production chain's section (stages and shipments per month) follows the stamps when the
    /// registry holds chain records in scope and period, and is left out otherwise.
    public func document(generated: String? = nil) -> ReportDocument {
        ReportDocument(title: .reportTitle, scope: scopeText, period: period, generated: generated, figures: headlineFigures,
                       sections: sections)
    }

    var period: ReportPeriod { ReportPeriod(since: scope.since, until: scope.until) }

    /// "Producer: HTX …", "Province: Phú Thọ" or nothing (the whole registry), in the page's words.
    var scopeText: String? {
        let parts = [scope.producer, scope.province].compactMap { $0 }
        return parts.isEmpty ? nil : parts.joined(separator: " · ")
    }

    var sections: [ReportSection] {
        [stampsSection, chain.isEmpty ? nil : chainSection, scansSection, marketplacesSection, traceabilitySection, ocopSection, areasSection,
         producersSection].compactMap { $0 }
    }

    // MARK: Headline figures

    var headlineFigures: [HeadlineFigure] {
        let types: [ProducerType?] = ProducerType.allCases + [nil]
        let typeParts = types.compactMap { type -> HeadlineFigure.Part? in
            let count = producers.byType[type?.rawValue ?? "unknown"] ?? 0
            return count > 0 ? .init(.producerType(type), .count(count)) : nil
        }
        let starParts = (3...5).map { HeadlineFigure.Part(.stars($0), .count(products.byStars[String($0)] ?? 0)) }
        let listable = perMarketplace.filter { Marketplace(rawValue: $0.platform)?.isSpreadsheet ?? false }
        return [
            HeadlineFigure(.producers, .count(producers.total), parts: typeParts),
            HeadlineFigure(.ocopProducts, .count(products.ocop), parts: [.init(.productsInRegistry, .count(products.total))] + starParts
                           + [.init(.ocopValidNow, .count(products.ocopValid)), .init(.expiring90, .count(products.ocopExpiringWithin90Days))]),
            HeadlineFigure(.marketplaceReady, .count(listable.map(\.listed).max() ?? 0),
                           parts: listable.map { .init(ReportText(verbatim: Self.platformName($0.platform)), .words(.listedAndRefused($0.listed, $0.refused))) }),
            HeadlineFigure(.stampsIssued, .count(stamps.issued), parts: [.init(.inPeriod, .count(stamps.issuedInPeriod))]),
            HeadlineFigure(.stampsScanned, .count(stamps.scanned), parts: [.init(.scansCount, .count(stamps.scans))]),
            HeadlineFigure(.suspectedCopies, .count(stamps.suspectedCopies)),
            HeadlineFigure(.stampsRevoked, .count(stamps.revoked), parts: [.init(.inPeriod, .count(stamps.revokedInPeriod))]),
            HeadlineFigure(.traceable, .count(products.traceabilityComplete),
                           parts: [.init(.productsInRegistry, .count(products.total)), .init(.traceableLots, .count(products.lotsTraceabilityComplete)),
                                   .init(.ofLots, .count(products.lots))]),
        ]
    }

    // MARK: Sections

    var stampsSection: ReportSection {
        let producerNames = Array(Set(stampsPerMonth.map(\.producer))).sorted()
        var values: [String: [Double]] = [:]
        let index = Dictionary(months.enumerated().map { ($1, $0) }, uniquingKeysWith: { first, _ in first })
        for share in stampsPerMonth {
            guard let position = index[share.month] else { continue }
            values[share.producer, default: [Double](repeating: 0, count: months.count)][position] += Double(share.stamps)
        }
        let chart = MonthChart(months: months, series: producerNames.map { ChartSeries(name: $0, values: values[$0] ?? []) },
                               caption: caption("stamps-per-month", .stampsPerMonth, .month, .stampsIssued, .count(.stampsUnit)))
        return ReportSection(id: "stamps", title: .stampsSection, blocks: [.chart(chart)])
    }

    var chainSection: ReportSection {
        let months = chain.byMonth
        let chart = ChainChart(months: months.map(\.month),
                               values: [months.map { Double($0.stages) }, months.map { Double($0.cartons) }, months.map { Double($0.shipments) },
                                        months.map { Double($0.receipts) }],
                               caption: caption("chain-per-month", .chainPerMonth, .month, .chainEvents, .count(.chainUnit)))
        // The table lists the months with records; the chart draws every month of the period.
        let table = ReportTable(
            caption: .chainTable,
            columns: [.init(.month), .init(.stagesColumn, numeric: true), .init(.cartonsColumn, numeric: true), .init(.shipmentsColumn, numeric: true),
                      .init(.receiptsColumn, numeric: true)],
            rows: months.filter { $0.stages + $0.cartons + $0.shipments + $0.receipts > 0 }.map {
                [.words(ReportText(MonthChart.label($0.month, .vi), MonthChart.label($0.month, .en))), .count($0.stages), .count($0.cartons), .count($0.shipments), .count($0.receipts)] }
                + [[.words(.total), .count(chain.stages), .count(chain.cartons), .count(chain.shipments), .count(chain.receipts)]])
        return ReportSection(id: "chain", title: .chainSection, blocks: [.chart(chart), .note(.chainNote), .table(table)])
    }

    var scansSection: ReportSection {
        let chart = DayChart(days: scansPerDay.map(\.day), series: DailyScans.Verdict.allCases.map { verdict in
            (verdict, scansPerDay.map { Double($0.scans[verdict]) })
        }, caption: caption("scans-per-day", .scansPerDay, .day, .scans, .count(.scansUnit)))
        let table = ReportTable(
            caption: .mostScannedCopies,
            columns: [.init(.serial), .init(.product), .init(.producer), .init(.lot), .init(.scans, numeric: true), .init(.places, numeric: true),
                      .init(.firstScan, numeric: true), .init(.lastScan, numeric: true)],
            rows: suspectedCopies.map { copy in
                [.text(copy.serial), .text(copy.product), .text(copy.producer), .text(copy.lot), .count(copy.scans), .count(copy.places),
                 .text(Timestamp.vietnamese(copy.firstAt)), .text(Timestamp.vietnamese(copy.lastAt))]
            })
        return ReportSection(id: "scans", title: .scansSection,
                             blocks: [.chart(chart), .note(.copyRule(String(scope.cloneThreshold))), .table(table)])
    }

    var marketplacesSection: ReportSection {
        let platforms = perMarketplace.map { Self.platformName($0.platform) }
        let chart = StackedBarChart(
            caption: caption("marketplaces", .readiness, .platform, .products, .count(.productsUnit)), categories: platforms,
            series: [ChartSeries(name: "", values: perMarketplace.map { Double($0.listed - $0.warnings) }),
                     ChartSeries(name: "", values: perMarketplace.map { Double($0.warnings) }),
                     ChartSeries(name: "", values: perMarketplace.map { Double($0.refused) })],
            largest: nil, styles: ChartPalette.readiness)
        let table = ReportTable(
            caption: .marketplaceTable,
            columns: [.init(.platform), .init(.listedClean, numeric: true), .init(.listedWithWarnings, numeric: true), .init(.refused, numeric: true)],
            rows: perMarketplace.map { [.text(Self.platformName($0.platform)), .count($0.listed), .count($0.warnings), .count($0.refused)] })
        return ReportSection(id: "marketplaces", title: .marketplacesSection,
                             blocks: [.chart(ReadinessChart(chart: chart)), .note(.marketplaceNote), .table(table)])
    }

    var traceabilitySection: ReportSection {
        let measured = perProducer.filter { $0.products > 0 }
            .map { (name: $0.name, share: Double($0.traceabilityComplete) * 100 / Double($0.products)) }
            .sorted { ($0.share, $0.name) < ($1.share, $1.name) }
        let shown = measured.prefix(Self.completenessBars)
        let chart = HorizontalBarChart(caption: caption("traceability", .completeness, .producer, .traceable, .percent),
                                       bars: shown.map { BarChart.Bar(label: $0.name, value: $0.share) })
        var blocks: [ReportBlock] = [.chart(chart)]
        if measured.count > shown.count {
            blocks.append(.note(.completenessShown(String(shown.count), String(measured.count))))
        }
        return ReportSection(id: "traceability", title: .traceabilitySection, blocks: blocks)
    }

    var ocopSection: ReportSection {
        let chart = BarChart(caption: caption("ocop-stars", .byStars, .rating, .ocopProducts, .count(.productsUnit)),
                             bars: (3...5).map { BarChart.Bar(label: "\($0)★", value: Double(products.byStars[String($0)] ?? 0)) })
        let groups: [OCOPGroup?] = OCOPGroup.allCases + [nil]
        let table = ReportTable(
            caption: .byGroup, columns: [.init(.groupColumn), .init(.ocopProducts, numeric: true)],
            rows: groups.compactMap { group in
                let count = products.byGroup[group.map { String($0.rawValue) } ?? "none"] ?? 0
                return count > 0 || group != nil ? [.words(.group(group)), .count(count)] : nil
            })
        return ReportSection(id: "ocop", title: .ocopSection, blocks: [.chart(chart), .table(table)])
    }

    var areasSection: ReportSection {
        let table = ReportTable(
            caption: .areasSection,
            columns: [.init(.area), .init(.province), .init(.producersColumn, numeric: true), .init(.products, numeric: true),
                      .init(.ocopColumn, numeric: true), .init(.issuedColumn, numeric: true), .init(.issuedInPeriodColumn, numeric: true),
                      .init(.scansColumn, numeric: true), .init(.copiesColumn, numeric: true), .init(.revokedColumn, numeric: true)],
            rows: perArea.map { area in
                [.text(area.area), .text(area.province), .count(area.producers), .count(area.products), .count(area.ocopProducts),
                 .count(area.stampsIssued), .count(area.stampsIssuedInPeriod), .count(area.scans), .count(area.suspectedCopies), .count(area.revoked)]
            })
        return ReportSection(id: "areas", title: .areasSection, blocks: [.table(table)])
    }

    var producersSection: ReportSection {
        let table = ReportTable(
            caption: .producersSection,
            columns: [.init(.producer), .init(.typeColumn), .init(.area), .init(.products, numeric: true), .init(.ocopColumn, numeric: true),
                      .init(.traceableColumn, numeric: true), .init(.issuedColumn, numeric: true), .init(.issuedInPeriodColumn, numeric: true),
                      .init(.scansColumn, numeric: true), .init(.copiesColumn, numeric: true), .init(.revokedColumn, numeric: true)],
            rows: perProducer.map { row in
                [.text(row.name), .words(.producerType(row.type, plural: false)), .text(row.area), .count(row.products), .count(row.ocopProducts),
                 .count(row.traceabilityComplete), .count(row.stampsIssued), .count(row.stampsIssuedInPeriod), .count(row.scans),
                 .count(row.suspectedCopies), .count(row.revoked)]
            })
        return ReportSection(id: "producers", title: .producersSection, blocks: [.table(table)])
    }

    // MARK: Helpers

    func caption(_ id: String, _ title: ReportText, _ categories: ReportText, _ values: ReportText, _ unit: ChartUnit) -> ChartCaption {
        ChartCaption(id: id, title: title, period: period, categoryAxis: categories, valueAxis: values, unit: unit)
    }

    static func platformName(_ platform: String) -> String {
        switch Marketplace(rawValue: platform) {
        case .shopee: "Shopee"
        case .lazada: "Lazada"
        case .tiki: "Tiki"
        case .tiktok: "TikTok Shop"
        case .google: "Google"
        case .jsonld: "schema.org"
        case nil: platform
        }
    }
}

/// Stamps per month, stacked by producer: the months written as the page's language writes them.
struct MonthChart: ReportChart {
    var months: [String]
    var series: [ChartSeries]
    var caption: ChartCaption

    func svg(_ language: Language) -> String {
        StackedBarChart(caption: caption, categories: months.map { Self.label($0, language) }, series: series).svg(language)
    }

    /// `2026-03` as the page's language writes a month: `03/2026` in Vietnamese.
    static func label(_ month: String, _ language: Language) -> String {
        language == .vi ? String(month.suffix(2)) + "/" + String(month.prefix(4)) : month
    }
}

/// Production stages, cartons packed, shipments and receipts per month, side by side: the months
/// and the series' names written as the page's language writes them.
struct ChainChart: ReportChart {
    var months: [String]
    /// Stages, cartons, shipments and receipts, one value per month each.
    var values: [[Double]]
    var caption: ChartCaption

    func svg(_ language: Language) -> String {
        let names: [ReportText] = [.stagesColumn, .cartonsColumn, .shipmentsColumn, .receiptsColumn]
        return GroupedBarChart(caption: caption, categories: months.map { MonthChart.label($0, language) },
                               series: zip(names, values).map { ChartSeries(name: $0.text(language), values: $1) },
                               styles: ChartPalette.chain).svg(language)
    }
}

/// Scans per day, one line per verdict, named in the page's language.
struct DayChart: ReportChart {
    var days: [CalendarDate]
    var series: [(DailyScans.Verdict, [Double])]
    var caption: ChartCaption

    func svg(_ language: Language) -> String {
        let labels = days.map { language == .vi ? String($0.vietnamese.prefix(5)) : String($0.iso.suffix(5)) }
        return LineChart(caption: caption, categories: labels,
                         series: series.map { ChartSeries(name: ReportText.verdict($0.0).text(language), values: $0.1) }).svg(language)
    }
}

/// Listed, listed with warnings and refused per platform, the series named in the page's language.
struct ReadinessChart: ReportChart {
    var chart: StackedBarChart
    var caption: ChartCaption { chart.caption }

    func svg(_ language: Language) -> String {
        var named = chart
        let names: [ReportText] = [.listedClean, .listedWithWarnings, .refused]
        for index in named.series.indices { named.series[index].name = names[index].text(language) }
        return named.svg(language)
    }
}
