import Foundation

/// Finding input files and choosing how to read each one.
public enum InputFiles {
    static let tableExtensions: Set<String> = ["csv", "txt", "tsv", "xlsx", "xlsm"]

    /// The files named, with folders replaced by the CSV and xlsx files inside them (recursively,
    /// skipping hidden files and Excel's `~$` lock files), in path order.
    public static func expand(_ paths: [URL]) throws -> [URL] {
        var files: [URL] = []
        for path in paths {
            var isFolder: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path.path, isDirectory: &isFolder) else {
                throw CatalogError.unreadable(file: displayPath(path), reason: "no such file or folder")
            }
            guard isFolder.boolValue else {
                files.append(path)
                continue
            }
            guard let walker = FileManager.default.enumerator(at: path, includingPropertiesForKeys: [.isRegularFileKey],
                                                              options: [.skipsHiddenFiles]) else { continue }
            var found: [URL] = []
            for case let url as URL in walker {
                let name = url.lastPathComponent
                guard !name.hasPrefix("~$"), tableExtensions.contains(url.pathExtension.lowercased()) else { continue }
                found.append(url)
            }
            files.append(contentsOf: found.sorted { $0.path < $1.path })
        }
        return files
    }

    /// A CSV or xlsx reader, chosen by the file's extension and checked against its first bytes.
    public static func reader(for url: URL) throws -> any TableReader & Sendable {
        let file = displayPath(url)
        let head: Data
        do {
            let handle = try FileHandle(forReadingFrom: url)
            defer { try? handle.close() }
            head = try handle.read(upToCount: 8) ?? Data()
        } catch {
            throw CatalogError.unreadable(file: file, reason: (error as NSError).localizedDescription)
        }
        let isZip = head.starts(with: [0x50, 0x4B, 0x03, 0x04])
        let isOLE = head.starts(with: [0xD0, 0xCF, 0x11, 0xE0])
        switch url.pathExtension.lowercased() {
        case "xlsx", "xlsm":
            guard isZip else { throw CatalogError.unsupportedFormat(file: file, reason: "the file is named .xlsx but is not an Excel workbook") }
            return XLSXReader(url: url)
        case "xls":
            throw CatalogError.unsupportedFormat(file: file, reason: "old Excel 97-2003 workbooks (.xls) are not read: save it as .xlsx or CSV UTF-8")
        case "csv", "txt", "tsv":
            if isZip { return XLSXReader(url: url) }
            if isOLE { throw CatalogError.unsupportedFormat(file: file, reason: "this is an old Excel .xls workbook: save it as .xlsx or CSV UTF-8") }
            return CSVReader(url: url)
        default:
            throw CatalogError.unsupportedFormat(file: file, reason: "not a catalog: use a .csv or .xlsx file")
        }
    }

    /// Catalog or stamp orders, from the header row alone.
    public static func kind(of url: URL) throws -> InputKind {
        try header(of: url).kind
    }

    /// The file's header row, read: its kind and where each column is.
    static func header(of url: URL) throws -> HeaderMap {
        struct FoundHeader: Error { var header: HeaderMap }
        do {
            try reader(for: url).forEachRow { row, _ in
                if row.isBlank { return }
                throw FoundHeader(header: try HeaderMap(header: row, file: displayPath(url)))
            }
        } catch let found as FoundHeader {
            return found.header
        }
        throw CatalogError.missingHeader(file: displayPath(url))
    }

    /// The path as the user would write it: relative to the working folder when inside it.
    public static func displayPath(_ url: URL) -> String {
        let path = url.standardizedFileURL.path
        let cwd = FileManager.default.currentDirectoryPath
        if path.hasPrefix(cwd + "/") { return String(path.dropFirst(cwd.count + 1)) }
        return path
    }
}
