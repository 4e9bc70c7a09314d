/// The verdict on one input. JSON field names are stable and documented in the README.
public struct VerificationResult: Sendable, Codable {
    public enum Status: String, Sendable, Codable {
        /// Issued, complete, not revoked, and every field agrees with the record.
        case genuine
        /// Issued, then revoked (a lost or recalled roll); `reason` says why.
        case revoked
        /// Well-formed, but no such serial was issued: fabricated.
        case unknown
        /// A bad signature, a signature stripped or added, or fields that disagree with the record.
        case forged
        /// Not a stamp of ours: wrong syntax, bad check digit or check character, another QR code.
        case malformed
        /// Its batch never completed: not (yet) a valid stamp.
        case pending
    }

    public struct Product: Sendable, Codable, Equatable {
        public var code: String
        public var name: String
        public var gtin: String?
    }

    public struct Producer: Sendable, Codable, Equatable {
        public var name: String
        public var province: String
    }

    public struct OCOP: Sendable, Codable, Equatable {
        public var stars: Int
        public var recognizedOn: String?
        public var validUntil: String?
        /// Whether the recognition holds on the day of the check.
        public var valid: Bool

        enum CodingKeys: String, CodingKey {
            case stars, recognizedOn = "recognized_on", validUntil = "valid_until", valid
        }
    }

    public struct Scans: Sendable, Codable, Equatable {
        /// Verifications recorded for this serial, this one included.
        public var count: Int
        public var firstAt: String?
        public var lastAt: String?
        public var locations: [String]

        enum CodingKeys: String, CodingKey {
            case count, firstAt = "first_at", lastAt = "last_at", locations
        }
    }

    public var input: String
    public var status: Status
    public var reason: String
    public var serial: String?
    public var stampID: String?
    public var product: Product?
    public var producer: Producer?
    public var lot: String?
    public var producedOn: String?
    public var expiresOn: String?
    /// The product's own expiry date has passed: a warning, not a forgery.
    public var productExpired = false
    public var ocop: OCOP?
    /// "valid", "invalid", "none" (no signature), or "unchecked" (no key for it).
    public var signature = "none"
    public var scans: Scans?
    public var suspectedClone = false
    public var warnings: [String] = []
    /// "registry" or "offline".
    public var mode: String
    /// When the offline pack used was made (offline mode only).
    public var packCreated: String?
    public var checkedOn: String

    public var isGenuine: Bool { status == .genuine }

    enum CodingKeys: String, CodingKey {
        case input, status, reason, serial, stampID = "stamp_id", product, producer, lot
        case producedOn = "produced_on", expiresOn = "expires_on", productExpired = "product_expired", ocop, signature
        case scans, suspectedClone = "suspected_clone", warnings, mode, packCreated = "pack_created", checkedOn = "checked_on"
    }

    public func encode(to encoder: any Encoder) throws {
        // Absent facts are written as null, so every line has every field.
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(input, forKey: .input)
        try container.encode(status, forKey: .status)
        try container.encode(reason, forKey: .reason)
        try container.encode(serial, forKey: .serial)
        try container.encode(stampID, forKey: .stampID)
        try container.encode(product, forKey: .product)
        try container.encode(producer, forKey: .producer)
        try container.encode(lot, forKey: .lot)
        try container.encode(producedOn, forKey: .producedOn)
        try container.encode(expiresOn, forKey: .expiresOn)
        try container.encode(productExpired, forKey: .productExpired)
        try container.encode(ocop, forKey: .ocop)
        try container.encode(signature, forKey: .signature)
        try container.encode(scans, forKey: .scans)
        try container.encode(suspectedClone, forKey: .suspectedClone)
        try container.encode(warnings, forKey: .warnings)
        try container.encode(mode, forKey: .mode)
        try container.encode(packCreated, forKey: .packCreated)
        try container.encode(checkedOn, forKey: .checkedOn)
    }
}

/// What the registry or an offline pack knows about one issued serial.
public struct StampRecord: Sendable {
    public var serial: Serial
    public var product: StampURL.ProductKey
    public var productCode: String
    public var productName: String
    public var producer: String
    public var province: String
    public var lot: String
    public var producedOn: CalendarDate?
    public var expiresOn: CalendarDate?
    /// The resolver the stamp was issued under; nil where the pack does not say.
    public var resolver: String?
    /// Whether the stamp was issued with an embedded signature.
    public var signed: Bool
    /// The key that signed it, where known (the registry knows; a pack does not say).
    public var signingKeyID: String? = nil
    public var complete: Bool
    public var revocationReason: String?
    public var ocop: OCOPRecognition?

    /// What a genuine verdict says, e.g. "issued by HTX … for Nem chua …, lot NC2611A".
    var summary: String { "issued by \(producer) for \(productName), lot \(lot)" }
}

/// The decisions both modes share: given what is known about a serial, what the input is.
public struct StampJudge: Sendable {
    public let publicKeys: [PublicStampKey]
    public let today: CalendarDate
    public let mode: String

    public init(publicKeys: [PublicStampKey], today: CalendarDate = .today(), mode: String) {
        self.publicKeys = publicKeys
        self.today = today
        self.mode = mode
    }

    public func malformed(_ input: String, _ reason: String) -> VerificationResult {
        VerificationResult(input: input, status: .malformed, reason: reason, mode: mode, checkedOn: today.iso)
    }

    /// Checks an embedded signature against the keys at hand.
    public func signatureState(of url: StampURL) -> String {
        guard let signature = url.signature else { return "none" }
        let candidates = publicKeys.filter { $0.keyID == signature.keyID }
        guard !candidates.isEmpty else { return "unchecked" }
        let fields = SignedStampFields(url)
        return candidates.contains { $0.isValid(signature, for: fields) } ? "valid" : "invalid"
    }

    /// The verdict for an input whose serial the registry or pack knows (`record`) or not (nil).
    /// The facts of a record (product, producer, lot, dates, OCOP), as a result to fill in.
    public func described(_ record: StampRecord) -> VerificationResult {
        var result = VerificationResult(input: "", status: .genuine, reason: record.summary, mode: mode, checkedOn: today.iso)
        describe(&result, record)
        return result
    }

    /// The verdict for an input whose serial the registry or pack knows (`record`) or not (nil).
    /// `facts` is ``described(_:)`` of the record when the caller has it at hand already.
    public func judge(input text: String, parsed: VerificationInput, record: StampRecord?, facts: VerificationResult? = nil) -> VerificationResult {
        guard let serial = parsed.serial else {
            if case .malformed(let reason) = parsed { return malformed(text, reason) }
            return malformed(text, "not a stamp")
        }
        var result = facts ?? VerificationResult(input: text, status: .genuine, reason: "", mode: mode, checkedOn: today.iso)
        result.input = text
        result.serial = serial.text
        result.stampID = StampID(serial: serial).formatted
        var urlSignature = "none"
        if case .url(let url) = parsed {
            urlSignature = signatureState(of: url)
            result.signature = urlSignature
        }
        guard let record else {
            result.product = nil
            result.producer = nil
            result.status = .unknown
            result.reason = "no stamp with this serial was issued: the stamp is fabricated"
            if urlSignature == "invalid" {
                result.status = .forged
                result.reason = "the embedded signature does not verify"
            }
            return result
        }
        if facts == nil { describe(&result, record) }
        if case .url(let url) = parsed, let mismatch = mismatch(url, record) {
            result.status = .forged
            result.reason = mismatch
            return result
        }
        if case .url(let url) = parsed {
            switch (record.signed, url.signature != nil, urlSignature) {
            case (_, true, "invalid"):
                result.status = .forged
                result.reason = "the embedded signature does not verify: the stamp was altered or forged"
                return result
            case (true, false, _):
                result.status = .forged
                result.reason = "this stamp was issued with a signature, and the scanned code has none: it was stripped"
                return result
            case (false, true, _):
                result.status = .forged
                result.reason = "this stamp was issued without a signature, and the scanned code carries one"
                return result
            case (true, true, _) where record.signingKeyID != nil && url.signature?.keyID != record.signingKeyID:
                result.status = .forged
                result.reason = "the signature names key \(url.signature!.keyID), and this stamp was signed with key \(record.signingKeyID!)"
                return result
            case (true, true, "unchecked"):
                result.status = .unknown
                result.reason = "signed with key \(url.signature!.keyID), whose public key was not given: the signature cannot be checked"
                return result
            default:
                break
            }
        }
        guard record.complete else {
            result.status = .pending
            result.reason = "its batch was never completed: the stamp is not valid"
            return result
        }
        if let reason = record.revocationReason {
            result.status = .revoked
            result.reason = "revoked: \(reason)"
            return result
        }
        result.reason = record.summary
        if result.productExpired { result.warnings.append("the product expired on \(record.expiresOn!.iso)") }
        if let ocop = result.ocop, !ocop.valid { result.warnings.append("the OCOP recognition is not valid today (\(ocop.validUntil.map { "it ended \($0)" } ?? "no recognition date"))") }
        return result
    }

    private func describe(_ result: inout VerificationResult, _ record: StampRecord) {
        let gtin: String? = if case .gtin(let gtin) = record.product { gtin.digits } else { nil }
        result.product = .init(code: record.productCode, name: record.productName, gtin: gtin)
        result.producer = .init(name: record.producer, province: record.province)
        result.lot = record.lot
        result.producedOn = record.producedOn?.iso
        result.expiresOn = record.expiresOn?.iso
        result.productExpired = record.expiresOn.map { $0 < today } ?? false
        if let ocop = record.ocop {
            result.ocop = .init(stars: ocop.stars, recognizedOn: ocop.recognizedOn?.iso, validUntil: ocop.expiresOn?.iso, valid: ocop.isValid(on: today))
        }
    }

    /// The first field of the URL that disagrees with the record.
    private func mismatch(_ url: StampURL, _ record: StampRecord) -> String? {
        if url.product != record.product {
            return "the product in the code (\(url.product.canonical)) is not the product this serial was issued for (\(record.product.canonical))"
        }
        if url.lot != record.lot { return "the lot in the code (\(url.lot)) is not this serial's lot (\(record.lot))" }
        if url.producedOn != record.producedOn {
            return "the production date in the code (\(url.producedOn?.iso ?? "none")) is not the issued one (\(record.producedOn?.iso ?? "none"))"
        }
        if url.expiresOn != record.expiresOn {
            return "the expiry date in the code (\(url.expiresOn?.iso ?? "none")) is not the issued one (\(record.expiresOn?.iso ?? "none"))"
        }
        if let resolver = record.resolver, url.resolver != resolver {
            return "the code points to \(url.resolver), not to \(resolver) where this stamp was issued"
        }
        return nil
    }
}
