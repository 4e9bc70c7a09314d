/// A column of a producer catalog or a stamp-order file, with the English and Vietnamese headers
/// (and common variants) it is recognised by.
public enum CatalogColumn: String, CaseIterable, Sendable, Codable {
    case productCode = "product_code"
    case name
    case gtin
    case producer
    case producerType = "producer_type"
    case taxID = "tax_id"
    case commune
    case district
    case province
    case gln
    case gs1CompanyPrefix = "gs1_company_prefix"
    case ocopGroup = "ocop_group"
    case ocopStars = "ocop_stars"
    case ocopDecision = "ocop_decision"
    case ocopRecognizedOn = "ocop_recognized_on"
    case priceVND = "price_vnd"
    case unit
    case weightGrams = "weight_g"
    case packageSize = "package_cm"
    case shelfLifeDays = "shelf_life_days"
    case description
    case images
    case stock
    case embedSignature = "embed_signature"
    case cartonSize = "carton_size"
    case scratchPIN = "scratch_pin"
    case lot
    case quantity
    case producedOn = "produced_on"
    case expiresOn = "expires_on"
    case sscc
    case receiver
    case receiverProvince = "receiver_province"
    case receiverGLN = "receiver_gln"
    case shippedAt = "shipped_at"
    case receivedAt = "received_at"
    case stage
    case startedAt = "started_at"
    case finishedAt = "finished_at"
    case place
    case placeGLN = "place_gln"
    case actor
    case standard
    case certificate
    case note

    /// The header Vietnamese spreadsheets use.
    public var vietnameseHeader: String {
        switch self {
        case .productCode: "Mã sản phẩm"
        case .name: "Tên sản phẩm"
        case .gtin: "Mã vạch (GTIN)"
        case .producer: "Chủ thể"
        case .producerType: "Loại hình"
        case .taxID: "Mã số thuế"
        case .commune: "Xã"
        case .district: "Huyện"
        case .province: "Tỉnh"
        case .gln: "Mã địa điểm toàn cầu (GLN)"
        case .gs1CompanyPrefix: "Mã doanh nghiệp GS1"
        case .ocopGroup: "Nhóm sản phẩm"
        case .ocopStars: "Hạng sao"
        case .ocopDecision: "Số quyết định"
        case .ocopRecognizedOn: "Ngày công nhận"
        case .priceVND: "Giá bán"
        case .unit: "Quy cách"
        case .weightGrams: "Khối lượng (g)"
        case .packageSize: "Kích thước đóng gói (cm)"
        case .shelfLifeDays: "Hạn sử dụng (ngày)"
        case .description: "Mô tả"
        case .images: "Hình ảnh"
        case .stock: "Tồn kho"
        case .embedSignature: "Ký số trên tem"
        case .cartonSize: "Số tem mỗi thùng"
        case .scratchPIN: "Tem cào"
        case .lot: "Số lô"
        case .quantity: "Số lượng tem"
        case .producedOn: "Ngày sản xuất"
        case .expiresOn: "Hạn dùng"
        case .sscc: "Mã thùng (SSCC)"
        case .receiver: "Bên nhận"
        case .receiverProvince: "Tỉnh bên nhận"
        case .receiverGLN: "Mã GLN bên nhận"
        case .shippedAt: "Ngày gửi"
        case .receivedAt: "Ngày nhận"
        case .stage: "Công đoạn"
        case .startedAt: "Thời gian bắt đầu"
        case .finishedAt: "Thời gian kết thúc"
        case .place: "Địa điểm"
        case .placeGLN: "Mã địa điểm (GLN)"
        case .actor: "Người/đơn vị thực hiện"
        case .standard: "Tiêu chuẩn áp dụng"
        case .certificate: "Số chứng nhận / phiếu kiểm nghiệm"
        case .note: "Ghi chú"
        }
    }

    /// Further spellings met in real sheets; matched like the two main headers.
    var aliases: [String] {
        switch self {
        case .productCode: ["code", "sku", "mã sp", "mã"]
        case .name: ["product name", "tên", "tên sp"]
        case .gtin: ["mã vạch", "barcode", "ean", "gtin-13", "mã gtin"]
        case .producer: ["chủ thể ocop", "producer name", "đơn vị sản xuất", "cơ sở sản xuất"]
        case .producerType: ["loại hình chủ thể"]
        case .taxID: ["mst"]
        case .commune: ["xã/phường", "phường"]
        case .district: ["quận/huyện"]
        case .province: ["tỉnh/thành phố", "tỉnh/thành"]
        case .gln: ["mã gln", "global location number", "mã địa điểm"]
        case .gs1CompanyPrefix: ["gs1 company prefix", "company prefix", "gcp", "mã doanh nghiệp gs1 (gcp)"]
        case .ocopGroup: ["nhóm ocop", "nhóm"]
        case .ocopStars: ["ocop stars", "số sao", "xếp hạng"]
        case .ocopDecision: ["quyết định công nhận", "số qđ"]
        case .ocopRecognizedOn: ["ngày quyết định"]
        case .priceVND: ["price", "giá", "giá bán (vnd)", "giá bán (đồng)"]
        case .unit: ["đóng gói"]
        case .weightGrams: ["weight", "khối lượng", "trọng lượng", "trọng lượng (g)"]
        case .packageSize: ["package size", "package size (cm)", "dimensions", "kích thước", "kích thước (cm)", "kích thước gói hàng", "kích thước đóng gói"]
        case .shelfLifeDays: ["shelf life", "hạn sử dụng"]
        case .description: ["mô tả sản phẩm"]
        case .images: ["image", "hình ảnh sản phẩm", "ảnh"]
        case .stock: ["số lượng tồn"]
        case .embedSignature: ["signed stamps", "tem ký số", "chữ ký số"]
        case .cartonSize: ["carton size", "per carton", "số tem/thùng", "số sản phẩm mỗi thùng"]
        case .scratchPIN: ["scratch pin", "scratch-off pin", "mã cào", "tem cào pin", "phủ cào"]
        case .lot: ["lô", "lô sản xuất", "batch"]
        case .quantity: ["số lượng", "số tem"]
        case .producedOn: ["production date", "nsx"]
        case .expiresOn: ["expiry date", "hsd", "ngày hết hạn"]
        case .sscc: ["mã thùng", "mã sscc", "carton", "thùng"]
        case .receiver: ["người nhận", "đơn vị nhận", "nơi nhận", "receiver name"]
        case .receiverProvince: ["tỉnh nơi nhận", "tỉnh/thành bên nhận"]
        case .receiverGLN: ["gln bên nhận", "mã địa điểm bên nhận"]
        case .shippedAt: ["ngày giao", "thời gian gửi", "ngày xuất kho", "shipped"]
        case .receivedAt: ["thời gian nhận", "ngày nhập kho", "received"]
        case .stage: ["công đoạn sản xuất", "giai đoạn", "hoạt động", "production stage"]
        case .startedAt: ["start", "started", "bắt đầu", "ngày bắt đầu", "ngày thực hiện", "thời gian thực hiện"]
        case .finishedAt: ["end", "finished", "kết thúc", "ngày kết thúc"]
        case .placeGLN: ["place gln", "location gln", "gln địa điểm"]
        case .place: ["location", "nơi thực hiện", "địa điểm thực hiện"]
        case .actor: ["người thực hiện", "đơn vị thực hiện", "performed by"]
        case .standard: ["tiêu chuẩn", "applied standard"]
        case .certificate: ["số chứng nhận", "phiếu kiểm nghiệm", "certificate number", "số phiếu kiểm nghiệm"]
        case .note: ["notes", "remarks"]
        }
    }

    /// How this column is named in messages: both headers, so either reader recognises it.
    public var displayName: String { "\(rawValue) (\(vietnameseHeader))" }

    static let headerIndex: [String: CatalogColumn] = {
        var index: [String: CatalogColumn] = [:]
        for column in CatalogColumn.allCases {
            for header in [column.rawValue, column.vietnameseHeader] + column.aliases {
                index[header.matchingKey] = column
            }
        }
        return index
    }()

    /// The column a header names, ignoring case, surrounding and repeated spaces, underscores,
    /// Unicode normalisation form and Vietnamese diacritics.
    public init?(header: String) {
        guard let column = CatalogColumn.headerIndex[header.matchingKey] else { return nil }
        self = column
    }
}
