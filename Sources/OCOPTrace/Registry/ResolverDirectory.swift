import GRDB

/// What the GS1 resolver needs from the registry: which GTINs are ours, and which of a request's
/// levels (lot, serial) are registered under them, so that a request walks up to what is there.
public struct ResolverDirectory: Sendable {
    public let registry: Registry
    /// GTIN → product, for a few seconds: a redirect then costs no registry read.
    private let products = ExpiringCache<String, Product?>(lifetime: 5)

    public init(registry: Registry) {
        self.registry = registry
    }

    private struct Product: Sendable {
        var rowID: Int64
        var name: String
        var producer: String
        var province: String
        var ocop: OCOPRecognition?
    }

    /// A GTIN of ours, with the levels of one request that the registry holds.
    public struct Entry: Sendable {
        public var gtin: GTIN
        public var productName: String
        public var producer: String
        public var province: String
        public var ocop: OCOPRecognition?
        /// The request's lot is an issued lot of this product.
        public var lotRegistered: Bool
        /// The request's serial is a stamp of this product.
        public var serialRegistered: Bool
    }

    /// The entry for `gtin`, or nil when no product has it. `lot` and `serial` are the request's;
    /// whether they are registered is looked up only when `levels` is asked for (linksets).
    public func lookup(gtin: GTIN, lot: String?, serial: String?, levels: Bool = true) throws -> Entry? {
        let found = try products.value(for: gtin.digits) {
            try registry.read { db -> Product? in
                guard let row = try Row.fetchOne(db.cachedStatement(sql: """
                    SELECT p.id, p.name, p.ocop_stars, p.ocop_decision, p.ocop_recognized_on, pr.name AS producer, pr.province
                    FROM products p JOIN producers pr ON pr.id = p.producer_id WHERE p.gtin = ?
                    """), arguments: [gtin.digits]) else { return nil }
                let stars: Int? = row["ocop_stars"]
                return Product(rowID: row["id"], name: row["name"], producer: row["producer"], province: row["province"],
                               ocop: stars.map { OCOPRecognition(stars: $0, decision: row["ocop_decision"],
                                                                 recognizedOn: (row["ocop_recognized_on"] as String?).flatMap(CalendarDate.init(parsing:))) })
            }
        }
        guard let product = found else { return nil }
        var entry = Entry(gtin: gtin, productName: product.name, producer: product.producer, province: product.province, ocop: product.ocop,
                          lotRegistered: false, serialRegistered: false)
        guard levels, lot != nil || serial != nil else { return entry }
        try registry.read { db in
            if let lot {
                entry.lotRegistered = try Bool.fetchOne(db.cachedStatement(sql: """
                    SELECT EXISTS (SELECT 1 FROM stamp_batches WHERE product_id = ? AND lot = ? AND status = 'issued')
                    """), arguments: [product.rowID, lot]) ?? false
            }
            if let serial {
                entry.serialRegistered = try Bool.fetchOne(db.cachedStatement(sql: """
                    SELECT EXISTS (SELECT 1 FROM stamps s JOIN stamp_batches b ON b.id = s.batch_id WHERE s.serial = ? AND b.product_id = ?)
                    """), arguments: [serial, product.rowID]) ?? false
            }
        }
        return entry
    }
}
