/// Prepares validated stamp-order rows for the store: finds each row's product among those with its
/// code, and words what the store refuses (a lot whose stamps are issued already).
final class StampOrderWriter {
    private let file: String
    private let header: HeaderMap
    /// The orders this file names, in row order, whether new, updated or unchanged.
    private(set) var orderIDs: [Int64] = []

    init(file: String, header: HeaderMap) {
        self.file = file
        self.header = header
    }

    private func problem(_ row: Int, _ column: CatalogColumn?, _ message: String) -> RowErrors {
        RowErrors(problems: [RowProblem(file: file, row: row, column: column.map(header.header(of:)), message: message)])
    }

    /// The row as the store writes it, given every product with its code, or why it cannot be.
    func prepare(_ draft: StampOrderDraft, row: Int, candidates: [ProductCandidate]) -> Result<StampOrderWrite, RowErrors> {
        let product: ProductCandidate
        switch ProductLookup.choose(among: candidates, producer: .named(draft.producerName, province: draft.province)) {
        case .found(let match):
            product = match
        case .unknown:
            return .failure(problem(row, .productCode, "no product \(draft.productCode.quoted) in the registry: import its catalog first"))
        case .notForProducer:
            return .failure(problem(row, .producer, "product \(draft.productCode.quoted) exists, but not for \(draft.producerName ?? draft.province ?? "this producer")"))
        case .ambiguous(let producers):
            return .failure(problem(row, .productCode, "product code \(draft.productCode.quoted) is used by several producers (\(producers.joined(separator: ", "))): add a producer column (Chủ thể) to say which"))
        }
        let expiresOn = draft.expiresOn ?? product.shelfLifeDays.flatMap { draft.producedOn.adding(days: $0) }
        return .success(StampOrderWrite(row: row, productID: product.id, lot: draft.lot.code, lotLabel: draft.lotLabel,
                                        quantity: draft.quantity, producedOn: draft.producedOn, expiresOn: expiresOn))
    }

    /// What a row does to the order stored for its lot: nothing when it says the same; nothing
    /// either, and the row refused, once the order's stamps are being issued; else it updates it.
    static func change(of stored: StoredStampOrder, by write: StampOrderWrite) -> StampOrderChange {
        let same = stored.quantity == write.quantity && stored.producedOn == write.producedOn.iso
            && stored.expiresOn == write.expiresOn?.iso && stored.lotLabel == write.lotLabel
        if same { return .unchanged }
        return stored.status == .pending ? .update : .locked(stored.status)
    }

    /// What the store's writing of the row did, as the report counts it.
    func change(_ outcome: StampOrderWriteOutcome, of draft: StampOrderDraft, row: Int) -> Result<RowChange, RowErrors> {
        orderIDs.append(outcome.id)
        switch outcome {
        case .inserted: return .success(.inserted)
        case .updated: return .success(.updated)
        case .unchanged: return .success(.unchanged)
        case .locked(_, let status):
            return .failure(problem(row, .lot, "stamps for lot \(draft.lot.code.quoted) of product \(draft.productCode) are already \(status == .issued ? "issued" : "being issued"); they cannot be changed by a new order: use a new lot number"))
        }
    }
}
