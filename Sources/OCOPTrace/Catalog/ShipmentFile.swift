import Foundation

/// Imports a shipments file (CSV or xlsx, English or Vietnamese headers): one row per carton
/// (`sscc`) or lot (`product_code` + `lot`, with `quantity` when part of it) shipped to, or
/// received by, a receiver (`receiver`, `receiver_province`, `receiver_gln`), with `shipped_at`
/// and/or `received_at`.
///
/// The catalog rules hold: every bad row is reported at once with its file, row and column, and
/// then nothing is written but the job log's line; the same file imported twice changes nothing,
/// and a row that gains its `received_at` records the receipt. The rows name cartons and lots
/// already in the registry, so the whole file is checked against it before anything is written,
/// and written in one transaction.
struct ShipmentFileImporter: Sendable {
    let store: any RegistryStore

    /// A row read and checked on its own, before the registry is asked about its carton or lot.
    private struct Row {
        var number: Int
        var carton: CartonKey?
        var productCode: String?
        var producer: String?
        var lot: String?
        var count: Int?
        var receiver: PartyDraft
        var shippedAt: String?
        var receivedAt: String?
    }

    func importFile(at url: URL, file: String, checksum: String, header: HeaderMap, options: ImportOptions) async throws -> FileImportReport {
        let started = Date()
        var report = FileImportReport(file: file, kind: .shipments, checksum: checksum, outcome: .succeeded)
        report.warnings = header.ignoredHeaders.map { "\(file): column \($0.quoted) is not a shipments column and is ignored" }
        var rows: [Row] = []
        var headerSeen = false
        try InputFiles.reader(for: url).forEachRow { raw, _ in
            if raw.isBlank { return }
            if !headerSeen {
                headerSeen = true
                return
            }
            report.rows += 1
            switch parse(raw, header: header, file: file) {
            case .success(let row): rows.append(row)
            case .failure(let errors):
                report.invalidRows += 1
                report.problems += errors.problems
            }
        }
        // The registry's cartons and lots, each looked up once.
        var entries: [(row: Int, entry: ShipmentEntry)] = []
        var cartons: [String: StoredCarton?] = [:]
        var lots: [String: [StampBatch]] = [:]
        for row in rows {
            func problem(_ column: CatalogColumn, _ message: String) {
                report.invalidRows += 1
                report.problems.append(RowProblem(file: file, row: row.number, column: header.header(of: column), message: message))
            }
            if let key = row.carton {
                if cartons[key.text] == nil { cartons[key.text] = .some(try await store.carton(sscc: key.text)) }
                guard let found = cartons[key.text], let carton = found else {
                    problem(.sscc, "no carton \(key.text) in the registry: pack it first (ocoptrace cartons pack)")
                    continue
                }
                guard carton.unpackedAt == nil || row.shippedAt == nil else {
                    problem(.sscc, "carton \(key.text) was unpacked: its stamps are in no carton now")
                    continue
                }
                entries.append((row.number, ShipmentEntry(cartonID: carton.id, batchID: carton.batchID, count: nil, receiver: row.receiver,
                                                          shippedAt: row.shippedAt, receivedAt: row.receivedAt)))
            } else if let code = row.productCode, let lotLabel = row.lot {
                let lot = (try? LotNumber(transliterating: lotLabel).code) ?? lotLabel
                if lots[lot] == nil { lots[lot] = try await store.batches(lot: lot) }
                let matching = (lots[lot] ?? []).filter { $0.productCode == code && $0.status == .issued }
                    .filter { batch in row.producer.map { batch.producer.matchingKey.contains($0.matchingKey) } ?? true }
                guard matching.count == 1 else {
                    problem(.lot, matching.isEmpty ? "no issued stamps of \(code) lot \(lotLabel) in the registry"
                        : "\(code) lot \(lotLabel) belongs to several producers: name one in the producer column")
                    continue
                }
                if let count = row.count, count > matching[0].quantity {
                    problem(.quantity, "lot \(lotLabel) has \(matching[0].quantity) stamps, not \(count)")
                    continue
                }
                entries.append((row.number, ShipmentEntry(cartonID: nil, batchID: matching[0].id, count: row.count, receiver: row.receiver,
                                                          shippedAt: row.shippedAt, receivedAt: row.receivedAt)))
            }
        }
        report.problems.sort { $0.row < $1.row }
        report.seconds = Date().timeIntervalSince(started)
        let job = JobStart(kind: "import", file: file, checksum: checksum, startedAt: Timestamp.string(started))
        if !report.problems.isEmpty, !options.skipInvalid {
            report.outcome = .rejected
            if !options.dryRun {
                report.jobID = try await store.recordJob(job, outcome: .rejected, counts: JobCounts(rowsRead: report.rows, invalid: report.invalidRows),
                                                         message: "\(report.invalidRows) invalid rows")
            }
            return report
        }
        if options.dryRun {
            report.outcome = .validated
            return report
        }
        let recording = try await store.recordShipments(entries.map(\.entry), job: job)
        report.inserted = recording.inserted
        report.updated = recording.received
        report.unchanged = recording.unchanged
        report.outcome = report.problems.isEmpty ? .succeeded : .partial
        report.seconds = Date().timeIntervalSince(started)
        return report
    }

    private func parse(_ raw: RawRow, header: HeaderMap, file: String) -> Result<Row, RowErrors> {
        var problems: [RowProblem] = []
        func problem(_ column: CatalogColumn, _ message: String) {
            problems.append(RowProblem(file: file, row: raw.number, column: header.header(of: column), message: message))
        }
        func text(_ column: CatalogColumn) -> String? {
            let value = header.cell(column, in: raw).nfc.trimmed
            return value.isEmpty ? nil : value
        }
        var carton: CartonKey?
        if let sscc = text(.sscc) {
            do { carton = try CartonKey(parsing: sscc) } catch { problem(.sscc, "\(sscc.quoted): \(error.description)") }
        } else if text(.productCode) == nil || text(.lot) == nil {
            problem(text(.productCode) == nil ? .productCode : .lot,
                    "a row names a carton (sscc) or a lot (product_code and lot) (cần mã thùng, hoặc mã sản phẩm và số lô)")
        }
        var count: Int?
        if let quantity = text(.quantity) {
            do { count = try FieldParsers.count(quantity, allowZero: false) } catch {
                problem(.quantity, "\(quantity.quoted) is not a number of stamps: write a whole number, 1 or more")
            }
        }
        let receiver = text(.receiver)
        let province = text(.receiverProvince)
        if receiver == nil { problem(.receiver, "\(CatalogColumn.receiver.displayName) is required") }
        if province == nil { problem(.receiverProvince, "\(CatalogColumn.receiverProvince.displayName) is required") }
        var gln: GLN?
        if let value = text(.receiverGLN) {
            do { gln = try GLN(parsing: value) } catch { problem(.receiverGLN, "\(value.quoted): \(error)") }
        }
        var times: [CatalogColumn: String] = [:]
        for column in [CatalogColumn.shippedAt, .receivedAt] {
            guard let value = text(column) else { continue }
            do { times[column] = try FieldParsers.eventTime(value).utc } catch { problem(column, error.message) }
        }
        if text(.shippedAt) == nil, text(.receivedAt) == nil {
            problem(.shippedAt, "a row needs shipped_at or received_at (cần ngày gửi hoặc ngày nhận)")
        }
        if let shipped = times[.shippedAt], let received = times[.receivedAt], received < shipped {
            problem(.receivedAt, "received before it was shipped (ngày nhận trước ngày gửi)")
        }
        guard problems.isEmpty, let receiver, let province else { return .failure(RowErrors(problems: problems)) }
        return .success(Row(number: raw.number, carton: carton, productCode: text(.productCode), producer: text(.producer), lot: text(.lot),
                            count: carton == nil ? count : nil, receiver: PartyDraft(name: receiver, province: province, gln: gln),
                            shippedAt: times[.shippedAt], receivedAt: times[.receivedAt]))
    }
}
