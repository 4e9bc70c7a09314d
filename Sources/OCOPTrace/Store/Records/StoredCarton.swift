import Foundation

/// A carton as the registry holds it, with the product, lot and producer of its stamps.
public struct StoredCarton: Sendable, Codable, Hashable {
    public var id: Int64
    /// The carton's key as stored: an SSCC's 18 digits or a carton code (``CartonKey/text``).
    public var sscc: String
    public var batchID: Int64
    public var lot: String
    public var lotLabel: String
    /// The resolver its stamps' QR codes (and so its own) point at.
    public var resolver: String
    public var productCode: String
    public var productName: String
    public var gtin: String?
    public var producer: String
    public var province: String
    public var producerGLN: String?
    public var count: Int
    public var firstSequence: Int
    public var lastSequence: Int
    /// ISO 8601 UTC, as stored.
    public var packedAt: String
    public var unpackedAt: String?

    enum CodingKeys: String, CodingKey {
        case id, sscc, lot, resolver, gtin, producer, province, count
        case batchID = "batch_id", lotLabel = "lot_label", productCode = "product_code", productName = "product_name"
        case producerGLN = "producer_gln", firstSequence = "first_sequence", lastSequence = "last_sequence"
        case packedAt = "packed_at", unpackedAt = "unpacked_at"
    }

    /// Cartons with their batch, product and producer, in both dialects; each statement adds its `WHERE`.
    static let selection = """
        SELECT c.id, c.sscc, c.batch_id, b.lot, b.lot_label, b.resolver, p.code AS product_code, p.name AS product_name, p.gtin,
               pr.name AS producer, pr.province, pr.gln AS producer_gln, c.count, c.first_sequence, c.last_sequence,
               c.packed_at, c.unpacked_at
        FROM cartons c JOIN stamp_batches b ON b.id = c.batch_id JOIN products p ON p.id = b.product_id
        JOIN producers pr ON pr.id = p.producer_id
        """
}

/// A receiver of shipments (a distributor, an đại lý, a shop), told apart like producers by name
/// and province.
public struct PartyDraft: Sendable, Hashable {
    public var name: String
    public var province: String
    public var gln: GLN?

    public init(name: String, province: String, gln: GLN? = nil) {
        self.name = name
        self.province = province
        self.gln = gln
    }

    /// Name and province, case, spacing and diacritics ignored (as producers).
    public var identityKey: String { ProducerDraft.identityKey(name: name, province: province) }
}

/// A shipment as the registry holds it: a carton (or a count of a lot's stamps) from the lot's
/// producer to a party, shipped and/or received.
public struct StoredShipment: Sendable, Codable, Hashable {
    public var id: Int64
    /// The carton's key, or nil for a shipment of a lot's stamps without cartons.
    public var sscc: String?
    public var batchID: Int64
    public var lot: String
    public var resolver: String
    public var productCode: String
    public var gtin: String?
    /// For a lot shipment: how many stamps (nil: the lot, uncounted). For a carton: nil.
    public var count: Int?
    public var producer: String
    public var producerProvince: String
    public var producerGLN: String?
    public var receiver: String
    public var receiverProvince: String
    public var receiverGLN: String?
    /// ISO 8601 UTC, as stored.
    public var shippedAt: String?
    public var receivedAt: String?

    enum CodingKeys: String, CodingKey {
        case id, sscc, lot, resolver, gtin, count, producer, receiver
        case batchID = "batch_id", productCode = "product_code", producerProvince = "producer_province", producerGLN = "producer_gln"
        case receiverProvince = "receiver_province", receiverGLN = "receiver_gln", shippedAt = "shipped_at", receivedAt = "received_at"
    }

    /// Shipments with their carton, lot, producer and receiver, in both dialects; each statement adds its `WHERE`.
    static let selection = """
        SELECT s.id, c.sscc, s.batch_id, b.lot, b.resolver, p.code AS product_code, p.gtin, s.count, pr.name AS producer, pr.province AS producer_province,
               pr.gln AS producer_gln, pa.name AS receiver, pa.province AS receiver_province, pa.gln AS receiver_gln,
               s.shipped_at, s.received_at
        FROM shipments s LEFT JOIN cartons c ON c.id = s.carton_id JOIN stamp_batches b ON b.id = s.batch_id
        JOIN products p ON p.id = b.product_id JOIN producers pr ON pr.id = p.producer_id JOIN parties pa ON pa.id = s.party_id
        """
}

/// One event of a stamp's way through the chain after issue, for its journey: packed into a
/// carton, taken out, shipped, received.
public struct ChainEvent: Sendable, Hashable, Codable {
    public enum Kind: String, Sendable, Codable {
        case packed, unpacked, shipped, received
    }

    public var kind: Kind
    /// The CBV 2.0 business step: packing, unpacking, shipping, receiving.
    public var bizStep: String
    /// ISO 8601 UTC, as stored.
    public var at: String
    /// The carton it happened to (nil for a lot shipped without cartons).
    public var sscc: String?
    /// The producer, for a shipment (and where a carton was packed or opened).
    public var fromName: String
    public var fromProvince: String
    public var fromGLN: String?
    /// The receiver of a shipment.
    public var toName: String?
    public var toProvince: String?
    public var toGLN: String?

    enum CodingKeys: String, CodingKey {
        case kind, at, sscc
        case bizStep = "biz_step", fromName = "from", fromProvince = "from_province", fromGLN = "from_gln"
        case toName = "to", toProvince = "to_province", toGLN = "to_gln"
    }
}

extension ChainEvent {
    /// The events of these cartons (packed, opened) and shipments (shipped, received), oldest first.
    static func events(cartons: [StoredCarton], shipments: [StoredShipment]) -> [ChainEvent] {
        var events: [ChainEvent] = []
        for carton in cartons {
            events.append(ChainEvent(kind: .packed, bizStep: "packing", at: carton.packedAt, sscc: carton.sscc, fromName: carton.producer,
                                     fromProvince: carton.province, fromGLN: carton.producerGLN))
            if let unpackedAt = carton.unpackedAt {
                events.append(ChainEvent(kind: .unpacked, bizStep: "unpacking", at: unpackedAt, sscc: carton.sscc, fromName: carton.producer,
                                         fromProvince: carton.province, fromGLN: carton.producerGLN))
            }
        }
        for shipment in shipments {
            for (kind, time) in [(Kind.shipped, shipment.shippedAt), (.received, shipment.receivedAt)] {
                guard let time else { continue }
                events.append(ChainEvent(kind: kind, bizStep: kind == .shipped ? "shipping" : "receiving", at: time, sscc: shipment.sscc,
                                         fromName: shipment.producer, fromProvince: shipment.producerProvince, fromGLN: shipment.producerGLN,
                                         toName: shipment.receiver, toProvince: shipment.receiverProvince, toGLN: shipment.receiverGLN))
            }
        }
        // Stable: a carton's packing before its shipment when both carry the same instant.
        return events.enumerated().sorted { ($0.element.at, $0.offset) < ($1.element.at, $1.offset) }.map(\.element)
    }
}
