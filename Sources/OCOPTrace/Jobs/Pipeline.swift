import Foundation

/// The main job, `ocoptrace run`: every stage that exists, on a folder of catalogs and stamp
/// orders. Today that is the import; stamp issuance, labels and exports join as they are built.
public struct Pipeline: Sendable {
    public let registry: Registry
    public let outputFolder: URL

    public init(registry: Registry, outputFolder: URL) {
        self.registry = registry
        self.outputFolder = outputFolder
    }

    public struct Summary: Sendable, Codable {
        public var imports: [FileImportReport]
        public var registry: RegistryCounts
        public var seconds: Double

        /// Whether any file was rejected or had rows skipped.
        public var hasProblems: Bool {
            imports.contains { $0.outcome == .rejected || $0.outcome == .partial }
        }
    }

    public func run(folder: URL, options: ImportOptions = ImportOptions(),
                    progress: (@Sendable (ImportProgress) -> Void)? = nil) throws -> Summary {
        let started = Date()
        try FileManager.default.createDirectory(at: outputFolder, withIntermediateDirectories: true)
        let imports = try CatalogImporter(registry: registry).importPaths([folder], options: options, progress: progress)
        return Summary(imports: imports, registry: try RegistryCounts.fetch(from: registry),
                       seconds: Date().timeIntervalSince(started))
    }
}
