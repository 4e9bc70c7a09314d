import Foundation

/// The events of cartons and shipments, as EPCIS 2.0 events (traceability-chain.md §3 A–C):
/// packing is an `AggregationEvent` `ADD` / `packing` with the carton as parent and its stamps as
/// children, opening it a `DELETE` / `unpacking`; a shipment is an `ObjectEvent` `OBSERVE` /
/// `shipping` / `in_transit` and its receipt `receiving` / `in_progress`, naming the carton (or the
/// lot's class with its count) and the producer and receiver in `sourceList` and `destinationList`
/// by their GLNs (party `417` and location `414`) where the registry has them. The receiver's
/// name and province go in `ocoptrace:` fields, so that a receiver without a GLN is still named.
extension EPCISExport {
    /// A stored UTC time as an event time in Viet Nam (+07:00).
    static func eventTime(stored: String) -> EventTime {
        let date = Timestamp.date(stored) ?? Date(timeIntervalSince1970: 0)
        return EventTime(millisecondsSinceEpoch: Int((date.timeIntervalSince1970 * 1000).rounded()))
    }

    static func productKey(gtin: String?, code: String) -> StampURL.ProductKey {
        gtin.flatMap { try? GTIN(parsing: $0) }.map(StampURL.ProductKey.gtin) ?? .code(code)
    }

    /// The carton's URI in events: the canonical `https://id.gs1.org/00/…`, or our own carton code's URL.
    static func cartonID(_ key: String, resolver: String) -> String {
        (try? CartonKey(parsing: key)).map { $0.epcisID(resolver: resolver) } ?? key
    }

    static func packingEvent(_ carton: StoredCarton, children: [String]) -> EPCISEvent {
        let product = productKey(gtin: carton.gtin, code: carton.productCode)
        let prefix = StampURL.canonicalItemPrefix(product: product)
            ?? StampURL.itemPrefix(resolver: carton.resolver, product: product, lot: carton.lot)
        let place = carton.producerGLN.flatMap { try? GLN(parsing: $0) }?.digitalLink
        return EPCISEvent(kind: .aggregation, eventTime: eventTime(stored: carton.packedAt), action: .add,
                          parentID: cartonID(carton.sscc, resolver: carton.resolver), childEPCs: children.map { prefix + $0 },
                          bizStep: "packing", disposition: "in_progress", readPoint: place, bizLocation: place)
    }

    static func unpackingEvent(_ carton: StoredCarton) -> EPCISEvent? {
        guard let unpackedAt = carton.unpackedAt else { return nil }
        let place = carton.producerGLN.flatMap { try? GLN(parsing: $0) }?.digitalLink
        return EPCISEvent(kind: .aggregation, eventTime: eventTime(stored: unpackedAt), action: .delete,
                          parentID: cartonID(carton.sscc, resolver: carton.resolver), bizStep: "unpacking", readPoint: place,
                          bizLocation: place)
    }

    /// The shipping event and the receiving event of a shipment, each when it has its time.
    static func shipmentEvents(_ shipment: StoredShipment) -> [EPCISEvent] {
        var epcList: [String] = []
        var quantityList: [EPCISEvent.Quantity] = []
        if let sscc = shipment.sscc {
            epcList = [cartonID(sscc, resolver: shipment.resolver)]
        } else {
            let product = productKey(gtin: shipment.gtin, code: shipment.productCode)
            let lotClass: String
            switch product {
            case .gtin(let gtin): lotClass = StampURL.gs1CanonicalResolver + "/01/" + gtin.digits + "/10/" + StampURL.percentEncoded(shipment.lot)
            case .code: lotClass = String(StampURL.itemPrefix(resolver: shipment.resolver, product: product, lot: shipment.lot).dropLast(4))
            }
            quantityList = [EPCISEvent.Quantity(epcClass: lotClass, quantity: shipment.count.map(Double.init))]
        }
        let producer = shipment.producerGLN.flatMap { try? GLN(parsing: $0) }
        let receiver = shipment.receiverGLN.flatMap { try? GLN(parsing: $0) }
        func parties(_ gln: GLN?) -> [EPCISEvent.Party] {
            guard let gln else { return [] }
            let party = StampURL.gs1CanonicalResolver + "/417/" + gln.digits
            return [EPCISEvent.Party(type: "owning_party", id: party), EPCISEvent.Party(type: "possessing_party", id: party),
                    EPCISEvent.Party(type: "location", id: gln.digitalLink)]
        }
        let names = [EPCISEvent.Field(namespace: BusinessStep.ocoptraceNamespace, name: "receiverName", text: shipment.receiver),
                     EPCISEvent.Field(namespace: BusinessStep.ocoptraceNamespace, name: "receiverProvince", text: shipment.receiverProvince)]
        var events: [EPCISEvent] = []
        if let shippedAt = shipment.shippedAt {
            events.append(EPCISEvent(kind: .object, eventTime: eventTime(stored: shippedAt), action: .observe, epcList: epcList,
                                     quantityList: quantityList, bizStep: "shipping", disposition: "in_transit",
                                     readPoint: producer?.digitalLink, sourceList: parties(producer), destinationList: parties(receiver),
                                     extensions: names))
        }
        if let receivedAt = shipment.receivedAt {
            events.append(EPCISEvent(kind: .object, eventTime: eventTime(stored: receivedAt), action: .observe, epcList: epcList,
                                     quantityList: quantityList, bizStep: "receiving", disposition: "in_progress",
                                     readPoint: receiver?.digitalLink, bizLocation: receiver?.digitalLink, sourceList: parties(producer),
                                     destinationList: parties(receiver), extensions: names))
        }
        return events
    }
}
