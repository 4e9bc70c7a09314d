import Foundation

/// Checks what a buyer or inspector typed as a stamp's scratch-off PIN against the registry: the
/// one path `verify --pin` and the page's PIN form share. The typed text is normalised
/// (``ScratchPIN/normalised(_:)``); one that cannot be a PIN is checked as a wrong guess (it counts
/// against the limits like any other), never an error.
public struct ScratchPINCheck: Sendable {
    public let store: any VerificationStore
    public let key: PINKey
    public let limits: PINLimits

    public init(store: any VerificationStore, key: PINKey, limits: PINLimits = PINLimits()) {
        self.store = store
        self.key = key
        self.limits = limits
    }

    /// Checks `typed` for the stamp `stampID` of `serial`, for the client `network`.
    public func check(stampID: Int64, serial: Serial, typed: String, network: String, channel: PINAttempt.Channel,
                      inspector: String? = nil, location: String? = nil, status: VerificationStatus = .genuine,
                      at: Date = Date()) async throws -> PINOutcome {
        let candidate = ScratchPIN.normalised(typed).map { key.hash(serial: serial, pin: $0) }
        return try await store.checkPIN(PINAttempt(stampID: stampID, candidateHash: candidate, network: network, channel: channel,
                                                   inspector: inspector, location: location, status: status, at: at, limits: limits))
    }

    /// Whether a verdict lets its stamp's PIN be checked: only a genuine stamp's (a forged code,
    /// a revoked or unfinished stamp never uses up a PIN).
    public static func checks(_ result: VerificationResult) -> Bool {
        result.status == .genuine && result.serial != nil
    }

    /// Puts the answer into the verdict: `pin`, and for a PIN used before, a suspected copy.
    public static func apply(_ outcome: PINOutcome, to result: inout VerificationResult) {
        result.pin = outcome
        if outcome.state == .alreadyActivated {
            // The activating network asking again (a reload, a second look) is the buyer, not a copy.
            if !outcome.byActivatingNetwork { result.suspectedClone = true }
            result.notes.append(.pin(outcome))
        }
    }
}
