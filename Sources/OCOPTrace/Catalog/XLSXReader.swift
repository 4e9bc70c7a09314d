import Foundation
import ZIPFoundation

/// Reads the first sheet of an Excel workbook (`.xlsx`, Office Open XML) with a real unzip and XML
/// parser: shared and inline strings, numbers, booleans, formula results, and dates stored as serial
/// numbers (recognised by their cell style) are turned into the text a person sees in the cell.
public struct XLSXReader: TableReader, Sendable {
    public let url: URL

    /// The most XML one part of a workbook may inflate to. A catalog of 100,000 products is a sheet
    /// of about 65 MB; anything near this is not a catalog.
    public static let maximumPartBytes: UInt64 = 1 << 30
    /// The most a part may inflate by, once it is past `ratioCheckedFrom`: sheet XML compresses
    /// about 8:1 to 15:1, a decompression bomb by hundreds or thousands to one.
    public static let maximumRatio: UInt64 = 100
    public static let ratioCheckedFrom: UInt64 = 16 << 20

    public init(url: URL) {
        self.url = url
    }

    public func forEachRow(_ body: (RawRow, ReadPosition) throws -> Void) throws {
        let archive: Archive
        do {
            archive = try Archive(url: url, accessMode: .read)
        } catch {
            throw CatalogError.unsupportedFormat(file: url.path, reason: "not a valid .xlsx workbook (\(error))")
        }
        let sheetPath = try firstSheetPath(in: archive)
        let sharedStrings = SharedStringsParser()
        if let entry = archive["xl/sharedStrings.xml"] { try stream(entry, in: archive, to: sharedStrings) }
        let styles = StylesParser()
        if let entry = archive["xl/styles.xml"] { try stream(entry, in: archive, to: styles) }
        guard let sheetEntry = archive[sheetPath] else {
            throw CatalogError.unsupportedFormat(file: url.path, reason: "the workbook names a sheet at \(sheetPath) that it does not contain")
        }
        let total = Int64(clamping: sheetEntry.uncompressedSize)
        try withoutActuallyEscaping(body) { body in
            var inflated: Int64 = 0
            let handler = SheetParser(file: url.path, sharedStrings: sharedStrings.strings, dateStyles: styles.dateStyleIndexes()) { row in
                do { try body(row, ReadPosition(bytesRead: min(inflated, total), totalBytes: total)) } catch { throw CallerError(error: error) }
            }
            try stream(sheetEntry, in: archive, to: handler) { inflated = $0 }
        }
    }

    /// Inflates one part of the workbook chunk by chunk straight into an XML parser, refusing a
    /// part that inflates past a sane size or ratio as soon as it does.
    private func stream(_ entry: Entry, in archive: Archive, to handler: any XMLStreamHandler,
                        inflated: ((Int64) -> Void)? = nil) throws {
        let compressed = max(entry.compressedSize, 1)
        func checkSize(_ size: UInt64) throws {
            if size > Self.maximumPartBytes || (size > Self.ratioCheckedFrom && size / compressed > Self.maximumRatio) {
                throw CatalogError.unsupportedFormat(file: url.path, reason: """
                    \(entry.path) inflates from \(ByteCount.text(entry.compressedSize)) to \(size == entry.uncompressedSize ? "" : "more than ")\
                    \(ByteCount.text(size)): refused as a possible decompression bomb (a catalog sheet inflates about 10 times, \
                    and 100,000 products are about 65 MB)
                    """)
            }
        }
        try checkSize(entry.uncompressedSize)
        let xml = try XMLStream(handler: handler)
        var total: UInt64 = 0
        do {
            _ = try archive.extract(entry, bufferSize: 1 << 16, skipCRC32: false) { chunk in
                total += UInt64(chunk.count)
                try checkSize(total)
                try chunk.withUnsafeBytes { try xml.feed($0) }
                inflated?(Int64(clamping: total))
            }
            try xml.finish()
        } catch let failure as XMLStream.Failure {
            throw CatalogError.unsupportedFormat(file: url.path, reason: "\(entry.path) is not well-formed XML: \(failure.description)")
        } catch let error as CatalogError {
            throw error
        } catch let passed as CallerError {
            throw passed.error
        } catch {
            // ZIPFoundation's archive, data and (internal) inflation errors: a damaged workbook.
            throw CatalogError.unsupportedFormat(file: url.path, reason: "cannot unzip \(entry.path) (\(error))")
        }
    }

    /// The path of the first sheet in workbook order, through the workbook's relationships.
    private func firstSheetPath(in archive: Archive) throws -> String {
        guard let workbook = archive["xl/workbook.xml"] else {
            throw CatalogError.unsupportedFormat(file: url.path, reason: "not an Excel workbook: xl/workbook.xml is missing")
        }
        let sheets = AttributeScanner(elementName: "sheet", attribute: "id")
        try stream(workbook, in: archive, to: sheets)
        guard let sheetRelationship = sheets.values.first,
              let relationsEntry = archive["xl/_rels/workbook.xml.rels"] else {
            return "xl/worksheets/sheet1.xml"
        }
        let relationships = RelationshipScanner()
        try stream(relationsEntry, in: archive, to: relationships)
        guard let target = relationships.targets[sheetRelationship] else { return "xl/worksheets/sheet1.xml" }
        return target.hasPrefix("/") ? String(target.dropFirst()) : "xl/" + target
    }
}

/// An error of the caller's row callback, carried unchanged through the unzip and XML layers.
private struct CallerError: Error {
    var error: any Error
}

/// One attribute of every element of a name, in document order (the workbook's sheets).
private final class AttributeScanner: XMLStreamHandler {
    let elementName: String
    let attribute: String
    var values: [String] = []

    init(elementName: String, attribute: String) {
        self.elementName = elementName
        self.attribute = attribute
    }

    func startElement(_ name: String, attributes: XMLAttributes) {
        if name == elementName, let value = attributes[attribute] { values.append(value) }
    }
    func endElement(_ name: String) {}
    func characters(_ text: String) {}
}

/// `xl/_rels/workbook.xml.rels`: relationship id → target part.
private final class RelationshipScanner: XMLStreamHandler {
    var targets: [String: String] = [:]

    func startElement(_ name: String, attributes: XMLAttributes) {
        if name == "Relationship", let id = attributes["Id"], let target = attributes["Target"] { targets[id] = target }
    }
    func endElement(_ name: String) {}
    func characters(_ text: String) {}
}

/// `xl/sharedStrings.xml`: the text of each `<si>`, rich-text runs joined, phonetic hints left out.
private final class SharedStringsParser: XMLStreamHandler {
    var strings: [String] = []
    var current = ""
    var inText = false
    var inPhonetic = false

    func startElement(_ name: String, attributes: XMLAttributes) {
        switch name {
        case "si": current = ""
        case "t": inText = !inPhonetic
        case "rPh": inPhonetic = true
        default: break
        }
    }

    func endElement(_ name: String) {
        switch name {
        case "si": strings.append(current)
        case "t": inText = false
        case "rPh": inPhonetic = false
        default: break
        }
    }

    func characters(_ text: String) {
        if inText { current += text }
    }
}

/// `xl/styles.xml`: which cell styles show numbers as dates.
private final class StylesParser: XMLStreamHandler {
    var customFormats: [Int: String] = [:]
    var cellFormatIDs: [Int] = []
    var inCellXfs = false

    func dateStyleIndexes() -> Set<Int> {
        var indexes = Set<Int>()
        for (index, formatID) in cellFormatIDs.enumerated() where isDateFormat(formatID) {
            indexes.insert(index)
        }
        return indexes
    }

    func isDateFormat(_ id: Int) -> Bool {
        if (14...22).contains(id) || (45...47).contains(id) || (27...36).contains(id) || (50...58).contains(id) { return true }
        guard let code = customFormats[id] else { return false }
        // Drop quoted text, escapes and [colour]/[locale] brackets, then look for day, month or year codes.
        var cleaned = ""
        var inQuote = false
        var inBracket = false
        var escaped = false
        for character in code {
            if escaped { escaped = false; continue }
            switch character {
            case "\\": escaped = true
            case "\"": inQuote.toggle()
            case "[": inBracket = true
            case "]": inBracket = false
            default: if !inQuote && !inBracket { cleaned.append(character) }
            }
        }
        let lower = cleaned.lowercased()
        return lower.contains("d") || lower.contains("y") || (lower.contains("m") && !lower.contains("h") && !lower.contains("s"))
    }

    func startElement(_ name: String, attributes: XMLAttributes) {
        switch name {
        case "numFmt":
            if let id = attributes["numFmtId"].flatMap(Int.init), let code = attributes["formatCode"] { customFormats[id] = code }
        case "cellXfs": inCellXfs = true
        case "xf" where inCellXfs: cellFormatIDs.append(attributes["numFmtId"].flatMap(Int.init) ?? 0)
        default: break
        }
    }

    func endElement(_ name: String) {
        if name == "cellXfs" { inCellXfs = false }
    }
    func characters(_ text: String) {}
}

/// A worksheet, row by row.
private final class SheetParser: XMLStreamHandler {
    let file: String
    let sharedStrings: [String]
    let dateStyles: Set<Int>
    let onRow: (RawRow) throws -> Void

    var rowNumber = 0
    var cells: [String] = []
    var cellColumn = 0
    var cellType = "n"
    var cellStyle = 0
    var value = ""
    var collecting = false

    init(file: String, sharedStrings: [String], dateStyles: Set<Int>, onRow: @escaping (RawRow) throws -> Void) {
        self.file = file
        self.sharedStrings = sharedStrings
        self.dateStyles = dateStyles
        self.onRow = onRow
    }

    func startElement(_ name: String, attributes: XMLAttributes) throws {
        switch name {
        case "row":
            rowNumber = attributes["r"].flatMap(Int.init) ?? rowNumber + 1
            cells = []
        case "c":
            let reference = attributes["r"]
            cellColumn = reference.flatMap(SheetParser.columnIndex) ?? cells.count
            // A reference past Excel's last column would have the row padded out to it: refused, not allocated.
            guard cellColumn < SheetParser.maximumColumns else {
                throw CatalogError.unsupportedFormat(
                    file: file, reason: "row \(rowNumber): the cell reference \"\((reference ?? "").prefix(24))\" is past XFD, the last column a sheet can have")
            }
            cellType = attributes["t"] ?? "n"
            cellStyle = attributes["s"].flatMap(Int.init) ?? 0
            value = ""
        case "v", "t":
            collecting = true
        default: break
        }
    }

    func characters(_ text: String) {
        if collecting { value += text }
    }

    func endElement(_ name: String) throws {
        switch name {
        case "v", "t":
            collecting = false
        case "c":
            if cells.count <= cellColumn {
                cells.append(contentsOf: repeatElement("", count: cellColumn - cells.count + 1))
            }
            cells[cellColumn] = displayText()
        case "row":
            try onRow(RawRow(number: rowNumber, cells: cells))
        default: break
        }
    }

    private func displayText() -> String {
        switch cellType {
        case "s":
            guard let index = Int(value), sharedStrings.indices.contains(index) else { return "" }
            return sharedStrings[index]
        case "inlineStr", "str", "e":
            return value
        case "b":
            return value == "1" ? "TRUE" : "FALSE"
        case "d":
            return String(value.prefix(10))
        default:
            guard let number = Double(value) else { return value }
            if dateStyles.contains(cellStyle), let date = CalendarDate(excelSerial: number) { return date.iso }
            if number == number.rounded(), abs(number) < 1e15 { return String(Int64(number)) }
            return value
        }
    }

    /// Excel's columns: A to XFD.
    static let maximumColumns = 16_384

    /// `"C7"` → 2: the column letters of a cell reference, counted from zero; `maximumColumns` for
    /// any reference past XFD (a long run of letters must not overflow).
    static func columnIndex(_ reference: String) -> Int? {
        var index = 0
        var sawLetter = false
        for scalar in reference.unicodeScalars {
            guard (65...90).contains(scalar.value) else { break }
            index = min(index * 26 + Int(scalar.value - 64), maximumColumns + 1)
            sawLetter = true
        }
        return sawLetter ? index - 1 : nil
    }
}
