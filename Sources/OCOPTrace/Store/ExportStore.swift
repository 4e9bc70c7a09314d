import Foundation

/// What listings, marketplace exports, EPCIS documents and category trees need of the registry.
///
/// Long listings (products, a batch's stamps) are ``PagedSequence``s in key order: memory stays at
/// one page and no read transaction stays open while the consumer writes its files.
public protocol ExportStore: Sendable {
    // MARK: Products

    /// Every product with its producer, by id, `pageSize` at a time.
    func products(pageSize: Int) -> PagedSequence<StoredProduct, Int64>
    /// Product codes that more than one producer uses.
    func sharedProductCodes() async throws -> Set<String>
    /// How many issued, unrevoked stamps each product has, by product id (products with none left out).
    func unrevokedStampCounts() async throws -> [Int64: Int]
    /// How many of each thing the registry holds.
    func registryCounts() async throws -> RegistryCounts

    // MARK: Stamp events (EPCIS)

    /// The issued batches, oldest issue first (ties by id); only those of `lot` when given, a lot
    /// matched as coded (`Lo-1`) or as written on the order (`Lô 1`, `label`).
    func issuedBatches(lot: String?, label: String?) async throws -> [IssuedBatch]
    /// A batch's stamps in sequence order, `pageSize` at a time.
    func serials(ofBatch batchID: Int64, pageSize: Int) -> PagedSequence<StampSerial, Int64>
    /// A batch's revocations (stamps revoked together with one reason), oldest first; only those
    /// at or after `since` (an ISO 8601 UTC timestamp, as stored) when given.
    func revocations(ofBatch batchID: Int64, since: String?) async throws -> [RevocationEvent]
    /// The stamps of one revocation, in sequence order, `pageSize` at a time.
    func serials(of revocation: RevocationEvent, pageSize: Int) -> PagedSequence<StampSerial, Int64>

    // MARK: Category trees

    /// The tree imported for a platform, if any (a registry made before trees could be imported has none).
    func importedCategoryTree(_ platform: Marketplace) async throws -> StoredCategoryTree?
    /// Replaces the platform's tree whole, in one transaction: all of it or, on any error, nothing.
    func replaceCategoryTree(_ imported: ImportedCategoryTree, entries: [CategoryEntry]) async throws
}
