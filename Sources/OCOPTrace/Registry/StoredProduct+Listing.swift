extension StoredProduct {
    /// Every product (of the producers whose name contains `producer`, case and accents ignored, or
    /// of one province), ordered by producer and code as `ocoptrace products` lists them: by code
    /// point, as SQLite orders text, on either engine.
    public static func list(in store: any ExportStore, producer: String? = nil, province: String? = nil) async throws -> [StoredProduct] {
        let scope = ProducerScope(producer: producer, province: province)
        var products: [StoredProduct] = []
        for try await product in store.products(pageSize: 1_000) where scope.includes(producer: product.producer, province: product.province) {
            products.append(product)
        }
        return products.sorted { first, second in
            if first.producer != second.producer { return first.producer.utf8.lexicographicallyPrecedes(second.producer.utf8) }
            if first.code != second.code { return first.code.utf8.lexicographicallyPrecedes(second.code.utf8) }
            return first.id < second.id
        }
    }
}
