import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import OCOPTrace
import OCOPTraceServer
import TestSupport

/// A registry with every kind of stamp the page must judge, on one engine, and a server on it.
struct ServerWorkspace: Sendable {
    let folder: TemporaryFolder
    let registry: TestRegistry
    let publicKey: PublicStampKey
    /// Unsigned stamps of NC-500 (GTIN 08938765000015, OCOP 4 stars, valid), lot NC2611A.
    let plain: [String]
    /// Signed stamps of MT-200, lot MT-S1.
    let signed: [String]
    /// A stamp of the product named `<script>alert(1)</script>` (no GTIN: a /p/ URL).
    let script: String
    let revoked: String
    let pendingURL: String
    static let base = "https://id.ocoptrace.vn"
    static let gtin = "08938765000015"


    static func make(_ engine: RegistryEngine, postgresServer: PostgresURL? = nil) async throws -> ServerWorkspace {
        let folder = TemporaryFolder("ocoptrace-serve")
        let registry = try await TestRegistry.make(engine, in: folder, postgresServer: postgresServer)
        let catalog = folder.write("catalog.csv", """
            product_code,name,gtin,producer,province,commune,district,price_vnd,shelf_life_days,ocop_stars,ocop_recognized_on,ocop_decision,images
            NC-500,Nem chua hộp 500g,8938765000015,HTX Nem chua Xuân Lập,Thanh Hóa,Xuân Lập,Thọ Xuân,85000,7,4,2025-06-12,123/QĐ-UBND,https://cdn.example.vn/nem.jpg
            MT-200,Mắm tép 200g,8939123400119,Công ty Mắm tép,Thanh Hóa,,,65000,365,3,2020-01-10,,
            XSS,<script>alert(1)</script>,,"HTX ""<b>bold</b>"" & co",Thanh Hóa,,,45000,5,,,,

            """)
        let imported = try await CatalogImporter(store: registry.store).importFile(at: catalog)
        precondition(imported.outcome == .succeeded, "\(imported)")
        let keys = folder.url.appendingPathComponent("keys")
        let publicKey = try await KeyStore(store: registry.store, folder: keys).generate()
        func issue(_ product: String, _ lot: String, _ count: Int, signed: Bool) async throws -> [String] {
            try await StampFixtures.issue(store: registry.store, folder: folder, keys: keys, resolver: ServerWorkspace.base,
                                          product: product, lot: lot, count: count, signed: signed, produced: .today().adding(days: -2))
        }
        let plain = try await issue("NC-500", "NC2611A", 20, signed: false)
        let signed = try await issue("MT-200", "MT-S1", 5, signed: true)
        let script = try await issue("XSS", "X1", 2, signed: false)[0]
        let pending = try await StampFixtures.addPendingStamp(registry: registry, product: "NC-500")
        let revoked = plain[19]
        _ = try await Revocations(store: registry.store).revoke(stampIDs: [revoked], reason: "cuộn tem bị mất")
        return ServerWorkspace(folder: folder, registry: registry, publicKey: publicKey, plain: plain, signed: signed,
                               script: script, revoked: revoked,
                               pendingURL: "\(ServerWorkspace.base)/01/\(ServerWorkspace.gtin)/10/HALF/21/\(pending.text)")
    }

    /// The stamp URL's path and query, as a request to the resolver names it.
    static func path(_ url: String) -> String {
        String(url.dropFirst(base.count))
    }

    func server(reloadWindow: Double = 300, publicKeys: [PublicStampKey] = []) async throws -> ResolverServer {
        var logger = Logger(label: "test")
        logger.logLevel = .warning
        return try await ResolverServer(store: registry.store, configuration: ServerConfiguration(
            port: 0, baseURL: ServerWorkspace.base, name: "Thử nghiệm", contact: "HTX Nem chua Xuân Lập",
            publicKeys: publicKeys, reloadWindow: reloadWindow), logger: logger)
    }

    /// Runs `body` against a live server on a free port, then writes its queued scans.
    func withServer<T: Sendable>(reloadWindow: Double = 300, _ body: @Sendable (any TestClientProtocol, ResolverServer) async throws -> T) async throws -> T {
        let server = try await server(reloadWindow: reloadWindow)
        // The scan writer is one of the application's services: when the test's application stops,
        // it has written every scan.
        return try await server.application().test(.live) { client in try await body(client, server) }
    }

    static func serial(_ url: String) -> String {
        VerificationInput(url).serial!.text
    }

    /// Web scans in the registry, per serial.
    /// Opens the registry for writing and closes it, as the next command after a crashed server
    /// would: an SQLite registry then takes the scans the server had made durable in its journal.
    func reopenAfterCrash() async throws {
        guard case .sqlite(let path) = registry.location else { return }
        let store = try SQLiteStore(path: path, access: .readWrite)
        await store.close()
    }

    /// The scan journals beside an SQLite registry (none once the registry has taken them).
    var scanJournals: [String] {
        guard case .sqlite(let path) = registry.location else { return [] }
        let url = URL(fileURLWithPath: path)
        let names = (try? FileManager.default.contentsOfDirectory(atPath: url.deletingLastPathComponent().path)) ?? []
        return names.filter { $0.hasPrefix(url.lastPathComponent + "-scans-") }
    }

    func webScans(_ serial: String? = nil) async throws -> Int {
        if let serial {
            return try await registry.count("scans c JOIN stamps s ON s.id = c.stamp_id", where: "c.channel = 'web' AND s.serial = '\(serial)'")
        }
        return try await registry.count("scans", where: "channel = 'web'")
    }
}

/// A phone's browser.
let phone: HTTPFields = [
    .userAgent: "Mozilla/5.0 (Linux; Android 13; SM-A145F) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Mobile Safari/537.36",
    .accept: "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8",
    .acceptLanguage: "vi-VN,vi;q=0.9,en-US;q=0.8,en;q=0.7",
]

struct TestFailure: Error, CustomStringConvertible {
    var description: String
}

func headers(_ extra: [(String, String)], base: HTTPFields = phone) -> HTTPFields {
    var fields = base
    for (name, value) in extra { fields[HTTPField.Name(name)!] = value }
    return fields
}

extension TestResponse {
    var text: String { String(buffer: body) }
}

/// Validates JSON against a JSON Schema with Python's `jsonschema` (installed by scripts/setup.sh).
func validate(_ json: String, schema: String) throws {
    let script = """
        import json, sys, jsonschema
        schema = json.load(open(sys.argv[1]))
        document = json.loads(sys.stdin.read())
        errors = [e.message for e in jsonschema.Draft7Validator(schema).iter_errors(document)]
        print("\\n".join(errors) if errors else "valid")
        """
    let output = try ExternalTools.run("python3", ["-c", script, schema], input: json)
    guard output.trimmingCharacters(in: .whitespacesAndNewlines) == "valid" else {
        throw TestFailure(description: "does not validate against \(schema): \(output)\n\(json)")
    }
}

/// The shared reference schemas, beside the repository.
func referenceSchema(_ name: String) -> String {
    URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("shared/reference/schemas/\(name)").path
}

func testSchema(_ name: String) -> String {
    URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent(name).path
}
