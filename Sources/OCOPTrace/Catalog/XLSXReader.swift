import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import ZIPFoundation

/// Reads the first sheet of an Excel workbook (`.xlsx`, Office Open XML) with a real unzip and XML
/// parser: shared and inline strings, numbers, booleans, formula results, and dates stored as serial
/// numbers (recognised by their cell style) are turned into the text a person sees in the cell.
public struct XLSXReader: TableReader, Sendable {
    public let url: URL

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
        let sharedStrings = try archive["xl/sharedStrings.xml"].map { try SharedStringsParser.parse(data(of: $0, in: archive)) } ?? []
        let dateStyles = try archive["xl/styles.xml"].map { try StylesParser.dateStyleIndexes(data(of: $0, in: archive)) } ?? []
        guard let sheetEntry = archive[sheetPath] else {
            throw CatalogError.unsupportedFormat(file: url.path, reason: "the workbook names a sheet at \(sheetPath) that it does not contain")
        }
        let sheetData = try data(of: sheetEntry, in: archive)
        let total = Int64(sheetData.count)
        try withoutActuallyEscaping(body) { body in
            let handler = SheetParser(sharedStrings: sharedStrings, dateStyles: dateStyles) { row in
                try body(row, ReadPosition(bytesRead: total, totalBytes: total))
            }
            let parser = XMLParser(data: sheetData)
            parser.delegate = handler
            let parsed = parser.parse()
            if let error = handler.callbackError { throw error }
            guard parsed else {
                throw CatalogError.unsupportedFormat(file: url.path, reason: "the first sheet is not well-formed XML (\(parser.parserError.map { "\($0)" } ?? "unknown error"))")
            }
        }
    }

    private func data(of entry: Entry, in archive: Archive) throws -> Data {
        var data = Data()
        do {
            _ = try archive.extract(entry, skipCRC32: false) { data.append($0) }
        } catch {
            throw CatalogError.unsupportedFormat(file: url.path, reason: "cannot unzip \(entry.path) (\(error))")
        }
        return data
    }

    /// The path of the first sheet in workbook order, through the workbook's relationships.
    private func firstSheetPath(in archive: Archive) throws -> String {
        guard let workbook = archive["xl/workbook.xml"] else {
            throw CatalogError.unsupportedFormat(file: url.path, reason: "not an Excel workbook: xl/workbook.xml is missing")
        }
        let workbookXML = try data(of: workbook, in: archive)
        let sheetRelationship = try AttributeScanner.firstAttribute("r:id", ofElement: "sheet", in: workbookXML)
        guard let sheetRelationship,
              let relationsEntry = archive["xl/_rels/workbook.xml.rels"] else {
            return "xl/worksheets/sheet1.xml"
        }
        let targets = try AttributeScanner.relationshipTargets(data(of: relationsEntry, in: archive))
        guard let target = targets[sheetRelationship] else { return "xl/worksheets/sheet1.xml" }
        return target.hasPrefix("/") ? String(target.dropFirst()) : "xl/" + target
    }
}

/// Collects attributes of elements, for the small workbook and relationship parts.
private final class AttributeScanner: NSObject, XMLParserDelegate {
    let elementName: String
    var found: [[String: String]] = []
    let stopAtFirst: Bool

    init(elementName: String, stopAtFirst: Bool) {
        self.elementName = elementName
        self.stopAtFirst = stopAtFirst
    }

    func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?, attributes: [String: String] = [:]) {
        guard name == elementName || name.hasSuffix(":" + elementName) else { return }
        found.append(attributes)
        if stopAtFirst { parser.abortParsing() }
    }

    static func firstAttribute(_ attribute: String, ofElement element: String, in data: Data) throws -> String? {
        let scanner = AttributeScanner(elementName: element, stopAtFirst: true)
        let parser = XMLParser(data: data)
        parser.delegate = scanner
        _ = parser.parse()
        guard let attributes = scanner.found.first else { return nil }
        return attributes[attribute] ?? attributes.first { $0.key.hasSuffix(":id") }?.value
    }

    static func relationshipTargets(_ data: Data) throws -> [String: String] {
        let scanner = AttributeScanner(elementName: "Relationship", stopAtFirst: false)
        let parser = XMLParser(data: data)
        parser.delegate = scanner
        _ = parser.parse()
        var targets: [String: String] = [:]
        for attributes in scanner.found {
            if let id = attributes["Id"], let target = attributes["Target"] { targets[id] = target }
        }
        return targets
    }
}

/// `xl/sharedStrings.xml`: the text of each `<si>`, rich-text runs joined, phonetic hints left out.
private final class SharedStringsParser: NSObject, XMLParserDelegate {
    var strings: [String] = []
    var current = ""
    var inText = false
    var inPhonetic = false

    static func parse(_ data: Data) throws -> [String] {
        let handler = SharedStringsParser()
        let parser = XMLParser(data: data)
        parser.delegate = handler
        _ = parser.parse()
        return handler.strings
    }

    func parser(_ parser: XMLParser, didStartElement qualified: String, namespaceURI: String?, qualifiedName: String?, attributes: [String: String] = [:]) {
        switch qualified.localXMLName {
        case "si": current = ""
        case "t": inText = !inPhonetic
        case "rPh": inPhonetic = true
        default: break
        }
    }

    func parser(_ parser: XMLParser, didEndElement qualified: String, namespaceURI: String?, qualifiedName: String?) {
        switch qualified.localXMLName {
        case "si": strings.append(current)
        case "t": inText = false
        case "rPh": inPhonetic = false
        default: break
        }
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) {
        if inText { current += string }
    }
}

/// `xl/styles.xml`: which cell styles show numbers as dates.
private final class StylesParser: NSObject, XMLParserDelegate {
    var customFormats: [Int: String] = [:]
    var cellFormatIDs: [Int] = []
    var inCellXfs = false

    static func dateStyleIndexes(_ data: Data) throws -> Set<Int> {
        let handler = StylesParser()
        let parser = XMLParser(data: data)
        parser.delegate = handler
        _ = parser.parse()
        var indexes = Set<Int>()
        for (index, formatID) in handler.cellFormatIDs.enumerated() where handler.isDateFormat(formatID) {
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

    func parser(_ parser: XMLParser, didStartElement qualified: String, namespaceURI: String?, qualifiedName: String?, attributes: [String: String] = [:]) {
        switch qualified.localXMLName {
        case "numFmt":
            if let id = attributes["numFmtId"].flatMap(Int.init), let code = attributes["formatCode"] { customFormats[id] = code }
        case "cellXfs": inCellXfs = true
        case "xf" where inCellXfs: cellFormatIDs.append(attributes["numFmtId"].flatMap(Int.init) ?? 0)
        default: break
        }
    }

    func parser(_ parser: XMLParser, didEndElement qualified: String, namespaceURI: String?, qualifiedName: String?) {
        if qualified.localXMLName == "cellXfs" { inCellXfs = false }
    }
}

/// A worksheet, row by row.
private final class SheetParser: NSObject, XMLParserDelegate {
    let sharedStrings: [String]
    let dateStyles: Set<Int>
    let onRow: (RawRow) throws -> Void
    var callbackError: (any Error)?

    var rowNumber = 0
    var cells: [String] = []
    var cellColumn = 0
    var cellType = "n"
    var cellStyle = 0
    var value = ""
    var collecting = false

    init(sharedStrings: [String], dateStyles: Set<Int>, onRow: @escaping (RawRow) throws -> Void) {
        self.sharedStrings = sharedStrings
        self.dateStyles = dateStyles
        self.onRow = onRow
    }

    func parser(_ parser: XMLParser, didStartElement qualified: String, namespaceURI: String?, qualifiedName: String?, attributes: [String: String] = [:]) {
        switch qualified.localXMLName {
        case "row":
            rowNumber = attributes["r"].flatMap(Int.init) ?? rowNumber + 1
            cells = []
        case "c":
            cellColumn = attributes["r"].flatMap(SheetParser.columnIndex) ?? cells.count
            cellType = attributes["t"] ?? "n"
            cellStyle = attributes["s"].flatMap(Int.init) ?? 0
            value = ""
        case "v", "t":
            collecting = true
        default: break
        }
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) {
        if collecting { value += string }
    }

    func parser(_ parser: XMLParser, didEndElement qualified: String, namespaceURI: String?, qualifiedName: String?) {
        switch qualified.localXMLName {
        case "v", "t":
            collecting = false
        case "c":
            if cells.count <= cellColumn {
                cells.append(contentsOf: repeatElement("", count: cellColumn - cells.count + 1))
            }
            cells[cellColumn] = displayText()
        case "row":
            do {
                try onRow(RawRow(number: rowNumber, cells: cells))
            } catch {
                callbackError = error
                parser.abortParsing()
            }
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

    /// `"C7"` → 2: the column letters of a cell reference, counted from zero.
    static func columnIndex(_ reference: String) -> Int? {
        var index = 0
        var sawLetter = false
        for scalar in reference.unicodeScalars {
            guard (65...90).contains(scalar.value) else { break }
            index = index * 26 + Int(scalar.value - 64)
            sawLetter = true
        }
        return sawLetter ? index - 1 : nil
    }
}

private extension String {
    /// `x:row` → `row`: some writers prefix SpreadsheetML elements with a namespace.
    var localXMLName: Substring {
        guard let colon = lastIndex(of: ":") else { return Substring(self) }
        return self[index(after: colon)...]
    }
}
