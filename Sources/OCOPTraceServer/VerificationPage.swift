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
        footer{font-size:14px;color:#5c5c60;padding:8px 2px 24px}footer a{color:#0b57d0}
        """

    static let styleHash: String = "sha256-" + Data(SHA256.hash(data: Data(style.utf8))).base64EncodedString()

    /// Allows nothing but the inline style above and images over HTTPS: no script can run, even
    /// if some text escaped escaping.
    static let contentSecurityPolicy =
        "default-src 'none'; style-src '\(styleHash)'; img-src https: data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"

    private func t(_ vietnamese: String, _ english: String) -> String { language == .vi ? vietnamese : english }

    private func date(_ iso: String?) -> String? {
        guard let iso else { return nil }
        guard language == .vi, let parsed = CalendarDate(parsing: iso) else { return iso }
        return parsed.vietnamese
    }

    private func time(_ stored: String) -> String {
        language == .vi ? Timestamp.vietnamese(stored) : Timestamp.vietnamese(stored) + " (UTC+7)"
    }

    func render() -> String {
        let result = page.result
        var html = HTML()
        let title = result.status.title(language)
        html.raw("<!doctype html><html lang=\"\(language.rawValue)\"><head><meta charset=\"utf-8\">")
        html.raw("<meta name=\"viewport\" content=\"width=device-width,initial-scale=1\"><meta name=\"robots\" content=\"noindex\">")
        html.raw("<title>")
        html.escaped(title + (page.product.map { " · " + $0.name } ?? "") + " · OCOP")
        html.raw("</title><style>\(VerificationPage.style)</style>")
        if let product = page.product { html.raw("<script type=\"application/ld+json\">" + jsonLD(product) + "</script>") }
        html.raw("</head><body><main>")

        let (tone, icon) = switch result.status {
        case .genuine: ("genuine", "✔")
        case .revoked, .pending: ("warn", "!")
        case .unknown, .forged, .malformed: ("bad", "✘")
        }
        html.raw("<section class=\"verdict \(tone)\" id=\"verdict\" data-status=\"\(result.status.rawValue)\"><div class=\"icon\" aria-hidden=\"true\">\(icon)</div><div><h1>")
        html.escaped(title)
        html.raw("</h1><p>")
        html.escaped(result.explanation.text(language))
        html.raw("</p></div></section>")

        if result.suspectedClone, let scans = result.scans {
            html.raw("<div class=\"alert\" role=\"alert\"><strong>⚠ ")
            html.escaped(t("Cảnh báo: nghi tem bị sao chép", "Warning: this stamp may be a copy"))
            html.raw("</strong>")
            html.escaped(t("Tem này đã được quét \(scans.count) lần\(scans.firstAt.map { ", lần đầu ngày " + time($0) } ?? ""). Mỗi tem thật chỉ gắn trên một sản phẩm: nếu mã đã bị chụp lại và in sang hàng khác, sản phẩm trong tay bạn có thể là hàng giả. Hãy kiểm tra bao bì, hỏi người bán, và báo cho cơ quan quản lý thị trường nếu nghi ngờ.",
                           "This stamp has been scanned \(scans.count) times\(scans.firstAt.map { ", first on " + time($0) } ?? ""). A genuine stamp sits on one product only: if its code was photographed and printed onto other goods, the product in your hands may be fake. Check the packaging, ask the seller, and tell the market inspectors if in doubt."))
            html.raw("</div>")
        }
        for note in result.notes where note.code != "suspected-copy" {
            html.raw("<div class=\"alert\"><strong>⚠ ")
            html.escaped(note.text(language))
            html.raw("</strong></div>")
        }

        html.raw("<section class=\"card\">")
        if let product = page.product {
            if let image = product.images.first(where: { $0.hasPrefix("https://") || $0.hasPrefix("http://") }) {
                html.raw("<img src=\"")
                html.escaped(image)
                html.raw("\" alt=\"")
                html.escaped(product.name)
                html.raw("\" loading=\"lazy\" referrerpolicy=\"no-referrer\">")
            }
            html.raw("<h2>")
            html.escaped(product.name)
            html.raw("</h2>")
        } else {
            html.raw("<h2>")
            html.escaped(t("Thông tin tem", "The stamp"))
            html.raw("</h2>")
        }
        html.raw("<dl>")
        func row(_ label: String, _ value: String?, _ cssClass: String? = nil) {
            guard let value, !value.isEmpty else { return }
            html.raw("<dt>")
            html.escaped(label)
            html.raw(cssClass.map { "</dt><dd class=\"\($0)\">" } ?? "</dt><dd>")
            html.escaped(value)
            html.raw("</dd>")
        }
        if let product = page.product {
            row(t("Chủ thể sản xuất", "Producer"), [product.producerType.map { t($0.vietnameseName, $0.rawValue.replacingOccurrences(of: "_", with: " ")) }, product.producer]
                .compactMap { $0 }.joined(separator: ": "))
            row(t("Địa chỉ", "Address"), product.address)
            row(t("Xuất xứ", "Origin"), product.province + ", " + t("Việt Nam", "Viet Nam"))
            row(t("Mã số thuế", "Tax ID"), product.taxID)
            if let ocop = result.ocop {
                html.raw("<dt>OCOP</dt><dd><span class=\"stars\" aria-label=\"\(ocop.stars) \(t("sao", "stars"))\">")
                html.raw(String(repeating: "★", count: ocop.stars))
                html.raw("</span> \(ocop.stars) \(t("sao", "stars")) · ")
                html.raw(ocop.valid ? "<span class=\"ok\">" : "<span class=\"no\">")
                html.escaped(ocop.valid ? t("còn hiệu lực", "valid") + (date(ocop.validUntil).map { t(" đến ", " until ") + $0 } ?? "")
                                        : t("hết hiệu lực hôm nay", "not valid today") + (date(ocop.validUntil).map { t(" (hết hạn ", " (ended ") + $0 + ")" } ?? ""))
                html.raw("</span>")
                if let decision = product.ocopDecision {
                    html.raw("<br>")
                    html.escaped(t("Quyết định số ", "Decision ") + decision + (date(ocop.recognizedOn).map { t(" ngày ", " of ") + $0 } ?? ""))
                }
                html.raw("</dd>")
            }
            row(t("Quy cách", "Package"), product.unit)
            row("GTIN", product.gtin?.digits)
        }
        row(t("Lô", "Lot"), page.product == nil ? nil : result.lot)
        row(t("NSX", "Produced"), page.product == nil ? nil : date(result.producedOn))
        if page.product != nil, let expires = date(result.expiresOn) {
            row(t("HSD", "Expires"), expires + (result.productExpired ? t(" (đã hết hạn)", " (expired)") : ""), result.productExpired ? "no" : nil)
        }
        row(t("Mã tem", "Stamp ID"), result.stampID)
        // A scan kept for a retry: the count is unavailable, and the note above says so.
        if let scans = result.scans, scans.count > 0, page.durability != .deferred {
            row(t("Lượt quét", "Scans"), t("Quét lần thứ \(scans.count)", "Scan number \(scans.count)")
                + (scans.firstAt.map { t(", lần đầu ngày ", ", first on ") + time($0) } ?? ""))
        }
        if result.signature != .unsigned {
            let (text, css): (String, String?) = switch result.signature {
            case .valid: (t("hợp lệ", "valid"), "ok")
            case .invalid: (t("không hợp lệ", "does not verify"), "no")
            default: (t("chưa kiểm tra được (không có khóa công khai)", "not checked (no public key for it)"), nil)
            }
            row(t("Chữ ký số", "Signature"), text, css)
        }
        html.raw("</dl>")
        if page.product == nil, result.status != .genuine {
            html.raw("<p>")
            html.escaped(t("Đừng dựa vào thông tin in trên bao bì. Nếu bạn đã mua sản phẩm này, hãy giữ lại hóa đơn và báo cho cơ quan quản lý thị trường.",
                           "Do not rely on what the packaging says. If you bought this product, keep the receipt and tell the market inspectors."))
            html.raw("</p>")
        }
        html.raw("</section><footer>")
        let other: Language = language == .vi ? .en : .vi
        html.raw("<a href=\"")
        html.escaped(VerificationPage.withLanguage(pathAndQuery, other))
        html.raw("\" hreflang=\"\(other.rawValue)\" lang=\"\(other.rawValue)\">\(other == .vi ? "Tiếng Việt" : "English")</a> · ")
        html.escaped(t("Kiểm tra ngày ", "Checked on ") + (date(result.checkedOn) ?? result.checkedOn) + t(" qua sổ đăng ký tem OCOP", " against the OCOP stamp registry"))
        html.raw("</footer></main></body></html>")
        return html.text
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
        let vi = language == .vi
        var html = HTML()
        html.raw("<!doctype html><html lang=\"\(language.rawValue)\"><head><meta charset=\"utf-8\">")
        html.raw("<meta name=\"viewport\" content=\"width=device-width,initial-scale=1\"><title>")
        html.escaped(product.name)
        html.raw("</title><style>\(VerificationPage.style)</style></head><body><main>")
        html.raw("<section class=\"verdict info\" id=\"verdict\" data-status=\"product\"><div class=\"icon\" aria-hidden=\"true\">i</div><div><h1>")
        html.escaped(vi ? "Thông tin sản phẩm" : "Product information")
        html.raw("</h1><p>")
        html.escaped(vi ? "Mã này chỉ định danh sản phẩm, không phải một tem: để xác thực hàng thật, hãy quét tem truy xuất nguồn gốc trên bao bì."
                        : "This code names the product, not one stamp: to check that an item is genuine, scan the traceability stamp on its package.")
        html.raw("</p></div></section><section class=\"card\">")
        if let image = product.images.first(where: { $0.hasPrefix("https://") || $0.hasPrefix("http://") }) {
            html.raw("<img src=\""); html.escaped(image); html.raw("\" alt=\""); html.escaped(product.name)
            html.raw("\" loading=\"lazy\" referrerpolicy=\"no-referrer\">")
        }
        html.raw("<h2>"); html.escaped(product.name); html.raw("</h2><dl>")
        let ocop = product.ocop
        for (label, value) in [(vi ? "Chủ thể sản xuất" : "Producer", product.producer),
                               (vi ? "Địa chỉ" : "Address", product.address),
                               (vi ? "Xuất xứ" : "Origin", product.province + (vi ? ", Việt Nam" : ", Viet Nam")),
                               ("OCOP", ocop.map { "\(String(repeating: "★", count: $0.stars)) \($0.stars) \(vi ? "sao" : "stars") · " + ($0.isValid(on: .todayInVietnam()) ? (vi ? "còn hiệu lực" : "valid") : (vi ? "hết hiệu lực" : "not valid today")) } ?? ""),
                               (vi ? "Quy cách" : "Package", product.unit ?? ""), ("GTIN", product.gtin?.digits ?? "")]
        where !value.isEmpty {
            html.raw("<dt>"); html.escaped(label); html.raw("</dt><dd>"); html.escaped(value); html.raw("</dd>")
        }
        html.raw("</dl></section><footer><a href=\"")
        html.escaped(VerificationPage.withLanguage(pathAndQuery, vi ? .en : .vi))
        html.raw("\">\(vi ? "English" : "Tiếng Việt")</a></footer></main></body></html>")
        return html.text
    }
}
