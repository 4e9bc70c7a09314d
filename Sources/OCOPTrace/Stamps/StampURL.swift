import Foundation

/// What a stamp's QR code holds: a URL under the registry's resolver domain.
///
/// With a GTIN it is a GS1 Digital Link URI, `https://{resolver}/01/{GTIN-14}/10/{lot}/21/{serial}`;
/// without one, the same shape with the producer's product code under `p`:
/// `https://{resolver}/p/{product code}/10/{lot}/21/{serial}` (AI 01 must hold a real GTIN). The
/// production date (AI 11) and expiry date (AI 17) follow as query attributes when known, and an
/// embedded signature as AI 8030.
public struct StampURL: Hashable, Sendable {
    public enum ProductKey: Hashable, Sendable {
        case gtin(GTIN)
        case code(String)

        /// The product as the signed canonical string names it: `01:{GTIN-14}` or `p:{code}`.
        public var canonical: String {
            switch self {
            case .gtin(let gtin): "01:" + gtin.digits
            case .code(let code): "p:" + code
            }
        }
    }

    /// Scheme, host and optional path prefix, e.g. `https://id.ocoptrace.vn`.
    public var resolver: String
    public var product: ProductKey
    public var lot: String
    public var serial: Serial
    public var producedOn: CalendarDate?
    public var expiresOn: CalendarDate?
    public var signature: EmbeddedSignature?
    /// Query attributes that are neither ours nor GS1's, kept as found.
    public var otherAttributes: [(String, String)] = []

    public init(resolver: String, product: ProductKey, lot: String, serial: Serial, producedOn: CalendarDate?,
                expiresOn: CalendarDate?, signature: EmbeddedSignature? = nil) {
        self.resolver = resolver
        self.product = product
        self.lot = lot
        self.serial = serial
        self.producedOn = producedOn
        self.expiresOn = expiresOn
        self.signature = signature
    }

    public static func == (lhs: StampURL, rhs: StampURL) -> Bool { lhs.text == rhs.text }
    public func hash(into hasher: inout Hasher) { hasher.combine(text) }

    /// The URL as encoded in the QR code.
    public var text: String {
        var url = StampURL.itemPrefix(resolver: resolver, product: product, lot: lot) + serial.text
        var query: [String] = []
        if let producedOn { query.append("11=" + producedOn.gs1) }
        if let expiresOn { query.append("17=" + expiresOn.gs1) }
        if let signature { query.append("8030=" + signature.text) }
        for (key, value) in otherAttributes { query.append(StampURL.percentEncoded(key) + "=" + StampURL.percentEncoded(value)) }
        if !query.isEmpty { url += "?" + query.joined(separator: "&") }
        return url
    }

    /// GS1's own resolver: canonical Digital Link URIs (`https://id.gs1.org/01/{GTIN}/21/{serial}`)
    /// name an item wherever it is read, whichever resolver its stamp points at.
    public static let gs1CanonicalResolver = "https://id.gs1.org"

    /// The URL up to the serial, without query attributes: every stamp of a lot shares it
    /// (`{resolver}/01/{GTIN}/10/{lot}/21/` or `{resolver}/p/{code}/10/{lot}/21/`).
    public static func itemPrefix(resolver: String, product: ProductKey, lot: String) -> String {
        var url = resolver
        switch product {
        case .gtin(let gtin): url += "/01/" + gtin.digits
        case .code(let code): url += "/p/" + StampURL.percentEncoded(code)
        }
        return url + "/10/" + StampURL.percentEncoded(lot) + "/21/"
    }

    /// The canonical GS1 Digital Link URI of a serialised item, up to the serial (GS1's canonical
    /// form leaves the lot out: GTIN and serial already name the item); nil without a GTIN, whose
    /// stamps are named by ``itemPrefix(resolver:product:lot:)`` under their own resolver.
    public static func canonicalItemPrefix(product: ProductKey) -> String? {
        guard case .gtin(let gtin) = product else { return nil }
        return gs1CanonicalResolver + "/01/" + gtin.digits + "/21/"
    }

    /// Escapes everything but `A-Z a-z 0-9 - . _ ~`, as GS1 Digital Link requires (`/` → `%2F`).
    public static func percentEncoded(_ text: String) -> String {
        var out = ""
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
                 UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "~"):
                out.unicodeScalars.append(Unicode.Scalar(byte))
            default:
                let hex = Array("0123456789ABCDEF".utf8)
                out += "%" + String(decoding: [hex[Int(byte >> 4)], hex[Int(byte & 15)]], as: UTF8.self)
            }
        }
        return out
    }

    /// A resolver base as given by a user: lower-case scheme and host, no trailing slash.
    public static func normalisedResolver(_ text: String) throws(ParseError) -> String {
        let trimmed = text.trimmed
        guard let schemeEnd = trimmed.range(of: "://") else { throw .notAResolver(text) }
        let scheme = trimmed[..<schemeEnd.lowerBound].lowercased()
        guard scheme == "https" || scheme == "http" else { throw .notAResolver(text) }
        var rest = trimmed[schemeEnd.upperBound...]
        while rest.hasSuffix("/") { rest = rest.dropLast() }
        let hostEnd = rest.firstIndex(of: "/") ?? rest.endIndex
        let host = rest[..<hostEnd].lowercased()
        guard !host.isEmpty, host.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "." || $0 == "-" || $0 == ":") }),
              !rest.contains("?"), !rest.contains("#")
        else { throw .notAResolver(text) }
        return scheme + "://" + host + rest[hostEnd...]
    }
}
