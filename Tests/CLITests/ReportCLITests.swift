import Foundation
import Testing
import TestSupport

/// `ocoptrace report` on the shipped catalogs, end to end.
@Suite struct ReportCLITests {
    private func shippedRun() throws -> (TemporaryFolder, CommandResult) {
        let folder = TemporaryFolder("ocoptrace-cli-report")
        try FileManager.default.copyItem(at: repositoryRoot.appendingPathComponent("catalogs"), to: folder.url.appendingPathComponent("catalogs"))
        let run = try OCOPTraceBinary.run(["run", "catalogs"], in: folder.url)
        precondition(run.status == 0, run.stderr)
        return (folder, run)
    }

    private func count(_ folder: TemporaryFolder, _ sql: String) async throws -> Int {
        Int(try await TestRegistry.rows(ofSQLiteFile: folder.path("output/registry.sqlite"), "SELECT (\(sql)) AS n").first?["n"] ?? "") ?? -1
    }

    @Test func runEndsWithTheReportAndReportJSONHasTheRegistrysFigures() async throws {
        let (folder, run) = try shippedRun()
        #expect(run.stdout.contains("report: output/report.html"), "\(run.stdout)")
        let page = try String(contentsOf: folder.url.appendingPathComponent("output/report.html"), encoding: .utf8)
        #expect(page.hasPrefix("<!doctype html>") && page.contains("<svg "))

        let result = try OCOPTraceBinary.run(["report", "--json", "--out", "output/r.html"], in: folder.url)
        #expect(result.status == 0, "\(result.stderr)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        let producers = try #require(object["producers"] as? [String: Any])
        let products = try #require(object["products"] as? [String: Any])
        let stamps = try #require(object["stamps"] as? [String: Any])
        #expect(producers["total"] as? Int == (try await count(folder, "SELECT COUNT(*) FROM producers")))
        #expect(products["total"] as? Int == (try await count(folder, "SELECT COUNT(*) FROM products")))
        #expect(products["ocop"] as? Int == (try await count(folder, "SELECT COUNT(*) FROM products WHERE ocop_stars IS NOT NULL")))
        #expect(stamps["issued"] as? Int == (try await count(folder,
            "SELECT COUNT(*) FROM stamps s JOIN stamp_batches b ON b.id = s.batch_id WHERE b.status = 'issued'")))
        #expect(stamps["revoked"] as? Int == 0 && stamps["scanned"] as? Int == 0 && stamps["suspected_copies"] as? Int == 0)
        let marketplaces = try #require(object["per_marketplace"] as? [[String: Any]])
        #expect(marketplaces.count == 6)
        #expect((object["per_producer"] as? [[String: Any]])?.count == producers["total"] as? Int)
        #expect(FileManager.default.fileExists(atPath: folder.path("output/r.html")))
        // The shipped diary, cartons and shipments: the chain's totals, and its section on the page.
        let chain = try #require(object["chain"] as? [String: Any])
        #expect(chain["stages"] as? Int == (try await count(folder, "SELECT COUNT(*) FROM production_stages")))
        #expect(chain["cartons"] as? Int == (try await count(folder, "SELECT COUNT(*) FROM cartons")))
        #expect(chain["shipments"] as? Int == (try await count(folder, "SELECT COUNT(*) FROM shipments WHERE shipped_at IS NOT NULL")))
        #expect(chain["receipts"] as? Int == (try await count(folder, "SELECT COUNT(*) FROM shipments WHERE received_at IS NOT NULL")))
        #expect((chain["stages"] as? Int ?? 0) > 0 && (chain["by_month"] as? [Any])?.isEmpty == false)
        #expect(page.contains("<section id=\"chain\">") && page.contains("id=\"chain-per-month\""))

        let english = try OCOPTraceBinary.run(["report", "--lang", "en", "--producer", "nem chua", "--since", "2026-01-01", "--until", "31/12/2026"],
                                              in: folder.url)
        #expect(english.status == 0 && english.stdout.contains("Report written: output/report.html"), "\(english.stderr)")
        let scoped = try String(contentsOf: folder.url.appendingPathComponent("output/report.html"), encoding: .utf8)
        #expect(scoped.contains("<html lang=\"en\">") && scoped.contains("2026-01-01 – 2026-12-31"))
    }

    @Test func pdfWithoutChromiumSaysSoInBothLanguagesAndKeepsThePage() throws {
        let (folder, _) = try shippedRun()
        let empty = TemporaryFolder("ocoptrace-no-chromium")
        let result = try OCOPTraceBinary.run(["report", "--pdf", "--out", "output/p.html"], in: folder.url,
                                             environment: ["PATH": empty.url.path, "OCOPTRACE_CHROMIUM": ""])
        #expect(result.status == 74, "\(result.stdout) \(result.stderr)")
        #expect(result.stderr.contains("--pdf needs headless Chromium") && result.stderr.contains("--pdf cần Chromium"), "\(result.stderr)")
        #expect(FileManager.default.fileExists(atPath: folder.path("output/p.html")))
        #expect(!FileManager.default.fileExists(atPath: folder.path("output/p.pdf")))
    }

    @Test func badDatesAreUsageErrors() throws {
        let folder = TemporaryFolder("ocoptrace-cli-report-usage")
        let wrong = try OCOPTraceBinary.run(["report", "--since", "yesterday"], in: folder.url)
        #expect(wrong.status == 64 && wrong.stderr.contains("--since yesterday"), "\(wrong.stderr)")
        let backwards = try OCOPTraceBinary.run(["report", "--since", "2026-03-01", "--until", "2026-02-01"], in: folder.url)
        #expect(backwards.status == 64 && backwards.stderr.contains("before --since"), "\(backwards.stderr)")
    }
}
