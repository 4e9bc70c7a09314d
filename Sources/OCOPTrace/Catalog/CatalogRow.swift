import Foundation

/// A validated stamp-order row: how many stamps to issue for one lot of one product.
public struct StampOrderDraft: Hashable, Sendable {
    public var productCode: String
    /// Narrows the product when several producers use the same product code.
    public var producerName: String?
    public var province: String?
    public var lotLabel: String
    public var lot: LotNumber
    public var quantity: Int
    public var producedOn: CalendarDate
    public var expiresOn: CalendarDate?
}
/// Every problem found in one row.
struct RowErrors: Error {
    var problems: [RowProblem]

    /// The row's outcome: its problems as a failure, any other error (the registry's) thrown on.
    static func catching<T>(_ body: () throws -> T) throws -> Result<T, RowErrors> {
        do {
            return .success(try body())
        } catch let errors as RowErrors {
            return .failure(errors)
        }
    }
}
