import Foundation

/// Headless Chromium, to see a page as a phone or a printer does: a screenshot at a given window
/// size, or the page printed to PDF. Each call uses its own profile folder under `workspace`.
public enum HeadlessChromium {
    static func common(_ profile: String) -> [String] {
        ["--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--user-data-dir=" + profile]
    }

    /// Writes a PNG of `address` in a window `width` × `height` CSS pixels; returns the PNG's width.
    @discardableResult
    public static func screenshot(_ address: String, width: Int, height: Int, to png: String, profile: String) throws -> Int {
        _ = try ExternalTools.run("chromium", common(profile) + ["--window-size=\(width),\(height)", "--screenshot=" + png, address])
        guard let header = FileHandle(forReadingAtPath: png)?.readData(ofLength: 24), header.count == 24,
              header.prefix(4) == Data([0x89, 0x50, 0x4E, 0x47])
        else { throw ExternalTools.Failure(description: "chromium wrote no PNG at \(png)") }
        return header[16..<20].reduce(0) { $0 << 8 | Int($1) }
    }

    /// Prints `address` to a PDF (the page's own `@page` size and margins, no header or footer).
    public static func printToPDF(_ address: String, to pdf: String, profile: String) throws {
        _ = try ExternalTools.run("chromium", common(profile) + ["--no-pdf-header-footer", "--print-to-pdf=" + pdf, address])
        guard let start = FileHandle(forReadingAtPath: pdf)?.readData(ofLength: 5), start == Data("%PDF-".utf8)
        else { throw ExternalTools.Failure(description: "chromium wrote no PDF at \(pdf)") }
    }
}
