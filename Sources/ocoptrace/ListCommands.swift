import ArgumentParser
import Foundation
import OCOPTrace

struct ProductsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "products",
        abstract: "List the products in the registry, with producer and OCOP fields.",
        discussion: """
            The Kind column is the product kind recognised from the name, as category mappings name \
            it (kind:honey, kind:tea, ...).

            Examples:
              ocoptrace products
              ocoptrace products --producer "Nem chua" --json
            """
    )

    @OptionGroup var registry: RegistryOptions

    @Option(help: ArgumentHelp("Only producers whose name contains this (case and accents ignored).", valueName: "name"))
    var producer: String?

    @Option(help: ArgumentHelp("Only producers in this province.", valueName: "province"))
    var province: String?

    @Flag(help: "Print JSON Lines, one product a line.")
    var json = false

    func run() throws {
        let products: [ProductListing]
        do {
            products = try ProductListing.fetch(from: Registry(readOnlyPath: registry.path), producer: producer, province: province)
        } catch {
            throw ExitCodes.report(error)
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
            return [product.producer, product.code, product.name, product.gtin ?? "-",
                    Formatting.vnd(product.priceVND), ocop, product.province,
                    ProductKinds.shipped.kind(ofProductNamed: product.name)?.kind ?? "-"]
        }
        Console.table(header: ["Producer", "Code", "Product", "GTIN", "Price", "OCOP", "Province", "Kind"], rows: rows)
        print("\(products.count) product\(products.count == 1 ? "" : "s")")
    }
}

struct JobsCommand: ParsableCommand {
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

    func run() throws {
        let jobs: [JobLog.Entry]
        do {
            jobs = try JobLog.entries(in: Registry(readOnlyPath: registry.path), limit: limit)
        } catch {
            throw ExitCodes.report(error)
        }
        if json {
            jobs.forEach(Console.printJSON)
            return
        }
        Console.table(header: ["Job", "Kind", "Started", "Outcome", "Rows", "New", "Updated", "Same", "Invalid", "File"],
                      rows: jobs.map { job in
                          [String(job.id), job.kind, String(job.startedAt.prefix(19)), job.outcome, String(job.rowsRead),
                           String(job.inserted), String(job.updated), String(job.unchanged), String(job.invalid), job.file ?? "-"]
                      })
    }
}
