import Foundation

/// A tmpfs of a few megabytes mounted on a temporary folder, to fill a disk for real; unmounted
/// when released. Needs root (`mount -t tmpfs`).
public final class SmallFilesystem: @unchecked Sendable {
    // @unchecked: the only state is an immutable URL.
    public let url: URL

    public struct Unavailable: Error, CustomStringConvertible {
        public var description: String
    }

    /// Mounts a tmpfs of `megabytes` on a new folder under `parent`.
    public init(megabytes: Int, in parent: URL) throws {
        url = parent.appendingPathComponent("small-disk")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        let output = try Self.mount(["-t", "tmpfs", "-o", "size=\(megabytes)m", "tmpfs", url.path])
        guard output.status == 0 else {
            throw Unavailable(description: "cannot mount a tmpfs on \(url.path) (exit \(output.status)): \(output.text)")
        }
    }

    /// Gives the filesystem room again: `megabytes` in all, what it holds kept.
    public func grow(to megabytes: Int) throws {
        let output = try Self.mount(["-o", "remount,size=\(megabytes)m", url.path])
        guard output.status == 0 else { throw Unavailable(description: "cannot grow the tmpfs on \(url.path): \(output.text)") }
    }

    deinit {
        _ = try? Self.mount(["-l", url.path], program: "/bin/umount")
    }

    /// Whether tests that fill a disk can run here: a tmpfs can be mounted. In CI (`CI` set) they
    /// always run, so that a runner that cannot mount fails them instead of skipping them.
    public static let available: Bool = {
        if ProcessInfo.processInfo.environment["CI"] != nil { return true }
        let probe = FileManager.default.temporaryDirectory.appendingPathComponent("ocoptrace-mount-probe-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: probe) }
        return (try? SmallFilesystem(megabytes: 1, in: probe)) != nil
    }()

    private static func mount(_ arguments: [String], program: String = "/bin/mount") throws -> (status: Int32, text: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: program)
        process.arguments = arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }
}
