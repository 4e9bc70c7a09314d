import Foundation

/// One column a record writes, with how to read its value from the record: the one list both
/// engines' INSERT and UPDATE statements are made from, each binding the value as its own kind.
struct WrittenColumn<Record>: Sendable {
    enum Kind: Sendable {
        case text, integer, real
    }

    /// A value as both engines bind it.
    enum Value {
        case text(String?)
        case integer(Int?)
        case real(Double?)
    }

    let name: String
    let kind: Kind
    let value: @Sendable (Record) -> Value

    static func text(_ name: String, _ value: @escaping @Sendable (Record) -> String?) -> Self {
        Self(name: name, kind: .text) { .text(value($0)) }
    }

    static func integer(_ name: String, _ value: @escaping @Sendable (Record) -> Int?) -> Self {
        Self(name: name, kind: .integer) { .integer(value($0)) }
    }

    static func real(_ name: String, _ value: @escaping @Sendable (Record) -> Double?) -> Self {
        Self(name: name, kind: .real) { .real(value($0)) }
    }
}

extension ProductDraft {
    /// The product columns a catalog row sets, in the order both engines write them. The product's
    /// key (`producer_id`, `code`) and the bookkeeping (`fingerprint`, `job_id`, the times) are the
    /// store's. A new product column is one line here (and its migration and `StoredProduct`).
    static let writtenColumns: [WrittenColumn<ProductDraft>] = [
        .text("name") { $0.name },
        .text("gtin") { $0.gtin?.digits },
        .integer("ocop_group") { $0.ocopGroup?.rawValue },
        .integer("ocop_stars") { $0.ocop?.stars },
        .text("ocop_decision") { $0.ocop?.decision },
        .text("ocop_recognized_on") { $0.ocop?.recognizedOn?.iso },
        .integer("price_vnd") { $0.priceVND },
        .text("unit") { $0.unit },
        .integer("weight_g") { $0.weightGrams },
        .integer("shelf_life_days") { $0.shelfLifeDays },
        .text("description") { $0.description },
        .text("images") { $0.imagesJSON },
        .integer("stock") { $0.stock },
        .integer("embed_signature") { $0.embedSignature ? 1 : 0 },
        .integer("scratch_pin") { $0.scratchPIN ? 1 : 0 },
        .real("length_cm") { $0.packageSize?.lengthCm },
        .real("width_cm") { $0.packageSize?.widthCm },
        .real("height_cm") { $0.packageSize?.heightCm },
        .integer("carton_size") { $0.cartonSize },
    ]
}
