import Foundation

/// A seller centre's bulk-upload workbook: the field names, a required/optional row and an
/// instructions row above the data, as the platforms' templates lay them out.
enum SellerCentreWorkbook {
    /// Rows above the data.
    static let headerRows = 3

    static func write(_ listings: [Listing], rules: MarketplaceRules, to url: URL) throws {
        guard let template = rules.template else { throw MarketplaceRules.RulesError.invalid(rules.platform, "no template") }
        let book = try XLSXWorkbook(path: url.path, sheetName: template.sheet)
        // Row by row, left to right: the order libxlsxwriter's streaming mode needs.
        for (column, field) in template.columns.enumerated() { book.write(row: 0, column: column, field.header, bold: true) }
        for (column, field) in template.columns.enumerated() { book.write(row: 1, column: column, field.required ? "Bắt buộc" : "Tùy chọn") }
        book.write(row: 2, column: 0, template.instructions)
        for (index, listing) in listings.enumerated() {
            let row = headerRows + index
            for (column, field) in template.columns.enumerated() {
                switch value(of: field.field, in: listing) {
                case .text(let text): book.write(row: row, column: column, text)
                case .number(let number): book.write(row: row, column: column, number)
                case .none: continue
                }
            }
        }
        try book.close()
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
        case "brand": return .text(product.producer)
        case "origin": return .text("Việt Nam")
        case "gtin": return product.gtin.map { .text((try? GTIN(parsing: $0))?.shortForm ?? $0) }
        case "price": return .number(Double(listing.priceVND))
        case "stock": return .number(Double(listing.stock ?? 0))
        case "weight_g": return product.weightGrams.map { .number(Double($0)) }
        case "weight_kg": return product.weightGrams.map { .number(Double($0) / 1000) }
        default:
            if field.hasPrefix("image_"), let index = Int(field.dropFirst(6)), index >= 1, index <= listing.images.count {
                return .text(listing.images[index - 1])
            }
            return nil
        }
    }
}
