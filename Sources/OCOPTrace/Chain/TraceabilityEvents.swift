import Foundation

/// The EPCIS events the registry knows about one item or one lot, for the `gs1:traceability` link
/// of a stamp's linkset: what the national portal, or any app, reads to follow the item.
///
/// Today they are the lot's production stages (``ProductionStageEvent``) and the partners' events
/// about the stamp, its carton and its lot (``PartnerEventStore``); cartons and shipments are
/// further sources, added here beside them.
public enum TraceabilityEvents {
    /// The events of lot `lot` of the product with row id `productID` (and of the stamp `serial`,
    /// where a source follows stamps), oldest first, each with the eventID to write.
    public static func events(productID: Int64, lot: String, serial: String?, in store: any ChainStore & PartnerEventStore) async throws
        -> [(event: EPCISEvent, eventID: String?)] {
        let stages = try await store.productionStages(productID: productID, lot: lot)
        var events: [(event: EPCISEvent, eventID: String?)] = []
        for stored in stages {
            guard let stage = ProductionStageEvent(stored) else { continue }
            events.append((event: stage.event, eventID: nil))
        }
        for stored in try await store.partnerEvents(productID: productID, lot: lot, serial: serial) {
            if let event = stored.event { events.append((event: event, eventID: stored.writtenEventID)) }
        }
        return events.sorted { $0.event.eventTime < $1.event.eventTime }
    }

    /// Those events as one EPCIS 2.0 JSON-LD document.
    public static func document(productID: Int64, lot: String, serial: String?, in store: any ChainStore & PartnerEventStore) async throws -> String {
        EPCISExport.document(try await events(productID: productID, lot: lot, serial: serial, in: store))
    }
}
