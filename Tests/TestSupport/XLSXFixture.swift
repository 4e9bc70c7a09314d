import Foundation
import ZIPFoundation

/// Writes small .xlsx workbooks cell by cell, for tests of the reader: shared strings, inline
/// strings, numbers and date-styled serials, as Excel and other writers store them.
public struct XLSXFixture: Sendable {
    public enum Cell: Sendable {
        case shared(String)
        case inline(String)
        case number(String)
        /// An Excel serial day number shown with a date format.
        case date(Double)
        case empty
    }

    public var rows: [[Cell]]
    /// Rows to leave out of the XML, as writers do for empty rows: numbers are kept as given.
    public var rowNumbers: [Int]?

    public init(rows: [[Cell]], rowNumbers: [Int]? = nil) {
        self.rows = rows
        self.rowNumbers = rowNumbers
    }

    public func write(to url: URL) throws {
        try XLSXFixture.write(parts: parts().map { ($0.path, Data($0.text.utf8)) }, to: url)
    }

    /// The workbook's parts, path and XML, in the order they are zipped.
    public func parts() -> [(path: String, text: String)] {
        var shared: [String] = []
        var sheet = #"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>"#
        for (index, row) in rows.enumerated() {
            let number = rowNumbers?[index] ?? index + 1
            sheet += #"<row r="\#(number)">"#
            for (column, cell) in row.enumerated() {
                let reference = XLSXFixture.columnName(column) + String(number)
                switch cell {
                case .shared(let text):
                    shared.append(text)
                    sheet += #"<c r="\#(reference)" t="s"><v>\#(shared.count - 1)</v></c>"#
                case .inline(let text):
                    sheet += #"<c r="\#(reference)" t="inlineStr"><is><t>\#(XLSXFixture.escape(text))</t></is></c>"#
                case .number(let value):
                    sheet += #"<c r="\#(reference)"><v>\#(value)</v></c>"#
                case .date(let serial):
                    sheet += #"<c r="\#(reference)" s="1"><v>\#(serial)</v></c>"#
                case .empty:
                    continue
                }
            }
            sheet += "</row>"
        }
        sheet += "</sheetData></worksheet>"
        let sharedXML = #"<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="\#(shared.count)">"#
            + shared.map { "<si><t xml:space=\"preserve\">\(XLSXFixture.escape($0))</t></si>" }.joined() + "</sst>"
        let parts: [(path: String, text: String)] = [
            ("[Content_Types].xml", #"<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/data.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>"#),
            ("_rels/.rels", #"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>"#),
            ("xl/workbook.xml", #"<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Danh mục" sheetId="1" r:id="rId7"/></sheets></workbook>"#),
            // The sheet is deliberately not sheet1.xml: the reader must follow the relationship.
            ("xl/_rels/workbook.xml.rels", #"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId7" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/data.xml"/></Relationships>"#),
            ("xl/styles.xml", #"<?xml version="1.0" encoding="UTF-8"?><styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><numFmts count="1"><numFmt numFmtId="164" formatCode="dd/mm/yyyy"/></numFmts><cellXfs count="2"><xf numFmtId="0"/><xf numFmtId="164" applyNumberFormat="1"/></cellXfs></styleSheet>"#),
            ("xl/sharedStrings.xml", sharedXML),
            ("xl/worksheets/data.xml", sheet),
        ]
        return parts
    }

    /// Zips parts as a workbook, deflated or stored.
    public static func write(parts: [(path: String, data: Data)], to url: URL, compressed: Bool = true) throws {
        try? FileManager.default.removeItem(at: url)
        let archive = try Archive(url: url, accessMode: .create)
        for (path, data) in parts {
            try archive.addEntry(with: path, type: .file, uncompressedSize: Int64(data.count),
                                 compressionMethod: compressed ? .deflate : .none) { position, size in
                data.subdata(in: Int(position)..<Int(position) + size)
            }
        }
    }

    static func columnName(_ index: Int) -> String {
        var index = index + 1
        var name = ""
        while index > 0 {
            let remainder = (index - 1) % 26
            name = String(UnicodeScalar(UInt8(65 + remainder))) + name
            index = (index - 1) / 26
        }
        return name
    }

    /// Escaped scalar by scalar: `<` with a combining mark after it is one Character, which a
    /// Character-wise replacement would leave alone.
    static func escape(_ text: String) -> String {
        var out = ""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
    }
}

/// The repository's root, for tests that read the shipped catalogs.
public let repositoryRoot: URL = {
    var url = URL(fileURLWithPath: #filePath)
    while url.path != "/" {
        url.deleteLastPathComponent()
        if FileManager.default.fileExists(atPath: url.appendingPathComponent("Package.swift").path) { return url }
    }
    fatalError("no Package.swift above \(#filePath)")
}()
