import Foundation

/// `ocoptrace epcis import`: EPCIS 2.0 JSON / JSON-LD documents from distributors' and shops'
/// systems (an `EPCISDocument`'s `epcisBody.eventList`, or an `EPCISQueryDocument`'s
/// `queryResults.resultsBody.eventList`), whose ObjectEvents and AggregationEvents name our stamps,
/// cartons or lots (issue 23 §4).
///
/// Every document is checked against GS1's EPCIS 2.0 JSON schema (``EPCISDocumentSchema``) before anything
/// is written: one that fails refuses the whole import, each failure with its JSON path. Then each
/// event is read (``EPCISEvent/events(inDocument:)``), hashed (``EPCISEvent/hashID``), and what it
/// names is read in every URI form we accept (canonical Digital Link and any resolver's domain,
/// EPC URNs, `/p/{code}` stamp URLs, carton codes): events naming none of ours are skipped and
/// listed, events already imported (same eventID or same hash) are skipped as duplicates, and the
/// rest are written, one transaction per document.
public struct PartnerEventImport: Sendable {
    public let store: any RegistryStore

    public init(store: any RegistryStore) {
        self.store = store
    }

    /// Why documents were refused: nothing was written.
    public enum ImportError: Error, Sendable, CustomStringConvertible {
        case unreadable(file: String, reason: String)
        /// The document fails the EPCIS 2.0 JSON schema.
        case schema(file: String, failures: [EPCISDocumentSchema.Failure])
        case notEPCIS(file: String, reason: String)

        public var description: String {
            switch self {
            case .unreadable(let file, let reason):
                "\(file): cannot be read (không đọc được tệp): \(reason)"
            case .schema(let file, let failures):
                "\(file): not a valid EPCIS 2.0 document, \(failures.count) error\(failures.count == 1 ? "" : "s") against GS1's schema; "
                    + "nothing imported (tài liệu EPCIS không hợp lệ theo lược đồ của GS1, không nhập gì):\n"
                    + failures.map { "  \(file): \($0.path): \($0.message)" }.joined(separator: "\n")
            case .notEPCIS(let file, let reason):
                "\(file): not an EPCIS 2.0 document with an event list (không phải tài liệu EPCIS 2.0 có danh sách sự kiện): \(reason)"
            }
        }

        /// Each problem with its path, for `--json`.
        public var failures: [EPCISDocumentSchema.Failure] {
            switch self {
            case .schema(_, let failures): failures
            case .unreadable(_, let reason), .notEPCIS(_, let reason): [EPCISDocumentSchema.Failure(path: "$", message: reason)]
            }
        }

        public var file: String {
            switch self {
            case .unreadable(let file, _), .schema(let file, _), .notEPCIS(let file, _): file
            }
        }
    }

    /// An event that was not written, and why.
    public struct SkippedEvent: Sendable, Hashable, Codable {
        /// Its place in the document's event list (from 0).
        public var index: Int
        public var eventID: String?
        public var reason: String

        enum CodingKeys: String, CodingKey {
            case index, reason
            case eventID = "event_id"
        }
    }

    /// What importing one document did.
    public struct FileSummary: Sendable, Hashable, Codable {
        public var file: String
        public var events: Int
        public var imported: Int
        public var duplicates: Int
        public var skipped: [SkippedEvent]
        public var dryRun: Bool

        enum CodingKeys: String, CodingKey {
            case file, events, imported, duplicates, skipped
            case dryRun = "dry_run"
        }
    }

    /// One document read and checked, its events ready to write.
    struct Prepared: Sendable {
        var file: String
        var writes: [PartnerEventWrite]
        var skipped: [SkippedEvent]
        var events: Int
    }

    /// Checks every document, then imports each (one transaction per document). Throws
    /// ``ImportError`` before writing anything when a document cannot be read or fails the schema.
    public func importFiles(_ urls: [URL], dryRun: Bool = false) async throws -> [FileSummary] {
        var prepared: [Prepared] = []
        for url in urls {
            let data: Data
            do {
                data = try Data(contentsOf: url)
            } catch {
                throw ImportError.unreadable(file: url.path, reason: (error as NSError).localizedDescription)
            }
            prepared.append(try PartnerEventImport.prepare(data, file: url.path, document: url.lastPathComponent))
        }
        var summaries: [FileSummary] = []
        for document in prepared {
            let outcomes = try await store.recordPartnerEvents(document.writes, job: JobStart(kind: "epcis-import", file: document.file),
                                                              dryRun: dryRun)
            var summary = FileSummary(file: document.file, events: document.events, imported: 0, duplicates: 0, skipped: document.skipped,
                                      dryRun: dryRun)
            for (write, outcome) in zip(document.writes, outcomes) {
                switch outcome {
                case .imported: summary.imported += 1
                case .duplicate: summary.duplicates += 1
                case .notOurs:
                    summary.skipped.append(SkippedEvent(index: write.index, eventID: write.eventID ?? write.hash,
                                                        reason: "names no stamp, carton or lot of ours (không có tem, thùng hay lô nào của chúng ta)"))
                }
            }
            summary.skipped.sort { $0.index < $1.index }
            summaries.append(summary)
        }
        return summaries
    }

    // MARK: Reading a document

    /// Checks `data` against the schema and reads its events.
    static func prepare(_ data: Data, file: String, document name: String) throws(ImportError) -> Prepared {
        let root: JSONValue
        do {
            root = try JSONValue.parse(data)
        } catch {
            throw .schema(file: file, failures: [EPCISDocumentSchema.Failure(path: "$", message: "not a JSON document (\(error.localizedDescription))")])
        }
        let failures = EPCISDocumentSchema.failures(of: root)
        guard failures.isEmpty else { throw .schema(file: file, failures: failures) }
        guard case .object(let body)? = root["epcisBody"] else { throw .notEPCIS(file: file, reason: "no epcisBody") }
        let list: JSONValue? = body["eventList"] ?? body["queryResults"]?["resultsBody"]?["eventList"]
        guard case .array(let items)? = list else {
            throw .notEPCIS(file: file, reason: "no epcisBody.eventList or epcisBody.queryResults.resultsBody.eventList")
        }
        let context = root["@context"] ?? .array([.string(EPCISExport.context)])
        var prepared = Prepared(file: file, writes: [], skipped: [], events: items.count)
        for (index, item) in items.enumerated() {
            let eventID = item["eventID"]?.stringValue
            // The event alone, in a document of its own with the partner's @context: what is stored,
            // and what export reads back.
            let single = JSONValue.object([
                "@context": context, "type": .string("EPCISDocument"), "schemaVersion": .string("2.0"),
                "creationDate": root["creationDate"] ?? .string(Timestamp.now()), "epcisBody": .object(["eventList": .array([item])]),
            ]).jsonText
            let event: EPCISEvent
            do {
                guard let read = try EPCISEvent.events(inDocument: Data(single.utf8)).first else { continue }
                event = read
            } catch {
                let reason = error.path.isEmpty ? error.message : error.path.replacingOccurrences(of: "epcisBody.eventList[0]", with: "") + ": " + error.message
                prepared.skipped.append(SkippedEvent(index: index, eventID: eventID,
                                                     reason: "not read (không đọc được): " + reason.trimmingCharacters(in: CharacterSet(charactersIn: ".: "))))
                continue
            }
            let hash = event.hashID
            var keys = PartnerEventKeys()
            for uri in event.epcList + event.childEPCs + [event.parentID].compactMap({ $0 }) { keys.add(uri) }
            for quantity in event.quantityList + event.childQuantityList { keys.add(quantity.epcClass) }
            prepared.writes.append(PartnerEventWrite(
                index: index, hash: hash, eventID: eventID, type: event.kind.rawValue, action: event.action.rawValue,
                bizStep: event.bizStep.map { BusinessStep(epcisValue: $0)?.epcisValue ?? $0 }, disposition: event.disposition,
                eventTime: event.eventTime.utc, offsetMinutes: event.eventTime.offsetMinutes, readPoint: event.readPoint,
                bizLocation: event.bizLocation, gln: (event.bizLocation.flatMap(PartnerEventKeys.gln) ?? event.readPoint.flatMap(PartnerEventKeys.gln)),
                sourceGLN: PartnerEventKeys.partyGLN(event.sourceList), destinationGLN: PartnerEventKeys.partyGLN(event.destinationList),
                document: name, json: single, stamps: keys.stamps, cartons: keys.cartons, lots: keys.lots))
        }
        return prepared
    }
}

/// What the identifiers of an event name that may be ours: stamped items, cartons, lots.
struct PartnerEventKeys {
    var stamps: [PartnerEventWrite.Item] = []
    var cartons: [String] = []
    var lots: [PartnerEventWrite.Lot] = []

    /// Reads one identifier in any of our forms: a GS1 key URI on any domain or as an EPC URN
    /// (``GS1KeyURI/canonical(_:)``: `/01/{gtin}/21/{serial}`, `/01/{gtin}/10/{lot}`, `/00/{sscc}`),
    /// a stamp URL without a GTIN (`{resolver}/p/{code}/10/{lot}/21/{serial}`, ``StampURL``), or a
    /// carton code's URL (`{resolver}/c/C000000042`, ``CartonKey``). Anything else names nothing of ours.
    mutating func add(_ uri: String) {
        if let canonical = GS1KeyURI.canonical(uri) {
            let path = canonical.dropFirst(StampURL.gs1CanonicalResolver.count).split(separator: "/").map(String.init)
            let value = { (index: Int) in path.indices.contains(index) ? (try? StampURL.percentDecoded(path[index])) : nil }
            switch (path.first, path.count) {
            case ("00", 2):
                if let key = try? CartonKey(parsing: path[1]) { cartons.append(key.text) }
            case ("01", 4) where path[2] == "21":
                if let serial = value(3) { stamps.append(.init(gtin: path[1], productCode: nil, serial: serial)) }
            case ("01", 4) where path[2] == "10":
                if let lot = value(3) { lots.append(.init(gtin: path[1], productCode: nil, lot: lot)) }
            default: break
            }
            return
        }
        if let url = try? StampURL(parsing: uri), case .code(let code) = url.product {
            stamps.append(.init(gtin: nil, productCode: code, serial: url.serial.text))
            return
        }
        if uri.contains("/" + CartonKey.localPathName + "/"), let key = try? CartonKey(parsing: uri), case .local = key {
            cartons.append(key.text)
        }
    }

    /// The 13 digits of a location or party GLN URI (`…/414/{gln}`, `…/417/{gln}`, SGLN/PGLN URNs).
    static func gln(_ uri: String) -> String? {
        guard let canonical = GS1KeyURI.canonical(uri) else { return nil }
        let path = canonical.dropFirst(StampURL.gs1CanonicalResolver.count).split(separator: "/")
        guard path.count >= 2, path[0] == "414" || path[0] == "417" else { return nil }
        return String(path[1])
    }

    /// The GLN of the party a source or destination list names: the owning party, else the
    /// possessing party, else the location.
    static func partyGLN(_ parties: [EPCISEvent.Party]) -> String? {
        for type in ["owning_party", "possessing_party", "location"] {
            if let party = parties.first(where: { $0.type.hasSuffix(type) }), let digits = gln(party.id) { return digits }
        }
        return nil
    }
}
