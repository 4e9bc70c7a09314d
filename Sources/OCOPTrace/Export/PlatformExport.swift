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
    private let forbiddenTitleWords: KeywordIndex<Void>?
    /// The platform's category tree (imported, else shipped); nil where ocoptrace knows none (Google).
    private let tree: CategoryTree?
    /// Local images already looked at, by path: a shared picture is read and copied once.
    private var checkedImages: [String: CheckedImage] = [:]

    init(marketplace: Marketplace, rules: MarketplaceRules, context: ExportContext) throws {
        self.marketplace = marketplace
        self.rules = rules
        self.context = context
        tree = context.trees[marketplace] ?? nil
        forbiddenTitleWords = rules.forbiddenInTitle.map { forbidden in KeywordIndex(forbidden.words.map { ($0, ()) }) }
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
        let header = context.options.language == .vi ? "sàn,mã sản phẩm,chủ thể,kết quả,ngành hàng,lý do" : "platform,product,producer,status,category,reasons"
        try report.write("\u{FEFF}" + header + "\n")
    }

    /// `package`: the package words to add to the title, if any (`ListingText.packageWorthAdding`).
    func add(_ product: StoredProduct, kind: ProductKind?, package: String?) throws {
        var judgement = Judgement()
        let listing = try makeListing(product, kind: kind, package: package, judgement: &judgement)
        let status: ExportFinding.Status = judgement.rejected ? .rejected : judgement.reasons.isEmpty ? .ok : .warning
        switch status {
        case .ok: listed += 1
        case .warning: listed += 1; warnings += 1
        case .rejected: rejected += 1
        }
        let language = context.options.language
        let finding = ExportFinding(platform: marketplace.rawValue, product: product.code, producer: product.producer, status: status,
                                    category: listing.categoryShown, reasons: judgement.reasons.map { $0.text(language) }, codes: judgement.reasons.map(\.code))
        try report.write([finding.platform, finding.product, finding.producer, Self.statusText(status, language), finding.category ?? "", finding.reasons.joined(separator: "; ")]
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

    private static func statusText(_ status: ExportFinding.Status, _ language: Language) -> String {
        guard language == .vi else { return status.rawValue }
        switch status {
        case .ok: return "đạt"
        case .warning: return "cảnh báo"
        case .rejected: return "bị loại"
        }
    }

    private struct Judgement {
        var reasons: [ExportReason] = []
        var rejected = false

        mutating func warn(_ reason: ExportReason) { reasons.append(reason) }
        mutating func reject(_ reason: ExportReason) { reasons.append(reason); rejected = true }
    }

    private func makeListing(_ product: StoredProduct, kind: ProductKind?, package: String?, judgement: inout Judgement) throws -> Listing {
        let options = context.options
        let ocop = product.ocop.flatMap { $0.isValid(on: options.today) ? $0 : nil }
        let link = options.resolver + (product.gtin.map { "/01/" + $0.digits } ?? "/p/" + StampURL.percentEncoded(product.code))

        let minimum = rules.title.min ?? 1
        let maximum = rules.title.max ?? 255
        let title = ListingText.title(name: product.name, unit: package, stars: ocop?.stars, producer: product.producer,
                                      province: product.province, minimum: minimum, maximum: maximum)
        let titleLength = title.count
        if titleLength < minimum { judgement.reject(.titleTooShort(titleLength, platform: rules.name, minimum: minimum)) }
        if let warnMin = rules.title.warnMin, titleLength < warnMin, titleLength >= minimum {
            judgement.warn(.titleShort(titleLength, platform: rules.name, recommended: warnMin))
        }
        if let forbidden = rules.forbiddenInTitle, let match = forbiddenTitleWords?.firstMatch(in: title) {
            judgement.reject(.forbiddenWord(match.keyword, platform: rules.name, what: forbidden.reason, whatVietnamese: forbidden.reasonVietnamese))
        }
        if product.name.exceeds(characters: maximum) {
            judgement.warn(.nameShortened(product.name.count, to: titleLength, platform: rules.name, maximum: maximum))
        }

        var footer: [String] = []
        if let ocop {
            var line = "Sản phẩm OCOP \(ocop.stars) sao"
            if let decision = ocop.decision { line += ", Quyết định \(decision)" }
            if let date = ocop.recognizedOn { line += ", công nhận ngày \(date.vietnamese)" }
            footer.append(line + ".")
        }
        footer.append("Chủ thể: \(product.producer), \(product.address).")
        footer.append("Xuất xứ: \(product.province), Việt Nam.")
        footer.append("Truy xuất nguồn gốc: \(link)")
        let description = ListingText.description(body: product.description ?? "", footer: footer, maximum: rules.description.max ?? 5000)
        if let min = rules.description.min, description.isShorter(thanCharacters: min) {
            judgement.reject(.descriptionTooShort(description.count, platform: rules.name, minimum: min))
        }
        if let maximum = rules.description.max, description.exceeds(characters: maximum) {
            judgement.reject(.descriptionTooLong(description.count, platform: rules.name, maximum: maximum))
        }
        if let minWords = rules.description.warnMinWords {
            let words = description.wordCount
            if words < minWords { judgement.warn(.descriptionFewWords(words, platform: rules.name, recommended: minWords)) }
        }

        let images = try checkImages(product.images, judgement: &judgement)
        if let min = rules.images.min, images.count < min {
            judgement.reject(.noImage(platform: rules.name, minimum: min, hadImages: !product.images.isEmpty))
        }
        if rules.requiresWeight, product.weightGrams == nil { judgement.reject(.noWeight(platform: rules.name)) }
        if rules.requiresDimensions == true, product.lengthCm == nil || product.widthCm == nil || product.heightCm == nil {
            judgement.reject(.noPackageSize(platform: rules.name))
        }
        if let min = rules.price.min, product.priceVND < min { judgement.reject(.priceTooLow(product.priceVND, minimum: min)) }
        if let max = rules.price.max, product.priceVND > max { judgement.reject(.priceTooHigh(product.priceVND, maximum: max)) }

        var id = context.sharedCodes.contains(product.code) ? "\(product.code)-\(product.id)" : product.code
        if let idMax = rules.idMax, id.count > idMax {
            id = String(id.prefix(idMax))
            judgement.warn(.idShortened(to: idMax))
        }
        if product.ocop != nil, ocop == nil { judgement.warn(.ocopNotValid(on: options.today)) }

        let category = checkCategory(product, kind: kind, judgement: &judgement)

        var gtin = product.gtin
        if let refused = gtin, let use = refused.restrictedUse, rules.refusesRestrictedGTINs == true {
            judgement.warn(.gtinRefused(refused, because: use, platform: rules.name))
            gtin = nil
        }
        let stock = options.stockFromStamps ? context.stampStock[product.id] ?? 0 : product.stock
        if stock == nil, marketplace.isSpreadsheet { judgement.warn(.noStock()) }
        return Listing(id: id, title: title, description: description, link: link, images: images, priceVND: product.priceVND,
                       stock: stock, product: product, brand: rules.brand ?? product.producer, gtin: gtin, kind: kind, ocop: ocop, category: category?.id,
                       categoryShown: category?.described)
    }

    /// The product's category on this platform, judged: a low-confidence id is listed with a warning,
    /// an id the tree does not know with a warning (trees change), an id with children or no id at
    /// all is refused. `described`: the category as the report shows it, `id (path)`.
    private func checkCategory(_ product: StoredProduct, kind: ProductKind?, judgement: inout Judgement) -> (id: String, described: String)? {
        let match = context.categories.category(platform: marketplace, productCode: product.code, kind: kind, group: product.ocopGroup)
        guard let match, let id = match.id else {
            if rules.requiresCategory {
                let keys = CategoryMapping.keys(productCode: product.code, kind: kind, group: product.ocopGroup)
                let parent = match?.parent.flatMap { tree?.node($0) }
                judgement.reject(.noCategory(platform: marketplace, name: rules.name, kind: kind, group: product.ocopGroup,
                                             keys: match.map { [$0.key] } ?? keys, parent: parent,
                                             search: parent?.name ?? kind?.name ?? product.name))
            }
            return nil
        }
        guard let tree else { return (id, match.path.map { "\(id) (\($0))" } ?? id) }
        guard let node = tree.node(id) else {
            judgement.warn(.categoryNotInTree(id, key: match.key, platform: rules.name, tree: tree.source))
            return (id, match.path.map { "\(id) (\($0))" } ?? id)
        }
        if tree.hasChildren(node) {
            judgement.reject(.categoryNotLeaf(node, key: match.key, platform: rules.name, children: tree.leaves(under: id)))
        } else if match.confidence == .low {
            judgement.warn(.categoryLowConfidence(node.described, platform: rules.name))
        }
        return (id, node.described)
    }

    // MARK: Images

    /// A local image file as this platform sees it: what it is, why it is unusable, or where its copy is.
    private struct CheckedImage {
        var file: ImageFile?
        var problem: ExportReason?
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
            if let problem = checked.problem { judgement.warn(problem.leftOut()); continue }
            if let file = checked.file, let recommended = rules.images.recommendedSidePx, min(file.width, file.height) < recommended {
                judgement.warn(.imageBelowRecommended(source, file, platform: rules.name, recommendedSide: recommended))
            }
            usable.append((checked.copy ?? source, checked.file, source))
        }
        while let cover = usable.first, let file = cover.file, let problem = coverShapeProblem(cover.source, file) {
            judgement.warn(problem.notCover())
            usable.removeFirst()
        }
        if let max = rules.images.max, usable.count > max {
            judgement.warn(.tooManyImages(usable.count, platform: rules.name, maximum: max))
            usable = Array(usable.prefix(max))
        }
        return usable.map(\.reference)
    }

    private func coverShapeProblem(_ path: String, _ file: ImageFile) -> ExportReason? {
        let aspect = Double(file.width) / Double(file.height)
        if let low = rules.images.coverAspectMin, aspect < low { return .coverTooNarrow(path, file, platform: rules.name, ratio: Self.ratio(low)) }
        if let high = rules.images.coverAspectMax, aspect > high { return .coverTooWide(path, file, platform: rules.name, ratio: Self.ratio(high)) }
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
        guard FileManager.default.fileExists(atPath: path) else { return CheckedImage(problem: .imageMissing(path)) }
        let data: Data
        do { data = try Data(contentsOf: URL(fileURLWithPath: path)) } catch {
            return CheckedImage(problem: .imageUnreadable(path, (error as NSError).localizedDescription))
        }
        let file: ImageFile
        do { file = try ImageFile.inspect(data, path: path) } catch ImageFile.ReadError.unsupported {
            return CheckedImage(problem: .imageNotJPEGOrPNG(path))
        } catch {
            return CheckedImage(problem: .imageDamaged(path, "\(error)"))
        }
        let limits = rules.images
        if let formats = limits.formats, !formats.contains(file.format) {
            return CheckedImage(file: file, problem: .imageFormat(path, file.format, platform: rules.name, takes: formats))
        }
        if let minSide = limits.minSidePx, min(file.width, file.height) < minSide {
            return CheckedImage(file: file, problem: .imageTooSmall(path, file, platform: rules.name, minimumSide: minSide))
        }
        if let maxSide = limits.maxSidePx, max(file.width, file.height) > maxSide {
            return CheckedImage(file: file, problem: .imageTooLarge(path, file, platform: rules.name, maximumSide: maxSide))
        }
        if let maxBytes = limits.maxBytes, file.bytes > maxBytes {
            return CheckedImage(file: file, problem: .imageTooHeavy(path, file, platform: rules.name, maximumBytes: maxBytes))
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
            return CheckedImage(file: file, problem: .imageNeedsURL(path, platform: rules.name))
        }
        return CheckedImage(file: file, copy: "images/" + name)
    }
}
