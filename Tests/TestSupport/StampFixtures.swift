import Foundation
import GRDB
import OCOPTrace

/// Stamps for tests of verification and of the server: issued batches (manifests only, no PNGs)
/// and a pending stamp, in a registry the test made.
public enum StampFixtures {
    /// Issues `count` stamps of a product's lot and returns their URLs in sequence order.
    public static func issue(registry: Registry, folder: TemporaryFolder, keys: URL, resolver: String,
                             product: String, lot: String, count: Int, signed: Bool, produced: CalendarDate?) throws -> [String] {
        let issuer = StampIssuer(registry: registry, options: IssueOptions(
            resolver: resolver, embedSignature: signed, keysFolder: keys,
            outputFolder: folder.url.appendingPathComponent("output"), writePNGs: false))
        let report = try issuer.issue(productCode: product, lot: lot, count: count, producedOn: produced, expiresOn: nil)
        let manifest = try String(contentsOfFile: absolutePath(report.manifest), encoding: .utf8)
        return manifest.split(separator: "\n").dropFirst().map { String($0.split(separator: ",")[3]) }
    }

    /// A stamp of a batch still `issuing` (lot HALF of `product`), as a killed `issue` leaves one:
    /// stored, but not yet issued.
    public static func addPendingStamp(registry: Registry, product: String) throws -> Serial {
        let pending = Serial.random()
        try registry.write { db in
            let productID = try Int64.fetchOne(db, sql: "SELECT id FROM products WHERE code = ?", arguments: [product])!
            try db.execute(sql: """
                INSERT INTO stamp_batches (product_id, lot, lot_label, quantity, resolver, status, folder, created_at)
                VALUES (?, 'HALF', 'HALF', 10, 'https://id.ocoptrace.vn', 'issuing', 'x', '2026-11-23T00:00:00Z')
                """, arguments: [productID])
            try db.execute(sql: "INSERT INTO stamps (batch_id, sequence, serial) VALUES (?, 1, ?)", arguments: [db.lastInsertedRowID, pending.text])
        }
        return pending
    }
}
