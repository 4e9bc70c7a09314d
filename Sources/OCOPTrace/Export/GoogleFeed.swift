/// Google Merchant Center product data: tab-separated, or RSS 2.0 with the `g:` namespace.
enum GoogleFeed {
    static let columns = ["id", "title", "description", "link", "image_link", "additional_image_link", "availability", "price", "brand",
                          "gtin", "identifier_exists", "condition", "shipping_weight", "product_type"]

    static func fields(_ listing: Listing) -> [String: String] {
        var fields: [String: String] = [
            "id": listing.id, "title": listing.title, "description": listing.description, "link": listing.link,
            "image_link": listing.images.first ?? "", "additional_image_link": listing.images.dropFirst().joined(separator: ","),
            "availability": (listing.stock ?? 1) > 0 ? "in_stock" : "out_of_stock", "price": "\(listing.priceVND) VND",
            "brand": listing.product.producer, "condition": "new",
            "shipping_weight": listing.product.weightGrams.map { "\($0) g" } ?? "",
            "product_type": listing.product.ocopGroup.flatMap(OCOPGroup.init(rawValue:)).map { "OCOP > \($0.vietnameseName)" } ?? "",
        ]
        if let gtin = listing.product.gtin {
            fields["gtin"] = (try? GTIN(parsing: gtin))?.shortForm ?? gtin
            fields["identifier_exists"] = "yes"
        } else {
            fields["gtin"] = ""
            fields["identifier_exists"] = "no"
        }
        return fields
    }

    /// TSV: tabs and line breaks inside values become spaces, as the format has no quoting.
    static func tsv(_ listings: [Listing]) -> String {
        func clean(_ value: String) -> String {
            guard value.utf8.contains(where: { $0 == 0x09 || $0 == 0x0A || $0 == 0x0D }) else { return value }
            return String(value.unicodeScalars.map { $0 == "\t" || $0 == "\n" || $0 == "\r" ? " " : Character($0) })
        }
        var lines = [columns.joined(separator: "\t")]
        lines.reserveCapacity(listings.count + 1)
        for listing in listings {
            let values = fields(listing)
            lines.append(columns.map { clean(values[$0] ?? "") }.joined(separator: "\t"))
        }
        return lines.joined(separator: "\n") + "\n"
    }

    static func xml(_ listings: [Listing]) -> String {
        func escape(_ text: String) -> String {
            text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
                .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
        }
        var out = """
            <?xml version="1.0" encoding="UTF-8"?>
            <rss version="2.0" xmlns:g="http://base.google.com/ns/1.0">
            <channel>
            <title>OCOP products</title>
            <link>\(escape(IssueOptions.defaultResolver))</link>
            <description>Listings exported by ocoptrace</description>

            """
        for listing in listings {
            let values = fields(listing)
            out += "<item>\n"
            for column in columns {
                if column == "additional_image_link" {
                    for image in listing.images.dropFirst() { out += "<g:additional_image_link>\(escape(image))</g:additional_image_link>\n" }
                    continue
                }
                guard let value = values[column], !value.isEmpty else { continue }
                out += "<g:\(column)>\(escape(value))</g:\(column)>\n"
            }
            out += "</item>\n"
        }
        return out + "</channel>\n</rss>\n"
    }
}
