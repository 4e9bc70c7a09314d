/// The verdict on one input. JSON field names are stable and documented in the README.
public struct VerificationResult: Sendable, Encodable {
    public typealias Status = VerificationStatus

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

    public typealias Scans = ScanHistory

    /// What the stamp's embedded signature says; the raw values are what `verify --json` writes.
    public enum Signature: String, Sendable, Codable {
        case valid, invalid
        /// The stamp carries no signature.
        case unsigned = "none"
        /// No key at hand for it.
        case unchecked
    }

    /// Where the verdict's facts come from; the raw values are what `verify --json` writes.
    public enum Mode: String, Sendable, Codable {
        case registry, offline
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
    public var signature = Signature.unsigned
    public var scans: Scans?
    public var suspectedClone = false
    /// The answer to a scratch-off PIN check, when one was made (`verify --pin`, the page's form).
    public var pin: PINOutcome?
    /// What a genuine verdict warns of (an expired product, a suspected copy), each with a code.
    public var notes: [VerificationReason] = []
    public var warnings: [String] { notes.map(\.english) }
    public var mode: Mode
    /// When the offline pack used was made (offline mode only).
    public var packCreated: String?
    /// Where the item has been, oldest first (the lot's stages …); empty when nothing is recorded
    /// or the stamp is not ours.
    public var journey: [Journey.Entry] = []
    public var checkedOn: String

    public var isGenuine: Bool { status == .genuine }

    enum CodingKeys: String, CodingKey {
        case input, status, reason, reasonCode = "reason_code", serial, stampID = "stamp_id", product, producer, lot
        case producedOn = "produced_on", expiresOn = "expires_on", productExpired = "product_expired", ocop, signature
        case scans, suspectedClone = "suspected_clone", pin, warnings, mode, packCreated = "pack_created", checkedOn = "checked_on", journey
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
        try container.encode(pin.map(PINJSON.init), forKey: .pin)
        try container.encode(warnings, forKey: .warnings)
        try container.encode(mode, forKey: .mode)
        try container.encode(packCreated, forKey: .packCreated)
        try container.encode(checkedOn, forKey: .checkedOn)
        try container.encode(journey, forKey: .journey)
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
    /// Whether the revocation is a recall of the lot (registry only).
    public var recalled = false

    /// What a genuine verdict says, e.g. "issued by HTX … for Nem chua …, lot NC2611A".
    var summary: VerificationReason { .issued(producer: producer, product: productName, lot: lot) }
}

extension ScanHistory {
    /// The history with one more scan, at `time` (the latest), at `location` when known: what
    /// the registry's history will be once it is stored.
    mutating func add(at time: String, location: String?) {
        count += 1
        firstAt = firstAt ?? time
        lastAt = max(lastAt ?? time, time)
        if let location, !locations.contains(location) {
            locations.append(location)
            locations.sort { $0.utf8.lexicographicallyPrecedes($1.utf8) }  // as the registry sorts them: by bytes
        }
    }
}

/// `pin` as `verify --json` writes it: `{state, activated_at}`.
struct PINJSON: Encodable {
    var state: String
    var activatedAt: String?

    init(_ outcome: PINOutcome) {
        state = outcome.state.rawValue
        activatedAt = outcome.activatedAt
    }

    enum CodingKeys: String, CodingKey {
        case state, activatedAt = "activated_at"
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(state, forKey: .state)
        try container.encode(activatedAt, forKey: .activatedAt)
    }
}
