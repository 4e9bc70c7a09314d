import ArgumentParser
import Foundation
import OCOPTrace

struct EPCISImportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Import partners' EPCIS 2.0 events about our stamps and cartons (Nhập sự kiện EPCIS của đối tác).",
        discussion: """
            Reads EPCIS 2.0 JSON or JSON-LD documents from distributors' and shops' systems (an \
            EPCISDocument's epcisBody.eventList, or an EPCISQueryDocument's \
            queryResults.resultsBody.eventList). Each document is first checked against GS1's EPCIS \
            2.0 JSON schema, which ships with ocoptrace: a document that fails is refused whole, \
            nothing of any file is written, and every error is listed with its JSON path \
            (file: $.epcisBody.eventList[3].eventTime: …).

            ObjectEvents (shipping, receiving, retail_selling, … any bizStep) and AggregationEvents \
            are imported when their epcList, childEPCs, parentID or quantityList name one of our \
            stamps, cartons or lots, in any form: https://id.gs1.org/01/{GTIN}/21/{serial}, our \
            resolver's URLs, urn:epc:id:sgtin:…, …/00/{SSCC}, urn:epc:id:sscc:…, …/01/{GTIN}/10/{lot}, \
            carton codes …/c/C000000042. Events naming none of ours (a shop's other brands) are \
            skipped and listed; an event imported before (same eventID, or same CBV 2.0 event hash) \
            is skipped as a duplicate, so the same file twice changes nothing. Imported events show \
            in the stamp's journey (page, verify, offline packs), in `epcis` export and in the \
            gs1:traceability answer. See docs/partner-events.md.

            Exit status: 0 imported (events may have been skipped), 65 a document is not valid \
            EPCIS 2.0 (nothing imported), 66 a file could not be read (nothing imported), 73 the \
            registry could not be opened.

            Examples:
              ocoptrace epcis import cua-hang-ocop-2026-11.jsonld
              ocoptrace epcis import --dry-run --json distributor/*.json
            """
    )

    @OptionGroup var registry: RegistryOptions

    @Argument(help: ArgumentHelp("EPCIS 2.0 JSON or JSON-LD documents.", valueName: "file"))
    var files: [String]

    @Flag(help: "Check only: write nothing to the registry.")
    var dryRun = false

    @Flag(help: "Print one JSON summary per document (JSON Lines) instead of text.")
    var json = false

    /// A document that is not valid EPCIS 2.0 (sysexits EX_DATAERR).
    static let invalidDocument = ExitCode(65)

    func run() async throws {
        let urls = files.map { URL(fileURLWithPath: $0) }
        let importAll = { (store: any RegistryStore) in
            try await PartnerEventImport(store: store).importFiles(urls, dryRun: dryRun)
        }
        let summaries: [PartnerEventImport.FileSummary]
        do {
            // A dry run touches no registry: it imports into a copy (see DryRunRegistry).
            summaries = dryRun ? try await DryRunRegistry.with(try registry.location, importAll) : try await registry.with(.readWrite, importAll)
        } catch let error as PartnerEventImport.ImportError {
            if json {
                Console.printJSON(RefusedDocument(file: error.file, errors: error.failures))
            }
            Console.error("\(error)")
            if case .unreadable = error { throw ExitCodes.unreadableInput }
            throw Self.invalidDocument
        }
        for summary in summaries {
            if json {
                Console.printJSON(summary)
                continue
            }
            let dry = summary.dryRun ? " (dry run, nothing written / chạy thử, không ghi gì)" : ""
            print("""
                \(summary.file): \(summary.events) event\(summary.events == 1 ? "" : "s"): \(summary.imported) imported, \
                \(summary.duplicates) already imported, \(summary.skipped.count) skipped \
                (\(summary.imported) sự kiện đã nhập, \(summary.duplicates) đã có, \(summary.skipped.count) bỏ qua)\(dry)
                """)
            for skipped in summary.skipped {
                print("  event \(skipped.index)\(skipped.eventID.map { " \($0)" } ?? ""): \(skipped.reason)")
            }
        }
    }

    /// `--json` for a refused document: its file and each error with its path.
    struct RefusedDocument: Encodable {
        var file: String
        var errors: [EPCISDocumentSchema.Failure]
        var refused = true
    }
}
