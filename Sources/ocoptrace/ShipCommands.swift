import ArgumentParser
import Foundation
import OCOPTrace

/// What `ship` and `receive` share: the goods (cartons, or a lot), the receiver, the time.
struct ShipmentOptions: ParsableArguments {
    @Option(name: .customLong("carton"), parsing: .upToNextOption,
            help: ArgumentHelp("Cartons by SSCC, carton code or URL (several after one --carton, or --carton repeated).", valueName: "sscc"))
    var cartons: [String] = []

    @Option(help: ArgumentHelp("A product's code, to ship its lot without cartons.", valueName: "code"))
    var product: String?

    @Option(help: ArgumentHelp("The lot, with --product.", valueName: "lot"))
    var lot: String?

    @Option(help: ArgumentHelp("How many of the lot's stamps (default: the lot, uncounted).", valueName: "N"))
    var count: Int?

    @Option(help: ArgumentHelp("The receiver's name (a distributor, đại lý, shop).", valueName: "name"))
    var to: String

    @Option(help: ArgumentHelp("The receiver's province: receivers are told apart by name and province.", valueName: "province"))
    var toProvince: String

    @Option(help: ArgumentHelp("The receiver's GLN (13 digits, check digit verified).", valueName: "gln"))
    var toGln: String?

    @Option(help: ArgumentHelp("When: 28/10/2026 14:30 or 2026-10-28T14:30 (Viet Nam time unless an offset follows; default: now).",
                               valueName: "time"))
    var at: String?

    @Flag(help: "Print the summary as JSON.")
    var json = false

    func validate() throws {
        if cartons.isEmpty == (product == nil) { throw ValidationError("name cartons with --carton, or a lot with --product and --lot (not both)") }
        if product != nil, lot == nil { throw ValidationError("--product needs --lot") }
        if count != nil, product == nil { throw ValidationError("--count goes with --product and --lot") }
    }

    func record(_ step: ShipmentRecorder.Step, registry: RegistryOptions) async throws {
        let party = try ShipmentRecorder.party(name: to, province: toProvince, gln: toGln)
        let time = try at.map(ShipmentRecorder.time)
        let goods: ShipmentRecorder.Goods = cartons.isEmpty ? .lot(productCode: product!, lot: lot!, count: count) : .cartons(cartons)
        let report = try await registry.with(.readWrite) { store in
            try await ShipmentRecorder(store: store).record(step, goods: goods, party: party, at: time)
        }
        if json { Console.printJSON(report); return }
        let what = report.cartons > 0 ? "\(report.cartons) carton\(report.cartons == 1 ? "" : "s") (\(report.cartons) thùng)" : "lot \(lot ?? "") (lô)"
        let verb = step == .shipped ? "shipped to (đã gửi cho)" : "received by (đã nhận tại)"
        let recording = report.recording
        print("\(what) \(verb) \(report.receiver), \(report.province), \(Timestamp.vietnamese(report.at)): "
            + "\(recording.inserted) new, \(recording.received) received, \(recording.unchanged) already recorded")
    }
}

struct ShipCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ship",
        abstract: "Record a shipment from the producer to a receiver: cartons by SSCC, or a lot's stamps.",
        discussion: """
            Receivers (distributors, đại lý, shops) are kept in the registry, told apart by name and \
            province like producers; a GLN given once is kept. The same shipment recorded twice is \
            one shipment. A shipments file does many at once (ocoptrace import, docs/shipments.md).

            Examples:
              ocoptrace ship --carton 089387650000000008 089387650000000015 --to "Cửa hàng OCOP Thanh Hóa" --to-province "Thanh Hóa"
              ocoptrace ship --product NC-500 --lot NC2611A --count 200 --to "Đại lý Minh Anh" --to-province "Hà Nội" \\
                --to-gln 8931234000004 --at "21/11/2026 14:30"
            """
    )

    @OptionGroup var registry: RegistryOptions
    @OptionGroup var shipment: ShipmentOptions

    func run() async throws {
        try await shipment.record(.shipped, registry: registry)
    }
}

struct ReceiveCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "receive",
        abstract: "Record that a receiver got cartons or a lot's stamps: completes the open shipment to it.",
        discussion: """
            Takes the options of ship: --to names who received the goods. The latest shipment of \
            the same goods to the same receiver that has no receipt yet gets this one; with none, \
            the receipt is recorded on its own.

            Example:
              ocoptrace receive --carton 089387650000000008 --to "Cửa hàng OCOP Thanh Hóa" --to-province "Thanh Hóa" --at "22/11/2026 08:15"
            """
    )

    @OptionGroup var registry: RegistryOptions
    @OptionGroup var shipment: ShipmentOptions

    func run() async throws {
        try await shipment.record(.received, registry: registry)
    }
}
