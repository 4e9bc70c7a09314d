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
    /// One stamp, with its PIN's keyed hash when it has one; a serial already taken inserts nothing.
    static let appendStamp = "INSERT OR IGNORE INTO stamps (batch_id, sequence, serial, signature, pin_hash) VALUES (?, ?, ?, ?, ?)"
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

// MARK: Cartons and shipments

extension Statements {
    static let cartonByKey = StoredCarton.selection + " WHERE c.sscc = ?"
    static let cartonsOfPack = StoredCarton.selection + " WHERE c.job_id = ? ORDER BY c.ordinal"
    static let cartonsPage = StoredCarton.selection
        + " WHERE c.id > ? AND (CAST(? AS TEXT) IS NULL OR p.code = ?) AND (CAST(? AS TEXT) IS NULL OR b.lot = ?) ORDER BY c.id LIMIT ?"
    static let cartonStamps = """
        SELECT s.sequence, s.serial FROM carton_stamps m JOIN stamps s ON s.id = m.stamp_id
        WHERE m.carton_id = ? AND s.sequence > ? ORDER BY s.sequence LIMIT ?
        """
    static let cartonCount = "SELECT COUNT(*) FROM cartons"
    /// Takes `count` serials from a company prefix's counter (made at 0 the first time) and
    /// answers the counter after them: the serials taken are the `count` before it.
    static let takeCartonSerials = """
        INSERT INTO carton_counters (company_prefix, next_serial) VALUES (?, ?)
        ON CONFLICT (company_prefix) DO UPDATE SET next_serial = carton_counters.next_serial + excluded.next_serial
        RETURNING next_serial
        """
    /// A batch's unrevoked stamps in no carton now, numbered from 0 in sequence order.
    static let packCandidatesOfBatch = """
        INSERT INTO pack_candidates (position, stamp_id, sequence)
        SELECT ROW_NUMBER() OVER (ORDER BY s.sequence) - 1, s.id, s.sequence FROM stamps s
        WHERE s.batch_id = ? AND NOT EXISTS (SELECT 1 FROM revocations r WHERE r.stamp_id = s.id)
          AND NOT EXISTS (SELECT 1 FROM carton_stamps m WHERE m.stamp_id = s.id AND m.unpacked_at IS NULL)
        """
    /// Listed stamps (pack_listed) with what may keep each out of a carton.
    static let listedStampProblems = """
        SELECT l.position, l.serial, s.batch_id,
               (SELECT COUNT(*) FROM revocations r WHERE r.stamp_id = s.id) AS revoked,
               (SELECT c.sscc FROM carton_stamps m JOIN cartons c ON c.id = m.carton_id
                WHERE m.stamp_id = s.id AND m.unpacked_at IS NULL) AS carton
        FROM pack_listed l LEFT JOIN stamps s ON s.serial = l.serial ORDER BY l.position
        """
    static let packCandidatesListed = """
        INSERT INTO pack_candidates (position, stamp_id, sequence)
        SELECT l.position, s.id, s.sequence FROM pack_listed l JOIN stamps s ON s.serial = l.serial
        """
    /// The cartons the candidates fill: per carton (ordinal), its count and first and last sequence.
    static let packGroups = """
        SELECT position / ? AS ordinal, COUNT(*) AS count, MIN(sequence) AS first_sequence, MAX(sequence) AS last_sequence
        FROM pack_candidates GROUP BY 1 ORDER BY 1
        """
    static let addCarton = """
        INSERT INTO cartons (sscc, batch_id, job_id, ordinal, count, first_sequence, last_sequence, packed_at)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?)
        """
    /// Every candidate into the carton of its ordinal, in one statement (SQLite adds an ORDER BY,
    /// so that its b-tree is appended to in key order).
    static let packMembership = """
        INSERT INTO carton_stamps (carton_id, stamp_id)
        SELECT k.id, c.stamp_id FROM pack_candidates c JOIN cartons k ON k.job_id = ? AND k.ordinal = c.position / ?
        """
    static let unpackCarton = "UPDATE cartons SET unpacked_at = ? WHERE id = ? AND unpacked_at IS NULL"
    static let unpackCartonStamps = "UPDATE carton_stamps SET unpacked_at = ? WHERE carton_id = ? AND unpacked_at IS NULL"

    static let partyByKey = "SELECT id, gln FROM parties WHERE identity_key = ?"
    static let addParty = """
        INSERT INTO parties (name, identity_key, province, gln, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?) RETURNING id
        """
    static let partyGLN = "UPDATE parties SET gln = ?, updated_at = ? WHERE id = ?"
    static let shipmentByKey = "SELECT id, received_at FROM shipments WHERE shipment_key = ?"
    /// The latest shipment of a carton (or of a lot without cartons, carton 0) to a party not received yet.
    static let openShipment = """
        SELECT id FROM shipments
        WHERE batch_id = ? AND COALESCE(carton_id, 0) = ? AND party_id = ? AND shipped_at IS NOT NULL AND received_at IS NULL
        ORDER BY shipped_at DESC, id DESC LIMIT 1
        """
    static let addShipment = """
        INSERT INTO shipments (shipment_key, carton_id, batch_id, count, party_id, shipped_at, received_at, job_id, created_at, updated_at)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
        """
    static let receiveShipment = "UPDATE shipments SET received_at = ?, updated_at = ? WHERE id = ?"
    static let shipmentsOfCarton = StoredShipment.selection + " WHERE s.carton_id = ? ORDER BY COALESCE(s.shipped_at, s.received_at), s.id"
    static let shipmentsPage = StoredShipment.selection + " WHERE s.id > ? ORDER BY s.id LIMIT ?"
    static let shipmentCount = "SELECT COUNT(*) FROM shipments"
    /// The cartons a stamp was ever packed into.
    static let cartonsOfStamp = StoredCarton.selection
        + " WHERE c.id IN (SELECT m.carton_id FROM carton_stamps m JOIN stamps st ON st.id = m.stamp_id WHERE st.serial = ?) ORDER BY c.id"
    /// The shipments of a stamp's cartons and of its lot without cartons.
    static let shipmentsOfStamp = StoredShipment.selection + """
         WHERE s.carton_id IN (SELECT m.carton_id FROM carton_stamps m JOIN stamps st ON st.id = m.stamp_id WHERE st.serial = ?)
            OR (s.carton_id IS NULL AND s.batch_id = (SELECT st.batch_id FROM stamps st WHERE st.serial = ?))
         ORDER BY s.id
        """
}
