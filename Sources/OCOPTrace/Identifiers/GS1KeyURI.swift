/// The one canonical spelling of a GS1 key in a URI, as the CBV 2.0 event hash compares them.
///
/// The same carton or item is written many ways: as an EPC URN (`urn:epc:id:sscc:8938765.0000000123`),
/// on any resolver's domain (`https://id.example.vn/00/…`), with the lot before the serial
/// (`/01/…/10/LOT/21/SERIAL`), with a query string. ``canonical(_:)`` turns each into the
/// canonical GS1 Digital Link URI on `https://id.gs1.org` with the finest key only
/// (`/01/{gtin}/21/{serial}`), as the reference normaliser of the event hash does
/// (RalphTro/epcis-event-hash-generator `dl_normaliser.py`).
///
/// Covered: the keys of a traceability chain, SGTIN/LGTIN (AI 01 with 10 or 21), SSCC (00),
/// SGLN (414 with 254) and PGLN (417), as URNs and as Digital Link URIs; `gtin`, `sscc`, `gln`,
/// `party`, `lot` and `ser` path names. Other GS1 keys (GRAI, GIAI, GDTI …) are left as written:
/// ``canonical(_:)`` answers nil for them, as for any text that names no key.
public enum GS1KeyURI {
    /// The canonical Digital Link URI of the key `text` names, or nil when it names none of the keys covered.
    public static func canonical(_ text: String) -> String? {
        // Decided on the first bytes: the event hash asks about every value of an event (places,
        // actors, standards …), and most name no key at all.
        switch text.utf8.first {
        case UInt8(ascii: "u"):
            return text.hasPrefix("urn:epc:") ? fromURN(text) : nil
        case UInt8(ascii: "h"), UInt8(ascii: "H"):
            if isCanonical(text) { return text }
            return mayNameKey(text) ? fromDigitalLink(text) : nil
        default:
            return nil
        }
    }

    // MARK: EPC URNs

    private static func fromURN(_ urn: String) -> String? {
        if let sscc = SSCC(epcURN: urn) { return base + sscc.digitalLinkPath }
        for (scheme, kind) in [("urn:epc:id:sgtin:", 0), ("urn:epc:class:lgtin:", 1), ("urn:epc:idpat:sgtin:", 2),
                               ("urn:epc:id:sgln:", 3), ("urn:epc:id:pgln:", 4)] where urn.hasPrefix(scheme) {
            let parts = urn.dropFirst(scheme.count).split(separator: ".", maxSplits: kind == 4 ? 1 : 2, omittingEmptySubsequences: false)
            let prefix = parts[0]
            guard (6...12).contains(prefix.count), isDigits(prefix) else { return nil }
            switch kind {
            case 0, 1, 2:
                guard parts.count == 3, prefix.count + parts[1].count == 13, isDigits(parts[1]) else { return nil }
                let reference = parts[1]
                let gtin = withCheckDigit(String(reference.prefix(1) + prefix + reference.dropFirst()))
                if kind == 2 { return parts[2] == "*" ? base + "/01/" + gtin : nil }
                guard (1...20).contains(parts[2].count), isURNCharacters(parts[2]) else { return nil }
                return base + "/01/" + gtin + (kind == 0 ? "/21/" : "/10/") + percentEncoded(parts[2])
            case 3:
                guard parts.count == 3, prefix.count + parts[1].count == 12, isDigits(parts[1]) else { return nil }
                guard (1...20).contains(parts[2].count), isURNCharacters(parts[2]) else { return nil }
                let gln = withCheckDigit(String(prefix + parts[1]))
                return base + "/414/" + gln + (parts[2] == "0" ? "" : "/254/" + percentEncoded(parts[2]))
            default:
                guard parts.count == 2, prefix.count + parts[1].count == 12, isDigits(parts[1]) else { return nil }
                return base + "/417/" + withCheckDigit(String(prefix + parts[1]))
            }
        }
        return nil
    }

    // MARK: Digital Link URIs

    private static let base = StampURL.gs1CanonicalResolver
    /// The keys covered, and how many digits each has.
    private static let keyLengths: [String: Int] = ["00": 18, "01": 14, "414": 13, "417": 13]
    private static let pathNames = ["gtin": "01", "sscc": "00", "gln": "414", "party": "417", "lot": "10", "ser": "21", "cpv": "22"]

    /// Whether `uri` is already a canonical URI of a covered key, read from its bytes: the URIs
    /// ocoptrace writes into its own events (a lot's `…/01/{gtin}/10/{lot}`, a place's
    /// `…/414/{gln}`) are, and splitting them to find so was a tenth of hashing a diary's events.
    /// False for anything else, which ``fromDigitalLink(_:)`` then reads (a qualifier written as a
    /// path name, `…/10/lot`, included).
    private static func isCanonical(_ uri: String) -> Bool {
        let bytes = Array(uri.utf8)
        guard bytes.starts(with: canonicalStart) else { return false }
        var position = canonicalStart.count
        /// The bytes up to the next `/` or the end, and where they end.
        func segment() -> ArraySlice<UInt8> {
            let start = position
            while position < bytes.count, bytes[position] != UInt8(ascii: "/") { position += 1 }
            defer { if position < bytes.count { position += 1 } }
            return bytes[start..<position]
        }
        let ai = String(decoding: segment(), as: UTF8.self)
        guard let length = keyLengths[ai] else { return false }
        let key = segment()
        guard key.count == length, key.allSatisfy({ (48...57).contains($0) }) else { return false }
        if position == bytes.count { return bytes.last != UInt8(ascii: "/") }
        let qualifier = String(decoding: segment(), as: UTF8.self)
        guard (ai == "01" && (qualifier == "10" || qualifier == "21")) || (ai == "414" && qualifier == "254") else { return false }
        let value = segment()
        guard position == bytes.count, bytes.last != UInt8(ascii: "/"), (1...20).contains(value.count),
              value.allSatisfy({ $0 != UInt8(ascii: "?") }), isDigitalLinkCharacters(value),
              pathNames[String(decoding: value, as: UTF8.self)] == nil
        else { return false }
        return true
    }

    private static let canonicalStart = Array((base + "/").utf8)

    /// The path segments that name a covered key, between slashes: a URI holding none of them
    /// names no key, as most URIs of an event (its CBV vocabulary) do.
    private static let keySegments = (Array(keyLengths.keys) + pathNames.filter { keyLengths[$0.value] != nil }.map(\.key))
        .map { Array(("/" + $0 + "/").utf8) }

    /// Whether `uri` may name a key: it has a covered key's segment followed by another, which
    /// ``fromDigitalLink(_:)`` needs. A byte scan, much cheaper than splitting the path.
    private static func mayNameKey(_ uri: String) -> Bool {
        let bytes = Array(uri.utf8)
        for start in bytes.indices where bytes[start] == UInt8(ascii: "/") {
            for segment in keySegments where bytes.count - start >= segment.count
                && bytes[start..<start + segment.count].elementsEqual(segment) {
                return true
            }
        }
        return false
    }

    private static func fromDigitalLink(_ uri: String) -> String? {
        let lower = uri.prefix(8).lowercased()
        guard lower.hasPrefix("https://") || lower.hasPrefix("http://") else { return nil }
        var rest = uri.dropFirst(lower.hasPrefix("https://") ? 8 : 7)
        if let end = rest.firstIndex(where: { $0 == "?" || $0 == "#" }) { rest = rest[..<end] }
        var segments = rest.split(separator: "/", omittingEmptySubsequences: false).dropFirst().map { pathNames[String($0)] ?? String($0) }
        if segments.last == "" { segments.removeLast() }
        // The key is the first segment naming a covered AI whose value has at least five characters
        // (a resolver's own path may come before it).
        guard let start = segments.indices.first(where: { keyLengths[segments[$0]] != nil && $0 + 1 < segments.count
                  && segments[$0 + 1].count >= 5 && segments[$0 + 1].prefix(4).allSatisfy(\.isASCIIDigit) })
        else { return nil }
        var path = Array(segments[start...])
        guard path.count.isMultiple(of: 2) else { return nil }
        var pairs: [(ai: String, value: String)] = stride(from: 0, to: path.count, by: 2).map { (path[$0], path[$0 + 1]) }
        if pairs[0].ai == "01", isDigits(pairs[0].value), [8, 12, 13].contains(pairs[0].value.count) {
            pairs[0].value = String(repeating: "0", count: 14 - pairs[0].value.count) + pairs[0].value
        }
        pairs.removeAll { $0.ai == "22" }
        if pairs.contains(where: { $0.ai == "21" }) { pairs.removeAll { $0.ai == "10" } }
        guard let length = keyLengths[pairs[0].ai], pairs[0].value.count == length, isDigits(pairs[0].value) else { return nil }
        let qualifiers = pairs.dropFirst()
        switch ([pairs[0].ai] + qualifiers.map(\.ai)).joined(separator: "/") {
        case "00", "414", "417", "01", "01/21", "01/10", "414/254":
            guard qualifiers.allSatisfy({ $0.value.count <= 20 && isDigitalLinkCharacters($0.value) }) else { return nil }
        default:
            return nil
        }
        path = pairs.flatMap { [$0.ai, $0.value] }
        return base + "/" + path.joined(separator: "/")
    }

    // MARK: Characters

    private static func isDigits(_ text: some StringProtocol) -> Bool {
        !text.isEmpty && text.utf8.allSatisfy { (48...57).contains($0) }
    }

    private static func withCheckDigit(_ digits: String) -> String {
        digits + String(GTIN.checkDigit(forLeading: digits))
    }

    /// The characters an EPC URN allows in a serial, lot or extension (percent escapes included).
    private static func isURNCharacters(_ text: some StringProtocol) -> Bool {
        text.utf8.allSatisfy { byte in
            (48...57).contains(byte) || (65...90).contains(byte) || (97...122).contains(byte) || Array("!')(*+,.:;=_-%".utf8).contains(byte)
        }
    }

    /// The characters the canonical form admits in a serial or lot (as the reference normaliser's check).
    private static func isDigitalLinkCharacters(_ text: some StringProtocol) -> Bool {
        isDigitalLinkCharacters(text.utf8)
    }

    private static func isDigitalLinkCharacters(_ bytes: some Sequence<UInt8>) -> Bool {
        bytes.allSatisfy { byte in
            (48...57).contains(byte) || (65...90).contains(byte) || (97...122).contains(byte) || digitalLinkPunctuation.contains(byte)
        }
    }

    private static let digitalLinkPunctuation = Array("\"'-.;<=>?_".utf8)

    /// A URN's serial as a Digital Link path writes it: the characters Digital Link reserves, percent-encoded.
    private static func percentEncoded(_ text: some StringProtocol) -> String {
        var out = ""
        for character in text {
            switch character {
            case "!": out += "%21"
            case "(": out += "%28"
            case ")": out += "%29"
            case "*": out += "%2A"
            case "+": out += "%2B"
            case ",": out += "%2C"
            case ":": out += "%3A"
            default: out.append(character)
            }
        }
        return out
    }
}
