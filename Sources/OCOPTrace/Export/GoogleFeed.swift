import Foundation

/// Google Merchant Center product data: tab-separated, or RSS 2.0 with the `g:` namespace,
/// written a listing at a time.
final class GoogleFeed: ListingSink {
    static let columns = ["id", "title", "description", "link", "image_link", "additional_image_link", "availability", "price", "brand",
                          "gtin", "identifier_exists", "condition", "shipping_weight", "google_product_category", "product_type"]

    private let file: AtomicFileWriter
    private let xml: Bool

    init(url: URL, xml: Bool, channelLink: String) throws {
        file = try AtomicFileWriter(url)
        self.xml = xml
        if xml {
            try file.write("""
                <?xml version="1.0" encoding="UTF-8"?>
                <rss version="2.0" xmlns:g="http://base.google.com/ns/1.0">
                <channel>
                <title>OCOP products</title>
                <link>\(Self.escape(channelLink))</link>
                <description>Listings exported by ocoptrace</description>

                """)
        } else {
            try file.write(Self.columns.joined(separator: "\t") + "\n")
        }
    }

    static func fields(_ listing: Listing) -> [String: String] {
        let product = listing.product
        var productType = ["OCOP"]
        if let group = product.ocopGroup { productType.append(group.vietnameseName) }
        if let kind = listing.kind { productType.append(kind.name) }
        var fields: [String: String] = [
            "id": listing.id, "title": listing.title, "description": listing.description, "link": listing.link,
            "image_link": listing.images.first ?? "", "additional_image_link": listing.images.dropFirst().joined(separator: ","),
            "availability": (listing.stock ?? 1) > 0 ? "in_stock" : "out_of_stock", "price": "\(listing.priceVND) VND",
            "brand": listing.brand, "condition": "new",
            "shipping_weight": product.weightGrams.map { "\($0) g" } ?? "",
            "google_product_category": listing.category ?? "",
            "product_type": productType.count > 1 ? productType.joined(separator: " > ") : "",
        ]
        if let gtin = listing.gtin {
            fields["gtin"] = gtin.shortForm
            fields["identifier_exists"] = "yes"
        } else {
            fields["gtin"] = ""
            fields["identifier_exists"] = "no"
        }
        return fields
    }

    func add(_ listing: Listing) throws {
        let values = Self.fields(listing)
        if !xml {
            // TSV has no quoting: tabs and line breaks inside values become spaces.
            try file.write(Self.columns.map { Self.tsvClean(values[$0] ?? "") }.joined(separator: "\t") + "\n")
            return
        }
        var item = "<item>\n"
        for column in Self.columns {
            if column == "additional_image_link" {
                for image in listing.images.dropFirst() { item += "<g:additional_image_link>\(Self.escape(image))</g:additional_image_link>\n" }
                continue
            }
            guard let value = values[column], !value.isEmpty else { continue }
            item += "<g:\(column)>\(Self.escape(value))</g:\(column)>\n"
        }
        try file.write(item + "</item>\n")
    }

    func finish() throws -> [URL] {
        if xml { try file.write("</channel>\n</rss>\n") }
        try file.commit()
        return [file.url]
    }

    private static func tsvClean(_ value: String) -> String {
        guard value.utf8.contains(where: { $0 == 0x09 || $0 == 0x0A || $0 == 0x0D }) else { return value }
        return String(decoding: value.utf8.map { $0 == 0x09 || $0 == 0x0A || $0 == 0x0D ? 0x20 : $0 }, as: UTF8.self)
    }

    private static func escape(_ text: String) -> String {
        guard text.utf8.contains(where: { $0 == UInt8(ascii: "&") || $0 == UInt8(ascii: "<") || $0 == UInt8(ascii: ">") || $0 == UInt8(ascii: "\"") })
        else { return text }
        // By code unit (.literal): a `<` followed by a combining accent is still a `<` to an XML parser.
        return text.replacingOccurrences(of: "&", with: "&amp;", options: .literal).replacingOccurrences(of: "<", with: "&lt;", options: .literal)
            .replacingOccurrences(of: ">", with: "&gt;", options: .literal).replacingOccurrences(of: "\"", with: "&quot;", options: .literal)
    }
}
