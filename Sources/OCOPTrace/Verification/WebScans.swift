import Crypto
import Foundation
import GRDB

/// Who scanned, as far as clone detection needs it and no further: a salted hash of the client's
/// network (IPv4 /24, IPv6 /48), never the address. Reloads from one network count once; copies of
/// a stamp show up as scans from many networks.
public struct ScanClient: Sendable, Hashable {
    /// 16 hex digits of SHA-256(salt, network).
    public var network: String

    public init(network: String) { self.network = network }

    /// The client for an address as text (`203.0.113.7`, `2001:db8::1`, `::ffff:203.0.113.7`).
    public init(address: String, salt: [UInt8]) {
        var hasher = SHA256()
        hasher.update(data: salt)
        hasher.update(data: Array(ScanClient.networkPrefix(of: address).utf8))
        network = Digest.hex(hasher.finalize().prefix(8))
    }

    /// The network an address belongs to: its /24 for IPv4, its /48 for IPv6.
    static func networkPrefix(of address: String) -> String {
        var text = address
        if let percent = text.firstIndex(of: "%") { text = String(text[..<percent]) }  // an IPv6 zone
        if text.lowercased().hasPrefix("::ffff:"), text.contains(".") { text = String(text.dropFirst(7)) }
        var v4 = in_addr()
        if inet_pton(AF_INET, text, &v4) == 1 {
            let bytes = withUnsafeBytes(of: v4.s_addr) { Array($0) }
            return "\(bytes[0]).\(bytes[1]).\(bytes[2]).0/24"
        }
        var v6 = in6_addr()
        if inet_pton(AF_INET6, text, &v6) == 1 {
            let bytes = withUnsafeBytes(of: v6) { Array($0) }
            return Digest.hex(bytes.prefix(6)) + "::/48"
        }
        return "unknown"
    }

    /// Link previews, crawlers and scripts fetch pages that no person scanned; they never count.
    /// Matched case-insensitively anywhere in the User-Agent; an empty User-Agent is a script too.
    public static func isAutomated(userAgent: String?) -> Bool {
        guard let userAgent, !userAgent.isEmpty else { return true }
        let lowered = userAgent.utf8.map { (65...90).contains($0) ? $0 | 0x20 : $0 }
        return lowered.withUnsafeBufferPointer { text in
            automatedMarkerBytes.contains { marker in
                guard text.count >= marker.count else { return false }
                let first = marker[0]
                outer: for start in 0...(text.count - marker.count) where text[start] == first {
                    for offset in 1..<marker.count where text[start + offset] != marker[offset] { continue outer }
                    return true
                }
                return false
            }
        }
    }

    static let automatedMarkers = [
        "bot", "crawl", "spider", "slurp", "preview", "facebookexternalhit", "facebookcatalog", "whatsapp", "telegram",
        "skypeuripreview", "embedly", "quora link", "pinterest", "vkshare", "w3c_validator", "curl/", "wget/", "python-",
        "go-http-client", "java/", "okhttp", "axios/", "node-fetch", "libwww", "httpclient", "headless", "lighthouse",
        "gs1", "resolver", "monitor", "uptime", "check_http",
    ]
    private static let automatedMarkerBytes = automatedMarkers.map { Array($0.utf8) }
}

/// The salt for ``ScanClient``: made once per registry and kept in it, so that several servers on
/// one registry hash alike, and a copy of the scan log alone cannot be matched against addresses.
public enum ScanSalt {
    public static func load(from registry: Registry) throws -> [UInt8] {
        try registry.write { db in
            if let stored = try String.fetchOne(db, sql: "SELECT value FROM registry_secrets WHERE name = 'scan-salt'"),
               let salt = Base64URL.decode(stored) {
                return salt
            }
            let salt = (0..<32).map { _ in UInt8.random(in: .min ... .max) }  // SystemRandomNumberGenerator: the OS's CSPRNG
            try db.execute(sql: "INSERT OR REPLACE INTO registry_secrets (name, value, created_at) VALUES ('scan-salt', ?, ?)",
                           arguments: [Base64URL.encode(salt), Timestamp.now()])
            return salt
        }
    }
}

/// One scan from the verification page, waiting to be written.
struct WebScan: Sendable {
    var stampRowID: Int64
    var scannedAt: String
    var network: String
    var status: String
}

/// Writes the verification page's scans on a thread of its own, in short batched transactions, so
/// that a burst of scans never waits on (or blocks) issuing or importing. Reloads from the same
/// network within ``reloadWindow`` count once. ``close()`` writes what is queued.
public final class ScanLog: @unchecked Sendable {
    // @unchecked: every mutable field is guarded by `condition`.
    private let registry: Registry
    private let condition = NSCondition()
    private var queue: [WebScan] = []
    /// Scans queued or being written, per stamp: the page counts them before they are stored.
    private var unwritten: [Int64: Int] = [:]
    /// When each (stamp, network) last counted, to let reloads count once.
    private var lastCounted: [ScanKey: Double] = [:]
    private var lastPruned = 0.0
    private var closed = false
    private var writerFinished = false
    private var failures = 0
    public let reloadWindow: Double
    private let flushInterval: Double

    private struct ScanKey: Hashable {
        var stamp: Int64
        var network: String
    }

    /// - Parameters:
    ///   - reloadWindow: seconds within which a second scan of a stamp from one network does not count.
    ///   - flushInterval: the longest a scan waits before it is written.
    public init(registry: Registry, reloadWindow: Double = 300, flushInterval: Double = 0.05) {
        self.registry = registry
        self.reloadWindow = reloadWindow
        self.flushInterval = flushInterval
        let thread = Thread { [self] in writerLoop() }
        thread.name = "ocoptrace.scan-log"
        thread.start()
    }

    /// Queues a scan unless the same network counted this stamp within the reload window. Returns
    /// whether it counts, and how many scans of the stamp are not yet stored (this one included).
    func record(stampRowID: Int64, client: ScanClient, status: VerificationResult.Status, now: Date = Date()) -> (counted: Bool, unwritten: Int) {
        let seconds = now.timeIntervalSinceReferenceDate
        condition.lock()
        defer { condition.unlock() }
        let key = ScanKey(stamp: stampRowID, network: client.network)
        if let last = lastCounted[key], seconds - last < reloadWindow {
            return (false, unwritten[stampRowID] ?? 0)
        }
        if seconds - lastPruned > reloadWindow {
            lastCounted = lastCounted.filter { seconds - $0.value < reloadWindow }
            lastPruned = seconds
        }
        guard !closed else { return (false, unwritten[stampRowID] ?? 0) }
        lastCounted[key] = seconds
        queue.append(WebScan(stampRowID: stampRowID, scannedAt: Timestamp.string(now), network: client.network, status: status.rawValue))
        unwritten[stampRowID, default: 0] += 1
        if queue.count >= 4096 { condition.signal() }
        return (true, unwritten[stampRowID]!)
    }

    /// Scans of a stamp that are queued and not yet stored.
    func unwrittenCount(stampRowID: Int64) -> Int {
        condition.lock()
        defer { condition.unlock() }
        return unwritten[stampRowID] ?? 0
    }

    /// Batches that could not be written (the registry was locked for longer than its busy timeout).
    public var failedBatches: Int {
        condition.lock()
        defer { condition.unlock() }
        return failures
    }

    /// Returns once every scan queued so far is written (tests, benchmarks).
    public func waitUntilWritten() {
        condition.lock()
        condition.signal()
        while !unwritten.isEmpty { _ = condition.wait(until: Date(timeIntervalSinceNow: 0.01)) }
        condition.unlock()
    }

    /// Stops taking scans and returns once every queued scan is written.
    public func close() {
        condition.lock()
        closed = true
        condition.broadcast()
        while !writerFinished { condition.wait() }
        condition.unlock()
    }

    private func writerLoop() {
        while true {
            condition.lock()
            if queue.isEmpty && !closed { _ = condition.wait(until: Date(timeIntervalSinceNow: flushInterval)) }
            let batch = queue
            queue.removeAll(keepingCapacity: true)
            let finishing = closed
            condition.unlock()
            if !batch.isEmpty { write(batch) }
            if finishing {
                condition.lock()
                let more = !queue.isEmpty
                if !more { writerFinished = true; condition.broadcast() }
                condition.unlock()
                if !more { return }
            }
        }
    }

    private func write(_ batch: [WebScan]) {
        for attempt in 1...3 {
            if tryWrite(batch) { break }
            if attempt == 3 {
                condition.lock()
                failures += 1
                condition.unlock()
            }
        }
        condition.lock()
        for scan in batch {
            if let left = unwritten[scan.stampRowID], left > 1 { unwritten[scan.stampRowID] = left - 1 } else { unwritten[scan.stampRowID] = nil }
        }
        condition.unlock()
    }

    /// One short transaction for the batch; false when the registry stayed locked past its busy timeout.
    private func tryWrite(_ batch: [WebScan]) -> Bool {
        do {
            try registry.write { db in
                let statement = try db.cachedStatement(sql: """
                    INSERT INTO scans (stamp_id, scanned_at, status, channel, client_network) VALUES (?, ?, ?, 'web', ?)
                    """)
                for scan in batch {
                    try statement.execute(arguments: [scan.stampRowID, scan.scannedAt, scan.status, scan.network])
                }
            }
            return true
        } catch {
            return false
        }
    }
}

extension ScanLog {
    /// Scans recorded by the verification page, for benchmarks and summaries.
    public static func webScanCount(in registry: Registry) throws -> Int {
        try registry.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM scans WHERE channel = 'web'") ?? 0 }
    }
}
