import ArgumentParser
import Foundation
import OCOPTrace

enum Console {
    static let stderrIsTerminal = isatty(STDERR_FILENO) == 1

    static func error(_ message: String) {
        FileHandle.standardError.write(Data(("error: " + message + "\n").utf8))
    }

    static func note(_ message: String) {
        FileHandle.standardError.write(Data(("note: " + message + "\n").utf8))
    }

    static func warning(_ message: String) {
        FileHandle.standardError.write(Data(("warning: " + message + "\n").utf8))
    }

    static func printJSON(_ value: some Encodable) {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        print(String(decoding: try! encoder.encode(value), as: UTF8.self))
    }

    /// A plain text table, columns padded to their widest cell (counted in characters, so that
    /// Vietnamese letters line up).
    static func table(header: [String], rows: [[String]]) {
        let limit = 40
        let clipped = rows.map { $0.map { $0.count > limit ? String($0.prefix(limit - 1)) + "…" : $0 } }
        var widths = header.map(\.count)
        for row in clipped { for (index, cell) in row.enumerated() { widths[index] = max(widths[index], cell.count) } }
        func line(_ cells: [String]) -> String {
            cells.enumerated().map { $1 + String(repeating: " ", count: widths[$0] - $1.count) }
                .joined(separator: "  ").trimmingCharacters(in: .whitespaces)
        }
        print(line(header))
        for row in clipped { print(line(row)) }
    }
}

extension ExitCodes {
    /// Prints a library error and gives the exit code its kind has; errors of other kinds
    /// (ArgumentParser's own, and exit codes) pass through unchanged.
    static func report(_ error: any Error) -> any Error {
        let code: ExitCode
        switch error {
        case is CatalogError, is ImageFile.ReadError, is OfflinePack.PackError: code = unreadableInput
        case RegistryError.noSpace: code = cannotWrite
        // Not a failure of the registry: the wrong tool for it (usage, 64).
        case RegistryError.backupNeedsPgDump: code = .validationFailure
        case is RegistryError: code = registryError
        case is IssueError, is KeyError, is LabelLayout.LayoutError, is MarketplaceRules.RulesError,
             is CategoryTreeImport.ImportError, is EPCISExport.ExportError, is Revocations.RevocationError, is CartonError, is ShipmentError:
            code = rejected
        case is RenderError, is FileWriteError, is ReportPDF.Failure: code = cannotWrite
        default: return error
        }
        Console.error("\(error)")
        return code
    }
}

enum Formatting {
    /// `38.1`, `210`: millimetres without trailing zeros.
    static func millimetres(_ value: Double) -> String {
        value == value.rounded() ? String(Int(value)) : String(format: "%.1f", value)
    }

    /// `85000` → `85.000 ₫`, the way Vietnamese shops write prices.
    static func vnd(_ amount: Int) -> String {
        var digits = Array(String(amount))
        var index = digits.count - 3
        while index > 0 {
            digits.insert(".", at: index)
            index -= 3
        }
        return String(digits) + " ₫"
    }
}

enum ReportPrinter {
    static func print(_ batch: BatchReport) {
        for warning in batch.warnings { Console.warning(warning) }
        if batch.alreadyIssued && batch.render == nil {
            Swift.print("lot \(batch.lot) of \(batch.product): \(batch.quantity) stamps already issued (\(batch.manifest))")
            return
        }
        let signed = batch.signed ? ", signed with key \(batch.keyID ?? "?")" : ""
        let versions = (batch.render?.versions ?? [:]).sorted { $0.key < $1.key }.map { "v\($0.key)×\($0.value)" }.joined(separator: " ")
        let what = batch.alreadyIssued ? "re-rendered" : "issued"
        let seconds = batch.storeSeconds + batch.renderSeconds
        Swift.print("\(what) lot \(batch.lot) of \(batch.product): \(batch.quantity) stamps (\(batch.newStamps) new\(signed)), QR \(versions), "
            + "\(String(format: "%.2f", seconds)) s → \(batch.manifest)")
        if let pins = batch.pins, !batch.alreadyIssued {
            Swift.print("  scratch-off PINs / mã PIN dưới lớp cào → \(pins) (mode 0600: for the label printer only; keep it secret)")
        }
    }

    static func print(_ report: FileImportReport) {
        for warning in report.warnings { Console.warning(warning) }
        let counts = report.kind == .shipments
            ? "\(report.rows) rows: \(report.inserted) new shipments, \(report.updated) received, \(report.unchanged) unchanged"
            : "\(report.rows) rows: \(report.inserted) new, \(report.updated) updated, \(report.unchanged) unchanged"
        let what = report.kind == .shipments ? "shipments (vận chuyển)" : report.kind?.displayName ?? "catalog"
        switch report.outcome {
        case .succeeded:
            Swift.print("imported \(what) \(report.file) (\(counts))")
        case .validated:
            if report.problems.isEmpty {
                Swift.print("valid \(what) \(report.file) (\(report.rows) rows; dry run, nothing written)")
            } else {
                printProblems(of: report)
                Swift.print("invalid \(what) \(report.file): \(report.invalidRows) of \(report.rows) rows (dry run, nothing written)")
            }
        case .partial:
            printProblems(of: report)
            Swift.print("imported \(what) \(report.file) (\(counts)); skipped \(report.invalidRows) invalid rows")
        case .unreadable:
            Console.error(report.failure ?? "cannot read \(report.file)")
        case .rejected:
            printProblems(of: report)
            Console.error("rejected \(report.file): \(report.invalidRows) of \(report.rows) rows invalid; nothing imported from it")
        }
    }

    /// The first problems of each kind, a count of the rest, and where all of them are.
    private static func printProblems(of report: FileImportReport) {
        let summary = ProblemLog.summary(report.problems)
        for problem in summary.shown { Console.error(problem.description) }
        for (column, count) in summary.moreByColumn {
            Console.error("\(report.file): … \(count) more problem\(count == 1 ? "" : "s") \(column.map { "in column \($0)" } ?? "of whole rows")")
        }
        if let file = report.problemsFile {
            Console.note("all \(summary.total) problem\(summary.total == 1 ? "" : "s") of \(report.file) are listed in \(file) (tất cả lỗi: \(file))")
        }
    }

    /// One line per marketplace: how many listed, with warnings, rejected, and where.
    static func summary(_ export: ExportReport) -> String {
        let files = export.files.count == 1 ? export.files[0] : "\(export.files.count) files: " + export.files.joined(separator: ", ")
        return "\(export.platform): \(export.listed) listed (\(export.warnings) with warnings), \(export.rejected) rejected → \(files) (report: \(export.report))"
    }

    /// How many products carry the traceability minimum, and the commonest gaps of the others.
    static func summary(_ check: TraceabilityCheck.Summary) -> String {
        let what = check.lots == 0 ? "\(check.products) product\(check.products == 1 ? "" : "s")"
            : "\(check.findings) lots and products (\(check.lots) lot\(check.lots == 1 ? "" : "s") of \(check.products) product\(check.products == 1 ? "" : "s"))"
        var line = "traceability minimum: \(check.complete) of \(what) complete " +
            "(đủ thông tin truy xuất: \(check.complete)/\(check.findings))"
        if check.complete < check.findings {
            let gaps = check.missing.sorted { ($0.value, $1.key) > ($1.value, $0.key) }.map { "\($0.key) \($0.value)" }
            line += "; missing: " + gaps.joined(separator: ", ") + " (ocoptrace products --check-traceability)"
        }
        return line
    }

    static func exitCode(for reports: [FileImportReport]) -> ExitCode {
        if reports.contains(where: { $0.outcome == .unreadable }) { return ExitCodes.unreadableInput }
        if reports.contains(where: { $0.outcome == .rejected || ($0.outcome == .validated && !$0.problems.isEmpty) }) {
            return ExitCodes.rejected
        }
        if reports.contains(where: { $0.outcome == .partial }) { return ExitCodes.partial }
        return .success
    }
}

/// Rows, rate and time left on one terminal line, redrawn at most ten times a second. Nil when
/// standard error is not a terminal: pipes and CI logs stay clean.
final class TerminalProgress: @unchecked Sendable {
    // @unchecked: the lock guards every mutable field.
    private let lock = NSLock()
    private var lastDraw = Date.distantPast
    private var drew = false

    init?() {
        guard Console.stderrIsTerminal else { return nil }
    }

    func show(_ progress: ImportProgress) {
        lock.lock()
        defer { lock.unlock() }
        let now = Date()
        guard now.timeIntervalSince(lastDraw) >= 0.1 else { return }
        lastDraw = now
        let rate = progress.elapsedSeconds > 0 ? Double(progress.rows) / progress.elapsedSeconds : 0
        var line = "\(progress.file): \(progress.rows) rows, \(Int(rate)) rows/s"
        let position = progress.position
        if position.totalBytes > 0, position.bytesRead > 0, position.bytesRead < position.totalBytes {
            let fraction = Double(position.bytesRead) / Double(position.totalBytes)
            let left = progress.elapsedSeconds * (1 - fraction) / fraction
            line += String(format: ", %.0f%%, %.0f s left", fraction * 100, left)
        }
        FileHandle.standardError.write(Data(("\r\u{1B}[K" + line).utf8))
        drew = true
    }

    func showIssue(_ progress: IssueProgress) {
        lock.lock()
        defer { lock.unlock() }
        let now = Date()
        guard now.timeIntervalSince(lastDraw) >= 0.1 || progress.done == progress.total else { return }
        lastDraw = now
        let verb = progress.stage == .store ? "drawing serials" : "rendering"
        let line = "lot \(progress.lot): \(verb) \(progress.done)/\(progress.total)"
        FileHandle.standardError.write(Data(("\r\u{1B}[K" + line).utf8))
        drew = true
    }

    private var ticks = 0
    private let started = Date()

    /// One more of something counted (listings checked, ...): the count and rate.
    func tick(_ what: String) {
        lock.lock()
        defer { lock.unlock() }
        ticks += 1
        let now = Date()
        guard now.timeIntervalSince(lastDraw) >= 0.1 else { return }
        lastDraw = now
        let rate = Double(ticks) / max(now.timeIntervalSince(started), 0.001)
        FileHandle.standardError.write(Data(("\r\u{1B}[K\(ticks) \(what), \(Int(rate))/s").utf8))
        drew = true
    }

    var callback: @Sendable (ImportProgress) -> Void {
        { [self] progress in show(progress) }
    }

    /// Clears the line (before other output, or at the end); the next update draws it again.
    func finish() {
        lock.lock()
        defer { lock.unlock() }
        if drew { FileHandle.standardError.write(Data("\r\u{1B}[K".utf8)) }
        drew = false
    }
}
