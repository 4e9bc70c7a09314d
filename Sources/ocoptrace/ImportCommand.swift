import ArgumentParser
import Foundation
import OCOPTrace

struct ImportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Import producer catalogs, stamp orders and production diaries (CSV or .xlsx) into the registry.",
        discussion: """
            Each file is checked completely before anything is written. One invalid row rejects the \
            whole file (unless --skip-invalid), and every invalid row is listed as file:row:column: message. \
            Catalogs, stamp orders and production diaries (nhật ký sản xuất: a stage column, Công đoạn) \
            are told apart by their columns; headers may be English (product_code, price_vnd, stage, ...) \
            or Vietnamese (Mã sản phẩm, Giá bán, Công đoạn, ...). Catalogs are imported first, then stamp \
            orders, then diaries. Importing the same file again changes nothing; a changed row updates its \
            product, order or stage (and the stage's EPCIS event). See docs/catalogs.md for the columns.

            Exit status: 0 imported, 1 a file was rejected, 2 rows were skipped (--skip-invalid), \
            66 an input could not be read, 73 the registry could not be opened.

            Examples:
              ocoptrace import catalogs/
              ocoptrace import --dry-run new-catalog.xlsx
              ocoptrace import --skip-invalid --json catalog.csv stamp-orders.csv
              ocoptrace import nhat-ky-san-xuat.csv
            """
    )

    @OptionGroup var registry: RegistryOptions

    @Argument(help: ArgumentHelp("Catalog, stamp-order or production-diary files, or folders holding them.", valueName: "file-or-folder"))
    var paths: [String]

    @Flag(help: "Import the valid rows and report the invalid ones, instead of rejecting the file.")
    var skipInvalid = false

    @Flag(help: "Validate only: write nothing to the registry.")
    var dryRun = false

    @Flag(help: "Print one JSON report per file (JSON Lines) instead of text.")
    var json = false

    func run() async throws {
        let reports: [FileImportReport]
        let progress = TerminalProgress()
        let urls = paths.map { URL(fileURLWithPath: $0) }
        // Inputs are checked before the registry is opened, so a typo creates no registry.
        _ = try InputFiles.expand(urls)
        let options = ImportOptions(skipInvalid: skipInvalid, dryRun: dryRun, problemsFolder: registry.outputFolder)
        let importAll = { (store: any RegistryStore) in
            defer { progress?.finish() }
            return try await CatalogImporter(store: store).importPaths(urls, options: options, progress: progress?.callback)
        }
        // A dry run touches no registry: it checks the files against a copy (see DryRunRegistry).
        reports = dryRun ? try await DryRunRegistry.with(try registry.location, importAll) : try await registry.with(.readWrite, importAll)
        for report in reports {
            if json { Console.printJSON(report) } else { ReportPrinter.print(report) }
        }
        throw ReportPrinter.exitCode(for: reports)
    }
}
