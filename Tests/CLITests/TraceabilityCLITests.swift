import Foundation
import Testing
import TestSupport

/// `products --check-traceability` and the `run` stage that counts complete products, on the shipped catalogs.
@Suite struct TraceabilityCLITests {
    @Test func checkTraceabilityListsWhatEachProductLacks() throws {
        let folder = TemporaryFolder("ocoptrace-cli-traceability")
        try FileManager.default.copyItem(at: repositoryRoot.appendingPathComponent("catalogs"), to: folder.url.appendingPathComponent("catalogs"))
        let run = try OCOPTraceBinary.run(["run", "catalogs"], in: folder.url)
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout.contains("traceability minimum: "), "\(run.stdout)")
        let result = try OCOPTraceBinary.run(["products", "--check-traceability", "--json"], in: folder.url)
        #expect(result.status == 1, "some shipped products lack fields")
        let lines = try result.stdout.split(separator: "\n").map { try JSONSerialization.jsonObject(with: Data($0.utf8)) as! [String: Any] }
        let findings = lines.filter { $0["type"] as? String == "finding" }
        // One finding per lot (8: seven ordered, one only in the diary), one per product without a lot (11).
        #expect(findings.count == 19)
        #expect(findings.filter { $0["lot"] is String }.count == 8)
        let chay = try #require(findings.first { $0["code"] as? String == "NC-CHAY" })
        #expect(chay["missing"] as? [String] == ["no-gtin"])
        let basket = try #require(findings.first { $0["code"] as? String == "GM-TRON-30" })
        #expect((basket["missing"] as? [String])?.contains("no-shelf-life") == false, "handicrafts have no shelf life")
        #expect((basket["missing"] as? [String])?.contains("no-producer-id") == true)
        let summary = try #require(lines.last)
        #expect(summary["type"] as? String == "summary")
        #expect(summary["products"] as? Int == 18)
        #expect(summary["lots"] as? Int == 8)
        #expect(summary["complete"] as? Int == findings.filter { $0["complete"] as? Bool == true }.count)
        let vietnamese = try OCOPTraceBinary.run(["products", "--check-traceability", "--producer", "Nem chua", "--lang", "vi"], in: folder.url)
        #expect(vietnamese.stdout.contains("chưa có mã GTIN"), "\(vietnamese.stdout)")
    }
}
