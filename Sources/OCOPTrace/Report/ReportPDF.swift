import Foundation

/// Prints a report page to an A4 PDF through headless Chromium, when it is installed: the page's
/// own print stylesheet decides the layout, so the PDF is what a browser's "Print" gives.
public enum ReportPDF {
    /// Names Chromium's executable when it is not on PATH under one of ``programs``.
    public static let variable = "OCOPTRACE_CHROMIUM"
    /// The names Chromium goes by on PATH, in the order tried.
    public static let programs = ["chromium", "chromium-browser", "google-chrome", "google-chrome-stable"]

    public enum Failure: Error, Sendable, CustomStringConvertible {
        /// No Chromium: the HTML page (`page`) was written all the same.
        case noChromium(page: String)
        case printFailed(pdf: String, reason: String)

        public var description: String {
            switch self {
            case .noChromium(let page):
                "--pdf needs headless Chromium, which is not installed (looked for \(programs.joined(separator: ", ")) on PATH and $\(variable)): "
                    + "install it (apt install chromium) or print \(page), which was written, from a browser. / "
                    + "--pdf cần Chromium chạy ẩn nhưng máy chưa cài (đã tìm \(programs.joined(separator: ", ")) trong PATH và $\(variable)): "
                    + "hãy cài (apt install chromium) hoặc mở \(page), đã được ghi, bằng trình duyệt rồi in."
            case .printFailed(let pdf, let reason):
                "Chromium could not print \(pdf): \(reason) / Chromium không in được \(pdf): \(reason)"
            }
        }
    }

    /// Chromium's executable: `$OCOPTRACE_CHROMIUM` when set, else the first of ``programs`` on PATH.
    public static func chromium(environment: [String: String] = ProcessInfo.processInfo.environment) -> String? {
        if let named = environment[variable], !named.isEmpty {
            return FileManager.default.isExecutableFile(atPath: named) ? named : nil
        }
        let folders = (environment["PATH"] ?? "").split(separator: ":").map(String.init)
        for program in programs {
            for folder in folders where FileManager.default.isExecutableFile(atPath: folder + "/" + program) {
                return folder + "/" + program
            }
        }
        return nil
    }

    /// Prints the page at `page` to `pdf` (written under a temporary name and renamed).
    ///
    /// - Throws: ``Failure/noChromium(page:)`` when Chromium is not installed; ``Failure/printFailed(pdf:reason:)``.
    public static func print(page: URL, to pdf: URL) throws {
        guard let chromium = chromium() else { throw Failure.noChromium(page: page.path) }
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("ocoptrace-pdf-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: scratch) }
        let partial = pdf.deletingLastPathComponent().appendingPathComponent("." + pdf.lastPathComponent + ".partial")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: chromium)
        process.arguments = ["--headless", "--no-sandbox", "--disable-gpu", "--user-data-dir=" + scratch.path, "--no-pdf-header-footer",
                             "--print-to-pdf=" + partial.path, page.absoluteURL.absoluteString]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        do { try process.run() } catch { throw Failure.printFailed(pdf: pdf.path, reason: ErrorText.describe(error)) }
        process.waitUntilExit()
        guard process.terminationStatus == 0, let start = FileHandle(forReadingAtPath: partial.path)?.readData(ofLength: 5),
              start == Data("%PDF-".utf8) else {
            try? FileManager.default.removeItem(at: partial)
            throw Failure.printFailed(pdf: pdf.path, reason: "exit status \(process.terminationStatus), no PDF written")
        }
        _ = try? FileManager.default.removeItem(at: pdf)
        do { try FileManager.default.moveItem(at: partial, to: pdf) } catch {
            throw Failure.printFailed(pdf: pdf.path, reason: ErrorText.describe(error))
        }
    }
}
