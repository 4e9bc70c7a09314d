import OCOPTrace

/// A request path as the resolver reads it: which route it takes, before any registry lookup.
///
/// `/p/…` (a product without a GTIN) is routed before Digital Link parsing: it is no GS1 URI and
/// must never get a GS1 400. Everything else that is not one of our own routes is read strictly as
/// a GS1 Digital Link URI, and a syntax error is a 400 naming what is wrong.
enum ResolverRoute: Equatable {
    /// `/01/{gtin}[/22/…][/10/…][/21/…]` or `/01/{gtin}/235/…`.
    case digitalLink(DigitalLinkPath)
    /// `/v/…`: the verification page, the default link's target; or `/p/…`, served directly.
    /// The path is the stamp's own path (`/01/…` or `/p/…`), still percent-encoded; `link` is that
    /// path read as a Digital Link, for `/01/…`.
    case stampPage(stampPath: String, link: DigitalLinkPath?)
    /// `/eh…` or `/ex…`: an EPC binary string as a compressed Digital Link URI, decoded.
    case compressed(CompressedEPC)
    /// `/ocop/01/{gtin}`: the OCOP recognition of a product (`gs1:certificationInfo`).
    case certification(GTIN)
    /// `/00/{sscc}` (GS1 Digital Link for an SSCC) or `/c/{code}` (a carton code of ours): a
    /// carton's page; the key is read with its check digit.
    case carton(CartonKey)
    /// `/epcis/01/{gtin}/10/{lot}[/21/{serial}]`: the item's EPCIS events (`gs1:traceability`).
    case traceability(DigitalLinkPath)
    /// `/.well-known/gs1resolver`.
    case descriptionFile
    /// `/`.
    case home
    /// Not a path we or GS1 know: 400 with the reason.
    case malformed(String)

    init(path rawPath: String) {
        var path = rawPath
        // A trailing slash is tolerated (GS1 resolver 1.2, §5.25), once.
        if path.count > 1, path.hasSuffix("/") { path.removeLast() }
        if path == "/" || path.isEmpty { self = .home; return }
        if path == "/.well-known/gs1resolver" { self = .descriptionFile; return }
        if path.hasPrefix("/p/") { self = .stampPage(stampPath: path, link: nil); return }
        for name in ["00", CartonKey.localPathName] where path.hasPrefix("/" + name + "/") {
            let key = path.dropFirst(name.count + 2)
            guard !key.contains("/") else {
                self = .malformed("/\(name)/ takes one key and no qualifier")
                return
            }
            guard name != "00" || (key.count == 18 && key.utf8.allSatisfy { (48...57).contains($0) }) else {
                self = .malformed("\"\(excerpt(key))\" is not an SSCC (18 digits)")
                return
            }
            do {
                self = .carton(try CartonKey(parsing: String(key)))
            } catch {
                self = .malformed(error.description)
            }
            return
        }
        if path.hasPrefix("/v/p/") { self = .stampPage(stampPath: String(path.dropFirst(2)), link: nil); return }
        if path.hasPrefix("/v/01/") {
            let stampPath = String(path.dropFirst(2))
            switch DigitalLinkPath.parse(stampPath) {
            case .path(let link): self = .stampPage(stampPath: stampPath, link: link)
            case .malformed(let reason): self = .malformed(reason)
            }
            return
        }
        if path.hasPrefix("/epcis/01/") {
            switch DigitalLinkPath.parse(String(path.dropFirst("/epcis".count))) {
            case .path(let link) where link.lot != nil: self = .traceability(link)
            case .path: self = .malformed("/epcis/01/{gtin} needs a lot (/10/{lot}): events are kept per lot")
            case .malformed(let reason): self = .malformed(reason)
            }
            return
        }
        if path.hasPrefix("/ocop/01/") {
            let gtinText = String(path.dropFirst("/ocop/01/".count))
            guard !gtinText.contains("/"), let gtin = DigitalLinkPath.gtin(gtinText) else {
                self = .malformed("/ocop/01/ needs one valid GTIN")
                return
            }
            self = .certification(gtin)
            return
        }
        let segment = path.dropFirst()
        if !segment.contains("/"), CompressedEPC.matches(segment) {
            do {
                self = .compressed(try CompressedEPC(decoding: segment))
            } catch {
                self = .malformed("\(excerpt(segment)) is a compressed EPC binary string that does not decode: \(error)")
            }
            return
        }
        switch DigitalLinkPath.parse(path) {
        case .path(let parsed): self = .digitalLink(parsed)
        case .malformed(let reason): self = .malformed(reason)
        }
    }
}

/// A GS1 Digital Link URI path for a GTIN, checked strictly: 14-digit GTIN (8, 12 and 13 digits are
/// padded) with a valid check digit, then the key qualifiers in the order 22, 10, 21, or 235 alone.
struct DigitalLinkPath: Equatable {
    var gtin: GTIN
    var variant: String?
    var lot: String?
    var serial: String?
    /// AI 235 (third-party controlled serial), the alternative to the 22/10/21 chain.
    var tpx: String?

    enum Parsed: Equatable {
        case path(DigitalLinkPath)
        case malformed(String)
    }

    /// AIs that are data attributes: they belong in the query string, never in the path.
    private static let dataAttributes: Set<String> = [
        "11", "12", "13", "15", "16", "17", "30", "37", "240", "241", "242", "250", "251", "253", "254", "310", "3100", "3101",
        "3102", "3103", "422", "423", "424", "425", "426", "7003", "8008", "8030",
    ]

    /// The primary keys GS1 defines besides 01: well-formed elsewhere, never ours.
    private static let otherPrimaryKeys: Set<String> = [
        "253", "255", "401", "402", "414", "417", "8003", "8004", "8006", "8010", "8013", "8017", "8018",
    ]

    static func gtin(_ text: String) -> GTIN? {
        guard [8, 12, 13, 14].contains(text.utf8.count), text.utf8.allSatisfy({ (48...57).contains($0) }) else { return nil }
        return try? GTIN(parsing: text)
    }

    static func parse(_ path: String) -> Parsed {
        let segments = path.split(separator: "/", omittingEmptySubsequences: false).dropFirst().map(String.init)
        guard let key = segments.first, !key.isEmpty else { return .malformed("empty path") }
        guard key == "01" else {
            if otherPrimaryKeys.contains(key) { return .malformed("/\(key)/ is a GS1 primary key this resolver does not serve") }
            if dataAttributes.contains(key) { return .malformed("/\(key)/ is a data attribute: it belongs in the query string") }
            return .malformed("/\(excerpt(key)) is not a GS1 Digital Link path (it starts /01/{GTIN})")
        }
        guard segments.count >= 2 else { return .malformed("/01/ has no GTIN") }
        let gtinText = segments[1]
        guard !gtinText.isEmpty, gtinText.utf8.allSatisfy({ (48...57).contains($0) }), [8, 12, 13, 14].contains(gtinText.utf8.count) else {
            return .malformed("\"\(excerpt(gtinText))\" is not a GTIN (8, 12, 13 or 14 digits)")
        }
        guard let gtin = gtin(gtinText) else {
            return .malformed("the GTIN \(gtinText) has a wrong check digit")
        }
        var result = DigitalLinkPath(gtin: gtin)
        var index = 2
        var lastPosition = -1
        while index < segments.count {
            let ai = segments[index]
            guard index + 1 < segments.count else {
                return .malformed("/\(excerpt(ai)) has no value: a path is /01/{GTIN} then pairs of AI and value")
            }
            let raw = segments[index + 1]
            guard !raw.isEmpty else { return .malformed("AI \(excerpt(ai)) has an empty value") }
            guard let value = try? StampURL.percentDecoded(raw) else { return .malformed("AI \(excerpt(ai)) has a broken percent-escape") }
            let position: Int
            switch ai {
            case "22": position = 0
            case "10": position = 1
            case "21": position = 2
            case "235": position = 3
            default:
                if dataAttributes.contains(ai) { return .malformed("AI \(ai) is a data attribute: it belongs in the query string, not the path") }
                return .malformed("/\(excerpt(ai))/ is not a key qualifier of a GTIN (22, 10, 21 or 235)")
            }
            if position == 3, lastPosition >= 0 { return .malformed("AI 235 cannot be combined with 22, 10 or 21") }
            if lastPosition == 3 { return .malformed("AI 235 cannot be combined with 22, 10 or 21") }
            guard position > lastPosition else { return .malformed("the qualifiers are out of order: GS1 requires 22, then 10, then 21") }
            guard value.utf8.count <= (position == 3 ? 28 : 20), value.unicodeScalars.allSatisfy(LotNumber.isCSET82) else {
                return .malformed("AI \(ai) holds \"\(excerpt(value))\", which is not 1 to 20 characters of GS1 character set 82")
            }
            lastPosition = position
            switch position {
            case 0: result.variant = value
            case 1: result.lot = value
            case 2: result.serial = value
            default: result.tpx = value
            }
            index += 2
        }
        return .path(result)
    }

    /// The path, each value percent-encoded as GS1 Digital Link writes it.
    var text: String {
        var out = "/01/" + gtin.digits
        if let variant { out += "/22/" + StampURL.percentEncoded(variant) }
        if let lot { out += "/10/" + StampURL.percentEncoded(lot) }
        if let serial { out += "/21/" + StampURL.percentEncoded(serial) }
        if let tpx { out += "/235/" + StampURL.percentEncoded(tpx) }
        return out
    }
}

extension DigitalLinkPath {
    init(gtin: GTIN) {
        self.gtin = gtin
    }
}

/// The first 40 Unicode scalars of a piece of a request, for a 400's reason. Not `prefix(40)`:
/// that counts Characters, and one Character can be a letter with thousands of combining marks.
private func excerpt(_ text: some StringProtocol) -> String {
    String(String.UnicodeScalarView(text.unicodeScalars.prefix(40)))
}
