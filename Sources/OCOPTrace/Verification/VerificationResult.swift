/// The verdict on one input. JSON field names are stable and documented in the README.
public struct VerificationResult: Sendable, Encodable {
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
    /// Why the stamp got its status, with a stable code and a Vietnamese wording.
    public var explanation: VerificationReason
    /// The reason in English, as `verify --json` writes it.
    public var reason: String { explanation.english }
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
    /// What a genuine verdict warns of (an expired product, a suspected copy), each with a code.
    public var notes: [VerificationReason] = []
    public var warnings: [String] { notes.map(\.english) }
    /// "registry" or "offline".
    public var mode: String
    /// When the offline pack used was made (offline mode only).
    public var packCreated: String?
    public var checkedOn: String

    public var isGenuine: Bool { status == .genuine }

    enum CodingKeys: String, CodingKey {
        case input, status, reason, reasonCode = "reason_code", serial, stampID = "stamp_id", product, producer, lot
        case producedOn = "produced_on", expiresOn = "expires_on", productExpired = "product_expired", ocop, signature
        case scans, suspectedClone = "suspected_clone", warnings, mode, packCreated = "pack_created", checkedOn = "checked_on"
    }

    public func encode(to encoder: any Encoder) throws {
        // Absent facts are written as null, so every line has every field.
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(input, forKey: .input)
        try container.encode(status, forKey: .status)
        try container.encode(reason, forKey: .reason)
        try container.encode(explanation.code, forKey: .reasonCode)
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
    var summary: VerificationReason { .issued(producer: producer, product: productName, lot: lot) }
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

    public func malformed(_ input: String, _ reason: VerificationReason) -> VerificationResult {
        VerificationResult(input: input, status: .malformed, explanation: reason, mode: mode, checkedOn: today.iso)
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
        var result = VerificationResult(input: "", status: .genuine, explanation: record.summary, mode: mode, checkedOn: today.iso)
        describe(&result, record)
        return result
    }

    /// The verdict for an input whose serial the registry or pack knows (`record`) or not (nil).
    /// `facts` is ``described(_:)`` of the record when the caller has it at hand already.
    public func judge(input text: String, parsed: VerificationInput, record: StampRecord?, facts: VerificationResult? = nil) -> VerificationResult {
        guard let serial = parsed.serial else {
            if case .malformed(let reason) = parsed { return malformed(text, reason) }
            return malformed(text, .malformed("not a stamp"))
        }
        var result = facts ?? VerificationResult(input: text, status: .genuine, explanation: .fabricated, mode: mode, checkedOn: today.iso)
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
            result.explanation = .fabricated
            if urlSignature == "invalid" {
                result.status = .forged
                result.explanation = .signatureInvalid
            }
            return result
        }
        if facts == nil { describe(&result, record) }
        if case .url(let url) = parsed, let mismatch = mismatch(url, record) {
            result.status = .forged
            result.explanation = mismatch
            return result
        }
        if case .url(let url) = parsed {
            switch (record.signed, url.signature != nil, urlSignature) {
            case (_, true, "invalid"):
                result.status = .forged
                result.explanation = .signatureInvalid
                return result
            case (true, false, _):
                result.status = .forged
                result.explanation = .signatureStripped
                return result
            case (false, true, _):
                result.status = .forged
                result.explanation = .signatureAdded
                return result
            case (true, true, _) where record.signingKeyID != nil && url.signature?.keyID != record.signingKeyID:
                result.status = .forged
                result.explanation = .signatureWrongKey(named: url.signature!.keyID, issuedWith: record.signingKeyID!)
                return result
            case (true, true, "unchecked"):
                result.status = .unknown
                result.explanation = .signatureKeyMissing(url.signature!.keyID)
                return result
            default:
                break
            }
        }
        guard record.complete else {
            result.status = .pending
            result.explanation = .batchIncomplete
            return result
        }
        if let reason = record.revocationReason {
            result.status = .revoked
            result.explanation = .revoked(reason)
            return result
        }
        result.explanation = record.summary
        if result.productExpired { result.notes.append(.productExpired(record.expiresOn!)) }
        if let ocop = record.ocop, !ocop.isValid(on: today) { result.notes.append(.ocopNotValid(endedOn: ocop.expiresOn)) }
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
    private func mismatch(_ url: StampURL, _ record: StampRecord) -> VerificationReason? {
        if url.product != record.product { return .productMismatch(code: url.product.canonical, issued: record.product.canonical) }
        if url.lot != record.lot { return .lotMismatch(code: url.lot, issued: record.lot) }
        if url.producedOn != record.producedOn { return .producedMismatch(code: url.producedOn?.iso, issued: record.producedOn?.iso) }
        if url.expiresOn != record.expiresOn { return .expiryMismatch(code: url.expiresOn?.iso, issued: record.expiresOn?.iso) }
        if let resolver = record.resolver, url.resolver != resolver { return .resolverMismatch(code: url.resolver, issued: resolver) }
        return nil
    }
}
