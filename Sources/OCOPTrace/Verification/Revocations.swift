import Foundation

/// Revoking stamps (a lost roll, a recall): they then verify as `revoked`, with the reason.
public struct Revocations: Sendable {
    public let store: any VerificationStore

    public init(store: any VerificationStore) {
        self.store = store
    }

    public enum RevocationError: Error, Sendable, CustomStringConvertible {
        case emptyReason
        case invalidStampIDs([String])
        case unknownStampIDs([String])
        case noSuchLot(String)
        case ambiguousLot(lot: String, products: [String])
        case lotNotComplete(String)

        public var description: String {
            switch self {
            case .emptyReason: "give a reason (--reason): inspectors are shown it"
            case .invalidStampIDs(let problems): "not stamp IDs: " + problems.joined(separator: "; ")
            case .unknownStampIDs(let ids): "no such stamps in the registry: " + ids.joined(separator: ", ")
            case .noSuchLot(let lot): "no issued stamps for lot \(lot)"
            case .ambiguousLot(let lot, let products):
                "lot \(lot) exists for several products (\(products.joined(separator: ", "))): name one with --product"
            case .lotNotComplete(let lot): "the batch of lot \(lot) is not complete: rerun `ocoptrace issue` to finish it"
            }
        }
    }

    public typealias Outcome = RevocationOutcome

    /// Revokes the stamps named by stamp ID (or URL): all of them or, if any is unknown or invalid, none.
    public func revoke(stampIDs inputs: [String], reason: String) async throws -> Outcome {
        guard !reason.trimmed.isEmpty else { throw RevocationError.emptyReason }
        var serials: [Serial] = []
        var invalid: [String] = []
        for input in inputs where !input.trimmed.isEmpty {
            if let serial = VerificationInput(input).serial { serials.append(serial) } else { invalid.append(input.trimmed) }
        }
        guard invalid.isEmpty else { throw RevocationError.invalidStampIDs(invalid) }
        return try Revocations.outcome(await store.revokeStamps(serials: serials, reason: reason.trimmed))
    }

    /// Revokes every stamp of a lot (of one product when several share the lot number).
    public func revoke(lot lotLabel: String, productCode: String?, reason: String, recall: Bool = false) async throws -> Outcome {
        guard !reason.trimmed.isEmpty else { throw RevocationError.emptyReason }
        let lot = StampBatch.lotCode(lotLabel)
        do {
            return try await store.revokeLot(lot, reason: reason.trimmed, recall: recall) { batches in
                try StampBatch.issued(among: batches, productCode: productCode)
            }
        } catch let problem as StampBatch.LotChoiceProblem {
            switch problem {
            case .noBatch: throw RevocationError.noSuchLot(lot)
            case .ambiguous(let products): throw RevocationError.ambiguousLot(lot: lot, products: products)
            case .notComplete: throw RevocationError.lotNotComplete(lot)
            }
        }
    }

    private static func outcome(_ revocation: StampRevocation) throws -> Outcome {
        switch revocation {
        case .revoked(let outcome): return outcome
        case .unknownSerials(let serials): throw RevocationError.unknownStampIDs(serials.map { StampID(serial: $0).formatted })
        }
    }
}
