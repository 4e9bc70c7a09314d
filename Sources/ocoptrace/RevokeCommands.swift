import ArgumentParser
import Foundation
import OCOPTrace

struct RevokeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "revoke",
        abstract: "Revoke stamps (a lost roll, a recall): they then verify as revoked, with the reason.",
        discussion: """
            Examples:
              ocoptrace revoke 7K3Q-M9XW-2HPT-4RVA-C --reason "cuộn tem bị mất"
              ocoptrace revoke --lot NC2611A --reason "thu hồi lô hàng"
              ocoptrace revoke --lot NC2611A --recall --reason "nhiễm khuẩn / contamination"
              ocoptrace revoke --file lost-stamps.txt --reason "lost in transport"
            """
    )

    @OptionGroup var registry: RegistryOptions

    @Argument(help: ArgumentHelp("Stamp IDs (or stamp URLs).", valueName: "stamp-id"))
    var stampIDs: [String] = []

    @Option(help: ArgumentHelp("Revoke every stamp of this lot.", valueName: "lot"))
    var lot: String?

    @Option(help: ArgumentHelp("The product, when several have this lot number.", valueName: "code"))
    var product: String?

    @Option(help: ArgumentHelp("A file of stamp IDs or URLs, one a line (- for standard input).", valueName: "file"))
    var file: String?

    @Option(help: ArgumentHelp("Why: shown to whoever verifies a revoked stamp.", valueName: "text"))
    var reason: String

    @Flag(help: "With --lot: a recall of the goods (thu hồi sản phẩm), not a lost roll of stamps: the page says not to use them, with the reason.")
    var recall = false

    @Flag(help: "Print the outcome as JSON.")
    var json = false

    func validate() throws {
        guard (lot != nil) != (!stampIDs.isEmpty || file != nil) else {
            throw ValidationError("name stamps (IDs or --file) or a --lot, one of the two")
        }
        if recall, lot == nil { throw ValidationError("--recall recalls a lot: name it with --lot") }
    }

    func run() async throws {
        var all = stampIDs
        if lot == nil, let file {
            try await LineReader.forEachBatch(path: file, batchSize: 4096) { all.append(contentsOf: $0) }
        }
        let outcome = try await registry.with(.readWrite) { store in
            let revocations = Revocations(store: store)
            if let lot {
                return try await revocations.revoke(lot: lot, productCode: product, reason: reason, recall: recall)
            }
            return try await revocations.revoke(stampIDs: all, reason: reason)
        }
        if json { Console.printJSON(outcome) } else {
            print("revoked \(outcome.revoked) stamp\(outcome.revoked == 1 ? "" : "s")" + (outcome.alreadyRevoked > 0 ? " (\(outcome.alreadyRevoked) already were)" : ""))
        }
    }
}

struct ScansCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "scans",
        abstract: "List the scan history of verified stamps, and suspected copies.",
        discussion: """
            Examples:
              ocoptrace scans --suspected
              ocoptrace scans --lot NC2611A --json
            """
    )

    @OptionGroup var registry: RegistryOptions

    @Option(help: ArgumentHelp("Only stamps of this lot.", valueName: "lot"))
    var lot: String?

    @Flag(help: "Only suspected copies (verified too often, or at two places).")
    var suspected = false

    @Option(help: ArgumentHelp("More verifications than this flag a suspected copy.", valueName: "n"))
    var cloneThreshold = 5

    @Flag(help: "Print JSON Lines.")
    var json = false

    func run() async throws {
        let listings = try await registry.with(.readOnly) { store in
            return try await ScanListing.fetch(from: store, lot: lot, suspectedOnly: suspected, cloneThreshold: cloneThreshold)
        }
        if json {
            listings.forEach(Console.printJSON)
            return
        }
        Console.table(header: ["Stamp ID", "Product", "Lot", "Scans", "First", "Last", "Places", "Suspected", "Activated"], rows: listings.map {
            [$0.stampID, $0.product, $0.lot, String($0.scans), String($0.firstAt.prefix(16)), String($0.lastAt.prefix(16)),
             $0.locations.joined(separator: ", "), $0.suspectedClone ? "yes" : "", String(($0.activatedAt ?? "").prefix(16))]
        })
    }
}

struct PackCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pack",
        abstract: "Export a signed offline pack of issued stamps for inspectors without a network.",
        discussion: """
            The pack lists every issued serial exactly (14 bytes a stamp), with its product and lot, the \
            revocations and the time it was made, signed with the registry's active key. Inspectors \
            check it with the key's .pub file: `ocoptrace verify --offline --pack FILE --public-key FILE`.

            Examples:
              ocoptrace pack --out output/thanh-hoa.pack --province "Thanh Hóa"
              ocoptrace pack --out nem-chua.pack --producer "Nem chua Xuân Lập"
            """
    )

    @OptionGroup var registry: RegistryOptions

    @Option(help: ArgumentHelp("The pack file to write.", valueName: "file"))
    var out: String

    @Option(help: ArgumentHelp("Only this producer's stamps (name contains, accents ignored).", valueName: "name"))
    var producer: String?

    @Option(help: ArgumentHelp("Only stamps of producers in this province.", valueName: "province"))
    var province: String?

    @Option(help: ArgumentHelp("The signing keys folder.", valueName: "folder"))
    var keys = "keys"

    func run() async throws {
        try await registry.with(.readOnly) { store in
            let key = try await KeyStore(store: store, folder: URL(fileURLWithPath: keys)).activeSigningKey()
            let count = try await OfflinePack.write(from: store, key: key, to: URL(fileURLWithPath: out), producer: producer, province: province)
            let size = (try? FileManager.default.attributesOfItem(atPath: out)[.size] as? Int) ?? 0
            print("wrote \(out): \(count) stamps, \(size) bytes, signed with key \(key.keyID) (verify with \(keys)/\(key.keyID).pub)")
        }
    }
}
