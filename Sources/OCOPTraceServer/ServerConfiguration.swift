import Foundation
import OCOPTrace

/// How `ocoptrace serve` runs.
public struct ServerConfiguration: Sendable {
    public var host: String
    public var port: Int
    /// The public resolver root the stamps were issued under (`https://id.ocoptrace.vn`): links,
    /// anchors and the description file use it, whatever Host a proxy sends.
    public var baseURL: String
    /// The resolver's name in the description file.
    public var name: String
    /// Who runs it, for the description file.
    public var contact: String?
    /// Keys to check embedded signatures (AI 8030) with, besides the registry's own.
    public var publicKeys: [PublicStampKey]
    /// More counted scans than this make a stamp a suspected copy (as `verify --clone-threshold`).
    public var cloneThreshold: Int
    /// The folder of `pin-hmac.key` (the keys folder): without the key, the page checks no PINs.
    public var keysFolder: URL? = nil
    /// Seconds within which a second scan of a stamp from the same network does not count.
    public var reloadWindow: Double
    /// Take the client's address from `X-Forwarded-For` (set by the TLS proxy in front) when the
    /// connection comes from the loopback address; otherwise every scan would come from the proxy.
    public var trustProxy: Bool
    /// Sizes and timeouts of requests and connections.
    public var limits = HTTPLimits()
    /// Where `/metrics`, `/healthz` and `/readyz` are served; nil: nowhere. Never the public address.
    public var adminAddress: (host: String, port: Int)?
    /// Where scans the registry did not take before the server stopped are saved, to be written at
    /// the next start.
    public var scanSpool: URL?
    /// The longest a page waits for its scan to be committed before it says the count is unavailable.
    public var scanWaitLimit: Duration = .milliseconds(500)
    /// At a stop, how long the scan writer keeps trying a registry that refuses scans before it
    /// saves them to ``scanSpool``.
    public var scanCloseLimit: Duration = .seconds(5)

    public init(host: String = "127.0.0.1", port: Int = 8080, baseURL: String, name: String = "ocoptrace resolver",
                contact: String? = nil, publicKeys: [PublicStampKey] = [], cloneThreshold: Int = 5, reloadWindow: Double = 300,
                trustProxy: Bool = true) {
        self.host = host
        self.port = port
        self.baseURL = baseURL
        self.name = name
        self.contact = contact
        self.publicKeys = publicKeys
        self.cloneThreshold = cloneThreshold
        self.reloadWindow = reloadWindow
        self.trustProxy = trustProxy
    }
}
