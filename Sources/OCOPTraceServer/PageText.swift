import OCOPTrace

/// A text a page shows, in Vietnamese and in English.
struct Bilingual: Sendable {
    let vi: String
    let en: String

    func callAsFunction(_ language: Language) -> String { language == .vi ? vi : en }
}

/// Every text the server's HTML pages show (the verification page, the product page, the OCOP
/// certificate), in both languages: the one place to read, check or change their wording. The
/// verdicts' titles and reasons are the library's (`verify` prints the same words).
enum PageText {
    // MARK: Sentences

    /// The scratch-off PIN form (issue 24).
    static let pinTitle = Bilingual(vi: "Mã PIN dưới lớp cào", en: "The PIN under the scratch-off film")
    static let pinHelp = Bilingual(vi: "Cào lớp phủ trên tem và nhập \(ScratchPIN.length) ký tự (0-9, A-Z) để kích hoạt tem. Tem thật chỉ kích hoạt được một lần.",
                                   en: "Scratch the film on the stamp and type its \(ScratchPIN.length) characters (0-9, A-Z) to activate the stamp. A genuine stamp is activated once only.")
    static let pinSubmit = Bilingual(vi: "Kiểm tra", en: "Check")

    static let copyWarning = Bilingual(vi: "Cảnh báo: nghi tem bị sao chép", en: "Warning: this stamp may be a copy")

    /// `firstAt` is the first scan's time, already in the page's language.
    static func copyExplanation(scans: Int, firstAt: String?) -> Bilingual {
        Bilingual(vi: "Tem này đã được quét \(scans) lần\(firstAt.map { ", lần đầu ngày " + $0 } ?? ""). Mỗi tem thật chỉ gắn trên một sản phẩm: nếu mã đã bị chụp lại và in sang hàng khác, sản phẩm trong tay bạn có thể là hàng giả. Hãy kiểm tra bao bì, hỏi người bán, và báo cho cơ quan quản lý thị trường nếu nghi ngờ.",
                  en: "This stamp has been scanned \(scans) times\(firstAt.map { ", first on " + $0 } ?? ""). A genuine stamp sits on one product only: if its code was photographed and printed onto other goods, the product in your hands may be fake. Check the packaging, ask the seller, and tell the market inspectors if in doubt.")
    }

    /// The journey section's heading, and the words of its entries.
    static let journey = Bilingual(vi: "Hành trình sản phẩm", en: "Product journey")
    static let journeyStandard = Bilingual(vi: "Tiêu chuẩn: ", en: "Standard: ")
    static let journeyBy = Bilingual(vi: "Thực hiện: ", en: "By: ")
    static let journeyTo = Bilingual(vi: "Đến: ", en: "To: ")
    static func journeyMore(_ count: Int) -> Bilingual {
        Bilingual(vi: "… và \(count) bước khác (đầy đủ trong dữ liệu truy xuất EPCIS)",
                  en: "… and \(count) more steps (all of them in the EPCIS traceability data)")
    }

    /// Under a verdict that names no product.
    static let doNotRely = Bilingual(vi: "Đừng dựa vào thông tin in trên bao bì. Nếu bạn đã mua sản phẩm này, hãy giữ lại hóa đơn và báo cho cơ quan quản lý thị trường.",
                                     en: "Do not rely on what the packaging says. If you bought this product, keep the receipt and tell the market inspectors.")

    /// Under the product page's title.
    static let productNote = Bilingual(vi: "Mã này chỉ định danh sản phẩm, không phải một tem: để xác thực hàng thật, hãy quét tem truy xuất nguồn gốc trên bao bì.",
                                       en: "This code names the product, not one stamp: to check that an item is genuine, scan the traceability stamp on its package.")

    static func scanNumber(_ count: Int) -> Bilingual {
        Bilingual(vi: "Quét lần thứ \(count)", en: "Scan number \(count)")
    }

    static func producerType(_ type: ProducerType) -> Bilingual {
        Bilingual(vi: type.vietnameseName, en: type.rawValue.replacingOccurrences(of: "_", with: " "))
    }

    /// The footer of the verification page.
    static func checked(on date: String) -> Bilingual {
        Bilingual(vi: "Kiểm tra ngày " + date + " qua sổ đăng ký tem OCOP", en: "Checked on " + date + " against the OCOP stamp registry")
    }

    // MARK: Words, as each page uses them (leading and trailing spaces are part of them)

    static let theStamp = Bilingual(vi: "Thông tin tem", en: "The stamp")
    static let producer = Bilingual(vi: "Chủ thể sản xuất", en: "Producer")
    static let address = Bilingual(vi: "Địa chỉ", en: "Address")
    static let origin = Bilingual(vi: "Xuất xứ", en: "Origin")
    static let taxID = Bilingual(vi: "Mã số thuế", en: "Tax ID")
    static let package = Bilingual(vi: "Quy cách", en: "Package")
    static let lot = Bilingual(vi: "Lô", en: "Lot")
    static let produced = Bilingual(vi: "NSX", en: "Produced")
    static let expires = Bilingual(vi: "HSD", en: "Expires")
    static let stampID = Bilingual(vi: "Mã tem", en: "Stamp ID")
    static let scans = Bilingual(vi: "Lượt quét", en: "Scans")
    static let signature = Bilingual(vi: "Chữ ký số", en: "Signature")
    static let vietNam = Bilingual(vi: "Việt Nam", en: "Viet Nam")
    static let stars = Bilingual(vi: "sao", en: "stars")
    static let valid = Bilingual(vi: "còn hiệu lực", en: "valid")
    static let until = Bilingual(vi: " đến ", en: " until ")
    static let notValidToday = Bilingual(vi: "hết hiệu lực hôm nay", en: "not valid today")
    static let ended = Bilingual(vi: " (hết hạn ", en: " (ended ")
    static let decision = Bilingual(vi: "Quyết định số ", en: "Decision ")
    static let dated = Bilingual(vi: " ngày ", en: " of ")
    static let expired = Bilingual(vi: " (đã hết hạn)", en: " (expired)")
    static let firstOn = Bilingual(vi: ", lần đầu ngày ", en: ", first on ")
    static let signatureValid = Bilingual(vi: "hợp lệ", en: "valid")
    static let signatureInvalid = Bilingual(vi: "không hợp lệ", en: "does not verify")
    static let signatureUnchecked = Bilingual(vi: "chưa kiểm tra được (không có khóa công khai)", en: "not checked (no public key for it)")
    /// After a time in English, which readers may take for their own zone.
    static let vietnamTimeZone = Bilingual(vi: "", en: " (UTC+7)")
    /// The link to the page in the other language, named in that language.
    static let languageName = Bilingual(vi: "Tiếng Việt", en: "English")
    static let productInformation = Bilingual(vi: "Thông tin sản phẩm", en: "Product information")
    static let productNotValid = Bilingual(vi: "hết hiệu lực", en: "not valid today")
    static let certificateProducer = Bilingual(vi: "Chủ thể", en: "Producer")
    static let certificateDecision = Bilingual(vi: "Quyết định số", en: "Decision")
    static let recognisedOn = Bilingual(vi: "Ngày công nhận", en: "Recognised on")
    static let validUntil = Bilingual(vi: "Hiệu lực đến", en: "Valid until")
    static let today = Bilingual(vi: "Hôm nay", en: "Today")
    static let notValid = Bilingual(vi: "hết hiệu lực", en: "not valid")
}
