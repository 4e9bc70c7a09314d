import ArgumentParser
import Foundation
import OCOPTrace

struct RunCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "The main job: run every stage on a folder of catalogs and stamp orders.",
        discussion: """
            Imports every catalog and then every stamp-order file in the folder into the registry, \
            writing into output/, and ends with a short summary. Later stages (stamps, labels, exports) \
            join this job as they are built. Safe to rerun: unchanged files change nothing.

            Example:
              ocoptrace run catalogs/
            """
    )

    @OptionGroup var registry: RegistryOptions

    @Argument(help: ArgumentHelp("The folder of catalogs and stamp orders.", valueName: "folder"))
    var folder = "catalogs"

    @Option(help: ArgumentHelp("Where generated files go.", valueName: "folder"))
    var output = "output"

    @Flag(help: "Print the summary as JSON.")
    var json = false

    func run() throws {
        let summary: Pipeline.Summary
        do {
            _ = try InputFiles.expand([URL(fileURLWithPath: folder)])
            let registry = try Registry(path: registry.path)
            let progress = TerminalProgress()
            summary = try Pipeline(registry: registry, outputFolder: URL(fileURLWithPath: output))
                .run(folder: URL(fileURLWithPath: folder), progress: progress?.callback)
            progress?.finish()
        } catch let error as CatalogError {
            Console.error("\(error)")
            throw ExitCodes.unreadableInput
        } catch let error as RegistryError {
            Console.error("\(error)")
            throw ExitCodes.registryError
        }
        if json {
            Console.printJSON(summary)
        } else {
            for report in summary.imports { ReportPrinter.print(report) }
            let counts = summary.registry
            print("""
                Registry \(registry.path): \(counts.producers) producers, \(counts.products) products, \
                \(counts.stampOrders) stamp orders (\(counts.pendingStampOrders) not issued yet). \
                Done in \(String(format: "%.2f", summary.seconds)) s.
                """)
        }
        throw ReportPrinter.exitCode(for: summary.imports)
    }
}
