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
        let matching = candidates.filter { candidate in
            let name = candidate.producer.matchingKey
            switch filter {
            case .named(let producer, let province):
                return (producer.map { $0.matchingKey == name } ?? true)
                    && (province.map { $0.matchingKey == candidate.province.matchingKey } ?? true)
            case .nameContains(let part):
                return part.map { name.contains($0.matchingKey) } ?? true
            }
        }
        switch matching.count {
        case 1: return .found(matching[0])
        case 0: return candidates.isEmpty ? .unknown : .notForProducer
        default: return .ambiguous(matching.map(\.producer))
        }
    }
}
