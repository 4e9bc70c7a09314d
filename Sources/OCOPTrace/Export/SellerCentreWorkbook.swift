import Foundation

/// A seller centre's bulk-upload workbook: the field names, a required/optional row and an
/// instructions row above the data, as the platforms' templates lay them out. A platform that takes
/// a limited number of products per upload gets as many workbooks as it needs:
/// `tiktok-upload-1.xlsx`, `tiktok-upload-2.xlsx`, ...; otherwise one, `shopee-upload.xlsx`.
final class SellerCentreWorkbook: ListingSink {
    /// Rows above the data.
    static let headerRows = 3

    private let folder: URL
    private let baseName: String
    private let template: MarketplaceRules.Template
    /// Finished workbooks (in hidden temporary files until `finish`), and the one being written.
    private var finished: [String] = []
    private var book: XLSXWorkbook?
    private var bookPath = ""
    private var rowsInBook = 0

    init(folder: URL, platform: String, rules: MarketplaceRules) throws {
        guard let template = rules.template else { throw MarketplaceRules.RulesError.invalid(rules.platform, "no template") }
        self.folder = folder
        self.template = template
        baseName = "\(platform)-upload"
        try startBook()
    }

    deinit {
        book = nil
        for path in finished + [bookPath] { unlink(path) }
    }

    private func startBook() throws {
        bookPath = folder.appendingPathComponent(".\(baseName)-\(finished.count + 1)-\(getpid())-\(UUID().uuidString).part.xlsx").path
        let book = try XLSXWorkbook(path: bookPath, sheetName: template.sheet)
        // Row by row, left to right: the order libxlsxwriter's constant-memory mode needs.
        for (column, field) in template.columns.enumerated() { book.write(row: 0, column: column, field.header, bold: true) }
        for (column, field) in template.columns.enumerated() { book.write(row: 1, column: column, field.required ? "Bắt buộc" : "Tùy chọn") }
        book.write(row: 2, column: 0, template.instructions)
        self.book = book
        rowsInBook = 0
    }

    func add(_ listing: Listing) throws {
        if let maxRows = template.maxRows, rowsInBook == maxRows {
            try book?.close()
            finished.append(bookPath)
            try startBook()
        }
        guard let book else { return }
        let row = Self.headerRows + rowsInBook
        for (column, field) in template.columns.enumerated() {
            switch Self.value(of: field.field, in: listing) {
            case .text(let text): book.write(row: row, column: column, text)
            case .number(let number): book.write(row: row, column: column, number)
            case .none: continue
            }
        }
        rowsInBook += 1
    }

    func finish() throws -> [URL] {
        try book?.close()
        book = nil
        let paths = finished + [bookPath]
        finished = []
        bookPath = ""
        let names = paths.count == 1 ? ["\(baseName).xlsx"] : paths.indices.map { "\(baseName)-\($0 + 1).xlsx" }
        // Workbooks of an earlier, larger export would read as part of this one.
        let stale = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        for name in stale where name.hasPrefix(baseName + "-") && name.hasSuffix(".xlsx") && !names.contains(name) {
            unlink(folder.appendingPathComponent(name).path)
        }
        var urls: [URL] = []
        for (path, name) in zip(paths, names) {
            let url = folder.appendingPathComponent(name)
            guard rename(path, url.path) == 0 else { throw FileWriteError(path: url.path, reason: String(cString: strerror(errno))) }
            urls.append(url)
        }
        if names.count > 1 { unlink(folder.appendingPathComponent("\(baseName).xlsx").path) }
        return urls
    }

    enum Cell {
        case text(String)
        case number(Double)
    }

    static func value(of field: String, in listing: Listing) -> Cell? {
        let product = listing.product
        switch field {
        case "category": return listing.category.map(Cell.text)
        case "title": return .text(listing.title)
        case "description": return .text(listing.description)
        case "sku": return .text(listing.id)
        case "brand": return .text(listing.brand)
        case "origin": return .text("Việt Nam")
        case "gtin": return listing.gtin.map { .text($0.shortForm) }
        case "price": return .number(Double(listing.priceVND))
        case "stock": return .number(Double(listing.stock ?? 0))
        case "weight_g": return product.weightGrams.map { .number(Double($0)) }
        case "weight_kg": return product.weightGrams.map { .number(Double($0) / 1000) }
        case "length_cm": return product.lengthCm.map(Cell.number)
        case "width_cm": return product.widthCm.map(Cell.number)
        case "height_cm": return product.heightCm.map(Cell.number)
        default:
            if field.hasPrefix("image_"), let index = Int(field.dropFirst(6)), index >= 1, index <= listing.images.count {
                return .text(listing.images[index - 1])
            }
            return nil
        }
    }
}
