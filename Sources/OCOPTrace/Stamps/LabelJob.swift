import Foundation

/// Makes the printable label PDF of an issued batch.
public struct LabelJob: Sendable {
    public let store: any RegistryStore
    public let layout: LabelLayout
    public var correction: QRErrorCorrection = .medium
    public var quietZone = 4
    /// The batch's `pins.csv`: a PIN batch's labels print each PIN in a scratch-off box, and cannot
    /// be printed without it (the registry holds only the PINs' keyed hashes).
    public var pinsFile: URL?

    public init(store: any RegistryStore, layout: LabelLayout, correction: QRErrorCorrection = .medium, quietZone: Int = 4,
                pinsFile: URL? = nil) {
        self.store = store
        self.layout = layout
        self.correction = correction
        self.quietZone = quietZone
        self.pinsFile = pinsFile
    }

    /// Why a batch's labels cannot be printed with the PINs given.
    public enum PINError: Error, Sendable, CustomStringConvertible {
        case pinsNeeded(lot: String)
        case noPINs(lot: String)
        case missingPIN(file: String, stampID: String)

        public var description: String {
            switch self {
            case .pinsNeeded(let lot):
                "lot \(lot) has scratch-off PINs: give its pins.csv with --pins FILE (the registry keeps no PIN) / lô \(lot) có mã PIN cào: hãy chỉ tệp pins.csv bằng --pins FILE"
            case .noPINs(let lot):
                "lot \(lot) has no scratch-off PINs: print it without --pins / lô \(lot) không có mã PIN cào: in nhãn không cần --pins"
            case .missingPIN(let file, let stampID):
                "\(file) has no PIN for stamp \(stampID): give the pins.csv written when this lot was issued / \(file) không có mã PIN của tem \(stampID)"
            }
        }
    }

    public struct Report: Sendable, Codable {
        public var lot: String
        public var product: String
        public var labels: Int
        public var pages: Int
        public var layout: String
        public var pdf: String
        public var moduleMillimetres: Double
        public var seconds: Double

        enum CodingKeys: String, CodingKey {
            case lot, product, labels, pages, layout, pdf, moduleMillimetres = "module_mm", seconds
        }
    }

    /// Writes the labels of the batch of `lot` (of `productCode`, when several products share the lot).
    public func write(lot lotLabel: String, productCode: String?, to output: URL?, outputFolder: URL = URL(fileURLWithPath: "output"),
                      today: CalendarDate = .today()) async throws -> Report {
        let batch = try await store.issuedBatch(lot: lotLabel, productCode: productCode)
        let pdf = output ?? outputFolder.appendingPathComponent(batch.folder).appendingPathComponent("labels-\(layout.name).pdf")
        return try await write(batch: batch, to: pdf, today: today)
    }

    /// Writes the labels of a batch known by id (as `issue` reports it).
    public func write(batchID: Int64, to pdf: URL, today: CalendarDate = .today()) async throws -> Report {
        guard let batch = try await store.batch(id: batchID) else { throw IssueError.noBatch(lot: "#\(batchID)") }
        guard batch.status == .issued else { throw IssueError.notComplete(lot: batch.lot) }
        return try await write(batch: batch, to: pdf, today: today)
    }

    func write(batch: StampBatch, to pdf: URL, today: CalendarDate) async throws -> Report {
        try layout.validate()
        let started = Date()
        var pins: [String: String] = [:]
        switch (batch.scratchPIN, pinsFile) {
        case (true, nil): throw PINError.pinsNeeded(lot: batch.lotLabel)
        case (false, .some): throw PINError.noPINs(lot: batch.lotLabel)
        case (true, .some(let file)):
            for row in try PINFile.read(file) { pins[row.stampID] = row.pin.text }
        case (false, nil): break
        }
        let pinsFileName = pinsFile.map(InputFiles.displayPath) ?? ""
        let ocopStars = try await store.recognition(productID: batch.productID).flatMap { $0.isValid(on: today) ? $0.stars : nil }
        // Refuse a layout whose modules would be too small for this batch's largest symbol.
        let sample = try await store.stamps(batchID: batch.id, sequences: 1...1)
        guard let first = sample.first else { throw IssueError.noBatch(lot: batch.lot) }
        let firstMatrix = try encode(batch.url(serial: first.serial, signature: first.signature).text)
        let module = LabelSheet.moduleSize(for: firstMatrix.width, layout: layout, quietZone: quietZone)
        guard module >= LabelSheet.minimumModule else {
            throw LabelLayout.LayoutError.modulesTooSmall(layout: layout.name, moduleMillimetres: module, minimum: LabelSheet.minimumModule)
        }

        try AtomicFileWriter.createFolder(pdf.deletingLastPathComponent())
        let temporary = pdf.deletingLastPathComponent().appendingPathComponent(".\(pdf.lastPathComponent)-\(getpid()).tmp")
        let sheet = try LabelSheet(path: temporary.path, layout: layout, secretFile: batch.scratchPIN)
        let chunk = 1000
        var smallestModule = module
        let correction = self.correction
        let store = self.store
        // QR symbols for the next thousand labels are encoded in a task of their own (on the other
        // core) while cairo draws these in this one.
        func encodeAhead(_ start: Int) async throws -> (stamps: [IssuedStamp], matrices: Task<[Result<QRMatrix, any Error>], Never>)? {
            guard start <= batch.quantity else { return nil }
            let stamps = try await store.stamps(batchID: batch.id, sequences: start...min(batch.quantity, start + chunk - 1))
            let matrices = Task.detached {
                stamps.map { stamp in
                    Result { try QRMatrix(encoding: batch.url(serial: stamp.serial, signature: stamp.signature).text, correction: correction) }
                }
            }
            return (stamps, matrices)
        }
        do {
            var pending = try await encodeAhead(1)
            var start = 1
            while let current = pending {
                let matrices = await current.matrices.value
                start += chunk
                pending = try await encodeAhead(start)
                for (stamp, matrix) in zip(current.stamps, matrices) {
                    let matrix = try matrix.get()
                    smallestModule = min(smallestModule, LabelSheet.moduleSize(for: matrix.width, layout: layout, quietZone: quietZone))
                    guard smallestModule >= LabelSheet.minimumModule else {
                        _ = await pending?.matrices.value
                        throw LabelLayout.LayoutError.modulesTooSmall(layout: layout.name, moduleMillimetres: smallestModule,
                                                                       minimum: LabelSheet.minimumModule)
                    }
                    let stampID = stamp.stampID.formatted
                    var pin: String?
                    if batch.scratchPIN {
                        guard let found = pins[stampID] else {
                            _ = await pending?.matrices.value
                            throw PINError.missingPIN(file: pinsFileName, stampID: stampID)
                        }
                        pin = found
                    }
                    try sheet.add(LabelContent(matrix: matrix, stampID: stampID, productName: batch.productName,
                                               producer: batch.producer, lot: batch.lotLabel, producedOn: batch.produced,
                                               expiresOn: batch.expires, ocopStars: ocopStars, pin: pin), quietZone: quietZone)
                }
            }
            try sheet.finish()
        } catch {
            try? FileManager.default.removeItem(at: temporary)
            throw error
        }
        guard rename(temporary.path, pdf.path) == 0 else {
            throw FileWriteError(path: pdf.path, reason: String(cString: strerror(errno)))
        }
        return Report(lot: batch.lot, product: batch.productCode, labels: batch.quantity,
                      pages: (batch.quantity + layout.labelsPerPage - 1) / layout.labelsPerPage, layout: layout.name,
                      pdf: InputFiles.displayPath(pdf), moduleMillimetres: smallestModule, seconds: Date().timeIntervalSince(started))
    }

    private func encode(_ text: String) throws -> QRMatrix {
        do { return try QRMatrix(encoding: text, correction: correction) } catch { throw RenderError.encoding(error) }
    }
}
