import Foundation
import GRDB

/// Where listings go. The xlsx seller-centre templates (Shopee, Lazada, Tiki, TikTok Shop) are
/// the next step of this exporter; feeds that need no spreadsheet writer come first.
public enum Marketplace: String, CaseIterable, Sendable, Codable {
    case shopee
    case lazada
    case tiki
    case tiktok
    case google
    case jsonld

    /// The seller centres that take an xlsx bulk-upload workbook.
    var isSpreadsheet: Bool { ![.google, .jsonld].contains(self) }
}

public struct ExportOptions: Sendable {
    /// `output/exports`: each platform gets a folder in it.
    public var folder: URL
    public var producer: String?
    /// Stock = issued, unrevoked stamps, instead of the catalog's stock column.
    public var stockFromStamps: Bool
    /// The resolver of traceability links (as stamps use).
    public var resolver: String
    /// Google feed as RSS 2.0 XML instead of TSV.
    public var googleXML: Bool
    /// A shop's category ids (`catalogs/category-mapping.json` by default), over the shipped ones.
    public var categoryMapping: URL?
    public var today: CalendarDate

    public init(folder: URL = URL(fileURLWithPath: "output/exports"), producer: String? = nil, stockFromStamps: Bool = false,
                resolver: String = IssueOptions.defaultResolver, googleXML: Bool = false,
                categoryMapping: URL? = URL(fileURLWithPath: "catalogs/category-mapping.json"), today: CalendarDate = .today()) {
        self.folder = folder
        self.producer = producer
        self.stockFromStamps = stockFromStamps
        self.resolver = resolver
        self.googleXML = googleXML
        self.categoryMapping = categoryMapping
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
    public var reasons: [String]
}

public struct ExportReport: Sendable, Codable {
    public var platform: String
    public var file: String
    public var report: String
    public var listed: Int
    public var rejected: Int
    public var findings: [ExportFinding]
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
    var product: ProductListing
    var ocop: OCOPRecognition?
    var category: String?
}

/// Exports the registry's products as marketplace listings, checked against each platform's rules.
public struct ListingExporter: Sendable {
    public let registry: Registry
    public let options: ExportOptions

    public init(registry: Registry, options: ExportOptions) {
        self.registry = registry
        self.options = options
    }

    public func export(_ marketplaces: [Marketplace]) throws -> [ExportReport] {
        let products = try ProductListing.fetch(from: registry, producer: options.producer)
        let stampStock = options.stockFromStamps ? try issuedStampsByProduct() : [:]
        let categories = try MarketplaceRules.categories(override: options.categoryMapping)
        return try marketplaces.map { marketplace in
            let rules = try MarketplaceRules.shipped(marketplace.rawValue)
            let folder = options.folder.appendingPathComponent(marketplace.rawValue)
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            var findings: [ExportFinding] = []
            var accepted: [Listing] = []
            let codeCounts = Dictionary(products.map { ($0.code, 1) }, uniquingKeysWith: +)
            for product in products {
                var reasons: [String] = []
                var rejected = false
                var listing = try makeListing(product, rules: rules, stock: options.stockFromStamps ? stampStock[product.id] ?? 0 : product.stock,
                                              uniqueCode: codeCounts[product.code] == 1, folder: folder, marketplace: marketplace,
                                              reasons: &reasons, rejected: &rejected)
                if marketplace.isSpreadsheet {
                    let mapping = categories[marketplace.rawValue] ?? [:]
                    listing.category = mapping["product:" + product.code] ?? product.ocopGroup.flatMap { mapping["group:\($0)"] }
                    if listing.category == nil, rules.requiresCategory {
                        let group = product.ocopGroup.flatMap(OCOPGroup.init(rawValue:)).map { "OCOP group \($0.rawValue) (\($0.vietnameseName))" } ?? "no OCOP group"
                        reasons.append("no \(rules.name) category: add a leaf category id for \"group:\(product.ocopGroup.map(String.init) ?? "?")\" (\(group)) or \"product:\(product.code)\" to catalogs/category-mapping.json")
                        rejected = true
                    }
                }
                findings.append(ExportFinding(platform: marketplace.rawValue, product: product.code, producer: product.producer,
                                              status: rejected ? .rejected : reasons.isEmpty ? .ok : .warning, reasons: reasons))
                if !rejected { accepted.append(listing) }
            }
            let file: URL
            switch marketplace {
            case .shopee, .lazada, .tiki, .tiktok:
                file = folder.appendingPathComponent("\(marketplace.rawValue)-upload.xlsx")
                try SellerCentreWorkbook.write(accepted, rules: rules, to: file)
            case .google:
                file = folder.appendingPathComponent(options.googleXML ? "products.xml" : "products.tsv")
                try (options.googleXML ? GoogleFeed.xml(accepted) : GoogleFeed.tsv(accepted)).write(to: file, atomically: true, encoding: .utf8)
            case .jsonld:
                // One Product per line: a file per product cost more in file creation than the
                // rest of the export on ext4.
                file = folder.appendingPathComponent("products.jsonl")
                var data = Data()
                for listing in accepted { data.append(try JSONLD.product(listing, today: options.today)) }
                try data.write(to: file)
            }
            let reportFile = folder.appendingPathComponent("report.csv")
            var csv = "platform,product,producer,status,reasons\n"
            for finding in findings {
                csv += [finding.platform, finding.product, finding.producer, finding.status.rawValue, finding.reasons.joined(separator: "; ")]
                    .map(CSVText.field).joined(separator: ",") + "\n"
            }
            try csv.write(to: reportFile, atomically: true, encoding: .utf8)
            return ExportReport(platform: marketplace.rawValue, file: InputFiles.displayPath(file), report: InputFiles.displayPath(reportFile),
                                listed: accepted.count, rejected: findings.filter { $0.status == .rejected }.count, findings: findings)
        }
    }

    private func makeListing(_ product: ProductListing, rules: MarketplaceRules, stock: Int?, uniqueCode: Bool, folder: URL,
                             marketplace: Marketplace, reasons: inout [String], rejected: inout Bool) throws -> Listing {
        func reject(_ reason: String) { reasons.append(reason); rejected = true }
        let ocop = product.ocop.flatMap { $0.isValid(on: options.today) ? $0 : nil }
        let link = options.resolver + (product.gtin.map { "/01/" + $0 } ?? "/p/" + StampURL.percentEncoded(product.code))
        let minimum = rules.title.min ?? 1
        let maximum = rules.title.max ?? 255
        let title = ListingText.title(name: product.name, unit: product.unit, stars: ocop?.stars, producer: product.producer,
                                      province: product.province, minimum: minimum, maximum: maximum)
        if title.count < minimum { reject("title \(title.count) characters, \(rules.name) needs at least \(minimum)") }
        if let warnMin = rules.title.warnMin, title.count < warnMin, title.count >= minimum {
            reasons.append("title \(title.count) characters; \(rules.name) recommends at least \(warnMin)")
        }
        if product.name.count > maximum { reasons.append("name \(product.name.count) characters, shortened to \(title.count) between words (\(rules.name) allows \(maximum))") }

        var footer: [String] = []
        if let ocop {
            var line = "Sản phẩm OCOP \(ocop.stars) sao"
            if let decision = ocop.decision { line += ", Quyết định \(decision)" }
            if let date = ocop.recognizedOn { line += ", công nhận ngày \(date.vietnamese)" }
            footer.append(line + ".")
        }
        let address = [product.commune, product.district, product.province].compactMap { $0 }.joined(separator: ", ")
        footer.append("Chủ thể: \(product.producer), \(address).")
        footer.append("Xuất xứ: \(product.province), Việt Nam.")
        footer.append("Truy xuất nguồn gốc: \(link)")
        let description = ListingText.description(body: product.description ?? "", footer: footer, maximum: rules.description.max ?? 5000)
        if let min = rules.description.min, description.count < min { reject("description \(description.count) characters, \(rules.name) needs \(min)") }

        var images: [String] = []
        for image in product.images {
            if image.hasPrefix("http://") || image.hasPrefix("https://") { images.append(image); continue }
            guard FileManager.default.fileExists(atPath: image) else { reasons.append("image \(image) does not exist; left out"); continue }
            if marketplace == .google { reasons.append("image \(image) is a local file; Google needs an http(s) URL; left out"); continue }
            let imagesFolder = folder.appendingPathComponent("images")
            try FileManager.default.createDirectory(at: imagesFolder, withIntermediateDirectories: true)
            let copy = imagesFolder.appendingPathComponent(URL(fileURLWithPath: image).lastPathComponent)
            if !FileManager.default.fileExists(atPath: copy.path) { try FileManager.default.copyItem(atPath: image, toPath: copy.path) }
            images.append("images/" + copy.lastPathComponent)
        }
        if let max = rules.images.max, images.count > max {
            reasons.append("\(images.count) images, \(rules.name) takes \(max); the first \(max) are used")
            images = Array(images.prefix(max))
        }
        if let min = rules.images.min, images.count < min { reject("no image: \(rules.name) needs at least \(min)") }
        if rules.requiresWeight, product.weightGrams == nil { reject("no weight: \(rules.name) needs the package weight") }
        if marketplace.isSpreadsheet, let maximum = rules.description.max, description.count > maximum {
            reject("description \(description.count) characters, \(rules.name) allows \(maximum)")
        }
        if let min = rules.price.min, product.priceVND < min { reject("price \(product.priceVND) VND is under \(min)") }
        if let max = rules.price.max, product.priceVND > max { reject("price \(product.priceVND) VND is over \(max)") }
        var id = uniqueCode ? product.code : "\(product.code)-\(product.id)"
        if let idMax = rules.idMax, id.count > idMax {
            id = String(id.prefix(idMax))
            reasons.append("id shortened to \(idMax) characters")
        }
        if product.ocop != nil, ocop == nil { reasons.append("OCOP recognition not valid on \(options.today.iso): the rating is left out") }
        return Listing(id: id, title: title, description: description, link: link, images: images, priceVND: product.priceVND,
                       stock: stock, product: product, ocop: ocop)
    }

    private func issuedStampsByProduct() throws -> [Int64: Int] {
        try registry.read { db in
            var counts: [Int64: Int] = [:]
            for row in try Row.fetchAll(db, sql: """
                SELECT b.product_id, COUNT(*) AS count FROM stamps s JOIN stamp_batches b ON b.id = s.batch_id
                LEFT JOIN revocations r ON r.stamp_id = s.id WHERE b.status = 'issued' AND r.stamp_id IS NULL GROUP BY b.product_id
                """) {
                counts[row["product_id"]] = row["count"]
            }
            return counts
        }
    }
}
