import Foundation
import PostgresNIO

/// The statements both engines run with the same text, written once with `?` placeholders: SQLite
/// runs them as they are, PostgreSQL with the placeholders numbered (``PostgresQuery/init(shared:_:)``).
/// What differs by dialect stays in each engine.
enum Statements {}

/// A value a shared statement binds (GRDB takes the same values as they are).
protocol StatementValue: Sendable {
    func bind(to binds: inout PostgresBindings)
}

extension StatementValue where Self: PostgresDynamicTypeEncodable {
    func bind(to binds: inout PostgresBindings) { binds.append(self) }
}

extension Int: StatementValue {}
extension Int64: StatementValue {}
extension String: StatementValue {}
extension Double: StatementValue {}

extension Optional: StatementValue where Wrapped: StatementValue & PostgresDynamicTypeEncodable {
    func bind(to binds: inout PostgresBindings) { binds.append(self) }
}

extension PostgresQuery {
    /// A shared statement (``Statements``) for PostgreSQL: its `?` become `$1`, `$2`, … in order,
    /// bound to `values`. The texts hold no `?` but placeholders.
    init(shared sql: String, _ values: any StatementValue...) {
        var numbered = ""
        numbered.reserveCapacity(sql.utf8.count + 8)
        var count = 0
        for character in sql {
            if character == "?" {
                count += 1
                numbered += "$\(count)"
            } else {
                numbered.append(character)
            }
        }
        var binds = PostgresBindings(capacity: values.count)
        for value in values { value.bind(to: &binds) }
        self.init(unsafeSQL: numbered, binds: binds)
    }
}

// MARK: Issuing

extension Statements {
    static let stampOrder = """
        SELECT o.id, o.product_id, p.code AS product_code, o.lot, o.lot_label, o.quantity, o.produced_on, o.expires_on
        FROM stamp_orders o JOIN products p ON p.id = o.product_id WHERE o.id = ?
        """
    static let batchByLot = StampBatch.selection + " WHERE b.product_id = ? AND b.lot = ?"
    static let batchByID = StampBatch.selection + " WHERE b.id = ?"
    static let batchesOfLot = StampBatch.selection + " WHERE b.lot = ? ORDER BY b.id"
    static let batchSize = "SELECT id, quantity FROM stamp_batches WHERE product_id = ? AND lot = ?"
    static let orderIssuing = "UPDATE stamp_orders SET status = 'issuing' WHERE id = ? AND status = 'pending'"
    static let stampCount = "SELECT COUNT(*) FROM stamps WHERE batch_id = ?"
    /// A batch's sequences run 1...n without holes, so the last one is the count: one index probe.
    static let storedCount = "SELECT COALESCE(MAX(sequence), 0) FROM stamps WHERE batch_id = ?"
    static let batchIssued = "UPDATE stamp_batches SET status = 'issued', completed_at = ? WHERE id = ?"
    static let orderIssued = "UPDATE stamp_orders SET status = 'issued' WHERE id = ?"
    static let stampsInSequence = """
        SELECT sequence, serial, signature FROM stamps WHERE batch_id = ? AND sequence BETWEEN ? AND ? ORDER BY sequence
        """
    static let recognition = "SELECT ocop_stars, ocop_decision, ocop_recognized_on FROM products WHERE id = ?"
    static let addSigningKey = "INSERT INTO signing_keys (key_id, public_key, created_at, retired_at) VALUES (?, ?, ?, ?)"
    static let lotStamps = "SELECT id FROM stamps WHERE batch_id = ? ORDER BY id"
}

// MARK: Verifying

extension Statements {
    static let ping = "SELECT 1"
    static let webScanCount = "SELECT COUNT(*) FROM scans WHERE channel = 'web'"
    static let registrySecret = "SELECT value FROM registry_secrets WHERE name = ?"
    static let packStamps = PackStamp.selection + " WHERE s.batch_id = ?"
    static let resolverProduct = ResolverProduct.selection + " WHERE p.gtin = ?"
}

// MARK: The job log

extension Statements {
    static let finishJob = """
        UPDATE jobs SET finished_at = ?, outcome = ?, rows_read = ?, inserted = ?, updated = ?, unchanged = ?,
            invalid = ?, message = ?
        WHERE id = ?
        """
    static let jobs = "SELECT * FROM jobs ORDER BY id DESC LIMIT ?"
}

// MARK: Exporting and category trees

extension Statements {
    static let sharedProductCodes = "SELECT code FROM products GROUP BY code HAVING COUNT(*) > 1"
    static let unrevokedStampCounts = """
        SELECT b.product_id, COUNT(*) AS count FROM stamps s JOIN stamp_batches b ON b.id = s.batch_id
        LEFT JOIN revocations r ON r.stamp_id = s.id WHERE b.status = 'issued' AND r.stamp_id IS NULL GROUP BY b.product_id
        """
    static let batchSerials = "SELECT sequence, serial FROM stamps WHERE batch_id = ? AND sequence > ? ORDER BY sequence LIMIT ?"
    static let categoryTree = "SELECT platform, file, format, imported_at, nodes FROM category_trees WHERE platform = ?"
    static let categoryNodes = "SELECT id, parent_id, name, is_leaf FROM category_nodes WHERE platform = ? ORDER BY position"
    static let deleteCategoryNodes = "DELETE FROM category_nodes WHERE platform = ?"
    static let deleteCategoryTree = "DELETE FROM category_trees WHERE platform = ?"
    static let addCategoryTree = "INSERT INTO category_trees (platform, file, format, imported_at, nodes) VALUES (?, ?, ?, ?, ?)"
}
