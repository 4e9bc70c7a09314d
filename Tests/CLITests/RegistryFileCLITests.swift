import Foundation
import OCOPTrace
import Testing
import TestSupport

/// The registry as files: `registry.sqlite` alone holds everything after any command, and
/// `ocoptrace backup` copies a registry that is being written.
@Suite struct RegistryFileCLITests {
    private static let catalog = """
        product_code,name,gtin,producer,province,price_vnd,shelf_life_days
        NC-500,Nem chua hộp 500g,8938765000015,HTX Nem chua Xuân Lập,Thanh Hóa,85000,7
        MT-200,Mắm tép 200g,8939123400119,Công ty Mắm tép,Thanh Hóa,65000,365

        """

    /// Copies `registry.sqlite` alone (no -wal, no -shm) to a folder of its own and counts what the
    /// copy holds.
    private func countsInACopyOfTheFileAlone(_ folder: TemporaryFolder, _ name: String) async throws -> [String: String] {
        let copy = folder.path("copies/\(name)/registry.sqlite")
        try FileManager.default.createDirectory(atPath: folder.path("copies/\(name)"), withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: folder.path("output/registry.sqlite"), toPath: copy)
        return try await TestRegistry.rows(ofSQLiteFile: copy, """
            SELECT (SELECT COUNT(*) FROM products) AS products, (SELECT COUNT(*) FROM stamps) AS stamps,
                   (SELECT COUNT(*) FROM jobs) AS jobs
            """).first ?? [:]
    }

    /// The write-ahead log is gone or empty: nothing lives only there.
    private func logIsEmpty(_ folder: TemporaryFolder) -> Bool {
        let size = (try? FileManager.default.attributesOfItem(atPath: folder.path("output/registry.sqlite-wal"))[.size] as? NSNumber)?.intValue
        return (size ?? 0) == 0
    }

    @Test func theRegistryFileAloneHoldsEverythingAfterEachCommand() async throws {
        let folder = TemporaryFolder("ocoptrace-cli-registry-file")
        folder.write("catalog.csv", Self.catalog)

        let imported = try OCOPTraceBinary.run(["import", "catalog.csv"], in: folder.url)
        #expect(imported.status == 0, "\(imported.stderr)")
        #expect(logIsEmpty(folder))
        #expect(try await countsInACopyOfTheFileAlone(folder, "import") == ["products": "2", "stamps": "0", "jobs": "1"])

        let issued = try OCOPTraceBinary.run(["issue", "--product", "NC-500", "--lot", "W1", "--count", "40", "--no-png"], in: folder.url)
        #expect(issued.status == 0, "\(issued.stderr)")
        #expect(logIsEmpty(folder))
        #expect(try await countsInACopyOfTheFileAlone(folder, "issue") == ["products": "2", "stamps": "40", "jobs": "2"])

        // A command that fails after writing: the import job it logged is in the file too.
        folder.write("bad.csv", "product_code,name,producer,province,price_vnd\nX-1,Hàng lỗi,HTX A,Thanh Hóa,không có giá\n")
        let failed = try OCOPTraceBinary.run(["import", "bad.csv"], in: folder.url)
        #expect(failed.status == 1, "\(failed.stderr)")
        #expect(!failed.stderr.contains("warning: the registry"), "\(failed.stderr)")
        #expect(logIsEmpty(folder))
        #expect(try await countsInACopyOfTheFileAlone(folder, "failed") == ["products": "2", "stamps": "40", "jobs": "3"])

        // The copy of the file alone is a working registry: a stamp issued above verifies in it.
        let manifest = try FileManager.default.subpathsOfDirectory(atPath: folder.path("output/stamps")).first { $0.hasSuffix("manifest.csv") }!
        let url = try String(contentsOfFile: folder.path("output/stamps/" + manifest), encoding: .utf8)
            .split(separator: "\n")[1].split(separator: ",")[3]
        let verified = try OCOPTraceBinary.run(["verify", String(url), "--db", folder.path("copies/failed/registry.sqlite")], in: folder.url)
        #expect(verified.status == 0, "\(verified.stderr)")
        #expect(verified.stdout.contains("GENUINE"), "\(verified.stdout)")
    }

    @Test(arguments: RegistryEngine.available) func backupCopiesARegistryWhileAnotherProcessIssuesIntoIt(engine: RegistryEngine) async throws {
        let folder = TemporaryFolder("ocoptrace-cli-backup")
        folder.write("catalog.csv", Self.catalog)
        let location = try await TestRegistry.makeLocation(engine, in: folder, name: "output/registry")
        let db = ["--db", TestRegistry.argument(for: location)]
        for arguments in [["import", "catalog.csv"], ["issue", "--product", "NC-500", "--lot", "B1", "--count", "30", "--no-png"]] {
            let result = try OCOPTraceBinary.run(arguments + db, in: folder.url)
            try #require(result.status == 0, "\(result.stderr)")
        }
        guard case .sqlite = location else {
            let refused = try OCOPTraceBinary.run(["backup", "--out", "copy.dump"] + db, in: folder.url)
            #expect(refused.status == 64, "\(refused.stderr)")
            #expect(refused.stderr.contains("pg_dump --format=custom --file=copy.dump"), "\(refused.stderr)")
            if case .postgres(let url) = location, let password = url.password, !password.isEmpty {
                #expect(!refused.stderr.contains(password), "the password is never printed")
            }
            #expect(!FileManager.default.fileExists(atPath: folder.path("copy.dump")))
            return
        }
        let manifest = try FileManager.default.subpathsOfDirectory(atPath: folder.path("output/stamps")).first { $0.hasSuffix("manifest.csv") }!
        let stamp = try String(contentsOfFile: folder.path("output/stamps/" + manifest), encoding: .utf8)
            .split(separator: "\n")[1].split(separator: ",")[3]

        // Another process writes meanwhile: a batch far larger than the backup takes to copy, in
        // many transactions; stopped once the backup is done.
        let writer = Process()
        writer.executableURL = OCOPTraceBinary.url
        writer.arguments = ["issue", "--product", "MT-200", "--lot", "BIG", "--count", "1000000", "--no-png"] + db
        writer.currentDirectoryURL = folder.url
        writer.standardOutput = FileHandle.nullDevice
        writer.standardError = FileHandle.nullDevice
        try writer.run()
        defer { if writer.isRunning { kill(writer.processIdentifier, SIGKILL) } }
        // Back up once the writer has stored stamps of its batch (generous: a loaded machine starts it late).
        let deadline = Date().addingTimeInterval(180)
        while Date() < deadline, writer.isRunning {
            let stored = try? await TestRegistry.rows(ofSQLiteFile: folder.path("output/registry.sqlite"), "SELECT COUNT(*) AS n FROM stamps")
            if let count = stored?.first?["n"].flatMap(Int.init), count > 30 { break }
            usleep(5_000)
        }
        let backup = try OCOPTraceBinary.run(["backup", "--out", "backups/copy.sqlite", "--json"] + db, in: folder.url)
        let wasWriting = writer.isRunning
        if wasWriting { kill(writer.processIdentifier, SIGKILL) }
        writer.waitUntilExit()
        // Whether the writer was still issuing when the backup ended is a race on a loaded machine;
        // what must never happen is that the backup makes it fail.
        #expect(wasWriting || writer.terminationStatus == 0, "the other process failed beside the backup (exit \(writer.terminationStatus))")
        #expect(backup.status == 0, "\(backup.stderr)")
        let summary = try #require(try JSONSerialization.jsonObject(with: Data(backup.stdout.utf8)) as? [String: Any])
        #expect(summary["path"] as? String == "backups/copy.sqlite")
        #expect(summary["products"] as? Int == 2)
        let stamps = try #require(summary["stamps"] as? Int)
        #expect(stamps >= 30 && stamps <= 1_000_030)
        #expect((summary["bytes"] as? Int ?? 0) > 0)
        // One file: no log and no temporary file beside it.
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path("backups")) == ["copy.sqlite"])
        #expect(try await TestRegistry.rows(ofSQLiteFile: folder.path("backups/copy.sqlite"), "SELECT COUNT(*) AS n FROM stamps")
                == [["n": String(stamps)]], "the counts are those of the copy")

        let verified = try OCOPTraceBinary.run(["verify", String(stamp), "--db", "backups/copy.sqlite"], in: folder.url)
        #expect(verified.status == 0, "\(verified.stderr)")
        #expect(verified.stdout.contains("GENUINE"), "\(verified.stdout)")
    }

    @Test func backupToAFolderThatCannotBeWrittenFailsNamingTheFile() async throws {
        let folder = TemporaryFolder("ocoptrace-cli-backup")
        folder.write("catalog.csv", Self.catalog)
        #expect(try OCOPTraceBinary.run(["import", "catalog.csv"], in: folder.url).status == 0)
        let failed = try OCOPTraceBinary.run(["backup", "--out", "catalog.csv/copy.sqlite"], in: folder.url)
        #expect(failed.status == 74, "\(failed.stderr)")
        #expect(failed.stderr.contains("catalog.csv: "), "\(failed.stderr)")
        let itself = try OCOPTraceBinary.run(["backup", "--out", "output/registry.sqlite"], in: folder.url)
        #expect(itself.status == 74, "\(itself.stderr)")
        #expect(itself.stderr.contains("the registry itself"), "\(itself.stderr)")
    }
}

/// Lots whose names sanitise alike, issued into one output folder.
@Suite struct LotFolderCLITests {
    @Test(arguments: RegistryEngine.available) func lotsThatSanitiseAlikeKeepTheirOwnManifestsAndLabels(engine: RegistryEngine) async throws {
        let folder = TemporaryFolder("ocoptrace-cli-lots")
        folder.write("catalog.csv", """
            product_code,name,gtin,producer,province,price_vnd,shelf_life_days
            MD,Mật ong rừng 500ml,8938765000015,HTX Mật ong,Thanh Hóa,185000,720

            """)
        let location = try await TestRegistry.makeLocation(engine, in: folder, name: "output/registry")
        let db = ["--db", TestRegistry.argument(for: location)]
        try #require(try OCOPTraceBinary.run(["import", "catalog.csv"] + db, in: folder.url).status == 0)
        let lots = [("MD/2611", 3), ("MD-2611", 5), ("=1+1", 7), ("1-1", 9)]
        var manifests: [String] = []
        for (lot, count) in lots {
            let issued = try OCOPTraceBinary.run(["issue", "--product", "MD", "--lot", lot, "--count", String(count), "--json"] + db, in: folder.url)
            #expect(issued.status == 0, "\(issued.stderr)")
            let report = try #require(try JSONSerialization.jsonObject(with: Data(issued.stdout.utf8)) as? [String: Any])
            manifests.append(try #require(report["manifest"] as? String))
            let labels = try OCOPTraceBinary.run(["labels", "--lot", lot, "--product", "MD"] + db, in: folder.url)
            #expect(labels.status == 0, "\(labels.stderr)")
        }
        #expect(Set(manifests).count == lots.count, "\(manifests)")
        for ((lot, count), manifest) in zip(lots, manifests) {
            let rows = try String(contentsOfFile: folder.path(manifest), encoding: .utf8).split(separator: "\n").dropFirst()
            #expect(rows.count == count, "lot \(lot): \(manifest)")
            let pngs = try FileManager.default.subpathsOfDirectory(atPath: folder.path(manifest).replacingOccurrences(of: "/manifest.csv", with: ""))
            #expect(pngs.filter { $0.hasSuffix(".png") }.count == count, "lot \(lot)")
            #expect(pngs.contains { $0.hasPrefix("labels-") && $0.hasSuffix(".pdf") }, "lot \(lot)")
        }
    }
}
