import ArgumentParser
import Foundation
import OCOPTrace

extension Marketplace: ExpressibleByArgument {}
extension Language: ExpressibleByArgument {}

struct ExportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Export marketplace listings (Shopee, Lazada, Tiki, TikTok Shop, Google, schema.org) with a validation report.",
        discussion: """
            Titles and descriptions are built within each platform's limits (cut only between words), \
            carry the OCOP rating while the recognition is valid, the producer and origin, and the \
            product's traceability link. Every export writes report.csv: one row per product with ok, \
            warning or rejected and the reasons; rejected products are left out. Exit status 1 when \
            any product was rejected. Local images are checked (format, pixel size, file size, cover \
            shape, as each platform asks) and copied into the export folder.

            Categories: ocoptrace ships each seller centre's category tree and the best leaf per product \
            kind and OCOP group, with a confidence: high and medium are listed, low is listed with a \
            warning to check it in the seller centre, and a kind with no known leaf is rejected with the \
            parent category and the command that finds candidates (ocoptrace categories). A shop's own \
            ids, in catalogs/category-mapping.json: {"shopee": {"product:CODE" | "kind:KIND" | "group:N": "id"}}, \
            win key by key; each id must be a leaf of the tree ocoptrace knows (an id with subcategories \
            is refused, an unknown one warned about). report.csv shows the category used as id (path).

            Reasons are in Vietnamese with --lang vi (or a Vietnamese LANG), else English; each also has a \
            stable code (no-image, title-too-short, no-category, ...).

            With --json: one line per product and platform ({"type": "finding", "status", "reasons", \
            "codes", ...}), then one per marketplace ({"type": "export", "files": [...], "listed", \
            "warnings", "rejected"}).

            Examples:
              ocoptrace export --marketplace google
              ocoptrace export --marketplace shopee --categories my-shop-categories.json
              ocoptrace export --marketplace all --producer "Nem chua" --json
              ocoptrace export --marketplace shopee --lang vi
              ocoptrace export --marketplace google --format xml --stock-from-stamps
              ocoptrace export --marketplace lazada --image-base-url https://cdn.example.vn/ocop/lazada/images/
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

    @Option(help: ArgumentHelp("The shop's category ids per platform (JSON; keys product:CODE, kind:KIND or group:N).", valueName: "file"))
    var categories = "catalogs/category-mapping.json"

    @Option(help: ArgumentHelp("Where the exported images/ folder will be online: listings link to local images there (platforms that take image URLs only leave local images out without it).", valueName: "url"))
    var imageBaseURL: String?

    @Option(help: ArgumentHelp("Language of the reasons in report.csv and on screen: vi or en (default: from LANG).", valueName: "lang"))
    var lang: Language?

    @Flag(help: "Print JSON Lines: every finding, then one summary per marketplace.")
    var json = false

    func validate() throws {
        guard marketplace == "all" || Marketplace(rawValue: marketplace) != nil else {
            throw ValidationError("--marketplace \(marketplace): use \(Marketplace.allCases.map(\.rawValue).joined(separator: ", ")) or all")
        }
        guard format == "tsv" || format == "xml" else { throw ValidationError("--format is tsv or xml") }
        if let imageBaseURL, !(imageBaseURL.hasPrefix("https://") || imageBaseURL.hasPrefix("http://")) {
            throw ValidationError("--image-base-url \(imageBaseURL): give the web address of the images folder, such as https://shop.vn/ocop-images/")
        }
    }

    func run() async throws {
        let marketplaces = marketplace == "all" ? Marketplace.allCases : Marketplace(rawValue: marketplace).map { [$0] } ?? []
        let json = json
        let progress = json ? nil : TerminalProgress()
        defer { progress?.finish() }
        let resolved: String
        do {
            resolved = try StampURL.normalisedResolver(IssueOptions.resolveResolver(resolver))
        } catch {
            throw ValidationError("\(error)")
        }
        let options = ExportOptions(
            folder: URL(fileURLWithPath: out), producer: producer, stockFromStamps: stockFromStamps, resolver: resolved,
            googleXML: format == "xml", categoryMapping: URL(fileURLWithPath: categories),
            imageBaseURL: imageBaseURL, language: lang ?? .fromEnvironment)
        let reports = try await registry.with(.readOnly) { store in
            try await ListingExporter(store: store, options: options).export(marketplaces) { finding in
                progress?.tick("listings checked")
                if json { Console.printJSON(TypedLine(type: "finding", body: finding)); return }
                guard finding.status != .ok else { return }
                progress?.finish()
                let line = "\(finding.platform): \(finding.product) (\(finding.producer)): \(finding.reasons.joined(separator: "; "))"
                if finding.status == .rejected { Console.error(line) } else { Console.warning(line) }
            }
        }
        for report in reports {
            if json { Console.printJSON(TypedLine(type: "export", body: report)); continue }
            print(ReportPrinter.summary(report))
        }
        if reports.contains(where: { $0.rejected > 0 }) { throw ExitCodes.rejected }
    }
}

/// A JSON Lines record with a `type` beside its own fields, so that a script can tell findings
/// from the per-marketplace summaries that follow them.
struct TypedLine<Body: Encodable>: Encodable {
    var type: String
    var body: Body

    private enum Key: String, CodingKey { case type }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: Key.self)
        try container.encode(type, forKey: .type)
        try body.encode(to: encoder)
    }
}
