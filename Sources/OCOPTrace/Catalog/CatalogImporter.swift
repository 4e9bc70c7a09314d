import Foundation

/// Imports producer catalogs, stamp orders and shipments files into the registry.
///
/// Each file is one batch: rows are validated and written inside one transaction as they stream by,
/// and the transaction commits only when the whole file is good (or, with `skipInvalid`, for the
/// good rows). A rejected file leaves the catalog tables exactly as they were; the attempt itself
/// is kept in the job log. Importing the same file again changes nothing.
public struct CatalogImporter: Sendable {
    public let store: any RegistryStore

    public init(store: any RegistryStore) {
        self.store = store
    }

    /// Imports files and folders: folders are searched for `.csv` and `.xlsx` files, and every
    /// catalog is imported before any stamp-order file or production diary, since they name
    /// catalog products.
    public func importPaths(_ paths: [URL], options: ImportOptions = ImportOptions(),
                            progress: (@Sendable (ImportProgress) -> Void)? = nil) async throws -> [FileImportReport] {
        let files = try InputFiles.expand(paths)
        var catalogs: [URL] = []
        var orders: [URL] = []
        var diaries: [URL] = []
        var shipments: [URL] = []
        for file in files {
            switch Result(catching: { try InputFiles.kind(of: file) }) {
            case .success(.stampOrders): orders.append(file)
            case .success(.diary): diaries.append(file)
            case .success(.shipments): shipments.append(file)
            case .success(.catalog): catalogs.append(file)
            case .failure:
                // Reported by importFile, with the reason, in its turn.
                catalogs.append(file)
            }
        }
        var reports: [FileImportReport] = []
        // Diaries after the catalogs (they name their products); shipments last: they name cartons
        // and lots of the catalogs' products.
        for file in catalogs + orders + diaries + shipments {
            do {
                reports.append(try await importFile(at: file, options: options, progress: progress))
            } catch let error as CatalogError {
                // One unreadable file is reported, and the others are still imported.
                reports.append(try await recordUnreadable(file, error: error, options: options))
            }
        }
        return reports
    }

    private func recordUnreadable(_ url: URL, error: CatalogError, options: ImportOptions) async throws -> FileImportReport {
        let file = InputFiles.displayPath(url)
        var report = FileImportReport(file: file, kind: nil, checksum: try? Digest.sha256(ofFile: url), outcome: .unreadable)
        report.failure = error.description
        guard !options.dryRun else { return report }
        report.jobID = try await store.recordJob(JobStart(kind: "import", file: file, checksum: report.checksum), outcome: .failed,
                                                 counts: JobCounts(), message: error.description)
        return report
    }

    /// Imports one file as one batch. Problems with the data come back in the report (outcome
    /// `rejected`); a file that cannot be read at all, or has no usable header, throws.
    public func importFile(at url: URL, options: ImportOptions = ImportOptions(),
                           progress: (@Sendable (ImportProgress) -> Void)? = nil) async throws -> FileImportReport {
        let started = Date()
        let file = InputFiles.displayPath(url)
        let checksum: String
        do {
            checksum = try Digest.sha256(ofFile: url)
        } catch {
            throw CatalogError.unreadable(file: file, reason: (error as NSError).localizedDescription)
        }
        let header = try InputFiles.header(of: url)
        guard header.kind.isCatalogPipeline else {
            return try await ShipmentFileImporter(store: store).importFile(at: url, file: file, checksum: checksum, header: header, options: options)
        }
        let reader = try InputFiles.reader(for: url)
        let stream = ParsedRowStream(reader: reader, file: file, folder: url.deletingLastPathComponent(), today: options.today)
        defer { stream.stop() }
        let feed = ImportFeed(stream: stream, file: file, checksum: checksum, options: options, started: started, progress: progress)
        let jobID = try await store.importFile(JobStart(kind: "import", file: file, checksum: checksum), dryRun: options.dryRun, rows: feed)
        var report = feed.finishedReport()
        report.jobID = jobID
        if let folder = options.problemsFolder, !report.problems.isEmpty {
            do {
                report.problemsFile = try ProblemLog.write(report.problems, for: file, in: folder)
            } catch {
                report.warnings.append("cannot write the list of problems into \(folder.relativePath): \((error as NSError).localizedDescription)")
            }
        }
        return report
    }
}

/// One file's rows on their way to the store: reads the parsed chunks, checks each row against the
/// rest of the file, hands the store the good ones, and counts what the store did with them.
private final class ImportFeed: CatalogImportFeed, @unchecked Sendable {
    // @unchecked: the store calls `next` and `ending` from one task at a time, in order, and the
    // importer reads the report only once the store is done (CatalogStore.importFile's contract).

    private let stream: ParsedRowStream
    private let file: String
    private let options: ImportOptions
    private let started: Date
    private let progress: (@Sendable (ImportProgress) -> Void)?
    private var report: FileImportReport
    private var repeats: RepeatedKeys?
    private var catalogWriter: CatalogWriter?
    private var orderWriter: StampOrderWriter?
    private var diaryWriter: DiaryWriter?
    private var lastReported = 0

    /// The chunk being written: each row's result, nil while the store's answer is awaited.
    private var results: [Result<RowChange, RowErrors>?] = []
    private var position = ReadPosition(bytesRead: 0, totalBytes: 0)
    /// The chunk's rows that went to the store, with their place in `results`.
    private var products: [(index: Int, row: Int, draft: ProductDraft)] = []
    private var orders: [(index: Int, row: Int, draft: StampOrderDraft)] = []
    private var stages: [(index: Int, row: Int, draft: ProductionStageDraft)] = []
    /// The chunk's diary rows whose product was found, awaiting the stored fingerprints.
    private var pendingStages: [(index: Int, stage: PendingStage)] = []
    /// Where in `results` the rows sent to be written go.
    private var writtenStages: [Int] = []

    init(stream: ParsedRowStream, file: String, checksum: String, options: ImportOptions, started: Date,
         progress: (@Sendable (ImportProgress) -> Void)?) {
        self.stream = stream
        self.file = file
        self.options = options
        self.started = started
        self.progress = progress
        report = FileImportReport(file: file, kind: nil, checksum: checksum, outcome: .succeeded)
    }

    func next(after answer: CatalogAnswer?) throws -> CatalogRequest? {
        switch answer {
        case nil:
            break
        case .productsWritten(let outcomes):
            try expectOne(outcomes.count, per: products.count)
            for (written, outcome) in zip(products, outcomes) {
                results[written.index] = catalogWriter?.change(outcome, of: written.draft, row: written.row)
            }
            finishChunk()
        case .productsFound(let candidates) where !stages.isEmpty:
            guard let diaryWriter else { throw CatalogError.missingHeader(file: file) }
            let byCode = Dictionary(grouping: candidates, by: \.code)
            // Fingerprinted on every core (the store's thread is the import's busiest), in row order.
            let stages = self.stages
            let prepared = mapOnEveryCore(stages.count) { index in
                diaryWriter.prepare(stages[index].draft, row: stages[index].row, candidates: byCode[stages[index].draft.productCode] ?? [])
            }
            for (stage, outcome) in zip(stages, prepared) {
                switch outcome {
                case .success(let pending): pendingStages.append((stage.index, pending))
                case .failure(let errors): results[stage.index] = .failure(errors)
                }
            }
            if !pendingStages.isEmpty { return .findStages(pendingStages.map(\.stage.write.key)) }
            finishChunk()
        case .stagesFound(let fingerprints):
            try expectOne(fingerprints.count, per: pendingStages.count)
            // Rows the store holds as they are stay unchanged, their events never built; the rest
            // get their event's hash and are written.
            guard let diaryWriter else { throw CatalogError.missingHeader(file: file) }
            var toWrite: [PendingStage] = []
            writtenStages = []
            for (pending, stored) in zip(pendingStages, fingerprints) {
                if stored == pending.stage.write.fingerprint {
                    results[pending.index] = .success(.unchanged)
                } else {
                    toWrite.append(pending.stage)
                    writtenStages.append(pending.index)
                }
            }
            // Events built and hashed on every core, in row order.
            let writes = mapOnEveryCore(toWrite.count) { diaryWriter.completed(toWrite[$0]) }
            if !writes.isEmpty { return .writeStages(writes) }
            finishChunk()
        case .stagesWritten(let outcomes):
            try expectOne(outcomes.count, per: writtenStages.count)
            for (index, outcome) in zip(writtenStages, outcomes) {
                results[index] = diaryWriter.map { Result<RowChange, RowErrors>.success($0.change(outcome)) }
            }
            finishChunk()
        case .productsFound(let candidates):
            let byCode = Dictionary(grouping: candidates, by: \.code)
            var writes: [StampOrderWrite] = []
            var written: [(index: Int, row: Int, draft: StampOrderDraft)] = []
            for order in orders {
                switch orderWriter?.prepare(order.draft, row: order.row, candidates: byCode[order.draft.productCode] ?? []) {
                case .success(let write)?:
                    writes.append(write)
                    written.append(order)
                case .failure(let errors)?: results[order.index] = .failure(errors)
                case nil: break
                }
            }
            orders = written
            if !writes.isEmpty { return .writeStampOrders(writes) }
            finishChunk()
        case .stampOrdersWritten(let outcomes):
            try expectOne(outcomes.count, per: orders.count)
            for (written, outcome) in zip(orders, outcomes) {
                results[written.index] = orderWriter?.change(outcome, of: written.draft, row: written.row)
            }
            finishChunk()
        }

        while let event = stream.next() {
            switch event {
            case .failed(let error):
                throw error
            case .header(let map, let row):
                repeats = RepeatedKeys(file: file, header: map)
                report.kind = map.kind
                if !map.ignoredHeaders.isEmpty {
                    report.warnings.append("\(file):\(row): ignored column\(map.ignoredHeaders.count > 1 ? "s" : "") "
                        + map.ignoredHeaders.map { "\($0.quoted)" }.joined(separator: ", "))
                }
                switch map.kind {
                case .catalog: catalogWriter = CatalogWriter(file: file, header: map)
                case .stampOrders: orderWriter = StampOrderWriter(file: file, header: map)
                case .diary: diaryWriter = DiaryWriter(file: file, header: map)
                // Read by ShipmentFileImporter, never streamed here (importFile hands it over).
                case .shipments: throw CatalogError.unknownKind(file: file)
                }
            case .products(let rows, let position):
                guard let catalogWriter, repeats != nil else { throw CatalogError.missingHeader(file: file) }
                self.position = position
                var writes: [CatalogProductWrite] = []
                for parsed in rows {
                    switch repeats?.check(parsed).flatMap({ catalogWriter.prepare($0, row: parsed.row) }) {
                    case .success(let write)?:
                        products.append((results.count, parsed.row, write.product))
                        writes.append(write)
                        results.append(nil)
                    case .failure(let errors)?: results.append(.failure(errors))
                    case nil: break
                    }
                }
                if !writes.isEmpty { return .writeProducts(writes) }
                finishChunk()
            case .stampOrders(let rows, let position):
                guard orderWriter != nil, repeats != nil else { throw CatalogError.missingHeader(file: file) }
                self.position = position
                var codes: [String] = []
                for parsed in rows {
                    switch repeats?.check(parsed) {
                    case .success(let draft)?:
                        orders.append((results.count, parsed.row, draft))
                        codes.append(draft.productCode)
                        results.append(nil)
                    case .failure(let errors)?: results.append(.failure(errors))
                    case nil: break
                    }
                }
                if !codes.isEmpty { return .findProducts(codes: Array(Set(codes)).sorted()) }
                finishChunk()
            case .stages(let rows, let position):
                guard diaryWriter != nil, repeats != nil else { throw CatalogError.missingHeader(file: file) }
                self.position = position
                var codes: Set<String> = []
                for parsed in rows {
                    switch repeats?.check(parsed) {
                    case .success(let draft)?:
                        stages.append((results.count, parsed.row, draft))
                        codes.insert(draft.productCode)
                        results.append(nil)
                    case .failure(let errors)?: results.append(.failure(errors))
                    case nil: break
                    }
                }
                if !codes.isEmpty { return .findProducts(codes: codes.sorted()) }
                finishChunk()
            }
        }
        guard report.kind != nil else { throw CatalogError.missingHeader(file: file) }
        return nil
    }

    func change(of stored: StoredStampOrder, by write: StampOrderWrite) -> StampOrderChange {
        StampOrderWriter.change(of: stored, by: write)
    }

    func producer(_ stored: ProducerDraft, filledInBy row: ProducerDraft) -> ProducerDraft {
        stored.filledIn(by: row)
    }

    private func expectOne(_ answered: Int, per asked: Int) throws {
        guard answered == asked else {
            throw RegistryError.failed(operation: "import \(file)", reason: "it answered \(answered) of \(asked) rows")
        }
    }

    /// Counts the chunk's rows in row order, and tells how far the file is.
    private func finishChunk() {
        for result in results {
            report.rows += 1
            switch result {
            case .success(.inserted)?: report.inserted += 1
            case .success(.updated)?: report.updated += 1
            case .success(.unchanged)?: report.unchanged += 1
            case .failure(let errors)?:
                report.invalidRows += 1
                report.problems.append(contentsOf: errors.problems)
            case nil:
                break // Every row given to the store is answered (`expectOne`).
            }
        }
        results.removeAll(keepingCapacity: true)
        products.removeAll(keepingCapacity: true)
        orders.removeAll(keepingCapacity: true)
        stages.removeAll(keepingCapacity: true)
        pendingStages.removeAll(keepingCapacity: true)
        writtenStages.removeAll(keepingCapacity: true)
        guard let progress, report.rows - lastReported >= 2048 else { return }
        lastReported = report.rows
        progress(ImportProgress(file: file, rows: report.rows, position: position, elapsedSeconds: Date().timeIntervalSince(started)))
    }

    func ending() -> CatalogImportEnding {
        let counts = JobCounts(rowsRead: report.rows, inserted: report.inserted, updated: report.updated,
                               unchanged: report.unchanged, invalid: report.invalidRows)
        if options.dryRun {
            report.outcome = .validated
            return .rollBack
        }
        if report.invalidRows > 0 && !options.skipInvalid {
            report.outcome = .rejected
            return .reject(counts: counts, message: report.jobMessage)
        }
        report.outcome = report.invalidRows > 0 ? .partial : .succeeded
        return .commit(outcome: report.outcome == .partial ? .partial : .succeeded, counts: counts, message: report.jobMessage)
    }

    /// The file's report, once the store is done with it.
    func finishedReport() -> FileImportReport {
        var finished = report
        finished.warnings.append(contentsOf: catalogWriter?.warnings ?? [])
        finished.stampOrderIDs = orderWriter?.orderIDs ?? []
        finished.seconds = Date().timeIntervalSince(started)
        return finished
    }
}

extension FileImportReport {
    /// The job log's message for the file: its first problems.
    var jobMessage: String? {
        problems.isEmpty ? nil
            : problems.prefix(20).map(\.description).joined(separator: "\n")
                + (problems.count > 20 ? "\n… and \(problems.count - 20) more" : "")
    }
}

enum RowChange {
    case inserted, updated, unchanged
}
