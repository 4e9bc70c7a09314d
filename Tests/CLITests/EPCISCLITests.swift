import Foundation
import Testing
import TestSupport

/// `ocoptrace epcis` on the shipped catalogs, end to end.
@Suite struct EPCISCLITests {
    private static let schema = repositoryRoot.appendingPathComponent("../shared/reference/schemas/EPCIS-JSON-Schema.json").standardized.path

    private func validate(_ paths: [String]) throws -> [[String: Any]] {
        let script = repositoryRoot.appendingPathComponent("Tests/Tools/validate_epcis.py").path
        let output = try ExternalTools.run("python3", [script, Self.schema] + paths)
        return try output.split(separator: "\n").map { try JSONSerialization.jsonObject(with: Data($0.utf8)) as! [String: Any] }
    }

    private func shippedRun() throws -> TemporaryFolder {
        let folder = TemporaryFolder("ocoptrace-cli-epcis")
        try FileManager.default.copyItem(at: repositoryRoot.appendingPathComponent("catalogs"), to: folder.url.appendingPathComponent("catalogs"))
        let run = try OCOPTraceBinary.run(["run", "catalogs"], in: folder.url)
        precondition(run.status == 0, run.stderr)
        return folder
    }

    @Test func theShippedCatalogsAfterRunExportASchemaValidDocumentWithARevocation() throws {
        let folder = try shippedRun()
        let revoked = try OCOPTraceBinary.run(["revoke", "--lot", "NC2611A", "--reason", "thu hồi lô hàng"], in: folder.url)
        #expect(revoked.status == 0, "\(revoked.stderr)")
        let result = try OCOPTraceBinary.run(["epcis", "--out", "output/epcis.jsonld", "--json"], in: folder.url)
        #expect(result.status == 0, "\(result.stderr)")
        let summary = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as! [String: Any]
        #expect(summary["commissioning_events"] as? Int == 7)
        #expect(summary["commissioned_stamps"] as? Int == 1450)
        #expect(summary["batches_without_gln"] as? Int == 5)
        #expect(summary["decommissioning_events"] as? Int == 1)
        #expect(summary["decommissioned_stamps"] as? Int == 300)
        // run packed every lot (30 cartons) and imported the shipments file (6 shipments, 3 received).
        #expect(summary["aggregation_events"] as? Int == 30)
        #expect(summary["shipping_events"] as? Int == 6)
        #expect(summary["receiving_events"] as? Int == 3)
        #expect(try validate([folder.path("output/epcis.jsonld")]).first?["errors"] as? Int == 0)
        let document = try JSONSerialization.jsonObject(with: Data(contentsOf: folder.url.appendingPathComponent("output/epcis.jsonld"))) as! [String: Any]
        let events = (document["epcisBody"] as! [String: Any])["eventList"] as! [[String: Any]]
        let delete = try #require(events.first { $0["action"] as? String == "DELETE" })
        #expect(delete["ocoptrace:revocationReason"] as? String == "thu hồi lô hàng")
        // The shipped nem chua catalog gives its cooperative's GLN; the other producers have none, and no location.
        let commissioning = events.filter { $0["bizStep"] as? String == "commissioning" }
        let located = commissioning.filter { $0["readPoint"] != nil }.compactMap { ($0["ilmd"] as? [String: String])?["cbvmda:lotNumber"] }
        #expect(Set(located) == ["NC2611A", "Lo-chay-11"])
        #expect(commissioning.filter { $0["readPoint"] != nil }.allSatisfy {
            ($0["readPoint"] as? [String: String])?["id"] == "https://id.gs1.org/414/8938765000008"
        })
    }

    @Test func filtersAndStandardOutput() throws {
        let folder = try shippedRun()
        let byLot = try OCOPTraceBinary.run(["epcis", "--lot", "Lô chay 11"], in: folder.url)
        #expect(byLot.status == 0, "\(byLot.stderr)")
        #expect(byLot.stderr.contains("1 commissioning event (100 stamps)"), "\(byLot.stderr)")
        let document = try JSONSerialization.jsonObject(with: Data(byLot.stdout.utf8)) as! [String: Any]
        let events = (document["epcisBody"] as! [String: Any])["eventList"] as! [[String: Any]]
        #expect((events.first?["epcList"] as? [String])?.allSatisfy { $0.hasPrefix("https://id.ocoptrace.vn/p/NC-CHAY/10/Lo-chay-11/21/") } == true)
        let future = try OCOPTraceBinary.run(["epcis", "--since", "2099-01-01", "--out", "future.jsonld"], in: folder.url)
        #expect(future.status == 0)
        #expect(future.stdout.contains("0 commissioning events"))
        let none = try OCOPTraceBinary.run(["epcis", "--producer", "Không có", "--out", "none.jsonld"], in: folder.url)
        #expect(none.status == 1)
        #expect(none.stderr.contains("no producer whose name contains"), "\(none.stderr)")
        #expect(!FileManager.default.fileExists(atPath: folder.path("none.jsonld")))
        let badDate = try OCOPTraceBinary.run(["epcis", "--since", "hôm qua"], in: folder.url)
        #expect(badDate.status == 64)
        #expect(badDate.stderr.contains("--since hôm qua"))
        #expect(try validate([folder.path("future.jsonld")]).first?["errors"] as? Int == 0)
    }
}
