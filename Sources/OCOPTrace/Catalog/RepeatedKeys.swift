/// Something a file may name only once: a producer's product code, a GTIN, a product's lot.
///
/// Read from a row's cells whether or not the rest of the row is valid, so that a repeat is
/// reported even when the row it repeats has other problems: a user fixing the first error should
/// not meet the second on the next run.
struct UniqueKey: Sendable {
    enum Kind: Hashable, Sendable {
        case productCode, gtin, lot
    }

    var kind: Kind
    /// What makes two rows the same, already normalised (producer identity, digits, lot code).
    var key: String
    /// How the problem names it: `product code "NC-500"`.
    var label: String
    /// Whose it is, after the row: ` for HTX Nem chua`.
    var owner = ""

    var column: Column {
        switch kind {
        case .productCode: .productCode
        case .gtin: .gtin
        case .lot: .lot
        }
    }

    func repeatMessage(firstRow: Int) -> String {
        switch kind {
        case .gtin: "\(label) is already used on row \(firstRow): each product needs its own GTIN"
        case .productCode, .lot: "\(label) already appears on row \(firstRow)\(owner)"
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
    /// By kind and key only: the labels are for messages, and a file's worth of them would double the memory.
    private var firstRows: [Identity: Int] = [:]

    private struct Identity: Hashable {
        var kind: UniqueKey.Kind
        var key: String
    }

    init(file: String, header: HeaderMap) {
        self.file = file
        self.header = header
    }

    /// The row's draft, or its problems with any repeats added.
    mutating func check<Draft>(_ parsed: ParsedRow<Draft>) -> Result<Draft, RowErrors> {
        var repeats: [RowProblem] = []
        for key in parsed.uniqueKeys {
            let identity = Identity(kind: key.kind, key: key.key)
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
