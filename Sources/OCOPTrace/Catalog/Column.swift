/// A column of a producer catalog or a stamp-order file, with the English and Vietnamese headers
/// (and common variants) it is recognised by.
public enum Column: String, CaseIterable, Sendable, Codable {
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
    case lot
    case quantity
    case producedOn = "produced_on"
    case expiresOn = "expires_on"

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
        case .lot: "Số lô"
        case .quantity: "Số lượng tem"
        case .producedOn: "Ngày sản xuất"
        case .expiresOn: "Hạn dùng"
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
        case .lot: ["lô", "lô sản xuất", "batch"]
        case .quantity: ["số lượng", "số tem"]
        case .producedOn: ["production date", "nsx"]
        case .expiresOn: ["expiry date", "hsd", "ngày hết hạn"]
        }
    }

    /// How this column is named in messages: both headers, so either reader recognises it.
    public var displayName: String { "\(rawValue) (\(vietnameseHeader))" }

    static let headerIndex: [String: Column] = {
        var index: [String: Column] = [:]
        for column in Column.allCases {
            for header in [column.rawValue, column.vietnameseHeader] + column.aliases {
                index[header.matchingKey] = column
            }
        }
        return index
    }()

    /// The column a header names, ignoring case, surrounding and repeated spaces, underscores,
    /// Unicode normalisation form and Vietnamese diacritics.
    public init?(header: String) {
        guard let column = Column.headerIndex[header.matchingKey] else { return nil }
        self = column
    }
}

/// What an input file holds, told apart by its columns.
public enum InputKind: String, Sendable, Codable {
    case catalog
    case stampOrders = "stamp_orders"

    public var requiredColumns: [Column] {
        switch self {
        case .catalog: [.productCode, .name, .producer, .province, .priceVND]
        case .stampOrders: [.productCode, .lot, .quantity, .producedOn]
        }
    }

    public var allowedColumns: Set<Column> {
        switch self {
        case .catalog: Set(Column.allCases).subtracting([.lot, .quantity, .producedOn, .expiresOn])
        case .stampOrders: [.productCode, .producer, .province, .lot, .quantity, .producedOn, .expiresOn, .name, .gtin]
        }
    }
}

/// The columns found in a header row: where each one is and how the file spells it.
public struct HeaderMap: Sendable {
    public let kind: InputKind
    private var positions: [Column: (index: Int, header: String)] = [:]
    /// Headers that name no known column; their cells are ignored.
    public private(set) var ignoredHeaders: [String] = []

    public init(header: RawRow, file: String) throws {
        var positions: [Column: (index: Int, header: String)] = [:]
        var ignored: [String] = []
        for (index, text) in header.cells.enumerated() {
            let trimmed = text.nfc.collapsingWhitespace
            guard !trimmed.isEmpty else { continue }
            guard let column = Column(header: trimmed) else {
                ignored.append(trimmed)
                continue
            }
            if let first = positions[column] {
                throw CatalogError.duplicateColumn(file: file, column: column.displayName, first: first.header, second: trimmed)
            }
            positions[column] = (index, trimmed)
        }
        let isOrders = positions[.lot] != nil || positions[.quantity] != nil
        let isCatalog = positions[.priceVND] != nil || positions[.name] != nil && !isOrders
        guard isOrders || isCatalog else { throw CatalogError.unknownKind(file: file) }
        let kind: InputKind = isOrders ? .stampOrders : .catalog
        let missing = kind.requiredColumns.filter { positions[$0] == nil }
        guard missing.isEmpty else {
            throw CatalogError.missingColumns(file: file, columns: missing.map(\.displayName))
        }
        for (column, position) in positions where !kind.allowedColumns.contains(column) {
            ignored.append(position.header)
            positions[column] = nil
        }
        self.kind = kind
        self.positions = positions
        self.ignoredHeaders = ignored
    }

    public func contains(_ column: Column) -> Bool { positions[column] != nil }

    /// The header as the file writes it, for messages.
    public func header(of column: Column) -> String {
        positions[column]?.header ?? column.rawValue
    }

    /// The cell of `column` in `row`, or "" when the file has no such column.
    public func cell(_ column: Column, in row: RawRow) -> String {
        guard let position = positions[column] else { return "" }
        return row[position.index]
    }
}
