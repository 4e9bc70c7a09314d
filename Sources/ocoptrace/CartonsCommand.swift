import ArgumentParser
import Foundation
import OCOPTrace

struct CartonsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cartons",
        abstract: "Pack a lot's stamps into cartons with SSCCs, open a carton, list cartons.",
        discussion: """
            Each carton gets a new SSCC (GS1 AI 00: extension digit, the producer's GS1 company \
            prefix, a serial reference, the check digit), never given twice, also after an unpack. \
            A producer without a GS1 company prefix gets carton codes of the registry's own \
            (C000000001, …) under the stamps' resolver. See docs/cartons.md.

            Examples:
              ocoptrace cartons pack --product NC-500 --lot NC2611A --per-carton 50 --company-prefix 8938765
              ocoptrace cartons pack --product NC-500 --lot NC2611A --per-carton 24 --stamps scanned.txt
              ocoptrace cartons unpack "(00) 0 89387650000000008"
              ocoptrace cartons list --lot NC2611A --json
            """,
        subcommands: [CartonsPackCommand.self, CartonsUnpackCommand.self, CartonsListCommand.self]
    )
}

struct CartonsPackCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pack",
        abstract: "Pack a lot's stamps into cartons; write the cartons' label PDF and manifest CSV.",
        discussion: """
            Packs the lot's issued, unrevoked stamps that are in no carton yet, in sequence order \
            (or the stamps listed in --stamps, scanned URLs or stamp IDs one a line, in the file's \
            order), N to a carton: the first carton holds the lot's first stamps. Writes \
            cartons-{first SSCC}.pdf (one label per carton: QR of …/00/{sscc}, "(00) …", product, \
            lot, count, producer) and cartons-{first SSCC}.csv (sscc,first_sequence,last_sequence,count,url) \
            beside the lot's stamps.

            Example:
              ocoptrace cartons pack --product NC-500 --lot NC2611A --per-carton 50 --company-prefix 8938765
            """
    )

    @OptionGroup var registry: RegistryOptions

    @Option(help: ArgumentHelp("The product's code.", valueName: "code"))
    var product: String

    @Option(help: ArgumentHelp("The lot, as coded or as written on the order.", valueName: "lot"))
    var lot: String

    @Option(help: ArgumentHelp("Stamps per carton (default: the catalog's carton_size, else 50).", valueName: "N"))
    var perCarton: Int?

    @Option(help: ArgumentHelp("The GS1 company prefix the SSCCs are built under (default: the catalog's gs1_company_prefix).",
                               valueName: "digits"))
    var companyPrefix: String?

    @Option(help: ArgumentHelp("Pack only these stamps: a file of scanned URLs or stamp IDs, one a line.", valueName: "file"))
    var stamps: String?

    @Option(help: ArgumentHelp("Where stamps/ is.", valueName: "folder"))
    var output = "output"

    @Flag(help: "Write the manifest only, no label PDF (print the labels later, or not at all).")
    var noLabels = false

    @Flag(help: "Print the summary as JSON.")
    var json = false

    func validate() throws {
        if let perCarton, perCarton < 1 { throw ValidationError("--per-carton: a carton holds at least one stamp (mỗi thùng ít nhất một tem)") }
    }

    func run() async throws {
        let report = try await registry.with(.readWrite) { store in
            try await CartonPacker(store: store, outputFolder: URL(fileURLWithPath: output), writeLabels: !noLabels)
                .pack(productCode: product, lot: lot, perCarton: perCarton, companyPrefix: companyPrefix,
                      stampsFile: stamps.map { URL(fileURLWithPath: $0) })
        }
        if json { Console.printJSON(report); return }
        print("packed \(report.stamps) stamps of \(report.product) lot \(report.lot) into \(report.cartons) carton\(report.cartons == 1 ? "" : "s") of \(report.perCarton) "
            + "(đã đóng \(report.stamps) tem vào \(report.cartons) thùng): \(report.firstCarton ?? "") … \(report.lastCarton ?? "")")
        if report.companyPrefix == nil {
            print("no GS1 company prefix: carton codes of the registry's own (không có mã doanh nghiệp GS1: dùng mã thùng riêng)")
        }
        if let labels = report.labels { print("labels (nhãn thùng): \(labels)") }
        if let manifest = report.manifest { print("manifest (danh sách thùng): \(manifest)") }
    }
}

struct CartonsUnpackCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "unpack",
        abstract: "Open a carton: its stamps may be packed again; its SSCC is never given again.",
        discussion: """
            Takes the SSCC as printed or scanned: 18 digits, "(00) 0 8938765…", a carton code \
            (C000000001) or the carton's URL.

            Example:
              ocoptrace cartons unpack 089387650000000008
            """
    )

    @OptionGroup var registry: RegistryOptions

    @Argument(help: ArgumentHelp("The carton's SSCC, carton code or URL.", valueName: "sscc"))
    var sscc: String

    @Flag(help: "Print the carton as JSON.")
    var json = false

    func run() async throws {
        let carton = try await registry.with(.readWrite) { store in try await CartonPacker(store: store).unpack(sscc) }
        if json { Console.printJSON(carton); return }
        print("carton \(carton.sscc) unpacked (đã mở thùng): \(carton.count) stamps of \(carton.productCode) lot \(carton.lotLabel) are free to pack again")
    }
}

struct CartonsListCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list",
        abstract: "List cartons in packing order: SSCC, product, lot, count, sequences, packed and unpacked times.",
        discussion: """
            Examples:
              ocoptrace cartons list
              ocoptrace cartons list --product NC-500 --lot NC2611A --json
            """
    )

    @OptionGroup var registry: RegistryOptions

    @Option(help: ArgumentHelp("Only this product's cartons.", valueName: "code"))
    var product: String?

    @Option(help: ArgumentHelp("Only this lot's cartons (as coded or as written on the order).", valueName: "lot"))
    var lot: String?

    @Flag(help: "Print one JSON object per carton, one a line.")
    var json = false

    func run() async throws {
        try await registry.with(.readOnly) { store in
            var rows: [[String]] = []
            for try await carton in store.cartons(productCode: product, lot: lot.map { (try? LotNumber(transliterating: $0).code) ?? $0 }, pageSize: 1000) {
                if json {
                    Console.printJSON(carton)
                } else {
                    rows.append([carton.sscc, carton.productCode, carton.lotLabel, String(carton.count),
                                 "\(carton.firstSequence)–\(carton.lastSequence)", Timestamp.vietnamese(carton.packedAt),
                                 carton.unpackedAt.map(Timestamp.vietnamese) ?? ""])
                }
            }
            if !json {
                Console.table(header: ["SSCC", "Sản phẩm / Product", "Lô / Lot", "Số tem / Count", "Sequences", "Đóng / Packed", "Mở / Unpacked"],
                              rows: rows)
            }
        }
    }
}
