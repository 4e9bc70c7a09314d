import Crypto
import Foundation

extension EPCISEvent {
    /// The CBV 2.0 event hash ID, `ni:///sha-256;{hex}?ver=CBV2.0` (RFC 6920): the `eventID` that
    /// names this event however it is spelled, so a partner's file sent twice, or the same event
    /// written with other identifier forms, is recognised.
    ///
    /// It is the SHA-256 of ``preHashString`` in UTF-8. Checked against the published vectors of
    /// the reference implementation (RalphTro/epcis-event-hash-generator) that
    /// traceability-chain.md §5 lists.
    public var hashID: String {
        "ni:///sha-256;" + Digest.hex(of: preHashString) + "?ver=CBV2.0"
    }

    /// The canonical text the CBV 2.0 event hash is computed over.
    ///
    /// Fields in the CBV order (eventType, eventTime in UTC to the millisecond, eventTimeZoneOffset,
    /// certificationInfo, parentID, epcList, childEPCs, quantityList, childQuantityList, action,
    /// bizStep, disposition, readPoint, bizLocation), `key=value` with no separators, absent fields
    /// left out; then bizTransactionList, destinationList, ilmd, sourceList and the user extensions,
    /// each written whole and these sorted. Lists are sorted; vocabulary words become CBV Web URIs
    /// (`https://ref.gs1.org/cbv/BizStep-shipping`); identifiers become canonical Digital Link
    /// URIs (``GS1KeyURI/canonical(_:)``); numbers lose trailing zeros; ILMD and extension fields
    /// are written `{namespace}name=value`.
    public var preHashString: String {
        typealias Hash = EPCISEventHash
        var text = "eventType=" + kind.rawValue
        text += "eventTime=" + eventTime.utc
        text += Hash.field("eventTimeZoneOffset", eventTime.timeZoneOffset)
        text += Hash.field("certificationInfo", certificationInfo)
        text += Hash.field("parentID", parentID)
        text += Hash.list("epcList", epcList.map { Hash.field("epc", $0) })
        text += Hash.list("childEPCs", childEPCs.map { Hash.field("epc", $0) })
        text += Hash.list("quantityList", quantityList.map(Hash.quantityElement))
        text += Hash.list("childQuantityList", childQuantityList.map(Hash.quantityElement))
        text += Hash.field("action", action.rawValue)
        text += Hash.field("bizStep", bizStep.map { Hash.vocabulary($0, "BizStep-") })
        text += Hash.field("disposition", disposition.map { Hash.vocabulary($0, "Disp-") })
        text += Hash.list("readPoint", [Hash.field("id", readPoint)])
        text += Hash.list("bizLocation", [Hash.field("id", bizLocation)])
        var rest: [String] = []
        rest.append(Hash.list("bizTransactionList", bizTransactionList.map {
            Hash.field("type", $0.type.map { Hash.vocabulary($0, "BTT-") }) + Hash.field("bizTransaction", $0.id)
        }))
        rest.append(Hash.list("sourceList", sourceList.map {
            Hash.field("type", Hash.vocabulary($0.type, "SDT-")) + Hash.field("source", $0.id)
        }))
        rest.append(Hash.list("destinationList", destinationList.map {
            Hash.field("type", Hash.vocabulary($0.type, "SDT-")) + Hash.field("destination", $0.id)
        }))
        if !ilmd.isEmpty { rest.append("ilmd" + Hash.sorted(ilmd.map(Hash.extensionField)).joined()) }
        rest += extensions.map(Hash.extensionField)
        return text + Hash.sorted(rest.filter { !$0.isEmpty }).joined()
    }
}

/// The value rules of the CBV 2.0 event hash, as the reference implementation applies them.
enum EPCISEventHash {
    /// `key=value` with the value canonical, or nothing when there is no value.
    static func field(_ key: String, _ value: String?) -> String {
        guard let value else { return "" }
        let canonical = canonicalValue(value)
        return canonical.isEmpty ? "" : key + "=" + canonical
    }

    /// The key followed by its entries sorted, or nothing when no entry has anything.
    static func list(_ key: String, _ entries: [String]) -> String {
        let present = entries.filter { !$0.isEmpty }
        return present.isEmpty ? "" : key + sorted(present).joined()
    }

    static func quantityElement(_ element: EPCISEvent.Quantity) -> String {
        "quantityElement" + field("epcClass", element.epcClass) + field("quantity", element.quantity.map(number))
            + field("uom", element.uom)
    }

    /// `{namespace}name=value`, or `{namespace}name` followed by its own fields sorted.
    static func extensionField(_ field: EPCISEvent.Field) -> String {
        let key = (field.namespace.map { "{" + $0 + "}" } ?? "") + field.name
        switch field.value {
        case .text(let text):
            let value = canonicalValue(text)
            return value.isEmpty ? key : key + "=" + value
        case .fields(let fields):
            return key + sorted(fields.map(extensionField)).joined()
        }
    }

    /// Sorted by code point (UTF-8 byte order), as the reference implementation's Python sorts.
    static func sorted(_ texts: [String]) -> [String] {
        texts.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
    }

    /// A vocabulary value as its Web URI: a bare word gets the CBV prefix and `kind`
    /// (`shipping` → `https://ref.gs1.org/cbv/BizStep-shipping`), a `cbv:` CURIE the CBV namespace;
    /// URIs stay (old URNs are mapped by ``canonicalValue(_:)``).
    static func vocabulary(_ value: String, _ kind: String) -> String {
        let word = value.trimmed
        if word.hasPrefix("cbv:") { return BusinessStep.cbvWebVocabulary + word.dropFirst(4) }
        return word.utf8.contains(UInt8(ascii: ":")) || word.isEmpty ? word : BusinessStep.cbvWebVocabulary + kind + word
    }

    /// Every value's canonical form: trimmed, old CBV URNs as Web URIs, numbers without trailing
    /// zeros, GS1 keys as canonical Digital Link URIs.
    static func canonicalValue(_ value: String) -> String {
        var text = value.trimmed
        // One byte search for the old URNs' common start before looking for each (Foundation's
        // search, per value, was most of the cost of hashing a diary's events).
        if mayHoldOldVocabulary(text) {
            for (urn, web) in oldVocabulary where text.contains(urn) {
                text = text.replacingOccurrences(of: urn, with: web)
            }
        }
        if let numeric = numericValue(text) { text = numeric }
        return GS1KeyURI.canonical(text) ?? text
    }

    private static let oldVocabularyStart = Array("urn:epcglobal:cbv:".utf8)

    /// Whether `text` holds `urn:epcglobal:cbv:` anywhere: a plain scan of its bytes (the generic
    /// `firstRange(of:)` costs more in metadata lookups than the search).
    static func mayHoldOldVocabulary(_ text: String) -> Bool {
        let marker = oldVocabularyStart
        let scan = { (bytes: UnsafeBufferPointer<UInt8>) -> Bool in
            guard bytes.count >= marker.count else { return false }
            var start = 0
            while start <= bytes.count - marker.count {
                if bytes[start] == marker[0] {
                    var matched = 1
                    while matched < marker.count, bytes[start + matched] == marker[matched] { matched += 1 }
                    if matched == marker.count { return true }
                }
                start += 1
            }
            return false
        }
        if let found = text.utf8.withContiguousStorageIfAvailable(scan) { return found }
        return Array(text.utf8).withUnsafeBufferPointer(scan)
    }

    private static let oldVocabulary = [
        ("urn:epcglobal:cbv:bizstep:", "BizStep-"), ("urn:epcglobal:cbv:disp:", "Disp-"), ("urn:epcglobal:cbv:btt:", "BTT-"),
        ("urn:epcglobal:cbv:sdt:", "SDT-"), ("urn:epcglobal:cbv:er:", "ER-"),
    ].map { ($0.0, BusinessStep.cbvWebVocabulary + $0.1) }

    /// A decimal number written canonically (`1200.0` → `1200`, `+1.50` → `1.5`); nil for other text.
    static func numericValue(_ text: String) -> String? {
        var bytes = Array(text.utf8)[...]
        if bytes.first == UInt8(ascii: "+") || bytes.first == UInt8(ascii: "-") { bytes = bytes.dropFirst() }
        let mantissa = bytes.prefix { $0 != UInt8(ascii: "e") && $0 != UInt8(ascii: "E") }
        let exponent = bytes.dropFirst(mantissa.count + 1)
        let isDigit = { (byte: UInt8) in (48...57).contains(byte) }
        let dots = mantissa.filter { $0 == UInt8(ascii: ".") }.count
        guard dots <= 1, mantissa.contains(where: isDigit), mantissa.allSatisfy({ isDigit($0) || $0 == UInt8(ascii: ".") }) else { return nil }
        if mantissa.count < bytes.count {
            var digits = exponent
            if digits.first == UInt8(ascii: "+") || digits.first == UInt8(ascii: "-") { digits = digits.dropFirst() }
            guard !digits.isEmpty, digits.allSatisfy(isDigit) else { return nil }
        }
        guard let value = Double(text), value.isFinite else { return nil }
        return number(value)
    }

    /// A number as Python's `str` writes it after dropping a `.0`: the shortest form that reads back.
    static func number(_ value: Double) -> String {
        if value == value.rounded(), abs(value) < 9.2e18 { return String(Int64(value)) }
        return "\(value)"
    }
}
