import Foundation

/// The main job, `ocoptrace run`: every stage that exists, on a folder of catalogs and stamp
/// orders: import, stamp issuance, label sheets, then marketplace listings.
public struct Pipeline: Sendable {
    public let registry: Registry
    public let outputFolder: URL

    public init(registry: Registry, outputFolder: URL) {
        self.registry = registry
        self.outputFolder = outputFolder
    }

    public struct Summary: Sendable, Codable {
        public var imports: [FileImportReport]
        public var batches: [BatchReport]
        public var labels: [LabelJob.Report]
        public var exports: [ExportReport]
        public var registry: RegistryCounts
        public var seconds: Double

        /// Whether any file was rejected or had rows skipped.
        public var hasProblems: Bool {
            imports.contains { $0.outcome == .rejected || $0.outcome == .partial }
        }
    }

    /// Imports the folder, then issues the stamp orders of every stamp-order file that imported.
    public func run(folder: URL, options: ImportOptions = ImportOptions(), issue: IssueOptions, reportLanguage: Language = .en,
                    progress: (@Sendable (ImportProgress) -> Void)? = nil,
                    issueProgress: (@Sendable (IssueProgress) -> Void)? = nil) throws -> Summary {
        let started = Date()
        try FileManager.default.createDirectory(at: outputFolder, withIntermediateDirectories: true)
        let imports = try CatalogImporter(registry: registry).importPaths([folder], options: options, progress: progress)
        let orders = imports.filter { $0.outcome == .succeeded || $0.outcome == .partial }.flatMap(\.stampOrderIDs)
        let batches = try StampIssuer(registry: registry, options: issue).issue(orderIDs: orders, progress: issueProgress)
        // Label sheets for every batch that has none yet, in the default layout.
        let labelJob = LabelJob(registry: registry, layout: LabelLayout.named(LabelLayout.defaultName)!)
        var labels: [LabelJob.Report] = []
        for batch in batches {
            let pdf = URL(fileURLWithPath: batch.folder).appendingPathComponent("labels-\(labelJob.layout.name).pdf")
            guard !FileManager.default.fileExists(atPath: pdf.path) else { continue }
            labels.append(try labelJob.write(batchID: batch.batchID, to: pdf))
        }
        // Listings of every product, for the marketplaces that can be exported.
        let exports = try ListingExporter(registry: registry, options: ExportOptions(
            folder: outputFolder.appendingPathComponent("exports"), resolver: StampURL.normalisedResolver(issue.resolver),
            categoryMapping: folder.appendingPathComponent("category-mapping.json"), language: reportLanguage))
            .export(Marketplace.allCases)
        return Summary(imports: imports, batches: batches, labels: labels, exports: exports,
                       registry: try RegistryCounts.fetch(from: registry), seconds: Date().timeIntervalSince(started))
    }
}
