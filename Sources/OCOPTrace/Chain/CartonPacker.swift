import Foundation

/// Why cartons cannot be packed, opened or found, in Vietnamese and English.
public enum CartonError: Error, Sendable, CustomStringConvertible {
    case badPerCarton(Int)
    case badCompanyPrefix(String)
    case prefixNotOfGTIN(prefix: String, gtin: String)
    case nothingToPack(lot: String)
    /// A line of a `--stamps` file: its file, line, text and what is wrong with it.
    case badStampLine(file: String, line: Int, text: String, reason: String)
    case noSuchCarton(String)
    case badCartonKey(String)
    case tooManyCartons(String)

    public var description: String {
        switch self {
        case .badPerCarton(let count):
            "--per-carton \(count): a carton holds at least one stamp (mỗi thùng phải có ít nhất một tem)"
        case .badCompanyPrefix(let prefix):
            "\(prefix.quoted) is not a GS1 company prefix: it has 6 to 12 digits (mã doanh nghiệp GS1 gồm 6 đến 12 chữ số)"
        case .prefixNotOfGTIN(let prefix, let gtin):
            "the GS1 company prefix \(prefix) is not the start of the product's GTIN \(gtin) "
                + "(mã doanh nghiệp GS1 \(prefix) không phải phần đầu của GTIN \(gtin))"
        case .nothingToPack(let lot):
            "lot \(lot) has no stamp left to pack: every issued, unrevoked stamp is in a carton "
                + "(lô \(lot) không còn tem nào để đóng thùng)"
        case .badStampLine(let file, let line, let text, let reason):
            "\(file), line \(line) (dòng \(line)): \(text.quoted): \(reason)"
        case .noSuchCarton(let key):
            "no carton \(key) in the registry (không có thùng \(key) trong sổ đăng ký)"
        case .badCartonKey(let reason):
            reason
        case .tooManyCartons(let reason):
            "\(reason) (hết số sê-ri SSCC cho mã doanh nghiệp này)"
        }
    }
}

/// Packs a lot's stamps into cartons, each with a new SSCC (or carton code), and writes the
/// cartons' label PDF and manifest CSV beside the lot's stamps.
///
/// ```swift
/// let report = try await CartonPacker(store: store).pack(productCode: "NC-500", lot: "Lô 11/2026", perCarton: 50)
/// report.cartons     // 24
/// report.manifest    // output/stamps/…/cartons-089387650000000014.csv
/// ```
public struct CartonPacker: Sendable {
    public let store: any RegistryStore
    public let outputFolder: URL
    public let writeLabels: Bool

    /// Stamps per carton when neither the command nor the catalog (`carton_size`) says.
    public static let defaultPerCarton = 50

    public init(store: any RegistryStore, outputFolder: URL = URL(fileURLWithPath: "output"), writeLabels: Bool = true) {
        self.store = store
        self.outputFolder = outputFolder
        self.writeLabels = writeLabels
    }

    /// What one pack did.
    public struct Report: Sendable, Codable {
        public var product: String
        public var lot: String
        public var cartons: Int
        public var stamps: Int
        public var perCarton: Int
        /// The GS1 company prefix of the SSCCs; nil for carton codes of the registry's own.
        public var companyPrefix: String?
        public var firstCarton: String?
        public var lastCarton: String?
        public var manifest: String?
        public var labels: String?
        public var seconds: Double

        enum CodingKeys: String, CodingKey {
            case product, lot, cartons, stamps, manifest, labels, seconds
            case perCarton = "per_carton", companyPrefix = "company_prefix", firstCarton = "first_carton", lastCarton = "last_carton"
        }
    }

    /// Packs the lot's issued, unrevoked stamps in no carton yet, in sequence order (or the
    /// stamps listed in `stampsFile`, scanned URLs or stamp IDs one a line, in the file's order),
    /// `perCarton` to a carton (the catalog's `carton_size`, else 50, when nil).
    ///
    /// - Throws: ``CartonError`` (nothing packed): a bad size or prefix, a line of the stamps file
    ///   that names no stamp of the lot (each with its line), no stamp left; ``IssueError`` for an
    ///   unknown product or lot.
    public func pack(productCode: String, lot lotLabel: String, perCarton: Int? = nil, companyPrefix: String? = nil,
                     stampsFile: URL? = nil, now: Date = Date()) async throws -> Report {
        try await pack(try await store.issuedBatch(lot: lotLabel, productCode: productCode), perCarton: perCarton,
                       companyPrefix: companyPrefix, stampsFile: stampsFile, now: now)
    }

    /// Packs the batch `issue` reported (by id), as ``pack(productCode:lot:perCarton:companyPrefix:stampsFile:now:)`` does.
    public func pack(batchID: Int64, perCarton: Int? = nil, companyPrefix: String? = nil, now: Date = Date()) async throws -> Report {
        guard let batch = try await store.batch(id: batchID) else { throw IssueError.noBatch(lot: "#\(batchID)") }
        guard batch.status == .issued else { throw IssueError.notComplete(lot: batch.lot) }
        return try await pack(batch, perCarton: perCarton, companyPrefix: companyPrefix, stampsFile: nil, now: now)
    }

    private func pack(_ batch: StampBatch, perCarton: Int?, companyPrefix: String?, stampsFile: URL?, now: Date) async throws -> Report {
        let started = Date()
        let product = try await store.issuableProduct(id: batch.productID)
        let size = perCarton ?? product?.cartonSize ?? Self.defaultPerCarton
        guard size >= 1 else { throw CartonError.badPerCarton(size) }
        let prefix = try Self.companyPrefix(companyPrefix ?? product?.companyPrefix, gtin: batch.gtin?.digits)
        let serials = try stampsFile.map { try Self.listedSerials($0) }
        let packing = CartonPacking(batchID: batch.id, perCarton: size, companyPrefix: prefix, serials: serials?.map(\.serial),
                                    packedAt: Timestamp.string(now),
                                    job: JobStart(kind: "cartons pack", file: stampsFile.map(InputFiles.displayPath)))
        let cartons: [StoredCarton]
        do {
            switch try await store.packCartons(packing) {
            case .packed(let packed): cartons = packed
            case .refused(let problems):
                throw CartonError.badStampLine(file: stampsFile.map(InputFiles.displayPath) ?? "--stamps", line: serials?[problems[0].index].line ?? 0,
                                               text: serials?[problems[0].index].text ?? problems[0].serial,
                                               reason: Self.describe(problems[0].reason, lot: batch.lot)
                                                   + (problems.count > 1 ? " (and \(problems.count - 1) more lines; và \(problems.count - 1) dòng khác)" : ""))
            }
        } catch let error as SSCC.BuildError {
            throw CartonError.tooManyCartons(error.description)
        }
        guard let first = cartons.first, let last = cartons.last else { throw CartonError.nothingToPack(lot: batch.lotLabel) }
        let folder = outputFolder.appendingPathComponent(batch.folder)
        let name = "cartons-" + first.sscc
        let manifest = folder.appendingPathComponent(name + ".csv")
        try AtomicFileWriter.createFolder(folder)
        try CartonManifest.write(cartons, to: manifest)
        var labels: String?
        if writeLabels {
            let pdf = folder.appendingPathComponent(name + ".pdf")
            try CartonLabels.write(cartons, to: pdf)
            labels = InputFiles.displayPath(pdf)
        }
        return Report(product: batch.productCode, lot: batch.lotLabel, cartons: cartons.count, stamps: cartons.reduce(0) { $0 + $1.count },
                      perCarton: size, companyPrefix: prefix, firstCarton: first.sscc, lastCarton: last.sscc,
                      manifest: InputFiles.displayPath(manifest), labels: labels, seconds: Date().timeIntervalSince(started))
    }

    /// Opens a carton (by SSCC, carton code or either's URL): its stamps may be packed again; its
    /// SSCC is never given again.
    public func unpack(_ text: String, now: Date = Date()) async throws -> StoredCarton {
        let key = try Self.cartonKey(text)
        guard let carton = try await store.unpackCarton(sscc: key.text, at: Timestamp.string(now), job: JobStart(kind: "cartons unpack")) else {
            throw CartonError.noSuchCarton(key.text)
        }
        return carton
    }

    /// A carton key typed or scanned, or the error that says why it is none.
    public static func cartonKey(_ text: String) throws -> CartonKey {
        do {
            return try CartonKey(parsing: text)
        } catch {
            throw CartonError.badCartonKey("\(text.quoted): \(error.description)")
        }
    }

    /// The prefix SSCCs are built under, checked: digits, 6 to 12 of them, and the start of the
    /// product's GTIN when it has one. Nil (carton codes of our own) when there is none.
    static func companyPrefix(_ text: String?, gtin: String?) throws -> String? {
        guard let text = text?.trimmed, !text.isEmpty else { return nil }
        guard text.utf8.allSatisfy({ (48...57).contains($0) }), SSCC.companyPrefixLengths.contains(text.utf8.count) else {
            throw CartonError.badCompanyPrefix(text)
        }
        if let gtin, !GS1CompanyPrefix.isPrefix(text, ofGTIN: gtin) { throw CartonError.prefixNotOfGTIN(prefix: text, gtin: gtin) }
        return text
    }

    /// A `--stamps` file's lines (blank ones skipped): each a stamp URL or stamp ID, none twice.
    static func listedSerials(_ file: URL) throws -> [(line: Int, text: String, serial: String)] {
        let path = InputFiles.displayPath(file)
        let content: String
        do {
            content = try String(contentsOf: file, encoding: .utf8)
        } catch {
            throw CartonError.badStampLine(file: path, line: 0, text: "", reason: "cannot read the file: \(ErrorText.describe(error))")
        }
        var listed: [(line: Int, text: String, serial: String)] = []
        var seen: [String: Int] = [:]
        for (index, raw) in content.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let text = String(raw).trimmed
            guard !text.isEmpty else { continue }
            let serial: String
            if text.contains("://") {
                do { serial = try StampURL(parsing: text).serial.text } catch {
                    throw CartonError.badStampLine(file: path, line: index + 1, text: text, reason: error.description)
                }
            } else {
                do { serial = try StampID(parsing: text).serial.text } catch {
                    throw CartonError.badStampLine(file: path, line: index + 1, text: text,
                                                   reason: "neither a stamp URL nor a stamp ID: \(error.description)")
                }
            }
            if let earlier = seen[serial] {
                throw CartonError.badStampLine(file: path, line: index + 1, text: text,
                                               reason: "the same stamp as line \(earlier) (trùng tem ở dòng \(earlier))")
            }
            seen[serial] = index + 1
            listed.append((index + 1, text, serial))
        }
        return listed
    }

    static func describe(_ reason: UnpackableStamp.Reason, lot: String) -> String {
        switch reason {
        case .unknown: "no such stamp in the registry (không có tem này)"
        case .otherLot: "a stamp of another lot than \(lot) (tem của lô khác)"
        case .revoked: "the stamp is revoked (tem đã bị thu hồi)"
        case .packed(let sscc): "already in carton \(sscc) (tem đã nằm trong thùng \(sscc))"
        }
    }
}

/// GS1 company prefixes: a GTIN does not tell how long its own is, so the catalog or the command
/// says, and this checks the two agree.
public enum GS1CompanyPrefix {
    /// Whether `prefix` starts the GTIN's company part: the digits after a GTIN-14's indicator
    /// digit (a GTIN-13 `8938765000015` is `08938765000015`; its prefix may be `8938765`).
    public static func isPrefix(_ prefix: String, ofGTIN gtin: String) -> Bool {
        let digits = gtin.count < 14 ? String(repeating: "0", count: 14 - gtin.count) + gtin : gtin
        return digits.dropFirst().hasPrefix(prefix)
    }
}

/// The carton manifest: `sscc,first_sequence,last_sequence,count,url`, one row per carton.
enum CartonManifest {
    static func write(_ cartons: [StoredCarton], to url: URL) throws {
        let writer = try AtomicFileWriter(url)
        try writer.write("sscc,first_sequence,last_sequence,count,url\n")
        for carton in cartons {
            let link = (try? CartonKey(parsing: carton.sscc)).map { $0.url(resolver: carton.resolver) } ?? ""
            try writer.write([carton.sscc, String(carton.firstSequence), String(carton.lastSequence), String(carton.count), link]
                .map(CSVText.field).joined(separator: ",") + "\n")
        }
        try writer.commit(durable: true)
    }
}
