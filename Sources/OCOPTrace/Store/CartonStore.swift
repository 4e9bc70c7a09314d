import Foundation

/// What packing stamps into cartons, shipping and receiving need of the registry.
///
/// Packing is set-based: the stamps to pack are chosen, numbered and joined to their new cartons
/// by a few statements inside the registry, however many there are (a million stamps into twenty
/// thousand cartons is a handful of statements, not a million round trips). A stamp is in at most
/// one carton at a time (the schema's partial unique index), and SSCC serials come from a counter
/// per company prefix that only grows.
public protocol CartonStore: Sendable {
    // MARK: Cartons

    /// Packs a batch's stamps into new cartons of `perCarton` (the last may hold fewer), in one
    /// transaction that records the pack job; answers the cartons in packing order, or the listed
    /// stamps that cannot be packed (and packs nothing).
    func packCartons(_ packing: CartonPacking) async throws -> CartonPackOutcome
    /// Marks a carton unpacked (its stamps free to be packed again); nil when there is no carton
    /// with this key. A carton unpacked already is answered as it is, unchanged.
    func unpackCarton(sscc: String, at time: String, job: JobStart) async throws -> StoredCarton?
    /// One carton by its key (``CartonKey/text``).
    func carton(sscc: String) async throws -> StoredCarton?
    /// Cartons in packing order (by id), `pageSize` at a time: all, a product's (by code), a lot's
    /// (as coded), or both.
    func cartons(productCode: String?, lot: String?, pageSize: Int) -> PagedSequence<StoredCarton, Int64>
    /// A carton's stamps (also after it was unpacked), in sequence order, `pageSize` at a time.
    func stamps(ofCarton cartonID: Int64, pageSize: Int) -> PagedSequence<StampSerial, Int64>
    /// How many cartons the registry holds.
    func cartonCount() async throws -> Int

    // MARK: Shipments

    /// Records shipments and receipts, in one transaction that records the job: receivers are
    /// added (or their GLN filled in), a shipment already recorded is left as it is or gets its
    /// receipt, a receipt completes the open shipment it matches or is recorded alone.
    func recordShipments(_ entries: [ShipmentEntry], job: JobStart) async throws -> ShipmentRecording
    /// A carton's shipments, oldest first.
    func shipments(ofCarton cartonID: Int64) async throws -> [StoredShipment]
    /// Every shipment, by id, `pageSize` at a time (EPCIS).
    func shipments(pageSize: Int) -> PagedSequence<StoredShipment, Int64>
    /// How many shipments the registry holds.
    func shipmentCount() async throws -> Int

    // MARK: Journey

    /// What happened to a stamp after issue, by its serial, oldest first: its cartons packed and
    /// opened, and the shipments and receipts of those cartons and of its lot (shipped without
    /// cartons). Empty for a serial the registry does not have.
    func chainEvents(serial: String) async throws -> [ChainEvent]
}

/// A request to pack a batch's stamps into cartons.
public struct CartonPacking: Sendable, Hashable {
    public var batchID: Int64
    public var perCarton: Int
    /// The GS1 company prefix the SSCCs are built under; nil for the registry's own carton codes.
    public var companyPrefix: String?
    /// The stamps to pack by serial, in packing order (a scanned list); nil for the batch's
    /// unrevoked, unpacked stamps in sequence order.
    public var serials: [String]?
    /// ISO 8601 UTC.
    public var packedAt: String
    public var job: JobStart

    public init(batchID: Int64, perCarton: Int, companyPrefix: String?, serials: [String]?, packedAt: String, job: JobStart) {
        self.batchID = batchID
        self.perCarton = perCarton
        self.companyPrefix = companyPrefix
        self.serials = serials
        self.packedAt = packedAt
        self.job = job
    }
}

/// What ``CartonStore/packCartons(_:)`` did.
public enum CartonPackOutcome: Sendable, Hashable {
    /// The new cartons, in packing order (none when there was nothing to pack).
    case packed([StoredCarton])
    /// Listed stamps that cannot be packed, by their place in the list (0-based); nothing was packed.
    case refused([UnpackableStamp])
}

/// A listed stamp that cannot be packed, and why.
public struct UnpackableStamp: Sendable, Hashable {
    public enum Reason: Sendable, Hashable {
        case unknown
        case otherLot
        case revoked
        case packed(sscc: String)
    }

    public var index: Int
    public var serial: String
    public var reason: Reason

    public init(index: Int, serial: String, reason: Reason) {
        self.index = index
        self.serial = serial
        self.reason = reason
    }
}

/// One shipment or receipt to record.
public struct ShipmentEntry: Sendable, Hashable {
    /// The carton shipped (its id), or nil for stamps of the batch without cartons.
    public var cartonID: Int64?
    public var batchID: Int64
    /// For a lot shipment: how many stamps; nil for the whole lot, or a carton.
    public var count: Int?
    public var receiver: PartyDraft
    /// ISO 8601 UTC; nil for a receipt alone.
    public var shippedAt: String?
    public var receivedAt: String?

    public init(cartonID: Int64?, batchID: Int64, count: Int?, receiver: PartyDraft, shippedAt: String?, receivedAt: String?) {
        self.cartonID = cartonID
        self.batchID = batchID
        self.count = count
        self.receiver = receiver
        self.shippedAt = shippedAt
        self.receivedAt = receivedAt
    }

    /// What tells one shipment from another: what goes, to whom, when it left (or, for a receipt
    /// without a recorded shipment, when it arrived). The same entry recorded twice is one shipment.
    func key(partyID: Int64) -> String {
        let what = cartonID.map { "c\($0)" } ?? "b\(batchID)"
        let when = shippedAt.map { "s" + $0 } ?? "r" + (receivedAt ?? "")
        return what + "|" + String(partyID) + "|" + when
    }
}

/// What recording one entry does, decided in one place for both engines from what the registry holds.
enum ShipmentWrite: Equatable {
    /// The shipment gets its receipt.
    case receive(id: Int64, at: String)
    case unchanged
    case insert
    /// A receipt alone, not recorded before: it completes the open shipment of the same goods to
    /// the same receiver when there is one (else it is inserted).
    case findOpen(receivedAt: String)
}

extension ShipmentEntry {
    /// The write for this entry, given the shipment already recorded under its key (if any).
    func write(existing: (id: Int64, receivedAt: String?)?) -> ShipmentWrite {
        if let existing {
            if let receivedAt, existing.receivedAt != receivedAt { return .receive(id: existing.id, at: receivedAt) }
            return .unchanged
        }
        if shippedAt == nil, let receivedAt { return .findOpen(receivedAt: receivedAt) }
        return .insert
    }
}

/// What ``CartonStore/recordShipments(_:job:)`` did.
public struct ShipmentRecording: Sendable, Hashable, Codable {
    /// New shipments (or receipts with no shipment before them).
    public var inserted = 0
    /// Shipments that got their receipt.
    public var received = 0
    public var unchanged = 0
    public var newParties = 0

    public init() {}

    enum CodingKeys: String, CodingKey {
        case inserted, received, unchanged, newParties = "new_parties"
    }
}

extension UnpackableStamp {
    /// Why a listed stamp (as both engines read it) cannot go into a carton of batch `expected`; nil when it can.
    static func problem(index: Int, serial: String, batchID: Int64?, revoked: Bool, carton: String?, expected: Int64) -> UnpackableStamp? {
        let reason: Reason
        if batchID == nil {
            reason = .unknown
        } else if batchID != expected {
            reason = .otherLot
        } else if revoked {
            reason = .revoked
        } else if let carton {
            reason = .packed(sscc: carton)
        } else {
            return nil
        }
        return UnpackableStamp(index: index, serial: serial, reason: reason)
    }
}
