/// One EPCIS 2.0 event of a traceability chain, typed: an `ObjectEvent` (a stage of a lot by its
/// `quantityList`, a carton shipped or received with its `sourceList` and `destinationList`, a
/// stamp sold) or an `AggregationEvent` (stamps packed into a carton, or taken out).
///
/// Values are held as EPCIS 2.0 JSON writes them: bare CBV words (`"shipping"`, `"in_transit"`,
/// `"owning_party"`) or URIs, identifiers as URIs in any form (canonical Digital Link, another
/// resolver's domain, EPC URN). The CBV 2.0 event hash (``hashID``) reads them all alike.
public struct EPCISEvent: Hashable, Sendable {
    public enum Kind: String, Sendable, CaseIterable {
        case object = "ObjectEvent"
        case aggregation = "AggregationEvent"
    }

    public enum Action: String, Sendable, CaseIterable {
        case add = "ADD"
        case observe = "OBSERVE"
        case delete = "DELETE"
    }

    /// An amount of a class-level identifier (`…/01/{gtin}/10/{lot}`): 1200 KGM of a lot.
    public struct Quantity: Hashable, Sendable {
        public var epcClass: String
        public var quantity: Double?
        /// A UN/ECE Recommendation 20 code (`KGM`, `LTR`); nil for a count of items.
        public var uom: String?

        public init(epcClass: String, quantity: Double? = nil, uom: String? = nil) {
            self.epcClass = epcClass
            self.quantity = quantity
            self.uom = uom
        }
    }

    /// A business document the event belongs to (`desadv`, `po`, `testres` …).
    public struct BusinessTransaction: Hashable, Sendable {
        /// A CBV transaction type word or URI; nil when the document does not say.
        public var type: String?
        public var id: String

        public init(type: String?, id: String) {
            self.type = type
            self.id = id
        }
    }

    /// A party or place goods come from or go to: `owning_party` / `possessing_party` with a party
    /// GLN (`…/417/…`), `location` with a location GLN (`…/414/…`).
    public struct Party: Hashable, Sendable {
        public var type: String
        public var id: String

        public init(type: String, id: String) {
            self.type = type
            self.id = id
        }
    }

    /// A field outside the EPCIS standard (an `ilmd` entry or a user extension), named by its
    /// namespace and local name (`urn:epcglobal:cbv:mda:` and `lotNumber`).
    public struct Field: Hashable, Sendable {
        public indirect enum Value: Hashable, Sendable {
            case text(String)
            case fields([Field])
        }

        /// Nil when the document wrote a prefix it did not declare (the name keeps it: `ocop:stageLabel`).
        public var namespace: String?
        public var name: String
        public var value: Value

        public init(namespace: String?, name: String, value: Value) {
            self.namespace = namespace
            self.name = name
            self.value = value
        }

        public init(namespace: String?, name: String, text: String) {
            self.init(namespace: namespace, name: name, value: .text(text))
        }
    }

    public var kind: Kind
    public var eventTime: EventTime
    public var action: Action
    public var certificationInfo: String?
    /// The container of an AggregationEvent (a carton's `…/00/{sscc}`).
    public var parentID: String?
    /// The items an ObjectEvent is about.
    public var epcList: [String]
    /// The items packed into, or taken out of, an AggregationEvent's parent.
    public var childEPCs: [String]
    public var quantityList: [Quantity]
    public var childQuantityList: [Quantity]
    /// A bare CBV word or a URI (``BusinessStep/epcisValue``).
    public var bizStep: String?
    /// A bare CBV word or a URI.
    public var disposition: String?
    public var readPoint: String?
    public var bizLocation: String?
    public var bizTransactionList: [BusinessTransaction]
    public var sourceList: [Party]
    public var destinationList: [Party]
    /// Instance/lot master data: allowed on ADD only.
    public var ilmd: [Field]
    /// Fields of other namespaces on the event itself (`ocoptrace:stage`).
    public var extensions: [Field]

    public init(kind: Kind, eventTime: EventTime, action: Action, certificationInfo: String? = nil, parentID: String? = nil,
                epcList: [String] = [], childEPCs: [String] = [], quantityList: [Quantity] = [], childQuantityList: [Quantity] = [],
                bizStep: String? = nil, disposition: String? = nil, readPoint: String? = nil, bizLocation: String? = nil,
                bizTransactionList: [BusinessTransaction] = [], sourceList: [Party] = [], destinationList: [Party] = [],
                ilmd: [Field] = [], extensions: [Field] = []) {
        self.kind = kind
        self.eventTime = eventTime
        self.action = action
        self.certificationInfo = certificationInfo
        self.parentID = parentID
        self.epcList = epcList
        self.childEPCs = childEPCs
        self.quantityList = quantityList
        self.childQuantityList = childQuantityList
        self.bizStep = bizStep
        self.disposition = disposition
        self.readPoint = readPoint
        self.bizLocation = bizLocation
        self.bizTransactionList = bizTransactionList
        self.sourceList = sourceList
        self.destinationList = destinationList
        self.ilmd = ilmd
        self.extensions = extensions
    }
}
