import Foundation

/// Prepares validated catalog rows for the store, and finds the problems that only the rest of the
/// file or the registry can reveal: a producer described two ways in the file, a GTIN that belongs
/// to another product in the registry (the store tells). (Codes and GTINs repeated within the file
/// are `RepeatedKeys`' to find, valid rows or not.)
extension ProducerDraft {
    /// The producer with what a later row adds: a row fills in attributes, it never blanks one;
    /// the name and province (the identity) stay as first written.
    func filledIn(by later: ProducerDraft) -> ProducerDraft {
        var merged = self
        merged.type = later.type ?? type
        merged.taxID = later.taxID ?? taxID
        merged.commune = later.commune ?? commune
        merged.district = later.district ?? district
        merged.gln = later.gln ?? gln
        merged.companyPrefix = later.companyPrefix ?? companyPrefix
        return merged
    }
}

final class CatalogWriter {
    private let file: String
    private let header: HeaderMap
    private(set) var warnings: [String] = []

    /// For each producer (by identity key), the first row of this file that gave each attribute,
    /// to catch rows that disagree.
    private var givenInFile: [String: [CatalogColumn: (value: String, row: Int)]] = [:]
    /// The producer of the previous row and its key: catalogs list a producer's products together,
    /// and the same description as the row before needs no checking again.
    private var previousProducer: (draft: ProducerDraft, key: String)?
    private var missingImages: Set<String> = []
    /// Identity keys by the name and province as written: computing a key is slow, and a catalog
    /// repeats its producer on every row.
    private var identityKeys: [String: String] = [:]

    init(file: String, header: HeaderMap) {
        self.file = file
        self.header = header
    }

    private func problem(_ row: Int, _ column: CatalogColumn?, _ message: String) -> RowErrors {
        RowErrors(problems: [RowProblem(file: file, row: row, column: column.map(header.header(of:)), message: message)])
    }

    /// The row as the store writes it, or why it cannot be written.
    func prepare(_ draft: ProductDraft, row: Int) -> Result<CatalogProductWrite, RowErrors> {
        noteFormulas(draft, row: row)
        let key: String
        if let previous = previousProducer, previous.draft == draft.producer {
            key = previous.key
        } else {
            let written = draft.producer.name + "\u{1F}" + draft.producer.province
            key = identityKeys[written] ?? draft.producer.identityKey
            identityKeys[written] = key
            if let problem = disagreement(draft.producer, key: key, row: row) { return .failure(problem) }
            previousProducer = (draft.producer, key)
        }
        noteMissingImages(draft.images, row: row)
        return .success(CatalogProductWrite(row: row, producerKey: key, product: draft))
    }

    /// What the store's writing of the row did, as the report counts it.
    func change(_ outcome: ProductWriteOutcome, of draft: ProductDraft, row: Int) -> Result<RowChange, RowErrors> {
        switch outcome {
        case .inserted: .success(.inserted)
        case .updated: .success(.updated)
        case .unchanged: .success(.unchanged)
        case .gtinTaken(let code, let producer):
            .failure(problem(row, .gtin, "GTIN \(draft.gtin?.digits ?? "") already belongs to product \(code.quoted) of \(producer) in the registry"))
        }
    }

    /// A problem when the row gives one of its producer's attributes otherwise than an earlier row.
    private func disagreement(_ draft: ProducerDraft, key: String, row: Int) -> RowErrors? {
        var given = givenInFile[key] ?? [:]
        let attributes: [(CatalogColumn, String?)] = [
            (.producerType, draft.type?.rawValue), (.taxID, draft.taxID), (.commune, draft.commune), (.district, draft.district),
            (.gln, draft.gln?.digits), (.gs1CompanyPrefix, draft.companyPrefix),
        ]
        for case let (column, value?) in attributes {
            if let first = given[column], first.value != value, first.value.matchingKey != value.matchingKey {
                return problem(row, column, "\(draft.name) has \(column.rawValue) \(first.value.quoted) on row \(first.row) but \(value.quoted) here")
            }
            if given[column] == nil { given[column] = (value, row) }
        }
        givenInFile[key] = given
        return nil
    }

    /// Text that a spreadsheet would evaluate is kept as text (and CSV reports write it so that it
    /// stays text), but a producer's catalog should not carry it: a warning names row and column.
    private func noteFormulas(_ draft: ProductDraft, row: Int) {
        let cells: [(CatalogColumn, String?)] = [(.productCode, draft.code), (.name, draft.name), (.producer, draft.producer.name),
                                                 (.commune, draft.producer.commune), (.district, draft.producer.district),
                                                 (.province, draft.producer.province), (.unit, draft.unit), (.description, draft.description),
                                                 (.ocopDecision, draft.ocop?.decision)]
        for case let (column, text?) in cells where CSVText.looksLikeFormulaInACatalog(text) {
            warnings.append("\(file):\(row):\(header.header(of: column)): \(text.quoted) looks like a spreadsheet formula; "
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
