import GRDB

/// Finding a product by its code, which is unique per producer only: one place for stamp-order
/// files and for `issue`, each of which turns the outcome into its own kind of error.
enum ProductLookup {
    /// How a producer is told apart when several use the code.
    enum ProducerFilter {
        /// The name (and province), as an order file spells them: equal, accents and case ignored.
        case named(String?, province: String?)
        /// Part of the name, as typed on a command line (`--producer "Nem chua"`).
        case nameContains(String?)
    }

    struct Match {
        var id: Int64
        var shelfLifeDays: Int?
        var producer: String
    }

    enum Outcome {
        case found(Match)
        /// No product has the code.
        case unknown
        /// Some do, but none of them is the producer's.
        case notForProducer
        /// Several producers' products match: their names.
        case ambiguous([String])
    }

    static func find(_ db: Database, code: String, producer filter: ProducerFilter) throws -> Outcome {
        let candidates = try Row.fetchAll(db, sql: """
            SELECT p.id, p.shelf_life_days, pr.name, pr.province FROM products p
            JOIN producers pr ON pr.id = p.producer_id WHERE p.code = ?
            """, arguments: [code])
        let matching = ProductLookup.matching(candidates, filter, name: { $0["name"] }, province: { $0["province"] })
        switch matching.count {
        case 1: return .found(Match(id: matching[0]["id"], shelfLifeDays: matching[0]["shelf_life_days"], producer: matching[0]["name"]))
        case 0: return candidates.isEmpty ? .unknown : .notForProducer
        default: return .ambiguous(matching.map { $0["name"] })
        }
    }

    /// The candidates a producer filter keeps, whichever engine read them.
    static func matching<Candidate>(_ candidates: [Candidate], _ filter: ProducerFilter, name: (Candidate) -> String,
                                    province: (Candidate) -> String) -> [Candidate] {
        candidates.filter { candidate in
            let key = name(candidate).matchingKey
            switch filter {
            case .named(let producer, let wanted):
                return (producer.map { $0.matchingKey == key } ?? true)
                    && (wanted.map { $0.matchingKey == province(candidate).matchingKey } ?? true)
            case .nameContains(let part):
                return part.map { key.contains($0.matchingKey) } ?? true
            }
        }
    }
}
