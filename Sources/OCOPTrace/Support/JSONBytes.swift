/// JSON written straight into UTF-8 bytes: for the registry's JSON columns, verification results
/// and JSON-LD, where a general encoder costs more than the work around it.
public struct JSONBytes {
    public private(set) var bytes: [UInt8] = []
    /// Also escape `<`, `>` and `&`, for JSON inside an HTML `<script>` data block.
    public var htmlSafe = false

    public init() {
        bytes.reserveCapacity(768)
    }

    public var text: String { String(decoding: bytes, as: UTF8.self) }

    var count: Int { bytes.count }

    /// Empties the buffer, keeping its capacity: for documents written out piece by piece.
    mutating func removeAll() {
        bytes.removeAll(keepingCapacity: true)
    }

    mutating func raw(_ other: [UInt8]) {
        bytes.append(contentsOf: other)
    }

    mutating func raw(_ byte: UInt8) {
        bytes.append(byte)
    }

    public mutating func raw(_ text: StaticString) {
        text.withUTF8Buffer { bytes.append(contentsOf: $0) }
    }

    public mutating func raw(_ text: String) {
        bytes.append(contentsOf: text.utf8)
    }

    public mutating func bool(_ value: Bool) {
        value ? raw("true") : raw("false")
    }

    public mutating func string(_ value: String?) {
        guard let value else { return raw("null") }
        bytes.append(UInt8(ascii: "\""))
        var copy = value
        copy.withUTF8 { utf8 in
            for byte in utf8 {
                switch byte {
                case UInt8(ascii: "\""): bytes.append(contentsOf: [92, 34])
                case UInt8(ascii: "\\"): bytes.append(contentsOf: [92, 92])
                case 0x0A: bytes.append(contentsOf: [92, 110])
                case 0x0D: bytes.append(contentsOf: [92, 114])
                case 0x09: bytes.append(contentsOf: [92, 116])
                case UInt8(ascii: "<") where htmlSafe: bytes.append(contentsOf: Array("\\u003c".utf8))
                case UInt8(ascii: ">") where htmlSafe: bytes.append(contentsOf: Array("\\u003e".utf8))
                case UInt8(ascii: "&") where htmlSafe: bytes.append(contentsOf: Array("\\u0026".utf8))
                case 0..<0x20:
                    let hex = Array("0123456789abcdef".utf8)
                    bytes.append(contentsOf: [92, 117, 48, 48, hex[Int(byte >> 4)], hex[Int(byte & 15)]])
                default: bytes.append(byte)
                }
            }
        }
        bytes.append(UInt8(ascii: "\""))
    }

    /// A JSON array of strings, as text.
    static func array(_ values: [String]) -> String {
        var out = JSONBytes()
        out.strings(values)
        return out.text
    }

    public mutating func strings(_ values: [String]) {
        bytes.append(UInt8(ascii: "["))
        for (index, value) in values.enumerated() {
            if index > 0 { bytes.append(UInt8(ascii: ",")) }
            string(value)
        }
        bytes.append(UInt8(ascii: "]"))
    }
}
