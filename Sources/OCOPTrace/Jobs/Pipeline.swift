import Foundation

/// The main job, `ocoptrace run`: every stage that exists, on a folder of catalogs and stamp
/// orders: import, the traceability minimum check, stamp issuance, label sheets, then marketplace listings.
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
            case issue, labels, export
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
        public var exports: [ExportReport]
        /// Every batch, label sheet and marketplace that failed, in the order the stages met them.
        public var failures: [Failure]
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
        let imports = try await CatalogImporter(store: store).importPaths([folder], options: options, progress: progress)
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
        return Summary(imports: imports, traceability: traceability, batches: batches, labels: labels, exports: exports, failures: failures,
                       registry: try await store.registryCounts(), seconds: Date().timeIntervalSince(started))
    }
}
