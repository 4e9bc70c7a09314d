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
    /// Seconds within which a second scan of a stamp from the same network does not count.
    public var reloadWindow: Double
    /// Take the client's address from `X-Forwarded-For` (set by the TLS proxy in front) when the
    /// connection comes from the loopback address; otherwise every scan would come from the proxy.
    public var trustProxy: Bool

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
