import ArgumentParser
import Foundation
import OCOPTrace

struct ReportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Write the province's or a producer's figures as one HTML page of charts and tables (Báo cáo số liệu).",
        discussion: """
            Headline figures as the province reports them (producers by type; OCOP products by star \
            rating and group, recognitions ending within 90 days; products each marketplace would list, \
            list with warnings or refuse, by the same rules as export; stamps issued, scanned, suspected \
            copies, revoked; products and lots meeting the traceability minimum), charts (stamps issued \
            per month by producer, the ten largest and "others"; scans per day by verdict; marketplace \
            readiness; traceability per producer; OCOP products by stars; and, where the registry holds \
            a production diary, cartons or shipments, production stages, cartons, shipments and receipts per \
            month) and tables per district (or commune), per producer, the chain per month, and the \
            most-scanned suspected copies with their lot and first and last scan.

            The page is self-contained (inline SVG charts, no script, nothing fetched), reads on a \
            phone and prints on A4; --pdf also prints it to a PDF beside it through headless Chromium \
            (chromium on PATH, or $OCOPTRACE_CHROMIUM). Vietnamese unless --lang en. Days and months \
            are UTC, as the registry stores times. --json prints the same figures as one JSON object \
            (producers.total, products.total, products.ocop, stamps.issued, stamps.scanned, \
            stamps.revoked, stamps.suspected_copies, per_producer, per_marketplace, chain.stages, \
            chain.cartons, chain.shipments, chain.receipts, chain.by_month, ...).

            Examples:
              ocoptrace report
              ocoptrace report --province "Phú Thọ" --since 2026-01-01 --until 2026-03-31 --pdf
              ocoptrace report --producer "Nem chua" --lang en --out nem-chua.html
              ocoptrace report --json
            """
    )

    @OptionGroup var registry: RegistryOptions

    @Option(help: ArgumentHelp("Only producers whose name contains this (case and accents ignored).", valueName: "name"))
    var producer: String?

    @Option(help: ArgumentHelp("Only producers of this province (case and accents ignored).", valueName: "province"))
    var province: String?

    @Option(help: ArgumentHelp("The period's first day (2026-01-01 or 01/01/2026); default: from the first figures.", valueName: "date"))
    var since: String?

    @Option(help: ArgumentHelp("The period's last day (2026-03-31 or 31/03/2026); default: up to the last figures.", valueName: "date"))
    var until: String?

    @Option(help: ArgumentHelp("The page to write (default: report.html beside the registry, output/report.html).", valueName: "file"))
    var out: String?

    @Option(help: ArgumentHelp("The page's language: vi (default) or en.", valueName: "lang"))
    var lang: Language = .vi

    @Option(help: ArgumentHelp("More scans than this make a stamp a suspected copy (as verify).", valueName: "n"))
    var cloneThreshold = CloneRule().threshold

    @Option(help: ArgumentHelp("The shop's category ids per platform, as export takes them.", valueName: "file"))
    var categories = "catalogs/category-mapping.json"

    @Option(help: ArgumentHelp("The resolver of traceability links, as export takes it (default: $OCOPTRACE_RESOLVER, else \(IssueOptions.defaultResolver)).", valueName: "url"))
    var resolver: String?

    @Flag(help: "Also print the page to a PDF beside it (same name, .pdf) through headless Chromium.")
    var pdf = false

    @Flag(help: "Print the figures as one JSON object.")
    var json = false

    func validate() throws {
        let first = try since.map { try Self.day($0, option: "--since") }
        let last = try until.map { try Self.day($0, option: "--until") }
        if let first, let last, last < first {
            throw ValidationError("--until \(last.iso) is before --since \(first.iso) / --until trước --since")
        }
        guard cloneThreshold >= 1 else { throw ValidationError("--clone-threshold is at least 1") }
    }

    static func day(_ text: String, option: String) throws -> CalendarDate {
        guard let day = CalendarDate(parsing: text) else {
            throw ValidationError("\(option) \(text): write a day, 2026-03-31 or 31/03/2026 / ghi một ngày, 2026-03-31 hoặc 31/03/2026")
        }
        return day
    }

    func run() async throws {
        let resolved: String
        do {
            resolved = try StampURL.normalisedResolver(IssueOptions.resolveResolver(resolver))
        } catch {
            throw ValidationError("\(error)")
        }
        let options = ReportOptions(producer: producer, province: province,
                                    period: ReportPeriod(since: try since.map { try Self.day($0, option: "--since") },
                                                         until: try until.map { try Self.day($0, option: "--until") }),
                                    cloneThreshold: cloneThreshold, resolver: resolved, categoryMapping: URL(fileURLWithPath: categories))
        let page = out.map { URL(fileURLWithPath: $0) } ?? registry.outputFolder.appendingPathComponent("report.html")
        let report = try await registry.with(.readOnly) { store in
            try await ReportJob(store: store, options: options).write(to: page, language: lang)
        }
        var written = [InputFiles.displayPath(page)]
        if pdf {
            let file = page.deletingPathExtension().appendingPathExtension("pdf")
            try ReportPDF.print(page: page, to: file)
            written.append(InputFiles.displayPath(file))
        }
        if json {
            Console.printJSON(report)
        } else {
            print((lang == .vi ? "Đã ghi báo cáo: " : "Report written: ") + written.joined(separator: ", "))
        }
    }
}
