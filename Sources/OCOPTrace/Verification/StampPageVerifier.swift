import Foundation

/// What the verification page shows for one scanned URL: the verdict exactly as `verify` gives
/// it, and, for a stamp the registry knows, the product's facts. A serial the registry does not
/// know gets no product facts, so a fabricated stamp never shows the genuine product's page.
public struct StampPage: Sendable {
    public var result: VerificationResult
    /// The product and producer of the stamp's record; nil when the serial is not ours.
    public var product: StoredProduct?
    /// Whether this request was recorded as a scan.
    public var counted: Bool
    /// Whether its scan is in the registry, kept for a retry (the registry would not take it in
    /// time: the count shown may be short), or not one that counts.
    public var durability: ScanLog.Durability = .notCounted
    /// The stamp's row id and serial (a stamp the registry knows).
    public var stampID: Int64?
    /// Whether the stamp has a scratch-off PIN, and when and where it was first activated.
    public var hasPIN = false
    public var activatedAt: String?
    public var activatedProvince: String?
}

/// Verifies scanned stamp URLs for the verification page against the registry, and records each
/// counted scan through a ``ScanLog``.
public struct StampPageVerifier: Sendable {
    public let store: any VerificationStore & ChainStore
    public let scanLog: ScanLog
    public let cloneRule: CloneRule
    private let publicKeys: [PublicStampKey]
    /// Products by row id, for a few seconds: every scan of a lot shows the same product, and the
    /// page then costs one registry read (the stamp with its history).
    private let products = ExpiringCache<Int64, StoredProduct?>(lifetime: 5)
    /// Each lot's journey, for as long: a lot's stamps are scanned together, and its diary changes seldom.
    private let journeys = ExpiringCache<LotKey, Journey>(lifetime: 5)
    /// Whether any stamp has a journey of its own (partners' events, cartons left), for as long:
    /// until one has, a page costs no query for it.
    private let ownJourneys = ExpiringCache<Int, Bool>(lifetime: 5, capacity: 1)

    /// - Parameter publicKeys: keys given with `--public-key`, besides the registry's own.
    public init(store: any VerificationStore & ChainStore, scanLog: ScanLog, publicKeys: [PublicStampKey] = [], cloneThreshold: Int = 5) async throws {
        self.store = store
        self.scanLog = scanLog
        cloneRule = CloneRule(threshold: cloneThreshold)
        let own = try await store.verificationKeys()
        self.publicKeys = own + publicKeys.filter { key in !own.contains { $0.keyID == key.keyID } }
    }

    /// The product a GTIN-level link names (`/01/{GTIN}` without a serial): product information
    /// only, no verdict on any stamp.
    public func product(gtin: GTIN) async throws -> StoredProduct? {
        try await store.storedProduct(gtin: gtin.digits)
    }

    /// Verifies `url`. With a `client`, the request is a person's scan: it is recorded unless the
    /// same network counted this stamp within the scan log's reload window.
    public func verify(url: String, client: ScanClient?, today: CalendarDate = .todayInVietnam(), now: Date = Date()) async throws -> StampPage {
        let judge = StampJudge(publicKeys: publicKeys, today: today, mode: .registry)
        let parsed = VerificationInput(url)
        let mark = scanLog.readMark()
        var scanComing = client != nil
        if scanComing { scanLog.scanComing() }
        defer { if scanComing { scanLog.scanNotComing() } }
        guard let serial = parsed.serial, var stamp = try await store.stamp(serial: serial) else {
            return StampPage(result: judge.judge(input: url, parsed: parsed, record: nil), product: nil, counted: false)
        }
        var result = judge.judge(input: url, parsed: parsed, record: stamp.record)
        var counted = false
        var durability = ScanLog.Durability.notCounted
        var unwritten: Int
        var consistent: Bool
        if let client {
            scanComing = false
            let recorded = await scanLog.record(stampID: stamp.id, client: client, status: result.status, now: now, since: mark, coming: true)
            (counted, unwritten, consistent, durability) = (recorded.counted, recorded.unwritten, recorded.consistent, recorded.durability)
        } else {
            (unwritten, consistent) = scanLog.unwrittenCount(stampID: stamp.id, since: mark)
        }
        // The history stored plus the scans still queued is the count the page shows. When the
        // scan log wrote this stamp's scans while the history was read, the two may overlap or
        // miss each other: the history is read again (one read in all, nearly always).
        for _ in 0..<2 where !consistent {
            let again = scanLog.readMark()
            stamp = try await store.stamp(serial: serial) ?? stamp
            (unwritten, consistent) = scanLog.unwrittenCount(stampID: stamp.id, since: again)
        }
        var scans = stamp.scans
        let nowText = Timestamp.string(now)
        for _ in 0..<unwritten { scans.add(at: nowText, location: nil) }
        result.scans = scans
        cloneRule.flag(&result, hasPIN: stamp.hasPIN)
        if durability == .deferred { result.notes.append(.scanCountUnavailable) }
        // A record that disagrees with the code (forged) keeps its facts out of the page too: the
        // verdict names what disagrees, and the page must not look like the genuine product's.
        let showsProduct = result.status == .genuine || result.status == .revoked || result.status == .pending
        let product = showsProduct ? try await products.value(for: stamp.productID) { [store] in
            try await store.storedProduct(id: stamp.productID)
        } : nil
        if showsProduct {
            // Per lot, or per carton for a packed stamp (any stamp of the carton tells its events).
            let key = LotKey(productID: stamp.productID, lot: stamp.lot, cartonID: stamp.cartonID)
            let serial = stamp.cartonID == nil ? nil : stamp.serial.text
            result.journey = try await journeys.value(for: key) { [store] in
                try await Journey.shared(productID: stamp.productID, lot: stamp.lot, serial: serial, in: store)
            }.entries
            if try await ownJourneys.value(for: 0, load: { [store] in try await store.hasStampJourneys() }) {
                result.journey = Journey(entries: result.journey).adding(try await store.stampJourney(serial: stamp.serial.text)).entries
            }
        }
        var page = StampPage(result: result, product: product, counted: counted, durability: durability)
        page.stampID = stamp.id
        page.hasPIN = stamp.hasPIN
        page.activatedAt = stamp.activatedAt
        page.activatedProvince = stamp.activatedProvince
        return page
    }

    /// The page's PIN form: verifies `url` (not counted as a scan: the activation is one) and,
    /// for a genuine PIN stamp, checks `typed` for `client`'s network.
    public func checkPIN(url: String, typed: String, client: ScanClient, check: ScratchPINCheck, today: CalendarDate = .todayInVietnam(),
                         now: Date = Date()) async throws -> StampPage {
        var page = try await verify(url: url, client: nil, today: today, now: now)
        guard let stampID = page.stampID, let serial = page.result.serial.map(Serial.init(unchecked:)) else { return page }
        let outcome: PINOutcome
        if !page.hasPIN {
            outcome = PINOutcome(state: .noPIN)
        } else if ScratchPINCheck.checks(page.result) {
            outcome = try await check.check(stampID: stampID, serial: serial, typed: typed, network: client.network, channel: .web,
                                            status: page.result.status, at: now)
        } else {
            return page
        }
        ScratchPINCheck.apply(outcome, to: &page.result)
        if outcome.state == .activated {
            page.activatedAt = outcome.activatedAt
            page.result.scans?.add(at: Timestamp.string(now), location: nil)
        }
        return page
    }
}
