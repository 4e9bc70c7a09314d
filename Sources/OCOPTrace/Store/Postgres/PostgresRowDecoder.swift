import Foundation
import PostgresNIO

/// Decodes the registry's `Codable` records from PostgreSQL rows by column name, with the same
/// `CodingKeys` the SQLite side reads them with: one record type, both engines.
///
/// Integers of any width decode from `BIGINT`, `INTEGER` and `SMALLINT`; `Bool` decodes from
/// `BOOLEAN` or from a 0/1 integer (SQLite's booleans, kept as integers in both schemas); a `NULL`
/// is `nil`. Nested `Decodable` values (enums with raw values, say) decode from their one cell.
struct PostgresRowDecoder: Decoder {
    let row: PostgresRandomAccessRow
    var codingPath: [any CodingKey] = []
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    func container<Key: CodingKey>(keyedBy type: Key.Type) throws -> KeyedDecodingContainer<Key> {
        KeyedDecodingContainer(RowContainer<Key>(row: row, codingPath: codingPath))
    }

    func unkeyedContainer() throws -> any UnkeyedDecodingContainer {
        throw DecodingError.typeMismatch([Any].self, .init(codingPath: codingPath, debugDescription: "a row is read by column name"))
    }

    /// A row of one column decodes as that column's value (`SELECT count(*) …` as `Int`).
    func singleValueContainer() throws -> any SingleValueDecodingContainer {
        guard row.count == 1 else {
            throw DecodingError.typeMismatch(Any.self, .init(codingPath: codingPath, debugDescription: "the row has \(row.count) columns, not one"))
        }
        return CellDecoder(cell: row[0], codingPath: codingPath)
    }

    private struct RowContainer<Key: CodingKey>: KeyedDecodingContainerProtocol {
        let row: PostgresRandomAccessRow
        let codingPath: [any CodingKey]
        var allKeys: [Key] { (0..<row.count).compactMap { Key(stringValue: row[$0].columnName) } }

        func contains(_ key: Key) -> Bool { row.contains(key.stringValue) }

        private func cell(_ key: Key) throws -> CellDecoder {
            guard row.contains(key.stringValue) else {
                throw DecodingError.keyNotFound(key, .init(codingPath: codingPath, debugDescription: "no column \(key.stringValue)"))
            }
            return CellDecoder(cell: row[key.stringValue], codingPath: codingPath + [key])
        }

        func decodeNil(forKey key: Key) throws -> Bool { try cell(key).decodeNil() }

        func decode<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T {
            try cell(key).decode(type)
        }

        func decodeIfPresent<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T? {
            guard row.contains(key.stringValue) else { return nil }
            let cell = try cell(key)
            return cell.decodeNil() ? nil : try cell.decode(type)
        }

        func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type, forKey key: Key) throws -> KeyedDecodingContainer<NestedKey> {
            throw DecodingError.typeMismatch(type, .init(codingPath: codingPath + [key], debugDescription: "a column holds one value"))
        }

        func nestedUnkeyedContainer(forKey key: Key) throws -> any UnkeyedDecodingContainer {
            throw DecodingError.typeMismatch([Any].self, .init(codingPath: codingPath + [key], debugDescription: "a column holds one value"))
        }

        func superDecoder() throws -> any Decoder { PostgresRowDecoder(row: row, codingPath: codingPath) }
        func superDecoder(forKey key: Key) throws -> any Decoder { try cell(key) }
    }
}

/// One cell, as a decoder of one value.
private struct CellDecoder: Decoder, SingleValueDecodingContainer {
    let cell: PostgresCell
    let codingPath: [any CodingKey]
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    func container<Key: CodingKey>(keyedBy type: Key.Type) throws -> KeyedDecodingContainer<Key> {
        throw DecodingError.typeMismatch(type, .init(codingPath: codingPath, debugDescription: "a column holds one value"))
    }
    func unkeyedContainer() throws -> any UnkeyedDecodingContainer {
        throw DecodingError.typeMismatch([Any].self, .init(codingPath: codingPath, debugDescription: "a column holds one value"))
    }
    func singleValueContainer() throws -> any SingleValueDecodingContainer { self }

    func decodeNil() -> Bool { cell.bytes == nil }

    private func integer() throws -> Int64 {
        switch cell.dataType {
        case .int2: Int64(try cell.decode(Int16.self))
        case .int4: Int64(try cell.decode(Int32.self))
        case .numeric: try wholeNumber(try cell.decode(Decimal.self))
        default: try cell.decode(Int64.self)
        }
    }

    /// A NUMERIC read as an integer (`SUM` of integers is one): a fraction or a number beyond
    /// `Int64` is an error, never a wrong count.
    private func wholeNumber(_ number: Decimal) throws -> Int64 {
        // A whole Decimal is written without a point, so only a whole number that fits reads back.
        guard let value = Int64(number.description) else {
            throw DecodingError.dataCorruptedError(in: self, debugDescription: "the NUMERIC \(number) is not a whole number of 64 bits")
        }
        return value
    }

    private func integer<T: FixedWidthInteger>(_ type: T.Type) throws -> T {
        let value = try integer()
        guard let converted = T(exactly: value) else {
            throw DecodingError.dataCorruptedError(in: self, debugDescription: "\(value) does not fit \(T.self)")
        }
        return converted
    }

    func decode(_ type: Bool.Type) throws -> Bool {
        cell.dataType == .bool ? try cell.decode(Bool.self) : try integer() != 0
    }
    func decode(_ type: String.Type) throws -> String { try cell.decode(String.self) }
    func decode(_ type: Double.Type) throws -> Double {
        switch cell.dataType {
        case .float4: Double(try cell.decode(Float.self))
        case .int2, .int4, .int8: Double(try integer())
        default: try cell.decode(Double.self)
        }
    }
    func decode(_ type: Float.Type) throws -> Float { Float(try decode(Double.self)) }
    func decode(_ type: Int.Type) throws -> Int { try integer(type) }
    func decode(_ type: Int8.Type) throws -> Int8 { try integer(type) }
    func decode(_ type: Int16.Type) throws -> Int16 { try integer(type) }
    func decode(_ type: Int32.Type) throws -> Int32 { try integer(type) }
    func decode(_ type: Int64.Type) throws -> Int64 { try integer() }
    func decode(_ type: UInt.Type) throws -> UInt { try integer(type) }
    func decode(_ type: UInt8.Type) throws -> UInt8 { try integer(type) }
    func decode(_ type: UInt16.Type) throws -> UInt16 { try integer(type) }
    func decode(_ type: UInt32.Type) throws -> UInt32 { try integer(type) }
    func decode(_ type: UInt64.Type) throws -> UInt64 { try integer(type) }

    func decode<T: Decodable>(_ type: T.Type) throws -> T {
        switch type {
        case is Bool.Type: return try decode(Bool.self) as! T
        case is String.Type: return try decode(String.self) as! T
        case is Double.Type: return try decode(Double.self) as! T
        case is Int.Type: return try decode(Int.self) as! T
        case is Int64.Type: return try decode(Int64.self) as! T
        case is Int32.Type: return try decode(Int32.self) as! T
        default: return try T(from: self)
        }
    }
}

extension PostgresRowSequence {
    /// Every row, decoded as `T` by column name (or, for one column, as its value).
    func decodeAll<T: Decodable>(_ type: T.Type) async throws -> [T] {
        var values: [T] = []
        for try await row in self {
            values.append(try T(from: PostgresRowDecoder(row: row.makeRandomAccess())))
        }
        return values
    }
}

extension PostgresRow {
    /// The row decoded as `T` by column name (or, for one column, as its value).
    func decoded<T: Decodable>(as type: T.Type) throws -> T {
        try T(from: PostgresRowDecoder(row: makeRandomAccess()))
    }
}
