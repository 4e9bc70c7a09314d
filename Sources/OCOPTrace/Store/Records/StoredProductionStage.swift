import Foundation

/// A row of a production diary as the registry holds it: one stage of one lot, with the product it
/// belongs to, the business step it was recorded under and its event's CBV 2.0 hash.
///
/// Times are kept as the instant in UTC (`2026-10-27T23:30:00.000Z`, which sorts), the offset of
/// the place in minutes, and whether a time of day was given (a date alone shows as a date).
public struct StoredProductionStage: Sendable, Hashable, Codable {
    public var id: Int64
    public var productID: Int64
    public var productCode: String
    public var gtin: String?
    public var producer: String
    /// The lot as stamps carry it (`Lo-1`), and as the diary wrote it (`Lô 1`).
    public var lot: String
    public var lotLabel: String
    /// The stage (``ProductionStage`` raw value), the matching key of the word as typed, and the word.
    public var stage: String
    public var stageKey: String
    public var stageWord: String
    /// The `bizStep` of its event (a bare CBV word or a URI).
    public var bizStep: String
    public var startedAt: String
    public var startedOffset: Int
    public var startedHasTime: Int
    public var finishedAt: String?
    public var finishedOffset: Int?
    public var finishedHasTime: Int?
    public var place: String?
    public var placeGLN: String?
    public var commune: String?
    public var province: String?
    public var actor: String?
    public var standard: String?
    public var certificate: String?
    public var note: String?
    public var fingerprint: String
    /// The event's CBV 2.0 hash, `ni:///sha-256;…?ver=CBV2.0`.
    public var eventID: String

    enum CodingKeys: String, CodingKey {
        case id, gtin, producer, lot, stage, place, commune, province, actor, standard, certificate, note, fingerprint
        case productID = "product_id", productCode = "product_code", lotLabel = "lot_label", stageKey = "stage_key"
        case stageWord = "stage_word", bizStep = "biz_step", startedAt = "started_at", startedOffset = "started_offset"
        case startedHasTime = "started_has_time", finishedAt = "finished_at", finishedOffset = "finished_offset"
        case finishedHasTime = "finished_has_time", placeGLN = "place_gln", eventID = "event_id"
    }

    /// Every stored stage with its product, in both dialects; each engine adds its own `WHERE`.
    static let selection = """
        SELECT s.id, s.product_id, p.code AS product_code, p.gtin, pr.name AS producer, s.lot, s.lot_label, s.stage, s.stage_key,
               s.stage_word, s.biz_step, s.started_at, s.started_offset, s.started_has_time, s.finished_at, s.finished_offset,
               s.finished_has_time, s.place, s.place_gln, s.commune, s.province, s.actor, s.standard, s.certificate, s.note,
               s.fingerprint, s.event_id
        FROM production_stages s JOIN products p ON p.id = s.product_id JOIN producers pr ON pr.id = p.producer_id
        """

    /// When the stage started, where it happened.
    public var started: EventTime {
        EventTime(millisecondsSinceEpoch: EventTime(parsing: startedAt)?.millisecondsSinceEpoch ?? 0, offsetMinutes: startedOffset, hasTime: startedHasTime != 0)
    }

    /// When it ended, if the diary says.
    public var finished: EventTime? {
        guard let finishedAt, let milliseconds = EventTime(parsing: finishedAt)?.millisecondsSinceEpoch else { return nil }
        return EventTime(millisecondsSinceEpoch: milliseconds, offsetMinutes: finishedOffset ?? startedOffset, hasTime: finishedHasTime != 0)
    }
}
