import Foundation
import GRDB

/// Imports producer catalogs and stamp orders into the registry.
///
/// Each file is one batch: rows are validated and written inside one transaction as they stream by,
/// and the transaction commits only when the whole file is good (or, with `skipInvalid`, for the
/// good rows). A rejected file leaves the catalog tables exactly as they were; the attempt itself
/// is kept in the job log. Importing the same file again changes nothing.
public struct CatalogImporter: Sendable {
    public let registry: Registry

    public init(registry: Registry) {
        self.registry = registry
    }

    /// Imports files and folders: folders are searched for `.csv` and `.xlsx` files, and every
    /// catalog is imported before any stamp-order file, since orders name catalog products.
    public func importPaths(_ paths: [URL], options: ImportOptions = ImportOptions(),
                            progress: (@Sendable (ImportProgress) -> Void)? = nil) throws -> [FileImportReport] {
        let files = try InputFiles.expand(paths)
        var catalogs: [URL] = []
        var orders: [URL] = []
        for file in files {
            switch Result(catching: { try InputFiles.kind(of: file) }) {
            case .success(.stampOrders): orders.append(file)
            case .success(.catalog): catalogs.append(file)
            case .failure:
                // Reported by importFile, with the reason, in its turn.
                catalogs.append(file)
            }
        }
        return try (catalogs + orders).map { file in
            do {
                return try importFile(at: file, options: options, progress: progress)
            } catch let error as CatalogError {
                // One unreadable file is reported, and the others are still imported.
                return try recordUnreadable(file, error: error, options: options)
            }
        }
    }

    private func recordUnreadable(_ url: URL, error: CatalogError, options: ImportOptions) throws -> FileImportReport {
        let file = InputFiles.displayPath(url)
        var report = FileImportReport(file: file, kind: nil, checksum: try? Digest.sha256(ofFile: url), outcome: .unreadable)
        report.failure = error.description
        guard !options.dryRun else { return report }
        report.jobID = try registry.write { db in
            try JobLog.record(db, kind: "import", file: file, checksum: report.checksum, startedAt: Timestamp.now(),
                              outcome: "failed", message: error.description)
        }
        return report
    }

    /// Imports one file as one batch. Problems with the data come back in the report (outcome
    /// `rejected`); a file that cannot be read at all, or has no usable header, throws.
    public func importFile(at url: URL, options: ImportOptions = ImportOptions(),
                           progress: (@Sendable (ImportProgress) -> Void)? = nil) throws -> FileImportReport {
        let started = Date()
        let file = InputFiles.displayPath(url)
        let checksum: String
        do {
            checksum = try Digest.sha256(ofFile: url)
        } catch {
            throw CatalogError.unreadable(file: file, reason: (error as NSError).localizedDescription)
        }
        let reader = try InputFiles.reader(for: url)
        let stamp = Timestamp.now()

        let attempt: (Database) throws -> FileImportReport = { db in
            var report = FileImportReport(file: file, kind: nil, checksum: checksum, outcome: .succeeded)
            var jobID: Int64?
            if !options.dryRun {
                jobID = try JobLog.start(db, kind: "import", file: file, checksum: checksum, startedAt: stamp)
            }
            var header: HeaderMap?
            var repeats: RepeatedKeys?
            var catalogWriter: CatalogWriter?
            var orderWriter: StampOrderWriter?
            var lastReported = 0
            let stream = ParsedRowStream(reader: reader, file: file, folder: url.deletingLastPathComponent(), today: options.today)
            defer { stream.stop() }

            func record(_ change: Result<RowChange, RowErrors>) {
                report.rows += 1
                switch change {
                case .success(.inserted): report.inserted += 1
                case .success(.updated): report.updated += 1
                case .success(.unchanged): report.unchanged += 1
                case .failure(let errors):
                    report.invalidRows += 1
                    report.problems.append(contentsOf: errors.problems)
                }
            }
            func reportProgress(_ position: ReadPosition) {
                guard let progress, report.rows - lastReported >= 2048 else { return }
                lastReported = report.rows
                progress(ImportProgress(file: file, rows: report.rows, position: position,
                                        elapsedSeconds: Date().timeIntervalSince(started)))
            }

            while let event = stream.next() {
                switch event {
                case .failed(let error):
                    throw error
                case .header(let map, let row):
                    header = map
                    repeats = RepeatedKeys(file: file, header: map)
                    report.kind = map.kind
                    if !map.ignoredHeaders.isEmpty {
                        report.warnings.append("\(file):\(row): ignored column\(map.ignoredHeaders.count > 1 ? "s" : "") "
                            + map.ignoredHeaders.map { "\"\($0)\"" }.joined(separator: ", "))
                    }
                    switch map.kind {
                    case .catalog: catalogWriter = CatalogWriter(db: db, file: file, header: map, jobID: jobID, now: stamp)
                    case .stampOrders: orderWriter = StampOrderWriter(db: db, file: file, header: map, jobID: jobID, now: stamp)
                    }
                case .products(let rows, let position):
                    for parsed in rows {
                        switch repeats!.check(parsed) {
                        case .failure(let errors): record(.failure(errors))
                        case .success(let draft): record(try RowErrors.catching { try catalogWriter!.apply(draft, row: parsed.row) })
                        }
                    }
                    reportProgress(position)
                case .stampOrders(let rows, let position):
                    for parsed in rows {
                        switch repeats!.check(parsed) {
                        case .failure(let errors): record(.failure(errors))
                        case .success(let draft): record(try RowErrors.catching { try orderWriter!.apply(draft, row: parsed.row) })
                        }
                    }
                    reportProgress(position)
                }
            }
            guard header != nil else { throw CatalogError.missingHeader(file: file) }
            report.warnings.append(contentsOf: catalogWriter?.warnings ?? [])
            report.stampOrderIDs = orderWriter?.orderIDs ?? []
            report.jobID = jobID
            report.seconds = Date().timeIntervalSince(started)
            if options.dryRun {
                report.outcome = .validated
            } else if report.invalidRows > 0 && !options.skipInvalid {
                report.outcome = .rejected
                throw RejectedImport(report: report)
            } else {
                report.outcome = report.invalidRows > 0 ? .partial : .succeeded
                try report.finishJob(db, id: jobID!)
            }
            return report
        }

        var report: FileImportReport
        do {
            report = options.dryRun ? try registry.writeAndRollBack(attempt) : try registry.write(attempt)
        } catch let rejection as RejectedImport {
            // The data rolled back; the attempt still belongs in the job log.
            report = rejection.report
            let rejected = report
            report.jobID = try registry.write { db in
                let id = try JobLog.start(db, kind: "import", file: file, checksum: checksum, startedAt: stamp)
                try rejected.finishJob(db, id: id)
                return id
            }
        }
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

extension FileImportReport {
    /// Ends the file's job-log entry with its outcome, counts and first problems.
    func finishJob(_ db: Database, id: Int64) throws {
        let message: String? = problems.isEmpty ? nil
            : problems.prefix(20).map(\.description).joined(separator: "\n")
                + (problems.count > 20 ? "\n… and \(problems.count - 20) more" : "")
        try JobLog.finish(db, id: id, outcome: outcome.rawValue,
                          counts: JobLog.Counts(rowsRead: rows, inserted: inserted, updated: updated, unchanged: unchanged, invalid: invalidRows),
                          message: message)
    }
}

/// Carries a rejected file's report out of its transaction, which rolls it back.
private struct RejectedImport: Error {
    var report: FileImportReport
}

enum RowChange {
    case inserted, updated, unchanged
}
