import Foundation
import Synchronization

/// What `ocoptrace report` covers and how it judges.
public struct ReportOptions: Sendable {
    /// Only producers whose name contains this (accents and case ignored), as every command takes `--producer`.
    public var producer: String?
    /// Only producers of this province (the whole name, accents and case ignored).
    public var province: String?
    public var period: ReportPeriod
    /// The day recognitions are judged on, and marketplace rules applied on.
    public var today: CalendarDate
    public var cloneThreshold: Int
    /// The resolver of traceability links and the shop's category ids, as `export` takes them:
    /// the listings judged are the ones `export` would write.
    public var resolver: String
    public var categoryMapping: URL?

    public init(producer: String? = nil, province: String? = nil, period: ReportPeriod = ReportPeriod(), today: CalendarDate = .today(),
                cloneThreshold: Int = CloneRule().threshold, resolver: String = IssueOptions.defaultResolver,
                categoryMapping: URL? = URL(fileURLWithPath: "catalogs/category-mapping.json")) {
        self.producer = producer
        self.province = province
        self.period = period
        self.today = today
        self.cloneThreshold = cloneThreshold
        self.resolver = resolver
        self.categoryMapping = categoryMapping
    }
}

/// Builds the report's figures: the store counts stamps and scans (``ReportStore``); the few
/// products go through the same rules as `export` (``ListingExporter``, into a scratch folder that
/// is removed) and `products --check-traceability` (``TraceabilityCheck``).
///
/// ```swift
/// let job = ReportJob(store: store, options: ReportOptions(province: "Phú Thọ"))
/// let report = try await job.figures()
/// try job.document(report, generated: Timestamp.now()).html(.vi).write(to: url, atomically: true, encoding: .utf8)
/// ```
public struct ReportJob: Sendable {
    public let store: any RegistryStore
    public let options: ReportOptions

    /// Recognitions ending within this many days (today included) are counted as expiring.
    public static let expiringWithinDays = 90

    public init(store: any RegistryStore, options: ReportOptions) {
        self.store = store
        self.options = options
    }

    public func figures() async throws -> ProvinceReport {
        let scope = ProducerScope(producer: options.producer, province: options.province)
        let producers = try await store.reportProducers().filter { scope.includes(producer: $0.name, province: $0.province) }
        let scoped = options.producer != nil || options.province != nil
        let request = ReportRequest(producerIDs: scoped ? producers.map(\.id) : nil, from: options.period.since?.iso,
                                    before: options.period.until?.adding(days: 1)?.iso, cloneThreshold: options.cloneThreshold)
        let tallies = try await store.reportTallies(request)

        var rows: [Int64: ProvinceReport.ProducerRow] = [:]
        var byType: [String: Int] = [:]
        for producer in producers {
            rows[producer.id] = ProvinceReport.ProducerRow(name: producer.name, type: producer.type, commune: producer.commune,
                                                           district: producer.district, province: producer.province)
            byType[producer.type?.rawValue ?? "unknown", default: 0] += 1
        }

        var products = ProvinceReport.Products(total: 0, ocop: 0, ocopValid: 0, ocopExpiringWithin90Days: 0, byStars: [:], byGroup: [:],
                                               traceabilityComplete: 0, lots: 0, lotsTraceabilityComplete: 0)
        let lastExpiringDay = options.today.adding(days: Self.expiringWithinDays - 1) ?? options.today
        for tally in tallies.products where rows[tally.producerID] != nil {
            rows[tally.producerID]!.products += tally.count
            products.total += tally.count
            guard let ocop = tally.ocop else { continue }
            rows[tally.producerID]!.ocopProducts += tally.count
            products.ocop += tally.count
            products.byStars[String(ocop.stars), default: 0] += tally.count
            products.byGroup[tally.group.map { String($0) } ?? "none", default: 0] += tally.count
            if ocop.isValid(on: options.today) {
                products.ocopValid += tally.count
                if let end = ocop.expiresOn, end <= lastExpiringDay { products.ocopExpiringWithin90Days += tally.count }
            }
        }

        var stamps = ProvinceReport.Stamps(issued: 0, issuedInPeriod: 0, scanned: 0, scans: 0, revoked: 0, revokedInPeriod: 0, suspectedCopies: 0)
        for tally in tallies.issued where rows[tally.producerID] != nil {
            rows[tally.producerID]!.stampsIssued += tally.count
            stamps.issued += tally.count
        }
        var perMonth: [String: [Int64: Int]] = [:]
        for tally in tallies.issuedPerMonth where rows[tally.producerID] != nil {
            rows[tally.producerID]!.stampsIssuedInPeriod += tally.stamps
            stamps.issuedInPeriod += tally.stamps
            perMonth[tally.month, default: [:]][tally.producerID, default: 0] += tally.stamps
        }
        for tally in tallies.revoked where rows[tally.producerID] != nil {
            rows[tally.producerID]!.revoked += tally.total
            stamps.revoked += tally.total
            stamps.revokedInPeriod += tally.inPeriod
        }
        for tally in tallies.scans where rows[tally.producerID] != nil {
            rows[tally.producerID]!.scans += tally.scans
            rows[tally.producerID]!.stampsScanned += tally.stamps
            rows[tally.producerID]!.suspectedCopies += tally.suspected
            stamps.scans += tally.scans
            stamps.scanned += tally.stamps
            stamps.suspectedCopies += tally.suspected
        }

        var verdicts = ProvinceReport.VerdictCounts()
        var perDay: [String: ProvinceReport.VerdictCounts] = [:]
        for tally in tallies.scansPerDay {
            verdicts[tally.verdict] += tally.scans
            perDay[tally.day, default: .init()][tally.verdict] += tally.scans
        }
        let days = Self.days(from: options.period.since, to: options.period.until, data: perDay.keys.compactMap(CalendarDate.init(parsing:)))
        let months = Self.months(options.period.since, options.period.until, data: perMonth.keys.compactMap { CalendarDate(parsing: $0 + "-01") })
        let chain = chainFigures(tallies.chainPerMonth.filter { rows[$0.producerID] != nil })

        try await checkProducts(scope: scope, rows: &rows, products: &products, lots: tallies.lots)
        let marketplaces = try await marketplaceReadiness(rows: &rows)

        let ordered = producers.compactMap { rows[$0.id] }
        var areas: [String: ProvinceReport.AreaRow] = [:]
        for row in ordered {
            let key = row.province + "\u{1F}" + row.area
            var area = areas[key] ?? ProvinceReport.AreaRow(area: row.area, province: row.province)
            area.producers += 1
            area.products += row.products
            area.ocopProducts += row.ocopProducts
            area.stampsIssued += row.stampsIssued
            area.stampsIssuedInPeriod += row.stampsIssuedInPeriod
            area.scans += row.scans
            area.suspectedCopies += row.suspectedCopies
            area.revoked += row.revoked
            areas[key] = area
        }
        let names = Dictionary(producers.map { ($0.id, $0.name) }, uniquingKeysWith: { first, _ in first })
        let shares = months.flatMap { month in
            (perMonth[month] ?? [:]).sorted { $0.key < $1.key }.map { ProvinceReport.MonthShare(month: month, producer: names[$0.key] ?? "", stamps: $0.value) }
        }
        return ProvinceReport(
            scope: .init(producer: options.producer, province: options.province, since: options.period.since, until: options.period.until,
                         today: options.today, cloneThreshold: options.cloneThreshold),
            producers: .init(total: producers.count, byType: byType), products: products, stamps: stamps, scans: verdicts,
            scansPerDay: days.map { ProvinceReport.ScanDay(day: $0, scans: perDay[$0.iso] ?? .init()) },
            months: months, stampsPerMonth: shares, perMarketplace: marketplaces,
            perProducer: ordered.sorted { ($0.stampsIssued, $1.name) > ($1.stampsIssued, $0.name) },
            perArea: areas.values.sorted { ($0.province, $0.area) < ($1.province, $1.area) }, suspectedCopies: tallies.suspectedCopies,
            chain: chain)
    }

    /// The chain's figures from the producers' monthly counts (those in scope): totals, and every
    /// month of the period (or from the first month with records to the last).
    func chainFigures(_ counts: [MonthlyChainCount]) -> ProvinceReport.Chain {
        var chain = ProvinceReport.Chain()
        var perMonth: [String: ProvinceReport.Chain.Month] = [:]
        for count in counts {
            var month = perMonth[count.month] ?? .init(month: count.month)
            switch count.kind {
            case .stage: month.stages += count.count; chain.stages += count.count
            case .carton: month.cartons += count.count; chain.cartons += count.count
            case .shipment: month.shipments += count.count; chain.shipments += count.count
            case .receipt: month.receipts += count.count; chain.receipts += count.count
            }
            perMonth[count.month] = month
        }
        guard !chain.isEmpty else { return chain }
        chain.byMonth = Self.months(options.period.since, options.period.until, data: perMonth.keys.compactMap { CalendarDate(parsing: $0 + "-01") })
            .map { perMonth[$0] ?? .init(month: $0) }
        return chain
    }

    /// Every day from `start` to `end`; an open end is the first or last day with figures.
    static func days(from start: CalendarDate?, to end: CalendarDate?, data: [CalendarDate]) -> [CalendarDate] {
        guard let first = start ?? data.min(), let last = end ?? data.max() ?? start, first <= last else { return [] }
        return (first.daysSinceEpoch...last.daysSinceEpoch).compactMap(CalendarDate.init(daysSinceEpoch:))
    }

    /// Every month (`2026-03`) from `start`'s to `end`'s; an open end is the first or last month with figures.
    static func months(_ start: CalendarDate?, _ end: CalendarDate?, data: [CalendarDate]) -> [String] {
        guard let first = start ?? data.min(), let last = end ?? data.max(), first <= last else { return [] }
        var months: [String] = []
        var month = CalendarDate(year: first.year, month: first.month, day: 1)
        while let current = month, current <= last {
            months.append(String(current.iso.prefix(7)))
            month = current.adding(months: 1)
        }
        return months
    }

    /// The traceability minimum of each product in scope, and the lots of those that carry it.
    private func checkProducts(scope: ProducerScope, rows: inout [Int64: ProvinceReport.ProducerRow], products: inout ProvinceReport.Products,
                               lots: [LotTally]) async throws {
        let lotsOf = Dictionary(lots.map { ($0.productID, $0.lots) }, uniquingKeysWith: +)
        let ids = producerIDs(rows)
        for try await product in store.products(pageSize: ListingExporter.pageSize)
        where scope.includes(producer: product.producer, province: product.province) {
            let complete = TraceabilityCheck.gaps(of: product).isEmpty
            let lots = lotsOf[product.id] ?? 0
            products.lots += lots
            guard complete else { continue }
            products.traceabilityComplete += 1
            products.lotsTraceabilityComplete += lots
            if let id = ids[ProducerKey(name: product.producer, province: product.province)] { rows[id]!.traceabilityComplete += 1 }
        }
    }

    /// Each platform's verdict on every product in scope, by the rules `export` applies; the
    /// listings are written to a scratch folder that is removed.
    private func marketplaceReadiness(rows: inout [Int64: ProvinceReport.ProducerRow]) async throws -> [ProvinceReport.MarketplaceRow] {
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("ocoptrace-report-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: scratch) }
        var exportOptions = ExportOptions(folder: scratch, producer: options.producer, resolver: options.resolver,
                                          categoryMapping: options.categoryMapping, today: options.today)
        exportOptions.province = options.province
        let tally = FindingTally()
        let reports = try await ListingExporter(store: store, options: exportOptions).export(Marketplace.allCases) { tally.add($0) }
        // A finding names its producer only: two producers of one name (in two provinces) share it.
        var ids: [String: Int64] = [:]
        for (id, row) in rows.sorted(by: { $0.key < $1.key }) where ids[row.name] == nil { ids[row.name] = id }
        for (name, platforms) in tally.perProducer() {
            guard let id = ids[name] else { continue }
            rows[id]!.marketplaces = platforms
        }
        return reports.map { ProvinceReport.MarketplaceRow(platform: $0.platform, listed: $0.listed, warnings: $0.warnings, refused: $0.rejected) }
    }

    private struct ProducerKey: Hashable {
        var name: String
        var province: String
    }

    private func producerIDs(_ rows: [Int64: ProvinceReport.ProducerRow]) -> [ProducerKey: Int64] {
        var ids: [ProducerKey: Int64] = [:]
        for (id, row) in rows.sorted(by: { $0.key < $1.key }) where ids[ProducerKey(name: row.name, province: row.province)] == nil {
            ids[ProducerKey(name: row.name, province: row.province)] = id
        }
        return ids
    }
}

/// Export findings counted per producer and platform, from the export's lanes.
private final class FindingTally: Sendable {
    private let counts = Mutex<[String: [String: ProvinceReport.MarketplaceCounts]]>([:])

    func add(_ finding: ExportFinding) {
        counts.withLock { counts in
            var platform = counts[finding.producer, default: [:]][finding.platform, default: .init()]
            switch finding.status {
            case .ok: platform.listed += 1
            case .warning: platform.listed += 1; platform.warnings += 1
            case .rejected: platform.refused += 1
            }
            counts[finding.producer, default: [:]][finding.platform] = platform
        }
    }

    /// By producer name, then platform.
    func perProducer() -> [String: [String: ProvinceReport.MarketplaceCounts]] { counts.withLock { $0 } }
}

extension ReportJob {
    /// Reads the figures and writes the page in `language` to `url` (put in place whole).
    @discardableResult
    public func write(to url: URL, language: Language, generated: String? = Timestamp.vietnamese(Timestamp.now())) async throws -> ProvinceReport {
        let report = try await figures()
        try ReportJob.write(report.document(generated: generated).html(language), to: url)
        return report
    }

    /// Writes `html` to `url` under a temporary name and renames it.
    public static func write(_ html: String, to url: URL) throws {
        try AtomicFileWriter.createFolder(url.deletingLastPathComponent())
        let writer = try AtomicFileWriter(url)
        try writer.write(html)
        try writer.commit()
    }
}
