import Foundation

extension EPCISEvent {
    /// Writes the event as an EPCIS 2.0 JSON object, its CBV 2.0 hash (``hashID``) as `eventID`.
    /// Extension and ILMD fields of ``BusinessStep/ocoptraceNamespace`` are written with the
    /// `ocoptrace:` prefix and those of `urn:epcglobal:cbv:mda:` with `cbvmda:`, which the
    /// documents ``EPCISExport`` writes declare.
    func write(into out: inout JSONBytes) {
        out.raw("{\"type\":")
        out.string(kind.rawValue)
        out.raw(",\"eventID\":")
        out.string(hashID)
        out.raw(",\"eventTime\":")
        out.string(eventTime.eventTime)
        out.raw(",\"eventTimeZoneOffset\":")
        out.string(eventTime.timeZoneOffset)
        if let parentID {
            out.raw(",\"parentID\":")
            out.string(parentID)
        }
        if !epcList.isEmpty {
            out.raw(",\"epcList\":")
            out.strings(epcList)
        }
        if !childEPCs.isEmpty {
            out.raw(",\"childEPCs\":")
            out.strings(childEPCs)
        }
        for (key, quantities) in [("quantityList", quantityList), ("childQuantityList", childQuantityList)] where !quantities.isEmpty {
            out.raw(",")
            out.string(key)
            out.raw(":[")
            for (index, quantity) in quantities.enumerated() {
                if index > 0 { out.raw(",") }
                out.raw("{\"epcClass\":")
                out.string(quantity.epcClass)
                if let amount = quantity.quantity {
                    out.raw(",\"quantity\":")
                    out.raw(EPCISEventHash.number(amount))
                }
                if let uom = quantity.uom {
                    out.raw(",\"uom\":")
                    out.string(uom)
                }
                out.raw("}")
            }
            out.raw("]")
        }
        out.raw(",\"action\":")
        out.string(action.rawValue)
        for (key, value) in [("bizStep", bizStep), ("disposition", disposition)] {
            guard let value else { continue }
            out.raw(",")
            out.string(key)
            out.raw(":")
            out.string(value)
        }
        for (key, value) in [("readPoint", readPoint), ("bizLocation", bizLocation)] {
            guard let value else { continue }
            out.raw(",")
            out.string(key)
            out.raw(":{\"id\":")
            out.string(value)
            out.raw("}")
        }
        if !bizTransactionList.isEmpty {
            out.raw(",\"bizTransactionList\":[")
            for (index, transaction) in bizTransactionList.enumerated() {
                if index > 0 { out.raw(",") }
                out.raw("{")
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
        for (key, name, parties) in [("sourceList", "source", sourceList), ("destinationList", "destination", destinationList)] where !parties.isEmpty {
            out.raw(",")
            out.string(key)
            out.raw(":[")
            for (index, party) in parties.enumerated() {
                if index > 0 { out.raw(",") }
                out.raw("{\"type\":")
                out.string(party.type)
                out.raw(",")
                out.string(name)
                out.raw(":")
                out.string(party.id)
                out.raw("}")
            }
            out.raw("]")
        }
        if !ilmd.isEmpty {
            out.raw(",\"ilmd\":")
            EPCISEvent.write(fields: ilmd, into: &out)
        }
        for field in extensions {
            out.raw(",")
            EPCISEvent.write(field: field, into: &out)
        }
        out.raw("}")
    }

    private static let prefixes = [BusinessStep.ocoptraceNamespace: "ocoptrace", "urn:epcglobal:cbv:mda:": "cbvmda"]

    private static func write(fields: [Field], into out: inout JSONBytes) {
        out.raw("{")
        for (index, field) in fields.enumerated() {
            if index > 0 { out.raw(",") }
            write(field: field, into: &out)
        }
        out.raw("}")
    }

    private static func write(field: Field, into out: inout JSONBytes) {
        let prefix = field.namespace.flatMap { prefixes[$0] }
        out.string(prefix.map { $0 + ":" + field.name } ?? field.name)
        out.raw(":")
        switch field.value {
        case .text(let text): out.string(text)
        case .fields(let inner): write(fields: inner, into: &out)
        }
    }
}
