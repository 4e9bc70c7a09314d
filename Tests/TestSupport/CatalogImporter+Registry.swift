import OCOPTrace

extension CatalogImporter {
    /// An importer on a SQLite `Registry`'s file, for the tests of stages that still take a
    /// `Registry` rather than a store: the import goes through the store, the rest of the test as before.
    public init(registry: Registry) throws {
        self.init(store: try SQLiteStore(path: registry.path, access: .readWrite))
    }
}
