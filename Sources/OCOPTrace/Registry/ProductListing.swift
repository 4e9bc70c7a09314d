import Foundation
import GRDB

/// A product as the registry holds it, with its producer: what `ocoptrace products` lists.
public struct ProductListing: Sendable, Codable, FetchableRecord {
    public var id: Int64
    public var code: String
    public var name: String
    public var gtin: String?
    public var priceVND: Int
    public var unit: String?
    public var weightGrams: Int?
    /// Package length, width and height in cm.
    public var lengthCm: Double?
    public var widthCm: Double?
    public var heightCm: Double?
    public var shelfLifeDays: Int?
    public var stock: Int?
    public var ocopGroup: Int?
    public var ocopStars: Int?
    public var ocopDecision: String?
    public var ocopRecognizedOn: String?
    public var producer: String
    public var producerType: String?
    public var taxID: String?
    public var commune: String?
    public var district: String?
    public var province: String
    /// The producer's Global Location Number (13 digits), when the catalog gives one.
    public var gln: String?
    public var description: String?
    /// Image URLs or absolute paths, as imported.
    public var images: [String]
    /// The OCOP recognition, when the product is rated (read once: exports look at it per platform).
    public private(set) var ocop: OCOPRecognition?

    enum CodingKeys: String, CodingKey {
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

    public init(row: Row) throws {
        id = row["id"]
        code = row["code"]
        name = row["name"]
        gtin = row["gtin"]
        priceVND = row["price_vnd"]
        unit = row["unit"]
        weightGrams = row["weight_g"]
        lengthCm = row["length_cm"]
        widthCm = row["width_cm"]
        heightCm = row["height_cm"]
        shelfLifeDays = row["shelf_life_days"]
        stock = row["stock"]
        ocopGroup = row["ocop_group"]
        ocopStars = row["ocop_stars"]
        ocopDecision = row["ocop_decision"]
        ocopRecognizedOn = row["ocop_recognized_on"]
        producer = row["producer"]
        producerType = row["producer_type"]
        taxID = row["tax_id"]
        commune = row["commune"]
        district = row["district"]
        province = row["province"]
        gln = row["gln"]
        description = row["description"]
        let imagesJSON: String = row["images"] ?? "[]"
        images = (try? JSONDecoder().decode([String].self, from: Data(imagesJSON.utf8))) ?? []
        ocop = OCOPRecognition(storedStars: ocopStars, decision: ocopDecision, recognizedOn: ocopRecognizedOn)
    }

    /// From a PostgreSQL row (by column name, ``selection``'s columns), or from JSON: `images` is
    /// the stored JSON text in a row, an array in JSON.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        id = try container.decode(Int64.self, forKey: .id)
        code = try container.decode(String.self, forKey: .code)
        name = try container.decode(String.self, forKey: .name)
        gtin = try container.decodeIfPresent(String.self, forKey: .gtin)
        priceVND = try container.decode(Int.self, forKey: .priceVND)
        unit = try container.decodeIfPresent(String.self, forKey: .unit)
        weightGrams = try container.decodeIfPresent(Int.self, forKey: .weightGrams)
        lengthCm = try container.decodeIfPresent(Double.self, forKey: .lengthCm)
        widthCm = try container.decodeIfPresent(Double.self, forKey: .widthCm)
        heightCm = try container.decodeIfPresent(Double.self, forKey: .heightCm)
        shelfLifeDays = try container.decodeIfPresent(Int.self, forKey: .shelfLifeDays)
        stock = try container.decodeIfPresent(Int.self, forKey: .stock)
        ocopGroup = try container.decodeIfPresent(Int.self, forKey: .ocopGroup)
        ocopStars = try container.decodeIfPresent(Int.self, forKey: .ocopStars)
        ocopDecision = try container.decodeIfPresent(String.self, forKey: .ocopDecision)
        ocopRecognizedOn = try container.decodeIfPresent(String.self, forKey: .ocopRecognizedOn)
        producer = try container.decode(String.self, forKey: .producer)
        producerType = try container.decodeIfPresent(String.self, forKey: .producerType)
        taxID = try container.decodeIfPresent(String.self, forKey: .taxID)
        commune = try container.decodeIfPresent(String.self, forKey: .commune)
        district = try container.decodeIfPresent(String.self, forKey: .district)
        province = try container.decode(String.self, forKey: .province)
        gln = try container.decodeIfPresent(String.self, forKey: .gln)
        description = try container.decodeIfPresent(String.self, forKey: .description)
        if let list = try? container.decodeIfPresent([String].self, forKey: .images) {
            images = list
        } else {
            let json = try container.decodeIfPresent(String.self, forKey: .images) ?? "[]"
            images = (try? JSONDecoder().decode([String].self, from: Data(json.utf8))) ?? []
        }
        ocop = OCOPRecognition(storedStars: ocopStars, decision: ocopDecision, recognizedOn: ocopRecognizedOn)
    }


    /// Products by producer and code, optionally only one producer's (matched forgivingly) or one province's.
    public static func fetch(from registry: Registry, producer: String? = nil, province: String? = nil) throws -> [ProductListing] {
        var products: [ProductListing] = []
        try registry.read { db in try forEach(in: db, producer: producer, province: province) { products.append($0) } }
        return products
    }

    /// The columns a product is read from, in both dialects; callers add their own `WHERE`/`ORDER BY`.
    static let selection = """
        SELECT p.id, p.code, p.name, p.gtin, p.price_vnd, p.unit, p.weight_g, p.length_cm, p.width_cm, p.height_cm, p.shelf_life_days, p.stock,
               p.ocop_group, p.ocop_stars, p.ocop_decision, p.ocop_recognized_on,
               pr.name AS producer, pr.type AS producer_type, pr.tax_id, pr.commune, pr.district, pr.province, pr.gln,
               p.description, p.images
        FROM products p JOIN producers pr ON pr.id = p.producer_id
        """

    /// The same products one at a time from a cursor, so that memory does not grow with the catalog.
    static func forEach(in db: Database, producer: String? = nil, province: String? = nil, _ body: (ProductListing) throws -> Void) throws {
        let scope = ProducerScope(producer: producer, province: province)
        let cursor = try ProductListing.fetchCursor(db, sql: selection + " ORDER BY pr.name, p.code")
        while let product = try cursor.next() {
            if scope.includes(producer: product.producer, province: product.province) { try body(product) }
        }
    }
}

/// How many of each thing the registry holds, for summaries.
public struct RegistryCounts: Sendable, Codable {
    public var producers: Int
    public var products: Int
    public var stampOrders: Int
    public var pendingStampOrders: Int
    public var issuedStamps: Int

    enum CodingKeys: String, CodingKey {
        case producers, products
        case stampOrders = "stamp_orders"
        case pendingStampOrders = "pending_stamp_orders"
        case issuedStamps = "issued_stamps"
    }

    public static func fetch(from registry: Registry) throws -> RegistryCounts {
        try registry.read { db in
            RegistryCounts(
                producers: try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM producers") ?? 0,
                products: try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM products") ?? 0,
                stampOrders: try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM stamp_orders") ?? 0,
                pendingStampOrders: try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM stamp_orders WHERE status <> 'issued'") ?? 0,
                issuedStamps: try Int.fetchOne(db, sql: """
                    SELECT COUNT(*) FROM stamps s JOIN stamp_batches b ON b.id = s.batch_id WHERE b.status = 'issued'
                    """) ?? 0)
        }
    }
}
