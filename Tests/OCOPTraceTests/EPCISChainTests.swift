import Foundation
import Testing
import TestSupport
@testable import OCOPTrace

/// `epcis` with cartons and shipments: AggregationEvents for packing and opening, shipping and
/// receiving ObjectEvents with source and destination lists, each with its CBV 2.0 hash as eventID,
/// schema-valid on both engines.
@Suite struct EPCISChainTests {
    @Test(arguments: RegistryEngine.available) func cartonsAndShipmentsAreSchemaValidEventsNamedByTheirHash(engine: RegistryEngine) async throws {
        let folder = TemporaryFolder("ocoptrace-epcis-chain")
        let test = try await TestRegistry.make(engine, in: folder)
        let store = test.store
        let catalog = folder.write("catalog.csv", """
            product_code,name,gtin,producer,province,price_vnd,gln,gs1_company_prefix
            NC-500,Nem chua hộp 500g,8938765000015,HTX Nem chua Xuân Lập,Thanh Hóa,85000,8938765000008,8938765
            NC-CHAY,Nem chay,,Hộ Nem chay Bà Lan,Thanh Hóa,45000,,

            """)
        let imported = try await CatalogImporter(store: store).importFile(at: catalog)
        #expect(imported.outcome == .succeeded, "\(imported.problems)")
        let issuer = StampIssuer(store: store, options: IssueOptions(
            resolver: "https://id.ocoptrace.vn", keysFolder: folder.url.appendingPathComponent("keys"),
            outputFolder: folder.url.appendingPathComponent("output"), writePNGs: false))
        _ = try await issuer.issue(productCode: "NC-500", lot: "NC2611A", count: 20, producedOn: nil, expiresOn: nil)
        _ = try await issuer.issue(productCode: "NC-CHAY", lot: "CH-1", count: 10, producedOn: nil, expiresOn: nil)
        let packer = CartonPacker(store: store, outputFolder: folder.url.appendingPathComponent("output"), writeLabels: false)
        let packedAt = Timestamp.date("2026-11-21T03:00:00.000Z")!
        // The catalog's prefix is taken when the command gives none.
        let nem = try await packer.pack(productCode: "NC-500", lot: "NC2611A", perCarton: 8, now: packedAt)
        #expect(nem.companyPrefix == "8938765")
        let chay = try await packer.pack(productCode: "NC-CHAY", lot: "CH-1", perCarton: 5, now: packedAt)
        #expect(chay.firstCarton == "C000000001")
        _ = try await packer.unpack(nem.firstCarton!, now: Timestamp.date("2026-11-21T04:00:00.000Z")!)
        let recorder = ShipmentRecorder(store: store)
        let shop = try ShipmentRecorder.party(name: "Cửa hàng OCOP Thanh Hóa", province: "Thanh Hóa", gln: "8931234000004")
        let second = try CartonKey(companyPrefix: "8938765", number: 1).text
        _ = try await recorder.record(.shipped, goods: .cartons([second]), party: shop, at: ShipmentRecorder.time("21/11/2026 14:30"))
        _ = try await recorder.record(.received, goods: .cartons([second]), party: shop, at: ShipmentRecorder.time("22/11/2026 08:15"))
        _ = try await recorder.record(.shipped, goods: .lot(productCode: "NC-CHAY", lot: "CH-1", count: 4),
                                      party: PartyDraft(name: "Đại lý Minh Anh", province: "Hà Nội"), at: ShipmentRecorder.time("23/11/2026"))
        await #expect(throws: ShipmentError.self) {
            try await recorder.record(.shipped, goods: .cartons([nem.firstCarton!]), party: shop, at: nil)
        }

        let url = folder.url.appendingPathComponent("epcis.jsonld")
        let summary = try await EPCISExport(store: store).write(to: url)
        try EPCISSchema.validate(url.path)
        #expect(summary.aggregationEvents == 6)  // 3 + 2 cartons packed, 1 opened
        #expect(summary.shippingEvents == 2)
        #expect(summary.receivingEvents == 1)
        let data = try Data(contentsOf: url)
        let document = try JSONSerialization.jsonObject(with: data) as! [String: Any]
        let events = (document["epcisBody"] as! [String: Any])["eventList"] as! [[String: Any]]
        // Every chain event is named by its CBV 2.0 hash, as the reader recomputes it from the document.
        let read = try EPCISEvent.events(inDocument: data)
        for (written, parsed) in zip(events, read) where written["eventID"] != nil {
            #expect(written["eventID"] as? String == parsed.hashID)
        }
        #expect(events.filter { $0["eventID"] != nil }.count == 9)

        let adds = events.filter { $0["type"] as? String == "AggregationEvent" && $0["action"] as? String == "ADD" }
        #expect(adds.count == 5)
        let firstAdd = try #require(adds.first)
        #expect(firstAdd["parentID"] as? String == "https://id.gs1.org/00/" + nem.firstCarton!)
        #expect(firstAdd["bizStep"] as? String == "packing")
        #expect((firstAdd["childEPCs"] as? [String])?.count == 8)
        #expect((firstAdd["childEPCs"] as? [String])?.allSatisfy { $0.hasPrefix("https://id.gs1.org/01/08938765000015/21/") } == true)
        #expect((firstAdd["readPoint"] as? [String: String])?["id"] == "https://id.gs1.org/414/8938765000008")
        let chayAdd = try #require(adds.first { ($0["parentID"] as? String)?.contains("/c/") == true })
        #expect(chayAdd["parentID"] as? String == "https://id.ocoptrace.vn/c/C000000001")
        #expect((chayAdd["childEPCs"] as? [String])?.allSatisfy { $0.hasPrefix("https://id.ocoptrace.vn/p/NC-CHAY/10/CH-1/21/") } == true)
        let delete = try #require(events.first { $0["action"] as? String == "DELETE" && $0["type"] as? String == "AggregationEvent" })
        #expect(delete["bizStep"] as? String == "unpacking")

        let shipping = events.filter { $0["bizStep"] as? String == "shipping" }
        let carton = try #require(shipping.first { $0["epcList"] != nil })
        #expect(carton["epcList"] as? [String] == ["https://id.gs1.org/00/" + second])
        #expect(carton["disposition"] as? String == "in_transit")
        #expect(carton["eventTime"] as? String == "2026-11-21T14:30:00+07:00")
        let sources = try #require(carton["sourceList"] as? [[String: String]])
        #expect(sources.contains(["type": "owning_party", "source": "https://id.gs1.org/417/8938765000008"]))
        let destinations = try #require(carton["destinationList"] as? [[String: String]])
        #expect(destinations.contains(["type": "location", "destination": "https://id.gs1.org/414/8931234000004"]))
        #expect(carton["ocoptrace:receiverName"] as? String == "Cửa hàng OCOP Thanh Hóa")
        let lot = try #require(shipping.first { $0["quantityList"] != nil })
        let quantity = try #require((lot["quantityList"] as? [[String: Any]])?.first)
        #expect(quantity["epcClass"] as? String == "https://id.ocoptrace.vn/p/NC-CHAY/10/CH-1")
        #expect(quantity["quantity"] as? Int == 4)
        #expect(lot["sourceList"] == nil)
        let receiving = try #require(events.first { $0["bizStep"] as? String == "receiving" })
        #expect(receiving["disposition"] as? String == "in_progress")
        #expect((receiving["bizLocation"] as? [String: String])?["id"] == "https://id.gs1.org/414/8931234000004")

        // A lot filter keeps its own cartons and shipments only.
        let only = try await EPCISExport(store: store).write(EPCISExport.Filter(lot: "CH-1"), to: folder.url.appendingPathComponent("chay.jsonld"))
        #expect(only.aggregationEvents == 2)
        #expect(only.shippingEvents == 1)
        #expect(only.receivingEvents == 0)
    }
}
