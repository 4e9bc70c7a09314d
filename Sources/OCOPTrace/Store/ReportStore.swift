import Foundation

/// What `ocoptrace report` needs of the registry: its figures, counted by the engine (GROUP BY),
/// never by reading every stamp or scan into Swift. A registry of a million stamps and a million
/// scans answers with a few hundred rows.
///
/// Most tallies are per producer (a province has hundreds of producers at most), so that the report
/// can keep the producers its `--producer` and `--province` name (matched as every command matches
/// them: accents and case ignored, in Swift) and add them up per district. The two tallies that
/// would grow with producers × days (scans per day, the most-scanned copies) are filtered in SQL
/// by ``ReportRequest/producerIDs``.
///
/// The production chain (the diary's stages, cartons, shipments and receipts) is counted per
/// producer and month too (``ReportTallies/chainPerMonth``), in the same transaction.
public protocol ReportStore: Sendable {
    /// Every producer, by id: the report picks those in its scope from these.
    func reportProducers() async throws -> [ReportProducer]

    /// The registry's figures for `request`, read in one transaction so that they agree with each
    /// other (SQLite: one read transaction; PostgreSQL: one repeatable-read transaction).
    func reportTallies(_ request: ReportRequest) async throws -> ReportTallies
}

/// What a report asks the store for.
public struct ReportRequest: Sendable {
    /// The producers in scope, by id; nil: every producer. Only the tallies that are not per
    /// producer are filtered by it in the store; per-producer rows come for every producer.
    public var producerIDs: [Int64]?
    /// The period's first instant and the instant after its last day, as stored timestamps compare
    /// (`2026-01-01`, `2026-04-01`); nil: open.
    public var from: String?
    public var before: String?
    /// More scans than this make a stamp a suspected copy (``CloneRule``), as do scans at two places.
    public var cloneThreshold: Int
    /// How many of the most-scanned suspected copies to list.
    public var topCopies: Int

    public init(producerIDs: [Int64]? = nil, from: String? = nil, before: String? = nil, cloneThreshold: Int = CloneRule().threshold,
                topCopies: Int = 10) {
        self.producerIDs = producerIDs
        self.from = from
        self.before = before
        self.cloneThreshold = cloneThreshold
        self.topCopies = topCopies
    }

    /// The bounds as both engines bind them: an open end compares below (`""`) or above (`"~"`)
    /// every stored timestamp.
    var lowerBound: String { from ?? "" }
    var upperBound: String { before ?? "~" }

    /// The producer ids as a JSON array, which both engines read as a set (`json_each`,
    /// `json_array_elements_text`).
    var producerIDsJSON: String? {
        producerIDs.map { "[" + $0.map(String.init).joined(separator: ",") + "]" }
    }
}

/// The figures the store counts for a report; see the records in `Records/ReportRecords.swift`.
public struct ReportTallies: Sendable, Codable {
    /// Products per producer, star rating, group and recognition date.
    public var products: [ProductTally]
    /// Issued lots per product (to count the lots of products that meet the traceability minimum).
    public var lots: [LotTally]
    /// Stamps issued per producer, all time.
    public var issued: [ProducerCount]
    /// Stamps issued in the period per producer and month (`2026-03`).
    public var issuedPerMonth: [MonthlyIssue]
    /// Revoked stamps per producer, all time and in the period.
    public var revoked: [RevocationTally]
    /// Scans per producer: how many in the period, of how many stamps, and how many of those
    /// stamps are suspected copies.
    public var scans: [ScanTally]
    /// Scans in the period per day and verdict, of the producers in scope.
    public var scansPerDay: [DailyScans]
    /// The most-scanned suspected copies among the stamps scanned in the period, of the producers in scope.
    public var suspectedCopies: [SuspectedCopy]
    /// Production stages, cartons, shipments and receipts in the period per producer and month.
    public var chainPerMonth: [MonthlyChainCount]
}

// MARK: The statements, the same text on both engines

extension Statements {
    /// A scan's verdict as the report counts it: a genuine verdict on a stamp that the copy rule
    /// flags (over its whole history, as `verify` judges it) is a suspected copy; forged, unknown,
    /// malformed and pending verdicts are not (valid) stamps of ours. `f` holds the flagged stamps.
    static let reportVerdict = """
        CASE WHEN c.status = 'genuine' AND f.stamp_id IS NOT NULL THEN 'suspected_copy'
             WHEN c.status = 'genuine' THEN 'genuine'
             WHEN c.status = 'revoked' THEN 'revoked'
             ELSE 'not_ours' END
        """

    /// Each scanned stamp's history (binds: the period's bounds, the copy rule's threshold): its lot
    /// (`batch_id`), its scans, its scans in the period, and whether the copy rule flags it
    /// (`flagged`, 1 or 0): more scans than the threshold, or scans at two places or more (the
    /// rule's distinct places, NULL left out: `MIN <> MAX`, no COUNT(DISTINCT), which costs a sort
    /// per stamp). The scans are grouped from the index `scans_for_report` alone, in stamp order,
    /// and only then joined to their stamps, one row per scanned stamp (PostgreSQL merges the two
    /// in order instead of hashing a million stamps). The rows are kept narrow: both engines hold
    /// this history while the report reads it three times, and the first and last scan are looked
    /// up for the few copies listed.
    static let stampScanHistory = """
        SELECT g.stamp_id, g.scans, g.in_period, g.flagged, s.batch_id FROM (
            SELECT stamp_id, COUNT(*) AS scans, SUM(CASE WHEN scanned_at >= ? AND scanned_at < ? THEN 1 ELSE 0 END) AS in_period,
                   CASE WHEN COUNT(*) > ? OR MIN(location) <> MAX(location) THEN 1 ELSE 0 END AS flagged
            FROM scans GROUP BY stamp_id) g
        JOIN stamps s ON s.id = g.stamp_id
        """

    static let reportProducers = "SELECT id, name, type, commune, district, province FROM producers ORDER BY id"

    static let reportProducts = """
        SELECT producer_id, ocop_stars, ocop_group, ocop_recognized_on, COUNT(*) AS count FROM products
        GROUP BY producer_id, ocop_stars, ocop_group, ocop_recognized_on
        """

    static let reportLots = "SELECT product_id, COUNT(*) AS lots FROM stamp_batches WHERE status = 'issued' GROUP BY product_id"

    static let reportIssued = """
        SELECT p.producer_id, SUM(b.quantity) AS count FROM stamp_batches b JOIN products p ON p.id = b.product_id
        WHERE b.status = 'issued' GROUP BY p.producer_id
        """

    /// Binds: the period's bounds.
    static let reportIssuedPerMonth = """
        SELECT p.producer_id, substr(COALESCE(b.completed_at, b.created_at), 1, 7) AS month, SUM(b.quantity) AS stamps
        FROM stamp_batches b JOIN products p ON p.id = b.product_id
        WHERE b.status = 'issued' AND COALESCE(b.completed_at, b.created_at) >= ? AND COALESCE(b.completed_at, b.created_at) < ?
        GROUP BY p.producer_id, substr(COALESCE(b.completed_at, b.created_at), 1, 7)
        """

    /// The chain's records in the period per producer and month, one kind after another: the
    /// diary's stages by their start, cartons by their packing (an unpacked carton was still
    /// packed), shipments by the day shipped, receipts by the day received. Binds: the period's
    /// bounds, four times.
    static let reportChainPerMonth = """
        SELECT 'stage' AS kind, p.producer_id, substr(s.started_at, 1, 7) AS month, COUNT(*) AS count
        FROM production_stages s JOIN products p ON p.id = s.product_id
        WHERE s.started_at >= ? AND s.started_at < ?
        GROUP BY p.producer_id, substr(s.started_at, 1, 7)
        UNION ALL
        SELECT 'carton', p.producer_id, substr(c.packed_at, 1, 7), COUNT(*)
        FROM cartons c JOIN stamp_batches b ON b.id = c.batch_id JOIN products p ON p.id = b.product_id
        WHERE c.packed_at >= ? AND c.packed_at < ?
        GROUP BY p.producer_id, substr(c.packed_at, 1, 7)
        UNION ALL
        SELECT 'shipment', p.producer_id, substr(sh.shipped_at, 1, 7), COUNT(*)
        FROM shipments sh JOIN stamp_batches b ON b.id = sh.batch_id JOIN products p ON p.id = b.product_id
        WHERE sh.shipped_at >= ? AND sh.shipped_at < ?
        GROUP BY p.producer_id, substr(sh.shipped_at, 1, 7)
        UNION ALL
        SELECT 'receipt', p.producer_id, substr(sh.received_at, 1, 7), COUNT(*)
        FROM shipments sh JOIN stamp_batches b ON b.id = sh.batch_id JOIN products p ON p.id = b.product_id
        WHERE sh.received_at >= ? AND sh.received_at < ?
        GROUP BY p.producer_id, substr(sh.received_at, 1, 7)
        """

    /// Binds: the period's bounds.
    static let reportRevoked = """
        SELECT p.producer_id, COUNT(*) AS total, SUM(CASE WHEN r.revoked_at >= ? AND r.revoked_at < ? THEN 1 ELSE 0 END) AS in_period
        FROM revocations r JOIN stamps s ON s.id = r.stamp_id JOIN stamp_batches b ON b.id = s.batch_id
        JOIN products p ON p.id = b.product_id
        GROUP BY p.producer_id
        """

    /// Every figure of the scans, from one reading of every stamp's history (`h`, a CTE both
    /// engines compute once) and one of the scans: per producer (`kind` `producer`), scans in the
    /// period, the stamps they were of and how many of those the copy rule flags; the most-scanned
    /// suspected copies of the producers in scope (`copy`), with their places, first and last scan
    /// looked up for those stamps only; the scans in the period per day and verdict (`day`) of the
    /// producers in scope.
    ///
    /// A stamp's history carries its lot, so the producers come from the few lots and products,
    /// and the most-scanned copies are picked before their serials and names are looked up.
    ///
    /// `scope` is the engine's `p.producer_id IN (…)` with one placeholder. Binds: the period's
    /// bounds, the threshold, the producers (when scoped), the limit, the period's bounds, the
    /// producers (when scoped).
    static func reportScanFigures(scope: String?) -> String {
        let scopedScans = scope.map { """
            JOIN stamps s ON s.id = c.stamp_id JOIN stamp_batches b ON b.id = s.batch_id JOIN products p ON p.id = b.product_id
            WHERE c.scanned_at >= ? AND c.scanned_at < ? AND \($0)
            """ } ?? "WHERE c.scanned_at >= ? AND c.scanned_at < ?"
        let scopedLots = scope.map { " AND h.batch_id IN (SELECT b.id FROM stamp_batches b JOIN products p ON p.id = b.product_id WHERE \($0))" }
        return """
            WITH h AS (\(stampScanHistory))
            SELECT 'producer' AS kind, p.producer_id, SUM(h.in_period) AS scans, SUM(CASE WHEN h.in_period > 0 THEN 1 ELSE 0 END) AS stamps,
                   SUM(CASE WHEN h.in_period > 0 THEN h.flagged ELSE 0 END) AS suspected,
                   NULL AS serial, NULL AS product, NULL AS producer, NULL AS lot, NULL AS places, NULL AS first_at, NULL AS last_at,
                   NULL AS day, NULL AS verdict
            FROM h JOIN stamp_batches b ON b.id = h.batch_id JOIN products p ON p.id = b.product_id
            GROUP BY p.producer_id
            UNION ALL
            SELECT 'copy', NULL, t.scans, NULL, NULL, s.serial, p.code, pr.name, b.lot,
                   (SELECT COUNT(DISTINCT location) FROM scans WHERE stamp_id = t.stamp_id),
                   (SELECT MIN(scanned_at) FROM scans WHERE stamp_id = t.stamp_id), (SELECT MAX(scanned_at) FROM scans WHERE stamp_id = t.stamp_id),
                   NULL, NULL
            FROM (SELECT h.stamp_id, h.batch_id, h.scans FROM h
                  WHERE h.in_period > 0 AND h.flagged = 1\(scopedLots ?? "")
                  ORDER BY h.scans DESC, h.stamp_id
                  LIMIT ?) t
            JOIN stamps s ON s.id = t.stamp_id JOIN stamp_batches b ON b.id = t.batch_id
            JOIN products p ON p.id = b.product_id JOIN producers pr ON pr.id = p.producer_id
            UNION ALL
            SELECT 'day', NULL, COUNT(*), NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
                   substr(c.scanned_at, 1, 10), \(reportVerdict)
            FROM scans c LEFT JOIN (SELECT stamp_id FROM h WHERE h.flagged = 1) f ON f.stamp_id = c.stamp_id
            \(scopedScans)
            GROUP BY substr(c.scanned_at, 1, 10), \(reportVerdict)
            """
    }

}

/// A row of ``Statements/reportScanFigures(scope:)``: a producer's scan tally, a suspected copy,
/// or a day's scans of one verdict.
struct StampHistoryRow: Decodable, Sendable {
    var kind: String
    var producerID: Int64?
    var scans: Int
    var stamps: Int?
    var suspected: Int?
    var serial: String?
    var product: String?
    var producer: String?
    var lot: String?
    var places: Int?
    var firstAt: String?
    var lastAt: String?
    var day: String?
    var verdict: DailyScans.Verdict?

    enum CodingKeys: String, CodingKey {
        case kind, producerID = "producer_id", scans, stamps, suspected, serial, product, producer, lot, places
        case firstAt = "first_at", lastAt = "last_at", day, verdict
    }

    /// The producers' tallies, the copies (most scanned first) and the days.
    static func split(_ rows: [StampHistoryRow]) -> (tallies: [ScanTally], copies: [SuspectedCopy], days: [DailyScans]) {
        var tallies: [ScanTally] = []
        var copies: [SuspectedCopy] = []
        var days: [DailyScans] = []
        for row in rows {
            if row.kind == "day", let day = row.day, let verdict = row.verdict {
                days.append(DailyScans(day: day, verdict: verdict, scans: row.scans))
            } else if row.kind == "producer", let producer = row.producerID {
                tallies.append(ScanTally(producerID: producer, scans: row.scans, stamps: row.stamps ?? 0, suspected: row.suspected ?? 0))
            } else if let serial = row.serial {
                copies.append(SuspectedCopy(serial: serial, product: row.product ?? "", producer: row.producer ?? "", lot: row.lot ?? "",
                                            scans: row.scans, places: row.places ?? 0, firstAt: row.firstAt ?? "", lastAt: row.lastAt ?? ""))
            }
        }
        copies.sort { ($0.scans, $1.serial) > ($1.scans, $0.serial) }
        return (tallies, copies, days)
    }
}
