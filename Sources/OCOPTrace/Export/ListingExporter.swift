import Foundation

extension Marketplace {
    /// The seller centres that take an xlsx bulk-upload workbook.
    var isSpreadsheet: Bool { ![.google, .jsonld].contains(self) }
}

public struct ExportOptions: Sendable {
    /// `output/exports`: each platform gets a folder in it.
    public var folder: URL
    public var producer: String?
    /// Only this province's producers (the whole name, accents and case ignored); nil: any.
    public var province: String?
    /// Stock = issued, unrevoked stamps, instead of the catalog's stock column.
    public var stockFromStamps: Bool
    /// The resolver of traceability links (as stamps use).
    public var resolver: String
    /// Google feed as RSS 2.0 XML instead of TSV.
    public var googleXML: Bool
    /// A shop's category ids (`catalogs/category-mapping.json` by default), over the shipped ones.
    public var categoryMapping: URL?
    /// Where the copied local images will be online (`https://shop.vn/ocop-images/`): listings link
    /// to them there. Without it, platforms that take image URLs only leave local images out.
    public var imageBaseURL: String?
    /// The language of the reasons in reports.
    public var language: Language
    public var today: CalendarDate

    public init(folder: URL = URL(fileURLWithPath: "output/exports"), producer: String? = nil, stockFromStamps: Bool = false,
                resolver: String = IssueOptions.defaultResolver, googleXML: Bool = false,
                categoryMapping: URL? = URL(fileURLWithPath: "catalogs/category-mapping.json"), imageBaseURL: String? = nil,
                language: Language = .en, today: CalendarDate = .today()) {
        self.folder = folder
        self.producer = producer
        self.stockFromStamps = stockFromStamps
        self.resolver = resolver
        self.googleXML = googleXML
        self.categoryMapping = categoryMapping
        self.imageBaseURL = imageBaseURL
        self.language = language
        self.today = today
    }
}

/// One product on one platform: ok, warning or rejected, and exactly why.
public struct ExportFinding: Sendable, Codable {
    public enum Status: String, Sendable, Codable { case ok, warning, rejected }
    public var platform: String
    public var product: String
    public var producer: String
    public var status: Status
    /// The category used, as `id (path)`; nil where the product has none.
    public var category: String?
    /// In the export's language, as the report says them.
    public var reasons: [String]
    /// The reasons' stable codes (`no-image`, `title-too-short`, ...), for scripts.
    public var codes: [String]
}

/// One platform's export: the files to upload, the report, and how many products went where.
public struct ExportReport: Sendable, Codable {
    public var platform: String
    /// The upload files: one, or several where the platform limits products per upload.
    public var files: [String]
    public var report: String
    public var listed: Int
    public var warnings: Int
    public var rejected: Int
}

/// A product as a listing: the text and links every platform builds from.
struct Listing {
    var id: String
    var title: String
    var description: String
    var link: String
    var images: [String]
    var priceVND: Int
    var stock: Int?
    var product: StoredProduct
    var brand: String
    /// The product's GTIN as this platform takes it (none when the platform refuses it).
    var gtin: GTIN?
    var kind: ProductKind?
    var ocop: OCOPRecognition?
    var category: String?
    /// `id (path)`, for the report.
    var categoryShown: String?
}

/// Where one platform's accepted listings are written, one at a time.
protocol ListingSink: AnyObject {
    func add(_ listing: Listing) throws
    /// Puts the files in place and returns them.
    func finish() throws -> [URL]
}

/// Exports the registry's products as marketplace listings, checked against each platform's rules.
/// Products come from the registry a page at a time; the platforms are shared between two lanes
/// (two cores), each reading the products once for its platforms, so memory stays flat however
/// large the catalog, and no read transaction stays open while the files are written.
public struct ListingExporter: Sendable {
    public let store: any ExportStore
    public let options: ExportOptions

    /// Products read from the registry at a time: large enough that paging costs nothing next to
    /// the listings' work, small enough to keep memory flat.
    static let pageSize = 1_000

    public init(store: any ExportStore, options: ExportOptions) {
        self.store = store
        self.options = options
    }

    /// Exports to each marketplace; `onFinding` hears every product's finding on every platform as it
    /// is made (from more than one thread, one call at a time). Throws the first marketplace's failure.
    public func export(_ marketplaces: [Marketplace], onFinding: (@Sendable (ExportFinding) -> Void)? = nil) async throws -> [ExportReport] {
        try await exportEach(marketplaces, onFinding: onFinding).map { try $0.get() }
    }

    /// Exports to each marketplace, one result each: a marketplace that fails (its folder cannot be
    /// written, say) leaves the others' listings whole. Throws only what stops every marketplace (the
    /// registry or a shipped rules file cannot be read).
    public func exportEach(_ marketplaces: [Marketplace],
                           onFinding: (@Sendable (ExportFinding) -> Void)? = nil) async throws -> [Result<ExportReport, any Error>] {
        let rules = try marketplaces.map { try MarketplaceRules.shipped($0.rawValue) }
        var trees: [Marketplace: CategoryTree?] = [:]
        for marketplace in marketplaces { trees[marketplace] = try await CategoryTreeStore.current(marketplace, store: store) }
        let context = ExportContext(
            options: options, categories: try CategoryMapping.load(shopFile: options.categoryMapping), kinds: .shipped, trees: trees,
            stampStock: options.stockFromStamps ? try await store.unrevokedStampCounts() : [:],
            sharedCodes: try await store.sharedProductCodes(), relay: FindingRelay(onFinding))
        // Seller-centre workbooks cost about three times a feed; two lanes of about equal work.
        let lanes = ProcessInfo.processInfo.activeProcessorCount > 1 && marketplaces.count > 1 ? 2 : 1
        var laneOf = [Int](repeating: 0, count: marketplaces.count)
        var load = [Int](repeating: 0, count: lanes)
        for index in marketplaces.indices.sorted(by: { marketplaces[$0].isSpreadsheet && !marketplaces[$1].isSpreadsheet }) {
            let lane = load.indices.min { load[$0] < load[$1] } ?? 0
            laneOf[index] = lane
            load[lane] += marketplaces[index].isSpreadsheet ? 3 : 1
        }
        var reports = [Result<ExportReport, any Error>?](repeating: nil, count: marketplaces.count)
        try await withThrowingTaskGroup(of: [(Int, Result<ExportReport, any Error>)].self) { group in
            for lane in 0..<lanes {
                let mine = marketplaces.indices.filter { laneOf[$0] == lane }
                let platforms = mine.map { (marketplaces[$0], rules[$0]) }
                group.addTask {
                    zip(mine, try await exportLane(platforms, context: context)).map { ($0, $1) }
                }
            }
            for try await results in group {
                for (index, report) in results { reports[index] = report }
            }
        }
        return reports.map { $0 ?? .failure(CancellationError()) }
    }

    /// One reading of the products for several marketplaces; a marketplace that fails stops
    /// receiving products, and the others go on.
    private func exportLane(_ platforms: [(Marketplace, MarketplaceRules)], context: ExportContext) async throws -> [Result<ExportReport, any Error>] {
        var exports = platforms.map { platform in Result { try PlatformExport(marketplace: platform.0, rules: platform.1, context: context) } }
        let scope = ProducerScope(producer: options.producer, province: options.province)
        for try await product in store.products(pageSize: Self.pageSize)
        where scope.includes(producer: product.producer, province: product.province) {
            let kind = context.kinds.kind(ofProductNamed: product.name)
            let package = ListingText.packageWorthAdding(product.unit, toName: product.name)
            for index in exports.indices {
                guard case .success(let export) = exports[index] else { continue }
                do { try export.add(product, kind: kind, package: package) } catch { exports[index] = .failure(error) }
            }
        }
        return exports.map { $0.flatMap { export in Result { try export.finish() } } }
    }
}

/// What every platform's export reads and nothing changes.
struct ExportContext: Sendable {
    var options: ExportOptions
    var categories: CategoryMapping
    var kinds: ProductKinds
    /// Each exported platform's category tree, read once per export (nil: none known, as for Google).
    var trees: [Marketplace: CategoryTree?]
    var stampStock: [Int64: Int]
    var sharedCodes: Set<String>
    var relay: FindingRelay
}

/// Hands findings to the caller one at a time, whichever thread made them.
final class FindingRelay: @unchecked Sendable {
    // @unchecked: `handler` is called only while holding `lock`.
    private let lock = NSLock()
    private let handler: (@Sendable (ExportFinding) -> Void)?

    init(_ handler: (@Sendable (ExportFinding) -> Void)?) {
        self.handler = handler
    }

    func send(_ finding: ExportFinding) {
        guard let handler else { return }
        lock.lock()
        handler(finding)
        lock.unlock()
    }
}
