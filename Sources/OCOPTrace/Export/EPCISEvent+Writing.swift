import Foundation

extension EPCISEvent {
    /// Prefixes the documents ocoptrace writes declare (or the EPCIS 2.0 context does), by namespace.
    static let prefixes = [BusinessStep.ocoptraceNamespace: "ocoptrace:", "urn:epcglobal:cbv:mda:": "cbvmda:"]

    /// Writes the event as EPCIS 2.0 JSON-LD into `out`, with its CBV 2.0 hash as `eventID`
    /// (``hashID``, or `eventID` when the caller has it stored already). Fields of our namespace
    /// are written `ocoptrace:name`, so the document must declare that prefix, as
    /// ``EPCISExport/writeDocumentStart(into:)`` does.
    public func write(into out: inout JSONBytes, eventID: String? = nil) {
        out.raw("{\"type\":")
        out.string(kind.rawValue)
        out.raw(",\"eventTime\":")
        out.string(eventTime.eventTime)
        out.raw(",\"eventTimeZoneOffset\":")
        out.string(eventTime.timeZoneOffset)
        out.raw(",\"eventID\":")
        out.string(eventID ?? hashID)
        if let certificationInfo {
            out.raw(",\"certificationInfo\":")
            out.string(certificationInfo)
        }
        if let parentID {
            out.raw(",\"parentID\":")
            out.string(parentID)
        }
        if !epcList.isEmpty {
            out.raw(",\"epcList\":")
            out.strings(epcList)
        }
        if !childEPCs.isEmpty || (kind == .aggregation && childQuantityList.isEmpty) {
            out.raw(",\"childEPCs\":")
            out.strings(childEPCs)
        }
        Self.write("quantityList", quantityList, into: &out)
        Self.write("childQuantityList", childQuantityList, into: &out)
        out.raw(",\"action\":")
        out.string(action.rawValue)
        if let bizStep {
            out.raw(",\"bizStep\":")
            out.string(bizStep)
        }
        if let disposition {
            out.raw(",\"disposition\":")
            out.string(disposition)
        }
        if let readPoint {
            out.raw(",\"readPoint\":{\"id\":")
            out.string(readPoint)
            out.raw("}")
        }
        if let bizLocation {
            out.raw(",\"bizLocation\":{\"id\":")
            out.string(bizLocation)
            out.raw("}")
        }
        if !bizTransactionList.isEmpty {
            out.raw(",\"bizTransactionList\":[")
            for (index, transaction) in bizTransactionList.enumerated() {
                out.raw(index == 0 ? "{" : ",{")
                if let type = transaction.type {
                    out.raw("\"type\":")
                    out.string(type)
                    out.raw(",")
                }
                out.raw("\"bizTransaction\":")
                out.string(transaction.id)
                out.raw("}")
            }
            out.raw("]")
        }
        Self.write("sourceList", "source", sourceList, into: &out)
        Self.write("destinationList", "destination", destinationList, into: &out)
        if !ilmd.isEmpty {
            out.raw(",\"ilmd\":{")
            Self.write(ilmd, into: &out)
            out.raw("}")
        }
        if !extensions.isEmpty {
            out.raw(",")
            Self.write(extensions, into: &out)
        }
        out.raw("}")
    }

    private static func write(_ key: StaticString, _ quantities: [Quantity], into out: inout JSONBytes) {
        guard !quantities.isEmpty else { return }
        out.raw(",\"")
        out.raw(key)
        out.raw("\":[")
        for (index, element) in quantities.enumerated() {
            out.raw(index == 0 ? "{\"epcClass\":" : ",{\"epcClass\":")
            out.string(element.epcClass)
            if let quantity = element.quantity {
                out.raw(",\"quantity\":")
                out.raw(EPCISEventHash.number(quantity))
            }
            if let uom = element.uom {
                out.raw(",\"uom\":")
                out.string(uom)
            }
            out.raw("}")
        }
        out.raw("]")
    }

    private static func write(_ key: StaticString, _ idKey: StaticString, _ parties: [Party], into out: inout JSONBytes) {
        guard !parties.isEmpty else { return }
        out.raw(",\"")
        out.raw(key)
        out.raw("\":[")
        for (index, party) in parties.enumerated() {
            out.raw(index == 0 ? "{\"type\":" : ",{\"type\":")
            out.string(party.type)
            out.raw(",\"")
            out.raw(idKey)
            out.raw("\":")
            out.string(party.id)
            out.raw("}")
        }
        out.raw("]")
    }

    /// Fields as JSON members, a name repeated as an array of its values (as the hash counts them).
    private static func write(_ fields: [Field], into out: inout JSONBytes) {
        var names: [String] = []
        var values: [String: [Field.Value]] = [:]
        for field in fields {
            let name = field.namespace.map { (prefixes[$0] ?? $0) + field.name } ?? field.name
            if values[name] == nil { names.append(name) }
            values[name, default: []].append(field.value)
        }
        for (index, name) in names.enumerated() {
            if index > 0 { out.raw(",") }
            out.string(name)
            out.raw(":")
            let all = values[name] ?? []
            if all.count > 1 { out.raw("[") }
            for (position, value) in all.enumerated() {
                if position > 0 { out.raw(",") }
                switch value {
                case .text(let text): out.string(text)
                case .fields(let inner):
                    out.raw("{")
                    write(inner, into: &out)
                    out.raw("}")
                }
            }
            if all.count > 1 { out.raw("]") }
        }
    }
}
