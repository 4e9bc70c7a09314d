import ArgumentParser
import Foundation
import OCOPTrace

struct ProductsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "products",
        abstract: "List the products in the registry, with producer and OCOP fields.",
        discussion: """
            The Kind column is the product kind recognised from the name, as category mappings name \
            it (kind:honey, kind:tea, ...).

            --check-traceability lists, per product, what the Vietnamese traceability minimum \
            (Circular 02/2024, Decree 37/2026 digital product passport) asks for that the catalog \
            lacks, with stable codes: no-image, no-producer-address, no-producer-id, no-shelf-life, \
            no-gtin, no-location-code. Exit status 1 when any product is incomplete.

            Examples:
              ocoptrace products
              ocoptrace products --producer "Nem chua" --json
              ocoptrace products --check-traceability --lang vi
              ocoptrace products --check-traceability --json
            """
    )

    @OptionGroup var registry: RegistryOptions

    @Option(help: ArgumentHelp("Only producers whose name contains this (case and accents ignored).", valueName: "name"))
    var producer: String?

    @Option(help: ArgumentHelp("Only producers in this province.", valueName: "province"))
    var province: String?

    @Flag(help: "List what each product and each of its lots lacks of the Vietnamese traceability minimum: catalog fields, a production stage with a place and a time (no-stages), an applied standard (no-standard) (Kiểm tra thông tin truy xuất tối thiểu).")
    var checkTraceability = false

    @Option(help: ArgumentHelp("Language of --check-traceability's reasons: vi or en (default: from LANG).", valueName: "lang"))
    var lang: Language?

    @Flag(help: "Print JSON Lines, one product a line (with --check-traceability: one finding a line, one per lot with its lot, then the summary).")
    var json = false

    func run() async throws {
        if checkTraceability { return try await runTraceabilityCheck() }
        let products = try await registry.with(.readOnly) { store in
            return try await StoredProduct.list(in: store, producer: producer, province: province)
        }
        if json {
            products.forEach(Console.printJSON)
            return
        }
        let today = CalendarDate.today()
        let rows = products.map { product -> [String] in
            var ocop = "-"
            if let recognition = product.ocop {
                ocop = String(repeating: "★", count: recognition.stars)
                if !recognition.isValid(on: today) { ocop += " (expired)" }
            }
            return [product.producer, product.code, product.name, product.gtin?.digits ?? "-",
                    Formatting.vnd(product.priceVND), ocop, product.province,
                    ProductKinds.shipped.kind(ofProductNamed: product.name)?.kind ?? "-"]
        }
        Console.table(header: ["Producer", "Code", "Product", "GTIN", "Price", "OCOP", "Province", "Kind"], rows: rows)
        print("\(products.count) product\(products.count == 1 ? "" : "s")")
    }
}

extension ProductsCommand {
    private func runTraceabilityCheck() async throws {
        let language = lang ?? .fromEnvironment
        var rows: [[String]] = []
        // Codes in the table (sentences would be cut to the column's width), each explained once below it.
        var legend: [String: String] = [:]
        let summary = try await registry.with(.readOnly) { store in
            return try await TraceabilityCheck(store: store).run(producer: producer, province: province, language: language) { finding in
                if json {
                    Console.printJSON(finding)
                } else {
                    rows.append([finding.producer, finding.code, finding.name, finding.lot ?? "-",
                                 finding.complete ? (language == .vi ? "đủ" : "complete") : finding.missing.joined(separator: ", ")])
                    for (code, reason) in zip(finding.missing, finding.reasons) { legend[code] = reason }
                }
            }
        }
        if json {
            Console.printJSON(TraceabilityJSONSummary(summary: summary))
        } else {
            Console.table(header: language == .vi ? ["Chủ thể", "Mã", "Sản phẩm", "Lô", "Còn thiếu"] : ["Producer", "Code", "Product", "Lot", "Missing"],
                          rows: rows)
            for (code, reason) in legend.sorted(by: { $0.key < $1.key }) { print("  \(code): \(reason)") }
            print(ReportPrinter.summary(summary))
        }
        if summary.complete < summary.findings { throw ExitCodes.rejected }
    }
}

/// The last line of `products --check-traceability --json`, told apart from the findings by its type.
private struct TraceabilityJSONSummary: Encodable {
    let type = "summary"
    let summary: TraceabilityCheck.Summary

    enum CodingKeys: String, CodingKey { case type, products, lots, findings, complete, missing }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(type, forKey: .type)
        try container.encode(summary.products, forKey: .products)
        try container.encode(summary.lots, forKey: .lots)
        try container.encode(summary.findings, forKey: .findings)
        try container.encode(summary.complete, forKey: .complete)
        try container.encode(summary.missing, forKey: .missing)
    }
}

struct JobsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "jobs",
        abstract: "List past batch jobs (imports and later stages), newest first.",
        discussion: """
            Example:
              ocoptrace jobs --limit 10
            """
    )

    @OptionGroup var registry: RegistryOptions

    @Option(help: "How many jobs to show.")
    var limit = 50

    @Flag(help: "Print JSON Lines, one job a line.")
    var json = false

    func run() async throws {
        let jobs = try await registry.with(.readOnly) { store in
            return try await store.jobs(limit: limit)
        }
        if json {
            jobs.forEach(Console.printJSON)
            return
        }
        Console.table(header: ["Job", "Kind", "Started", "Outcome", "Rows", "New", "Updated", "Same", "Invalid", "File"],
                      rows: jobs.map { job in
                          [String(job.id), job.kind, String(job.startedAt.prefix(19)), job.outcome.rawValue, String(job.rowsRead),
                           String(job.inserted), String(job.updated), String(job.unchanged), String(job.invalid), job.file ?? "-"]
                      })
    }
}
