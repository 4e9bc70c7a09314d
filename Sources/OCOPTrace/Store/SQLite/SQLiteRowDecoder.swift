import Foundation
import GRDB

/// Decodes the registry's records from SQLite rows by column name, through the same `Decodable`
/// initialiser and `CodingKeys` that ``PostgresRowDecoder`` uses: a record's columns are listed
/// once, in its `CodingKeys`, for both engines.
///
/// Each cell is read with GRDB's typed fast path (`Row.decode(_:forColumn:)`), which is what a
/// hand-written `init(row:)` would do; GRDB's own `Decodable` support goes through far more
/// machinery, and the verification page reads two records per request.
struct SQLiteRowDecoder: Decoder {
    let row: Row
    var codingPath: [any CodingKey] { [] }
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    func container<Key: CodingKey>(keyedBy type: Key.Type) throws -> KeyedDecodingContainer<Key> {
        KeyedDecodingContainer(RowContainer<Key>(row: row))
    }

    func unkeyedContainer() throws -> any UnkeyedDecodingContainer {
        throw DecodingError.typeMismatch([Any].self, .init(codingPath: [], debugDescription: "a row is read by column name"))
    }

    func singleValueContainer() throws -> any SingleValueDecodingContainer {
        throw DecodingError.typeMismatch(Any.self, .init(codingPath: [], debugDescription: "a row is read by column name"))
    }

    private struct RowContainer<Key: CodingKey>: KeyedDecodingContainerProtocol {
        let row: Row
        var codingPath: [any CodingKey] { [] }
        var allKeys: [Key] { row.columnNames.compactMap { Key(stringValue: $0) } }

        func contains(_ key: Key) -> Bool { row.hasColumn(key.stringValue) }

        func decodeNil(forKey key: Key) throws -> Bool {
            try row.decode(DatabaseValue.self, forColumn: key.stringValue).isNull
        }

        // The types records hold, each read with one lookup of its column through GRDB's fast
        // path; an optional one reads as `Value?` (a missing column or NULL is nil), never as a
        // presence check followed by a read.
        func decode(_ type: String.Type, forKey key: Key) throws -> String { try row.decode(type, forColumn: key.stringValue) }
        func decode(_ type: Int.Type, forKey key: Key) throws -> Int { try row.decode(type, forColumn: key.stringValue) }
        func decode(_ type: Int64.Type, forKey key: Key) throws -> Int64 { try row.decode(type, forColumn: key.stringValue) }
        func decode(_ type: Double.Type, forKey key: Key) throws -> Double { try row.decode(type, forColumn: key.stringValue) }
        func decode(_ type: Bool.Type, forKey key: Key) throws -> Bool { try row.decode(type, forColumn: key.stringValue) }
        func decodeIfPresent(_ type: String.Type, forKey key: Key) throws -> String? {
            try row.decode(String?.self, forColumn: key.stringValue)
        }
        func decodeIfPresent(_ type: Int.Type, forKey key: Key) throws -> Int? { try row.decode(Int?.self, forColumn: key.stringValue) }
        func decodeIfPresent(_ type: Int64.Type, forKey key: Key) throws -> Int64? {
            try row.decode(Int64?.self, forColumn: key.stringValue)
        }
        func decodeIfPresent(_ type: Double.Type, forKey key: Key) throws -> Double? {
            try row.decode(Double?.self, forColumn: key.stringValue)
        }
        func decodeIfPresent(_ type: Bool.Type, forKey key: Key) throws -> Bool? { try row.decode(Bool?.self, forColumn: key.stringValue) }

        /// The registry's own column types (GTIN, GLN, statuses): whatever SQLite can convert.
        func decode<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T {
            try cell(convertible(type, key), key) as! T
        }

        func decodeIfPresent<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T? {
            try optionalCell(convertible(type, key), key) as! T?
        }

        private func convertible<T>(_ type: T.Type, _ key: Key) throws -> any DatabaseValueConvertible.Type {
            guard let convertible = type as? any DatabaseValueConvertible.Type else {
                throw DecodingError.typeMismatch(type, .init(codingPath: [key], debugDescription:
                    "column \(key.stringValue): \(type) is not a value SQLite stores"))
            }
            return convertible
        }

        /// One cell as `Value`; a value that does not convert (a stored GTIN whose check digit is
        /// wrong) is GRDB's error naming the column and the row.
        private func cell<Value: DatabaseValueConvertible>(_ type: Value.Type, _ key: Key) throws -> Value {
            try row.decode(type, forColumn: key.stringValue)
        }

        private func optionalCell<Value: DatabaseValueConvertible>(_ type: Value.Type, _ key: Key) throws -> Value? {
            try row.decode(Value?.self, forColumn: key.stringValue)
        }

        func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type, forKey key: Key) throws -> KeyedDecodingContainer<NestedKey> {
            throw DecodingError.typeMismatch(type, .init(codingPath: [key], debugDescription: "a column holds one value"))
        }

        func nestedUnkeyedContainer(forKey key: Key) throws -> any UnkeyedDecodingContainer {
            throw DecodingError.typeMismatch([Any].self, .init(codingPath: [key], debugDescription: "a column holds one value"))
        }

        func superDecoder() throws -> any Decoder { SQLiteRowDecoder(row: row) }
        func superDecoder(forKey key: Key) throws -> any Decoder { SQLiteRowDecoder(row: row) }
    }
}

/// A record the store reads with ``SQLiteRowDecoder``: its `Decodable` initialiser is the one
/// column list, for SQLite as for PostgreSQL.
public protocol SQLiteDecodedRecord: FetchableRecord, Decodable {}

extension SQLiteDecodedRecord {
    public init(row: Row) throws {
        try self.init(from: SQLiteRowDecoder(row: row))
    }
}
