import Foundation

/// The label PDF of packed cartons: one label per carton, two across and four down an A4 sheet
/// (99 × 67.7 mm, the size of common logistic labels), each with a QR code of the carton's URL on
/// the resolver its stamps use (`…/00/{sscc}`), the SSCC as GS1 prints it (`(00) 0 8938765…`)
/// under it, and the product, producer, lot and count beside it.
enum CartonLabels {
    static let layout = LabelLayout(name: "a4-2x4-carton", description: "A4 sheet, 8 carton labels 99 × 67.7 mm", pageWidth: 210,
                                    pageHeight: 297, columns: 2, rows: 4, labelWidth: 99, labelHeight: 67.7)
    static let quietZone = 4

    static func write(_ cartons: [StoredCarton], to pdf: URL) throws {
        let temporary = pdf.deletingLastPathComponent().appendingPathComponent(".\(pdf.lastPathComponent)-\(getpid()).tmp")
        do {
            let sheet = try LabelSheet(path: temporary.path, layout: layout)
            for carton in cartons {
                let key = try CartonKey(parsing: carton.sscc)
                let matrix = try QRMatrix(encoding: key.url(resolver: carton.resolver), correction: .medium)
                try sheet.add(LabelContent(matrix: matrix, stampID: key.humanReadable, productName: carton.productName,
                                           producer: carton.producer, lot: carton.lotLabel + " · \(carton.count) tem/thùng",
                                           producedOn: nil, expiresOn: nil, ocopStars: nil), quietZone: quietZone)
            }
            try sheet.finish()
        } catch {
            try? FileManager.default.removeItem(at: temporary)
            throw error
        }
        guard rename(temporary.path, pdf.path) == 0 else {
            throw FileWriteError(path: pdf.path, reason: String(cString: strerror(errno)))
        }
    }
}
