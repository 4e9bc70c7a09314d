import Foundation
import Testing
import TestSupport

/// `ocoptrace verify`, `pack`, `revoke` and `scans`, end to end.
@Suite struct VerifyCLITests {
    /// A workspace with 30 issued stamps (with PNGs) and a signing key, its registry on `engine`;
    /// returns the manifest rows and the `--db` arguments that name the registry.
    private func workspace(_ engine: RegistryEngine) async throws -> (TemporaryFolder, [[String]], [String]) {
        let folder = TemporaryFolder("ocoptrace-cli-verify")
        folder.write("catalog.csv", """
            product_code,name,gtin,producer,province,price_vnd,shelf_life_days
            NC-500,Nem chua hộp 500g,8938765000015,HTX Nem chua Xuân Lập,Thanh Hóa,85000,7

            """)
        // On SQLite the default place, so that stamps go to output/ as they do for a user.
        let location = try await TestRegistry.makeLocation(engine, in: folder, name: "output/registry")
        let db = ["--db", TestRegistry.argument(for: location)]
        for arguments in [["import", "catalog.csv"], ["keys", "generate"],
                          ["issue", "--product", "NC-500", "--lot", "V1", "--count", "30", "--produced", "2026-11-20"]] {
            let result = try OCOPTraceBinary.run(arguments + db, in: folder.url)
            precondition(result.status == 0, result.stderr)
        }
        let manifest = try FileManager.default.subpathsOfDirectory(atPath: folder.path("output/stamps")).first { $0.hasSuffix("manifest.csv") }!
        let rows = try String(contentsOfFile: folder.path("output/stamps/" + manifest), encoding: .utf8)
            .split(separator: "\n").dropFirst().map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
        let png = folder.path("output/stamps/" + manifest).replacingOccurrences(of: "manifest.csv", with: rows[0][4])
        try FileManager.default.copyItem(atPath: png, toPath: folder.path("stamp.png"))
        return (folder, rows, db)
    }

    private func jsonLines(_ text: String) throws -> [[String: Any]] {
        try text.split(separator: "\n").map { try JSONSerialization.jsonObject(with: Data($0.utf8)) as! [String: Any] }
    }

    @Test(arguments: RegistryEngine.available) func verifiesURLsAndIDsWithExitCodesAndStableJSONFields(engine: RegistryEngine) async throws {
        let (folder, rows, db) = try await workspace(engine)
        let genuine = try OCOPTraceBinary.run(["verify", rows[0][3], rows[1][2], "--json"] + db, in: folder.url)
        #expect(genuine.status == 0, "\(genuine.stderr)")
        let results = try jsonLines(genuine.stdout)
        #expect(results.count == 2)
        for field in ["input", "status", "reason", "serial", "stamp_id", "product", "producer", "lot", "ocop", "scans", "suspected_clone"] {
            #expect(results[0].keys.contains(field), "\(field)")
        }
        #expect(results.allSatisfy { $0["status"] as? String == "genuine" })
        let mixed = try OCOPTraceBinary.run(["verify", rows[0][3], "not a stamp"] + db, in: folder.url)
        #expect(mixed.status == 1)
        #expect(mixed.stdout.hasPrefix("✔ GENUINE"))
        #expect(mixed.stdout.contains("✘ NOT A STAMP"))
        #expect(!mixed.stdout.contains("\u{1B}["))  // no colour when not on a terminal
        let usage = try OCOPTraceBinary.run(["verify"], in: folder.url)
        #expect(usage.status == 64)
        let missing = try OCOPTraceBinary.run(["verify", "--file", "nope.txt"] + db, in: folder.url)
        #expect(missing.status == 66)
        let vietnamese = try OCOPTraceBinary.run(["verify", rows[2][3], "--lang", "vi"] + db, in: folder.url)
        #expect(vietnamese.stdout.hasPrefix("✔ CHÍNH HÃNG"))
        let fromLocale = try OCOPTraceBinary.run(["verify", rows[2][3]] + db, in: folder.url, environment: ["LANG": "vi_VN.UTF-8"])
        #expect(fromLocale.stdout.hasPrefix("✔ CHÍNH HÃNG"))
        // Reasons too are Vietnamese, with the same wording the verification page shows.
        let stranger = try OCOPTraceBinary.run(["verify", "https://id.ocoptrace.vn/01/08938765000015/10/X/21/0000000000000000", "--lang", "vi", "--json"] + db, in: folder.url)
        let object = try jsonLines(stranger.stdout)[0]
        #expect(object["reason_code"] as? String == "not-issued")
        let strangerText = try OCOPTraceBinary.run(["verify", "https://id.ocoptrace.vn/01/08938765000015/10/X/21/0000000000000000", "--lang", "vi"] + db, in: folder.url)
        #expect(strangerText.stdout.contains("✘ KHÔNG CÓ TRONG SỔ ĐĂNG KÝ"))
        #expect(strangerText.stdout.contains("không có tem nào mang số sê-ri này được phát hành: tem bị làm giả"))
    }

    @Test(arguments: RegistryEngine.available) func streamsAFileFromStandardInputAndRecordsScans(engine: RegistryEngine) async throws {
        let (folder, rows, db) = try await workspace(engine)
        let input = rows.map { $0[3] }.joined(separator: "\n") + "\n\n" + rows[0][3] + "\r\n"
        let result = try OCOPTraceBinary.run(["verify", "--file", "-", "--json", "--location", "Chợ A", "--inspector", "QLTT"] + db,
                                             in: folder.url, input: input)
        #expect(result.status == 0, "\(result.stderr)")
        let lines = try jsonLines(result.stdout)
        #expect(lines.count == 31)
        #expect((lines.last?["scans"] as? [String: Any])?["count"] as? Int == 2)
        let elsewhere = try OCOPTraceBinary.run(["verify", rows[0][3], "--location", "Chợ B", "--json"] + db, in: folder.url)
        #expect(try jsonLines(elsewhere.stdout).first?["suspected_clone"] as? Bool == true)
        let scans = try OCOPTraceBinary.run(["scans", "--suspected", "--json"] + db, in: folder.url)
        let suspected = try jsonLines(scans.stdout)
        #expect(suspected.count == 1)
        #expect(suspected.first?["stamp_id"] as? String == rows[0][2])
        let before = try OCOPTraceBinary.run(["scans", "--json"] + db, in: folder.url).stdout
        _ = try OCOPTraceBinary.run(["verify", rows[5][3], "--no-record"] + db, in: folder.url)
        #expect(try OCOPTraceBinary.run(["scans", "--json"] + db, in: folder.url).stdout == before)
    }

    // SQLite only until `pack` reads the signing keys through the store (KeyStore still takes the
    // SQLite Registry; the issuance stage's conversion brings it).
    @Test(arguments: RegistryEngine.available) func revokeThenPackThenVerifyOffline(engine: RegistryEngine) async throws {
        let (folder, rows, db) = try await workspace(engine)
        let revoke = try OCOPTraceBinary.run(["revoke", rows[3][2], "--reason", "cuộn tem bị mất"] + db, in: folder.url)
        #expect(revoke.status == 0, "\(revoke.stderr)")
        let pack = try OCOPTraceBinary.run(["pack", "--out", "province.pack", "--province", "Thanh Hoa"] + db, in: folder.url)
        #expect(pack.status == 0, "\(pack.stderr)")
        let publicKey = try FileManager.default.contentsOfDirectory(atPath: folder.path("keys")).first { $0.hasSuffix(".pub") }!
        let offline = try OCOPTraceBinary.run(["verify", "--offline", "--pack", "province.pack", "--public-key", "keys/" + publicKey,
                                               rows[0][3], rows[1][2], rows[3][3], "--json"], in: folder.url)
        #expect(offline.status == 1)
        #expect(try jsonLines(offline.stdout).map { $0["status"] as? String } == ["genuine", "genuine", "revoked"])
        // Offline checks never need the registry.
        if engine == .sqlite { try FileManager.default.removeItem(atPath: folder.path("output/registry.sqlite")) }
        let still = try OCOPTraceBinary.run(["verify", "--offline", "--pack", "province.pack", "--public-key", "keys/" + publicKey, rows[0][3]],
                                            in: folder.url)
        #expect(still.status == 0)
        #expect(still.stderr.contains("offline pack of 30 stamps"))
        var bytes = try Data(contentsOf: URL(fileURLWithPath: folder.path("province.pack")))
        bytes[100] ^= 0xFF
        try bytes.write(to: URL(fileURLWithPath: folder.path("province.pack")))
        let refused = try OCOPTraceBinary.run(["verify", "--offline", "--pack", "province.pack", "--public-key", "keys/" + publicKey, rows[0][3]],
                                              in: folder.url)
        #expect(refused.status == 66)
        #expect(refused.stderr.contains("error: province.pack: pack refused: its signature does not verify"), "\(refused.stderr)")
        #expect(!refused.stderr.contains("cannot read"), "a refused pack was read: it is not unreadable")
    }

    @Test(arguments: RegistryEngine.available) func readsQRCodesInPNGsAndJPEGPhotos(engine: RegistryEngine) async throws {
        let (folder, rows, db) = try await workspace(engine)
        let png = try OCOPTraceBinary.run(["verify", "--image", "stamp.png", "--json", "--no-record"] + db, in: folder.url)
        #expect(png.status == 0, "\(png.stderr)")
        #expect(try jsonLines(png.stdout).first?["input"] as? String == rows[0][3])
        // A "photo": the stamp on a larger grey card, saved as JPEG by cjpeg.
        let pixels = try Self.grayPixels(ofPNG: folder.path("stamp.png"))
        let scale = 3
        let margin = 120
        let side = pixels.side * scale + 2 * margin
        var canvas = [UInt8](repeating: 180, count: side * side)
        for y in 0..<pixels.side * scale {
            for x in 0..<pixels.side * scale {
                canvas[(y + margin) * side + x + margin] = pixels.values[(y / scale) * pixels.side + x / scale]
            }
        }
        var pgm = Data("P5\n\(side) \(side)\n255\n".utf8)
        pgm.append(contentsOf: canvas)
        try pgm.write(to: URL(fileURLWithPath: folder.path("card.pgm")))
        #expect(try Self.runBinary("cjpeg", ["-quality", "70", "-outfile", folder.path("photo.jpg"), folder.path("card.pgm")]) == 0)
        let photo = try OCOPTraceBinary.run(["verify", "--image", "photo.jpg", "--no-record", "--json"] + db, in: folder.url)
        #expect(photo.status == 0, "\(photo.stderr)")
        #expect(try jsonLines(photo.stdout).first?["status"] as? String == "genuine")
        folder.write("blank.pgm", "P5\n10 10\n255\n" + String(repeating: "\u{7F}", count: 100))
        _ = try Self.runBinary("cjpeg", ["-outfile", folder.path("blank.jpg"), folder.path("blank.pgm")])
        let blank = try OCOPTraceBinary.run(["verify", "--image", "blank.jpg", "--no-record"] + db, in: folder.url)
        #expect(blank.status == 1)
        #expect(blank.stdout.contains("no QR code found"))
        let notImage = try OCOPTraceBinary.run(["verify", "--image", "catalog.csv", "--no-record"] + db, in: folder.url)
        #expect(notImage.status == 66)
    }

    private static func runBinary(_ program: String, _ arguments: [String]) throws -> Int32 {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [program] + arguments
        try process.run()
        process.waitUntilExit()
        return process.terminationStatus
    }

    /// The pixels of one of our stamp PNGs (1-bit grayscale, filter none), decoded with Python's zlib.
    private static func grayPixels(ofPNG path: String) throws -> (side: Int, values: [UInt8]) {
        let script = """
            import sys, zlib, struct
            data = open(sys.argv[1], 'rb').read()
            pos = 8; idat = b''
            while pos < len(data):
                length, kind = struct.unpack('>I4s', data[pos:pos+8])
                body = data[pos+8:pos+8+length]
                if kind == b'IHDR': width = struct.unpack('>I', body[:4])[0]
                if kind == b'IDAT': idat += body
                pos += 12 + length
            raw = zlib.decompress(idat); stride = (width + 7) // 8 + 1
            out = bytearray()
            for y in range(width):
                row = raw[y*stride+1:(y+1)*stride]
                for x in range(width): out.append(255 if row[x//8] & (0x80 >> (x % 8)) else 0)
            sys.stdout.write(str(width) + ' ' + out.hex())
            """
        let output = try ExternalTools.run("python3", ["-c", script, path])
        let parts = output.split(separator: " ")
        let side = Int(parts[0])!
        var values: [UInt8] = []
        var iterator = parts[1].utf8.makeIterator()
        while let high = iterator.next(), let low = iterator.next() {
            values.append(UInt8(String(decoding: [high, low], as: UTF8.self), radix: 16)!)
        }
        return (side, values)
    }
}
