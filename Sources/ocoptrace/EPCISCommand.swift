import ArgumentParser
import Foundation
import OCOPTrace

/// `ocoptrace epcis`: EPCIS 2.0 out (the default, `epcis export`) and in (`epcis import`).
struct EPCISCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "epcis",
        abstract: "GS1 EPCIS 2.0 documents: write the registry's events, or import partners' (Sự kiện EPCIS 2.0).",
        discussion: """
            Without a subcommand, `epcis` is `epcis export`: ocoptrace epcis --out output/epcis.jsonld \
            works as it always has.

            Examples:
              ocoptrace epcis --out output/epcis.jsonld
              ocoptrace epcis import shop-events.jsonld
            """,
        subcommands: [EPCISExportCommand.self, EPCISImportCommand.self],
        defaultSubcommand: EPCISExportCommand.self
    )
}

struct EPCISExportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Write the registry's stamp events as a GS1 EPCIS 2.0 JSON-LD document (Xuất sự kiện EPCIS 2.0).",
        discussion: """
            One ObjectEvent ADD / commissioning / active per issued batch, its stamps in epcList as \
            canonical GS1 Digital Link URIs (https://id.gs1.org/01/{GTIN}/21/{serial}; stamps without \
            a GTIN keep their resolver URI, {resolver}/p/{code}/10/{lot}/21/{serial}), eventTime when \
            the batch was issued (+07:00), readPoint and bizLocation https://id.gs1.org/414/{GLN} when \
            the catalog gives the producer's GLN, and ilmd with the lot, production and expiry dates. \
            One ObjectEvent DELETE / decommissioning per revocation, its reason in \
            ocoptrace:revocationReason; these carry no eventID (see docs/commands.md). One ObjectEvent per \
            row of the production diaries, about the lot as a class (quantityList with \
            https://id.gs1.org/01/{GTIN}/10/{lot}), bizStep from its stage word (a CBV word, or \
            https://ocoptrace.vn/ns/epcis#BizStep-… where CBV has none), eventTime its start, \
            readPoint and bizLocation from the place's GLN, and ocoptrace:stage, stageLabel, place, \
            province, actor, standard and certificate. Then the \
            cartons: an AggregationEvent ADD / packing per carton (its SSCC as parentID, its stamps as \
            childEPCs) and DELETE / unpacking when it was opened; and the shipments: an ObjectEvent \
            OBSERVE / shipping / in_transit and, once received, OBSERVE / receiving / in_progress, with \
            the producer and receiver in sourceList and destinationList by their GLNs. Stage, carton \
            and shipment events carry their CBV 2.0 event hash as eventID (see docs/cartons.md). Last, \
            the events partners' documents recorded (epcis import), as received, with their own eventID \
            or else their hash (not with --lot or --producer; see docs/partner-events.md).

            Without --out the document goes to standard output. The file is written as a stream and \
            put in place whole: a million stamps take no more memory than ten.

            Examples:
              ocoptrace epcis --out output/epcis.jsonld
              ocoptrace epcis --lot NC2611A --out nc2611a.jsonld --json
              ocoptrace epcis --producer "Nem chua" --since 2026-11-01 > nem-chua.jsonld
            """
    )

    @OptionGroup var registry: RegistryOptions

    @Option(help: ArgumentHelp("Only this lot (as written on the order: \"Lô 1\" finds Lo-1).", valueName: "lot"))
    var lot: String?

    @Option(help: ArgumentHelp("Only producers whose name contains this (case and accents ignored).", valueName: "name"))
    var producer: String?

    @Option(help: ArgumentHelp("Only events from this day on (2026-11-20 or 20/11/2026, Viet Nam time) or this ISO 8601 instant.", valueName: "date"))
    var since: String?

    @Option(help: ArgumentHelp("The file to write (default: standard output).", valueName: "file"))
    var out: String?

    @Flag(help: "Print the summary as JSON (needs --out).")
    var json = false

    func validate() throws {
        if let since, EPCISExport.Filter.since(parsing: since) == nil {
            throw ValidationError("--since \(since): write a day (2026-11-20 or 20/11/2026) or an instant (2026-11-20T08:00:00+07:00)")
        }
        if json, out == nil {
            throw ValidationError("--json prints a summary beside the document: name the document's file with --out")
        }
    }

    func run() async throws {
        let filter = EPCISExport.Filter(lot: lot, producer: producer, since: since.flatMap(EPCISExport.Filter.since(parsing:)))
        let out = out
        let summary = try await registry.with(.readOnly) { store in
            do {
                let url = out.map { URL(fileURLWithPath: $0) }
                if let folder = url?.deletingLastPathComponent() {
                    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
                }
                return try await EPCISExport(store: store).write(filter, to: url)
            } catch let error as CocoaError {
                // Foundation's error, named with the file it was writing.
                throw FileWriteError(path: out ?? "-", reason: error.localizedDescription)
            }
        }
        if json {
            Console.printJSON(summary)
            return
        }
        let message = """
            EPCIS \(summary.file ?? "(stdout)"): \(summary.commissioningEvents) commissioning event\(summary.commissioningEvents == 1 ? "" : "s") \
            (\(summary.commissionedStamps) stamps), \(summary.decommissioningEvents) decommissioning event\(summary.decommissioningEvents == 1 ? "" : "s") \
            (\(summary.decommissionedStamps) stamps), \(summary.stageEvents) production-stage event\(summary.stageEvents == 1 ? "" : "s") \
            in \(String(format: "%.2f", summary.seconds)) s \
            (\(summary.commissioningEvents) sự kiện phát hành, \(summary.decommissioningEvents) sự kiện thu hồi, \
            \(summary.stageEvents) sự kiện công đoạn sản xuất); \
            \(summary.aggregationEvents) carton events, \(summary.shippingEvents) shipping, \(summary.receivingEvents) receiving \
            (\(summary.aggregationEvents) sự kiện đóng/mở thùng, \(summary.shippingEvents) gửi hàng, \(summary.receivingEvents) nhận hàng)\
            \(summary.partnerEvents > 0 ? "; \(summary.partnerEvents) partner events (\(summary.partnerEvents) sự kiện của đối tác)" : "")
            """
        // The document itself may be on standard output: the summary goes beside it, on standard error.
        if out == nil { Console.note(message) } else { print(message) }
        if summary.batchesWithoutGLN > 0 {
            Console.note("""
                \(summary.batchesWithoutGLN) batch\(summary.batchesWithoutGLN == 1 ? " has" : "es have") no producer GLN: \
                no readPoint or bizLocation (add the gln column, Mã địa điểm toàn cầu (GLN), to the catalog) \
                (\(summary.batchesWithoutGLN) lô tem của chủ thể chưa có mã GLN: sự kiện không có địa điểm)
                """)
        }
    }
}
