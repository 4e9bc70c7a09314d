import ArgumentParser
import Foundation
import OCOPTrace

struct RunCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "The main job: run every stage on a folder of catalogs and stamp orders.",
        discussion: """
            Imports every catalog, then every stamp-order file, then every production diary in the folder \
            into the registry, counts the products and lots that carry the Vietnamese traceability minimum \
            (products --check-traceability), \
            issues the stamps of every order not issued yet (PNGs and manifests under output/stamps/), \
            writes their label sheets (PDF, layout a4-5x13), exports marketplace listings (Shopee, Lazada, \
            Tiki and TikTok Shop workbooks, Google feed, schema.org JSON-LD, each with report.csv; category \
            ids shipped with ocoptrace, the shop's own from category-mapping.json in the folder) into output/exports/, writes the \
            report page (ocoptrace report) to output/report.html, and ends with a short summary \
            (producers, products, orders, stamps issued, production stages, cartons, shipments). \
            Safe to rerun: unchanged files change nothing, issued lots are not issued again.

            Example:
              ocoptrace run catalogs/
            """
    )

    @OptionGroup var registry: RegistryOptions

    @Argument(help: ArgumentHelp("The folder of catalogs and stamp orders.", valueName: "folder"))
    var folder = "catalogs"

    @OptionGroup var issuing: IssuingOptions

    @Option(help: ArgumentHelp("Language of the export reports' reasons: vi or en (default: from LANG).", valueName: "lang"))
    var lang: Language?

    @Flag(help: "Print the summary as JSON.")
    var json = false

    func run() async throws {
        let progress = TerminalProgress()
        let summary: Pipeline.Summary = try await registry.with(.readWrite) { store in
            defer { progress?.finish() }
            _ = try InputFiles.expand([URL(fileURLWithPath: folder)])
            return try await Pipeline(store: store, outputFolder: URL(fileURLWithPath: issuing.output))
                .run(folder: URL(fileURLWithPath: folder), options: ImportOptions(problemsFolder: URL(fileURLWithPath: issuing.output)), issue: issuing.issueOptions, reportLanguage: lang ?? .fromEnvironment,
                     progress: progress?.callback,
                     issueProgress: progress?.issueCallback)
        }
        if json {
            Console.printJSON(summary)
        } else {
            for report in summary.imports { ReportPrinter.print(report) }
            print(ReportPrinter.summary(summary.traceability))
            for batch in summary.batches { ReportPrinter.print(batch) }
            for export in summary.exports { print(ReportPrinter.summary(export)) }
            for label in summary.labels { print("labels for lot \(label.lot) of \(label.product): \(label.pdf) (\(label.pages) page\(label.pages == 1 ? "" : "s"))") }
            for packed in summary.cartons {
                print("cartons for lot \(packed.lot) of \(packed.product): \(packed.cartons) carton\(packed.cartons == 1 ? "" : "s") of \(packed.perCarton), labels \(packed.labels ?? "-")")
            }
            for failure in summary.failures { Console.error(failure.description) }
            if let report = summary.report { print("report: \(report)") }
            let counts = summary.registry
            print("""
                Registry \((try? registry.location)?.description ?? ""): \(counts.producers) producers, \(counts.products) products, \
                \(counts.stampOrders) stamp orders (\(counts.pendingStampOrders) not issued yet), \(counts.issuedStamps) stamps issued, \
                \(counts.productionStages) production stages, \(summary.cartonCount) cartons, \(summary.shipmentCount) shipments. \
                Done in \(String(format: "%.2f", summary.seconds)) s.
                """)
        }
        let importStatus = ReportPrinter.exitCode(for: summary.imports)
        // A failed batch, label sheet or marketplace is as serious as a rejected file.
        if !summary.failures.isEmpty, importStatus == .success || importStatus == ExitCodes.partial {
            throw ExitCodes.rejected
        }
        throw importStatus
    }
}
