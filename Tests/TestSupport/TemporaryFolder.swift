import Foundation

/// A folder under the system's temporary directory, removed when the value is released.
public final class TemporaryFolder: @unchecked Sendable {
    // @unchecked: the only state is an immutable URL.
    public let url: URL

    public init(_ label: String = "ocoptrace-test") {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("\(label)-\(UUID().uuidString)")
        try! FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    deinit {
        try? FileManager.default.removeItem(at: url)
    }

    /// Writes `text` (UTF-8, optionally with a byte-order mark) to a file in the folder.
    @discardableResult
    public func write(_ name: String, _ text: String, byteOrderMark: Bool = false) -> URL {
        let file = url.appendingPathComponent(name)
        try! FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
        var data = Data()
        if byteOrderMark { data.append(contentsOf: [0xEF, 0xBB, 0xBF]) }
        data.append(Data(text.utf8))
        try! data.write(to: file)
        return file
    }

    public func path(_ name: String) -> String {
        url.appendingPathComponent(name).path
    }
}

/// A path as the library reports it (relative to the working folder when inside it), made absolute.
public func absolutePath(_ path: String) -> String {
    path.hasPrefix("/") ? path : FileManager.default.currentDirectoryPath + "/" + path
}
