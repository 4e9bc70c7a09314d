import Crypto
import Foundation
import OCOPTrace

/// The page a shopper sees after scanning a stamp: the verdict first, large, with colour and an
/// icon; then what Vietnamese traceability rules ask a trace page to show. One HTML response with
/// its style inline (no script, font or stylesheet to fetch), readable at 360 px, well under 30 KB.
struct VerificationPage {
    let page: StampPage
    let language: Language
    /// The page's own path and query, for the language switch.
    let pathAndQuery: String
    let baseURL: String

    /// The page's only style sheet; the Content-Security-Policy allows exactly this text by its hash.
    static let style = """
        *{box-sizing:border-box}body{margin:0;font:16px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans",sans-serif;\
        color:#1d1d1f;background:#f4f4f2}main{max-width:640px;margin:0 auto;padding:12px}\
        .verdict{border-radius:12px;padding:16px;color:#fff;display:flex;gap:14px;align-items:center}\
        .verdict .icon{flex:none;width:56px;height:56px;border-radius:50%;background:rgba(255,255,255,.22);font-size:34px;\
        line-height:56px;text-align:center;font-weight:700}.verdict h1{margin:0;font-size:30px;line-height:1.15}\
        .verdict p{margin:4px 0 0;font-size:15px}.genuine{background:#1b7a36}.warn{background:#a64f00}.bad{background:#b3261e}.info{background:#2d5b8a}\
        .alert{margin:12px 0;padding:12px 14px;border-radius:10px;background:#fff4d6;border:2px solid #c98a00}\
        .alert strong{display:block;font-size:18px}.card{background:#fff;border-radius:12px;padding:14px;margin:12px 0}\
        .card h2{margin:0 0 8px;font-size:21px;overflow-wrap:anywhere}img{max-width:100%;max-height:240px;object-fit:contain;border-radius:8px;display:block;margin:0 auto 10px}\
        dl{margin:0;display:grid;grid-template-columns:minmax(92px,34%) 1fr;gap:6px 10px}dt{color:#5c5c60}\
        dd{margin:0;overflow-wrap:anywhere}.stars{color:#c27c00;letter-spacing:1px}.ok{color:#1b7a36}.no{color:#b3261e}\
        footer{font-size:14px;color:#5c5c60;padding:8px 2px 24px}footer a{color:#0b57d0}\
        .journey h2{font-size:19px}.journey ol{margin:0;padding:0 0 0 18px}.journey li{margin:0 0 8px}\
        .journey li span{display:block;color:#5c5c60;font-size:14px;overflow-wrap:anywhere}\
        .pin form{display:flex;gap:8px;flex-wrap:wrap;margin-top:8px}.pin input{flex:1 1 10em;font:22px ui-monospace,monospace;\
        letter-spacing:2px;padding:8px;border:2px solid #5c5c60;border-radius:8px;text-transform:uppercase}\
        .pin button{font-size:18px;padding:8px 18px;border:0;border-radius:8px;background:#2d5b8a;color:#fff}
        """

    static let styleHash: String = "sha256-" + Data(SHA256.hash(data: Data(style.utf8))).base64EncodedString()

    /// Allows nothing but the inline style above and images over HTTPS: no script can run, even
    /// if some text escaped escaping.
    static let contentSecurityPolicy =
        "default-src 'none'; style-src '\(styleHash)'; img-src https: data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"

    /// The policy of a PIN stamp's page: the same, but its one form may post to this server.
    static let pinFormPolicy = contentSecurityPolicy.replacingOccurrences(of: "form-action 'none'", with: "form-action 'self'")

    /// Whether the page shows the PIN form (and so needs ``pinFormPolicy``).
    var showsPINForm: Bool { page.hasPIN && ScratchPINCheck.checks(page.result) }

    private func text(_ words: Bilingual) -> String { words(language) }

    private func date(_ iso: String?) -> String? {
        guard let iso else { return nil }
        guard language == .vi, let parsed = CalendarDate(parsing: iso) else { return iso }
        return parsed.vietnamese
    }

    private func time(_ stored: String) -> String {
        Timestamp.vietnamese(stored) + text(PageText.vietnamTimeZone)
    }

    /// The page, section by section: the head, the verdict, its warnings, the stamp's card, the footer.
    func render() -> String {
        var html = HTML()
        head(&html)
        verdict(&html)
        warnings(&html)
        pin(&html)
        card(&html)
        journey(&html)
        footer(&html)
        return html.text
    }

    private func head(_ html: inout HTML) {
        html.raw("<!doctype html><html lang=\"\(language.rawValue)\"><head><meta charset=\"utf-8\">")
        html.raw("<meta name=\"viewport\" content=\"width=device-width,initial-scale=1\"><meta name=\"robots\" content=\"noindex\">")
        html.raw("<title>")
        html.escaped(page.result.status.title(language) + (page.product.map { " · " + $0.name } ?? "") + " · OCOP")
        html.raw("</title><style>\(VerificationPage.style)</style>")
        if let product = page.product { html.raw("<script type=\"application/ld+json\">" + jsonLD(product) + "</script>") }
        html.raw("</head><body><main>")
    }

    /// The verdict, large, with its colour and icon.
    private func verdict(_ html: inout HTML) {
        let result = page.result
        let (tone, icon) = switch result.status {
        case .genuine: ("genuine", "✔")
        case .revoked, .pending: ("warn", "!")
        case .unknown, .forged, .malformed: ("bad", "✘")
        }
        html.raw("<section class=\"verdict \(tone)\" id=\"verdict\" data-status=\"\(result.status.rawValue)\"><div class=\"icon\" aria-hidden=\"true\">\(icon)</div><div><h1>")
        html.escaped(result.status.title(language))
        html.raw("</h1><p>")
        html.escaped(result.explanation.text(language))
        html.raw("</p></div></section>")
    }

    /// A suspected copy, then the verdict's other notes.
    private func warnings(_ html: inout HTML) {
        let result = page.result
        if result.suspectedClone, let scans = result.scans {
            html.raw("<div class=\"alert\" role=\"alert\"><strong>⚠ ")
            html.escaped(text(PageText.copyWarning))
            html.raw("</strong>")
            html.escaped(text(PageText.copyExplanation(scans: scans.count, firstAt: scans.firstAt.map(time))))
            html.raw("</div>")
        }
        for note in result.notes where note.code != "suspected-copy" {
            html.raw("<div class=\"alert\"><strong>⚠ ")
            html.escaped(note.text(language))
            html.raw("</strong></div>")
        }
    }

    /// A PIN stamp's answer to a PIN, or when it was activated (seen before scratching), and the form.
    private func pin(_ html: inout HTML) {
        guard page.hasPIN || page.result.pin != nil else { return }
        html.raw("<section class=\"card pin\" id=\"pin\"><h2>")
        html.escaped(text(PageText.pinTitle))
        html.raw("</h2>")
        if let outcome = page.result.pin {
            html.raw("<p class=\"\(outcome.state == .activated ? "ok" : "no")\" id=\"pin-answer\" data-state=\"\(outcome.state.rawValue)\"><strong>")
            html.escaped(VerificationReason.pin(outcome).text(language))
            html.raw("</strong></p>")
        } else if let activatedAt = page.activatedAt {
            html.raw("<p class=\"no\" id=\"pin-activated\"><strong>")
            html.escaped(VerificationReason.activatedOn(activatedAt, province: page.activatedProvince).text(language))
            html.raw("</strong></p>")
        }
        if showsPINForm, page.result.pin?.state != .activated {
            html.raw("<p>")
            html.escaped(text(PageText.pinHelp))
            html.raw("</p><form method=\"post\" action=\"")
            html.escaped(pathAndQuery)
            html.raw("\"><input name=\"pin\" aria-label=\"PIN\" autocomplete=\"off\" autocapitalize=\"characters\" spellcheck=\"false\" maxlength=\"20\" required><button type=\"submit\">")
            html.escaped(text(PageText.pinSubmit))
            html.raw("</button></form>")
        }
        html.raw("</section>")
    }

    /// The product (or the stamp alone) and what the rules ask a trace page to show.
    private func card(_ html: inout HTML) {
        html.raw("<section class=\"card\">")
        if let product = page.product {
            html.productImage(product.images, name: product.name)
            html.raw("<h2>")
            html.escaped(product.name)
            html.raw("</h2>")
        } else {
            html.raw("<h2>")
            html.escaped(text(PageText.theStamp))
            html.raw("</h2>")
        }
        html.raw("<dl>")
        if let product = page.product { productRows(product, &html) }
        stampRows(&html)
        html.raw("</dl>")
        if page.product == nil, page.result.status != .genuine {
            html.raw("<p>")
            html.escaped(text(PageText.doNotRely))
            html.raw("</p>")
        }
        html.raw("</section>")
    }

    private func productRows(_ product: StoredProduct, _ html: inout HTML) {
        html.row(text(PageText.producer), [product.producerType.map { text(PageText.producerType($0)) }, product.producer]
            .compactMap { $0 }.joined(separator: ": "))
        html.row(text(PageText.address), [product.commune, product.district, product.province].compactMap { $0 }.filter { !$0.isEmpty }.joined(separator: ", "))
        html.row(text(PageText.origin), product.province + ", " + text(PageText.vietNam))
        html.row(text(PageText.taxID), product.taxID)
        if let ocop = page.result.ocop { ocopRow(ocop, decision: product.ocopDecision, &html) }
        html.row(text(PageText.package), product.unit)
        html.row("GTIN", product.gtin?.digits)
    }

    /// The stars, whether the recognition is valid today, and its decision.
    private func ocopRow(_ ocop: VerificationResult.OCOP, decision: String?, _ html: inout HTML) {
        html.raw("<dt>OCOP</dt><dd><span class=\"stars\" aria-label=\"\(ocop.stars) \(text(PageText.stars))\">")
        html.raw(String(repeating: "★", count: ocop.stars))
        html.raw("</span> \(ocop.stars) \(text(PageText.stars)) · ")
        html.raw(ocop.valid ? "<span class=\"ok\">" : "<span class=\"no\">")
        html.escaped(ocop.valid ? text(PageText.valid) + (date(ocop.validUntil).map { text(PageText.until) + $0 } ?? "")
                                : text(PageText.notValidToday) + (date(ocop.validUntil).map { text(PageText.ended) + $0 + ")" } ?? ""))
        html.raw("</span>")
        if let decision {
            html.raw("<br>")
            html.escaped(text(PageText.decision) + decision + (date(ocop.recognizedOn).map { text(PageText.dated) + $0 } ?? ""))
        }
        html.raw("</dd>")
    }

    /// The lot and dates (only beside a product), the stamp, its scans and its signature.
    private func stampRows(_ html: inout HTML) {
        let result = page.result
        html.row(text(PageText.lot), page.product == nil ? nil : result.lot)
        html.row(text(PageText.produced), page.product == nil ? nil : date(result.producedOn))
        if page.product != nil, let expires = date(result.expiresOn) {
            html.row(text(PageText.expires), expires + (result.productExpired ? text(PageText.expired) : ""), result.productExpired ? "no" : nil)
        }
        html.row(text(PageText.stampID), result.stampID)
        // A scan kept for a retry: the count is unavailable, and the note above says so.
        if let scans = result.scans, scans.count > 0, page.durability != .deferred {
            html.row(text(PageText.scans), text(PageText.scanNumber(scans.count))
                + (scans.firstAt.map { text(PageText.firstOn) + time($0) } ?? ""))
        }
        if result.signature != .unsigned {
            let (words, css): (Bilingual, String?) = switch result.signature {
            case .valid: (PageText.signatureValid, "ok")
            case .invalid: (PageText.signatureInvalid, "no")
            default: (PageText.signatureUnchecked, nil)
            }
            html.row(text(PageText.signature), text(words), css)
        }
    }

    /// The lot's stages and the item's other events, oldest first: each with its name, date,
    /// place (name, commune, province; a shipment's receiver), and actor and standard where given.
    /// The most journey entries a page shows: the oldest half (where the product comes from) and
    /// the latest half (where it has been since), so that a lot with a long diary or many partners'
    /// events keeps the page small; `verify --json`, the JSON answer and the `gs1:traceability`
    /// document carry them all.
    static let journeyShown = 24

    private func journey(_ html: inout HTML) {
        let entries = page.result.journey
        guard page.product != nil, !entries.isEmpty else { return }
        html.raw("<section class=\"card journey\" id=\"journey\"><h2>")
        html.escaped(text(PageText.journey))
        html.raw("</h2><ol>")
        let half = Self.journeyShown / 2
        let left = entries.count > Self.journeyShown ? entries.count - 2 * half : 0
        for (index, entry) in entries.enumerated() {
            if left > 0, index >= half, index < entries.count - half {
                if index == half {
                    html.raw("<li class=\"more\">")
                    html.escaped(text(PageText.journeyMore(left)))
                    html.raw("</li>")
                }
                continue
            }
            html.raw("<li><strong>")
            html.escaped(entry.stageName(in: language))
            html.raw("</strong> · ")
            html.escaped(when(entry))
            let place = [entry.place, entry.commune, entry.province].compactMap { $0 }.filter { !$0.isEmpty }
            if !place.isEmpty || entry.gln != nil {
                html.raw("<span>")
                html.escaped(place.isEmpty ? "GLN " + (entry.gln ?? "") : place.joined(separator: ", "))
                html.raw("</span>")
            }
            if let to = entry.to {
                html.raw("<span>")
                html.escaped(text(PageText.journeyTo) + to)
                html.raw("</span>")
            }
            if let actor = entry.actor {
                html.raw("<span>")
                html.escaped(text(PageText.journeyBy) + actor)
                html.raw("</span>")
            }
            if let standard = entry.standard {
                html.raw("<span>")
                html.escaped(text(PageText.journeyStandard) + standard)
                html.raw("</span>")
            }
            html.raw("</li>")
        }
        html.raw("</ol></section>")
    }

    /// An entry's date (and local time, when the diary gave one) in the page's language, cut from
    /// its `at` (`2026-11-19T06:30:00+07:00`, or the date alone) rather than parsed: a page may
    /// show twenty of them.
    private func when(_ entry: Journey.Entry) -> String {
        let at = entry.at
        let isoDay = String(at.prefix(10))
        let day = language == .vi ? (CalendarDate(parsing: isoDay)?.vietnamese ?? isoDay) : isoDay
        guard at.utf8.count > 16 else { return day }
        let clock = String(at.dropFirst(11).prefix(5))
        return day + " " + clock + (at.hasSuffix("+07:00") ? "" : " (UTC" + String(at.suffix(6)) + ")")
    }

    /// The page in the other language, and when and against what the stamp was checked.
    private func footer(_ html: inout HTML) {
        let result = page.result
        let other: Language = language == .vi ? .en : .vi
        html.raw("<footer><a href=\"")
        html.escaped(VerificationPage.withLanguage(pathAndQuery, other))
        html.raw("\" hreflang=\"\(other.rawValue)\" lang=\"\(other.rawValue)\">\(PageText.languageName(other))</a> · ")
        html.escaped(text(PageText.checked(on: date(result.checkedOn) ?? result.checkedOn)))
        html.raw("</footer></main></body></html>")
    }

    /// The same path and query with `lang` set.
    static func withLanguage(_ pathAndQuery: String, _ language: Language) -> String {
        let parts = pathAndQuery.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false)
        var query = parts.count > 1 ? parts[1].split(separator: "&").filter { !$0.hasPrefix("lang=") && $0 != "lang" }.map(String.init) : []
        query.append("lang=" + language.rawValue)
        return String(parts[0]) + "?" + query.joined(separator: "&")
    }

    /// schema.org `Product`, escaped for a `<script>` data block.
    private func jsonLD(_ product: StoredProduct) -> String {
        var out = JSONBytes()
        out.htmlSafe = true
        out.raw("{\"@context\":\"https://schema.org\",\"@type\":\"Product\",\"name\":"); out.string(product.name)
        out.raw(",\"sku\":"); out.string(product.code)
        if let gtin = product.gtin {
            out.raw(",\"gtin14\":"); out.string(gtin.digits)
            out.raw(",\"hasGS1DigitalLink\":"); out.string(baseURL + "/01/" + gtin.digits)
        }
        if let description = product.description { out.raw(",\"description\":"); out.string(description) }
        let images = product.images.filter { $0.hasPrefix("https://") || $0.hasPrefix("http://") }
        if !images.isEmpty { out.raw(",\"image\":"); out.strings(images) }
        out.raw(",\"brand\":{\"@type\":\"Brand\",\"name\":"); out.string(product.producer); out.raw("}")
        out.raw(",\"manufacturer\":{\"@type\":\"Organization\",\"name\":"); out.string(product.producer)
        out.raw(",\"address\":{\"@type\":\"PostalAddress\",\"addressRegion\":"); out.string(product.province)
        if let district = product.district { out.raw(",\"addressLocality\":"); out.string(district) }
        out.raw(",\"addressCountry\":\"VN\"}}")
        out.raw(",\"countryOfOrigin\":{\"@type\":\"Country\",\"name\":\"VN\"}")
        if let ocop = page.result.ocop, ocop.valid {
            out.raw(",\"award\":"); out.string("OCOP \(ocop.stars) sao")
        }
        if let produced = page.result.producedOn { out.raw(",\"productionDate\":"); out.string(produced) }
        if let serial = page.result.serial { out.raw(",\"serialNumber\":"); out.string(serial) }
        out.raw("}")
        return out.text
    }
}

extension Language {
    /// The page's language: `?lang=` when given, else the first of vi or en in `Accept-Language`
    /// by its q-value (`vi-VN` counts as `vi`), else Vietnamese.
    static func negotiate(query: String?, acceptLanguage: String?) -> Language {
        if let query, let language = Language(rawValue: query.lowercased().prefix(2).description) { return language }
        guard let acceptLanguage else { return .vi }
        // No Foundation trimming here: every page negotiates, and CharacterSet costs more than the rest.
        var best: (language: Language, quality: Double)?
        for item in acceptLanguage.split(separator: ",") {
            let parts = item.split(separator: ";")
            guard let tag = parts.first,
                  let language = Language(rawValue: String(tag).trimmed.prefix { $0 != "-" }.lowercased()) else { continue }
            var quality = 1.0
            for parameter in parts.dropFirst() {
                let pair = String(parameter).trimmed
                if pair.hasPrefix("q="), let value = Double(pair.dropFirst(2)) { quality = value }
            }
            // Earlier entries win ties, as browsers list them by preference.
            if quality > 0, best == nil || quality > best!.quality { best = (language, quality) }
        }
        return best?.language ?? .vi
    }
}

/// What a GTIN-level link shows: the product, and a note that only a stamp can be verified.
struct ProductInformationPage {
    let product: StoredProduct
    let language: Language
    let pathAndQuery: String

    func render() -> String {
        let other: Language = language == .vi ? .en : .vi
        var html = HTML()
        html.raw("<!doctype html><html lang=\"\(language.rawValue)\"><head><meta charset=\"utf-8\">")
        html.raw("<meta name=\"viewport\" content=\"width=device-width,initial-scale=1\"><title>")
        html.escaped(product.name)
        html.raw("</title><style>\(VerificationPage.style)</style></head><body><main>")
        html.raw("<section class=\"verdict info\" id=\"verdict\" data-status=\"product\"><div class=\"icon\" aria-hidden=\"true\">i</div><div><h1>")
        html.escaped(PageText.productInformation(language))
        html.raw("</h1><p>")
        html.escaped(PageText.productNote(language))
        html.raw("</p></div></section><section class=\"card\">")
        html.productImage(product.images, name: product.name)
        html.raw("<h2>"); html.escaped(product.name); html.raw("</h2><dl>")
        html.row(PageText.producer(language), product.producer)
        html.row(PageText.address(language), product.address)
        html.row(PageText.origin(language), product.province + ", " + PageText.vietNam(language))
        html.row("OCOP", product.ocop.map { ocop in
            "\(String(repeating: "★", count: ocop.stars)) \(ocop.stars) \(PageText.stars(language)) · "
                + (ocop.isValid(on: .todayInVietnam()) ? PageText.valid(language) : PageText.productNotValid(language))
        })
        html.row(PageText.package(language), product.unit)
        html.row("GTIN", product.gtin?.digits)
        html.raw("</dl></section><footer><a href=\"")
        html.escaped(VerificationPage.withLanguage(pathAndQuery, other))
        html.raw("\">\(PageText.languageName(other))</a></footer></main></body></html>")
        return html.text
    }
}
