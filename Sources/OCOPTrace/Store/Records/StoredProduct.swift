import Foundation

/// A product as the registry holds it, with its producer: what `ocoptrace products` lists, what
/// marketplace listings, traceability checks and verification pages are built from.
public struct StoredProduct: Sendable, Codable, SelectedRecord {
    public var id: Int64
    public var code: String
    public var name: String
    public var gtin: GTIN?
    public var priceVND: Int
    public var unit: String?
    public var weightGrams: Int?
    /// Package length, width and height in cm.
    public var lengthCm: Double?
    public var widthCm: Double?
    public var heightCm: Double?
    public var shelfLifeDays: Int?
    public var stock: Int?
    public var ocopGroup: OCOPGroup?
    public var ocopStars: Int?
    public var ocopDecision: String?
    public var ocopRecognizedOn: String?
    public var producer: String
    public var producerType: ProducerType?
    public var taxID: String?
    public var commune: String?
    public var district: String?
    public var province: String
    /// The producer's Global Location Number (13 digits), when the catalog gives one.
    public var gln: GLN?
    public var description: String?
    /// Image URLs or absolute paths, as imported.
    public var images: [String]
    /// The OCOP recognition, when the product is rated (read once: exports look at it per platform).
    public private(set) var ocop: OCOPRecognition?

    /// The producer's address as listings and pages print it: commune, district and province, the
    /// parts given, separated by commas.
    public var address: String {
        [commune, district, province].compactMap { $0 }.filter { !$0.isEmpty }.joined(separator: ", ")
    }

    /// The columns, alike on both engines (what `products --json` prints, too): the one list of
    /// them, which the SELECT, both engines' decoding and the JSON output all follow.
    enum CodingKeys: String, CodingKey, CaseIterable {
        case id, code, name, gtin
        case priceVND = "price_vnd"
        case unit
        case weightGrams = "weight_g"
        case lengthCm = "length_cm"
        case widthCm = "width_cm"
        case heightCm = "height_cm"
        case shelfLifeDays = "shelf_life_days"
        case stock
        case ocopGroup = "ocop_group"
        case ocopStars = "ocop_stars"
        case ocopDecision = "ocop_decision"
        case ocopRecognizedOn = "ocop_recognized_on"
        case producer
        case producerType = "producer_type"
        case taxID = "tax_id"
        case commune, district, province, gln, description, images
    }
    typealias Columns = CodingKeys

    static func source(of column: Columns) -> String {
        switch column {
        case .producer: "pr.name"
        case .producerType: "pr.type"
        case .taxID, .commune, .district, .province, .gln: "pr.\(column.rawValue)"
        case .id, .code, .name, .gtin, .priceVND, .unit, .weightGrams, .lengthCm, .widthCm, .heightCm, .shelfLifeDays, .stock,
             .ocopGroup, .ocopStars, .ocopDecision, .ocopRecognizedOn, .description, .images: "p.\(column.rawValue)"
        }
    }

    static let tables = "FROM products p JOIN producers pr ON pr.id = p.producer_id"

    /// Every product with its producer, in both dialects; each statement adds its `WHERE`.
    static let selection = selectStatement()

    /// A product from its stored columns, typed by the engine that read them (a GTIN, GLN, producer
    /// type or OCOP group the registry holds is read once, there). `imagesJSON` is the `images`
    /// column (a JSON array of text; unreadable or missing is no image); the OCOP recognition is read
    /// from the `ocop_` columns in the one place that does it.
    init(id: Int64, code: String, name: String, gtin: GTIN?, priceVND: Int, unit: String?, weightGrams: Int?,
         lengthCm: Double?, widthCm: Double?, heightCm: Double?, shelfLifeDays: Int?, stock: Int?, ocopGroup: OCOPGroup?,
         ocopStars: Int?, ocopDecision: String?, ocopRecognizedOn: String?, producer: String, producerType: ProducerType?,
         taxID: String?, commune: String?, district: String?, province: String, gln: GLN?, description: String?,
         imagesJSON: String?) {
        self.id = id
        self.code = code
        self.name = name
        self.gtin = gtin
        self.priceVND = priceVND
        self.unit = unit
        self.weightGrams = weightGrams
        self.lengthCm = lengthCm
        self.widthCm = widthCm
        self.heightCm = heightCm
        self.shelfLifeDays = shelfLifeDays
        self.stock = stock
        self.ocopGroup = ocopGroup
        self.ocopStars = ocopStars
        self.ocopDecision = ocopDecision
        self.ocopRecognizedOn = ocopRecognizedOn
        self.producer = producer
        self.producerType = producerType
        self.taxID = taxID
        self.commune = commune
        self.district = district
        self.province = province
        self.gln = gln
        self.description = description
        images = (try? JSONDecoder().decode([String].self, from: Data((imagesJSON ?? "[]").utf8))) ?? []
        ocop = OCOPRecognition(storedStars: ocopStars, decision: ocopDecision, recognizedOn: ocopRecognizedOn)
    }

    /// Reads the stored columns by name (the `images` column is JSON text, as stored).
    public init(from decoder: any Decoder) throws {
        let row = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            id: try row.decode(Int64.self, forKey: .id), code: try row.decode(String.self, forKey: .code),
            name: try row.decode(String.self, forKey: .name), gtin: try row.decodeIfPresent(GTIN.self, forKey: .gtin),
            priceVND: try row.decode(Int.self, forKey: .priceVND), unit: try row.decodeIfPresent(String.self, forKey: .unit),
            weightGrams: try row.decodeIfPresent(Int.self, forKey: .weightGrams),
            lengthCm: try row.decodeIfPresent(Double.self, forKey: .lengthCm),
            widthCm: try row.decodeIfPresent(Double.self, forKey: .widthCm),
            heightCm: try row.decodeIfPresent(Double.self, forKey: .heightCm),
            shelfLifeDays: try row.decodeIfPresent(Int.self, forKey: .shelfLifeDays),
            stock: try row.decodeIfPresent(Int.self, forKey: .stock),
            ocopGroup: try row.decodeIfPresent(OCOPGroup.self, forKey: .ocopGroup),
            ocopStars: try row.decodeIfPresent(Int.self, forKey: .ocopStars),
            ocopDecision: try row.decodeIfPresent(String.self, forKey: .ocopDecision),
            ocopRecognizedOn: try row.decodeIfPresent(String.self, forKey: .ocopRecognizedOn),
            producer: try row.decode(String.self, forKey: .producer),
            producerType: try row.decodeIfPresent(ProducerType.self, forKey: .producerType),
            taxID: try row.decodeIfPresent(String.self, forKey: .taxID),
            commune: try row.decodeIfPresent(String.self, forKey: .commune),
            district: try row.decodeIfPresent(String.self, forKey: .district),
            province: try row.decode(String.self, forKey: .province), gln: try row.decodeIfPresent(GLN.self, forKey: .gln),
            description: try row.decodeIfPresent(String.self, forKey: .description),
            imagesJSON: try row.decodeIfPresent(String.self, forKey: .images))
    }
}
