import Crypto
import Foundation

/// An Ed25519 key pair that signs stamps, kept as two files in the keys folder:
/// `{key id}.key` (the private key, mode 0600, never printed) and `{key id}.pub` (the public key, in
/// the text format below, for inspectors).
///
/// ```
/// ocoptrace-public-key 1
/// algorithm: Ed25519
/// key-id: Xq3b
/// public-key: <32 bytes, base64url>
/// created: 2026-11-23T13:20:00.000Z
/// ```
public struct SigningKey: @unchecked Sendable {
    // @unchecked: swift-crypto 3 does not mark the key Sendable; it is an immutable value, and
    // signing reads it only.
    public let keyID: String
    let privateKey: Curve25519.Signing.PrivateKey

    public var publicKey: PublicStampKey { PublicStampKey(keyID: keyID, rawKey: [UInt8](privateKey.publicKey.rawRepresentation)) }

    /// Signs the canonical bytes of a stamp.
    public func sign(_ fields: SignedStampFields) throws -> EmbeddedSignature {
        let signature = try privateKey.signature(for: Data(fields.canonicalBytes(keyID: keyID)))
        return EmbeddedSignature(keyID: keyID, signature: [UInt8](signature))
    }
}

/// A public key that verifies stamp signatures.
public struct PublicStampKey: Sendable, Hashable, Codable {
    public let keyID: String
    public let rawKey: [UInt8]
    /// The parsed key, made once: parsing a key costs as much as checking a signature.
    private let verifier: Verifier?

    /// Holds swift-crypto's key, which version 3 does not mark Sendable.
    private final class Verifier: @unchecked Sendable {
        // @unchecked: the key is an immutable value; verifying only reads it.
        let key: Curve25519.Signing.PublicKey

        init?(_ raw: [UInt8]) {
            guard let key = try? Curve25519.Signing.PublicKey(rawRepresentation: raw) else { return nil }
            self.key = key
        }
    }

    public init(keyID: String, rawKey: [UInt8]) {
        self.keyID = keyID
        self.rawKey = rawKey
        verifier = Verifier(rawKey)
    }

    public static func == (lhs: PublicStampKey, rhs: PublicStampKey) -> Bool {
        lhs.keyID == rhs.keyID && lhs.rawKey == rhs.rawKey
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(rawKey)
    }

    enum CodingKeys: String, CodingKey {
        case keyID = "key_id", rawKey = "raw_key"
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.init(keyID: try container.decode(String.self, forKey: .keyID), rawKey: try container.decode([UInt8].self, forKey: .rawKey))
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(keyID, forKey: .keyID)
        try container.encode(rawKey, forKey: .rawKey)
    }

    /// The key id: 4 letters or digits from the SHA-256 of the raw public key. Letters and digits
    /// only, so that an id never starts with `-` (which a command line would take for an option)
    /// and always reads as base64url inside AI 8030.
    public static func keyID(for rawKey: [UInt8]) -> String {
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789".utf8)
        return String(decoding: SHA256.hash(data: Data(rawKey)).prefix(4).map { alphabet[Int($0) % alphabet.count] }, as: UTF8.self)
    }

    public func isValid(_ signature: EmbeddedSignature, for fields: SignedStampFields) -> Bool {
        guard signature.keyID == keyID else { return false }
        return isValid(signature: Data(signature.signature), for: Data(fields.canonicalBytes(keyID: keyID)))
    }

    /// Checks an Ed25519 signature over any bytes (offline packs are signed whole).
    public func isValid(signature: Data, for message: Data) -> Bool {
        verifier?.key.isValidSignature(signature, for: message) ?? false
    }

    /// The `.pub` file's text.
    public func fileText(created: String) -> String {
        """
        ocoptrace-public-key 1
        algorithm: Ed25519
        key-id: \(keyID)
        public-key: \(Base64URL.encode(rawKey))
        created: \(created)

        """
    }

    /// Reads a `.pub` file.
    public init(fileText: String) throws(KeyError) {
        var fields: [String: String] = [:]
        let lines = fileText.split(whereSeparator: \.isNewline)
        guard lines.first.map({ String($0).trimmed }) == "ocoptrace-public-key 1" else { throw .notAPublicKey }
        for line in lines.dropFirst() {
            guard let colon = line.firstIndex(of: ":") else { continue }
            fields[String(line[..<colon]).trimmed] = String(line[line.index(after: colon)...]).trimmed
        }
        guard fields["algorithm"] == "Ed25519", let keyText = fields["public-key"], let raw = Base64URL.decode(keyText),
              raw.count == 32 else { throw .notAPublicKey }
        let keyID = PublicStampKey.keyID(for: raw)
        guard fields["key-id"] == nil || fields["key-id"] == keyID else { throw .keyIDMismatch }
        self.init(keyID: keyID, rawKey: raw)
    }
}

/// The identifying fields of a stamp that its signature covers.
///
/// The signed bytes are these lines, UTF-8, joined by `\n` (no trailing newline):
/// ```
/// ocoptrace-stamp 1
/// key:{key id}
/// product:01:{GTIN-14}          (or product:p:{product code})
/// lot:{lot as in the URL, decoded}
/// serial:{serial}
/// produced:{YYYY-MM-DD or empty}
/// expires:{YYYY-MM-DD or empty}
/// ```
public struct SignedStampFields: Hashable, Sendable {
    public var product: StampURL.ProductKey
    public var lot: String
    public var serial: Serial
    public var producedOn: CalendarDate?
    public var expiresOn: CalendarDate?

    public init(product: StampURL.ProductKey, lot: String, serial: Serial, producedOn: CalendarDate?, expiresOn: CalendarDate?) {
        self.product = product
        self.lot = lot
        self.serial = serial
        self.producedOn = producedOn
        self.expiresOn = expiresOn
    }

    public init(_ url: StampURL) {
        self.init(product: url.product, lot: url.lot, serial: url.serial, producedOn: url.producedOn, expiresOn: url.expiresOn)
    }

    public func canonicalBytes(keyID: String) -> [UInt8] {
        Array([
            "ocoptrace-stamp 1",
            "key:" + keyID,
            "product:" + product.canonical,
            "lot:" + lot,
            "serial:" + serial.text,
            "produced:" + (producedOn?.iso ?? ""),
            "expires:" + (expiresOn?.iso ?? ""),
        ].joined(separator: "\n").utf8)
    }
}

public enum KeyError: Error, Sendable, CustomStringConvertible, Equatable {
    case notAPublicKey
    case keyIDMismatch
    case cannotWrite(path: String, reason: String)
    case noSigningKey(folder: String)
    case privateKeyMissing(keyID: String, path: String)
    case unreadablePrivateKey(path: String)
    case unknownKey(String)
    case noPINKey(folder: String)

    public var description: String {
        switch self {
        case .notAPublicKey: "not an ocoptrace public key file"
        case .keyIDMismatch: "the key id in the file does not belong to its public key"
        case .cannotWrite(let path, let reason): "cannot write \(path): \(reason)"
        case .noSigningKey(let folder):
            "no active signing key in the registry with its private key in \(folder): run `ocoptrace keys generate`"
        case .privateKeyMissing(let keyID, let path): "the private key of \(keyID) is not at \(path)"
        case .unreadablePrivateKey(let path): "\(path) is not an ocoptrace private key"
        case .unknownKey(let keyID): "no key \(keyID) in the registry"
        case .noPINKey(let folder):
            "no PIN key (\(PINKey.fileName)) in \(folder): scratch-off PINs are checked with the key `issue --scratch-pin` made there; name its folder with --keys"
        }
    }
}

/// The keys folder and the registry's record of keys: generation, rotation, retirement.
public struct KeyStore: Sendable {
    public let store: any RegistryStore
    public let folder: URL

    public init(store: any RegistryStore, folder: URL) {
        self.store = store
        self.folder = folder
    }

    /// A key as the registry records it.
    public typealias Record = SigningKeyRecord

    /// Creates a key pair: the private key file first (mode 0600, never overwritten), then the
    /// public key file, then the registry record.
    public func generate() async throws -> PublicStampKey {
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        let privateKey = Curve25519.Signing.PrivateKey()
        let raw = [UInt8](privateKey.publicKey.rawRepresentation)
        let publicKey = PublicStampKey(keyID: PublicStampKey.keyID(for: raw), rawKey: raw)
        let created = Timestamp.now()
        let privatePath = folder.appendingPathComponent(publicKey.keyID + ".key").path
        let privateText = "ocoptrace-private-key 1\nalgorithm: Ed25519\nkey-id: \(publicKey.keyID)\nprivate-key: \(Base64URL.encode(privateKey.rawRepresentation))\n"
        try KeyStore.writeNew(privatePath, privateText, mode: 0o600)
        try KeyStore.writeNew(folder.appendingPathComponent(publicKey.keyID + ".pub").path, publicKey.fileText(created: created), mode: 0o644)
        try await store.addSigningKey(Record(keyID: publicKey.keyID, publicKey: Base64URL.encode(raw), createdAt: created))
        return publicKey
    }

    /// Every key the registry knows, newest first.
    public func records() async throws -> [Record] {
        try await store.signingKeys()
    }

    /// Stops a key from signing anything new; what it signed keeps verifying.
    public func retire(_ keyID: String) async throws {
        guard try await store.retireSigningKey(keyID, at: Timestamp.now()) else { throw KeyError.unknownKey(keyID) }
    }

    /// The newest active key whose private key is in the folder.
    public func activeSigningKey() async throws -> SigningKey {
        for record in try await records() where record.isActive {
            let path = folder.appendingPathComponent(record.keyID + ".key").path
            guard FileManager.default.fileExists(atPath: path) else { continue }
            return try loadPrivateKey(path, expectedKeyID: record.keyID)
        }
        throw KeyError.noSigningKey(folder: folder.path)
    }

    /// The key that signed a batch: retired keys still complete what they started.
    public func signingKey(_ keyID: String) throws -> SigningKey {
        let path = folder.appendingPathComponent(keyID + ".key").path
        guard FileManager.default.fileExists(atPath: path) else { throw KeyError.privateKeyMissing(keyID: keyID, path: path) }
        return try loadPrivateKey(path, expectedKeyID: keyID)
    }

    /// Every public key in the registry, retired ones included: they still verify what they signed.
    public func publicKeys() async throws -> [PublicStampKey] {
        try await records().compactMap { record in
            Base64URL.decode(record.publicKey).map { PublicStampKey(keyID: record.keyID, rawKey: $0) }
        }
    }

    private func loadPrivateKey(_ path: String, expectedKeyID: String) throws -> SigningKey {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { throw KeyError.unreadablePrivateKey(path: path) }
        let line = text.split(whereSeparator: \.isNewline).first { $0.hasPrefix("private-key:") }
        guard let line, let raw = Base64URL.decode(String(line.dropFirst("private-key:".count)).trimmed),
              let key = try? Curve25519.Signing.PrivateKey(rawRepresentation: raw),
              PublicStampKey.keyID(for: [UInt8](key.publicKey.rawRepresentation)) == expectedKeyID
        else { throw KeyError.unreadablePrivateKey(path: path) }
        return SigningKey(keyID: expectedKeyID, privateKey: key)
    }

    /// Creates `path` exclusively with `mode` before writing to it, so a private key is never
    /// readable by others, not even for a moment, and an existing file is never replaced.
    static func writeNew(_ path: String, _ text: String, mode: mode_t) throws {
        let descriptor = open(path, O_WRONLY | O_CREAT | O_EXCL, mode)
        guard descriptor >= 0 else { throw KeyError.cannotWrite(path: path, reason: String(cString: strerror(errno))) }
        defer { close(descriptor) }
        let bytes = Array(text.utf8)
        let written = bytes.withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
        guard written == bytes.count, fsync(descriptor) == 0 else {
            throw KeyError.cannotWrite(path: path, reason: String(cString: strerror(errno)))
        }
    }
}

extension VerificationStore {
    /// Every public key the registry knows, retired ones included: they still verify what they signed.
    public func verificationKeys() async throws -> [PublicStampKey] {
        try await signingKeys().compactMap { key in Base64URL.decode(key.publicKey).map { PublicStampKey(keyID: key.keyID, rawKey: $0) } }
    }
}
