import Foundation

/// The events partners' documents recorded (`ocoptrace epcis import`), written back as received:
/// each read again from its stored one-event document (with the partner's prefixes), its eventID
/// the partner's or, when it had none, its CBV 2.0 hash.
extension EPCISExport {
    /// Writes every partner event from `since` on; returns how many.
    func writePartnerEvents(since: Date?, into out: inout JSONBytes, sink: Sink, firstEvent: inout Bool) async throws -> Int {
        var count = 0
        for try await stored in store.partnerEvents(pageSize: 1000) {
            guard let event = stored.event else { continue }
            if let since, event.eventTime.millisecondsSinceEpoch < Int((since.timeIntervalSince1970 * 1000).rounded()) { continue }
            if !firstEvent { out.raw(44) }
            firstEvent = false
            event.write(into: &out, eventID: stored.writtenEventID)
            count += 1
            if out.count >= Sink.flushSize { try sink.write(&out) }
        }
        return count
    }
}

extension StoredPartnerEvent {
    /// The event as its partner recorded it (nil if the stored text no longer reads, which an
    /// import that checked it never leaves).
    public var event: EPCISEvent? {
        try? EPCISEvent.events(inDocument: Data(eventJSON.utf8)).first
    }
}
