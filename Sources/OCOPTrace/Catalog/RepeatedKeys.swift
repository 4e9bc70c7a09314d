/// Something a file may name only once: a producer's product code, a GTIN, a product's lot.
///
/// Read from a row's cells whether or not the rest of the row is valid, so that a repeat is
/// reported even when the row it repeats has other problems: a user fixing the first error should
/// not meet the second on the next run.
struct UniqueKey: Sendable {
    enum Kind: Hashable, Sendable {
        case productCode, gtin, lot, stage
    }

    var kind: Kind
    /// Within what the value must be unique, normalised: the producer's identity for a product
    /// code, the product (and producer) for a lot, nothing for a GTIN. Kept apart from `value`
    /// rather than joined to it: rows share their producer's one string, so a file's worth of
    /// keys costs little more memory than its codes.
    var scope: String
    /// The product code, GTIN digits or lot code, as the message shows it.
    var value: String
    /// Whose it is, for the message: the producer's name for a code, the product code for a lot.
    var owner: String = ""

    var column: CatalogColumn {
        switch kind {
        case .productCode: .productCode
        case .gtin: .gtin
        case .lot: .lot
        case .stage: .stage
        }
    }

    /// Made only when a repeat is found: most rows never need it.
    func repeatMessage(firstRow: Int) -> String {
        switch kind {
        case .productCode: "product code \(value.quoted) already appears on row \(firstRow) for \(owner)"
        case .gtin: "GTIN \(value) is already used on row \(firstRow): each product needs its own GTIN"
        case .lot: "lot \(value.quoted) of product \(owner) already appears on row \(firstRow)"
        case .stage: "stage \(owner) already appears on row \(firstRow)"
        }
    }
}

/// One data row as parsed: its draft or its problems, and what it must not repeat.
struct ParsedRow<Draft: Sendable>: Sendable {
    var row: Int
    var draft: Result<Draft, RowErrors>
    var uniqueKeys: [UniqueKey]
}

/// The first row of each unique key in one file; every later row naming it is a problem.
struct RepeatedKeys {
    let file: String
    let header: HeaderMap
    private var firstRows: [Identity: Int] = [:]

    private struct Identity: Hashable {
        var kind: UniqueKey.Kind
        var scope: String
        var value: String
    }

    init(file: String, header: HeaderMap) {
        self.file = file
        self.header = header
    }

    /// The row's draft, or its problems with any repeats added.
    mutating func check<Draft>(_ parsed: ParsedRow<Draft>) -> Result<Draft, RowErrors> {
        var repeats: [RowProblem] = []
        for key in parsed.uniqueKeys {
            let identity = Identity(kind: key.kind, scope: key.scope, value: key.value)
            if let first = firstRows[identity] {
                repeats.append(RowProblem(file: file, row: parsed.row, column: header.header(of: key.column),
                                          message: key.repeatMessage(firstRow: first)))
            } else {
                firstRows[identity] = parsed.row
            }
        }
        guard !repeats.isEmpty else { return parsed.draft }
        switch parsed.draft {
        case .success: return .failure(RowErrors(problems: repeats))
        case .failure(let errors): return .failure(RowErrors(problems: errors.problems + repeats))
        }
    }
}
