/// A scanned stamp's history, for `ocoptrace scans`.
public struct ScanListing: Sendable, Codable {
    public var serial: String
    public var stampID: String
    public var product: String
    public var lot: String
    public var scans: Int
    public var firstAt: String
    public var lastAt: String
    public var locations: [String]
    public var inspectors: [String]
    public var suspectedClone: Bool
    /// When its scratch-off PIN was first activated (an activation is one of its scans).
    public var activatedAt: String?

    enum CodingKeys: String, CodingKey {
        case serial, stampID = "stamp_id", product, lot, scans, firstAt = "first_at", lastAt = "last_at", locations, inspectors
        case suspectedClone = "suspected_clone", activatedAt = "activated_at"
    }

    init(serial: String, product: String, lot: String, scans: Int, firstAt: String, lastAt: String, locations: [String], inspectors: [String]) {
        self.serial = serial
        stampID = StampID(serial: Serial(unchecked: serial)).formatted
        self.product = product
        self.lot = lot
        self.scans = scans
        self.firstAt = firstAt
        self.lastAt = lastAt
        self.locations = locations
        self.inspectors = inspectors
        suspectedClone = false
    }
}
