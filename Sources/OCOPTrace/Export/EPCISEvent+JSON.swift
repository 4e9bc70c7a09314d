import Foundation

extension EPCISEvent {
    /// Why an EPCIS document could not be read into events: where (a JSON path such as
    /// `epcisBody.eventList[2].quantityList[0].quantity`) and what.
    public struct DocumentError: Error, Equatable, Sendable, CustomStringConvertible {
        public var path: String
        public var message: String

        public var description: String { path.isEmpty ? message : "\(path): \(message)" }
    }

    /// The events of an EPCIS 2.0 JSON or JSON-LD document (`eventList`, a query result's
    /// `resultsBody.eventList`, or a single `event`), typed.
    ///
    /// Prefixes the document declares inline in `@context` (`{"ocop": "https://…/"}`) are
    /// expanded in field names (`{https://…/}stageLabel`) and values, as the CBV 2.0 event hash
    /// does; `eventID`, `recordTime`, `errorDeclaration` and comments are not part of the event's
    /// identity and are dropped. Events and fields ocoptrace does not model yet
    /// (TransformationEvent, sensor data, persistentDisposition …) are refused with their path, so
    /// no event is ever hashed with a field left out.
    public static func events(inDocument data: Data) throws(DocumentError) -> [EPCISEvent] {
        let root: JSONValue
        do {
            root = try JSONDecoder().decode(JSONValue.self, from: data)
        } catch {
            throw DocumentError(path: "", message: "not a JSON document (\(error.localizedDescription))")
        }
        guard case .object(let document) = root else { throw DocumentError(path: "", message: "an EPCIS document is a JSON object") }
        let reader = DocumentReader(namespaces: DocumentReader.namespaces(in: document["@context"]))
        guard case .object(let body)? = document["epcisBody"] else { throw DocumentError(path: "epcisBody", message: "missing") }
        let list: JSONValue
        let path: String
        if let events = body["eventList"] {
            (list, path) = (events, "epcisBody.eventList")
        } else if case .object(let results)? = body["queryResults"], case .object(let resultsBody)? = results["resultsBody"],
                  let events = resultsBody["eventList"] {
            (list, path) = (events, "epcisBody.queryResults.resultsBody.eventList")
        } else if let event = body["event"] {
            (list, path) = (.array([event]), "epcisBody.event")
        } else {
            throw DocumentError(path: "epcisBody", message: "no eventList")
        }
        guard case .array(let items) = list else { throw DocumentError(path: path, message: "must be an array") }
        var events: [EPCISEvent] = []
        for (index, item) in items.enumerated() {
            events.append(try reader.event(item, path: path + "[\(index)]"))
        }
        return events
    }
}

/// Reads events, expanding the document's prefixes.
private struct DocumentReader {
    typealias DocumentError = EPCISEvent.DocumentError

    /// Prefix → namespace, from the inline objects of `@context`.
    var namespaces: [String: String]

    static func namespaces(in context: JSONValue?) -> [String: String] {
        var namespaces: [String: String] = [:]
        let entries: [JSONValue] = switch context {
        case .array(let entries)?: entries
        case let entry?: [entry]
        case nil: []
        }
        for case .object(let object) in entries {
            for (prefix, value) in object {
                if case .string(let namespace) = value { namespaces[prefix] = namespace }
            }
        }
        return namespaces
    }

    /// Fields that name nothing about the event itself.
    static let ignored: Set<String> = ["type", "eventID", "recordTime", "errorDeclaration", "comment", "rdfs:comment", "@context"]
    /// Standard fields not modelled yet: refused rather than left out of the hash.
    static let unsupported: Set<String> = [
        "inputEPCList", "outputEPCList", "inputQuantityList", "outputQuantityList", "transformationID", "persistentDisposition",
        "sensorElementList",
    ]

    func event(_ value: JSONValue, path: String) throws(DocumentError) -> EPCISEvent {
        guard case .object(let object) = value else { throw DocumentError(path: path, message: "an event is a JSON object") }
        let typeName = try string(object["type"], path: path + ".type")
        guard let kind = EPCISEvent.Kind(rawValue: typeName) else {
            throw DocumentError(path: path + ".type", message: "\(typeName.quoted) events are not supported (ObjectEvent and AggregationEvent are)")
        }
        let actionName = try string(object["action"], path: path + ".action")
        guard let action = EPCISEvent.Action(rawValue: actionName) else {
            throw DocumentError(path: path + ".action", message: "\(actionName.quoted) is not ADD, OBSERVE or DELETE")
        }
        let timeText = try string(object["eventTime"], path: path + ".eventTime")
        let offsetText = try string(object["eventTimeZoneOffset"], path: path + ".eventTimeZoneOffset")
        guard let instant = EventTime(parsing: timeText), instant.hasTime else {
            throw DocumentError(path: path + ".eventTime", message: "\(timeText.quoted) is not an RFC 3339 date-time")
        }
        guard let offset = EventTime.offsetMinutes(parsing: offsetText) else {
            throw DocumentError(path: path + ".eventTimeZoneOffset", message: "\(offsetText.quoted) is not an offset such as +07:00")
        }
        var event = EPCISEvent(kind: kind, eventTime: EventTime(millisecondsSinceEpoch: instant.millisecondsSinceEpoch, offsetMinutes: offset),
                               action: action)
        for (key, value) in object.sorted(by: { $0.key < $1.key }) where !DocumentReader.ignored.contains(key) {
            let at = path + "." + key
            switch key {
            case "eventTime", "eventTimeZoneOffset", "action": continue
            case "certificationInfo": event.certificationInfo = try string(value, path: at)
            case "parentID": event.parentID = try string(value, path: at)
            case "epcList": event.epcList = try strings(value, path: at)
            case "childEPCs": event.childEPCs = try strings(value, path: at)
            case "quantityList": event.quantityList = try quantities(value, path: at)
            case "childQuantityList": event.childQuantityList = try quantities(value, path: at)
            case "bizStep": event.bizStep = try string(value, path: at)
            case "disposition": event.disposition = try string(value, path: at)
            case "readPoint": event.readPoint = try location(value, path: at)
            case "bizLocation": event.bizLocation = try location(value, path: at)
            case "bizTransactionList":
                event.bizTransactionList = try objects(value, path: at).enumerated().map { (index, entry) throws(DocumentError) in
                    let type = try entry["type"].map { (value) throws(DocumentError) in try string(value, path: at + "[\(index)].type") }
                    return EPCISEvent.BusinessTransaction(type: type, id: try string(entry["bizTransaction"], path: at + "[\(index)].bizTransaction"))
                }
            case "sourceList", "destinationList":
                let idKey = key == "sourceList" ? "source" : "destination"
                let parties = try objects(value, path: at).enumerated().map { (index, entry) throws(DocumentError) in
                    EPCISEvent.Party(type: try string(entry["type"], path: at + "[\(index)].type"),
                                     id: try string(entry[idKey], path: at + "[\(index)].\(idKey)"))
                }
                if key == "sourceList" { event.sourceList = parties } else { event.destinationList = parties }
            case "ilmd":
                guard case .object(let fields) = value else { throw DocumentError(path: at, message: "must be an object") }
                event.ilmd = fields.sorted(by: { $0.key < $1.key }).flatMap { self.fields(named: $0.key, $0.value) }
            case _ where DocumentReader.unsupported.contains(key):
                throw DocumentError(path: at, message: "\(key) is not supported yet")
            case _ where key.contains(":"):
                event.extensions += fields(named: key, value)
            default:
                throw DocumentError(path: at, message: "\(key) is no EPCIS 2.0 field (extension fields need a namespace prefix)")
            }
        }
        return event
    }

    // MARK: Values

    /// A string value, with a declared prefix expanded (`ocop:BizStep-growing` → `https://…/BizStep-growing`).
    func string(_ value: JSONValue?, path: String) throws(DocumentError) -> String {
        guard let value else { throw DocumentError(path: path, message: "missing") }
        guard case .string(let text) = value else { throw DocumentError(path: path, message: "must be a string") }
        return expanded(text)
    }

    func strings(_ value: JSONValue, path: String) throws(DocumentError) -> [String] {
        guard case .array(let items) = value else { throw DocumentError(path: path, message: "must be an array") }
        var result: [String] = []
        for (index, item) in items.enumerated() { result.append(try string(item, path: path + "[\(index)]")) }
        return result
    }

    func objects(_ value: JSONValue, path: String) throws(DocumentError) -> [[String: JSONValue]] {
        guard case .array(let items) = value else { throw DocumentError(path: path, message: "must be an array") }
        var result: [[String: JSONValue]] = []
        for (index, item) in items.enumerated() {
            guard case .object(let object) = item else { throw DocumentError(path: path + "[\(index)]", message: "must be an object") }
            result.append(object)
        }
        return result
    }

    func quantities(_ value: JSONValue, path: String) throws(DocumentError) -> [EPCISEvent.Quantity] {
        var result: [EPCISEvent.Quantity] = []
        for (index, entry) in try objects(value, path: path).enumerated() {
            let at = path + "[\(index)]"
            var quantity: Double?
            switch entry["quantity"] {
            case nil: quantity = nil
            case .number(let number)?: quantity = number
            default: throw DocumentError(path: at + ".quantity", message: "must be a number")
            }
            let uom = try entry["uom"].map { (value) throws(DocumentError) in try string(value, path: at + ".uom") }
            result.append(EPCISEvent.Quantity(epcClass: try string(entry["epcClass"], path: at + ".epcClass"), quantity: quantity, uom: uom))
        }
        return result
    }

    /// A readPoint or bizLocation: its `id` (extensions inside it are not modelled yet).
    func location(_ value: JSONValue, path: String) throws(DocumentError) -> String {
        guard case .object(let object) = value else { throw DocumentError(path: path, message: "must be an object with an id") }
        if let other = object.keys.first(where: { $0 != "id" }) {
            throw DocumentError(path: path + "." + other, message: "fields beside id are not supported yet")
        }
        return try string(object["id"], path: path + ".id")
    }

    /// An extension or ILMD field; an array gives one field per element, as the hash counts them.
    func fields(named key: String, _ value: JSONValue) -> [EPCISEvent.Field] {
        let (namespace, name) = split(key)
        switch value {
        case .array(let items): return items.flatMap { fields(named: key, $0) }
        case .object(let object):
            let inner = object.sorted(by: { $0.key < $1.key }).flatMap { fields(named: $0.key, $0.value) }
            return [EPCISEvent.Field(namespace: namespace, name: name, value: .fields(inner))]
        case .string(let text): return [EPCISEvent.Field(namespace: namespace, name: name, text: expanded(text))]
        case .number(let number): return [EPCISEvent.Field(namespace: namespace, name: name, text: EPCISEventHash.number(number))]
        case .bool(let bool): return [EPCISEvent.Field(namespace: namespace, name: name, text: bool ? "True" : "False")]
        case .null: return [EPCISEvent.Field(namespace: namespace, name: name, text: "")]
        }
    }

    /// `prefix:name` → (namespace, name) when the prefix is declared, else (nil, the key as written).
    func split(_ key: String) -> (String?, String) {
        // A field named by its full IRI (as ocoptrace writes a partner's fields back) is its
        // namespace and local name, split after the last `#` or `/`.
        if key.hasPrefix("https://") || key.hasPrefix("http://"), namespaces[String(key.prefix { $0 != ":" })] == nil,
           let cut = key.lastIndex(where: { $0 == "#" || $0 == "/" }), key.index(after: cut) < key.endIndex {
            return (String(key[...cut]), String(key[key.index(after: cut)...]))
        }
        guard let colon = key.firstIndex(of: ":"), let namespace = namespaces[String(key[..<colon])] else { return (nil, key) }
        return (namespace, String(key[key.index(after: colon)...]))
    }

    func expanded(_ text: String) -> String {
        let (namespace, rest) = split(text)
        return namespace.map { $0 + rest } ?? text
    }
}
