import ArgumentParser
import Foundation
import OCOPTrace

extension Marketplace: ExpressibleByArgument {}

struct ExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Export marketplace listings (Shopee, Lazada, Tiki, TikTok Shop, Google, schema.org) with a validation report.",
        discussion: """
            Titles and descriptions are built within each platform's limits (cut only between words), \
            carry the OCOP rating while the recognition is valid, the producer and origin, and the \
            product's traceability link. Every export writes report.csv: one row per product with ok, \
            warning or rejected and the reasons; rejected products are left out. Exit status 1 when \
            any product was rejected. Seller-centre workbooks need category ids: the shop's own, in \
            catalogs/category-mapping.json (keys group:N or product:CODE).

            Examples:
              ocoptrace export --marketplace google
              ocoptrace export --marketplace shopee --categories my-shop-categories.json
              ocoptrace export --marketplace all --producer "Nem chua" --json
              ocoptrace export --marketplace google --format xml --stock-from-stamps
            """
    )

    @OptionGroup var registry: RegistryOptions

    @Option(help: ArgumentHelp("shopee, lazada, tiki, tiktok, google, jsonld, or all.", valueName: "name"))
    var marketplace: String

    @Option(help: ArgumentHelp("The exports folder (a folder per marketplace inside).", valueName: "folder"))
    var out = "output/exports"

    @Option(help: ArgumentHelp("Only this producer's products (name contains, accents ignored).", valueName: "name"))
    var producer: String?

    @Option(help: ArgumentHelp("Google feed format: tsv (default) or xml (RSS 2.0).", valueName: "format"))
    var format = "tsv"

    @Flag(help: "Stock = issued, unrevoked stamps, instead of the catalog's stock column.")
    var stockFromStamps = false

    @Option(help: ArgumentHelp("The resolver of traceability links (default: $OCOPTRACE_RESOLVER, else \(IssueOptions.defaultResolver)).", valueName: "url"))
    var resolver: String?

    @Option(help: ArgumentHelp("The shop's category ids per platform (JSON; keys group:N or product:CODE).", valueName: "file"))
    var categories = "catalogs/category-mapping.json"

    @Flag(help: "Print one JSON report per marketplace (JSON Lines).")
    var json = false

    func validate() throws {
        guard marketplace == "all" || Marketplace(rawValue: marketplace) != nil else {
            throw ValidationError("--marketplace \(marketplace): use \(Marketplace.allCases.map(\.rawValue).joined(separator: ", ")) or all")
        }
        guard format == "tsv" || format == "xml" else { throw ValidationError("--format is tsv or xml") }
    }

    func run() throws {
        let marketplaces = marketplace == "all" ? Marketplace.allCases : [Marketplace(rawValue: marketplace)!]
        let reports: [ExportReport]
        do {
            let resolved = try StampURL.normalisedResolver(IssueOptions.resolveResolver(resolver))
            let store = try Registry(readOnlyPath: registry.path)
            reports = try ListingExporter(registry: store, options: ExportOptions(
                folder: URL(fileURLWithPath: out), producer: producer, stockFromStamps: stockFromStamps, resolver: resolved,
                googleXML: format == "xml", categoryMapping: URL(fileURLWithPath: categories))).export(marketplaces)
        } catch let error as StampURL.ParseError {
            throw ValidationError(error.description)
        } catch {
            throw ExitCodes.report(error)
        }
        for report in reports {
            if json { Console.printJSON(report); continue }
            for finding in report.findings where finding.status != .ok {
                let line = "\(report.platform): \(finding.product) (\(finding.producer)): \(finding.status.rawValue): \(finding.reasons.joined(separator: "; "))"
                if finding.status == .rejected { Console.error(line) } else { Console.warning(line) }
            }
            print("\(report.platform): \(report.listed) listed, \(report.rejected) rejected → \(report.file) (report: \(report.report))")
        }
        if reports.contains(where: { $0.rejected > 0 }) { throw ExitCodes.rejected }
    }
}
