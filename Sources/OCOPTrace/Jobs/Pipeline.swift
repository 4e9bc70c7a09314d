import Foundation

/// The main job, `ocoptrace run`: every stage that exists, on a folder of catalogs, stamp orders
/// and shipments files: import, the traceability minimum check, stamp issuance, label sheets,
/// cartons (each issued lot packed, carton labels printed), the shipments files (which name those
/// cartons), marketplace listings, then the report page (`report.html` in the output folder).
public struct Pipeline: Sendable {
    public let store: any RegistryStore
    public let outputFolder: URL

    public init(store: any RegistryStore, outputFolder: URL) {
        self.store = store
        self.outputFolder = outputFolder
    }

    /// A batch, label sheet or marketplace that failed: the job goes on with the rest.
    public struct Failure: Sendable, Codable {
        public enum Stage: String, Sendable, Codable {
            case issue, labels, cartons, export, report
        }

        public var stage: Stage
        /// What failed: `lot L1 of NC-500`, `tiki`.
        public var item: String
        public var message: String

        public var description: String { "\(stage.rawValue): \(item): \(message)" }

        init(stage: Stage, item: String, error: any Error) {
            self.stage = stage
            self.item = item
            message = ErrorText.describe(error)
        }
    }

    public struct Summary: Sendable, Codable {
        public var imports: [FileImportReport]
        /// How many products carry the Vietnamese traceability minimum, and what the others lack.
        public var traceability: TraceabilityCheck.Summary
        public var batches: [BatchReport]
        public var labels: [LabelJob.Report]
        /// The lots packed into cartons by this run (a lot packed before is left as it is).
        public var cartons: [CartonPacker.Report]
        /// Cartons and shipments in the registry after the run.
        public var cartonCount: Int
        public var shipmentCount: Int
        public var exports: [ExportReport]
        /// Every batch, label sheet and marketplace that failed, in the order the stages met them.
        public var failures: [Failure]
        /// The report page written at the end (`output/report.html`); nil when it could not be.
        public var report: String?
        public var registry: RegistryCounts
        public var seconds: Double

        /// Whether any file was rejected or had rows skipped, or any stage failed somewhere.
        public var hasProblems: Bool {
            imports.contains { $0.outcome == .rejected || $0.outcome == .partial } || !failures.isEmpty
        }
    }

    /// Imports the folder, then issues the stamp orders of every stamp-order file that imported.
    public func run(folder: URL, options: ImportOptions = ImportOptions(), issue: IssueOptions, reportLanguage: Language = .en,
                    progress: (@Sendable (ImportProgress) -> Void)? = nil,
                    issueProgress: (@Sendable (IssueProgress) -> Void)? = nil) async throws -> Summary {
        let started = Date()
        try FileManager.default.createDirectory(at: outputFolder, withIntermediateDirectories: true)
        // Shipments files name the cartons this run packs: they are imported once the lots are packed.
        let files = try InputFiles.expand([folder])
        let shipmentFiles = files.filter { (try? InputFiles.kind(of: $0)) == .shipments }
        let importer = CatalogImporter(store: store)
        var imports = try await importer.importPaths(files.filter { !shipmentFiles.contains($0) }, options: options, progress: progress)
        let traceability = try await TraceabilityCheck(store: store).run(language: reportLanguage)
        let orders = imports.filter { $0.outcome == .succeeded || $0.outcome == .partial }.flatMap(\.stampOrderIDs)
        // Each stage goes on past a failed batch, label sheet or marketplace, and says where it failed.
        var failures: [Failure] = []
        var batches: [BatchReport] = []
        for outcome in try await StampIssuer(store: store, options: issue).issueEach(orderIDs: orders, progress: issueProgress) {
            switch outcome.result {
            case .success(let batch): batches.append(batch)
            case .failure(let error):
                failures.append(Failure(stage: .issue, item: "lot \(outcome.lot) of \(outcome.product)", error: error))
            }
        }
        // Label sheets for every batch that has none yet, in the default layout.
        let labelJob = LabelJob(store: store, layout: LabelLayout.named(LabelLayout.defaultName)!)
        var labels: [LabelJob.Report] = []
        for batch in batches {
            let pdf = URL(fileURLWithPath: batch.folder).appendingPathComponent("labels-\(labelJob.layout.name).pdf")
            guard !FileManager.default.fileExists(atPath: pdf.path) else { continue }
            do {
                // A PIN batch's labels print the PINs issuing has just written.
                var job = labelJob
                job.pinsFile = batch.pins.map { URL(fileURLWithPath: $0) }
                labels.append(try await job.write(batchID: batch.batchID, to: pdf))
            } catch {
                failures.append(Failure(stage: .labels, item: "lot \(batch.lot) of \(batch.product)", error: error))
            }
        }
        // Each issued lot packed into cartons (the catalog's carton_size, else 50) with its labels.
        let packer = CartonPacker(store: store, outputFolder: issue.outputFolder)
        var cartons: [CartonPacker.Report] = []
        for batch in batches {
            do {
                cartons.append(try await packer.pack(batchID: batch.batchID))
            } catch CartonError.nothingToPack {
                continue
            } catch {
                failures.append(Failure(stage: .cartons, item: "lot \(batch.lot) of \(batch.product)", error: error))
            }
        }
        if !shipmentFiles.isEmpty {
            imports += try await importer.importPaths(shipmentFiles, options: options, progress: progress)
        }
        // Listings of every product, for the marketplaces that can be exported.
        let exporter = ListingExporter(store: store, options: try ExportOptions(
            folder: outputFolder.appendingPathComponent("exports"), resolver: StampURL.normalisedResolver(issue.resolver),
            categoryMapping: folder.appendingPathComponent("category-mapping.json"), language: reportLanguage))
        var exports: [ExportReport] = []
        do {
            for (marketplace, result) in zip(Marketplace.allCases, try await exporter.exportEach(Marketplace.allCases)) {
                switch result {
                case .success(let report): exports.append(report)
                case .failure(let error): failures.append(Failure(stage: .export, item: marketplace.rawValue, error: error))
                }
            }
        } catch {
            failures.append(Failure(stage: .export, item: "every marketplace", error: error))
        }
        // The report of what the registry now holds, in the language of the export reports, read
        // from a registry settled after the run's bulk writes.
        let page = outputFolder.appendingPathComponent("report.html")
        var report: String?
        do {
            try await store.settleAfterBulkWrites()
            try await ReportJob(store: store, options: ReportOptions(
                resolver: StampURL.normalisedResolver(issue.resolver), categoryMapping: folder.appendingPathComponent("category-mapping.json")))
                .write(to: page, language: reportLanguage)
            report = InputFiles.displayPath(page)
        } catch {
            failures.append(Failure(stage: .report, item: InputFiles.displayPath(page), error: error))
        }
        return Summary(imports: imports, traceability: traceability, batches: batches, labels: labels, cartons: cartons,
                       cartonCount: try await store.cartonCount(), shipmentCount: try await store.shipmentCount(), exports: exports,
                       failures: failures, report: report, registry: try await store.registryCounts(), seconds: Date().timeIntervalSince(started))
    }
}
