import Foundation
import GRDB
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import OCOPTrace
import OCOPTraceServer
import TestSupport

/// A registry with every kind of stamp the page must judge, and a server on it.
struct ServerWorkspace: Sendable {
    let folder = TemporaryFolder("ocoptrace-serve")
    let registry: Registry
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

    init() async throws {
        registry = try Registry(path: folder.path("registry.sqlite"))
        let catalog = folder.write("catalog.csv", """
            product_code,name,gtin,producer,province,commune,district,price_vnd,shelf_life_days,ocop_stars,ocop_recognized_on,ocop_decision,images
            NC-500,Nem chua hộp 500g,8938765000015,HTX Nem chua Xuân Lập,Thanh Hóa,Xuân Lập,Thọ Xuân,85000,7,4,2025-06-12,123/QĐ-UBND,https://cdn.example.vn/nem.jpg
            MT-200,Mắm tép 200g,8939123400119,Công ty Mắm tép,Thanh Hóa,,,65000,365,3,2020-01-10,,
            XSS,<script>alert(1)</script>,,"HTX ""<b>bold</b>"" & co",Thanh Hóa,,,45000,5,,,,

            """)
        let imported = try await CatalogImporter(registry: registry).importFile(at: catalog)
        precondition(imported.outcome == .succeeded, "\(imported)")
        let keys = folder.url.appendingPathComponent("keys")
        publicKey = try KeyStore(registry: registry, folder: keys).generate()
        let registry = self.registry
        let folder = self.folder
        func issue(_ product: String, _ lot: String, _ count: Int, signed: Bool) throws -> [String] {
            try StampFixtures.issue(registry: registry, folder: folder, keys: keys, resolver: ServerWorkspace.base,
                                    product: product, lot: lot, count: count, signed: signed, produced: .today().adding(days: -2))
        }
        plain = try issue("NC-500", "NC2611A", 20, signed: false)
        signed = try issue("MT-200", "MT-S1", 5, signed: true)
        script = try issue("XSS", "X1", 2, signed: false)[0]
        revoked = plain[19]
        _ = try Revocations(registry: registry).revoke(stampIDs: [revoked], reason: "cuộn tem bị mất")
        let pending = try StampFixtures.addPendingStamp(registry: registry, product: "NC-500")
        pendingURL = "\(ServerWorkspace.base)/01/\(ServerWorkspace.gtin)/10/HALF/21/\(pending.text)"
    }


    /// The stamp URL's path and query, as a request to the resolver names it.
    static func path(_ url: String) -> String {
        String(url.dropFirst(base.count))
    }

    func server(reloadWindow: Double = 300, publicKeys: [PublicStampKey] = []) throws -> ResolverServer {
        var logger = Logger(label: "test")
        logger.logLevel = .warning
        return try ResolverServer(registry: registry, configuration: ServerConfiguration(
            port: 0, baseURL: ServerWorkspace.base, name: "Thử nghiệm", contact: "HTX Nem chua Xuân Lập",
            publicKeys: publicKeys, reloadWindow: reloadWindow), logger: logger)
    }

    /// Runs `body` against a live server on a free port.
    func withServer<T: Sendable>(reloadWindow: Double = 300, _ body: @Sendable (any TestClientProtocol, ResolverServer) async throws -> T) async throws -> T {
        let server = try server(reloadWindow: reloadWindow)
        defer { server.finish() }
        return try await server.application().test(.live) { client in try await body(client, server) }
    }

    static func serial(_ url: String) -> String {
        VerificationInput(url).serial!.text
    }

    /// Web scans in the registry, per serial.
    func webScans(_ serial: String? = nil) throws -> Int {
        try registry.read { db in
            if let serial {
                return try Int.fetchOne(db, sql: """
                    SELECT COUNT(*) FROM scans c JOIN stamps s ON s.id = c.stamp_id WHERE c.channel = 'web' AND s.serial = ?
                    """, arguments: [serial])!
            }
            return try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM scans WHERE channel = 'web'")!
        }
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
