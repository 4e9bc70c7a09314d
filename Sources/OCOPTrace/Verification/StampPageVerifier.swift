import Foundation
import GRDB

/// What the verification page shows for one scanned URL: the verdict exactly as `verify` gives
/// it, and, for a stamp the registry knows, the product's facts. A serial the registry does not
/// know gets no product facts, so a fabricated stamp never shows the genuine product's page.
public struct StampPage: Sendable {
    public var result: VerificationResult
    /// The product and producer of the stamp's record; nil when the serial is not ours.
    public var product: StoredProduct?
    /// Whether this request was recorded as a scan.
    public var counted: Bool
}

/// Verifies scanned stamp URLs for the verification page against the registry, and records each
/// counted scan through a ``ScanLog``.
public struct StampPageVerifier: Sendable {
    public let registry: Registry
    public let scanLog: ScanLog
    public let cloneThreshold: Int
    private let publicKeys: [PublicStampKey]
    /// Products by row id, for a few seconds: every scan of a lot shows the same product.
    private let products = ExpiringCache<Int64, StoredProduct?>(lifetime: 5)

    /// - Parameter publicKeys: keys given with `--public-key`, besides the registry's own.
    public init(registry: Registry, scanLog: ScanLog, publicKeys: [PublicStampKey] = [], cloneThreshold: Int = 5) throws {
        self.registry = registry
        self.scanLog = scanLog
        self.cloneThreshold = cloneThreshold
        let own = try RegistryVerifier(registry: registry, options: VerifyOptions(record: false)).judge.publicKeys
        self.publicKeys = own + publicKeys.filter { key in !own.contains { $0.keyID == key.keyID } }
    }

    /// The product a GTIN-level link names (`/01/{GTIN}` without a serial): product information
    /// only, no verdict on any stamp.
    public func product(gtin: GTIN) throws -> StoredProduct? {
        try registry.read { db in try StoredProduct.fetchOne(db, gtin: gtin.digits) }
    }

    /// Verifies `url`. With a `client`, the request is a person's scan: it is recorded unless the
    /// same network counted this stamp within the scan log's reload window.
    public func verify(url: String, client: ScanClient?, today: CalendarDate = .todayInVietnam(), now: Date = Date()) throws -> StampPage {
        let judge = StampJudge(publicKeys: publicKeys, today: today, mode: "registry")
        let parsed = VerificationInput(url)
        guard let serial = parsed.serial else {
            return StampPage(result: judge.judge(input: url, parsed: parsed, record: nil), product: nil, counted: false)
        }
        let found = try registry.read { db -> (Int64, Int64, StampRecord, VerificationResult.Scans?)? in
            guard let found = try RegistryVerifier.recordAndProduct(db, serial: serial) else { return nil }
            return (found.rowID, found.productRowID, found.record, try RegistryVerifier.history(db, stampRowID: found.rowID))
        }
        guard let (stampRowID, productRowID, record, stored) = found else {
            return StampPage(result: judge.judge(input: url, parsed: parsed, record: nil), product: nil, counted: false)
        }
        var result = judge.judge(input: url, parsed: parsed, record: record)
        var counted = false
        var unwritten: Int
        if let client {
            (counted, unwritten) = scanLog.record(stampRowID: stampRowID, client: client, status: result.status, now: now)
        } else {
            unwritten = scanLog.unwrittenCount(stampRowID: stampRowID)
        }
        var scans = stored ?? VerificationResult.Scans(count: 0, firstAt: nil, lastAt: nil, locations: [])
        if unwritten > 0 {
            let nowText = Timestamp.string(now)
            scans.count += unwritten
            scans.firstAt = scans.firstAt ?? nowText
            scans.lastAt = nowText
        }
        result.scans = scans
        RegistryVerifier.flagCopies(&result, cloneThreshold: cloneThreshold)
        // A record that disagrees with the code (forged) keeps its facts out of the page too: the
        // verdict names what disagrees, and the page must not look like the genuine product's.
        let showsProduct = result.status == .genuine || result.status == .revoked || result.status == .pending
        let product = showsProduct ? try products.value(for: productRowID) {
            try registry.read { db in try StoredProduct.fetchOne(db, productRowID: productRowID) }
        } : nil
        return StampPage(result: result, product: product, counted: counted)
    }
}
