/// The "why" of an EPCIS event: a CBV 2.0 business step, or a step of ocoptrace's own vocabulary
/// where CBV has no word (growing, planting, fermenting …).
///
/// EPCIS 2.0 JSON takes a CBV step as its bare word (`"shipping"`) and any other step as a URI
/// that is not under `urn:epcglobal:cbv` or `https://ns.gs1.org/cbv/`; a private bare word is
/// refused by the schema, and a made-up `https://ref.gs1.org/cbv/BizStep-harvesting` passes it
/// while meaning nothing. So our steps are URIs under ``ocoptraceNamespace``
/// (`https://ocoptrace.vn/ns/epcis#BizStep-growing`), the namespace of our event fields, which the
/// documents we write declare as the `ocoptrace:` prefix.
public enum BusinessStep: Hashable, Sendable, CustomStringConvertible {
    /// A CBV 2.0 step, by its bare word (one of ``cbvWords``).
    case cbv(String)
    /// A step of our vocabulary, by its local name (`growing` for `…#BizStep-growing`).
    case ocoptrace(String)
    /// Any other URI, as a partner's file may carry (`urn:gdst:bizStep:farmHarvest`).
    case other(String)

    /// The namespace of ocoptrace's own EPCIS vocabulary and event fields.
    public static let ocoptraceNamespace = "https://ocoptrace.vn/ns/epcis#"
    /// Where CBV 2.0 Web vocabulary URIs start (`https://ref.gs1.org/cbv/BizStep-shipping`).
    public static let cbvWebVocabulary = "https://ref.gs1.org/cbv/"

    /// The 41 business steps of CBV 2.0 (`bizStep` in the EPCIS 2.0 JSON schema).
    public static let cbvWords: Set<String> = [
        "accepting", "arriving", "assembling", "collecting", "commissioning", "consigning", "creating_class_instance",
        "cycle_counting", "decommissioning", "departing", "destroying", "disassembling", "dispensing", "encoding",
        "entering_exiting", "holding", "inspecting", "installing", "killing", "loading", "other", "packing", "picking",
        "receiving", "removing", "repackaging", "repairing", "replacing", "reserving", "retail_selling", "sampling",
        "sensor_reporting", "shipping", "staging_outbound", "stock_taking", "stocking", "storing", "transporting",
        "unloading", "unpacking", "void_shipping",
    ]

    /// Reads a `bizStep` as EPCIS documents write it: a bare CBV word, its Web URI
    /// (`https://ref.gs1.org/cbv/BizStep-shipping`) or old URN (`urn:epcglobal:cbv:bizstep:shipping`),
    /// one of our URIs, or another URI. Nil for a bare word CBV does not have (`harvesting`), and
    /// for a CBV URI naming no CBV step.
    public init?(epcisValue text: String) {
        let value = text.trimmed
        for prefix in [BusinessStep.cbvWebVocabulary + "BizStep-", "urn:epcglobal:cbv:bizstep:", ""] where value.hasPrefix(prefix) {
            let word = String(value.dropFirst(prefix.count))
            if BusinessStep.cbvWords.contains(word) {
                self = .cbv(word)
                return
            }
            if !prefix.isEmpty { return nil }
        }
        let ours = BusinessStep.ocoptraceNamespace + "BizStep-"
        if value.hasPrefix(ours), value.count > ours.count {
            self = .ocoptrace(String(value.dropFirst(ours.count)))
        } else if let colon = value.firstIndex(of: ":"), colon != value.startIndex, !value.hasPrefix("urn:epcglobal:cbv"),
                  !value.hasPrefix("http://ns.gs1.org/cbv/"), !value.hasPrefix("https://ns.gs1.org/cbv/") {
            self = .other(value)
        } else {
            return nil
        }
    }

    /// The value of `bizStep` in an EPCIS 2.0 JSON document: the bare word for CBV, else the URI.
    public var epcisValue: String {
        switch self {
        case .cbv(let word): word
        case .ocoptrace(let name): BusinessStep.ocoptraceNamespace + "BizStep-" + name
        case .other(let uri): uri
        }
    }

    /// The full URI the step stands for (what the CBV 2.0 event hash writes).
    public var uri: String {
        switch self {
        case .cbv(let word): BusinessStep.cbvWebVocabulary + "BizStep-" + word
        case .ocoptrace, .other: epcisValue
        }
    }

    public var description: String { epcisValue }
}
