import Foundation

/// How a verification run records and flags.
public struct VerifyOptions: Sendable {
    /// Record each verification as a scan (off with `--no-record`, which also opens the registry read-only).
    public var record: Bool
    public var inspector: String?
    public var location: String?
    /// More recorded verifications than this flags a suspected clone.
    public var cloneThreshold: Int
    public var today: CalendarDate

    public init(record: Bool = true, inspector: String? = nil, location: String? = nil, cloneThreshold: Int = 5,
                today: CalendarDate = .today()) {
        self.record = record
        self.inspector = inspector
        self.location = location
        self.cloneThreshold = cloneThreshold
        self.today = today
    }
}

/// Verifies against the registry: syntax, signature, the issued record, revocations, and the scan
/// history that reveals copies of genuine stamps.
public struct RegistryVerifier: Sendable {
    public let store: any VerificationStore & ChainStore
    public let options: VerifyOptions
    let judge: StampJudge

    public init(store: any VerificationStore & ChainStore, options: VerifyOptions) async throws {
        self.store = store
        self.options = options
        judge = StampJudge(publicKeys: try await store.verificationKeys(), today: options.today, mode: .registry)
    }

    /// Verifies a group of inputs: one read of their records and, when recording, one short write
    /// of their scans. Each result's history counts the scans before it, its own included, as if
    /// the inputs had been verified one after the other.
    public func verify(_ inputs: [String]) async throws -> [VerificationResult] {
        let parsed = inputs.map(VerificationInput.init)
        var found = try await store.stamps(serials: parsed.compactMap(\.serial)).makeIterator()
        let now = Timestamp.now()
        let rule = CloneRule(threshold: options.cloneThreshold)
        var histories: [Int64: VerificationResult.Scans] = [:]
        var scans: [InspectorScan] = []
        var journeys: [LotKey: [Journey.Entry]] = [:]
        // Stamps with a journey of their own (partners' events, cartons left) are asked for it, once any is.
        let ownJourneys = try await store.hasStampJourneys()
        var results: [VerificationResult] = []
        results.reserveCapacity(inputs.count)
        for (text, input) in zip(inputs, parsed) {
            let stamp = input.serial == nil ? nil : found.next() ?? nil
            var result = judge.judge(input: text, parsed: input, record: stamp?.record)
            if let stamp {
                var history = histories[stamp.id] ?? stamp.scans
                if options.record {
                    history.add(at: now, location: options.location)
                    scans.append(InspectorScan(stampID: stamp.id, scannedAt: now, inspector: options.inspector,
                                               location: options.location, status: result.status))
                }
                histories[stamp.id] = history
                result.scans = history
                rule.flag(&result, hasPIN: stamp.hasPIN)
                if result.status != .forged {
                    let lot = LotKey(productID: stamp.productID, lot: stamp.lot, cartonID: stamp.cartonID)
                    if journeys[lot] == nil {
                        journeys[lot] = try await Journey.shared(productID: stamp.productID, lot: stamp.lot,
                                                                 serial: stamp.cartonID == nil ? nil : stamp.serial.text, in: store).entries
                    }
                    // The stamp's own part (partners' events about it, cartons it left) joins the shared one.
                    result.journey = journeys[lot] ?? []
                    if ownJourneys {
                        result.journey = Journey(entries: result.journey).adding(try await store.stampJourney(serial: stamp.serial.text)).entries
                    }
                }
            }
            results.append(result)
        }
        if !scans.isEmpty { try await store.recordScans(scans) }
        return results
    }
}

/// A lot of a product, by the product's row id.
struct LotKey: Hashable, Sendable {
    var productID: Int64
    var lot: String
    /// The carton the stamp is in: its packing and shipments are part of its journey.
    var cartonID: Int64? = nil
}

extension RegistryVerifier {
    /// `verify --pin`: verifies one input as ``verify(_:)`` does, then checks the typed PIN of its
    /// stamp (an inspector's check counts against the same limits, from the network `cli`).
    public func verify(_ input: String, pin typed: String, check: ScratchPINCheck) async throws -> VerificationResult {
        var result = try await verify([input])[0]
        guard let serialText = result.serial, let stamp = try await store.stamp(serial: Serial(unchecked: serialText)) else { return result }
        guard stamp.hasPIN else {
            ScratchPINCheck.apply(PINOutcome(state: .noPIN), to: &result)
            return result
        }
        guard ScratchPINCheck.checks(result) else { return result }
        let outcome = try await check.check(stampID: stamp.id, serial: stamp.serial, typed: typed, network: "cli", channel: .cli,
                                            inspector: options.inspector, location: options.location, status: result.status)
        ScratchPINCheck.apply(outcome, to: &result)
        return result
    }
}
