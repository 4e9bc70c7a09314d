import GRDB

/// Writes validated stamp-order rows inside an import's transaction, resolving each product code
/// against the registry.
final class StampOrderWriter {
    private let db: Database
    private let file: String
    private let header: HeaderMap
    private let jobID: Int64?
    private let now: String
    /// The orders this file names, in row order, whether new, updated or unchanged.
    private(set) var orderIDs: [Int64] = []

    init(db: Database, file: String, header: HeaderMap, jobID: Int64?, now: String) {
        self.db = db
        self.file = file
        self.header = header
        self.jobID = jobID
        self.now = now
    }

    private func problem(_ row: Int, _ column: Column?, _ message: String) -> RowErrors {
        RowErrors(problems: [RowProblem(file: file, row: row, column: column.map(header.header(of:)), message: message)])
    }

    func apply(_ draft: StampOrderDraft, row: Int) throws -> RowChange {
        let product = try resolveProduct(draft, row: row)
        let expiresOn = draft.expiresOn ?? product.shelfLifeDays.flatMap { draft.producedOn.adding(days: $0) }

        let existing = try Row.fetchOne(db, sql: """
            SELECT id, lot_label, quantity, produced_on, expires_on, status FROM stamp_orders WHERE product_id = ? AND lot = ?
            """, arguments: [product.id, draft.lot.code])
        if let existing {
            let same = existing["quantity"] == draft.quantity
                && existing["produced_on"] == draft.producedOn.iso
                && existing["expires_on"] == expiresOn?.iso
                && existing["lot_label"] == draft.lotLabel
            orderIDs.append(existing["id"])
            if same { return .unchanged }
            let status: String = existing["status"]
            guard status == "pending" else {
                throw problem(row, .lot, "stamps for lot \"\(draft.lot.code)\" of product \(draft.productCode) are already \(status == "issued" ? "issued" : "being issued"); they cannot be changed by a new order: use a new lot number")
            }
            try db.execute(sql: """
                UPDATE stamp_orders SET lot_label = ?, quantity = ?, produced_on = ?, expires_on = ?, job_id = ?, updated_at = ?
                WHERE id = ?
                """, arguments: [draft.lotLabel, draft.quantity, draft.producedOn.iso, expiresOn?.iso, jobID, now, existing["id"]])
            return .updated
        }
        try db.execute(sql: """
            INSERT INTO stamp_orders (product_id, lot, lot_label, quantity, produced_on, expires_on, job_id, created_at, updated_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
            """, arguments: [product.id, draft.lot.code, draft.lotLabel, draft.quantity, draft.producedOn.iso,
                             expiresOn?.iso, jobID, now, now])
        orderIDs.append(db.lastInsertedRowID)
        return .inserted
    }

    private func resolveProduct(_ draft: StampOrderDraft, row: Int) throws -> ProductLookup.Match {
        switch try ProductLookup.find(db, code: draft.productCode, producer: .named(draft.producerName, province: draft.province)) {
        case .found(let match):
            return match
        case .unknown:
            throw problem(row, .productCode, "no product \"\(draft.productCode)\" in the registry: import its catalog first")
        case .notForProducer:
            throw problem(row, .producer, "product \"\(draft.productCode)\" exists, but not for \(draft.producerName ?? draft.province ?? "this producer")")
        case .ambiguous(let producers):
            throw problem(row, .productCode, "product code \"\(draft.productCode)\" is used by several producers (\(producers.joined(separator: ", "))): add a producer column (Chủ thể) to say which")
        }
    }
}
