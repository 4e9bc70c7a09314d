extension VerificationResult {
    /// The result as one line of JSON, the same document `Codable` writes, built directly into
    /// bytes: JSONEncoder (and even String concatenation) costs more than the verification itself
    /// when checking a file of URLs.
    public var jsonLine: String {
        var out = JSONBytes()
        out.raw("{\"input\":"); out.string(input)
        out.raw(",\"status\":"); out.string(status.rawValue)
        out.raw(",\"reason\":"); out.string(reason)
        out.raw(",\"reason_code\":"); out.string(explanation.code)
        out.raw(",\"serial\":"); out.string(serial)
        out.raw(",\"stamp_id\":"); out.string(stampID)
        out.raw(",\"product\":")
        if let product {
            out.raw("{\"code\":"); out.string(product.code)
            out.raw(",\"name\":"); out.string(product.name)
            out.raw(",\"gtin\":"); out.string(product.gtin)
            out.raw("}")
        } else {
            out.raw("null")
        }
        out.raw(",\"producer\":")
        if let producer {
            out.raw("{\"name\":"); out.string(producer.name)
            out.raw(",\"province\":"); out.string(producer.province)
            out.raw("}")
        } else {
            out.raw("null")
        }
        out.raw(",\"lot\":"); out.string(lot)
        out.raw(",\"produced_on\":"); out.string(producedOn)
        out.raw(",\"expires_on\":"); out.string(expiresOn)
        out.raw(",\"product_expired\":"); out.bool(productExpired)
        out.raw(",\"ocop\":")
        if let ocop {
            out.raw("{\"stars\":"); out.raw(String(ocop.stars))
            out.raw(",\"recognized_on\":"); out.string(ocop.recognizedOn)
            out.raw(",\"valid_until\":"); out.string(ocop.validUntil)
            out.raw(",\"valid\":"); out.bool(ocop.valid)
            out.raw("}")
        } else {
            out.raw("null")
        }
        out.raw(",\"signature\":"); out.string(signature.rawValue)
        out.raw(",\"scans\":")
        if let scans {
            out.raw("{\"count\":"); out.raw(String(scans.count))
            out.raw(",\"first_at\":"); out.string(scans.firstAt)
            out.raw(",\"last_at\":"); out.string(scans.lastAt)
            out.raw(",\"locations\":"); out.strings(scans.locations)
            out.raw("}")
        } else {
            out.raw("null")
        }
        out.raw(",\"suspected_clone\":"); out.bool(suspectedClone)
        out.raw(",\"pin\":")
        if let pin {
            out.raw("{\"state\":"); out.string(pin.state.rawValue)
            out.raw(",\"activated_at\":"); out.string(pin.activatedAt)
            out.raw("}")
        } else {
            out.raw("null")
        }
        out.raw(",\"warnings\":"); out.strings(warnings)
        out.raw(",\"mode\":"); out.string(mode.rawValue)
        out.raw(",\"pack_created\":"); out.string(packCreated)
        out.raw(",\"checked_on\":"); out.string(checkedOn)
        out.raw(",\"journey\":[")
        for (index, entry) in journey.enumerated() {
            if index > 0 { out.raw(",") }
            out.raw("{\"stage\":"); out.string(entry.stage)
            out.raw(",\"stage_vi\":"); out.string(entry.stageVietnamese)
            out.raw(",\"stage_en\":"); out.string(entry.stageEnglish)
            out.raw(",\"biz_step\":"); out.string(entry.bizStep)
            out.raw(",\"place\":"); out.string(entry.place)
            out.raw(",\"commune\":"); out.string(entry.commune)
            out.raw(",\"province\":"); out.string(entry.province)
            out.raw(",\"gln\":"); out.string(entry.gln)
            out.raw(",\"from\":"); out.string(entry.from)
            out.raw(",\"to\":"); out.string(entry.to)
            out.raw(",\"at\":"); out.string(entry.at)
            out.raw(",\"actor\":"); out.string(entry.actor)
            out.raw(",\"standard\":"); out.string(entry.standard)
            out.raw(",\"certificate\":"); out.string(entry.certificate)
            out.raw("}")
        }
        out.raw("]}")
        return out.text
    }
}
