import Foundation

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
/// Each row of a production diary is one class-level `ObjectEvent` about its lot
/// (``ProductionStageEvent``: `quantityList` with `…/01/{gtin}/10/{lot}`, the stage's business
/// step, the place's GLN as read point), with its CBV 2.0 event hash as `eventID`.
///
/// Commissioning and decommissioning events carry no `eventID` (they are written straight from
/// the stamp pages, a million EPCs long); the events of stages, cartons and shipments are built as
/// ``EPCISEvent`` values and carry their CBV 2.0 event hash (``EPCISEvent/hashID``).
///
/// The document is written as it is read: stamps and stages come from the registry a page at a time
/// straight into a 64 KiB buffer, so a batch of a million stamps takes no more memory than one of
/// ten, and no read transaction stays open while the file is written.
public struct EPCISExport: Sendable {
    public let store: any ExportStore & ChainStore & CartonStore & PartnerEventStore

    /// Stamps read from the registry at a time: large pages keep the round trips few (a hundred for
    /// a million stamps), and a page of serials is under a megabyte.
    static let pageSize = 10_000

    /// The EPCIS 2.0 JSON-LD context.
    public static let context = "https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld"
    /// The namespace of ocoptrace's own event fields (the `ocoptrace:` prefix).
    public static let extensionNamespace = BusinessStep.ocoptraceNamespace

    public init(store: any ExportStore & ChainStore & CartonStore & PartnerEventStore) {
        self.store = store
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
        /// Cartons packed and opened (AggregationEvents ADD and DELETE).
        public var aggregationEvents = 0
        /// Shipments and receipts (ObjectEvents shipping and receiving).
        public var shippingEvents = 0
        public var receivingEvents = 0
        /// Production-diary rows written as events.
        public var stageEvents: Int = 0
        /// Events partners' documents recorded (`epcis import`), as received.
        public var partnerEvents = 0
        public var seconds: Double

        enum CodingKeys: String, CodingKey {
            case file
            case commissioningEvents = "commissioning_events", commissionedStamps = "commissioned_stamps"
            case decommissioningEvents = "decommissioning_events", decommissionedStamps = "decommissioned_stamps"
            case batchesWithoutGLN = "batches_without_gln", stageEvents = "stage_events", seconds
            case aggregationEvents = "aggregation_events", shippingEvents = "shipping_events", receivingEvents = "receiving_events"
            case partnerEvents = "partner_events"
        }
    }

    public enum ExportError: Error, Sendable, CustomStringConvertible {
        case noSuchLot(String)
        case noSuchProducer(String)

        public var description: String {
            switch self {
            case .noSuchLot(let lot): "no issued batch has lot \(lot) (không có lô tem đã phát hành nào là \(lot))"
            case .noSuchProducer(let name):
                "no producer whose name contains \(name.quoted) has issued stamps (không có chủ thể nào tên chứa \(name.quoted) đã phát hành tem)"
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
        /// The product's code (cartons are listed by product and lot).
        var productCode = ""

        /// The batch as stored, its dates read (one that does not parse is left out, as before).
        init(_ stored: IssuedBatch) {
            self.init(id: stored.id, lot: stored.lot, issuedAt: Timestamp.date(stored.issuedAt) ?? Date(timeIntervalSince1970: 0),
                      producedOn: stored.producedOn.flatMap(CalendarDate.init(parsing:)),
                      expiresOn: stored.expiresOn.flatMap(CalendarDate.init(parsing:)),
                      product: stored.gtin.map(StampURL.ProductKey.gtin) ?? .code(stored.productCode), resolver: stored.resolver,
                      gln: stored.gln)
            productCode = stored.productCode
        }

        init(id: Int64, lot: String, issuedAt: Date, producedOn: CalendarDate?, expiresOn: CalendarDate?, product: StampURL.ProductKey,
             resolver: String, gln: GLN?) {
            self.id = id
            self.lot = lot
            self.issuedAt = issuedAt
            self.producedOn = producedOn
            self.expiresOn = expiresOn
            self.product = product
            self.resolver = resolver
            self.gln = gln
        }

        /// What every stamp's URI starts with: the canonical GS1 form with a GTIN, else the stamp's own resolver form.
        var itemPrefix: String {
            StampURL.canonicalItemPrefix(product: product) ?? StampURL.itemPrefix(resolver: resolver, product: product, lot: lot)
        }
    }

    /// Writes the document to `url` (atomically: a reader sees the old file or the whole new one),
    /// or to standard output when `url` is nil.
    public func write(_ filter: Filter = Filter(), to url: URL?) async throws -> Summary {
        let started = Date()
        let batches = try await selectBatches(filter)
        let sink = try Sink(url)
        var summary = Summary(file: url?.path, commissioningEvents: 0, commissionedStamps: 0, decommissioningEvents: 0,
                              decommissionedStamps: 0, batchesWithoutGLN: 0, seconds: 0)
        var out = JSONBytes()
        Self.writeDocumentStart(into: &out)
        var firstEvent = true
        for batch in batches where filter.since.map({ batch.issuedAt >= $0 }) ?? true {
            if !firstEvent { out.raw(44) }
            firstEvent = false
            summary.commissioningEvents += 1
            if batch.gln == nil { summary.batchesWithoutGLN += 1 }
            summary.commissionedStamps += try await writeCommissioning(batch, into: &out, sink: sink)
        }
        for batch in batches {
            let (events, stamps) = try await writeDecommissioning(batch, since: filter.since, into: &out, sink: sink, firstEvent: &firstEvent)
            summary.decommissioningEvents += events
            summary.decommissionedStamps += stamps
        }
        summary.stageEvents = try await writeStages(filter, into: &out, sink: sink, firstEvent: &firstEvent)
        try await writeChainEvents(of: batches, since: filter.since, into: &out, sink: sink, firstEvent: &firstEvent, summary: &summary)
        if filter.lot == nil, filter.producer == nil {
            summary.partnerEvents = try await writePartnerEvents(since: filter.since, into: &out, sink: sink, firstEvent: &firstEvent)
        }
        out.raw("]}}\n")
        try sink.write(&out)
        try sink.commit()
        summary.seconds = Date().timeIntervalSince(started)
        return summary
    }

    /// The start of an EPCIS 2.0 JSON-LD document, up to its event list's `[`: the context with
    /// our `ocoptrace:` prefix (and `cbvmda:`), the type, version and creation date.
    public static func writeDocumentStart(into out: inout JSONBytes) {
        out.raw("{\"@context\":[")
        out.string(Self.context)
        out.raw(",{\"ocoptrace\":")
        out.string(Self.extensionNamespace)
        // The standard context defines cbvmda too; declared here as well, so that a reader that
        // expands only a document's own prefixes (ours, for one) hashes ILMD as GS1's does.
        out.raw(",\"cbvmda\":\"urn:epcglobal:cbv:mda:\"}],\"type\":\"EPCISDocument\",\"schemaVersion\":\"2.0\",\"creationDate\":")
        out.string(Timestamp.inVietnam(Date()))
        out.raw(",\"epcisBody\":{\"eventList\":[")
    }

    /// A whole document holding `events` (a stamp's, say: small enough to hold).
    public static func document(_ events: [(event: EPCISEvent, eventID: String?)]) -> String {
        var out = JSONBytes()
        writeDocumentStart(into: &out)
        for (index, item) in events.enumerated() {
            if index > 0 { out.raw(44) }
            item.event.write(into: &out, eventID: item.eventID)
        }
        out.raw("]}}")
        return out.text
    }

    /// One event per production-diary row the filter selects (by lot, producer and start), read a
    /// page at a time; returns how many.
    private func writeStages(_ filter: Filter, into out: inout JSONBytes, sink: Sink, firstEvent: inout Bool) async throws -> Int {
        let lot = filter.lot.map { (try? LotNumber(transliterating: $0).code) ?? $0.trimmed }
        let scope = ProducerScope(producer: filter.producer, province: nil)
        let since = filter.since.map { Int(($0.timeIntervalSince1970 * 1000).rounded(.down)) }
        var count = 0
        for try await stored in store.productionStages(pageSize: Self.pageSize) {
            if let lot, stored.lot != lot, stored.lotLabel != filter.lot?.trimmed { continue }
            guard scope.includes(producer: stored.producer, province: ""), let stage = ProductionStageEvent(stored) else { continue }
            if let since, stage.startedAt.millisecondsSinceEpoch < since { continue }
            if !firstEvent { out.raw(44) }
            firstEvent = false
            stage.event.write(into: &out)
            count += 1
            if out.count >= Sink.flushSize { try sink.write(&out) }
        }
        return count
    }

    /// The issued batches the filter's lot and producer select, oldest first.
    func selectBatches(_ filter: Filter) async throws -> [Batch] {
        let lot = filter.lot.map { (try? LotNumber(transliterating: $0).code) ?? $0.trimmed }
        let scope = ProducerScope(producer: filter.producer, province: nil)
        let batches = try await store.issuedBatches(lot: lot, label: filter.lot?.trimmed)
            .filter { scope.includes(producer: $0.producer, province: $0.province) }
            .map(Batch.init)
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

    private func writeCommissioning(_ batch: Batch, into out: inout JSONBytes, sink: Sink) async throws -> Int {
        writeEventStart(time: batch.issuedAt, action: "ADD", bizStep: "commissioning", disposition: "active", into: &out)
        let prefix = Array(batch.itemPrefix.utf8)
        var count = 0
        for try await stamp in store.serials(ofBatch: batch.id, pageSize: Self.pageSize) {
            if count > 0 { out.raw(44) }
            count += 1
            writeItem(prefix: prefix, serial: stamp.serial, into: &out)
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
    private func writeDecommissioning(_ batch: Batch, since: Date?, into out: inout JSONBytes, sink: Sink,
                                      firstEvent: inout Bool) async throws -> (events: Int, stamps: Int) {
        let prefix = Array(batch.itemPrefix.utf8)
        var stamps = 0
        let revocations = try await store.revocations(ofBatch: batch.id, since: since.map(Timestamp.string))
        for revocation in revocations {
            if !firstEvent { out.raw(44) }
            firstEvent = false
            writeEventStart(time: Timestamp.date(revocation.revokedAt) ?? batch.issuedAt, action: "DELETE", bizStep: "decommissioning",
                            disposition: "inactive", into: &out)
            var first = true
            for try await stamp in store.serials(of: revocation, pageSize: Self.pageSize) {
                if !first { out.raw(44) }
                first = false
                stamps += 1
                writeItem(prefix: prefix, serial: stamp.serial, into: &out)
                if out.count >= Sink.flushSize { try sink.write(&out) }
            }
            closeDecommissioning(reason: revocation.reason, into: &out)
        }
        return (revocations.count, stamps)
    }

    /// The batches' cartons (packed, opened) and shipments (shipped, received), each event with its
    /// CBV 2.0 hash as `eventID`; a carton's stamps are read a carton at a time.
    private func writeChainEvents(of batches: [Batch], since: Date?, into out: inout JSONBytes, sink: Sink, firstEvent: inout Bool,
                                  summary: inout Summary) async throws {
        func emit(_ event: EPCISEvent, into out: inout JSONBytes) throws {
            if let since, event.eventTime.millisecondsSinceEpoch < Int((since.timeIntervalSince1970 * 1000).rounded()) { return }
            if !firstEvent { out.raw(44) }
            firstEvent = false
            event.write(into: &out)
            switch (event.kind, event.bizStep) {
            case (.aggregation, _): summary.aggregationEvents += 1
            case (_, "shipping"): summary.shippingEvents += 1
            default: summary.receivingEvents += 1
            }
            if out.count >= Sink.flushSize { try sink.write(&out) }
        }
        for batch in batches {
            for try await carton in store.cartons(productCode: batch.productCode, lot: batch.lot, pageSize: 1000) where carton.batchID == batch.id {
                var children: [String] = []
                children.reserveCapacity(carton.count)
                for try await stamp in store.stamps(ofCarton: carton.id, pageSize: Self.pageSize) { children.append(stamp.serial) }
                try emit(Self.packingEvent(carton, children: children), into: &out)
                if let unpacking = Self.unpackingEvent(carton) { try emit(unpacking, into: &out) }
            }
        }
        let selected = Set(batches.map(\.id))
        for try await shipment in store.shipments(pageSize: 1000) where selected.contains(shipment.batchID) {
            for event in Self.shipmentEvents(shipment) { try emit(event, into: &out) }
        }
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
