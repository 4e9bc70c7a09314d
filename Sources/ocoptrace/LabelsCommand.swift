import ArgumentParser
import Foundation
import OCOPTrace

struct LabelsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "labels",
        abstract: "Print-ready PDF label sheets of an issued batch, with vector QR codes.",
        discussion: """
            Each label shows the QR code, the stamp ID, the product, producer, lot, production and \
            expiry dates, the OCOP stars when the recognition is valid, and "Quét mã QR để truy xuất \
            nguồn gốc". A layout whose QR modules would be smaller than 0.25 mm is refused.

            Examples:
              ocoptrace labels --list-layouts
              ocoptrace labels --lot NC2611A
              ocoptrace labels --lot NC2611A --layout roll-50x30 --out nem-chua-roll.pdf
              ocoptrace labels --lot MT2612 --pins output/stamps/htx-x/MT-200/MT2612/pins.csv
              ocoptrace labels --lot NC2611A --page-size 100x150 --grid 2x5 --label-size 48x28 --margins 2x4
            """
    )

    @OptionGroup var registry: RegistryOptions

    @Flag(help: "List the built-in layouts and exit.")
    var listLayouts = false

    @Option(help: ArgumentHelp("The lot to print.", valueName: "lot"))
    var lot: String?

    @Option(help: ArgumentHelp("The product, when several have this lot number.", valueName: "code"))
    var product: String?

    @Option(help: ArgumentHelp("A built-in layout (default \(LabelLayout.defaultName)).", valueName: "name"))
    var layout: String?

    @Option(help: ArgumentHelp("Custom layout: page size in mm, e.g. 210x297.", valueName: "WxH"))
    var pageSize: String?

    @Option(help: ArgumentHelp("Custom layout: columns x rows, e.g. 3x8.", valueName: "CxR"))
    var grid: String?

    @Option(help: ArgumentHelp("Custom layout: label size in mm, e.g. 70x37.", valueName: "WxH"))
    var labelSize: String?

    @Option(help: ArgumentHelp("Custom layout: left and top margins in mm (default: centred).", valueName: "LxT"))
    var margins: String?

    @Option(help: ArgumentHelp("Custom layout: gaps between labels in mm.", valueName: "XxY"))
    var gaps: String?

    @Option(help: ArgumentHelp("The PDF to write (default: labels-{layout}.pdf beside the batch's manifest).", valueName: "file"))
    var out: String?

    @Option(help: ArgumentHelp("Where stamps/ is.", valueName: "folder"))
    var output = "output"

    @Option(help: ArgumentHelp("The batch's pins.csv: needed to print (or reprint) a batch with scratch-off PINs, each in a scratch-off box.",
                               valueName: "file"))
    var pins: String?

    @Flag(help: "Print the summary as JSON.")
    var json = false

    func validate() throws {
        if !listLayouts, lot == nil { throw ValidationError("name the batch with --lot (or use --list-layouts)") }
        let custom = [pageSize, grid, labelSize].compactMap { $0 }.count
        if custom > 0, custom < 3 { throw ValidationError("a custom layout needs --page-size, --grid and --label-size") }
        if custom > 0, layout != nil { throw ValidationError("use --layout or a custom layout, not both") }
    }

    func run() async throws {
        if listLayouts {
            if json { LabelLayout.builtIn.forEach(Console.printJSON); return }
            Console.table(header: ["Layout", "Page (mm)", "Grid", "Label (mm)", ""], rows: LabelLayout.builtIn.map {
                [$0.name, "\(Formatting.millimetres($0.pageWidth)) × \(Formatting.millimetres($0.pageHeight))", "\($0.columns) × \($0.rows)",
                 "\(Formatting.millimetres($0.labelWidth)) × \(Formatting.millimetres($0.labelHeight))", $0.description]
            })
            return
        }
        let chosen = try chosenLayout()
        let report: LabelJob.Report = try await registry.with(.readOnly) { store in
            try await LabelJob(store: store, layout: chosen, pinsFile: pins.map { URL(fileURLWithPath: $0) }).write(lot: lot!, productCode: product, to: out.map { URL(fileURLWithPath: $0) },
                                                                  outputFolder: URL(fileURLWithPath: output))
        }
        if json { Console.printJSON(report) } else {
            print("wrote \(report.pdf): \(report.labels) labels on \(report.pages) page\(report.pages == 1 ? "" : "s") (\(report.layout), QR modules \(String(format: "%.2f", report.moduleMillimetres)) mm)")
        }
    }

    private func chosenLayout() throws -> LabelLayout {
        guard let pageSize, let grid, let labelSize else {
            let name = layout ?? LabelLayout.defaultName
            guard let found = LabelLayout.named(name) else { throw ValidationError(LabelLayout.LayoutError.unknown(name).description) }
            return found
        }
        func pair(_ text: String, _ option: String) throws -> (Double, Double) {
            let parts = text.lowercased().split(whereSeparator: { $0 == "x" || $0 == "×" })
            guard parts.count == 2, let a = Double(parts[0].replacingOccurrences(of: ",", with: ".")),
                  let b = Double(parts[1].replacingOccurrences(of: ",", with: ".")) else {
                throw ValidationError("\(option) \(text): write two numbers like 70x37")
            }
            return (a, b)
        }
        let page = try pair(pageSize, "--page-size")
        let cells = try pair(grid, "--grid")
        let label = try pair(labelSize, "--label-size")
        let margin = try margins.map { try pair($0, "--margins") }
        let gap = try gaps.map { try pair($0, "--gaps") } ?? (0, 0)
        let custom = LabelLayout(name: "custom", description: "custom", pageWidth: page.0, pageHeight: page.1, columns: Int(cells.0),
                                 rows: Int(cells.1), labelWidth: label.0, labelHeight: label.1, marginLeft: margin?.0, marginTop: margin?.1,
                                 gapX: gap.0, gapY: gap.1)
        do { try custom.validate() } catch { throw ValidationError(error.description) }
        return custom
    }
}
