/// The producers a listing or a pack covers, as commands take them (`--producer`, `--province`):
/// part of the producer's name and the whole province, case and accents ignored; nil: any.
struct ProducerScope {
    private let nameKey: String?
    private let provinceKey: String?

    init(producer: String?, province: String?) {
        nameKey = producer?.matchingKey
        provinceKey = province?.matchingKey
    }

    func includes(producer: String, province: String) -> Bool {
        (nameKey.map { producer.matchingKey.contains($0) } ?? true) && (provinceKey.map { province.matchingKey == $0 } ?? true)
    }
}
