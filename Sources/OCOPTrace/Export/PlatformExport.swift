import Crypto
import Foundation

/// One platform's export in progress: each product is made a listing within the platform's rules,
/// judged (ok, warning, rejected with reasons), written to the report, and to the upload file when
/// accepted. Used by one thread.
final class PlatformExport {
    let marketplace: Marketplace
    let rules: MarketplaceRules
    private let context: ExportContext
    private let folder: URL
    private let sink: any ListingSink
    private let report: AtomicFileWriter
    private var listed = 0
    private var warnings = 0
    private var rejected = 0
    private let forbiddenTitleWords: KeywordIndex<String>?
    /// Local images already looked at, by path: a shared picture is read and copied once.
    private var checkedImages: [String: CheckedImage] = [:]

    init(marketplace: Marketplace, rules: MarketplaceRules, context: ExportContext) throws {
        self.marketplace = marketplace
        self.rules = rules
        self.context = context
        forbiddenTitleWords = rules.forbiddenInTitle.map { forbidden in KeywordIndex(forbidden.words.map { ($0, forbidden.reason) }) }
        folder = context.options.folder.appendingPathComponent(marketplace.rawValue)
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        switch marketplace {
        case .shopee, .lazada, .tiki, .tiktok:
            sink = try SellerCentreWorkbook(folder: folder, platform: marketplace.rawValue, rules: rules)
        case .google:
            sink = try GoogleFeed(url: folder.appendingPathComponent(context.options.googleXML ? "products.xml" : "products.tsv"),
                                  xml: context.options.googleXML, channelLink: context.options.resolver)
        case .jsonld:
            sink = try JSONLD(url: folder.appendingPathComponent("products.jsonl"))
        }
        report = try AtomicFileWriter(folder.appendingPathComponent("report.csv"))
        // A UTF-8 BOM: uploaders open the report in Excel, which reads a CSV without one as ANSI.
        try report.write("\u{FEFF}platform,product,producer,status,reasons\n")
    }

    func add(_ product: ProductListing, kind: ProductKind?) throws {
        var judgement = Judgement()
        let listing = try makeListing(product, kind: kind, judgement: &judgement)
        let status: ExportFinding.Status = judgement.rejected ? .rejected : judgement.reasons.isEmpty ? .ok : .warning
        switch status {
        case .ok: listed += 1
        case .warning: listed += 1; warnings += 1
        case .rejected: rejected += 1
        }
        let finding = ExportFinding(platform: marketplace.rawValue, product: product.code, producer: product.producer,
                                    status: status, reasons: judgement.reasons)
        try report.write([finding.platform, finding.product, finding.producer, status.rawValue, finding.reasons.joined(separator: "; ")]
            .map(CSVText.field).joined(separator: ",") + "\n")
        context.relay.send(finding)
        if status != .rejected { try sink.add(listing) }
    }

    func finish() throws -> ExportReport {
        let files = try sink.finish()
        try report.commit()
        return ExportReport(platform: marketplace.rawValue, files: files.map(InputFiles.displayPath), report: InputFiles.displayPath(report.url),
                            listed: listed, warnings: warnings, rejected: rejected)
    }

    private struct Judgement {
        var reasons: [String] = []
        var rejected = false

        mutating func warn(_ reason: String) { reasons.append(reason) }
        mutating func reject(_ reason: String) { reasons.append(reason); rejected = true }
    }

    private func makeListing(_ product: ProductListing, kind: ProductKind?, judgement: inout Judgement) throws -> Listing {
        let options = context.options
        let ocop = product.ocop.flatMap { $0.isValid(on: options.today) ? $0 : nil }
        let link = options.resolver + (product.gtin.map { "/01/" + $0 } ?? "/p/" + StampURL.percentEncoded(product.code))

        let minimum = rules.title.min ?? 1
        let maximum = rules.title.max ?? 255
        let title = ListingText.title(name: product.name, unit: product.unit, stars: ocop?.stars, producer: product.producer,
                                      province: product.province, minimum: minimum, maximum: maximum)
        if title.count < minimum { judgement.reject("title \(title.count) characters, \(rules.name) needs at least \(minimum)") }
        if let warnMin = rules.title.warnMin, title.count < warnMin, title.count >= minimum {
            judgement.warn("title \(title.count) characters; \(rules.name) recommends at least \(warnMin)")
        }
        if let forbidden = forbiddenTitleWords, let match = forbidden.firstMatch(in: title) {
            judgement.reject("title carries \"\(match.keyword)\": \(rules.name) does not allow \(match.value) in names")
        }
        if product.name.count > maximum {
            judgement.warn("name \(product.name.count) characters, shortened to \(title.count) between words (\(rules.name) allows \(maximum))")
        }

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
        if let min = rules.description.min, description.count < min {
            judgement.reject("description \(description.count) characters, \(rules.name) needs \(min)")
        }
        if let maximum = rules.description.max, description.count > maximum {
            judgement.reject("description \(description.count) characters, \(rules.name) allows \(maximum)")
        }
        if let minWords = rules.description.warnMinWords {
            let words = description.split { $0.isWhitespace }.count
            if words < minWords { judgement.warn("description \(words) words; \(rules.name) recommends at least \(minWords)") }
        }

        let images = try checkImages(product.images, judgement: &judgement)
        if let min = rules.images.min, images.count < min {
            judgement.reject(product.images.isEmpty ? "no image: \(rules.name) needs at least \(min)"
                                                    : "no usable image: \(rules.name) needs at least \(min)")
        }
        if rules.requiresWeight, product.weightGrams == nil { judgement.reject("no weight: \(rules.name) needs the package weight") }
        if rules.requiresDimensions == true, product.lengthCm == nil || product.widthCm == nil || product.heightCm == nil {
            judgement.reject("no package size: \(rules.name) needs the package length, width and height in cm (column \(Column.packageSize.displayName))")
        }
        if let min = rules.price.min, product.priceVND < min { judgement.reject("price \(product.priceVND) VND is under \(min)") }
        if let max = rules.price.max, product.priceVND > max { judgement.reject("price \(product.priceVND) VND is over \(max)") }

        var id = context.sharedCodes.contains(product.code) ? "\(product.code)-\(product.id)" : product.code
        if let idMax = rules.idMax, id.count > idMax {
            id = String(id.prefix(idMax))
            judgement.warn("id shortened to \(idMax) characters")
        }
        if product.ocop != nil, ocop == nil { judgement.warn("OCOP recognition not valid on \(options.today.iso): the rating is left out") }

        let category = context.categories.category(platform: marketplace, productCode: product.code, kind: kind, group: product.ocopGroup)
        if category == nil, rules.requiresCategory {
            let keys = CategoryMapping.keys(productCode: product.code, kind: kind, group: product.ocopGroup).map { "\"\($0)\"" }
            let described = [kind.map { "kind \"\($0.name)\"" }, product.ocopGroup.flatMap(OCOPGroup.init(rawValue:)).map { "OCOP group \($0.rawValue) \($0.vietnameseName)" }]
                .compactMap { $0 }.joined(separator: ", ")
            judgement.reject("no \(rules.name) category\(described.isEmpty ? "" : " for \(described)"): add a leaf category id under \(keys.joined(separator: " or ")) to the category mapping (catalogs/category-mapping.json)")
        }

        var gtin = product.gtin.flatMap { try? GTIN(parsing: $0) }
        if let refused = gtin?.restrictedUse, rules.refusesRestrictedGTINs == true {
            judgement.warn("GTIN \(gtin!.shortForm) is \(refused), which \(rules.name) refuses: listed without a GTIN")
            gtin = nil
        }
        let stock = options.stockFromStamps ? context.stampStock[product.id] ?? 0 : product.stock
        return Listing(id: id, title: title, description: description, link: link, images: images, priceVND: product.priceVND,
                       stock: stock, product: product, brand: rules.brand ?? product.producer, gtin: gtin, kind: kind, ocop: ocop, category: category?.id)
    }

    // MARK: Images

    /// A local image file as this platform sees it: what it is, why it is unusable, or where its copy is.
    private struct CheckedImage {
        var file: ImageFile?
        var problem: String?
        var copy: String?
    }

    /// URLs pass through (their pictures are not fetched); local files are checked against the
    /// platform's image rules and copied into the export folder. Unusable images are left out with
    /// the reason; the first usable image must suit the platform's cover shape, or the next is tried.
    private func checkImages(_ sources: [String], judgement: inout Judgement) throws -> [String] {
        var usable: [(reference: String, file: ImageFile?, source: String)] = []
        for source in sources {
            if source.hasPrefix("http://") || source.hasPrefix("https://") { usable.append((source, nil, source)); continue }
            let checked = try checkLocalImage(source)
            if let problem = checked.problem { judgement.warn(problem + "; left out"); continue }
            if let file = checked.file, let recommended = rules.images.recommendedSidePx, min(file.width, file.height) < recommended {
                judgement.warn("image \(source) is \(file.width)×\(file.height) px; \(rules.name) recommends at least \(recommended)×\(recommended)")
            }
            usable.append((checked.copy ?? source, checked.file, source))
        }
        while let cover = usable.first, let file = cover.file, let problem = coverShapeProblem(file) {
            judgement.warn("image \(cover.source) is \(file.width)×\(file.height) px: \(problem); left out as the cover")
            usable.removeFirst()
        }
        if let max = rules.images.max, usable.count > max {
            judgement.warn("\(usable.count) images, \(rules.name) takes \(max); the first \(max) are used")
            usable = Array(usable.prefix(max))
        }
        return usable.map(\.reference)
    }

    private func coverShapeProblem(_ file: ImageFile) -> String? {
        let aspect = Double(file.width) / Double(file.height)
        if let low = rules.images.coverAspectMin, aspect < low { return "\(rules.name) needs a cover no narrower than \(Self.ratio(low))" }
        if let high = rules.images.coverAspectMax, aspect > high { return "\(rules.name) needs a cover no wider than \(Self.ratio(high))" }
        return nil
    }

    private static func ratio(_ aspect: Double) -> String {
        for height in 1...10 {
            let width = aspect * Double(height)
            if abs(width - width.rounded()) < 0.01 { return "\(Int(width.rounded())):\(height)" }
        }
        return String(format: "%.2f:1", aspect)
    }

    private func checkLocalImage(_ path: String) throws -> CheckedImage {
        if let known = checkedImages[path] { return known }
        let checked = try inspectAndCopy(path)
        checkedImages[path] = checked
        return checked
    }

    private func inspectAndCopy(_ path: String) throws -> CheckedImage {
        guard FileManager.default.fileExists(atPath: path) else { return CheckedImage(problem: "image \(path) does not exist") }
        let data: Data
        do { data = try Data(contentsOf: URL(fileURLWithPath: path)) } catch {
            return CheckedImage(problem: "image \(path) cannot be read: \((error as NSError).localizedDescription)")
        }
        let file: ImageFile
        do { file = try ImageFile.inspect(data, path: path) } catch ImageFile.ReadError.unsupported {
            return CheckedImage(problem: "image \(path) is not a JPEG or PNG file")
        } catch {
            return CheckedImage(problem: "image \(path) is damaged: \(error)")
        }
        let limits = rules.images
        if let formats = limits.formats, !formats.contains(file.format) {
            return CheckedImage(file: file, problem: "image \(path) is \(file.format.rawValue.uppercased()); \(rules.name) takes \(formats.map { $0.rawValue.uppercased() }.joined(separator: " or "))")
        }
        if let minSide = limits.minSidePx, min(file.width, file.height) < minSide {
            return CheckedImage(file: file, problem: "image \(path) is \(file.width)×\(file.height) px; \(rules.name) needs at least \(minSide) px a side")
        }
        if let maxSide = limits.maxSidePx, max(file.width, file.height) > maxSide {
            return CheckedImage(file: file, problem: "image \(path) is \(file.width)×\(file.height) px; \(rules.name) takes at most \(maxSide) px a side")
        }
        if let maxBytes = limits.maxBytes, file.bytes > maxBytes {
            return CheckedImage(file: file, problem: "image \(path) is \(Self.megabytes(file.bytes)); \(rules.name) takes at most \(Self.megabytes(maxBytes))")
        }
        // Named by content: two products' "1.jpg" from different folders stay two files, and one
        // picture used by many products is one file.
        let digest = Digest.hex(SHA256.hash(data: data).prefix(6))
        let name = "\(digest)-\(URL(fileURLWithPath: path).lastPathComponent)"
        let imagesFolder = folder.appendingPathComponent("images")
        let copy = imagesFolder.appendingPathComponent(name)
        if !FileManager.default.fileExists(atPath: copy.path) {
            try FileManager.default.createDirectory(at: imagesFolder, withIntermediateDirectories: true)
            let writer = try AtomicFileWriter(copy)
            try writer.write([UInt8](data))
            try writer.commit()
        }
        if let base = context.options.imageBaseURL {
            return CheckedImage(file: file, copy: (base.hasSuffix("/") ? base : base + "/") + StampURL.percentEncoded(name))
        }
        if rules.images.urlsOnly == true {
            return CheckedImage(file: file, problem: "image \(path) is a local file and \(rules.name) takes image URLs: put the folder images/ online and export with --image-base-url")
        }
        return CheckedImage(file: file, copy: "images/" + name)
    }

    private static func megabytes(_ bytes: Int) -> String {
        String(format: "%.1f MB", Double(bytes) / 1_048_576).replacingOccurrences(of: ".0 MB", with: " MB")
    }
}
