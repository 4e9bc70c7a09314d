/// The decisions both modes share: given what is known about a serial, what the input is.
public struct StampJudge: Sendable {
    public let publicKeys: [PublicStampKey]
    public let today: CalendarDate
    public let mode: VerificationResult.Mode

    public init(publicKeys: [PublicStampKey], today: CalendarDate = .today(), mode: VerificationResult.Mode) {
        self.publicKeys = publicKeys
        self.today = today
        self.mode = mode
    }

    public func malformed(_ input: String, _ reason: VerificationReason) -> VerificationResult {
        VerificationResult(input: input, status: .malformed, explanation: reason, mode: mode, checkedOn: today.iso)
    }

    /// Checks an embedded signature against the keys at hand.
    public func signatureState(of url: StampURL) -> VerificationResult.Signature {
        guard let signature = url.signature else { return .unsigned }
        let candidates = publicKeys.filter { $0.keyID == signature.keyID }
        guard !candidates.isEmpty else { return .unchecked }
        let fields = SignedStampFields(url)
        return candidates.contains { $0.isValid(signature, for: fields) } ? .valid : .invalid
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
        var urlSignature = VerificationResult.Signature.unsigned
        if case .url(let url) = parsed {
            urlSignature = signatureState(of: url)
            result.signature = urlSignature
        }
        guard let record else {
            result.product = nil
            result.producer = nil
            result.status = .unknown
            result.explanation = .fabricated
            if urlSignature == .invalid {
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
            case (_, true, .invalid):
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
            case (true, true, .unchecked):
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
            result.explanation = record.recalled ? .recalled(reason) : .revoked(reason)
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
