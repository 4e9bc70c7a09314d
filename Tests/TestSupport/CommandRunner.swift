import Foundation

/// Runs the built `ocoptrace` executable, as a user would, and captures what it prints.
public struct CommandResult: Sendable {
    public var status: Int32
    public var stdout: String
    public var stderr: String
}

public enum OCOPTraceBinary {
    /// The executable `swift build` wrote beside the test bundle.
    public static let url: URL = {
        if let explicit = ProcessInfo.processInfo.environment["OCOPTRACE_BIN"] { return URL(fileURLWithPath: explicit) }
        var candidates: [URL] = []
        if let executable = Bundle.main.executableURL {
            candidates.append(executable.deletingLastPathComponent().appendingPathComponent("ocoptrace"))
        }
        candidates.append(Bundle.main.bundleURL.deletingLastPathComponent().appendingPathComponent("ocoptrace"))
        candidates.append(repositoryRoot.appendingPathComponent(".build/debug/ocoptrace"))
        guard let found = candidates.first(where: { FileManager.default.isExecutableFile(atPath: $0.path) }) else {
            fatalError("the ocoptrace executable was not built; looked at \(candidates.map(\.path))")
        }
        return found
    }()

    /// Runs `ocoptrace arguments...` in `folder` with a clean environment plus `environment`.
    public static func run(_ arguments: [String], in folder: URL, environment: [String: String] = [:],
                           input: String? = nil) throws -> CommandResult {
        let process = Process()
        process.executableURL = url
        process.arguments = arguments
        process.currentDirectoryURL = folder
        var base = ProcessInfo.processInfo.environment
        base["OCOPTRACE_DB"] = nil
        process.environment = base.merging(environment) { $1 }
        let stdout = Pipe()
        let stderr = Pipe()
        process.standardOutput = stdout
        process.standardError = stderr
        let stdin = Pipe()
        process.standardInput = stdin
        try process.run()
        if let input { stdin.fileHandleForWriting.write(Data(input.utf8)) }
        try stdin.fileHandleForWriting.close()
        // Read both pipes before waiting, so that a chatty child never blocks on a full pipe.
        let errorData = LockedData()
        let errorReader = Thread { errorData.set(stderr.fileHandleForReading.readDataToEndOfFile()) }
        errorReader.start()
        let outputData = stdout.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        while !errorData.isSet { usleep(1000) }
        return CommandResult(status: process.terminationStatus,
                             stdout: String(decoding: outputData, as: UTF8.self),
                             stderr: String(decoding: errorData.value, as: UTF8.self))
    }
}

private final class LockedData: @unchecked Sendable {
    // @unchecked: guarded by `lock`.
    private let lock = NSLock()
    private var data: Data?

    func set(_ value: Data) {
        lock.lock()
        data = value
        lock.unlock()
    }

    var isSet: Bool {
        lock.lock()
        defer { lock.unlock() }
        return data != nil
    }

    var value: Data {
        lock.lock()
        defer { lock.unlock() }
        return data ?? Data()
    }
}
