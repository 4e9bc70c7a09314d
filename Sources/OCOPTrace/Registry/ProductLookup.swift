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

    typealias Match = ProductCandidate

    enum Outcome {
        case found(Match)
        /// No product has the code.
        case unknown
        /// Some do, but none of them is the producer's.
        case notForProducer
        /// Several producers' products match: their names.
        case ambiguous([String])
    }

    /// The one of `candidates` (every product with the code) that the filter means.
    static func choose(among candidates: [ProductCandidate], producer filter: ProducerFilter) -> Outcome {
        let kept = matching(candidates, filter, name: \.producer, province: \.province)
        switch kept.count {
        case 1: return .found(kept[0])
        case 0: return candidates.isEmpty ? .unknown : .notForProducer
        default: return .ambiguous(kept.map(\.producer))
        }
    }

    /// The candidates a producer filter keeps (stamp-order rows and `issue --product` alike).
    static func matching<Candidate>(_ candidates: [Candidate], _ filter: ProducerFilter, name: (Candidate) -> String,
                                    province: (Candidate) -> String) -> [Candidate] {
        // Keys are made only for what the filter names: a diary row without a producer column
        // matches its product's one candidate without normalising any name.
        candidates.filter { candidate in
            switch filter {
            case .named(let producer, let wanted):
                return (producer.map { $0.matchingKey == name(candidate).matchingKey } ?? true)
                    && (wanted.map { $0.matchingKey == province(candidate).matchingKey } ?? true)
            case .nameContains(let part):
                return part.map { name(candidate).matchingKey.contains($0.matchingKey) } ?? true
            }
        }
    }
}
