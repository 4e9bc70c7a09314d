import Foundation

/// A producer as a report groups it: by type, and by district (or commune) and province.
public struct ReportProducer: Sendable, Codable, Hashable {
    public var id: Int64
    public var name: String
    public var type: ProducerType?
    public var commune: String?
    public var district: String?
    public var province: String

    enum CodingKeys: String, CodingKey {
        case id, name, type, commune, district, province
    }
}

/// How many products a producer has of one star rating, group and recognition date (each nil
/// where the catalog gives none).
public struct ProductTally: Sendable, Codable, Hashable {
    public var producerID: Int64
    public var stars: Int?
    public var group: Int?
    public var recognizedOn: String?
    public var count: Int

    enum CodingKeys: String, CodingKey {
        case producerID = "producer_id", stars = "ocop_stars", group = "ocop_group", recognizedOn = "ocop_recognized_on", count
    }

    /// The recognition, as every other reader of a stored product reads it.
    public var ocop: OCOPRecognition? {
        OCOPRecognition(storedStars: stars, decision: nil, recognizedOn: recognizedOn)
    }
}

/// How many lots (issued batches) a product has.
public struct LotTally: Sendable, Codable, Hashable {
    public var productID: Int64
    public var lots: Int

    enum CodingKeys: String, CodingKey {
        case productID = "product_id", lots
    }
}

/// A count per producer.
public struct ProducerCount: Sendable, Codable, Hashable {
    public var producerID: Int64
    public var count: Int

    enum CodingKeys: String, CodingKey {
        case producerID = "producer_id", count
    }
}

/// Stamps a producer had issued in one month (`2026-03`) of the period.
public struct MonthlyIssue: Sendable, Codable, Hashable {
    public var producerID: Int64
    public var month: String
    public var stamps: Int

    enum CodingKeys: String, CodingKey {
        case producerID = "producer_id", month, stamps
    }
}

/// A producer's chain records of one kind in one month (`2026-11`, UTC as stored) of the period:
/// production stages by their start, cartons by their packing, shipments by the day shipped and
/// receipts by the day received.
public struct MonthlyChainCount: Sendable, Codable, Hashable {
    public enum Kind: String, Sendable, Codable, CaseIterable {
        case stage, carton, shipment, receipt
    }

    public var kind: Kind
    public var producerID: Int64
    public var month: String
    public var count: Int

    enum CodingKeys: String, CodingKey {
        case kind, producerID = "producer_id", month, count
    }
}

/// A producer's revoked stamps, all time and revoked in the period.
public struct RevocationTally: Sendable, Codable, Hashable {
    public var producerID: Int64
    public var total: Int
    public var inPeriod: Int

    enum CodingKeys: String, CodingKey {
        case producerID = "producer_id", total, inPeriod = "in_period"
    }
}

/// A producer's scans in the period, the stamps they were of, and how many of those stamps the
/// copy rule flags (over each stamp's whole history).
public struct ScanTally: Sendable, Codable, Hashable {
    public var producerID: Int64
    public var scans: Int
    public var stamps: Int
    public var suspected: Int

    enum CodingKeys: String, CodingKey {
        case producerID = "producer_id", scans, stamps, suspected
    }
}

/// Scans of one verdict on one day (`2026-03-14`, UTC as stored).
public struct DailyScans: Sendable, Codable, Hashable {
    /// The verdicts a report tells apart.
    public enum Verdict: String, Sendable, Codable, CaseIterable {
        case genuine
        case suspectedCopy = "suspected_copy"
        case revoked
        case notOurs = "not_ours"
    }

    public var day: String
    public var verdict: Verdict
    public var scans: Int
}

/// A suspected copy among the most scanned: its stamp, lot, and first and last scan.
public struct SuspectedCopy: Sendable, Codable, Hashable {
    public var serial: String
    public var product: String
    public var producer: String
    public var lot: String
    public var scans: Int
    public var places: Int
    public var firstAt: String
    public var lastAt: String

    enum CodingKeys: String, CodingKey {
        case serial, product, producer, lot, scans, places, firstAt = "first_at", lastAt = "last_at"
    }
}
