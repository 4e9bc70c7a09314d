import OCOPTrace

/// The links of one request, as an RFC 9264 linkset that validates against GS1's linkset schema:
/// full IRIs as relation keys (the schema refuses the CURIE `gs1:pip`), `itemDescription` on every
/// entry, `hreflang` as arrays. One entry per registered level of the request (serial, lot, GTIN),
/// each with its own anchor (resolver rule 4).
struct Linkset {
    let baseURL: String
    let link: DigitalLinkPath
    let entry: ResolverDirectory.Entry
    /// The request's query without `linkType`, which the page needs (dates, signature).
    let pageQuery: String?

    static let vocabulary = "https://gs1.org/voc/"

    /// The default link's target: our verification page for the request's own path. It is the
    /// same template at every level, so a serial the registry does not know is reported as such
    /// on the page, never shown as the genuine product.
    var pageURL: String { baseURL + "/v" + link.text }

    var certificationURL: String? {
        guard let ocop = entry.ocop, ocop.isValid(on: .todayInVietnam()) else { return nil }
        return baseURL + "/ocop/01/" + entry.gtin.digits
    }

    /// The target of `gs1:traceability` at a level with a lot: the item's (or the lot's) EPCIS events.
    func traceabilityURL(lot: String, serial: String?) -> String {
        baseURL + "/epcis/01/" + entry.gtin.digits + "/10/" + StampURL.percentEncoded(lot) + (serial.map { "/21/" + StampURL.percentEncoded($0) } ?? "")
    }

    /// The request's Digital Link URI, the linkset's pointer.
    var requestAnchor: String { baseURL + link.text }

    /// `pip` for `gs1:pip`, `https://gs1.org/voc/pip` or `https://ref.gs1.org/voc/pip`; nil for a
    /// link type outside GS1's vocabulary (none of ours).
    static func relation(of linkType: String) -> String? {
        for prefix in ["gs1:", "https://gs1.org/voc/", "http://gs1.org/voc/", "https://ref.gs1.org/voc/", "http://ref.gs1.org/voc/"]
        where linkType.hasPrefix(prefix) {
            return String(linkType.dropFirst(prefix.count))
        }
        return nil
    }

    func json() -> String {
        var out = JSONBytes()
        let href = pageURL + (pageQuery.map { "?" + $0 } ?? "")
        var levels: [(anchor: String, description: String, isProduct: Bool, events: String?)] = []
        let gtinAnchor = baseURL + "/01/" + entry.gtin.digits
        if let serial = link.serial, entry.serialRegistered {
            levels.append((gtinAnchor + "/21/" + StampURL.percentEncoded(serial), "\(entry.productName) — tem \(serial)", false,
                           link.lot.map { traceabilityURL(lot: $0, serial: serial) }))
        }
        if let lot = link.lot, entry.lotRegistered {
            levels.append((gtinAnchor + "/10/" + StampURL.percentEncoded(lot), "\(entry.productName) — lô \(lot)", false,
                           traceabilityURL(lot: lot, serial: nil)))
        }
        levels.append((gtinAnchor, "\(entry.productName) — \(entry.producer), \(entry.province)", true, nil))
        out.raw("{\"linkset\":[")
        for (index, level) in levels.enumerated() {
            if index > 0 { out.raw(",") }
            out.raw("{\"anchor\":"); out.string(level.anchor)
            out.raw(",\"itemDescription\":"); out.string(level.description)
            // The default link carries href and title only (resolver 1.2, §5.12).
            out.raw(",\"\(Linkset.vocabulary)defaultLink\":[{\"href\":"); out.string(href)
            out.raw(",\"title\":"); out.string("Xác thực tem và truy xuất nguồn gốc: \(entry.productName)"); out.raw("}]")
            out.raw(",\"\(Linkset.vocabulary)pip\":[{\"href\":"); out.string(href)
            out.raw(",\"title\":"); out.string("Thông tin sản phẩm và xác thực tem: \(entry.productName)")
            out.raw(",\"type\":\"text/html\",\"hreflang\":[\"vi\",\"en\"]}]")
            if let events = level.events {
                out.raw(",\"\(Linkset.vocabulary)traceability\":[{\"href\":"); out.string(events)
                out.raw(",\"title\":"); out.string("Hành trình sản phẩm (sự kiện EPCIS): \(entry.productName)")
                out.raw(",\"type\":\"application/ld+json\"}]")
            }
            if level.isProduct, let certificationURL, let ocop = entry.ocop {
                out.raw(",\"\(Linkset.vocabulary)certificationInfo\":[{\"href\":"); out.string(certificationURL)
                out.raw(",\"title\":"); out.string("Chứng nhận OCOP \(ocop.stars) sao")
                out.raw(",\"type\":\"text/html\",\"hreflang\":[\"vi\",\"en\"]}]")
            }
            out.raw("}")
        }
        out.raw("]}")
        return out.text
    }
}

/// The OCOP recognition of a product, the target of `gs1:certificationInfo`.
struct CertificationPage {
    let entry: ResolverDirectory.Entry
    let ocop: OCOPRecognition
    let language: Language

    func render() -> String {
        let vi = language == .vi
        let valid = ocop.isValid(on: .todayInVietnam())
        var html = HTML()
        html.raw("<!doctype html><html lang=\"\(language.rawValue)\"><head><meta charset=\"utf-8\">")
        html.raw("<meta name=\"viewport\" content=\"width=device-width,initial-scale=1\"><title>OCOP · ")
        html.escaped(entry.productName)
        html.raw("</title><style>\(VerificationPage.style)</style></head><body><main><section class=\"card\"><h2>")
        html.escaped(entry.productName)
        html.raw("</h2><dl><dt>OCOP</dt><dd><span class=\"stars\">\(String(repeating: "★", count: ocop.stars))</span> \(ocop.stars) \(PageText.stars(language))</dd>")
        html.row(PageText.certificateProducer(language), entry.producer + ", " + entry.province)
        html.row(PageText.certificateDecision(language), ocop.decision)
        html.row(PageText.recognisedOn(language), vi ? ocop.recognizedOn?.vietnamese : ocop.recognizedOn?.iso)
        html.row(PageText.validUntil(language), vi ? ocop.expiresOn?.vietnamese : ocop.expiresOn?.iso)
        html.row(PageText.today(language), valid ? PageText.valid(language) : PageText.notValid(language))
        html.raw("</dl></section></main></body></html>")
        return html.text
    }
}
