import Foundation

/// How many of each thing the registry holds, for summaries.
public struct RegistryCounts: Sendable, Codable {
    public var producers: Int
    public var products: Int
    public var stampOrders: Int
    public var pendingStampOrders: Int
    public var issuedStamps: Int
    /// Rows of production diaries.
    public var productionStages: Int

    enum CodingKeys: String, CodingKey {
        case producers, products
        case stampOrders = "stamp_orders"
        case pendingStampOrders = "pending_stamp_orders"
        case issuedStamps = "issued_stamps"
        case productionStages = "production_stages"
    }
}
