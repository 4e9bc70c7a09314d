import Foundation

/// A validated production-diary row: one stage of one lot.
public struct ProductionStageDraft: Hashable, Sendable {
    public var productCode: String
    /// Narrows the product when several producers use the same product code.
    public var producerName: String?
    public var lotLabel: String
    public var lot: LotNumber
    public var stage: ProductionStage
    /// The word as typed, and its matching key (a row's identity with the lot and the start).
    public var stageWord: String
    public var stageKey: String
    public var startedAt: EventTime
    public var finishedAt: EventTime?
    public var place: String?
    public var placeGLN: GLN?
    public var commune: String?
    public var province: String?
    public var actor: String?
    public var standard: String?
    public var certificate: String?
    public var note: String?
}

/// A diary row ready for the store but for its event's hash: the event is built and hashed only
/// when the store holds no stage of the row's key with the same fingerprint (``DiaryWriter/completed(_:)``).
struct PendingStage {
    /// The write, its `eventID` empty until completed.
    var write: ProductionStageWrite
    var event: ProductionStageEvent
}

/// Prepares validated diary rows for the store: finds each row's product among those with its
/// code, fingerprints what the row says, and (for new and changed rows) makes the row's event,
/// whose hash is stored with it.
final class DiaryWriter {
    /// Changes when the events built from unchanged rows would change, so that a re-import after
    /// such a change writes their new hashes.
    static let eventVersion = "stage-event-1"

    private let file: String
    private let header: HeaderMap

    init(file: String, header: HeaderMap) {
        self.file = file
        self.header = header
    }

    private func problem(_ row: Int, _ column: CatalogColumn?, _ message: String) -> RowErrors {
        RowErrors(problems: [RowProblem(file: file, row: row, column: column.map(header.header(of:)), message: message)])
    }

    /// The row as the store writes it, but for its event's hash, given every product with its
    /// code, or why it cannot be. The lot needs no stamp order: its events wait for its stamps.
    func prepare(_ draft: ProductionStageDraft, row: Int, candidates: [ProductCandidate]) -> Result<PendingStage, RowErrors> {
        let product: ProductCandidate
        // The diary's province is where the stage happened, not the producer's: only the name narrows.
        switch ProductLookup.choose(among: candidates, producer: .named(draft.producerName, province: nil)) {
        case .found(let match):
            product = match
        case .unknown:
            return .failure(problem(row, .productCode, "no product \(draft.productCode.quoted) in the registry: import its catalog first"))
        case .notForProducer:
            return .failure(problem(row, .producer, "product \(draft.productCode.quoted) exists, but not for \(draft.producerName ?? "this producer")"))
        case .ambiguous(let producers):
            return .failure(problem(row, .productCode, "product code \(draft.productCode.quoted) is used by several producers (\(producers.joined(separator: ", "))): add a producer column (Chủ thể) to say which"))
        }
        let gtin = product.gtin.flatMap { try? GTIN(parsing: $0) }
        let productKey = gtin.map(StampURL.ProductKey.gtin) ?? .code(product.code)
        let event = ProductionStageEvent(product: productKey, lot: draft.lot.code,
                                         stage: draft.stage, stageWord: draft.stageWord, startedAt: draft.startedAt,
                                         finishedAt: draft.finishedAt, place: draft.place, placeGLN: draft.placeGLN,
                                         commune: draft.commune, province: draft.province, actor: draft.actor,
                                         standard: draft.standard, certificate: draft.certificate)
        // Everything the event is made of, and the note: equal fingerprints, equal events.
        let fingerprint = Digest.hex(of: [
            Self.eventVersion, gtin?.digits ?? "code:" + product.code, draft.lotLabel, draft.stageWord, event.bizStep,
            draft.startedAt.eventTime, String(draft.startedAt.hasTime), draft.finishedAt.map { $0.eventTime + String($0.hasTime) } ?? "",
            draft.place ?? "", draft.placeGLN?.digits ?? "", draft.commune ?? "", draft.province ?? "", draft.actor ?? "",
            draft.standard ?? "", draft.certificate ?? "", draft.note ?? "",
        ].joined(separator: "\u{1F}"))
        return .success(PendingStage(write: ProductionStageWrite(
            row: row, productID: product.id, lot: draft.lot.code, lotLabel: draft.lotLabel, stage: draft.stage.rawValue,
            stageKey: draft.stageKey, stageWord: draft.stageWord, bizStep: event.bizStep, startedAt: draft.startedAt,
            finishedAt: draft.finishedAt, place: draft.place, placeGLN: draft.placeGLN?.digits, commune: draft.commune,
            province: draft.province, actor: draft.actor, standard: draft.standard, certificate: draft.certificate,
            note: draft.note, fingerprint: fingerprint, eventID: ""), event: event))
    }

    /// The write with its event's CBV 2.0 hash: for a row the store does not hold as it is.
    func completed(_ pending: PendingStage) -> ProductionStageWrite {
        var write = pending.write
        write.eventID = pending.event.event.hashID
        return write
    }

    /// What the store's writing of the row did, as the report counts it.
    func change(_ outcome: ProductionStageWriteOutcome) -> RowChange {
        switch outcome {
        case .inserted: .inserted
        case .updated: .updated
        case .unchanged: .unchanged
        }
    }
}
