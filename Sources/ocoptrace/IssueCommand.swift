import ArgumentParser
import Foundation
import OCOPTrace

struct IssueCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "issue",
        abstract: "Issue traceability stamps (tem truy xuất nguồn gốc) as QR PNGs with a manifest.",
        discussion: """
            Each stamp gets a random 80-bit serial, a stamp ID to type (7K3Q-M9XW-2HPT-4RVA-C) and a URL: \
            a GS1 Digital Link (/01/{GTIN}/10/{lot}/21/{serial}) when the product has a GTIN, else \
            /p/{product code}/10/{lot}/21/{serial}. PNGs go to output/stamps/{product}/{code}/{lot}/0001/... \
            (a thousand to a folder) with manifest.csv beside them.

            With --scratch-pin (or the catalog's scratch_pin / Tem cào = có), every stamp also gets an \
            8-character PIN for a scratch-off box: pins.csv (mode 0600) beside the manifest, for the \
            label printer only; the registry keeps a keyed hash (key: pin-hmac.key in --keys).

            A batch counts as issued only once every stamp, PNG and the manifest exist. If a run is \
            interrupted, run the same command again: it completes the batch to exactly its quantity.

            Examples:
              ocoptrace issue --orders catalogs/don-dat-tem-2026-11.csv
              ocoptrace issue --product NC-500 --lot NC2612A --count 500 --produced 2026-12-01
              ocoptrace issue --product MT-200 --lot MT-2026-12 --count 200 --embed-signature --json
              ocoptrace issue --product MT-200 --lot MT-2026-12B --count 200 --scratch-pin
            """
    )

    @OptionGroup var registry: RegistryOptions
    @OptionGroup var issuing: IssuingOptions

    @Option(help: ArgumentHelp("A stamp-order file: import it and issue every order in it not issued yet.", valueName: "file"))
    var orders: String?

    @Option(help: ArgumentHelp("Issue one batch for this product code.", valueName: "code"))
    var product: String?

    @Option(help: ArgumentHelp("The producer, when several use the product code.", valueName: "name"))
    var producer: String?

    @Option(help: ArgumentHelp("The lot number (Số lô).", valueName: "lot"))
    var lot: String?

    @Option(help: ArgumentHelp("How many stamps.", valueName: "n"))
    var count: Int?

    @Option(help: ArgumentHelp("Production date (YYYY-MM-DD or DD/MM/YYYY).", valueName: "date"))
    var produced: String?

    @Option(help: ArgumentHelp("Expiry date; default: production date + the product's shelf life.", valueName: "date"))
    var expires: String?

    @Flag(help: "Print one JSON summary per batch (JSON Lines), with the manifest path.")
    var json = false

    func validate() throws {
        if orders != nil {
            guard product == nil, lot == nil, count == nil else {
                throw ValidationError("use either --orders FILE or --product/--lot/--count, not both")
            }
        } else {
            guard product != nil, lot != nil, count != nil else {
                throw ValidationError("name a stamp-order file with --orders, or a batch with --product, --lot and --count")
            }
        }
        for (name, value) in [("--produced", produced), ("--expires", expires)] {
            if let value, CalendarDate(parsing: value) == nil { throw ValidationError("\(name) \(value) is not a date") }
        }
    }

    func run() async throws {
        let progress = TerminalProgress()
        var importReports: [FileImportReport] = []
        let batches: [BatchReport] = try await registry.with(.readWrite) { store in
            defer { progress?.finish() }
            var batches: [BatchReport] = []
            if let orders {
                let url = URL(fileURLWithPath: orders)
                _ = try InputFiles.expand([url])
                // The file's kind first, from its header: a catalog given here must change nothing.
                guard try InputFiles.kind(of: url) == .stampOrders else {
                    throw ValidationError("\(orders) is a catalog, not a stamp-order file: import it with `ocoptrace import \(orders)`; nothing was changed")
                }
                let report = try await CatalogImporter(store: store)
                    .importFile(at: url, options: ImportOptions(problemsFolder: self.registry.outputFolder))
                importReports.append(report)
                if report.outcome == .succeeded {
                    batches = try await StampIssuer(store: store, options: issuing.issueOptions)
                        .issue(orderIDs: report.stampOrderIDs, progress: progress?.issueCallback)
                }
            } else {
                batches = [try await StampIssuer(store: store, options: issuing.issueOptions).issue(
                    productCode: product!, producer: producer, lot: lot!, count: count!,
                    producedOn: produced.flatMap(CalendarDate.init(parsing:)), expiresOn: expires.flatMap(CalendarDate.init(parsing:)),
                    progress: progress?.issueCallback)]
                }
            return batches
        }
        for report in importReports where report.outcome != .succeeded { ReportPrinter.print(report) }
        for batch in batches {
            if json { Console.printJSON(batch) } else { ReportPrinter.print(batch) }
        }
        throw ReportPrinter.exitCode(for: importReports)
    }
}

struct RenderCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "render",
        abstract: "Re-render an issued batch's PNGs and manifest from the registry (reprints); issues nothing.",
        discussion: """
            The URLs are exactly those issued; size, error correction and quiet zone may change.

            Examples:
              ocoptrace render --lot NC2611A
              ocoptrace render --lot NC2611A --product NC-500 --size 8 --ecc Q
            """
    )

    @OptionGroup var registry: RegistryOptions

    @Option(help: ArgumentHelp("The lot to re-render.", valueName: "lot"))
    var lot: String

    @Option(help: ArgumentHelp("The product, when several have this lot number.", valueName: "code"))
    var product: String?

    @Option(help: ArgumentHelp("Where stamps/ is written.", valueName: "folder"))
    var output = "output"

    @OptionGroup var rendering: RenderingOptions

    @Flag(help: "Print the summary as JSON.")
    var json = false

    func run() async throws {
        let progress = TerminalProgress()
        let report: BatchReport = try await registry.with(.readOnly) { store in
            defer { progress?.finish() }
            let options = IssueOptions(outputFolder: URL(fileURLWithPath: output), render: rendering.renderOptions)
            return try await StampIssuer(store: store, options: options).rerender(lot: lot, productCode: product, progress: progress?.issueCallback)
        }
        if json { Console.printJSON(report) } else { ReportPrinter.print(report) }
    }
}
