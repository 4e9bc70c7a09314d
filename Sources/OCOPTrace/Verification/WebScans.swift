import Crypto
import Foundation
import Synchronization

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
    static let secretName = "scan-salt"

    public static func load(from store: any VerificationStore) async throws -> [UInt8] {
        let candidate = (0..<32).map { _ in UInt8.random(in: .min ... .max) }  // SystemRandomNumberGenerator: the OS's CSPRNG
        let stored = try await store.registrySecret(named: secretName, candidate: Base64URL.encode(candidate))
        guard let salt = Base64URL.decode(stored), !salt.isEmpty else {
            throw RegistryError.failed(operation: "read the scan salt", reason: "the stored \(secretName) is not base64url")
        }
        return salt
    }
}

/// Writes the verification page's scans in short batched transactions, off the page's path, so
/// that a burst of scans never waits on (or blocks) issuing or importing. Reloads from the same
/// network within ``reloadWindow`` count once. ``close()`` writes what is queued.
public final class ScanLog: Sendable {
    private let store: any VerificationStore
    private let state = Mutex(State())
    private let writer = Mutex<Task<Void, Never>?>(nil)
    public let reloadWindow: Double
    private let flushInterval: Double

    private struct State {
        var queue: [WebScan] = []
        /// Scans queued or being written, per stamp: the page counts them before they are stored.
        var unwritten: [Int64: Int] = [:]
        /// When each (stamp, network) last counted, to let reloads count once.
        var lastCounted: [ScanKey: Double] = [:]
        var lastPruned = 0.0
        var closed = false
        /// Someone waits for the queue to be written: the writer goes now, not at the interval's end.
        var flushRequested = false
        var failures = 0
        /// Batches numbered as they start being written, and the last one that finished (the writer
        /// writes one at a time), and per stamp the last batch that held one of its scans.
        var startedBatches = 0
        var finishedBatches = 0
        var lastBatch: [Int64: Int] = [:]
        /// `lastBatch` entries up to this batch are forgotten at the next pruning.
        var prunable = 0
        var lastBatchPruned = 0.0
    }

    /// Where the writer was when a page began reading a stamp's history from the registry.
    struct ReadMark {
        fileprivate let finishedBatches: Int
    }

    /// The network as the 64 bits its 16 hex digits spell: a key the dictionary holds inline,
    /// without a string of its own on the heap (there is one key per stamp and network that counted
    /// within the reload window, which at thousands of scans a second is most of the server's memory).
    private struct ScanKey: Hashable {
        var stamp: Int64
        var network: UInt64

        init(stamp: Int64, network: String) {
            self.stamp = stamp
            self.network = UInt64(network, radix: 16) ?? UInt64(truncatingIfNeeded: network.hashValue)
        }
    }

    /// The most scans one transaction writes: a burst is written in several short transactions,
    /// each over in milliseconds, so that issuing or importing never waits long for the registry.
    static let largestBatch = 4096

    /// - Parameters:
    ///   - reloadWindow: seconds within which a second scan of a stamp from one network does not count.
    ///   - flushInterval: the longest a scan waits before it is written. Half a second costs the
    ///     server an eighth less CPU a page than a twentieth (`ocoptrace-bench serve`: 126 against
    ///     145 µs): each transaction rewrites the scan index pages it touches in the WAL, and fewer,
    ///     larger batches write each page once for many scans.
    public init(store: any VerificationStore, reloadWindow: Double = 300, flushInterval: Double = 0.5) {
        self.store = store
        self.reloadWindow = reloadWindow
        self.flushInterval = flushInterval
        writer.withLock { $0 = Task { [self] in await writerLoop() } }
    }

    /// Call before reading a stamp's history: ``record(stampID:client:status:now:since:)`` and
    /// ``unwrittenCount(stampID:since:)`` then say whether that history and their count add up.
    func readMark() -> ReadMark {
        state.withLock { ReadMark(finishedBatches: $0.finishedBatches) }
    }

    /// Whether a history read since `mark` plus the stamp's unwritten scans counts each scan once:
    /// false when a batch with the stamp's scans was written (or is being written) meanwhile, as
    /// those scans may be in neither or in both.
    private static func adds(_ state: State, stampID: Int64, since mark: ReadMark) -> Bool {
        (state.lastBatch[stampID] ?? 0) <= mark.finishedBatches
    }

    /// Queues a scan unless the same network counted this stamp within the reload window. Returns
    /// whether it counts, how many scans of the stamp are not yet stored (this one included), and
    /// whether the history read since `mark` adds up with them.
    func record(stampID: Int64, client: ScanClient, status: VerificationResult.Status, now: Date = Date(),
                since mark: ReadMark) -> (counted: Bool, unwritten: Int, consistent: Bool) {
        let seconds = now.timeIntervalSinceReferenceDate
        let reloadWindow = reloadWindow
        return state.withLock { state in
            let consistent = ScanLog.adds(state, stampID: stampID, since: mark)
            let key = ScanKey(stamp: stampID, network: client.network)
            if let last = state.lastCounted[key], seconds - last < reloadWindow {
                return (false, state.unwritten[stampID] ?? 0, consistent)
            }
            if seconds - state.lastPruned > reloadWindow {
                state.lastCounted = state.lastCounted.filter { seconds - $0.value < reloadWindow }
                state.lastPruned = seconds
            }
            guard !state.closed else { return (false, state.unwritten[stampID] ?? 0, consistent) }
            state.lastCounted[key] = seconds
            state.queue.append(WebScan(stampID: stampID, scannedAt: Timestamp.string(now), network: client.network, status: status))
            let unwritten = (state.unwritten[stampID] ?? 0) + 1
            state.unwritten[stampID] = unwritten
            return (true, unwritten, consistent)
        }
    }

    /// Scans of a stamp that are queued and not yet stored, and whether the history read since
    /// `mark` adds up with them.
    func unwrittenCount(stampID: Int64, since mark: ReadMark) -> (unwritten: Int, consistent: Bool) {
        state.withLock { ($0.unwritten[stampID] ?? 0, ScanLog.adds($0, stampID: stampID, since: mark)) }
    }

    /// Batches that could not be written (the registry stayed locked or out of reach past the retries).
    public var failedBatches: Int {
        state.withLock { $0.failures }
    }

    /// Returns once every scan queued so far is written (tests, benchmarks).
    public func waitUntilWritten() async {
        while state.withLock({ state in
            state.flushRequested = true
            return !state.unwritten.isEmpty
        }) {
            try? await Task.sleep(for: .milliseconds(5))
        }
    }

    /// Stops taking scans and returns once every queued scan is written.
    public func close() async {
        state.withLock { $0.closed = true }
        await writer.withLock { $0 }?.value
    }

    private func writerLoop() async {
        while true {
            let (batch, finishing) = state.withLock { state in
                let batch = Array(state.queue.prefix(ScanLog.largestBatch))
                state.queue.removeFirst(batch.count)
                state.flushRequested = false
                return (batch, state.closed)
            }
            if !batch.isEmpty { await write(batch) }
            if finishing, state.withLock({ $0.queue.isEmpty }) { return }
            if !finishing { await waitForWork() }
        }
    }

    /// Sleeps until the flush interval has passed, a full batch is queued, or someone closes the
    /// log or waits for it, in short ticks (not cancellable: close() is how the writer is stopped,
    /// after it has written everything).
    private func waitForWork() async {
        let deadline = ContinuousClock.now + .seconds(flushInterval)
        while ContinuousClock.now < deadline,
              !state.withLock({ $0.closed || $0.flushRequested || $0.queue.count >= ScanLog.largestBatch }) {
            try? await Task.sleep(for: .milliseconds(20))
        }
    }

    private func write(_ batch: [WebScan]) async {
        let now = ProcessInfo.processInfo.systemUptime
        let number = state.withLock { state in
            state.startedBatches += 1
            // Forgotten only long after they finished: a page read never takes that long.
            if now - state.lastBatchPruned > 10 {
                let horizon = state.prunable
                state.lastBatch = state.lastBatch.filter { $0.value > horizon }
                state.prunable = state.finishedBatches
                state.lastBatchPruned = now
            }
            for scan in batch { state.lastBatch[scan.stampID] = state.startedBatches }
            return state.startedBatches
        }
        var written = false
        for attempt in 1...3 where !written {
            do {
                try await store.recordWebScans(batch)
                written = true
            } catch {
                if attempt < 3 { try? await Task.sleep(for: .milliseconds(100 * attempt)) }
            }
        }
        state.withLock { state in
            state.finishedBatches = number
            if !written { state.failures += 1 }
            for scan in batch {
                if let left = state.unwritten[scan.stampID], left > 1 { state.unwritten[scan.stampID] = left - 1 } else { state.unwritten[scan.stampID] = nil }
            }
        }
    }
}
