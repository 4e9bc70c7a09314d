import ArgumentParser
import Foundation
import OCOPTrace

/// `ocoptrace-bench clones`: how well the copy rules work, with and without scratch-off PINs,
/// replaying a synthetic month of shoppers through the real store, scan history and rules; then
/// what PINs cost: issuing with PINs against without, and PIN checks a second through the store.
struct ClonesBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "clones",
        abstract: "Replay a synthetic month of scans of genuine and copied stamps, with and without PINs; time PIN issuing and checks.",
        discussion: """
            Genuine stamps are each scanned by 1-3 buyers at one place (some reload, some scan at the \
            shop and again at home) and activated once; copied stamps are scanned by 5-40 buyers at \
            as many places, most of whom type the copied PIN. Scans go through the store as the \
            page's scan log writes them (a reload from one network within the reload window counts \
            once), PINs through the store's PIN check, verdicts through CloneRule.

            Example:
              swift build -c release && swift run -c release ocoptrace-bench clones --genuine 5000 --copies 500
            """
    )

    @Option(help: "Genuine stamps.")
    var genuine = 2000

    @Option(help: "Copied stamps (each the copy of one genuine stamp).")
    var copies = 200

    @Option(help: "The clone rule's threshold: more counted scans than this flag a copy.")
    var threshold = 5

    @Option(help: "Seconds within which a reload from one network counts once (as serve's default).")
    var reloadWindow = 300.0

    @Option(help: "Stamps issued with and without PINs for the issuing figures.")
    var issueStamps = 20_000

    @Option(help: "Issues of each kind, alternated; the fastest of each is compared (a shared machine's stalls only ever add time).")
    var issueRounds = 5

    @Option(help: "PIN checks timed.")
    var checks = 4000

    @Option(help: "Concurrent PIN checks.")
    var concurrency = 8

    @Option(help: "Random seed.")
    var seed: UInt64 = 24

    @Option(help: ArgumentHelp("Work folder (default: a new one in output/, removed afterwards).", valueName: "folder"))
    var keep: String?

    func run() async throws {
        let folder = keep.map { URL(fileURLWithPath: $0) } ?? URL(fileURLWithPath: "output/bench-clones-\(UUID().uuidString)")
        try? FileManager.default.removeItem(at: folder)
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { if keep == nil { try? FileManager.default.removeItem(at: folder) } }
        let store = try await RegistryStores.open(.sqlite(path: folder.appendingPathComponent("registry.sqlite").path), access: .readWrite)
        let catalog = folder.appendingPathComponent("catalog.csv")
        try """
            product_code,name,gtin,producer,province,price_vnd,shelf_life_days
            MT-200,Mật ong rừng 200 ml,8938765000015,HTX Ong mật Như Xuân,Thanh Hóa,185000,365

            """.write(to: catalog, atomically: true, encoding: .utf8)
        _ = try await CatalogImporter(store: store).importFile(at: catalog)
        let keys = folder.appendingPathComponent("keys")
        func issuer(_ pins: Bool) -> StampIssuer {
            StampIssuer(store: store, options: IssueOptions(keysFolder: keys, outputFolder: folder.appendingPathComponent("out"),
                                                            writePNGs: false, scratchPIN: pins))
        }
        let produced = CalendarDate(year: 2026, month: 11, day: 1)

        // Issuing: the fastest of --issue-rounds runs each, alternating.
        var plainSeconds = Double.infinity, pinSeconds = Double.infinity
        for round in 0..<max(1, issueRounds) {
            for pins in [false, true] {
                let started = Date()
                _ = try await issuer(pins).issue(productCode: "MT-200", lot: "I\(round)\(pins ? "P" : "N")", count: issueStamps,
                                                 producedOn: produced, expiresOn: nil)
                let seconds = Date().timeIntervalSince(started)
                if pins { pinSeconds = min(pinSeconds, seconds) } else { plainSeconds = min(plainSeconds, seconds) }
            }
        }

        var random = SplitMix(seed: seed)
        var results: [Outcome] = []
        for pins in [false, true] {
            let genuineReport = try await issuer(pins).issue(productCode: "MT-200", lot: pins ? "GP" : "GN", count: genuine,
                                                             producedOn: produced, expiresOn: nil)
            let copiedReport = try await issuer(pins).issue(productCode: "MT-200", lot: pins ? "CP" : "CN", count: copies,
                                                            producedOn: produced, expiresOn: nil)
            let key = pins ? try PINKey.required(folder: keys) : nil
            let simulation = Simulation(store: store, check: key.map { ScratchPINCheck(store: store, key: $0) },
                                        rule: CloneRule(threshold: threshold), reloadWindow: reloadWindow, start: Date())
            results.append(try await simulation.run(genuine: try Self.stamps(genuineReport, pins: pins),
                                                    copied: try Self.stamps(copiedReport, pins: pins), random: &random))
        }

        // PIN checks a second through the store, limits enforced, on a fresh PIN batch.
        let checkReport = try await issuer(true).issue(productCode: "MT-200", lot: "CHK", count: 2000, producedOn: produced, expiresOn: nil)
        let targets = try Self.stamps(checkReport, pins: true)
        let check = ScratchPINCheck(store: store, key: try PINKey.required(folder: keys))
        var ids: [(Int64, Serial, String)] = []
        for target in targets {
            guard let stamp = try await store.stamp(serial: target.serial) else { continue }
            ids.append((stamp.id, stamp.serial, target.pin ?? ""))
        }
        let perTask = max(1, checks / concurrency)
        let started = Date()
        let states = try await withThrowingTaskGroup(of: [PINState].self) { group in
            for task in 0..<concurrency {
                let ids = ids
                group.addTask {
                    var generator = SplitMix(seed: UInt64(task) &+ 99)
                    var states: [PINState] = []
                    for index in 0..<perTask {
                        let target = ids[Int(generator.next() % UInt64(ids.count))]
                        let right = index % 2 == 0
                        states.append(try await check.check(stampID: target.0, serial: target.1, typed: right ? target.2 : "ZZZZZZZZ",
                                                            network: "n\(generator.next() % 5000)", channel: .web).state)
                    }
                    return states
                }
            }
            return try await group.reduce(into: []) { $0 += $1 }
        }
        let checkSeconds = Date().timeIntervalSince(started)
        await store.close()

        for result in results { print(result.text(threshold: threshold)) }
        print(String(format: "issuing %d stamps (no PNGs, fastest of %d): without PINs %.2f s, with PINs %.2f s → %.2f×",
                     issueStamps, max(1, issueRounds), plainSeconds, pinSeconds, pinSeconds / plainSeconds))
        var counts: [PINState: Int] = [:]
        for state in states { counts[state, default: 0] += 1 }
        print(String(format: "PIN checks through the store (SQLite, %d at once, limits enforced): %d in %.2f s → %.0f checks/s (%@)",
                     concurrency, states.count, checkSeconds, Double(states.count) / checkSeconds,
                     PINState.allCases.map { "\($0.rawValue) \(counts[$0] ?? 0)" }.joined(separator: ", ") as NSString))
    }

    /// A batch's stamps and, for a PIN batch, their PINs.
    struct Stamp {
        var serial: Serial
        var pin: String?
    }

    static func stamps(_ report: BatchReport, pins: Bool) throws -> [Stamp] {
        if pins, let file = report.pins {
            return try PINFile.read(URL(fileURLWithPath: file)).compactMap { row in
                VerificationInput(row.url).serial.map { Stamp(serial: $0, pin: row.pin.text) }
            }
        }
        let manifest = try String(contentsOfFile: report.manifest, encoding: .utf8)
        return manifest.split(separator: "\n").dropFirst().compactMap { line in
            VerificationInput(String(line.split(separator: ",")[3])).serial.map { Stamp(serial: $0, pin: nil) }
        }
    }

    /// What one replay found.
    struct Outcome {
        var pins: Bool
        var genuine: Int
        var genuineFlagged: Int
        var copies: Int
        var copiesFlagged: Int
        /// The counted scan at which the scan rule first flagged each flagged copy.
        var flaggedAtScan: [Int]
        /// The PIN attempt (by copy buyers and the original's buyer) at which each caught copy was caught.
        var caughtAtAttempt: [Int]
        /// Honest buyers of the copied stamps' originals who were told "already activated".
        var originalsToldCopy: Int
        /// Each genuine stamp's counted scans at the end of the month (its activation included), and
        /// each copy's counted scans by its copies' buyers, first to last: to tune the threshold.
        var genuineCounts: [Int] = []
        var copyCounts: [[Int]] = []

        func text(threshold: Int) -> String {
            func share(_ part: Int, _ whole: Int) -> String { String(format: "%.2f %%", whole == 0 ? 0 : 100 * Double(part) / Double(whole)) }
            var lines = [pins ? "with PINs (count rule threshold \(CloneRule(threshold: threshold).pinThreshold) for PIN stamps):"
                              : "scan rule alone (threshold \(threshold)):"]
            lines.append("  genuine stamps wrongly flagged: \(genuineFlagged) of \(genuine) (\(share(genuineFlagged, genuine)))")
            lines.append("  copies flagged: \(copiesFlagged) of \(copies) (\(share(copiesFlagged, copies)))")
            if !flaggedAtScan.isEmpty {
                let sorted = flaggedAtScan.sorted()
                lines.append("  scan rule: first flag at counted scan \(sorted[0])-\(sorted.last!), median \(sorted[sorted.count / 2])")
            }
            // What another threshold would give, from the same counts.
            for candidate in [4, 5, 6, 8, 10, 12] {
                let genuineOver = genuineCounts.filter { $0 > candidate }.count
                let caught = copyCounts.compactMap { $0.first { $0 > candidate } }.sorted()
                lines.append("  count rule at threshold \(candidate): genuine over it \(share(genuineOver, genuine)), copies over it "
                             + "\(share(caught.count, copies))" + (caught.isEmpty ? "" : ", at counted scan median \(caught[caught.count / 2])"))
            }
            if pins {
                let byTwo = caughtAtAttempt.filter { $0 <= 2 }.count
                lines.append("  caught by the PIN at activation attempt 1: \(caughtAtAttempt.filter { $0 == 1 }.count), 2: "
                             + "\(caughtAtAttempt.filter { $0 == 2 }.count), later: \(caughtAtAttempt.filter { $0 > 2 }.count); "
                             + "by the second attempt: \(share(byTwo, copies))")
                lines.append("  honest buyers of copied originals told \"already activated\" (the copies came first): \(originalsToldCopy)")
            }
            return lines.joined(separator: "\n")
        }
    }

    /// One replay: every stamp's month of events, written through the store in time order per stamp.
    struct Simulation {
        let store: any RegistryStore
        let check: ScratchPINCheck?
        let rule: CloneRule
        let reloadWindow: Double
        let start: Date

        /// A page view from a network at a time; reloads within the window count once, as the scan log counts them.
        struct Scan {
            var network: String
            var at: Double
        }

        func run(genuine: [Stamp], copied: [Stamp], random: inout SplitMix) async throws -> Outcome {
            let month = 30.0 * 86_400
            var outcome = Outcome(pins: check != nil, genuine: genuine.count, genuineFlagged: 0, copies: copied.count, copiesFlagged: 0,
                                  flaggedAtScan: [], caughtAtAttempt: [], originalsToldCopy: 0)
            var networkNumber = 0
            func newNetwork() -> String {
                networkNumber += 1
                return "net-\(check == nil ? "a" : "b")-\(networkNumber)"
            }
            for stamp in genuine {
                let home = newNetwork()
                let shop = random.chance(0.4) ? newNetwork() : nil
                var time = random.uniform(0, month - 3 * 86_400)
                var scans: [Scan] = []
                if let shop { scans.append(Scan(network: shop, at: time)); time += random.uniform(600, 86_400) }
                for _ in 0..<(1 + Int(random.next() % 3)) {
                    scans.append(Scan(network: home, at: time))
                    if random.chance(0.3) { scans.append(Scan(network: home, at: time + random.uniform(2, 60))) }  // a reload
                    if random.chance(0.3) { scans.append(Scan(network: home, at: time + random.uniform(3600, 86_400))) }  // again later
                    time += random.uniform(60, 3600)
                }
                let recorded = try await record(scans, stamp: stamp)
                var flagged = recorded.flagged
                var count = recorded.count
                if let check, let pin = stamp.pin {
                    let id = try await stampID(stamp)
                    var attempts: [String] = random.chance(0.03) ? ["AAAAAAAA", pin] : [pin]  // a typo, then the PIN
                    if random.chance(0.05) { attempts.append(pin) }  // the form sent twice
                    for typed in attempts {
                        let answer = try await check.check(stampID: id, serial: stamp.serial, typed: typed, network: home, channel: .web,
                                                           at: start.addingTimeInterval(time))
                        if answer.state == .alreadyActivated, !answer.byActivatingNetwork { flagged = true }
                        if answer.state == .activated {
                            count += 1  // the activation is a scan
                            if rule.isSuspected(scans: count, locations: [], hasPIN: true) { flagged = true }
                        }
                        time += random.uniform(5, 60)
                    }
                }
                outcome.genuineCounts.append(count)
                if flagged { outcome.genuineFlagged += 1 }
            }
            for stamp in copied {
                // The original's buyer, and the copies' buyers, each at a place of their own.
                let originalBuyer = newNetwork()
                let originalAt = random.uniform(0, month * 0.8)
                let copiesFirst = random.chance(0.5)
                let copyStart = copiesFirst ? max(0, originalAt - random.uniform(86_400, 10 * 86_400)) : originalAt + random.uniform(3600, 5 * 86_400)
                var events: [(at: Double, network: String, original: Bool, typesPIN: Bool)] = [(originalAt, originalBuyer, true, true)]
                for _ in 0..<(5 + Int(random.next() % 36)) {
                    events.append((copyStart + random.uniform(0, 20 * 86_400), newNetwork(), false, random.chance(0.8)))
                }
                events.sort { $0.at < $1.at }
                var attempt = 0
                var counts: [Int] = []
                var caughtAt: Int?
                var flaggedAt: Int?
                let id = try await stampID(stamp)
                for event in events {
                    var scans = [Scan(network: event.network, at: event.at)]
                    if random.chance(0.3) { scans.append(Scan(network: event.network, at: event.at + random.uniform(2, 60))) }  // a reload
                    let recorded = try await record(scans, stamp: stamp)
                    if recorded.flagged, flaggedAt == nil, !event.original { flaggedAt = recorded.count }
                    if !event.original { counts.append(recorded.count) }
                    if let check, let pin = stamp.pin, event.typesPIN {
                        // The copy's own attempts: its buyers', not the original's.
                        if !event.original { attempt += 1 }
                        let answer = try await check.check(stampID: id, serial: stamp.serial, typed: pin, network: event.network, channel: .web,
                                                           at: start.addingTimeInterval(event.at + 120))
                        if answer.state == .alreadyActivated, !answer.byActivatingNetwork {
                            if event.original { outcome.originalsToldCopy += 1 } else if caughtAt == nil { caughtAt = attempt }
                        }
                    }
                }
                outcome.copyCounts.append(counts)
                if let flaggedAt { outcome.flaggedAtScan.append(flaggedAt) }
                if let caughtAt { outcome.caughtAtAttempt.append(caughtAt) }
                if flaggedAt != nil || caughtAt != nil { outcome.copiesFlagged += 1 }
            }
            return outcome
        }

        func stampID(_ stamp: Stamp) async throws -> Int64 {
            guard let stored = try await store.stamp(serial: stamp.serial) else {
                throw ValidationError("stamp \(stamp.serial.text) is not in the registry")
            }
            return stored.id
        }

        /// Writes the scans that count (not a reload within the window of the same network's last
        /// counted scan) and returns what the rule then says.
        func record(_ scans: [Scan], stamp: Stamp) async throws -> (flagged: Bool, count: Int) {
            guard let stored = try await store.stamp(serial: stamp.serial) else { throw ValidationError("no stamp \(stamp.serial.text)") }
            var lastCounted: [String: Double] = [:]
            var counted: [WebScan] = []
            for scan in scans.sorted(by: { $0.at < $1.at }) {
                if let last = lastCounted[scan.network], scan.at - last < reloadWindow { continue }
                lastCounted[scan.network] = scan.at
                counted.append(WebScan(stampID: stored.id, scannedAt: Timestamp.string(start.addingTimeInterval(scan.at)),
                                       network: scan.network, status: .genuine))
            }
            try await store.recordWebScans(counted)
            let history = try await store.stamp(serial: stamp.serial)?.scans ?? stored.scans
            return (rule.isSuspected(scans: history.count, locations: history.locations, hasPIN: stamp.pin != nil), history.count)
        }
    }
}

/// A small seedable generator (SplitMix64), so that a replay is the same every run.
struct SplitMix: RandomNumberGenerator {
    var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    mutating func uniform(_ low: Double, _ high: Double) -> Double {
        low + (high - low) * Double(next() >> 11) / Double(1 << 53)
    }

    mutating func chance(_ probability: Double) -> Bool { uniform(0, 1) < probability }
}
