import Foundation
import HTTPTypes
import HummingbirdTesting
import OCOPTrace
import OCOPTraceServer
import Testing
import TestSupport

/// The journey on the verification page, in `verify`'s JSON answer, the `gs1:traceability` link and
/// its EPCIS document, and the linkset `Link` header on every answer about a key.
@Suite(.serialized) struct JourneyServerTests {
    /// The workspace with a diary for lot NC2611A of NC-500: three stages, one with hostile text.
    static func workspace(_ engine: RegistryEngine) async throws -> ServerWorkspace {
        let workspace = try await ServerWorkspace.make(engine)
        let day = { (offset: Int) in CalendarDate.today().adding(days: offset)!.vietnamese }
        let diary = workspace.folder.write("nhat-ky.csv", """
            Mã sản phẩm,Số lô,Công đoạn,Thời gian bắt đầu,Địa điểm,Mã địa điểm (GLN),Xã,Tỉnh,Người/đơn vị thực hiện,Tiêu chuẩn áp dụng
            NC-500,NC2611A,Đóng gói,\(day(-2)) 07:00,Xưởng đóng gói,,Xuân Lập,Thanh Hóa,Tổ đóng gói,
            NC-500,NC2611A,Chế biến,\(day(-3)) 06:30,"<script>alert(1)</script> & xưởng",,Xuân Lập,Thanh Hóa,"<b>Tổ</b> chế biến",TCCS 01:2024/NCXL
            NC-500,NC2611A,Thu hoạch,\(day(-4)),,8938765000008,,,,VietGAP
            """)
        let report = try await CatalogImporter(store: workspace.registry.store).importFile(at: diary)
        precondition(report.outcome == .succeeded, "\(report.problems)")
        return workspace
    }

    @Test(arguments: RegistryEngine.available) func thePageShowsTheJourneyOldestFirstEscaped(engine: RegistryEngine) async throws {
        let workspace = try await Self.workspace(engine)
        let stamp = workspace.plain[2]
        try await workspace.withServer { client, _ in
            let response = try await client.execute(uri: "/v" + ServerWorkspace.path(stamp), method: .get, headers: phone)
            let html = response.text
            #expect(response.status == .ok)
            #expect(response.body.readableBytes < 30_000)
            let section = try #require(html.range(of: "<section class=\"card journey\" id=\"journey\"><h2>Hành trình sản phẩm</h2>"))
            let journey = String(html[section.lowerBound...])
            let harvest = try #require(journey.range(of: "Thu hoạch"))
            let processing = try #require(journey.range(of: "Chế biến"))
            let packing = try #require(journey.range(of: "Đóng gói"))
            #expect(harvest.lowerBound < processing.lowerBound && processing.lowerBound < packing.lowerBound, "oldest first")
            #expect(journey.contains("GLN 8938765000008"))
            #expect(journey.contains("&lt;script&gt;alert(1)&lt;/script&gt; &amp; xưởng, Xuân Lập, Thanh Hóa"))
            #expect(journey.contains("Thực hiện: &lt;b&gt;Tổ&lt;/b&gt; chế biến"))
            #expect(journey.contains("Tiêu chuẩn: VietGAP"))
            #expect(journey.contains(CalendarDate.today().adding(days: -3)!.vietnamese + " 06:30"))
            #expect(!html.contains("<script>alert"))
            #expect(!html.contains("<script src"))
            let page = "/v" + ServerWorkspace.path(stamp)
            let english = try await client.execute(uri: page + (page.contains("?") ? "&" : "?") + "lang=en", method: .get, headers: phone)
            #expect(english.text.contains("<h2>Product journey</h2>"))
            #expect(english.text.contains("Harvest") && english.text.contains("Standard: VietGAP"))
            // A stamp of another lot has no journey; so the section is left out.
            let other = try await client.execute(uri: "/v" + ServerWorkspace.path(workspace.signed[0]), method: .get, headers: phone)
            #expect(!other.text.contains("id=\"journey\""))
            // The JSON answer carries the same journey.
            let json = try await client.execute(uri: "/v" + ServerWorkspace.path(stamp), method: .get,
                                                headers: headers([("Accept", "application/json")]))
            let object = try #require(try JSONSerialization.jsonObject(with: Data(json.text.utf8)) as? [String: Any])
            let entries = try #require(object["journey"] as? [[String: Any]])
            #expect(entries.map { $0["stage"] as? String } == ["harvesting", "processing", "packing"])
            #expect(entries[0]["biz_step"] as? String == "commissioning")
            #expect(entries[0]["gln"] as? String == "8938765000008")
            #expect(entries[0]["at"] as? String == CalendarDate.today().adding(days: -4)!.iso)
            #expect(entries[1]["province"] as? String == "Thanh Hóa")
        }
    }

    @Test func aLongJourneyShowsItsOldestAndLatestStepsAndStaysSmall() async throws {
        let workspace = try await ServerWorkspace.make(.sqlite)
        // A year of daily care: 400 stages, each with a long place name.
        let place = String(repeating: "Vườn nhãn số 7 của tổ hợp tác ", count: 8)
        let rows = (0..<400).map { index in
            "NC-500,NC2611A,Chăm sóc,\(CalendarDate.today().adding(days: index - 410)!.vietnamese),\"\(place)\",,Xuân Lập,Thanh Hóa,Tổ \(index),"
        }
        let diary = workspace.folder.write("nhat-ky.csv", """
            Mã sản phẩm,Số lô,Công đoạn,Thời gian bắt đầu,Địa điểm,Mã địa điểm (GLN),Xã,Tỉnh,Người/đơn vị thực hiện,Tiêu chuẩn áp dụng
            \(rows.joined(separator: "\n"))
            """)
        let report = try await CatalogImporter(store: workspace.registry.store).importFile(at: diary)
        #expect(report.outcome == .succeeded, "\(report.problems)")
        try await workspace.withServer { client, _ in
            let response = try await client.execute(uri: "/v" + ServerWorkspace.path(workspace.plain[2]), method: .get, headers: phone)
            #expect(response.status == .ok)
            #expect(response.body.readableBytes < 30_000, "\(response.body.readableBytes) bytes")
            let html = response.text
            #expect(html.contains("Thực hiện: Tổ 0<") && html.contains("Thực hiện: Tổ 11<"), "the oldest twelve")
            #expect(!html.contains("Thực hiện: Tổ 12<") && !html.contains("Thực hiện: Tổ 387<"))
            #expect(html.contains("Thực hiện: Tổ 388<") && html.contains("Thực hiện: Tổ 399<"), "the latest twelve")
            #expect(html.contains("… và 376 bước khác"))
            // The JSON answer has them all.
            let json = try await client.execute(uri: "/v" + ServerWorkspace.path(workspace.plain[2]), method: .get,
                                                headers: headers([("Accept", "application/json")]))
            let object = try #require(try JSONSerialization.jsonObject(with: Data(json.text.utf8)) as? [String: Any])
            #expect((object["journey"] as? [Any])?.count == 400)
        }
    }

    @Test(arguments: RegistryEngine.available) func theLinksetLeadsToTheItemsEPCISEvents(engine: RegistryEngine) async throws {
        let workspace = try await Self.workspace(engine)
        let stamp = workspace.plain[1]
        let serial = ServerWorkspace.serial(stamp)
        let key = "/01/\(ServerWorkspace.gtin)/10/NC2611A/21/\(serial)"
        try await workspace.withServer { client, _ in
            let linkset = try await client.execute(uri: key + "?linkType=linkset", method: .get, headers: phone)
            #expect(linkset.status == .ok)
            let object = try #require(try JSONSerialization.jsonObject(with: Data(linkset.text.utf8)) as? [String: Any])
            let levels = try #require(object["linkset"] as? [[String: Any]])
            let traceability = levels.compactMap { $0["https://gs1.org/voc/traceability"] as? [[String: Any]] }.flatMap { $0 }
            let targets = traceability.compactMap { $0["href"] as? String }
            #expect(targets == [ServerWorkspace.base + "/epcis" + key, ServerWorkspace.base + "/epcis/01/\(ServerWorkspace.gtin)/10/NC2611A"])

            let events = try await client.execute(uri: "/epcis" + key, method: .get, headers: phone)
            #expect(events.status == .ok)
            #expect(events.headers[.contentType] == "application/ld+json")
            let file = workspace.folder.url.appendingPathComponent("item-events.jsonld")
            try Data(events.text.utf8).write(to: file)
            let schema = repositoryRoot.appendingPathComponent("../shared/reference/schemas/EPCIS-JSON-Schema.json").standardized.path
            _ = try ExternalTools.run("python3", [repositoryRoot.appendingPathComponent("Tests/Tools/validate_epcis.py").path, schema, file.path])
            let read = try EPCISEvent.events(inDocument: Data(events.text.utf8))
            #expect(read.map(\.bizStep) == ["commissioning", "commissioning", "packing"])
            let document = try #require(try JSONSerialization.jsonObject(with: Data(events.text.utf8)) as? [String: Any])
            let list = try #require((document["epcisBody"] as? [String: Any])?["eventList"] as? [[String: Any]])
            #expect(list.map { $0["eventID"] as? String } == read.map(\.hashID), "each eventID is the event's CBV 2.0 hash")

            #expect(try await client.execute(uri: "/epcis/01/\(ServerWorkspace.gtin)", method: .get, headers: phone).status == .badRequest)
            #expect(try await client.execute(uri: "/epcis/01/08938765000022/10/L1", method: .get, headers: phone).status == .notFound)
        }
    }

    /// A shop's EPCIS event about one stamp (sold there) joins that stamp's journey on the page, in
    /// the JSON answer and in the gs1:traceability document, and no other stamp's.
    @Test(arguments: RegistryEngine.available) func aPartnersEventAboutTheStampShowsOnItsPage(engine: RegistryEngine) async throws {
        let workspace = try await Self.workspace(engine)
        let stamp = workspace.plain[3]
        let serial = ServerWorkspace.serial(stamp)
        let sold = CalendarDate.today().adding(days: -1)!.iso + "T10:00:00+07:00"
        let document = workspace.folder.write("shop.jsonld", """
            {"@context":["https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld"],"type":"EPCISDocument","schemaVersion":"2.0",
             "creationDate":"\(sold)","epcisBody":{"eventList":[{"type":"ObjectEvent","eventTime":"\(sold)","eventTimeZoneOffset":"+07:00",
             "epcList":["https://id.gs1.org/01/\(ServerWorkspace.gtin)/21/\(serial)"],"action":"OBSERVE","bizStep":"retail_selling",
             "disposition":"retail_sold","bizLocation":{"id":"https://id.gs1.org/414/8931234000011"}}]}}
            """)
        let imported = try await PartnerEventImport(store: workspace.registry.store).importFiles([document])
        #expect(imported.first?.imported == 1)
        try await workspace.withServer { client, _ in
            let response = try await client.execute(uri: "/v" + ServerWorkspace.path(stamp), method: .get, headers: phone)
            #expect(response.status == .ok)
            #expect(response.body.readableBytes < 30_000)
            let section = try #require(response.text.range(of: "id=\"journey\""))
            let journey = String(response.text[section.lowerBound...])
            let packing = try #require(journey.range(of: "Đóng gói"))
            let sale = try #require(journey.range(of: "Bán lẻ"))
            #expect(packing.lowerBound < sale.lowerBound, "oldest first")
            #expect(journey.contains("GLN 8931234000011"))
            let json = try await client.execute(uri: "/v" + ServerWorkspace.path(stamp), method: .get,
                                                headers: headers([("Accept", "application/json")]))
            let object = try #require(try JSONSerialization.jsonObject(with: Data(json.text.utf8)) as? [String: Any])
            let entries = try #require(object["journey"] as? [[String: Any]])
            #expect(entries.map { $0["stage"] as? String } == ["harvesting", "processing", "packing", "retail_selling"])
            #expect(entries.last?["stage_en"] as? String == "Sold at retail")
            // Another stamp of the lot shares the lot's stages, not this stamp's sale.
            let other = try await client.execute(uri: "/v" + ServerWorkspace.path(workspace.plain[4]), method: .get, headers: phone)
            #expect(other.text.contains("Đóng gói") && !other.text.contains("Bán lẻ"))
            let events = try await client.execute(uri: "/epcis/01/\(ServerWorkspace.gtin)/10/NC2611A/21/\(serial)", method: .get, headers: phone)
            #expect(try EPCISEvent.events(inDocument: Data(events.text.utf8)).map(\.bizStep).last == "retail_selling")
        }
    }

    /// A real browser renders the journey section as text, in order, with nothing run from it.
    @Test func chromiumRendersTheJourney() async throws {
        let workspace = try await Self.workspace(.sqlite)
        let server = try ServerProcess(db: workspace.registry.argument, folder: workspace.folder, logName: "journey.log")
        defer { _ = server.stop() }
        let address = server.url("/v" + ServerWorkspace.path(workspace.plain[6]))
        let dom = try ExternalTools.run("chromium", ["--headless", "--no-sandbox", "--disable-gpu", "--window-size=360,800",
                                                     "--accept-lang=vi-VN,vi", "--user-data-dir=" + workspace.folder.path("chromium-journey"),
                                                     "--dump-dom", address])
        let section = try #require(dom.range(of: "id=\"journey\""), "\(dom.prefix(600))")
        let journey = String(dom[section.lowerBound...])
        let order = ["Thu hoạch", "Chế biến", "Đóng gói"].map { journey.range(of: $0)?.lowerBound }
        #expect(order.allSatisfy { $0 != nil } && order[0]! < order[1]! && order[1]! < order[2]!, "\(journey.prefix(800))")
        // The hostile place name is text in the DOM, never an element.
        #expect(journey.contains("&lt;script&gt;alert(1)&lt;/script&gt;"))
        #expect(!dom.contains("<script>alert(1)</script>"))
    }

    @Test(arguments: RegistryEngine.available) func everyAnswerAboutAKeyNamesItsLinkset(engine: RegistryEngine) async throws {
        let workspace = try await ServerWorkspace.make(engine)
        let key = "/01/\(ServerWorkspace.gtin)/10/NC2611A"
        let expected = "<\(ServerWorkspace.base)\(key)?linkType=linkset>; rel=\"linkset\"; type=\"application/linkset+json\""
        try await workspace.withServer { client, _ in
            for method in [HTTPRequest.Method.get, .head, .options] {
                let response = try await client.execute(uri: key, method: method, headers: phone)
                #expect(response.headers[values: .link].contains(expected), "\(method)")
            }
        }
    }
}
