import Foundation

/// One event of a stamp's journey as the registry holds it, whichever table it comes from: a stage
/// of the lot's production diary today; a carton packed, a shipment, a receipt or a partner's event
/// as the chain grows. Every source fills the same columns (those it has none for stay nil), so a
/// new source is one more arm of ``Statements/journey`` and nothing else changes.
public struct JourneyEntry: Sendable, Hashable, Codable {
    /// Where the entry comes from.
    public enum Source: String, Sendable, Codable {
        /// A row of the lot's production diary.
        case stage
        /// Stamps packed into a carton (AggregationEvent ADD), and the carton opened (DELETE).
        case packing, unpacking
        /// A shipment from the producer, or a receipt at the other end.
        case shipping, receiving
        /// An event a partner's EPCIS document recorded (sold at a shop …).
        case partner
    }

    public var source: Source
    /// The ``ProductionStage`` raw value for a diary stage; nil for other sources (their step says).
    public var stage: String?
    /// The word as the diary wrote it.
    public var stageWord: String?
    /// The event's `bizStep` (a bare CBV word or a URI).
    public var bizStep: String
    /// When: the instant in UTC as stored, the place's offset in minutes, and whether a time of day was given.
    public var at: String
    public var atOffset: Int
    public var atHasTime: Int
    public var place: String?
    public var commune: String?
    public var province: String?
    public var gln: String?
    /// The party goods came from and went to (a shipment's sender and receiver).
    public var from: String?
    public var to: String?
    public var actor: String?
    public var standard: String?
    public var certificate: String?
    public var eventID: String?

    public init(source: Source, stage: String? = nil, stageWord: String? = nil, bizStep: String, at: String, atOffset: Int,
                atHasTime: Int = 1, place: String? = nil, commune: String? = nil, province: String? = nil, gln: String? = nil,
                from: String? = nil, to: String? = nil, actor: String? = nil, standard: String? = nil, certificate: String? = nil,
                eventID: String? = nil) {
        self.source = source
        self.stage = stage
        self.stageWord = stageWord
        self.bizStep = bizStep
        self.at = at
        self.atOffset = atOffset
        self.atHasTime = atHasTime
        self.place = place
        self.commune = commune
        self.province = province
        self.gln = gln
        self.from = from
        self.to = to
        self.actor = actor
        self.standard = standard
        self.certificate = certificate
        self.eventID = eventID
    }

    enum CodingKeys: String, CodingKey {
        case source, stage, at, place, commune, province, gln, actor, standard, certificate
        case stageWord = "stage_word", bizStep = "biz_step", atOffset = "at_offset", atHasTime = "at_has_time"
        case from = "from_party", to = "to_party", eventID = "event_id"
    }

    /// When it happened, where it happened.
    public var time: EventTime {
        EventTime(millisecondsSinceEpoch: EventTime(parsing: at)?.millisecondsSinceEpoch ?? 0, offsetMinutes: atOffset, hasTime: atHasTime != 0)
    }
}

/// A lot the registry knows (ordered, or named by a diary) and what its diary records, for the
/// traceability minimum.
public struct LotStageSummary: Sendable, Hashable, Codable {
    public var productID: Int64
    public var code: String
    public var name: String
    public var producer: String
    public var province: String
    public var lot: String
    /// Stages recorded for the lot, and those with a place (a GLN or an address) and a time.
    public var stages: Int
    public var locatedStages: Int
    /// A standard the diary says the lot was made under (the first by name), if any.
    public var standard: String?

    enum CodingKeys: String, CodingKey {
        case code, name, producer, province, lot, stages, standard
        case productID = "product_id", locatedStages = "located_stages"
    }
}
