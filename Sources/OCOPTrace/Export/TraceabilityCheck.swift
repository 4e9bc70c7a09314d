import Foundation

/// Which fields of the Vietnamese traceability minimum a product's catalog row, and each of its
/// lots' production diary, still lack, so that a cooperative can complete them before it issues stamps.
///
/// Circular 02/2024/TT-BKHCN asks every trace code for the product name and image, the producer's
/// name and address, stages with product and location trace codes and times, and the shelf life;
/// Decree 37/2026 (Art. 32, the digital product passport) adds the GTIN, the producer's ID, origin,
/// and production and expiry dates. Name, producer, province (origin) and price are required at
/// import, and production dates by stamp orders, so they are never missing here. Each lot (of a
/// stamp order or a diary) needs at least one stage with a place and a time (`no-stages`), and the
/// standard it was made under (`no-standard`), which the diary gives.
public struct TraceabilityCheck: Sendable {
    public let store: any ExportStore & ChainStore

    public init(store: any ExportStore & ChainStore) {
        self.store = store
    }

    /// One lot of a product (or a product with no lot yet) and what it lacks.
    public struct Finding: Sendable, Codable {
        /// `finding`, so that JSON Lines readers tell findings from the summary line.
        public var type = "finding"
        public var producer: String
        public var code: String
        public var name: String
        /// The lot (as stamps carry it); nil for a product that has no lot yet.
        public var lot: String?
        /// The lot's stages in its diary, and the standard it names.
        public var stages: Int?
        public var standard: String?
        public var complete: Bool
        /// Stable codes (`no-image`, `no-gtin`, ...), in a fixed order.
        public var missing: [String]
        /// The same, in words, in the language asked for.
        public var reasons: [String]
    }

    public struct Summary: Sendable, Codable {
        public var products: Int
        /// Lots checked, and findings (one per lot, or per product without a lot).
        public var lots: Int
        public var findings: Int
        /// Findings with nothing missing.
        public var complete: Int
        /// How many products lack each field, by code.
        public var missing: [String: Int]
    }

    /// What `product` lacks of the minimum, in a fixed order.
    public static func gaps(of product: StoredProduct) -> [ExportReason] {
        var gaps: [ExportReason] = []
        if product.images.isEmpty { gaps.append(.traceabilityNoImage) }
        // Since July 2025 an address is commune and province (districts were abolished); province is required at import.
        if product.commune?.trimmed.isEmpty ?? true { gaps.append(.traceabilityNoProducerAddress) }
        if product.taxID == nil { gaps.append(.traceabilityNoProducerID) }
        if needsShelfLife(product), product.shelfLifeDays == nil { gaps.append(.traceabilityNoShelfLife) }
        if product.gtin == nil { gaps.append(.traceabilityNoGTIN) }
        if product.gln == nil { gaps.append(.traceabilityNoLocationCode) }
        return gaps
    }

    /// Food, drinks and herbal products spoil; handicrafts, ornamental plants and tourism services
    /// have no shelf life ("if any", says the circular). A product of no stated group is asked for one.
    static func needsShelfLife(_ product: StoredProduct) -> Bool {
        guard let group = product.ocopGroup else { return true }
        switch group {
        case .food, .drinks, .herbal: return true
        case .handicrafts, .ornamental, .tourism: return false
        }
    }

    /// What a lot lacks of the minimum beyond its product's gaps.
    public static func gaps(of lot: LotStageSummary) -> [ExportReason] {
        var gaps: [ExportReason] = []
        if lot.locatedStages == 0 { gaps.append(.traceabilityNoStages) }
        if lot.standard == nil { gaps.append(.traceabilityNoStandard) }
        return gaps
    }

    /// Checks every product (of one producer or province when asked) and each of its lots, calling
    /// `body` with each finding as it is read (a product's lots in lot order; a product without a
    /// lot once), and returns the counts.
    public func run(producer: String? = nil, province: String? = nil, language: Language = .en,
                    _ body: (Finding) throws -> Void = { _ in }) async throws -> Summary {
        var summary = Summary(products: 0, lots: 0, findings: 0, complete: 0, missing: [:])
        let scope = ProducerScope(producer: producer, province: province)
        let lots = Dictionary(grouping: try await store.lotStageSummaries(), by: \.productID)
        for try await product in store.products(pageSize: ListingExporter.pageSize)
        where scope.includes(producer: product.producer, province: product.province) {
            let productGaps = Self.gaps(of: product)
            summary.products += 1
            let productLots = lots[product.id] ?? []
            summary.lots += productLots.count
            let checks: [(LotStageSummary?, [ExportReason])] = productLots.isEmpty ? [(nil, productGaps)]
                : productLots.map { ($0, productGaps + Self.gaps(of: $0)) }
            for (lot, gaps) in checks {
                summary.findings += 1
                if gaps.isEmpty { summary.complete += 1 }
                for gap in gaps { summary.missing[gap.code, default: 0] += 1 }
                try body(Finding(producer: product.producer, code: product.code, name: product.name, lot: lot?.lot, stages: lot?.stages,
                                 standard: lot?.standard, complete: gaps.isEmpty, missing: gaps.map(\.code),
                                 reasons: gaps.map { $0.text(language) }))
            }
        }
        return summary
    }
}
