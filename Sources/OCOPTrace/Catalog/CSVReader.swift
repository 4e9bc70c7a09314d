import Foundation

/// Reads CSV files as spreadsheets write them: UTF-8 with or without a byte-order mark, `,` or `;`
/// (or tab) as the delimiter, detected from the header row, LF or CRLF line ends, and quoted fields
/// that hold delimiters, doubled quotes and line breaks (RFC 4180).
///
/// The file is read in chunks, so memory stays flat however long it is.
public struct CSVReader: TableReader, Sendable {
    public let url: URL
    public var chunkSize: Int

    public init(url: URL, chunkSize: Int = 1 << 20) {
        self.url = url
        self.chunkSize = chunkSize
    }

    public func forEachRow(_ body: (RawRow, ReadPosition) throws -> Void) throws {
        let handle: FileHandle
        do {
            handle = try FileHandle(forReadingFrom: url)
        } catch {
            throw CatalogError.unreadable(file: url.path, reason: error.localizedDescription)
        }
        defer { try? handle.close() }
        let totalBytes = (try? FileManager.default.attributesOfItem(atPath: url.path)[.size] as? Int64) ?? 0

        var parser = CSVParser()
        var buffer: [UInt8] = []
        var consumedBytes: Int64 = 0
        var atEOF = false
        var rowNumber = 0
        var startChecked = false

        while true {
            if !atEOF {
                let chunk = try handle.read(upToCount: chunkSize) ?? Data()
                if chunk.isEmpty { atEOF = true } else { buffer.append(contentsOf: chunk) }
            }
            if rowNumber == 0 {
                // The byte-order mark is looked for once, when three bytes are in (a chunk may hold
                // fewer): looked for again while the first row is incomplete, a second one would go too.
                if !startChecked {
                    guard buffer.count >= 3 || atEOF else { continue }
                    if buffer.starts(with: [0xEF, 0xBB, 0xBF]) { buffer.removeFirst(3); consumedBytes += 3 }
                    if buffer.starts(with: [0xFF, 0xFE]) || buffer.starts(with: [0xFE, 0xFF]) {
                        throw CatalogError.unreadable(file: url.path, reason: "the file is UTF-16; save it as \"CSV UTF-8\"")
                    }
                    startChecked = true
                }
                // The delimiter is decided on the first row.
                guard let delimiter = CSVParser.detectDelimiter(in: buffer, complete: atEOF) else { continue }
                parser.delimiter = delimiter
            }
            var start = 0
            while let (fields, end) = parser.parseRecord(in: buffer, from: start, atEOF: atEOF) {
                rowNumber += 1
                var cells: [String] = []
                cells.reserveCapacity(fields.count)
                for field in fields {
                    guard let text = field.makeString(from: buffer) else {
                        throw CatalogError.notUTF8(file: url.path, row: rowNumber)
                    }
                    cells.append(text)
                }
                consumedBytes += Int64(end - start)
                start = end
                try body(RawRow(number: rowNumber, cells: cells),
                         ReadPosition(bytesRead: consumedBytes, totalBytes: totalBytes))
            }
            if atEOF { break }
            buffer.removeFirst(start)
        }
    }
}

/// The byte-level state machine behind ``CSVReader``.
struct CSVParser {
    var delimiter: UInt8 = UInt8(ascii: ",")

    /// A field as a range of the buffer, with a flag for doubled quotes that still need undoing.
    struct FieldRange {
        var start: Int
        var end: Int
        var hasEscapedQuotes: Bool

        func makeString(from buffer: [UInt8]) -> String? {
            buffer.withUnsafeBufferPointer { all in
                let bytes = UnsafeBufferPointer(rebasing: all[start..<end])
                if !hasEscapedQuotes { return String(validating: bytes, as: UTF8.self) }
                var unescaped: [UInt8] = []
                unescaped.reserveCapacity(bytes.count)
                var index = 0
                while index < bytes.count {
                    unescaped.append(bytes[index])
                    index += bytes[index] == 0x22 ? 2 : 1
                }
                return String(validating: unescaped, as: UTF8.self)
            }
        }
    }

    /// The delimiter of the header row: whichever of `,` `;` tab occurs most outside quotes.
    /// Returns nil when the first line is not complete in `buffer` yet.
    static func detectDelimiter(in buffer: [UInt8], complete: Bool) -> UInt8? {
        var counts: [UInt8: Int] = [UInt8(ascii: ","): 0, UInt8(ascii: ";"): 0, UInt8(ascii: "\t"): 0]
        var inQuotes = false
        var sawLineEnd = false
        for byte in buffer {
            if byte == 0x22 { inQuotes.toggle(); continue }
            if inQuotes { continue }
            if byte == 0x0A || byte == 0x0D { sawLineEnd = true; break }
            if counts[byte] != nil { counts[byte]! += 1 }
        }
        guard sawLineEnd || complete else { return nil }
        let best = counts.max { ($0.value, $1.key) < ($1.value, $0.key) }!
        return best.value > 0 ? best.key : UInt8(ascii: ",")
    }

    /// Parses the record that starts at `start`. Returns its fields and the index just past its line
    /// end, or nil when the buffer ends inside the record (and more input may follow) or is used up.
    func parseRecord(in buffer: [UInt8], from start: Int, atEOF: Bool) -> ([FieldRange], Int)? {
        let count = buffer.count
        guard start < count else { return nil }
        return buffer.withUnsafeBufferPointer { bytes -> ([FieldRange], Int)? in
            var fields: [FieldRange] = []
            var index = start
            while true {
                if index < count, bytes[index] == 0x22 {
                    // Quoted field: runs to the quote that is not doubled.
                    let contentStart = index + 1
                    var cursor = contentStart
                    var escaped = false
                    var closed = false
                    while cursor < count {
                        if bytes[cursor] == 0x22 {
                            if cursor + 1 < count, bytes[cursor + 1] == 0x22 {
                                escaped = true
                                cursor += 2
                                continue
                            }
                            if cursor + 1 == count, !atEOF { break }  // may be a doubled quote cut by the chunk
                            closed = true
                            break
                        }
                        cursor += 1
                    }
                    guard closed else {
                        if !atEOF { return nil }
                        // An unclosed quote at the end of the file: keep what there is.
                        fields.append(FieldRange(start: contentStart, end: count, hasEscapedQuotes: escaped))
                        return (fields, count)
                    }
                    let field = FieldRange(start: contentStart, end: cursor, hasEscapedQuotes: escaped)
                    index = cursor + 1
                    // Stray text between the closing quote and the delimiter (`"abc"def`) is dropped.
                    while index < count, bytes[index] != delimiter, bytes[index] != 0x0A, bytes[index] != 0x0D {
                        index += 1
                    }
                    fields.append(field)
                } else {
                    let fieldStart = index
                    while index < count, bytes[index] != delimiter, bytes[index] != 0x0A, bytes[index] != 0x0D {
                        index += 1
                    }
                    fields.append(FieldRange(start: fieldStart, end: index, hasEscapedQuotes: false))
                }
                if index >= count {
                    if !atEOF { return nil }
                    return (fields, count)
                }
                let byte = bytes[index]
                if byte == delimiter {
                    index += 1
                    if index >= count, atEOF {
                        fields.append(FieldRange(start: index, end: index, hasEscapedQuotes: false))
                        return (fields, count)
                    }
                    continue
                }
                // Line end: LF, CRLF or a lone CR.
                if byte == 0x0D {
                    if index + 1 >= count, !atEOF { return nil }
                    index += (index + 1 < count && bytes[index + 1] == 0x0A) ? 2 : 1
                } else {
                    index += 1
                }
                return (fields, index)
            }
        }
    }
}
