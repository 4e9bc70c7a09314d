import Foundation
import OCOPTrace

/// Stamps for tests of verification and of the server: issued batches (manifests only, no PNGs)
/// and a pending stamp, in a registry the test made, on either engine.
public enum StampFixtures {
    /// Issues `count` stamps of a product's lot and returns their URLs in sequence order.
    public static func issue(store: any RegistryStore, folder: TemporaryFolder, keys: URL, resolver: String,
                             product: String, lot: String, count: Int, signed: Bool, produced: CalendarDate?) async throws -> [String] {
        let issuer = StampIssuer(store: store, options: IssueOptions(
            resolver: resolver, embedSignature: signed, keysFolder: keys,
            outputFolder: folder.url.appendingPathComponent("output"), writePNGs: false))
        let report = try await issuer.issue(productCode: product, lot: lot, count: count, producedOn: produced, expiresOn: nil)
        let manifest = try String(contentsOfFile: absolutePath(report.manifest), encoding: .utf8)
        return manifest.split(separator: "\n").dropFirst().map { String($0.split(separator: ",")[3]) }
    }

    /// A stamp of a batch still `issuing` (lot HALF of `product`), as a killed `issue` leaves one:
    /// stored, but not yet issued.
    public static func addPendingStamp(registry: TestRegistry, product: String) async throws -> Serial {
        let pending = Serial.random()
        let code = sqlText(product)
        try await registry.execute("""
            INSERT INTO stamp_batches (product_id, lot, lot_label, quantity, resolver, status, folder, created_at)
            SELECT id, 'HALF', 'HALF', 10, 'https://id.ocoptrace.vn', 'issuing', 'x', '2026-11-23T00:00:00Z'
            FROM products WHERE code = \(code) ORDER BY id LIMIT 1
            """)
        try await registry.execute("""
            INSERT INTO stamps (batch_id, sequence, serial)
            SELECT b.id, 1, \(sqlText(pending.text)) FROM stamp_batches b JOIN products p ON p.id = b.product_id
            WHERE p.code = \(code) AND b.lot = 'HALF'
            """)
        return pending
    }

    /// A product to write directly into a test registry.
    public struct Product: Sendable {
        public var code: String
        public var name: String
        public var gtin: String?
        public var producer: String
        public var province: String
        public var priceVND: Int
        public var shelfLifeDays: Int?
        public var ocopStars: Int?
        public var ocopRecognizedOn: String?
        public var embedSignature: Bool

        public init(code: String, name: String, gtin: String? = nil, producer: String, province: String = "Thanh Hóa",
                    priceVND: Int = 85000, shelfLifeDays: Int? = nil, ocopStars: Int? = nil, ocopRecognizedOn: String? = nil,
                    embedSignature: Bool = false) {
            self.code = code
            self.name = name
            self.gtin = gtin
            self.producer = producer
            self.province = province
            self.priceVND = priceVND
            self.shelfLifeDays = shelfLifeDays
            self.ocopStars = ocopStars
            self.ocopRecognizedOn = ocopRecognizedOn
            self.embedSignature = embedSignature
        }
    }

    /// Writes products and their producers with SQL both engines take, for tests whose subject is
    /// issuing, not importing (a GTIN is stored as GTIN-14, as the importer stores it).
    public static func addProducts(_ products: [Product], to registry: TestRegistry) async throws {
        let now = sqlText("2026-11-23T00:00:00.000Z")
        for product in products {
            let identity = sqlText(product.producer.lowercased() + "|" + product.province.lowercased())
            try await registry.execute("""
                INSERT INTO producers (name, identity_key, province, created_at, updated_at)
                VALUES (\(sqlText(product.producer)), \(identity), \(sqlText(product.province)), \(now), \(now))
                ON CONFLICT (identity_key) DO NOTHING
                """)
            let gtin = product.gtin.map { sqlText(String(repeating: "0", count: max(0, 14 - $0.count)) + $0) } ?? "NULL"
            try await registry.execute("""
                INSERT INTO products (producer_id, code, name, gtin, price_vnd, shelf_life_days, ocop_stars, ocop_recognized_on,
                                      embed_signature, fingerprint, created_at, updated_at)
                SELECT id, \(sqlText(product.code)), \(sqlText(product.name)), \(gtin), \(product.priceVND),
                       \(product.shelfLifeDays.map(String.init) ?? "NULL"), \(product.ocopStars.map(String.init) ?? "NULL"),
                       \(product.ocopRecognizedOn.map(sqlText) ?? "NULL"), \(product.embedSignature ? 1 : 0), 'fixture', \(now), \(now)
                FROM producers WHERE identity_key = \(identity)
                """)
        }
    }

    /// A text as an SQL literal.
    private static func sqlText(_ text: String) -> String {
        "'" + text.replacingOccurrences(of: "'", with: "''") + "'"
    }
}
