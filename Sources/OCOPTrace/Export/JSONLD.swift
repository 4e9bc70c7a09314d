import Foundation

/// schema.org `Product` in JSON-LD, one compact document a line (`products.jsonl`), for product
/// pages. Written directly, keys in a fixed order (JSONSerialization with sorted keys cost more
/// than everything else in an export); one file, as a file per product cost more in file creation
/// than the whole export on ext4.
final class JSONLD: ListingSink {
    private let file: AtomicFileWriter

    init(url: URL) throws {
        file = try AtomicFileWriter(url)
    }

    func add(_ listing: Listing) throws {
        try file.write(Self.product(listing))
    }

    func finish() throws -> [URL] {
        try file.commit()
        return [file.url]
    }

    static func product(_ listing: Listing) -> [UInt8] {
        let product = listing.product
        var out = JSONBytes()
        out.raw("{\"@context\": \"https://schema.org\", \"@type\": \"Product\", \"name\": "); out.string(listing.title)
        out.raw(", \"description\": "); out.string(listing.description)
        out.raw(", \"sku\": "); out.string(product.code)
        if let gtin = listing.gtin {
            let short = gtin.shortForm
            let key = short.count == 13 ? "gtin13" : short.count == 8 ? "gtin8" : short.count == 12 ? "gtin12" : "gtin14"
            out.raw(", \""); out.raw(key); out.raw("\": "); out.string(short)
        }
        out.raw(", \"url\": "); out.string(listing.link)
        // The resolver link of a product with a GTIN is its GS1 Digital Link URI (/01/{GTIN-14}).
        if product.gtin != nil { out.raw(", \"hasGS1DigitalLink\": "); out.string(listing.link) }
        if let kind = listing.kind { out.raw(", \"category\": "); out.string(kind.name) }
        if !listing.images.isEmpty { out.raw(", \"image\": "); out.strings(listing.images) }
        out.raw(", \"brand\": {\"@type\": \"Brand\", \"name\": "); out.string(product.producer); out.raw("}")
        out.raw(", \"manufacturer\": {\"@type\": \"Organization\", \"name\": "); out.string(product.producer)
        if let taxID = product.taxID { out.raw(", \"taxID\": "); out.string(taxID) }
        if let gln = product.gln { out.raw(", \"globalLocationNumber\": "); out.string(gln.digits) }
        out.raw(", \"address\": {\"@type\": \"PostalAddress\"")
        if let commune = product.commune { out.raw(", \"streetAddress\": "); out.string(commune) }
        if let district = product.district { out.raw(", \"addressLocality\": "); out.string(district) }
        out.raw(", \"addressRegion\": "); out.string(product.province)
        out.raw(", \"addressCountry\": \"VN\"}}")
        out.raw(", \"countryOfOrigin\": {\"@type\": \"Country\", \"name\": \"VN\"}")
        out.raw(", \"offers\": {\"@type\": \"Offer\", \"price\": "); out.raw(String(listing.priceVND))
        out.raw(", \"priceCurrency\": \"VND\", \"availability\": ")
        out.string((listing.stock ?? 1) > 0 ? "https://schema.org/InStock" : "https://schema.org/OutOfStock")
        out.raw("}")
        if let ocop = listing.ocop {
            out.raw(", \"award\": "); out.string("OCOP \(ocop.stars) sao")
            out.raw(", \"hasCertification\": {\"@type\": \"Certification\", \"name\": \"OCOP\"")
            out.raw(", \"certificationRating\": {\"@type\": \"Rating\", \"ratingValue\": "); out.raw(String(ocop.stars))
            out.raw(", \"bestRating\": 5, \"worstRating\": 3}")
            if let decision = ocop.decision { out.raw(", \"certificationIdentification\": "); out.string(decision) }
            if let from = ocop.recognizedOn { out.raw(", \"validFrom\": "); out.string(from.iso) }
            if let until = ocop.expiresOn { out.raw(", \"expires\": "); out.string(until.iso) }
            out.raw("}")
        }
        out.raw("}\n")
        return out.bytes
    }
}
