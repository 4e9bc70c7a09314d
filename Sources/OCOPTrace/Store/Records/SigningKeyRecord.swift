import Foundation

/// A key as the registry records it.
public struct SigningKeyRecord: Sendable, Codable, Hashable {
    public var keyID: String
    public var publicKey: String
    public var createdAt: String
    public var retiredAt: String?

    enum CodingKeys: String, CodingKey {
        case keyID = "key_id", publicKey = "public_key", createdAt = "created_at", retiredAt = "retired_at"
    }

    public init(keyID: String, publicKey: String, createdAt: String, retiredAt: String? = nil) {
        self.keyID = keyID
        self.publicKey = publicKey
        self.createdAt = createdAt
        self.retiredAt = retiredAt
    }

    public var isActive: Bool { retiredAt == nil }
}
