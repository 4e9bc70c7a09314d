extension ScanListing {
    /// Every scanned stamp with its history, most recently scanned first: of one lot (as typed, or
    /// its code), or only the suspected copies.
    public static func fetch(from store: any VerificationStore, lot: String? = nil, suspectedOnly: Bool = false,
                             cloneThreshold: Int = CloneRule().threshold) async throws -> [ScanListing] {
        let cloneRule = CloneRule(threshold: cloneThreshold)
        let lotCode = lot.map { (try? LotNumber(transliterating: $0).code) ?? $0 }
        return try await store.scanListings(lot: lotCode)
            .map { listing in
                var listing = listing
                listing.suspectedClone = cloneRule.isSuspected(scans: listing.scans, locations: listing.locations)
                return listing
            }
            .filter { !suspectedOnly || $0.suspectedClone }
    }
}
