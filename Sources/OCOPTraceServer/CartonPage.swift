import OCOPTrace

/// The page a scanned carton QR leads to: the carton (its SSCC as printed, packed or opened), what
/// is in it (product, producer, lot, count) and where it went (its shipments and receipts). The
/// verification page's style and policy: no script, everything escaped, one small response.
struct CartonPage {
    let carton: CartonInquiry
    let language: Language

    private func text(_ words: Bilingual) -> String { words(language) }

    private func time(_ stored: String) -> String {
        Timestamp.vietnamese(stored) + text(PageText.vietnamTimeZone)
    }

    func render() -> String {
        var html = HTML()
        html.raw("<!doctype html><html lang=\"\(language.rawValue)\"><head><meta charset=\"utf-8\">")
        html.raw("<meta name=\"viewport\" content=\"width=device-width,initial-scale=1\"><meta name=\"robots\" content=\"noindex\">")
        html.raw("<title>")
        html.escaped(text(PageText.carton) + " " + carton.humanReadable + " · " + carton.productName + " · OCOP")
        html.raw("</title><style>\(VerificationPage.style)</style></head><body><main>")
        let packed = carton.status == .packed
        html.raw("<section class=\"verdict info\" id=\"verdict\" data-status=\"carton-\(carton.status.rawValue)\">")
        html.raw("<div class=\"icon\" aria-hidden=\"true\">▣</div><div><h1>")
        html.escaped(text(PageText.carton))
        html.raw("</h1><p>")
        html.escaped(carton.humanReadable)
        html.raw("</p></div></section><section class=\"card\" id=\"carton\"><h2>")
        html.escaped(carton.productName)
        html.raw("</h2><dl>")
        html.row(text(PageText.cartonStatus), packed ? text(PageText.cartonPacked) : text(PageText.cartonUnpacked))
        html.row(text(PageText.producer), carton.producer + ", " + carton.province)
        html.row("GTIN", carton.gtin)
        html.row(text(PageText.lot), carton.lot)
        html.row(text(PageText.cartonCount), String(carton.count))
        html.row(text(PageText.cartonPackedAt), time(carton.packedAt))
        html.row(text(PageText.cartonUnpackedAt), carton.unpackedAt.map(time))
        html.raw("</dl></section>")
        html.raw("<section class=\"card\" id=\"shipments\"><h2>")
        html.escaped(text(PageText.shipments))
        html.raw("</h2>")
        if carton.shipments.isEmpty {
            html.raw("<p>")
            html.escaped(text(PageText.noShipments))
            html.raw("</p>")
        }
        for shipment in carton.shipments {
            html.raw("<dl class=\"shipment\">")
            html.row(text(PageText.receiver), shipment.receiver + ", " + shipment.province)
            html.row("GLN", shipment.gln)
            html.row(text(PageText.shippedAt), shipment.shippedAt.map(time))
            html.row(text(PageText.receivedAt), shipment.receivedAt.map(time))
            html.raw("</dl>")
        }
        html.raw("</section><footer>")
        html.escaped(text(PageText.cartonNote))
        html.raw("</footer></main></body></html>")
        return html.text
    }
}

extension PageText {
    static let carton = Bilingual(vi: "Thùng hàng", en: "Carton")
    static let cartonStatus = Bilingual(vi: "Tình trạng", en: "Status")
    static let cartonPacked = Bilingual(vi: "Nguyên thùng", en: "Packed, unopened")
    static let cartonUnpacked = Bilingual(vi: "Đã mở thùng", en: "Opened")
    static let cartonCount = Bilingual(vi: "Số sản phẩm trong thùng", en: "Items in the carton")
    static let cartonPackedAt = Bilingual(vi: "Đóng thùng lúc", en: "Packed at")
    static let cartonUnpackedAt = Bilingual(vi: "Mở thùng lúc", en: "Opened at")
    static let shipments = Bilingual(vi: "Vận chuyển", en: "Shipments")
    static let noShipments = Bilingual(vi: "Chưa có ghi nhận vận chuyển.", en: "No shipment recorded yet.")
    static let receiver = Bilingual(vi: "Bên nhận", en: "Receiver")
    static let shippedAt = Bilingual(vi: "Gửi đi", en: "Shipped")
    static let receivedAt = Bilingual(vi: "Đã nhận", en: "Received")
    static let cartonNote = Bilingual(vi: "Mã này định danh một thùng hàng (SSCC), không phải một sản phẩm: để xác thực từng sản phẩm, hãy quét tem trên bao bì.",
                                      en: "This code names a carton (SSCC), not one item: to check that an item is genuine, scan the stamp on its package.")
}
