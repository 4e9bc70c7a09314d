import Foundation
import Logging
import Synchronization

/// Writes the verification page's scans to the registry by group commit: every scan waiting when a
/// transaction starts goes into it, and each page is answered only once its scan is committed, so
/// that a crash (even `kill -9`) loses no scan a shopper was told about. Reloads from the same
/// network within ``reloadWindow`` count once.
///
/// Where the store keeps a journal (SQLite: ``WebScanJournal``), the group is made durable by one
/// append to it instead, and the registry takes the journal's scans in one transaction every
/// ``Configuration/journalInterval`` (or `journalBatch` scans), beside the appends: a page never
/// waits for the registry, not even behind a batch command's write lock.
///
/// When the registry will not take a batch (a database outage, a full disk, a lock held by a batch
/// command), its scans are kept and retried with backoff, and pages stop waiting for them: they say
/// that the count is unavailable. Nothing is dropped silently: every failed batch is logged with
/// its count, and scans still unwritten when the log closes go to the spool file, which the next
/// start writes first.
///
/// Run ``run()`` (the writer) for the server's life; ``close(within:)`` ends it.
public final class ScanLog: Sendable {
    private let store: any VerificationStore
    private let state = Mutex(State())
    private let wake = WakeSignal()
    public let reloadWindow: Double
    private let configuration: Configuration
    private let logger: Logger

    /// How the writer behaves; the defaults suit a public server.
    public struct Configuration: Sendable {
        /// The longest a page waits for its scan's commit. Past it the page is answered with the
        /// count marked unavailable, and the scan is written when the registry takes it.
        public var pageWaitLimit: Duration = .milliseconds(500)
        /// The most scans one transaction writes.
        public var largestBatch = 4096
        /// The longest the writer lets scans gather before a transaction, while fewer than
        /// `gatherUntil` wait and pages are still on their way to queueing theirs: each commit
        /// rewrites the scan index pages it touches and empties every reader's page cache, so a
        /// few milliseconds more per page make far fewer, larger transactions under load.
        public var gatherWindow: Duration = .milliseconds(3)
        public var gatherUntil = 256
        /// Scans kept for retry while the registry refuses them; past this many the oldest are
        /// dropped, and each drop is logged with its count (about 100 bytes a scan).
        public var mostKept = 500_000
        /// Where scans that could not be written before the log closed are saved (JSON lines), and
        /// read back from at the next start; nil: they are only logged.
        public var spool: URL?
        /// The first retry after a failed batch; each further failure doubles it, up to `longestBackoff`.
        public var firstBackoff: Duration = .milliseconds(100)
        public var longestBackoff: Duration = .seconds(2)
        /// With a journal: how long its scans wait for the registry at most, and how many make a
        /// transaction at once. Larger transactions share the index pages they rewrite.
        public var journalInterval: Duration = .milliseconds(500)
        public var journalBatch = 8192

        public init(spool: URL? = nil) { self.spool = spool }
    }

    /// What happened to the scans so far, for metrics and logs.
    public struct Statistics: Sendable, Equatable {
        /// Scans queued, written, and failed batches (each retried later).
        public var queued = 0
        public var written = 0
        public var failedBatches = 0
        /// Pages answered before their scan was committed (the count shown as unavailable).
        public var deferred = 0
        /// Scans in the journal, durable, that the registry has not taken yet.
        public var journaled = 0
        /// Scans dropped because more than `mostKept` waited; scans saved to the spool file.
        public var dropped = 0
        public var spooled = 0
        /// Scans not yet in the registry now (queued, kept for a retry, or in the journal), and
        /// whether the registry refuses them.
        public var waiting = 0
        public var failing = false
        /// Why the last batch failed, when the registry refuses them.
        public var lastError: String?
    }

    /// What became of a page's scan.
    public enum Durability: Sendable, Equatable {
        /// Not a scan that counts (a reload, a HEAD, a closed log): nothing to write.
        case notCounted
        /// Committed to the registry before the page was answered.
        case written
        /// Kept for a retry: the registry did not take it in time.
        case deferred
    }

    /// What ``record(stampID:client:status:now:since:)`` found.
    public struct Recorded: Sendable {
        public var counted: Bool
        /// Scans of the stamp not yet stored, this one included.
        public var unwritten: Int
        /// Whether the history read since the mark adds up with `unwritten`.
        public var consistent: Bool
        public var durability: Durability
    }

    private struct Entry {
        var scan: WebScan
        var waiter: CheckedContinuation<Recorded, Never>?
        var recorded: Recorded
    }

    private struct State {
        var queue: [Entry] = []
        var head = 0
        /// Scans queued or being written, per stamp: the page counts them before they are stored.
        var unwritten: [Int64: Int] = [:]
        /// When each (stamp, network) last counted, to let reloads count once.
        var lastCounted: [ScanKey: Double] = [:]
        var lastPruned = 0.0
        var closing = false
        /// Pages between ``scanComing()`` and queueing their scan.
        var scansComing = 0
        var closeDeadline: ContinuousClock.Instant?
        /// The registry refused the journal's last apply (logged once until it takes scans again).
        var failingJournal = false
        /// The registry refused the last batch, or a batch is taking longer than a page may wait:
        /// pages do not wait for their scans until a batch is written again.
        var failing = false
        var stalled = false
        var running = false
        var finished = false
        var statistics = Statistics()
        /// Batches numbered as they start being written, and the last one that finished (the writer
        /// writes one at a time), and per stamp the last batch that held one of its scans.
        var startedBatches = 0
        var finishedBatches = 0
        var lastBatch: [Int64: Int] = [:]
        /// `lastBatch` entries up to this batch are forgotten at the next pruning.
        var prunable = 0
        var lastBatchPruned = 0.0
        /// Scans appended to the journal, in order, that the registry has not taken yet, and when
        /// the oldest was appended.
        var journaled = 0
        var journaledSince: ContinuousClock.Instant?
        /// The journal pages append their own scans to, while it takes them (see ``record``).
        var pageJournal: (any WebScanJournal)?
        /// A page's own append failed: pages hand their scans to the writer until it appends again.
        var journalRefusing = false
        /// Whether the journal's apply under way has finished, and how.
        var applyOutcome: Bool?
        /// A test or benchmark waits for everything to be in the registry: apply now.
        var flushRequested = false

        /// Counts a page's scan unless the same network counted this stamp within the reload
        /// window: nil then, with what the page is told; else the scan, to be made durable.
        mutating func count(stampID: Int64, network: String, status: VerificationResult.Status, now: Date, since mark: ReadMark,
                            reloadWindow: Double) -> (scan: WebScan?, recorded: Recorded) {
            let seconds = now.timeIntervalSinceReferenceDate
            let consistent = ScanLog.adds(self, stampID: stampID, since: mark)
            let key = ScanKey(stamp: stampID, network: network)
            if let last = lastCounted[key], seconds - last < reloadWindow {
                return (nil, Recorded(counted: false, unwritten: unwritten[stampID] ?? 0, consistent: consistent, durability: .notCounted))
            }
            if seconds - lastPruned > reloadWindow {
                lastCounted = lastCounted.filter { seconds - $0.value < reloadWindow }
                lastPruned = seconds
            }
            lastCounted[key] = seconds
            let count = (unwritten[stampID] ?? 0) + 1
            unwritten[stampID] = count
            statistics.queued += 1
            return (WebScan(stampID: stampID, scannedAt: Timestamp.string(now), network: network, status: status),
                    Recorded(counted: true, unwritten: count, consistent: consistent, durability: .written))
        }

        /// Takes back ``count(stampID:network:status:now:since:reloadWindow:)`` of a scan that was
        /// made durable nowhere.
        mutating func uncount(_ scan: WebScan) {
            lastCounted[ScanKey(stamp: scan.stampID, network: scan.network)] = nil
            forget(CollectionOfOne(scan))
            statistics.queued -= 1
        }

        /// Numbers a batch about to be written; pages that read one of its stamps' history meanwhile
        /// read it again (see ``ScanLog/adds(_:stampID:since:)``).
        mutating func begin(_ scans: some Sequence<WebScan>, now: Double) -> Int {
            startedBatches += 1
            // Forgotten only long after they finished: a page read never takes that long.
            if now - lastBatchPruned > 10 {
                let horizon = prunable
                lastBatch = lastBatch.filter { $0.value > horizon }
                prunable = finishedBatches
                lastBatchPruned = now
            }
            for scan in scans { lastBatch[scan.stampID] = startedBatches }
            return startedBatches
        }

        var waiting: Int { queue.count - head }

        /// Takes up to `count` entries off the front of the queue.
        mutating func take(_ count: Int) -> [Entry] {
            let end = min(queue.count, head + count)
            let batch = Array(queue[head..<end])
            head = end
            if head == queue.count { queue.removeAll(keepingCapacity: queue.capacity < 65_536); head = 0 }
            else if head > 4096, head * 2 > queue.count { queue.removeFirst(head); head = 0 }
            return batch
        }

        mutating func forget(_ scans: some Sequence<WebScan>) {
            for scan in scans {
                if let left = unwritten[scan.stampID], left > 1 { unwritten[scan.stampID] = left - 1 } else { unwritten[scan.stampID] = nil }
            }
        }
    }

    /// Where the writer was when a page began reading a stamp's history from the registry.
    public struct ReadMark: Sendable {
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

    /// - Parameter reloadWindow: seconds within which a second scan of a stamp from one network does not count.
    public init(store: any VerificationStore, reloadWindow: Double = 300, configuration: Configuration = .init(),
                logger: Logger = Logger(label: "ocoptrace.scans")) {
        self.store = store
        self.reloadWindow = reloadWindow
        self.configuration = configuration
        self.logger = logger
    }

    /// Call before reading a stamp's history: ``record(stampID:client:status:now:since:)`` and
    /// ``unwrittenCount(stampID:since:)`` then say whether that history and their count add up.
    public func readMark() -> ReadMark {
        state.withLock { ReadMark(finishedBatches: $0.finishedBatches) }
    }

    /// Says that a page has begun reading a stamp whose scan it will queue (or give up with
    /// ``scanNotComing()``): while such pages are under way, the writer gathers a little longer
    /// (up to the gather window), so that one commit takes their scans too. Each commit empties
    /// every reader's page cache, so fewer, larger commits make every page cheaper.
    public func scanComing() {
        state.withLock { $0.scansComing += 1 }
    }

    /// The page that said ``scanComing()`` will queue no scan after all (the stamp is not ours,
    /// the read failed).
    public func scanNotComing() {
        state.withLock { $0.scansComing = max(0, $0.scansComing - 1) }
    }

    /// Whether a history read since `mark` plus the stamp's unwritten scans counts each scan once:
    /// false when a batch with the stamp's scans was written (or is being written) meanwhile, as
    /// those scans may be in neither or in both.
    private static func adds(_ state: State, stampID: Int64, since mark: ReadMark) -> Bool {
        (state.lastBatch[stampID] ?? 0) <= mark.finishedBatches
    }

    /// Queues a scan unless the same network counted this stamp within the reload window, and
    /// returns once it is committed, or once the page may wait no longer (`durability` says which).
    /// - Parameter coming: whether the page said ``scanComing()`` for this scan.
    public func record(stampID: Int64, client: ScanClient, status: VerificationResult.Status, now: Date = Date(),
                       since mark: ReadMark, coming: Bool = false) async -> Recorded {
        // With a journal that takes scans, the page appends its own scan and goes on: no hand-off
        // to the writer and back (two task switches and a wake a page, the most of what durability cost).
        let reloadWindow = reloadWindow
        let counted: (journal: any WebScanJournal, scan: WebScan?, recorded: Recorded)? = state.withLock { state in
            guard let journal = state.pageJournal, !state.journalRefusing, !state.failing, !state.closing, !state.finished else {
                return nil
            }
            if coming { state.scansComing = max(0, state.scansComing - 1) }
            let (scan, recorded) = state.count(stampID: stampID, network: client.network, status: status, now: now, since: mark,
                                               reloadWindow: reloadWindow)
            return (journal, scan, recorded)
        }
        guard let counted else {
            return await handOff(stampID: stampID, client: client, status: status, now: now, since: mark, coming: coming)
        }
        guard let scan = counted.scan else { return counted.recorded }
        do {
            try counted.journal.append([scan])
        } catch {
            // The disk would not take it: the count is undone and the scan handed to the writer,
            // which tries the journal, then the registry, and keeps it when neither takes it.
            state.withLock { state in
                state.uncount(scan)
                state.journalRefusing = true
            }
            return await handOff(stampID: stampID, client: client, status: status, now: now, since: mark, coming: false)
        }
        let first = state.withLock { state in
            state.journaled += 1
            guard state.journaled == 1 else { return false }
            state.journaledSince = .now
            return true
        }
        // The writer sets its timer for the journal's first scan.
        if first { wake.signal() }
        return counted.recorded
    }

    /// ``record(stampID:client:status:now:since:coming:)`` through the writer: the scan is queued,
    /// and the page answered once the writer has made it durable (or may wait no longer).
    private func handOff(stampID: Int64, client: ScanClient, status: VerificationResult.Status, now: Date,
                         since mark: ReadMark, coming: Bool) async -> Recorded {
        let reloadWindow = reloadWindow
        let mostKept = configuration.mostKept
        let recorded = await withCheckedContinuation { (waiter: CheckedContinuation<Recorded, Never>) in
            let queued: Bool = state.withLock { state in
                if coming { state.scansComing = max(0, state.scansComing - 1) }
                guard !state.closing, !state.finished else {
                    waiter.resume(returning: Recorded(counted: false, unwritten: state.unwritten[stampID] ?? 0,
                                                      consistent: ScanLog.adds(state, stampID: stampID, since: mark), durability: .notCounted))
                    return false
                }
                let (scan, recorded) = state.count(stampID: stampID, network: client.network, status: status, now: now, since: mark,
                                                   reloadWindow: reloadWindow)
                guard let scan else {
                    waiter.resume(returning: recorded)
                    return false
                }
                // While the registry refuses scans, a page does not wait for its own: it is kept.
                if state.failing || state.stalled || !state.running {
                    state.statistics.deferred += 1
                    state.queue.append(Entry(scan: scan, waiter: nil, recorded: recorded))
                    waiter.resume(returning: Self.deferred(recorded))
                } else {
                    state.queue.append(Entry(scan: scan, waiter: waiter, recorded: recorded))
                }
                if state.waiting > mostKept { dropOldest(&state) }
                return true
            }
            if queued { wake.signal() }
        }
        return recorded
    }

    /// Past `mostKept` waiting scans, the oldest go: said in the log, never silently.
    private func dropOldest(_ state: inout State) {
        let excess = state.waiting - configuration.mostKept
        let dropped = state.take(excess)
        for entry in dropped { entry.waiter?.resume(returning: Self.deferred(entry.recorded)) }
        state.forget(dropped.map(\.scan))
        state.statistics.dropped += dropped.count
        logger.error("scans: dropped the \(dropped.count) oldest unwritten scan(s): more than \(configuration.mostKept) wait for the registry (\(state.statistics.lastError ?? "it refuses them"))")
    }

    private static func deferred(_ recorded: Recorded) -> Recorded {
        var recorded = recorded
        recorded.durability = .deferred
        return recorded
    }

    /// Scans of a stamp that are queued and not yet stored, and whether the history read since
    /// `mark` adds up with them.
    public func unwrittenCount(stampID: Int64, since mark: ReadMark) -> (unwritten: Int, consistent: Bool) {
        state.withLock { ($0.unwritten[stampID] ?? 0, ScanLog.adds($0, stampID: stampID, since: mark)) }
    }

    public var statistics: Statistics {
        state.withLock { state in
            var statistics = state.statistics
            statistics.waiting = state.waiting + max(0, state.journaled)
            statistics.journaled = max(0, state.journaled)
            statistics.failing = state.failing || state.failingJournal
            return statistics
        }
    }

    /// Returns once every scan queued so far is written (tests, benchmarks), or the log has closed.
    public func waitUntilWritten() async {
        while state.withLock({ state in
            state.flushRequested = !state.unwritten.isEmpty
            return !state.unwritten.isEmpty && !state.finished
        }) {
            wake.signal()
            try? await Task.sleep(for: .milliseconds(5))
        }
    }

    /// Stops taking scans; the writer writes what is queued and returns, or, when the registry
    /// still refuses them at `within`, saves them to the spool file and returns.
    public func close(within limit: Duration = .seconds(5)) {
        state.withLock { state in
            if !state.closing {
                state.closing = true
                state.closeDeadline = .now + limit
            }
        }
        wake.signal()
    }

    // MARK: The writer

    /// Writes scans until ``close(within:)``: first any saved in the spool file by an earlier
    /// run, then each batch as it comes. Returns when everything is written or saved.
    public func run() async {
        await writeSpool()
        let journal = await openJournal()
        state.withLock { state in
            state.running = true
            state.pageJournal = journal
        }
        var backoff = configuration.firstBackoff
        var applying: Task<Void, Never>?
        var applyBackoff = configuration.firstBackoff
        var applyRetry: ContinuousClock.Instant?
        while true {
            let now = ContinuousClock.now
            let (waiting, closing, failing, journaled, since, outcome, flush, deadline) = state.withLock { state in
                defer { state.applyOutcome = nil }
                return (state.waiting, state.closing, state.failing, max(0, state.journaled), state.journaledSince, state.applyOutcome,
                        state.flushRequested, state.closeDeadline)
            }
            if let outcome {
                applying = nil
                if outcome { (applyBackoff, applyRetry) = (configuration.firstBackoff, nil) } else {
                    applyRetry = now + applyBackoff
                    applyBackoff = min(applyBackoff * 2, configuration.longestBackoff)
                }
            }
            // The journal's scans go to the registry when enough wait or the oldest has waited long
            // enough, one transaction at a time, beside the appends.
            if let journal, applying == nil, journaled > 0 {
                let due = closing || flush || journaled >= configuration.journalBatch || (since.map { now - $0 >= configuration.journalInterval } ?? false)
                if due, applyRetry.map({ now >= $0 }) ?? true {
                    applying = startApply(journal)
                    continue
                }
            }
            if waiting == 0 {
                if closing {
                    // Done once the journal is in the registry, or, at the deadline, left in its file.
                    if journaled == 0 || (applying == nil && deadline.map { now >= $0 } ?? true) { break }
                    if applying == nil, let retry = applyRetry { try? await Task.sleep(until: min(retry, deadline ?? retry)) }
                    else { await wake.wait() }
                    continue
                }
                if applying == nil, journaled > 0, let since {
                    // Wakes for a scan, or when the journal is due.
                    await wake.wait(until: max(since + configuration.journalInterval, applyRetry ?? now))
                } else {
                    await wake.wait()
                }
                continue
            }
            // Group commit: scans that arrive within the gather window share one transaction.
            if configuration.gatherWindow > .zero, waiting < configuration.gatherUntil, !closing, !failing {
                // Gather while pages that have read their stamp are about to queue their scans, up
                // to the window: under load a commit takes every scan under way; a lone scan is
                // written at once.
                let deadline = ContinuousClock.now + configuration.gatherWindow
                while state.withLock({ $0.scansComing > 0 && $0.waiting < configuration.gatherUntil }), ContinuousClock.now < deadline {
                    try? await Task.sleep(for: .microseconds(250))
                }
            }
            let batch = state.withLock { state in state.take(configuration.largestBatch) }
            if batch.isEmpty { continue }
            if let journal, journalAppend(batch, to: journal) {
                backoff = configuration.firstBackoff
                continue
            }
            if await write(batch) {
                backoff = configuration.firstBackoff
                continue
            }
            if closing, let deadline, ContinuousClock.now >= deadline { break }
            // The registry refused the batch: wait before the next try (less once closing). New
            // scans do not cut the pause short: under load they would turn it into a busy retry.
            let pause = closing ? min(backoff, deadline.map { $0 - .now } ?? backoff) : backoff
            try? await Task.sleep(for: max(pause, .milliseconds(1)))
            backoff = min(backoff * 2, configuration.longestBackoff)
        }
        await applying?.value
        let left = state.withLock { state in
            state.running = false
            state.finished = true
            return state.take(Int.max)
        }
        for entry in left { entry.waiter?.resume(returning: Self.deferred(entry.recorded)) }
        if !left.isEmpty, !(journal.map { journalAppend(left, to: $0) } ?? false) { spool(left.map(\.scan)) }
        let kept = state.withLock { state in
            state.pageJournal = nil
            return max(0, state.journaled)
        }
        if kept > 0 {
            logger.error("scans: the registry did not take \(kept) scan(s) before stopping; they are kept in its scan journal and written when it is next opened")
        }
        journal?.close()
    }

    /// The store's journal, when it keeps one; without it (or when it cannot be made: a full disk)
    /// every group is committed to the registry.
    private func openJournal() async -> (any WebScanJournal)? {
        do {
            return try await store.webScanJournal()
        } catch {
            logger.warning("scans: no scan journal (\(error)); each group of scans is committed to the registry")
            return nil
        }
    }

    /// Appends a batch to the journal and answers its pages (their scans are durable); false when
    /// the disk would not take it, and the batch is then committed to the registry instead.
    private func journalAppend(_ batch: [Entry], to journal: any WebScanJournal) -> Bool {
        let scans = batch.map(\.scan)
        do {
            try journal.append(scans)
        } catch {
            let first = state.withLock { !$0.failing }
            if first { logger.error("scans: the scan journal refused \(scans.count) scan(s) (\(error)); committing them to the registry") }
            return false
        }
        let recovered = state.withLock { state in
            if state.journaled <= 0 { state.journaledSince = .now }
            state.journaled += scans.count
            let recovered = state.failing || state.journalRefusing
            state.failing = false
            state.journalRefusing = false
            state.stalled = false
            return recovered
        }
        for entry in batch { entry.waiter?.resume(returning: entry.recorded) }
        if recovered { logger.notice("scans: the scan journal takes scans again") }
        return true
    }

    /// Writes the journal's scans into the registry in a task of its own, so that pages never
    /// wait for it; the writer learns the outcome from `applyOutcome`.
    private func startApply(_ journal: any WebScanJournal) -> Task<Void, Never> {
        state.withLock { $0.flushRequested = false }
        let sealed: (any SealedScanJournal)?
        do {
            sealed = try journal.seal()
        } catch {
            return Task { self.applied([], number: nil, error: error) }
        }
        let scans = sealed?.scans ?? []
        // Numbered before the commit: a page reading one of these stamps meanwhile reads it again.
        let number = state.withLock { state in state.begin(scans, now: ProcessInfo.processInfo.systemUptime) }
        return Task {
            do {
                try await sealed?.apply()
                self.applied(scans, number: number, error: nil)
            } catch {
                self.applied(scans, number: number, error: error)
            }
        }
    }

    private func applied(_ scans: [WebScan], number: Int?, error: (any Error)?) {
        let (firstFailure, recovered) = state.withLock { state in
            if let number { state.finishedBatches = number }
            state.applyOutcome = error == nil
            guard error == nil else {
                state.statistics.failedBatches += 1
                state.statistics.lastError = "\(error!)"
                let first = !state.failingJournal
                state.failingJournal = true
                return (first, false)
            }
            state.journaled -= scans.count
            state.journaledSince = state.journaled <= 0 ? nil : .now
            state.forget(scans)
            state.statistics.written += scans.count
            state.statistics.lastError = nil
            let recovered = state.failingJournal
            state.failingJournal = false
            return (false, recovered)
        }
        if let error {
            if firstFailure {
                logger.error("scans: the registry refused the journal's \(scans.count) scan(s), kept in the journal for a retry: \(error)")
            } else {
                logger.warning("scans: still refused; \(scans.count) scan(s) kept in the journal: \(error)")
            }
        } else if recovered {
            logger.notice("scans: the registry takes scans again; \(scans.count) written from the journal")
        }
        wake.signal()
    }

    /// Writes one batch; true when it is committed. The pages waiting for it are answered when it
    /// commits, or once they have waited ``Configuration/pageWaitLimit``.
    private func write(_ batch: [Entry]) async -> Bool {
        let now = ProcessInfo.processInfo.systemUptime
        let number = state.withLock { state in state.begin(batch.lazy.map(\.scan), now: now) }
        let waiters = Waiters(batch.compactMap { entry in entry.waiter.map { ($0, entry.recorded) } })
        let scans = batch.map(\.scan)
        let store = store
        let pageWaitLimit = configuration.pageWaitLimit
        let outcome: Result<Void, any Error> = await withTaskGroup(of: Result<Void, any Error>?.self) { group in
            group.addTask {
                do { try await store.recordWebScans(scans); return .success(()) } catch { return .failure(error) }
            }
            if !waiters.isEmpty {
                group.addTask {
                    try? await Task.sleep(for: pageWaitLimit)
                    return nil
                }
            }
            while let next = await group.next() {
                if let result = next {
                    group.cancelAll()
                    return result
                }
                // Slower than a page may wait: its pages go now, and the next pages do not wait.
                if !Task.isCancelled {
                    let answered = waiters.resume { Self.deferred($0) }
                    state.withLock { state in
                        state.stalled = true
                        state.statistics.deferred += answered
                    }
                }
            }
            return .failure(CancellationError())
        }
        switch outcome {
        case .success:
            let recovered = state.withLock { state in
                state.finishedBatches = number
                state.forget(scans)
                state.statistics.written += scans.count
                let recovered = state.failing
                state.failing = false
                state.stalled = false
                state.statistics.lastError = nil
                return recovered
            }
            waiters.resume { $0 }
            if recovered { logger.notice("scans: the registry takes scans again; \(scans.count) written") }
            return true
        case .failure(let error):
            let (firstFailure, waiting) = state.withLock { state in
                state.finishedBatches = number
                // Back at the front, in order, without their pages: those are answered now.
                state.queue.replaceSubrange(state.head..<state.head, with: batch.map { Entry(scan: $0.scan, waiter: nil, recorded: $0.recorded) })
                state.statistics.failedBatches += 1
                state.statistics.lastError = "\(error)"
                let first = !state.failing
                state.failing = true
                state.stalled = false
                return (first, state.waiting)
            }
            let answered = waiters.resume { Self.deferred($0) }
            state.withLock { $0.statistics.deferred += answered }
            if firstFailure {
                logger.error("scans: the registry refused a batch of \(scans.count) scan(s), kept for a retry (\(waiting) waiting): \(error)")
            } else {
                logger.warning("scans: still refused, \(waiting) scan(s) kept: \(error)")
            }
            return false
        }
    }

    // MARK: The spool file

    /// Saves scans the registry never took, for the next start; says so in the log either way.
    private func spool(_ scans: [WebScan]) {
        guard let file = configuration.spool else {
            logger.error("scans: \(scans.count) scan(s) could not be written and no spool file is set: they are lost")
            return
        }
        do {
            var text = Data()
            let encoder = JSONEncoder()
            for scan in scans {
                text.append(try encoder.encode(scan))
                text.append(0x0A)
            }
            if !FileManager.default.fileExists(atPath: file.path) {
                guard FileManager.default.createFile(atPath: file.path, contents: nil, attributes: [.posixPermissions: 0o600]) else {
                    throw CocoaError(.fileWriteUnknown)
                }
            }
            let handle = try FileHandle(forWritingTo: file)
            defer { try? handle.close() }
            try handle.seekToEnd()
            try handle.write(contentsOf: text)
            try handle.synchronize()
            state.withLock { $0.statistics.spooled += scans.count }
            logger.error("scans: the registry did not take \(scans.count) scan(s) before stopping; saved to \(file.path), written at the next start")
        } catch {
            logger.critical("scans: \(scans.count) scan(s) could not be written, nor saved to \(file.path) (\(error)): they are lost")
        }
    }

    /// Writes the scans an earlier run saved, and removes the file once they are in the registry.
    private func writeSpool() async {
        guard let file = configuration.spool, FileManager.default.fileExists(atPath: file.path) else { return }
        do {
            let data = try Data(contentsOf: file)
            let decoder = JSONDecoder()
            let scans = try data.split(separator: 0x0A).map { try decoder.decode(WebScan.self, from: Data($0)) }
            for start in stride(from: 0, to: scans.count, by: configuration.largestBatch) {
                try await store.recordWebScans(Array(scans[start..<min(scans.count, start + configuration.largestBatch)]))
            }
            try FileManager.default.removeItem(at: file)
            state.withLock { $0.statistics.written += scans.count }
            logger.notice("scans: wrote \(scans.count) scan(s) saved by an earlier run from \(file.path)")
        } catch {
            logger.error("scans: the saved scans in \(file.path) could not be written yet (\(error)); kept for the next start")
        }
    }
}

/// The pages waiting for one batch: each is answered once, by the commit or by the wait limit,
/// whichever comes first.
private final class Waiters: Sendable {
    private let waiting: Mutex<[(CheckedContinuation<ScanLog.Recorded, Never>, ScanLog.Recorded)]>

    init(_ waiters: [(CheckedContinuation<ScanLog.Recorded, Never>, ScanLog.Recorded)]) {
        waiting = Mutex(waiters)
    }

    var isEmpty: Bool { waiting.withLock { $0.isEmpty } }

    /// Answers the pages not answered yet; returns how many.
    @discardableResult
    func resume(_ outcome: (ScanLog.Recorded) -> ScanLog.Recorded) -> Int {
        let all = waiting.withLock { waiting in
            defer { waiting.removeAll() }
            return waiting
        }
        for (waiter, recorded) in all { waiter.resume(returning: outcome(recorded)) }
        return all.count
    }
}

/// Wakes one waiting task: a signal sent while nobody waits is kept for the next wait.
final class WakeSignal: Sendable {
    private let state = Mutex<(pending: Bool, waiter: CheckedContinuation<Void, Never>?)>((false, nil))

    func signal() {
        let waiter = state.withLock { state -> CheckedContinuation<Void, Never>? in
            if let waiter = state.waiter {
                state.waiter = nil
                return waiter
            }
            state.pending = true
            return nil
        }
        waiter?.resume()
    }

    /// Returns at the next signal, or at `deadline`.
    func wait(until deadline: ContinuousClock.Instant) async {
        let timer = Task { [weak self] in
            try? await Task.sleep(until: deadline)
            if !Task.isCancelled { self?.signal() }
        }
        await wait()
        timer.cancel()
    }

    /// Returns at the next signal (at once when one is pending).
    func wait() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let resumeNow = state.withLock { state -> Bool in
                if state.pending {
                    state.pending = false
                    return true
                }
                state.waiter = continuation
                return false
            }
            if resumeNow { continuation.resume() }
        }
    }
}
