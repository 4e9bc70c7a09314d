import Foundation

/// Partner events in the registry (issue 23 §4): EPCIS events distributors' and shops' systems
/// recorded about our stamps, cartons and lots (`ocoptrace epcis import`), and where they flow out
/// (the journey, ``ChainStore/journey(productID:lot:serial:)``; EPCIS export; the traceability
/// answer).
public protocol PartnerEventStore: Sendable {
    /// Records the events of one partner document in one transaction, with the job of its import:
    /// each event is looked up by its hash and by its eventID (a duplicate is not written again),
    /// what it names is resolved to our stamps, cartons and lots (an event naming none of ours is
    /// not written), and the rest is stored with one link per stamp, carton or lot. Answers one
    /// outcome per event, in order. A dry run does all of it and rolls it back.
    func recordPartnerEvents(_ events: [PartnerEventWrite], job: JobStart, dryRun: Bool) async throws -> [PartnerEventOutcome]
    /// Every partner event, by id, `pageSize` at a time (EPCIS export).
    func partnerEvents(pageSize: Int) -> PagedSequence<StoredPartnerEvent, Int64>
    /// The partner events about stamp `serial` (itself and its carton now) and about the lot `lot`
    /// of the product with row id `productID`, by id.
    func partnerEvents(productID: Int64, lot: String, serial: String?) async throws -> [StoredPartnerEvent]
}

/// One event of a partner's document, read and checked, with what it names that may be ours.
public struct PartnerEventWrite: Sendable, Hashable {
    /// Its place in the document's event list (from 0).
    public var index: Int
    /// The CBV 2.0 event hash (``EPCISEvent/hashID``), the event's key.
    public var hash: String
    /// The eventID the partner wrote, if any.
    public var eventID: String?
    public var type: String
    public var action: String
    public var bizStep: String?
    public var disposition: String?
    /// The instant in UTC (`2026-11-22T01:15:00.000Z`) and the offset of the place, in minutes.
    public var eventTime: String
    public var offsetMinutes: Int
    public var readPoint: String?
    public var bizLocation: String?
    /// The GLN (13 digits) of the place: the bizLocation's, else the readPoint's.
    public var gln: String?
    /// The GLNs of the party goods came from and went to (owning, else possessing party, else location).
    public var sourceGLN: String?
    public var destinationGLN: String?
    /// The document's file name.
    public var document: String
    /// The event as received, with the document's `@context` (``StoredPartnerEvent/eventJSON``).
    public var json: String
    /// What the event names that may be ours.
    public var stamps: [PartnerEventWrite.Item]
    /// Cartons by their registry text (``CartonKey/text``).
    public var cartons: [String]
    public var lots: [PartnerEventWrite.Lot]

    /// A stamped item: its product (GTIN digits, or our product code for `/p/` URIs) and serial.
    public struct Item: Sendable, Hashable {
        public var gtin: String?
        public var productCode: String?
        public var serial: String
        public init(gtin: String?, productCode: String?, serial: String) {
            self.gtin = gtin
            self.productCode = productCode
            self.serial = serial
        }
    }

    /// A lot as a class (`…/01/{gtin}/10/{lot}`).
    public struct Lot: Sendable, Hashable {
        public var gtin: String?
        public var productCode: String?
        public var lot: String
        public init(gtin: String?, productCode: String?, lot: String) {
            self.gtin = gtin
            self.productCode = productCode
            self.lot = lot
        }
    }

    public init(index: Int, hash: String, eventID: String?, type: String, action: String, bizStep: String?, disposition: String?,
                eventTime: String, offsetMinutes: Int, readPoint: String?, bizLocation: String?, gln: String?, sourceGLN: String?,
                destinationGLN: String?, document: String, json: String, stamps: [Item], cartons: [String], lots: [Lot]) {
        self.index = index
        self.hash = hash
        self.eventID = eventID
        self.type = type
        self.action = action
        self.bizStep = bizStep
        self.disposition = disposition
        self.eventTime = eventTime
        self.offsetMinutes = offsetMinutes
        self.readPoint = readPoint
        self.bizLocation = bizLocation
        self.gln = gln
        self.sourceGLN = sourceGLN
        self.destinationGLN = destinationGLN
        self.document = document
        self.json = json
        self.stamps = stamps
        self.cartons = cartons
        self.lots = lots
    }
}

/// What recording one partner event did.
public enum PartnerEventOutcome: Sendable, Hashable {
    /// Written, with the number of our stamps, cartons and lots it names.
    case imported(links: Int)
    /// Already in the registry (same hash, or same eventID): nothing written.
    case duplicate
    /// It names no stamp, carton or lot of ours: nothing written.
    case notOurs
}

extension Statements {
    static let partnerEventByKey = "SELECT id FROM partner_events WHERE event_hash = ? OR (CAST(? AS TEXT) IS NOT NULL AND event_id = ?) LIMIT 1"
    /// A stamp by its serial and its product's GTIN or code.
    static let partnerStamp = """
        SELECT s.id FROM stamps s JOIN stamp_batches b ON b.id = s.batch_id JOIN products p ON p.id = b.product_id
        WHERE s.serial = ? AND (p.gtin = ? OR (p.gtin IS NULL AND p.code = ?))
        """
    static let partnerCarton = "SELECT id FROM cartons WHERE sscc = ?"
    static let partnerProduct = "SELECT id FROM products WHERE gtin = ? OR (gtin IS NULL AND code = ?) ORDER BY id LIMIT 1"
    static let addPartnerEvent = """
        INSERT INTO partner_events (event_hash, event_id, event_type, action, biz_step, disposition, event_time, event_offset, read_point,
            biz_location, gln, source_gln, destination_gln, document, event_json, job_id, imported_at)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id
        """
    static let addPartnerEventLink = "INSERT INTO partner_event_links (event_id, stamp_id, carton_id, product_id, lot) VALUES (?, ?, ?, ?, ?)"
    static let partnerEventsPage = StoredPartnerEvent.selection + " WHERE e.id > ? ORDER BY e.id LIMIT ?"
    /// The events about a stamp (itself, its carton now) and its lot. Bound: serial, serial, product id, lot.
    static let partnerEventsOfStamp = StoredPartnerEvent.selection + " WHERE e.id IN (" + partnerEventIDsOfStamp + ") ORDER BY e.id"
    /// The ids of the partner events about stamp `?` itself.
    static let partnerEventIDsOfItem = """
        SELECT l.event_id FROM partner_event_links l JOIN stamps st ON st.id = l.stamp_id WHERE st.serial = ?
        """
    /// The ids of the partner events about the carton stamp `?` is in now.
    static let partnerEventIDsOfCarton = """
        SELECT l.event_id FROM partner_event_links l WHERE l.carton_id IN
            (SELECT m.carton_id FROM carton_stamps m JOIN stamps st ON st.id = m.stamp_id WHERE st.serial = ? AND m.unpacked_at IS NULL)
        """
    /// The ids of the partner events about the lot (product id `?`, lot `?`).
    static let partnerEventIDsOfLot = "SELECT l.event_id FROM partner_event_links l WHERE l.product_id = ? AND l.lot = ?"
    static let partnerEventIDsOfStamp = partnerEventIDsOfItem + " UNION " + partnerEventIDsOfCarton + " UNION " + partnerEventIDsOfLot

    /// Partner events as journey entries (``JourneyEntry``'s columns): the step, the time, the
    /// place by the GLN of the bizLocation or readPoint (named by a party or producer of ours with
    /// that GLN), from and to the source and destination parties (named likewise, else their GLN).
    /// Each statement adds its `WHERE`.
    static let partnerJourneySelect = """
        SELECT 'partner' AS source, CAST(NULL AS TEXT) AS stage, CAST(NULL AS TEXT) AS stage_word, COALESCE(e.biz_step, '') AS biz_step,
               e.event_time AS at, e.event_offset AS at_offset, 1 AS at_has_time,
               COALESCE((SELECT MIN(pa.name) FROM parties pa WHERE pa.gln = e.gln), (SELECT MIN(pr.name) FROM producers pr WHERE pr.gln = e.gln)) AS place,
               (SELECT MIN(pr.commune) FROM producers pr WHERE pr.gln = e.gln) AS commune,
               COALESCE((SELECT MIN(pa.province) FROM parties pa WHERE pa.gln = e.gln),
                        (SELECT MIN(pr.province) FROM producers pr WHERE pr.gln = e.gln)) AS province,
               e.gln,
               COALESCE((SELECT MIN(pa.name) FROM parties pa WHERE pa.gln = e.source_gln),
                        (SELECT MIN(pr.name) FROM producers pr WHERE pr.gln = e.source_gln), e.source_gln) AS from_party,
               COALESCE((SELECT MIN(pa.name) FROM parties pa WHERE pa.gln = e.destination_gln),
                        (SELECT MIN(pr.name) FROM producers pr WHERE pr.gln = e.destination_gln), e.destination_gln) AS to_party,
               CAST(NULL AS TEXT) AS actor, CAST(NULL AS TEXT) AS standard, CAST(NULL AS TEXT) AS certificate,
               COALESCE(e.event_id, e.event_hash) AS event_id
        FROM partner_events e
        """
}

/// One row of `partner_event_links`: a stamp, a carton, or a lot of a product.
struct PartnerEventLink: Hashable {
    var stampID: Int64?
    var cartonID: Int64?
    var productID: Int64?
    var lot: String?
}

extension [PartnerEventLink] {
    /// Each link once, in first-seen order.
    func uniqued() -> [PartnerEventLink] {
        var seen: Set<PartnerEventLink> = []
        return filter { seen.insert($0).inserted }
    }
}

extension PartnerEventOutcome {
    /// The job log's counts of a document's import.
    static func counts(_ outcomes: [PartnerEventOutcome]) -> JobCounts {
        var counts = JobCounts(rowsRead: outcomes.count)
        for outcome in outcomes {
            switch outcome {
            case .imported: counts.inserted += 1
            case .duplicate: counts.unchanged += 1
            case .notOurs: counts.invalid += 1
            }
        }
        return counts
    }
}

/// Thrown inside a dry run's transaction so that it rolls back, carrying what it did.
struct PartnerEventsDryRun: Error {
    var outcomes: [PartnerEventOutcome]
}
