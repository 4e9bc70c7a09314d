import Crypto
import Foundation
import Synchronization

/// Who scanned, as far as clone detection needs it and no further: a salted hash of the client's
/// network (IPv4 /24, IPv6 /48), never the address. Reloads from one network count once; copies of
/// a stamp show up as scans from many networks.
public struct ScanClient: Sendable, Hashable {
    /// 16 hex digits of SHA-256(salt, network).
    public var network: String

    public init(network: String) { self.network = network }

    /// The client for an address as text (`203.0.113.7`, `2001:db8::1`, `::ffff:203.0.113.7`).
    public init(address: String, salt: [UInt8]) {
        var hasher = SHA256()
        hasher.update(data: salt)
        hasher.update(data: Array(ScanClient.networkPrefix(of: address).utf8))
        network = Digest.hex(hasher.finalize().prefix(8))
    }

    /// The network an address belongs to: its /24 for IPv4, its /48 for IPv6.
    static func networkPrefix(of address: String) -> String {
        var text = address
        if let percent = text.firstIndex(of: "%") { text = String(text[..<percent]) }  // an IPv6 zone
        if text.lowercased().hasPrefix("::ffff:"), text.contains(".") { text = String(text.dropFirst(7)) }
        var v4 = in_addr()
        if inet_pton(AF_INET, text, &v4) == 1 {
            let bytes = withUnsafeBytes(of: v4.s_addr) { Array($0) }
            return "\(bytes[0]).\(bytes[1]).\(bytes[2]).0/24"
        }
        var v6 = in6_addr()
        if inet_pton(AF_INET6, text, &v6) == 1 {
            let bytes = withUnsafeBytes(of: v6) { Array($0) }
            return Digest.hex(bytes.prefix(6)) + "::/48"
        }
        return "unknown"
    }

    /// Link previews, crawlers and scripts fetch pages that no person scanned; they never count.
    /// Matched case-insensitively anywhere in the User-Agent; an empty User-Agent is a script too.
    public static func isAutomated(userAgent: String?) -> Bool {
        guard let userAgent, !userAgent.isEmpty else { return true }
        let lowered = userAgent.utf8.map { (65...90).contains($0) ? $0 | 0x20 : $0 }
        return lowered.withUnsafeBufferPointer { text in
            automatedMarkerBytes.contains { marker in
                guard text.count >= marker.count else { return false }
                let first = marker[0]
                outer: for start in 0...(text.count - marker.count) where text[start] == first {
                    for offset in 1..<marker.count where text[start + offset] != marker[offset] { continue outer }
                    return true
                }
                return false
            }
        }
    }

    static let automatedMarkers = [
        "bot", "crawl", "spider", "slurp", "preview", "facebookexternalhit", "facebookcatalog", "whatsapp", "telegram",
        "skypeuripreview", "embedly", "quora link", "pinterest", "vkshare", "w3c_validator", "curl/", "wget/", "python-",
        "go-http-client", "java/", "okhttp", "axios/", "node-fetch", "libwww", "httpclient", "headless", "lighthouse",
        "gs1", "resolver", "monitor", "uptime", "check_http",
    ]
    private static let automatedMarkerBytes = automatedMarkers.map { Array($0.utf8) }
}

/// The salt for ``ScanClient``: made once per registry and kept in it, so that several servers on
/// one registry hash alike, and a copy of the scan log alone cannot be matched against addresses.
public enum ScanSalt {
    static let secretName = "scan-salt"

    public static func load(from store: any VerificationStore) async throws -> [UInt8] {
        let candidate = (0..<32).map { _ in UInt8.random(in: .min ... .max) }  // SystemRandomNumberGenerator: the OS's CSPRNG
        let stored = try await store.registrySecret(named: secretName, candidate: Base64URL.encode(candidate))
        guard let salt = Base64URL.decode(stored), !salt.isEmpty else {
            throw RegistryError.failed(operation: "read the scan salt", reason: "the stored \(secretName) is not base64url")
        }
        return salt
    }
}
