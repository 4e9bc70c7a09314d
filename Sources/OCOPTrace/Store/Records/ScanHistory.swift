/// A stamp's scan history as the registry holds it.
public struct ScanHistory: Sendable, Codable, Equatable {
    /// Verifications recorded for this serial, this one included.
    public var count: Int
    public var firstAt: String?
    public var lastAt: String?
    public var locations: [String]

    enum CodingKeys: String, CodingKey {
        case count, firstAt = "first_at", lastAt = "last_at", locations
    }
}
