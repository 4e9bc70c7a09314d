import Foundation

/// Why a listing was warned about or rejected: a stable code for scripts, and the sentence in
/// English and in Vietnamese for the people who fix the catalog. Every wording is here, in one place.
public struct ExportReason: Sendable, Equatable {
    public var code: String
    public var english: String
    public var vietnamese: String

    public func text(_ language: Language) -> String {
        language == .vi ? vietnamese : english
    }

    /// The same reason, and the image is not used.
    func leftOut() -> ExportReason {
        ExportReason(code: code, english: english + "; left out", vietnamese: vietnamese + "; đã bỏ ra")
    }

    /// The same reason, and the image is not the cover.
    func notCover() -> ExportReason {
        ExportReason(code: code, english: english + "; left out as the cover", vietnamese: vietnamese + "; không dùng làm ảnh bìa")
    }
}

extension ExportReason {
    // MARK: Text

    static func titleTooShort(_ length: Int, platform: String, minimum: Int) -> ExportReason {
        ExportReason(code: "title-too-short", english: "title \(length) characters, \(platform) needs at least \(minimum)",
                     vietnamese: "tiêu đề \(length) ký tự, \(platform) yêu cầu tối thiểu \(minimum)")
    }

    static func titleShort(_ length: Int, platform: String, recommended: Int) -> ExportReason {
        ExportReason(code: "title-short", english: "title \(length) characters; \(platform) recommends at least \(recommended)",
                     vietnamese: "tiêu đề \(length) ký tự; \(platform) khuyên dùng tối thiểu \(recommended)")
    }

    static func forbiddenWord(_ word: String, platform: String, what: String, whatVietnamese: String) -> ExportReason {
        ExportReason(code: "title-forbidden-word", english: "title carries \(word.quoted): \(platform) does not allow \(what) in names",
                     vietnamese: "tiêu đề có \(word.quoted): \(platform) không cho phép \(whatVietnamese) trong tên sản phẩm")
    }

    static func nameShortened(_ length: Int, to shortened: Int, platform: String, maximum: Int) -> ExportReason {
        ExportReason(code: "name-shortened",
                     english: "name \(length) characters, shortened to \(shortened) between words (\(platform) allows \(maximum))",
                     vietnamese: "tên \(length) ký tự, đã rút gọn còn \(shortened), cắt giữa các từ (\(platform) cho phép tối đa \(maximum))")
    }

    static func descriptionTooShort(_ length: Int, platform: String, minimum: Int) -> ExportReason {
        ExportReason(code: "description-too-short", english: "description \(length) characters, \(platform) needs \(minimum)",
                     vietnamese: "mô tả \(length) ký tự, \(platform) yêu cầu tối thiểu \(minimum)")
    }

    static func descriptionTooLong(_ length: Int, platform: String, maximum: Int) -> ExportReason {
        ExportReason(code: "description-too-long", english: "description \(length) characters, \(platform) allows \(maximum)",
                     vietnamese: "mô tả \(length) ký tự, \(platform) cho phép tối đa \(maximum)")
    }

    static func descriptionFewWords(_ words: Int, platform: String, recommended: Int) -> ExportReason {
        ExportReason(code: "description-few-words", english: "description \(words) words; \(platform) recommends at least \(recommended)",
                     vietnamese: "mô tả \(words) từ; \(platform) khuyên dùng tối thiểu \(recommended) từ")
    }

    // MARK: Product facts

    static func noImage(platform: String, minimum: Int, hadImages: Bool) -> ExportReason {
        hadImages
            ? ExportReason(code: "no-usable-image", english: "no usable image: \(platform) needs at least \(minimum)",
                           vietnamese: "không có ảnh dùng được: \(platform) yêu cầu tối thiểu \(minimum) ảnh")
            : ExportReason(code: "no-image", english: "no image: \(platform) needs at least \(minimum)",
                           vietnamese: "không có ảnh: \(platform) yêu cầu tối thiểu \(minimum) ảnh")
    }

    static func noWeight(platform: String) -> ExportReason {
        ExportReason(code: "no-weight", english: "no weight: \(platform) needs the package weight",
                     vietnamese: "thiếu khối lượng: \(platform) yêu cầu khối lượng gói hàng")
    }

    static func noPackageSize(platform: String) -> ExportReason {
        ExportReason(code: "no-package-size",
                     english: "no package size: \(platform) needs the package length, width and height in cm (column \(CatalogColumn.packageSize.displayName))",
                     vietnamese: "thiếu kích thước: \(platform) yêu cầu chiều dài, rộng, cao của gói hàng tính bằng cm (cột \(CatalogColumn.packageSize.vietnameseHeader))")
    }

    static func priceTooLow(_ price: Int, minimum: Int) -> ExportReason {
        ExportReason(code: "price-too-low", english: "price \(price) VND is under \(minimum)",
                     vietnamese: "giá \(price) đ thấp hơn mức tối thiểu \(minimum) đ")
    }

    static func priceTooHigh(_ price: Int, maximum: Int) -> ExportReason {
        ExportReason(code: "price-too-high", english: "price \(price) VND is over \(maximum)",
                     vietnamese: "giá \(price) đ cao hơn mức tối đa \(maximum) đ")
    }

    static func noStock() -> ExportReason {
        ExportReason(code: "no-stock", english: "no stock in the catalog (column \(CatalogColumn.stock.displayName)): uploaded as 0, so buyers cannot order it",
                     vietnamese: "danh mục không có tồn kho (cột \(CatalogColumn.stock.vietnameseHeader)): tải lên là 0, người mua không đặt được")
    }

    static func idShortened(to length: Int) -> ExportReason {
        ExportReason(code: "id-shortened", english: "id shortened to \(length) characters",
                     vietnamese: "mã (id) đã rút gọn còn \(length) ký tự")
    }

    static func ocopNotValid(on day: CalendarDate) -> ExportReason {
        ExportReason(code: "ocop-not-valid", english: "OCOP recognition not valid on \(day.iso): the rating is left out",
                     vietnamese: "chứng nhận OCOP không còn hiệu lực ngày \(day.vietnamese): không ghi hạng sao")
    }

    /// No leaf category: none mapped, or the shipped mapping knows none (`parent`: where it would sit).
    static func noCategory(platform: Marketplace, name: String, kind: ProductKind?, group: OCOPGroup?, keys: [String], parent: CategoryTree.Node?,
                           search: String) -> ExportReason {
        let quotedKeys = keys.map { "\"\($0)\"" }
        let describedEnglish = [kind.map { "kind \"\($0.name)\"" }, group.map { "OCOP group \($0.rawValue) \($0.vietnameseName)" }]
            .compactMap { $0 }.joined(separator: ", ")
        let describedVietnamese = [kind.map { "loại \"\($0.name)\"" }, group.map { "nhóm OCOP \($0.rawValue) \($0.vietnameseName)" }]
            .compactMap { $0 }.joined(separator: ", ")
        let command = "ocoptrace categories --marketplace \(platform.rawValue) --search \"\(search)\""
        return ExportReason(
            code: "no-category",
            english: "no \(name) category\(describedEnglish.isEmpty ? "" : " for \(describedEnglish)")"
                + (parent.map { ": no leaf is known; it sits under \($0.described)" } ?? "")
                + ": find a leaf with `\(command)` and add its id under \(quotedKeys.joined(separator: " or ")) to the category mapping (catalogs/category-mapping.json)",
            vietnamese: "chưa có ngành hàng \(name)\(describedVietnamese.isEmpty ? "" : " cho \(describedVietnamese)")"
                + (parent.map { ": chưa biết ngành hàng cấp cuối; nó nằm trong \($0.described)" } ?? "")
                + ": tìm ngành hàng cấp cuối bằng `\(command)` rồi thêm mã với khóa \(quotedKeys.joined(separator: " hoặc ")) vào tệp ngành hàng (catalogs/category-mapping.json)")
    }

    static func categoryLowConfidence(_ node: String, platform: String) -> ExportReason {
        ExportReason(code: "category-low-confidence",
                     english: "category \(node) is ocoptrace's best guess (low confidence): check it in the \(platform) seller centre",
                     vietnamese: "ngành hàng \(node) là phỏng đoán tốt nhất của ocoptrace (độ tin cậy thấp): hãy kiểm tra lại trên kênh người bán \(platform)")
    }

    static func categoryNotInTree(_ id: String, key: String, platform: String, tree: String) -> ExportReason {
        ExportReason(code: "category-not-in-tree",
                     english: "category \(id) (\(key)) is not in the \(platform) category tree ocoptrace knows (\(tree)): trees change, check it in the seller centre",
                     vietnamese: "ngành hàng \(id) (\(key)) không có trong cây ngành hàng \(platform) mà ocoptrace biết (\(tree)): cây ngành hàng thay đổi, hãy kiểm tra trên kênh người bán")
    }

    static func categoryNotLeaf(_ node: CategoryTree.Node, key: String, platform: String, children: [CategoryTree.Node]) -> ExportReason {
        let shown = children.prefix(8).map(\.described).joined(separator: "; ")
        let more = children.count > 8 ? "; …" : ""
        return ExportReason(code: "category-not-leaf",
                            english: "category \(node.described) (\(key)) has subcategories, and \(platform) takes only a leaf: choose one of \(shown)\(more)",
                            vietnamese: "ngành hàng \(node.described) (\(key)) còn ngành hàng con, \(platform) chỉ nhận ngành hàng cấp cuối: chọn một trong \(shown)\(more)")
    }

    static func gtinRefused(_ gtin: GTIN, because use: GTIN.RestrictedUse, platform: String) -> ExportReason {
        ExportReason(code: "gtin-refused",
                     english: "GTIN \(gtin.shortForm) is \(use), which \(platform) refuses: listed without a GTIN",
                     vietnamese: "GTIN \(gtin.shortForm) là \(use.vietnamese), \(platform) không nhận: đăng không kèm GTIN")
    }

    // MARK: Images

    static func imageMissing(_ path: String) -> ExportReason {
        ExportReason(code: "image-missing", english: "image \(path) does not exist", vietnamese: "ảnh \(path) không tồn tại")
    }

    static func imageUnreadable(_ path: String, _ why: String) -> ExportReason {
        ExportReason(code: "image-unreadable", english: "image \(path) cannot be read: \(why)", vietnamese: "không đọc được ảnh \(path): \(why)")
    }

    static func imageNotJPEGOrPNG(_ path: String) -> ExportReason {
        ExportReason(code: "image-not-jpeg-or-png", english: "image \(path) is not a JPEG or PNG file",
                     vietnamese: "ảnh \(path) không phải tệp JPEG hay PNG")
    }

    static func imageDamaged(_ path: String, _ why: String) -> ExportReason {
        ExportReason(code: "image-damaged", english: "image \(path) is damaged: \(why)", vietnamese: "ảnh \(path) bị hỏng: \(why)")
    }

    static func imageFormat(_ path: String, _ format: ImageFile.Format, platform: String, takes formats: [ImageFile.Format]) -> ExportReason {
        let taken = formats.map { $0.rawValue.uppercased() }
        return ExportReason(code: "image-format", english: "image \(path) is \(format.rawValue.uppercased()); \(platform) takes \(taken.joined(separator: " or "))",
                            vietnamese: "ảnh \(path) là \(format.rawValue.uppercased()); \(platform) chỉ nhận \(taken.joined(separator: " hoặc "))")
    }

    static func imageTooSmall(_ path: String, _ file: ImageFile, platform: String, minimumSide: Int) -> ExportReason {
        ExportReason(code: "image-too-small",
                     english: "image \(path) is \(file.width)×\(file.height) px; \(platform) needs at least \(minimumSide) px a side",
                     vietnamese: "ảnh \(path) cỡ \(file.width)×\(file.height) px; \(platform) yêu cầu mỗi cạnh tối thiểu \(minimumSide) px")
    }

    static func imageTooLarge(_ path: String, _ file: ImageFile, platform: String, maximumSide: Int) -> ExportReason {
        ExportReason(code: "image-too-large",
                     english: "image \(path) is \(file.width)×\(file.height) px; \(platform) takes at most \(maximumSide) px a side",
                     vietnamese: "ảnh \(path) cỡ \(file.width)×\(file.height) px; \(platform) nhận mỗi cạnh tối đa \(maximumSide) px")
    }

    static func imageTooHeavy(_ path: String, _ file: ImageFile, platform: String, maximumBytes: Int) -> ExportReason {
        ExportReason(code: "image-too-heavy",
                     english: "image \(path) is \(ByteCount.text(file.bytes)); \(platform) takes at most \(ByteCount.text(maximumBytes))",
                     vietnamese: "ảnh \(path) nặng \(ByteCount.text(file.bytes)); \(platform) nhận tối đa \(ByteCount.text(maximumBytes))")
    }

    static func imageNeedsURL(_ path: String, platform: String) -> ExportReason {
        ExportReason(code: "image-needs-url",
                     english: "image \(path) is a local file and \(platform) takes image URLs: put the folder images/ online and export with --image-base-url",
                     vietnamese: "ảnh \(path) là tệp trên máy, \(platform) chỉ nhận đường dẫn (URL) ảnh: đưa thư mục images/ lên mạng rồi xuất lại với --image-base-url")
    }

    static func imageBelowRecommended(_ path: String, _ file: ImageFile, platform: String, recommendedSide: Int) -> ExportReason {
        ExportReason(code: "image-below-recommended",
                     english: "image \(path) is \(file.width)×\(file.height) px; \(platform) recommends at least \(recommendedSide)×\(recommendedSide)",
                     vietnamese: "ảnh \(path) cỡ \(file.width)×\(file.height) px; \(platform) khuyên dùng tối thiểu \(recommendedSide)×\(recommendedSide)")
    }

    static func coverTooNarrow(_ path: String, _ file: ImageFile, platform: String, ratio: String) -> ExportReason {
        ExportReason(code: "cover-shape",
                     english: "image \(path) is \(file.width)×\(file.height) px: \(platform) needs a cover no narrower than \(ratio)",
                     vietnamese: "ảnh \(path) cỡ \(file.width)×\(file.height) px: \(platform) yêu cầu ảnh bìa không hẹp hơn tỉ lệ \(ratio)")
    }

    static func coverTooWide(_ path: String, _ file: ImageFile, platform: String, ratio: String) -> ExportReason {
        ExportReason(code: "cover-shape",
                     english: "image \(path) is \(file.width)×\(file.height) px: \(platform) needs a cover no wider than \(ratio)",
                     vietnamese: "ảnh \(path) cỡ \(file.width)×\(file.height) px: \(platform) yêu cầu ảnh bìa không rộng hơn tỉ lệ \(ratio)")
    }

    static func tooManyImages(_ count: Int, platform: String, maximum: Int) -> ExportReason {
        ExportReason(code: "too-many-images", english: "\(count) images, \(platform) takes \(maximum); the first \(maximum) are used",
                     vietnamese: "\(count) ảnh, \(platform) nhận tối đa \(maximum); dùng \(maximum) ảnh đầu")
    }
}

extension ExportReason {
    // MARK: Traceability minimum (Circular 02/2024/TT-BKHCN; Decree 37/2026/NĐ-CP Art. 32, the digital product passport)

    static let traceabilityNoImage = ExportReason(
        code: "no-image", english: "no product image (Circular 02/2024 asks for one)",
        vietnamese: "chưa có hình ảnh sản phẩm (Thông tư 02/2024 yêu cầu)")

    static let traceabilityNoProducerAddress = ExportReason(
        code: "no-producer-address", english: "no commune in the producer's address (Circular 02/2024 asks for the address)",
        vietnamese: "địa chỉ chủ thể chưa có xã/phường (Thông tư 02/2024 yêu cầu địa chỉ)")

    static let traceabilityNoProducerID = ExportReason(
        code: "no-producer-id", english: "no producer tax ID (the digital product passport asks for the producer's ID)",
        vietnamese: "chưa có mã số thuế của chủ thể (hộ chiếu số sản phẩm yêu cầu mã định danh)")

    static let traceabilityNoShelfLife = ExportReason(
        code: "no-shelf-life", english: "no shelf life (days): expiry dates cannot be printed or exported",
        vietnamese: "chưa có hạn sử dụng (ngày): không in hoặc xuất được hạn dùng")

    static let traceabilityNoGTIN = ExportReason(
        code: "no-gtin", english: "no GTIN (the digital product passport asks for one)",
        vietnamese: "chưa có mã GTIN (hộ chiếu số sản phẩm yêu cầu)")

    static let traceabilityNoLocationCode = ExportReason(
        code: "no-location-code", english: "no producer GLN: stages have no location trace code",
        vietnamese: "chủ thể chưa có mã GLN: các công đoạn thiếu mã truy vết địa điểm")

    static let traceabilityNoStages = ExportReason(
        code: "no-stages", english: "the lot has no production stage with a place and a time (import its production diary)",
        vietnamese: "lô chưa có công đoạn sản xuất nào có địa điểm và thời gian (nhập nhật ký sản xuất)")

    static let traceabilityNoStandard = ExportReason(
        code: "no-standard", english: "the lot's diary names no applied standard (VietGAP, TCVN …, QCVN …)",
        vietnamese: "nhật ký của lô chưa ghi tiêu chuẩn áp dụng (VietGAP, TCVN …, QCVN …)")
}
