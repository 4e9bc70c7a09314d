import Foundation

/// A JSON value as read, for documents whose shape is checked before it is trusted (EPCIS
/// documents from partners, and the schema that checks them).
///
/// Numbers are read as `Double` (JSON Schema's `integer` is then a number without a fraction);
/// the members of an object lose their order, which no reader here depends on.
enum JSONValue: Decodable, Hashable, Sendable {
    case null
    case bool(Bool)
    case number(Double)
    case string(String)
    case array([JSONValue])
    case object([String: JSONValue])

    /// Reads a JSON text.
    static func parse(_ data: Data) throws -> JSONValue {
        try JSONDecoder().decode(JSONValue.self, from: data)
    }

    init(from decoder: any Decoder) throws {
        if let container = try? decoder.container(keyedBy: Key.self) {
            var object: [String: JSONValue] = [:]
            for key in container.allKeys { object[key.stringValue] = try container.decode(JSONValue.self, forKey: key) }
            self = .object(object)
        } else if var container = try? decoder.unkeyedContainer() {
            var array: [JSONValue] = []
            while !container.isAtEnd { array.append(try container.decode(JSONValue.self)) }
            self = .array(array)
        } else {
            let container = try decoder.singleValueContainer()
            if container.decodeNil() {
                self = .null
            } else if let bool = try? container.decode(Bool.self) {
                self = .bool(bool)
            } else if let number = try? container.decode(Double.self) {
                self = .number(number)
            } else {
                self = .string(try container.decode(String.self))
            }
        }
    }

    struct Key: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    /// The value written back as compact JSON, members sorted by name.
    var jsonText: String {
        var out = JSONBytes()
        write(into: &out)
        return out.text
    }

    func write(into out: inout JSONBytes) {
        switch self {
        case .null: out.raw("null")
        case .bool(let bool): out.raw(bool ? "true" : "false")
        case .number(let number): out.raw(number == number.rounded() && abs(number) < 9.2e18 ? String(Int64(number)) : "\(number)")
        case .string(let text): out.string(text)
        case .array(let items):
            out.raw("[")
            for (index, item) in items.enumerated() {
                if index > 0 { out.raw(",") }
                item.write(into: &out)
            }
            out.raw("]")
        case .object(let members):
            out.raw("{")
            for (index, (name, value)) in members.sorted(by: { $0.key < $1.key }).enumerated() {
                if index > 0 { out.raw(",") }
                out.string(name)
                out.raw(":")
                value.write(into: &out)
            }
            out.raw("}")
        }
    }

    subscript(key: String) -> JSONValue? {
        if case .object(let members) = self { return members[key] }
        return nil
    }

    var stringValue: String? {
        if case .string(let text) = self { return text }
        return nil
    }
}
