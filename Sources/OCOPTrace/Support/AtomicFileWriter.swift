import Foundation

/// A file written through a buffer into a hidden temporary file beside it and renamed into place by
/// `commit()`: a reader sees the old file or the whole new one, never half of one, and a writer
/// given up on (an error, a crash) leaves the old file as it was.
final class AtomicFileWriter {
    let url: URL
    private let temporaryPath: String
    private var descriptor: Int32
    private var buffer: [UInt8] = []
    private static let flushSize = 1 << 16

    convenience init(_ url: URL) throws {
        try self.init(url, mode: 0o644)
    }

    /// - Parameter mode: the new file's permissions (0600 for a file of secrets such as `pins.csv`).
    init(_ url: URL, mode: mode_t) throws {
        self.url = url
        temporaryPath = url.deletingLastPathComponent()
            .appendingPathComponent(".\(url.lastPathComponent)-\(getpid())-\(UUID().uuidString).part").path
        descriptor = open(temporaryPath, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode)
        guard descriptor >= 0 else { throw FileWriteError(path: url.path, reason: String(cString: strerror(errno))) }
        buffer.reserveCapacity(Self.flushSize * 2)
    }

    deinit {
        if descriptor >= 0 {
            close(descriptor)
            unlink(temporaryPath)
        }
    }

    func write(_ text: String) throws {
        buffer.append(contentsOf: text.utf8)
        if buffer.count >= Self.flushSize { try flush() }
    }

    func write(_ bytes: [UInt8]) throws {
        buffer.append(contentsOf: bytes)
        if buffer.count >= Self.flushSize { try flush() }
    }

    private func flush() throws {
        try Self.writeAll(buffer, to: descriptor, path: url.path)
        buffer.removeAll(keepingCapacity: true)
    }

    /// Writes all of `bytes` to an open descriptor, again after an interrupted `write`; a failure
    /// is a ``FileWriteError`` naming `path` with the system's reason.
    static func writeAll(_ bytes: [UInt8], to descriptor: Int32, path: String) throws {
        var offset = 0
        while offset < bytes.count {
            let written = bytes.withUnsafeBytes { Foundation.write(descriptor, $0.baseAddress! + offset, $0.count - offset) }
            if written < 0 {
                if errno == EINTR { continue }
                throw FileWriteError(path: path, reason: String(cString: strerror(errno)))
            }
            offset += written
        }
    }

    /// Creates `folder` and its parents; a failure (a full disk, no permission) is a
    /// ``FileWriteError`` naming the folder, as a file that cannot be written is.
    static func createFolder(_ folder: URL) throws {
        do {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        } catch {
            throw FileWriteError(path: folder.path, reason: ErrorText.describe(error))
        }
    }

    /// Writes what is buffered and puts the file in place. `durable` waits for the disk first, for
    /// files that must survive a power cut once a command has reported success (a stamp manifest).
    func commit(durable: Bool = false) throws {
        try flush()
        if durable, fsync(descriptor) != 0 { throw FileWriteError(path: url.path, reason: String(cString: strerror(errno))) }
        let closed = close(descriptor)
        descriptor = -1
        guard closed == 0, rename(temporaryPath, url.path) == 0 else {
            let reason = String(cString: strerror(errno))
            unlink(temporaryPath)
            throw FileWriteError(path: url.path, reason: reason)
        }
    }
}

/// A file that could not be written: which, and the system's reason.
public struct FileWriteError: Error, Sendable, CustomStringConvertible {
    public var path: String
    public var reason: String

    public init(path: String, reason: String) {
        self.path = path
        self.reason = reason
    }

    public var description: String { "cannot write \(path): \(reason)" }
}
