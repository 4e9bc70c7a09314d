import Foundation

extension StampBatch {
    public var productKey: StampURL.ProductKey {
        gtin.map(StampURL.ProductKey.gtin) ?? .code(productCode)
    }

    public var produced: CalendarDate? { producedOn.flatMap(CalendarDate.init(parsing:)) }
    public var expires: CalendarDate? { expiresOn.flatMap(CalendarDate.init(parsing:)) }

    /// The URL of one of this batch's stamps.
    public func url(serial: Serial, signature: EmbeddedSignature?) -> StampURL {
        StampURL(resolver: resolver, product: productKey, lot: lot, serial: serial, producedOn: produced,
                 expiresOn: expires, signature: signature)
    }

    public func signedFields(serial: Serial) -> SignedStampFields {
        SignedStampFields(product: productKey, lot: lot, serial: serial, producedOn: produced, expiresOn: expires)
    }

    /// A lot as people write it (`Lô 1`) as the registry keeps it (`Lo-1`).
    static func lotCode(_ lotLabel: String) -> String {
        (try? LotNumber(transliterating: lotLabel).code) ?? lotLabel
    }

    /// Why a lot's batches name no one issued batch.
    public enum LotChoiceProblem: Error, Sendable, Equatable {
        /// No batch has the lot (of the product, when named).
        case noBatch
        /// Several products have the lot: their codes.
        case ambiguous(products: [String])
        /// The lot's batch never completed.
        case notComplete
    }

    /// The issued batch among a lot's batches, of one product when several share the lot number:
    /// the one rule issuing (labels, exports) and revoking a lot follow.
    static func issued(among batches: [StampBatch], productCode: String?) throws(LotChoiceProblem) -> StampBatch {
        var batches = batches
        if let productCode { batches = batches.filter { $0.productCode == productCode } }
        guard let first = batches.first else { throw .noBatch }
        guard batches.count == 1 else { throw .ambiguous(products: batches.map(\.productCode)) }
        guard first.status == .issued else { throw .notComplete }
        return first
    }
}

extension IssuanceStore {
    /// The issued batch of a lot (as people write it: `Lô 1` finds `Lo-1`), of one product when
    /// several share the lot number.
    public func issuedBatch(lot lotLabel: String, productCode: String?) async throws -> StampBatch {
        let lot = StampBatch.lotCode(lotLabel)
        let batches = try await batches(lot: lot)
        do {
            return try StampBatch.issued(among: batches, productCode: productCode)
        } catch {
            switch error {
            case .noBatch: throw IssueError.noBatch(lot: lot)
            case .ambiguous(let products): throw IssueError.ambiguousLot(lot: lot, products: products)
            case .notComplete: throw IssueError.notComplete(lot: lot)
            }
        }
    }
}
