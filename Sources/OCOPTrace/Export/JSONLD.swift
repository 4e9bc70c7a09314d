import Foundation

/// schema.org `Product` in JSON-LD, for product pages.
enum JSONLD {
    static func product(_ listing: Listing, today: CalendarDate) throws -> Data {
        let product = listing.product
        var object: [String: Any] = [
            "@context": "https://schema.org",
            "@type": "Product",
            "name": listing.title,
            "description": listing.description,
            "sku": product.code,
            "url": listing.link,
            "countryOfOrigin": ["@type": "Country", "name": "VN"],
            "brand": ["@type": "Brand", "name": product.producer],
            "offers": [
                "@type": "Offer",
                "price": listing.priceVND,
                "priceCurrency": "VND",
                "availability": (listing.stock ?? 1) > 0 ? "https://schema.org/InStock" : "https://schema.org/OutOfStock",
            ] as [String: Any],
        ]
        if !listing.images.isEmpty { object["image"] = listing.images }
        if let gtin = product.gtin, let parsed = try? GTIN(parsing: gtin) {
            let short = parsed.shortForm
            object[short.count == 13 ? "gtin13" : short.count == 8 ? "gtin8" : short.count == 12 ? "gtin12" : "gtin14"] = short
        }
        var address: [String: Any] = ["@type": "PostalAddress", "addressRegion": product.province, "addressCountry": "VN"]
        if let commune = product.commune { address["streetAddress"] = commune }
        if let district = product.district { address["addressLocality"] = district }
        var manufacturer: [String: Any] = ["@type": "Organization", "name": product.producer, "address": address]
        if let taxID = product.taxID { manufacturer["taxID"] = taxID }
        object["manufacturer"] = manufacturer
        if let ocop = listing.ocop {
            object["award"] = "OCOP \(ocop.stars) sao"
            var certification: [String: Any] = [
                "@type": "Certification",
                "name": "OCOP",
                "certificationRating": ["@type": "Rating", "ratingValue": ocop.stars, "bestRating": 5, "worstRating": 3],
            ]
            if let decision = ocop.decision { certification["certificationIdentification"] = decision }
            if let from = ocop.recognizedOn { certification["validFrom"] = from.iso }
            if let until = ocop.expiresOn { certification["expires"] = until.iso }
            object["hasCertification"] = certification
        }
        return try JSONSerialization.data(withJSONObject: object, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])
    }
}
