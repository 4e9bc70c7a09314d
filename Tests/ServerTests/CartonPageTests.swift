import Foundation
import HTTPTypes
import HummingbirdTesting
import OCOPTrace
import Testing
import TestSupport

/// A carton's QR (`/00/{sscc}`, or `/c/{code}` without a GS1 prefix) scanned with `serve`.
@Suite(.serialized) struct CartonPageTests {
    @Test(arguments: RegistryEngine.available) func aCartonsQRAnswersWithItsPageOrItsJSON(engine: RegistryEngine) async throws {
        let workspace = try await ServerWorkspace.make(engine)
        let store = workspace.registry.store
        let packer = CartonPacker(store: store, outputFolder: workspace.folder.url.appendingPathComponent("output"), writeLabels: false)
        let nem = try await packer.pack(productCode: "NC-500", lot: "NC2611A", perCarton: 8, companyPrefix: "8938765")
        let hostile = try await packer.pack(productCode: "XSS", lot: "X1", perCarton: 2)
        let sscc = try #require(nem.firstCarton)
        let shop = try ShipmentRecorder.party(name: "Cửa hàng <img src=x onerror=alert(1)>", province: "Thanh Hóa", gln: "8931234000004")
        _ = try await ShipmentRecorder(store: store).record(.shipped, goods: .cartons([sscc, hostile.firstCarton!]), party: shop,
                                                           at: ShipmentRecorder.time("24/11/2026 08:00"))
        try await workspace.withServer { client, _ in
            let page = try await client.execute(uri: "/00/" + sscc, method: .get, headers: phone)
            #expect(page.status == .ok)
            #expect(page.text.contains("data-status=\"carton-packed\""))
            #expect(page.text.contains("<h1>Thùng hàng</h1>"))
            #expect(page.text.contains("(00) 0 89387650000000008"))
            #expect(page.text.contains("Nem chua hộp 500g"))
            #expect(page.text.contains("Cửa hàng &lt;img src=x onerror=alert(1)&gt;, Thanh Hóa"))
            #expect(!page.text.contains("<img"))
            #expect(!page.text.contains("<script"))
            #expect(page.body.readableBytes < 30_000)
            #expect(page.headers[.contentSecurityPolicy]?.contains("default-src 'none'") == true)
            let english = try await client.execute(uri: "/00/" + sscc + "?lang=en", method: .get, headers: phone)
            #expect(english.text.contains("<h1>Carton</h1>"))
            #expect(english.text.contains("Items in the carton"))

            let json = try await client.execute(uri: "/00/" + sscc, method: .get, headers: [.accept: "application/json"])
            let carton = try JSONSerialization.jsonObject(with: Data(json.text.utf8)) as! [String: Any]
            #expect(carton["count"] as? Int == 8)
            #expect(carton["lot"] as? String == "NC2611A")
            #expect((carton["shipments"] as? [[String: Any]])?.first?["gln"] as? String == "8931234000004")

            // A carton code of our own, for a producer without a GS1 prefix; its product's name escaped.
            let local = try await client.execute(uri: "/c/" + hostile.firstCarton!, method: .get, headers: phone)
            #expect(local.status == .ok)
            #expect(local.text.contains("&lt;script&gt;alert(1)&lt;/script&gt;"))
            #expect(!local.text.contains("<script"))

            let wrongCheckDigit = try await client.execute(uri: "/00/089387650000000009", method: .get, headers: phone)
            #expect(wrongCheckDigit.status == .badRequest)
            let notOurs = try await client.execute(uri: "/00/" + (try CartonKey(companyPrefix: "8938765", number: 999)).text, method: .get,
                                                   headers: phone)
            #expect(notOurs.status == .notFound)
        }
    }
}
