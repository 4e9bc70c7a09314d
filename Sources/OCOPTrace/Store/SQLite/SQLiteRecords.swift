import Foundation
import GRDB

// Every record SQLite reads, decoded through its `CodingKeys` by SQLiteRowDecoder: the same
// column names PostgreSQL decodes it by, written once in the record.
extension ImportedCategoryTree: SQLiteDecodedRecord {}
extension IssuableProduct: SQLiteDecodedRecord {}
extension IssuedBatch: SQLiteDecodedRecord {}
extension JobEntry: SQLiteDecodedRecord {}
extension PackBatch: SQLiteDecodedRecord {}
extension PackStamp: SQLiteDecodedRecord {}
extension ProductCandidate: SQLiteDecodedRecord {}
extension ResolverProduct: SQLiteDecodedRecord {}
extension RevocationEvent: SQLiteDecodedRecord {}
extension ScanHistoryRow: SQLiteDecodedRecord {}
extension ScanListingRow: SQLiteDecodedRecord {}
extension SigningKeyRecord: SQLiteDecodedRecord {}
extension StampBatch: SQLiteDecodedRecord {}
extension StampOrderToIssue: SQLiteDecodedRecord {}
extension StoredProducer: SQLiteDecodedRecord {}
extension StoredProduct: SQLiteDecodedRecord {}
extension StoredStampOrder: SQLiteDecodedRecord {}
extension StoredStampRow: SQLiteDecodedRecord {}

// The registry's typed columns as SQLite reads them: a value that does not read back (a GTIN with
// a wrong check digit, an unknown producer type or status) is an error of the row, never a silent `nil`.
extension GTIN: DatabaseValueConvertible {}
extension GLN: DatabaseValueConvertible {}
extension ProducerType: DatabaseValueConvertible {}
extension OCOPGroup: DatabaseValueConvertible {}
extension StampBatch.Status: DatabaseValueConvertible {}
extension StampOrderStatus: DatabaseValueConvertible {}
extension JobOutcome: DatabaseValueConvertible {}

extension GS1Key where Self: DatabaseValueConvertible {
    public var databaseValue: DatabaseValue { digits.databaseValue }

    public static func fromDatabaseValue(_ dbValue: DatabaseValue) -> Self? {
        String.fromDatabaseValue(dbValue).flatMap { try? Self(parsing: $0) }
    }
}

// Scratch-off PIN checks (issue 24).
extension StampPINRow: SQLiteDecodedRecord {}
