extension StoredStamp {
    /// What the registry knows about the stamp, as verdicts compare it.
    public var record: StampRecord {
        var record = StampRecord(
            serial: serial, product: gtin.map(StampURL.ProductKey.gtin) ?? .code(productCode), productCode: productCode,
            productName: productName, producer: producer, province: province, lot: lot, producedOn: producedOn, expiresOn: expiresOn,
            resolver: resolver, signed: signed, complete: batchStatus == .issued, revocationReason: revocationReason, ocop: ocop)
        record.signingKeyID = keyID
        record.recalled = recalled
        return record
    }
}
