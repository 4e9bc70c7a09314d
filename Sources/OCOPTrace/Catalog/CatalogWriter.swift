import Foundation
import GRDB

/// Writes validated catalog rows inside an import's transaction, and finds the problems that only
/// the registry or the rest of the file can reveal: a GTIN that belongs to another product in the
/// registry, a producer described two ways. (Codes and GTINs repeated within the file are
/// `RepeatedKeys`' to find, valid rows or not.)
final class CatalogWriter {
    private let db: Database
    private let file: String
    private let header: HeaderMap
    private let jobID: Int64?
    private let now: String
    private(set) var warnings: [String] = []

    private struct ProducerState {
        var id: Int64
        var stored: ProducerDraft
        /// The first row of this file that gave each attribute, to catch rows that disagree.
        var givenInFile: [Column: (value: String, row: Int)] = [:]
    }

    private var producers: [String: ProducerState] = [:]
    /// Existing products of each producer met so far: code → (id, fingerprint).
    private var products: [Int64: [String: (id: Int64, fingerprint: String)]] = [:]
    /// The producer of the previous row: catalogs list a producer's products together, and the
    /// same description as the row before needs no checking again.
    private var previousProducer: (draft: ProducerDraft, id: Int64)?
    private var missingImages: Set<String> = []
    /// Identity keys by the name and province as written: computing a key is slow, and a catalog
    /// repeats its producer on every row.
    private var identityKeys: [String: String] = [:]

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

    func apply(_ draft: ProductDraft, row: Int) throws -> RowChange {
        noteFormulas(draft, row: row)
        let producerID: Int64
        if let previous = previousProducer, previous.draft == draft.producer {
            producerID = previous.id
        } else {
            producerID = try producer(for: draft.producer, row: row)
            previousProducer = (draft.producer, producerID)
        }
        noteMissingImages(draft.images, row: row)

        let existing = try existingProducts(of: producerID)[draft.code]
        let fingerprint = draft.fingerprint
        if let existing, existing.fingerprint == fingerprint { return .unchanged }
        do {
            if let existing {
                try db.cachedStatement(sql: """
                    UPDATE products SET name = ?, gtin = ?, ocop_group = ?, ocop_stars = ?, ocop_decision = ?,
                        ocop_recognized_on = ?, price_vnd = ?, unit = ?, weight_g = ?, shelf_life_days = ?,
                        description = ?, images = ?, stock = ?, embed_signature = ?, length_cm = ?, width_cm = ?, height_cm = ?, fingerprint = ?, job_id = ?, updated_at = ?
                    WHERE id = ?
                    """).execute(arguments: productValues(draft) + [fingerprint, jobID, now, existing.id])
                products[producerID]![draft.code] = (existing.id, fingerprint)
                return .updated
            }
            try db.cachedStatement(sql: """
                INSERT INTO products (name, gtin, ocop_group, ocop_stars, ocop_decision, ocop_recognized_on,
                    price_vnd, unit, weight_g, shelf_life_days, description, images, stock, embed_signature, length_cm, width_cm, height_cm, fingerprint, job_id,
                    updated_at, created_at, producer_id, code)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """).execute(arguments: productValues(draft) + [fingerprint, jobID, now, now, producerID, draft.code])
            products[producerID]![draft.code] = (db.lastInsertedRowID, fingerprint)
            return .inserted
        } catch let error as DatabaseError where error.resultCode == .SQLITE_CONSTRAINT {
            guard let gtin = draft.gtin,
                  let owner = try Row.fetchOne(db, sql: """
                      SELECT p.code, pr.name AS producer FROM products p JOIN producers pr ON pr.id = p.producer_id
                      WHERE p.gtin = ?
                      """, arguments: [gtin.digits])
            else { throw error }
            let ownerCode: String = owner["code"]
            let ownerProducer: String = owner["producer"]
            throw problem(row, .gtin, "GTIN \(gtin.digits) already belongs to product \"\(ownerCode)\" of \(ownerProducer) in the registry")
        }
    }

    private func productValues(_ draft: ProductDraft) -> StatementArguments {
        [
            draft.name, draft.gtin?.digits, draft.ocopGroup?.rawValue, draft.ocop?.stars, draft.ocop?.decision,
            draft.ocop?.recognizedOn?.iso, draft.priceVND, draft.unit, draft.weightGrams, draft.shelfLifeDays,
            draft.description, draft.imagesJSON, draft.stock, draft.embedSignature,
            draft.packageSize?.lengthCm, draft.packageSize?.widthCm, draft.packageSize?.heightCm,
        ]
    }

    private func existingProducts(of producerID: Int64) throws -> [String: (id: Int64, fingerprint: String)] {
        if let known = products[producerID] { return known }
        var loaded: [String: (id: Int64, fingerprint: String)] = [:]
        let rows = try Row.fetchCursor(db, sql: "SELECT id, code, fingerprint FROM products WHERE producer_id = ?", arguments: [producerID])
        while let row = try rows.next() {
            loaded[row["code"]] = (row["id"], row["fingerprint"])
        }
        products[producerID] = loaded
        return loaded
    }

    /// The producer's id, inserting or updating the producer as the row describes it.
    private func producer(for draft: ProducerDraft, row: Int) throws -> Int64 {
        let written = draft.name + "\u{1F}" + draft.province
        let key = identityKeys[written] ?? draft.identityKey
        identityKeys[written] = key
        var state: ProducerState
        if let known = producers[key] {
            state = known
        } else if let stored = try Row.fetchOne(db, sql: "SELECT * FROM producers WHERE identity_key = ?", arguments: [key]) {
            state = ProducerState(id: stored["id"], stored: ProducerDraft(
                name: stored["name"], type: (stored["type"] as String?).flatMap(ProducerType.init(rawValue:)),
                taxID: stored["tax_id"], commune: stored["commune"], district: stored["district"], province: stored["province"],
                gln: (stored["gln"] as String?).flatMap { try? GLN(parsing: $0) }))
        } else {
            try db.execute(sql: """
                INSERT INTO producers (name, identity_key, type, tax_id, commune, district, province, gln, created_at, updated_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """, arguments: [draft.name, key, draft.type?.rawValue, draft.taxID, draft.commune, draft.district,
                                 draft.province, draft.gln?.digits, now, now])
            state = ProducerState(id: db.lastInsertedRowID, stored: draft)
        }

        let attributes: [(Column, String?)] = [
            (.producerType, draft.type?.rawValue), (.taxID, draft.taxID), (.commune, draft.commune), (.district, draft.district),
            (.gln, draft.gln?.digits),
        ]
        for case let (column, value?) in attributes {
            if let given = state.givenInFile[column], given.value != value, given.value.matchingKey != value.matchingKey {
                throw problem(row, column, "\(draft.name) has \(column.rawValue) \"\(given.value)\" on row \(given.row) but \"\(value)\" here")
            }
            if state.givenInFile[column] == nil { state.givenInFile[column] = (value, row) }
        }
        var merged = state.stored
        merged.type = draft.type ?? merged.type
        merged.taxID = draft.taxID ?? merged.taxID
        merged.commune = draft.commune ?? merged.commune
        merged.district = draft.district ?? merged.district
        merged.gln = draft.gln ?? merged.gln
        if merged != state.stored {
            try db.execute(sql: """
                UPDATE producers SET type = ?, tax_id = ?, commune = ?, district = ?, gln = ?, updated_at = ? WHERE id = ?
                """, arguments: [merged.type?.rawValue, merged.taxID, merged.commune, merged.district, merged.gln?.digits, now, state.id])
            state.stored = merged
        }
        producers[key] = state
        return state.id
    }

    /// Text that a spreadsheet would evaluate is kept as text (and CSV reports write it so that it
    /// stays text), but a producer's catalog should not carry it: a warning names row and column.
    private func noteFormulas(_ draft: ProductDraft, row: Int) {
        let cells: [(Column, String?)] = [(.productCode, draft.code), (.name, draft.name), (.producer, draft.producer.name),
                                          (.commune, draft.producer.commune), (.district, draft.producer.district),
                                          (.province, draft.producer.province), (.unit, draft.unit), (.description, draft.description),
                                          (.ocopDecision, draft.ocop?.decision)]
        for case let (column, text?) in cells where CSVText.looksLikeFormulaInACatalog(text) {
            let shown = text.count > 40 ? String(text.prefix(39)) + "…" : text
            warnings.append("\(file):\(row):\(header.header(of: column)): \"\(shown)\" looks like a spreadsheet formula; "
                + "it is kept as text (ocoptrace's CSV reports show it as text), but check the catalog")
        }
    }

    /// Local images are checked when a listing is exported; here they only earn a warning.
    private func noteMissingImages(_ images: [String], row: Int) {
        for image in images where image.hasPrefix("/") && !missingImages.contains(image) {
            if !FileManager.default.fileExists(atPath: image) {
                missingImages.insert(image)
                warnings.append("\(file):\(row): image \(image) does not exist (yet)")
            }
        }
    }
}
