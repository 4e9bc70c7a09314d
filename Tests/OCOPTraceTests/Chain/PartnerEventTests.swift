import Foundation
import Testing
import TestSupport
@testable import OCOPTrace

/// A registry with lot NC2611A of NC-500 issued (10 stamps) and packed into two cartons of 5, the
/// first shipped to a shop whose GLN the registry knows; and the shop's EPCIS document
/// (Tests/Fixtures/partner-events/shop-events.template.jsonld) filled in with those stamps and cartons.
struct PartnerEventWorkspace {
    let folder = TemporaryFolder("ocoptrace-partner-events")
    let registry: TestRegistry
    let stamps: [String]
    let serials: [String]
    let sscc: String
    let today = CalendarDate(year: 2026, month: 11, day: 26)!

    static let template = repositoryRoot.appendingPathComponent("Tests/Fixtures/partner-events/shop-events.template.jsonld")

    init(_ engine: RegistryEngine) async throws {
        registry = try await TestRegistry.make(engine, in: folder)
        let catalog = folder.write("catalog.csv", """
            product_code,name,gtin,producer,province,price_vnd,shelf_life_days,gln,gs1_company_prefix
            NC-500,Nem chua hộp 500g,8938765000015,HTX Nem chua Xuân Lập,Thanh Hóa,85000,7,8938765000008,8938765
            NC-CHAY,Nem chay,,HTX Nem chua Xuân Lập,Thanh Hóa,45000,5,8938765000008,

            """)
        let imported = try await CatalogImporter(store: registry.store).importFile(at: catalog)
        precondition(imported.outcome == .succeeded, "\(imported.problems)")
        stamps = try await StampFixtures.issue(store: registry.store, folder: folder, keys: folder.url.appendingPathComponent("keys"),
                                               resolver: "https://id.ocoptrace.vn", product: "NC-500", lot: "NC2611A", count: 10,
                                               signed: false, produced: CalendarDate(year: 2026, month: 11, day: 20))
        serials = try stamps.map { try StampURL(parsing: $0).serial.text }
        let packer = CartonPacker(store: registry.store, outputFolder: folder.url.appendingPathComponent("output"), writeLabels: false)
        let packed = try await packer.pack(productCode: "NC-500", lot: "NC2611A", perCarton: 5, now: Timestamp.date("2026-11-21T03:00:00.000Z")!)
        sscc = try #require(packed.firstCarton)
        let shop = try ShipmentRecorder.party(name: "Cửa hàng OCOP Thanh Hóa", province: "Thanh Hóa", gln: "8931234000011")
        _ = try await ShipmentRecorder(store: registry.store).record(.shipped, goods: .cartons([sscc]), party: shop,
                                                                      at: ShipmentRecorder.time("21/11/2026 14:30"))
    }

    /// The shop's document with our IDs filled in, written to `name`.
    func shopDocument(_ name: String = "shop-events.jsonld", edit: (String) -> String = { $0 }) throws -> URL {
        let key = try CartonKey(parsing: sscc)
        guard case .sscc(let code) = key else { throw TestRegistryError("carton \(sscc) has no SSCC") }
        var text = try String(contentsOf: Self.template, encoding: .utf8)
        for (placeholder, value) in [("{SSCC_URN}", code.epcURN(companyPrefixLength: 7)!), ("{SSCC}", sscc), ("{SERIAL0}", serials[0]),
                                     ("{SERIAL1}", serials[1]), ("{SERIAL2}", serials[2])] {
            text = text.replacingOccurrences(of: placeholder, with: value)
        }
        return folder.write(name, edit(text))
    }

    func count(_ table: String) async throws -> Int { try await registry.count(table) }
}

@Suite struct PartnerEventTests {
    @Test(arguments: RegistryEngine.available) func importsEventsNamingOurStampsCartonsAndLotsInEveryForm(engine: RegistryEngine) async throws {
        let workspace = try await PartnerEventWorkspace(engine)
        // Until a stamp has events of its own, pages need not look for them.
        #expect(try await workspace.registry.store.hasStampJourneys() == false)
        let file = try workspace.shopDocument()
        let summaries = try await PartnerEventImport(store: workspace.registry.store).importFiles([file])
        #expect(try await workspace.registry.store.hasStampJourneys() == true)
        let summary = try #require(summaries.first)
        #expect(summary.events == 7)
        #expect(summary.imported == 6)
        #expect(summary.duplicates == 0)
        // The other brands' items are skipped and listed by their place and hash.
        #expect(summary.skipped.map(\.index) == [2])
        #expect(summary.skipped[0].reason.contains("names no stamp, carton or lot of ours"))
        #expect(summary.skipped[0].eventID?.hasPrefix("ni:///sha-256;") == true)
        #expect(try await workspace.count("partner_events") == 6)
        let links = try await workspace.registry.rows("""
            SELECT e.biz_step, l.stamp_id, l.carton_id, l.product_id, l.lot FROM partner_event_links l
            JOIN partner_events e ON e.id = l.event_id ORDER BY e.event_time
            """)
        // receiving (carton by DL), storing (lot class), unpacking (carton by SSCC URN), retail_selling
        // (stamp by canonical DL, with eventID), retail_selling (stamp by SGTIN URN), stocking (stamp on our resolver).
        #expect(links.map { $0["biz_step"] } == ["receiving", "storing", "unpacking", "retail_selling", "retail_selling", "stocking"])
        #expect(links.map { $0["carton_id"] != nil } == [true, false, true, false, false, false])
        #expect(links.map { $0["stamp_id"] != nil } == [false, false, false, true, true, true])
        #expect(links[1]["lot"] == "NC2611A")
        let kept = try await workspace.registry.rows("SELECT event_id, event_hash, gln, source_gln, destination_gln, document FROM partner_events ORDER BY event_time")
        #expect(kept[3]["event_id"] == "urn:uuid:6d9a4c1e-3b0f-4e7a-9f3c-2a1b5c8d7e01")
        #expect(kept[0]["event_id"] == nil)
        #expect(kept[0]["gln"] == "8931234000011" && kept[0]["source_gln"] == "8938765000008" && kept[0]["destination_gln"] == "8931234000004")
        #expect(kept.allSatisfy { $0["document"] == "shop-events.jsonld" })
    }

    /// An EPCISQueryDocument (a query's answer) holds its events in queryResults.resultsBody; an
    /// event ocoptrace does not read yet (a TransformationEvent) is skipped with its reason.
    @Test(arguments: RegistryEngine.available) func readsQueryDocumentsAndSkipsEventsItCannotRead(engine: RegistryEngine) async throws {
        let workspace = try await PartnerEventWorkspace(engine)
        let document = try workspace.shopDocument()
        var object = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: document)) as? [String: Any])
        var events = try #require((object["epcisBody"] as? [String: Any])?["eventList"] as? [[String: Any]])
        events.append(["type": "TransformationEvent", "eventTime": "2026-11-25T12:00:00+07:00", "eventTimeZoneOffset": "+07:00",
                       "inputEPCList": ["https://id.gs1.org/01/08938765000015/21/\(workspace.serials[3])"],
                       "outputEPCList": ["https://id.gs1.org/01/09506000134352/21/OUT1"], "bizStep": "commissioning"])
        object["type"] = "EPCISQueryDocument"
        object["epcisBody"] = ["queryResults": ["queryName": "SimpleEventQuery", "resultsBody": ["eventList": events]]]
        let query = workspace.folder.url.appendingPathComponent("query.jsonld")
        try JSONSerialization.data(withJSONObject: object).write(to: query)
        try EPCISSchema.validate(query.path)
        let summary = try await PartnerEventImport(store: workspace.registry.store).importFiles([query])[0]
        #expect(summary.events == 8 && summary.imported == 6)
        #expect(summary.skipped.map(\.index) == [2, 7])
        #expect(summary.skipped[1].reason.contains("TransformationEvent"), "\(summary.skipped[1].reason)")
    }

    @Test(arguments: RegistryEngine.available) func theSameEventTwiceIsImportedOnce(engine: RegistryEngine) async throws {
        let workspace = try await PartnerEventWorkspace(engine)
        let importer = PartnerEventImport(store: workspace.registry.store)
        _ = try await importer.importFiles([try workspace.shopDocument()])
        // The same file again changes nothing.
        let again = try await importer.importFiles([try workspace.shopDocument()])[0]
        #expect(again.imported == 0 && again.duplicates == 6 && again.skipped.count == 1)
        // The same event spelled otherwise (the stamp's own URL, no eventID, the time in UTC) has the same hash.
        let respelled = try workspace.shopDocument("respelled.jsonld") { text in
            text.replacingOccurrences(of: "\"eventTime\":\"2026-11-25T10:00:00+07:00\",\"eventTimeZoneOffset\":\"+07:00\",\"eventID\":\"urn:uuid:6d9a4c1e-3b0f-4e7a-9f3c-2a1b5c8d7e01\"",
                                      with: "\"eventTime\":\"2026-11-25T03:00:00Z\",\"eventTimeZoneOffset\":\"+07:00\"")
                .replacingOccurrences(of: "https://id.gs1.org/01/08938765000015/21/\(workspace.serials[0])", with: workspace.stamps[0])
        }
        // Another event under an eventID imported before is the same event too.
        let sameID = try workspace.shopDocument("same-id.jsonld") { text in
            text.replacingOccurrences(of: "\"bizStep\":\"retail_selling\",\"disposition\":\"retail_sold\",\n   \"bizLocation\":{\"id\":\"https://id.gs1.org/414/8931234000011\"},\"shop:receipt\"",
                                      with: "\"bizStep\":\"retail_selling\",\"disposition\":\"retail_sold\",\n   \"bizLocation\":{\"id\":\"https://id.gs1.org/414/8931234000012\"},\"shop:receipt\"")
        }
        #expect(try String(contentsOf: respelled, encoding: .utf8) != String(contentsOf: try workspace.shopDocument(), encoding: .utf8))
        #expect(try String(contentsOf: sameID, encoding: .utf8).contains("8931234000012"))
        let results = try await importer.importFiles([respelled, sameID])
        #expect(results.map(\.imported) == [0, 0])
        #expect(results.map(\.duplicates) == [6, 6])
        #expect(try await workspace.count("partner_events") == 6)
    }

    @Test(arguments: RegistryEngine.available) func aDocumentFailingTheSchemaWritesNothing(engine: RegistryEngine) async throws {
        let workspace = try await PartnerEventWorkspace(engine)
        let good = try workspace.shopDocument()
        let bad = try workspace.shopDocument("bad.jsonld") { text in
            text.replacingOccurrences(of: "\"eventTime\":\"2026-11-25T11:00:00+07:00\"", with: "\"eventTime\":\"2026-11-25T11:00:00\"")
        }
        let jobsBefore = try await workspace.count("jobs")
        await #expect {
            _ = try await PartnerEventImport(store: workspace.registry.store).importFiles([good, bad])
        } throws: { error in
            guard case PartnerEventImport.ImportError.schema(let file, let failures) = error else { return false }
            return file == bad.path && failures.map(\.path) == ["$.epcisBody.eventList[3].eventTime"]
        }
        #expect(try await workspace.count("partner_events") == 0)
        #expect(try await workspace.count("partner_event_links") == 0)
        #expect(try await workspace.count("jobs") == jobsBefore)
    }

    @Test(arguments: RegistryEngine.available) func theJourneyShowsPartnerEventsInTheirPlaces(engine: RegistryEngine) async throws {
        let workspace = try await PartnerEventWorkspace(engine)
        _ = try await PartnerEventImport(store: workspace.registry.store).importFiles([try workspace.shopDocument()])
        let verifier = try await RegistryVerifier(store: workspace.registry.store, options: VerifyOptions(record: false, today: workspace.today))
        // Stamp 0 (carton 1): packing, shipment, the shop's receipt of the carton, the lot stored,
        // the carton opened, then the stamp sold; stamp 5 (carton 2) shares only the lot's event.
        let results = try await verifier.verify([workspace.stamps[0], workspace.stamps[1], workspace.stamps[5]])
        let journey = results[0].journey
        #expect(journey.map(\.stage) == ["packing", "shipping", "receiving", "storing", "unpacking", "retail_selling"])
        let receipt = journey[2]
        #expect(receipt.stageVietnamese == "Nhận hàng" && receipt.stageEnglish == "Received")
        #expect(receipt.place == "Cửa hàng OCOP Thanh Hóa" && receipt.province == "Thanh Hóa" && receipt.gln == "8931234000011")
        #expect(receipt.from == "HTX Nem chua Xuân Lập" && receipt.to == "8931234000004")
        #expect(receipt.at == "2026-11-22T08:15:00+07:00")
        let sale = journey[5]
        #expect(sale.stageVietnamese == "Bán lẻ" && sale.stageEnglish == "Sold at retail" && sale.bizStep == "retail_selling")
        #expect(sale.at == "2026-11-25T10:00:00+07:00")
        #expect(results[1].journey.map(\.stage) == ["packing", "shipping", "receiving", "storing", "unpacking", "retail_selling"])
        #expect(results[1].journey[5].at == "2026-11-25T11:00:00+07:00")
        #expect(results[2].journey.map(\.stage) == ["packing", "storing"])
        // The journey read at once (Journey.of) is the one verify assembles from its shared part.
        let productID = try #require(Int64(try await workspace.registry.value("SELECT id FROM products WHERE code = 'NC-500'") ?? ""))
        let whole = try await Journey.of(productID: productID, lot: "NC2611A", serial: workspace.serials[0], in: workspace.registry.store)
        #expect(whole.entries == journey)
        // verify --json writes them with the rest.
        let line = try #require(try JSONSerialization.jsonObject(with: Data(results[0].jsonLine.utf8)) as? [String: Any])
        let entries = try #require(line["journey"] as? [[String: Any]])
        #expect(entries.last?["stage"] as? String == "retail_selling" && entries.last?["stage_en"] as? String == "Sold at retail")
    }

    /// A carton opened in the registry (`cartons unpack`) stays in its stamps' journeys: its
    /// packing, shipment and partners' events, then its opening (issue 23 §6).
    @Test(arguments: RegistryEngine.available) func anUnpackedCartonsOpeningShowsInItsStampsJourneys(engine: RegistryEngine) async throws {
        let workspace = try await PartnerEventWorkspace(engine)
        _ = try await PartnerEventImport(store: workspace.registry.store).importFiles([try workspace.shopDocument()])
        let packer = CartonPacker(store: workspace.registry.store, outputFolder: workspace.folder.url.appendingPathComponent("output"), writeLabels: false)
        _ = try await packer.unpack(workspace.sscc, now: Timestamp.date("2026-11-24T09:00:00.000Z")!)
        #expect(try await workspace.registry.store.hasStampJourneys() == true)
        let verifier = try await RegistryVerifier(store: workspace.registry.store, options: VerifyOptions(record: false, today: workspace.today))
        let results = try await verifier.verify([workspace.stamps[0], workspace.stamps[5]])
        let journey = results[0].journey
        #expect(journey.map(\.stage) == ["packing", "shipping", "receiving", "storing", "unpacking", "unpacking", "retail_selling"])
        let opened = journey[5]
        #expect(opened.stageVietnamese == "Mở thùng" && opened.stageEnglish == "Taken out of its carton")
        #expect(opened.at == "2026-11-24T16:00:00+07:00" && opened.gln == "8938765000008")
        #expect(results[1].journey.map(\.stage) == ["packing", "storing"])
        let productID = try #require(Int64(try await workspace.registry.value("SELECT id FROM products WHERE code = 'NC-500'") ?? ""))
        #expect(try await Journey.of(productID: productID, lot: "NC2611A", serial: workspace.serials[0], in: workspace.registry.store).entries == journey)
    }

    /// Offline packs carry each carton (its SSCC) with the journey its stamps share, so that an
    /// inspector offline sees a packed stamp's journey as online (the stamp's own events aside).
    @Test(arguments: RegistryEngine.available) func offlinePacksCarryEachCartonsJourney(engine: RegistryEngine) async throws {
        let workspace = try await PartnerEventWorkspace(engine)
        _ = try await PartnerEventImport(store: workspace.registry.store).importFiles([try workspace.shopDocument()])
        let keys = KeyStore(store: workspace.registry.store, folder: workspace.folder.url.appendingPathComponent("pack-keys"))
        let publicKey = try await keys.generate()
        let file = workspace.folder.url.appendingPathComponent("province.pack")
        try await OfflinePack.write(from: workspace.registry.store, key: try await keys.activeSigningKey(), to: file)
        let pack = try OfflinePack(contentsOf: file, publicKeys: [publicKey])
        #expect(pack.stampCount == 10)
        #expect(pack.header.lots.compactMap(\.carton).sorted() == [workspace.sscc, try CartonKey(companyPrefix: "8938765", number: 1).text])
        let checked = [workspace.stamps[3], workspace.stamps[5]]
        let offline = OfflineVerifier(pack: pack, publicKeys: [publicKey], today: workspace.today).verify(checked)
        let online = try await RegistryVerifier(store: workspace.registry.store, options: VerifyOptions(record: false, today: workspace.today))
            .verify(checked)
        #expect(offline.map(\.status) == [.genuine, .genuine])
        #expect(offline[0].journey.map(\.stage) == ["packing", "shipping", "receiving", "storing", "unpacking"])
        #expect(offline[0].journey == online[0].journey)
        #expect(offline[1].journey == online[1].journey)
        #expect(offline[1].journey.map(\.stage) == ["packing", "storing"])
    }

    @Test(arguments: RegistryEngine.available) func epcisExportAndTheTraceabilityAnswerCarryPartnerEvents(engine: RegistryEngine) async throws {
        let workspace = try await PartnerEventWorkspace(engine)
        _ = try await PartnerEventImport(store: workspace.registry.store).importFiles([try workspace.shopDocument()])
        let url = workspace.folder.url.appendingPathComponent("epcis.jsonld")
        let summary = try await EPCISExport(store: workspace.registry.store).write(to: url)
        #expect(summary.partnerEvents == 6)
        try EPCISSchema.validate(url.path)
        let data = try Data(contentsOf: url)
        let document = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        let list = try #require((document["epcisBody"] as? [String: Any])?["eventList"] as? [[String: Any]])
        let stored = try await workspace.registry.rows("SELECT event_hash, event_id FROM partner_events ORDER BY id")
        let written = list.suffix(6)
        // As received: the partner's eventID where it gave one, else the event's hash.
        #expect(written.map { $0["eventID"] as? String } == stored.map { $0["event_id"] ?? $0["event_hash"] })
        #expect(written.contains { $0["eventID"] as? String == "urn:uuid:6d9a4c1e-3b0f-4e7a-9f3c-2a1b5c8d7e01" })
        #expect(written.contains { $0["https://cuahangocop.example.vn/epcis/receipt"] as? String == "HD-2611-0042" })
        // Read back, each is the same event (same hash) as imported.
        let read = try EPCISEvent.events(inDocument: data).suffix(6)
        #expect(read.map(\.hashID) == stored.map { $0["event_hash"]! })

        let productID = try #require(Int64(try await workspace.registry.value("SELECT id FROM products WHERE code = 'NC-500'") ?? ""))
        let answer = try await TraceabilityEvents.events(productID: productID, lot: "NC2611A", serial: workspace.serials[0], in: workspace.registry.store)
        #expect(answer.map { $0.event.bizStep } == ["receiving", "storing", "unpacking", "retail_selling"])
        let traceability = workspace.folder.write("traceability.jsonld",
                                                  try await TraceabilityEvents.document(productID: productID, lot: "NC2611A", serial: workspace.serials[0],
                                                                                        in: workspace.registry.store))
        try EPCISSchema.validate(traceability.path)
    }
}
