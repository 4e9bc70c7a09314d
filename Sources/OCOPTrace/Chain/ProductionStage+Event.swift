import Foundation

/// A diary row as an EPCIS 2.0 event: one class-level `ObjectEvent` about the lot
/// (`quantityList` with `…/01/{gtin}/10/{lot}`), under the stage's business step, where the diary
/// says it happened (its GLN as read point and business location), with what the diary adds in
/// fields of ocoptrace's namespace (`ocoptrace:stage`, `ocoptrace:standard`, …).
///
/// The same value is made when the row is imported (its CBV 2.0 hash is stored as the stage's
/// `eventID`) and when `ocoptrace epcis` writes it, so the two always agree.
public struct ProductionStageEvent: Sendable, Hashable {
    public var product: StampURL.ProductKey
    public var lot: String
    public var stage: ProductionStage
    /// The step the event carries (the stage's, unless stored otherwise by an older ocoptrace).
    public var bizStep: String
    /// The stage word as the diary wrote it.
    public var stageWord: String
    public var startedAt: EventTime
    public var finishedAt: EventTime?
    public var place: String?
    public var placeGLN: GLN?
    public var commune: String?
    public var province: String?
    public var actor: String?
    public var standard: String?
    public var certificate: String?

    public init(product: StampURL.ProductKey, lot: String, stage: ProductionStage, bizStep: String? = nil, stageWord: String,
                startedAt: EventTime, finishedAt: EventTime? = nil, place: String? = nil, placeGLN: GLN? = nil, commune: String? = nil,
                province: String? = nil, actor: String? = nil, standard: String? = nil, certificate: String? = nil) {
        self.product = product
        self.lot = lot
        self.stage = stage
        self.bizStep = bizStep ?? stage.businessStep.epcisValue
        self.stageWord = stageWord
        self.startedAt = startedAt
        self.finishedAt = finishedAt
        self.place = place
        self.placeGLN = placeGLN
        self.commune = commune
        self.province = province
        self.actor = actor
        self.standard = standard
        self.certificate = certificate
    }

    /// A stored diary row's event; nil when the row names a stage this ocoptrace does not know.
    public init?(_ stored: StoredProductionStage) {
        guard let stage = ProductionStage(rawValue: stored.stage) else { return nil }
        let gtin = stored.gtin.flatMap { try? GTIN(parsing: $0) }
        self.init(product: gtin.map(StampURL.ProductKey.gtin) ?? .code(stored.productCode), lot: stored.lot, stage: stage,
                  bizStep: stored.bizStep, stageWord: stored.stageWord, startedAt: stored.started, finishedAt: stored.finished,
                  place: stored.place, placeGLN: stored.placeGLN.flatMap { try? GLN(parsing: $0) }, commune: stored.commune,
                  province: stored.province, actor: stored.actor, standard: stored.standard, certificate: stored.certificate)
    }

    /// The lot's class-level identifier: `https://id.gs1.org/01/{gtin}/10/{lot}` (an LGTIN), or
    /// under ocoptrace's default resolver for a product without a GTIN (`…/p/{code}/10/{lot}`).
    public var epcClass: String {
        let resolver = StampURL.canonicalItemPrefix(product: product) != nil ? StampURL.gs1CanonicalResolver : IssueOptions.defaultResolver
        var prefix = StampURL.itemPrefix(resolver: resolver, product: product, lot: lot)
        prefix.removeLast(4)  // "/21/"
        return prefix
    }

    /// Steps that bring the lot (or more of it) into being: their events `ADD` it, with its lot number as ILMD.
    var createsLot: Bool { bizStep == "commissioning" || bizStep == "creating_class_instance" }

    /// The event.
    public var event: EPCISEvent {
        let namespace = BusinessStep.ocoptraceNamespace
        var extensions = [EPCISEvent.Field(namespace: namespace, name: "stage", text: stage.rawValue),
                          EPCISEvent.Field(namespace: namespace, name: "stageLabel", text: stageWord)]
        func add(_ name: String, _ value: String?) {
            if let value, !value.isEmpty { extensions.append(EPCISEvent.Field(namespace: namespace, name: name, text: value)) }
        }
        add("finishedAt", finishedAt?.eventTime)
        add("place", place)
        add("commune", commune)
        add("province", province)
        add("actor", actor)
        add("standard", standard)
        add("certificate", certificate)
        let location = placeGLN?.digitalLink
        return EPCISEvent(kind: .object, eventTime: startedAt, action: createsLot ? .add : .observe,
                          quantityList: [EPCISEvent.Quantity(epcClass: epcClass)], bizStep: bizStep,
                          disposition: createsLot ? "active" : nil, readPoint: location, bizLocation: location,
                          ilmd: createsLot ? [EPCISEvent.Field(namespace: "urn:epcglobal:cbv:mda:", name: "lotNumber", text: lot)] : [],
                          extensions: extensions)
    }
}
