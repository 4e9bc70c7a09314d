import Foundation

/// What the traceability chain needs of the registry: a lot's production stages, the journey a
/// stamp's page shows, and the lots the traceability minimum checks. The diary's rows are written
/// by an import (``CatalogRequest/writeStages(_:)``), inside the file's transaction.
public protocol ChainStore: Sendable {
    /// The stages of one lot of one product, oldest first (ties by id).
    func productionStages(productID: Int64, lot: String) async throws -> [StoredProductionStage]
    /// Every stage, by id, `pageSize` at a time (EPCIS export).
    func productionStages(pageSize: Int) -> PagedSequence<StoredProductionStage, Int64>
    /// Every lot the registry knows (in a stamp order, an issued batch or a diary), with what its
    /// diary records, by product id and lot.
    func lotStageSummaries() async throws -> [LotStageSummary]
    /// The events of a stamp's journey, oldest first: its lot's stages (and, as the chain grows,
    /// its carton's shipments and the partners' events about it). `serial` names the stamp, for
    /// the sources that follow one stamp; nil for the lot's alone.
    func journey(productID: Int64, lot: String, serial: String?) async throws -> [JourneyEntry]
    /// The part of stamp `serial`'s journey that is its own, oldest first: the partners' events
    /// about the stamp itself (``PartnerEventStore``), and the cartons it was taken out of (their
    /// packing, shipments, partners' events and opening), where ``journey(productID:lot:serial:)``
    /// has the lot's and its carton's now, which all its carton's stamps share.
    func stampJourney(serial: String) async throws -> [JourneyEntry]
    /// Whether any stamp has a part of its journey of its own (a partner's event about it, a carton
    /// it was taken out of): while none has, pages need not ask ``stampJourney(serial:)``.
    func hasStampJourneys() async throws -> Bool
    /// The stamps of batch `batchID` that are in a carton now, with their carton, by carton id
    /// (offline packs carry each carton's journey).
    func cartonMembers(batchID: Int64) async throws -> [CartonMember]
}

/// What makes a diary row's stage the same stage: its product, lot, stage word (matched) and start.
public struct ProductionStageKey: Sendable, Hashable {
    public var productID: Int64
    public var lot: String
    public var stageKey: String
    /// The start in UTC, as stored.
    public var startedAt: String

    public init(productID: Int64, lot: String, stageKey: String, startedAt: String) {
        self.productID = productID
        self.lot = lot
        self.stageKey = stageKey
        self.startedAt = startedAt
    }
}

/// One valid diary row, its product found: a stage of one lot, with its event's hash.
public struct ProductionStageWrite: Sendable, Hashable {
    public var row: Int
    public var productID: Int64
    public var lot: String
    public var lotLabel: String
    /// The ``ProductionStage`` raw value, the typed word's matching key (part of the row's key) and the word.
    public var stage: String
    public var stageKey: String
    public var stageWord: String
    public var bizStep: String
    public var startedAt: EventTime
    public var finishedAt: EventTime?
    public var place: String?
    public var placeGLN: String?
    public var commune: String?
    public var province: String?
    public var actor: String?
    public var standard: String?
    public var certificate: String?
    public var note: String?
    /// What the row says (and the product key its event names), so that an unchanged row is not
    /// written again, nor its event built.
    public var fingerprint: String
    public var eventID: String

    public init(row: Int, productID: Int64, lot: String, lotLabel: String, stage: String, stageKey: String, stageWord: String,
                bizStep: String, startedAt: EventTime, finishedAt: EventTime?, place: String?, placeGLN: String?, commune: String?,
                province: String?, actor: String?, standard: String?, certificate: String?, note: String?, fingerprint: String,
                eventID: String) {
        self.row = row
        self.productID = productID
        self.lot = lot
        self.lotLabel = lotLabel
        self.stage = stage
        self.stageKey = stageKey
        self.stageWord = stageWord
        self.bizStep = bizStep
        self.startedAt = startedAt
        self.finishedAt = finishedAt
        self.place = place
        self.placeGLN = placeGLN
        self.commune = commune
        self.province = province
        self.actor = actor
        self.standard = standard
        self.certificate = certificate
        self.note = note
        self.fingerprint = fingerprint
        self.eventID = eventID
    }
}

extension ProductionStageWrite {
    public var key: ProductionStageKey {
        ProductionStageKey(productID: productID, lot: lot, stageKey: stageKey, startedAt: startedAt.utc)
    }
}

/// What writing one diary row did.
public enum ProductionStageWriteOutcome: Sendable, Hashable {
    case inserted, updated
    /// The stored stage says the same: nothing was written.
    case unchanged
}

extension Statements {
    /// The stored stage a diary row meets (same product, lot, stage word and start).
    static let stageByKey = """
        SELECT id, fingerprint FROM production_stages WHERE product_id = ? AND lot = ? AND stage_key = ? AND started_at = ?
        """

    static let stagesOfLot = StoredProductionStage.selection + " WHERE s.product_id = ? AND s.lot = ? ORDER BY s.started_at, s.id"

    /// Every lot in a stamp order, an issued batch or a diary, with its stages counted.
    static let lotStageSummaries = """
        SELECT p.id AS product_id, p.code, p.name, pr.name AS producer, pr.province, l.lot,
               (SELECT COUNT(*) FROM production_stages s WHERE s.product_id = l.product_id AND s.lot = l.lot) AS stages,
               (SELECT COUNT(*) FROM production_stages s WHERE s.product_id = l.product_id AND s.lot = l.lot
                   AND (s.place_gln IS NOT NULL OR s.province IS NOT NULL OR s.place IS NOT NULL)) AS located_stages,
               (SELECT MIN(s.standard) FROM production_stages s WHERE s.product_id = l.product_id AND s.lot = l.lot) AS standard
        FROM (SELECT product_id, lot FROM stamp_orders UNION SELECT product_id, lot FROM stamp_batches
              UNION SELECT product_id, lot FROM production_stages) l
        JOIN products p ON p.id = l.product_id JOIN producers pr ON pr.id = p.producer_id
        """

    /// A stamp's journey, one `SELECT` per source joined by `UNION ALL`, every arm with the columns
    /// of ``JourneyEntry`` (`CAST(NULL AS TEXT)` where a source has none): the part all stamps of
    /// the lot, or of the stamp's carton, share. The extension point of the chain. Bound, in
    /// order: the lot's stages (product id, lot); the packing of the stamp's carton now (serial);
    /// the shipments and then the receipts of that carton or of the lot shipped without cartons
    /// (serial, product id, lot, each); the partners' events about that carton and about the lot
    /// (serial, product id, lot). The stamp's own part is ``stampJourney``. A shipment is told by
    /// its receiver's name and province. Times of cartons and shipments are instants; they are
    /// shown in Vietnam's time (+07:00).
    static let journey = """
        SELECT 'stage' AS source, stage, stage_word, biz_step, started_at AS at, started_offset AS at_offset,
               started_has_time AS at_has_time, place, commune, province, place_gln AS gln,
               CAST(NULL AS TEXT) AS from_party, CAST(NULL AS TEXT) AS to_party, actor, standard, certificate, event_id
        FROM production_stages WHERE product_id = ? AND lot = ?
        UNION ALL
        \(cartonArms(currentCarton, orLot: true))
        UNION ALL
        \(partnerJourneySelect) WHERE e.id IN (\(partnerEventIDsOfCarton) UNION \(partnerEventIDsOfLot))
        """

    /// The part of a stamp's journey that is its own, not shared with the stamps of its lot or
    /// carton: the partners' events about the stamp itself, and the cartons it has been taken out
    /// of (their packing, shipments and receipts, partners' events about them, and their opening).
    /// Bound: serial, then serial for each of the other four arms.
    static let stampJourney = """
        \(partnerJourneySelect) WHERE e.id IN (\(partnerEventIDsOfItem)
            UNION SELECT l.event_id FROM partner_event_links l WHERE l.carton_id IN (\(formerCartons)))
        UNION ALL
        \(cartonArms(formerCartons, orLot: false))
        UNION ALL
        SELECT 'unpacking', CAST(NULL AS TEXT), CAST(NULL AS TEXT), 'unpacking', m.unpacked_at, 420, 1, CAST(NULL AS TEXT), pr.commune,
               pr.province, pr.gln, CAST(NULL AS TEXT), CAST(NULL AS TEXT), CAST(NULL AS TEXT), CAST(NULL AS TEXT), CAST(NULL AS TEXT),
               CAST(NULL AS TEXT)
        FROM carton_stamps m JOIN stamps st ON st.id = m.stamp_id JOIN cartons c ON c.id = m.carton_id
        JOIN stamp_batches b ON b.id = c.batch_id JOIN products p ON p.id = b.product_id JOIN producers pr ON pr.id = p.producer_id
        WHERE st.serial = ? AND m.unpacked_at IS NOT NULL
        """

    /// The carton stamp `?` is in now; the cartons it has been taken out of.
    static let currentCarton = """
        SELECT m.carton_id FROM carton_stamps m JOIN stamps st ON st.id = m.stamp_id WHERE st.serial = ? AND m.unpacked_at IS NULL
        """
    static let formerCartons = """
        SELECT m.carton_id FROM carton_stamps m JOIN stamps st ON st.id = m.stamp_id WHERE st.serial = ? AND m.unpacked_at IS NOT NULL
        """

    /// The packing, shipments and receipts of the cartons `cartons` selects (one `?` each arm), and
    /// with `orLot` those of the lot shipped without cartons (product id and lot after it).
    static func cartonArms(_ cartons: String, orLot: Bool) -> String {
        let lot = orLot ? "\n               OR (sh.carton_id IS NULL AND b.product_id = ? AND b.lot = ?)" : ""
        return """
            SELECT 'packing', CAST(NULL AS TEXT), CAST(NULL AS TEXT), 'packing', c.packed_at, 420, 1, CAST(NULL AS TEXT), pr.commune,
                   pr.province, pr.gln, pr.name, CAST(NULL AS TEXT), CAST(NULL AS TEXT), CAST(NULL AS TEXT), CAST(NULL AS TEXT),
                   CAST(NULL AS TEXT)
            FROM cartons c JOIN stamp_batches b ON b.id = c.batch_id JOIN products p ON p.id = b.product_id
            JOIN producers pr ON pr.id = p.producer_id
            WHERE c.id IN (\(cartons))
            UNION ALL
            SELECT 'shipping', CAST(NULL AS TEXT), CAST(NULL AS TEXT), 'shipping', sh.shipped_at, 420, 1, CAST(NULL AS TEXT),
                   CAST(NULL AS TEXT), pa.province, pa.gln, pr.name, pa.name, CAST(NULL AS TEXT), CAST(NULL AS TEXT), CAST(NULL AS TEXT),
                   CAST(NULL AS TEXT)
            FROM shipments sh JOIN parties pa ON pa.id = sh.party_id JOIN stamp_batches b ON b.id = sh.batch_id
            JOIN products p ON p.id = b.product_id JOIN producers pr ON pr.id = p.producer_id
            WHERE sh.shipped_at IS NOT NULL
              AND (sh.carton_id IN (\(cartons))\(lot))
            UNION ALL
            SELECT 'receiving', CAST(NULL AS TEXT), CAST(NULL AS TEXT), 'receiving', sh.received_at, 420, 1, CAST(NULL AS TEXT),
                   CAST(NULL AS TEXT), pa.province, pa.gln, pr.name, pa.name, CAST(NULL AS TEXT), CAST(NULL AS TEXT), CAST(NULL AS TEXT),
                   CAST(NULL AS TEXT)
            FROM shipments sh JOIN parties pa ON pa.id = sh.party_id JOIN stamp_batches b ON b.id = sh.batch_id
            JOIN products p ON p.id = b.product_id JOIN producers pr ON pr.id = p.producer_id
            WHERE sh.received_at IS NOT NULL
              AND (sh.carton_id IN (\(cartons))\(lot))
            """
    }
}

extension Statements {
    /// Two index probes (``stampJourney``'s sources).
    static let hasStampJourneys = """
        SELECT CASE WHEN EXISTS (SELECT 1 FROM partner_event_links WHERE stamp_id IS NOT NULL)
                      OR EXISTS (SELECT 1 FROM carton_stamps WHERE unpacked_at IS NOT NULL) THEN 1 ELSE 0 END
        """
    static let cartonMembers = """
        SELECT s.serial, c.id AS carton_id, c.sscc FROM cartons c JOIN carton_stamps m ON m.carton_id = c.id JOIN stamps s ON s.id = m.stamp_id
        WHERE c.batch_id = ? AND m.unpacked_at IS NULL ORDER BY c.id
        """
}

extension [JourneyEntry] {
    /// Oldest first; at the same instant in the order the sources were read.
    func sortedByTime() -> [JourneyEntry] {
        enumerated().sorted { lhs, rhs in
            let (left, right) = (lhs.element.time, rhs.element.time)
            return left != right ? left < right : lhs.offset < rhs.offset
        }.map(\.element)
    }
}
