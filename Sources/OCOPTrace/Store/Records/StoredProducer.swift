import Foundation

/// A producer as the registry holds it, for an import to fill in; typed as it was checked when
/// stored, so a value that no longer reads back is an error on its row, not a silent nil.
struct StoredProducer: Sendable, Decodable, SelectedRecord {
    var id: Int64
    var identityKey: String
    var name: String
    var type: ProducerType?
    var taxID: String?
    var commune: String?
    var district: String?
    var province: String
    var gln: GLN?
    var companyPrefix: String?

    enum CodingKeys: String, CodingKey, CaseIterable {
        case id, identityKey = "identity_key", name, type, taxID = "tax_id", commune, district, province, gln
        case companyPrefix = "gs1_company_prefix"
    }
    typealias Columns = CodingKeys

    static func source(of column: Columns) -> String { column.rawValue }
    static let tables = "FROM producers"

    /// Every stored producer, in both dialects; each engine adds its own `WHERE`.
    static let selection = selectStatement()

    /// The producer as a row would describe it.
    var draft: ProducerDraft {
        ProducerDraft(name: name, type: type, taxID: taxID, commune: commune, district: district, province: province, gln: gln,
                      companyPrefix: companyPrefix)
    }
}
