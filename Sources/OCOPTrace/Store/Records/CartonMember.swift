/// A stamp in a carton now: its serial and its carton (``ChainStore/cartonMembers(batchID:)``).
public struct CartonMember: Sendable, Hashable, Codable {
    public var serial: String
    public var cartonID: Int64
    /// The carton's key as stored (``CartonKey/text``).
    public var sscc: String

    enum CodingKeys: String, CodingKey {
        case serial, sscc
        case cartonID = "carton_id"
    }
}
