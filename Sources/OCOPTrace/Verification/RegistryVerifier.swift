import Foundation
import GRDB

/// How a verification run records and flags.
public struct VerifyOptions: Sendable {
    /// Record each verification as a scan (off with `--no-record`, which also opens the registry read-only).
    public var record: Bool
    public var inspector: String?
    public var location: String?
    /// More recorded verifications than this flags a suspected clone.
    public var cloneThreshold: Int
    public var today: CalendarDate

    public init(record: Bool = true, inspector: String? = nil, location: String? = nil, cloneThreshold: Int = 5,
                today: CalendarDate = .today()) {
        self.record = record
        self.inspector = inspector
        self.location = location
        self.cloneThreshold = cloneThreshold
        self.today = today
    }
}

/// Verifies against the registry: syntax, signature, the issued record, revocations, and the scan
/// history that reveals copies of genuine stamps.
public struct RegistryVerifier: Sendable {
    public let registry: Registry
    public let options: VerifyOptions
    let judge: StampJudge

    public init(registry: Registry, options: VerifyOptions) throws {
        self.registry = registry
        self.options = options
        let keys = try registry.read { db in
            try Row.fetchAll(db, sql: "SELECT key_id, public_key FROM signing_keys").compactMap { row -> PublicStampKey? in
                Base64URL.decode(row["public_key"]).map { PublicStampKey(keyID: row["key_id"], rawKey: $0) }
            }
        }
        judge = StampJudge(publicKeys: keys, today: options.today, mode: "registry")
    }

    /// Verifies a group of inputs in one short transaction (one write when recording).
    public func verify(_ inputs: [String]) throws -> [VerificationResult] {
        let parsed = inputs.map(VerificationInput.init)
        let now = Timestamp.now()
        let body = { (db: Database) throws -> [VerificationResult] in
            var results: [VerificationResult] = []
            results.reserveCapacity(inputs.count)
            for (text, input) in zip(inputs, parsed) {
                guard let serial = input.serial else {
                    results.append(judge.judge(input: text, parsed: input, record: nil))
                    continue
                }
                let found = try RegistryVerifier.record(db, serial: serial)
                var result = judge.judge(input: text, parsed: input, record: found?.record)
                if let stampRowID = found?.rowID {
                    if options.record {
                        try db.cachedStatement(sql: """
                            INSERT INTO scans (stamp_id, scanned_at, inspector, location, status) VALUES (?, ?, ?, ?, ?)
                            """).execute(arguments: [stampRowID, now, options.inspector, options.location, result.status.rawValue])
                    }
                    result.scans = try RegistryVerifier.history(db, stampRowID: stampRowID)
                    RegistryVerifier.flagCopies(&result, cloneThreshold: options.cloneThreshold)
                }
                results.append(result)
            }
            return results
        }
        return options.record ? try registry.write(body) : try registry.read(body)
    }

    static func record(_ db: Database, serial: Serial) throws -> (rowID: Int64, record: StampRecord)? {
        try recordAndProduct(db, serial: serial).map { ($0.rowID, $0.record) }
    }

    /// The record of a serial, with the row ids of the stamp and its product.
    static func recordAndProduct(_ db: Database, serial: Serial) throws -> (rowID: Int64, productRowID: Int64, record: StampRecord)? {
        guard let row = try Row.fetchOne(db.cachedStatement(sql: """
            SELECT s.id, b.product_id, s.signature IS NOT NULL AS signed, b.status, b.lot, b.produced_on, b.expires_on, b.resolver, b.key_id,
                   p.code, p.name, p.gtin, p.ocop_stars, p.ocop_decision, p.ocop_recognized_on,
                   pr.name AS producer, pr.province, r.reason AS revocation
            FROM stamps s
            JOIN stamp_batches b ON b.id = s.batch_id
            JOIN products p ON p.id = b.product_id
            JOIN producers pr ON pr.id = p.producer_id
            LEFT JOIN revocations r ON r.stamp_id = s.id
            WHERE s.serial = ?
            """), arguments: [serial.text]) else { return nil }
        let gtin: String? = row["gtin"]
        let code: String = row["code"]
        let stars: Int? = row["ocop_stars"]
        var record = StampRecord(
            serial: serial, product: gtin.flatMap { try? GTIN(parsing: $0) }.map(StampURL.ProductKey.gtin) ?? .code(code),
            productCode: code, productName: row["name"], producer: row["producer"], province: row["province"], lot: row["lot"],
            producedOn: (row["produced_on"] as String?).flatMap(CalendarDate.init(parsing:)),
            expiresOn: (row["expires_on"] as String?).flatMap(CalendarDate.init(parsing:)),
            resolver: row["resolver"], signed: row["signed"], complete: row["status"] == "issued", revocationReason: row["revocation"],
            ocop: stars.map { OCOPRecognition(stars: $0, decision: row["ocop_decision"],
                                              recognizedOn: (row["ocop_recognized_on"] as String?).flatMap(CalendarDate.init(parsing:))) })
        record.signingKeyID = row["key_id"]
        return (row["id"], row["product_id"], record)
    }

    /// The clone rule: verified more than `cloneThreshold` times, or at two places, is a suspected copy.
    static func flagCopies(_ result: inout VerificationResult, cloneThreshold: Int) {
        guard let scans = result.scans else { return }
        result.suspectedClone = scans.count > cloneThreshold || scans.locations.count > 1
        if result.suspectedClone, result.status == .genuine {
            result.notes.append(scans.locations.count > 1 ? .copyAtPlaces(scans.locations) : .copyScannedOften(scans.count, since: scans.firstAt))
        }
    }

    static func history(_ db: Database, stampRowID: Int64) throws -> VerificationResult.Scans? {
        let row = try Row.fetchOne(db.cachedStatement(sql: """
            SELECT COUNT(*) AS count, MIN(scanned_at) AS first, MAX(scanned_at) AS last,
                   (SELECT GROUP_CONCAT(location, char(31)) FROM (SELECT DISTINCT location FROM scans
                    WHERE stamp_id = ?1 AND location IS NOT NULL ORDER BY location)) AS locations
            FROM scans WHERE stamp_id = ?1
            """), arguments: [stampRowID])!
        let count: Int = row["count"]
        guard count > 0 else { return VerificationResult.Scans(count: 0, firstAt: nil, lastAt: nil, locations: []) }
        let locations = (row["locations"] as String?).map { $0.split(separator: "\u{1F}").map(String.init) } ?? []
        return VerificationResult.Scans(count: count, firstAt: row["first"], lastAt: row["last"], locations: locations)
    }
}
