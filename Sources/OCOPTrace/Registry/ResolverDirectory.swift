/// What the GS1 resolver needs from the registry: which GTINs are ours, and which of a request's
/// levels (lot, serial) are registered under them, so that a request walks up to what is there.
public struct ResolverDirectory: Sendable {
    public let store: any VerificationStore
    /// GTIN → product, for a few seconds: a redirect then costs no registry read.
    private let products = ExpiringCache<String, ResolverProduct?>(lifetime: 5)

    public init(store: any VerificationStore) {
        self.store = store
    }

    /// A GTIN of ours, with the levels of one request that the registry holds.
    public struct Entry: Sendable {
        public var gtin: GTIN
        public var productName: String
        public var producer: String
        public var province: String
        public var ocop: OCOPRecognition?
        /// The request's lot is an issued lot of this product.
        public var lotRegistered: Bool
        /// The request's serial is a stamp of this product.
        public var serialRegistered: Bool
    }

    /// The entry for `gtin`, or nil when no product has it. `lot` and `serial` are the request's;
    /// whether they are registered is looked up only when `levels` is asked for (linksets).
    public func lookup(gtin: GTIN, lot: String?, serial: String?, levels: Bool = true) async throws -> Entry? {
        let found = try await products.value(for: gtin.digits) { [store] in try await store.resolverProduct(gtin: gtin.digits) }
        guard let product = found else { return nil }
        var entry = Entry(gtin: gtin, productName: product.name, producer: product.producer, province: product.province, ocop: product.ocop,
                          lotRegistered: false, serialRegistered: false)
        guard levels, lot != nil || serial != nil else { return entry }
        (entry.lotRegistered, entry.serialRegistered) = try await store.registeredLevels(productID: product.id, lot: lot, serial: serial)
        return entry
    }
}
