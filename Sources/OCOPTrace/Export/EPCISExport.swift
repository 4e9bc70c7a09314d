import Foundation
import GRDB

/// The registry's stamps as GS1 EPCIS 2.0 events, in a JSON-LD `EPCISDocument` the national
/// traceability portal and any EPCIS repository can take (TCVN 12850:2019 is GS1's Global
/// Traceability Standard).
///
/// Each issued batch is one `ObjectEvent` `ADD` / `commissioning` / `active` listing its stamps
/// as canonical GS1 Digital Link URIs, with the lot, production and expiry dates in `ilmd` and the
/// producer's GLN as read point and business location when the catalog gives one. Each revocation
/// is one `ObjectEvent` `DELETE` / `decommissioning` carrying its reason in
/// `ocoptrace:revocationReason` (the prefix is declared in the document's `@context`).
///
/// The document is written as it is read: stamps come from a cursor straight into a 64 KiB buffer,
/// so a batch of a million stamps takes no more memory than one of ten.
///
/// Events carry no `eventID`: the CBV 2.0 event hash needs the canonical pre-hash string of every
/// field, and an approximate hash would be worse than none.
public struct EPCISExport: Sendable {
    public let registry: Registry

    /// The EPCIS 2.0 JSON-LD context.
    public static let context = "https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld"
    /// The namespace of ocoptrace's own event fields (the `ocoptrace:` prefix).
    public static let extensionNamespace = "https://ocoptrace.vn/ns/epcis#"

    public init(registry: Registry) {
        self.registry = registry
    }

    /// Which events to write. Revocations follow the batch filters (lot, producer) and the date,
    /// so a revocation after `since` of a batch issued before it is written.
    public struct Filter: Sendable {
        /// A lot as written on the order (`Lô 1` finds `Lo-1`).
        public var lot: String?
        /// Producers whose name contains this (case and accents ignored).
        public var producer: String?
        /// Only events at or after this instant.
        public var since: Date?

        public init(lot: String? = nil, producer: String? = nil, since: Date? = nil) {
            self.lot = lot
            self.producer = producer
            self.since = since
        }

        /// A user's `--since`: a day (from midnight in Viet Nam) or an ISO 8601 instant; nil when it is neither.
        public static func since(parsing text: String) -> Date? { Timestamp.since(text) }
    }

    public struct Summary: Sendable, Codable {
        /// The file written, or nil for standard output.
        public var file: String?
        public var commissioningEvents: Int
        public var commissionedStamps: Int
        public var decommissioningEvents: Int
        public var decommissionedStamps: Int
        /// Batches without a producer GLN: their events have no read point or business location.
        public var batchesWithoutGLN: Int
        public var seconds: Double

        enum CodingKeys: String, CodingKey {
            case file
            case commissioningEvents = "commissioning_events", commissionedStamps = "commissioned_stamps"
            case decommissioningEvents = "decommissioning_events", decommissionedStamps = "decommissioned_stamps"
            case batchesWithoutGLN = "batches_without_gln", seconds
        }
    }

    public enum ExportError: Error, Sendable, CustomStringConvertible {
        case noSuchLot(String)
        case noSuchProducer(String)

        public var description: String {
            switch self {
            case .noSuchLot(let lot): "no issued batch has lot \(lot) (không có lô tem đã phát hành nào là \(lot))"
            case .noSuchProducer(let name):
                "no producer whose name contains \"\(name)\" has issued stamps (không có chủ thể nào tên chứa \"\(name)\" đã phát hành tem)"
            }
        }
    }

    /// An issued batch as an event needs it.
    struct Batch {
        var id: Int64
        var lot: String
        var issuedAt: Date
        var producedOn: CalendarDate?
        var expiresOn: CalendarDate?
        var product: StampURL.ProductKey
        var resolver: String
        var gln: GLN?

        /// What every stamp's URI starts with: the canonical GS1 form with a GTIN, else the stamp's own resolver form.
        var itemPrefix: String {
            StampURL.canonicalItemPrefix(product: product) ?? StampURL.itemPrefix(resolver: resolver, product: product, lot: lot)
        }
    }

    /// Writes the document to `url` (atomically: a reader sees the old file or the whole new one),
    /// or to standard output when `url` is nil.
    public func write(_ filter: Filter = Filter(), to url: URL?) throws -> Summary {
        let started = Date()
        let sink = try Sink(url)
        var summary = Summary(file: url?.path, commissioningEvents: 0, commissionedStamps: 0, decommissioningEvents: 0,
                              decommissionedStamps: 0, batchesWithoutGLN: 0, seconds: 0)
        try registry.read { db in
            let batches = try Self.batches(db, filter)
            var out = JSONBytes()
            out.raw("{\"@context\":[")
            out.string(Self.context)
            out.raw(",{\"ocoptrace\":")
            out.string(Self.extensionNamespace)
            out.raw("}],\"type\":\"EPCISDocument\",\"schemaVersion\":\"2.0\",\"creationDate\":")
            out.string(Timestamp.inVietnam(Date()))
            out.raw(",\"epcisBody\":{\"eventList\":[")
            var firstEvent = true
            for batch in batches where filter.since.map({ batch.issuedAt >= $0 }) ?? true {
                if !firstEvent { out.raw(44) }
                firstEvent = false
                summary.commissioningEvents += 1
                if batch.gln == nil { summary.batchesWithoutGLN += 1 }
                summary.commissionedStamps += try writeCommissioning(batch, db: db, into: &out, sink: sink)
            }
            for batch in batches {
                let (events, stamps) = try writeDecommissioning(batch, since: filter.since, db: db, into: &out, sink: sink,
                                                                firstEvent: &firstEvent)
                summary.decommissioningEvents += events
                summary.decommissionedStamps += stamps
            }
            out.raw("]}}\n")
            try sink.write(&out)
        }
        try sink.commit()
        summary.seconds = Date().timeIntervalSince(started)
        return summary
    }

    /// The issued batches the filter's lot and producer select, oldest first.
    static func batches(_ db: Database, _ filter: Filter) throws -> [Batch] {
        let lot = filter.lot.map { (try? LotNumber(transliterating: $0).code) ?? $0.trimmed }
        let scope = ProducerScope(producer: filter.producer, province: nil)
        let rows = try Row.fetchCursor(db, sql: """
            SELECT b.id, b.lot, b.produced_on, b.expires_on, b.resolver, COALESCE(b.completed_at, b.created_at) AS issued_at,
                   p.code, p.gtin, pr.name AS producer, pr.province, pr.gln
            FROM stamp_batches b JOIN products p ON p.id = b.product_id JOIN producers pr ON pr.id = p.producer_id
            WHERE b.status = 'issued' AND (?1 IS NULL OR b.lot = ?1 OR b.lot_label = ?2)
            ORDER BY issued_at, b.id
            """, arguments: [lot, filter.lot?.trimmed])
        var batches: [Batch] = []
        while let row = try rows.next() {
            guard scope.includes(producer: row["producer"], province: row["province"]) else { continue }
            let issuedText: String = row["issued_at"]
            let gtin = (row["gtin"] as String?).flatMap { try? GTIN(parsing: $0) }
            batches.append(Batch(
                id: row["id"], lot: row["lot"], issuedAt: Timestamp.date(issuedText) ?? Date(timeIntervalSince1970: 0),
                producedOn: (row["produced_on"] as String?).flatMap(CalendarDate.init(parsing:)),
                expiresOn: (row["expires_on"] as String?).flatMap(CalendarDate.init(parsing:)),
                product: gtin.map(StampURL.ProductKey.gtin) ?? .code(row["code"]), resolver: row["resolver"],
                gln: (row["gln"] as String?).flatMap { try? GLN(parsing: $0) }))
        }
        if batches.isEmpty, let lot = filter.lot { throw ExportError.noSuchLot(lot) }
        if batches.isEmpty, let producer = filter.producer { throw ExportError.noSuchProducer(producer) }
        return batches
    }

    private func writeEventStart(time: Date, action: StaticString, bizStep: StaticString, disposition: StaticString,
                                 into out: inout JSONBytes) {
        out.raw("{\"type\":\"ObjectEvent\",\"eventTime\":")
        out.string(Timestamp.inVietnam(time))
        out.raw(",\"eventTimeZoneOffset\":")
        out.string(Timestamp.vietnamOffset)
        out.raw(",\"action\":\"")
        out.raw(action)
        out.raw("\",\"bizStep\":\"")
        out.raw(bizStep)
        out.raw("\",\"disposition\":\"")
        out.raw(disposition)
        out.raw("\",\"epcList\":[")
    }

    private func writeCommissioning(_ batch: Batch, db: Database, into out: inout JSONBytes, sink: Sink) throws -> Int {
        writeEventStart(time: batch.issuedAt, action: "ADD", bizStep: "commissioning", disposition: "active", into: &out)
        let prefix = Array(batch.itemPrefix.utf8)
        var count = 0
        let serials = try Row.fetchCursor(db, sql: "SELECT serial FROM stamps WHERE batch_id = ? ORDER BY sequence", arguments: [batch.id])
        while let row = try serials.next() {
            if count > 0 { out.raw(44) }
            count += 1
            writeItem(prefix: prefix, serial: row[0], into: &out)
            if out.count >= Sink.flushSize { try sink.write(&out) }
        }
        out.raw("]")
        if let gln = batch.gln {
            out.raw(",\"readPoint\":{\"id\":")
            out.string(gln.digitalLink)
            out.raw("},\"bizLocation\":{\"id\":")
            out.string(gln.digitalLink)
            out.raw("}")
        }
        out.raw(",\"ilmd\":{\"cbvmda:lotNumber\":")
        out.string(batch.lot)
        if let producedOn = batch.producedOn {
            out.raw(",\"cbvmda:productionDate\":")
            out.string(producedOn.iso)
        }
        if let expiresOn = batch.expiresOn {
            out.raw(",\"cbvmda:itemExpirationDate\":")
            out.string(expiresOn.iso)
        }
        out.raw("}}")
        return count
    }

    /// One event per revocation (stamps revoked together, with one reason) of the batch.
    private func writeDecommissioning(_ batch: Batch, since: Date?, db: Database, into out: inout JSONBytes, sink: Sink,
                                      firstEvent: inout Bool) throws -> (events: Int, stamps: Int) {
        let prefix = Array(batch.itemPrefix.utf8)
        let rows = try Row.fetchCursor(db, sql: """
            SELECT r.revoked_at, r.reason, r.job_id, s.serial FROM stamps s JOIN revocations r ON r.stamp_id = s.id
            WHERE s.batch_id = ?1 AND (?2 IS NULL OR r.revoked_at >= ?2)
            ORDER BY r.revoked_at, r.job_id, r.reason, s.sequence
            """, arguments: [batch.id, since.map(Timestamp.string)])
        var current: (revokedAt: String, reason: String, job: Int64?)?
        var events = 0
        var stamps = 0
        while let row = try rows.next() {
            let key: (revokedAt: String, reason: String, job: Int64?) = (row[0], row[1], row[2])
            if let open = current, open.revokedAt == key.revokedAt, open.reason == key.reason, open.job == key.job {
                out.raw(44)
            } else {
                if let open = current { closeDecommissioning(reason: open.reason, into: &out) }
                if !firstEvent { out.raw(44) }
                firstEvent = false
                current = key
                events += 1
                writeEventStart(time: Timestamp.date(key.revokedAt) ?? batch.issuedAt, action: "DELETE", bizStep: "decommissioning",
                                disposition: "inactive", into: &out)
            }
            stamps += 1
            writeItem(prefix: prefix, serial: row[3], into: &out)
            if out.count >= Sink.flushSize { try sink.write(&out) }
        }
        if let open = current { closeDecommissioning(reason: open.reason, into: &out) }
        return (events, stamps)
    }

    private func closeDecommissioning(reason: String, into out: inout JSONBytes) {
        out.raw("],\"ocoptrace:revocationReason\":")
        out.string(reason)
        out.raw("}")
    }

    private func writeItem(prefix: [UInt8], serial: String, into out: inout JSONBytes) {
        // Prefixes are percent-encoded and serials are Crockford base32: nothing here needs JSON escaping.
        out.raw(34)
        out.raw(prefix)
        out.raw(serial)
        out.raw(34)
    }

    /// Where the document goes: a file put in place whole at the end, or standard output.
    final class Sink {
        static let flushSize = 1 << 16
        private let file: AtomicFileWriter?

        init(_ url: URL?) throws {
            file = try url.map(AtomicFileWriter.init)
        }

        func write(_ buffer: inout JSONBytes) throws {
            if let file {
                try file.write(buffer.bytes)
            } else {
                FileHandle.standardOutput.write(Data(buffer.bytes))
            }
            buffer.removeAll()
        }

        func commit() throws {
            try file?.commit()
        }
    }
}
