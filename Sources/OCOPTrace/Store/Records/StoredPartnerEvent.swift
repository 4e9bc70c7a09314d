import Foundation

/// A partner's EPCIS event as the registry holds it (``PartnerEventStore``).
public struct StoredPartnerEvent: Sendable, Codable, Hashable {
    public var id: Int64
    /// The CBV 2.0 event hash: the eventID written for an event its partner gave none.
    public var eventHash: String
    /// The eventID its partner gave, if any.
    public var eventID: String?
    /// The event as received, inside a one-event EPCIS document with the partner document's
    /// `@context` (so that its prefixes still read): `{"@context":…,"type":"EPCISDocument",…}`.
    public var eventJSON: String
    /// The partner document's file name.
    public var document: String
    /// The instant in UTC, as stored.
    public var eventTime: String

    enum CodingKeys: String, CodingKey {
        case id, document
        case eventHash = "event_hash", eventID = "event_id", eventJSON = "event_json", eventTime = "event_time"
    }

    /// The eventID to write: the partner's, else the hash.
    public var writtenEventID: String { eventID ?? eventHash }

    static let selection = "SELECT e.id, e.event_hash, e.event_id, e.event_json, e.document, e.event_time FROM partner_events e"
}
