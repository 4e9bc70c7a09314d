/// An Ed25519 signature carried in AI 8030: a 4-character key id followed by the 64-byte
/// signature, all base64url (90 characters, GS1's limit for AI 8030).
public struct EmbeddedSignature: Hashable, Sendable {
    public var keyID: String
    public var signature: [UInt8]

    public init(keyID: String, signature: [UInt8]) {
        self.keyID = keyID
        self.signature = signature
    }

    public var text: String { keyID + Base64URL.encode(signature) }

    public init?(text: String) {
        guard text.utf8.count == 90 else { return nil }
        let keyID = String(text.prefix(4))
        guard Base64URL.decode(keyID) != nil, let signature = Base64URL.decode(String(text.dropFirst(4))),
              signature.count == 64 else { return nil }
        self.keyID = keyID
        self.signature = signature
    }
}
