import Foundation
import OCOPTrace

/// Label PDFs as a printer and a phone see them (stamp sheets and carton labels alike).
public enum LabelCells {
    /// Rasterises every page at 300 dpi, cuts out each label cell, and decodes each cell with zbar.
    public static func decode(_ pdf: URL, layout: LabelLayout, in folder: TemporaryFolder) throws -> [String] {
        let prefix = folder.url.appendingPathComponent("page").path
        _ = try ExternalTools.run("pdftoppm", ["-r", "300", "-gray", pdf.path, prefix])
        let pages = try FileManager.default.contentsOfDirectory(atPath: folder.url.path).filter { $0.hasPrefix("page") && $0.hasSuffix(".pgm") }.sorted()
        let pixelsPerMillimetre = 300 / 25.4
        var cells: [String] = []
        for (pageIndex, page) in pages.enumerated() {
            let data = try Data(contentsOf: folder.url.appendingPathComponent(page))
            // P5 header: magic, width, height, maximum, each followed by white space.
            var fields: [String] = []
            var offset = 0
            var current = ""
            while fields.count < 4 {
                let byte = data[offset]
                offset += 1
                if byte == 0x20 || byte == 0x0A { if !current.isEmpty { fields.append(current); current = "" } } else { current.append(Character(UnicodeScalar(byte))) }
            }
            let width = Int(fields[1])!
            for row in 0..<layout.rows {
                for column in 0..<layout.columns {
                    let x0 = Int((layout.marginLeft + Double(column) * (layout.labelWidth + layout.gapX)) * pixelsPerMillimetre)
                    let y0 = Int((layout.marginTop + Double(row) * (layout.labelHeight + layout.gapY)) * pixelsPerMillimetre)
                    let cellWidth = Int(layout.labelWidth * pixelsPerMillimetre)
                    let cellHeight = Int(layout.labelHeight * pixelsPerMillimetre)
                    var cell = Data("P5\n\(cellWidth) \(cellHeight)\n255\n".utf8)
                    for y in y0..<(y0 + cellHeight) {
                        let start = offset + y * width + x0
                        cell.append(data[start..<(start + cellWidth)])
                    }
                    let path = folder.url.appendingPathComponent("cell-\(pageIndex)-\(row)-\(column).pgm").path
                    try cell.write(to: URL(fileURLWithPath: path))
                    cells.append(path)
                }
            }
        }
        return try ExternalTools.decodeQR(cells).values.flatMap { $0 }
    }
}
